"""Worker processes: a fresh interpreter runs the target, over a pipe; the caller's __main__ is not re-run."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from stancegraph.graph.worker_process import start_worker
from stancegraph.ontology.namespaces import ID_NS, RDF_TYPE, SG_NS

STANCE = f"<{ID_NS}stance/x> <{RDF_TYPE}> <{SG_NS}Stance> .\n"


def test_a_worker_answers_over_the_pipe_and_ends_when_told() -> None:
    worker = start_worker("stancegraph.graph.ingestion.chunk_worker:serve_checks")
    try:
        worker.connection.send(STANCE)
        violations = worker.connection.recv()
        assert {v.path.rsplit("#")[-1] for v in violations} >= {"actor", "target", "statedOn"}
        assert worker.alive() and worker.pid != 0
        worker.connection.send(None)
        assert worker.wait(timeout=30) and worker.process.returncode == 0
    finally:
        worker.kill()


def test_a_killed_worker_reads_as_the_end_of_the_pipe() -> None:
    worker = start_worker("stancegraph.graph.ingestion.chunk_worker:serve_checks")
    worker.process.kill()
    worker.process.wait()
    try:
        worker.connection.recv()
    except EOFError:
        pass
    else:
        raise AssertionError("a dead worker's pipe gave an answer")
    finally:
        worker.kill()
    assert not worker.alive()


def test_a_script_that_starts_a_worker_at_top_level_runs_once(tmp_path) -> None:
    # multiprocessing's spawn would import this script again in the child (as __mp_main__)
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from stancegraph.graph.worker_process import start_worker
            print("script ran", flush=True)
            worker = start_worker("stancegraph.graph.ingestion.chunk_worker:serve_checks")
            worker.connection.send({STANCE!r})
            print(len(worker.connection.recv()) > 0, flush=True)
            worker.connection.send(None)
            worker.stop()
            """
        ),
        encoding="utf-8",
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["script ran", "True"]

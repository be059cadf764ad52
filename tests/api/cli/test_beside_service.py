"""The command line beside a running ``stancegraph serve`` that holds the store folder.

Read commands open the folder read-only and answer as without the service; ``--endpoint`` with the
service's base URL reaches it; write commands say in one line what to do; a record left by a killed
service is ignored.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stancegraph.api.cli.commands import main
from stancegraph.graph.store import RECORD_NAME, ServiceRecord, record_service, running_service

from ..service.conftest import Service
from ..service.conftest import running_service as serving
from .conftest import folder_held_by_another_process, init_cli_store, run_cli

_README_QUERY = (
    "PREFIX sg: <https://w3id.org/stancegraph/ontology#>\n"
    "  SELECT ?who ?what WHERE { GRAPH ?source { ?who sg:endorses ?what } } ORDER BY ?who ?what"
)

#: Read commands and their arguments, answered beside the service as without it.
READS = [
    ("who", "endorses", "us-28/6"),
    ("stances", "--contested"),
    ("plan-fit", "us-28", "--detail"),
    ("positions", "russia"),
    ("network", "--plan", "us-28", "--format", "csv"),
    ("actors",),
    ("query", _README_QUERY),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """A store folder filled by ``init``, which no service holds."""
    return init_cli_store(tmp_path_factory, "reference")


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Service]:
    """``stancegraph serve`` holding a folder of its own, filled with the bundled data on start."""
    with serving(tmp_path_factory.mktemp("held")) as running:
        yield running


def _run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", READS, ids=[c[0] for c in READS])
def test_a_read_command_beside_the_service_answers_as_without_it(service, reference, capsys, command):
    expected_code, expected, expected_err = run_cli(reference, capsys, *command)
    code, out, err = run_cli(service.folder / "store", capsys, *command)
    assert expected_code == 0 and expected.strip()
    assert (code, out) == (0, expected)
    note, *rest = err.splitlines()
    assert rest == expected_err.splitlines()
    assert f"held by the stancegraph service at {service.url} (process {service.pid})" in note
    assert "read-only" in note


def test_the_service_records_its_url_and_process_in_the_folder(service):
    record = json.loads((service.folder / "store" / RECORD_NAME).read_text())
    assert record == {"url": service.url, "pid": service.pid}
    assert running_service(service.folder / "store") == ServiceRecord(service.url, service.pid)


def test_a_write_beside_the_service_sees_the_services_writes(service, capsys):
    """The read-only view replays what the service wrote (unflushed) before the command opened it."""
    import httpx

    graph = "http://example.org/beside/g1"
    update = (
        f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/beside/a> "
        "<http://example.org/beside/p> <http://example.org/beside/b> } }"
    )
    answer = httpx.post(service.url + "/sparql", data={"update": update}, headers=service.auth, timeout=60)
    assert answer.status_code == 204, answer.text
    query = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    code, out, _ = run_cli(service.folder / "store", capsys, "query", query, "--format", "csv")
    assert code == 0 and "http://example.org/beside/b" in out
    assert httpx.request(
        "DELETE", service.url + "/store", params={"graph": graph}, headers=service.auth, timeout=60
    ).status_code in (200, 204)


def test_the_base_url_of_the_service_is_an_endpoint(service, reference, capsys):
    _, expected, _ = run_cli(reference, capsys, "who", "endorses", "us-28/6")
    code, out, err = _run(capsys, "--endpoint", service.url, "who", "endorses", "us-28/6")
    assert (code, out, err) == (0, expected, "")
    code, out, _ = _run(capsys, "--endpoint", service.url + "/sparql", "who", "endorses", "us-28/6")
    assert (code, out) == (0, expected)


@pytest.mark.parametrize("command", [("load", "statements.csv"), ("init", "--reset")], ids=["load", "init"])
def test_a_write_beside_the_service_says_what_to_do_in_one_line(service, capsys, tmp_path, command):
    (tmp_path / "statements.csv").write_text(
        "actor,target,stance,date,source\nPoland,us-28/9,endorses,2025-11-22,Polish government\n"
    )
    name, *rest = command
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in rest]
    code, out, err = run_cli(service.folder / "store", capsys, name, *args)
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"error: `{name}` writes to ")
    assert f"stancegraph service at {service.url} (process {service.pid})" in line
    assert f"stop the service (Ctrl-C where `stancegraph serve` runs, or kill {service.pid})" in line
    assert "write through the service with its token: stancegraph --token TOKEN" in line
    code, out, _ = run_cli(service.folder / "store", capsys, "who", "endorses", "us-28/9", "--format", "csv")
    assert code == 0 and "Poland" not in out


def test_a_write_with_the_token_goes_through_the_service(tmp_path, capsys):
    (tmp_path / "statements.csv").write_text(
        "actor,target,stance,date,source\nPoland,us-28/9,endorses,2025-11-22,Polish government\n"
    )
    (tmp_path / "held").mkdir()
    with serving(tmp_path / "held") as running:
        folder = running.folder / "store"
        code, _, err = run_cli(
            folder, capsys, "--token", running.token, "load", str(tmp_path / "statements.csv")
        )
        assert code == 0, err
        note, *said = err.splitlines()
        assert note == f"note: {folder} is held by the stancegraph service at {running.url} (process " + (
            f"{running.pid}); writing through it"
        )
        assert "1 stances" in "\n".join(said)
        code, out, _ = run_cli(folder, capsys, "who", "endorses", "us-28/9", "--format", "csv")
        assert code == 0 and "Poland" in out
        code, _, err = run_cli(folder, capsys, "--token", "wrong", "load", str(tmp_path / "statements.csv"))
        assert code == 2 and "Traceback" not in err
        assert "answered HTTP 403" in err.splitlines()[-1]
        # the service takes INSERT DATA only: a load of more than one request is refused before it is sent
        (tmp_path / "more.csv").write_text(
            "actor,target,stance,date,source\nHungary,us-28/9,endorses,2025-11-22,Hungarian government\n"
        )
        remote = ["--endpoint", running.url, "--chunk-size", "5", "--token", running.token]
        code, _, err = _run(capsys, *remote, "load", str(tmp_path / "more.csv"))
        assert code == 2 and "Traceback" not in err
        assert (
            f"the stancegraph service at {running.url}/sparql takes a load in one request of at most 5" in err
        )
        code, out, _ = run_cli(folder, capsys, "who", "endorses", "us-28/9", "--format", "csv")
        assert "Hungary" not in out
        code, out, _ = run_cli(folder, capsys, "sources", "--format", "csv")
        assert code == 0 and "staging" not in out


def test_a_second_serve_on_the_folder_says_which_service_holds_it(service, capsys):
    code, out, err = run_cli(service.folder / "store", capsys, "serve", "--port", "9")
    assert code == 2 and "Uvicorn running" not in out + err
    (line,) = err.splitlines()
    assert line == (
        f"error: {service.folder / 'store'} is held by the stancegraph service at {service.url} (process "
        f"{service.pid}); use that service, or stop it first (kill {service.pid})"
    )


def test_a_record_left_by_a_killed_service_is_ignored(tmp_path, reference, capsys):
    with serving(tmp_path) as running:
        folder = running.folder / "store"
        assert running_service(folder) == ServiceRecord(running.url, running.pid)
        os.kill(running.pid, signal.SIGKILL)  # no shutdown: the record stays, its process is gone
        while running_service(folder) is not None:
            pass
        assert (folder / RECORD_NAME).exists()
        _, expected, _ = run_cli(reference, capsys, "who", "endorses", "us-28/6")
        code, out, err = run_cli(folder, capsys, "who", "endorses", "us-28/6")
        assert (code, out, err) == (0, expected, "")
        code, _, err = run_cli(folder, capsys, "init")  # writes are not refused: nobody holds the folder
        assert code == 0 and "already holds" in err


def test_a_service_stopped_cleanly_removes_its_record(tmp_path):
    with serving(tmp_path) as running:
        assert (running.folder / "store" / RECORD_NAME).exists()
    assert not (tmp_path / "store" / RECORD_NAME).exists()


def test_a_folder_locked_by_another_process_with_a_stale_record_is_still_refused(tmp_path, capsys):
    folder = tmp_path / "store"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    with folder_held_by_another_process(folder) as holder:
        record_service(folder, "http://127.0.0.1:9", pid=int(dead.stdout))
        code, _, err = run_cli(folder, capsys, "who", "endorses", "us-28/6")
    assert code == 2 and f"locked by process {holder.pid}" in err and "read-only" not in err

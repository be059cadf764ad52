"""Crashes and concurrency: ``kill -9`` during ``stancegraph load`` and during a service write leaves
the old store or the whole write, never part of it, and the store opens afterwards; a killed load's
work folder is gone after the next load; concurrent writers to the service lose and double nothing.

The kills land at moments chosen from what the process is doing (its work folder appears, its
converted files are complete) and at seeded random delays; no test asserts how long anything takes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from stancegraph.graph.ingestion.synth import write_statements_csv
from stancegraph.graph.store import open_store

from .conftest import TOKEN, free_port

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

ROWS = 5000  # about 45,000 quads: a load of a few seconds, so a kill can land in each of its stages
EX = "http://example.org/crash-safety/"
_POLL = 0.005
_READY_TRIES = 1200  # polls 50 ms apart while a service starts


def _kill(process: subprocess.Popen) -> None:
    """``kill -9`` the process, then whatever it started (its session: the validation worker)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _quads(folder: Path) -> int:
    with open_store(folder) as store:
        return store.counts().quads


def _work_folders(folder: Path) -> list[Path]:
    return sorted(folder.glob(".stancegraph-ingest-*"))


# -- (a) kill -9 during `stancegraph load` ----------------------------------------------------------------
def _start_load(store: Path, corpus: Path, temp: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "stancegraph.api",
        "--store",
        str(store),
        "load",
        str(corpus),
        "--no-progress",
    ]
    env = dict(os.environ, TMPDIR=str(temp))
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


@pytest.fixture(scope="module")
def loads(tmp_path_factory) -> dict[str, object]:
    """An old store (a small load), a corpus, and the quad counts before and after the whole load."""
    base = tmp_path_factory.mktemp("crash-load")
    old, corpus = base / "old", base / "corpus.csv"
    _old_rows(base / "old.csv")
    write_statements_csv(corpus, ROWS, seed=1)
    from stancegraph.api.cli.commands import main

    assert main(["--store", str(old), "load", str(base / "old.csv"), "--no-progress"]) == 0
    whole = base / "whole"
    shutil.copytree(old, whole)
    temp = base / "tmp-whole"
    temp.mkdir()
    started = time.monotonic()
    process = _start_load(whole, corpus, temp)
    assert process.wait() == 0
    seconds = time.monotonic() - started  # only to spread the random kills over the load, never asserted
    return {
        "base": base,
        "old": old,
        "corpus": corpus,
        "before": _quads(old),
        "after": _quads(whole),
        "seconds": seconds,
    }


def _old_rows(path: Path) -> None:
    """200 synthetic rows whose ids (``old-s0000001``...) differ from those of the corpus."""
    text = io.StringIO()
    write_statements_csv(text, 200, seed=2)
    rows = list(csv.DictReader(io.StringIO(text.getvalue())))
    for row in rows:
        row.update({k: "old-" + row[k] for k in ("id", "contradicts") if row[k]})
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _when_converting(store: Path) -> bool:
    return any(f.stat().st_size > 0 for w in _work_folders(store) for f in w.glob("*.nq"))


def _when_converted(store: Path) -> bool:  # the tables are done: the reference data is checked, then written
    return any((w / "reference.nq").exists() for w in _work_folders(store))


@pytest.mark.parametrize("moment", ["converting", "converted", "random-1", "random-2"])
def test_kill_9_during_load_leaves_the_old_store_or_the_whole_load(loads, moment):
    base: Path = loads["base"]  # type: ignore[assignment]
    store, temp = base / f"store-{moment}", base / f"tmp-{moment}"
    shutil.copytree(loads["old"], store)  # type: ignore[arg-type]
    temp.mkdir()
    delay = random.Random(moment).uniform(0.2, 1.0) * loads["seconds"]  # type: ignore[operator]
    ready: Callable[[], bool] = {
        "converting": lambda: _when_converting(store),
        "converted": lambda: _when_converted(store),
    }.get(moment, lambda: time.monotonic() - started >= delay)
    started = time.monotonic()
    process = _start_load(store, loads["corpus"], temp)  # type: ignore[arg-type]
    while process.poll() is None and not ready():
        time.sleep(_POLL)
    _kill(process)
    assert _quads(store) in (loads["before"], loads["after"])  # the store opens: old or whole, no part
    # the next load removes what the killed one left in the store folder; the system temp stays empty
    with open_store(store) as opened:
        from stancegraph.graph.ingestion import ingest

        ingest(opened, base / "old.csv")
    assert _work_folders(store) == [] and list(temp.iterdir()) == []
    assert _quads(store) in (loads["before"], loads["after"])  # the old rows again: nothing new


# -- (b) kill -9 of the service during an authorised write ------------------------------------------------
@contextlib.contextmanager
def _service(folder: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``stancegraph serve`` over FOLDER/store (one query worker, no bundled data), in its own session."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "stancegraph.api",
        "--store",
        str(folder / "store"),
        "serve",
        "--port",
        str(port),
        "--token",
        TOKEN,
        "--workers",
        "1",
        "--no-load-bundled",
    ]
    with (folder / "service.log").open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(_READY_TRIES):
            if process.poll() is not None:
                pytest.fail(f"the service exited early:\n{(folder / 'service.log').read_text()[-3000:]}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            time.sleep(0.05)
        else:
            pytest.fail(f"the service did not answer:\n{(folder / 'service.log').read_text()[-3000:]}")
        yield url, process
    finally:
        _kill(process)


TRIPLES = 20_000


def _graph_body(graph: str) -> bytes:
    return "".join(f'<{graph}/s{i}> <{EX}p> "value {i}" .\n' for i in range(TRIPLES)).encode()


def _put(url: str, graph: str) -> httpx.Response:
    return httpx.put(
        f"{url}/store",
        params={"graph": graph},
        content=_graph_body(graph),
        timeout=300,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"},
    )


def _triples_in(folder: Path, graph: str) -> int:
    with open_store(folder / "store") as store:
        (row,) = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
        return int(row[0].value)


def test_kill_9_of_the_service_during_a_write_leaves_all_of_it_or_none(tmp_path):
    chooser = random.Random(9)
    seconds = None
    for attempt in (1, 2):
        graph = f"{EX}g{attempt}"
        with _service(tmp_path) as (url, process):
            if seconds is None:  # a whole write first: what a kill must keep, and how long a write takes
                started = time.monotonic()
                assert _put(url, EX + "g0").status_code == 201
                seconds = time.monotonic() - started  # only to spread the kills, never asserted
            else:  # the service starts again on the store a kill left, and serves what it holds
                answer = httpx.get(
                    url + "/sparql",
                    headers={"Accept": "application/sparql-results+json"},
                    params={"query": f"ASK {{ GRAPH <{EX}g0> {{ ?s ?p ?o }} }}"},
                )
                assert answer.json()["boolean"] is True
            answers: list[object] = []
            writer = threading.Thread(target=_catch, args=(answers, url, graph))
            writer.start()
            time.sleep(chooser.uniform(0.1, 0.9) * seconds)
            _kill(process)
            writer.join()
        assert _triples_in(tmp_path, EX + "g0") == TRIPLES  # an earlier write survives the crash
        assert _triples_in(tmp_path, graph) in (0, TRIPLES)


def _catch(answers: list[object], url: str, graph: str) -> None:
    try:
        answers.append(_put(url, graph))
    except httpx.HTTPError as error:  # the server died under the request
        answers.append(error)


# -- (c) concurrent writers --------------------------------------------------------------------------------
WRITERS, WRITES, ITEMS = 5, 4, 25


def _write(client: httpx.Client, writer: int, write: int) -> httpx.Response:
    """One write of ITEMS blank nodes (a write applied twice would add them twice): an update or a POST."""
    graph = f"{EX}writer-{writer}"
    items = " ".join(f'<{graph}> <{EX}has> [ <{EX}n> "w{writer}-{write}-{i}" ] .' for i in range(ITEMS))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    if write % 2:
        return client.post(
            "/store", params={"graph": graph}, content=items, headers={**auth, "Content-Type": "text/turtle"}
        )
    return client.post(
        "/sparql", data={"update": f"INSERT DATA {{ GRAPH <{graph}> {{ {items} }} }}"}, headers=auth
    )


def test_five_concurrent_writers_lose_nothing_and_double_nothing(service):
    start = threading.Barrier(WRITERS)
    statuses: list[int] = []

    def run(writer: int) -> None:
        with httpx.Client(base_url=service.url, timeout=120) as client:
            start.wait()
            for write in range(WRITES):
                statuses.append(_write(client, writer, write).status_code)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    count = (
        f"SELECT ?g (COUNT(?v) AS ?n) (COUNT(DISTINCT ?v) AS ?distinct) WHERE {{ GRAPH ?g {{ "
        f"?b <{EX}n> ?v }} FILTER(STRSTARTS(STR(?g), '{EX}writer-')) }} GROUP BY ?g"
    )
    with httpx.Client(base_url=service.url, timeout=60) as client:
        try:
            assert len(statuses) == WRITERS * WRITES and all(s in (201, 204) for s in statuses)
            rows = client.get(
                "/sparql", params={"query": count}, headers={"Accept": "application/sparql-results+json"}
            ).json()
            found = {
                b["g"]["value"]: (int(b["n"]["value"]), int(b["distinct"]["value"]))
                for b in rows["results"]["bindings"]
            }
            assert found == {f"{EX}writer-{w}": (WRITES * ITEMS, WRITES * ITEMS) for w in range(WRITERS)}
        finally:
            for writer in range(WRITERS):
                client.delete(
                    "/store",
                    params={"graph": f"{EX}writer-{writer}"},
                    headers={"Authorization": f"Bearer {TOKEN}"},
                )

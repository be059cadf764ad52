"""Crashes and concurrency of the service: ``kill -9`` of the service (a real process) during a write leaves
the old store or the whole write, never part of it, and the store opens afterwards; concurrent writers to
the service (in-process) lose and double nothing (``kill -9`` during ``stancegraph load``:
tests/api/cli/test_crash_safety.py).

The kills land at seeded random delays; no test asserts how long anything takes.
"""

from __future__ import annotations

import contextlib
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from stancegraph.graph.store import open_store

from ..conftest import kill_9
from .conftest import TOKEN, free_port

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

EX = "http://example.org/crash-safety/"
_READY_TRIES = 1200  # polls 50 ms apart while a service starts


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
        kill_9(process)


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
            kill_9(process)
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


def test_five_concurrent_writers_lose_nothing_and_double_nothing(client):
    # five threads share the in-process service's client: their requests are served side by side
    start = threading.Barrier(WRITERS)
    statuses: list[int] = []

    def run(writer: int) -> None:
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

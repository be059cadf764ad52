"""How fast does the service answer? Our endpoint against raw pyoxigraph (the floor) and rdflib-endpoint
(the peer), on the same synthetic corpus and the same four queries.

For each size (``--sizes``, default 100k and 1M statements) the corpus comes from
:func:`~stancegraph.graph.ingestion.write_statements_csv` (seed 1, with ``--contradicts`` of the statements
denying an earlier one), is ingested with the bundled data into an on-disk store, and then:

- floor: the queries run in this process on pyoxigraph, opened read-only on that folder;
- ours: ``stancegraph serve`` on a loopback port, queried over HTTP (JSON results, parsed);
- peer: ``rdflib_endpoint.SparqlEndpoint`` over an rdflib ``Dataset`` holding the same quads (exported
  from the store), under uvicorn, ``--peer-runs`` runs per query after no warm-up. A peer query still
  running after ``--peer-timeout`` seconds is abandoned (the peer is restarted) and reported as a lower
  bound (``>``), as is its ratio.

The queries: who-endorses (distinct actors endorsing one target: a 4-pattern join on a bound target),
stances-per-target (an aggregate over one pattern), per-target-and-type (stances counted per target and
stance type: an aggregate over a 3-pattern join of every stance), contested (stances that dispute
another, with actor and target; the corpus has ``--contradicts`` of them).

Then 20 concurrent clients send who-endorses, stances-per-target and contested in turn to our endpoint for
``--seconds`` (30) s; the table gives p50/p99 and the error count. per-target-and-type is left out of that
mix: at 1M it takes ~50 s in pyoxigraph itself, so 20 clients would only measure the queue behind it.

The HTTP overhead is the median of an empty query (``SELECT * {}``) against our endpoint. This prints
tables; it is not a timed test. Run: ``.venv/bin/python benchmarks/service_latency.py`` (``--sizes 20000``
for a quick version).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

SG = "https://w3id.org/stancegraph/ontology#"
ID = "https://w3id.org/stancegraph/id/"
QUERIES = {
    "who-endorses": f"""SELECT DISTINCT ?actor WHERE {{ GRAPH ?g {{ ?s a <{SG}Stance> ;
        <{SG}target> <{ID}issue/target-0007> ; <{SG}stanceType> <{SG}Endorses> ; <{SG}actor> ?actor }} }}""",
    "stances-per-target": f"""SELECT ?t (COUNT(?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{SG}target> ?t }} }}
        GROUP BY ?t""",
    "per-target-and-type": f"""SELECT ?t ?type (COUNT(?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{SG}Stance> ;
        <{SG}target> ?t ; <{SG}stanceType> ?type }} }} GROUP BY ?t ?type""",
    "contested": f"""SELECT ?s ?actor ?t ?other WHERE {{ GRAPH ?g {{ ?s <{SG}contradicts> ?other ;
        <{SG}actor> ?actor ; <{SG}target> ?t }} }} LIMIT 1000""",
}
#: The queries the 20 concurrent clients send in turn (see the module docstring for why not all).
LOAD_QUERIES = ("who-endorses", "stances-per-target", "contested")


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, tries: int = 6000) -> None:
    for _ in range(tries):
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def _times(run, repeats: int, *, warm_up: bool = True, budget: float = 120.0) -> list[float]:
    """``repeats`` timings of ``run()``, or fewer (at least 3) once they add up to ``budget`` seconds."""
    if warm_up:
        run()
    found: list[float] = []
    while len(found) < repeats and (len(found) < 3 or sum(found) < budget):
        start = time.perf_counter()
        run()
        found.append(time.perf_counter() - start)
    return found


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _http(url: str, query: str, client: httpx.Client) -> int:
    response = client.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return len(response.json()["results"]["bindings"])


def build(folder: Path, n: int, contradicts: float) -> Path:
    from stancegraph.graph import ingest, load_bundled, open_store
    from stancegraph.graph.ingestion.synth import write_statements_csv

    store_path = folder / f"store-{n}-contradicts-{contradicts:g}"
    if (store_path / "ingested").exists():  # kept from an earlier run with --work
        print(f"  reusing {store_path}", flush=True)
        return store_path
    csv_path = folder / f"statements-{n}.csv"
    actors, targets = max(50, n // 500), max(20, n // 2000)
    write_statements_csv(csv_path, n, actors=actors, targets=targets, seed=1, contradicts_share=contradicts)
    start = time.perf_counter()
    with open_store(store_path) as store:
        load_bundled(store)
        ingest(store, csv_path)
    (store_path / "ingested").touch()
    print(f"  ingested {n:,} statements in {time.perf_counter() - start:.0f} s", flush=True)
    return store_path


def floor(store_path: Path, repeats: int, budget: float) -> dict[str, list[float]]:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_path))
    out = {}
    for name, query in QUERIES.items():
        out[name] = _times(lambda q=query: list(store.query(q)), repeats, budget=budget)
    return out


def ours(
    store_path: Path, repeats: int, budget: float, seconds: float
) -> tuple[dict[str, list[float]], float, dict]:
    port = _port()
    exe = Path(sys.executable).with_name("stancegraph")
    process = subprocess.Popen(
        [
            str(exe),
            "--store",
            str(store_path),
            "serve",
            "--port",
            str(port),
            "--no-load-bundled",
            "--timeout",
            "600",
            "--max-rows",
            "10000000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        _wait(url, process)
        with httpx.Client(timeout=900) as client:
            out = {
                name: _times(lambda q=query: _http(url, q, client), repeats, budget=budget)
                for name, query in QUERIES.items()
            }
            overhead = _ms(_times(lambda: _http(url, "SELECT * {}", client), repeats))
        load = concurrent_load(url, seconds)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return out, overhead, load


def concurrent_load(url: str, seconds: float, clients: int = 20) -> dict:
    stop = time.monotonic() + seconds
    names = list(LOAD_QUERIES)

    def worker(index: int) -> tuple[list[float], int]:
        latencies, errors = [], 0
        with httpx.Client(timeout=120) as client:
            i = index
            while time.monotonic() < stop:
                start = time.perf_counter()
                try:
                    _http(url, QUERIES[names[i % len(names)]], client)
                    latencies.append(time.perf_counter() - start)
                except httpx.HTTPError:
                    errors += 1
                i += 1
        return latencies, errors

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(worker, range(clients)))
    latencies = [t for found, _ in results for t in found]
    return {
        "requests": len(latencies),
        "errors": sum(e for _, e in results),
        "p50": _p(latencies, 0.5) if latencies else float("nan"),
        "p99": _p(latencies, 0.99) if latencies else float("nan"),
    }


_PEER_APP = """
import sys, rdflib, uvicorn
from rdflib_endpoint import SparqlEndpoint
dataset = rdflib.Dataset(default_union=False)
dataset.parse(sys.argv[1], format="nquads")
app = SparqlEndpoint(graph=dataset, path="/sparql")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="error")
"""


class _Peer:
    """rdflib-endpoint in a child process over an N-Quads file; restarted after an abandoned query."""

    def __init__(self, dump: Path) -> None:
        self.dump = dump
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> float:
        start = time.perf_counter()
        port = _port()
        self.url = f"http://127.0.0.1:{port}/sparql"
        self.process = subprocess.Popen(
            [sys.executable, "-c", _PEER_APP, str(self.dump), str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self.url, self.process)
        return time.perf_counter() - start

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=60)
            self.process = None


def peer(
    store_path: Path, n: int, repeats: int, folder: Path, timeout: float, names: Sequence[str]
) -> dict[str, list[float] | float]:
    """rdflib-endpoint over all the quads of the store (the same data as floor and ours).

    A query's value is its timings, or (a float) the seconds after which it was abandoned.
    """
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_path))
    dump = folder / f"peer-{n}.nq"
    with dump.open("wb") as out:
        pyoxigraph.serialize(store, out, pyoxigraph.RdfFormat.N_QUADS)
    del store
    server = _Peer(dump)
    print(f"  peer loaded {n:,} statements in {server.start():.0f} s", flush=True)
    out: dict[str, list[float] | float] = {}
    try:
        for name in names:
            query = QUERIES[name]
            if server.process is None:
                print(f"  peer reloaded in {server.start():.0f} s", flush=True)
            with httpx.Client(timeout=timeout) as client:
                try:
                    run = lambda q=query, c=client: _http(server.url, q, c)  # noqa: E731
                    out[name] = _times(run, repeats, warm_up=False, budget=timeout)
                except httpx.TimeoutException:
                    out[name] = timeout
                    server.stop()  # the abandoned query would go on using the CPU
            found = out[name]
            took = f"> {found:.0f} s (abandoned)" if isinstance(found, float) else f"p50 {_ms(found):.1f} ms"
            print(f"  peer {name}: {took}", flush=True)
    finally:
        server.stop()
        dump.unlink()
    return out


def _ms(values: list[float], q: float = 0.5) -> float:
    return (statistics.median(values) if q == 0.5 else _p(values, q)) * 1e3


def report(n: int, base: dict, served: dict, overhead: float, theirs: dict | None, note: str) -> None:
    print(
        f"{'query':20} {'floor p50':>10} {'ours p50':>10} {'ours p99':>10} {'ours/floor':>10} "
        f"{'(o-h)/f':>8} {'peer p50':>11} {'peer/ours':>10}  ({note})"
    )
    for name in QUERIES:
        f50, o50, o99 = _ms(base[name]), _ms(served[name]), _ms(served[name], 0.99)
        row = f"{name:20} {f50:10.2f} {o50:10.2f} {o99:10.2f} {o50 / f50:10.1f} {(o50 - overhead) / f50:8.1f}"
        found = theirs.get(name) if theirs else None
        if found is None:
            row += f" {'-':>11} {'-':>10}"
        elif isinstance(found, float):
            row += f" {'>' + format(found * 1e3, '.0f'):>11} {'>' + format(found * 1e3 / o50, '.1f'):>10}"
        else:
            row += f" {_ms(found):11.1f} {_ms(found) / o50:10.1f}"
        runs = f"n={len(served[name])}/{len(base[name])}" + (
            f"/{len(found)}" if isinstance(found, list) else ""
        )
        print(f"{row}  {runs}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per query (fewer past --budget)")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds of timed runs per query")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the concurrent load")
    parser.add_argument("--contradicts", type=float, default=0.01, help="share of denials in the corpus")
    parser.add_argument("--peer-max", type=int, default=1_000_000, help="largest size the peer runs on")
    parser.add_argument("--peer-runs", type=int, default=3)
    parser.add_argument("--peer-timeout", type=float, default=1800.0, help="seconds per peer query")
    parser.add_argument(
        "--peer-queries", nargs="+", choices=list(QUERIES), default=list(QUERIES), help="what the peer runs"
    )
    parser.add_argument("--work", type=Path, help="folder for the corpora and stores (default: a temp dir)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; p50 and p99 in ms; n = timed runs ours/floor/peer")
    with contextlib.ExitStack() as cleanup:
        folder = args.work or Path(cleanup.enter_context(tempfile.TemporaryDirectory()))
        for n in args.sizes:
            print(f"\n== {n:,} statements", flush=True)
            store_path = build(folder, n, args.contradicts)
            base = floor(store_path, args.repeats, args.budget)
            served, overhead, load = ours(store_path, args.repeats, args.budget, args.seconds)
            print(
                f"  20 clients x {args.seconds:g} s on ours ({', '.join(LOAD_QUERIES)} in turn): "
                f"{load['requests']} requests, {load['errors']} errors, p50 {load['p50'] * 1e3:.1f} ms, "
                f"p99 {load['p99'] * 1e3:.1f} ms; HTTP overhead (empty query) {overhead:.2f} ms",
                flush=True,
            )
            report(n, base, served, overhead, None, "floor and ours; the peer follows")
            if n <= args.peer_max:
                theirs = peer(store_path, n, args.peer_runs, folder, args.peer_timeout, args.peer_queries)
                report(n, base, served, overhead, theirs, "peer on the same data")


if __name__ == "__main__":
    main()

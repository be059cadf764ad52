"""How fast does the service answer? Our endpoint against raw pyoxigraph (the floor) and rdflib-endpoint
(the peer), on the same synthetic corpus and the same three queries.

For each size (``--sizes``, default 20k, 100k and 1M statements) the corpus comes from
:func:`stancegraph.graph.synth.write_statements_csv`, is ingested into an on-disk store, and then:

- floor: the queries run in this process on pyoxigraph, opened read-only on that folder;
- ours: ``stancegraph serve`` on a loopback port, queried over HTTP (JSON results);
- peer: ``rdflib_endpoint.SparqlEndpoint`` over an rdflib ``Dataset`` holding the same quads, under
  uvicorn, with ``--peer-runs`` runs per query. rdflib loads slowly, so the peer runs only on sizes up to
  ``--peer-max`` (20k) and is skipped above; a peer/ours ratio is printed only where all three ran on
  the same data.

Then 20 concurrent clients send the three queries to our endpoint for ``--seconds`` (30) seconds; the
table gives p50/p99 and the error count. This prints a table; it is not a timed test.

The HTTP overhead is the median of an empty query (``SELECT * {}``) against our endpoint.

Run: ``.venv/bin/python benchmarks/service_latency.py`` (``--sizes 20000`` for the quick version).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SG = "https://w3id.org/stancegraph/ontology#"
ID = "https://w3id.org/stancegraph/id/"
QUERIES = {
    "who-endorses": f"""SELECT DISTINCT ?actor WHERE {{ GRAPH ?g {{ ?s a <{SG}Stance> ;
        <{SG}target> <{ID}issue/target-0007> ; <{SG}stanceType> <{SG}Endorses> ; <{SG}actor> ?actor }} }}""",
    "aggregate-per-target": f"""SELECT ?t ?type (COUNT(?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{SG}Stance> ;
        <{SG}target> ?t ; <{SG}stanceType> ?type }} }} GROUP BY ?t ?type""",
    "contested": f"""SELECT ?s ?other WHERE {{ GRAPH ?g {{ ?s <{SG}contradicts> ?other }} }} LIMIT 1000""",
}


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


def _times(run, repeats: int) -> list[float]:
    run()  # warm up
    found = []
    for _ in range(repeats):
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


def build(folder: Path, n: int) -> Path:
    from stancegraph.graph import ingest, load_bundled, open_store
    from stancegraph.graph.synth import write_statements_csv

    csv_path = folder / f"statements-{n}.csv"
    write_statements_csv(csv_path, n, actors=max(50, n // 500), targets=max(20, n // 2000), seed=1)
    store_path = folder / f"store-{n}"
    start = time.perf_counter()
    with open_store(store_path) as store:
        load_bundled(store)
        ingest(store, csv_path)
    print(f"  ingested {n:,} statements in {time.perf_counter() - start:.0f} s", flush=True)
    return store_path


def floor(store_path: Path, repeats: int) -> dict[str, list[float]]:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_path))
    out = {}
    for name, query in QUERIES.items():
        out[name] = _times(lambda q=query: list(store.query(q)), repeats)
    return out


def ours(store_path: Path, repeats: int, seconds: float) -> tuple[dict[str, list[float]], float, dict]:
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
            "60",
            "--max-rows",
            "10000000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        _wait(url, process)
        with httpx.Client(timeout=120) as client:
            out = {
                name: _times(lambda q=query: _http(url, q, client), repeats)
                for name, query in QUERIES.items()
            }
            overhead = statistics.median(_times(lambda: _http(url, "SELECT * {}", client), repeats))
        load = concurrent_load(url, seconds)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return out, overhead, load


def concurrent_load(url: str, seconds: float, clients: int = 20) -> dict:
    stop = time.monotonic() + seconds
    names = list(QUERIES)

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


def peer(store_path: Path, n: int, repeats: int, folder: Path) -> dict[str, list[float]]:
    """rdflib-endpoint over all the quads of the store (the same data as floor and ours)."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_path))
    dump = folder / f"peer-{n}.nq"
    with dump.open("wb") as out:
        pyoxigraph.serialize(store, out, pyoxigraph.RdfFormat.N_QUADS)
    del store
    start = time.perf_counter()
    port = _port()
    process = subprocess.Popen(
        [sys.executable, "-c", _PEER_APP, str(dump), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        _wait(url, process)
        print(f"  peer loaded {n:,} statements in {time.perf_counter() - start:.0f} s", flush=True)
        with httpx.Client(timeout=3600) as client:
            out = {
                name: _times(lambda q=query: _http(url, q, client), repeats)
                for name, query in QUERIES.items()
            }
    finally:
        process.terminate()
        process.wait(timeout=60)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--peer-max", type=int, default=20_000)
    parser.add_argument("--peer-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; medians and p99 in ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.sizes:
            print(f"\n== {n:,} statements", flush=True)
            store_path = build(folder, n)
            base = floor(store_path, args.repeats)
            served, overhead, load = ours(store_path, args.repeats, args.seconds)
            print(
                f"  20 clients x {args.seconds:g} s on ours: {load['requests']} requests, {load['errors']} "
                f"errors, p50 {load['p50'] * 1e3:.1f} ms, p99 {load['p99'] * 1e3:.1f} ms; "
                f"HTTP overhead (empty query) {overhead * 1e3:.2f} ms",
                flush=True,
            )
            theirs = peer(store_path, n, args.peer_runs, folder) if n <= args.peer_max else None
            note = (
                f"peer on the same {n:,} statements, n={args.peer_runs}"
                if theirs
                else f"peer not run above {args.peer_max:,}: no ratio"
            )
            print(
                f"{'query':22} {'floor p50':>10} {'ours p50':>10} {'ours p99':>10} {'ours/floor':>10} "
                f"{'(o-h)/f':>8} {'peer p50':>10} {'peer/ours':>10}  (n={args.repeats}; {note})"
            )
            for name in QUERIES:
                f50, o50 = statistics.median(base[name]) * 1e3, statistics.median(served[name]) * 1e3
                o99 = _p(served[name], 0.99) * 1e3
                ratios = f"{o50 / f50:10.1f} {(o50 - overhead * 1e3) / f50:8.1f}"
                if theirs:
                    p50 = statistics.median(theirs[name]) * 1e3
                    ratios += f" {p50:10.1f} {p50 / o50:10.1f}"
                else:
                    ratios += f" {'-':>10} {'-':>10}"
                print(f"{name:22} {f50:10.2f} {o50:10.2f} {o99:10.2f} {ratios}", flush=True)


if __name__ == "__main__":
    main()

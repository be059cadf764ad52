"""Benchmark: a million-row statements table through the validated ingest, against pyoxigraph's floor.

Run ``python benchmarks/ingest_million.py`` (``--rows 100000`` for a quick run). It

1. writes a seeded statements CSV (about 10,000 actors, 2,000 targets, 5,000 documents from 60
   publishers, dates over 2025, a quote on a fifth of the rows, a person on a tenth, a confidence on
   a third);
2. (a) runs :func:`stancegraph.graph.ingest` into a fresh on-disk store in a child process: parsing,
   name resolution, SHACL validation and the write, end to end;
3. exports what that store holds as N-Quads (not timed);
4. (b) times pyoxigraph's own ``Store(path).bulk_load`` of that N-Quads file in another child process:
   the floor for writing the same quads without any conversion or validation;
5. prints a table of wall time and peak resident memory (each child's own ``ru_maxrss``) and the
   ratio (a) / (b); for (a) also the peak of the worker process that validates chunks beside it, and
   the peak of the two together (their resident memory summed, sampled every 0.1 s).

Targets on the 2-core development machine: at 1M rows (a) under 3 minutes and under 2 GiB; at 10M rows
(``--rows 10000000 --no-floor``: the floor would need another 40 GB of disk) under 4 GiB, the time
reported.
"""

from __future__ import annotations

__all__ = ["write_table", "main"]

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PUBLISHERS = 60
STANCES = ("endorses", "rejects", "concedes", "demands")
WORDS = (
    "ceasefire territory guarantees sanctions security army elections assets recognition treaty "
    "nuclear plant grain corridor exchange prisoners amnesty referendum monitoring withdrawal"
).split()

_INGEST_CHILD = """
import json, resource, sys, time
from stancegraph.graph import ingest, open_store
started = time.perf_counter()
with open_store(sys.argv[2]) as store:
    report = ingest(store, sys.argv[1])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the validation worker
print(json.dumps({"seconds": seconds, "peak": peak, "worker": worker, "quads": report.quads,
                  "stances": report.stances, "actors": report.actors_created,
                  "targets": report.targets_created, "table": report.stance_table}))
"""

_EXPORT_CHILD = """
import sys
import pyoxigraph
pyoxigraph.Store(sys.argv[1]).dump(sys.argv[2], pyoxigraph.RdfFormat.N_QUADS)
"""

_FLOOR_CHILD = """
import json, resource, sys, time
import pyoxigraph
started = time.perf_counter()
store = pyoxigraph.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_QUADS)
store.flush()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "quads": len(store)}))
"""


def write_table(path: Path, rows: int, *, seed: int = 7) -> None:
    """Write a seeded statements table of ``rows`` rows to ``path``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     table = Path(folder) / "t.csv"
    ...     write_table(table, 3)
    ...     table.read_text().splitlines()[0]
    'actor,target,stance,date,document,source,quote,person,confidence'
    """
    rng = random.Random(seed)
    actors = [f"Actor {i:05d}" for i in range(10_000)]
    people = [f"Person {i:04d}" for i in range(1_000)]
    targets = [f"Issue {i:04d}" for i in range(2_000)]
    documents = [f"Report {i:04d}" for i in range(5_000)]
    publishers = [f"Publisher {i:02d}" for i in range(PUBLISHERS)]
    first_day = dt.date(2025, 1, 1)
    days = [(first_day + dt.timedelta(days=n)).isoformat() for n in range(365)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["actor", "target", "stance", "date", "document", "source", "quote", "person", "confidence"]
        )
        for _ in range(rows):
            document = rng.randrange(len(documents))
            quote = " ".join(rng.choices(WORDS, k=rng.randint(4, 12))) if rng.random() < 0.2 else ""
            person = rng.choice(people) if rng.random() < 0.1 else ""
            confidence = f"{rng.randint(0, 10) / 10:.1f}" if rng.random() < 0.33 else ""
            out.writerow(
                [
                    rng.choice(actors),
                    rng.choice(targets),
                    rng.choice(STANCES),
                    rng.choice(days),
                    documents[document],
                    publishers[document % PUBLISHERS],
                    quote,
                    person,
                    confidence,
                ]
            )


def _child(code: str, *args: str) -> tuple[dict, float, int]:
    """Run ``code`` in a fresh interpreter: its JSON answer, wall time and sampled peak RSS of its tree."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=err)
        tree_peak = 0
        while process.poll() is None:
            tree_peak = max(tree_peak, _tree_rss(process.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"child process failed:\n{err.read().decode(errors='replace')[-5000:]}")
        lines = out.read().decode().strip().splitlines()
    return (json.loads(lines[-1]) if lines else {}), wall, tree_peak


def _tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    parents: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            parents[int(status.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _row(name: str, seconds: float, wall: float, memory: str) -> None:
    print(f"{name:44} {seconds:9.2f} {wall:10.2f} {memory:>10}")


def _mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the generated table")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: a temporary folder)")
    parser.add_argument(
        "--no-floor", action="store_true", help="skip (b): no export, no second store (for 10M rows)"
    )
    args = parser.parse_args(argv)
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="stancegraph-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        table = folder / "statements.csv"
        started = time.perf_counter()
        write_table(table, args.rows, seed=args.seed)
        size = table.stat().st_size / 2**20
        print(f"wrote {args.rows:,} rows ({size:,.0f} MiB) in {time.perf_counter() - started:.1f} s")
        for name in ("ingested", "floor"):
            shutil.rmtree(folder / name, ignore_errors=True)
        ours, ours_wall, ours_tree = _child(_INGEST_CHILD, str(table), str(folder / "ingested"))
        print(
            f"(a) ingest: {ours['quads']:,} quads, {ours['stances']:,} stances, "
            f"{ours['actors']:,} actors and {ours['targets']:,} targets created; the stance table "
            + ("rebuilt by the load" if ours["table"] else "left to the first analysis (too big now)")
        )
        print()
        print(f"{'':44} {'seconds':>9} {'process s':>10} {'peak RSS':>10}")
        _row("(a) stancegraph ingest (CSV, validated)", ours["seconds"], ours_wall, _mib(ours["peak"]))
        print(
            f"    (a)'s validation worker: peak {_mib(ours['worker'])}; (a) with its worker, sampled "
            f"every 0.1 s: peak {_mib(ours_tree)}"
        )
        peak = max(ours["peak"], ours_tree)
        if not args.no_floor:
            quads = folder / "ingested.nq"
            _child(_EXPORT_CHILD, str(folder / "ingested"), str(quads))  # not timed
            floor, floor_wall, _ = _child(_FLOOR_CHILD, str(quads), str(folder / "floor"))
            _row("(b) pyoxigraph bulk_load of the N-Quads", floor["seconds"], floor_wall, _mib(floor["peak"]))
            ratio = f"{ours['peak'] / floor['peak']:.2f}"
            _row("ratio (a) / (b)", ours["seconds"] / floor["seconds"], ours_wall / floor_wall, ratio)
        if args.rows >= 10_000_000:
            print(f"\ntarget peak < 4 GiB at 10M rows: {'met' if peak < 4 * 2**30 else 'NOT met'}")
        else:
            within = ours["seconds"] < 180 and peak < 2 * 2**30
            print(f"\ntarget (a) < 180 s and < 2 GiB: {'met' if within else 'NOT met'}")
    finally:
        if args.workdir is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

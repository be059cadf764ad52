"""The columnar stance table against the SPARQL path, on a synthetic store (issue 13, items 1-2).

Usage::

    .venv/bin/python benchmarks/stance_table_speed.py --store /tmp/s100k --csv /tmp/c100k.csv

``--store`` is a folder loaded with ``stancegraph --store FOLDER load CSV`` (of ``stancegraph synth``);
it is copied first, so the original keeps no cache. Each step runs ``--repeat`` times and the best time
is printed (the machine is shared: the best run is the least disturbed). In this process:

* pyoxigraph's own scan of the stance triples (``quads_for_pattern`` over the eight stance predicates);
* the stance table built afresh (:func:`build_stance_table`), and read back from its Parquet file;
* ``statements_from_store`` from a cached table, and the former path (``statements_by_sparql``);

and then, each in a fresh ``stancegraph`` process (``--before``: also the same commands with the
``stancegraph`` of the code before the table, e.g. a virtual environment of the main branch): ``network
--type onemode --aggregation congruence`` from the store with the table built, from the store with the
cached table, from the CSV (``--statements``), and ``render --view agreement`` from the store.
Target (issue 13): the table within 2x of pyoxigraph's scan of the triples.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = str(Path(sys.executable).with_name("stancegraph"))
SG = "https://w3id.org/stancegraph/ontology#"


def best(repeat: int, step) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-render", action="store_true")
    parser.add_argument("--before", help="a stancegraph executable of the code before the table, timed too")
    args = parser.parse_args()

    import pyoxigraph

    from stancegraph.graph.analysis.selection import statements_from_store
    from stancegraph.graph.analysis.sparql_selection import statements_by_sparql
    from stancegraph.graph.queries.stance_table import TABLE_FILE, build_stance_table, stance_table
    from stancegraph.graph.store import open_store

    work = Path(tempfile.mkdtemp(prefix="stance-table-bench-"))
    folder = work / "store"
    shutil.copytree(args.store, folder)
    (folder / TABLE_FILE).unlink(missing_ok=True)
    rows = []
    with open_store(folder) as store:
        raw = pyoxigraph.Store.read_only(str(folder))
        predicates = [
            "actor",
            "target",
            "stanceType",
            "statedOn",
            "confidence",
            "agreement",
            "person",
            "codedBy",
        ]

        def scan() -> None:
            for local in predicates:
                for _ in raw.quads_for_pattern(None, pyoxigraph.NamedNode(SG + local), None, None):
                    pass

        rows.append(("pyoxigraph scan of the stance triples (quads_for_pattern)", best(args.repeat, scan)))
        rows.append(
            ("stance table built (build_stance_table)", best(args.repeat, lambda: build_stance_table(store)))
        )
        stance_table(store)  # writes the Parquet file
        import polars as pl

        rows.append(
            (
                "stance table read from Parquet",
                best(args.repeat, lambda: pl.read_parquet(folder / TABLE_FILE)),
            )
        )
        rows.append(
            ("statements_from_store, cached table", best(args.repeat, lambda: statements_from_store(store)))
        )
        rows.append(
            ("statements_by_sparql (the former path)", best(args.repeat, lambda: statements_by_sparql(store)))
        )

    network = ["network", "--type", "onemode", "--aggregation", "congruence", "-o", str(work / "net.csv")]

    def cli(*words: str, fresh: bool = False, executable: str = CLI) -> None:
        if fresh:
            (folder / TABLE_FILE).unlink(missing_ok=True)
        subprocess.run([executable, *words], check=True, capture_output=True)

    page = ["render", "--view", "agreement", "-o", str(work / "agreement.html")]
    if args.before:
        before = args.before
        rows.append(
            (
                "before: CLI network from the store",
                best(args.repeat, lambda: cli("--store", str(folder), *network, executable=before)),
            )
        )
        rows.append(
            (
                "before: CLI network --statements CSV",
                best(args.repeat, lambda: cli(*network, "--statements", str(args.csv), executable=before)),
            )
        )
        if not args.skip_render:
            rows.append(
                (
                    "before: CLI render --view agreement",
                    best(args.repeat, lambda: cli("--store", str(folder), *page, executable=before)),
                )
            )

    rows.append(
        (
            "CLI network from the store, table built",
            best(args.repeat, lambda: cli("--store", str(folder), *network, fresh=True)),
        )
    )
    rows.append(
        (
            "CLI network from the store, table cached",
            best(args.repeat, lambda: cli("--store", str(folder), *network)),
        )
    )
    rows.append(
        (
            "CLI network --statements CSV",
            best(args.repeat, lambda: cli(*network, "--statements", str(args.csv))),
        )
    )
    if not args.skip_render:
        rows.append(
            (
                "CLI render --view agreement, table built",
                best(args.repeat, lambda: cli("--store", str(folder), *page, fresh=True)),
            )
        )
        rows.append(
            (
                "CLI render --view agreement, table cached",
                best(args.repeat, lambda: cli("--store", str(folder), *page)),
            )
        )
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:8.2f} s")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()

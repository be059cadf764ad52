"""Analysis from the store, end to end, against the same work on the table in memory and the floor on the CSV.

Usage::

    .venv/bin/pip install -e '.[bench]'        # DuckDB, for the floor
    .venv/bin/python benchmarks/store_analysis_speed.py --rows 100000 1000000 --workdir /tmp/sab

For each size it writes a ``stancegraph synth`` corpus (seed 1: two camps by actor parity) and loads it
into an on-disk store with the CLI (both kept in ``--workdir`` and reused when there), then runs, side by
side in one child process per size (best of ``--repeat``; the machine is shared, the best run is the least
disturbed):

* pyoxigraph's own scan of the stance triples (``quads_for_pattern`` over the stance predicates the table
  reads) and the stance table built afresh from them (:func:`build_stance_table`), on lines of their own;
* each analysis from the store, opened afresh with the table's Parquet file present (what a user's second
  command pays: open, read the table, select, compute), against the same computation on the statements
  table already in memory: one-mode congruence and conflict, the two-mode network, polarisation, and the
  count of stances per target and stance type (:func:`stance_frequencies`, on the table's columns);
* the floor on the same CSV: polars and DuckDB reading the file and computing the same count and the same
  one-mode congruence weights (checked equal to ours: their total weight and edge count);
* the former extraction path (``statements_by_sparql`` and the network on it), unless ``--no-sparql``;

then, each a fresh ``stancegraph`` process: ``network --type onemode --aggregation congruence`` from the
store (table cached) against the same command on the CSV (``--statements``).

Targets (issue 13): from a 1M-statement store with the table present, every network and aggregate under
1 s and within 1.5x of the same on the table in memory; aggregates within 3x of DuckDB/polars; the table
built within 2x of pyoxigraph's scan; the CLI's ``network`` on the store within 1.5x of the CSV's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = str(Path(sys.executable).with_name("stancegraph"))

_CHILD = r"""
import json, sys, time
from pathlib import Path

folder, csv_path, repeat, sparql = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
rows = []


def best(step):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = step()
        times.append(time.perf_counter() - started)
    return min(times), value


def note(name, seconds, group):
    rows.append({"name": name, "seconds": seconds, "group": group})


import duckdb
import polars as pl
import pyoxigraph

from stancegraph.graph.analysis import one_mode, polarisation, stance_frequencies, two_mode
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.analysis.sparql_selection import statements_by_sparql
from stancegraph.graph.queries.stance_table import TABLE_FILE, build_stance_table, stance_table
from stancegraph.graph.store import open_store

SG = "https://w3id.org/stancegraph/ontology#"
PREDICATES = ["actor", "target", "stanceType", "statedOn", "confidence", "agreement", "person", "codedBy",
              "contradicts", "wasDerivedFrom"]

raw = pyoxigraph.Store.read_only(str(folder))


def scan():
    for local in PREDICATES:
        namespace = "http://www.w3.org/ns/prov#" if local == "wasDerivedFrom" else SG
        for _ in raw.quads_for_pattern(None, pyoxigraph.NamedNode(namespace + local), None, None):
            pass


note("pyoxigraph scan of the stance triples", best(scan)[0], "build")
with open_store(folder) as store:
    note("stance table built (build_stance_table)", best(lambda: build_stance_table(store))[0], "build")
    stance_table(store)  # the Parquet file, as the first analysis after a load leaves it
del raw


ANALYSES = {
    "one-mode congruence": lambda st: one_mode(st, aggregation="congruence"),
    "one-mode conflict": lambda st: one_mode(st, aggregation="conflict"),
    "two-mode": lambda st: two_mode(st),
    "polarisation": lambda st: polarisation(st),
}
PER_TYPE = "stances per target and type"


def from_store(analysis):
    with open_store(folder) as store:  # afresh: the table is read from its Parquet file
        return analysis(statements_from_store(store))


results = {}
for name, analysis in ANALYSES.items():
    note(f"{name}: from the store", best(lambda: from_store(analysis))[0], name)
with open_store(folder) as held:
    in_memory = statements_from_store(held)  # the table is now in memory, with the store held open
    for name, analysis in ANALYSES.items():
        note(f"{name}: on the table in memory", best(lambda: analysis(statements_from_store(held)))[0], name)
        seconds, results[name] = best(lambda: analysis(in_memory))
        note(f"{name}: on the statements in memory", seconds, name)
    # an aggregate is not made of statements: stance_frequencies counts on the table's columns
    note(f"{PER_TYPE}: on the table in memory", best(lambda: stance_frequencies(held))[0], PER_TYPE)


def per_type_from_store():
    with open_store(folder) as store:  # afresh: the table is read from its Parquet file
        return stance_frequencies(store, by="target,stance")


seconds, per_type = best(per_type_from_store)
note(f"{PER_TYPE}: from the store", seconds, PER_TYPE)

congruence = results["one-mode congruence"]
ours_total = float(congruence.matrix.sum()) / 2
ours_edges = int((congruence.matrix != 0).sum()) // 2

# the rows a later (or same-day) row of the same actor contradicts are denied: no position, as in ours
KEPT_SQL = (
    "WITH s AS (SELECT * FROM read_csv('{0}', all_varchar=true)), "
    "denied AS (SELECT c.id FROM s c JOIN s d ON d.contradicts = c.id AND d.actor = c.actor "
    "AND d.date >= c.date), kept AS (SELECT * FROM s WHERE id NOT IN (SELECT id FROM denied)) "
)
# DNA's boolean qualifier, as ours reads stance names: rejects disagrees, neutral is no level, the rest agree
NETWORK_SQL = KEPT_SQL + (
    ", c AS (SELECT actor, target, CASE stance WHEN 'rejects' THEN 0 WHEN 'neutral' THEN NULL ELSE 1 END "
    "AS level, count(*) AS n FROM kept GROUP BY ALL) "
    "SELECT a.actor, b.actor, sum(a.n * b.n) AS w FROM c a JOIN c b "
    "ON a.target = b.target AND a.level = b.level AND a.actor < b.actor GROUP BY ALL"
)
COUNTS_SQL = KEPT_SQL + "SELECT target, stance, count(*) FROM kept GROUP BY ALL"


def polars_kept(columns):
    s = pl.read_csv(csv_path, infer_schema=False, columns=["id", "actor", "date", "contradicts", *columns])
    claims = s.select("id", "actor", "date")
    denied = (s.filter(pl.col("contradicts").is_not_null())
              .join(claims, left_on="contradicts", right_on="id", suffix="_claim")
              .filter((pl.col("actor") == pl.col("actor_claim")) & (pl.col("date") >= pl.col("date_claim"))))
    return s.filter(~pl.col("id").is_in(denied["contradicts"].implode()))


LEVEL = (
    pl.when(pl.col("stance") == "rejects").then(0).when(pl.col("stance") == "neutral").then(None).otherwise(1)
)


def polars_network():
    kept = polars_kept(["target", "stance"]).with_columns(level=LEVEL).drop_nulls("level")
    c = kept.group_by("actor", "target", "level").len()
    pairs = c.join(c, on=["target", "level"]).filter(pl.col("actor") < pl.col("actor_right"))
    weight = pl.col("len").cast(pl.Int64) * pl.col("len_right")  # len is UInt32: its products overflow
    return pairs.group_by("actor", "actor_right").agg(weight.sum().alias("w"))


def polars_counts():
    return polars_kept(["target", "stance"]).group_by("target", "stance").len()


def duckdb_network():
    return duckdb.sql(NETWORK_SQL.format(csv_path)).fetchall()


def duckdb_counts():
    return duckdb.sql(COUNTS_SQL.format(csv_path)).fetchall()


seconds, network = best(polars_network)
note("one-mode congruence: polars on the CSV", seconds, "one-mode congruence")
floor_total, floor_edges = float(network["w"].sum()), network.height
seconds, network = best(duckdb_network)
note("one-mode congruence: DuckDB on the CSV", seconds, "one-mode congruence")
duck_total, duck_edges = float(sum(row[2] for row in network)), len(network)
seconds, counted = best(polars_counts)
note("stances per target and type: polars on the CSV", seconds, "stances per target and type")
seconds, duck_counted = best(duckdb_counts)
note("stances per target and type: DuckDB on the CSV", seconds, "stances per target and type")
checks = {
    "congruence weight (ours, polars, DuckDB)": [ours_total, floor_total, duck_total],
    "congruence edges (ours, polars, DuckDB)": [ours_edges, floor_edges, duck_edges],
    "per target and type: groups (ours, polars, DuckDB)": [
        per_type.height, counted.height, len(duck_counted)],
    "per target and type: stances (ours, polars, DuckDB)": [
        int(per_type["stances"].sum()), int(counted["len"].sum()), sum(row[2] for row in duck_counted)],
}
if sparql:
    with open_store(folder) as store_for_sparql:
        started = time.perf_counter()
        one_mode(statements_by_sparql(store_for_sparql), aggregation="congruence")
        note("one-mode congruence: the former SPARQL path (one run)", time.perf_counter() - started,
             "one-mode congruence")
print(json.dumps({"rows": rows, "checks": checks, "stances": len(in_memory)}))
"""


def synth_and_load(rows: int, workdir: Path) -> tuple[Path, Path]:
    """The corpus and its store for ``rows`` statements, made once and reused from ``workdir``."""
    corpus, folder = workdir / f"corpus-{rows}.csv", workdir / f"store-{rows}"
    if not corpus.exists():
        subprocess.run(
            [CLI, "--quiet", "synth", "-n", str(rows), "--seed", "1", "-o", str(corpus)], check=True
        )
    if not (folder / "stancegraph-loaded").exists():
        started = time.perf_counter()
        subprocess.run([CLI, "--quiet", "--store", str(folder), "load", str(corpus)], check=True)
        (folder / "stancegraph-loaded").write_text(f"{time.perf_counter() - started:.1f}\n")
    return corpus, folder


def cli_best(repeat: int, *words: str) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([CLI, "--quiet", *words], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def report(size: int, answer: dict, cli_store: float, cli_csv: float, loaded: str) -> None:
    print(f"\n## {size:,} statements ({answer['stances']:,} in the table; store loaded in {loaded} s)\n")
    rows = answer["rows"]
    width = max(len(row["name"]) for row in rows) + 2
    by_name = {row["name"]: row["seconds"] for row in rows}
    for row in rows:
        name, seconds = row["name"], row["seconds"]
        ratio = ""
        if name.endswith(": from the store"):
            memory = by_name[name.replace("from the store", "on the table in memory")]
            ratio = f"{seconds / memory:6.2f}x the table in memory"
        elif name.startswith("stance table built"):
            ratio = f"{seconds / by_name['pyoxigraph scan of the stance triples']:6.2f}x the scan"
        elif ": polars on the CSV" in name or ": DuckDB on the CSV" in name:
            ours = by_name[name.split(":")[0] + ": from the store"]
            ratio = f"ours from the store {ours / seconds:6.2f}x this"
        print(f"{name:<{width}} {seconds:8.3f} s   {ratio}")
    print(
        f"{'CLI network, store (table cached)':<{width}} {cli_store:8.3f} s   "
        f"{cli_store / cli_csv:6.2f}x the CSV's"
    )
    print(f"{'CLI network --statements CSV':<{width}} {cli_csv:8.3f} s")
    for check, values in answer["checks"].items():
        same = "same" if len({round(float(v), 6) for v in values}) == 1 else "DIFFERENT"
        print(f"check {check}: {values} ({same})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--workdir", type=Path, help="keep corpora and stores here (default: temporary)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-sparql", action="store_true", help="skip the former SPARQL extraction path")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="store-analysis-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for size in args.rows:
        corpus, folder = synth_and_load(size, workdir)
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _CHILD,
                str(folder),
                str(corpus),
                str(args.repeat),
                "0" if args.no_sparql else "1",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        network = [
            "network",
            "--type",
            "onemode",
            "--aggregation",
            "congruence",
            "-o",
            str(workdir / "n.csv"),
        ]
        cli_store = cli_best(args.repeat, "--store", str(folder), *network)
        cli_csv = cli_best(args.repeat, *network, "--statements", str(corpus))
        report(size, answer, cli_store, cli_csv, (folder / "stancegraph-loaded").read_text().strip())


if __name__ == "__main__":
    main()

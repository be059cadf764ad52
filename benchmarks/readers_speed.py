"""Time the readers of the stance table that need the graph's structure too: plan fit, influence, the
stances per source, the report's stances.

The store is a synthetic corpus (``stancegraph synth -n 100000 --seed 1``, loaded after ``init``); this
script first makes its targets ``sg:Demand`` nodes and adds two plan versions whose points fulfil or oppose
them (``--structure``, once), so that plan fit and influence have something to find.

    python benchmarks/readers_speed.py /tmp/s100k --structure
    python benchmarks/readers_speed.py /tmp/s100k
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from stancegraph.graph import open_store
from stancegraph.graph.analysis.influence import influence
from stancegraph.graph.drawing.report import report_content
from stancegraph.graph.drawing.views import influence_view
from stancegraph.graph.queries import overview, plan_fit, plan_versions_fit, sources
from stancegraph.graph.queries.stance_table import stance_table

SG = "https://w3id.org/stancegraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def add_structure(store) -> None:
    """The synthetic targets become demands; two plan versions, drafted by two actors, fulfil or oppose
    every third of them."""
    where = f"WHERE {{ GRAPH ?g {{ ?s <{SG}target> ?t }} FILTER (CONTAINS(STR(?t), 'target-')) }}"
    targets = sorted(row[0].value for row in store.query(f"SELECT DISTINCT ?t {where}"))
    actors = sorted(
        r[0].value for r in store.query(f"SELECT DISTINCT ?a WHERE {{ GRAPH ?g {{ ?s <{SG}actor> ?a }} }}")
    )
    lines = [f"<{t}> a <{SG}Demand> ." for t in targets]
    for version, (author, issued) in enumerate([(actors[0], "2025-06-01"), (actors[1], "2025-09-01")]):
        plan = f"https://w3id.org/stancegraph/id/plan/bench-{version}"
        lines.append(
            f'<{plan}> a <{SG}Plan> ; <{SKOS}prefLabel> "Bench plan {version}" ; '
            f"<http://www.w3.org/ns/prov#wasAttributedTo> <{author}> ; "
            f'<http://purl.org/dc/terms/issued> "{issued}"^^<http://www.w3.org/2001/XMLSchema#date> .'
        )
        for number, target in enumerate(targets[version::3][:30], start=1):
            relation = "fulfils" if number % 4 else "opposes"
            lines.append(
                f"<{plan}/{number}> a <{SG}PlanPoint> ; <{SKOS}inScheme> <{plan}> ; "
                f'<{SKOS}notation> "{number}" ; <{SG}{relation}> <{target}> .'
            )
    store.update("INSERT DATA { " + "\n".join(lines) + " }")


def timed(name: str, run: Callable[[], object]) -> None:
    start = time.perf_counter()
    run()
    print(f"{name:36s} {time.perf_counter() - start:8.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--structure", action="store_true", help="add the demands and plans first")
    options = parser.parse_args()
    if options.structure:
        with open_store(options.store) as store:
            add_structure(store)
    with open_store(options.store, read_only=True) as store:
        timed("stance table (file or build)", lambda: stance_table(store))
        timed("plan_fit(bench-0)", lambda: plan_fit(store, "bench-0"))
        timed("plan_versions_fit (6 versions)", lambda: plan_versions_fit(store))
        timed("sources", lambda: sources(store))
        timed("overview", lambda: overview(store))
        timed("influence", lambda: influence(store))
        timed(
            "influence_view exclude, 0.8",
            lambda: influence_view(store, contested="exclude", min_confidence=0.8),
        )
        timed("report_content(plan=bench-0)", lambda: report_content(store, plan="bench-0"))


if __name__ == "__main__":
    main()

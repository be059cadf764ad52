"""A synthetic corpus with demands and plan versions, on disk, for the readers of the stance table that need
the graph's structure too (plan fit, influence, reports)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stancegraph.graph.ingestion import ingest
from stancegraph.graph.ingestion.synth import write_statements_csv
from stancegraph.graph.store import Store, open_store

SG = "https://w3id.org/stancegraph/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PLANS = (  # (short id, issued or None, which targets its points take: every third from an offset)
    ("synth-a", "2025-06-01", 0),
    ("synth-b", None, 1),
)


def _structure(store: Store) -> str:
    """INSERT DATA making most synthetic targets sg:Demand nodes, with two plan versions whose points
    fulfil or oppose them, drafted by two of the actors, and some actors members of others."""
    rows = store.query(f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ ?s <{SG}target> ?t }} }} ORDER BY ?t")
    targets = [row[0].value for row in rows]
    rows = store.query(f"SELECT DISTINCT ?a WHERE {{ GRAPH ?g {{ ?s <{SG}actor> ?a }} }} ORDER BY ?a")
    actors = [row[0].value for row in rows]
    lines = [f"<{t}> a <{SG}Demand> ." for t in targets[:-3]]  # the last three stay issues only
    for (name, issued, offset), author in zip(_PLANS, actors, strict=False):
        plan = f"https://w3id.org/stancegraph/id/plan/{name}"
        lines.append(
            f'<{plan}> a <{SG}Plan> ; <{_SKOS}prefLabel> "Plan {name}" ; '
            f"<http://www.w3.org/ns/prov#wasAttributedTo> <{author}> ."
        )
        if issued is not None:
            lines.append(f'<{plan}> <http://purl.org/dc/terms/issued> "{issued}"^^<{_XSD}date> .')
        for number, target in enumerate(targets[offset::3], start=1):
            relation = "opposes" if number % 4 == 0 else "fulfils"
            lines.append(
                f"<{plan}/{number}> a <{SG}PlanPoint> ; <{_SKOS}inScheme> <{plan}> ; "
                f'<{_SKOS}notation> "{number}" ; <{SG}{relation}> <{target}> .'
            )
    lines += [f"<{a}> <http://www.w3.org/ns/org#memberOf> <{actors[-1]}> ." for a in actors[:5]]
    return "INSERT DATA { " + "\n".join(lines) + " }"


def demand_corpus(folder: Path) -> Store:
    """A store in ``folder`` holding 2,000 synthetic statements (5 % of them denials) on demands, two plan
    versions, 40 stances on their points and a few memberships."""
    folder.mkdir(parents=True, exist_ok=True)
    write_statements_csv(folder / "c2k.csv", 2_000, actors=40, targets=30, seed=5, contradicts_share=0.05)
    store = open_store(folder / "store")
    ingest(store, folder / "c2k.csv")
    store.update(_structure(store))
    _stances_on_points(folder / "points.csv")
    ingest(store, folder / "points.csv")
    return store


def _stances_on_points(path: Path) -> None:
    """Stances of the synthetic actors on the plans' points, some contested, some without confidence."""
    kinds = ("endorses", "rejects", "concedes", "endorses")
    lines = ["id,actor,target,stance,date,source,confidence,contradicts"]
    for n in range(40):
        plan, point = _PLANS[n % 2][0], n % 7 + 1
        confidence = "" if n % 5 == 0 else f"0.{5 + n % 5}"
        lines.append(
            f"p{n},Actor {n % 9 + 1:05d},{plan}/{point},{kinds[n % 4]},2025-10-{n % 28 + 1:02d},"
            f"Points paper {n % 3},{confidence},{'p0' if n == 39 else ''}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def demand_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """:func:`demand_corpus`, once for the session: tests must only read it."""
    store = demand_corpus(tmp_path_factory.mktemp("demands"))
    try:
        yield store
    finally:
        store.close()

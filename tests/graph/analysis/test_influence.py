"""Influence: adoption of demands and PageRank."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from stancegraph.graph import load_bundled, open_store
from stancegraph.graph.analysis.influence import (
    _PLAN_FULFILS as PLAN_FULFILS,
)
from stancegraph.graph.analysis.influence import (
    Adoption,
    adoptions,
    adoptions_of,
    demand_stances,
    influence,
)
from stancegraph.graph.analysis.network_options import stance_mask
from stancegraph.graph.queries.contested import contested_stances, denied_stances

from ..conftest import demand_corpus

ACTOR = "https://w3id.org/stancegraph/id/actor/"


@pytest.fixture(scope="module")
def plan_store():
    with open_store() as store:
        load_bundled(store)
        yield store


def test_plan_points_that_fulfil_earlier_demands_are_adoptions(plan_store) -> None:
    found = adoptions(plan_store)
    assert all(a.demander != a.adopter for a in found)
    assert all(a.adopted_on is not None and a.demanded_on < a.adopted_on for a in found)
    e3 = [a for a in found if a.adopter == ACTOR + "e3" and a.how == "plan"]
    assert {a.via.rsplit("/", 2)[-2] for a in e3} == {"e3-counter"}
    assert any(a.demand.endswith("ru-army-cap") and a.demander == ACTOR + "russia" for a in e3)
    # the US draft (20 Nov) predates the reports of Russia's demands (21 Nov): only undated counting sees it
    assert not any(a.via.startswith("https://w3id.org/stancegraph/id/plan/us-28/") for a in found)
    undated = adoptions(plan_store, dated=False)
    assert any(a.adopter == ACTOR + "us" and a.demand.endswith("ru-no-nato") for a in undated)
    assert set(found) < set(undated)


def test_influence_graph_scores_and_members(plan_store) -> None:
    graph = influence(plan_store)
    assert sum(d["influence"] for _, d in graph.nodes(data=True)) == pytest.approx(1.0)
    assert max(graph.nodes, key=lambda n: graph.nodes[n]["influence"]) == ACTOR + "russia"
    assert graph.nodes[ACTOR + "russia"]["adopted"] > 0
    kinds = {d["kind"] for *_, d in graph.edges(data=True)}
    assert kinds == {"adopts", "member"}
    assert graph.has_edge(ACTOR + "uk", ACTOR + "e3") or graph.has_edge(ACTOR + "france", ACTOR + "e3")
    without = influence(plan_store, members=False)
    assert {d["kind"] for *_, d in without.edges(data=True)} == {"adopts"}
    early = influence(plan_store, until=dt.date(2025, 11, 22), members=False)
    assert early.number_of_edges() < without.number_of_edges()


def test_each_adoption_carries_the_confidence_of_the_demand_and_of_the_adopters_reports(plan_store) -> None:
    from stancegraph.graph.queries import stances

    found = adoptions(plan_store, dated=False)
    army = next(a for a in found if a.demander == ACTOR + "russia" and a.demand.endswith("ru-army-cap"))
    reports = stances(plan_store, actor="russia", target="ru-army-cap", stance="demands")
    assert army.demand_confidence == max(s.confidence for s in reports if not s.denied)
    assert all(a.adoption_confidence is None for a in found if a.how == "plan")  # a point is no report
    for a in (a for a in found if a.how != "plan"):
        theirs = [
            s.confidence
            for s in stances(plan_store, actor=a.adopter, target=a.demand, stance=a.how)
            if s.actor == a.adopter and s.stated_on == a.adopted_on and not s.denied
        ]
        assert a.adoption_confidence == max(theirs), a
    assert len(found) == len({(a.demander, a.adopter, a.demand, a.how, a.via, a.adopted_on) for a in found})
    graph = influence(plan_store, dated=False, members=False)
    tip = graph.edges[ACTOR + "russia", army.adopter]["tooltip"]
    assert any(f"confidence of the demand: {army.demand_confidence:g}" in line for line in tip)


def test_an_endorsement_adoption_has_the_highest_confidence_of_the_adopters_reports(tmp_path) -> None:
    from stancegraph.graph import ingest

    path = tmp_path / "poland.csv"
    path.write_text(
        "actor,target,stance,date,document,source,confidence\n"
        "Poland,ru-no-nato,endorses,2025-12-01,first report,Reuters,0.6\n"
        "Poland,ru-no-nato,endorses,2025-12-01,second report,AP,0.9\n"
        "Poland,ru-army-cap,endorses,2025-12-01,third report,AFP,\n",
        encoding="utf-8",
    )
    with open_store() as store:
        load_bundled(store)
        ingest(store, path)
        found = [a for a in adoptions(store) if a.adopter == ACTOR + "poland"]
        by_demand = {a.demand.rsplit("/", 1)[-1]: a for a in found if a.demander == ACTOR + "russia"}
        assert by_demand["ru-no-nato"].adoption_confidence == 0.9  # one adoption, the higher report
        assert by_demand["ru-army-cap"].adoption_confidence is None  # not recorded: None, not 0
        assert len([a for a in found if a.demand.endswith("ru-no-nato")]) == len(
            {a.demander for a in found if a.demand.endswith("ru-no-nato")}
        )
        tip = influence(store).edges[ACTOR + "russia", ACTOR + "poland"]["tooltip"]
        assert any("of the adopter's endorses: 0.9" in line for line in tip)
        assert any("of the adopter's endorses: not recorded" in line for line in tip)


# influence reads the demand and endorse stances from the stance table; the reference is the SPARQL query
# (and the contested rule's queries) it replaced
_DEMAND_STANCES_BY_SPARQL = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?s ?actor ?demand ?date ?type ?confidence WHERE {
  GRAPH ?g {
    ?s a sg:Stance ; sg:actor ?actor ; sg:target ?demand ; sg:stanceType ?type ; sg:statedOn ?date .
    OPTIONAL { ?s sg:confidence ?confidence }
  }
  VALUES ?type { sg:Demands sg:Endorses }
  ?demand a sg:Demand .
}
"""
DEMANDS = "https://w3id.org/stancegraph/ontology#Demands"
_CHOICES = [("include", 0.0), ("exclude", 0.0), ("only", 0.0), ("include", 0.7), ("exclude", 0.85)]


def _known(confidence: float) -> float | None:
    return None if np.isnan(confidence) else float(confidence)


def demand_stances_by_sparql(store, contested: str, min_confidence: float) -> list:
    denied, disputed = denied_stances(store), contested_stances(store)
    found = [row for row in store.query(_DEMAND_STANCES_BY_SPARQL) if row[0].value not in denied]
    confidence = np.array([np.nan if r[5] is None else float(r[5].value) for r in found], dtype=np.float64)
    keep = stance_mask(
        np.array([r[0].value in disputed for r in found], dtype=bool),
        confidence,
        which=contested,
        min_confidence=min_confidence,
    )
    return [
        (r[1].value, r[2].value, dt.date.fromisoformat(r[3].value), r[4].value, _known(c))
        for r, c, k in zip(found, confidence, keep, strict=True)
        if k
    ]


def _highest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def adoption_order(a: Adoption) -> tuple:
    return (a.demander, a.adopter, a.demand, a.how, a.via, a.adopted_on is None, a.adopted_on or dt.date.min)


def adoptions_by_loop(store, rows, *, dated: bool = True) -> tuple[Adoption, ...]:
    """adoptions_of as it was written before it joined columns: one Python loop."""
    first_demand: dict[tuple[str, str], dt.date] = {}
    demand_confidence: dict[tuple[str, str], float | None] = {}
    support: list = []
    for actor, demand, day, kind, confidence in rows:
        name = "demands" if kind == DEMANDS else "endorses"
        support.append((actor, demand, day, name, confidence))
        if name == "demands":
            key = (actor, demand)
            first_demand[key] = min(day, first_demand.get(key, day))
            demand_confidence[key] = _highest(demand_confidence.get(key), confidence)
    by_demand: dict[str, list[tuple[str, dt.date]]] = {}
    for (actor, demand), day in first_demand.items():
        by_demand.setdefault(demand, []).append((actor, day))

    def later(made: dt.date, adopted: dt.date | None) -> bool:
        return not dated or (adopted is not None and made < adopted)

    # one adoption per (demander, adopter, demand, how, via, dates), with the highest confidence of the
    # adopter's reports that make it
    found: dict[tuple, float | None] = {}
    for adopter, demand, day, name, confidence in support:
        for demander, made in by_demand.get(demand, ()):
            if demander != adopter and later(made, day):
                key = (demander, adopter, demand, name, demand, made, day)
                found[key] = _highest(found.get(key), confidence)
    for author, _plan, issued, point, demand in store.query(PLAN_FULFILS):
        day = dt.date.fromisoformat(issued.value) if issued is not None else None
        for demander, made in by_demand.get(demand.value, ()):
            if demander != author.value and later(made, day):
                found[(demander, author.value, demand.value, "plan", point.value, made, day)] = None
    adopted = [
        Adoption(*key, demand_confidence=demand_confidence[(key[0], key[2])], adoption_confidence=confidence)
        for key, confidence in found.items()
    ]
    return tuple(sorted(adopted, key=adoption_order))


def _check_against_sparql(store) -> None:
    for contested, min_confidence in _CHOICES:
        reference = demand_stances_by_sparql(store, contested, min_confidence)
        table = demand_stances(store, contested=contested, min_confidence=min_confidence)
        assert sorted(table, key=repr) == sorted(reference, key=repr), (contested, min_confidence)
        for dated in (True, False):
            expected = adoptions_of(store, reversed(reference), dated=dated)  # the order does not matter
            found = adoptions(store, dated=dated, contested=contested, min_confidence=min_confidence)
            assert found == expected == adoptions_by_loop(store, reference, dated=dated)


def test_the_demand_stances_from_the_table_are_those_of_sparql_on_the_bundled_data(bundled) -> None:
    _check_against_sparql(bundled)


def test_the_demand_stances_from_the_table_are_those_of_sparql_on_a_synthetic_corpus(demand_store) -> None:
    found = adoptions(demand_store)
    assert {a.how for a in found} == {"demands", "endorses", "plan"}
    assert any(a.adopted_on is None for a in adoptions(demand_store, dated=False))  # the undated plan
    _check_against_sparql(demand_store)
    graph = influence(demand_store)
    assert {d["kind"] for *_, d in graph.edges(data=True)} == {"adopts", "member"}


def test_influence_after_a_write_is_that_of_the_new_data(tmp_path) -> None:
    with demand_corpus(tmp_path) as store:
        before = adoptions(store)
        store.update(  # every endorsement of a demand becomes a rejection: no adoption by endorsing is left
            "DELETE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#stanceType> ?t } }"
            " INSERT { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#stanceType>"
            " <https://w3id.org/stancegraph/ontology#Rejects> } }"
            " WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#stanceType> ?t }"
            " FILTER (?t = <https://w3id.org/stancegraph/ontology#Endorses>) }"
        )
        after = adoptions(store)
        assert after != before and "endorses" not in {a.how for a in after}
        _check_against_sparql(store)

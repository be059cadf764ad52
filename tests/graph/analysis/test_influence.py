"""Influence: adoption of demands and PageRank."""

from __future__ import annotations

import datetime as dt

import pytest

from stancegraph.graph import load_bundled, open_store
from stancegraph.graph.analysis.influence import adoptions, influence

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

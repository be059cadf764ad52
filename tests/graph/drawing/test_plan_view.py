"""The plan view chooses its stances on the stance table: the stances stances() (SPARQL) lists on the plan's
points, on the bundled data, a synthetic corpus and after a write."""

from __future__ import annotations

import networkx as nx

from stancegraph.graph.drawing.nodes import add_stance_edges, node_index
from stancegraph.graph.drawing.plan_view import plan_view
from stancegraph.graph.queries.stances import stances

from ..conftest import demand_corpus


def _stance_edges(graph: nx.MultiDiGraph) -> list:
    return [(a, b, k, d) for a, b, k, d in graph.edges(keys=True, data=True) if "date" in d]


def _check_against_sparql(store, plan: str) -> None:
    everything = stances(store)
    middle = everything[len(everything) // 2].stated_on
    for filters in ({}, {"stance": "endorses"}, {"since": middle}, {"actor": everything[-1].actor}):
        shown = plan_view(store, plan, **filters)
        expected = plan_view(store, plan, **filters)
        expected.remove_edges_from([(a, b, k) for a, b, k, _ in _stance_edges(expected)])
        expected.remove_nodes_from([n for n in list(expected) if n not in {p for p, _ in _plan_nodes(shown)}])
        found = [s for s in stances(store, **filters) if s.target in expected]
        add_stance_edges(expected, tuple(found), node_index(store))
        assert _stance_edges(shown) == _stance_edges(expected), filters


def _plan_nodes(graph: nx.MultiDiGraph) -> list:
    return [(n, d) for n, d in graph.nodes(data=True) if d["kind"] in ("plan", "point", "dropped")]


def test_the_plan_view_shows_the_stances_sparql_lists_on_the_bundled_data(bundled) -> None:
    _check_against_sparql(bundled, "us-28")


def test_the_plan_view_shows_the_stances_sparql_lists_on_a_synthetic_corpus(demand_store) -> None:
    assert _stance_edges(plan_view(demand_store, "synth-a"))
    _check_against_sparql(demand_store, "synth-a")


def test_the_plan_view_after_a_write(tmp_path) -> None:
    with demand_corpus(tmp_path) as store:
        before = _stance_edges(plan_view(store, "synth-a"))
        store.update(
            "DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#stanceType>"
            " <https://w3id.org/stancegraph/ontology#Endorses> } }"
        )
        after = _stance_edges(plan_view(store, "synth-a"))
        assert before and len(after) < len(before)
        _check_against_sparql(store, "synth-a")

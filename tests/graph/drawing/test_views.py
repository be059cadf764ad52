"""The stances view chooses its stances on the stance table: the choice of stances() (SPARQL) and
selected_stances(), on the bundled data, a synthetic corpus and after a write."""

from __future__ import annotations

import networkx as nx

from stancegraph.graph.drawing.nodes import node_index
from stancegraph.graph.drawing.views import selected_stances, stance_graph, stance_view
from stancegraph.graph.queries.stances import stances

from ..conftest import demand_corpus

_FILTERS = ("actor", "target", "stance", "source", "since", "until")


def reference_view(store, contested=None, min_confidence=0.0, **filters) -> nx.MultiDiGraph:
    found = stances(store, **filters)
    return stance_graph(selected_stances(found, contested, min_confidence), node_index(store))


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def _check_against_sparql(store) -> None:
    everything = stances(store)
    first, last = everything[0], everything[-1]
    middle = everything[len(everything) // 2].stated_on
    options = [
        {},
        {"actor": first.actor},
        {"target": last.target, "stance": last.stance},
        {"source": first.source},
        {"since": middle},
        {"until": middle, "actor": last.actor},
    ]
    for chosen in options:
        for contested, min_confidence in ((None, 0.0), (True, 0.0), (False, 0.8), ("exclude", 0.0)):
            _same(
                stance_view(store, contested=contested, min_confidence=min_confidence, **chosen),
                reference_view(store, contested, min_confidence, **chosen),
            )


def test_the_stances_view_shows_what_sparql_chose_on_the_bundled_data(bundled) -> None:
    _check_against_sparql(bundled)


def test_the_stances_view_shows_what_sparql_chose_on_a_synthetic_corpus(demand_store) -> None:
    _check_against_sparql(demand_store)


def test_the_stances_view_after_a_write(tmp_path) -> None:
    with demand_corpus(tmp_path) as store:
        before = stance_view(store, contested=True)
        store.update(
            "DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#contradicts> ?o } }"
        )
        assert before.number_of_edges() and stance_view(store, contested=True).number_of_edges() == 0
        _check_against_sparql(store)

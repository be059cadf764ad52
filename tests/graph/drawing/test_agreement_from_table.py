"""The agreement view from the stance table: the same graph as from the stances query."""

from __future__ import annotations

import pytest

from stancegraph.graph.drawing.agreement_view import agreement_graph, agreement_view
from stancegraph.graph.drawing.nodes import node_index
from stancegraph.graph.ingestion import ingest
from stancegraph.graph.ingestion.synth import write_statements_csv
from stancegraph.graph.queries.stances import stances
from stancegraph.graph.store import Store, open_store


def _by_query(store: Store, aggregation: str, contested: str, **filters):
    return agreement_graph(
        stances(store, **filters), node_index(store), aggregation=aggregation, contested=contested
    )


def _same(a, b) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert {frozenset(e): d for *e, d in a.edges(data=True)} == {
        frozenset(e): d for *e, d in b.edges(data=True)
    }
    assert a.graph == b.graph


_CASES = [
    ("congruence", "include", {}),
    ("conflict", "exclude", {}),
    ("subtract", "only", {}),
    ("congruence", "include", {"stance": "rejects"}),
    ("congruence", "include", {"since": "2025-11-22", "until": "2025-11-25"}),
]


def test_the_bundled_agreement_view_is_that_of_the_stances_query(bundled):
    for aggregation, contested, filters in _CASES + [("subtract", "include", {"target": "us-28"})]:
        table = agreement_view(bundled, aggregation=aggregation, contested=contested, **filters)
        _same(table, _by_query(bundled, aggregation, contested, **filters))
    first = stances(bundled)[0]
    for filters in ({"actor": first.actor}, {"source": first.source}):
        _same(agreement_view(bundled, **filters), _by_query(bundled, "congruence", "include", **filters))


@pytest.mark.parametrize("aggregation, contested, filters", _CASES)
def test_a_synthetic_agreement_view_is_that_of_the_stances_query(tmp_path, aggregation, contested, filters):
    write_statements_csv(tmp_path / "c.csv", 1_500, actors=30, targets=20, seed=5, contradicts_share=0.05)
    with open_store() as store:
        ingest(store, tmp_path / "c.csv")
        filters = {k: v.replace("2025-11", "2025-01") for k, v in filters.items()}
        table = agreement_view(store, aggregation=aggregation, contested=contested, **filters)
        assert table.number_of_nodes() > 0
        _same(table, _by_query(store, aggregation, contested, **filters))

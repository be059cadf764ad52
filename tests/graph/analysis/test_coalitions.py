"""Coalitions: communities in the positive part of the subtract network."""

from __future__ import annotations

import pytest

from stancegraph.graph.analysis.coalitions import coalitions, positive_graph
from stancegraph.graph.analysis.networks import one_mode, two_mode
from stancegraph.graph.analysis.statements_table import Statements


def two_camps():
    """A, B, C endorse x and reject y; D, E, F the opposite."""
    return Statements.from_records(
        [
            {"actor": a, "target": t, "stance": "endorses" if (a in "ABC") == (t == "x") else "rejects"}
            for a in "ABCDEF"
            for t in "xy"
        ]
    )


@pytest.mark.parametrize("method", ["louvain", "greedy"])
def test_two_camps_are_found_with_hand_computed_modularity(method):
    result = coalitions(two_camps(), method=method, seed=1)
    assert result.communities == (("A", "B", "C"), ("D", "E", "F"))
    assert result.method == method
    # Positive graph: two triangles of weight 1 (subtract/average within a camp: (2 - 0) / 2 = 1; across
    # camps (0 - 2) / 2 = -1, dropped). m = 6, each camp has 3 internal edges and degree sum 6:
    # Q = 2 * (3/6 - (6/12)^2) = 0.5.
    assert result.modularity == pytest.approx(0.5)
    assert result.membership() == {"A": 0, "B": 0, "C": 0, "D": 1, "E": 1, "F": 1}


def test_seeded_louvain_is_deterministic_and_sorted():
    records = [
        {
            "actor": f"a{i:02d}",
            "target": f"t{(i * j) % 7}",
            "stance": "endorses" if (i + j) % 3 else "rejects",
        }
        for i in range(20)
        for j in range(4)
    ]
    stm = Statements.from_records(records)
    first = coalitions(stm, seed=42)
    assert first == coalitions(stm, seed=42)
    sizes = [len(c) for c in first.communities]
    assert sizes == sorted(sizes, reverse=True)
    assert all(list(c) == sorted(c) for c in first.communities)
    assert sorted(a for c in first.communities for a in c) == [f"a{i:02d}" for i in range(20)]


def test_a_network_can_be_passed_and_only_positive_ties_count():
    net = one_mode(two_camps(), aggregation="subtract")  # unnormalised: +2 within, -2 across
    graph = positive_graph(net)
    assert sorted(graph.edges(data="weight")) == [
        ("A", "B", 2.0),
        ("A", "C", 2.0),
        ("B", "C", 2.0),
        ("D", "E", 2.0),
        ("D", "F", 2.0),
        ("E", "F", 2.0),
    ]
    assert coalitions(net, method="greedy").communities == (("A", "B", "C"), ("D", "E", "F"))


def test_no_positive_tie_gives_singletons():
    stm = Statements.from_records(
        [
            {"actor": "A", "target": "x", "stance": "endorses"},
            {"actor": "B", "target": "x", "stance": "rejects"},
        ]
    )
    result = coalitions(stm)
    assert result.communities == (("A",), ("B",))
    assert result.modularity == 0.0


def test_invalid_inputs_are_refused():
    with pytest.raises(ValueError, match="one-mode"):
        coalitions(two_mode(two_camps()))
    with pytest.raises(ValueError, match="'louvain', 'greedy'"):
        coalitions(two_camps(), method="leiden")
    with pytest.raises(TypeError, match="subtract"):
        coalitions(two_camps(), aggregation="congruence")
    with pytest.raises(TypeError, match="need statements"):
        coalitions(one_mode(two_camps()), duplicates="document")

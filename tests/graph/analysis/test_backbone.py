"""The weight threshold and the disparity filter (graph/analysis/backbone.py), against the definition
computed edge by edge on networkx graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from stancegraph.graph import Statements, one_mode, two_mode
from stancegraph.graph.analysis.backbone import disparity_filter, thin, weight_threshold


def _statements(seed: int, actors: int = 25, targets: int = 12, rows: int = 300) -> Statements:
    """Two camps taking opposite stances, a few actors far more active than the rest (as in real
    corpora: the skew is what gives some ties a large share of an actor's strength)."""
    rng = np.random.default_rng(seed)
    activity = 1.0 / np.arange(1, actors + 1) ** 1.2
    who = rng.choice(actors, size=rows, p=activity / activity.sum())
    what = rng.integers(targets, size=rows)
    agrees = (who % 2 == what % 2) ^ (rng.random(rows) < 0.1)
    return Statements.from_records(
        {
            "actor": f"a{a}",
            "target": f"t{t}",
            "stance": "endorses" if agree else "rejects",
            "document": f"d{i}",
        }
        for i, (a, t, agree) in enumerate(zip(who, what, agrees, strict=True))
    )


def _expected_backbone(graph: nx.Graph, alpha: float) -> set[frozenset[str]]:
    """Serrano et al. (2009), tie by tie: significant at either endpoint with more than one tie."""

    def significance(node: str, weight: float) -> float:
        degree = graph.degree(node)
        if degree < 2:
            return 1.0
        strength = sum(abs(w) for _, _, w in graph.edges(node, data="weight"))
        return (1 - abs(weight) / strength) ** (degree - 1)

    return {
        frozenset((u, v))
        for u, v, w in graph.edges(data="weight")
        if min(significance(u, w), significance(v, w)) < alpha
    }


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("aggregation", ["congruence", "subtract"])
@pytest.mark.parametrize("alpha", [0.05, 0.3])
def test_one_mode_backbone_is_the_definition(seed: int, aggregation: str, alpha: float) -> None:
    network = one_mode(_statements(seed), aggregation=aggregation)
    graph = network.to_networkx()
    kept = disparity_filter(network, alpha).to_networkx()
    assert {frozenset(e) for e in kept.edges()} == _expected_backbone(graph, alpha)
    assert 0 < kept.number_of_edges() < graph.number_of_edges()
    for u, v, w in kept.edges(data="weight"):  # weights and signs unchanged
        assert w == graph[u][v]["weight"]
    assert set(kept.nodes) == set(graph.nodes)  # nodes that lose every tie stay, as isolates
    assert (disparity_filter(network, alpha).matrix != disparity_filter(network, alpha).matrix.T).nnz == 0


def test_two_mode_backbone_looks_from_actors_and_targets() -> None:
    network = two_mode(_statements(7, rows=400), aggregation="combine")
    graph = network.to_networkx()
    kept = disparity_filter(network, 0.2).to_networkx()
    assert {frozenset(e) for e in kept.edges()} == _expected_backbone(graph, 0.2)
    assert 0 < kept.number_of_edges() < graph.number_of_edges()


def test_threshold_keeps_heavy_ties_of_either_sign() -> None:
    network = one_mode(_statements(3), aggregation="subtract")
    graph = network.to_networkx()
    kept = weight_threshold(network, 2).to_networkx()
    assert {frozenset((u, v)) for u, v in kept.edges()} == {
        frozenset((u, v)) for u, v, w in graph.edges(data="weight") if abs(w) >= 2
    }
    assert any(w < 0 for *_, w in kept.edges(data="weight"))
    assert thin(network) is network
    both = thin(network, min_weight=2, backbone=0.3).to_networkx()
    assert set(both.edges()) <= set(kept.edges())


@pytest.mark.parametrize("alpha", [0, -1, 1.5, float("nan")])
def test_alpha_outside_0_1_is_refused(alpha: float) -> None:
    with pytest.raises(ValueError, match="alpha must be in"):
        disparity_filter(one_mode(_statements(1)), alpha)


def test_negative_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="min_weight"):
        weight_threshold(one_mode(_statements(1)), -1)

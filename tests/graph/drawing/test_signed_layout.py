"""The signed layout of the agreement view (graph/drawing/signed_layout.py): on the synthetic corpus, whose
two camps are known (an actor's camp is the parity of its number), the camps come out apart; a force
layout of the congruence network, as the view drew it before, leaves them mixed."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from stancegraph.graph import Statements, one_mode
from stancegraph.graph.drawing.layouts import layout
from stancegraph.graph.drawing.signed_layout import signed_layout
from stancegraph.graph.ingestion.synth import synthetic_statements


@pytest.fixture(scope="module")
def corpus() -> Statements:
    rows = list(synthetic_statements(6000, actors=60, targets=30, seed=3, contradicts_share=0))
    for row in rows:
        row.pop("source", None)
    return Statements.from_records(rows)


def _between_over_within(positions: dict[str, tuple[float, float]]) -> float:
    labels = sorted(positions)
    points = np.array([positions[label] for label in labels])
    camp = np.array([int(label.split()[-1]) % 2 for label in labels])
    distance = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    same = camp[:, None] == camp[None, :]
    np.fill_diagonal(same, False)
    return float(distance[camp[:, None] != camp[None, :]].mean() / distance[same].mean())


def test_camps_come_apart(corpus) -> None:
    signed = signed_layout(one_mode(corpus, aggregation="subtract"))
    congruence = one_mode(corpus, aggregation="congruence").to_networkx()
    unsigned = layout(nx.Graph(congruence))
    apart, mixed = _between_over_within(signed), _between_over_within(unsigned)
    assert apart > 3.0 and mixed < 1.5, (apart, mixed)
    assert all(-1.0 <= c <= 1.0 for xy in signed.values() for c in xy)


def test_the_layout_is_the_same_on_every_run(corpus) -> None:
    network = one_mode(corpus, aggregation="subtract")
    assert signed_layout(network) == signed_layout(network)


def test_the_agreement_view_places_its_nodes_by_the_signed_layout(bundled_memory) -> None:
    from stancegraph.graph.drawing.views import agreement_view

    graph = agreement_view(bundled_memory)
    positions = {n: (d["x"], d["y"]) for n, d in graph.nodes(data=True)}
    europe = [n for n in positions if n.rsplit("/", 1)[-1] in ("france", "germany", "uk")]
    us = next(n for n in positions if n.endswith("/us"))
    spread = max(
        np.hypot(positions[a][0] - positions[b][0], positions[a][1] - positions[b][1])
        for a in europe
        for b in europe
    )
    assert all(
        np.hypot(positions[e][0] - positions[us][0], positions[e][1] - positions[us][1]) > spread
        for e in europe
    )


@pytest.fixture(scope="module")
def bundled_memory():
    from stancegraph.graph import load_bundled, open_store

    store = open_store()
    load_bundled(store)
    return store

"""Nodes moved apart until none covers another: no pair closer than its radii and the gap, pairs already
apart left where they are, the same result on every run."""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist, squareform

from stancegraph.graph.drawing.overlap import spread


def _overlapping(positions, radii, gap):
    nodes = list(positions)
    at = np.array([positions[n] for n in nodes])
    r = np.array([radii[n] for n in nodes])
    apart = squareform(pdist(at))
    np.fill_diagonal(apart, np.inf)
    return int((apart < r[:, None] + r[None, :] + gap - 1e-3).sum() // 2)


def test_a_dense_cloud_comes_apart_without_a_covered_node():
    rng = np.random.default_rng(4)
    positions = {i: tuple(rng.normal(size=2) * 40) for i in range(300)}
    radii = {i: float(rng.uniform(10, 42)) for i in range(300)}
    assert _overlapping(positions, radii, 8.0) > 100
    moved = spread(positions, radii)
    assert _overlapping(moved, radii, 8.0) == 0
    assert spread(positions, radii) == moved  # the same on every run


def test_nodes_already_apart_stay_where_they_are_and_two_on_one_point_part():
    positions = {"a": (0.0, 0.0), "b": (500.0, 0.0), "c": (500.0, 0.0), "d": (-400.0, 300.0)}
    positions |= {"e": (0.0, 400.0), "f": (300.0, -300.0)}  # most nodes clear: the drawing is not enlarged
    radii = dict.fromkeys(positions, 10.0)
    moved = spread(positions, radii, gap=4.0)
    assert all(moved[n] == positions[n] for n in "adef")
    assert np.hypot(*np.subtract(moved["b"], moved["c"])) >= 24.0 - 1e-3
    assert np.allclose(np.add(moved["b"], moved["c"]) / 2, (500.0, 0.0))  # they part about where they were

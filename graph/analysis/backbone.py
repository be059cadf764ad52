"""Thinning a network so that a big one can be read: a weight threshold and the disparity filter.

A congruence network of a few hundred actors is nearly complete: everyone shares some stance with nearly
everyone. Two ways to keep only the ties that say something:

- :func:`weight_threshold` keeps the cells whose absolute value reaches a minimum.
- :func:`disparity_filter` keeps the ties that carry an unexpectedly large share of an endpoint's
  strength (Serrano, Boguñá and Vespignani 2009). For a node with degree k and strength s (sum of the
  absolute weights of its ties), the null model spreads s uniformly at random over its k ties; the
  probability that one of them gets a share p = |w| / s or more is alpha_ij = (1 - p)^(k - 1). A tie is
  kept when that probability is below ``alpha`` at either endpoint (for a two-mode network: at the actor
  or at the target). A node with a single tie gives no evidence at its end (its one tie holds all of its
  strength by necessity), so that tie stays only if the other endpoint finds it significant. Local
  thresholds keep the structure of weak and strong parts of the network alike, where a global threshold
  keeps only the heaviest region.

Signed networks (``subtract``) are filtered on the absolute weights and keep their signs. Both functions
return a new :class:`~stancegraph.graph.analysis.networks.Network` with the same labels (a node that loses
all its ties stays, as an isolate) and the same options.

References
----------
Serrano, M. Á., Boguñá, M., & Vespignani, A. (2009). Extracting the multiscale backbone of complex weighted
networks. *PNAS*, 106(16), 6483-6488. https://doi.org/10.1073/pnas.0808904106
"""

from __future__ import annotations

__all__ = ["disparity_filter", "thin", "weight_threshold"]

import dataclasses

import numpy as np
import scipy.sparse as sp

from stancegraph.graph.analysis.networks import Network


def _keep(network: Network, mask: np.ndarray) -> Network:
    coo = network.matrix.tocoo()
    matrix = sp.csr_array(
        (coo.data[mask], (coo.row[mask], coo.col[mask])), shape=network.matrix.shape, dtype=np.float64
    )
    return dataclasses.replace(network, matrix=matrix)


def weight_threshold(network: Network, min_weight: float) -> Network:
    """The network without the cells whose absolute value is below ``min_weight``.

    Examples
    --------
    >>> from stancegraph.graph import Statements, one_mode
    >>> st = Statements.from_records([
    ...     {"actor": a, "target": t, "stance": "endorses", "document": "d"}
    ...     for a, t in [("A", "x"), ("A", "y"), ("B", "x"), ("B", "y"), ("C", "x")]
    ... ])
    >>> net = one_mode(st, aggregation="congruence")
    >>> sorted(net.to_networkx().edges(data="weight"))
    [('A', 'B', 2.0), ('A', 'C', 1.0), ('B', 'C', 1.0)]
    >>> sorted(weight_threshold(net, 2).to_networkx().edges(data="weight"))
    [('A', 'B', 2.0)]
    """
    if not min_weight >= 0:
        raise ValueError(f"min_weight must be a number of at least 0, not {min_weight!r}")
    return _keep(network, np.abs(network.matrix.tocoo().data) >= min_weight)


def _significance(matrix: sp.csr_array, axis: int) -> np.ndarray:
    """alpha_ij of each stored cell (in COO order) seen from its row (axis 1) or column (axis 0) node."""
    coo = matrix.tocoo()
    weights = np.abs(coo.data)
    absolute = sp.csr_array((weights, (coo.row, coo.col)), shape=matrix.shape)
    strength = np.asarray(absolute.sum(axis=axis)).ravel()
    degree = np.asarray((absolute != 0).sum(axis=axis)).ravel()
    node = coo.row if axis == 1 else coo.col
    share = np.divide(weights, strength[node], out=np.zeros_like(weights), where=strength[node] > 0)
    k = degree[node]
    return np.where(k > 1, (1.0 - share) ** np.maximum(k - 1, 0), 1.0)


def disparity_filter(network: Network, alpha: float = 0.05) -> Network:
    """The disparity backbone of the network (Serrano et al. 2009): the ties significant at ``alpha`` at
    one endpoint at least.

    Parameters
    ----------
    network : Network
        One-mode (symmetric) or two-mode.
    alpha : float
        Significance level, 0 < alpha <= 1; smaller keeps fewer ties (1 keeps every tie).

    Returns
    -------
    Network

    Examples
    --------
    A hub that shares nine targets with one actor and one target with each of three others keeps the
    heavy tie only:

    >>> from stancegraph.graph import Statements, one_mode
    >>> pairs = [(a, f"t{i}") for a in ("hub", "a") for i in range(9)]
    >>> pairs += [(a, f"u{a}") for a in ("c", "d", "e")] + [("hub", f"u{a}") for a in ("c", "d", "e")]
    >>> st = Statements.from_records(
    ...     [{"actor": a, "target": t, "stance": "endorses", "document": "d"} for a, t in pairs]
    ... )
    >>> net = one_mode(st, aggregation="congruence")
    >>> sorted(disparity_filter(net, 0.2).to_networkx().edges())
    [('a', 'hub')]
    """
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1], not {alpha!r}; 0.05 is usual")
    # the row end of cell (i, j) is node i, its column end node j (for a one-mode network, whose matrix is
    # symmetric, the column sums are node j's own strength and degree)
    from_rows = _significance(network.matrix, axis=1)
    other = _significance(network.matrix, axis=0)
    return _keep(network, np.minimum(from_rows, other) < alpha)


def thin(network: Network, *, min_weight: float | None = None, backbone: float | None = None) -> Network:
    """:func:`weight_threshold` then :func:`disparity_filter`, each if given (the network as is if neither
    is)."""
    if min_weight is not None:
        network = weight_threshold(network, min_weight)
    if backbone is not None:
        network = disparity_filter(network, backbone)
    return network

"""Coalitions: communities of actors who agree, found in the positive part of the actor network.

The input is the one-mode ``subtract`` network (congruence minus conflict, by default with ``average``
normalisation, as in discourse coalition analysis with DNA); only its positive ties (more agreement than
disagreement) are kept, weighted by their value. Communities come from networkx: Louvain (seeded) or
Clauset-Newman-Moore greedy modularity.

References
----------
Leifeld, P. (2017). Discourse network analysis: policy debates as dynamic networks. In *The Oxford
Handbook of Political Networks*, 301-325 (discourse coalitions). Blondel, V. D. et al. (2008). Fast
unfolding of communities in large networks. *J. Stat. Mech.* P10008. Clauset, A., Newman, M. E. J. and
Moore, C. (2004). Finding community structure in very large networks. *Phys. Rev. E* 70, 066111.
"""

from __future__ import annotations

__all__ = ["Coalitions", "CommunityMethod", "coalitions", "positive_graph"]

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from stancegraph.graph.analysis.network_options import ONE_MODE, parse_choice
from stancegraph.graph.analysis.networks import Network, one_mode
from stancegraph.graph.analysis.statements_table import Statements

if TYPE_CHECKING:
    import networkx as nx


class CommunityMethod(StrEnum):
    """Community detection algorithm."""

    LOUVAIN = "louvain"
    GREEDY = "greedy"


@dataclass(frozen=True)
class Coalitions:
    """Communities (each a sorted tuple of labels; largest first, ties by first label), the modularity of
    that partition on the positive graph (0.0 when the graph has no positive tie), and the method."""

    communities: tuple[tuple[str, ...], ...]
    modularity: float
    method: str

    def membership(self) -> Mapping[str, int]:
        """The community number of each actor."""
        return {label: i for i, group in enumerate(self.communities) for label in group}


def positive_graph(network: Network, *, weight: str = "weight") -> nx.Graph:
    """The undirected graph of the positive ties of a one-mode network (every actor is a node).

    Raises
    ------
    ValueError
        For a two-mode network.
    """
    if network.options.mode != ONE_MODE:
        raise ValueError("coalitions need a one-mode (actor x actor) network; this one is two-mode")
    graph = network.to_networkx(weight=weight)
    graph.remove_edges_from([(u, v) for u, v, w in graph.edges(data=weight) if w <= 0])
    return graph


def coalitions(
    data: Statements | Network,
    *,
    method: CommunityMethod | str = CommunityMethod.LOUVAIN,
    seed: Any = None,
    resolution: float = 1.0,
    **network_options: Any,
) -> Coalitions:
    """Communities of actors in the positive part of the ``subtract`` one-mode network.

    Parameters
    ----------
    data : Statements or Network
        Statements (the network is ``one_mode(aggregation='subtract', normalization='average',
        **network_options)`` unless ``normalization`` is given), or a one-mode network to use as it is.
    method : {'louvain', 'greedy'}
        :func:`networkx.community.louvain_communities` (randomised; pass ``seed``) or
        :func:`networkx.community.greedy_modularity_communities` (deterministic).
    seed : int, optional
        Seed of the Louvain method.
    resolution : float
        Modularity resolution (below 1 favours larger communities).

    Returns
    -------
    Coalitions

    Examples
    --------
    >>> st = Statements.from_records(
    ...     [{"actor": a, "target": t, "stance": "endorses" if (a in "ABC") == (t == "x") else "rejects"}
    ...      for a in "ABCDEF" for t in "xy"])
    >>> result = coalitions(st, seed=1)
    >>> result.communities, round(result.modularity, 3)
    ((('A', 'B', 'C'), ('D', 'E', 'F')), 0.5)
    """
    import networkx as nx

    method = parse_choice(CommunityMethod, method, "method")
    if isinstance(data, Statements):
        if "aggregation" in network_options:
            raise TypeError("coalitions use aggregation='subtract'; do not pass aggregation=")
        network_options.setdefault("normalization", "average")
        network = one_mode(data, aggregation="subtract", **network_options)
    else:
        if network_options:
            raise TypeError(f"network options {sorted(network_options)} need statements, not a network")
        network = data
    graph = positive_graph(network)
    if graph.number_of_edges() == 0:
        found = [{node} for node in graph.nodes]
        modularity = 0.0
    elif method is CommunityMethod.LOUVAIN:
        found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
        modularity = nx.community.modularity(graph, found, weight="weight", resolution=resolution)
    else:
        found = nx.community.greedy_modularity_communities(graph, weight="weight", resolution=resolution)
        modularity = nx.community.modularity(graph, found, weight="weight", resolution=resolution)
    groups = sorted((tuple(sorted(group)) for group in found), key=lambda g: (-len(g), g))
    return Coalitions(tuple(groups), float(modularity), method.value)

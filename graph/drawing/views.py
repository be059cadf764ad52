"""What each rendered view shows: the graph selection as a networkx graph both renderers read.

A view is a plain networkx graph whose nodes and edges carry the attributes the HTML renderer
(:mod:`~stancegraph.graph.drawing.pages`) and the figure renderer
(:mod:`~stancegraph.graph.drawing.figures`) draw:

* node: ``label`` (str), ``kind`` (a key of :data:`NODE_STYLES`: ``state``, ``person``, ``organization``,
  ``coalition``, ``actor``, ``demand``, ``plan``, ``point``, ``issue``, ``target``), ``tooltip`` (a tuple
  of text lines), optionally ``x`` / ``y`` (a fixed position) and any measure to size nodes by;
* edge: ``kind`` (a key of :data:`EDGE_STYLES`: a stance name, ``agree`` / ``conflict`` for agreement
  networks, ``adopts`` / ``member`` for influence, ``same`` / ``changed`` / ``dropped`` for plan lineage),
  ``tooltip`` (text lines), ``weight`` (float), and for stance edges ``source`` (IRI), ``source_label``
  and ``date`` (ISO string) so that the page can filter them.

Views (:data:`VIEWS`): ``stances`` (actors -> targets, one edge per reported stance), ``plan`` (one plan's
points with the stances on them and their lineage across plan versions), ``agreement`` (the DNA one-mode
actor network, congruence / conflict / subtract: :mod:`.agreement_view`) and ``influence`` (who adopts
whose demands).
"""

from __future__ import annotations

__all__ = [
    "VIEWS",
    "EDGE_STYLES",
    "NODE_STYLES",
    "EdgeStyle",
    "NodeStyle",
    "selected_stances",
    "stance_view",
    "stance_graph",
    "plan_view",
    "influence_view",
    "view_graph",
]

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from stancegraph.graph.analysis.network_options import (
    Contested,
    parse_choice,
    parse_min_confidence,
    stance_mask,
)
from stancegraph.graph.analysis.selection import stance_rows
from stancegraph.graph.drawing.agreement_view import agreement_view
from stancegraph.graph.drawing.nodes import NodeInfo, add_stance_edges, node_index
from stancegraph.graph.drawing.plan_view import plan_view
from stancegraph.graph.drawing.styles import EDGE_STYLES, NODE_STYLES, EdgeStyle, NodeStyle
from stancegraph.graph.queries.names import short_id
from stancegraph.graph.queries.stances import stances_by_iri

if TYPE_CHECKING:
    import networkx as nx

    from stancegraph.graph.queries.stances import Stance
    from stancegraph.graph.store import Store

VIEWS = ("stances", "agreement", "influence", "plan")


def selected_stances(
    found: Sequence[Stance], contested: Contested | str | bool | None, min_confidence: float | str = 0.0
) -> list[Stance]:
    """The stances that count by ``contested`` (True: only, False: exclude; None: include) and
    ``min_confidence``, in their order (:func:`~stancegraph.graph.analysis.network_options.stance_mask`).

    Raises
    ------
    ValueError
        A ``contested`` choice or a ``min_confidence`` that is not one.
    """
    keep = stance_mask(
        np.array([s.contested for s in found], dtype=bool),
        np.array([np.nan if s.confidence is None else s.confidence for s in found], dtype=np.float64),
        which=_contested_choice(contested),
        min_confidence=parse_min_confidence(min_confidence),
    )
    return [s for s, k in zip(found, keep, strict=True) if k]


def _contested_choice(contested: Contested | str | bool | None) -> Contested:
    """``contested`` as a choice: None is 'include', True 'only', False 'exclude'."""
    if contested is None:
        return Contested.INCLUDE
    if isinstance(contested, bool):
        return Contested.ONLY if contested else Contested.EXCLUDE
    return parse_choice(Contested, contested, "contested")


def stance_view(
    store: Store,
    *,
    actor: str | None = None,
    target: str | None = None,
    stance: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    contested: Contested | str | bool | None = None,
    min_confidence: float = 0.0,
) -> nx.MultiDiGraph:
    """Actors and the targets they take stances on, one edge per reported stance.

    The filters are those of :func:`stancegraph.graph.queries.stances.stances`, applied on the stance table
    (:func:`~stancegraph.graph.analysis.selection.stance_rows`; the chosen stances are then read with their
    provenance by :func:`~stancegraph.graph.queries.stances.stances_by_iri`); ``contested`` also takes
    the networks' choices ('include', 'exclude' = False, 'only' = True) and ``min_confidence`` keeps the
    stances with at least that confidence (:func:`~stancegraph.graph.analysis.network_options.stance_mask`).
    A stance its actor denied is shown, flagged, as :func:`~stancegraph.graph.queries.stances.stances`
    lists it. Each edge's tooltip gives its confidence and contested status. Edge keys are the stance IRIs.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by IRI, edges actor -> target with the attributes listed in the module docstring.
    """
    import polars as pl

    rows = stance_rows(
        store, actor=actor, target=target, stance=stance, source=source, since=since, until=until
    )
    keep = stance_mask(
        rows["contested"].to_numpy(),
        rows["confidence"].fill_null(float("nan")).to_numpy(),
        which=_contested_choice(contested),
        min_confidence=parse_min_confidence(min_confidence),
    )
    found = stances_by_iri(store, rows.filter(pl.Series(keep, dtype=pl.Boolean))["stance"])
    return stance_graph(found, node_index(store))


def stance_graph(found: Sequence[Stance], index: Mapping[str, NodeInfo]) -> nx.MultiDiGraph:
    """The stances view of the stances given: actors and targets (kinds and labels from ``index``, as
    :func:`~stancegraph.graph.drawing.nodes.node_index` gives it), one edge per stance."""
    import networkx as nx

    graph = nx.MultiDiGraph(view="stances")
    add_stance_edges(graph, tuple(found), index)
    return graph


# agreement and influence ---------------------------------------------------------------------------------
def influence_view(
    store: Store,
    *,
    members: bool = True,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    contested: Contested | str = Contested.INCLUDE,
    min_confidence: float = 0.0,
) -> nx.DiGraph:
    """Who takes up whose demands, with PageRank scores (:func:`stancegraph.graph.analysis.influence`,
    with its ``contested`` and ``min_confidence``)."""
    from stancegraph.graph.analysis.influence import influence

    graph = influence(
        store,
        members=members,
        since=since,
        until=until,
        contested=contested,
        min_confidence=min_confidence,
    )
    for node, data in graph.nodes(data=True):
        data["tooltip"] = (
            data["label"],
            f"{NODE_STYLES[data['kind']].legend}: {short_id(node)}",
            f"influence (PageRank): {data['influence']:.3f}",
            f"demands taken up by others: {data['adopted']}",
        )
    return graph


def view_graph(store: Store, view: str, **options: Any) -> nx.Graph:
    """The graph of the named view (one of :data:`VIEWS`), built with the view's keyword options.

    Raises
    ------
    ValueError
        An unknown view name or an option the view does not take.
    """
    builders = {
        "stances": stance_view,
        "plan": plan_view,
        "agreement": agreement_view,
        "influence": influence_view,
    }
    if view not in builders:
        raise ValueError(f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
    options = {k: v for k, v in options.items() if v is not None}
    try:
        return builders[view](store, **options)
    except TypeError as exc:
        if "unexpected keyword" in str(exc):
            raise ValueError(f"the {view!r} view does not take that option ({exc})") from None
        raise

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
actor network, congruence / conflict / subtract) and ``influence`` (who adopts whose demands).
"""

from __future__ import annotations

__all__ = [
    "VIEWS",
    "AGREEMENT_AGGREGATIONS",
    "EDGE_STYLES",
    "NODE_STYLES",
    "EdgeStyle",
    "NodeStyle",
    "selected_stances",
    "stance_view",
    "stance_graph",
    "plan_view",
    "agreement_view",
    "agreement_graph",
    "influence_view",
    "view_graph",
]

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from stancegraph.graph.analysis.network_options import (
    Contested,
    parse_choice,
    parse_min_confidence,
    stance_mask,
)
from stancegraph.graph.analysis.networks import Aggregation
from stancegraph.graph.analysis.selection import stance_rows
from stancegraph.graph.drawing.nodes import NodeInfo, add_stance_edges, node_index
from stancegraph.graph.drawing.plan_view import plan_view
from stancegraph.graph.drawing.signed_layout import signed_layout
from stancegraph.graph.drawing.styles import EDGE_STYLES, NODE_STYLES, EdgeStyle, NodeStyle
from stancegraph.graph.queries.names import short_id
from stancegraph.graph.queries.stances import STANCE_NAMES, stances

if TYPE_CHECKING:
    import networkx as nx
    import polars as pl

    from stancegraph.graph.queries.stances import Stance
    from stancegraph.graph.store import Store

VIEWS = ("stances", "agreement", "influence", "plan")
#: The aggregations the agreement view offers: agreement, disagreement, or the one less the other (DNA).
AGREEMENT_AGGREGATIONS = (Aggregation.CONGRUENCE, Aggregation.CONFLICT, Aggregation.SUBTRACT)


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
    if contested is None:
        contested = Contested.INCLUDE
    elif isinstance(contested, bool):
        contested = Contested.ONLY if contested else Contested.EXCLUDE
    keep = stance_mask(
        np.array([s.contested for s in found], dtype=bool),
        np.array([np.nan if s.confidence is None else s.confidence for s in found], dtype=np.float64),
        which=parse_choice(Contested, contested, "contested"),
        min_confidence=parse_min_confidence(min_confidence),
    )
    return [s for s, k in zip(found, keep, strict=True) if k]


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

    The filters are those of :func:`stancegraph.graph.queries.stances.stances`; ``contested`` also takes
    the networks' choices ('include', 'exclude' = False, 'only' = True) and ``min_confidence`` keeps the
    stances with at least that confidence (:func:`~stancegraph.graph.analysis.network_options.stance_mask`).
    A stance its actor denied is shown, flagged, as :func:`~stancegraph.graph.queries.stances.stances`
    lists it. Each edge's tooltip gives its confidence and contested status. Edge keys are the stance IRIs.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by IRI, edges actor -> target with the attributes listed in the module docstring.
    """
    found = stances(store, actor=actor, target=target, stance=stance, source=source, since=since, until=until)
    return stance_graph(selected_stances(found, contested, min_confidence), node_index(store))


def stance_graph(found: Sequence[Stance], index: Mapping[str, NodeInfo]) -> nx.MultiDiGraph:
    """The stances view of the stances given: actors and targets (kinds and labels from ``index``, as
    :func:`~stancegraph.graph.drawing.nodes.node_index` gives it), one edge per stance."""
    import networkx as nx

    graph = nx.MultiDiGraph(view="stances")
    add_stance_edges(graph, tuple(found), index)
    return graph


# agreement and influence ---------------------------------------------------------------------------------
def agreement_view(
    store: Store,
    *,
    aggregation: str = "congruence",
    normalization: str = "no",
    stance: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    actor: str | None = None,
    target: str | None = None,
    contested: Contested | str = Contested.INCLUDE,
    min_confidence: float = 0.0,
    min_weight: float | None = None,
    backbone: float | None = None,
) -> nx.Graph:
    """The actor x actor agreement network (DNA one-mode) over the selected stances.

    Built with :func:`stancegraph.graph.analysis.one_mode` (boolean qualifier: endorses/concedes/demands
    agree, rejects disagree). Edge ``weight`` is the tie value; ``kind`` is ``agree`` for a positive value
    and ``conflict`` for a negative one, or for any value of a ``conflict`` network. A stance its actor
    denied is no position and is left out, as from every network. Tooltips give, for each actor, the
    confidences of its stances and how many are contested, and for each tie the stance choice.

    Parameters
    ----------
    aggregation : {'congruence', 'conflict', 'subtract'}
    normalization : {'no', 'average', 'jaccard', 'cosine', 'textbook-cosine'}
    stance, source, since, until, actor, target
        Filters on the statements used, as in :func:`stancegraph.graph.queries.stances.stances`.
    contested, min_confidence
        Which stances count, as in :func:`stancegraph.graph.analysis.one_mode`.
    min_weight, backbone
        Draw only the ties of at least this absolute weight, and of those only the disparity backbone at
        this significance (:func:`stancegraph.graph.analysis.backbone.thin`); every actor stays on the
        page, placed by all its ties.
    """
    rows = stance_rows(
        store, stance=stance, source=source, since=since, until=until, actor=actor, target=target
    )
    return agreement_graph(
        _table_stances(rows),
        node_index(store),
        aggregation=aggregation,
        normalization=normalization,
        contested=contested,
        min_confidence=min_confidence,
        min_weight=min_weight,
        backbone=backbone,
    )


class _TableStance(NamedTuple):
    """What :func:`agreement_graph` reads of a stance, from a row of the stance table."""

    iri: str
    actor: str
    actor_label: str
    target: str
    stance: str
    stated_on: dt.date
    source: str
    confidence: float | None
    contested: bool
    denied: bool


def _table_stances(rows: pl.DataFrame) -> list[_TableStance]:
    """The rows of :func:`~stancegraph.graph.analysis.selection.stance_rows` as :func:`stances` would
    give them (labels default to the IRI, stance types named)."""
    names = {iri: name for name, iri in STANCE_NAMES.items()}
    columns = ("stance", "actor", "actor_label", "target", "type", "date", "derived_from", "confidence")
    return [
        _TableStance(
            iri, actor, label or actor, target, names.get(kind, kind), date, source, confidence, c, d
        )
        for (iri, actor, label, target, kind, date, source, confidence, c, d) in rows.select(
            *columns, "contested", "denied"
        ).iter_rows()
    ]


def agreement_graph(
    found: Sequence[Stance],
    index: Mapping[str, NodeInfo],
    *,
    aggregation: str = "congruence",
    normalization: str = "no",
    contested: Contested | str = Contested.INCLUDE,
    min_confidence: float = 0.0,
    min_weight: float | None = None,
    backbone: float | None = None,
) -> nx.Graph:
    """The agreement view (see :func:`agreement_view`) of the stances given; neutral stances and those
    their actor denied are left out here, the rest counted by ``contested`` and ``min_confidence``, the
    ties drawn thinned by ``min_weight`` and ``backbone``."""
    import networkx as nx

    from stancegraph.graph.analysis.backbone import thin
    from stancegraph.graph.analysis.networks import one_mode
    from stancegraph.graph.analysis.statements_table import Statements

    if aggregation not in AGREEMENT_AGGREGATIONS:
        raise ValueError(
            f"aggregation={aggregation!r}: the agreement view takes 'congruence', 'conflict' or 'subtract'"
        )
    contested = parse_choice(Contested, contested, "contested")
    min_confidence = parse_min_confidence(min_confidence)
    found = [s for s in found if s.stance != "neutral" and not s.denied]
    graph = nx.Graph(view="agreement", aggregation=aggregation)
    if not found:
        return graph
    records = [
        {
            "id": s.iri,
            "actor": s.actor,
            "target": s.target,
            "stance": s.stance,
            "date": s.stated_on.isoformat(),
            "source": s.source,
            "confidence": s.confidence,
            "contested": s.contested,
        }
        for s in found
    ]
    table = Statements.from_records(records)
    choice_options = {"qualifier": "boolean", "contested": contested, "min_confidence": min_confidence}
    network = one_mode(table, aggregation=aggregation, normalization=normalization, **choice_options)
    # placed by the signed ties (agreement minus conflict), so that camps come apart whatever is drawn
    signed = (
        network if aggregation == "subtract" else one_mode(table, aggregation="subtract", **choice_options)
    )
    scale = 60.0 * math.sqrt(max(len(signed.row_labels), 1))
    positions = {a: (x * scale, y * scale) for a, (x, y) in signed_layout(signed).items()}
    counted = selected_stances(found, contested, min_confidence)
    choice = f"stances: contested={contested.value}, " + (
        f"min confidence {min_confidence:g}" if min_confidence else "any confidence"
    )
    graph.graph.update(contested=contested.value, min_confidence=min_confidence)
    labels = {s.actor: s.actor_label for s in found}
    counts: dict[str, int] = {}
    disputed: dict[str, int] = {}
    confidences: dict[str, list[str]] = {}
    for s in counted:
        counts[s.actor] = counts.get(s.actor, 0) + 1
        disputed[s.actor] = disputed.get(s.actor, 0) + s.contested
        confidences.setdefault(s.actor, []).append("unknown" if s.confidence is None else f"{s.confidence:g}")
    for iri in network.row_labels:
        info = index.get(iri, NodeInfo("actor", labels.get(iri, short_id(iri))))
        graph.add_node(
            iri,
            label=info.label,
            kind=info.kind,
            tooltip=(
                info.label,
                f"{NODE_STYLES[info.kind].legend}: {short_id(iri)}",
                f"{counts.get(iri, 0)} stance(s) in the selection, {disputed.get(iri, 0)} contested",
                "confidence: " + ", ".join(sorted(set(confidences.get(iri, ["none"])))),
            ),
            **dict(zip(("x", "y"), positions.get(iri, (0.0, 0.0)), strict=True)),
        )
    drawn = thin(network, min_weight=min_weight, backbone=backbone)
    if drawn is not network:
        graph.graph.update(
            ties=network.to_networkx().number_of_edges(), min_weight=min_weight, backbone=backbone
        )
    for a, b, value in drawn.to_networkx().edges(data="weight"):
        kind = "conflict" if aggregation == "conflict" or value < 0 else "agree"
        name_a, name_b = graph.nodes[a]["label"], graph.nodes[b]["label"]
        graph.add_edge(
            a,
            b,
            kind=kind,
            weight=abs(value),
            value=value,
            tooltip=(f"{name_a} \u2013 {name_b}", f"{aggregation}: {value:g}", choice),
        )
    return graph


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

"""The agreement view: the actor x actor network of DNA (congruence, conflict or subtract) over the
selected stances, placed by the signed ties so that camps come apart, its ties thinned on request.

:func:`agreement_view` reads the store's stance table (:func:`~stancegraph.graph.analysis.selection.
stance_rows`) and builds the statements from its columns; :func:`agreement_graph` builds the same view
from :class:`~stancegraph.graph.queries.stances.Stance` objects (a report's selection). Both end in
:func:`_agreement`, so the two ways cannot drift apart.
"""

from __future__ import annotations

__all__ = ["AGREEMENT_AGGREGATIONS", "agreement_view", "agreement_graph"]

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from stancegraph.graph.analysis.network_options import (
    Contested,
    parse_choice,
    parse_min_confidence,
    stance_mask,
)
from stancegraph.graph.analysis.networks import Aggregation
from stancegraph.graph.analysis.selection import stance_rows
from stancegraph.graph.drawing.nodes import NodeInfo, node_index
from stancegraph.graph.drawing.signed_layout import signed_layout
from stancegraph.graph.drawing.styles import NODE_STYLES
from stancegraph.graph.queries.names import short_id
from stancegraph.graph.queries.stances import STANCE_NAMES, stance_name_column

if TYPE_CHECKING:
    import networkx as nx

    from stancegraph.graph.analysis.statements_table import Statements
    from stancegraph.graph.queries.stances import Stance
    from stancegraph.graph.store import Store

#: The aggregations the agreement view offers: agreement, disagreement, or the one less the other (DNA).
AGREEMENT_AGGREGATIONS = (Aggregation.CONGRUENCE, Aggregation.CONFLICT, Aggregation.SUBTRACT)


@dataclass
class _Actor:
    """What an actor's tooltip says of its stances that count."""

    label: str
    stances: int = 0
    contested: int = 0
    confidences: set[str] = field(default_factory=set)


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
    import polars as pl

    from stancegraph.graph.analysis.statements_table import Statements

    _check(aggregation)
    contested = parse_choice(Contested, contested, "contested")
    min_confidence = parse_min_confidence(min_confidence)
    rows = stance_rows(
        store, stance=stance, source=source, since=since, until=until, actor=actor, target=target
    )
    rows = rows.filter(~pl.col("denied") & (pl.col("type") != STANCE_NAMES["neutral"]))
    rows = rows.with_columns(
        stance_name_column("type"),
        pl.col("actor_label").fill_null(pl.col("actor")),
    )

    def text(name: str) -> np.ndarray:
        column = np.empty(rows.height, dtype=object)
        column[:] = rows[name].to_list()
        return column

    confidence = rows["confidence"].fill_null(float("nan")).to_numpy()
    disputed = rows["contested"].to_numpy()
    table = Statements.from_columns(
        id=text("stance"),
        actor=text("actor"),
        target=text("target"),
        stance=text("type"),
        date=rows["date"].to_numpy(),
        source=text("derived_from"),
        confidence=confidence,
        contested=disputed,
    )
    actors = {
        iri: _Actor(label) for iri, label in rows.select("actor", "actor_label").unique("actor").iter_rows()
    }
    keep = stance_mask(disputed, confidence, which=contested, min_confidence=min_confidence)
    counted = rows.filter(pl.Series(keep)).with_columns(
        pl.when(pl.col("confidence").is_null())
        .then(pl.lit("unknown"))
        .otherwise(pl.col("confidence").map_elements(lambda v: f"{v:g}", return_dtype=pl.String))
        .alias("shown")
    )
    summary = counted.group_by("actor").agg(
        pl.len().alias("n"), pl.col("contested").sum().alias("c"), pl.col("shown").unique().alias("shown")
    )
    for iri, n, c, shown in summary.iter_rows():
        actors[iri].stances, actors[iri].contested, actors[iri].confidences = n, c, set(shown)
    return _agreement(
        table,
        actors,
        node_index(store),
        aggregation,
        normalization,
        contested,
        min_confidence,
        min_weight,
        backbone,
    )


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
    from stancegraph.graph.analysis.statements_table import Statements

    _check(aggregation)
    contested = parse_choice(Contested, contested, "contested")
    min_confidence = parse_min_confidence(min_confidence)
    found = [s for s in found if s.stance != "neutral" and not s.denied]
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
    actors = {s.actor: _Actor(s.actor_label) for s in found}
    keep = stance_mask(
        np.array([s.contested for s in found], dtype=bool),
        np.array([np.nan if s.confidence is None else s.confidence for s in found], dtype=np.float64),
        which=contested,
        min_confidence=min_confidence,
    )
    for s in (s for s, k in zip(found, keep, strict=True) if k):
        summary = actors[s.actor]
        summary.stances += 1
        summary.contested += s.contested
        summary.confidences.add("unknown" if s.confidence is None else f"{s.confidence:g}")
    table = Statements.from_records(records) if records else None
    return _agreement(
        table, actors, index, aggregation, normalization, contested, min_confidence, min_weight, backbone
    )


def _check(aggregation: str) -> None:
    if aggregation not in AGREEMENT_AGGREGATIONS:
        raise ValueError(
            f"aggregation={aggregation!r}: the agreement view takes 'congruence', 'conflict' or 'subtract'"
        )


def _agreement(
    table: Statements | None,
    actors: Mapping[str, _Actor],
    index: Mapping[str, NodeInfo],
    aggregation: str,
    normalization: str,
    contested: Contested,
    min_confidence: float,
    min_weight: float | None,
    backbone: float | None,
) -> nx.Graph:
    import networkx as nx

    from stancegraph.graph.analysis.backbone import thin
    from stancegraph.graph.analysis.networks import one_mode

    graph = nx.Graph(view="agreement", aggregation=aggregation)
    if table is None or not len(table):
        return graph
    choice_options = {"qualifier": "boolean", "contested": contested, "min_confidence": min_confidence}
    network = one_mode(table, aggregation=aggregation, normalization=normalization, **choice_options)
    # placed by the signed ties (agreement minus conflict), so that camps come apart whatever is drawn
    signed = (
        network if aggregation == "subtract" else one_mode(table, aggregation="subtract", **choice_options)
    )
    scale = 60.0 * math.sqrt(max(len(signed.row_labels), 1))
    positions = {a: (x * scale, y * scale) for a, (x, y) in signed_layout(signed).items()}
    choice = f"stances: contested={contested.value}, " + (
        f"min confidence {min_confidence:g}" if min_confidence else "any confidence"
    )
    graph.graph.update(contested=contested.value, min_confidence=min_confidence)
    for iri in network.row_labels:
        known = actors.get(iri) or _Actor(short_id(iri))
        info = index.get(iri, NodeInfo("actor", known.label))
        graph.add_node(
            iri,
            label=info.label,
            kind=info.kind,
            tooltip=(
                info.label,
                f"{NODE_STYLES[info.kind].legend}: {short_id(iri)}",
                f"{known.stances} stance(s) in the selection, {known.contested} contested",
                "confidence: " + ", ".join(sorted(known.confidences or {"none"})),
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

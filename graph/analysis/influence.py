"""Influence: who takes up whose demands, as a directed graph with PageRank scores.

An edge A -> B means that B adopted a demand A had made: A is reported to demand D (a stance of type
``sg:Demands`` on the ``sg:Demand`` D) and afterwards either

* a plan attributed to B (``prov:wasAttributedTo``) has a point that fulfils D (``sg:fulfils``), or
* B is reported to endorse or demand D itself.

"Afterwards" compares A's earliest demand of D with the plan's ``dcterms:issued`` date or B's stance date.
Long-standing demands are often dated by the report that summarises them, which can postdate the plan
that met them; ``dated=False`` then counts every adoption whatever the dates. Membership edges
(``org:memberOf``, member -> organisation) may be added for context; they carry ``kind="member"`` and
do not enter the scores.

Only stances that are their actor's position count: a stance its own actor has denied since never does
(:mod:`~stancegraph.graph.queries.contested`), and ``contested`` and ``min_confidence`` choose among the
others as for every network (:func:`~stancegraph.graph.analysis.network_options.stance_mask`). Each
adoption carries the highest confidence of the demander's reports of the demand and, when the adopter
endorsed or demanded it, of the adopter's reports (None: none recorded); the edges' tooltips give both.

The demand and endorse stances are read from the stance table
(:func:`~stancegraph.graph.queries.stance_table.stance_table`: :func:`demand_stances`), which has their
contested and denied flags; which nodes are demands, the plans, their authors and dates and what their
points fulfil are questions of the graph and are asked in SPARQL. The adoptions are joined as columns
(:func:`adoptions_of`).

Influence is the PageRank of the reversed adoption graph (B -> A, "B follows A"), weighted by the number
of demands adopted, so an actor whose demands many others take up ranks high.

References
----------
Page, L., Brin, S., Motwani, R. and Winograd, T. (1999). The PageRank citation ranking: bringing order
to the web. Stanford InfoLab technical report 1999-66.
"""

from __future__ import annotations

__all__ = ["Adoption", "DemandStance", "adoptions", "adoptions_of", "demand_stances", "influence"]

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from stancegraph.graph.analysis.network_options import (
    Contested,
    parse_choice,
    parse_min_confidence,
    stance_mask,
)
from stancegraph.graph.queries.names import short_id
from stancegraph.graph.queries.stance_table import stance_table
from stancegraph.ontology.namespaces import SG_NS

if TYPE_CHECKING:
    import networkx as nx

    from stancegraph.graph.store import Store

_PREFIXES = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
"""

# the demands: the targets whose demand and endorse stances count
_DEMAND_NODES = _PREFIXES + "SELECT ?demand WHERE { ?demand a sg:Demand }"
_DEMANDS, _ENDORSES = SG_NS + "Demands", SG_NS + "Endorses"

#: (actor, demand, date, stance type IRI, confidence) of one demand or endorse stance
DemandStance = tuple[str, str, dt.date, str, float | None]

_PLAN_FULFILS = (
    _PREFIXES
    + """
SELECT ?author ?plan ?issued ?point ?demand WHERE {
  ?plan a sg:Plan ; prov:wasAttributedTo ?author .
  OPTIONAL { ?plan dcterms:issued ?issued }
  ?point skos:inScheme ?plan ; sg:fulfils ?demand .
}
"""
)

_LABELS = (
    _PREFIXES
    + """
SELECT ?node ?label ?type WHERE {
  ?node skos:prefLabel ?label .
  OPTIONAL { ?node a ?type . VALUES ?type { sg:State sg:Person sg:Coalition sg:Organization } }
}
"""
)

_MEMBERS = _PREFIXES + "SELECT ?member ?org WHERE { ?member org:memberOf ?org }"


@dataclass(frozen=True)
class Adoption:
    """``adopter`` took up ``demand``, first made by ``demander``: ``how`` is 'plan' (``via`` is the plan
    point that fulfils it) or 'endorses' / 'demands' (``via`` is the demand itself).

    ``demand_confidence`` is the highest confidence of the demander's counted reports of the demand,
    ``adoption_confidence`` that of the adopter's reports of ``how`` on that day (None for a plan, whose
    point's ``sg:fulfils`` is reference data, and whenever no report records one).
    """

    demander: str
    adopter: str
    demand: str
    how: str
    via: str
    demanded_on: dt.date
    adopted_on: dt.date | None
    demand_confidence: float | None = None
    adoption_confidence: float | None = None


def demand_stances(
    store: Store, *, contested: Contested | str = Contested.INCLUDE, min_confidence: float = 0.0
) -> list[DemandStance]:
    """The demand and endorse stances on ``sg:Demand`` nodes that count (see the module), read from the
    stance table (:func:`~stancegraph.graph.queries.stance_table.stance_table`), in its order (date, then
    stance IRI)."""
    import polars as pl

    nodes = [row[0].value for row in store.query(_DEMAND_NODES) if row[0] is not None]
    found = stance_table(store).filter(
        pl.col("type").is_in([_DEMANDS, _ENDORSES]), pl.col("target").is_in(nodes), ~pl.col("denied")
    )
    keep = stance_mask(
        found["contested"].to_numpy(),
        found["confidence"].fill_null(float("nan")).to_numpy(),
        which=contested,
        min_confidence=min_confidence,
    )
    chosen = found.filter(pl.Series(keep, dtype=pl.Boolean)).select(
        "actor", "target", "date", "type", "confidence"
    )
    return list(chosen.iter_rows())


def adoptions(
    store: Store,
    *,
    dated: bool = True,
    contested: Contested | str = Contested.INCLUDE,
    min_confidence: float = 0.0,
) -> tuple[Adoption, ...]:
    """Every adoption of one actor's demand by another, sorted by demander, adopter, demand, how, via and
    the adoption's date (undated last).

    Parameters
    ----------
    store : Store
    dated : bool, default True
        Count an adoption only when the demand was stated before it (plans without an issue date never
        count); False ignores the dates.
    contested : {'include', 'exclude', 'only'}, default 'include'
        Which demand and endorse stances count by their contested status (denied ones never do).
    min_confidence : float in [0, 1], default 0.0
        Only stances with at least this ``sg:confidence``; one without a confidence counts only at 0.
    """
    found = demand_stances(store, contested=contested, min_confidence=min_confidence)
    return adoptions_of(store, found, dated=dated)


def adoptions_of(store: Store, rows: Iterable[DemandStance], *, dated: bool = True) -> tuple[Adoption, ...]:
    """:func:`adoptions` of the demand and endorse stances ``rows`` (:func:`demand_stances`), in any
    order; the plans and what their points fulfil are read from the graph.

    Joined as columns (polars): each demander's first demand of each demand, with the adopters' stances
    on it and with the plan points that fulfil it; one adoption per (demander, adopter, demand, how, via,
    date), with the highest confidence of the adopter's reports that make it.
    """
    import polars as pl

    stances = pl.DataFrame(
        list(rows),
        schema={"adopter": pl.String, "demand": pl.String, "adopted_on": pl.Date, "type": pl.String,
                "adoption_confidence": pl.Float64},
        orient="row",
    )  # fmt: skip
    first = (
        stances.filter(pl.col("type") == _DEMANDS)
        .group_by("adopter", "demand")
        .agg(demanded_on=pl.col("adopted_on").min(), demand_confidence=pl.col("adoption_confidence").max())
        .rename({"adopter": "demander"})
    )
    fulfilled = pl.DataFrame(
        [
            (author.value, point.value, demand.value, None if issued is None else issued.value)
            for author, _plan, issued, point, demand in store.query(_PLAN_FULFILS)
        ],
        schema={"adopter": pl.String, "via": pl.String, "demand": pl.String, "adopted_on": pl.String},
        orient="row",
    ).with_columns(pl.col("adopted_on").str.to_date("%Y-%m-%d"))
    adopted = [pl.col("demander") != pl.col("adopter")]
    if dated:
        adopted.append(pl.col("demanded_on") < pl.col("adopted_on"))  # null: undated, never later
    by_stance = (
        stances.with_columns(
            how=pl.when(pl.col("type") == _DEMANDS).then(pl.lit("demands")).otherwise(pl.lit("endorses")),
            via=pl.col("demand"),
        )
        .join(first, on="demand")
        .filter(*adopted)
        .group_by("demander", "adopter", "demand", "how", "via", "demanded_on", "adopted_on")
        .agg(pl.col("demand_confidence").first(), pl.col("adoption_confidence").max())
    )
    by_plan = (
        fulfilled.unique()
        .join(first, on="demand")
        .filter(*adopted)
        .with_columns(how=pl.lit("plan"), adoption_confidence=pl.lit(None, dtype=pl.Float64))
    )
    columns = [field.name for field in fields(Adoption)]
    found = pl.concat([by_stance.select(columns), by_plan.select(columns)])
    found = found.sort([*columns[:5], "adopted_on"], nulls_last=True)
    return tuple(Adoption(*row) for row in found.iter_rows())


def _confidence_text(confidence: float | None) -> str:
    return "not recorded" if confidence is None else f"{confidence:g}"


def influence(
    store: Store,
    *,
    dated: bool = True,
    members: bool = True,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    alpha: float = 0.85,
    contested: Contested | str = Contested.INCLUDE,
    min_confidence: float = 0.0,
) -> nx.DiGraph:
    """The directed influence graph with a PageRank score per actor.

    Parameters
    ----------
    store : Store
    dated : bool, default True
        See :func:`adoptions`.
    members : bool, default True
        Add ``member`` edges (member -> organisation) between actors already in the graph.
    since, until : date or ISO str, optional
        Keep adoptions dated within these bounds (inclusive; undated ones are kept).
    alpha : float
        PageRank damping factor.
    contested, min_confidence
        Which stances count, as in :func:`adoptions` (default: every stance its actor has not denied).

    Returns
    -------
    networkx.DiGraph
        Nodes: actors (``label``, ``kind``, ``influence`` = PageRank, ``adopted`` = how many of their
        demands others took up; the page's tooltips are added by
        :func:`stancegraph.graph.drawing.influence_view`). Edges: ``kind`` 'adopts' with ``weight`` = the
        number of demands, ``demands`` = their IRIs and ``tooltip`` = one line per adoption with the
        confidence of the demand's and the adopter's reports, or ``kind`` 'member' with weight 0.
    """
    import networkx as nx

    contested = parse_choice(Contested, contested, "contested")
    min_confidence = parse_min_confidence(min_confidence)
    lo = dt.date.fromisoformat(since) if isinstance(since, str) else since
    hi = dt.date.fromisoformat(until) if isinstance(until, str) else until
    kept = [
        a
        for a in adoptions(store, dated=dated, contested=contested, min_confidence=min_confidence)
        if a.adopted_on is None or ((lo is None or a.adopted_on >= lo) and (hi is None or a.adopted_on <= hi))
    ]
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for node, label, cls in store.query(_LABELS):
        labels.setdefault(node.value, label.value)
        if cls is not None:
            kind = cls.value.rsplit("#", 1)[-1].lower()
            if kinds.get(node.value) != "coalition":
                kinds[node.value] = kind

    graph = nx.DiGraph(view="influence", contested=contested.value, min_confidence=min_confidence)
    pairs: dict[tuple[str, str], list[Adoption]] = {}
    for a in kept:
        pairs.setdefault((a.demander, a.adopter), []).append(a)
    for (demander, adopter), found in pairs.items():
        for actor in (demander, adopter):
            if actor not in graph:
                graph.add_node(
                    actor, label=labels.get(actor, short_id(actor)), kind=kinds.get(actor, "actor")
                )
        demands = sorted({a.demand for a in found})
        lines = [
            f"{labels.get(adopter, short_id(adopter))} took up demands of "
            f"{labels.get(demander, short_id(demander))}:"
        ]
        for a in found:
            via = f"point {short_id(a.via)}" if a.how == "plan" else a.how
            sure = f"confidence of the demand: {_confidence_text(a.demand_confidence)}"
            if a.how != "plan":
                sure += f", of the adopter's {a.how}: {_confidence_text(a.adoption_confidence)}"
            lines.append(
                f"{labels.get(a.demand, short_id(a.demand))} ({via}"
                + (f", {a.adopted_on.isoformat()}" if a.adopted_on else "")
                + f"; {sure})"
            )
        graph.add_edge(
            demander,
            adopter,
            kind="adopts",
            weight=float(len(demands)),
            demands=tuple(demands),
            tooltip=tuple(lines),
        )
    followers = nx.DiGraph()
    followers.add_nodes_from(graph)
    followers.add_weighted_edges_from((b, a, d["weight"]) for a, b, d in graph.edges(data=True))
    scores = nx.pagerank(followers, alpha=alpha, weight="weight") if len(followers) else {}
    for node, data in graph.nodes(data=True):
        data["influence"] = scores.get(node, 0.0)
        data["adopted"] = sum(len(d["demands"]) for _, _, d in graph.out_edges(node, data=True))
    if members:
        for member, org in store.query(_MEMBERS):
            if member.value in graph and org.value in graph and not graph.has_edge(member.value, org.value):
                graph.add_edge(
                    member.value,
                    org.value,
                    kind="member",
                    weight=0.0,
                    tooltip=(
                        f"{graph.nodes[member.value]['label']} is a member of "
                        f"{graph.nodes[org.value]['label']}",
                    ),
                )
    return graph

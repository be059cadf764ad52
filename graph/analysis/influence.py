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

Influence is the PageRank of the reversed adoption graph (B -> A, "B follows A"), weighted by the number
of demands adopted, so an actor whose demands many others take up ranks high.

References
----------
Page, L., Brin, S., Motwani, R. and Winograd, T. (1999). The PageRank citation ranking: bringing order
to the web. Stanford InfoLab technical report 1999-66.
"""

from __future__ import annotations

__all__ = ["Adoption", "adoptions", "influence"]

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancegraph.graph.queries.names import short_id

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

# (actor, demand, date, kind) for every stance that demands or endorses a sg:Demand
_DEMAND_STANCES = (
    _PREFIXES
    + """
SELECT ?actor ?demand ?date ?type WHERE {
  GRAPH ?g {
    ?s a sg:Stance ; sg:actor ?actor ; sg:target ?demand ; sg:stanceType ?type ; sg:statedOn ?date .
  }
  VALUES ?type { sg:Demands sg:Endorses }
  ?demand a sg:Demand .
}
"""
)

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
    point that fulfils it) or 'endorses' / 'demands' (``via`` is the demand itself)."""

    demander: str
    adopter: str
    demand: str
    how: str
    via: str
    demanded_on: dt.date
    adopted_on: dt.date | None


def adoptions(store: Store, *, dated: bool = True) -> tuple[Adoption, ...]:
    """Every adoption of one actor's demand by another, sorted by demander, adopter, demand.

    Parameters
    ----------
    store : Store
    dated : bool, default True
        Count an adoption only when the demand was stated before it (plans without an issue date never
        count); False ignores the dates.
    """
    first_demand: dict[tuple[str, str], dt.date] = {}
    support: list[tuple[str, str, dt.date, str]] = []
    for actor, demand, date, kind in store.query(_DEMAND_STANCES):
        day = dt.date.fromisoformat(date.value)
        name = "demands" if kind.value.endswith("Demands") else "endorses"
        support.append((actor.value, demand.value, day, name))
        if name == "demands":
            key = (actor.value, demand.value)
            first_demand[key] = min(day, first_demand.get(key, day))
    by_demand: dict[str, list[tuple[str, dt.date]]] = {}
    for (actor, demand), day in first_demand.items():
        by_demand.setdefault(demand, []).append((actor, day))

    def later(made: dt.date, adopted: dt.date | None) -> bool:
        return not dated or (adopted is not None and made < adopted)

    found: set[Adoption] = set()
    for adopter, demand, day, name in support:
        for demander, made in by_demand.get(demand, ()):
            if demander != adopter and later(made, day):
                found.add(Adoption(demander, adopter, demand, name, demand, made, day))
    for author, _plan, issued, point, demand in store.query(_PLAN_FULFILS):
        day = dt.date.fromisoformat(issued.value) if issued is not None else None
        for demander, made in by_demand.get(demand.value, ()):
            if demander != author.value and later(made, day):
                found.add(Adoption(demander, author.value, demand.value, "plan", point.value, made, day))
    return tuple(sorted(found, key=lambda a: (a.demander, a.adopter, a.demand, a.how, a.via)))


def influence(
    store: Store,
    *,
    dated: bool = True,
    members: bool = True,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    alpha: float = 0.85,
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

    Returns
    -------
    networkx.DiGraph
        Nodes: actors (``label``, ``kind``, ``influence`` = PageRank, ``adopted`` = how many of their
        demands others took up; the page's tooltips are added by
        :func:`stancegraph.graph.drawing.influence_view`). Edges: ``kind`` 'adopts' with ``weight`` = the
        number of demands and ``demands`` = their IRIs, or ``kind`` 'member' with weight 0.
    """
    import networkx as nx

    lo = dt.date.fromisoformat(since) if isinstance(since, str) else since
    hi = dt.date.fromisoformat(until) if isinstance(until, str) else until
    kept = [
        a
        for a in adoptions(store, dated=dated)
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

    graph = nx.DiGraph(view="influence")
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
            lines.append(
                f"{labels.get(a.demand, short_id(a.demand))} ({via}"
                + (f", {a.adopted_on.isoformat()}" if a.adopted_on else "")
                + ")"
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

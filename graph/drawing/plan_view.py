"""The plan view: one plan's points with the stances on them and their lineage across plan versions."""

from __future__ import annotations

__all__ = ["plan_view"]

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from stancegraph.graph.analysis.selection import stance_rows
from stancegraph.graph.drawing.nodes import PREFIXES, add_stance_edges, node_index
from stancegraph.graph.queries.names import resolve, short_id
from stancegraph.graph.queries.stances import stances_by_iri

if TYPE_CHECKING:
    import networkx as nx

    from stancegraph.graph.store import Store

# plan view ---------------------------------------------------------------------------------------------
_PLANS_QUERY = (
    PREFIXES
    + """
SELECT ?plan ?label ?issued ?earlier WHERE {
  ?plan a sg:Plan .
  OPTIONAL { ?plan skos:prefLabel ?label }
  OPTIONAL { ?plan dcterms:issued ?issued }
  OPTIONAL { ?plan prov:wasRevisionOf ?earlier }
}
"""
)

_POINTS_QUERY = (
    PREFIXES
    + """
SELECT ?point ?plan ?notation ?label ?definition WHERE {
  ?point a sg:PlanPoint ; skos:inScheme ?plan ; skos:notation ?notation .
  OPTIONAL { ?point skos:prefLabel ?label }
  OPTIONAL { ?point skos:definition ?definition }
}
"""
)

_LINKS_QUERY = (
    PREFIXES
    + """
SELECT ?point ?relation ?other ?otherLabel ?note WHERE {
  ?point a sg:PlanPoint ; ?relation ?other .
  VALUES ?relation { skos:exactMatch skos:closeMatch sg:droppedIn sg:fulfils sg:opposes }
  OPTIONAL { ?other skos:prefLabel ?otherLabel }
  OPTIONAL { ?point skos:changeNote ?note }
}
"""
)


def _notation_key(notation: str) -> tuple[int, str]:
    return (int(notation), "") if notation.isdigit() else (10**6, notation)


def plan_view(
    store: Store,
    plan: str = "us-28",
    *,
    lineage: bool = True,
    stance: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    actor: str | None = None,
) -> nx.MultiDiGraph:
    """Every point of ``plan`` with who endorses, concedes or rejects it, and its fate in other versions.

    Each point is a node labelled "number. title" whose tooltip says what it says, which demands it
    fulfils or opposes and what became of it; stances on the points and on the plan as a whole are edges
    from the actors. With ``lineage`` the points of the other versions that match a point are added, with
    dashed edges (``same`` for ``skos:exactMatch``, ``changed`` for ``skos:closeMatch`` with the change
    note). Nodes carry fixed positions: actors in a column on the left, each plan version a column of its
    points in number order, versions left to right by date.

    Parameters
    ----------
    store : Store
    plan : str
        The plan version (id, IRI or label); default the US 28-point draft.
    lineage : bool
        Add the matching points of the other plan versions.
    stance, source, since, until, actor
        Filters on the stances drawn, as in :func:`stancegraph.graph.queries.stances.stances`.

    Returns
    -------
    networkx.MultiDiGraph
    """
    import networkx as nx

    plan_iri = resolve(store, plan, kind="plan")
    index = node_index(store)
    plans = {}
    for p, label, issued, earlier in store.query(_PLANS_QUERY):
        plans.setdefault(
            p.value,
            (
                label.value if label else short_id(p.value),
                issued.value if issued else "",
                earlier.value if earlier else None,
            ),
        )
    points: dict[str, dict[str, Any]] = {}
    for point, in_plan, notation, label, definition in store.query(_POINTS_QUERY):
        points.setdefault(
            point.value,
            {
                "plan": in_plan.value,
                "notation": notation.value,
                "label": label.value if label else "",
                "definition": definition.value if definition else "",
                "links": [],
            },
        )
    for point, relation, other, other_label, note in store.query(_LINKS_QUERY):
        if point.value in points:
            points[point.value]["links"].append(
                (
                    relation.value.rsplit("#", 1)[-1],
                    other.value,
                    other_label.value if other_label else "",
                    note.value if note else "",
                )
            )
    own = sorted(
        (p for p, d in points.items() if d["plan"] == plan_iri),
        key=lambda p: _notation_key(points[p]["notation"]),
    )
    shown = set(own)
    if lineage:  # follow lineage links both ways, across any number of versions
        frontier = list(own)
        while frontier:
            p = frontier.pop()
            linked = [o for rel, o, _, _ in points[p]["links"] if rel in ("exactMatch", "closeMatch")]
            linked += [
                q
                for q, d in points.items()
                if any(rel in ("exactMatch", "closeMatch") and o == p for rel, o, _, _ in d["links"])
            ]
            for q in linked:
                if q in points and q not in shown:
                    shown.add(q)
                    frontier.append(q)

    graph = nx.MultiDiGraph(view="plan", plan=plan_iri, plan_label=plans.get(plan_iri, ("",))[0])
    versions = sorted(
        {points[p]["plan"] for p in shown} | {plan_iri}, key=lambda v: (plans.get(v, ("", "", None))[1], v)
    )
    column = {v: i + 1 for i, v in enumerate(versions)}
    for v in versions:
        label, issued, _ = plans.get(v, (short_id(v), "", None))
        graph.add_node(
            v,
            label=label,
            kind="plan",
            x=column[v] * 520.0,
            y=-120.0,
            tooltip=(label, f"plan version {short_id(v)}" + (f", issued {issued}" if issued else "")),
        )
    rows = {v: 0 for v in versions}
    for p in sorted(shown, key=lambda p: (column[points[p]["plan"]], _notation_key(points[p]["notation"]))):
        d = points[p]
        graph.add_node(
            p, **_point_node(p, d, plans, points, column[d["plan"]] * 520.0, rows[d["plan"]] * 46.0)
        )
        rows[d["plan"]] += 1
    for p in shown:
        for rel, other, _, note in points[p]["links"]:
            if rel in ("exactMatch", "closeMatch") and other in shown:
                kind = "same" if rel == "exactMatch" else "changed"
                lines = (
                    f"{graph.nodes[p]['label']} ({short_id(p)})",
                    f"{'same as' if kind == 'same' else 'changed from'} {short_id(other)}",
                )
                graph.add_edge(
                    other,
                    p,
                    key=f"{other} {rel} {p}",
                    kind=kind,
                    weight=1.0,
                    tooltip=lines + ((f"change: {note}",) if note and kind == "changed" else ()),
                )

    import polars as pl

    # the stances on what the view shows, chosen on the stance table, then read with their provenance
    chosen = stance_rows(store, stance=stance, source=source, since=since, until=until, actor=actor)
    found = stances_by_iri(store, chosen.filter(pl.col("target").is_in(list(graph.nodes)))["stance"])
    add_stance_edges(graph, found, index)
    actors = sorted(
        (n for n, d in graph.nodes(data=True) if d["kind"] not in ("plan", "point", "dropped")),
        key=lambda n: graph.nodes[n]["label"].casefold(),
    )
    span = max(rows.values(), default=1) * 46.0
    step = span / max(len(actors), 1)
    for i, a in enumerate(actors):
        graph.nodes[a]["x"], graph.nodes[a]["y"] = 0.0, i * step
    return graph


def _point_node(p: str, d: Mapping[str, Any], plans: Mapping, points: Mapping, x: float, y: float) -> dict:
    title = f"{d['notation']}. {d['label']}" if d["label"] else f"point {d['notation']}"
    lines = [title, f"{plans.get(d['plan'], (short_id(d['plan']),))[0]} ({short_id(p)})"]
    if d["definition"]:
        lines.append(d["definition"])
    dropped = False
    for rel, other, other_label, note in sorted(d["links"]):
        if rel == "fulfils":
            lines.append(f"fulfils the demand: {other_label or short_id(other)}")
        elif rel == "opposes":
            lines.append(f"opposes the demand: {other_label or short_id(other)}")
        elif rel == "droppedIn":
            dropped = True
            lines.append(f"dropped in: {plans.get(other, (short_id(other),))[0]}")
        elif rel == "exactMatch":
            lines.append(f"unchanged from {short_id(other)}")
        elif rel == "closeMatch":
            lines.append(f"changed from {short_id(other)}" + (f": {note}" if note else ""))
    later = sorted(
        q
        for q, e in points.items()
        for rel, o, _, _ in e["links"]
        if o == p and rel in ("exactMatch", "closeMatch")
    )
    if later:
        lines.append("carried into: " + ", ".join(short_id(q) for q in later))
    return {
        "label": title,
        "kind": "dropped" if dropped else "point",
        "tooltip": tuple(lines),
        "x": x,
        "y": y,
        "plan": d["plan"],
        "notation": d["notation"],
    }

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
    "EDGE_STYLES",
    "NODE_STYLES",
    "EdgeStyle",
    "NodeStyle",
    "stance_view",
    "plan_view",
    "agreement_view",
    "influence_view",
    "view_graph",
]

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stancegraph.graph.queries.names import resolve, short_id
from stancegraph.graph.queries.stances import Stance, stances

if TYPE_CHECKING:
    import networkx as nx

    from stancegraph.graph.store import Store

VIEWS = ("stances", "agreement", "influence", "plan")

_SG = "https://w3id.org/stancegraph/ontology#"
_PREFIXES = f"""
PREFIX sg: <{_SG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
"""


@dataclass(frozen=True)
class EdgeStyle:
    """How an edge kind is drawn: colour, legend text, dashed or not."""

    colour: str
    legend: str
    dashed: bool = False


@dataclass(frozen=True)
class NodeStyle:
    """How a node kind is drawn: fill colour, vis-network shape, matplotlib marker, legend text."""

    colour: str
    shape: str
    marker: str
    legend: str


#: Edge colours as discourse-network researchers read them: green agree, red disagree, blue ambivalent.
EDGE_STYLES: Mapping[str, EdgeStyle] = {
    "endorses": EdgeStyle("#1a9850", "endorses"),
    "rejects": EdgeStyle("#d73027", "rejects"),
    "ambivalent": EdgeStyle("#4575b4", "ambivalent (endorses and rejects)"),
    "concedes": EdgeStyle("#e08b00", "concedes"),
    "demands": EdgeStyle("#8e44ad", "demands"),
    "neutral": EdgeStyle("#969696", "neutral"),
    "agree": EdgeStyle("#1a9850", "agreement (shared stances)"),
    "conflict": EdgeStyle("#d73027", "conflict (opposed stances)"),
    "adopts": EdgeStyle("#2c7fb8", "demand taken up (A -> B: B adopts A's demand)"),
    "member": EdgeStyle("#969696", "member of", dashed=True),
    "same": EdgeStyle("#7f7f7f", "same point in a later version", dashed=True),
    "changed": EdgeStyle("#b8860b", "changed in a later version", dashed=True),
}

#: Node fills by actor type and target kind (light, so that the edge colours stand out).
NODE_STYLES: Mapping[str, NodeStyle] = {
    "state": NodeStyle("#9ecae1", "dot", "o", "state"),
    "person": NodeStyle("#fdd0a2", "dot", "o", "person"),
    "organization": NodeStyle("#dadaeb", "dot", "o", "organisation"),
    "coalition": NodeStyle("#c7e9c0", "dot", "o", "coalition / alliance"),
    "actor": NodeStyle("#d9d9d9", "dot", "o", "actor"),
    "demand": NodeStyle("#fcbba1", "diamond", "D", "demand"),
    "plan": NodeStyle("#fff176", "star", "*", "plan"),
    "point": NodeStyle("#fff9c4", "box", "s", "plan point"),
    "dropped": NodeStyle("#eeeeee", "box", "s", "point dropped later"),
    "issue": NodeStyle("#e0e0e0", "triangle", "^", "issue"),
    "target": NodeStyle("#e0e0e0", "triangle", "^", "target"),
}

_KIND_OF_CLASS = {
    _SG + "State": "state",
    _SG + "Person": "person",
    _SG + "Coalition": "coalition",
    _SG + "Organization": "organization",
    _SG + "Demand": "demand",
    _SG + "Plan": "plan",
    _SG + "PlanPoint": "point",
    _SG + "Issue": "issue",
}
_KIND_RANK = list(_KIND_OF_CLASS.values())  # coalition before organization: the more specific class wins

_TYPES_QUERY = (
    _PREFIXES
    + """
SELECT DISTINCT ?node ?class ?label WHERE {
  VALUES ?class { sg:State sg:Person sg:Coalition sg:Organization sg:Demand sg:Plan sg:PlanPoint sg:Issue }
  { ?node a ?class } UNION { GRAPH ?g { ?node a ?class } }
  OPTIONAL { ?node skos:prefLabel ?label }
}
"""
)


@dataclass(frozen=True)
class _NodeInfo:
    kind: str
    label: str


def _node_index(store: Store) -> dict[str, _NodeInfo]:
    """Kind and label of every typed actor and target in the store."""
    found: dict[str, tuple[int, str]] = {}
    labels: dict[str, str] = {}
    for node, cls, label in store.query(_TYPES_QUERY):
        kind = _KIND_OF_CLASS[cls.value]
        rank = _KIND_RANK.index(kind)
        if node.value not in found or rank < found[node.value][0]:
            found[node.value] = (rank, kind)
        if label is not None:
            labels.setdefault(node.value, label.value)
    return {iri: _NodeInfo(kind, labels.get(iri, short_id(iri))) for iri, (_, kind) in found.items()}


def _stance_lines(s: Stance) -> tuple[str, ...]:
    voiced = f" (voiced by {s.person_label or short_id(s.person)})" if s.person else ""
    lines = [
        f"{s.actor_label}{voiced} {s.stance} {s.target_label}",
        f"stated on {s.stated_on.isoformat()}",
        f"source: {s.source_title}" + (f" ({s.publisher})" if s.publisher else ""),
    ]
    if s.reported_by:
        lines.append(f"reported by: {s.reported_by_label or short_id(s.reported_by)}")
    if s.quote:
        lines.append(f"quote: \u201c{s.quote}\u201d")
    if s.confidence is not None:
        lines.append(f"confidence: {s.confidence:g}")
    if s.contested:
        lines.append("contested: another report disputes this")
    return tuple(lines)


def _add_stance_edges(
    graph: nx.MultiDiGraph, found: tuple[Stance, ...], index: Mapping[str, _NodeInfo], *, target_label=None
) -> None:
    for s in found:
        for iri, label, fallback in ((s.actor, s.actor_label, "actor"), (s.target, s.target_label, "target")):
            if iri not in graph:
                info = index.get(iri, _NodeInfo(fallback, label))
                shown = target_label(iri, label) if target_label and fallback == "target" else label
                graph.add_node(
                    iri,
                    label=shown,
                    kind=info.kind,
                    tooltip=(label, f"{NODE_STYLES[info.kind].legend}: {short_id(iri)}"),
                )
        graph.add_edge(
            s.actor,
            s.target,
            key=s.iri,
            kind=s.stance if s.stance in EDGE_STYLES else "neutral",
            weight=1.0,
            source=s.source,
            source_label=s.source_title,
            date=s.stated_on.isoformat(),
            contested=s.contested,
            tooltip=_stance_lines(s),
        )


def stance_view(
    store: Store,
    *,
    actor: str | None = None,
    target: str | None = None,
    stance: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    contested: bool | None = None,
) -> nx.MultiDiGraph:
    """Actors and the targets they take stances on, one edge per reported stance.

    The filters are those of :func:`stancegraph.graph.queries.stances.stances`. Edge keys are the stance IRIs.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by IRI, edges actor -> target with the attributes listed in the module docstring.
    """
    import networkx as nx

    found = stances(
        store,
        actor=actor,
        target=target,
        stance=stance,
        source=source,
        since=since,
        until=until,
        contested=contested,
    )
    graph = nx.MultiDiGraph(view="stances")
    _add_stance_edges(graph, found, _node_index(store))
    return graph


# plan view ---------------------------------------------------------------------------------------------
_PLANS_QUERY = (
    _PREFIXES
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
    _PREFIXES
    + """
SELECT ?point ?plan ?notation ?label ?definition WHERE {
  ?point a sg:PlanPoint ; skos:inScheme ?plan ; skos:notation ?notation .
  OPTIONAL { ?point skos:prefLabel ?label }
  OPTIONAL { ?point skos:definition ?definition }
}
"""
)

_LINKS_QUERY = (
    _PREFIXES
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
    index = _node_index(store)
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

    found = [
        s
        for s in stances(store, stance=stance, source=source, since=since, until=until, actor=actor)
        if s.target in graph
    ]
    _add_stance_edges(graph, tuple(found), index)
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
) -> nx.Graph:
    """The actor x actor agreement network (DNA one-mode) over the selected stances.

    Built with :func:`stancegraph.graph.analysis.one_mode` (boolean qualifier: endorses/concedes/demands
    agree, rejects disagree). Edge ``weight`` is the tie value; ``kind`` is ``agree`` for a positive value
    and ``conflict`` for a negative one, or for any value of a ``conflict`` network.

    Parameters
    ----------
    aggregation : {'congruence', 'conflict', 'subtract'}
    normalization : {'no', 'average', 'jaccard', 'cosine', 'textbook-cosine'}
    stance, source, since, until, actor, target
        Filters on the statements used, as in :func:`stancegraph.graph.queries.stances.stances`.
    """
    import networkx as nx

    from stancegraph.graph.analysis.networks import one_mode
    from stancegraph.graph.analysis.statements_table import Statements

    if aggregation not in ("congruence", "conflict", "subtract"):
        raise ValueError(
            f"aggregation={aggregation!r}: the agreement view takes 'congruence', 'conflict' or 'subtract'"
        )
    found = [
        s
        for s in stances(
            store, stance=stance, source=source, since=since, until=until, actor=actor, target=target
        )
        if s.stance != "neutral"
    ]
    index = _node_index(store)
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
        }
        for s in found
    ]
    network = one_mode(
        Statements.from_records(records),
        aggregation=aggregation,
        normalization=normalization,
        qualifier="boolean",
    )
    labels = {s.actor: s.actor_label for s in found}
    counts: dict[str, int] = {}
    for s in found:
        counts[s.actor] = counts.get(s.actor, 0) + 1
    for iri in network.row_labels:
        info = index.get(iri, _NodeInfo("actor", labels.get(iri, short_id(iri))))
        graph.add_node(
            iri,
            label=info.label,
            kind=info.kind,
            tooltip=(
                info.label,
                f"{NODE_STYLES[info.kind].legend}: {short_id(iri)}",
                f"{counts.get(iri, 0)} stance(s) in the selection",
            ),
        )
    for a, b, value in network.to_networkx().edges(data="weight"):
        kind = "conflict" if aggregation == "conflict" or value < 0 else "agree"
        name_a, name_b = graph.nodes[a]["label"], graph.nodes[b]["label"]
        graph.add_edge(
            a,
            b,
            kind=kind,
            weight=abs(value),
            value=value,
            tooltip=(f"{name_a} \u2013 {name_b}", f"{aggregation}: {value:g}"),
        )
    return graph


def influence_view(
    store: Store,
    *,
    members: bool = True,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> nx.DiGraph:
    """Who takes up whose demands, with PageRank scores (:func:`stancegraph.graph.analysis.influence`)."""
    from stancegraph.graph.analysis.influence import influence

    graph = influence(store, members=members, since=since, until=until)
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

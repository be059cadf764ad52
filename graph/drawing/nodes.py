"""What every view needs about the nodes: each node's kind and label from the store, and stance edges with
the tooltip lines that say who reported the stance, where, when and how sure we are."""

from __future__ import annotations

__all__ = ["PREFIXES", "KIND_OF_CLASS", "NodeInfo", "node_index", "stance_lines", "add_stance_edges"]

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancegraph.graph.drawing.styles import EDGE_STYLES, NODE_STYLES
from stancegraph.graph.queries.names import short_id
from stancegraph.graph.queries.stances import Stance
from stancegraph.ontology.namespaces import DCTERMS_NS, ORG_NS, PROV_NS, SG_NS, SKOS_NS

if TYPE_CHECKING:
    import networkx as nx

    from stancegraph.graph.store import Store

#: The prologue of the views' queries.
PREFIXES = f"""
PREFIX sg: <{SG_NS}>
PREFIX skos: <{SKOS_NS}>
PREFIX dcterms: <{DCTERMS_NS}>
PREFIX prov: <{PROV_NS}>
PREFIX org: <{ORG_NS}>
"""

KIND_OF_CLASS = {
    SG_NS + "State": "state",
    SG_NS + "Person": "person",
    SG_NS + "Coalition": "coalition",
    SG_NS + "Organization": "organization",
    SG_NS + "Demand": "demand",
    SG_NS + "Plan": "plan",
    SG_NS + "PlanPoint": "point",
    SG_NS + "Issue": "issue",
}
_KIND_RANK = list(KIND_OF_CLASS.values())  # coalition before organization: the more specific class wins

_TYPES_QUERY = (
    PREFIXES
    + """
SELECT DISTINCT ?node ?class ?label WHERE {
  VALUES ?class { sg:State sg:Person sg:Coalition sg:Organization sg:Demand sg:Plan sg:PlanPoint sg:Issue }
  { ?node a ?class } UNION { GRAPH ?g { ?node a ?class } }
  OPTIONAL { ?node skos:prefLabel ?label }
}
"""
)


@dataclass(frozen=True)
class NodeInfo:
    kind: str
    label: str


def node_index(store: Store) -> dict[str, NodeInfo]:
    """Kind and label of every typed actor and target in the store."""
    found: dict[str, tuple[int, str]] = {}
    labels: dict[str, str] = {}
    for node, cls, label in store.query(_TYPES_QUERY):
        kind = KIND_OF_CLASS[cls.value]
        rank = _KIND_RANK.index(kind)
        if node.value not in found or rank < found[node.value][0]:
            found[node.value] = (rank, kind)
        if label is not None:
            labels.setdefault(node.value, label.value)
    return {iri: NodeInfo(kind, labels.get(iri, short_id(iri))) for iri, (_, kind) in found.items()}


def stance_lines(s: Stance) -> tuple[str, ...]:
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
    lines.append(f"confidence: {s.confidence:g}" if s.confidence is not None else "confidence: not recorded")
    if s.denied:
        lines.append("denied: its actor has denied it since, so it is not the actor's position")
    if s.contested:
        lines.append("contested: another report disputes this")
    return tuple(lines)


def add_stance_edges(
    graph: nx.MultiDiGraph, found: tuple[Stance, ...], index: Mapping[str, NodeInfo], *, target_label=None
) -> None:
    for s in found:
        for iri, label, fallback in ((s.actor, s.actor_label, "actor"), (s.target, s.target_label, "target")):
            if iri not in graph:
                info = index.get(iri, NodeInfo(fallback, label))
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
            tooltip=stance_lines(s),
        )

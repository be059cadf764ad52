"""How each kind of node and edge is drawn: the colours discourse-network researchers read (green agree,
red disagree, blue ambivalent), shapes, markers and legend texts, shared by the pages and the figures."""

from __future__ import annotations

__all__ = ["EdgeStyle", "NodeStyle", "EDGE_STYLES", "NODE_STYLES"]

from collections.abc import Mapping
from dataclasses import dataclass


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

"""Reading a SHACL shapes graph for :mod:`~stancegraph.graph.validation.compiler`: the ``sh:`` keys of each
node, checked against what the compiler supports, and the terms as SPARQL text.

Every node that carries ``sh:`` triples must be understood (:meth:`ShapeReader.check_everything_accounted`):
a construct the compiler does not know is refused with
:class:`~stancegraph.graph.validation.shapes.ShapeCompileError`, never skipped.
"""

from __future__ import annotations

__all__ = [
    "ANNOTATIONS",
    "NODE_SHAPE_KEYS",
    "PROPERTY_SHAPE_KEYS",
    "SPARQL_KEYS",
    "TARGET_KEYS",
    "ShapeReader",
]

from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode

from stancegraph.graph.validation.shapes import ShapeCompileError
from stancegraph.ontology.namespaces import SH_NS

if TYPE_CHECKING:
    import rdflib

# What each kind of node in the shapes graph may carry. Annotations outside sh: are free.
ANNOTATIONS = {"name", "description", "message", "order", "group", "deactivated", "severity"}
TARGET_KEYS = ("targetClass", "targetSubjectsOf")  # the targets the compiler understands
#: A node shape may also require a class of its focus node itself (``sh:class``: an rdfs:domain).
NODE_SHAPE_KEYS = ANNOTATIONS | {*TARGET_KEYS, "property", "sparql", "class"}
VALUE_KEYS = {
    "class",
    "datatype",
    "nodeKind",
    "in",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "pattern",
    "flags",
    "minLength",
    "maxLength",
    "or",
}
PROPERTY_SHAPE_KEYS = ANNOTATIONS | VALUE_KEYS | {"path", "minCount", "maxCount", "uniqueLang", *TARGET_KEYS}
SPARQL_KEYS = ANNOTATIONS | {"select", "prefixes"}


class ShapeReader:
    """The ``sh:`` keys of a shapes graph's nodes, and which nodes have been understood.

    Parameters
    ----------
    graph : rdflib.Graph
        The shapes graph.
    """

    def __init__(self, graph: rdflib.Graph) -> None:
        from rdflib import RDF, BNode, URIRef
        from rdflib import Literal as RdfLiteral

        self.g = graph
        self.RDF, self.URIRef, self.BNode, self.RdfLiteral = RDF, URIRef, BNode, RdfLiteral
        self.accounted: set[Any] = set()  # nodes whose sh: triples have been understood

    def sh(self, local: str) -> Any:
        """The rdflib IRI of ``sh:local``."""
        return self.URIRef(SH_NS + local)

    def name(self, node: Any) -> str:
        return str(node) if isinstance(node, self.URIRef) else f"_:{node}"

    def keys(self, node: Any) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        for p, o in self.g.predicate_objects(node):
            if str(p).startswith(SH_NS):
                found.setdefault(str(p)[len(SH_NS) :], []).append(o)
        return found

    def check_keys(self, node: Any, allowed: set[str], what: str) -> dict[str, list[Any]]:
        keys = self.keys(node)
        extra = sorted(set(keys) - allowed)
        if extra:
            raise ShapeCompileError(
                f"{what} {self.name(node)} uses sh:{', sh:'.join(extra)}, which stancegraph cannot compile "
                f"to SPARQL (supported here: sh:{', sh:'.join(sorted(allowed - ANNOTATIONS))}); "
                "rewrite the shape with the supported constructs listed at the head of shapes.ttl"
            )
        for severity in keys.get("severity", []):
            if severity != self.sh("Violation"):
                raise ShapeCompileError(
                    f"{what} {self.name(node)} has sh:severity {severity}; only sh:Violation is supported "
                    "(every failed rule refuses the write), so remove sh:severity"
                )
        self.accounted.add(node)
        return keys

    def one(self, keys: dict[str, list[Any]], key: str, node: Any) -> Any:
        values = keys.get(key, [])
        if len(values) > 1:
            raise ShapeCompileError(
                f"shape {self.name(node)} has {len(values)} values for sh:{key}; give one"
            )
        return values[0] if values else None

    def deactivated(self, keys: dict[str, list[Any]]) -> bool:
        return any(
            v.toPython() is True for v in keys.get("deactivated", []) if isinstance(v, self.RdfLiteral)
        )

    def message(self, keys: dict[str, list[Any]], fallback: str) -> str:
        messages = keys.get("message", [])
        english = [m for m in messages if getattr(m, "language", None) in (None, "en")]
        return str((english or messages or [fallback])[0])

    def term(self, node: Any) -> str:
        """A shapes-graph term as SPARQL text (N-Triples syntax, which pyoxigraph escapes)."""
        if isinstance(node, self.URIRef):
            return str(NamedNode(str(node)))
        if isinstance(node, self.RdfLiteral):
            if node.language:
                return str(Literal(str(node), language=node.language))
            if node.datatype:
                return str(Literal(str(node), datatype=NamedNode(str(node.datatype))))
            return str(Literal(str(node)))
        raise ShapeCompileError(f"a blank node ({node}) stands where an IRI or a literal is needed")

    def iri(self, node: Any, what: str) -> str:
        if not isinstance(node, self.URIRef):
            raise ShapeCompileError(f"{what} must be an IRI, not {node!r}")
        return str(node)

    def integer(self, node: Any, what: str) -> int:
        value = node.toPython() if isinstance(node, self.RdfLiteral) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ShapeCompileError(f"{what} must be a non-negative integer, not {node!r}")
        return value

    def rdf_list(self, head: Any, what: str) -> list[Any]:
        from rdflib.collection import Collection

        if head == self.RDF.nil:
            return []
        if (head, self.RDF.first, None) not in self.g:
            raise ShapeCompileError(f"{what} must be an RDF list")
        return list(Collection(self.g, head))

    def account_tree(self, node: Any) -> None:
        self.accounted.add(node)
        for _, o in self.g.predicate_objects(node):
            if isinstance(o, self.BNode) and o not in self.accounted:
                self.account_tree(o)

    def check_everything_accounted(self) -> None:
        sh_subjects = {s for s, p in self.g.subject_predicates() if str(p).startswith(SH_NS)}
        rdf_lists = {s for s in self.g.subjects(self.RDF.first, None)}
        left = sorted((s for s in sh_subjects - self.accounted - rdf_lists), key=str)
        if left:
            node = left[0]
            used = sorted({str(p)[len(SH_NS) :] for p in self.g.predicates(node) if str(p).startswith(SH_NS)})
            raise ShapeCompileError(
                f"{self.name(node)} uses sh:{', sh:'.join(used)} outside any supported shape construct "
                "(e.g. sh:targetNode, sh:targetObjectsOf, sh:node); stancegraph cannot compile it, so it "
                "refuses rather than skip the rule"
            )

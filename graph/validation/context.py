"""The validation context: what checking new data needs from the store it is meant for.

New data is checked in a small staging store; it validates right only if that store also holds what the
data refers to in the target store. This module is the one place that looks it up, for the three kinds
of check: :func:`~stancegraph.graph.validation.staging.validate` (RDF files, the reference data of a
load), the chunks of a statements table
(:class:`~stancegraph.graph.ingestion.context.ValidationContext`), and the service's writes
(:func:`state_after_write`).

* :func:`subclass_axioms`: the ontology's ``rdfs:subClassOf`` axioms and the store's own;
* :func:`ontology_rules`: the rules the ontology states as data (each stance basis's confidence range),
  which SPARQL constraints read, so every staging store holds them, with the classes of the nodes they
  are about (:func:`ontology_rule_classes`, so that the rules pass the domain checks of their properties);
* :func:`node_classes`: the classes of nodes the data points to (they enter the staging store under
  :data:`~stancegraph.graph.validation.shapes.CONTEXT_TYPE`, which ``sh:class`` follows but target
  selection does not, so those nodes are not re-validated);
* :func:`descriptions`: every quad of nodes the data extends, so that counts on the merged node are
  checked.

Lookups go in batches of :data:`BATCH` nodes, one ``VALUES`` block each.
"""

from __future__ import annotations

__all__ = [
    "BATCH",
    "ontology_axioms",
    "ontology_classes",
    "ontology_rules",
    "ontology_rule_classes",
    "subclass_axioms",
    "has_data",
    "node_classes",
    "descriptions",
    "referrers",
    "reference_context",
    "state_after_write",
]

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse

from stancegraph.graph.validation.shapes import CONTEXT_TYPE
from stancegraph.ontology.namespaces import RDF_TYPE, RDFS_NS, RDFS_SUBCLASS, SG_NS

if TYPE_CHECKING:
    from stancegraph.graph.store import Store as TargetStore

#: Nodes per lookup query.
BATCH = 500


def _batches(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _values(var: str, terms: Iterable[Any]) -> str:
    return f"VALUES {var} {{ {' '.join(str(t) for t in terms)} }}"


@cache
def _ontology() -> tuple[Triple, ...]:
    """The shipped ontology's triples, read once."""
    from stancegraph.ontology import ontology_path

    return tuple(q.triple for q in parse(path=str(ontology_path()), format=RdfFormat.TURTLE))


@cache
def ontology_axioms() -> tuple[Triple, ...]:
    """The shipped ontology's ``rdfs:subClassOf`` axioms between named classes."""
    sub = NamedNode(RDFS_SUBCLASS)
    return tuple(t for t in _ontology() if t.predicate == sub and isinstance(t.object, NamedNode))


@cache
def ontology_classes() -> dict[str, tuple[str, ...]]:
    """The classes the shipped ontology gives its named nodes (the stance types, ...), N-Triples text."""
    rdf_type = NamedNode(RDF_TYPE)
    found: dict[str, list[str]] = {}
    for t in _ontology():
        if t.predicate == rdf_type and isinstance(t.subject, NamedNode):
            found.setdefault(str(t.subject), []).append(str(t.object))
    return {iri: tuple(classes) for iri, classes in found.items()}


@cache
def ontology_rules() -> tuple[Triple, ...]:
    """The rules the shipped ontology states as data: its triples whose predicate has the
    ``rdfs:domain`` ``sg:StanceBasis`` (each basis's ``sg:minConfidence``, ``sg:maxConfidence`` and
    ``sg:requiresQuote``), which the stance shape's SPARQL constraints read."""
    domain, basis = NamedNode(RDFS_NS + "domain"), NamedNode(SG_NS + "StanceBasis")
    triples = _ontology()
    rule_predicates = {t.subject for t in triples if t.predicate == domain and t.object == basis}
    return tuple(t for t in triples if t.predicate in rule_predicates and isinstance(t.subject, NamedNode))


@cache
def ontology_rule_classes() -> tuple[Triple, ...]:
    """The classes of the nodes :func:`ontology_rules` is about (each basis an ``sg:StanceBasis``), as
    context types: the rules enter every staging store, and with their classes they meet the domain of
    their properties (``sg:minConfidence`` is said of an ``sg:StanceBasis``) without being validated as
    new nodes."""
    ctx, classes = NamedNode(CONTEXT_TYPE), ontology_classes()
    subjects = sorted({t.subject for t in ontology_rules()}, key=str)
    return tuple(Triple(s, ctx, NamedNode(c[1:-1])) for s in subjects for c in classes.get(str(s), ()))


def subclass_axioms(against: TargetStore | None) -> list[Triple]:
    """The ontology's subclass axioms, and those the target store holds in its default graph."""
    triples = list(ontology_axioms())
    if against is None:
        return triples
    sub = NamedNode(RDFS_SUBCLASS)
    result: Any = against.query(f"SELECT ?a ?b WHERE {{ ?a <{RDFS_SUBCLASS}> ?b }}")
    triples += [Triple(a, sub, b) for a, b in result if a is not None and b is not None]
    return triples


def has_data(against: Any) -> bool:
    """Whether the store holds any triple, in any graph (an empty store needs no lookups)."""
    return bool(against is not None and against.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))


def node_classes(against: Any, nodes: Sequence[Any]) -> Iterator[tuple[Any, NamedNode]]:
    """(node, class) for each named class of each node, in any graph of ``against``.

    ``nodes`` are pyoxigraph terms or their N-Triples text (``<iri>``); ``against`` is a
    :class:`~stancegraph.graph.store.Store` or a pyoxigraph store.
    """
    for batch in _batches(nodes):
        rows = against.query(
            f"SELECT DISTINCT ?n ?t WHERE {{ {_values('?n', batch)} "
            f"{{ ?n <{RDF_TYPE}> ?t }} UNION {{ GRAPH ?g {{ ?n <{RDF_TYPE}> ?t }} }} }}"
        )
        for node, cls in (tuple(row) for row in rows):
            if isinstance(cls, NamedNode):
                yield node, cls


def descriptions(against: Any, subjects: Sequence[Any]) -> Iterator[Quad]:
    """Every quad whose subject is one of ``subjects``, in every graph of ``against``."""
    for batch in _batches(subjects):
        rows = against.query(
            f"SELECT ?s ?p ?o ?g WHERE {{ {_values('?s', batch)} "
            "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        for s, p, o, g in (tuple(row) for row in rows):
            yield Quad(s, p, o, g if g is not None else DefaultGraph())


def referrers(against: Any, nodes: Sequence[Any]) -> Iterator[Any]:
    """The subjects (IRIs) of quads whose object is one of ``nodes``, in any graph of ``against``."""
    for batch in _batches(nodes):
        rows = against.query(
            f"SELECT DISTINCT ?s WHERE {{ {_values('?o', batch)} "
            "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(isIRI(?s)) }"
        )
        for (subject,) in (tuple(row) for row in rows):
            yield subject


def reference_context(
    against: TargetStore | None,
    referenced: Iterable[NamedNode],
    *,
    extended: Iterable[NamedNode] = (),
) -> list[Triple]:
    """What the staging store needs from ``against`` so that new data pointing into it validates right.

    Parameters
    ----------
    against : Store or None
        The target store (None: nothing but the ontology's subclass axioms).
    referenced : iterable of NamedNode
        Nodes the new data points to; their classes come back under
        :data:`~stancegraph.graph.validation.shapes.CONTEXT_TYPE`.
    extended : iterable of NamedNode
        Subjects of the new data; those that already exist in ``against`` come back with all their
        triples (from every graph), so that counts on the merged node are checked.

    Returns
    -------
    list of pyoxigraph.Triple
        The subclass axioms (:func:`subclass_axioms`), the ontology's rules (:func:`ontology_rules`) and
        the classes of their nodes, the existing descriptions and the context types.
    """
    triples = [*subclass_axioms(against), *ontology_rules(), *ontology_rule_classes()]
    if against is None or not has_data(against):
        return triples
    pointed = set(referenced)
    for quad in descriptions(against, sorted(set(extended), key=str)):
        triples.append(quad.triple)
        if isinstance(quad.object, NamedNode):
            pointed.add(quad.object)
    ctx = NamedNode(CONTEXT_TYPE)
    triples += [Triple(n, ctx, t) for n, t in node_classes(against, sorted(pointed, key=str))]
    return triples


def state_after_write(
    against: TargetStore, insert: Iterable[Quad], removed: Iterable[Quad] = ()
) -> list[Quad | Triple]:
    """The data to validate for a write: every node it touches, and every node that points at one it
    takes something from, as they would be afterwards, in full.

    A node is touched when it is the subject of an added or a removed quad; all its quads are taken
    from ``against``, the removed ones dropped and the added ones joined (quad by quad, so a triple
    removed from one graph and still in another stays). A node that points at a node losing quads (a
    stance whose actor loses its type, say) comes along with all its quads too, so that a write cannot
    leave it pointing at nothing valid. The classes of the other nodes they point to come along under
    :data:`~stancegraph.graph.validation.shapes.CONTEXT_TYPE`.

    Parameters
    ----------
    against : Store
        The store the write is for.
    insert, removed : iterable of Quad
        What the write adds and what it removes (a replaced graph's quads among them).

    Returns
    -------
    list of Quad and Triple
        For :func:`~stancegraph.graph.validation.staging.validate` with ``against=None``.
    """
    added, gone = list(insert), set(removed)
    touched = {q.subject for q in (*added, *gone) if isinstance(q.subject, NamedNode)}
    kept = set(added)
    losing = sorted({q.subject for q in gone - kept if isinstance(q.subject, NamedNode)}, key=str)
    touched |= set(referrers(against, losing))
    after = {q for q in descriptions(against, sorted(touched, key=str)) if q not in gone}
    after.update(added)
    described = {q.subject for q in after}
    pointed = sorted(
        {q.object for q in after if isinstance(q.object, NamedNode) and q.object not in described}, key=str
    )
    ctx = NamedNode(CONTEXT_TYPE)
    return [*after, *(Triple(n, ctx, t) for n, t in node_classes(against, pointed))]

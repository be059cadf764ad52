"""The staging store a write is checked in, and :func:`validate`, which runs the compiled shapes on it.

The store holds the new data flattened into its default graph plus what that data refers to in the
target store (:func:`~stancegraph.graph.validation.context.reference_context`): the classes of
referenced nodes under :data:`~stancegraph.graph.validation.shapes.CONTEXT_TYPE`, the existing
triples of nodes the data extends, the ``rdfs:subClassOf`` axioms of the ontology.
"""

from __future__ import annotations

__all__ = ["Staging", "stage", "add_context", "validate"]

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, Triple

from stancegraph.graph.errors import Violation
from stancegraph.graph.validation.compiler import compiled_shapes
from stancegraph.graph.validation.context import reference_context
from stancegraph.graph.validation.shapes import CONTEXT_TYPE, CompiledShapes
from stancegraph.ontology.namespaces import RDF_TYPE, RDFS_SUBCLASS

if TYPE_CHECKING:
    from stancegraph.graph.store import Store as TargetStore

_BATCH = 1000


def _values_block(var: str, terms: list[Any]) -> str:
    return f"VALUES {var} {{ {' '.join(str(t) for t in terms)} }}"


def _chunks(items: list[Any], size: int = _BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Staging:
    """A staging store and what it takes to read its verdicts.

    Attributes
    ----------
    store : pyoxigraph.Store
        The new data (flattened) plus its context.
    touched : dict of str to frozenset of str
        For each node that already existed in the target store: the predicates the new data gives it.
        A violation on such a node concerns the write only if it is on one of those predicates (or
        the write changes the node's classes); older problems of the node are not the write's.
    """

    store: Store
    touched: Mapping[str, frozenset[str]]

    def relevant(self, violations: Iterable[Violation]) -> list[Violation]:
        """The violations the new data causes (drops the pre-existing problems of extended nodes)."""
        kept = []
        for v in violations:
            predicates = self.touched.get(v.node or "")
            if predicates is None or v.path is None or v.path in predicates or RDF_TYPE in predicates:
                kept.append(v)
        return kept


def stage(data: Store | Iterable[Quad | Triple], *, against: TargetStore | None = None) -> Staging:
    """Build the in-memory staging store for ``data``: its triples, flattened, plus their context.

    Parameters
    ----------
    data : pyoxigraph.Store or iterable of Quad / Triple
        The new data; named graphs are merged into the default graph.
    against : Store, optional
        The target store the data may refer to (see :func:`reference_context`).

    Returns
    -------
    Staging
        The store, ready for :meth:`~stancegraph.graph.validation.shapes.CompiledShapes.run`, and how to
        filter its verdicts.
    """
    staging = Store()
    items: Iterable[Any] = data if not isinstance(data, Store) else data.quads_for_pattern(None, None, None)
    staging.extend(_flattened(items))
    return add_context(staging, against)


def add_context(staging: Store, against: TargetStore | None) -> Staging:
    """Add to ``staging`` (new data only, flattened) what it refers to in ``against``."""
    subjects = [s[0] for s in staging.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")]
    objects = [o[0] for o in staging.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) }")]
    context = reference_context(against, objects, extended=subjects)
    ctx, sub = NamedNode(CONTEXT_TYPE), NamedNode(RDFS_SUBCLASS)
    existing = sorted({t.subject for t in context if t.predicate not in (ctx, sub)}, key=str)
    touched: dict[str, set[str]] = {}
    for batch in _chunks(existing):
        rows = staging.query(f"SELECT DISTINCT ?s ?p WHERE {{ {_values_block('?s', batch)} ?s ?p ?o }}")
        for s, p in rows:
            touched.setdefault(s.value, set()).add(p.value)
    staging.extend(Quad(t.subject, t.predicate, t.object) for t in context)
    return Staging(staging, {node: frozenset(predicates) for node, predicates in touched.items()})


def _flattened(items: Iterable[Any]) -> Iterator[Quad]:
    default = DefaultGraph()
    for item in items:
        if isinstance(item, Quad):
            if item.graph_name == default:
                yield item
            else:
                yield Quad(item.subject, item.predicate, item.object)
        elif isinstance(item, Triple):
            yield Quad(item.subject, item.predicate, item.object)
        else:
            raise TypeError(f"expected pyoxigraph Quad or Triple objects, got {type(item).__name__}")


def validate(
    data: Store | Iterable[Quad | Triple],
    *,
    against: TargetStore | None = None,
    shapes: CompiledShapes | None = None,
) -> list[Violation]:
    """Check new data against the SHACL shapes (compiled to SPARQL, run by pyoxigraph).

    Parameters
    ----------
    data : pyoxigraph.Store or iterable of pyoxigraph.Quad
        The data to check; every graph counts (SHACL over the union of the graphs).
    against : Store, optional
        The store the data is meant for: nodes the data points to (an existing actor, a catalogued
        source) are looked up there, and nodes it adds triples to are checked with their existing
        triples.
    shapes : CompiledShapes, optional
        Defaults to the shipped shapes (:func:`~stancegraph.graph.validation.compiler.compiled_shapes`).

    Returns
    -------
    list of Violation
        Empty when the data conforms. Each names the node, the property (``path``), the rule and the
        offending value; the message is the shape's ``sh:message``, which says how to fix it.

    Examples
    --------
    >>> from pyoxigraph import NamedNode, Quad
    >>> sg = "https://w3id.org/stancegraph/ontology#"
    >>> stance = NamedNode("https://w3id.org/stancegraph/id/stance/s1")
    >>> rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    >>> found = validate([Quad(stance, rdf_type, NamedNode(sg + "Stance"))])
    >>> sorted({v.path.rsplit("#", 1)[-1] for v in found if v.rule == "sh:minCount"})
    ['actor', 'stanceType', 'statedOn', 'target', 'wasDerivedFrom']
    """
    compiled = shapes or compiled_shapes()
    staging = stage(data, against=against)
    return staging.relevant(compiled.run(staging.store))

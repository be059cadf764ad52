"""The cross-check: the same staging data validated by pyshacl, the reference implementation of SHACL.

Slow; for tests and reports. The tests check that :func:`~stancegraph.graph.validation.staging.validate` and
:func:`validate_with_pyshacl` agree.
"""

from __future__ import annotations

__all__ = ["validate_with_pyshacl"]

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, NamedNode, Quad, Store, Triple

from stancegraph.graph.errors import Violation
from stancegraph.graph.validation.shapes import CONTEXT_TYPE, RULE_OF_COMPONENT
from stancegraph.graph.validation.staging import stage
from stancegraph.ontology.namespaces import RDFS_SUBCLASS

if TYPE_CHECKING:
    import rdflib

    from stancegraph.graph.store import Store as TargetStore


def validate_with_pyshacl(
    data: Store | Iterable[Quad | Triple],
    *,
    against: TargetStore | None = None,
    shapes: rdflib.Graph | None = None,
) -> list[Violation]:
    """The reference check: the same staging data validated by pyshacl (slow; for tests and reports).

    The staging data (see :func:`~stancegraph.graph.validation.staging.stage`) becomes one rdflib
    graph, context types as ``rdf:type``; results on nodes that are only context (pointed to, not part
    of ``data``) are dropped, as :func:`~stancegraph.graph.validation.staging.validate` never selects
    them.

    Parameters
    ----------
    data, against
        As for :func:`~stancegraph.graph.validation.staging.validate`.
    shapes : rdflib.Graph, optional
        Defaults to the shipped shapes graph.

    Returns
    -------
    list of Violation
        One per pyshacl result, ``rule`` named like
        :func:`~stancegraph.graph.validation.staging.validate`'s (``sh:minCount``, ...).
    """
    import pyshacl
    from rdflib import RDF, SH, BNode, Graph, URIRef
    from rdflib import Literal as RdfLiteral

    if shapes is None:
        from stancegraph.ontology import shapes_graph

        shapes = shapes_graph()
    staged = stage(data, against=against)
    staging = staged.store
    ctx = NamedNode(CONTEXT_TYPE)
    graph = Graph()
    only_context: set[Any] = set()
    described: set[Any] = set()

    def to_rdflib(term: Any) -> Any:
        if isinstance(term, NamedNode):
            return URIRef(term.value)
        if isinstance(term, BlankNode):
            return BNode(term.value)
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))

    for quad in staging:
        s = to_rdflib(quad.subject)
        if quad.predicate == ctx:
            graph.add((s, RDF.type, to_rdflib(quad.object)))
            only_context.add(s)
        else:
            graph.add((s, to_rdflib(quad.predicate), to_rdflib(quad.object)))
            if str(quad.predicate) != f"<{RDFS_SUBCLASS}>":
                described.add(s)
    only_context -= described
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus in only_context:
            continue
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        component = str(report.value(result, SH.sourceConstraintComponent))
        paths: list[Any] = [path]
        if path is None:
            # a node-level rule on the subjects of a property (an rdfs:domain): validate names the
            # property the focus node uses as the violation's path, once per such property
            shape = report.value(result, SH.sourceShape)
            used = [p for p in shapes.objects(shape, SH.targetSubjectsOf) if (focus, p, None) in graph]
            paths = used or [None]
        for each in paths:
            found.append(
                Violation(
                    str(report.value(result, SH.resultMessage) or ""),
                    node=str(focus) if isinstance(focus, URIRef) else f"_:{focus}",
                    path=None if each is None else str(each),
                    rule=RULE_OF_COMPONENT.get(component, component),
                    value=None if value is None else str(value),
                )
            )
    return sorted(
        staged.relevant(found), key=lambda v: (v.node or "", v.path or "", v.rule or "", v.value or "")
    )

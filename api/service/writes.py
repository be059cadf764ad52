"""Authorised writes, validated by the SHACL shapes and atomic: a Graph Store Protocol request or an
``INSERT DATA`` / ``DELETE DATA`` update.

Each write is first turned into its effect: the quads it adds and the quads it removes (and the graph it
replaces). The state it would leave is then checked before anything is stored: every node the write
touches (a subject of an added or removed quad) is validated with all of its triples as they would be
afterwards, and so is every node that points at a node the write takes something from (deleting an
actor's type, or replacing the default graph, re-checks the stances that name it: a write cannot orphan
them); the nodes they point to are looked up for their classes
(:func:`~stancegraph.graph.validation.state_after_write`). Only a write with no violation is applied, as
one SPARQL Update request, which the store runs as one transaction. The direct edges then follow the
stances the write added, and the denials it added or removed (:func:`~stancegraph.graph.queries.
direct_edges.align_edges`), and the columnar stance table is rebuilt for the store's new version
(:func:`~stancegraph.graph.queries.stance_table.refresh_stance_table`).
"""

from __future__ import annotations

__all__ = ["Effect", "InputLimits", "graph_effect", "dataset_effect", "update_effect", "apply"]

from dataclasses import dataclass

from fastapi import HTTPException
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, parse

from stancegraph.api.service.rdf_bodies import DEFAULT_LIMITS, InputLimits, check_body, check_terms
from stancegraph.api.service.sparql_text import RefusedFeatureError, data_operations, refuse_deep
from stancegraph.graph.errors import ValidationError, Violation
from stancegraph.graph.queries import align_edges, refresh_stance_table
from stancegraph.graph.store import (
    SelectResult,
    Store,
    delete_data,
    insert_data,
    rdf_format_of_media_type,
    sparql_term,
    syntax_error,
)
from stancegraph.graph.validation import state_after_write, validate
from stancegraph.ontology.namespaces import SG_NS

_CONTRADICTS = NamedNode(SG_NS + "contradicts")


@dataclass(frozen=True)
class Effect:
    """What a write does: ``replace`` empties a graph first (the IRI, or ``""`` for the default graph)."""

    insert: tuple[Quad, ...]
    delete: tuple[Quad, ...] = ()
    replace: str | None = None


def _parse_body(
    body: bytes, media_type: str, graph: NamedNode | DefaultGraph | None, limits: InputLimits
) -> list[Quad]:
    rdf_format = rdf_format_of_media_type(media_type)
    if rdf_format is None:
        raise HTTPException(
            415,
            f"cannot read a body of type {media_type or 'no content type'!r}; send text/turtle, "
            "application/n-triples, application/n-quads, application/trig, application/ld+json or "
            "application/rdf+xml",
        )
    if graph is not None and rdf_format.supports_datasets and rdf_format != RdfFormat.JSON_LD:
        raise RefusedFeatureError(
            f"{media_type} holds a dataset; a single graph (?graph= or ?default) needs "
            "a triple format such as text/turtle"
        )
    check_body(body, rdf_format, max_depth=limits.max_depth)
    try:
        quads = list(
            parse(
                body,
                rdf_format,
                # relative IRIs resolve against the target graph's IRI, as the Oxigraph server does
                base_iri=graph.value if isinstance(graph, NamedNode) else None,
                rename_blank_nodes=True,
                without_named_graphs=graph is not None,
            )
        )
    except SyntaxError as error:
        raise ValidationError(
            [
                Violation(
                    f"the body is not valid {rdf_format.name}: {error}",
                    rule="syntax",
                    line=getattr(error, "lineno", None),
                )
            ]
        ) from None
    except (ValueError, OSError) as error:
        raise ValidationError([Violation(f"the body could not be read: {error}", rule="syntax")]) from None
    check_terms(quads, max_term_bytes=limits.max_term_bytes)
    if graph is None:
        return quads
    return [Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def graph_effect(
    method: str, graph: str | None, body: bytes, media_type: str, *, limits: InputLimits = DEFAULT_LIMITS
) -> Effect:
    """The effect of a Graph Store Protocol ``PUT`` or ``POST`` of ``body`` to ``graph`` (None: default)."""
    node: NamedNode | DefaultGraph = DefaultGraph() if graph is None else NamedNode(graph)
    quads = _parse_body(body, media_type, node, limits)
    return Effect(tuple(quads), (), (graph or "") if method == "PUT" else None)


def dataset_effect(body: bytes, media_type: str, *, limits: InputLimits = DEFAULT_LIMITS) -> Effect:
    """The effect of a ``POST`` of a whole dataset (N-Quads, TriG) to the store: add its quads."""
    return Effect(tuple(_parse_body(body, media_type, None, limits)))


def update_effect(update: str, *, limits: InputLimits = DEFAULT_LIMITS) -> Effect:
    """The effect of an ``INSERT DATA`` / ``DELETE DATA`` update, operations applied in order.

    Raises
    ------
    QuerySyntaxError
        The update does not parse (position from the parser).
    RefusedFeatureError
        Another update form, or a blank node in ``DELETE DATA``.
    InputLimitError
        Nested deeper than ``limits.max_depth``, or a term larger than ``limits.max_term_bytes``.
    """
    import pyoxigraph

    refuse_deep(update, limit=limits.max_depth)  # before any parser: deep nesting crashes pyoxigraph's
    operations = data_operations(update)
    try:
        pyoxigraph.Store().update(update)  # syntax check with the right positions; only DATA forms run
    except SyntaxError as error:
        raise syntax_error(str(error), update, origin="SPARQL Update parser") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise ValidationError([Violation(f"the update cannot be applied: {error}", rule="update")]) from None
    inserted: dict[Quad, None] = {}
    deleted: dict[Quad, None] = {}
    for operation in operations:
        scratch = pyoxigraph.Store()
        scratch.update(operation.as_insert)
        quads = list(scratch)
        if operation.kind == "DELETE DATA":
            if any(isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object)):
                raise RefusedFeatureError("DELETE DATA cannot name blank nodes (SPARQL 1.1 Update, 3.1.2)")
            for quad in quads:
                inserted.pop(quad, None)
                deleted[quad] = None
        else:
            for quad in quads:
                deleted.pop(quad, None)
                inserted[quad] = None
    check_terms([*inserted, *deleted], max_term_bytes=limits.max_term_bytes)
    return Effect(tuple(inserted), tuple(deleted))


def _graph_quads(store: Store, graph: str) -> list[Quad]:
    node = DefaultGraph() if graph == "" else NamedNode(graph)
    query = (
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
        if graph == ""
        else "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    rows = store.query(query, bindings=None if graph == "" else {"g": node})
    assert isinstance(rows, SelectResult)
    return [Quad(s, p, o, node) for s, p, o in rows.rows]


def _removed(store: Store, effect: Effect) -> set[Quad]:
    removed = set(effect.delete)
    if effect.replace is not None:
        removed.update(_graph_quads(store, effect.replace))
    return removed


def _edges_due(effect: Effect, removed: set[Quad]) -> set[str]:
    """Stances whose direct edge the write may make due: those it writes, and those it stops denying."""
    written = {quad.subject.value for quad in effect.insert if isinstance(quad.subject, NamedNode)}
    undenied = {
        quad.object.value
        for quad in removed
        if quad.predicate == _CONTRADICTS and isinstance(quad.object, NamedNode)
    }
    return written | undenied


def _statement(effect: Effect) -> str:
    parts = []
    if effect.replace is not None:
        parts.append(
            "CLEAR SILENT DEFAULT"
            if effect.replace == ""
            else f"DROP SILENT GRAPH {sparql_term(NamedNode(effect.replace))}"
        )
    if effect.delete:
        parts.append(delete_data(effect.delete))
    if effect.insert:
        parts.append(insert_data(effect.insert))
    return " ;\n".join(parts)


def apply(store: Store, effect: Effect) -> int:
    """Validate ``effect`` against ``store`` and, if it conforms, apply it in one transaction, then align
    the direct edges with it and rebuild the stance table.

    Returns
    -------
    int
        Quads added plus quads removed as requested.

    Raises
    ------
    ValidationError
        The violations; nothing was changed.
    """
    removed = _removed(store, effect)
    violations = validate(state_after_write(store, effect.insert, removed), against=None)
    if violations:
        raise ValidationError(violations)
    statement = _statement(effect)
    if statement:
        store.update(statement)
        align_edges(store, _edges_due(effect, removed))
        refresh_stance_table(store)
    return len(effect.insert) + len(effect.delete)

"""``INSERT DATA`` and ``DELETE DATA`` text from quads: the one place SPARQL Update data is written.

The remote store loads quads with it and the service applies its validated writes with it. Terms are
written by :func:`~stancegraph.graph.store.bindings.sparql_term` (escaped, never pasted), the quads of
each named graph grouped in one ``GRAPH`` block.
"""

from __future__ import annotations

__all__ = ["quad_data", "insert_data", "delete_data"]

from collections.abc import Iterable

from pyoxigraph import DefaultGraph, NamedNode, Quad

from stancegraph.graph.errors import ValidationError, Violation
from stancegraph.graph.store.bindings import sparql_term


def quad_data(quads: Iterable[Quad]) -> str:
    """The inside of a ``{ }`` data block: default-graph triples, then one ``GRAPH`` block per graph.

    Raises
    ------
    ValidationError
        A quad is in a graph named by a blank node, which SPARQL Update cannot address.

    Examples
    --------
    >>> from pyoxigraph import Literal
    >>> ex = "http://example.org/"
    >>> q = Quad(NamedNode(ex + "a"), NamedNode(ex + "p"), Literal("x"), NamedNode(ex + "g"))
    >>> print(quad_data([q]))
      GRAPH <http://example.org/g> {
        <http://example.org/a> <http://example.org/p> "x" .
      }
    """
    default: list[str] = []
    named: dict[NamedNode, list[str]] = {}
    for index, quad in enumerate(quads):
        line = f"{sparql_term(quad.subject)} {sparql_term(quad.predicate)} {sparql_term(quad.object)} ."
        graph = quad.graph_name
        if isinstance(graph, DefaultGraph):
            default.append(line)
        elif isinstance(graph, NamedNode):
            named.setdefault(graph, []).append(line)
        else:
            raise ValidationError(
                [
                    Violation(
                        f"item {index} is in a graph named by a blank node ({graph}); SPARQL Update can "
                        "only address named graphs by IRI",
                        rule="quad",
                        value=str(quad)[:300],
                    )
                ]
            )
    body = [f"  {line}" for line in default]
    for graph, lines in named.items():
        body.append(f"  GRAPH {sparql_term(graph)} {{")
        body += [f"    {line}" for line in lines]
        body.append("  }")
    return "\n".join(body)


def insert_data(quads: Iterable[Quad]) -> str:
    """An ``INSERT DATA`` operation adding ``quads``."""
    return "INSERT DATA {\n" + quad_data(quads) + "\n}"


def delete_data(quads: Iterable[Quad]) -> str:
    """A ``DELETE DATA`` operation removing ``quads``."""
    return "DELETE DATA {\n" + quad_data(quads) + "\n}"

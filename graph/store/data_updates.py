"""``INSERT DATA`` and ``DELETE DATA`` text from quads: the one place SPARQL Update data is written.

The remote store loads quads with it and the service applies its validated writes with it. Terms are
written by :func:`~stancegraph.graph.store.bindings.sparql_term` (escaped, never pasted), the quads of
each named graph grouped in one ``GRAPH`` block.
"""

from __future__ import annotations

__all__ = ["quad_data", "insert_data", "delete_data", "check_graph_names", "blank_nodes_as_template"]

from collections.abc import Iterable

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad

from stancegraph.graph.errors import ValidationError, Violation
from stancegraph.graph.store.bindings import sparql_term
from stancegraph.graph.store.sparql_lexer import lex


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
            raise _blank_graph(index, quad)
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


def check_graph_names(quads: Iterable[Quad]) -> None:
    """Refuse a quad in a graph named by a blank node, which SPARQL Update cannot address.

    Raises
    ------
    ValidationError
        Naming the first such quad.
    """
    for index, quad in enumerate(quads):
        if isinstance(quad.graph_name, BlankNode):
            raise _blank_graph(index, quad)


def _blank_graph(index: int, quad: Quad) -> ValidationError:
    return ValidationError(
        [
            Violation(
                f"item {index} is in a graph named by a blank node ({quad.graph_name}); SPARQL Update can "
                "only address named graphs by IRI",
                rule="quad",
                value=str(quad)[:300],
            )
        ]
    )


def blank_nodes_as_template(update: str) -> str:
    """``update`` with each ``INSERT DATA { ... }`` that holds a blank node written as ``INSERT { ... } WHERE
    { }``, the same quads for a server that refuses blank nodes in data blocks (Virtuoso: "Blank node ... is
    not allowed in a constant clause"). A template's blank nodes are new for each solution, and ``WHERE { }``
    has one, so the blank nodes of the block keep their identity across its quads, as in ``INSERT DATA``.

    Examples
    --------
    >>> update = 'INSERT DATA { _:b <http://e/p> "x" } ; INSERT DATA { <http://e/a> <http://e/p> 1 }'
    >>> print(blank_nodes_as_template(update))
    INSERT { _:b <http://e/p> "x" } WHERE { } ; INSERT DATA { <http://e/a> <http://e/p> 1 }
    """
    tokens = list(lex(update))
    edits: list[tuple[int, int, str]] = []
    index = 0
    while index + 2 < len(tokens):
        first, second, brace = tokens[index], tokens[index + 1], tokens[index + 2]
        if not (first.text.upper() == "INSERT" and second.text.upper() == "DATA" and brace.text == "{"):
            index += 1
            continue
        depth, end, blank = 0, None, False
        for position in range(index + 2, len(tokens)):
            token = tokens[position]
            blank = blank or token.kind == "bnode" or (token.kind == "punct" and token.text == "[")
            if token.kind == "punct" and token.text == "{":
                depth += 1
            elif token.kind == "punct" and token.text == "}":
                depth -= 1
                if depth == 0:
                    end = position
                    break
        if end is None:
            break
        if blank:
            edits.append((first.offset, second.offset + len(second.text), "INSERT"))
            closing = tokens[end].offset + 1
            edits.append((closing, closing, " WHERE { }"))
        index = end + 1
    pieces, last = [], 0
    for start, stop, text in edits:
        pieces += [update[last:start], text]
        last = stop
    pieces.append(update[last:])
    return "".join(pieces)

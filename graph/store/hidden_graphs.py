"""``GRAPH`` patterns that see the named graphs the embedded store would show, on Virtuoso.

Virtuoso's dataset is not the protocol's. With ``default-graph-uri`` given (stancegraph keeps the default
graph's data in a named graph there), ``GRAPH ?g`` still ranges over every graph of the server, its system
graphs (2,500 triples of ``http://www.openlinksw.com/schemas/virtrdf#`` and others) and that default graph
included, while ``GRAPH <iri>`` sees nothing at all unless the graph is also a ``named-graph-uri``; its
``input:named-graph-exclude`` pragma hides a graph from the default graph too (a ``COUNT(*)`` of the
default graph then answers 1). :func:`hide_graphs` rewrites the patterns instead:

* ``GRAPH ?g { ... }`` becomes ``{ GRAPH ?g { ... } FILTER(?g NOT IN (hidden graphs)) }``;
* ``GRAPH <iri> { ... }`` becomes the same over a fresh variable, ``FILTER(?v = <iri> && ...)``; the fresh
  variables start with :data:`FRESH_PREFIX` and the store drops them from ``SELECT *`` results.

Templates are left alone (``CONSTRUCT { ... }``, ``INSERT { ... }``, ``DELETE { ... }``, ``DELETE WHERE``
and the data blocks of ``INSERT DATA``, ``DELETE DATA`` and ``VALUES``), where no filter may go; the text
is cut by the grammar's terminals (:func:`~stancegraph.graph.store.sparql_lexer.lex`), so a ``GRAPH`` in a
string, an IRI or a comment is not touched.

Examples
--------
>>> print(hide_graphs("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", ["urn:x:default"]))
SELECT ?g WHERE { { GRAPH ?g { ?s ?p ?o } FILTER(?g NOT IN (<urn:x:default>)) } }
>>> print(hide_graphs("INSERT { GRAPH ?g { ?s ?p 1 } } WHERE { GRAPH ?g { ?s ?p 0 } }", ["urn:x:d"]))
INSERT { GRAPH ?g { ?s ?p 1 } } WHERE { { GRAPH ?g { ?s ?p 0 } FILTER(?g NOT IN (<urn:x:d>)) } }
"""

from __future__ import annotations

__all__ = ["hide_graphs", "FRESH_PREFIX"]

from collections.abc import Sequence

from pyoxigraph import NamedNode

from stancegraph.graph.store.bindings import sparql_term
from stancegraph.graph.store.sparql_lexer import Token, lex

#: The names of the variables that stand for a graph named by IRI (``?__stancegraph_graph_1``, ...).
FRESH_PREFIX = "__stancegraph_graph_"
# keywords whose next group is a template or a data block, not a pattern
_TEMPLATE_KEYWORDS = frozenset({"CONSTRUCT", "INSERT", "DELETE", "DATA", "VALUES"})


def hide_graphs(sparql: str, hidden: Sequence[str]) -> str:
    """``sparql`` with every ``GRAPH ?var { ... }`` of its patterns kept from seeing the ``hidden`` graphs.

    Parameters
    ----------
    sparql : str
        A SPARQL query or update.
    hidden : sequence of str
        IRIs of the graphs that ``GRAPH ?var`` must not match.

    Returns
    -------
    str
        The text to send; unchanged when nothing is hidden or no pattern names its graph by a variable.
    """
    if not hidden:
        return sparql
    excluded = ", ".join(sparql_term(NamedNode(iri)) for iri in hidden)
    tokens = list(lex(sparql))
    closing = _matching_braces(tokens)
    insertions: list[tuple[int, str]] = []
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    skip_until: int | None = None  # inside a template or data block: the offset of its closing brace
    template_next = False
    fresh = 0
    for index, token in enumerate(tokens):
        if skip_until is not None:
            if token.offset >= skip_until:
                skip_until = None
            continue
        word = token.text.upper() if token.kind == "name" else None
        if word in _TEMPLATE_KEYWORDS:
            template_next = True  # DELETE WHERE { ... } keeps it: that group is a template too
            continue
        if token.kind == "punct" and token.text == "{":
            if template_next and index in closing:
                skip_until = tokens[closing[index]].offset
            template_next = False
            continue
        if word != "GRAPH" or index + 2 >= len(tokens):
            continue
        name, brace = tokens[index + 1], tokens[index + 2]
        if name.kind not in ("var", "iri", "pname") or brace.text != "{" or (index + 2) not in closing:
            continue
        end = tokens[closing[index + 2]]
        if name.kind == "var":
            condition = f"{name.text} NOT IN ({excluded})"
            insertions.append((token.offset, "{ "))
        else:
            fresh += 1
            variable = f"?{FRESH_PREFIX}{fresh}"
            condition = f"{variable} = {name.text} && {variable} NOT IN ({excluded})"
            insertions.append((token.offset, "{ "))
            edits.append((name.offset, name.offset + len(name.text), variable))
        insertions.append((end.offset + 1, f" FILTER({condition}) }}"))
    if not insertions:
        return sparql
    edits += [(offset, offset, text) for offset, text in insertions]
    pieces, last = [], 0
    for start, end, text in sorted(edits, key=lambda edit: edit[0]):
        pieces += [sparql[last:start], text]
        last = end
    pieces.append(sparql[last:])
    return "".join(pieces)


def _matching_braces(tokens: list[Token]) -> dict[int, int]:
    """Index of each ``{`` token -> index of the ``}`` that closes it."""
    opened: list[int] = []
    pairs: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.kind != "punct":
            continue
        if token.text == "{":
            opened.append(index)
        elif token.text == "}" and opened:
            pairs[opened.pop()] = index
    return pairs

"""Bound values written in place of their variables: the form of bindings Virtuoso evaluates cheaply.

:func:`~stancegraph.graph.store.bindings.bind_values` puts a ``VALUES`` block into every group of a query.
Oxigraph joins those for nothing; Virtuoso's cost estimate multiplies them, and a query of a dozen groups
(the stances of one actor) is refused before it runs ("estimated execution time 417768 (sec) exceeds the
limit of 400"). :func:`substitute_terms` instead writes each bound term where its variable stands, which is
what a binding means (see :meth:`Store.query <stancegraph.graph.store.Store.query>`): ``?actor`` becomes
``<https://...>`` in the patterns and filters, and ``(<https://...> AS ?actor)`` in a ``SELECT`` list, so
the variable still comes back in the results.

Where a term cannot stand for the variable (``SELECT *``, a ``VALUES`` list, ``BIND(... AS ?x)``,
``BOUND(?x)``, a bare ``GROUP BY`` / ``ORDER BY`` key) :func:`substitute_terms` returns None and the caller
uses the ``VALUES`` form. Terms are written by :func:`~stancegraph.graph.store.bindings.sparql_term`, so
no value can end a string, an IRI or a comment; the text around them is the query's own, cut by the
grammar's terminals (:func:`~stancegraph.graph.store.sparql_lexer.lex`).

Examples
--------
>>> from pyoxigraph import Literal, NamedNode
>>> print(substitute_terms("SELECT ?who WHERE { ?who <http://e/says> ?what }", {"what": Literal('no "!"')}))
SELECT ?who WHERE { ?who <http://e/says> "no \\"!\\"" }
>>> print(substitute_terms("SELECT ?what WHERE { ?who ?p ?what }", {"what": NamedNode("http://e/x")}))
SELECT (<http://e/x> AS ?what) WHERE { ?who ?p <http://e/x> }
>>> substitute_terms("SELECT * WHERE { ?s ?p ?o }", {"o": Literal("x")}) is None
True
"""

from __future__ import annotations

__all__ = ["substitute_terms"]

from collections.abc import Mapping

from stancegraph.graph.store.bindings import Term, sparql_term
from stancegraph.graph.store.sparql_lexer import lex

# keywords after which the SELECT list ends
_END_OF_PROJECTION = frozenset({"WHERE", "FROM"})
# keywords that start a solution modifier whose bare variables are keys, not expressions
_KEY_CLAUSES = frozenset({"GROUP", "ORDER"})


def substitute_terms(sparql: str, bindings: Mapping[str, Term]) -> str | None:
    """``sparql`` with each bound variable replaced by its term, or None where that cannot be written.

    Parameters
    ----------
    sparql : str
        A SPARQL query.
    bindings : mapping of str to term
        Checked bindings (:func:`~stancegraph.graph.store.bindings.check_bindings`), names without ``?``.

    Returns
    -------
    str or None
        The query to run, or None when a bound variable stands where no term may (the caller then binds
        with ``VALUES`` blocks).
    """
    if not bindings:
        return sparql
    terms = {name: sparql_term(term) for name, term in bindings.items()}
    tokens = list(lex(sparql))
    pieces: list[str] = []
    last = 0
    projecting = False  # inside a SELECT list
    projection_depth = 0  # parentheses open inside that list
    keys = False  # inside GROUP BY / ORDER BY
    key_depth = 0
    variables_of_values = False  # between VALUES and its data block
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else None
        word = token.text.upper() if token.kind == "name" else None
        if word == "SELECT":
            projecting, projection_depth, keys = True, 0, False
        elif word in _END_OF_PROJECTION and projection_depth == 0:
            projecting = False
        elif word in _KEY_CLAUSES:
            keys, key_depth = True, 0
        elif word == "VALUES":
            variables_of_values = True
        elif token.kind == "punct" or token.kind == "other":
            if token.text == "(":
                projection_depth += projecting
                key_depth += keys
            elif token.text == ")":
                projection_depth -= projecting
                key_depth -= keys
            elif token.text in "{}":
                if projecting and projection_depth == 0:
                    projecting = False
                keys = variables_of_values = False
            elif token.text == "*" and projecting and projection_depth == 0:
                return None  # SELECT * would lose the variable from the results
        if token.kind != "var" or token.text[1:] not in terms:
            continue
        name = token.text[1:]
        after_as = before is not None and before.kind == "name" and before.text.upper() == "AS"
        in_bound = (
            before is not None
            and before.text == "("
            and index >= 2
            and tokens[index - 2].kind == "name"
            and tokens[index - 2].text.upper() == "BOUND"
        )
        if after_as or in_bound or variables_of_values or (keys and key_depth == 0):
            return None
        replacement = f"({terms[name]} AS ?{name})" if projecting and projection_depth == 0 else terms[name]
        pieces += [sparql[last : token.offset], replacement]
        last = token.offset + len(token.text)
    pieces.append(sparql[last:])
    return "".join(pieces)

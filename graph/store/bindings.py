"""Values bound to SPARQL variables, safely: a ``VALUES`` block in every group of the query.

A query that takes parameters (``who endorses ?target``) must never have the parameter's text pasted
into it. :func:`bind_values` instead adds ``VALUES (?target) { (<...>) }`` at the start of every group
graph pattern of the query's ``WHERE`` clause (the outer group, ``GRAPH``, ``OPTIONAL``, ``UNION``
branches, ``FILTER EXISTS``, sub-queries). Each group then sees the variable bound from its first
element, so the binding behaves like a substitution of the value for the variable: it restricts triple
patterns, and a ``FILTER`` inside any group can compare with it. The value is written by
:func:`sparql_term`, which escapes every quote, backslash and control character, so the inserted text
cannot end a string, an IRI or a comment whatever the value holds.

Both store backends use this, so a query with bindings gives the same answers embedded and remote
(pyoxigraph's own ``substitutions`` refuse a variable that the ``SELECT`` clause does not return, and
SPARQL servers have no parameter mechanism at all); for Virtuoso, whose cost estimate multiplies the
blocks, the store writes the terms in place instead (:mod:`~stancegraph.graph.store.term_substitution`).

Examples
--------
>>> from pyoxigraph import Literal, NamedNode
>>> print(bind_values('SELECT ?s WHERE { ?s ?p ?o FILTER(?o != ?x) }', {"x": Literal('say "hi"')}))
SELECT ?s WHERE { VALUES (?x) { ("say \\"hi\\"") } ?s ?p ?o FILTER(?o != ?x) }
"""

from __future__ import annotations

__all__ = ["check_bindings", "bind_values", "sparql_term", "sparql_tokens"]

import re
from collections.abc import Iterator, Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from stancegraph.graph.errors import ValidationError, Violation
from stancegraph.graph.store.sparql_lexer import lex
from stancegraph.ontology.namespaces import RDF_LANGSTRING, RDF_NS, XSD_NS

Term = NamedNode | BlankNode | Literal | Triple

_VARIABLE_NAME = re.compile(r"\w+")
_XSD_STRING = XSD_NS + "string"
_RDF_LANG_STRING = RDF_LANGSTRING
_RDF_DIR_LANG_STRING = RDF_NS + "dirLangString"

_NAMES = frozenset({"name", "pname", "bnode", "number"})
_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})

# Characters escaped in a literal's lexical form and in an IRI: quotes and backslash (which could end
# or escape the string they land in), line ends (which could end a comment) and other controls.
_STRING_ESCAPES = {'"': '\\"', "'": "\\'", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE_IN_STRING = re.compile(r"[\"'\\\x00-\x1f\x7f\x85\u2028\u2029]")
_UNSAFE_IN_IRI = re.compile(r"[\x00-\x20\x7f\x85\u2028\u2029\"'<>\\{}|^`]")


def check_bindings(bindings: Mapping[str, Term] | None) -> dict[str, Term]:
    """Validate variable names and values; returns ``{name without '?': term}``.

    Raises
    ------
    ValidationError
        A name that is not a SPARQL variable name, or a value that is not a pyoxigraph ``NamedNode``,
        ``Literal`` or ``Triple`` (blank nodes cannot be bound: a query's ``_:b`` is a fresh variable).
    """
    if not bindings:
        return {}
    checked: dict[str, Term] = {}
    problems: list[Violation] = []
    for raw_name, value in bindings.items():
        name = raw_name[1:] if isinstance(raw_name, str) and raw_name[:1] in ("?", "$") else raw_name
        if not isinstance(name, str) or not _VARIABLE_NAME.fullmatch(name):
            problems.append(
                Violation(
                    f"binding name {raw_name!r} is not a SPARQL variable name (letters, digits, '_')",
                    rule="binding",
                )
            )
        elif isinstance(value, BlankNode):
            problems.append(
                Violation(
                    f"binding ?{name} is a blank node, which a query cannot name (a '_:' label in a query "
                    "is a fresh variable); bind an IRI or a literal",
                    rule="binding",
                    value=str(value),
                )
            )
        elif not isinstance(value, (NamedNode, Literal, Triple)):
            problems.append(
                Violation(
                    f"binding ?{name} is a {type(value).__name__}, not a pyoxigraph term; wrap the value "
                    "in NamedNode(...) or Literal(...)",
                    rule="binding",
                    value=repr(value)[:200],
                )
            )
        else:
            checked[name] = value
    if problems:
        raise ValidationError(problems)
    return checked


def sparql_term(term: Term) -> str:
    """A term in SPARQL syntax that holds no bare quote, backslash or line end.

    Examples
    --------
    >>> from pyoxigraph import Literal, NamedNode
    >>> print(sparql_term(Literal("it's \\"x\\"\\n", language="en")))
    "it\\'s \\"x\\"\\n"@en
    >>> print(sparql_term(NamedNode("http://example.org/it's")))
    <http://example.org/it\\u0027s>
    """
    if isinstance(term, NamedNode):
        return f"<{_UNSAFE_IN_IRI.sub(_uchar, term.value)}>"
    if isinstance(term, Literal):
        text = f'"{_UNSAFE_IN_STRING.sub(_escape_in_string, term.value)}"'
        if term.language:
            direction = f"--{term.direction}" if term.direction is not None else ""
            return f"{text}@{term.language}{direction}"
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING, _RDF_DIR_LANG_STRING):
            return text
        return f"{text}^^{sparql_term(term.datatype)}"
    if isinstance(term, Triple):
        parts = " ".join(sparql_term(t) for t in (term.subject, term.predicate, term.object))
        return f"<<( {parts} )>>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"  # only in INSERT DATA, where a label ties quads of one request together
    raise TypeError(f"not a pyoxigraph term: {term!r}")


def bind_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with the bindings added as a ``VALUES`` block at the start of every group pattern.

    Parameters
    ----------
    sparql : str
        A SPARQL query.
    bindings : mapping of str to term
        Checked bindings (see :func:`check_bindings`), variable names without ``?``.

    Returns
    -------
    str
        The query to run. Groups that cannot take a ``VALUES`` block are left alone: the template of
        ``CONSTRUCT { ... } WHERE``, ``VALUES`` data blocks, and a group that holds a sub-``SELECT``
        (its ``WHERE`` group gets one). When no group can take it (``CONSTRUCT WHERE { ... }``,
        ``DESCRIBE <iri>``) the block is appended as the query's trailing ``VALUES`` clause.

    Notes
    -----
    Only the query's own braces are located: comments, strings, IRIs, variables and language tags are
    skipped like a SPARQL lexer does, so braces and keywords inside them are ignored.
    """
    if not bindings:
        return sparql
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(sparql_term(value) for value in bindings.values())
    block = f"VALUES ({names}) {{ ({values}) }}"
    positions = _group_starts(sparql)
    if positions is None:
        # On its own line, so that a comment ending the query cannot swallow it.
        return f"{sparql}\n{block}\n"
    pieces, last = [], 0
    for position in positions:
        pieces += [sparql[last:position], f" {block}"]
        last = position
    pieces.append(sparql[last:])
    return "".join(pieces)


def _group_starts(sparql: str) -> list[int] | None:
    """Offsets just after each ``{`` that opens a group pattern able to take a ``VALUES`` block.

    None when the query has none (then the caller appends a trailing ``VALUES`` clause).
    """
    tokens = list(sparql_tokens(sparql))
    starts: list[int] = []
    form: str | None = None
    depth = 0
    skip_to: int | None = None  # inside a data block or CONSTRUCT template: skip to this depth
    data_block_next = False
    template_next = False
    for index, (token, position) in enumerate(tokens):
        if token == "{":
            following = tokens[index + 1][0] if index + 1 < len(tokens) else None
            if skip_to is None and (data_block_next or template_next):
                skip_to = depth
            elif skip_to is None and following != "SELECT":
                starts.append(position + 1)
            data_block_next = template_next = False
            depth += 1
        elif token == "}":
            depth -= 1
            if skip_to is not None and depth == skip_to:
                skip_to = None
        elif skip_to is not None:
            continue
        elif token == "VALUES":
            data_block_next = True
        elif form is None and token in _FORMS:
            form = token
            following = tokens[index + 1][0] if index + 1 < len(tokens) else None
            if form == "CONSTRUCT":
                if following != "{":  # CONSTRUCT WHERE { ... }: the group is also the template
                    return None
                template_next = True
    return starts or None


def sparql_tokens(text: str, *, punctuation: str = "{}") -> Iterator[tuple[str, int]]:
    """The upper-cased names of SPARQL ``text`` and its ``punctuation`` characters, with their offsets.

    Names are keywords, prefixed names, blank-node labels and numbers, cut by the grammar
    (:func:`stancegraph.graph.store.sparql_lexer.lex`); comments, strings, IRIs, variables and language
    tags are skipped, so nothing inside them (a brace in a literal, a variable ``?load``) is taken for syntax.

    Examples
    --------
    >>> [t for t, _ in sparql_tokens('SELECT * { ?s ?p "}" } # {')]
    ['SELECT', '{', '}']
    """
    for token in lex(text):
        if token.kind in _NAMES:
            yield token.text.upper(), token.offset
        elif token.kind == "punct" and token.text in punctuation:
            yield token.text, token.offset


def _escape_in_string(match: re.Match[str]) -> str:
    char = match.group()
    return _STRING_ESCAPES.get(char) or f"\\u{ord(char):04X}"


def _uchar(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04X}"

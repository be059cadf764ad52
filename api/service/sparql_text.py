"""Reading SPARQL text at the token level: what a request asks for before anything runs it.

pyoxigraph follows ``SERVICE <url>`` and ``LOAD <url>`` over HTTP and reads ``LOAD <file:...>``; the service
must never fetch anything on a client's behalf, so :func:`refuse_fetching` rejects both keywords before a
query or update reaches the store. It reads the text cut by the grammar's terminals
(:mod:`stancegraph.graph.store.sparql_lexer`), both as written and with its ``\\uXXXX`` escapes applied (as a
conforming parser reads it), and it is strict where a parser could read a keyword: any name, prefix of a
prefixed name, or part after a ``.`` of a local name that *starts* with ``SERVICE`` is refused
(``SERVICE:x``, ``1.SERVICE``, ``SERVICESILENT``), so a spelling the engine accepts and the lexer did not
foresee still fails closed. (The query workers are also cut off from the network, a second guard that
does not depend on this one: :mod:`stancegraph.api.service.isolation`.) ``FROM`` / ``FROM NAMED`` only select
graphs already in the store (the SPARQL dataset), so they are harmless and allowed.

:func:`refuse_deep` refuses text nested deeper than the service's limit before a parser sees it
(pyoxigraph's recursive parser overflows its stack on a few thousand nested braces).
:func:`data_operations` splits an update into its operations and accepts only ``INSERT DATA`` and
``DELETE DATA``, whose effect is known from the text alone, so that a write can be validated before it is
applied.

Examples
--------
>>> refuse_fetching('SELECT * WHERE { ?s ?p "SERVICE <http://x>" } # LOAD <file:///etc/passwd>')
>>> refuse_fetching("SELECT * WHERE { ?s ?p 1.SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
stancegraph.api.service.sparql_text.RefusedFeatureError: column 26: SERVICE is refused by this endpoint...
"""

from __future__ import annotations

__all__ = [
    "RefusedFeatureError",
    "Token",
    "tokens",
    "refuse_fetching",
    "refuse_deep",
    "DataOperation",
    "data_operations",
]

from collections.abc import Iterator
from dataclasses import dataclass

from stancegraph.graph.errors import InputLimitError, StanceGraphError
from stancegraph.graph.store import Token as Terminal
from stancegraph.graph.store import lex, max_nesting, sparql_tokens, unescape_codepoints


class RefusedFeatureError(StanceGraphError, ValueError):
    """A request uses a feature this service refuses (SERVICE, LOAD, an update form it cannot check)."""


@dataclass(frozen=True)
class Token:
    """A keyword (upper-cased), a prefixed name, a brace or a ``;`` at ``offset`` in the text."""

    text: str
    offset: int


def tokens(text: str) -> Iterator[Token]:
    """The words, braces and semicolons of SPARQL ``text``; comments, strings, IRIs and variables skipped."""
    return (Token(word, offset) for word, offset in sparql_tokens(text, punctuation="{};"))


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}" if line > 1 else f"column {column}"


def refuse_fetching(text: str) -> None:
    """Raise :class:`RefusedFeatureError` if ``text`` could be read as using ``SERVICE`` or ``LOAD``.

    Raises
    ------
    RefusedFeatureError
        Naming the keyword and where it is.
    """
    decoded = unescape_codepoints(text)
    if "service" not in decoded.lower() and "load" not in decoded.lower():
        return  # neither keyword can be in it (the common case, and a 10 MB INSERT DATA needs no lexing)
    for variant in (text, decoded) if decoded != text else (text,):
        for terminal in lex(variant):
            keyword = _fetching_keyword(terminal)
            if keyword is None:
                continue
            escaped = " (after its \\u escapes are applied)" if variant is not text else ""
            named = ""
            if terminal.text.upper() != keyword:
                named = f" ({terminal.text!r} can be read as {keyword})"
            raise RefusedFeatureError(
                f"{_where(variant, terminal.offset)}{escaped}: {keyword} is refused by this endpoint{named}: "
                "it never fetches data from the network or the file system. Load the data into the store "
                "first (an authorised Graph Store Protocol PUT or POST, or `stancegraph load`)"
                + ("; a prefix or name that starts with SERVICE must be renamed" if named else "")
            )


def _fetching_keyword(terminal: Terminal) -> str | None:
    """``SERVICE`` or ``LOAD`` if a parser could read this terminal, or a part of it, as that keyword."""
    if terminal.kind == "name":
        word = terminal.text.upper()
        return "SERVICE" if word.startswith("SERVICE") else "LOAD" if word == "LOAD" else None
    if terminal.kind not in ("pname", "bnode"):
        return None
    head, _, local = terminal.text.partition(":")
    # a prefix is where a parser may take the keyword; so is each part of a local name after a '.'
    parts = [head, *local.split(".")[1:]]
    if any(part.upper().startswith("SERVICE") for part in parts):
        return "SERVICE"
    return "LOAD" if any(part.upper() == "LOAD" for part in parts) else None


def refuse_deep(text: str, *, limit: int) -> None:
    """Raise :class:`~stancegraph.graph.errors.InputLimitError` if ``text`` nests ``{ ( [`` past ``limit``.

    Brackets in strings, IRIs and comments do not count.
    """
    depth, offset = max_nesting(text, stop_above=limit)
    if depth > limit:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise InputLimitError(
            f"{_where(text, offset)}: brackets nest deeper than {limit} levels, this service's limit "
            "(max_depth); flatten the query (a VALUES block instead of nested UNIONs, fewer nested groups)",
            limit="max_depth",
            line=line,
            column=column,
        )


@dataclass(frozen=True)
class DataOperation:
    """One ``INSERT DATA`` or ``DELETE DATA`` operation: ``kind`` and its text with the prologue before it."""

    kind: str
    text: str
    body_start: int = 0

    @property
    def as_insert(self) -> str:
        """The operation as ``INSERT DATA`` with the same data (to read a ``DELETE DATA``'s quads)."""
        return self.text[: self.body_start] + "INSERT" + self.text[self.body_start + 6 :]


def data_operations(update: str) -> list[DataOperation]:
    """Split a SPARQL Update into ``INSERT DATA`` / ``DELETE DATA`` operations, each runnable on its own.

    The ``PREFIX`` and ``BASE`` declarations that precede an operation are kept in front of it.

    Raises
    ------
    RefusedFeatureError
        An operation of another form (``DELETE WHERE``, ``INSERT {..} WHERE``, ``LOAD``, ``CLEAR``, ...):
        their effect depends on the data, so they cannot be validated before they run.

    Examples
    --------
    >>> ops = data_operations("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:p 1 }; DELETE DATA {ex:b ex:p 2}")
    >>> [op.kind for op in ops]
    ['INSERT DATA', 'DELETE DATA']
    >>> ops[0].text
    'PREFIX ex: <http://e/> INSERT DATA { ex:a ex:p 1 }'
    >>> ops[1].as_insert
    'PREFIX ex: <http://e/> INSERT DATA {ex:b ex:p 2}'
    """
    refuse_fetching(update)
    found = list(tokens(update))
    operations: list[DataOperation] = []
    prologue: list[str] = []
    i = 0
    while i < len(found):
        token = found[i]
        if token.text == ";":
            i += 1
            continue
        if token.text in ("PREFIX", "BASE"):
            # PREFIX name: <iri> / BASE <iri>: the lexer skips the IRI, so it ends before the next token
            stop = found[i + 2].offset if token.text == "PREFIX" and i + 2 < len(found) else None
            if token.text == "BASE":
                stop = found[i + 1].offset if i + 1 < len(found) else None
            prologue.append(update[token.offset : stop].strip())
            i += 2 if token.text == "PREFIX" else 1
            continue
        following = found[i + 1].text if i + 1 < len(found) else ""
        if token.text in ("INSERT", "DELETE") and following == "DATA" and i + 2 < len(found):
            if found[i + 2].text != "{":
                break
            depth, j = 0, i + 2
            while j < len(found):
                if found[j].text == "{":
                    depth += 1
                elif found[j].text == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j == len(found):
                break  # unbalanced: let the parser report it
            body = update[token.offset : found[j].offset + 1]
            head = " ".join(prologue) + " " if prologue else ""
            operations.append(DataOperation(f"{token.text} DATA", head + body, len(head)))
            i = j + 1
            continue
        raise RefusedFeatureError(
            f"{_where(update, token.offset)}: only INSERT DATA and DELETE DATA updates are accepted here, "
            f"not {token.text}{' ' + following if following not in ('{', ';', '') else ''}: every write is "
            "validated against the SHACL shapes before it is applied, which needs its effect known from the "
            "text. Run a SELECT/CONSTRUCT to find the triples, then send them as DELETE DATA / INSERT DATA"
        )
    else:
        return operations
    return operations + [DataOperation("INVALID", update)]  # unbalanced: the parser will say where

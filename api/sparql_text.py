"""Reading SPARQL text at the token level: what a request asks for before anything runs it.

pyoxigraph follows ``SERVICE <url>`` and ``LOAD <url>`` over HTTP and reads ``LOAD <file:...>``; the service
must never fetch anything on a client's behalf, so :func:`refuse_fetching` rejects both keywords before a
query or update reaches the store. ``FROM`` / ``FROM NAMED`` only select graphs already in the store (the
SPARQL dataset), so they are harmless and allowed. :func:`data_operations` splits an update into its
operations and accepts only ``INSERT DATA`` and ``DELETE DATA``, whose effect is known from the text
alone, so that a write can be validated before it is applied.

The lexer skips comments, strings, IRIs, variables and language tags, so a keyword inside them (a
literal ``"SERVICE"``, a variable ``?load``) is not taken for syntax.

Examples
--------
>>> refuse_fetching('SELECT * WHERE { ?s ?p "SERVICE <http://x>" } # LOAD <file:///etc/passwd>')
>>> refuse_fetching("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
stancegraph.api.sparql_text.RefusedFeatureError: column 18: SERVICE is refused by this endpoint...
"""

from __future__ import annotations

__all__ = ["RefusedFeatureError", "Token", "tokens", "refuse_fetching", "DataOperation", "data_operations"]

from collections.abc import Iterator
from dataclasses import dataclass

from stancegraph.graph.bindings import sparql_tokens
from stancegraph.graph.errors import StanceGraphError


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
    """Raise :class:`RefusedFeatureError` if ``text`` uses ``SERVICE`` or ``LOAD``.

    Raises
    ------
    RefusedFeatureError
        Naming the keyword and where it is.
    """
    for token in tokens(text):
        if token.text in ("SERVICE", "LOAD"):
            raise RefusedFeatureError(
                f"{_where(text, token.offset)}: {token.text} is refused by this endpoint: it never fetches "
                "data from the network or the file system. Load the data into the store first (an "
                "authorised Graph Store Protocol PUT or POST, or `stancegraph load`)"
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

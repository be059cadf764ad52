"""The stance-pattern language: questions about stances for people who do not write SPARQL.

A question is one or more *patterns* joined with ``and``; each pattern is ``subject stance object``
followed by optional conditions::

    ?who endorses "army cap"
    Russia demands ?what
    ?a rejects us-28/7 since 2025-11-21
    ?a concedes ?t contested
    ?a endorses us-28 and ?a rejects ru-no-nato

Grammar (case-insensitive keywords)::

    question  := pattern ( "and" pattern )*
    pattern   := term verb term condition*
    term      := VARIABLE | NAME | STRING | IRI
    verb      := "endorses" | "rejects" | "concedes" | "demands" | "neutral" | VARIABLE
    condition := "since" DATE | "until" DATE | "contested" | "uncontested"
    VARIABLE  := "?" letter (letter | digit | "_")*
    NAME      := a short id or plan/point notation: letters, digits and "-" "_" "." "/" ":" ("us-28/7")
    STRING    := '"' any text '"'  (a label; \\" escapes a quote)
    IRI       := "<" IRI ">"
    DATE      := YYYY-MM-DD

The subject is an actor (or the person who voiced the stance), the object a target (a demand, plan,
plan point or issue). A name resolves by IRI, short id or label (:func:`stancegraph.graph.queries.resolve`);
when none matches exactly, a name that is part of exactly one node's short id or labels is taken
(``"lifting of sanctions"`` -> ``ru-lift-sanctions``); one that is part of several names is refused with
the candidates (``"army cap"``: the demand ``ru-army-cap`` and the point ``us-28/6``). A variable used
twice joins the patterns (the same actor). A verb variable (``Russia ?stance us-28/7``) asks for the
stance. ``since`` / ``until`` bound the date a stance was stated; ``contested`` keeps stances another
stance contradicts (or that contradict one).

:func:`parse` gives the syntax tree; :mod:`~stancegraph.graph.queries.pattern_answers` resolves its names,
compiles it to SPARQL and answers it (``ask``).

Examples
--------
>>> question = parse('?who endorses "army cap" and ?who rejects us-28/7 since 2025-11-21')
>>> [(p.verb, p.object.text, p.object.column, p.since) for p in question.patterns]
[('endorses', 'army cap', 15, None), ('rejects', 'us-28/7', 43, datetime.date(2025, 11, 21))]
>>> parse("?who endorse us-28")
Traceback (most recent call last):
...
stancegraph.graph.queries.patterns.PatternSyntaxError: column 6: expected a stance (endorses, ...)...'endorse'
    ?who endorse us-28
         ^
"""

from __future__ import annotations

__all__ = [
    "PatternSyntaxError",
    "Var",
    "Name",
    "Pattern",
    "Question",
    "VERBS",
    "TYPE_OF_VERB",
    "VERB_OF_TYPE",
    "parse",
]

import datetime as dt
import re
from dataclasses import dataclass

from stancegraph.graph.errors import QuerySyntaxError
from stancegraph.ontology.namespaces import SG_NS

_SG = SG_NS
#: The verbs of the language, the stance types' short names.
VERBS = ("endorses", "rejects", "concedes", "demands", "neutral")
TYPE_OF_VERB = {verb: _SG + verb.capitalize() for verb in VERBS}
VERB_OF_TYPE = {iri: verb for verb, iri in TYPE_OF_VERB.items()}

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<iri><[^<>"\s{}|^`\\]*>)
      | (?P<date>\d{4}-\d{2}-\d{2}(?![\w/.:-]))
      | (?P<word>[A-Za-z0-9_][A-Za-z0-9_./:-]*)
    """,
    re.VERBOSE,
)


class PatternSyntaxError(QuerySyntaxError):
    """A stance pattern that does not parse; ``offset`` is the 1-based column, the message says what was
    expected there."""


@dataclass(frozen=True)
class Var:
    """A variable: ``?who`` has the name ``who``."""

    name: str


@dataclass(frozen=True)
class Name:
    """A name as typed (short id, label or IRI) and the column where it starts."""

    text: str
    column: int


@dataclass(frozen=True)
class Pattern:
    """``subject verb object`` with its conditions; ``verb`` is a stance name or a :class:`Var`."""

    subject: Var | Name
    verb: str | Var
    object: Var | Name
    since: dt.date | None = None
    until: dt.date | None = None
    contested: bool | None = None


@dataclass(frozen=True)
class Question:
    """Patterns that must all hold (joined with ``and``)."""

    patterns: tuple[Pattern, ...]

    @property
    def variables(self) -> tuple[str, ...]:
        """The variable names in order of first appearance."""
        seen: dict[str, None] = {}
        for p in self.patterns:
            for slot in (p.subject, p.verb, p.object):
                if isinstance(slot, Var):
                    seen.setdefault(slot.name)
        return tuple(seen)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


def _error(text: str, column: int, message: str) -> PatternSyntaxError:
    error = PatternSyntaxError(f"column {column}: {message}\n    {text}\n    {' ' * (column - 1)}^")
    error.lineno, error.offset, error.text = 1, column, text
    return error


def _describe(token: _Token | None) -> str:
    return "the end of the question" if token is None else repr(token.text)


def _tokenize(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _error(
                text,
                position + 1,
                f"unexpected character {text[position]!r}; names with spaces go "
                'in double quotes ("army cap"), variables start with ?',
            )
        if match.lastgroup != "space":
            tokens.append(_Token(match.lastgroup or "", match.group(), position + 1))
        position = match.end()
    return tokens


def parse(text: str) -> Question:
    """Parse a question into a :class:`Question`.

    Raises
    ------
    PatternSyntaxError
        Saying at which column what was expected (``offset`` holds the column).
    """
    if not text.strip():
        raise _error(text, 1, "expected a pattern such as '?who endorses us-28/7', found an empty question")
    tokens = _tokenize(text)
    patterns: list[Pattern] = []
    i = 0

    def peek() -> _Token | None:
        return tokens[i] if i < len(tokens) else None

    def column() -> int:
        token = peek()
        return token.column if token else len(text) + 1

    def term(role: str) -> Var | Name:
        nonlocal i
        token = peek()
        if token is None or token.kind not in ("var", "string", "iri", "word", "date"):
            raise _error(
                text,
                column(),
                f'expected {role} (a ?variable, a short id such as us-28/7, a "label" '
                f"or an <IRI>), found {_describe(token)}",
            )
        if token.kind == "word" and token.text.lower() in (
            *VERBS,
            "and",
            "since",
            "until",
            "contested",
            "uncontested",
        ):
            raise _error(
                text,
                token.column,
                f"expected {role}, found the keyword {token.text!r}; put a name "
                f'that is also a keyword in double quotes ("{token.text}")',
            )
        i += 1
        if token.kind == "var":
            return Var(token.text[1:])
        if token.kind == "string":
            inner = re.sub(r"\\(.)", r"\1", token.text[1:-1])
            if not inner.strip():
                raise _error(text, token.column, f"expected {role}, found an empty label")
            return Name(inner, token.column)
        if token.kind == "iri":
            return Name(token.text[1:-1], token.column)
        return Name(token.text, token.column)

    def verb() -> str | Var:
        nonlocal i
        token = peek()
        if token is not None and token.kind == "var":
            i += 1
            return Var(token.text[1:])
        if token is None or token.text.lower() not in VERBS:
            raise _error(
                text,
                column(),
                "expected a stance (endorses, rejects, concedes, demands, neutral or "
                f"a ?variable), found {_describe(token)}",
            )
        i += 1
        return token.text.lower()

    def date(keyword: str) -> dt.date:
        nonlocal i
        token = peek()
        if token is None or token.kind != "date":
            raise _error(
                text, column(), f"expected a date after {keyword!r} (YYYY-MM-DD), found {_describe(token)}"
            )
        try:
            value = dt.date.fromisoformat(token.text)
        except ValueError:
            raise _error(text, token.column, f"{token.text!r} is not a calendar date (YYYY-MM-DD)") from None
        i += 1
        return value

    while True:
        subject = term("a subject (an actor)")
        stance = verb()
        target = term("an object (a demand, plan, plan point or issue)")
        since = until = contested = None
        while (token := peek()) is not None and token.text.lower() != "and":
            word = token.text.lower()
            i += 1
            if word == "since":
                since = date("since")
            elif word == "until":
                until = date("until")
            elif word in ("contested", "uncontested"):
                contested = word == "contested"
            else:
                raise _error(
                    text,
                    token.column,
                    "expected 'and', 'since DATE', 'until DATE', 'contested', "
                    f"'uncontested' or the end of the question, found {token.text!r}",
                )
        patterns.append(Pattern(subject, stance, target, since, until, contested))
        if peek() is None:
            return Question(tuple(patterns))
        i += 1  # "and"
        if peek() is None:
            raise _error(text, len(text) + 1, "expected a pattern after 'and', found the end of the question")


# -- from names to SPARQL --------------------------------------------------------------------------------

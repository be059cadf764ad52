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

A pattern matches the actors' positions: a stance its own actor has denied since
(:mod:`~stancegraph.graph.queries.contested`) matches no pattern, so it makes no answer (``umerov ?s
us-28`` gives ``neutral``, not the claim that he endorsed the plan; :func:`stancegraph.graph.queries.stances`
still lists that claim, flagged denied). Each :class:`Answer` says how sure and how disputed it is:
``confidence`` is, for each pattern, the highest ``sg:confidence`` of the stances that match it (as
:class:`~stancegraph.graph.queries.stances.Holder` does for an actor), and of these the lowest, since an
answer holds only as far as each of its patterns does (with one pattern: the highest of its stances);
None when a pattern has no stance with a recorded confidence (unknown, not 0). ``contested`` is true when
any of its stances is contested.

:func:`parse` gives the syntax tree; :func:`compile_question` resolves the names and produces SPARQL plus
bindings (every resolved name and date is a bound value, never query text); :func:`ask` runs it.

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
    "Binding",
    "Answer",
    "Answers",
    "parse",
    "compile_question",
    "ask",
]

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancegraph.graph.errors import AmbiguousNameError, QuerySyntaxError, UnknownEntityError
from stancegraph.graph.queries.contested import contested_pattern, contested_stances, denied_stances
from stancegraph.graph.queries.names import label_index, normalise_label, resolve, short_id, slugify
from stancegraph.ontology.namespaces import SG_NS, XSD_NS

if TYPE_CHECKING:
    from pyoxigraph import Literal, NamedNode

    from stancegraph.graph.store import Store

_SG = SG_NS
VERBS = ("endorses", "rejects", "concedes", "demands", "neutral")
_TYPE_OF_VERB = {verb: _SG + verb.capitalize() for verb in VERBS}
_VERB_OF_TYPE = {iri: verb for verb, iri in _TYPE_OF_VERB.items()}

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


def _lenient_resolve(store: Store, name: Name, kind: str) -> str:
    """IRI, short id or exact label first; else a part of exactly one node's short id or labels."""
    try:
        return resolve(store, name.text, kind=kind)
    except (UnknownEntityError, ValueError):  # ValueError: a label with spaces is no valid short id IRI
        pass
    except AmbiguousNameError as error:
        raise AmbiguousNameError(f"column {name.column}: {error}", error.candidates) from None
    wanted = normalise_label(name.text)
    try:
        wanted_slug = slugify(name.text)
    except ValueError:
        wanted_slug = wanted
    index = label_index(store, kind=kind)
    by_id = {iri for key, iris in index.items() for iri in iris if wanted_slug in short_id(iri)}
    by_label = {iri for key, iris in index.items() for iri in iris if wanted in key}
    found = by_id | by_label  # a part of several names is ambiguous, whichever kind of name it is part of
    if len(found) == 1:
        return next(iter(found))
    if found:
        listing = ", ".join(sorted(short_id(iri) for iri in found)[:12])
        raise AmbiguousNameError(
            f"column {name.column}: {name.text!r} is part of the names of {len(found)} {kind}s: "
            f"{listing}; "
            "use one of these short ids",
            tuple((iri, short_id(iri)) for iri in sorted(found)),
        )
    what = "actor" if kind == "actor" else "target (demand, plan, plan point or issue)"
    raise UnknownEntityError(
        f"column {name.column}: no {what} is named {name.text!r} (by IRI, short id or label); "
        f"list them with GET /api/{'actors' if kind == 'actor' else 'targets'}"
    )


_PREFIXES = f"""PREFIX sg: <{_SG}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def compile_question(store: Store, question: Question | str) -> tuple[str, dict[str, NamedNode | Literal]]:
    """Resolve the names of ``question`` and produce ``(sparql, bindings)`` for :meth:`Store.query`.

    The query text depends only on the shape of the question; every name and date enters as a bound
    value. Result variables: ``v_NAME`` for each variable, ``l_NAME`` its label, ``s0``, ``s1`` ... the
    stance of each pattern, ``k0``, ``k1`` ... its confidence (unbound when it records none). The query
    still matches a stance its actor has denied: :func:`ask` leaves out the solutions that rest on one
    (:func:`~stancegraph.graph.queries.contested.denied_stances`; the same test inside the query, ``FILTER
    NOT EXISTS``, made it 6 to 13 times slower on 20,000 synthetic stances).

    Raises
    ------
    PatternSyntaxError, UnknownEntityError, AmbiguousNameError
    """
    from pyoxigraph import Literal, NamedNode

    if isinstance(question, str):
        question = parse(question)
    xsd_date = NamedNode(XSD_NS + "date")
    bindings: dict[str, NamedNode | Literal] = {}
    groups: list[str] = []
    for n, p in enumerate(question.patterns):

        def slot(value: Var | Name | str, role: str, kind: str, n: int = n) -> str:
            if isinstance(value, Var):
                return f"?v_{value.name}"
            if isinstance(value, str):  # a stance name
                bindings[f"c{n}_{role}"] = NamedNode(_TYPE_OF_VERB[value])
            else:
                bindings[f"c{n}_{role}"] = NamedNode(_lenient_resolve(store, value, kind))
            return f"?c{n}_{role}"

        actor = slot(p.subject, "actor", "actor")
        kind = slot(p.verb, "type", "")
        target = slot(p.object, "target", "target")
        lines = [
            f"GRAPH ?g{n} {{ ?s{n} a sg:Stance ; sg:target {target} ; sg:stanceType {kind} ;",
            f"  sg:statedOn ?d{n} .",
            f"  {{ ?s{n} sg:actor {actor} }} UNION {{ ?s{n} sg:person {actor} }}",
            f"  OPTIONAL {{ ?s{n} sg:confidence ?k{n} }} }}",
        ]
        if isinstance(p.verb, Var):
            lines.append(f"VALUES {kind} {{ {' '.join(f'<{iri}>' for iri in _VERB_OF_TYPE)} }}")
        if p.since is not None:
            bindings[f"c{n}_since"] = Literal(p.since.isoformat(), datatype=xsd_date)
            lines.append(f"FILTER (?d{n} >= ?c{n}_since)")
        if p.until is not None:
            bindings[f"c{n}_until"] = Literal(p.until.isoformat(), datatype=xsd_date)
            lines.append(f"FILTER (?d{n} <= ?c{n}_until)")
        if p.contested is not None:
            test = "EXISTS" if p.contested else "NOT EXISTS"
            lines.append(f"FILTER {test} {{ {contested_pattern(f'?s{n}', f'x{n}')} }}")
        groups.append("{\n  " + "\n  ".join(lines) + "\n}")
    labels = "\n".join(f"OPTIONAL {{ ?v_{v} skos:prefLabel ?l_{v} }}" for v in question.variables)
    selected = " ".join(f"?v_{v} ?l_{v}" for v in question.variables)
    stances_vars = " ".join(f"?s{n} ?k{n}" for n in range(len(question.patterns)))
    sparql = (
        f"{_PREFIXES}SELECT DISTINCT {selected} {stances_vars} WHERE {{\n"
        + "\n".join(groups)
        + f"\n{labels}\n}}"
    )
    return sparql, bindings


@dataclass(frozen=True)
class Binding:
    """The value of one variable in an answer: its IRI, short id and label (a stance verb for ``?stance``)."""

    iri: str
    id: str
    label: str


@dataclass(frozen=True)
class Answer:
    """One combination of variable values, with the stances (IRIs) that support it.

    ``confidence``: per pattern the highest confidence of its stances, and the lowest of these (None when
    a pattern has no stance with a recorded one); ``contested``: whether any of ``stances`` is contested.
    """

    values: dict[str, Binding]
    stances: tuple[str, ...]
    confidence: float | None = None
    contested: bool = False


@dataclass(frozen=True)
class Answers:
    """The answers to a question: ``variables`` in order, ``answers`` sorted by their labels."""

    question: str
    variables: tuple[str, ...]
    answers: tuple[Answer, ...]


def _confidence(by_pattern: list[dict[str, float | None]]) -> float | None:
    """The lowest of the patterns' highest confidences; None when a pattern has none recorded."""
    highest = [max((c for c in found.values() if c is not None), default=None) for found in by_pattern]
    return None if None in highest else min(highest)  # type: ignore[type-var]


def ask(store: Store, question: str, *, limit: int | None = None) -> Answers:
    """Answer a stance-pattern question.

    Parameters
    ----------
    store : Store
    question : str
        See the module documentation for the grammar.
    limit : int, optional
        Keep at most this many answers.

    Returns
    -------
    Answers
        One :class:`Answer` per combination of values, with its stances, their confidence and whether
        one is contested; a stance its actor has denied makes no answer (see the module).

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> answers = ask(store, "?who endorses us-28/6")
    >>> [(a.values["who"].label, a.confidence, a.contested) for a in answers.answers]
    [('United States', 0.6, False)]
    >>> [a.values["s"].id for a in ask(store, "umerov ?s us-28").answers]  # the claim he denied: none
    ['neutral']
    """
    parsed = parse(question)
    sparql, bindings = compile_question(store, parsed)
    result = store.query(sparql, bindings=bindings)
    grouped: dict[tuple[str, ...], tuple[dict[str, Binding], set[str], list[dict[str, float | None]]]] = {}
    variables = parsed.variables
    count = len(parsed.patterns)
    denied = denied_stances(store)
    for row in result.dicts():
        if any(row[f"s{n}"].value in denied for n in range(count) if f"s{n}" in row):
            continue  # a denied stance is no position: it supports no answer
        values = {}
        for v in variables:
            term = row.get(f"v_{v}")
            if term is None:
                continue
            verb = _VERB_OF_TYPE.get(term.value)
            label = verb or (row[f"l_{v}"].value if f"l_{v}" in row else short_id(term.value))
            values[v] = Binding(term.value, verb or short_id(term.value), label)
        key = tuple(values[v].iri if v in values else "" for v in variables)
        entry = grouped.setdefault(key, (values, set(), [{} for _ in range(count)]))
        for n in range(count):
            if f"s{n}" in row:
                entry[1].add(row[f"s{n}"].value)
                known = row.get(f"k{n}")
                entry[2][n][row[f"s{n}"].value] = float(known.value) if known is not None else None
    disputed = contested_stances(store) if grouped else frozenset()
    answers = [
        Answer(values, tuple(sorted(found)), _confidence(by_pattern), not disputed.isdisjoint(found))
        for values, found, by_pattern in grouped.values()
    ]
    answers.sort(
        key=lambda a: tuple(a.values[v].label.casefold() if v in a.values else "" for v in variables)
    )
    if limit is not None:
        answers = answers[:limit]
    return Answers(question, variables, tuple(answers))

"""Answers to stance-pattern questions (:mod:`~stancegraph.graph.queries.patterns`): the names resolved,
the question compiled to SPARQL, and each answer with the stances behind it.

A pattern matches the actors' positions: a stance its own actor has denied since
(:mod:`~stancegraph.graph.queries.contested`) matches no pattern, so it makes no answer (``umerov ?s
us-28`` gives ``neutral``, not the claim that he endorsed the plan; :func:`stancegraph.graph.queries.stances`
still lists that claim, flagged denied). Each :class:`Answer` says how sure and how disputed it is:
``confidence`` is, for each pattern, the highest ``sg:confidence`` of the stances that match it (as
:class:`~stancegraph.graph.queries.stances.Holder` does for an actor), and of these the lowest, since an
answer holds only as far as each of its patterns does (with one pattern: the highest of its stances);
None when a pattern has no stance with a recorded confidence (unknown, not 0). ``contested`` is true when
any of its stances is contested.


:func:`compile_question` resolves the names and produces SPARQL plus bindings (every resolved name and
date is a bound value, never query text); :func:`ask` runs it.
"""

from __future__ import annotations

__all__ = ["Binding", "Answer", "Answers", "compile_question", "ask"]

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancegraph.graph.errors import AmbiguousNameError, UnknownEntityError
from stancegraph.graph.queries.contested import contested_pattern, contested_stances, denied_stances
from stancegraph.graph.queries.names import label_index, normalise_label, resolve, short_id, slugify
from stancegraph.graph.queries.patterns import (
    TYPE_OF_VERB,
    VERB_OF_TYPE,
    Name,
    Question,
    Var,
    parse,
)
from stancegraph.ontology.namespaces import SG_NS, XSD_NS

if TYPE_CHECKING:
    from pyoxigraph import Literal, NamedNode

    from stancegraph.graph.store import Store

_SG = SG_NS


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
                bindings[f"c{n}_{role}"] = NamedNode(TYPE_OF_VERB[value])
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
            lines.append(f"VALUES {kind} {{ {' '.join(f'<{iri}>' for iri in VERB_OF_TYPE)} }}")
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
            verb = VERB_OF_TYPE.get(term.value)
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

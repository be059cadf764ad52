"""Stances as researchers ask for them: who endorses X, what an actor stands for, what is contested.

Every function takes the store first and returns frozen dataclasses; names may be IRIs, short ids or
labels (see :mod:`stancegraph.graph.queries.names`). Values reach SPARQL only as bound terms.
"""

from __future__ import annotations

__all__ = [
    "Stance",
    "Holder",
    "Position",
    "stances",
    "stances_by_iri",
    "who_endorses",
    "who_rejects",
    "who_concedes",
    "who_demands",
    "who",
    "positions",
    "STANCE_NAMES",
    "stance_name_column",
]

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancegraph.graph.errors import UnknownEntityError
from stancegraph.graph.queries.contested import denied_stances
from stancegraph.graph.queries.names import resolve
from stancegraph.ontology.namespaces import SG_NS, XSD_NS

if TYPE_CHECKING:
    import polars as pl

    from stancegraph.graph.store import Store

_SG = SG_NS

#: The stance names people type, mapped to the sg: stance-type IRIs.
STANCE_NAMES: dict[str, str] = {
    "endorses": _SG + "Endorses",
    "rejects": _SG + "Rejects",
    "concedes": _SG + "Concedes",
    "demands": _SG + "Demands",
    "neutral": _SG + "Neutral",
}
_NAME_OF_TYPE = {iri: name for name, iri in STANCE_NAMES.items()}


def stance_name_column(column: str = "type") -> pl.Expr:
    """The stance type IRIs of ``column`` (a polars column, e.g. the stance table's ``type``) as their
    names (``sg:Endorses`` -> ``endorses``); any other value stays as it is."""
    import polars as pl

    return pl.col(column).replace_strict(_NAME_OF_TYPE, default=pl.col(column))


@dataclass(frozen=True)
class Stance:
    """One reported stance with its provenance.

    ``contested`` is true when another stance contradicts this one or this one contradicts another
    (``sg:contradicts`` either way); ``contradicts`` and ``contradicted_by`` list those stances' IRIs.
    ``denied`` is true when the actor has denied it since (:mod:`~stancegraph.graph.queries.contested`):
    then it is not the actor's position. ``coder`` (and ``coder_label``) is who coded it (``sg:codedBy``),
    ``stated_at`` the moment it was stated when a time of day is recorded (``sg:statedAt``; ``stated_on``
    is its day).
    """

    iri: str
    actor: str
    actor_label: str
    target: str
    target_label: str
    stance: str
    stated_on: dt.date
    source: str
    source_title: str
    publisher: str
    graph: str
    person: str | None = None
    person_label: str | None = None
    reported_by: str | None = None
    reported_by_label: str | None = None
    quote: str | None = None
    confidence: float | None = None
    contradicts: tuple[str, ...] = ()
    contradicted_by: tuple[str, ...] = ()
    denied: bool = False
    coder: str | None = None
    coder_label: str | None = None
    stated_at: dt.datetime | None = None

    @property
    def contested(self) -> bool:
        return bool(self.contradicts or self.contradicted_by)


@dataclass(frozen=True)
class Holder:
    """An actor holding a stance on a target, with the reports that say so; ``confidence`` is the highest
    of theirs, ``contested`` whether any is disputed."""

    actor: str
    label: str
    stances: tuple[Stance, ...]

    @property
    def contested(self) -> bool:
        return any(s.contested for s in self.stances)

    @property
    def confidence(self) -> float | None:
        """The highest ``sg:confidence`` of its reports; None when none records one (unknown)."""
        known = [s.confidence for s in self.stances if s.confidence is not None]
        return max(known) if known else None


@dataclass(frozen=True)
class Position:
    """An actor's stances on one target, oldest first; ``stance`` is the latest one reported that the actor
    has not denied, ``confidence`` that report's."""

    target: str
    target_label: str
    stances: tuple[Stance, ...]

    @property
    def stance(self) -> str:
        return self._latest.stance

    @property
    def confidence(self) -> float | None:
        """The confidence of the report that gives :attr:`stance`; None when it records none."""
        return self._latest.confidence

    @property
    def _latest(self) -> Stance:
        held = [s for s in self.stances if not s.denied]
        return (held or self.stances)[-1]

    @property
    def contested(self) -> bool:
        return any(s.contested for s in self.stances)

    @property
    def changed(self) -> bool:
        """True when the reports the actor has not denied give more than one stance type over time (a
        denied claim is no position, so it is no change either; see :mod:`.contested`)."""
        return len({s.stance for s in self.stances if not s.denied}) > 1


_PREFIXES = f"""
PREFIX sg: <{_SG}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

_STANCES_QUERY = (
    _PREFIXES
    + """
SELECT ?s ?g ?actor ?target ?type ?date ?source ?person ?reporter ?quote ?confidence
       ?actorLabel ?targetLabel ?personLabel ?reporterLabel ?title ?publisher ?coder ?coderLabel ?moment
WHERE {{
  GRAPH ?g {{
    ?s a sg:Stance ;
       sg:actor ?actor ;
       sg:target ?target ;
       sg:stanceType ?type ;
       sg:statedOn ?date ;
       prov:wasDerivedFrom ?source .
    {filters}
    OPTIONAL {{ ?s sg:quote ?quote }}
    OPTIONAL {{ ?s sg:confidence ?confidence }}
    OPTIONAL {{ ?s sg:statedAt ?moment }}
  }}
  OPTIONAL {{ ?actor skos:prefLabel ?actorLabel }}
  OPTIONAL {{ ?target skos:prefLabel ?targetLabel }}
  OPTIONAL {{ GRAPH ?g {{ ?s sg:person ?person }} OPTIONAL {{ ?person skos:prefLabel ?personLabel }} }}
  OPTIONAL {{ GRAPH ?g {{ ?s sg:codedBy ?coder }} OPTIONAL {{ ?coder skos:prefLabel ?coderLabel }} }}
  OPTIONAL {{
    GRAPH ?g {{ ?s sg:reportedBy ?reporter }}
    OPTIONAL {{ ?reporter skos:prefLabel ?reporterLabel }}
  }}
  OPTIONAL {{ ?source dcterms:title ?title }}
  OPTIONAL {{ ?source dcterms:publisher ?publisher }}
}}
ORDER BY ?date ?s
"""
)

_FILTERS = {
    "actor": "{ ?s sg:actor ?f_actor } UNION { ?s sg:person ?f_actor }",
    "target": "?s sg:target ?f_target .",
    "stance": "?s sg:stanceType ?f_stance .",
    "source": "?s prov:wasDerivedFrom ?f_source .",
    "since": "FILTER (?date >= ?f_since)",
    "until": "FILTER (?date <= ?f_until)",
}

_CONTRADICTIONS_QUERY = _PREFIXES + "SELECT DISTINCT ?a ?b WHERE { GRAPH ?g { ?a sg:contradicts ?b } }"


def stance_type(name: str) -> str:
    """The sg: IRI of a stance name ('endorses', 'Rejects', or the IRI itself)."""
    key = name.strip().lower()
    if key in STANCE_NAMES:
        return STANCE_NAMES[key]
    if name in _NAME_OF_TYPE:
        return name
    raise UnknownEntityError(f"unknown stance {name!r}; use one of {', '.join(STANCE_NAMES)}")


def _date(value: dt.date | str, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} must be an ISO date such as 2025-11-21, not {value!r}") from None


def stances(
    store: Store,
    *,
    actor: str | None = None,
    target: str | None = None,
    stance: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    contested: bool | None = None,
) -> tuple[Stance, ...]:
    """The stances that match every filter given, oldest first, with provenance.

    Parameters
    ----------
    store : Store
        The graph.
    actor : str, optional
        Whose stances: matches the stance's actor or the person who voiced it (IRI, short id or label).
    target : str, optional
        What the stance is on: a demand, plan, plan point or issue.
    stance : str, optional
        'endorses', 'rejects', 'concedes', 'demands' or 'neutral'.
    source : str, optional
        The source (its named graph) that reports the stance.
    since, until : date or str, optional
        Inclusive date bounds on when the stance was stated.
    contested : bool, optional
        True: only stances that contradict or are contradicted by another; False: only uncontested ones.

    Returns
    -------
    tuple[Stance, ...]

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A name that matches no node, or several.
    """
    from pyoxigraph import Literal, NamedNode

    bindings = {}
    if actor is not None:
        bindings["f_actor"] = NamedNode(resolve(store, actor, kind="actor"))
    if target is not None:
        bindings["f_target"] = NamedNode(resolve(store, target, kind="target"))
    if stance is not None:
        bindings["f_stance"] = NamedNode(stance_type(stance))
    if source is not None:
        bindings["f_source"] = NamedNode(resolve(store, source, kind="source"))
    xsd_date = NamedNode(XSD_NS + "date")
    if since is not None:
        bindings["f_since"] = Literal(_date(since, "since").isoformat(), datatype=xsd_date)
    if until is not None:
        bindings["f_until"] = Literal(_date(until, "until").isoformat(), datatype=xsd_date)
    filters = "\n    ".join(_FILTERS[name[2:]] for name in bindings)
    rows = store.query(_STANCES_QUERY.format(filters=filters), bindings=bindings)
    found = _build(rows, _contradictions(store), denied_stances(store))
    if contested is not None:
        found = [s for s in found if s.contested == contested]
    return tuple(found)


#: Stances asked for by IRI in one query at most (a longer list is asked for in several).
_IRIS_PER_QUERY = 1_000


def stances_by_iri(store: Store, iris: Iterable[str]) -> tuple[Stance, ...]:
    """The stances with these IRIs (those that :func:`stances` lists: with a source), oldest first, then by
    IRI, as :func:`stances` gives them; an IRI that names no such stance is left out.

    For readers that choose stances on the stance table
    (:func:`~stancegraph.graph.queries.stance_table.stance_table`) and show them with their provenance.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> (claim,) = stances_by_iri(store, ["https://w3id.org/stancegraph/id/stance/umerov-claim"])
    >>> claim.actor_label, claim.person_label, claim.denied
    ('Ukraine', 'Rustem Umerov', True)
    """
    from pyoxigraph import NamedNode

    from stancegraph.graph.store.bindings import sparql_term

    wanted = list(dict.fromkeys(iris))
    if not wanted:
        return ()
    contradictions, denied = _contradictions(store), denied_stances(store)
    found: list[Stance] = []
    for start in range(0, len(wanted), _IRIS_PER_QUERY):
        part = wanted[start : start + _IRIS_PER_QUERY]
        # Virtuoso (7.2) refuses the query with one value on its cost estimate (over 1,000 s), but answers
        # it with the same IRI twice at once; the second row of a stance is dropped by _build
        chunk = " ".join(sparql_term(NamedNode(iri)) for iri in (part * 2 if len(part) == 1 else part))
        rows = store.query(_STANCES_QUERY.format(filters=f"VALUES ?s {{ {chunk} }}"))
        found.extend(_build(rows, contradictions, denied))
    return tuple(sorted(found, key=lambda s: (s.stated_on, s.iri)))


def _contradictions(store: Store) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    for a, b in store.query(_CONTRADICTIONS_QUERY):
        forward.setdefault(a.value, []).append(b.value)
        backward.setdefault(b.value, []).append(a.value)
    return forward, backward


def _text(term) -> str | None:
    return None if term is None else term.value


def _build(rows: Iterable, contradictions, denied: frozenset[str]) -> list[Stance]:
    forward, backward = contradictions
    seen: dict[str, Stance] = {}
    for row in rows:
        (s, g, actor, target, kind, date, source, person, reporter, quote, confidence,
         actor_label, target_label, person_label, reporter_label, title, publisher,
         coder, coder_label, moment) = row  # fmt: skip
        if s.value in seen:  # a second label or title for the same stance
            continue
        seen[s.value] = Stance(
            iri=s.value,
            actor=actor.value,
            actor_label=_text(actor_label) or actor.value,
            target=target.value,
            target_label=_text(target_label) or target.value,
            stance=_NAME_OF_TYPE.get(kind.value, kind.value),
            stated_on=dt.date.fromisoformat(date.value),
            source=source.value,
            source_title=_text(title) or source.value,
            publisher=_text(publisher) or "",
            graph=g.value,
            person=_text(person),
            person_label=_text(person_label),
            reported_by=_text(reporter),
            reported_by_label=_text(reporter_label),
            quote=_text(quote),
            confidence=float(confidence.value) if confidence is not None else None,
            contradicts=tuple(sorted(forward.get(s.value, ()))),
            contradicted_by=tuple(sorted(backward.get(s.value, ()))),
            denied=s.value in denied,
            coder=_text(coder),
            coder_label=_text(coder_label),
            stated_at=dt.datetime.fromisoformat(moment.value) if moment is not None else None,
        )
    return list(seen.values())


def who(store: Store, stance: str, target: str) -> tuple[Holder, ...]:
    """The actors that take ``stance`` on ``target``, by label, each with the reports that say so.

    A stance its actor has denied since counts for no one (:mod:`~stancegraph.graph.queries.contested`):
    an actor whose only such stance is denied is not listed; :func:`stances` still shows it, flagged.

    Examples
    --------
    See :func:`who_endorses`.
    """
    by_actor: dict[str, list[Stance]] = {}
    for s in stances(store, target=target, stance=stance):
        if not s.denied:
            by_actor.setdefault(s.actor, []).append(s)
    holders = [Holder(actor, found[0].actor_label, tuple(found)) for actor, found in by_actor.items()]
    return tuple(sorted(holders, key=lambda h: (h.label.casefold(), h.actor)))


def who_endorses(store: Store, target: str) -> tuple[Holder, ...]:
    """The actors reported to endorse ``target`` (a demand, plan, plan point or issue).

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> [h.label for h in who_endorses(store, "us-28/6")]
    ['United States']
    """
    return who(store, "endorses", target)


def who_rejects(store: Store, target: str) -> tuple[Holder, ...]:
    """The actors reported to reject ``target``."""
    return who(store, "rejects", target)


def who_concedes(store: Store, target: str) -> tuple[Holder, ...]:
    """The actors reported to concede ``target``."""
    return who(store, "concedes", target)


def who_demands(store: Store, target: str) -> tuple[Holder, ...]:
    """The actors reported to demand ``target`` (usually a sg:Demand)."""
    return who(store, "demands", target)


def positions(store: Store, actor: str) -> tuple[Position, ...]:
    """Everything ``actor`` is reported to stand for, one :class:`Position` per target, by target label.

    The actor is matched as the stance's actor or as the person who voiced it.
    """
    by_target: dict[str, list[Stance]] = {}
    for s in stances(store, actor=actor):
        by_target.setdefault(s.target, []).append(s)
    found = [Position(t, ss[0].target_label, tuple(ss)) for t, ss in by_target.items()]
    return tuple(sorted(found, key=lambda p: (p.target_label.casefold(), p.target)))

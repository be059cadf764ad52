"""What the graph holds: actors, targets, sources, plan versions and how a plan point changed.

Listings for browsing (the REST API, the landing page): each function takes the store first and returns
frozen dataclasses sorted for reading. Names may be IRIs, short ids or labels.
"""

from __future__ import annotations

__all__ = [
    "ActorInfo",
    "TargetInfo",
    "SourceInfo",
    "PlanVersion",
    "PointVersion",
    "PointHistory",
    "Overview",
    "TARGET_KINDS",
    "TargetKind",
    "actors",
    "targets",
    "sources",
    "stance_counts",
    "plan_versions",
    "plan_sources",
    "point_history",
    "overview",
]

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from stancegraph.graph.queries.names import KINDS, resolve, short_id
from stancegraph.graph.queries.stance_table import stance_table
from stancegraph.ontology.namespaces import SG_NS

if TYPE_CHECKING:
    from stancegraph.graph.store import Counts, Store


class TargetKind(StrEnum):
    """The kinds of target :func:`targets` lists (keys of :data:`~stancegraph.graph.queries.names.KINDS`)."""

    DEMAND = "demand"
    PLAN = "plan"
    POINT = "point"
    ISSUE = "issue"


#: The values of :class:`TargetKind`.
TARGET_KINDS = tuple(kind.value for kind in TargetKind)

_SG = SG_NS
_PREFIXES = f"""
PREFIX sg: <{_SG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


@dataclass(frozen=True)
class ActorInfo:
    """An actor: IRI, short id, label, its sg: classes (``State``, ``Person`` ...) and alternative labels."""

    iri: str
    id: str
    label: str
    kinds: tuple[str, ...]
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetInfo:
    """Something one takes a stance on; ``plan`` and ``notation`` are set for plan points."""

    iri: str
    id: str
    label: str
    kind: str
    plan: str | None = None
    notation: str | None = None


@dataclass(frozen=True)
class SourceInfo:
    """A source (its IRI names the graph of the stances it reports) with its catalogue entry.

    ``kind`` is its ``dcterms:type`` (article, statement, transcript, dataset; None when not recorded).
    """

    iri: str
    id: str
    title: str
    publisher: str
    issued: dt.date | None
    url: str | None
    stances: int
    kind: str | None = None


@dataclass(frozen=True)
class PlanVersion:
    """A plan version: when it was issued, which versions it revises, who drafted it, how many points."""

    iri: str
    id: str
    label: str
    issued: dt.date | None
    revision_of: tuple[str, ...]
    attributed_to: tuple[str, ...]
    points: int


@dataclass(frozen=True)
class PointVersion:
    """A plan point in one plan version; ``relation`` says how it relates to the point it revises."""

    iri: str
    id: str
    plan: str
    plan_label: str
    notation: str
    label: str
    definition: str | None
    revises: str | None = None
    relation: str | None = None  # "unchanged" (skos:exactMatch) or "changed" (skos:closeMatch)
    change_note: str | None = None
    dropped_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointHistory:
    """A point's lineage across plan versions, oldest plan first."""

    point: str
    versions: tuple[PointVersion, ...]


@dataclass(frozen=True)
class Overview:
    """What the landing page shows: the counts, the plan versions and the latest sources."""

    counts: Counts
    plans: tuple[PlanVersion, ...]
    latest_sources: tuple[SourceInfo, ...]


def _text(term) -> str | None:
    return None if term is None else term.value


def _date(term) -> dt.date | None:
    if term is None:
        return None
    try:
        return dt.date.fromisoformat(term.value)
    except ValueError:
        return None


def _classes(kind: str) -> str:
    return " ".join(f"sg:{name}" for name in KINDS[kind])


def actors(store: Store) -> tuple[ActorInfo, ...]:
    """Every actor, by label.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> next(a for a in actors(store) if a.id == "us").label
    'United States'
    """
    rows = store.query(
        _PREFIXES
        + f"""SELECT ?a ?class ?label ?alt WHERE {{
          VALUES ?class {{ {_classes("actor")} }} ?a a ?class .
          OPTIONAL {{ ?a skos:prefLabel ?label }} OPTIONAL {{ ?a skos:altLabel ?alt }} }}"""
    )
    found: dict[str, tuple[str, set[str], set[str]]] = {}
    for iri, cls, label, alt in rows:
        entry = found.setdefault(iri.value, (_text(label) or short_id(iri.value), set(), set()))
        entry[1].add(cls.value.rsplit("#", 1)[-1])
        if alt is not None:
            entry[2].add(alt.value)
    result = [
        ActorInfo(iri, short_id(iri), label, tuple(sorted(kinds - {"Actor"} or kinds)), tuple(sorted(alts)))
        for iri, (label, kinds, alts) in found.items()
    ]
    return tuple(sorted(result, key=lambda a: (a.label.casefold(), a.iri)))


_KIND_OF_CLASS = {"Demand": "demand", "Plan": "plan", "PlanPoint": "point", "Issue": "issue"}


def targets(store: Store, *, kind: str | None = None) -> tuple[TargetInfo, ...]:
    """Demands, plans, plan points and issues (or one ``kind`` of them), by kind then label / plan order.

    Parameters
    ----------
    kind : str, optional
        'demand', 'plan', 'point' or 'issue'.
    """
    if kind is not None and kind not in TARGET_KINDS:
        raise ValueError(f"unknown target kind {kind!r}; use demand, plan, point or issue")
    classes = _classes(kind) if kind else "sg:Demand sg:Plan sg:PlanPoint sg:Issue"
    rows = store.query(
        _PREFIXES
        + f"""SELECT ?t ?class ?label ?plan ?notation WHERE {{
          VALUES ?class {{ {classes} }} ?t a ?class .
          OPTIONAL {{ ?t skos:prefLabel ?label }}
          OPTIONAL {{ ?t skos:inScheme ?plan . ?t skos:notation ?notation }} }}"""
    )
    found: dict[str, TargetInfo] = {}
    for iri, cls, label, plan, notation in rows:
        if iri.value in found:
            continue
        found[iri.value] = TargetInfo(
            iri.value,
            short_id(iri.value),
            _text(label) or short_id(iri.value),
            _KIND_OF_CLASS[cls.value.rsplit("#", 1)[-1]],
            _text(plan),
            _text(notation),
        )
    order = {"demand": 0, "plan": 1, "point": 2, "issue": 3}

    def key(t: TargetInfo):
        number = int(t.notation) if t.notation and t.notation.isdigit() else 0
        return (order[t.kind], t.plan or "", number, t.label.casefold(), t.iri)

    return tuple(sorted(found.values(), key=key))


_SOURCES_QUERY = (
    _PREFIXES
    + """SELECT ?src ?title ?publisher ?issued ?url ?type WHERE {
  ?src a sg:Source .
  OPTIONAL { ?src dcterms:title ?title } OPTIONAL { ?src dcterms:publisher ?publisher }
  OPTIONAL { ?src dcterms:issued ?issued } OPTIONAL { ?src foaf:page ?url }
  OPTIONAL { ?src dcterms:type ?type }
}"""
)
# the reference count, and the count of a store that keeps no stance table (a remote one: see stance_counts)
_STANCE_COUNTS_QUERY = (
    _PREFIXES + "SELECT ?src (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?src { ?s a sg:Stance } } GROUP BY ?src"
)


def stance_counts(store: Store) -> dict[str, int]:
    """How many stances each named graph (each source) holds, for the graphs that hold any.

    Read from the stance table (:func:`~stancegraph.graph.queries.stance_table.stance_table`) when the
    store has a version to cache it by; a store without one (a remote server, where the table would be
    built afresh for a count) answers one grouped SPARQL query instead. Both count the same stances: the
    table holds every stance of a graph, with its actor, target, type and date there, as the shapes demand.
    """
    if store.version is None:
        return {src.value: int(n.value) for src, n in store.query(_STANCE_COUNTS_QUERY)}
    import polars as pl

    counted = stance_table(store).group_by("graph").agg(pl.col("stance").n_unique())
    return dict(counted.iter_rows())


def sources(store: Store) -> tuple[SourceInfo, ...]:
    """The source catalogue, newest first, with how many stances each source reports
    (:func:`stance_counts`)."""
    counts = stance_counts(store)
    found: dict[str, SourceInfo] = {}
    for src, title, publisher, issued, url, kind in store.query(_SOURCES_QUERY):
        if src.value not in found:
            found[src.value] = SourceInfo(
                src.value,
                short_id(src.value),
                _text(title) or short_id(src.value),
                _text(publisher) or "",
                _date(issued),
                _text(url),
                counts.get(src.value, 0),
                _text(kind),
            )
    return tuple(sorted(found.values(), key=lambda s: (s.issued or dt.date.min, s.iri), reverse=True))


def plan_versions(store: Store) -> tuple[PlanVersion, ...]:
    """Every plan version, oldest first, with the versions it revises and its drafters."""
    rows = store.query(
        _PREFIXES
        + """SELECT ?plan ?label ?issued ?earlier ?by (COUNT(DISTINCT ?point) AS ?points) WHERE {
          ?plan a sg:Plan .
          OPTIONAL { ?plan skos:prefLabel ?label } OPTIONAL { ?plan dcterms:issued ?issued }
          OPTIONAL { ?plan prov:wasRevisionOf ?earlier } OPTIONAL { ?plan prov:wasAttributedTo ?by }
          OPTIONAL { ?point skos:inScheme ?plan }
        } GROUP BY ?plan ?label ?issued ?earlier ?by"""
    )
    found: dict[str, tuple[str, dt.date | None, set[str], set[str], int]] = {}
    for plan, label, issued, earlier, by, points in rows:
        entry = found.setdefault(
            plan.value, (_text(label) or short_id(plan.value), _date(issued), set(), set(), int(points.value))
        )
        if earlier is not None:
            entry[2].add(earlier.value)
        if by is not None:
            entry[3].add(by.value)
    result = [
        PlanVersion(iri, short_id(iri), label, issued, tuple(sorted(earlier)), tuple(sorted(by)), points)
        for iri, (label, issued, earlier, by, points) in found.items()
    ]
    return tuple(sorted(result, key=lambda p: (p.issued or dt.date.min, p.iri)))


_PLAN_SOURCES_QUERY = (
    _PREFIXES
    + """SELECT DISTINCT ?src WHERE {
  { ?plan prov:wasDerivedFrom ?src } UNION { ?point skos:inScheme ?plan ; prov:wasDerivedFrom ?src }
} ORDER BY ?src"""
)


def plan_sources(store: Store, plan: str) -> tuple[str, ...]:
    """The sources that report a plan version or its points (``prov:wasDerivedFrom``), as IRIs.

    They are where the plan's text, and so what its points fulfil or oppose, comes from.

    Parameters
    ----------
    plan : str
        The plan version: IRI, short id (``us-28``) or label.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> [short_id(iri) for iri in plan_sources(store, "us-28")]
    ['axios-ft-2025-11-20', 'st-2025-11-21']
    """
    from pyoxigraph import NamedNode

    iri = resolve(store, plan, kind="plan")
    return tuple(row[0].value for row in store.query(_PLAN_SOURCES_QUERY, bindings={"plan": NamedNode(iri)}))


_POINT_QUERY = (
    _PREFIXES
    + """SELECT ?p ?plan ?planLabel ?notation ?label ?definition ?earlier ?rel ?note ?dropped WHERE {
  ?p a sg:PlanPoint ; skos:inScheme ?plan ; skos:notation ?notation .
  OPTIONAL { ?plan skos:prefLabel ?planLabel }
  OPTIONAL { ?p skos:prefLabel ?label } OPTIONAL { ?p skos:definition ?definition }
  OPTIONAL { VALUES ?rel { skos:exactMatch skos:closeMatch } ?p ?rel ?earlier }
  OPTIONAL { ?p skos:changeNote ?note } OPTIONAL { ?p sg:droppedIn ?dropped }
}"""
)


def point_history(store: Store, point: str) -> PointHistory:
    """How a plan point changed across plan versions: every point linked to it by ``skos:exactMatch`` /
    ``skos:closeMatch`` (either way, transitively), oldest plan first, with the change notes and the
    versions that dropped it.

    Parameters
    ----------
    point : str
        The point: IRI, ``plan/notation`` short id (``us-28/6``) or label.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> [(v.id, v.relation) for v in point_history(store, "us-28/6").versions][:2]
    [('us-28/6', None), ('e3-counter/6', 'changed')]
    """
    iri = resolve(store, point, kind="point")
    versions: dict[str, dict] = {}
    for p, plan, plan_label, notation, label, definition, earlier, rel, note, dropped in store.query(
        _POINT_QUERY
    ):
        entry = versions.setdefault(
            p.value,
            {
                "plan": plan.value,
                "plan_label": _text(plan_label) or short_id(plan.value),
                "notation": notation.value,
                "label": _text(label) or notation.value,
                "definition": _text(definition),
                "revises": None,
                "relation": None,
                "note": _text(note),
                "dropped": set(),
            },
        )
        if earlier is not None:
            entry["revises"] = earlier.value
            entry["relation"] = "unchanged" if rel.value.endswith("exactMatch") else "changed"
        if dropped is not None:
            entry["dropped"].add(dropped.value)
    links: dict[str, set[str]] = {}
    for p, entry in versions.items():
        if entry["revises"]:
            links.setdefault(p, set()).add(entry["revises"])
            links.setdefault(entry["revises"], set()).add(p)
    lineage, todo = {iri}, [iri]
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in lineage:
                lineage.add(other)
                todo.append(other)
    issued = {p.iri: p.issued for p in plan_versions(store)}
    chosen = [
        PointVersion(
            p,
            short_id(p),
            e["plan"],
            e["plan_label"],
            e["notation"],
            e["label"],
            e["definition"],
            e["revises"],
            e["relation"],
            e["note"],
            tuple(sorted(e["dropped"])),
        )
        for p, e in versions.items()
        if p in lineage
    ]
    chosen.sort(key=lambda v: (issued.get(v.plan) or dt.date.min, v.revises is not None, v.plan, v.iri))
    return PointHistory(iri, tuple(chosen))


def overview(store: Store, *, latest: int = 5) -> Overview:
    """Counts, plan versions and the ``latest`` newest sources, for a front page."""
    return Overview(store.counts(), plan_versions(store), sources(store)[:latest])

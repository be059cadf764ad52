"""Statements tables (CSV) to RDF: one ``sg:Stance`` per row, in the named graph of its source.

A statements table has a header row naming its columns (any order, any case):

``actor``, ``target``
    Required. An IRI, a short id (``us``) or a label (``"United States"``) of an actor / a target.
``stance`` *or* ``agreement``
    Required, one of the two. ``stance`` is endorses, rejects, concedes or demands (any case).
    ``agreement`` is the Discourse Network Analyzer qualifier: if every value in the file is 0 or 1 it
    is boolean (1 agree -> ``sg:Endorses``, 0 disagree -> ``sg:Rejects``); otherwise it is a scale
    (> 0 ``sg:Endorses``, < 0 ``sg:Rejects``, 0 ``sg:Neutral``). The value is kept in ``sg:agreement``.
``date``
    The day the position was expressed, ``YYYY-MM-DD``. Without it the ``sg:statedOn`` rule fails. It may
    carry a time of day, as DNA writes it (``2025-11-22 10:00:00``; also ``2025-11-22 10:00``, a ``T``
    for the space, fractions of a second and a timezone, ``Z`` or ``+01:00``): the day is still the
    stance's ``sg:statedOn`` (every date filter and analysis reads it), and the whole moment is kept in
    ``sg:statedAt`` (``xsd:dateTime``).
``document``, ``source``
    The report (title) and who published it (a name such as ``Reuters``, or the report's URL). The
    stance goes into the named graph ``id/source/{slugify(document or source)}``, which is catalogued
    as an ``sg:Source`` in the default graph (title = document, publisher = source, or the URL's host,
    ``foaf:page`` = the URL, issued = the earliest date of its rows).
``quote``, ``person``, ``confidence``
    Optional: a short verbatim quote, the person who voiced the stance, the coder's confidence in [0, 1].
    A table with a ``person`` but no ``actor`` column is a network of people: the person is the actor
    (an ``sg:Person``), as in a DNA file with a ``person`` and no ``organization``.
``quote_start``, ``quote_end``
    Optional, both or neither: where the quoted passage stands in the document's text, as character
    offsets (from 0; the end is the first character after the passage), as a Discourse Network Analyzer
    statement marks its span and a Web Annotation ``oa:TextPositionSelector`` does; ``sg:quoteStart`` and
    ``sg:quoteEnd``. They are part of the row's key: two statements at two places of one document are two
    stances, however alike their coding (as DNA counts them).
``coder``
    Optional: who coded the row (a name, or DNA's coder id), the stance's ``sg:codedBy``: an
    ``sg:Coder`` (``id/coder/{slugify(coder)}``, no actor), created with the name as its label unless
    the store has it. Two coders' rows on one statement are two stances (see
    :mod:`~stancegraph.graph.ingestion.duplicates`).
``id``
    Optional: the coder's name for the row's stance, unique within the file. The stance's IRI is then
    ``id/stance/{slugify(id)}`` (so ids that differ only in case or punctuation count as the same).
``contradicts``
    Optional: the stance this row disputes (a denial of a reported position): the ``id`` of another row
    of the same file (earlier or later), or the full IRI (bare or as ``<IRI>``) of a stance already in
    the store, in the RDF loaded with the file or in a table read before it in the same load. It
    becomes ``sg:contradicts`` from this row's stance to that one, in this row's graph. A duplicate
    ``id``, a ``contradicts`` that names no stance and a stance that contradicts itself are row problems
    (on the ``id`` cell: no property; on the ``contradicts`` cell: ``sg:contradicts``).

The Discourse Network Analyzer's names are read as ours (:mod:`~stancegraph.graph.ingestion.dna_columns`):
``organization`` is the ``actor``, ``concept`` the ``target``, ``time`` the ``date``, ``document_title``
(or ``document title``, or ``document_id`` / ``document ID``) the ``document``, ``document_source`` the
``source``; ``person``, ``agreement``, ``source`` and ``coder`` are the same names. A header that names
one column twice, in our words and DNA's (``actor`` and ``organization``) or in two of DNA's
(``document_title`` and ``document_id``), is refused. A file whose header row has no comma but
semicolons is read with ``;`` between the cells, as DNA's export dialog writes it.

Any other column is refused (the error lists the known ones, and says for each of DNA's other columns,
such as ``text`` or ``statement_id``, what to do with it instead). Names that match no actor or target in
the store, in the data being loaded, or in earlier rows are created (actors as ``sg:Actor``, people as
``sg:Person``, targets as ``sg:Issue``, IRIs from :func:`~stancegraph.graph.queries.names.slugify`) unless
``strict`` is set. Problems in a row are reported as :class:`~stancegraph.graph.errors.Violation` with
the file and the CSV line, all of them, not just the first.

A stance's IRI is ``id/stance/{slugify(id)}`` for a row with an ``id``, otherwise ``id/stance/{hash}``:
a hash of the row's content (independent of the file and of the column order; an empty cell counts as
absent, so adding empty ``id`` / ``contradicts`` columns changes no IRI) and of how many identical rows
came before it, so loading a file twice changes nothing.

A cell may hold up to :data:`CSV_FIELD_LIMIT` characters (16 MiB; the :mod:`csv` module's own default
is 131,072); a longer one is a problem of its row (file and line, the limit) and ends the reading of
that file.

This module is the format's one definition: its columns, the header check, the RDF terms a row
becomes, and how a broken rule is explained in CSV terms. :class:`~stancegraph.graph.ingestion.reader.
StatementsReader` reads it, for ``load`` and ``validate`` and for the statements table of the analysis
alike.
"""

from __future__ import annotations

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "STANCE_NAMES",
    "STANCE_PREDICATES",
    "COLUMN_OF_PATH",
    "Header",
    "RowProblem",
    "id_slug",
    "read_header",
    "fix_hint",
]

from collections.abc import Mapping
from dataclasses import dataclass

from stancegraph.graph.ingestion.dna_columns import DNA_NAMES, DNA_REFUSED
from stancegraph.graph.queries.names import slugify
from stancegraph.ontology.namespaces import DCTERMS_NS, FOAF_NS, PROV_NS, RDF_NS, SG_NS, SKOS_NS, STANCE_TYPES

#: Every column a statements table may have, in the order used to hash a row.
COLUMNS = (
    "actor",
    "target",
    "stance",
    "agreement",
    "date",
    "document",
    "source",
    "quote",
    "quote_start",
    "quote_end",
    "person",
    "coder",
    "confidence",
    "id",
    "contradicts",
)
#: Columns that must be present (plus one of ``stance`` / ``agreement``).
REQUIRED_COLUMNS = ("actor", "target")
#: The stance names a ``stance`` cell may hold (``neutral`` too: DNA's neutral statements).
STANCE_NAMES = tuple(STANCE_TYPES)


def _p(namespace: str, local: str) -> str:
    return f"<{namespace}{local}>"


#: rdf:type, in N-Triples form (the ``P_*`` and ``C_*`` names are the terms a row's N-Triples use).
RDF_TYPE = _p(RDF_NS, "type")


P_ACTOR, P_TARGET, P_TYPE = _p(SG_NS, "actor"), _p(SG_NS, "target"), _p(SG_NS, "stanceType")
P_DATE, P_QUOTE, P_PERSON = _p(SG_NS, "statedOn"), _p(SG_NS, "quote"), _p(SG_NS, "person")
P_CONFIDENCE, P_AGREEMENT = _p(SG_NS, "confidence"), _p(SG_NS, "agreement")
P_MOMENT, P_CODER = _p(SG_NS, "statedAt"), _p(SG_NS, "codedBy")
P_QUOTE_START, P_QUOTE_END = _p(SG_NS, "quoteStart"), _p(SG_NS, "quoteEnd")
P_SOURCE = _p(PROV_NS, "wasDerivedFrom")
P_CONTRADICTS = _p(SG_NS, "contradicts")
P_PREF, P_ALT = _p(SKOS_NS, "prefLabel"), _p(SKOS_NS, "altLabel")
P_TITLE, P_PUBLISHER, P_ISSUED = (
    _p(DCTERMS_NS, "title"),
    _p(DCTERMS_NS, "publisher"),
    _p(DCTERMS_NS, "issued"),
)
P_PAGE = _p(FOAF_NS, "page")
#: The predicates of a stance's own triples (rdf:type aside), as plain IRIs.
STANCE_PREDICATES = frozenset(
    text[1:-1]
    for text in (P_ACTOR, P_TARGET, P_TYPE, P_DATE, P_QUOTE, P_PERSON, P_CONFIDENCE, P_AGREEMENT, P_SOURCE)
) | {SG_NS + "contradicts", SG_NS + "statedAt", SG_NS + "codedBy", SG_NS + "quoteStart", SG_NS + "quoteEnd"}
C_STANCE, C_ACTOR, C_PERSON = _p(SG_NS, "Stance"), _p(SG_NS, "Actor"), _p(SG_NS, "Person")
C_ISSUE, C_SOURCE, C_CODER = _p(SG_NS, "Issue"), _p(SG_NS, "Source"), _p(SG_NS, "Coder")

#: The column that fills each property, to say how to fix a rule broken by a CSV row.
COLUMN_OF_PATH = {
    SG_NS + "actor": "actor",
    SG_NS + "target": "target",
    SG_NS + "stanceType": "stance",
    SG_NS + "statedOn": "date",
    SG_NS + "statedAt": "date",
    SG_NS + "codedBy": "coder",
    SG_NS + "quote": "quote",
    SG_NS + "quoteStart": "quote_start",
    SG_NS + "quoteEnd": "quote_end",
    SG_NS + "person": "person",
    SG_NS + "confidence": "confidence",
    SG_NS + "agreement": "agreement",
    SG_NS + "contradicts": "contradicts",
    PROV_NS + "wasDerivedFrom": "document",
    DCTERMS_NS + "title": "document",
    DCTERMS_NS + "publisher": "source",
    DCTERMS_NS + "issued": "date",
}


class RowProblem(Exception):
    """One thing wrong with one cell; becomes a Violation with the row's location."""

    def __init__(self, message: str, path: str | None = None, value: str | None = None) -> None:
        super().__init__(message)
        self.message, self.path, self.value = message, path, value
        self.duplicate: str | None = None  # the id slug, for a repeated id (its first line comes later)


def id_slug(text: str) -> str | None:
    """The slug of an ``id`` (or ``contradicts``) cell; None if it has no letters or digits."""
    try:
        return slugify(text)
    except ValueError:
        return None


#: What each column gives, for a header that names one column twice.
_WHAT = {
    "actor": "whose position it is",
    "target": "what it is on",
    "date": "when it was said",
    "document": "the report",
    "source": "who published the report",
}


@dataclass(frozen=True)
class Header:
    """What the header row of a statements table says.

    Attributes
    ----------
    columns : Mapping of str to int
        Our name of each column (:data:`COLUMNS`) -> its position, whatever name the header gives it
        (``organization`` is the ``actor``).
    labels : Mapping of str to str
        Our name of each column -> the name the header gives it (lower case), for messages in the file's
        own words.
    person_is_actor : bool
        The table has a ``person`` but no ``actor`` column: the person is the actor (then ``columns``
        has it as ``actor``, and no ``person``).
    problems : tuple of str
        One message per problem; the table cannot be read when there is any.
    """

    columns: Mapping[str, int]
    labels: Mapping[str, str]
    person_is_actor: bool = False
    problems: tuple[str, ...] = ()


def _unknown(names: list[str]) -> str:
    """The problem of columns that are neither ours nor DNA's names of ours."""
    advice = "".join(f"; {name!r} is {DNA_REFUSED[name]}" for name in names if name in DNA_REFUSED)
    dna: dict[str, list[str]] = {}
    for name, ours in DNA_NAMES.items():
        if " " not in name:  # "document title" is "document_title" as the export dialog writes it
            dna.setdefault(ours, []).append(name)
    listed = ", ".join(f"{' or '.join(theirs)} for {ours}" for ours, theirs in dna.items())
    return (
        f"unknown column{'s' if len(names) > 1 else ''} {', '.join(map(repr, names))}; a statements "
        f"table may only have the columns {', '.join(COLUMNS)} (or the Discourse Network Analyzer's names "
        f"{listed}): rename or remove the others{advice}"
    )


def read_header(header: list[str] | None) -> Header:
    """What a header row names: each column under our name, and what is wrong with the header.

    Parameters
    ----------
    header : list of str or None
        The cells of the first row (None for an empty file).

    Returns
    -------
    Header
        The columns, and one message per problem (none when the header is good): no header, a column
        named twice (under one name, or under ours and DNA's), an unknown column, no ``actor`` (nor
        ``organization`` or ``person``) or ``target`` (nor ``concept``), not exactly one of ``stance`` and
        ``agreement``.

    Examples
    --------
    >>> read_header(["Actor", "target", "stance"]).columns
    {'actor': 0, 'target': 1, 'stance': 2}
    >>> dna = read_header(["person", "organization", "concept", "agreement", "time", "coder"])
    >>> dna.columns["actor"], dna.columns["person"], dna.labels["date"], dna.problems
    (1, 0, 'time', ())
    >>> people = read_header(["person", "concept", "agreement"])
    >>> people.person_is_actor, people.columns
    (True, {'target': 1, 'agreement': 2, 'actor': 0})
    >>> read_header(["actor", "organization", "target", "stance"]).problems[0][:62]
    "columns 'actor' and 'organization' both name whose position it"
    >>> read_header(["actor", "target", "stance", "agreement"]).problems[0][:43]
    'the header needs exactly one of the columns'
    """
    if not header or not any(cell.strip() for cell in header):
        return Header(
            {},
            {},
            problems=(
                f"the file has no header row; the first line must name the columns ({', '.join(COLUMNS)})",
            ),
        )
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    written: set[str] = set()
    unknown: list[str] = []
    problems = []
    for position, cell in enumerate(header):
        name = cell.strip().lower()
        ours = name if name in COLUMNS else DNA_NAMES.get(name)
        if name in written:
            problems.append(f"column {name!r} appears twice in the header; keep one")
        elif ours is None:
            unknown.append(name)
        elif ours in columns:
            where = "our name and DNA's" if ours in (name, labels[ours]) else "two of DNA's names"
            problems.append(
                f"columns {labels[ours]!r} and {name!r} both name {_WHAT.get(ours, 'the ' + ours)} "
                f"(the {ours!r} column, under {where}); keep one"
            )
        else:
            columns[ours], labels[ours] = position, name
        written.add(name)
    if unknown:
        problems.append(_unknown(unknown))
    person_is_actor = "actor" not in columns and "person" in columns
    if person_is_actor:
        columns["actor"], labels["actor"] = columns.pop("person"), labels.pop("person")
    missing = {
        "actor": "'actor' column (the Discourse Network Analyzer's 'organization', or 'person' for a network "
        "of people)",
        "target": "'target' column (the Discourse Network Analyzer's 'concept')",
    }
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(f"the header has no {missing[name]}; add it")
    if ("stance" in columns) == ("agreement" in columns):
        problems.append(
            "the header needs exactly one of the columns "
            "'stance' (endorses, rejects, concedes, demands) and "
            "'agreement' (DNA's 0/1 or an integer scale)"
        )
    return Header(columns, labels, person_is_actor, tuple(problems))


def fix_hint(columns: Mapping[str, int], path: str | None, labels: Mapping[str, str] | None = None) -> str:
    """How to fix, in CSV terms, a rule on the property ``path`` broken by a row of a table with ``columns``.

    ``labels`` (:attr:`Header.labels`) names the columns as the header does (``organization``).

    Examples
    --------
    >>> fix_hint({"actor": 0, "target": 1, "stance": 2}, SG_NS + "statedOn")
    " (this CSV has no 'date' column: add one (YYYY-MM-DD))"
    >>> fix_hint({"actor": 0, "target": 1}, SG_NS + "actor", {"actor": "organization"})
    " (in this CSV: fill in or correct the 'organization' cell of the row)"
    """
    column = COLUMN_OF_PATH.get(path or "")
    if column is None:
        return ""
    if column == "document":
        present = "document" in columns or "source" in columns
        return (
            " (in this CSV: fill in the document or source cell of the row)"
            if present
            else " (this CSV has no document or source column: add one naming each row's report)"
        )
    if column == "stance" and "agreement" in columns:
        column = "agreement"
    if column in columns:
        shown = (labels or {}).get(column, column)
        return f" (in this CSV: fill in or correct the {shown!r} cell of the row)"
    what = {
        "date": " (YYYY-MM-DD)",
        "source": " (the publisher's name or the report's URL: DNA's source or document_source)",
    }.get(column, "")
    return f" (this CSV has no {column!r} column: add one{what})"

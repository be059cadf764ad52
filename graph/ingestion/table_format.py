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
    The day the position was expressed, ``YYYY-MM-DD``. Without it the ``sg:statedOn`` rule fails.
``document``, ``source``
    The report (title) and who published it (a name such as ``Reuters``, or the report's URL). The
    stance goes into the named graph ``id/source/{slugify(document or source)}``, which is catalogued
    as an ``sg:Source`` in the default graph (title = document, publisher = source, or the URL's host,
    ``foaf:page`` = the URL, issued = the earliest date of its rows).
``quote``, ``person``, ``confidence``
    Optional: a short verbatim quote, the person who voiced the stance, the coder's confidence in [0, 1].
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

Any other column is refused (the error lists the known ones). Names that match no actor or target in
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
    "RowProblem",
    "id_slug",
    "header_columns",
    "fix_hint",
]

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
    "person",
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
) | {SG_NS + "contradicts"}
C_STANCE, C_ACTOR, C_PERSON = _p(SG_NS, "Stance"), _p(SG_NS, "Actor"), _p(SG_NS, "Person")
C_ISSUE, C_SOURCE = _p(SG_NS, "Issue"), _p(SG_NS, "Source")

#: The column that fills each property, to say how to fix a rule broken by a CSV row.
COLUMN_OF_PATH = {
    SG_NS + "actor": "actor",
    SG_NS + "target": "target",
    SG_NS + "stanceType": "stance",
    SG_NS + "statedOn": "date",
    SG_NS + "quote": "quote",
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


def header_columns(header: list[str] | None) -> tuple[dict[str, int], list[str]]:
    """The columns a header row names (lower-cased name -> position) and what is wrong with it.

    Parameters
    ----------
    header : list of str or None
        The cells of the first row (None for an empty file).

    Returns
    -------
    (dict, list of str)
        The columns, and one message per problem (empty when the header is good): no header, a column
        named twice, an unknown column, no ``actor`` / ``target``, not exactly one of ``stance`` and
        ``agreement``.

    Examples
    --------
    >>> header_columns(["Actor", "target", "stance"])
    ({'actor': 0, 'target': 1, 'stance': 2}, [])
    >>> header_columns(["actor", "target", "stance", "agreement"])[1][0][:43]
    'the header needs exactly one of the columns'
    """
    if not header or not any(cell.strip() for cell in header):
        return {}, [
            f"the file has no header row; the first line must name the columns ({', '.join(COLUMNS)})"
        ]
    columns: dict[str, int] = {}
    problems = []
    for position, cell in enumerate(header):
        name = cell.strip().lower()
        if name in columns:
            problems.append(f"column {name!r} appears twice in the header; keep one")
        columns[name] = position
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown:
        problems.append(
            f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; a statements "
            f"table may only have the columns {', '.join(COLUMNS)} (rename or remove the others)"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(f"the header has no {' and no '.join(map(repr, missing))} column; add it")
    if ("stance" in columns) == ("agreement" in columns):
        problems.append(
            "the header needs exactly one of the columns "
            "'stance' (endorses, rejects, concedes, demands) and "
            "'agreement' (DNA's 0/1 or an integer scale)"
        )
    return columns, problems


def fix_hint(columns: dict[str, int], path: str | None) -> str:
    """How to fix, in CSV terms, a rule on the property ``path`` broken by a row of a table with ``columns``.

    Examples
    --------
    >>> fix_hint({"actor": 0, "target": 1, "stance": 2}, SG_NS + "statedOn")
    " (this CSV has no 'date' column: add one (YYYY-MM-DD))"
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
        return f" (in this CSV: fill in or correct the {column!r} cell of the row)"
    what = {"date": " (YYYY-MM-DD)", "source": " (the publisher's name or the report's URL)"}.get(column, "")
    return f" (this CSV has no {column!r} column: add one{what})"

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

The conversion streams: rows are read with the :mod:`csv` module and turned into N-Quads text in
chunks (:meth:`StatementsReader.chunks`), so a million rows never sit in memory at once. The terms in
that text come from pyoxigraph's own serialisation (``str(NamedNode(...))``, ``str(Literal(...))``),
which escapes them. References between rows need no second pass: the reader keeps the set of ids seen
(one short string per row that has an id) and the references to ids not seen yet; those are checked
once the last row is read, and IRIs outside the file are looked up in the store in batches then.
"""

from __future__ import annotations

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "STANCE_PREDICATES",
    "CSV_FIELD_LIMIT",
    "csv_field_limit",
    "unreadable_csv",
    "Names",
    "RowChunk",
    "StatementsReader",
    "Statements",
    "read_statements",
]

import contextlib
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from stancegraph.graph.errors import Violation
from stancegraph.graph.queries.names import ID_NS, iri_for, label_index, normalise_label, short_id, slugify
from stancegraph.ontology.namespaces import DCTERMS_NS, FOAF_NS, PROV_NS, SG_NS, SKOS_NS, STANCE_TYPES

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
#: The stance names a ``stance`` cell may hold.
STANCE_NAMES = ("endorses", "rejects", "concedes", "demands")
#: The most characters a cell of a statements table may hold (16 MiB; the csv module allows 131,072).
CSV_FIELD_LIMIT = 16 * 2**20

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_DATE = NamedNode(_XSD + "date")
_DECIMAL = NamedNode(_XSD + "decimal")
_INTEGER = NamedNode(_XSD + "integer")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"https?://", re.IGNORECASE)
_STANCE_NS = ID_NS + "stance/"
_EARLIER = "\x00earlier\x00"  # stands for the line of a repeated id's first use until it is known
_SELF = (
    "the contradicts cell {text!r} names this row's own stance, and a stance cannot contradict itself; "
    "write the id (or IRI) of the stance this row disputes"
)
_BATCH = 1000  # IRIs per lookup query


@contextlib.contextmanager
def csv_field_limit(limit: int = CSV_FIELD_LIMIT) -> Iterator[int]:
    """Let :mod:`csv` readers take cells of up to ``limit`` characters inside the ``with`` block.

    The csv module keeps one limit per interpreter (:func:`csv.field_size_limit`, 131,072 by default);
    it is raised on entering (never lowered) and set back to its old value on leaving, so code outside
    the block keeps the default. Threads reading CSV outside such a block meanwhile see the raised limit.

    Parameters
    ----------
    limit : int, default CSV_FIELD_LIMIT
        The longest cell to accept, in characters.

    Yields
    ------
    int
        The limit in force inside the block.

    Examples
    --------
    >>> import csv, io
    >>> with csv_field_limit() as limit:
    ...     len(next(csv.reader(io.StringIO("x" * 200_000))))
    1
    >>> limit, csv.field_size_limit()
    (16777216, 131072)
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, limit))
    try:
        yield max(previous, limit)
    finally:
        csv.field_size_limit(previous)


def unreadable_csv(error: Exception, limit: int = CSV_FIELD_LIMIT) -> str:
    """What is wrong with a CSV row the csv module (or the UTF-8 decoder) cannot read, and how to fix it.

    Parameters
    ----------
    error : csv.Error or UnicodeDecodeError
        What reading the row raised.
    limit : int, default CSV_FIELD_LIMIT
        The longest cell that was allowed, in characters.

    Returns
    -------
    str
        A message for a :class:`~stancegraph.graph.errors.Violation` (which adds the file and line).

    Examples
    --------
    >>> unreadable_csv(csv.Error("field larger than field limit (16777216)"))[:45]
    'a cell of this row is longer than 16,777,216 '
    """
    if "field larger than field limit" in str(error):
        return (
            f"a cell of this row is longer than {limit:,} characters, the most a statements table may "
            'hold; shorten it (a quote is meant to be short) or check for an unclosed " quote '
            "that runs on to the end of the file"
        )
    if isinstance(error, UnicodeDecodeError):  # text is decoded ahead of the rows: the line is a bound
        byte = error.object[error.start : error.start + 1].hex()
        return (
            f"the file is not UTF-8 at this line or a few lines after it (byte 0x{byte}: "
            f"{error.reason}); save it as UTF-8 and load it again"
        )
    return f"the row is not valid CSV ({error}); fix it, e.g. quote cells that contain line breaks"


def _p(namespace: str, local: str) -> str:
    return f"<{namespace}{local}>"


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


class _RowProblem(Exception):
    """One thing wrong with one cell; becomes a Violation with the row's location."""

    def __init__(self, message: str, path: str | None = None, value: str | None = None) -> None:
        super().__init__(message)
        self.message, self.path, self.value = message, path, value
        self.duplicate: str | None = None  # the id slug, for a repeated id (its first line comes later)


def _slug(text: str) -> str | None:
    """The slug of an ``id`` (or ``contradicts``) cell; None if it has no letters or digits."""
    try:
        return slugify(text)
    except ValueError:
        return None


@dataclass
class _Entity:
    """An actor, person or target created from a label (not yet in the store)."""

    iri: str  # N-Triples form
    label: str
    file: str
    line: int
    classes: set[str]
    alt_labels: dict[str, None] = field(default_factory=dict)


class Names:
    """Resolve actor and target names for one ingest: the store's labels, the data loaded with them,
    and what earlier rows created.

    Parameters
    ----------
    *lookups
        Stores to search (anything with a ``query(sparql)`` method returning rows: a
        :class:`~stancegraph.graph.store.Store` or a pyoxigraph store). Each is asked once per kind for
        its :func:`~stancegraph.graph.queries.names.label_index`, never once per row.
    strict : bool, default False
        Refuse names that match nothing instead of creating nodes for them.
    """

    def __init__(self, *lookups: Any, strict: bool = False) -> None:
        self.lookups = [store for store in lookups if store is not None]
        self.strict = strict
        self._index: dict[str, dict[str, tuple[str, ...]]] = {}
        self.created: dict[str, _Entity] = {}  # N-Triples IRI -> entity
        self.unknown: dict[
            tuple[str, str], tuple[str, int, str]
        ] = {}  # (kind, name) -> first file, line, IRI
        self._by_folded: dict[tuple[str, str], str] = {}  # (kind, folded label or slug) -> N-Triples IRI
        self._cache: dict[tuple[str, str, bool], str] = {}
        #: The ``id`` slugs of each table read with these names (one set per table, not copied), so a
        #: ``contradicts`` IRI may point to a row of a table read earlier in the same ingest.
        self.stance_ids: list[set[str]] = []

    def stances(self, iris: Iterable[str]) -> set[str]:
        """Those of ``iris`` (plain IRIs) that are an ``sg:Stance`` in one of the lookups, in any graph."""
        wanted = sorted(set(iris))
        found: set[str] = set()
        for store in self.lookups:
            for start in range(0, len(wanted), _BATCH):
                values = " ".join(f"<{iri}>" for iri in wanted[start : start + _BATCH])
                query = (
                    f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} "
                    f"{{ ?s {_RDF_TYPE} {C_STANCE} }} UNION {{ GRAPH ?g {{ ?s {_RDF_TYPE} {C_STANCE} }} }} }}"
                )
                found.update(row[0].value for row in store.query(query))
        return found

    def index(self, kind: str) -> dict[str, tuple[str, ...]]:
        if kind not in self._index:
            merged: dict[str, set[str]] = {}
            for store in self.lookups:
                for name, iris in label_index(store, kind=kind).items():
                    merged.setdefault(name, set()).update(iris)
            self._index[kind] = {name: tuple(sorted(iris)) for name, iris in merged.items()}
        return self._index[kind]

    def resolve(self, text: str, kind: str, *, file: str, line: int, person: bool = False) -> str:
        """The N-Triples form of the node ``text`` names; creates (or, strict, records) unknown ones.

        ``kind`` is 'actor' or 'target'; ``person`` marks an actor named in the ``person`` column.
        Raises :class:`_RowProblem` for an ambiguous label or a malformed IRI.
        """
        key = (text, kind, person)
        found = self._cache.get(key)
        if found is not None:
            return found
        found = self._resolve(text, kind, file=file, line=line, person=person)
        self._cache[key] = found
        return found

    def _resolve(self, text: str, kind: str, *, file: str, line: int, person: bool) -> str:
        if "://" in text:
            try:
                return str(NamedNode(text))
            except ValueError as error:
                raise _RowProblem(
                    f"{text!r} is not a valid IRI ({error}); give an IRI, a short id or a label"
                ) from None
        folded = normalise_label(text)
        local = self._by_folded.get((kind, folded))
        if local is not None:
            return self._note_label(local, text, person)
        iris = self.index(kind).get(folded, ())
        if len(iris) > 1:
            listing = ", ".join(short_id(iri) for iri in iris)
            raise _RowProblem(
                f"{text!r} names {len(iris)} {kind}s ({listing}); write one of these short ids instead"
            )
        if iris:
            return str(NamedNode(iris[0]))
        try:
            slug = slugify(text)
        except ValueError as error:
            raise _RowProblem(f"cannot name a new {kind} {text!r}: {error}") from None
        existing = self.index(kind).get(slug, ())  # the slug is the short id of a node that exists
        if len(existing) == 1:
            return str(NamedNode(existing[0]))
        iri = str(NamedNode(iri_for("actor" if kind == "actor" else "issue", slug)))
        same_slug = self._by_folded.get((kind, slug))
        if same_slug is not None:  # another spelling of a name created earlier ("New-York", "New York")
            self._by_folded[(kind, folded)] = same_slug
            return self._note_label(same_slug, text, person)
        if self.strict:
            self.unknown.setdefault((kind, text), (file, line, iri[1:-1]))
            return iri
        classes = {C_PERSON if person else C_ACTOR} if kind == "actor" else {C_ISSUE}
        self.created[iri] = _Entity(iri, text.strip(), file, line, classes)
        self._by_folded[(kind, folded)] = iri
        self._by_folded[(kind, slug)] = iri
        return iri

    def _note_label(self, iri: str, text: str, person: bool) -> str:
        entity = self.created.get(iri)
        if entity is not None:
            if person:
                entity.classes.add(C_PERSON)
            label = text.strip()
            if label != entity.label:
                entity.alt_labels[label] = None
        return iri

    def created_ntriples(self) -> str:
        """The created actors and targets as N-Triples (for the default graph)."""
        lines = []
        for entity in self.created.values():
            for cls in sorted(entity.classes):
                lines.append(f"{entity.iri} {_RDF_TYPE} {cls} .\n")
            lines.append(f"{entity.iri} {P_PREF} {Literal(entity.label, language='en')} .\n")
            for alt in entity.alt_labels:
                lines.append(f"{entity.iri} {P_ALT} {Literal(alt, language='en')} .\n")
        return "".join(lines)

    def strict_violations(self) -> list[Violation]:
        """One violation per unknown name (strict mode), at the row where it first appears."""
        return [
            Violation(
                f"no {kind} is named {name!r} in the store or in the data being loaded (first used on this "
                f"row); add the {kind} to the reference data first, correct the name, or load without strict "
                f"to create it",
                file=file,
                line=line,
                path=SG_NS + kind,
                rule="unknown-name",
                value=name,
            )
            for (kind, name), (file, line, _) in self.unknown.items()
        ]


@dataclass(frozen=True)
class RowChunk:
    """The RDF of a run of rows, as text.

    Attributes
    ----------
    local : str
        The triples whose subject is one of these rows' stances, N-Triples (the graph dropped): what
        validating the stances needs.
    shared : str
        The other triples of these rows (the direct edges, subject = the actor), N-Triples.
    referenced : frozenset of str
        N-Triples IRIs these rows point to (actors, targets, people, sources, stance types).
    first_line, last_line : int
        CSV lines covered.
    stances : int
        Number of stances.
    disputed : frozenset of str
        N-Triples IRIs of the stances these rows contradict (``sg:contradicts``): rows of this file,
        perhaps in a later chunk, or stances outside it. The reader checks that each is a stance once
        the last row is read (a failure is in :attr:`StatementsReader.violations` then), so a chunk's
        validation may take them as ``sg:Stance``.
    """

    local: str
    shared: str
    referenced: frozenset[str]
    first_line: int
    last_line: int
    stances: int
    disputed: frozenset[str] = frozenset()


@dataclass
class _SourceEntry:
    title: str
    publisher: str | None
    page: str | None
    file: str
    line: int
    earliest: str | None = None  # ISO date


class StatementsReader:
    """Read one statements table as RDF, in chunks of rows.

    Parameters
    ----------
    source : str, Path or (name, IO)
        The CSV file, or a name and an open file (text or binary, UTF-8).
    names : Names
        Where actor and target names are resolved (shared by the files of one ingest).

    Notes
    -----
    Use :meth:`chunks` once; afterwards :attr:`violations` holds the row problems, and
    :meth:`reference_ntriples` the source catalogue. Header problems are in :attr:`violations` right
    after construction (and :meth:`chunks` then yields nothing). Whether a ``contradicts`` cell names a
    stance that exists is known only after the last row (it may name a later row): such a row has been
    converted by then, and its violation is added when :meth:`chunks` is exhausted (:func:`ingest
    <stancegraph.graph.ingest.ingest>` stores nothing when there is any).
    """

    def __init__(self, source: str | Path | tuple[str, IO[Any]], *, names: Names) -> None:
        self.names = names
        self.violations: list[Violation] = []
        self.sources: dict[str, _SourceEntry] = {}  # graph (N-Triples) -> catalogue entry
        self.rows = 0
        self.stances = 0
        self._spool: Any = None
        if isinstance(source, tuple):
            self.file, stream = source[0], source[1]
            self._path = None
            self._stream = self._rewindable(stream)
        else:
            self.file, self._path, self._stream = str(source), Path(source), None
        self._dates: dict[str, str] = {}
        self._confidences: dict[str, str] = {}
        self._graphs: dict[tuple[str, str], str] = {}
        self._suffixes: dict[str, str] = {}  # graph -> " <graph> .\n"
        self._actors: dict[str, str] = {}  # cell text -> N-Triples IRI
        self._targets: dict[str, str] = {}
        self._people: dict[str, str] = {}
        # ids and contradictions: the slugs of the ids seen so far (the only per-row state kept), the
        # rows that point to an id not seen yet or to an IRI outside the file (checked after the last
        # row), and the violations about duplicate ids (their first line is filled in after the last row)
        self._ids: set[str] = set()
        names.stance_ids.append(self._ids)
        self._forward: dict[str, list[tuple[int, str, str]]] = {}  # slug -> (line, node, cell) pointing to it
        self._outside: dict[str, list[tuple[int, str, str]]] = {}  # plain IRI -> (line, node, cell)
        self._duplicates: list[tuple[int, str]] = []  # (index in violations, slug)
        self._kinds = {
            name: (f"<{kind.iri}>", f"<{kind.edge}>" if kind.edge else None, None)
            for name, kind in STANCE_TYPES.items()
        }
        self.columns: dict[str, int] = {}
        self.boolean_agreement = False
        self._cut_short = False  # a row could not be read (see _records)
        self._header_ok = self._read_header()

    # -- input --------------------------------------------------------------------------------------
    def _rewindable(self, stream: IO[Any]) -> IO[Any]:
        try:
            if stream.seekable():
                self._start = stream.tell()
                return stream
        except (AttributeError, OSError):
            pass
        spool = tempfile.TemporaryFile(mode="w+b")  # a pipe: keep a copy to read it twice
        while block := stream.read(1 << 20):
            spool.write(block.encode("utf-8") if isinstance(block, str) else block)
        spool.seek(0)
        self._spool, self._start = spool, 0
        return spool

    @contextlib.contextmanager
    def _open(self) -> Iterator[IO[str]]:
        if self._path is not None:
            with self._path.open("r", encoding="utf-8-sig", newline="") as handle:
                yield handle
            return
        stream = self._stream
        assert stream is not None
        stream.seek(self._start)
        if isinstance(stream, io.TextIOBase):
            yield stream
            return
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            yield text
        finally:
            text.detach()  # leave the caller's file open

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """(first CSV line, fields) of each data row, up to the first row that cannot be read.

        Such a row (a cell over :data:`CSV_FIELD_LIMIT`, broken CSV, bytes that are not UTF-8) becomes a
        violation with its line, once, and ends the reading: what follows it cannot be trusted to start
        at a row boundary.
        """
        with self._open() as handle, csv_field_limit() as limit:
            reader = csv.reader(handle)
            try:
                next(reader)
            except (StopIteration, csv.Error, UnicodeDecodeError):
                return  # the header: _read_header has reported it
            previous = reader.line_num
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except (csv.Error, UnicodeDecodeError) as error:
                    self._unreadable_row(previous + 1, error, limit)
                    return
                yield previous + 1, fields
                previous = reader.line_num

    def _unreadable_row(self, line: int, error: Exception, limit: int) -> None:
        self._cut_short = True
        if any(v.line == line and v.rule == "syntax" for v in self.violations):
            return  # already reported by an earlier pass over the rows
        self.violations.append(
            Violation(unreadable_csv(error, limit), file=self.file, line=line, rule="syntax")
        )

    def close(self) -> None:
        """Drop the temporary copy of a piped input, if one was made."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    # -- header -------------------------------------------------------------------------------------
    def _problem(self, message: str, line: int | None = 1, **extra: Any) -> None:
        self.violations.append(Violation(message, file=self.file, line=line, rule="csv", **extra))

    def _read_header(self) -> bool:
        try:
            with self._open() as handle, csv_field_limit():
                header = next(csv.reader(handle), None)
        except OSError as error:
            self._problem(f"cannot read the file: {error}", line=None)
            return False
        except (UnicodeDecodeError, csv.Error) as error:
            self._problem(f"cannot read the header: {unreadable_csv(error, CSV_FIELD_LIMIT)}")
            return False
        if not header or not any(cell.strip() for cell in header):
            self._problem(
                f"the file has no header row; the first line must name the columns ({', '.join(COLUMNS)})"
            )
            return False
        for position, cell in enumerate(header):
            name = cell.strip().lower()
            if name in self.columns:
                self._problem(f"column {name!r} appears twice in the header; keep one")
            self.columns[name] = position
        unknown = [name for name in self.columns if name not in COLUMNS]
        if unknown:
            self._problem(
                f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                "a statements "
                f"table may only have the columns {', '.join(COLUMNS)} (rename or remove the others)"
            )
        missing = [name for name in REQUIRED_COLUMNS if name not in self.columns]
        if missing:
            self._problem(f"the header has no {' and no '.join(map(repr, missing))} column; add it")
        if ("stance" in self.columns) == ("agreement" in self.columns):
            self._problem(
                "the header needs exactly one of the columns "
                "'stance' (endorses, rejects, concedes, demands) and "
                "'agreement' (DNA's 0/1 or an integer scale)"
            )
        if self.violations:
            return False
        self._hash_order = [
            (f"{name}=", self.columns[name]) for name in COLUMNS if name in self.columns and name != "id"
        ]
        self._at = {name: self.columns.get(name) for name in COLUMNS}
        if "agreement" in self.columns:
            self.boolean_agreement = self._agreement_is_boolean()
        return True

    def _agreement_is_boolean(self) -> bool:
        position = self.columns["agreement"]
        for _, fields in self._records():
            if position < len(fields):
                value = fields[position].strip()
                if value and value not in ("0", "1"):
                    return False
        return True

    # -- rows ---------------------------------------------------------------------------------------
    def chunks(self, rows: int = 100_000, *, sink: Callable[[str], Any]) -> Iterator[RowChunk]:
        """Convert the rows, ``rows`` at a time.

        Parameters
        ----------
        rows : int
            Rows per chunk.
        sink : callable
            Receives the N-Quads text of the rows (stances and direct edges in their source graphs), a
            piece at a time, e.g. ``file.write``.

        Yields
        ------
        RowChunk
            What validating the next run of rows needs; bad rows are left out and recorded in
            :attr:`violations`.
        """
        if not self._header_ok:
            return
        seen: set[int] = set()
        repeats: dict[bytes, int] = {}
        local: list[str] = []
        shared: list[str] = []
        referenced: set[str] = set()
        disputed: set[str] = set()
        first, count, line = 0, 0, 0
        width = len(self.columns)
        stance_at = self.columns.get("stance")
        id_at, contradicts_at = self._at["id"], self._at["contradicts"]
        for line, fields in self._records():
            if len(fields) != width:
                if any(cell.strip() for cell in fields):
                    self.rows += 1
                    self._problem(
                        f"the row has {len(fields)} field{'s' if len(fields) != 1 else ''} "
                        "but the header has "
                        f"{width}; quote cells that contain commas, and give every row all the columns",
                        line=line,
                    )
                continue
            cells = [cell.strip() for cell in fields]
            if not any(cells):
                continue
            if stance_at is not None:
                cells[stance_at] = cells[stance_at].lower()
            self.rows += 1
            first = first or line
            if id_at is not None and cells[id_at]:
                slug = _slug(cells[id_at])  # as in _stance_node, without slugifying twice
                node = _STANCE_NS + slug if slug is not None else self._row_node(cells, seen, repeats)
                problems = self._id_problems(cells[id_at], slug)
            else:
                node, problems = self._row_node(cells, seen, repeats), []
            target = None
            if contradicts_at is not None and cells[contradicts_at]:
                try:
                    target = self._disputed(cells[contradicts_at], node, line)
                except _RowProblem as problem:
                    problems.append(problem)
            if problems:
                problems += self._row_problems(cells, None)
            else:
                try:
                    self._convert(cells, line, node, sink, local, shared, referenced, target)
                except _RowProblem as problem:
                    problems = self._row_problems(cells, problem)
            if problems:
                for found in problems:
                    if found.duplicate is not None:
                        self._duplicates.append((len(self.violations), found.duplicate))
                    self.violations.append(
                        Violation(
                            found.message,
                            file=self.file,
                            line=line,
                            node=node,
                            path=found.path,
                            rule="csv",
                            value=found.value,
                        )
                    )
                continue
            if target is not None:
                disputed.add(target)
            count += 1
            self.stances += 1
            if count >= rows:
                yield self._chunk(local, shared, referenced, first, line, count, disputed)
                local, shared, referenced, disputed, first, count = [], [], set(), set(), 0, 0
        if count:
            yield self._chunk(local, shared, referenced, first, line, count, disputed)
        if not self._cut_short:  # ids in the rows not read would be reported missing
            self._check_references()

    @staticmethod
    def _chunk(
        local: list[str],
        shared: list[str],
        referenced: set[str],
        first: int,
        last: int,
        count: int,
        disputed: set[str],
    ) -> RowChunk:
        return RowChunk(
            "".join(local), "".join(shared), frozenset(referenced), first, last, count, frozenset(disputed)
        )

    def _stance_node(self, cells: list[str], seen: set[int], repeats: dict[bytes, int]) -> str:
        """The stance IRI of a row: from its id if it has one, else from its content (:meth:`_row_node`)."""
        position = self._at["id"]
        if position is not None and cells[position]:
            slug = _slug(cells[position])
            if slug is not None:
                return _STANCE_NS + slug
        return self._row_node(cells, seen, repeats)

    def _id_problems(self, text: str, slug: str | None) -> list[_RowProblem]:
        """Note a row's id (``slug``: :func:`_slug` of ``text``) as seen; a problem if it has no letters or
        digits or an earlier row has it."""
        if slug is None:
            return [
                _RowProblem(
                    f"the id cell {text!r} has no letters or digits, so it cannot name the row's stance; "
                    "write an id such as claim-1, or leave the cell empty",
                    value=text,
                )
            ]
        if slug in self._ids:
            same = "" if text == slug else f" (as {slug!r}: case, spaces and punctuation do not count)"
            problem = _RowProblem(
                f"the id cell {text!r} repeats the id of line {_EARLIER}{same}; ids are unique in a file, so "
                "give this row its own id (or leave the cell empty)",
                value=text,
            )
            problem.duplicate = slug
            return [problem]
        self._ids.add(slug)
        return []

    def _disputed(self, text: str, node: str, line: int) -> str:
        """The N-Triples IRI of the stance a ``contradicts`` cell names; what is not known yet is noted.

        An id seen on an earlier row resolves at once; one not seen yet, and an IRI outside this file,
        are checked by :meth:`_check_references` after the last row.
        """
        bracketed = text.startswith("<") and text.endswith(">")
        if bracketed or "://" in text:
            iri_text = text[1:-1].strip() if bracketed else text
            try:
                iri = NamedNode(iri_text).value
            except ValueError as error:
                raise _RowProblem(
                    f"the contradicts cell {text!r} is not a valid IRI ({error}); write the id of a row of "
                    "this file, or the full IRI of a stance",
                    SG_NS + "contradicts",
                    text,
                ) from None
            slug = iri[len(_STANCE_NS) :] if iri.startswith(_STANCE_NS) else None
            if iri == node:
                raise _RowProblem(_SELF.format(text=text), SG_NS + "contradicts", text)
            if slug is None or not any(slug in ids for ids in self.names.stance_ids):
                self._outside.setdefault(iri, []).append((line, node, text))
            return f"<{iri}>"
        slug = _slug(text)
        if slug is None:
            raise _RowProblem(
                f"the contradicts cell {text!r} has no letters or digits; write the id of the row it "
                "disputes, or the full IRI of a stance",
                SG_NS + "contradicts",
                text,
            )
        iri = _STANCE_NS + slug
        if iri == node:
            raise _RowProblem(_SELF.format(text=text), SG_NS + "contradicts", text)
        if slug not in self._ids:
            self._forward.setdefault(slug, []).append((line, node, text))
        return f"<{iri}>"

    def _check_references(self) -> None:
        """After the last row: report ids no row has, IRIs that are no stance, and where duplicates began."""
        found: list[Violation] = []
        for slug, rows in self._forward.items():
            if slug not in self._ids:
                found.extend(
                    self._reference_violation(
                        line,
                        node,
                        text,
                        f"the contradicts cell {text!r} names no stance: no row of this file has the id "
                        f"{text!r}; write the id of the row it disputes (its id cell), or the full IRI "
                        "(or <IRI>) of a stance already in the store",
                    )
                    for line, node, text in rows
                )
        outside = {
            iri: rows
            for iri, rows in self._outside.items()
            if not (iri.startswith(_STANCE_NS) and iri[len(_STANCE_NS) :] in self._ids)  # a later row's id
        }
        known = self.names.stances(outside) if outside else set()
        for iri, rows in outside.items():
            if iri not in known:
                found.extend(
                    self._reference_violation(
                        line,
                        node,
                        text,
                        f"the contradicts cell {text!r} names no stance: <{iri}> is not an sg:Stance in "
                        "the store, in the data loaded with this file, nor the id of a row; load the "
                        "disputed stance first, or correct the IRI (or write the id of a row of this file)",
                    )
                    for line, node, text in rows
                )
        self._forward, self._outside = {}, {}
        if self._duplicates:
            firsts = self._first_lines({slug for _, slug in self._duplicates})
            for index, slug in self._duplicates:
                v = self.violations[index]
                earlier = str(firsts.get(slug, "?"))
                self.violations[index] = dataclasses.replace(v, message=v.message.replace(_EARLIER, earlier))
            self._duplicates = []
        if found:
            self.violations.extend(found)
            self.violations.sort(key=lambda v: v.line or 0)  # stable: each row's problems stay together

    def _reference_violation(self, line: int, node: str, text: str, message: str) -> Violation:
        return Violation(
            message, file=self.file, line=line, node=node, path=SG_NS + "contradicts", rule="csv", value=text
        )

    def _first_lines(self, slugs: set[str]) -> dict[str, int]:
        """The first CSV line of each of these id slugs (re-reads the file; only to report duplicates)."""
        found: dict[str, int] = {}
        position = self._at["id"]
        assert position is not None
        for line, fields in self._records():
            if len(fields) == len(self.columns):
                slug = _slug(fields[position].strip())
                if slug in slugs and slug not in found:
                    found[slug] = line
                    if len(found) == len(slugs):
                        break
        return found

    def _row_node(self, cells: list[str], seen: set[int], repeats: dict[bytes, int]) -> str:
        """The stance IRI of a row (its stripped cells), counting it among the rows seen.

        The IRI hashes the non-empty cells by column name, in :data:`COLUMNS` order, so neither the file
        nor the column order matters; the n-th repeat of an identical row adds n to the hash.
        """
        content = "\x1f".join(
            [prefix + cells[position] for prefix, position in self._hash_order if cells[position]]
        )
        data = content.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=10).digest()
        key = int.from_bytes(digest[:8], "big")
        if key in seen:
            occurrence = repeats.get(digest, 1)
            repeats[digest] = occurrence + 1
            digest = hashlib.blake2b(data + b"\x1e%d" % occurrence, digest_size=10).digest()
        else:
            seen.add(key)
        return f"{ID_NS}stance/{digest.hex()}"

    def _cell(self, cells: list[str], name: str) -> str:
        position = self.columns.get(name)
        return "" if position is None else cells[position]

    def _row_problems(self, cells: list[str], first: _RowProblem | None) -> list[_RowProblem]:
        """Every problem of a row's cells, not only the first one :meth:`_convert` stopped at (``first``;
        None when the row was not converted because of its id or contradicts cell).

        Runs only for a bad row, so the conversion of good rows stays one pass.
        """
        at = self._at
        checks: list[tuple[str, Callable[[], Any]]] = [("stance", lambda: self._stance_type(cells))]
        for column, check in (("date", self._date), ("confidence", self._confidence)):
            position = at[column]
            if position is not None and cells[position]:
                checks.append((column, lambda check=check, position=position: check(cells[position])))
        found = [first] if first is not None else []
        first_path = first.path if first is not None else None
        first_key = (first.message, first.path) if first is not None else None
        for column in ("actor", "target"):
            if not cells[at[column]] and first_path != SG_NS + column:
                found.append(
                    _RowProblem(
                        f"the {column} cell is empty; name the {column} (IRI, short id or label)",
                        SG_NS + column,
                    )
                )
        for _, check in checks:
            try:
                check()
            except _RowProblem as problem:
                if (problem.message, problem.path) != first_key:
                    found.append(problem)
        return found

    def _convert(
        self,
        cells: list[str],
        line: int,
        node: str,
        sink: Callable[[str], Any],
        local: list[str],
        shared: list[str],
        referenced: set[str],
        disputed: str | None = None,
    ) -> None:
        """Turn one row into text: N-Quads to ``sink``, the stance's triples to ``local``.

        ``disputed`` is the N-Triples IRI of the stance the row contradicts, if any.

        This runs once per row of tables with millions of rows, hence the caches and the plain code.
        """
        at = self._at
        actor_text, target_text = cells[at["actor"]], cells[at["target"]]
        if not actor_text:
            raise _RowProblem(
                "the actor cell is empty; name the actor (IRI, short id or label)", SG_NS + "actor"
            )
        if not target_text:
            raise _RowProblem(
                "the target cell is empty; name the target (IRI, short id or label)", SG_NS + "target"
            )
        type_iri, edge, agreement = self._stance_type(cells)
        position = at["date"]
        date_text = cells[position] if position is not None else ""
        date = self._date(date_text) if date_text else None
        position = at["confidence"]
        confidence = self._confidence(cells[position]) if position is not None and cells[position] else None
        graph = self._graph(cells, line, date_text if date is not None else "")
        actor = self._actors.get(actor_text) or self._name(actor_text, "actor", line, self._actors)
        target = self._targets.get(target_text) or self._name(target_text, "target", line, self._targets)
        position = at["person"]
        person = None
        if position is not None and cells[position]:
            person_text = cells[position]
            person = self._people.get(person_text) or self._name(person_text, "person", line, self._people)
            referenced.add(person)
        s = f"<{node}> "
        text = (
            f"{s}{_RDF_TYPE} {C_STANCE} .\n{s}{P_ACTOR} {actor} .\n{s}{P_TARGET} {target} .\n"
            f"{s}{P_TYPE} {type_iri} .\n"
        )
        if date is not None:
            text += f"{s}{P_DATE} {date} .\n"
        if graph is not None:
            text += f"{s}{P_SOURCE} {graph} .\n"
            referenced.add(graph)
        position = at["quote"]
        if position is not None and cells[position]:
            text += f"{s}{P_QUOTE} {Literal(cells[position])} .\n"
        if person is not None:
            text += f"{s}{P_PERSON} {person} .\n"
        if confidence is not None:
            text += f"{s}{P_CONFIDENCE} {confidence} .\n"
        if agreement is not None:
            text += f"{s}{P_AGREEMENT} {agreement} .\n"
        if disputed is not None:
            text += f"{s}{P_CONTRADICTS} {disputed} .\n"
        referenced.add(actor)
        referenced.add(target)
        referenced.add(type_iri)
        local.append(text)
        if edge is not None:
            edge_text = f"{actor} {edge} {target} .\n"
            shared.append(edge_text)
            text += edge_text
        # N-Triples escapes line breaks inside literals, so " .\n" only ever ends a statement.
        sink(text if graph is None else text.replace(" .\n", self._suffixes[graph]))

    def _name(self, text: str, column: str, line: int, cache: dict[str, str]) -> str:
        kind = "target" if column == "target" else "actor"
        try:
            found = self.names.resolve(text, kind, file=self.file, line=line, person=column == "person")
        except _RowProblem as problem:
            raise _RowProblem(problem.message, SG_NS + column, text) from None
        cache[text] = found
        return found

    def _stance_type(self, cells: list[str]) -> tuple[str, str | None, str | None]:
        if "stance" in self.columns:
            name = cells[self.columns["stance"]]  # already lower-cased
            found = self._kinds.get(name)
            if found is None:
                shown = repr(name) if name else "empty"
                raise _RowProblem(
                    f"the stance cell is {shown}; write one of {', '.join(STANCE_NAMES)}",
                    SG_NS + "stanceType",
                    name or None,
                )
            return found
        text = cells[self.columns["agreement"]]
        try:
            value = int(text)
        except ValueError:
            raise _RowProblem(
                f"the agreement cell is {text!r}; write an integer "
                "(1 agree / 0 disagree, or a scale such as -2..2)",
                SG_NS + "agreement",
                text or None,
            ) from None
        if self.boolean_agreement:
            name = "endorses" if value == 1 else "rejects"
        else:
            name = "endorses" if value > 0 else "rejects" if value < 0 else "neutral"
        type_iri, edge, _ = self._kinds[name]
        return type_iri, edge, str(Literal(str(value), datatype=_INTEGER))

    def _date(self, text: str) -> str:
        found = self._dates.get(text)
        if found is None:
            if not _ISO_DATE.fullmatch(text):
                raise _RowProblem(
                    f"the date {text!r} is not a day written YYYY-MM-DD (e.g. 2025-11-21); correct it",
                    SG_NS + "statedOn",
                    text,
                )
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                raise _RowProblem(
                    f"the date {text!r} does not exist; correct it", SG_NS + "statedOn", text
                ) from None
            found = self._dates[text] = str(Literal(text, datatype=_DATE))
        return found

    def _confidence(self, text: str) -> str:
        found = self._confidences.get(text)
        if found is None:
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = Decimal("NaN")
            if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
                raise _RowProblem(
                    f"the confidence {text!r} is not a number between 0 and 1; write e.g. 0.8",
                    SG_NS + "confidence",
                    text,
                )
            lexical = format(value, "f")
            lexical = lexical if "." in lexical else lexical + ".0"
            found = self._confidences[text] = str(Literal(lexical, datatype=_DECIMAL))
        return found

    def _graph(self, cells: list[str], line: int, date: str) -> str | None:
        """The source graph of a row (N-Triples), keeping its catalogue entry up to date."""
        document, source = self._cell(cells, "document"), self._cell(cells, "source")
        if not document and not source:
            return None
        known = self._graphs.get((document, source))
        if known is None:
            known = self._graphs[(document, source)] = self._new_graph(document, source, line)
            self._suffixes[known] = f" {known} .\n"
        entry = self.sources[known]
        if date and (entry.earliest is None or date < entry.earliest):  # ISO dates sort as text
            entry.earliest = date
        return known

    def _new_graph(self, document: str, source: str, line: int) -> str:
        is_url = bool(_URL.match(source))
        page = None
        if is_url:
            try:
                page = str(NamedNode(source))
            except ValueError as error:
                raise _RowProblem(
                    f"the source {source!r} is not a valid URL ({error})", DCTERMS_NS + "publisher", source
                ) from None
        naming = document or (re.sub(r"^https?://", "", source, flags=re.IGNORECASE) if is_url else source)
        try:
            graph = str(NamedNode(iri_for("source", slugify(naming))))
        except ValueError as error:
            raise _RowProblem(
                f"cannot name a source after {naming!r}: {error}", PROV_NS + "wasDerivedFrom", naming
            ) from None
        if is_url:
            publisher = (urlsplit(source).hostname or "").removeprefix("www.") or None
        else:
            publisher = source or None
        title = document or source
        entry = self.sources.get(graph)
        if entry is None:
            self.sources[graph] = _SourceEntry(title, publisher, page, self.file, line)
            return graph
        for what, old, new, path in (
            ("title", entry.title, title, DCTERMS_NS + "title"),
            ("publisher", entry.publisher, publisher, DCTERMS_NS + "publisher"),
            ("URL", entry.page, page, FOAF_NS + "page"),
        ):
            if new and old and new != old:
                raise _RowProblem(
                    f"this row gives the source <{graph[1:-1]}> the {what} {new!r}, "
                    f"but line {entry.line} gave "
                    f"{old!r}; use one spelling per document (or distinct document names)",
                    path,
                    new,
                )
        entry.publisher = entry.publisher or publisher
        entry.page = entry.page or page
        return graph

    # -- after the rows ------------------------------------------------------------------------------
    def reference_ntriples(self, *, skip: Iterable[str] = ()) -> str:
        """The catalogue entries of this file's sources (default graph), N-Triples.

        ``skip`` lists sources (N-Triples IRIs) that are already catalogued, in the store or elsewhere.
        """
        skipped = set(skip)
        lines = []
        for graph, entry in self.sources.items():
            if graph in skipped:
                continue
            lines.append(f"{graph} {_RDF_TYPE} {C_SOURCE} .\n")
            lines.append(f"{graph} {P_TITLE} {Literal(entry.title)} .\n")
            if entry.publisher:
                lines.append(f"{graph} {P_PUBLISHER} {Literal(entry.publisher)} .\n")
            if entry.page:
                lines.append(f"{graph} {P_PAGE} {entry.page} .\n")
            if entry.earliest is not None:
                lines.append(f"{graph} {P_ISSUED} {Literal(entry.earliest, datatype=_DATE)} .\n")
        return "".join(lines)

    def locate(self, nodes: set[str]) -> dict[str, int]:
        """CSV line of each stance IRI in ``nodes`` (re-reads the file; used only to report errors)."""
        found: dict[str, int] = {}
        if not self._header_ok or not nodes:
            return found
        seen: set[int] = set()
        repeats: dict[bytes, int] = {}
        stance_at = self.columns.get("stance")
        for line, fields in self._records():
            cells = [cell.strip() for cell in fields]
            if len(cells) != len(self.columns) or not any(cells):
                continue
            if stance_at is not None:
                cells[stance_at] = cells[stance_at].lower()
            iri = self._stance_node(cells, seen, repeats)
            if iri in nodes:
                found.setdefault(iri, line)
                if len(found) == len(nodes):
                    break
        return found

    def hint(self, path: str | None) -> str:
        """How to fix, in CSV terms, a rule on ``path`` broken by one of this file's rows."""
        column = COLUMN_OF_PATH.get(path or "")
        if column is None:
            return ""
        if column == "document":
            present = "document" in self.columns or "source" in self.columns
            return (
                " (in this CSV: fill in the document or source cell of the row)"
                if present
                else " (this CSV has no document or source column: add one naming each row's report)"
            )
        if column == "stance" and "agreement" in self.columns:
            column = "agreement"
        if column in self.columns:
            return f" (in this CSV: fill in or correct the {column!r} cell of the row)"
        what = {"date": " (YYYY-MM-DD)", "source": " (the publisher's name or the report's URL)"}.get(
            column, ""
        )
        return f" (this CSV has no {column!r} column: add one{what})"


@dataclass(frozen=True)
class Statements:
    """A statements table converted in one go (see :func:`read_statements`).

    Attributes
    ----------
    file : str
        The file's name.
    quads : tuple of pyoxigraph.Quad
        Stances and direct edges in their source graphs, then the created actors and targets and the
        source catalogue in the default graph.
    violations : tuple of Violation
        Row problems (file and line set); empty when every row converted.
    rows, stances : int
        Data rows read and stances made.
    actors_created, targets_created : tuple of str
        IRIs of the nodes made for names that matched nothing.
    """

    file: str
    quads: tuple[Quad, ...]
    violations: tuple[Violation, ...]
    rows: int
    stances: int
    actors_created: tuple[str, ...]
    targets_created: tuple[str, ...]


def read_statements(
    source: str | Path | tuple[str, IO[Any]], *, against: Any = None, strict: bool = False
) -> Statements:
    """Convert a whole statements table to quads, without SHACL validation.

    :func:`~stancegraph.graph.ingest.check` adds the SHACL checks; this is the conversion alone.

    Parameters
    ----------
    source : str, Path or (name, IO)
        The CSV.
    against : Store, optional
        Where names are resolved (besides the table's own earlier rows).
    strict : bool, default False
        Report names that match nothing instead of creating actors and targets for them.

    Returns
    -------
    Statements
        The quads and the row problems.

    Examples
    --------
    >>> import io
    >>> table = io.StringIO("actor,target,stance,date,source\\nUS,Point 7,endorses,2025-11-21,Reuters\\n")
    >>> result = read_statements(("table.csv", table))
    >>> result.stances, result.actors_created, len(result.violations)
    (1, ('https://w3id.org/stancegraph/id/actor/us',), 0)
    """
    names = Names(against, strict=strict)
    reader = StatementsReader(source, names=names)
    try:
        pieces: list[str] = []
        for _ in reader.chunks(sink=pieces.append):
            pass
        text = "".join(pieces)
        reference = names.created_ntriples() + reader.reference_ntriples()
    finally:
        reader.close()
    quads = list(parse(text.encode("utf-8"), format=RdfFormat.N_QUADS))
    quads += parse(reference.encode("utf-8"), format=RdfFormat.N_TRIPLES)
    violations = reader.violations + names.strict_violations()
    created = names.created.values()
    return Statements(
        file=reader.file,
        quads=tuple(quads),
        violations=tuple(violations),
        rows=reader.rows,
        stances=reader.stances,
        actors_created=tuple(e.iri[1:-1] for e in created if C_ISSUE not in e.classes),
        targets_created=tuple(e.iri[1:-1] for e in created if C_ISSUE in e.classes),
    )

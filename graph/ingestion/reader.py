"""Read one statements table (CSV, :mod:`~stancegraph.graph.ingestion.table_format`) as RDF, in chunks.

:class:`StatementsReader` is the one reader of the format: ``load``, ``validate`` and the analysis of a
CSV (``network --statements``) all read through it, so they accept and refuse the same files.

The conversion streams: rows are read with the :mod:`csv` module and turned into N-Quads text in
chunks (:meth:`StatementsReader.chunks`), so a million rows never sit in memory at once. The terms in
that text come from pyoxigraph's own serialisation (``str(NamedNode(...))``, ``str(Literal(...))``),
which escapes them. References between rows need no second pass: the reader keeps the set of ids seen
(one short string per row that has an id) and the references to ids not seen yet; those are checked
once the last row is read, and IRIs outside the file are looked up in the store in batches then.
"""

from __future__ import annotations

__all__ = ["StatementsReader"]

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

from pyoxigraph import Literal

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.cells import CellParser
from stancegraph.graph.ingestion.csv_input import CsvInput, unreadable_csv
from stancegraph.graph.ingestion.duplicates import RowKeys
from stancegraph.graph.ingestion.naming import Names
from stancegraph.graph.ingestion.references import STANCE_NS, StanceIris, StanceReferences
from stancegraph.graph.ingestion.rereading import first_lines, firsts, lines_of
from stancegraph.graph.ingestion.rows import RowChunk, StatementRow, statement_row
from stancegraph.graph.ingestion.sources import SourceCatalogue
from stancegraph.graph.ingestion.stored_repeats import StoredStances, StoreKey, StoreRepeats
from stancegraph.graph.ingestion.table_format import (
    C_STANCE,
    COLUMNS,
    P_ACTOR,
    P_AGREEMENT,
    P_CODER,
    P_CONFIDENCE,
    P_CONTRADICTS,
    P_DATE,
    P_MOMENT,
    P_PERSON,
    P_QUOTE,
    P_QUOTE_END,
    P_QUOTE_START,
    P_SOURCE,
    P_TARGET,
    P_TYPE,
    RDF_TYPE,
    RowProblem,
    fix_hint,
    id_slug,
    read_header,
)
from stancegraph.ontology.namespaces import SG_NS


class StatementsReader:
    """Read one statements table as RDF, in chunks of rows.

    Parameters
    ----------
    source : str, Path or (name, IO)
        The CSV file, or a name and an open file (text or binary, UTF-8).
    names : Names
        Where actor and target names are resolved (shared by the files of one ingest).
    on_row : callable, optional
        Receives a :class:`StatementRow` for each row converted without a problem (the analysis keeps
        them; loading does not need them).
    earlier : sequence of StatementsReader
        The tables read before this one in the same load (still open): a row that repeats a stance of
        one of them is a repeat too, reported with that table's file and line.
    stored : StoredStances, optional
        The stances of the store the table goes to: a row with the key of one of them under another IRI
        repeats it (a warning, not stored again); one with its IRI too is counted in :attr:`already`.
        The rows of a chunk are looked up together, before the chunk is yielded.
    hint : callable, optional
        Says how to fix a rule on a property (its IRI, or None) broken by a row, for a table converted
        from another format (a DNA project says it in DNA's terms); by default in CSV terms.

    Notes
    -----
    Use :meth:`chunks` once; afterwards :attr:`violations` holds the row problems, :attr:`warnings` the
    rows that repeat an earlier row's stance (stored once, see
    :mod:`~stancegraph.graph.ingestion.duplicates`), and :meth:`reference_ntriples` the source catalogue.
    Header problems are in :attr:`violations` right after construction (and :meth:`chunks` then yields
    nothing). Whether a ``contradicts`` cell names a stance that exists is known only after the last row
    (it may name a later row): such a row has been converted by then, and its violation is added when
    :meth:`chunks` is exhausted (:func:`ingest <stancegraph.graph.ingestion.ingest>` stores nothing when
    there is any).
    """

    def __init__(
        self,
        source: str | Path | tuple[str, IO[Any]],
        *,
        names: Names,
        on_row: Callable[[StatementRow], Any] | None = None,
        earlier: Sequence[StatementsReader] = (),
        stored: StoredStances | None = None,
        hint: Callable[[str | None], str] | None = None,
    ) -> None:
        self._hint = hint
        self.names = names
        self.earlier = list(earlier)
        self.stored = stored
        self.store_repeats = StoreRepeats(self, stored)
        self.on_row = on_row
        self.violations: list[Violation] = []
        self.warnings: list[Violation] = []
        self.rows = 0
        self.stances = 0
        self.input = CsvInput(source)
        self.file = self.input.file
        self.catalogue = SourceCatalogue(self.file)
        self.sources = self.catalogue.entries  # graph (N-Triples) -> catalogue entry
        self.references = StanceReferences(self.file, names)
        #: Column ("actor", "target", "person", "coder") -> cell text -> the N-Triples IRI it resolved to.
        self.resolved: dict[str, dict[str, str]] = {"actor": {}, "target": {}, "person": {}, "coder": {}}
        self._actors, self._targets, self._people, self._coders = self.resolved.values()
        #: The table's columns under our names (``organization`` is the ``actor``) -> their positions.
        self.columns: dict[str, int] = {}
        #: Our name of each column -> the name the header gives it.
        self.labels: dict[str, str] = {}
        #: The table has a ``person`` but no ``actor`` column: the person is the actor.
        self.person_is_actor = False
        self.boolean_agreement = False
        self._cut_short = False  # a row could not be read (see _records)
        self._header_ok = self._read_header()
        self.cells = CellParser(self.columns, boolean_agreement=self.boolean_agreement, labels=self.labels)
        self._positions = "quote_start" in self.columns or "quote_end" in self.columns
        self.keys = RowKeys(self.columns, [reader.keys for reader in self.earlier], labels=self.labels)

    # -- input --------------------------------------------------------------------------------------
    def records(self) -> Iterator[tuple[int, list[str]]]:
        return self.input.records(self._unreadable_row)

    def _unreadable_row(self, line: int, error: Exception, limit: int) -> None:
        self._cut_short = True
        if any(v.line == line and v.rule == "syntax" for v in self.violations):
            return  # already reported by an earlier pass over the rows
        self.violations.append(
            Violation(unreadable_csv(error, limit), file=self.file, line=line, rule="syntax")
        )

    @property
    def already(self) -> int:
        """Rows whose stance the store already holds, under the IRI the row gives it (stored again as is)."""
        return self.store_repeats.already

    def close(self) -> None:
        """Drop the temporary copy of a piped input, if one was made."""
        self.input.close()

    # -- header -------------------------------------------------------------------------------------
    def _problem(self, message: str, line: int | None = 1, **extra: Any) -> None:
        self.violations.append(Violation(message, file=self.file, line=line, rule="csv", **extra))

    def _read_header(self) -> bool:
        try:
            header = self.input.header()
        except OSError as error:
            self._problem(f"cannot read the file: {error}", line=None)
            return False
        except (UnicodeDecodeError, csv.Error) as error:
            self._problem(f"cannot read the header: {unreadable_csv(error)}")
            return False
        found = read_header(header)
        self.columns, self.labels = dict(found.columns), dict(found.labels)
        self.person_is_actor = found.person_is_actor
        for message in found.problems:
            self._problem(message)
        if found.problems:
            return False
        self.at = {name: self.columns.get(name) for name in COLUMNS}
        if "agreement" in self.columns:
            self.boolean_agreement = self._agreement_is_boolean()
        return True

    def _agreement_is_boolean(self) -> bool:
        position = self.columns["agreement"]
        for _, fields in self.records():
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
        iris = StanceIris(self.columns)
        local: list[str] = []
        shared: list[str] = []
        referenced: set[str] = set()
        disputed: set[str] = set()
        first, count, line = 0, 0, 0
        held: list[str] = []  # the chunk's N-Quads, until the store has been asked about its rows
        pending: list[tuple[Any, ...]] = []  # the chunk's rows the store may hold already
        out = sink if self.stored is None else held.append
        width = len(self.columns)
        stance_at = self.columns.get("stance")
        id_at, contradicts_at = self.at["id"], self.at["contradicts"]
        for line, fields in self.records():
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
            slug, repeated_id = None, None
            if id_at is not None and cells[id_at]:
                slug = id_slug(cells[id_at])  # as in StanceIris.of_row, without slugifying twice
                node = STANCE_NS + slug if slug is not None else iris.of_content(cells)
                problems = self.references.id_problems(cells[id_at], slug)
                if len(problems) == 1 and problems[0].duplicate is not None:
                    repeated_id, problems = problems[0], []  # a problem unless the row repeats a stance
            else:
                node, problems = iris.of_content(cells), []
            target = None
            if contradicts_at is not None and cells[contradicts_at]:
                try:
                    target = self.references.disputed(cells[contradicts_at], node, line)
                except RowProblem as problem:
                    problems.append(problem)
            stored: bool | tuple[int, StoreKey] = False
            edges = len(shared)
            if problems:
                if repeated_id is not None:
                    problems.insert(0, repeated_id)
                problems += self.cells.problems(cells, None)
            else:
                try:
                    stored = self._convert(
                        cells, line, node, out, local, shared, referenced, target, repeated_id
                    )
                except RowProblem as problem:
                    problems = self.cells.problems(cells, problem)
                    if repeated_id is not None and problem is not repeated_id:
                        problems.insert(0, repeated_id)  # the row repeats an id and is no repeat
            if problems:
                for found in problems:
                    if found.duplicate is not None:
                        self.references.duplicates.append((len(self.violations), found.duplicate))
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
            if not stored:  # it repeats an earlier row's stance: stored once, as that row's
                if slug is not None and repeated_id is None:
                    self.references.drop(slug, line)
                continue
            if stored is not True:  # (key, store key): the store may hold the stance
                edge = edges if len(shared) > edges else -1
                pending.append((count, edge, *stored, node, line, slug, target, cells))
            if target is not None:
                disputed.add(target)
            if self.on_row is not None:
                self.on_row(statement_row(self, cells, line, node, target))
            count += 1
            self.stances += 1
            if count >= rows:
                kept = count - self._settle(pending, local, shared, held, sink)
                yield self._chunk(local, shared, referenced, first, line, kept, disputed)
                local, shared, referenced, disputed, first, count = [], [], set(), set(), 0, 0
        if count:
            kept = count - self._settle(pending, local, shared, held, sink)
            yield self._chunk(local, shared, referenced, first, line, kept, disputed)
        self.warnings.extend(self.store_repeats.warnings())
        if self.keys.repeats:
            self.warnings.extend(self.keys.warnings(self.file, firsts(self)))
            self.warnings.sort(key=lambda warning: warning.line or 0)
        if not self._cut_short:  # ids in the rows not read would be reported missing
            self.references.check(self.violations, partial(first_lines, self))

    def _settle(self, *chunk: Any) -> int:
        """Take the chunk's repeats of stored stances out (:meth:`StoreRepeats.settle`); how many."""
        dropped = self.store_repeats.settle(*chunk)
        self.stances -= dropped
        return dropped

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

    def key(self, cells: list[str], *resolved: str | None) -> int:
        """The key of a row (:mod:`~stancegraph.graph.ingestion.duplicates`): its resolved actor, target,
        stance type, agreement, date (the moment, when the cell gives a time of day), person, coder and
        quote position, and its source and document cells."""
        actor, target, type_iri, agreement, date, person, coder, span = resolved
        source, document = self._cell(cells, "source"), self._cell(cells, "document")
        parts = (actor, target, type_iri, agreement, date, source, document, person, coder)
        return self.keys.key(parts if span is None else (*parts, span))

    def _cell(self, cells: list[str], name: str) -> str:
        position = self.columns.get(name)
        return "" if position is None else cells[position]

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
        repeated_id: RowProblem | None = None,
    ) -> bool | tuple[int, StoreKey]:
        """Turn one row into text: N-Quads to ``sink``, the stance's triples to ``local``.

        ``disputed`` is the N-Triples IRI of the stance the row contradicts, if any. Returns False, and
        writes nothing, for a row that repeats an earlier row's stance (:mod:`~stancegraph.graph.ingestion.
        duplicates`); ``repeated_id``, the problem of a row whose id an earlier row has, is raised unless
        the row is such a repeat. Returns the row's key and :data:`~stancegraph.graph.ingestion.duplicates.
        StoreKey` when the store is to be asked whether it holds the stance, else True.

        This runs once per row of tables with millions of rows, hence the caches and the plain code.
        """
        at = self.at
        actor_text, target_text = cells[at["actor"]], cells[at["target"]]
        if not actor_text:
            raise self.cells.empty("actor")
        if not target_text:
            raise self.cells.empty("target")
        type_iri, edge, agreement = self.cells.stance_type(cells)
        position = at["date"]
        date_text = cells[position] if position is not None else ""
        date, moment = self.cells.when(date_text) if date_text else (None, None)
        position = at["confidence"]
        confidence = (
            self.cells.confidence(cells[position]) if position is not None and cells[position] else None
        )
        graph = self.catalogue.graph(
            self._cell(cells, "document"), self._cell(cells, "source"), line, date_text[:10] if date else ""
        )
        actor = self._actors.get(actor_text) or self._name(actor_text, "actor", line, self._actors)
        target = self._targets.get(target_text) or self._name(target_text, "target", line, self._targets)
        position = at["person"]
        person = None
        if position is not None and cells[position]:
            person_text = cells[position]
            person = self._people.get(person_text) or self._name(person_text, "person", line, self._people)
            referenced.add(person)
        position = at["coder"]
        coder = None
        if position is not None and cells[position]:
            coder_text = cells[position]
            coder = self._coders.get(coder_text) or self._coder(coder_text, line)
            referenced.add(coder)
        offsets = self.cells.quote_position(cells) if self._positions else None
        span = None if offsets is None else f"{offsets[0]} {offsets[1]}"
        key = self.key(cells, actor, target, type_iri, agreement, moment or date, person, coder, span)
        if self.keys.repeated(key, line, cells):
            return False
        if repeated_id is not None:
            raise repeated_id
        self.keys.add(key)
        s = f"<{node}> "
        text = (
            f"{s}{RDF_TYPE} {C_STANCE} .\n{s}{P_ACTOR} {actor} .\n{s}{P_TARGET} {target} .\n"
            f"{s}{P_TYPE} {type_iri} .\n"
        )
        if date is not None:
            text += f"{s}{P_DATE} {date} .\n"
            if moment is not None:
                text += f"{s}{P_MOMENT} {moment} .\n"
        if graph is not None:
            text += f"{s}{P_SOURCE} {graph} .\n"
            referenced.add(graph)
        position = at["quote"]
        if position is not None and cells[position]:
            text += f"{s}{P_QUOTE} {Literal(cells[position])} .\n"
        if span is not None:
            text += f"{s}{P_QUOTE_START} {offsets[0]} .\n{s}{P_QUOTE_END} {offsets[1]} .\n"
        if person is not None:
            text += f"{s}{P_PERSON} {person} .\n"
        if coder is not None:
            text += f"{s}{P_CODER} {coder} .\n"
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
        sink(text if graph is None else text.replace(" .\n", self.catalogue.suffixes[graph]))
        if self.stored is None or date is None or graph is None:  # without them it is no valid stance
            return True
        return key, (actor, target, type_iri, agreement, moment or date, graph, person, coder, span)

    def _name(self, text: str, column: str, line: int, cache: dict[str, str]) -> str:
        kind = "target" if column == "target" else "actor"
        person = column == "person" or (column == "actor" and self.person_is_actor)
        try:
            found = self.names.resolve(text, kind, file=self.file, line=line, person=person)
        except RowProblem as problem:
            raise RowProblem(problem.message, SG_NS + column, text) from None
        cache[text] = found
        return found

    def _coder(self, text: str, line: int) -> str:
        try:
            found = self.names.coder(text, file=self.file, line=line)
        except RowProblem as problem:
            raise RowProblem(problem.message, SG_NS + "codedBy", text) from None
        self._coders[text] = found
        return found

    # -- after the rows ------------------------------------------------------------------------------
    def reference_ntriples(self, *, skip: Iterable[str] = ()) -> str:
        """The catalogue entries of this file's sources (default graph), N-Triples.

        ``skip`` lists sources (N-Triples IRIs) that are already catalogued, in the store or elsewhere.
        """
        return self.catalogue.ntriples(skip=skip)

    def locate(self, nodes: set[str]) -> dict[str, int]:
        """CSV line of each stance IRI in ``nodes`` (re-reads the file; used only to report errors)."""
        if not self._header_ok or not nodes:
            return {}
        return lines_of(self, nodes)

    def hint(self, path: str | None) -> str:
        """How to fix, in CSV terms, a rule on ``path`` broken by one of this file's rows."""
        return self._hint(path) if self._hint is not None else fix_hint(self.columns, path, self.labels)

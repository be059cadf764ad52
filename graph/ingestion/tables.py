"""Staging one statements table: converted chunk by chunk, each chunk's stances validated as it goes.

Rows are converted in chunks of :data:`CHUNK_ROWS`; each chunk's stances are validated in a small
in-memory staging store that also holds the classes of what they point to
(:class:`~stancegraph.graph.ingestion.context.ValidationContext`). That is enough because the stance
shape's SPARQL constraints read, besides the stance's own triples, only the ontology's rules, which every
chunk holds; a constraint that could see other stances makes all rows be validated together instead
(:func:`chunkable`). A chunk is checked in a worker process while the next one is converted
(:class:`~stancegraph.graph.ingestion.chunk_worker.ChunkChecker`).
"""

from __future__ import annotations

__all__ = ["CHUNK_ROWS", "stage_table", "chunkable"]

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from pyoxigraph import RdfFormat
from pyoxigraph import Store as OxStore

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.chunk_worker import ChunkChecker, check_staged
from stancegraph.graph.ingestion.context import STANCE_CLASS, ValidationContext
from stancegraph.graph.ingestion.inputs import Prepared
from stancegraph.graph.ingestion.reader import StatementsReader
from stancegraph.graph.ingestion.table_format import C_STANCE, STANCE_PREDICATES
from stancegraph.graph.validation import CONTEXT_TYPE, CompiledShapes
from stancegraph.graph.validation.context import ontology_rules
from stancegraph.ontology.namespaces import RDFS_SUBCLASS

#: Rows of a statements table validated together in one staging store.
CHUNK_ROWS = 50_000


def stage_table(
    reader: StatementsReader,
    spool: Path,
    context: ValidationContext,
    reference: OxStore,
    prepared: Prepared,
    progress: bool,
) -> None:
    """Convert one statements table chunk by chunk, validating each chunk's stances as it goes."""
    shapes = context.shapes
    local_ok = chunkable(shapes)
    relevant = shapes.predicates
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" rows", desc=reader.file, file=sys.stderr, leave=False)
    found: list[Violation] = []
    pending: list[str] = []  # all rows, when stances cannot be checked chunk by chunk
    pending_disputed: set[str] = set()
    rows_before = 0
    with spool.open("w", encoding="utf-8") as out, ChunkChecker() as checker:
        sink = _Spool(out)
        for chunk in reader.chunks(CHUNK_ROWS, sink=sink.write):
            if chunk.shared and (relevant is None or _mentions(chunk.shared, relevant)):
                reference.load(input=chunk.shared.encode("utf-8"), format=RdfFormat.N_TRIPLES, lenient=True)
            context.settle(chunk.referenced, reader)
            if local_ok:
                staged = _chunk_text(chunk.local, context, reader, chunk.disputed)
                found.extend(checker.submit(staged, parallel=chunk.stances >= CHUNK_ROWS))
            else:
                pending.append(chunk.local)
                pending_disputed |= chunk.disputed
            if bar is not None:
                bar.update(reader.rows - rows_before)
                rows_before = reader.rows
        found.extend(checker.drain())
    prepared.quads += sink.quads
    prepared.spools.append(spool)
    if pending:
        found.extend(check_staged(_chunk_text("".join(pending), context, reader, pending_disputed)))
    if bar is not None:
        bar.close()
    prepared.stances += reader.stances
    prepared.violations.extend(reader.violations)
    prepared.warnings.extend(reader.warnings)
    prepared.already_stored += reader.already
    if found:
        lines = reader.locate({v.node for v in found if v.node})
        for v in found:
            prepared.violations.append(
                Violation(
                    v.message + reader.hint(v.path),
                    file=reader.file,
                    line=lines.get(v.node or ""),
                    node=v.node,
                    path=v.path,
                    rule=v.rule,
                    value=v.value,
                )
            )


def chunkable(shapes: CompiledShapes) -> bool:
    """Whether stances can be validated a chunk at a time: no SPARQL constraint can see other stances.

    Core constraints on a stance read only its own triples and the classes of what it points to, all
    of which a chunk's staging store holds. A SPARQL constraint may read anything, so chunking is safe
    only if each one on stances reads other nodes only through predicates every chunk holds (the
    subclass axioms, the ontology's rules), and none on another class matches a predicate of the
    stances' own triples.
    """
    if shapes.sparql_predicates is None:
        return False
    shared = {RDFS_SUBCLASS} | {t.predicate.value for t in ontology_rules()}
    for cls in shapes.sparql_classes:
        reach = shapes.sparql_reach.get(cls)
        if reach is None or reach.predicates is None or reach.off_focus is None:
            return False
        if cls == STANCE_CLASS:
            if not reach.off_focus <= shared:
                return False
        elif reach.predicates & STANCE_PREDICATES:
            return False
    return True


class _Spool:
    """Writes N-Quads text to a file and counts the quads."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.quads = 0

    def write(self, text: str) -> None:
        self.handle.write(text)
        self.quads += text.count("\n")


def _mentions(ntriples: str, predicates: frozenset[str]) -> bool:
    return any(f" <{p}> " in ntriples for p in predicates)


def _chunk_text(
    local: str, context: ValidationContext, reader: StatementsReader, disputed: Iterable[str] = ()
) -> str:
    """N-Triples for a chunk's staging store: its stances, their context, their triples in the store.

    The stances the chunk's rows contradict (``disputed``) may be rows of another chunk, perhaps not read
    yet, so neither the store nor this chunk knows them: they enter the context as ``sg:Stance``. That
    is safe because the reader checks each of them once the last row is read (a CSV violation if one
    is no stance), so the ``sh:class sg:Stance`` rule on ``sg:contradicts`` is kept for every row.
    """
    existing = context.existing(_subjects(local)) if context.store_has_stances else ""
    ctx = f"<{CONTEXT_TYPE}>"
    stances = "".join(f"{iri} {ctx} {C_STANCE} .\n" for iri in sorted(disputed))
    return local + context.lines(reader) + stances + existing


def _subjects(ntriples: str) -> list[str]:
    return sorted({line.split(" ", 1)[0] for line in ntriples.splitlines() if line})

"""Staging one statements table: converted chunk by chunk, each chunk's stances validated as it goes.

Rows are converted in chunks of :data:`CHUNK_ROWS`; each chunk's stances are validated in a small
in-memory staging store that also holds the classes of what they point to
(:class:`~stancegraph.graph.ingestion.context.ValidationContext`). That is enough because the stance
shape's SPARQL constraints read, besides the stance's own triples, only the ontology's rules, which every
chunk holds; a constraint that could see other stances makes all rows be validated together instead
(:func:`chunkable`). A chunk is checked in a worker process while the next one is converted
(:class:`~stancegraph.graph.ingestion.chunk_worker.ChunkChecker`).

The rows' direct edges (``actor sg:endorses target``) are checked with their chunk too, when every rule
that can see them tests one edge against the classes of its two ends (:func:`edges_chunkable`, true of
the shipped shapes). Otherwise they join the reference data, checked once after the last row: that held
every distinct edge of the load in memory (about 300 bytes each, 3 GiB for 10 million rows).
"""

from __future__ import annotations

__all__ = ["CHUNK_ROWS", "stage_table", "chunkable", "edges_chunkable"]

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
from stancegraph.ontology.namespaces import RDFS_SUBCLASS, STANCE_TYPES

#: Rows of a statements table validated together in one staging store.
CHUNK_ROWS = 50_000

#: The direct-edge predicates a row may write (``sg:endorses``, ...).
EDGE_PREDICATES = frozenset(kind.edge for kind in STANCE_TYPES.values() if kind.edge)

#: Rules that look at one triple and the classes of its ends only (``sh:class`` follows the context
#: classes every chunk holds), so a chunk can check them on its own edges.
_ONE_TRIPLE_RULES = frozenset({"sh:class", "sh:datatype", "sh:nodeKind", "sh:in"})


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
    edges_local = local_ok and edges_chunkable(shapes)
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
            seen = chunk.shared and (relevant is None or _mentions(chunk.shared, relevant))
            if seen and not edges_local:
                reference.load(input=chunk.shared.encode("utf-8"), format=RdfFormat.N_TRIPLES, lenient=True)
            context.settle(chunk.referenced, reader)
            if local_ok:
                edges = chunk.shared if seen else ""
                staged = _chunk_text(chunk.local, context, reader, chunk.disputed, edges)
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
        # an edge's violation is on its actor, which is no row: the line of a row that names that actor
        named = {v.value: lines[v.node] for v in reversed(found) if v.value and v.node in lines}
        for v in found:
            prepared.violations.append(
                Violation(
                    v.message + reader.hint(v.path),
                    file=reader.file,
                    line=lines.get(v.node or "") or named.get(v.node),
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


def edges_chunkable(shapes: CompiledShapes) -> bool:
    """Whether the rows' direct edges can be checked with their chunk: every rule that can see one tests
    that one triple against the classes of its two ends, and no SPARQL constraint reads them."""
    sparql = shapes.sparql_predicates
    if sparql is None or sparql & EDGE_PREDICATES:
        return False
    for constraint in shapes.constraints:
        targets_edges = constraint.target_subjects_of in EDGE_PREDICATES
        if constraint.path in EDGE_PREDICATES or targets_edges:
            if not targets_edges or constraint.target_class is not None:
                return False  # a shape on a class sees its instances' edges: they are not typed in a chunk
            if constraint.rule not in _ONE_TRIPLE_RULES or constraint.path not in (None, *EDGE_PREDICATES):
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
    local: str,
    context: ValidationContext,
    reader: StatementsReader,
    disputed: Iterable[str] = (),
    edges: str = "",
) -> str:
    """N-Triples for a chunk's staging store: its stances (and their direct ``edges``, when the chunk checks
    them), their context, their triples in the store.

    The stances the chunk's rows contradict (``disputed``) may be rows of another chunk, perhaps not read
    yet, so neither the store nor this chunk knows them: they enter the context as ``sg:Stance``. That
    is safe because the reader checks each of them once the last row is read (a CSV violation if one
    is no stance), so the ``sh:class sg:Stance`` rule on ``sg:contradicts`` is kept for every row.
    """
    existing = context.existing(_subjects(local)) if context.store_has_stances else ""
    ctx = f"<{CONTEXT_TYPE}>"
    stances = "".join(f"{iri} {ctx} {C_STANCE} .\n" for iri in sorted(disputed))
    return local + edges + context.lines(reader) + stances + existing


def _subjects(ntriples: str) -> list[str]:
    return sorted({line.split(" ", 1)[0] for line in ntriples.splitlines() if line})

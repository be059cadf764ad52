"""What :class:`~stancegraph.graph.ingestion.reader.StatementsReader` hands on: the RDF of a run of rows
(:class:`RowChunk`, for validating and storing) and each good row as its cells say it (:class:`StatementRow`,
for the statements table of the analysis)."""

from __future__ import annotations

__all__ = ["RowChunk", "StatementRow", "statement_row"]

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancegraph.graph.ingestion.reader import StatementsReader


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


@dataclass(frozen=True)
class StatementRow:
    """One good row of a statements table, as its cells say it (for the statements table of the analysis).

    Attributes
    ----------
    line : int
        The row's CSV line.
    stance_iri : str
        The IRI the row's stance gets in the store.
    id : str or None
        The ``id`` cell.
    actor, target : str
        The cells as written (IRI, short id or label).
    stance : str
        The stance name: the ``stance`` cell, or what the ``agreement`` value stands for.
    agreement : int or None
        The ``agreement`` cell.
    date : str or None
        The day of the ``date`` cell, YYYY-MM-DD (None when empty or absent).
    document, source, person, contradicts : str or None
        The cells (None when empty or absent). In a table with a ``person`` but no ``actor`` column the
        person is the actor (:attr:`actor`), and ``person`` is None.
    actor_iri : str
        The IRI the actor cell names (so that rows naming one actor differently are one actor).
    confidence : float or None
        The ``confidence`` cell (None when empty or absent: unknown).
    disputed : str or None
        The IRI of the stance the ``contradicts`` cell names.
    coder : str or None
        Who coded the row: the coder's name (as first written, or as the store has it: spellings of one
        coder, ``Ana`` and ``ana``, give one name); None without a ``coder`` cell.
    stated_at : str or None
        The moment, when the ``date`` cell gives a time of day: ``xsd:dateTime`` text such as
        ``2025-11-22T10:00:00``.
    """

    line: int
    stance_iri: str
    id: str | None
    actor: str
    target: str
    stance: str
    agreement: int | None
    date: str | None
    document: str | None
    source: str | None
    person: str | None
    contradicts: str | None
    actor_iri: str = ""
    confidence: float | None = None
    disputed: str | None = None
    coder: str | None = None
    stated_at: str | None = None


def statement_row(
    reader: StatementsReader, cells: list[str], line: int, node: str, disputed: str | None
) -> StatementRow:
    """The row as :class:`StatementRow`, after the reader converted it (``disputed``: the N-Triples
    IRI of the stance it contradicts)."""

    def cell(name: str) -> str | None:
        position = reader.at[name]
        return (cells[position] or None) if position is not None else None

    agreement, confidence, date = cell("agreement"), cell("confidence"), cell("date")
    coder = cell("coder")
    moment = reader.cells.day_and_moment(date)[1] if date is not None and len(date) > 10 else None
    return StatementRow(
        line=line,
        stance_iri=node,
        id=cell("id"),
        actor=cells[reader.at["actor"]],
        target=cells[reader.at["target"]],
        stance=reader.cells.stance_name(cells),
        agreement=int(agreement) if agreement is not None else None,
        date=date[:10] if date is not None else None,
        document=cell("document"),
        source=cell("source"),
        person=cell("person"),
        contradicts=cell("contradicts"),
        actor_iri=reader.resolved["actor"][cells[reader.at["actor"]]][1:-1],
        confidence=float(confidence) if confidence is not None else None,
        disputed=disputed[1:-1] if disputed is not None else None,
        coder=reader.names.coder_label(reader.resolved["coder"][coder]) if coder is not None else None,
        stated_at=moment,
    )

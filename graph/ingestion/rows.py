"""What :class:`~stancegraph.graph.ingestion.reader.StatementsReader` hands on: the RDF of a run of rows
(:class:`RowChunk`, for validating and storing) and each good row as its cells say it (:class:`StatementRow`,
for the statements table of the analysis)."""

from __future__ import annotations

__all__ = ["RowChunk", "StatementRow"]

from dataclasses import dataclass


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

"""Duplicate rows of a statements table: a row that states the stance of an earlier row again.

Two rows state the same stance when they agree in its key, the columns of :data:`KEY_COLUMNS` the file
has: the actor and the target (as the names resolve, so ``US`` and ``United States`` are one actor), the
stance (the ``stance`` cell, or the ``agreement`` code as coded), the date (with its time of day, when the
cell gives one: two statements of one day at 10:00 and at 15:00 are two), the source, the document, the
person (a joint statement is one stance per speaker, so two speakers are two stances) and the coder (two
coders who code the same statement make two stances, one each: what inter-coder reliability compares; a
coder who codes it twice repeats it) and, when the table gives it, where the quote stands in the
document (``quote_start``, ``quote_end``: DNA's statements are spans of the document's text, and two spans
coded alike are two statements, as DNA counts them). Cells outside the key (``quote``, ``confidence``, ``id``,
``contradicts``) may differ: the later row is still a repeat. It is stored once, as the earlier row's
stance, and reported as a warning naming both lines and the cells that differ; warnings do not stop a
load.

:class:`RowKeys` keeps one 128-bit hash of the key per row (not the rows), in the process that reads the
file, so repeats are found across the chunks that worker processes check. The hash is two of Python's own
(:func:`hash`, the same throughout the process; the names' strings come from the reader's caches, which
keep their hashes), a few times cheaper per row than a cryptographic digest. The earlier row of each repeat
is found again after the last row (:meth:`StatementsReader.chunks
<stancegraph.graph.ingestion.reader.StatementsReader.chunks>` re-reads the file only when there is one).

The earlier row may be in a table read before this one in the same load: each table's :class:`RowKeys`
also looks in those of the tables before it, which stay open so that the row can be found again.

A row may also repeat a stance the store already holds: see
:mod:`~stancegraph.graph.ingestion.stored_repeats`.
"""

from __future__ import annotations

__all__ = ["KEY_COLUMNS", "First", "Repeat", "RowKeys"]

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from stancegraph.graph.errors import Violation

#: The columns whose cells make a row's stance; rows equal in those the file has are one stance.
KEY_COLUMNS = (
    "actor",
    "target",
    "stance",
    "agreement",
    "date",
    "source",
    "document",
    "person",
    "coder",
    "quote_start",
    "quote_end",
)
_MASK = (1 << 64) - 1
_SALT = "\x1fkey"  # tells the second hash from the first


@dataclass(frozen=True)
class Repeat:
    """A row whose key an earlier row has: its line, its key's hash and its cells (stripped).

    ``earlier`` is None when the earlier row is in the same table, else the position (in
    :attr:`RowKeys.earlier`) of the table read before it that has the key.
    """

    line: int
    key: int
    cells: tuple[str, ...]
    earlier: int | None = None


@dataclass(frozen=True)
class First:
    """The stored row of a repeated key: its file (None: the repeat's own), line, cells and stance IRI,
    and, when that row itself repeats a stance already in the store (and was not stored), that stance's
    IRI and source. ``columns`` are the positions of the cells in that row's table."""

    file: str | None
    line: int
    cells: Sequence[str]
    stance: str
    columns: Mapping[str, int]
    stored: tuple[str, str | None] | None = None

    def cell(self, name: str) -> str:
        """The row's cell in the column ``name`` ('' when its table has no such column)."""
        at = self.columns.get(name)
        return "" if at is None else self.cells[at]


class RowKeys:
    """The keys of the rows of one table seen so far, and the rows that repeat one.

    Parameters
    ----------
    columns : dict
        The table's columns (name -> position).
    earlier : sequence of RowKeys
        The keys of the tables read before this one in the same load: a row with one of their keys
        repeats a row of that table.
    labels : Mapping of str to str, optional
        The name the header gives each column (``organization`` for the actor), for the warnings.
    """

    def __init__(
        self,
        columns: Mapping[str, int],
        earlier: Sequence[RowKeys] = (),
        *,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.columns = dict(columns)
        self.labels = dict(labels or {})
        self.key_names = [name for name in KEY_COLUMNS if name in columns]
        self.earlier = list(earlier)
        self._seen: set[int] = set()
        self.repeats: list[Repeat] = []

    @staticmethod
    def key(parts: Sequence[str | None]) -> int:
        """The hash of a row's key: its resolved actor, target, stance type, ... (None for an empty cell)."""
        parts = tuple(parts)
        return (hash(parts) & _MASK) << 64 | (hash((parts, _SALT)) & _MASK)

    def repeated(self, key: int, line: int, cells: Sequence[str]) -> bool:
        """Whether a stored row (of this table or of one read before it) has this key; if so, the row is
        noted among :attr:`repeats`."""
        if key in self._seen:
            self.repeats.append(Repeat(line, key, tuple(cells)))
            return True
        for position, other in enumerate(self.earlier):
            if key in other._seen:
                self.repeats.append(Repeat(line, key, tuple(cells), position))
                return True
        return False

    def same(self) -> str:
        """The key columns of the table, as words in its header's names: ``actor, target, stance, date and
        source`` (``organization, concept, agreement, time and coder`` in a DNA file)."""
        *most, last = (self.labels.get(name, name) for name in self.key_names)
        return f"{', '.join(most)} and {last}" if most else last

    def add(self, key: int) -> None:
        """Note the key of a row that is stored."""
        self._seen.add(key)

    def warnings(self, file: str, firsts: Mapping[int, First]) -> list[Violation]:
        """One warning per repeat, given the stored row of each key (:class:`First`)."""
        found = []
        columns = sorted(self.columns.items(), key=lambda item: item[1])
        same = self.same()
        for repeat in self.repeats:
            first = firsts.get(repeat.key)
            if first is None:
                where, stance, stored = "an earlier line", None, None
                differ = []
            else:
                where = f"line {first.line}" if first.file is None else f"{first.file} line {first.line}"
                stance, stored = first.stance, first.stored
                differ = [
                    f"{self.labels.get(name, name)} "
                    f"({repeat.cells[at]!r} here, {first.cell(name)!r} on {where})"
                    for name, at in columns
                    if repeat.cells[at] != first.cell(name)
                ]
                if first.file is not None:  # a column only the earlier table has
                    differ += [
                        f"{name} (no such column here, {first.cell(name)!r} on {where})"
                        for name in first.columns
                        if name not in self.columns and first.cell(name)
                    ]
            cells = f"; the cells that differ: {', '.join(differ)}" if differ else "; the rows are identical"
            if stored is None:
                kept = f"it is stored once, as the stance of {where}"
            else:
                stance = stored[0]
                kept = f"{where} repeats the stance <{stance}> already in the store: neither is stored again"
            found.append(
                Violation(
                    f"line {repeat.line} repeats {where} (the same {same}){cells}; {kept}. Remove line "
                    f"{repeat.line}, or, if it is another statement, make it differ in its "
                    f"{same.replace(' and ', ' or ')}",
                    file=file,
                    line=repeat.line,
                    node=stance,
                    rule="duplicate",
                )
            )
        return found

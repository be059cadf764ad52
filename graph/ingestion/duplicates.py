"""Duplicate rows of a statements table: a row that states the stance of an earlier row again.

Two rows state the same stance when they agree in its key, the columns of :data:`KEY_COLUMNS` the file
has: the actor and the target (as the names resolve, so ``US`` and ``United States`` are one actor), the
stance (the ``stance`` cell, or the ``agreement`` code as coded), the date, the source, the document and
the person (a joint statement is one stance per speaker, so two speakers are two stances). The format has
no coder column. Cells outside the key (``quote``, ``confidence``, ``id``, ``contradicts``) may differ:
the later row is still a repeat. It is stored once, as the earlier row's stance, and reported as a
warning naming both lines and the cells that differ; warnings do not stop a load.

:class:`RowKeys` keeps one 128-bit hash of the key per row (not the rows), in the process that reads the
file, so repeats are found across the chunks that worker processes check. The hash is two of Python's own
(:func:`hash`, the same throughout the process; the names' strings come from the reader's caches, which
keep their hashes), a few times cheaper per row than a cryptographic digest. The earlier row of each repeat
is found again after the last row (:meth:`StatementsReader.chunks
<stancegraph.graph.ingestion.reader.StatementsReader.chunks>` re-reads the file only when there is one).
"""

from __future__ import annotations

__all__ = ["KEY_COLUMNS", "Repeat", "RowKeys"]

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from stancegraph.graph.errors import Violation

#: The columns whose cells make a row's stance; rows equal in those the file has are one stance.
KEY_COLUMNS = ("actor", "target", "stance", "agreement", "date", "source", "document", "person")
_MASK = (1 << 64) - 1
_SALT = "\x1fkey"  # tells the second hash from the first


@dataclass(frozen=True)
class Repeat:
    """A row whose key an earlier row has: its line, its key's hash and its cells (stripped)."""

    line: int
    key: int
    cells: tuple[str, ...]


class RowKeys:
    """The keys of the rows of one table seen so far, and the rows that repeat one.

    Parameters
    ----------
    columns : dict
        The table's columns (name -> position).
    """

    def __init__(self, columns: Mapping[str, int]) -> None:
        self.columns = dict(columns)
        self.key_names = [name for name in KEY_COLUMNS if name in columns]
        self._seen: set[int] = set()
        self.repeats: list[Repeat] = []

    @staticmethod
    def key(parts: Sequence[str | None]) -> int:
        """The hash of a row's key: its resolved actor, target, stance type, ... (None for an empty cell)."""
        parts = tuple(parts)
        return (hash(parts) & _MASK) << 64 | (hash((parts, _SALT)) & _MASK)

    def repeated(self, key: int, line: int, cells: Sequence[str]) -> bool:
        """Whether a stored row has this key; if so, the row is noted among :attr:`repeats`."""
        if key in self._seen:
            self.repeats.append(Repeat(line, key, tuple(cells)))
            return True
        return False

    def add(self, key: int) -> None:
        """Note the key of a row that is stored."""
        self._seen.add(key)

    def warnings(self, file: str, firsts: Mapping[int, tuple[int, Sequence[str], str]]) -> list[Violation]:
        """One warning per repeat, given the line, cells and stance IRI of the first row of each key."""
        found = []
        columns = sorted(self.columns.items(), key=lambda item: item[1])
        *most, last = self.key_names
        same = f"{', '.join(most)} and {last}" if most else last
        for repeat in self.repeats:
            first_line, first_cells, stance = firsts.get(repeat.key, (None, (), None))
            where = f"line {first_line}" if first_line is not None else "an earlier line"
            differ = [
                f"{name} ({repeat.cells[at]!r} here, {first_cells[at]!r} on {where})"
                for name, at in columns
                if first_cells and repeat.cells[at] != first_cells[at]
            ]
            cells = f"; the cells that differ: {', '.join(differ)}" if differ else "; the rows are identical"
            found.append(
                Violation(
                    f"line {repeat.line} repeats {where} (the same {same}){cells}; it is stored once, as the "
                    f"stance of {where}. Remove line {repeat.line}, or, if it is another statement, make it "
                    f"differ in its {same.replace(' and ', ' or ')}",
                    file=file,
                    line=repeat.line,
                    node=stance,
                    rule="duplicate",
                )
            )
        return found

"""Reading a CSV file row by row, safely: the cell-size limit, unreadable rows, piped input read twice.

Every reader of a statements table goes through :class:`CsvInput`, so a cell over
:data:`CSV_FIELD_LIMIT`, broken quoting or bytes that are not UTF-8 end the reading the same way
everywhere: as a problem of the row (file and line), never as an exception from the :mod:`csv` module.
Cells are separated by commas, or by semicolons in a file whose header row has no comma but a semicolon
(the event lists the Discourse Network Analyzer exports).
"""

from __future__ import annotations

__all__ = ["CSV_FIELD_LIMIT", "csv_field_limit", "unreadable_csv", "CsvInput"]

import contextlib
import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

#: The most characters a cell of a statements table may hold (16 MiB; the csv module allows 131,072).
CSV_FIELD_LIMIT = 16 * 2**20


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


class CsvInput:
    """A CSV file (or an open file) that can be read from the start as often as needed.

    Parameters
    ----------
    source : str, Path or (name, IO)
        The file, or a name and an open file (text or binary, UTF-8). A stream that cannot seek (a pipe)
        is copied to a temporary file first; :meth:`close` removes the copy.
    """

    def __init__(self, source: str | Path | tuple[str, IO[Any]]) -> None:
        self._spool: Any = None
        self._start = 0
        #: The character between cells: "," or, as :meth:`header` found, ";".
        self.delimiter = ","
        if isinstance(source, tuple):
            self.file, self._path = str(source[0]), None
            self._stream: IO[Any] | None = self._rewindable(source[1])
        else:
            self.file, self._path, self._stream = str(source), Path(source), None

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
        self._spool = spool
        return spool

    @contextlib.contextmanager
    def open(self) -> Iterator[IO[str]]:
        """The text from its start (a byte-order mark skipped); the caller's own file stays open."""
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

    def header(self) -> list[str] | None:
        """The first row's cells (None for an empty file); sets :attr:`delimiter` to ";" when the row has
        no comma but a semicolon, as DNA writes its event lists.

        Raises OSError when the file cannot be opened, UnicodeDecodeError or csv.Error when the first row
        cannot be read.
        """
        with self.open() as handle, csv_field_limit():
            first = handle.readline()
        self.delimiter = ";" if "," not in first and ";" in first else ","
        with self.open() as handle, csv_field_limit():
            return next(csv.reader(handle, delimiter=self.delimiter), None)

    def records(self, unreadable: Callable[[int, Exception, int], Any]) -> Iterator[tuple[int, list[str]]]:
        """(first CSV line, fields) of each row after the header, up to the first row that cannot be read.

        Such a row (a cell over :data:`CSV_FIELD_LIMIT`, broken CSV, bytes that are not UTF-8) is passed
        to ``unreadable(line, error, limit)`` and ends the reading: what follows it cannot be trusted to
        start at a row boundary.
        """
        with self.open() as handle, csv_field_limit() as limit:
            reader = csv.reader(handle, delimiter=self.delimiter)
            try:
                next(reader)
            except (StopIteration, csv.Error, UnicodeDecodeError):
                return  # the header: reported by whoever read it with header()
            previous = reader.line_num
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except (csv.Error, UnicodeDecodeError) as error:
                    unreadable(previous + 1, error, limit)
                    return
                yield previous + 1, fields
                previous = reader.line_num

    def close(self) -> None:
        """Drop the temporary copy of a piped input, if one was made."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None

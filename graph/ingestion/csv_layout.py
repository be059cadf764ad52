"""The records of a CSV file found on its bytes, with numpy: where each starts (its line) and how many
fields it has, for a file plain enough that the :mod:`csv` module and polars read it alike.

:func:`csv_layout` is the first step of the columnar reading of a statements table
(:mod:`~stancegraph.graph.ingestion.columnar_rows`). It vouches that polars' reading of the file splits
it into the records and cells the :mod:`csv` module would (what :class:`~stancegraph.graph.ingestion.
csv_input.CsvInput` gives the one reader of the format), and raises :class:`NotColumnar` for any file
where that is not certain:

* bytes that are not UTF-8, a NUL byte, a carriage return that does not end a line (``\\r\\n``), or one of
  the bytes 0x1c-0x1f (``str.strip`` takes them for white space, polars does not);
* a ``"`` anywhere but at the start of a cell, as the closing quote of a quoted cell (followed by the
  delimiter, the end of the line or of the file) or doubled inside one; an unclosed quoted cell;
* a header that spans lines.

In such a file every ``"`` opens or closes a quoted cell or is half of a doubled one, so a line break or
a delimiter is inside a quoted cell exactly when an odd number of quotes precedes it: that is how the
records and their fields are counted, all at once.
"""

from __future__ import annotations

__all__ = ["NotColumnar", "CsvLayout", "csv_layout"]

from dataclasses import dataclass

import numpy as np

_QUOTE, _NEWLINE, _RETURN = ord('"'), ord("\n"), ord("\r")


class NotColumnar(Exception):
    """The columnar reading cannot vouch for a file: read it with the one reader of the format."""


@dataclass(frozen=True)
class CsvLayout:
    """The records of a CSV file after its header.

    Attributes
    ----------
    header : str
        The header line (one physical line, its line break included).
    delimiter : str
        ``","``, or ``";"`` when the header line has no comma but a semicolon (as :class:`~stancegraph.
        graph.ingestion.csv_input.CsvInput` decides).
    lines : numpy.ndarray
        The CSV line (from 1) where each record starts, int64.
    fields : numpy.ndarray
        The number of fields of each record (an empty line has none), int64.
    content : numpy.ndarray
        The bytes of each record's cells once read: the record's bytes less its delimiters, the quotes
        around quoted cells and one of each doubled quote (its line break not counted), int64. A reading
        of the file that gives each record cells of these many bytes split it as this layout does.
    """

    header: str
    delimiter: str
    lines: np.ndarray
    fields: np.ndarray
    content: np.ndarray


def _check_quotes(data: np.ndarray, quotes: np.ndarray, delimiter: int) -> None:
    """Raise NotColumnar unless every quote opens, closes or doubles inside a quoted cell."""
    if len(quotes) % 2:
        raise NotColumnar("a quoted cell is not closed")
    if not len(quotes):
        return
    opening, closing = quotes[0::2], quotes[1::2]
    before = data[np.maximum(opening - 1, 0)]
    at_start = (opening == 0) | (before == delimiter) | (before == _NEWLINE)
    doubled = np.zeros(len(opening), dtype=bool)  # the second quote of a "" inside a quoted cell
    doubled[1:] = opening[1:] == closing[:-1] + 1
    if not (at_start | doubled).all():
        raise NotColumnar('a " stands inside a cell that is not quoted')
    after_at = closing + 1
    after = data[np.minimum(after_at, len(data) - 1)]
    ends = (after_at == len(data)) | (after == delimiter) | (after == _NEWLINE) | (after == _RETURN)
    pairs = np.zeros(len(closing), dtype=bool)  # the first quote of a doubled one
    pairs[:-1] = closing[:-1] + 1 == opening[1:]
    if not (ends | pairs).all():
        raise NotColumnar("a quoted cell goes on after its closing quote")


def csv_layout(data: bytes) -> CsvLayout:
    """The header and the records of a CSV file's bytes (a byte-order mark already taken off).

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    CsvLayout
        The header line, the delimiter, and each record's line and number of fields.

    Raises
    ------
    NotColumnar
        If the :mod:`csv` module might read the file otherwise than polars (see the module's notes).

    Examples
    --------
    >>> found = csv_layout(b'a,b,c\\n1,"x\\ny",3\\n\\n4,5,6\\n')
    >>> found.delimiter, found.lines.tolist(), found.fields.tolist()
    (',', [2, 4, 5], [3, 0, 3])
    """
    try:
        text_start = data[: data.find(b"\n") + 1 or len(data)].decode("utf-8")
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotColumnar("the file is not UTF-8") from None
    delimiter = ";" if "," not in text_start and ";" in text_start else ","
    raw = np.frombuffer(data, dtype=np.uint8)
    if not len(raw):
        raise NotColumnar("the file is empty")
    counts = np.bincount(raw, minlength=256)
    if counts[0] or counts[0x1C:0x20].any():
        raise NotColumnar("the file holds a NUL byte or one of the bytes 0x1c-0x1f")
    if counts[_RETURN]:
        returns = np.flatnonzero(raw == _RETURN)
        if returns[-1] + 1 >= len(raw) or (raw[returns + 1] != _NEWLINE).any():
            raise NotColumnar("a carriage return does not end a line")
    separator = ord(delimiter)
    quotes = np.flatnonzero(raw == _QUOTE) if counts[_QUOTE] else np.zeros(0, dtype=np.intp)
    _check_quotes(raw, quotes, separator)
    newlines = np.flatnonzero(raw == _NEWLINE)
    # the line breaks outside quoted cells end the records
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if len(quotes) else newlines
    starts = np.concatenate(([0], ends + 1))
    if starts[-1] < len(raw):  # a last record without a line break
        ends = np.concatenate((ends, [len(raw)]))
    else:
        starts = starts[:-1]
    if not len(ends) or np.searchsorted(newlines, ends[0]) > 0:
        raise NotColumnar("the header spans lines")
    lines = np.searchsorted(newlines, starts) + 1
    width = ends - starts - (raw[np.maximum(ends - 1, 0)] == _RETURN)
    separators = np.flatnonzero(raw == separator)
    outside = separators[np.searchsorted(quotes, separators) % 2 == 0] if len(quotes) else separators
    fields = np.searchsorted(outside, ends) - np.searchsorted(outside, starts) + 1
    fields[width == 0] = 0
    content = width - (fields - 1) - _unread_quotes(quotes, starts, ends)
    content[width == 0] = 0
    header = data[: ends[0] + 1].decode("utf-8")
    rows = slice(1, None)
    return CsvLayout(
        header, delimiter, lines[rows].astype(np.int64), fields[rows].astype(np.int64), content[rows]
    )


def _unread_quotes(quotes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many quotes of each record are not part of its cells: the two around each quoted cell and
    one of each doubled quote; that is all of them less the doubled ones' second quotes."""
    everyone = np.searchsorted(quotes, ends) - np.searchsorted(quotes, starts)
    if not len(quotes):
        return everyone
    opening, closing = quotes[0::2], quotes[1::2]
    doubled = np.zeros(len(opening), dtype=bool)
    doubled[1:] = opening[1:] == closing[:-1] + 1
    kept = opening[doubled]  # the second quote of each doubled one is a character of the cell
    return everyone - (np.searchsorted(kept, ends) - np.searchsorted(kept, starts))

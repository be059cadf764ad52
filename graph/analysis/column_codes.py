"""Integer codes of a column into its sorted distinct values, computed in polars rather than by a Python
pass per row: the codes that ``Statements.codes`` caches
(:class:`~stancegraph.graph.analysis.statements_table.Statements`), with the same values and order
(sorted distinct non-null values; -1 for null).

Python sorts strings by code point and polars by UTF-8 bytes; the two orders agree for valid UTF-8, the
only text a polars column holds. A text column takes the codes of a cast to an ``Enum`` of its sorted
distinct values (measured on 1M rows of 200 values: 0.09 s, against 0.43 s for the dictionary pass of
``Statements`` and 0.13 s just to make one Python string per row); other columns (integers) a
``replace_strict`` of their distinct values by rank. The object column itself is then made from the few
distinct values (:func:`decoded`), and a renamed column (labels for IRIs) is coded from its distinct
values alone (:func:`renamed_codes`). On a 1M-statement store whose stance table is cached,
:func:`~stancegraph.graph.analysis.selection.statements_from_store` so takes about 0.65 s instead of 4-5 s.
"""

from __future__ import annotations

__all__ = ["column_codes", "decoded", "first_rows", "renamed_codes", "text_object_codes"]

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import polars as pl


def column_codes(column: pl.Series) -> tuple[np.ndarray, tuple]:
    """Codes (int64, -1 for null) of ``column`` into its sorted distinct non-null values, and those values.

    Examples
    --------
    >>> import polars as pl
    >>> codes, values = column_codes(pl.Series(["b", None, "a", "b"]))
    >>> codes.tolist(), values
    ([1, -1, 0, 1], ('a', 'b'))
    """
    import polars as pl

    uniques = column.drop_nulls().unique().sort()
    if uniques.is_empty():
        return np.full(len(column), -1, dtype=np.int64), ()
    if column.dtype == pl.String:
        ranks = column.cast(pl.Enum(uniques)).to_physical()
    else:
        ranks = column.replace_strict(uniques, pl.int_range(len(uniques), eager=True), default=None)
    codes = ranks.cast(pl.Int64).fill_null(-1).to_numpy()
    return np.ascontiguousarray(codes, dtype=np.int64), tuple(uniques.to_list())


def decoded(codes: np.ndarray, uniques: tuple) -> np.ndarray:
    """The object column whose :func:`column_codes` are ``codes`` into ``uniques`` (None where -1).

    Examples
    --------
    >>> decoded(np.array([1, -1, 0]), ("a", "b")).tolist()
    ['b', None, 'a']
    """
    values = np.empty(len(uniques) + 1, dtype=object)
    values[: len(uniques)] = uniques
    return values[codes]


def first_rows(codes: np.ndarray, count: int) -> np.ndarray:
    """The first row holding each of the codes ``0 .. count - 1`` (each must occur).

    Examples
    --------
    >>> first_rows(np.array([1, -1, 1, 0]), 2).tolist()
    [3, 0]
    """
    import polars as pl

    rows = pl.Series(codes).arg_unique().to_numpy()
    rows = rows[codes[rows] >= 0]
    first = np.empty(count, dtype=np.int64)
    first[codes[rows]] = rows
    return first


def renamed_codes(codes: np.ndarray, uniques: tuple, names: Mapping) -> tuple[np.ndarray, tuple]:
    """The codes and sorted distinct values of the column coded by ``codes`` into ``uniques`` once each
    value ``v`` is renamed ``names.get(v)`` (None if absent; several may get one name), from the
    distinct values alone.

    Examples
    --------
    >>> codes, values = renamed_codes(np.array([0, 1, -1, 2]), ("a", "b", "c"), {"a": "z", "b": "y"})
    >>> codes.tolist(), values
    ([1, 0, -1, -1], ('y', 'z'))
    """
    renamed = [names.get(value) for value in uniques]
    levels = sorted({name for name in renamed if name is not None})
    rank = {name: i for i, name in enumerate(levels)}
    lut = np.array([rank[name] if name is not None else -1 for name in renamed] + [-1], dtype=np.int64)
    return lut[codes], tuple(levels)


def text_object_codes(values: np.ndarray) -> tuple[np.ndarray, tuple] | None:
    """:func:`column_codes` of an object array that holds only ``str`` (exactly, no subclass) and None;
    None for anything else (numbers, mixed types, text polars cannot hold such as lone surrogates), which
    the caller codes its own way.

    Examples
    --------
    >>> text_object_codes(np.array(["x", None, "é"], dtype=object))[1]
    ('x', 'é')
    >>> text_object_codes(np.array(["x", 1], dtype=object)) is None
    True
    """
    import polars as pl

    if values.dtype != object or not set(map(type, values)) <= {str, type(None)}:
        return None
    try:
        column = pl.Series(values.tolist(), dtype=pl.String, strict=True)
    except (UnicodeError, TypeError, pl.exceptions.PolarsError):
        return None
    return column_codes(column)

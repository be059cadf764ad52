"""The columns of :class:`~stancegraph.graph.analysis.statements_table.Statements` checked and converted:
text columns as numpy object arrays, confidences as float64 in [0, 1] (NaN: unknown), contested flags
as bool. Each error names the column, the statement and what the column takes."""

from __future__ import annotations

__all__ = ["blank_to_none", "confidence_column", "contested_column", "object_column"]

from typing import Any

import numpy as np


def object_column(values: Any, n: int, name: str, *, copy: bool = True) -> np.ndarray:
    """``values`` as a numpy object array of ``n`` values; ``copy=False`` takes an object array as it is
    (for a caller that made it for this table alone: a million values are not copied again)."""
    if values is None:
        return np.full(n, None, dtype=object)
    if not copy and isinstance(values, np.ndarray) and values.dtype == object and values.shape == (n,):
        return values
    if isinstance(values, np.ndarray) and values.dtype != object:
        values = values.tolist()
    column = np.empty(len(values), dtype=object)
    column[:] = values if isinstance(values, np.ndarray) else list(values)
    if len(column) != n:
        raise ValueError(f"Statements: column {name!r} has {len(column)} values but 'actor' has {n}")
    return column


def blank_to_none(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def confidence_column(values: Any, ids: np.ndarray, n: int) -> np.ndarray:
    """Confidences as float64 in [0, 1], NaN where none is recorded (unknown, not 0)."""
    if values is None:
        return np.full(n, np.nan)
    if isinstance(values, np.ndarray) and values.dtype.kind == "f" and len(values) == n:
        outside = ~np.isnan(values) & ((values < 0) | (values > 1))
        if not outside.any():
            return values.astype(np.float64)
    raw = [blank_to_none(v) for v in (values.tolist() if isinstance(values, np.ndarray) else values)]
    if len(raw) != n:
        raise ValueError(f"Statements: column 'confidence' has {len(raw)} values but 'actor' has {n}")
    column = np.full(n, np.nan)
    for row, value in enumerate(raw):
        if value is None:
            continue
        try:
            number = float(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is not None and np.isnan(number):
            continue
        if number is None or not 0.0 <= number <= 1.0:
            raise ValueError(
                f"Statements: statement {ids[row]!r} has confidence {value!r}; a confidence is a number "
                "between 0 and 1 (leave it empty when unknown)"
            )
        column[row] = number
    return column


def contested_column(values: Any, n: int) -> np.ndarray:
    if values is None:
        return np.zeros(n, dtype=bool)
    if isinstance(values, np.ndarray) and values.dtype == bool and len(values) == n:
        return values.copy()
    raw = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if len(raw) != n:
        raise ValueError(f"Statements: column 'contested' has {len(raw)} values but 'actor' has {n}")
    bad = [v for v in raw if v is not None and not isinstance(v, bool | np.bool_)]
    if bad:
        raise ValueError(f"Statements: column 'contested' holds {bad[0]!r}; it takes True, False or None")
    return np.array([bool(v) for v in raw], dtype=bool)

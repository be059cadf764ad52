"""The sparse matrices of a discourse network: statements selected for the options, then X K X^T.

:func:`plan_statements` resolves the statements for one set of options (filters, qualifier levels,
duplicates); :func:`one_mode_matrix` and :func:`two_mode_matrix` compute the weights as sparse products
(see :mod:`~stancegraph.graph.analysis.networks` for the definitions).
"""

from __future__ import annotations

__all__ = ["Plan", "plan_statements", "one_mode_matrix", "two_mode_matrix"]

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from stancegraph.graph.analysis.network_options import (
    Aggregation,
    NetworkOptions,
    Normalization,
    stance_mask,
)
from stancegraph.graph.analysis.statements_table import QualifierKind, Statements

if TYPE_CHECKING:  # scipy and networkx are imported where they are used (import stays light)
    import scipy.sparse as sp

A, N = Aggregation, Normalization


# selection: filters, levels, duplicates --------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Plan:
    """Statements resolved for one set of options: codes per row, the universe (DNA's statements after
    the date range and the source/document filters, of the stances that count by ``contested`` and
    ``min_confidence``) and the kept rows (after all filters and duplicates)."""

    options: NetworkOptions
    node: np.ndarray
    node_labels: tuple
    target: np.ndarray
    target_labels: tuple
    level: np.ndarray
    levels: tuple
    dates: np.ndarray
    universe: np.ndarray
    kept: np.ndarray


def _keep(statements: Statements, column: str, labels: tuple, invert: bool) -> np.ndarray:
    codes, uniques = statements.codes(column)
    wanted = set(labels)
    member = np.array([u in wanted for u in uniques] + [False])
    return member[codes] if invert else ~member[codes]


def plan_statements(statements: Statements, options: NetworkOptions) -> Plan:
    dates = statements.date
    n = len(statements)
    # the stances that count at all (contested, min_confidence): as if the others were not in the data
    universe = stance_mask(
        statements.contested,
        statements.confidence,
        which=options.contested,
        min_confidence=options.min_confidence,
    )
    if options.start is not None or options.end is not None:
        statements.require_dates(np.arange(n), "a start or end date")
        if options.start is not None:
            universe &= dates >= np.datetime64(options.start, "D")
        if options.end is not None:
            universe &= dates <= np.datetime64(options.end, "D")
    node, node_labels = statements.codes(options.actor_variable)
    target, target_labels = statements.codes("target")
    level, levels = statements.qualifier_codes(options.qualifier)
    kept = universe & (node >= 0) & (level >= 0)
    for column, labels, invert in options.exclude:
        mask = _keep(statements, column, labels, invert)
        if column in ("source", "document"):
            universe &= mask
        kept &= mask
    kept &= universe
    if options.qualifier in (QualifierKind.INTEGER, QualifierKind.CATEGORICAL):
        present = np.zeros(len(levels), dtype=bool)  # DNA: the levels observed in the date range
        present[level[universe & (level >= 0)]] = True
        remap = np.where(present, np.cumsum(present) - 1, -1)
        level = np.where(level >= 0, remap[level], -1)
        levels = tuple(v for v, p in zip(levels, present, strict=True) if p)
    keys = [node, target] + ([level] if options.aggregation is not A.IGNORE else [])
    rows = statements.first_of_duplicates(np.flatnonzero(kept), keys, options.duplicates)
    universe_rows = np.flatnonzero(universe & (node >= 0))
    return Plan(options, node, node_labels, target, target_labels, level, levels, dates, universe_rows, rows)


# matrices ------------------------------------------------------------------------------------------
def _csr(data: np.ndarray, rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sp.csr_array:
    """Sum of ``data`` at (rows, cols); 32-bit indices when they fit (faster, leaner products)."""
    import scipy.sparse as sp

    index = np.int32 if max(shape, default=0) < np.iinfo(np.int32).max else np.int64
    m = sp.csr_array((data, (rows.astype(index, copy=False), cols.astype(index, copy=False))), shape=shape)
    m.sum_duplicates()
    return m


def _by_row_blocks(
    m: sp.csr_array, visit: Callable[[np.ndarray, np.ndarray, np.ndarray], None], block: int = 1 << 22
) -> None:
    """Call ``visit(rows, cols, data)`` on slices of about ``block`` stored entries (data is a view)."""
    start = 0
    n = m.shape[0]
    while start < n:
        stop = max(start + 1, int(np.searchsorted(m.indptr, m.indptr[start] + block, side="right")) - 1)
        stop = min(stop, n)
        lo, hi = m.indptr[start], m.indptr[stop]
        rows = np.repeat(np.arange(start, stop, dtype=m.indices.dtype), np.diff(m.indptr[start : stop + 1]))
        visit(rows, m.indices[lo:hi], m.data[lo:hi])
        start = stop


def _finish_one_mode(w: sp.csr_array) -> sp.csr_array:
    """Zero the diagonal in place (only entries that exist) and drop stored zeros."""
    import scipy.sparse as sp

    w = w if isinstance(w, sp.csr_array) else sp.csr_array(w)
    on_diagonal = np.flatnonzero(w.diagonal())
    if len(on_diagonal):
        w[on_diagonal, on_diagonal] = 0.0
    w.eliminate_zeros()
    return w


def _gather(values: sp.csr_array, at: sp.csr_array) -> np.ndarray:
    """Values of ``values`` at the stored positions of ``at`` (both canonical), zero where absent."""
    values.sum_duplicates()
    width = np.int64(at.shape[1])

    def keys(m: sp.csr_array) -> np.ndarray:
        return np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr)) * width + m.indices

    key_v, key_a = keys(values), keys(at)
    pos = np.minimum(np.searchsorted(key_v, key_a), max(len(key_v) - 1, 0))
    found = (key_v[pos] == key_a) if len(key_v) else np.zeros(len(key_a), dtype=bool)
    return np.where(found, values.data[pos] if len(key_v) else 0.0, 0.0)


def _level_weights(levels: tuple, aggregation: Aggregation) -> np.ndarray:
    """M[k, k'] for congruence (1 - d), conflict (d) or subtract (1 - 2d), d = |k - k'| / range."""
    values = np.asarray(levels, dtype=float)
    spread = values.max() - values.min()
    d = np.abs(values[:, None] - values[None, :]) / spread if spread > 0 else np.zeros((len(values),) * 2)
    return {A.CONGRUENCE: 1.0 - d, A.CONFLICT: d, A.SUBTRACT: 1.0 - 2.0 * d}[aggregation]


def one_mode_matrix(
    plan: Plan,
    node: np.ndarray,
    target: np.ndarray,
    level: np.ndarray,
    n: int,
    t: int,
    weights: np.ndarray | None,
) -> sp.csr_array:
    import scipy.sparse as sp

    opts = plan.options
    nl = len(plan.levels)
    w = np.ones(len(node)) if weights is None else weights
    root = w if weights is None else np.sqrt(w)  # a pair of statements weighs sqrt(z z') (DNA's kernels)
    x = None
    if opts.aggregation is not A.IGNORE or opts.normalization is N.JACCARD:
        x = _csr(root, node, level * t + target, (n, nl * t))  # actors x (levels x targets)
    if opts.aggregation is A.IGNORE:
        vectors = _csr(root, node, target, (n, t))
        result = vectors @ vectors.T
    elif opts.qualifier is QualifierKind.CATEGORICAL:
        vectors = x
        result = sp.csr_array((n, n))
        if opts.aggregation in (A.CONGRUENCE, A.SUBTRACT):
            result = x @ x.T
        if opts.aggregation in (A.CONFLICT, A.SUBTRACT):  # statements the other actor does not match
            present = x.copy()
            present.data[:] = 1.0
            p = (x @ present.T).toarray()
            a = np.asarray(x.sum(axis=1)).ravel()
            conflict = sp.csr_array(a[:, None] + a[None, :] - p - p.T)
            result = result - conflict if opts.aggregation is A.SUBTRACT else conflict
    else:
        vectors = x
        m = _level_weights(plan.levels, opts.aggregation)
        if np.array_equal(m, np.eye(nl)):
            result = x @ x.T
        else:
            k = sp.csr_array(sp.kron(sp.csr_array(m), sp.identity(t, format="csr"), format="csr"))
            k.eliminate_zeros()
            result = x @ (x @ k).T
    result = _finish_one_mode(result)
    if opts.normalization is N.NO:
        return result
    a = np.bincount(node, weights=w, minlength=n)
    if opts.normalization is N.AVERAGE:

        def denominator(r: np.ndarray, c: np.ndarray) -> np.ndarray:
            return (a[r] + a[c]) / 2.0
    elif opts.normalization is N.COSINE:

        def denominator(r: np.ndarray, c: np.ndarray) -> np.ndarray:
            return a[r] * a[c]
    elif opts.normalization is N.TEXTBOOK_COSINE:
        norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())

        def denominator(r: np.ndarray, c: np.ndarray) -> np.ndarray:
            return norms[r] * norms[c]
    else:  # Jaccard: m10 + m01 + m11 = a_i + a_i' - P - P^T + Q with P = X B^T, Q = X X^T
        present = x.copy()
        present.data[:] = 1.0
        p = x @ present.T
        shared = _gather(sp.csr_array(x @ x.T - p - p.T), result)
        offset = {"i": 0}

        def denominator(r: np.ndarray, c: np.ndarray) -> np.ndarray:
            lo = offset["i"]
            offset["i"] += len(r)
            return a[r] + a[c] + shared[lo : lo + len(r)]

    def divide(r: np.ndarray, c: np.ndarray, data: np.ndarray) -> None:
        den = denominator(r, c)
        data[:] = np.divide(data, den, out=np.zeros_like(data), where=den != 0)

    _by_row_blocks(result, divide)
    result.eliminate_zeros()
    return result


def two_mode_matrix(
    plan: Plan,
    node: np.ndarray,
    target: np.ndarray,
    level: np.ndarray,
    n: int,
    t: int,
    weights: np.ndarray | None,
) -> sp.csr_array:
    opts = plan.options
    nl = len(plan.levels)
    w = np.ones(len(node)) if weights is None else weights
    if opts.aggregation is A.IGNORE:
        data = w
    elif opts.aggregation is A.SUBTRACT:  # boolean: agree - disagree; integer: sum of value * count
        boolean = opts.qualifier is QualifierKind.BOOLEAN
        values = np.array([-1.0, 1.0]) if boolean else np.asarray(plan.levels, dtype=float)
        data = w * values[level]
    else:  # combine: DNA's lexical rank of the levels present in the cell
        if nl > 52:
            raise ValueError(f"aggregation='combine' codes at most 52 qualifier levels; the data have {nl}")
        cells = np.unique((node.astype(np.int64) * t + target) * nl + level)
        node, rest = np.divmod(cells, t * nl)
        target, level = np.divmod(rest, nl)
        data = 2.0 ** (nl - 1 - level)
    y = _csr(data, node, target, (n, t))
    y.eliminate_zeros()
    if opts.normalization is not N.NO:
        use_rows = opts.normalization is N.ACTIVITY
        totals = np.bincount(node if use_rows else target, weights=w, minlength=n if use_rows else t)

        def divide(r: np.ndarray, c: np.ndarray, values: np.ndarray) -> None:
            den = totals[r] if use_rows else totals[c]
            values[:] = np.divide(values, den, out=np.zeros_like(values), where=den != 0)

        _by_row_blocks(y, divide)
        y.eliminate_zeros()
    return y

"""Discourse networks from coded statements, as the Discourse Network Analyzer (DNA) defines them.

Let x[i, j, k] count the statements (after filters and duplicate removal) of actor i on target j with
qualifier level k, and a_i = sum_jk x[i, j, k] the activity of i. A **two-mode** network is the actor x
target matrix y[i, j]; a **one-mode** network is the actor x actor matrix of ties through shared targets
(zero diagonal, symmetric). Every network is a sparse matrix product: with X the actors x (levels x
targets) count matrix, w = X K X^T where K = M (x) I_targets and M[k, k'] weighs a pair of levels
(1 - d for congruence, d for conflict, 1 - 2d for subtract, d(k, k') = |k - k'| / R with R the range of
the levels). Nothing is projected node by node.

The definitions and option names follow DNA and rDNA; where DNA silently replaces an invalid option
combination we raise :class:`ValueError` naming the valid ones, and duplicates by week or month compare
the ISO year with the ISO week and the year with the month (DNA compares only the week or month number
and merges January 2020 with January 2021).

References
----------
Leifeld, P. (2017). Discourse network analysis: policy debates as dynamic networks. In J. N. Victor,
A. H. Montgomery and M. Lubell (eds.), *The Oxford Handbook of Political Networks*, 301-325.
Leifeld, P. et al. Discourse Network Analyzer manual, https://github.com/leifeld/dna (network export).
"""

from __future__ import annotations

__all__ = [
    "Aggregation",
    "Normalization",
    "Duplicates",
    "QualifierKind",
    "NetworkOptions",
    "Network",
    "one_mode",
    "two_mode",
]

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from stancegraph.graph.analysis.statements_table import Duplicates, QualifierKind, Statements
from stancegraph.graph.readwrite.csv_cells import spreadsheet_safe

if TYPE_CHECKING:  # scipy and networkx are imported where they are used (import stays light)
    import networkx as nx
    import scipy.sparse as sp

ONE_MODE, TWO_MODE = "one-mode", "two-mode"


class Aggregation(StrEnum):
    """How the qualifier combines statements (DNA's ``qualifierAggregation``)."""

    IGNORE = "ignore"
    CONGRUENCE = "congruence"
    CONFLICT = "conflict"
    SUBTRACT = "subtract"
    COMBINE = "combine"


class Normalization(StrEnum):
    """Edge weight normalisation. ``COSINE`` is DNA's (divide by a_i * a_i'); ``TEXTBOOK_COSINE`` divides
    by the product of the Euclidean norms of the two actors' count vectors."""

    NO = "no"
    ACTIVITY = "activity"
    PROMINENCE = "prominence"
    AVERAGE = "average"
    JACCARD = "jaccard"
    COSINE = "cosine"
    TEXTBOOK_COSINE = "textbook-cosine"


A, N = Aggregation, Normalization
_VALID = {
    ONE_MODE: (
        (A.IGNORE, A.CONGRUENCE, A.CONFLICT, A.SUBTRACT),
        (N.NO, N.AVERAGE, N.JACCARD, N.COSINE, N.TEXTBOOK_COSINE),
    ),
    TWO_MODE: ((A.IGNORE, A.SUBTRACT, A.COMBINE), (N.NO, N.ACTIVITY, N.PROMINENCE)),
}
_FILTERS = ("actors", "persons", "targets", "sources", "documents")


def _names(members: Iterable[StrEnum]) -> str:
    return ", ".join(repr(m.value) for m in members)


def _choice(enum: type[StrEnum], value: Any, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise ValueError(f"{what}={value!r} is not known; valid: {_names(enum)}") from None


@dataclass(frozen=True)
class NetworkOptions:
    """The options a network was built with (resolved enums; filter lists sorted)."""

    mode: str
    aggregation: Aggregation
    normalization: Normalization
    qualifier: QualifierKind
    duplicates: Duplicates
    actor_variable: str
    isolates: bool
    start: dt.date | None
    end: dt.date | None
    exclude: tuple[tuple[str, tuple[str, ...], bool], ...] = ()  # (column, labels, invert)

    @classmethod
    def build(
        cls,
        statements: Statements,
        mode: str,
        *,
        aggregation: Any,
        normalization: Any,
        qualifier: Any = None,
        duplicates: Any = "include",
        actor_variable: str = "actor",
        isolates: bool = False,
        start: Any = None,
        end: Any = None,
        **filters: Any,
    ) -> NetworkOptions:
        """Resolve and check options for ``mode`` ('one-mode' or 'two-mode'); raise ValueError naming
        the valid choices for anything DNA would silently replace."""
        agg = _choice(Aggregation, aggregation, "aggregation")
        norm = _choice(Normalization, normalization, "normalization")
        kind = (
            statements.qualifier_kind if qualifier is None else _choice(QualifierKind, qualifier, "qualifier")
        )
        aggs, norms = _VALID[mode]
        if agg not in aggs:
            raise ValueError(
                f"aggregation={agg.value!r} is not defined for {mode} networks; valid: {_names(aggs)}"
            )
        if norm not in norms:
            raise ValueError(
                f"normalization={norm.value!r} is not defined for {mode} networks; valid: {_names(norms)}"
            )
        if kind is QualifierKind.NONE and agg is not A.IGNORE:
            raise ValueError(
                f"aggregation={agg.value!r} needs a qualifier, but qualifier='none'; "
                "valid with it: 'ignore' (or choose qualifier='boolean', 'integer', "
                "'categorical')"
            )
        if mode == TWO_MODE and kind is QualifierKind.CATEGORICAL and agg is A.SUBTRACT:
            raise ValueError(
                "aggregation='subtract' needs numeric qualifier levels, but "
                "qualifier='categorical'; valid for categorical two-mode networks: 'ignore', "
                "'combine'"
            )
        if agg is A.COMBINE and norm is not N.NO:
            raise ValueError(
                f"normalization={norm.value!r} cannot scale the codes of aggregation='combine'; "
                "valid with combine: 'no'"
            )
        if actor_variable not in ("actor", "person"):
            raise ValueError(f"actor_variable={actor_variable!r} is not known; valid: 'actor', 'person'")
        start = None if start is None else np.datetime64(start, "D").astype(dt.date)
        end = None if end is None else np.datetime64(end, "D").astype(dt.date)
        if start is not None and end is not None and start > end:
            raise ValueError(f"start={start} is after end={end}")
        exclude = []
        for name in _FILTERS:
            labels = filters.pop(f"exclude_{name}", ()) or ()
            invert = bool(filters.pop(f"invert_{name}", False))
            if isinstance(labels, str):
                labels = (labels,)
            if labels or invert:
                exclude.append((name[:-1], tuple(sorted(set(labels))), invert))
        if filters:
            valid = [f"{p}_{n}" for n in _FILTERS for p in ("exclude", "invert")]
            raise TypeError(f"unknown option(s) {sorted(filters)}; filter options are {', '.join(valid)}")
        return cls(
            mode,
            agg,
            norm,
            kind,
            _choice(Duplicates, duplicates, "duplicates"),
            actor_variable,
            bool(isolates),
            start,
            end,
            tuple(exclude),
        )


@dataclass(frozen=True, eq=False)
class Network:
    """A discourse network: a labelled sparse matrix.

    ``matrix`` is a :class:`scipy.sparse.csr_array` of float64 without stored zeros or duplicate
    entries, always sparse whatever its size (the column order within a row is deterministic but not
    necessarily sorted: call ``matrix.sort_indices()`` if you need it). Rows are ``row_labels`` and
    columns ``column_labels``, both sorted. One-mode networks are square and symmetric with a zero diagonal.
    ``levels`` are the qualifier levels in ascending order (the bits of two-mode ``combine`` codes:
    level k of L adds 2**(L-1-k), so a boolean cell is 1 agree, 2 disagree, 3 both); ``n_statements``
    counts the statements used after filters and duplicate removal.
    """

    matrix: sp.csr_array
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    options: NetworkOptions
    levels: tuple = ()
    n_statements: int = 0

    def to_dense(self) -> np.ndarray:
        """The matrix as a dense numpy array."""
        return self.matrix.toarray()

    def to_networkx(self, *, weight: str = "weight") -> nx.Graph:
        """An undirected :class:`networkx.Graph` with node attribute ``kind`` ('actor' or 'target').

        One-mode: actors only, no self-loops. Two-mode: bipartite, actors with ``bipartite=0`` and targets
        with ``bipartite=1``. Every label is a node (isolates included); each nonzero cell is an edge with
        its value (possibly negative) under ``weight``.

        Raises
        ------
        ValueError
            For a two-mode network in which an actor and a target share a label.
        """
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(self.row_labels, kind="actor")
        coo = self.matrix.tocoo()
        rows, cols = np.asarray(self.row_labels, dtype=object), np.asarray(self.column_labels, dtype=object)
        if self.options.mode == ONE_MODE:
            upper = coo.row < coo.col
            edges = zip(rows[coo.row[upper]], rows[coo.col[upper]], coo.data[upper].tolist(), strict=True)
        else:
            shared = sorted(set(self.row_labels) & set(self.column_labels))
            if shared:
                raise ValueError(
                    f"actors and targets share the label(s) {shared[:5]}; a bipartite graph "
                    "needs distinct node names: rename them in the statements"
                )
            nx.set_node_attributes(graph, 0, "bipartite")
            graph.add_nodes_from(self.column_labels, kind="target", bipartite=1)
            edges = zip(rows[coo.row], cols[coo.col], coo.data.tolist(), strict=True)
        graph.add_weighted_edges_from(edges, weight=weight)
        return graph

    def to_csv(self, out: str | Path | IO[str], *, delimiter: str = ",") -> None:
        """Write the labelled matrix: a header row (an empty cell, then the column labels), then one row
        per row label. Whole numbers are written as integers, others at full (round-trip) precision.

        A label that a spreadsheet would run as a formula (``=...``, ``+...``, ``-...``, ``@...``) is
        written with a leading ``'`` (:func:`~stancegraph.graph.readwrite.spreadsheet_safe`); the values,
        negative ones too, are written as they are."""
        if isinstance(out, str | Path):
            with open(out, "w", encoding="utf-8", newline="") as handle:
                self._write_csv(handle, delimiter)
        else:
            self._write_csv(out, delimiter)

    def _write_csv(self, handle: IO[str], delimiter: str) -> None:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(["", *(spreadsheet_safe(str(label)) for label in self.column_labels)])
        m = self.matrix
        for i, label in enumerate(self.row_labels):
            row = np.zeros(len(self.column_labels))
            row[m.indices[m.indptr[i] : m.indptr[i + 1]]] = m.data[m.indptr[i] : m.indptr[i + 1]]
            writer.writerow(
                [
                    spreadsheet_safe(str(label)),
                    *(str(int(v)) if v == int(v) else repr(v) for v in row.tolist()),
                ]
            )


# selection: filters, levels, duplicates --------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Plan:
    """Statements resolved for one set of options: codes per row, the universe (DNA's statements after
    the date range and the source/document filters) and the kept rows (after all filters and duplicates)."""

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


def _plan(statements: Statements, options: NetworkOptions) -> _Plan:
    dates = statements.date
    n = len(statements)
    universe = np.ones(n, dtype=bool)
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
    return _Plan(options, node, node_labels, target, target_labels, level, levels, dates, universe_rows, rows)


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


def _one_mode_matrix(
    plan: _Plan,
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


def _two_mode_matrix(
    plan: _Plan,
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


def _labels(codes: np.ndarray, labels: tuple) -> tuple[np.ndarray, tuple]:
    present = np.zeros(len(labels), dtype=bool)
    present[codes] = True
    return np.cumsum(present) - 1, tuple(lab for lab, p in zip(labels, present, strict=True) if p)


def _network(plan: _Plan, rows: np.ndarray, weights: np.ndarray | None = None) -> Network:
    """The network of the given kept rows (optionally weighted), labelled by the isolates rule."""
    import scipy.sparse as sp

    label_rows = plan.universe if plan.options.isolates else rows
    node_index, node_labels = _labels(plan.node[label_rows], plan.node_labels)
    target_index, target_labels = _labels(plan.target[label_rows], plan.target_labels)
    node, target, level = node_index[plan.node[rows]], target_index[plan.target[rows]], plan.level[rows]
    n, t = len(node_labels), len(target_labels)
    if len(rows) == 0:
        matrix = sp.csr_array((n, n if plan.options.mode == ONE_MODE else t))
        columns = node_labels if plan.options.mode == ONE_MODE else target_labels
        return Network(matrix, node_labels, columns, plan.options, plan.levels, 0)
    if plan.options.mode == ONE_MODE:
        matrix = _one_mode_matrix(plan, node, target, level, n, t, weights)
        columns = node_labels
    else:
        matrix = _two_mode_matrix(plan, node, target, level, n, t, weights)
        columns = target_labels
    used = len(rows) if weights is None else int(np.count_nonzero(weights))
    return Network(matrix, node_labels, columns, plan.options, plan.levels, used)


def one_mode(
    statements: Statements,
    *,
    aggregation: Aggregation | str = Aggregation.IGNORE,
    normalization: Normalization | str = Normalization.NO,
    qualifier: QualifierKind | str | None = None,
    duplicates: Duplicates | str = Duplicates.INCLUDE,
    actor_variable: str = "actor",
    isolates: bool = False,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    **filters: Any,
) -> Network:
    """The actor x actor network of ties through shared targets (DNA's one-mode network).

    With d(k, k') = |k - k'| / R (R the range of the levels observed in the date range; 1 for boolean):

    - ``ignore``: w[i,i'] = sum_j (sum_k x[i,j,k]) (sum_k x[i',j,k])
    - ``congruence``: sum_j sum_kk' x[i,j,k] x[i',j,k'] (1 - d(k,k')) (boolean: co-agreement plus
      co-disagreement); categorical: sum_jk x[i,j,k] x[i',j,k]
    - ``conflict``: sum_j sum_kk' x[i,j,k] x[i',j,k'] d(k,k'); categorical (as DNA):
      sum_jk x[i,j,k] [x[i',j,k] = 0] + x[i',j,k] [x[i,j,k] = 0], which also counts targets only one of
      the two actors spoke about, so every pair of active actors gets a tie (a dense matrix)
    - ``subtract``: congruence - conflict

    Normalisation divides by N (0 where N = 0): ``average`` (a_i + a_i') / 2; ``jaccard``
    sum_jk x[i,j,k][x[i',j,k]=0] + x[i',j,k][x[i,j,k]=0] + sum over cells where both are positive of
    x[i,j,k] x[i',j,k]; ``cosine`` (DNA's) a_i a_i'; ``textbook-cosine`` ||v_i|| ||v_i'||, the Euclidean
    norms of the count vectors the product uses (per target for ``ignore``, per target and level
    otherwise), so ``ignore`` and boolean ``congruence`` give the usual cosine similarity.
    The diagonal is zero and the matrix symmetric.

    Parameters
    ----------
    statements : Statements
        The coded statements.
    aggregation : {'ignore', 'congruence', 'conflict', 'subtract'}
    normalization : {'no', 'average', 'jaccard', 'cosine', 'textbook-cosine'}
    qualifier : {'boolean', 'integer', 'categorical', 'none'}, optional
        How to read the qualifier; default the data's own kind (:attr:`Statements.qualifier_kind`).
        Statements without a value of this kind (neutral under boolean) are left out.
    duplicates : {'include', 'document', 'week', 'month', 'year', 'acrossrange'}
        Identical statements (same actor, target and, unless ``aggregation='ignore'``, qualifier level)
        count once per document, ISO week (ISO year + week), calendar month (year + month), year, or over
        the whole range; the first by date and then statement id is kept.
    actor_variable : {'actor', 'person'}
        Rows are the actors (organisations) or the persons who voiced the statements.
    isolates : bool
        If true, every actor and target of the data set (the statements in the date range that pass the
        source and document filters, as DNA's "isolates") is a row/column, active or not; otherwise only
        those left after all filters.
    start, end : date or ISO str, optional
        Keep statements dated within [start, end] (both inclusive).
    **filters
        ``exclude_actors``, ``exclude_persons``, ``exclude_targets``, ``exclude_sources``,
        ``exclude_documents``: labels to leave out; ``invert_actors`` ... ``invert_documents``: keep only
        the listed labels instead.

    Returns
    -------
    Network

    Raises
    ------
    ValueError
        For an option combination DNA would silently change (naming the valid choices), or a qualifier
        value that does not fit the chosen kind.

    References
    ----------
    Leifeld (2017), section "Network export"; the DNA manual, one-mode networks and normalisation.

    Examples
    --------
    >>> st = Statements.from_records([
    ...     {"actor": "A", "target": "p1", "stance": "endorses"},
    ...     {"actor": "B", "target": "p1", "stance": "endorses"},
    ...     {"actor": "C", "target": "p1", "stance": "rejects"},
    ... ])
    >>> one_mode(st, aggregation="congruence").to_dense()
    array([[0., 1., 0.],
           [1., 0., 0.],
           [0., 0., 0.]])
    >>> one_mode(st, aggregation="conflict").to_dense()[0]
    array([0., 0., 1.])
    """
    options = NetworkOptions.build(
        statements,
        ONE_MODE,
        aggregation=aggregation,
        normalization=normalization,
        qualifier=qualifier,
        duplicates=duplicates,
        actor_variable=actor_variable,
        isolates=isolates,
        start=start,
        end=end,
        **filters,
    )
    plan = _plan(statements, options)
    return _network(plan, plan.kept)


def two_mode(
    statements: Statements,
    *,
    aggregation: Aggregation | str = Aggregation.IGNORE,
    normalization: Normalization | str = Normalization.NO,
    qualifier: QualifierKind | str | None = None,
    duplicates: Duplicates | str = Duplicates.INCLUDE,
    actor_variable: str = "actor",
    isolates: bool = False,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    **filters: Any,
) -> Network:
    """The actor x target network (DNA's two-mode network).

    - ``ignore``: y[i,j] = sum_k x[i,j,k]
    - ``subtract``: boolean x[i,j,1] - x[i,j,0]; integer sum_k k x[i,j,k] (not for categorical)
    - ``combine``: a code per cell, DNA's lexical rank of the levels present: level k of L (ascending)
      adds 2**(L-1-k), so boolean cells are 0 none, 1 only agree, 2 only disagree, 3 both

    Normalisation: ``activity`` divides each row by the actor's number of statements, ``prominence``
    each column by the target's; ``combine`` codes are categories and take neither.

    Parameters
    ----------
    statements : Statements
    aggregation : {'ignore', 'subtract', 'combine'}
    normalization : {'no', 'activity', 'prominence'}

    Other Parameters
    ----------------
    qualifier, duplicates, actor_variable, isolates, start, end, **filters
        As in :func:`one_mode`.

    Returns
    -------
    Network

    Raises
    ------
    ValueError
        For an invalid option combination, naming the valid choices.

    References
    ----------
    Leifeld (2017); the DNA manual, two-mode networks.

    Examples
    --------
    >>> st = Statements.from_records([
    ...     {"actor": "A", "target": "p1", "stance": "endorses"},
    ...     {"actor": "A", "target": "p1", "stance": "rejects"},
    ...     {"actor": "A", "target": "p2", "stance": "rejects"},
    ... ])
    >>> two_mode(st, aggregation="combine").to_dense()
    array([[3., 2.]])
    """
    options = NetworkOptions.build(
        statements,
        TWO_MODE,
        aggregation=aggregation,
        normalization=normalization,
        qualifier=qualifier,
        duplicates=duplicates,
        actor_variable=actor_variable,
        isolates=isolates,
        start=start,
        end=end,
        **filters,
    )
    plan = _plan(statements, options)
    return _network(plan, plan.kept)

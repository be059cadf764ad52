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
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from stancegraph.graph.analysis.network_matrices import (
    Plan,
    one_mode_matrix,
    plan_statements,
    two_mode_matrix,
)
from stancegraph.graph.analysis.network_options import (
    ONE_MODE,
    TWO_MODE,
    Aggregation,
    Contested,
    NetworkOptions,
    Normalization,
)
from stancegraph.graph.analysis.statements_table import Duplicates, QualifierKind, Statements
from stancegraph.graph.readwrite.csv_cells import spreadsheet_safe

if TYPE_CHECKING:  # scipy and networkx are imported where they are used (import stays light)
    import networkx as nx
    import scipy.sparse as sp


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


def _labels(codes: np.ndarray, labels: tuple) -> tuple[np.ndarray, tuple]:
    present = np.zeros(len(labels), dtype=bool)
    present[codes] = True
    return np.cumsum(present) - 1, tuple(lab for lab, p in zip(labels, present, strict=True) if p)


def network_from_plan(plan: Plan, rows: np.ndarray, weights: np.ndarray | None = None) -> Network:
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
        matrix = one_mode_matrix(plan, node, target, level, n, t, weights)
        columns = node_labels
    else:
        matrix = two_mode_matrix(plan, node, target, level, n, t, weights)
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
    contested: Contested | str = Contested.INCLUDE,
    min_confidence: float = 0.0,
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
    contested : {'include', 'exclude', 'only'}, default 'include'
        Which statements count by their ``contested`` column: all (a denied stance is not in the
        statements of a store at all), only the undisputed ones, or only the contested ones
        (:func:`~stancegraph.graph.analysis.network_options.stance_mask`). Like the date range, it
        decides what the data set is, for ``isolates`` too.
    min_confidence : float in [0, 1], default 0.0
        Only statements whose ``confidence`` is at least this; one without a recorded confidence
        (unknown) counts only at 0.
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
        contested=contested,
        min_confidence=min_confidence,
        **filters,
    )
    plan = plan_statements(statements, options)
    return network_from_plan(plan, plan.kept)


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
    contested: Contested | str = Contested.INCLUDE,
    min_confidence: float = 0.0,
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
    qualifier, duplicates, actor_variable, isolates, start, end, contested, min_confidence, **filters
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
        contested=contested,
        min_confidence=min_confidence,
        **filters,
    )
    plan = plan_statements(statements, options)
    return network_from_plan(plan, plan.kept)

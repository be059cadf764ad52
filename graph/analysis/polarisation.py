"""Leifeld's polarisation score: how well a split of the actors into camps explains the discourse.

This is the score of the Discourse Network Analyzer (DNA) as its current code computes it (the
``qualityAbsdiff`` fitness of ``dna/src/main/java/dna/export/Polarization.java``, leifeld/dna commits
f096e878 and aa7b1600, called by rDNA's ``dna_polarization``; rDNA 3.x). Read, not copied.

Input: the congruence network C and the conflict network F, both one-mode with ``average``
normalisation and a zero diagonal. For a partition of the N actors into K clusters of sizes n_c:
W = sum_c n_c (n_c - 1) ordered within-cluster pairs, B = N (N - 1) - W, ||.||_1 the sum of absolute
cell values, expected within-cluster congruence E_c = (n_c (n_c - 1) / W) ||C||_1 / W and expected
between-cluster conflict E_ij = (n_c(i) n_c(j) / B) ||F||_1 / B. Then

    absdiff = sum over ordered pairs i != j in one cluster of |c_ij - E_c| + |f_ij|
            + sum over ordered pairs in different clusters of |c_ij| + |f_ij - E_ij|

and Q = absdiff / (2 (||C||_1 + ||F||_1)), in [0, 1] (DNA's ``normalizeScores``), or absdiff / 2.
The score reported is the largest Q found. DNA only ever visits balanced partitions (cluster sizes
differ by at most one): its genetic algorithm starts from random balanced splits, rebalances every
child and mutates by swapping two actors' clusters; its greedy algorithm swaps pairs from one random
balanced split. ``balanced=True`` (the default) does the same; ``balanced=False`` searches every
partition into K non-empty groups, as networks.md states (docs/networks-corrections.md). All partitions
are searched for small N, a seeded greedy search (DNA's swaps, restarted) otherwise.

Notes
-----
The measure counts deviation from the null expectation in either direction. So a split that puts
opponents together scores high too (its |f_ij| within and |c_ij| between terms are large): on a
perfectly polarised network of four actors (A, B against C, D; every tie 1) the camps score 1/4 and the
mixed splits {A, C} {B, D} and {A, D} {B, C} 7/12, in DNA as here, and the reported partition is a mixed
one. A single actor with no tie in a window still counts in N, W and B; DNA's time-window networks keep
only the actors with statements in the window (except with the gaussian kernel), and give score 0 and no
partition to a window with no more actors than clusters or without ties
(:func:`polarisation_over_time` does the same). Earlier DNA revisions differ: the first
``Polarisation.java`` also offered modularity and the E-I index, and one later revision (commit
0f41fd2a) kept only the |c_ij - E_c| and |f_ij - E_ij| terms and divided by ||C||_1 + ||F||_1.

References
----------
Leifeld, P. (2017). Discourse network analysis: policy debates as dynamic networks. In *The Oxford
Handbook of Political Networks*, 301-325. DNA / rDNA source, github.com/leifeld/dna (files above).
"""

from __future__ import annotations

__all__ = [
    "Polarisation",
    "PolarisationWindow",
    "polarisation",
    "polarisation_score",
    "polarisation_over_time",
]

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from stancegraph.graph.analysis.networks import ONE_MODE, Network, one_mode
from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.analysis.windows import time_windows

_CELLS_PER_BATCH = 1 << 22


@dataclass(frozen=True)
class Polarisation:
    """The best partition found: its score, the cluster (0..k-1) of each actor, and how it was found.

    Clusters are numbered in order of their first member in sorted label order.
    """

    score: float
    partition: Mapping[str, int]
    method: str
    k: int
    normalised: bool = True

    @property
    def clusters(self) -> tuple[tuple[str, ...], ...]:
        """The actors of each cluster, sorted."""
        groups: list[list[str]] = [[] for _ in range(self.k)]
        for label, cluster in sorted(self.partition.items()):
            groups[cluster].append(label)
        return tuple(tuple(g) for g in groups)


@dataclass(frozen=True)
class PolarisationWindow:
    """Polarisation of one time slice."""

    mid: dt.date
    start: dt.date
    end: dt.date
    result: Polarisation


def _scores(c: np.ndarray, f: np.ndarray, members: np.ndarray, k: int, normalise: bool) -> np.ndarray:
    """Q for each row of ``members`` (partitions as cluster numbers, shape P x N)."""
    p, n = members.shape
    c_norm, f_norm = np.abs(c).sum(), np.abs(f).sum()
    sizes = np.stack([(members == g).sum(axis=1) for g in range(k)], axis=1).astype(float)
    within = (sizes * (sizes - 1)).sum(axis=1)
    between = n * (n - 1) - within
    safe_w, safe_b = np.where(within > 0, within, 1.0), np.where(between > 0, between, 1.0)
    e_c = sizes * (sizes - 1) / safe_w[:, None] * c_norm / safe_w[:, None]
    size_i = np.take_along_axis(sizes, members, axis=1)
    e_ij = size_i[:, :, None] * size_i[:, None, :] * (f_norm / safe_b**2)[:, None, None]
    same = members[:, :, None] == members[:, None, :]
    within_term = np.abs(c - np.take_along_axis(e_c, members, axis=1)[:, :, None]) + np.abs(f)
    total = np.where(same, within_term, np.abs(c) + np.abs(f - e_ij))
    total[:, np.arange(n), np.arange(n)] = 0.0
    absdiff = total.sum(axis=(1, 2))
    if not normalise:
        return absdiff / 2.0
    return absdiff / (2.0 * (c_norm + f_norm)) if c_norm + f_norm > 0 else np.zeros(p)


def _batched(c: np.ndarray, f: np.ndarray, members: np.ndarray, k: int, normalise: bool) -> np.ndarray:
    step = max(1, _CELLS_PER_BATCH // max(1, members.shape[1] ** 2))
    return np.concatenate(
        [_scores(c, f, members[i : i + step], k, normalise) for i in range(0, len(members), step)]
    )


def polarisation_score(
    congruence: Any, conflict: Any, membership: Sequence[int], *, normalise: bool = True
) -> float:
    """Q of one partition (``membership[i]`` is the cluster of row i) of dense or sparse C and F.

    Examples
    --------
    >>> c = np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]])
    >>> f = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0]])
    >>> polarisation_score(c, f, [0, 0, 1, 1]), round(polarisation_score(c, f, [0, 1, 0, 1]), 4)
    (0.25, 0.5833)
    """
    c, f = _dense(congruence), _dense(conflict)
    members = np.asarray(membership, dtype=np.int64)
    k = int(members.max()) + 1
    return float(_scores(c, f, members[None, :], k, normalise)[0])


def _dense(m: Any) -> np.ndarray:
    return np.asarray(m.toarray() if hasattr(m, "toarray") else m, dtype=float)


def _stirling2(n: int, k: int) -> int:
    row = [1] + [0] * k
    for i in range(1, n + 1):
        row = [0] + [j * row[j] + row[j - 1] for j in range(1, min(i, k) + 1)] + [0] * (k - min(i, k))
    return row[k]


def _set_partitions(n: int, k: int) -> np.ndarray:
    """Every partition of n items into exactly k non-empty groups, as restricted growth strings."""
    parts = np.zeros((1, 1), dtype=np.int8)
    top = np.zeros(1, dtype=np.int8)
    for position in range(1, n):
        left = n - position - 1
        grown, tops = [], []
        for g in range(k):
            new_top = np.maximum(top, g)
            ok = (g <= top + 1) & (k - 1 - new_top <= left)
            grown.append(np.column_stack([parts[ok], np.full(int(ok.sum()), g, dtype=np.int8)]))
            tops.append(new_top[ok])
        parts, top = np.concatenate(grown), np.concatenate(tops)
    return parts.astype(np.int64)


def _expected(sizes: np.ndarray, n: int, c_norm: float, f_norm: float) -> tuple[np.ndarray, np.ndarray]:
    """E_c per cluster and E_ij per pair of clusters for the given cluster sizes."""
    within = float((sizes * (sizes - 1)).sum())
    between = n * (n - 1) - within
    e_c = sizes * (sizes - 1) / within * c_norm / within if within > 0 else np.zeros(len(sizes))
    e_b = np.outer(sizes, sizes) / between * f_norm / between if between > 0 else np.zeros((len(sizes),) * 2)
    return e_c, e_b


def _pair_costs(
    c_col: np.ndarray, f_col: np.ndarray, g: int, h: np.ndarray, e_c: np.ndarray, e_b: np.ndarray
) -> np.ndarray:
    """Cost of pairs (l, x) with l in cluster g and x in clusters h (vectors over x)."""
    return np.where(h == g, np.abs(c_col - e_c[g]) + np.abs(f_col), np.abs(c_col) + np.abs(f_col - e_b[g, h]))


def _row_sums(
    c: np.ndarray, f: np.ndarray, m: np.ndarray, k: int, e_c: np.ndarray, e_b: np.ndarray
) -> np.ndarray:
    """S[i, g]: summed cost of i's pairs if i were in cluster g (others where they are)."""
    s = np.empty((len(m), k))
    for g in range(k):
        cost = _pair_costs(c, f, g, m[None, :], e_c, e_b)
        np.fill_diagonal(cost, 0.0)
        s[:, g] = cost.sum(axis=1)
    return s


def _greedy(
    c: np.ndarray, f: np.ndarray, k: int, normalise: bool, seed: Any, restarts: int, balanced: bool
) -> tuple[np.ndarray, float]:
    """DNA's greedy search: swap the clusters of two actors while that raises Q (cluster sizes stay
    fixed, so the expected values stay fixed and a swap is scored from row sums); unless ``balanced``,
    single actors are also moved between clusters. Restarted from random balanced partitions and, unless
    ``balanced``, from random partitions with one smaller cluster (its size spread over 1 .. N/k)."""
    rng = np.random.default_rng(seed)
    n = len(c)
    c_norm, f_norm = np.abs(c).sum(), np.abs(f).sum()
    best, best_q = np.arange(n) % k, -np.inf
    smallest = np.unique(np.linspace(1, n // k, num=max(restarts, 1)).round().astype(int))
    for restart in range(restarts):
        m = rng.permutation(np.arange(n) % k)
        if not balanced and restart % 2:  # also start from a small cluster 0, the rest balanced
            size = int(smallest[(restart // 2) % len(smallest)])
            m = rng.permutation(
                np.concatenate([np.zeros(size, dtype=np.int64), 1 + np.arange(n - size) % (k - 1)])
            )
        changed = True
        while changed:
            changed = False
            e_c, e_b = _expected(np.bincount(m, minlength=k).astype(float), n, c_norm, f_norm)
            s = _row_sums(c, f, m, k, e_c, e_b)
            for i in rng.permutation(n):
                a = m[i]
                others = np.flatnonzero(m != a)
                if len(others) == 0:
                    continue
                b = m[others]
                gain = (
                    s[i, b]
                    - s[i, a]
                    + s[others, a]
                    - s[others, b]
                    + 2 * (np.abs(c[i, others]) + np.abs(f[i, others] - e_b[a, b]))
                    - (np.abs(c[i, others] - e_c[b]) + np.abs(f[i, others]))
                    - (np.abs(c[i, others] - e_c[a]) + np.abs(f[i, others]))
                )
                best_j = int(np.argmax(gain))
                if gain[best_j] > 1e-12:
                    j = int(others[best_j])
                    for who, old, new in ((i, a, m[j]), (j, m[j], a)):
                        for g in range(k):
                            s[:, g] += _pair_costs(
                                c[:, who], f[:, who], g, np.array(new), e_c, e_b
                            ) - _pair_costs(c[:, who], f[:, who], g, np.array(old), e_c, e_b)
                        s[who] -= [
                            (
                                _pair_costs(c[who, who], f[who, who], g, np.array(new), e_c, e_b)
                                - _pair_costs(c[who, who], f[who, who], g, np.array(old), e_c, e_b)
                            )
                            for g in range(k)
                        ]
                    m[i], m[j] = m[j], a
                    changed = True
            if not balanced:
                for i in rng.permutation(n):
                    if np.count_nonzero(m == m[i]) == 1:
                        continue  # moving i would empty its cluster
                    candidates = np.repeat(m[None, :], k, axis=0)
                    candidates[:, i] = np.arange(k)
                    qs = _scores(c, f, candidates, k, normalise)
                    if qs.max() > qs[m[i]] + 1e-12:
                        m = candidates[int(np.argmax(qs))]
                        changed = True
        q = _scores(c, f, m[None, :], k, normalise)[0]
        if q > best_q + 1e-12:
            best, best_q = m.copy(), q
    return best, float(best_q)


def _canonical(members: np.ndarray) -> np.ndarray:
    _, first = np.unique(members, return_index=True)
    order = np.argsort(first)
    relabel = np.empty(len(order), dtype=np.int64)
    relabel[np.unique(members)[order]] = np.arange(len(order))
    return relabel[members]


def polarisation(
    data: Statements | tuple[Network, Network],
    *,
    k: int = 2,
    exact_up_to: int = 20,
    seed: Any = None,
    normalise: bool = True,
    balanced: bool = True,
    restarts: int = 10,
    **network_options: Any,
) -> Polarisation:
    """The partition of the actors into ``k`` camps with the highest polarisation score Q.

    Parameters
    ----------
    data : Statements or (Network, Network)
        Statements (congruence and conflict networks are built with ``average`` normalisation and the
        given ``network_options``), or the two one-mode networks (congruence, conflict) with equal labels.
    k : int
        Number of clusters (>= 2, at most the number of actors).
    exact_up_to : int
        Search every partition when there are no more than as many as for a two-way split of
        ``exact_up_to`` actors (2**(exact_up_to - 1) - 1); otherwise search greedily.
    seed : int or numpy Generator, optional
        Seed of the greedy search (the exact search is deterministic).
    normalise : bool
        Divide by 2 (||C||_1 + ||F||_1) so that Q is in [0, 1].
    balanced : bool
        Search only partitions whose cluster sizes differ by at most one, as DNA's genetic and greedy
        algorithms do (they start from balanced splits and only swap actors): the default, so that scores
        compare with DNA's. ``False`` searches every partition into ``k`` non-empty groups.
    restarts : int
        Random starting partitions of the greedy search. Swaps are scored incrementally (O(N) each); the
        single-actor moves of an unbalanced search rescore the whole partition (O(N^3) per pass), so on
        one core 300 actors take about a second with ``balanced=True`` and some 40 seconds without.
    **network_options
        Passed to :func:`stancegraph.graph.analysis.networks.one_mode` (qualifier, duplicates, filters, ...).

    Returns
    -------
    Polarisation
        ``method`` is 'exact' or 'greedy-swap'.

    Examples
    --------
    >>> st = Statements.from_records(
    ...     [{"actor": a, "target": t, "stance": "endorses" if (a in "AB") == (t == "x") else "rejects"}
    ...      for a in "ABCD" for t in "xy"])
    >>> result = polarisation(st)  # A, B against C, D: a mixed split wins, as in DNA (module notes)
    >>> result.clusters, round(result.score, 4), result.method
    ((('A', 'C'), ('B', 'D')), 0.5833, 'exact')
    """
    if isinstance(data, Statements):
        for fixed in ("aggregation", "normalization"):
            if fixed in network_options:
                raise TypeError(f"polarisation builds its own networks; do not pass {fixed}=")
        congruence = one_mode(data, aggregation="congruence", normalization="average", **network_options)
        conflict = one_mode(data, aggregation="conflict", normalization="average", **network_options)
    else:
        congruence, conflict = data
        if congruence.options.mode != ONE_MODE or conflict.options.mode != ONE_MODE:
            raise ValueError("polarisation needs one-mode congruence and conflict networks")
        if congruence.row_labels != conflict.row_labels:
            raise ValueError(
                "the congruence and conflict networks have different actors; build both from "
                "the same statements and options"
            )
    labels = congruence.row_labels
    n = len(labels)
    if not isinstance(k, int) or k < 2 or k > n:
        raise ValueError(f"k={k!r} clusters: need 2 <= k <= the number of actors ({n})")
    c, f = _dense(congruence.matrix), _dense(conflict.matrix)
    if _stirling2(n, k) <= 2 ** (max(exact_up_to, 1) - 1) - 1:
        candidates = _set_partitions(n, k)
        if balanced:
            sizes = np.stack([(candidates == g).sum(axis=1) for g in range(k)], axis=1)
            candidates = candidates[sizes.max(axis=1) - sizes.min(axis=1) <= 1]
        candidates = candidates[np.lexsort(candidates.T[::-1])]  # ties: the first membership vector
        scores = _batched(c, f, candidates, k, normalise)
        best = int(np.argmax(scores))
        members, score, method = candidates[best], float(scores[best]), "exact"
    else:
        members, score = _greedy(c, f, k, normalise, seed, restarts, balanced)
        method = "greedy-swap"
    members = _canonical(members)
    partition = MappingProxyType({label: int(m) for label, m in zip(labels, members, strict=True)})
    return Polarisation(score, partition, method, k, normalise)


def polarisation_over_time(
    statements: Statements,
    *,
    size: int,
    unit: str = "days",
    kernel: str | None = None,
    k: int = 2,
    exact_up_to: int = 20,
    seed: Any = None,
    normalise: bool = True,
    balanced: bool = True,
    restarts: int = 10,
    isolates: bool | None = None,
    **options: Any,
) -> tuple[PolarisationWindow, ...]:
    """Polarisation per time window (see :func:`stancegraph.graph.analysis.windows.time_windows` for ``size``,
    ``unit``, ``kernel`` and the options).

    As in DNA, a window's actors are those with statements in it (``isolates=None``), except with the
    gaussian kernel, whose windows weigh every statement and keep every actor; pass ``isolates`` to
    choose. A window with no more actors than ``k``, or without any tie, scores 0 with an empty
    partition and method 'empty' (DNA reports 0 and no memberships there).

    Returns
    -------
    tuple of PolarisationWindow
        One per window, in time order.
    """
    for fixed in ("aggregation", "normalization", "mode"):
        if fixed in options:
            raise TypeError(f"polarisation_over_time builds its own networks; do not pass {fixed}=")
    if isolates is None:
        isolates = kernel == "gaussian"
    cong = time_windows(
        statements,
        size=size,
        unit=unit,
        kernel=kernel,
        aggregation="congruence",
        normalization="average",
        isolates=isolates,
        **options,
    )
    conf = time_windows(
        statements,
        size=size,
        unit=unit,
        kernel=kernel,
        aggregation="conflict",
        normalization="average",
        isolates=isolates,
        **options,
    )
    out = []
    for a, b in zip(cong, conf, strict=True):
        ties = abs(a.network.matrix).sum() + abs(b.network.matrix).sum()
        if len(a.network.row_labels) <= k or ties == 0:
            result = Polarisation(0.0, MappingProxyType({}), "empty", k, normalise)
        else:
            result = polarisation(
                (a.network, b.network),
                k=k,
                exact_up_to=exact_up_to,
                seed=seed,
                normalise=normalise,
                balanced=balanced,
                restarts=restarts,
            )
        out.append(PolarisationWindow(a.mid, a.start, a.end, result))
    return tuple(out)

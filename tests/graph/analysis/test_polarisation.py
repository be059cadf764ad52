"""Leifeld's polarisation score as DNA computes it (Polarization.java, qualityAbsdiff): hand-computed values,
balanced and unrestricted exact search, the greedy search, time windows."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from stancegraph.graph.analysis.networks import one_mode
from stancegraph.graph.analysis.polarisation import (
    _greedy,
    _scores,
    _set_partitions,
    _stirling2,
    polarisation,
    polarisation_over_time,
    polarisation_score,
)
from stancegraph.graph.analysis.statements_table import Statements

# Four actors, perfectly polarised: A and B agree with each other, so do C and D, every cross pair
# disagrees (average-normalised congruence and conflict are 1 on those ties).
C_POL = np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=float)
F_POL = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0]], dtype=float)
# ||C||_1 = 4, ||F||_1 = 8, so Q = absdiff / 24.
#
# {A, B} {C, D}: W = 2 + 2 = 4, B = 12 - 4 = 8, E_c = (2/4) * 4/4 = 0.5, E_ij = (4/8) * 8/8 = 0.5.
#   within (4 ordered pairs): |1 - 0.5| + |0| = 0.5 -> 2; between (8): |0| + |1 - 0.5| = 0.5 -> 4.
#   absdiff 6, Q = 6/24 = 0.25.
# {A, C} {B, D}: within pairs AC, BD: |0 - 0.5| + |1| = 1.5 -> 4 x 1.5 = 6;
#   between AB and CD: |1| + |0 - 0.5| = 1.5, AD and CB: |0| + |1 - 0.5| = 0.5
#     -> 2 x (1.5 + 0.5 + 0.5 + 1.5) = 8.
#   absdiff 14, Q = 14/24 = 7/12 (the same for {A, D} {B, C}).
# {A} {B, C, D}: W = 6, B = 6, E_c = (6/6) * 4/6 = 2/3, E_ij = (3/6) * 8/6 = 2/3.
#   within BC, BD: 2/3 + 1 each, CD: 1/3 -> 2 x (5/3 + 5/3 + 1/3) = 22/3;
#   between AB: 1 + 2/3, AC and AD: 1/3 each -> 2 x 7/3 = 14/3. absdiff 12, Q = 1/2
#   (also for B, C or D alone).
POLARISED = {
    (0, 0, 1, 1): 6 / 24,
    (0, 1, 0, 1): 14 / 24,
    (0, 1, 1, 0): 14 / 24,
    (0, 1, 1, 1): 12 / 24,
    (0, 1, 0, 0): 12 / 24,
    (0, 0, 1, 0): 12 / 24,
    (0, 0, 0, 1): 12 / 24,
}

# Consensus among the same four actors: every congruence tie 1, no conflict. ||C||_1 = 12, ||F||_1 = 0.
# 2 + 2: E_c = (2/4) * 12/4 = 1.5: within 4 x |1 - 1.5| = 2, between 8 x (|1| + 0) = 8, Q = 10/24 = 5/12.
# 1 + 3: E_c = (6/6) * 12/6 = 2: within 6 x 1 = 6, between 6 x 1 = 6, Q = 12/24 = 1/2.
C_CON = np.ones((4, 4)) - np.eye(4)
F_CON = np.zeros((4, 4))


@pytest.mark.parametrize(("membership", "expected"), list(POLARISED.items()))
def test_score_of_each_split_by_hand(membership, expected):
    assert polarisation_score(C_POL, F_POL, membership) == pytest.approx(expected)
    # unnormalised: absdiff / 2
    assert polarisation_score(C_POL, F_POL, membership, normalise=False) == pytest.approx(expected * 24 / 2)


def networks_of(records):
    stm = Statements.from_records(records)
    return (
        one_mode(stm, aggregation="congruence", normalization="average"),
        one_mode(stm, aggregation="conflict", normalization="average"),
    )


def camps():
    """A, B endorse x and reject y; C, D the opposite: the matrices C_POL and F_POL above."""
    return [
        {"actor": a, "target": t, "stance": "endorses" if (a in "AB") == (t == "x") else "rejects"}
        for a in "ABCD"
        for t in "xy"
    ]


def test_statements_give_the_hand_matrices_and_dna_picks_a_mixed_split():
    cong, conf = networks_of(camps())
    np.testing.assert_array_equal(cong.to_dense(), C_POL)
    np.testing.assert_array_equal(conf.to_dense(), F_POL)
    result = polarisation(Statements.from_records(camps()))
    # DNA searches the balanced splits only: (0, 0, 1, 1) 1/4, (0, 1, 0, 1) and (0, 1, 1, 0) 7/12. The
    # deviation is absolute, so the true camps are NOT the maximum; ties go to the first vector (0, 1, 0, 1).
    assert result.method == "exact"
    assert result.score == pytest.approx(7 / 12)
    assert dict(result.partition) == {"A": 0, "B": 1, "C": 0, "D": 1}
    assert result.clusters == (("A", "C"), ("B", "D"))
    assert polarisation_score(C_POL, F_POL, [0, 0, 1, 1]) < result.score
    # Every partition (1 + 3 splits at 1/2 included): still 7/12.
    assert polarisation(Statements.from_records(camps()), balanced=False).score == pytest.approx(7 / 12)


def test_a_perfectly_split_data_set_scores_higher_than_a_consensus_one():
    consensus = [{"actor": a, "target": t, "stance": "endorses"} for a in "ABCD" for t in "xy"]
    cong, conf = networks_of(consensus)
    np.testing.assert_array_equal(cong.to_dense(), C_CON)
    assert conf.matrix.nnz == 0
    low = polarisation((cong, conf))
    assert low.score == pytest.approx(5 / 12)  # balanced: only 2 + 2 splits
    assert sorted(len(c) for c in low.clusters) == [2, 2]
    high = polarisation(Statements.from_records(camps()))
    assert high.score == pytest.approx(7 / 12) and high.score > low.score
    # Unrestricted, the consensus network's best split is 1 + 3 (1/2), still below 7/12.
    assert polarisation((cong, conf), balanced=False).score == pytest.approx(1 / 2)


# An intermediate case: A-B and C-D agree (congruence 1), and only A-C and B-D disagree (conflict 1).
C_MID = C_POL
F_MID = np.array([[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]], dtype=float)
# ||C||_1 = 4, ||F||_1 = 4, Q = absdiff / 16. All three 2 + 2 splits: W = 4, B = 8,
# E_c = (2/4) * 4/4 = 0.5, E_ij = (4/8) * 4/8 = 0.25.
# {A, B} {C, D}: within AB, CD: |1 - 0.5| + 0 -> 4 x 0.5 = 2; between AC, BD: 0 + |1 - 0.25| -> 4 x 0.75 = 3,
#   AD, BC: 0 + 0.25 -> 4 x 0.25 = 1. absdiff 6, Q = 3/8.
# {A, C} {B, D}: within AC, BD: 0.5 + 1 -> 4 x 1.5 = 6; between AB, CD: 1 + 0.25 -> 4 x 1.25 = 5,
#   AD, CB: 0.25 -> 1. absdiff 12, Q = 3/4.
# {A, D} {B, C}: within AD, BC: 0.5 + 0 -> 2; between AB, CD: 5; AC, BD: 0 + 0.75 -> 3. absdiff 10, Q = 5/8.
MID = {(0, 0, 1, 1): 6 / 16, (0, 1, 0, 1): 12 / 16, (0, 1, 1, 0): 10 / 16}


@pytest.mark.parametrize(("membership", "expected"), list(MID.items()))
def test_intermediate_case_by_hand(membership, expected):
    assert polarisation_score(C_MID, F_MID, membership) == pytest.approx(expected)
    assert polarisation_score(C_MID, F_MID, membership, normalise=False) == pytest.approx(expected * 8)


def test_intermediate_case_best_split():
    cong, conf = networks_of(camps())
    mid_conf = dataclasses.replace(conf, matrix=sp.csr_array(F_MID))  # same actors, conflict F_MID
    result = polarisation((cong, mid_conf))
    assert result.method == "exact"
    assert result.score == pytest.approx(3 / 4)
    assert result.clusters == (("A", "C"), ("B", "D"))


def test_score_is_invariant_to_relabelling_actors():
    rng = np.random.default_rng(5)
    for n, k in [(6, 2), (7, 3)]:
        c, f = random_pair(rng, n)
        members = np.arange(n) % k
        perm = rng.permutation(n)
        q = polarisation_score(c, f, members)
        moved = np.ix_(perm, perm)
        assert polarisation_score(c[moved], f[moved], members[perm]) == pytest.approx(q)
        relabelled = (members + 1) % k  # cluster numbers do not matter either
        assert polarisation_score(c, f, relabelled) == pytest.approx(q)
    stm = Statements.from_records(camps())
    renamed = Statements.from_records(
        [dict(r, actor={"A": "Z", "B": "Y", "C": "X", "D": "W"}[r["actor"]]) for r in camps()]
    )
    assert polarisation(renamed).score == pytest.approx(polarisation(stm).score)


def test_balanced_search_keeps_cluster_sizes_within_one():
    rng = np.random.default_rng(2)
    c, f = random_pair(rng, 7)
    parts = _set_partitions(7, 3)
    sizes = np.stack([(parts == g).sum(axis=1) for g in range(3)], axis=1)
    balanced = parts[sizes.max(axis=1) - sizes.min(axis=1) <= 1]
    assert len(balanced) == 105  # sizes 3, 2, 2: 7! / (3! 2! 2! 2!) = 105
    assert _scores(c, f, balanced, 3, True).max() <= _scores(c, f, parts, 3, True).max() + 1e-12


def test_partitions_are_enumerated_completely():
    for n, k in [(5, 2), (6, 3), (7, 4), (4, 4)]:
        parts = _set_partitions(n, k)
        assert len(parts) == _stirling2(n, k)
        assert len({tuple(p) for p in parts}) == len(parts)
        assert all(set(p) == set(range(k)) and p[0] == 0 for p in parts)


def random_pair(rng, n):
    c, f = rng.random((n, n)), rng.random((n, n))
    c, f = np.triu(c, 1) + np.triu(c, 1).T, np.triu(f, 1) + np.triu(f, 1).T
    return c, f


@pytest.mark.parametrize("balanced", [False, True])
def test_greedy_search_finds_the_exact_optimum_on_small_networks(balanced):
    rng = np.random.default_rng(7)
    for n, k in [(6, 2), (7, 2), (8, 2), (7, 3), (8, 3)]:
        c, f = random_pair(rng, n)
        parts = _set_partitions(n, k)
        if balanced:
            sizes = np.stack([(parts == g).sum(axis=1) for g in range(k)], axis=1)
            parts = parts[sizes.max(axis=1) - sizes.min(axis=1) <= 1]
        best = _scores(c, f, parts, k, True).max()
        members, q = _greedy(c, f, k, True, seed=3, restarts=10, balanced=balanced)
        assert q == pytest.approx(best)
        assert _scores(c, f, members[None, :], k, True)[0] == pytest.approx(q)


def test_heuristic_is_used_beyond_exact_up_to_and_is_seeded():
    records = [
        {"actor": f"a{i}", "target": t, "stance": "endorses" if (i < 6) == (t in "xy") else "rejects"}
        for i in range(12)
        for t in "xyzw"
        if (i + ord(t)) % 5
    ]
    stm = Statements.from_records(records)
    exact = polarisation(stm)  # S(12, 2) = 2047 partitions
    heuristic = polarisation(stm, exact_up_to=5, seed=11)
    again = polarisation(stm, exact_up_to=5, seed=11)
    assert (exact.method, heuristic.method) == ("exact", "greedy-swap")
    assert heuristic == again
    assert heuristic.score == pytest.approx(exact.score)


@settings(max_examples=60, deadline=None, database=None)
@given(n=st.integers(2, 7), k=st.integers(2, 4), seed=st.integers(0, 2**32 - 1))
def test_normalised_q_is_between_zero_and_one(n, k, seed):
    rng = np.random.default_rng(seed)
    c, f = random_pair(rng, n)
    c[rng.random((n, n)) < 0.4] = 0  # some missing ties
    f = np.minimum(f, f.T)
    members = rng.integers(0, k, size=(20, n))
    q = _scores(c, f, members, k, True)
    assert ((q >= -1e-12) & (q <= 1 + 1e-12)).all()


def test_invalid_requests_are_refused():
    with pytest.raises(ValueError, match="2 <= k"):
        polarisation(Statements.from_records(camps()), k=5)
    cong, _ = networks_of(camps())
    other, _ = networks_of(camps()[:4])
    with pytest.raises(ValueError, match="different actors"):
        polarisation((cong, other))
    with pytest.raises(TypeError, match="aggregation"):
        polarisation(Statements.from_records(camps()), aggregation="subtract")


def test_polarisation_per_time_window():
    # Days 1-4: the camps of the hand example; days 5-8: consensus.
    records = [dict(r, date=f"2025-11-0{d}") for d in (1, 2, 3, 4) for r in camps()]
    records += [
        {"actor": a, "target": t, "stance": "endorses", "date": f"2025-11-0{d}"}
        for d in (5, 6, 7, 8)
        for a in "ABCD"
        for t in "xy"
    ]
    series = polarisation_over_time(Statements.from_records(records), size=3)
    assert [w.mid.day for w in series] == list(range(2, 8))
    assert series[0].result.score == pytest.approx(7 / 12)  # days 1-3: the camps (mixed split wins)
    assert series[-1].result.score == pytest.approx(5 / 12)  # days 6-8: consensus, balanced 2 + 2
    assert all(w.result.method == "exact" for w in series)


def test_time_windows_drop_inactive_actors_and_score_small_windows_zero():
    # Days 1-3: the camps; days 4-6: only A and B, who agree on x.
    records = [dict(r, date=f"2025-11-0{d}") for d in (1, 2, 3) for r in camps()]
    records += [
        {"actor": a, "target": "x", "stance": "endorses", "date": f"2025-11-0{d}"}
        for d in (4, 5, 6)
        for a in "AB"
    ]
    series = polarisation_over_time(Statements.from_records(records), size=3)
    assert [w.mid.day for w in series] == [2, 3, 4, 5]
    last = series[-1].result  # days 4-6: two actors, not more than k = 2 -> DNA's 0, no partition
    assert (last.score, last.method, dict(last.partition)) == (0.0, "empty", {})
    # Keeping every actor instead: C = AB = BA = 1 only, ||C||_1 = 2, ||F||_1 = 0, Q = absdiff / 4.
    # {A, B} {C, D}: E_c = (2/4) * 2/4 = 0.25; within AB, BA 0.75 each, CD, DC 0.25 each -> 2; Q = 1/2.
    # {A, C} {B, D}: within AC, CA, BD, DB 0.25 each -> 1; between AB, BA 1 each -> 2; Q = 3/4
    # ({A, D} {B, C} too; ties go to the first vector).
    kept = polarisation_over_time(Statements.from_records(records), size=3, isolates=True)[-1].result
    assert kept.score == pytest.approx(3 / 4) and kept.clusters == (("A", "C"), ("B", "D"))

"""Moving time windows and kernel smoothing: window counts, bounds and weights checked by hand."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from stancegraph.graph.analysis.networks import one_mode
from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.analysis.windows import kernel_weight, shift_date, time_windows


def daily(days, actors=("A", "B"), stances=("endorses", "rejects"), month=11):
    """Each actor states its stance on target p every day of ``days`` (November 2025)."""
    return Statements.from_records(
        [
            {"actor": a, "target": "p", "stance": s, "date": dt.date(2025, month, d)}
            for d in days
            for a, s in zip(actors, stances, strict=True)
        ]
    )


def test_plain_windows_fit_inside_the_range_and_step_one_unit():
    st = daily(range(1, 11))  # 1..10 November
    # size 3: half-width round((3 - 1) / 2) = 1 day -> mid-points 2..9, each window 3 days: 8 windows.
    three = time_windows(st, size=3)
    assert [w.mid.day for w in three] == list(range(2, 10))
    assert [(w.start.day, w.end.day) for w in three][:2] == [(1, 3), (2, 4)]
    assert all(w.network.n_statements == 6 for w in three)  # 3 days x 2 actors
    # size 4: DNA rounds (4 - 1) / 2 = 1.5 up to 2 days each side -> mid-points 3..8: 6 windows of 5 days.
    four = time_windows(st, size=4)
    assert [(w.mid.day, w.start.day, w.end.day) for w in four][0] == (3, 1, 5)
    assert len(four) == 6
    # a window larger than the range: none
    assert time_windows(st, size=11) == ()


def test_plain_window_equals_the_network_of_its_date_range():
    st = Statements.from_records(
        [
            {"actor": a, "target": t, "stance": s, "date": dt.date(2025, 11, d)}
            for d, a, t, s in [
                (1, "A", "x", "endorses"),
                (2, "B", "x", "rejects"),
                (3, "C", "y", "endorses"),
                (4, "A", "y", "rejects"),
                (5, "B", "y", "rejects"),
                (6, "C", "x", "endorses"),
            ]
        ]
    )
    for w in time_windows(st, size=3, aggregation="subtract", isolates=False):
        plain = one_mode(st, aggregation="subtract", start=w.start, end=w.end)
        assert w.network.row_labels == plain.row_labels
        np.testing.assert_array_equal(w.network.to_dense(), plain.to_dense())


def test_isolates_fix_the_shape_across_windows():
    st = Statements.from_records(
        [
            {"actor": "A", "target": "x", "stance": "endorses", "date": "2025-11-01"},
            {"actor": "B", "target": "y", "stance": "endorses", "date": "2025-11-05"},
            {"actor": "C", "target": "x", "stance": "endorses", "date": "2025-11-09"},
        ]
    )
    fixed = time_windows(st, size=3, mode="two-mode")
    assert {(w.network.row_labels, w.network.column_labels) for w in fixed} == {(("A", "B", "C"), ("x", "y"))}
    free = time_windows(st, size=3, mode="two-mode", isolates=False)
    # size 3: mid-points 2..8 November, windows [1, 3], [2, 4], [3, 5] ...
    assert [w.network.row_labels for w in free][:5] == [("A",), (), ("B",), ("B",), ("B",)]


def test_months_keep_the_day_or_take_the_last_day_of_the_month():
    assert shift_date(dt.date(2020, 1, 31), "months", 1) == dt.date(2020, 2, 29)
    assert shift_date(dt.date(2021, 1, 31), "months", 1) == dt.date(2021, 2, 28)
    assert shift_date(dt.date(2020, 2, 29), "years", 1) == dt.date(2021, 2, 28)
    assert shift_date(dt.date(2020, 3, 31), "months", -13) == dt.date(2019, 2, 28)
    assert shift_date(dt.date(2020, 3, 3), "weeks", 2) == dt.date(2020, 3, 17)
    # 15 January to 15 June, size 3 months (one month each side): mid-points 15 February .. 15 May.
    st = Statements.from_records(
        [
            {"actor": "A", "target": "p", "stance": "endorses", "date": day}
            for day in ("2020-01-15", "2020-03-01", "2020-06-15")
        ]
    )
    windows = time_windows(st, size=3, unit="months", mode="two-mode")
    assert [w.mid for w in windows] == [dt.date(2020, m, 15) for m in (2, 3, 4, 5)]
    # [15 Jan, 15 Mar] holds 15 Jan and 1 Mar; [15 Feb, 15 Apr] 1 Mar; [15 Mar, 15 May] none; then 15 Jun
    assert [w.network.n_statements for w in windows] == [2, 1, 0, 1]


def test_duplicates_are_removed_before_the_windows_are_cut():
    # acrossrange keeps A's first statement (1 November) only, so the window of 5 November does not see A
    # (Z keeps the range open until 5 November).
    st = Statements.from_records(
        [
            {"actor": a, "target": t, "stance": "endorses", "date": d}
            for a, t, d in [("A", "x", "2025-11-01"), ("A", "x", "2025-11-05"), ("Z", "y", "2025-11-05")]
        ]
    )
    windows = time_windows(st, size=1, duplicates="acrossrange", mode="two-mode")
    assert [w.network.n_statements for w in windows] == [1, 0, 0, 0, 1]
    assert windows[-1].network.to_dense()[0].tolist() == [0, 0]  # A's row on 5 November


def test_kernel_weights_at_hand_checked_points():
    u = [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0]
    assert kernel_weight("uniform", u).tolist() == [0, 0.5, 0.5, 0.5, 0.5, 0.5]
    assert kernel_weight("epanechnikov", u).tolist() == [0, 0, 0.5625, 0.75, 0.5625, 0]  # 0.75 (1 - u^2)
    assert kernel_weight("triangular", u).tolist() == [0, 0, 0.5, 1, 0.5, 0]  # 1 - |u|
    gauss = kernel_weight("gaussian", [0.0, 1.0, 2.0])
    np.testing.assert_allclose(
        gauss,
        [
            1 / math.sqrt(2 * math.pi),
            math.exp(-0.5) / math.sqrt(2 * math.pi),
            math.exp(-2) / math.sqrt(2 * math.pi),
        ],
    )


def test_kernel_weighted_networks_by_hand():
    # Range 1..9 November (anchors Z on q); size 4 days -> half 2, mid-points 3..7.
    # A on 5 Nov, B on 6 Nov. At mid 5 Nov: u_A = 0, u_B = 2 (5 - 6) / 4 = -0.5.
    st = Statements.from_records(
        [{"actor": "Z", "target": "q", "stance": "endorses", "date": f"2025-11-0{d}"} for d in (1, 9)]
        + [
            {"actor": "A", "target": "p", "stance": "endorses", "date": "2025-11-05"},
            {"actor": "B", "target": "p", "stance": "rejects", "date": "2025-11-06"},
        ]
    )
    windows = time_windows(st, size=4, kernel="triangular", aggregation="conflict")
    assert [w.mid.day for w in windows] == [3, 4, 5, 6, 7]
    at5 = windows[2]
    assert (at5.start, at5.end) == (dt.date(2025, 11, 3), dt.date(2025, 11, 7))
    # triangular: z_A = 1, z_B = 0.5; a pair of statements weighs sqrt(z_A z_B) = sqrt(0.5)
    a, b = at5.network.row_labels.index("A"), at5.network.row_labels.index("B")
    assert at5.network.to_dense()[a, b] == pytest.approx(math.sqrt(0.5))
    # average normalisation divides by the mean kernel-weighted activity (1 + 0.5) / 2
    avg = time_windows(st, size=4, kernel="triangular", aggregation="conflict", normalization="average")[2]
    assert avg.network.to_dense()[a, b] == pytest.approx(math.sqrt(0.5) / 0.75)
    # two-mode cells sum the weights: A 1, B 0.5 on p (subtract: agree +, disagree -)
    two = time_windows(st, size=4, kernel="triangular", mode="two-mode", aggregation="subtract")[2].network
    p = two.column_labels.index("p")
    assert two.to_dense()[[a, b], p].tolist() == [1.0, -0.5]
    # gaussian weighs every statement of the range; the window reported is the whole range
    gauss = time_windows(st, size=4, kernel="gaussian", mode="two-mode")[2]
    assert (gauss.start, gauss.end) == (dt.date(2025, 11, 1), dt.date(2025, 11, 9))
    assert gauss.network.n_statements == 4


def test_uniform_kernel_with_average_normalisation_equals_the_plain_window():
    st = daily(range(1, 10), actors=("A", "B", "C"), stances=("endorses", "rejects", "endorses"))
    smooth = time_windows(st, size=4, kernel="uniform", aggregation="subtract", normalization="average")
    plain = time_windows(st, size=5, aggregation="subtract", normalization="average")  # also 2 days each side
    assert [w.mid for w in smooth] == [w.mid for w in plain]
    for s, p in zip(smooth, plain, strict=True):
        np.testing.assert_allclose(s.network.to_dense(), p.network.to_dense())


def test_whole_units_elapsed_are_counted_like_java_time():
    # Anchors on 15 Jan and 15 May 2020; size 4 months -> the only mid-point is 15 March.
    # A on 20 Jan: 1 month 24 days before the mid-point -> 1 whole month, u = 2 * 1 / 4 = 0.5,
    # epanechnikov 0.75 (1 - 0.25) = 0.5625. The anchors are 2 months away: u = 1, weight 0.
    dated = [("Z", "2020-01-15"), ("A", "2020-01-20"), ("Z", "2020-05-15")]
    st = Statements.from_records(
        [{"actor": a, "target": "x", "stance": "endorses", "date": d} for a, d in dated]
    )
    (w,) = time_windows(st, size=4, unit="months", kernel="epanechnikov", mode="two-mode")
    assert w.mid == dt.date(2020, 3, 15)
    assert w.network.to_dense()[w.network.row_labels.index("A"), 0] == pytest.approx(0.5625)
    assert w.network.n_statements == 1
    # weeks: 10 days before the mid-point is 1 whole week; size 6 -> u = 2 * 1 / 6, triangular 1 - 1/3
    dated = [("Z", "2020-03-01"), ("A", "2020-03-12"), ("Z", "2020-04-12")]
    st = Statements.from_records(
        [{"actor": a, "target": "x", "stance": "endorses", "date": d} for a, d in dated]
    )
    (w,) = time_windows(st, size=6, unit="weeks", kernel="triangular", mode="two-mode")
    assert w.mid == dt.date(2020, 3, 22)  # 1 March + 3 weeks; window 1 March .. 12 April
    assert w.network.to_dense()[w.network.row_labels.index("A"), 0] == pytest.approx(1 - 2 / 6)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"size": 3, "kernel": "uniform"}, "even size"),
        ({"size": 4, "kernel": "uniform", "normalization": "jaccard"}, "valid: 'no', 'average'"),
        (
            {"size": 4, "kernel": "uniform", "mode": "two-mode", "aggregation": "combine"},
            "valid with a kernel",
        ),
        ({"size": 0}, "size=0"),
        ({"size": 2, "unit": "fortnights"}, "valid: 'days', 'weeks', 'months', 'years'"),
        ({"size": 2, "mode": "three-mode"}, "valid: 'one-mode', 'two-mode'"),
        ({"size": 2, "kernel": "box"}, "valid: 'uniform'"),
    ],
)
def test_invalid_window_options_are_refused(options, message):
    with pytest.raises(ValueError) as err:
        time_windows(daily(range(1, 5)), **options)
    assert message in str(err.value)


def test_windows_need_dates():
    st = Statements.from_records([{"actor": "A", "target": "x", "stance": "endorses"}])
    with pytest.raises(ValueError, match="needs dates"):
        time_windows(st, size=1)

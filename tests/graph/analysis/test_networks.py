"""DNA's one-mode and two-mode networks: hand-computed cases, a loop-by-loop reference, properties."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stancegraph.graph.analysis.networks import (
    Aggregation,
    Duplicates,
    Network,
    Normalization,
    one_mode,
    two_mode,
)
from stancegraph.graph.analysis.statements_table import DEFAULT_INTEGER_SCALE, STANCE_BOOLEAN, Statements

R2 = math.sqrt(2)


def table(rows, **extra):
    """Statements from (actor, target, stance) triples or dicts."""
    records = [r if isinstance(r, dict) else {"actor": r[0], "target": r[1], "stance": r[2]} for r in rows]
    return Statements.from_records(records, **extra)


def dense(network: Network, labels=None):
    assert list(network.row_labels) == sorted(network.row_labels)
    assert list(network.column_labels) == sorted(network.column_labels)
    if labels is not None:
        assert network.row_labels == tuple(labels)
    return network.to_dense()


def sym(ab, ac, bc):
    """A symmetric 3 x 3 matrix with zero diagonal over the actors A, B, C."""
    return np.array([[0, ab, ac], [ab, 0, bc], [ac, bc, 0]], dtype=float)


# The boolean fixture. Counts x[i, j, k] (k = 1 agree, 0 disagree):
#   A: (x, 1) = 1, (y, 1) = 1   a_A = 2
#   B: (x, 1) = 1, (y, 0) = 1   a_B = 2
#   C: (x, 0) = 1               a_C = 1
BOOLEAN = [
    ("A", "x", "endorses"),
    ("A", "y", "concedes"),
    ("B", "x", "demands"),
    ("B", "y", "rejects"),
    ("C", "x", "rejects"),
]

# ignore: AB = x 1*1 + y 1*1 = 2; AC = x 1*1 = 1; BC = x 1*1 = 1.
# congruence: AB = x (both agree) = 1; AC = x (agree vs disagree) = 0; BC = 0.
# conflict: AB = y (agree vs disagree) = 1; AC = x = 1; BC = x = 1.  subtract = congruence - conflict.
RAW = {"ignore": (2, 1, 1), "congruence": (1, 0, 0), "conflict": (1, 1, 1), "subtract": (0, -1, -1)}
# N per pair (AB, AC, BC):
#   average (a_i + a_i')/2 = (2, 1.5, 1.5); cosine (DNA) a_i a_i' = (4, 2, 2);
#   jaccard over (target, level) cells: AB: m10 = A's (y,1) = 1, m01 = B's (y,0) = 1,
#     m11 = (x,1) 1*1 = 1 -> 3;
#     AC: m10 = A's (x,1) + (y,1) = 2, m01 = C's (x,0) = 1, m11 = 0 -> 3; BC likewise 2 + 1 = 3.
#   textbook cosine: norms of the count vectors, A = B = sqrt 2, C = 1 (per target for ignore: A (1, 1),
#     B (1, 1), C (1, 0); per target and level otherwise: two unit cells, two, one) -> (2, sqrt 2, sqrt 2).
NORM = {
    "no": (1, 1, 1),
    "average": (2, 1.5, 1.5),
    "cosine": (4, 2, 2),
    "jaccard": (3, 3, 3),
    "textbook-cosine": (2, R2, R2),
}


@pytest.mark.parametrize("normalization", list(NORM))
@pytest.mark.parametrize("aggregation", list(RAW))
def test_one_mode_boolean_by_hand(aggregation, normalization):
    net = one_mode(table(BOOLEAN), aggregation=aggregation, normalization=normalization)
    expected = sym(*(w / n for w, n in zip(RAW[aggregation], NORM[normalization], strict=True)))
    np.testing.assert_allclose(dense(net, "ABC"), expected, atol=1e-12)
    assert net.options.aggregation == Aggregation(aggregation)
    assert net.options.normalization == Normalization(normalization)


# Two-mode, rows A, B, C, columns x, y. Column totals: x 3 statements, y 2.
TWO = {
    ("ignore", "no"): [[1, 1], [1, 1], [1, 0]],
    ("ignore", "activity"): [[0.5, 0.5], [0.5, 0.5], [1, 0]],  # rows / (2, 2, 1)
    ("ignore", "prominence"): [[1 / 3, 0.5], [1 / 3, 0.5], [1 / 3, 0]],  # columns / (3, 2)
    ("subtract", "no"): [[1, 1], [1, -1], [-1, 0]],  # agree - disagree
    ("subtract", "activity"): [[0.5, 0.5], [0.5, -0.5], [-1, 0]],
    ("subtract", "prominence"): [[1 / 3, 0.5], [1 / 3, -0.5], [-1 / 3, 0]],
    ("combine", "no"): [[1, 1], [1, 2], [2, 0]],  # 1 only agree, 2 only disagree
}


@pytest.mark.parametrize(("aggregation", "normalization"), list(TWO))
def test_two_mode_boolean_by_hand(aggregation, normalization):
    net = two_mode(table(BOOLEAN), aggregation=aggregation, normalization=normalization)
    assert net.column_labels == ("x", "y")
    np.testing.assert_allclose(dense(net, "ABC"), TWO[aggregation, normalization], atol=1e-12)


def test_two_mode_combine_codes_both_levels_as_three():
    # A agrees and disagrees on x: levels (0, 1) present -> 2**1 + 2**0 = 3; only agree on y -> 1.
    net = two_mode(
        table([("A", "x", "endorses"), ("A", "x", "rejects"), ("A", "y", "endorses")]), aggregation="combine"
    )
    np.testing.assert_array_equal(net.to_dense(), [[3, 1]])
    assert net.levels == (0, 1)


# Integer fixture (default scale: endorses 2, neutral 0, rejects -1): A x 2, B x 0, C x -1.
# Levels (-1, 0, 2), range R = 3; d(2, 0) = 2/3, d(2, -1) = 1, d(0, -1) = 1/3.
INTEGER = [("A", "x", "endorses"), ("B", "x", "neutral"), ("C", "x", "rejects")]
INT_RAW = {
    "ignore": (1, 1, 1),
    "congruence": (1 / 3, 0, 2 / 3),
    "conflict": (2 / 3, 1, 1 / 3),
    "subtract": (-1 / 3, -1, 1 / 3),
}


@pytest.mark.parametrize("aggregation", list(INT_RAW))
def test_one_mode_integer_by_hand(aggregation):
    net = one_mode(table(INTEGER), aggregation=aggregation, qualifier="integer")
    np.testing.assert_allclose(dense(net, "ABC"), sym(*INT_RAW[aggregation]), atol=1e-12)
    # average: every actor has one statement, N = 1; jaccard: the actors never share a (target, level)
    # cell, N = 1 + 1 + 0 = 2.
    avg = one_mode(table(INTEGER), aggregation=aggregation, qualifier="integer", normalization="average")
    jac = one_mode(table(INTEGER), aggregation=aggregation, qualifier="integer", normalization="jaccard")
    np.testing.assert_allclose(avg.to_dense(), sym(*INT_RAW[aggregation]), atol=1e-12)
    np.testing.assert_allclose(jac.to_dense(), sym(*INT_RAW[aggregation]) / 2, atol=1e-12)


def test_two_mode_integer_subtract_and_combine_by_hand():
    st = table(INTEGER)
    # subtract: sum_k k x = 2, 0 (no tie), -1.
    np.testing.assert_array_equal(
        two_mode(st, aggregation="subtract", qualifier="integer").to_dense(), [[2], [0], [-1]]
    )
    # combine over levels (-1, 0, 2): 2 is the last level -> 2**0 = 1; 0 -> 2**1 = 2; -1 -> 2**2 = 4.
    net = two_mode(st, aggregation="combine", qualifier="integer")
    np.testing.assert_array_equal(net.to_dense(), [[1], [2], [4]])
    assert net.levels == (-1, 0, 2)


def test_integer_scale_can_be_replaced():
    st = table(INTEGER, scale={"endorses": 5, "neutral": 0, "rejects": -5})
    # levels (-5, 0, 5), R = 10: congruence AB = 1 - 5/10 = 0.5, AC = 0, BC = 0.5.
    net = one_mode(st, aggregation="congruence", qualifier="integer")
    np.testing.assert_allclose(net.to_dense(), sym(0.5, 0, 0.5))


# Categorical fixture: A x "endorses"; B x "demands"; C x "endorses", y "rejects".
# congruence = sum_jk x x': AC = (x, endorses) 1; AB = BC = 0.
# conflict = sum_jk x[x'=0] + x'[x=0]: AB = A's (x,end) + B's (x,dem) = 2;
#   AC = C's (y,rej) = 1; BC = B's (x,dem) + C's (x,end) + C's (y,rej) = 3.
CATEGORICAL = [("A", "x", "endorses"), ("B", "x", "demands"), ("C", "x", "endorses"), ("C", "y", "rejects")]
CAT_RAW = {"ignore": (1, 1, 1), "congruence": (0, 1, 0), "conflict": (2, 1, 3), "subtract": (-2, 0, -3)}


@pytest.mark.parametrize("aggregation", list(CAT_RAW))
def test_one_mode_categorical_by_hand(aggregation):
    net = one_mode(table(CATEGORICAL), aggregation=aggregation, qualifier="categorical")
    np.testing.assert_allclose(dense(net, "ABC"), sym(*CAT_RAW[aggregation]), atol=1e-12)


def test_categorical_conflict_counts_targets_only_one_actor_spoke_about():
    # D speaks only about z, A only about x: no shared target, yet DNA's categorical conflict is 1 + 1.
    net = one_mode(
        table([("A", "x", "endorses"), ("D", "z", "endorses")]),
        aggregation="conflict",
        qualifier="categorical",
    )
    np.testing.assert_array_equal(net.to_dense(), [[0, 2], [2, 0]])


def test_neutral_is_left_out_of_boolean_networks_and_counted_without_qualifier():
    st = table([("A", "x", "endorses"), ("B", "x", "neutral")])
    assert one_mode(st, qualifier="boolean").row_labels == ("A",)
    assert one_mode(st, qualifier="none").to_dense().tolist() == [[0, 1], [1, 0]]


# Duplicates: one actor, one target; documents and dates chosen so each mode groups differently.
#   s1 endorses d1 2020-01-06 (Mon, ISO 2020-W02)   s2 endorses d1 2020-01-07 (2020-W02)
#   s3 endorses d2 2020-01-20 (2020-W04)            s4 endorses d3 2021-01-12 (Tue, ISO 2021-W02)
#   s5 rejects  d1 2020-01-06 (2020-W02)            s6 is B, endorses, d1 2020-01-06
DUPS = [
    ("s1", "A", "endorses", "d1", "2020-01-06"),
    ("s2", "A", "endorses", "d1", "2020-01-07"),
    ("s3", "A", "endorses", "d2", "2020-01-20"),
    ("s4", "A", "endorses", "d3", "2021-01-12"),
    ("s5", "A", "rejects", "d1", "2020-01-06"),
    ("s6", "B", "endorses", "d1", "2020-01-06"),
]
# A's cell with aggregation ignore (qualifier not compared) and subtract (compared, agree - disagree):
#   include: 5 statements; 4 - 1 = 3
#   document: d1 {s1, s2, s5}, d2, d3 -> 3; endorses in d1, d2, d3 = 3, rejects in d1 = 1 -> 2
#   week: 2020-W02 {s1, s2, s5}, 2020-W04, 2021-W02 -> 3 (DNA's week number alone merges 2021-W02 into
#         2020-W02 -> 2); endorses 3 - rejects 1 -> 2
#   month: 2020-01 {s1, s2, s3, s5}, 2021-01 -> 2 (DNA: 1); endorses 2 - 1 -> 1
#   year: 2020, 2021 -> 2; 2 - 1 -> 1
#   acrossrange: 1; 1 - 1 -> 0 (no tie)
DUP_EXPECTED = {
    "include": (5, 3),
    "document": (3, 2),
    "week": (3, 2),
    "month": (2, 1),
    "year": (2, 1),
    "acrossrange": (1, 0),
}


@pytest.mark.parametrize("duplicates", list(DUP_EXPECTED))
def test_duplicates_by_hand(duplicates):
    st = Statements.from_records(
        [
            {"id": i, "actor": a, "target": "x", "stance": s, "document": d, "date": t}
            for i, a, s, d, t in DUPS
        ]
    )
    ignore = two_mode(st, duplicates=duplicates).to_dense()
    subtract = two_mode(st, duplicates=duplicates, aggregation="subtract").to_dense()
    assert (ignore[0, 0], subtract[0, 0]) == DUP_EXPECTED[duplicates]
    assert ignore[1, 0] == subtract[1, 0] == 1  # B said it once


@pytest.mark.parametrize("duplicates", ["week", "month"])
def test_duplicates_never_merge_the_same_week_or_month_of_different_years(duplicates):
    st = table(
        [
            {"actor": "A", "target": "x", "stance": "endorses", "date": "2020-01-07"},
            {"actor": "A", "target": "x", "stance": "endorses", "date": "2021-01-12"},
        ]
    )
    assert two_mode(st, duplicates=duplicates).to_dense()[0, 0] == 2


def test_iso_week_spans_the_new_year():
    # 2020-12-31 (Thu) and 2021-01-01 (Fri) are both in ISO week 2020-W53: one statement.
    st = table(
        [
            {"actor": "A", "target": "x", "stance": "endorses", "date": "2020-12-31"},
            {"actor": "A", "target": "x", "stance": "endorses", "date": "2021-01-01"},
        ]
    )
    assert two_mode(st, duplicates="week").to_dense()[0, 0] == 1
    assert two_mode(st, duplicates="year").to_dense()[0, 0] == 2


def test_filters_dates_and_isolates():
    st = Statements.from_records(
        [
            {"actor": "A", "target": "x", "stance": "endorses", "source": "Reuters", "date": "2025-11-20"},
            {"actor": "B", "target": "x", "stance": "endorses", "source": "AP", "date": "2025-11-21"},
            {"actor": "C", "target": "y", "stance": "rejects", "source": "AP", "date": "2025-11-22"},
            {"actor": "D", "target": "x", "stance": "endorses", "source": "AP", "date": "2025-11-25"},
        ]
    )
    assert one_mode(st, exclude_actors=["B"]).row_labels == ("A", "C", "D")
    assert one_mode(st, exclude_actors=["B", "C"], invert_actors=True).row_labels == ("B", "C")
    assert one_mode(st, exclude_sources=["Reuters"]).row_labels == ("B", "C", "D")
    assert two_mode(st, exclude_targets=["x"]).column_labels == ("y",)
    dated = one_mode(st, start="2025-11-21", end=dt.date(2025, 11, 22))
    assert dated.row_labels == ("B", "C")
    # isolates: the actors of the date range that pass the source filter, active or not (DNA)
    iso = one_mode(st, start="2025-11-21", exclude_actors=["C"], isolates=True)
    assert iso.row_labels == ("B", "C", "D")
    assert iso.to_dense().tolist() == [[0, 0, 1], [0, 0, 0], [1, 0, 0]]
    assert one_mode(st, exclude_sources=["AP"], isolates=True).row_labels == ("A",)


def test_person_networks_drop_statements_without_a_person():
    st = Statements.from_records(
        [
            {"actor": "Ukraine", "person": "Umerov", "target": "p1", "stance": "rejects"},
            {"actor": "Ukraine", "person": "Zelensky", "target": "p1", "stance": "rejects"},
            {"actor": "US", "target": "p1", "stance": "endorses"},
        ]
    )
    net = one_mode(st, actor_variable="person", aggregation="congruence")
    assert net.row_labels == ("Umerov", "Zelensky")
    assert net.to_dense().tolist() == [[0, 1], [1, 0]]
    assert one_mode(st, actor_variable="person", exclude_actors=["Ukraine"]).row_labels == ()


@pytest.mark.parametrize(
    ("call", "options", "names"),
    [
        (two_mode, {"aggregation": "congruence"}, "'ignore', 'subtract', 'combine'"),
        (one_mode, {"aggregation": "combine"}, "'ignore', 'congruence', 'conflict', 'subtract'"),
        (one_mode, {"normalization": "activity"}, "'no', 'average', 'jaccard', 'cosine', 'textbook-cosine'"),
        (two_mode, {"normalization": "jaccard"}, "'no', 'activity', 'prominence'"),
        (two_mode, {"aggregation": "combine", "normalization": "activity"}, "valid with combine: 'no'"),
        (two_mode, {"aggregation": "subtract", "qualifier": "categorical"}, "'ignore', 'combine'"),
        (one_mode, {"aggregation": "congruence", "qualifier": "none"}, "valid with it: 'ignore'"),
        (one_mode, {"aggregation": "nonsense"}, "valid: 'ignore', 'congruence'"),
        (one_mode, {"duplicates": "fortnight"}, "'include', 'document', 'week'"),
        (one_mode, {"actor_variable": "org"}, "valid: 'actor', 'person'"),
        (one_mode, {"start": "2025-02-01", "end": "2025-01-01"}, "is after"),
    ],
)
def test_invalid_combinations_are_refused_naming_the_valid_ones(call, options, names):
    with pytest.raises(ValueError, match="valid|after") as err:
        call(table(BOOLEAN), **options)
    assert names in str(err.value)


def test_unknown_option_and_unfit_qualifier_are_refused():
    with pytest.raises(TypeError, match="exclude_actors"):
        one_mode(table(BOOLEAN), exclude_actor=["A"])
    coded = Statements.from_records([{"actor": "A", "target": "x", "agreement": 3}])
    with pytest.raises(ValueError, match="use qualifier='integer'"):
        one_mode(coded, qualifier="boolean")
    undated = table(BOOLEAN)
    with pytest.raises(ValueError, match="needs dates"):
        one_mode(undated, duplicates="week")


def test_enums_accept_their_strings():
    a = one_mode(table(BOOLEAN), aggregation=Aggregation.CONFLICT, duplicates=Duplicates.DOCUMENT)
    b = one_mode(table(BOOLEAN), aggregation="conflict", duplicates="document")
    assert a.options == b.options
    assert (a.matrix != b.matrix).nnz == 0


def test_empty_selection_gives_an_empty_network():
    net = one_mode(table(BOOLEAN), aggregation="congruence", exclude_actors=["A", "B", "C"])
    assert net.matrix.shape == (0, 0) and net.n_statements == 0
    iso = one_mode(table(BOOLEAN), aggregation="congruence", exclude_actors=["A", "B", "C"], isolates=True)
    assert iso.matrix.shape == (3, 3) and iso.matrix.nnz == 0


def test_to_networkx_one_mode_and_two_mode():
    g = one_mode(table(BOOLEAN), aggregation="subtract").to_networkx()
    assert sorted(g.nodes(data="kind")) == [("A", "actor"), ("B", "actor"), ("C", "actor")]
    assert sorted(g.edges(data="weight")) == [("A", "C", -1.0), ("B", "C", -1.0)]  # AB is 0: no edge
    assert nx.number_of_selfloops(g) == 0
    b = two_mode(table(BOOLEAN), aggregation="subtract").to_networkx(weight="w")
    assert {n: d["bipartite"] for n, d in b.nodes(data=True)} == {"A": 0, "B": 0, "C": 0, "x": 1, "y": 1}
    assert b.nodes["x"]["kind"] == "target"
    assert b.edges["B", "y"]["w"] == -1.0 and b.number_of_edges() == 5
    with pytest.raises(ValueError, match="share the label"):
        two_mode(table([("A", "A", "endorses")])).to_networkx()


def test_to_csv_writes_the_labelled_matrix(tmp_path):
    out = io.StringIO()
    two_mode(table(BOOLEAN), aggregation="subtract").to_csv(out)
    assert out.getvalue() == ",x,y\nA,1,1\nB,1,-1\nC,-1,0\n"
    path = tmp_path / "avg.csv"
    one_mode(table(BOOLEAN), normalization="average").to_csv(path, delimiter=";")
    lines = path.read_text().splitlines()
    assert lines[0] == ";A;B;C"
    assert lines[1].split(";") == ["A", "0", "1", repr(2 / 3)]


# ---- a loop-by-loop transcription of networks.md, the reference for the sparse code ----------------
def level_of(stance, kind):
    return {
        "boolean": STANCE_BOOLEAN[stance],
        "integer": DEFAULT_INTEGER_SCALE[stance],
        "categorical": stance,
        "none": 0,
    }[kind]


def period_of(day, duplicates):
    iso = day.isocalendar()
    return {
        "include": None,
        "acrossrange": 0,
        "year": day.year,
        "month": (day.year, day.month),
        "week": (iso[0], iso[1]),
    }.get(duplicates)


def reference(records, mode, aggregation, normalization, kind, duplicates):
    rows = [r for r in records if level_of(r["stance"], kind) is not None]
    levels = (0, 1) if kind == "boolean" else tuple(sorted({level_of(r["stance"], kind) for r in rows}))
    kept, seen = [], set()
    for r in sorted(rows, key=lambda r: (r["date"], r["id"])):
        qual = () if aggregation == "ignore" else (level_of(r["stance"], kind),)
        when = r["document"] if duplicates == "document" else period_of(r["date"], duplicates)
        key = (r["actor"], r["target"], *qual, when)
        if duplicates != "include" and key in seen:
            continue
        seen.add(key)
        kept.append(r)
    actors = sorted({r["actor"] for r in kept})
    targets = sorted({r["target"] for r in kept})
    x = defaultdict(int)
    for r in kept:
        x[r["actor"], r["target"], level_of(r["stance"], kind)] += 1
    act = {i: sum(x[i, j, k] for j in targets for k in levels) for i in actors}
    if mode == "two-mode":
        out = np.zeros((len(actors), len(targets)))
        for a, i in enumerate(actors):
            for b, j in enumerate(targets):
                cell = [x[i, j, k] for k in levels]
                if aggregation == "ignore":
                    out[a, b] = sum(cell)
                elif aggregation == "subtract":
                    values = (-1, 1) if kind == "boolean" else levels  # disagree -1, agree +1
                    out[a, b] = sum(k * n for k, n in zip(values, cell, strict=True))
                else:
                    out[a, b] = sum(2 ** (len(levels) - 1 - p) for p, n in enumerate(cell) if n > 0)
                den = {
                    "no": 1,
                    "activity": act[i],
                    "prominence": sum(x[h, j, k] for h in actors for k in levels),
                }[normalization]
                out[a, b] = out[a, b] / den if den else 0.0
        return actors, targets, out
    spread = (max(levels) - min(levels)) if kind in ("boolean", "integer") and levels else 0

    def d(k1, k2):
        return abs(k1 - k2) / spread if spread else 0.0

    def weight(i, h, agg):
        total = 0.0
        for j in targets:
            if agg == "ignore":
                total += sum(x[i, j, k] for k in levels) * sum(x[h, j, k] for k in levels)
            elif kind == "categorical":
                for k in levels:
                    if agg == "congruence":
                        total += x[i, j, k] * x[h, j, k]
                    else:
                        total += x[i, j, k] * (x[h, j, k] == 0) + x[h, j, k] * (x[i, j, k] == 0)
            else:
                for k1 in levels:
                    for k2 in levels:
                        w = 1 - d(k1, k2) if agg == "congruence" else d(k1, k2)
                        total += x[i, j, k1] * x[h, j, k2] * w
        return total

    def norm_of(i, h):
        if normalization == "average":
            return (act[i] + act[h]) / 2
        if normalization == "cosine":
            return act[i] * act[h]
        if normalization == "jaccard":
            cells = [(j, k) for j in targets for k in levels]
            return (
                sum(x[i, j, k] for j, k in cells if x[h, j, k] == 0)
                + sum(x[h, j, k] for j, k in cells if x[i, j, k] == 0)
                + sum(x[i, j, k] * x[h, j, k] for j, k in cells if x[i, j, k] > 0 and x[h, j, k] > 0)
            )
        if normalization == "textbook-cosine":

            def length(a):
                if aggregation == "ignore":
                    return math.sqrt(sum(sum(x[a, j, k] for k in levels) ** 2 for j in targets))
                return math.sqrt(sum(x[a, j, k] ** 2 for j in targets for k in levels))

            return length(i) * length(h)
        return 1

    out = np.zeros((len(actors), len(actors)))
    for a, i in enumerate(actors):
        for b, h in enumerate(actors):
            if a != b:
                w = (
                    weight(i, h, "congruence") - weight(i, h, "conflict")
                    if aggregation == "subtract"
                    else weight(i, h, aggregation)
                )
                n = norm_of(i, h)
                out[a, b] = w / n if n else 0.0
    return actors, actors, out


STANCES = sorted(STANCE_BOOLEAN)
records_strategy = st.lists(
    st.tuples(
        st.sampled_from("ABCDE"),
        st.sampled_from("wxyz"),
        st.sampled_from(STANCES),
        st.sampled_from(["d1", "d2", "d3"]),
        st.dates(dt.date(2019, 12, 20), dt.date(2021, 1, 20)),
    ),
    min_size=0,
    max_size=25,
).map(
    lambda rows: [
        {"id": f"s{n:03d}", "actor": a, "target": t, "stance": s, "document": d, "date": day}
        for n, (a, t, s, d, day) in enumerate(rows)
    ]
)

ONE_MODE_CASES = [
    (a, n, q)
    for q in ("boolean", "integer", "categorical")
    for a in ("ignore", "congruence", "conflict", "subtract")
    for n in ("no", "average", "jaccard", "cosine", "textbook-cosine")
]
ONE_MODE_CASES += [("ignore", n, "none") for n in ("no", "average", "jaccard", "cosine", "textbook-cosine")]
TWO_MODE_CASES = [
    (a, n, q)
    for q in ("boolean", "integer")
    for a in ("ignore", "subtract")
    for n in ("no", "activity", "prominence")
]
TWO_MODE_CASES += [("combine", "no", q) for q in ("boolean", "integer", "categorical")]
TWO_MODE_CASES += [
    ("ignore", n, q) for q in ("categorical", "none") for n in ("no", "activity", "prominence")
]
DUPLICATES = st.sampled_from([d.value for d in Duplicates])


@pytest.mark.parametrize(("aggregation", "normalization", "kind"), ONE_MODE_CASES)
@settings(max_examples=25, deadline=None, database=None)
@given(records=records_strategy, duplicates=DUPLICATES)
def test_one_mode_matches_the_reference(aggregation, normalization, kind, records, duplicates):
    net = one_mode(
        Statements.from_records(records),
        aggregation=aggregation,
        normalization=normalization,
        qualifier=kind,
        duplicates=duplicates,
    )
    rows, _, expected = reference(records, "one-mode", aggregation, normalization, kind, duplicates)
    assert net.row_labels == tuple(rows) == net.column_labels
    np.testing.assert_allclose(net.to_dense(), expected, atol=1e-9)


@pytest.mark.parametrize(("aggregation", "normalization", "kind"), TWO_MODE_CASES)
@settings(max_examples=25, deadline=None, database=None)
@given(records=records_strategy, duplicates=DUPLICATES)
def test_two_mode_matches_the_reference(aggregation, normalization, kind, records, duplicates):
    net = two_mode(
        Statements.from_records(records),
        aggregation=aggregation,
        normalization=normalization,
        qualifier=kind,
        duplicates=duplicates,
    )
    rows, cols, expected = reference(records, "two-mode", aggregation, normalization, kind, duplicates)
    assert (net.row_labels, net.column_labels) == (tuple(rows), tuple(cols))
    np.testing.assert_allclose(net.to_dense(), expected, atol=1e-9)


@settings(max_examples=60, deadline=None, database=None)
@given(
    records=records_strategy,
    duplicates=DUPLICATES,
    normalization=st.sampled_from(["no", "average", "jaccard", "cosine", "textbook-cosine"]),
    kind=st.sampled_from(["boolean", "integer"]),
)
def test_one_mode_properties(records, duplicates, normalization, kind):
    stm = Statements.from_records(records)
    nets = {
        a: one_mode(stm, aggregation=a, normalization=normalization, qualifier=kind, duplicates=duplicates)
        for a in ("ignore", "congruence", "conflict", "subtract")
    }
    for net in nets.values():
        m = net.to_dense()
        np.testing.assert_allclose(m, m.T, atol=1e-12)
        assert not np.diagonal(m).any()
        assert not (net.matrix.data == 0).any()  # no stored zeros
        canonical = net.matrix.copy()
        canonical.sum_duplicates()
        assert canonical.nnz == net.matrix.nnz  # no duplicate entries
    np.testing.assert_allclose(
        nets["subtract"].to_dense(), nets["congruence"].to_dense() - nets["conflict"].to_dense(), atol=1e-12
    )
    if kind == "boolean" and normalization == "no" and duplicates == "include":
        # (with duplicate removal, ignore merges statements that differ only in the qualifier, so it may
        # count fewer than congruence + conflict, as in DNA)
        np.testing.assert_array_equal(
            nets["congruence"].to_dense() + nets["conflict"].to_dense(), nets["ignore"].to_dense()
        )


@settings(max_examples=40, deadline=None, database=None)
@given(
    records=records_strategy,
    duplicates=DUPLICATES,
    seed=st.integers(0, 2**32 - 1),
    aggregation=st.sampled_from(["ignore", "congruence", "conflict", "subtract"]),
)
def test_results_do_not_depend_on_row_order(records, duplicates, seed, aggregation):
    shuffled = [records[i] for i in np.random.default_rng(seed).permutation(len(records))]
    a = one_mode(Statements.from_records(records), aggregation=aggregation, duplicates=duplicates)
    b = one_mode(Statements.from_records(shuffled), aggregation=aggregation, duplicates=duplicates)
    assert a.row_labels == b.row_labels
    np.testing.assert_array_equal(a.to_dense(), b.to_dense())
    c = two_mode(Statements.from_records(records), aggregation="subtract", duplicates=duplicates)
    d = two_mode(Statements.from_records(shuffled), aggregation="subtract", duplicates=duplicates)
    np.testing.assert_array_equal(c.to_dense(), d.to_dense())

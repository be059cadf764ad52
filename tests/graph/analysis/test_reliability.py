"""Krippendorff's alpha and percent agreement (graph/analysis/reliability.py), cross-checked against the
``krippendorff`` package on PyPI, and the reliability of coded statements."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from stancegraph.graph import Statements
from stancegraph.graph.analysis.reliability import Level, krippendorff_alpha, percent_agreement, reliability

NAN = float("nan")
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the example with missing values:
# four coders, twelve units; he reports nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorffs_own_example(level: str, published: float) -> None:
    assert round(krippendorff_alpha(EXAMPLE, level=level), 3) == published


def _corpus(rng: np.random.Generator) -> np.ndarray:
    """A coders x units table where coders mostly copy a true value, with gaps."""
    coders, units, values = rng.integers(2, 6), rng.integers(2, 60), rng.integers(2, 7)
    truth = rng.integers(1, values + 1, size=units)
    table = rng.integers(1, values + 1, size=(coders, units)).astype(float)
    copies = rng.random((coders, units)) < rng.random()
    table[copies] = np.broadcast_to(truth, table.shape)[copies]
    table[rng.random((coders, units)) < 0.3] = NAN
    return table


@pytest.mark.parametrize("level", list(Level))
def test_alpha_equals_the_krippendorff_package(level: Level) -> None:
    rng = np.random.default_rng(20251121)
    compared = 0
    for _ in range(200):
        table = _corpus(rng)
        ours = krippendorff_alpha(table, level=level)
        try:
            with np.errstate(invalid="ignore", divide="ignore"):  # the package divides 0 by 0 as NaN
                theirs = krippendorff.alpha(reliability_data=table, level_of_measurement=level.value)
        except ValueError:  # the package refuses a table with one value only; ours says NaN
            assert np.isnan(ours)
            continue
        if np.isnan(theirs):
            assert np.isnan(ours)
            continue
        assert ours == pytest.approx(theirs, abs=1e-12)
        compared += 1
    assert compared > 150


def test_names_are_nominal_values() -> None:
    table = [["endorses", "rejects", "endorses", None], ["endorses", "rejects", "rejects", "endorses"]]
    numbers = [[1, 0, 1, NAN], [1, 0, 0, 1]]
    theirs = krippendorff.alpha(reliability_data=numbers, level_of_measurement="nominal")
    assert krippendorff_alpha(table) == pytest.approx(theirs)
    assert percent_agreement(table) == pytest.approx(2 / 3)  # the last unit has one value only
    with pytest.raises(ValueError, match="numeric values"):
        krippendorff_alpha(table, level="interval")


def test_undefined_alpha_is_nan() -> None:
    assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))  # no variation: nothing to agree on
    assert np.isnan(krippendorff_alpha([[1, NAN], [NAN, 2]]))  # no unit with two values
    assert percent_agreement([[1, 1, 1], [1, 1, 1]]) == 1.0


# -- coded statements -----------------------------------------------------------------------------------


def _two_coder_corpus(seed: int, documents: int = 12) -> tuple[Statements, dict]:
    """Two or three coders code each document; they mostly agree on the stance, and now and then one
    misses a statement. Returns the statements and the (document, actor, target) -> {coder: stance}."""
    rng = np.random.default_rng(seed)
    rows, truth = [], {}
    for d in range(documents):
        coders = ["ana", "ben"] if d % 3 else ["ana", "ben", "cem"]
        for s in range(rng.integers(2, 6)):
            unit = (f"doc{d}", f"actor{rng.integers(4)}", f"target{s}")
            stance = ["endorses", "rejects", "neutral"][rng.integers(3)]
            for coder in coders:
                if rng.random() < 0.15:
                    continue  # this coder missed the statement
                given = stance if rng.random() < 0.8 else ["endorses", "rejects", "neutral"][rng.integers(3)]
                truth.setdefault(unit, {})[coder] = given
                rows.append(
                    {
                        "actor": unit[1],
                        "target": unit[2],
                        "stance": given,
                        "document": unit[0],
                        "coder": coder,
                    }
                )
    rows.append({"actor": "solo", "target": "t", "stance": "endorses", "document": "alone", "coder": "ana"})
    rows.append({"actor": "uncoded", "target": "t", "stance": "rejects", "document": "doc1"})
    return Statements.from_records(rows), truth


@pytest.mark.parametrize("seed", range(4))
def test_stance_alpha_is_krippendorffs_on_the_units(seed: int) -> None:
    statements, truth = _two_coder_corpus(seed)
    found = reliability(statements)
    coders = ["ana", "ben", "cem"]
    table = [[truth[unit].get(c, None) for unit in truth] for c in coders]
    codes = {"endorses": 1.0, "rejects": 2.0, "neutral": 3.0}
    numbers = [[codes[v] if v else NAN for v in row] for row in table]
    assert found.coders == tuple(coders)
    assert found.documents == 12  # the document coded by one coder does not count
    assert found.stances.alpha == pytest.approx(krippendorff.alpha(numbers, level_of_measurement="nominal"))
    assert found.stances.percent == pytest.approx(percent_agreement(table))
    assert found.multiple_values == 0
    pair = next(p for p in found.pairs if (p.first, p.second) == ("ana", "cem"))
    shared = [i for i, unit in enumerate(truth) if int(unit[0][3:]) % 3 == 0]  # the documents cem coded
    both = np.array(numbers)[[0, 2]][:, shared]
    assert pair.agreement.alpha == pytest.approx(krippendorff.alpha(both, level_of_measurement="nominal"))


def test_identification_counts_what_each_coder_found() -> None:
    rows = [
        ("d1", "ana", "A", "x"),
        ("d1", "ben", "A", "x"),  # both found A on x
        ("d1", "ana", "B", "x"),  # only ana found B
        ("d2", "ana", "C", "y"),
        ("d2", "ben", "C", "z"),  # same actor, different targets
    ]
    statements = Statements.from_records(
        {"document": d, "coder": c, "actor": a, "target": t, "stance": "endorses"} for d, c, a, t in rows
    )
    found = reliability(statements)
    # actors: (d1, A) both, (d1, B) ana only, (d2, C) both: 2 agreeing units of 3
    assert found.actors.percent == pytest.approx(2 / 3)
    assert found.actors.positive == pytest.approx(2 * 2 / (2 * 2 + 1))  # F1: 2 both of 3 + 2 found
    assert np.isnan(found.actors.alpha)  # no chance model without the units nobody found
    # statements: (d1, A, x) both, (d1, B, x), (d2, C, y), (d2, C, z) one coder each
    assert found.statements.positive == pytest.approx(2 * 1 / (2 * 1 + 3))
    assert found.stances.units == 1 and found.stances.percent == 1.0  # only (d1, A, x) has two values
    assert found.as_dict()["identification"]["actors"]["alpha"] is None


def test_a_coder_with_two_stances_on_one_unit_counts_once() -> None:
    rows = [("ana", "endorses"), ("ana", "endorses"), ("ana", "rejects"), ("ben", "endorses")]
    statements = Statements.from_records(
        {"document": "d", "coder": c, "actor": "A", "target": "x", "stance": s} for c, s in rows
    )
    found = reliability(statements)
    assert found.multiple_values == 1 and found.stances.values == 2 and found.stances.percent == 1.0


def test_ordinal_alpha_on_the_agreement_scale() -> None:
    scale = {"ana": [2, 1, -1, 0, 2, -1], "ben": [2, 2, -1, 0, 1, -1]}
    statements = Statements.from_records(
        {"document": "d", "coder": c, "actor": f"A{i}", "target": "x", "agreement": v}
        for c, values in scale.items()
        for i, v in enumerate(values)
    )
    data = [scale["ana"], scale["ben"]]
    for level in ("ordinal", "interval"):
        found = reliability(statements, level=level)
        assert found.stances.alpha == pytest.approx(krippendorff.alpha(data, level_of_measurement=level))
    assert reliability(statements).stances.alpha == pytest.approx(
        krippendorff.alpha(data, level_of_measurement="nominal")
    )


def test_no_second_coder_is_a_clear_error() -> None:
    statements = Statements.from_records(
        [{"document": "d", "coder": "ana", "actor": "A", "target": "x", "stance": "endorses"}]
    )
    with pytest.raises(ValueError, match="no document was coded by two or more coders"):
        reliability(statements)

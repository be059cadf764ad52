"""Krippendorff's alpha and percent agreement (graph/analysis/reliability.py), cross-checked against the
``krippendorff`` package on PyPI, and the reliability of coded statements."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from stancegraph.graph.analysis.reliability import Level, krippendorff_alpha, percent_agreement

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

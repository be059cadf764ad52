"""Codes of a column computed in polars: the same codes and values as the dictionary pass of Statements."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stancegraph.graph.analysis import statements_table
from stancegraph.graph.analysis.column_codes import (
    column_codes,
    decoded,
    first_rows,
    renamed_codes,
    text_object_codes,
)
from stancegraph.graph.analysis.statements_table import Statements, _factorize_by_dict
from stancegraph.graph.ingestion.synth import synthetic_statements


def _objects(values: list) -> np.ndarray:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


def _assert_same_codes(got: tuple[np.ndarray, tuple], want: tuple[np.ndarray, tuple]) -> None:
    assert got[0].dtype == want[0].dtype == np.int64
    assert got[0].tolist() == want[0].tolist()
    assert got[1] == want[1]
    assert [type(v) for v in got[1]] == [type(v) for v in want[1]]


@pytest.mark.parametrize(
    "values",
    [
        [],
        [None],
        [None, None, None],
        ["only"],
        ["b", None, "a", "b", "", " "],
        ["Zürich", "zebra", "Äpfel", "apple", "東京", "😀", "ÿ", "\x00", "Z"],
        ["é", "e\u0301"],  # two spellings of é: different text, two values (no normalisation)
    ],
    ids=["empty", "none", "all-none", "one-value", "blank-and-none", "non-ascii", "unnormalised"],
)
def test_text_codes_are_those_of_the_dictionary_pass(values):
    want = _factorize_by_dict(_objects(values))
    _assert_same_codes(column_codes(pl.Series(values, dtype=pl.String)), want)
    _assert_same_codes(text_object_codes(_objects(values)), want)
    assert decoded(*want).tolist() == values


@pytest.mark.parametrize("values", [[], [None], [3, None, -1, 3, 0], [2**40, 1]])
def test_integer_codes_are_those_of_the_dictionary_pass(values):
    want = _factorize_by_dict(_objects(values))
    _assert_same_codes(column_codes(pl.Series(values, dtype=pl.Int64)), want)
    assert decoded(*want).tolist() == values


@pytest.mark.parametrize(
    "values",
    [["a", 1], [1, 2], ["a", b"a"], ["a", np.str_("b")], ["\ud800", "a"], [1.5, None]],
    ids=["mixed", "ints", "bytes", "str-subclass", "lone-surrogate", "float"],
)
def test_anything_but_plain_text_is_left_to_the_dictionary_pass(values):
    assert text_object_codes(_objects(values)) is None
    assert text_object_codes(np.array([1, 2])) is None  # not an object array
    # and _factorize still answers, by the dictionary pass, for large arrays too
    large = _objects(values * (statements_table._POLARS_ROWS // len(values) + 1))
    _assert_same_codes(statements_table._factorize(large), _factorize_by_dict(large))


_TEXT = st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["a", "A", "ä", "😀", ""]))


@given(st.lists(_TEXT, max_size=60))
def test_any_text_column_codes_as_the_dictionary_pass(values):
    want = _factorize_by_dict(_objects(values))
    got = text_object_codes(_objects(values))
    if got is None:  # only text polars cannot hold (lone surrogates) is refused
        with pytest.raises(UnicodeError):
            "".join(v for v in values if v is not None).encode()
        return
    _assert_same_codes(got, want)
    _assert_same_codes(column_codes(pl.Series(values, dtype=pl.String)), want)
    assert decoded(*got).tolist() == values


def test_statements_code_large_columns_as_the_dictionary_pass(monkeypatch):
    rows = [
        {**row, "person": f"Person {i % 7}" if i % 3 else None, "coder": "cö" if i % 2 else "ca"}
        for i, row in enumerate(synthetic_statements(3_000, actors=40, targets=25, seed=2))
    ]
    rows[5]["stance"] = "sg:Endorses"  # an IRI, normalised to its name
    rows[6]["document"] = ""  # filled from the source

    def polars_first(values: np.ndarray) -> tuple[np.ndarray, tuple]:  # every text column in polars
        coded = text_object_codes(values)
        return coded if coded is not None else _factorize_by_dict(values)

    monkeypatch.setattr(statements_table, "_factorize", polars_first)
    fast = Statements.from_records(rows)
    monkeypatch.setattr(statements_table, "_factorize", _factorize_by_dict)
    slow = Statements.from_records(rows)
    for column in statements_table._COLUMNS:
        if column != "date":
            assert getattr(fast, column).tolist() == getattr(slow, column).tolist()
            _assert_same_codes(fast.codes(column), slow.codes(column))
    assert np.array_equal(fast.date, slow.date)
    assert np.array_equal(fast.confidence, slow.confidence, equal_nan=True)


def test_large_columns_still_refuse_duplicate_ids():
    rows = list(synthetic_statements(statements_table._POLARS_ROWS + 10, seed=1))
    ids = _objects([row["id"] for row in rows])  # many distinct values: coded in polars
    _assert_same_codes(statements_table._factorize(ids), _factorize_by_dict(ids))
    rows[-1]["id"] = rows[0]["id"]
    with pytest.raises(ValueError, match=f"statement id '{rows[0]['id']}' occurs more than once"):
        Statements.from_records(rows)


@given(
    st.lists(_TEXT, max_size=40),
    st.dictionaries(st.text(max_size=3), st.one_of(st.none(), st.sampled_from(["x", "y", "Y", "é"]))),
)
def test_renamed_codes_are_those_of_the_renamed_column(values, names):
    codes, uniques = _factorize_by_dict(_objects(values))
    renamed = [None if v is None else names.get(v) for v in values]
    _assert_same_codes(renamed_codes(codes, uniques, names), _factorize_by_dict(_objects(renamed)))
    assert decoded(*renamed_codes(codes, uniques, names)).tolist() == renamed


@given(st.lists(st.one_of(st.none(), st.integers(0, 5)), max_size=40))
def test_first_rows_are_where_each_value_first_occurs(values):
    codes, uniques = _factorize_by_dict(_objects(values))
    assert first_rows(codes, len(uniques)).tolist() == [values.index(u) for u in uniques]

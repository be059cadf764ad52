"""The store's statements coded in polars (selection._statements) are those of the former conversion: each
selected column renamed in polars, turned into Python objects (``to_list``) and coded by the dictionary pass
of Statements."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest

from stancegraph.graph.analysis import selection, statements_table
from stancegraph.graph.analysis.networks import one_mode
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.analysis.selection_names import unique_labels
from stancegraph.graph.analysis.statements_table import Statements, _factorize_by_dict
from stancegraph.graph.ingestion import ingest
from stancegraph.graph.ingestion.synth import write_statements_csv
from stancegraph.graph.queries.stance_table import short_id_column, stance_table
from stancegraph.graph.store import open_store
from stancegraph.ontology.namespaces import ID_NS


def _former_statements(table: pl.DataFrame, labels: str) -> Statements:
    """The conversion statements_from_store made before it coded in polars (its code as it was)."""
    names: dict[str, str | None] = {}
    for node in ("actor", "target", "person"):
        pairs = table.select(node, f"{node}_label").drop_nulls(node).unique(node, maintain_order=True)
        for iri, label in pairs.iter_rows():
            names.setdefault(iri, label)
    display = unique_labels(names, labels)
    coders = (
        table.select("coder", "coder_label", short_id_column("coder").alias("short"))
        .drop_nulls("coder")
        .unique("coder")
    )
    coder_names = {
        iri: label if label is not None and labels == "label" else short
        for iri, label, short in coders.iter_rows()
    }
    named = table.select(
        pl.col("id"),
        *(pl.col(node).replace_strict(display, default=None) for node in ("actor", "target", "person")),
        pl.col("coder").replace_strict(coder_names, default=None),
        pl.col("type"),
        pl.col("document"),
        pl.col("agreement"),
    )

    def text(name: str) -> np.ndarray:
        column = np.empty(named.height, dtype=object)
        column[:] = named[name].to_list()
        return column

    return Statements.from_columns(
        id=text("id"),
        actor=text("actor"),
        target=text("target"),
        stance=text("type"),
        date=table["date"].to_numpy(),
        agreement=text("agreement"),
        document=text("document"),
        source=text("document"),
        person=text("person"),
        coder=text("coder"),
        confidence=table["confidence"].fill_null(float("nan")).to_numpy(),
        contested=table["contested"].to_numpy(),
    )


def _fast_and_former(store, monkeypatch, **filters) -> tuple[Statements, Statements]:
    """The statements of ``statements_from_store``, and those the former conversion (with the dictionary
    pass of Statements) made of the same selected rows of the stance table."""
    selected = []
    real = selection._statements

    def recording(table: pl.DataFrame, labels: str) -> Statements:
        selected.append((table, labels))
        return real(table, labels)

    with monkeypatch.context() as patch:
        patch.setattr(selection, "_statements", recording)
        fast = statements_from_store(store, **filters)
    with monkeypatch.context() as patch:
        patch.setattr(statements_table, "_factorize", _factorize_by_dict)
        former = _former_statements(*selected[0])
    return fast, former


def _assert_same(fast: Statements, former: Statements) -> None:
    assert len(fast) == len(former)
    for name in statements_table._COLUMNS:
        got, want = getattr(fast, name), getattr(former, name)
        assert got.dtype == want.dtype and not got.flags.writeable
        if name == "date":
            assert np.array_equal(got, want, equal_nan=True)
            continue
        assert got.tolist() == want.tolist(), name
        assert [type(v) for v in got] == [type(v) for v in want], name
        for values in (fast.codes(name), former.codes(name)):
            assert values[0].tolist() == _factorize_by_dict(want)[0].tolist(), name
            assert values[1] == _factorize_by_dict(want)[1], name
    assert np.array_equal(fast.confidence, former.confidence, equal_nan=True)
    assert np.array_equal(fast.contested, former.contested)
    assert dict(fast.scale) == dict(former.scale)
    assert fast.qualifier_kind is former.qualifier_kind
    for kind in ("boolean", "integer", "categorical", "none"):
        try:
            want_levels = former.qualifier_codes(kind)
        except ValueError as err:
            with pytest.raises(ValueError, match=re.escape(str(err))):
                fast.qualifier_codes(kind)
            continue
        assert fast.qualifier_codes(kind)[0].tolist() == want_levels[0].tolist()
        assert fast.qualifier_codes(kind)[1] == want_levels[1]
    if len(fast):
        for aggregation in ("congruence", "conflict"):
            a, b = one_mode(fast, aggregation=aggregation), one_mode(former, aggregation=aggregation)
            assert a.row_labels == b.row_labels and np.array_equal(a.to_dense(), b.to_dense())
        a, b = one_mode(fast, duplicates="document"), one_mode(former, duplicates="document")
        assert np.array_equal(a.to_dense(), b.to_dense())


def _filters(store) -> list[dict]:
    """One selection by each filter of statements_from_store, with names taken from the store."""
    table = stance_table(store).filter(~pl.col("denied"))
    row = table.row(len(table) // 2, named=True)
    return [
        {},
        {"include_denied": True},
        {"labels": "id"},
        {"source": row["derived_from"]},
        {"since": row["date"].isoformat()},
        {"until": row["date"].isoformat()},
        {"actors": [row["actor"]]},
        {"targets": row["target"]},
        {"actors": row["actor"], "targets": [row["target"]], "labels": "id"},
        {"until": "1900-01-01"},  # nothing
    ]


def test_the_bundled_store_codes_as_the_former_conversion(bundled, monkeypatch):
    for filters in [*_filters(bundled), {"plan": "us-28"}, {"plan": "us-28", "include_denied": True}]:
        _assert_same(*_fast_and_former(bundled, monkeypatch, **filters))


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    write_statements_csv(folder / "c.csv", 2_000, actors=40, targets=25, seed=7, contradicts_share=0.03)
    with open_store(folder / "store") as store:
        ingest(store, folder / "c.csv")
        yield store


def test_a_synthetic_store_codes_as_the_former_conversion(synthetic_store, monkeypatch):
    assert len(statements_from_store(synthetic_store)) > 1_900
    for filters in _filters(synthetic_store):
        _assert_same(*_fast_and_former(synthetic_store, monkeypatch, **filters))


def test_duplicate_ids_in_the_table_are_still_refused():
    table = pl.DataFrame(
        {
            "id": ["a", "a"],
            "actor": ["x", "y"],
            "target": ["t", "t"],
            "person": pl.Series([None, None], dtype=pl.String),
            "coder": pl.Series([None, None], dtype=pl.String),
            "type": ["endorses", "rejects"],
            "document": ["d", "d"],
            "agreement": pl.Series([None, None], dtype=pl.Int64),
        }
    )
    with pytest.raises(ValueError, match="statement id 'a' occurs more than once"):
        selection._statements(
            table.with_columns(
                actor_label=pl.col("actor"),
                target_label=pl.col("target"),
                person_label=pl.col("person"),
                coder_label=pl.col("coder"),
                date=pl.Series([None, None], dtype=pl.Date),
                confidence=pl.Series([None, None], dtype=pl.Float64),
                contested=pl.Series([False, False]),
            ),
            "label",
        )


@pytest.mark.parametrize("labels", ["label", "id"])
def test_shared_and_missing_labels_coders_and_agreements_code_as_the_former_conversion(
    bundled, monkeypatch, labels
):
    """The bundled table edited to name nodes as the networks must untangle: labels shared by several
    nodes (also an actor's with a target's), nodes without a label, two coders (one labelled, one outside
    our namespace) and coded agreements."""
    row = pl.int_range(pl.len())
    length = pl.col("actor").str.len_chars()
    table = stance_table(bundled).with_columns(
        actor_label=pl.when(length % 3 == 0)
        .then(pl.lit("Same label"))
        .when(length % 3 == 1)
        .then(None)
        .otherwise(pl.col("actor_label")),
        target_label=pl.when(pl.col("target").str.len_chars() % 4 == 0)
        .then(pl.lit("Same label"))
        .otherwise(pl.col("target_label")),
        coder=pl.when(row % 2 == 0)
        .then(pl.lit(ID_NS + "person/ana"))
        .when(row % 3 == 0)
        .then(pl.lit("http://example.org/ben"))
        .otherwise(None),
        agreement=pl.when(row % 4 == 0).then(None).otherwise(row % 5 - 2).cast(pl.Int64),
    )
    table = table.with_columns(coder_label=pl.when(pl.col("coder").str.ends_with("ana")).then(pl.lit("Ana")))
    fast = selection._statements(table, labels)
    with monkeypatch.context() as patch:
        patch.setattr(statements_table, "_factorize", _factorize_by_dict)
        former = _former_statements(table, labels)
    assert len(fast.codes("coder")[1]) == 2 and len(fast.codes("qualifier")[1]) == 5
    assert any("Same label (" in actor for actor in fast.actor) is (labels == "label")
    _assert_same(fast, former)

"""The synthetic corpus: reproducible, with denials that contradict earlier rows, and it ingests cleanly."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import pytest

from stancegraph.graph.ingestion import check, ingest
from stancegraph.graph.ingestion.synth import (
    COLUMNS,
    COLUMNS_WITH_CONTRADICTIONS,
    OPPOSITE,
    synthetic_statements,
    write_statements_csv,
)
from stancegraph.graph.store import open_store
from stancegraph.ontology.namespaces import ID_NS, SG_NS


def test_the_same_seed_gives_the_same_rows() -> None:
    assert list(synthetic_statements(500, seed=4)) == list(synthetic_statements(500, seed=4))
    assert list(synthetic_statements(500, seed=4)) != list(synthetic_statements(500, seed=5))


def test_without_contradictions_the_columns_are_the_old_ones_and_the_rows_the_same() -> None:
    plain = list(synthetic_statements(3000, seed=7, contradicts_share=0))
    contested = list(synthetic_statements(3000, seed=7, contradicts_share=0.05))
    assert all(tuple(row) == COLUMNS for row in plain)
    assert all(set(row) == set(COLUMNS_WITH_CONTRADICTIONS) for row in contested)
    assert [row["id"] for row in contested] == [f"s{i:07d}" for i in range(1, 3001)]
    # the rows that are no denials are those of the corpus without contradictions
    for before, after in zip(plain, contested, strict=True):
        if not after["contradicts"]:
            assert before == {column: after[column] for column in COLUMNS}


def test_denials_dispute_an_earlier_row_of_another_source() -> None:
    rows = list(synthetic_statements(20_000, seed=3, contradicts_share=0.05))
    by_id = {row["id"]: (number, row) for number, row in enumerate(rows)}
    denials = [(number, row) for number, row in enumerate(rows) if row["contradicts"]]
    assert 0.04 < len(denials) / len(rows) < 0.06
    for number, denial in denials:
        earlier, claim = by_id[denial["contradicts"]]
        assert earlier < number
        assert (denial["actor"], denial["target"]) == (claim["actor"], claim["target"])
        assert denial["stance"] == OPPOSITE[claim["stance"]]
        assert denial["date"] > claim["date"] and denial["source"] != claim["source"]


def test_the_share_is_checked() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        next(synthetic_statements(1, contradicts_share=1.5))


def test_a_corpus_with_contradictions_ingests_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # small chunks, so that denials point into earlier chunks
    monkeypatch.setattr(importlib.import_module("stancegraph.graph.ingestion.tables"), "CHUNK_ROWS", 500)
    path = tmp_path / "synthetic.csv"
    write_statements_csv(path, 3000, actors=30, targets=10, seed=2, contradicts_share=0.05)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    stance = ID_NS + "stance/"
    expected = {(stance + r["id"], stance + r["contradicts"]) for r in rows if r["contradicts"]}
    assert 0.03 < len(expected) / len(rows) < 0.07
    assert check(path) == []
    with open_store() as store:
        report = ingest(store, path)
        assert report.stances == 3000
        found = {
            (a.value, b.value)
            for a, b in store.query(f"SELECT ?a ?b WHERE {{ GRAPH ?g {{ ?a <{SG_NS}contradicts> ?b }} }}")
        }
    assert found == expected


def test_the_synth_command_takes_the_share(tmp_path: Path) -> None:
    from stancegraph.api.cli.commands import main

    contested, plain = tmp_path / "contested.csv", tmp_path / "plain.csv"
    assert main(["synth", "-n", "1000", "--contradicts", "0.2", "--seed", "1", "-o", str(contested)]) == 0
    assert main(["synth", "-n", "1000", "--contradicts", "0", "--seed", "1", "-o", str(plain)]) == 0
    with contested.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == COLUMNS_WITH_CONTRADICTIONS
    # a fifth of rows 251..1000: the rows of the first source have no earlier source to deny
    assert 100 < sum(1 for r in rows if r["contradicts"]) < 200
    assert plain.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)

"""``stancegraph reliability`` and ``GET /api/analysis/reliability``: a two-coder corpus in DNA's column
names gives the same figures from the CSV, from the store it loads into, and over REST, and those figures
are Krippendorff's alpha as the ``krippendorff`` package computes it."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import pytest

from ..service.conftest import in_process_service
from .conftest import run_cli

# Two documents, two coders: in report A they disagree on Ukraine and ben missed the US statement; in
# report B they agree on the EU, and each found a statement the other did not.
CORPUS = (Path(__file__).parent / "data" / "two-coders.csv").read_text(encoding="utf-8")
# units (document, actor, target): A/Russia, A/Ukraine, A/US, B/EU, B/US cap, B/US sanctions
ANA = [1, 0, 1, 0, float("nan"), 0]
BEN = [1, 1, float("nan"), 0, 1, float("nan")]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "coded.csv"
    path.write_text(CORPUS, encoding="utf-8")
    return path


def test_reliability_of_a_csv_and_of_the_store_it_loads_into(tmp_path, capsys, corpus):
    store = tmp_path / "store"
    code, out, err = run_cli(store, capsys, "reliability", "--statements", str(corpus), "--format", "json")
    assert code == 0, err
    from_csv = json.loads(out)
    expected = krippendorff.alpha([ANA, BEN], level_of_measurement="nominal")
    assert from_csv["stances"]["alpha"] == pytest.approx(expected)
    assert from_csv["stances"]["units"] == 3 and from_csv["documents"] == 2
    assert from_csv["coders"] == ["ana", "ben"]
    assert from_csv["identification"]["statements"]["positive_agreement"] == pytest.approx(2 * 3 / (5 + 4))
    assert run_cli(store, capsys, "load", str(corpus))[0] == 0
    code, out, _ = run_cli(store, capsys, "reliability", "--format", "json")
    assert code == 0
    assert json.loads(out) == from_csv
    code, out, err = run_cli(store, capsys, "reliability")
    assert code == 0 and "2 documents coded by two or more of 2 coders (ana, ben)" in err
    assert "stances: ana / ben" in out
    with in_process_service(tmp_path, load_bundled=False) as service:
        answer = service.client.get("/api/analysis/reliability")
        assert answer.status_code == 200 and answer.json() == from_csv
        report_b = service.client.get("/api/analysis/reliability", params={"since": "2025-11-22"}).json()
        assert report_b["documents"] == 1 and report_b["stances"]["units"] == 1  # the EU, agreed
        assert report_b["stances"]["percent_agreement"] == 1.0 and report_b["stances"]["alpha"] is None


def test_a_corpus_without_a_second_coder_is_a_clear_error(tmp_path, capsys):
    store = tmp_path / "store"
    run_cli(store, capsys, "init")
    code, _, err = run_cli(store, capsys, "reliability")
    assert code == 2 and "no document was coded by two or more coders" in err
    with in_process_service(tmp_path) as service:
        answer = service.client.get("/api/analysis/reliability")
        assert answer.status_code == 400 and "second coder" in answer.json()["detail"]

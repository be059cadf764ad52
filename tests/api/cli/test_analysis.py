"""The analysis commands: network, coalitions, polarisation, influence, changes, plan-versions-fit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest

from .conftest import init_cli_store, run_cli


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return init_cli_store(tmp_path_factory, "cli-analysis")


def test_network_csv_from_the_store(store_dir, capsys):
    code, out, _ = run_cli(store_dir, capsys, "network", "--plan", "us-28", "--aggregation", "conflict")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    labels = rows[0][1:]
    us = labels.index("United States")
    assert all(float(rows[1 + labels.index(a)][1 + us]) > 0 for a in ("France", "Germany", "United Kingdom"))


def test_network_from_a_statements_csv_with_agreement(store_dir, capsys, tmp_path):
    path = tmp_path / "dna.csv"
    path.write_text(  # date and source: what validate asks of every row, so the analysis asks it too
        "actor,target,agreement,date,source\nA,t,5,2025-11-21,AP\nB,t,4,2025-11-21,AP\nC,t,-5,2025-11-21,AP\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(
        store_dir,
        capsys,
        "network",
        "--statements",
        str(path),
        "--aggregation",
        "congruence",
        "--qualifier",
        "agreement",
        "--format",
        "json",
    )
    assert code == 0
    edges = {
        (e["data"]["source"], e["data"]["target"]): e["data"]["weight"]
        for e in json.loads(out)["elements"]["edges"]
    }
    assert edges[("A", "B")] == pytest.approx(0.9)


def test_network_windows_to_a_gexf_file(store_dir, capsys, tmp_path):
    out = tmp_path / "net.gexf"
    code, _, err = run_cli(
        store_dir, capsys, "network", "--window", "2", "--format", "gexf", "--out", str(out)
    )
    assert code == 0 and "wrote" in err
    assert nx.read_gexf(out).graph["mode"] == "dynamic"


def test_two_mode_graphml_and_bad_options(store_dir, capsys, tmp_path):
    code, out, _ = run_cli(
        store_dir,
        capsys,
        "network",
        "--type",
        "twomode",
        "--aggregation",
        "subtract",
        "--format",
        "graphml",
        "--plan",
        "us-28",
    )
    assert code == 0 and nx.read_graphml(io.StringIO(out)).number_of_edges() > 0
    code, _, err = run_cli(store_dir, capsys, "network", "--type", "twomode", "--aggregation", "congruence")
    assert code == 2 and "valid" in err


def test_coalitions_polarisation_influence(store_dir, capsys):
    code, out, err = run_cli(store_dir, capsys, "coalitions", "--format", "json")
    assert code == 0 and "modularity" in err
    groups = [set(r["actors"]) for r in json.loads(out)]  # JSON keeps the list (was "; "-joined text)
    assert any({"France", "Germany", "United Kingdom"} <= g for g in groups)
    code, out, err = run_cli(store_dir, capsys, "polarisation", "--format", "json")
    assert code == 0 and "polarisation" in err and len(json.loads(out)) == 2
    code, out, _ = run_cli(store_dir, capsys, "influence", "--format", "csv")
    assert code == 0 and out.startswith("id,")


def test_frequencies(store_dir, capsys):
    code, out, _ = run_cli(store_dir, capsys, "frequencies", "--plan", "us-28", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert list(rows[0]) == ["target", "target_label", "stance", "stances"]
    assert [r for r in rows if r["target"] == "us-28/6"] == [  # the US draft's own endorsement alone
        {"target": "us-28/6", "target_label": "Army capped at 600,000", "stance": "endorses", "stances": 1}
    ]
    code, out, _ = run_cli(store_dir, capsys, "frequencies", "--by", "stance", "--format", "csv")
    assert code == 0 and out.splitlines() == [
        "stance,stances",
        "endorses,39",
        "rejects,20",
        "demands,11",
        "neutral,5",
    ]
    code, _, err = run_cli(store_dir, capsys, "frequencies", "--by", "mood")
    assert code == 2 and "count by one or more of actor" in err


def test_changes_and_plan_versions_fit(store_dir, capsys):
    code, out, _ = run_cli(store_dir, capsys, "changes", "ukraine", "--target", "us-28", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    claim = rows[0]  # the Umerov claim: listed, flagged denied, with its confidence; no position
    assert (claim["stance"], claim["confidence"], claim["contested"], claim["denied"]) == (
        "endorses",
        0.3,
        True,
        True,
    )
    assert {r["shift"] for r in rows} == {""}  # no shift into or out of the denied claim
    assert [r["denied"] for r in rows[1:]] == [False] * (len(rows) - 1)
    code, out, _ = run_cli(store_dir, capsys, "changes", "russia", "--target", "us-28", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["shift"] for r in rows] == ["", "neutral -> endorses"]
    assert [r["confidence"] for r in rows] == ["0.8", "0.8"] and {r["denied"] for r in rows} == {"False"}
    code, out, _ = run_cli(store_dir, capsys, "changes", "ukraine", "--target", "us-28")
    header, first = out.splitlines()[1], out.splitlines()[3]
    assert all(word in header for word in ("confidence", "contested", "denied"))
    assert [cell.strip() for cell in first.split("│")[3:8]] == ["endorses", "", "0.3", "True", "True"]
    code, out, _ = run_cli(store_dir, capsys, "plan-versions-fit", "us-28", "e3-counter", "--format", "csv")
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["actor"] == "Russia"]
    assert [r["plan"] for r in rows] == ["us-28", "e3-counter"]
    assert float(rows[0]["share fulfilled"]) > float(rows[1]["share fulfilled"])
    assert (
        rows[0]["points"] == "all 28 points recorded" and "only those the reports name" in rows[1]["points"]
    )


def _ties(out: str) -> dict[str, dict[str, float]]:
    rows = list(csv.reader(io.StringIO(out)))
    labels = rows[0][1:]
    return {row[0]: dict(zip(labels, map(float, row[1:]), strict=True)) for row in rows[1:]}


def test_network_contested_and_min_confidence(store_dir, capsys):
    # Umerov's denial is neutral (he approved nothing), so it ties only when every stance counts
    args = ("network", "--type", "twomode", "--plan", "us-28", "--qualifier", "none")
    code, out, _ = run_cli(store_dir, capsys, *args)
    held = _ties(out)["Ukraine"]["US 28-point peace plan"]
    assert code == 0 and held >= 1
    code, out, _ = run_cli(store_dir, capsys, *args, "--contested", "exclude")
    assert code == 0 and _ties(out).get("Ukraine", {}).get("US 28-point peace plan", 0) == held - 1
    code, out, _ = run_cli(store_dir, capsys, *args, "--contested", "only")
    assert code == 0 and _ties(out) == {"Ukraine": {"US 28-point peace plan": 1.0}}
    code, out, _ = run_cli(store_dir, capsys, *args, "--min-confidence", "0.8")
    assert code == 0 and "France" not in _ties(out)  # the E3's rejections are reported at 0.7


@pytest.mark.parametrize("value", ["1.5", "high"])
def test_a_bad_min_confidence_is_refused_with_a_clear_message(store_dir, capsys, value):
    code, _, err = run_cli(store_dir, capsys, "coalitions", "--min-confidence", value)
    assert code == 2 and "--min-confidence" in err and value in err


def test_a_bad_contested_choice_names_the_valid_ones(store_dir, capsys):
    code, _, err = run_cli(store_dir, capsys, "polarisation", "--contested", "maybe")
    assert code == 2 and "include" in err and "exclude" in err and "only" in err


def test_coalitions_polarisation_influence_take_the_stance_choice(store_dir, capsys):
    code, out, _ = run_cli(
        store_dir, capsys, "polarisation", "--plan", "us-28", "--min-confidence", "0.8", "-f", "json"
    )
    assert code == 0
    assert {a for camp in json.loads(out) for a in camp["actors"]} == {"Russia", "United States"}
    code, out, _ = run_cli(store_dir, capsys, "influence", "--min-confidence", "0.95", "-f", "json")
    assert code == 0 and json.loads(out)["elements"]["edges"] == []


def test_a_statements_csv_follows_its_confidence_and_contradicts_columns(store_dir, capsys, tmp_path):
    path = tmp_path / "disputed.csv"
    path.write_text(
        "id,actor,target,stance,date,source,confidence,contradicts\n"
        "a,A,t,endorses,2025-11-21,AP,0.9,\nb,B,t,rejects,2025-11-22,AP,,a\nc,C,t,endorses,2025-11-22,AP,0.5,\n",
        encoding="utf-8",
    )
    base = ("network", "--statements", str(path), "--type", "twomode")
    code, out, _ = run_cli(store_dir, capsys, *base, "--contested", "exclude")
    assert code == 0 and set(_ties(out)) == {"C"}
    code, out, _ = run_cli(store_dir, capsys, *base, "--min-confidence", "0.6")
    assert code == 0 and set(_ties(out)) == {"A"}


def test_network_backbone_and_threshold_options(store_dir, capsys):
    def ties(*options: str) -> set[tuple[str, str]]:
        code, out, _ = run_cli(store_dir, capsys, "network", "--aggregation", "subtract", *options)
        assert code == 0
        rows = list(csv.reader(io.StringIO(out)))
        labels = rows[0][1:]
        return {(row[0], labels[j]) for row in rows[1:] for j, v in enumerate(row[1:]) if float(v)}

    everything = ties()
    heavy = ties("--min-weight", "5")
    backbone = ties("--backbone", "0.5")
    assert heavy and heavy < everything and backbone and backbone < everything
    assert ("France", "United States") in heavy  # -5: a conflict tie is as heavy as an agreement tie
    code, _, err = run_cli(store_dir, capsys, "network", "--backbone", "0")
    assert code == 2 and "alpha must be in (0, 1]" in err  # a bad option value, as typer exits

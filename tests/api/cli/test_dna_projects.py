"""``stancegraph load`` and ``validate`` of DNA projects: --statement-type, --actor-variable, the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_cli


@pytest.fixture
def project(dna_project):  # noqa: ANN001, ANN201
    p = dna_project("hearing.dna")
    text = "We back the cap. We reject the tax. I back the cap too."
    document = p.document("Hearing", text, date="2005-01-26")
    ana = p.coder("Ana")
    p.statement(document, 0, 16, coder=ana, person="Ann", organization="Alliance", concept="Cap", agreement=1)
    p.statement(
        document, 17, 35, coder=ana, person="Ann", organization="Alliance", concept="Tax", agreement=0
    )
    p.statement(document, 36, 55, coder=ana, person="Bob", organization="Club", concept="Cap", agreement=1)
    scale = p.statement_type("Scale", organization="short text", concept="short text", agreement="integer")
    p.statement(document, 0, 16, statement_type=scale, organization="Alliance", concept="Cap", agreement=2)
    p.attributes("organization", "Club", colour=(0, 204, 0), Type="NGO")
    return p.save()


def test_validate_and_load_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    store = tmp_path / "store"
    code, _, err = run_cli(store, capsys, "validate", str(project))
    assert code == 0 and "1 file(s) valid" in err
    code, _, err = run_cli(store, capsys, "load", str(project))
    assert code == 0 and "3 stances" in err
    code, out, _ = run_cli(store, capsys, "stances", "--format", "json")
    found = json.loads(out)
    assert sorted(s["actor_label"] for s in found) == ["Alliance", "Alliance", "Club"]


def test_the_statement_type_and_the_actor_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    store = tmp_path / "store"
    code, _, err = run_cli(store, capsys, "load", str(project), "--statement-type", "Scale")
    assert code == 0 and "1 stances" in err
    other = tmp_path / "people"
    code, _, err = run_cli(other, capsys, "load", str(project), "--actor-variable", "person")
    assert code == 0
    code, out, _ = run_cli(other, capsys, "actors", "--format", "json")
    assert sorted(a["label"] for a in json.loads(out)) == ["Ann", "Bob"]


def test_an_unknown_statement_type_lists_the_project_s_types_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    store = tmp_path / "store"
    code, _, err = run_cli(store, capsys, "load", str(project), "--statement-type", "Speech")
    assert code == 1
    assert (
        "no statement type 'Speech'" in err and "'DNA Statement' (3 statements)" in err and "'Scale'" in err
    )
    code, out, _ = run_cli(store, capsys, "info")
    assert "stances: 0" in out
    code, out, _ = run_cli(
        store, capsys, "validate", str(project), "--statement-type", "Speech", "--format", "json"
    )
    assert code == 1 and "no statement type 'Speech'" in out


def test_a_dna_2_project_is_refused_naming_its_version(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    dna_project,  # noqa: ANN001
) -> None:
    p = dna_project("old.dna", version="2.0 beta 25")
    p.db.execute("CREATE TABLE ATTRIBUTES (ID INTEGER)")
    code, _, err = run_cli(tmp_path / "store", capsys, "validate", str(p.save()))
    assert code == 1 and "DNA 2.0 beta 25" in err and "Import from DNA database" in err

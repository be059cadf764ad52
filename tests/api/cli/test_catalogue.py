"""`stancegraph actors | targets | sources`: the listings, and the sources as citations."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pybtex.database
import pytest

from .conftest import init_cli_store, run_cli


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return init_cli_store(tmp_path_factory, "cli-catalogue")


def test_sources_as_bibtex_csl_json_and_apa(store_dir, capsys) -> None:
    code, out, _ = run_cli(store_dir, capsys, "sources", "--format", "csv")
    assert code == 0
    listed = list(csv.DictReader(io.StringIO(out)))
    ids = sorted(row["id"] for row in listed)
    assert len(ids) == 9 and {row["kind"] for row in listed} == {"article", "statement", "transcript"}
    code, out, _ = run_cli(store_dir, capsys, "sources", "--format", "bibtex")
    assert code == 0
    assert sorted(pybtex.database.parse_string(out, "bibtex").entries) == ids
    code, out, _ = run_cli(store_dir, capsys, "sources", "-f", "csl-json")
    assert code == 0
    items = json.loads(out)
    assert sorted(i["id"] for i in items) == ids and all("URL" not in i for i in items)
    code, out, _ = run_cli(store_dir, capsys, "sources", "--format", "apa")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 9 and lines[0].startswith("The counter-proposal of Britain, France and Germany")
    assert (
        "Transcript of President Putin's remarks on the US peace plan [Transcript]. (2025, November 21). "
        "TASS; Interfax." in lines
    )


def test_an_unknown_sources_format_is_a_usage_error(store_dir, capsys) -> None:
    code, _, err = run_cli(store_dir, capsys, "sources", "--format", "ris")
    assert code == 2 and "bibtex" in err and "csl-json" in err

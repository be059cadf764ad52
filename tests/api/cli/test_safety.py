"""Hostile data through the command line: huge CSV cells, rich markup and escape sequences in quotes,
formula cells in CSV output. Each gives an answer or a clear error, never a traceback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from stancegraph.api.cli.output import Format, terminal_text, write_rows
from stancegraph.graph.ingestion.csv_input import CSV_FIELD_LIMIT

from .conftest import run_cli

HEADER = "actor,target,stance,date,document,source,quote\n"
FORMULA = "=cmd|' /C calc'!A0"
HOSTILE_QUOTE = "[/bold] [link=https://evil.example]x[/link] \x1b[31mred"
QUOTES = "SELECT ?quote WHERE { ?s <https://w3id.org/stancegraph/ontology#quote> ?quote }"
ACTORS = (
    "SELECT ?actor WHERE { ?s <https://w3id.org/stancegraph/ontology#actor> ?a . "
    "?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?actor }"
)


def _table(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _row(actor: str, target: str, quote: str) -> str:
    quoted = '"' + quote.replace('"', '""') + '"'
    return f"{actor},{target},endorses,2025-11-21,Formula report,Example,{quoted}\n"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    """A store with two stances on one target: a formula actor with the hostile quote, and a plain one."""
    folder = tmp_path_factory.mktemp("hostile")
    table = _table(
        folder, "hostile.csv", _row(FORMULA, "Point 7", HOSTILE_QUOTE), _row("Plain Actor", "Point 7", "fine")
    )
    from stancegraph.api.cli.commands import main

    assert main(["--store", str(folder / "store"), "load", str(table), "--no-progress"]) == 0
    return folder / "store"


# -- markup and control characters in table output --------------------------------------------------------
# the stances are in source graphs: --union (the CLI's default graph is the store's own, as on /sparql)
@pytest.mark.parametrize("command", [["stances"], ["query", QUOTES, "--union"]], ids=["stances", "query"])
def test_table_output_shows_markup_literally_and_escapes_control_characters(hostile_store, capsys, command):
    code, out, err = run_cli(hostile_store, capsys, *command)
    assert code == 0, err
    assert "Traceback" not in err and "\x1b" not in out and "\x1b" not in err
    assert "[/bold] [link=https://evil.example]x[/link] \\x1b[31mred" in out
    assert "2 rows" in out.splitlines()[-1]


def test_terminal_text_escapes_c0_c1_and_bidi_controls_but_keeps_tabs_and_newlines():
    assert terminal_text("a\tb\nc") == "a\tb\nc"
    assert terminal_text("\x00\x07\x1b\r\x7f\x9b\u202e") == "\\x00\\x07\\x1b\\x0d\\x7f\\x9b\\u202e"
    assert terminal_text("Zelensky, Зеленський, زيلينسكي") == "Zelensky, Зеленський, زيلينسكي"


# -- formula cells in CSV output --------------------------------------------------------------------------
def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_stances_csv_puts_a_quote_before_a_formula_cell(hostile_store, capsys):
    code, out, _ = run_cli(hostile_store, capsys, "stances", "--format", "csv")
    assert code == 0
    assert sorted(r["actor"] for r in _csv(out)) == ["'" + FORMULA, "Plain Actor"]
    assert HOSTILE_QUOTE in {r["quote"] for r in _csv(out)}  # CSV is data: the quote is kept whole


def test_query_csv_puts_a_quote_before_a_formula_cell(hostile_store, capsys):
    code, out, _ = run_cli(hostile_store, capsys, "query", ACTORS, "--union", "--format", "csv")
    assert code == 0
    assert sorted(r["actor"] for r in _csv(out)) == ["'" + FORMULA, "Plain Actor"]


def test_json_output_keeps_the_values_as_they_are(hostile_store, capsys):
    code, out, _ = run_cli(hostile_store, capsys, "stances", "--format", "json")
    assert code == 0
    assert sorted(s["actor_label"] for s in json.loads(out)) == [FORMULA, "Plain Actor"]


@pytest.mark.parametrize("options", [[], ["--aggregation", "congruence"], ["--type", "twomode"]])
def test_network_csv_puts_a_quote_before_a_formula_label(hostile_store, capsys, options):
    code, out, _ = run_cli(hostile_store, capsys, "network", "--format", "csv", *options)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert "'" + FORMULA in [row[0] for row in rows[1:]]
    if "--type" not in options:
        assert "'" + FORMULA in rows[0]


def test_numbers_in_csv_stay_numbers(tmp_path):
    out = io.StringIO()
    write_rows(["name", "weight", "count"], [("-x", -0.5, -3), ("@y", "+1e-3", 0)], Format.csv, out=out)
    assert out.getvalue().splitlines() == ["name,weight,count", "'-x,-0.5,-3", "'@y,+1e-3,0"]


# -- cells over the csv module's default limit (131,072 characters) ---------------------------------------
@pytest.fixture(scope="module")
def long_quote(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("long-quote")
    return _table(folder, "long.csv", _row("Long Talker", "Point 9", "x" * 200_000))


def test_validate_reads_a_200000_character_quote(long_quote, tmp_path, capsys):
    code, _, err = run_cli(tmp_path / "store", capsys, "validate", str(long_quote))
    assert code == 0 and "1 file(s) valid" in err and "Traceback" not in err


def test_load_stores_a_200000_character_quote(long_quote, tmp_path, capsys):
    code, _, err = run_cli(tmp_path / "store", capsys, "load", str(long_quote), "--no-progress")
    assert code == 0 and "1 stances" in err and "Traceback" not in err
    code, out, _ = run_cli(tmp_path / "store", capsys, "stances", "--format", "json")
    assert [len(s["quote"]) for s in json.loads(out)] == [200_000]


def test_network_reads_a_statements_csv_with_a_200000_character_quote(long_quote, tmp_path, capsys):
    code, out, err = run_cli(tmp_path / "store", capsys, "network", "--statements", str(long_quote))
    assert code == 0 and "Traceback" not in err
    assert out.splitlines() == [",Long Talker", "Long Talker,0"]


@pytest.fixture(scope="module")
def too_long(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("too-long")
    huge = "x" * (CSV_FIELD_LIMIT + 1)
    return _table(folder, "huge.csv", _row("A", "Point 9", "ok"), _row("B", "Point 9", huge))


@pytest.mark.parametrize("command", [["validate"], ["load", "--no-progress"], ["network", "--statements"]])
def test_a_cell_over_the_limit_is_refused_with_file_line_and_the_limit(too_long, tmp_path, capsys, command):
    code, out, err = run_cli(tmp_path / "store", capsys, *command, str(too_long))
    assert code in (1, 2) and out == ""
    assert f"{too_long}:3" in err and f"{CSV_FIELD_LIMIT:,} characters" in err
    assert "Traceback" not in err
    if command[0] == "load":
        code, out, _ = run_cli(tmp_path / "store", capsys, "info")
        assert "stances: 0" in out

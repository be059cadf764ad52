"""One statements reader: `validate`, `load` and `network --statements` accept and refuse the same files.

The analysis once had a reader of its own that took files `validate` refuses: an unknown column, both a
`stance` and an `agreement` column, the date 20251121. Now all three commands read through
`StatementsReader` and the checks of `validate`, so each bad file is refused by all three with the same
violations, and each good file is taken by all three. The files the Discourse Network Analyzer writes
(its column names, times of day, coders, ``;`` between cells) are among them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli

HEAD = "actor,target,stance,date,document,source\n"
GOOD = {
    "plain.csv": HEAD
    + "US,Point 7,endorses,2025-11-21,Plan text,Axios\nUkraine,Point 7,rejects,2025-11-22,Address,AP\n",
    "agreement.csv": "actor,target,agreement,date,source\n"
    "US,Point 7,1,2025-11-21,Axios\nRussia,Point 7,0,2025-11-22,TASS\n",
    "neutral-and-ids.csv": "id,actor,target,stance,date,source,contradicts\n"
    "c1,US,Point 7,endorses,2025-11-21,Axios,\nd1,Ukraine,Point 7,neutral,2025-11-22,AP,c1\n",
    # DNA's names, a boolean agreement, times of day, and one statement coded by two coders
    "dna-boolean.csv": "organization,concept,agreement,time,coder,document,source\n"
    "US,Point 7,1,2025-11-22 10:00:00,Ana,Plan text,Axios\n"
    "US,Point 7,1,2025-11-22 10:00:00,Ben,Plan text,Axios\n"
    "Russia,Point 7,0,2025-11-23 09:30:00,Ana,Readout,TASS\n"
    "Ukraine,Point 7,0,2025-11-23 18:00,Ben,Address,AP\n",
    # rDNA's names (write.csv), a speaker beside the organisation, an integer scale
    "dna-scale.csv": "person,organization,concept,agreement,time,coder,document_title,document_source\n"
    "Witkoff,US,Point 7,2,2025-11-22 10:00:00,1,Plan text,Axios\n"
    ",Russia,Point 7,-2,2025-11-23 09:30:00,1,Readout,TASS\n"
    ",Ukraine,Point 7,0,2025-11-23 18:00:00,2,Address,AP\n",
    # a person but no organization: a network of people
    "dna-people.csv": "person,concept,agreement,time,coder,document_title,document_source\n"
    "Witkoff,Point 7,1,2025-11-22 10:00:00,1,Plan text,Axios\n"
    "Umerov,Point 7,0,2025-11-23 18:00:00,1,Address,AP\n",
    # DNA's export dialog writes ";" between the cells
    "dna-semicolons.csv": '"time";"document title";"source";"person";"organization";"concept";"agreement"\n'
    '2025-11-22 10:00:00;"Plan text, draft";"Axios";"";"US";"Point 7";1\n'
    '2025-11-23 09:30:00;"Readout";"TASS";"";"Russia";"Point 7";0\n',
}
BAD = {
    # the three files the analysis reader used to take
    "unknown-column.csv": (
        "actor,target,stance,date,source,mood\nUS,Point 7,endorses,2025-11-21,Axios,happy\n",
        1,
    ),
    "stance-and-agreement.csv": (
        "actor,target,stance,agreement,date,source\nUS,Point 7,endorses,1,2025-11-21,Axios\n",
        1,
    ),
    "compact-date.csv": (HEAD + "US,Point 7,endorses,20251121,Plan text,Axios\n", 2),
    # and what both refused, or only validate did
    "no-date.csv": ("actor,target,stance,source\nUS,Point 7,endorses,Axios\n", 2),
    "bad-stance.csv": (HEAD + "US,Point 7,likes,2025-11-21,Plan text,Axios\n", 2),
    "repeated-id.csv": (
        "id,actor,target,stance,date,source\nc1,US,Point 7,endorses,2025-11-21,Axios\n"
        "c1,US,Point 8,endorses,2025-11-21,Axios\n",
        3,
    ),
    "dangling-contradicts.csv": (
        "id,actor,target,stance,date,source,contradicts\nd1,US,Point 7,rejects,2025-11-21,Axios,c9\n",
        2,
    ),
    # DNA's columns that have no place in a statements table (the message says what to do with each)
    "dna-statement-id-and-text.csv": (
        "statement_id,organization,concept,agreement,time,text,document_title,document_source\n"
        "7,US,Point 7,1,2025-11-22 10:00:00,We back it,Plan text,Axios\n",
        1,
    ),
    # one column under our name and DNA's
    "dna-actor-and-organization.csv": (
        "actor,organization,concept,agreement,time,source\nUS,US,Point 7,1,2025-11-22 10:00:00,Axios\n",
        1,
    ),
    "dna-no-such-time.csv": (
        "organization,concept,agreement,time,coder,source\nUS,Point 7,1,2025-11-22 25:00:00,Ana,Axios\n",
        2,
    ),
    # a document needs its publisher (DNA's document source), as in every statements table
    "dna-no-source.csv": (
        "organization,concept,agreement,time,coder,document\n"
        "US,Point 7,1,2025-11-22 10:00:00,Ana,Plan text\n",
        2,
    ),
}
COMMANDS = {
    "validate": ["validate"],
    "load": ["load", "--no-progress"],
    "network": ["network", "--statements"],
}


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, (text, _) in BAD.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_is_refused_alike_by_validate_load_and_network(tables, tmp_path, capsys, name):
    path = tables / name
    answers = {}
    for command, args in COMMANDS.items():
        code, out, err = run_cli(tmp_path / command, capsys, *args, str(path))
        assert code == 1 and out == "" and "Traceback" not in err, (command, err)
        answers[command] = [line for line in err.splitlines() if line.lstrip().startswith("- ")]
    assert answers["validate"], answers
    assert answers["load"] == answers["validate"] and answers["network"] == answers["validate"]
    assert f"{path}:{BAD[name][1]}" in "\n".join(answers["validate"])
    code, out, _ = run_cli(tmp_path / "load", capsys, "info")
    assert "stances: 0" in out  # the refused load stored nothing


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_good_file_is_taken_alike_by_validate_load_and_network(tables, tmp_path, capsys, name):
    path = tables / name
    for command, args in COMMANDS.items():
        code, out, err = run_cli(tmp_path / command, capsys, *args, str(path))
        assert code == 0 and "Traceback" not in err, (command, err)
        if command == "network":
            assert out.startswith(",")  # the actor x actor matrix


@pytest.mark.parametrize("name", sorted(n for n in GOOD if n.startswith("dna-")))
@pytest.mark.parametrize("aggregation", ["congruence", "conflict"])
def test_a_dna_file_gives_the_network_its_loaded_store_gives(tables, tmp_path, capsys, name, aggregation):
    path = tables / name
    code, from_csv, err = run_cli(
        tmp_path, capsys, "network", "--statements", str(path), "--aggregation", aggregation
    )
    assert code == 0, err
    assert run_cli(tmp_path, capsys, "load", "--no-progress", str(path))[0] == 0
    code, from_store, err = run_cli(tmp_path, capsys, "network", "--aggregation", aggregation)
    assert code == 0, err
    assert from_csv == from_store and len(from_csv.splitlines()) >= 3  # a header and two actors at least

"""The command line as a new user meets it: init, then the questions, then loading files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stancegraph.api.cli.commands import main

from .conftest import folder_held_by_another_process, init_cli_store, run_cli


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return init_cli_store(tmp_path_factory, "cli")


def test_init_twice_keeps_the_store_and_says_how_to_reset(store_dir, capsys):
    code, _, err = run_cli(store_dir, capsys, "init")
    assert code == 0 and "--reset" in err


def test_who_endorses_the_army_cap_lists_the_united_states(store_dir, capsys):
    code, out, _ = run_cli(store_dir, capsys, "who", "endorses", "us-28/6", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "actor,id,reports,confidence,contested,sources"
    # inferred from authorship: the data set's rule puts it at 0.5-0.7
    assert any(line.startswith("United States,us,1,0.6,False,") for line in out.splitlines()[1:])


def test_the_28_points_are_there_with_their_numbers(store_dir, capsys):
    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?n WHERE { ?p skos:inScheme "
        "<https://w3id.org/stancegraph/id/plan/us-28> ; skos:notation ?n }"
    )
    code, out, _ = run_cli(store_dir, capsys, "query", query, "--format", "json")
    assert code == 0
    numbers = sorted(int(b["n"]["value"]) for b in json.loads(out)["results"]["bindings"])
    assert numbers == list(range(1, 29))


def test_the_umerov_stances_come_out_contested(store_dir, capsys):
    code, out, _ = run_cli(
        store_dir, capsys, "stances", "--actor", "umerov", "--contested", "--format", "json"
    )
    assert code == 0
    found = json.loads(out)
    assert len(found) == 2 and all(s["contested"] for s in found)
    assert [s["stance"] for s in found] == ["endorses", "neutral"]  # the claim; the denial approved nothing


def test_ask_rows_carry_confidence_and_contested_and_no_denied_claim(store_dir, capsys):
    code, out, _ = run_cli(store_dir, capsys, "ask", "?a neutral ?t contested", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "a,t,stances,confidence,contested"
    rows = sorted(out.splitlines()[1:])  # the Umerov denial, for him and for Ukraine: quoted, 0.9
    assert rows == [
        "Rustem Umerov,US 28-point peace plan,1,0.9,True",
        "Ukraine,US 28-point peace plan,1,0.9,True",
    ]
    code, out, _ = run_cli(store_dir, capsys, "ask", "umerov ?s us-28", "--format", "json")
    (answers,) = json.loads(out)
    assert [a["values"]["s"]["id"] for a in answers["answers"]] == ["neutral"]  # not the claim he denied
    assert answers["answers"][0]["confidence"] == 0.9 and answers["answers"][0]["contested"] is True
    code, out, _ = run_cli(store_dir, capsys, "ask", "?a endorses ?t contested")
    assert code == 0 and out.splitlines()[-1] == "0 rows"  # the only one is the denied claim
    code, out, _ = run_cli(store_dir, capsys, "ask", "?who endorses us-28/6")
    assert [cell.strip() for cell in out.splitlines()[3].split("│")[1:-1]] == [
        "United States",
        "1",
        "0.6",
        "False",
    ]


def test_plan_fit_shows_most_of_russias_demands_fulfilled(store_dir, capsys):
    code, out, err = run_cli(store_dir, capsys, "plan-fit", "us-28", "--format", "csv")
    assert code == 0 and "plan:" in err
    rows = {line.split(",")[0]: line.split(",") for line in out.splitlines()[1:]}
    demands, fulfilled = int(rows["Russia"][1]), int(rows["Russia"][2])
    assert fulfilled * 2 > demands
    assert "all 28 points recorded" in err


def test_plan_fit_of_a_partial_version_says_so(store_dir, capsys):
    code, out, err = run_cli(store_dir, capsys, "plan-fit", "us-ua-19", "--format", "csv")
    assert code == 0 and "3 of 19 points recorded" in err and "not recorded" in err
    code, out, _ = run_cli(store_dir, capsys, "plan-fit", "us-ua-19", "--format", "json")
    assert json.loads(out)[0]["coverage"].startswith("3 of 19")


def test_a_table_is_readable(store_dir, capsys):
    code, out, _ = run_cli(store_dir, capsys, "positions", "russia")
    assert code == 0 and "target" in out and "rows" in out.splitlines()[-1]


def test_export_writes_parseable_turtle(store_dir, capsys, tmp_path):
    import pyoxigraph

    target = tmp_path / "graph.ttl"
    code, _, _ = run_cli(store_dir, capsys, "export", "--format", "turtle", "--default", "--out", str(target))
    assert code == 0
    triples = list(pyoxigraph.parse(path=str(target), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) > 100


def test_export_to_a_triple_format_refuses_to_drop_the_source_graphs(store_dir, capsys, tmp_path):
    target = tmp_path / "graph.ttl"
    code, out, err = run_cli(store_dir, capsys, "export", "--format", "turtle", "--out", str(target))
    assert code == 2 and "9 named graphs" in err and "trig, nquads or jsonld" in err and "--default" in err
    assert "Traceback" not in err
    code, out, _ = run_cli(store_dir, capsys, "export", "--format", "nquads")
    assert code == 0 and sum(1 for line in out.splitlines() if "/id/source/" in line.rsplit(" ", 2)[-2]) > 80


def _count(store_dir, capsys) -> str:
    code, out, _ = run_cli(store_dir, capsys, "info")
    assert code == 0
    return out


def test_a_turtle_syntax_error_is_refused_with_its_line_and_stores_nothing(store_dir, capsys, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sg: <https://w3id.org/stancegraph/ontology#> .\n\nsg:a sg:b sg:c ;;; .\n<x> <y\n")
    before = _count(store_dir, capsys)
    code, _, err = run_cli(store_dir, capsys, "load", str(bad))
    assert code == 1 and "bad.ttl" in err and ":4" in err
    assert _count(store_dir, capsys) == before


def test_a_csv_with_a_missing_actor_is_refused_naming_the_row(store_dir, capsys, tmp_path):
    csv_file = tmp_path / "statements.csv"
    csv_file.write_text(
        "actor,target,stance,date,source\n"
        "Poland,us-28/9,endorses,2025-11-22,Reuters\n"
        ",us-28/6,rejects,2025-11-22,Reuters\n"
    )
    before = _count(store_dir, capsys)
    for command in ("validate", "load"):
        code, _, err = run_cli(store_dir, capsys, command, str(csv_file))
        assert code == 1 and "statements.csv:3" in err and "actor" in err
    assert _count(store_dir, capsys) == before


def test_a_stance_without_a_source_is_refused(store_dir, capsys, tmp_path):
    ttl = tmp_path / "nosource.trig"
    ttl.write_text(
        "@prefix sg: <https://w3id.org/stancegraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix id: <https://w3id.org/stancegraph/id/> .\n"
        "<https://w3id.org/stancegraph/id/source/x> {\n"
        "  <https://w3id.org/stancegraph/id/stance/x1> a sg:Stance ;\n"
        "    sg:actor <https://w3id.org/stancegraph/id/actor/us> ;\n"
        "    sg:target <https://w3id.org/stancegraph/id/plan/us-28> ;\n"
        "    sg:stanceType sg:Endorses ;\n"
        '    sg:statedOn "2025-11-22"^^xsd:date .\n'
        "}\n"
    )
    before = _count(store_dir, capsys)
    code, _, err = run_cli(store_dir, capsys, "load", str(ttl))
    assert code == 1
    assert "https://w3id.org/stancegraph/id/stance/x1" in err and "wasDerivedFrom" in err
    assert _count(store_dir, capsys) == before


def test_a_valid_csv_loads_and_answers(store_dir, capsys, tmp_path):
    csv_file = tmp_path / "poland.csv"
    csv_file.write_text(
        "actor,target,stance,date,source,quote\n"
        'Poland,us-28/9,endorses,2025-11-22,Polish government,"Jets, yes"\n'
    )
    code, _, err = run_cli(store_dir, capsys, "load", str(csv_file))
    assert code == 0 and "1 stances" in err
    code, out, _ = run_cli(store_dir, capsys, "who", "endorses", "us-28/9", "--format", "csv")
    assert "Poland" in out


def test_an_unknown_name_is_an_error_not_a_traceback(store_dir, capsys):
    code, out, err = run_cli(store_dir, capsys, "who", "endorses", "no-such-thing")
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err


def test_the_console_script_runs_as_a_new_user_would(tmp_path):
    exe = Path(sys.executable).with_name("stancegraph")
    env = {"PATH": f"{exe.parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
    init = subprocess.run([str(exe), "init"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    assert (tmp_path / ".stancegraph" / "store").is_dir()
    who = subprocess.run(
        [str(exe), "who", "endorses", "us-28/6"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert who.returncode == 0 and "United States" in who.stdout


# the same answers from an Oxigraph server and from Virtuoso: test_remote_servers.py


@pytest.mark.parametrize("args", [["who"], ["--bogus"], ["stances", "--since"], ["nonsense-command"]])
def test_usage_errors_say_what_is_wrong_without_a_traceback(capsys, args):
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "Usage:" in err or "Error" in err


def test_serve_on_a_locked_store_says_who_holds_it_instead_of_starting(tmp_path, capsys):
    folder = tmp_path / "store"
    with folder_held_by_another_process(folder) as holder:
        code, out, err = run_cli(folder, capsys, "serve", "--port", "9")
    assert code == 2
    assert err.startswith("error: the store folder") and f"locked by process {holder.pid}" in err
    assert "Traceback" not in err and "Uvicorn running" not in out + err


@pytest.mark.parametrize("kind", ["actor", "target"])
def test_the_command_an_unknown_name_points_to_lists_the_names(store_dir, capsys, kind):
    args = ["positions", "nobody"] if kind == "actor" else ["who", "endorses", "nothing"]
    code, _, err = run_cli(store_dir, capsys, *args)
    assert code == 2
    hint = err.rsplit("list the names with `stancegraph ", 1)[1].split("`")[0]
    code, out, _ = run_cli(store_dir, capsys, hint, "--format", "csv")
    assert code == 0
    ids = {line.split(",")[0] for line in out.splitlines()[1:]}
    assert ("russia" if kind == "actor" else "ru-no-nato") in ids


def test_loading_the_same_file_twice_says_nothing_new_was_added(tmp_path, capsys):
    table = tmp_path / "statements.csv"
    table.write_text(
        "actor,target,stance,date,source\nPoland,us-28/6,rejects,2025-11-24,Polish government\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    code, _, err = run_cli(store, capsys, "load", "--no-progress", str(table))
    assert code == 0 and ", 0 of them new" not in err
    code, _, err = run_cli(store, capsys, "load", "--no-progress", str(table))
    assert code == 0 and ", 0 of them new" in err


def test_the_stances_table_says_which_claim_its_actor_denied(store_dir, capsys):
    code, out, _ = run_cli(store_dir, capsys, "stances", "--contested", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["stance"], r["denied"]) for r in rows if r["person"] == "Rustem Umerov"} == {
        ("endorses", "True"),
        ("neutral", "False"),
    }


def test_a_confidence_that_is_no_decimal_is_refused_on_an_actor_too(store_dir, capsys, tmp_path):
    trig = tmp_path / "actor.trig"
    trig.write_text(
        "@prefix sg: <https://w3id.org/stancegraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix actor: <https://w3id.org/stancegraph/id/actor/> .\n"
        '\nactor:x a sg:State ; skos:prefLabel "X"@en ;\n  sg:confidence "high" .\n'
    )
    before = _count(store_dir, capsys)
    for command in ("validate", "load"):
        code, _, err = run_cli(store_dir, capsys, command, str(trig))
        assert code == 1, err
        # where (file:line, node, property), what (the rule) and how to fix it
        assert "actor.trig:5" in err and "node <https://w3id.org/stancegraph/id/actor/x>" in err
        assert "property <https://w3id.org/stancegraph/ontology#confidence>" in err and "sh:datatype" in err
        assert "write a decimal from 0 to 1" in err
    assert _count(store_dir, capsys) == before


def test_a_stance_property_on_an_actor_is_refused_however_well_formed(store_dir, capsys, tmp_path):
    # actor:russia is stored (the bundled data, a sg:State): a valid decimal, but sg:confidence is said of
    # stances only (its rdfs:domain), so the write is refused and nothing is stored
    trig = tmp_path / "russia.trig"
    trig.write_text(
        "@prefix sg: <https://w3id.org/stancegraph/ontology#> .\n"
        "@prefix actor: <https://w3id.org/stancegraph/id/actor/> .\n"
        "\nactor:russia sg:confidence 0.5 .\n"
    )
    before = _count(store_dir, capsys)
    for command in ("validate", "load"):
        code, _, err = run_cli(store_dir, capsys, command, str(trig))
        assert code == 1, err
        assert "russia.trig:4" in err and "node <https://w3id.org/stancegraph/id/actor/russia>" in err
        assert "property <https://w3id.org/stancegraph/ontology#confidence>" in err and "sh:class" in err
        assert "its rdfs:domain is sg:Stance" in err and "move the triple to the stance" in err
        assert "sh:datatype" not in err  # the value itself is fine
    assert _count(store_dir, capsys) == before


def test_a_repeated_csv_row_is_a_warning_naming_both_lines_and_is_stored_once(tmp_path, capsys):
    row = "Poland,us-28/9,endorses,2025-11-22,Polish government,Jets yes\n"
    table = tmp_path / "statements.csv"
    table.write_text("actor,target,stance,date,source,quote\n" + row + row.replace("Jets yes", "Jets!"))
    store = tmp_path / "store"
    code, _, err = run_cli(store, capsys, "validate", str(table))
    assert code == 0 and "1 file(s) valid, 1 warning(s)" in err
    assert f"warning: {table}:3" in err and "line 3 repeats line 2" in err and "quote ('Jets!' here" in err
    code, out, _ = run_cli(store, capsys, "validate", "--format", "json", str(table))
    found = json.loads(out)
    assert found["valid"] and [(w["line"], w["rule"]) for w in found["warnings"]] == [(3, "duplicate")]
    code, _, err = run_cli(store, capsys, "load", "--no-progress", str(table))
    assert code == 0 and "line 3 repeats line 2" in err
    assert "(1 stances, 1 repeated row(s) stored once," in err
    code, out, _ = run_cli(store, capsys, "load", "--no-progress", "--format", "json", str(table))
    report = json.loads(out)
    assert (report["stances"], report["added"], report["warnings"][0]["line"]) == (1, 0, 3)
    code, out, _ = run_cli(store, capsys, "info")
    assert "stances: 1" in out


def test_positions_and_plan_fit_list_confidence_and_contested(store_dir, capsys):
    code, out, _ = run_cli(store_dir, capsys, "positions", "ukraine", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "target,latest,history,reports,confidence,contested"
    rows = {line.split(",")[0]: line for line in out.splitlines()[1:]}
    # the latest report (neutral, 0.9) gives the position; the denied claim and the denial make it contested
    assert rows["US 28-point peace plan"].endswith(" -> neutral,4,0.9,True")
    code, out, _ = run_cli(store_dir, capsys, "plan-fit", "us-28", "--detail", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("actor,demand,confidence,contested,verdict")
    code, out, _ = run_cli(store_dir, capsys, "who", "neutral", "us-28", "--format", "json")
    ukraine = next(h for h in json.loads(out) if h["label"] == "Ukraine")  # Umerov's denial, quoted
    assert ukraine["confidence"] == 0.9 and ukraine["contested"] is True
    assert all("contested" in s and "confidence" in s for s in ukraine["stances"])


def test_repeats_across_files_and_of_the_store_are_warnings_and_a_reload_one_summary_line(tmp_path, capsys):
    header = "actor,target,stance,date,source,quote\n"
    row = "Poland,us-28/9,endorses,2025-11-22,Polish government,Jets yes\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(header + row)
    second.write_text(
        header + "Ukraine,us-28/9,rejects,2025-11-22,Kyiv,\n" + row.replace("Jets yes", "Jets!")
    )
    store = tmp_path / "store"
    code, _, err = run_cli(store, capsys, "load", "--no-progress", str(first), str(second))
    assert code == 0 and f"warning: {second}:3" in err and f"line 3 repeats {first} line 2" in err
    assert "(2 stances, 1 repeated row(s) stored once," in err
    code, _, err = run_cli(store, capsys, "load", "--no-progress", "--against-store", str(second))
    assert code == 0 and f"warning: {second}:3" in err and "repeats the stance <" in err
    assert "already in the store" in err and "(1 stances, 1 of them already in the store, 1 repeated" in err
    code, _, err = run_cli(store, capsys, "load", "--no-progress", "--against-store", str(first))
    assert (
        code == 0
        and "warning" not in err
        and "0 of them new (1 stances, 1 of them already in the store," in err
    )
    code, _, err = run_cli(store, capsys, "validate", "--against-store", str(first))
    assert code == 0 and err.strip().endswith("1 file(s) valid, 1 row(s) already in the store")
    again = ("load", "--no-progress", "--against-store", "--format", "json", str(first))
    code, out, _ = run_cli(store, capsys, *again)
    assert json.loads(out)["already_stored"] == 1
    code, out, _ = run_cli(store, capsys, "info")
    assert "stances: 2" in out


def test_a_refused_load_prints_its_warnings_before_the_errors_and_json_carries_them(tmp_path, capsys):
    row = "Poland,us-28/9,endorses,2025-11-22,Polish government,Jets yes\n"
    table = tmp_path / "statements.csv"
    table.write_text("actor,target,stance,date,source,quote\n" + row + row + row.replace("11-22", "02-30"))
    store = tmp_path / "store"
    code, out, err = run_cli(store, capsys, "load", "--no-progress", str(table))
    assert code == 1 and out == ""
    assert f"warning: {table}:3" in err and "line 3 repeats line 2" in err
    assert err.index("warning:") < err.index("error: 1 violation")
    code, out, err = run_cli(store, capsys, "load", "--no-progress", "--format", "json", str(table))
    found = json.loads(out)
    assert code == 1 and not found["valid"] and "nothing was stored" in err
    assert [v["line"] for v in found["violations"]] == [4]
    assert [(w["line"], w["rule"]) for w in found["warnings"]] == [(3, "duplicate")]
    code, out, _ = run_cli(store, capsys, "load", "--no-progress", "--format", "csv", str(table))
    assert code == 1 and [line.split(",")[0] for line in out.splitlines()] == ["severity", "error", "warning"]
    code, out, _ = run_cli(store, capsys, "info")
    assert "stances: 0" in out


def test_stances_name_their_coder_in_the_table_csv_and_json(tmp_path, capsys):
    table = tmp_path / "coded.csv"
    table.write_text(
        "organization,concept,agreement,time,coder,document_title,document_source\n"
        "Poland,us-28/9,1,2025-11-22 10:00:00,Ana,Polish statement,Polish government\n"
        "Poland,us-28/9,1,2025-11-22 10:00:00,Ben,Polish statement,Polish government\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    code, _, err = run_cli(store, capsys, "load", "--no-progress", str(table))
    assert code == 0 and "2 stances" in err
    code, out, _ = run_cli(store, capsys, "stances", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted((r["actor"], r["coder"]) for r in rows) == [("Poland", "Ana"), ("Poland", "Ben")]
    code, out, _ = run_cli(store, capsys, "stances", "--format", "json")
    found = json.loads(out)
    assert sorted(s["coder_label"] for s in found) == ["Ana", "Ben"]
    assert {s["coder"] for s in found} == {
        "https://w3id.org/stancegraph/id/coder/ana",
        "https://w3id.org/stancegraph/id/coder/ben",
    }
    assert {(s["stated_on"], s["stated_at"]) for s in found} == {("2025-11-22", "2025-11-22T10:00:00")}
    code, out, _ = run_cli(store, capsys, "stances")
    assert code == 0 and "coder" in out.splitlines()[1] and "Ana" in out
    code, out, _ = run_cli(store, capsys, "actors", "--format", "csv")
    assert "Ana" not in out and "Poland" in out  # a coder is no actor


def test_load_rebuilds_the_stance_table_unless_told_not_to(tmp_path, capsys):
    from stancegraph.graph.queries.stance_table import TABLE_FILE

    table = tmp_path / "t.csv"
    table.write_text("actor,target,stance,date,source\nPoland,us-28/6,rejects,2025-11-24,Polish government\n")
    lean, eager = tmp_path / "lean", tmp_path / "eager"
    assert run_cli(lean, capsys, "--quiet", "load", "--no-table", str(table))[0] == 0
    assert not (lean / TABLE_FILE).exists()  # left to the first analysis
    assert run_cli(eager, capsys, "--quiet", "load", str(table))[0] == 0
    assert (eager / TABLE_FILE).is_file()
    code, out, _ = run_cli(lean, capsys, "frequencies", "--by", "stance", "--format", "csv")
    assert code == 0 and out.splitlines() == ["stance,stances", "rejects,1"]
    assert (lean / TABLE_FILE).is_file()

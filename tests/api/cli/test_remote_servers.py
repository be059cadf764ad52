"""The command line in front of a SPARQL server, as a user runs it: ``--endpoint`` (and the server's other
URLs) on an Oxigraph server and on Debian's Virtuoso with Debian's limits, giving the embedded store's
answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from stancegraph.api.cli.commands import main
from stancegraph.graph import open_store

from ...conftest import SERVERS, running_virtuoso
from .conftest import init_cli_store, run_cli

README_QUERY = (
    "PREFIX sg: <https://w3id.org/stancegraph/ontology#>\n"
    "  SELECT ?who ?what WHERE { GRAPH ?source { ?who sg:endorses ?what } }"
)
QUESTIONS = [
    ["who", "endorses", "us-28/6", "--format", "csv"],
    ["stances", "--contested", "--format", "csv"],
    ["stances", "--actor", "umerov", "--format", "csv"],
    ["plan-fit", "us-28", "--format", "csv"],
    ["plan-fit", "us-28", "--detail", "--format", "csv"],
    ["positions", "russia", "--format", "csv"],
    ["network", "--plan", "us-28", "--format", "csv"],
    ["query", README_QUERY, "--format", "csv"],
    ["query", "--union", README_QUERY.replace("GRAPH ?source ", ""), "--format", "csv"],
    ["query", "ASK { GRAPH ?g { ?s ?p ?o } }"],
    ["info"],
]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return init_cli_store(tmp_path_factory, "cli-remote")


@pytest.fixture(scope="module", params=SERVERS)
def endpoint(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:
    """The URL a user gives: an Oxigraph server's root, or a Virtuoso's /sparql (with Debian's 400 s cost
    limit)."""
    if request.param == "oxigraph":
        url = request.getfixturevalue("oxigraph_server").url
        yield url
        with open_store(endpoint=url) as cleaner:
            cleaner.clear()
        return
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-cli"), cost_estimate_limit=400) as server:
        yield server.url


def cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_and_the_questions_give_the_embedded_answers(endpoint, store_dir, capsys):
    code, _, err = cli(capsys, "--endpoint", endpoint, "init", "--reset")
    assert code == 0, err
    info = dict(line.split(": ", 1) for line in run_cli(store_dir, capsys, "info")[1].splitlines())
    assert f"{info['stances']} stances, {info['quads']} quads in {info['source graphs']} source graphs" in err
    for question in QUESTIONS:
        local = run_cli(store_dir, capsys, *question)
        remote = cli(capsys, "--endpoint", endpoint, *question)
        if question == ["info"]:  # the first line names the store
            local = (local[0], local[1].split("\n", 1)[1], local[2])
            remote = (remote[0], remote[1].split("\n", 1)[1], remote[2])
        if question[0] == "query":  # no ORDER BY: the rows in any order
            local = (local[0], sorted(local[1].splitlines()), local[2])
            remote = (remote[0], sorted(remote[1].splitlines()), remote[2])
        assert remote == local, question
        assert local[0] == 0 and local[1]


def test_export_gives_the_embedded_dataset(endpoint, store_dir, capsys, tmp_path):
    assert cli(capsys, "--endpoint", endpoint, "init", "--reset")[0] == 0
    for fmt, rdf in (("trig", RdfFormat.TRIG), ("nquads", RdfFormat.N_QUADS)):
        local = run_cli(store_dir, capsys, "export", "--format", fmt)
        code, remote, err = cli(capsys, "--endpoint", endpoint, "export", "--format", fmt)
        assert code == 0, err
        assert set(parse(remote.encode(), rdf)) == set(parse(local[1].encode(), rdf)) != set()
    code, out, _ = cli(capsys, "--endpoint", endpoint, "export", "--format", "turtle", "--default")
    assert code == 0 and set(parse(out.encode(), RdfFormat.TURTLE)) == set(
        parse(
            run_cli(store_dir, capsys, "export", "--format", "turtle", "--default")[1].encode(),
            RdfFormat.TURTLE,
        )
    )


def test_a_generic_server_needs_its_update_url_and_is_told_how_to_give_it(endpoint, capsys):
    query_url = endpoint if endpoint.endswith("/sparql") else endpoint + "/query"
    code, _, err = cli(capsys, "--endpoint", query_url, "--server", "generic", "init", "--reset")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert f"needs the update URL of the SPARQL server at {query_url}" in err
    assert "--update-url" in err and "STANCEGRAPH_UPDATE_URL" in err and "--server oxigraph|virtuoso" in err
    code, out, err = cli(capsys, "--endpoint", query_url, "--server", "generic", "query", "ASK { }")
    assert (code, out) == (0, "true\n"), err


def test_options_of_a_server_without_one_are_a_usage_error(capsys):
    code, _, err = cli(capsys, "--update-url", "http://127.0.0.1:1/update", "info")
    assert code == 2 and "--update-url describe a SPARQL server: give its URL with --endpoint" in err


def test_a_server_error_is_one_line_naming_the_server(endpoint, capsys):
    code, _, err = cli(capsys, "--endpoint", endpoint, "query", "SELECT * WHERE { ?s ?p ?o FILTER(?x = ) }")
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err
    assert "server at " in err.splitlines()[0]


def test_a_load_against_the_store_finds_the_stances_the_server_holds(endpoint, store_dir, capsys, tmp_path):
    assert cli(capsys, "--endpoint", endpoint, "init", "--reset")[0] == 0
    table = tmp_path / "poland.csv"
    table.write_text(
        "actor,target,stance,date,source,quote\nPoland,us-28/9,endorses,2025-11-22,Polish government,\n"
    )
    first = cli(capsys, "--endpoint", endpoint, "load", "--no-progress", "--against-store", str(table))
    assert first[0] == 0 and "1 stances, 0 of them already in the store" not in first[2], first[2]
    code, _, err = cli(capsys, "--endpoint", endpoint, "load", "--no-progress", "--against-store", str(table))
    assert code == 0 and "0 of them new (1 stances, 1 of them already in the store," in err, err
    local = run_cli(store_dir, capsys, "info")[1].split("\n", 1)[1]
    remote = cli(capsys, "--endpoint", endpoint, "info")[1].split("\n", 1)[1]
    stances = {line.split(": ")[0]: line.split(": ")[1] for line in remote.splitlines() if ": " in line}
    bundled = {line.split(": ")[0]: line.split(": ")[1] for line in local.splitlines() if ": " in line}
    assert int(stances["stances"]) == int(bundled["stances"]) + 1

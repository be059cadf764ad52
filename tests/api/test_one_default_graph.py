"""One default-graph rule: the CLI, Python and /sparql give the same rows for the same query.

The default graph is the store's own default graph everywhere (the catalogue: actors, plans, demands,
sources); the stances and their direct edges are in the source graphs, reached with GRAPH or with the
union on request (`--union`, `union_default_graph=True`, `union-default-graph=true`). The service
description no longer claims sd:UnionDefaultGraph, which /sparql never did.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stancegraph.graph import load_bundled, open_store

from .cli.conftest import init_cli_store, run_cli
from .service.conftest import in_process_service

README = Path(__file__).resolve().parents[2] / "README.md"
PLAIN = (
    "PREFIX sg: <https://w3id.org/stancegraph/ontology#> SELECT ?who ?what WHERE { ?who sg:endorses ?what }"
)


def _readme_query() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"stancegraph query '([^']+)'", text)
    assert found, "the README shows a stancegraph query example"
    return " ".join(found.group(1).split())


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    """(query, union) -> the rows of the CLI, of Python and of /sparql, as sets of value tuples."""
    store_dir = init_cli_store(tmp_path_factory, "one-default-graph")
    python_store = open_store()
    load_bundled(python_store)
    found = {}
    with in_process_service(tmp_path_factory.mktemp("one-default-graph-service")) as service:

        def ask(query: str, union: bool, capsys) -> tuple[set, set, set]:
            args = ["query", query, "--format", "csv"] + (["--union"] if union else [])
            code, out, _ = run_cli(store_dir, capsys, *args)
            assert code == 0
            cli = {tuple(line.split(",")) for line in out.splitlines()[1:]}
            python = {
                tuple(t.value for t in row) for row in python_store.query(query, union_default_graph=union)
            }
            params = {"query": query, **({"union-default-graph": "true"} if union else {})}
            response = service.client.get("/sparql", params=params, headers={"Accept": "text/csv"})
            assert response.status_code == 200
            http = {tuple(line.split(",")) for line in response.text.splitlines()[1:]}
            return cli, python, http

        found["ask"] = ask
        found["description"] = service.client.get("/sparql", headers={"Accept": "text/turtle"}).text
        yield found


@pytest.mark.parametrize("union", [False, True])
@pytest.mark.parametrize("which", ["readme", "plain"])
def test_the_cli_python_and_sparql_give_the_same_rows(answers, capsys, union, which):
    query = _readme_query() if which == "readme" else PLAIN
    cli, python, http = answers["ask"](query, union, capsys)
    assert cli == python == http
    if which == "readme" or union:
        assert len(cli) > 10  # the README's example finds the endorsements, and so does the union
    else:
        assert cli == set()  # the direct edges are in the source graphs, not in the default graph


def test_the_service_description_does_not_claim_a_union_default_graph(answers):
    assert "UnionDefaultGraph" not in answers["description"]
    assert "union-default-graph=true" in answers["description"]

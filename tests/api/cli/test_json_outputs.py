"""Every command that offers --format json writes JSON that parses, with native numbers and lists.

`who` and `positions` once ended in "TypeError: Object of type date is not JSON serializable".
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
import typer

from stancegraph.api.cli import app

from .conftest import init_cli_store, run_cli

#: The bundled data set's file: loading it again into the bundled store adds nothing.
BUNDLED = str(files("stancegraph.graph") / "data" / "peace-plan.trig")
ACTOR = "PREFIX sg: <https://w3id.org/stancegraph/ontology#> SELECT ?s WHERE { ?s a sg:State } LIMIT 3"
#: One invocation of each command that has --format json (export: JSON-LD), on the bundled data.
RUNS = {
    "query": ["query", ACTOR],
    "who": ["who", "endorses", "us-28/6"],
    "stances": ["stances", "--actor", "umerov"],
    "positions": ["positions", "russia"],
    "plan-fit": ["plan-fit", "us-28"],
    "plan-versions-fit": ["plan-versions-fit"],
    "ask": ["ask", "?a endorses us-28/6"],
    "changes": ["changes", "ukraine"],
    "network": ["network"],
    "coalitions": ["coalitions"],
    "polarisation": ["polarisation"],
    "frequencies": ["frequencies", "--by", "date,stance"],
    "influence": ["influence"],
    "actors": ["actors"],
    "targets": ["targets", "--kind", "demand"],
    "sources": ["sources"],
    "validate": ["validate", BUNDLED],
    "load": ["load", "--no-progress", BUNDLED],
    # the bundled data has no coders: a two-coder table (tests/api/cli/test_reliability.py)
    "reliability": ["reliability", "--statements", str(Path(__file__).parent / "data" / "two-coders.csv")],
}
FORMATS = {"export": "jsonld"}
#: Commands whose --format chooses among formats with no JSON one, and why.
NO_JSON = {"report": "--format html|pdf: a document for people"}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory):
    return init_cli_store(tmp_path_factory, "json-outputs")


def _commands_with_json() -> set[str]:
    group = typer.main.get_command(app)
    found = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            if "--format" in getattr(param, "opts", ()):
                found.add(name)
    return found


def test_the_list_covers_every_command_with_a_format_option() -> None:
    assert _commands_with_json() == set(RUNS) | set(FORMATS) | set(NO_JSON)


@pytest.mark.parametrize("name", sorted(RUNS) + sorted(FORMATS))
def test_the_json_output_parses(store_dir, capsys, name) -> None:
    args = RUNS.get(name, [name])
    code, out, err = run_cli(store_dir, capsys, *args, "--format", FORMATS.get(name, "json"))
    assert code == 0 and "Traceback" not in err, err
    data = json.loads(out)
    assert data, f"{name} printed an empty answer on the bundled data"


def test_json_keeps_numbers_and_lists(store_dir, capsys) -> None:
    code, out, _ = run_cli(store_dir, capsys, "coalitions", "--format", "json")
    first = json.loads(out)[0]
    assert isinstance(first["size"], int) and isinstance(first["actors"], list)
    code, out, _ = run_cli(store_dir, capsys, "who", "endorses", "us-28/6", "--format", "json")
    stance = json.loads(out)[0]["stances"][0]
    assert stance["stated_on"] == "2025-11-20" and isinstance(stance["confidence"], float)

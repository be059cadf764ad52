"""The notebooks are tested outputs: each one executes from a clean kernel without an error."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit notebooks with their outputs stripped"
    )
    client = NotebookClient(
        notebook, timeout=None, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type in ("stream", "execute_result") for o in outputs)


def _shell_commands(path: Path) -> list[list[str]]:
    """The ``stancegraph`` command lines in the notebook's ```sh blocks."""
    import re
    import shlex

    notebook = nbformat.read(path, as_version=4)
    lines = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for block in re.findall(r"```sh\n(.*?)```", cell.source, re.S):
                lines += [shlex.split(line) for line in block.splitlines() if line.startswith("stancegraph ")]
    return lines


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_command_lines_a_notebook_shows_parse(path, tmp_path, monkeypatch):
    """Each command a notebook tells its reader to type names a command and options that exist (the
    files it reads stand in as empty files: only the command line is checked here, the notebook's code
    cells do the work)."""
    import typer

    from stancegraph.api.cli.commands import app

    group = typer.main.get_command(app)
    monkeypatch.chdir(tmp_path)
    for argv in _shell_commands(path):
        for word in argv:
            if word.endswith((".csv", ".dna", ".ttl", ".trig")):
                (tmp_path / word).touch()
        context = group.make_context("stancegraph", argv[1:], resilient_parsing=False)
        name, command, rest = group.resolve_command(context, argv[1:])
        try:
            command.make_context(name, rest, parent=context)
        except Exception as error:  # typer's own click: a UsageError, MissingParameter, BadParameter
            message = error.format_message() if hasattr(error, "format_message") else repr(error)
            raise AssertionError(f"{path.name}: `{' '.join(argv)}`: {message}") from None

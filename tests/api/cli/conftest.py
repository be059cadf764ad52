"""Helpers of the command-line tests: a store filled by ``stancegraph init``, and the CLI run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest


def init_cli_store(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A store folder that ``stancegraph init`` has filled with the bundled data, for CLI tests."""
    from stancegraph.api.cli.commands import main

    folder = tmp_path_factory.mktemp(name) / "store"
    assert main(["--store", str(folder), "init"]) == 0
    return folder


def run_cli(store_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``stancegraph --store STORE_DIR ARGS...`` in-process: exit code, stdout, stderr."""
    from stancegraph.api.cli.commands import main

    capsys.readouterr()
    code = main(["--store", str(store_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err

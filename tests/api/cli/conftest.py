"""Helpers of the command-line tests: a store filled by ``stancegraph init``, and the CLI run in-process."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
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


@contextlib.contextmanager
def folder_held_by_another_process(folder: Path) -> Iterator[subprocess.Popen[str]]:
    """A Python process that holds the store ``folder`` open (its lock taken) until the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from stancegraph.graph import open_store; "
            f"s = open_store({str(folder)!r}); print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        yield holder
    finally:
        holder.communicate("", timeout=60)

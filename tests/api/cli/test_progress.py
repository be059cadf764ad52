"""Progress bars of the long commands, as a person at a terminal sees them: the command runs in its own
process with stderr on a pseudo-terminal; with --quiet, or without a terminal, stderr holds no bar."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from .conftest import init_cli_store, run_cli

CLI = [str(Path(sys.executable).with_name("stancegraph"))]  # the installed command, as a user runs it
_CONTROLS = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """Run ``stancegraph ARGS`` with stderr on a pseudo-terminal of 100 columns (a new one has none, and
    tqdm draws nothing in no columns): its exit code and what the terminal got, terminal controls taken
    out."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24 rows, 100 columns
    command = subprocess.Popen(
        [*CLI, *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the command closed its end
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    return command.wait(), _CONTROLS.sub(b"", seen).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return init_cli_store(tmp_path_factory, "cli-progress")


def test_synth_counts_its_rows_on_a_terminal_and_writes_the_same_file(tmp_path, capsys):
    code, seen = on_a_terminal("synth", "-n", "30000", "--seed", "3", "-o", "shown.csv", cwd=tmp_path)
    assert code == 0, seen
    assert "writing statements" in seen and "30,000/30,000 statements" in seen
    assert seen.rstrip().endswith("wrote 30000 statements to shown.csv")
    quiet_code, quiet = on_a_terminal(
        "--quiet", "synth", "-n", "30000", "--seed", "3", "-o", "q.csv", cwd=tmp_path
    )
    assert quiet_code == 0 and quiet.strip() == "wrote 30000 statements to q.csv"
    assert (tmp_path / "shown.csv").read_bytes() == (tmp_path / "q.csv").read_bytes()


@pytest.mark.parametrize(
    ("args", "steps"),
    [
        (["network", "--plan", "us-28", "-o", "net.csv"], ["reading the stances", "3 steps"]),
        (["render", "--view", "agreement", "-o", "agreement.html"], ["rendering the agreement view"]),
        (["coalitions"], ["finding coalitions"]),
        (["polarisation"], ["searching the camps"]),
        (["influence"], ["tracing who takes up whose demands"]),
    ],
)
def test_analysis_from_the_store_shows_its_steps_on_a_terminal_and_nothing_elsewhere(
    args, steps, store_dir, tmp_path, capsys
):
    code, seen = on_a_terminal("--store", str(store_dir), *args, cwd=tmp_path)
    assert code == 0, seen
    for step in steps:
        if step == "3 steps":
            assert re.search(r"[0-3]/3", seen), seen
        else:
            assert step in seen, seen
    code, quiet = on_a_terminal("--quiet", "--store", str(store_dir), *args, cwd=tmp_path)
    assert code == 0 and not any(step in quiet for step in steps), quiet
    code, _, err = (
        run_cli(store_dir, capsys, *args[:-2], "-o", str(tmp_path / args[-1]))
        if "-o" in args
        else (run_cli(store_dir, capsys, *args))
    )
    assert code == 0 and not any(step in err for step in steps), err  # stderr is no terminal here


def test_load_shows_its_bar_on_a_terminal_unless_quiet(tmp_path):
    assert on_a_terminal("--quiet", "synth", "-n", "20000", "-o", "t.csv", cwd=tmp_path)[0] == 0
    code, seen = on_a_terminal("--store", "s1", "load", "t.csv", cwd=tmp_path)
    assert code == 0 and "t.csv" in seen and " rows" in seen and "writing" in seen, seen
    assert "stored " in seen.splitlines()[-1]
    code, quiet = on_a_terminal("--quiet", "--store", "s2", "load", "t.csv", cwd=tmp_path)
    assert code == 0 and " rows" not in quiet and quiet.strip().startswith("stored "), quiet

"""Crashes of ``stancegraph load``: ``kill -9`` during a load leaves the old store or the whole load, never
part of it, and the store opens afterwards; a killed load's work folder is gone after the next load.

The kills land at moments chosen from what the process is doing (its work folder appears, its
converted files are complete) and at seeded random delays; no test asserts how long anything takes.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from stancegraph.graph.ingestion import write_statements_csv
from stancegraph.graph.store import open_store

from ..conftest import kill_9

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

ROWS = 5000  # about 45,000 quads: a load of a few seconds, so a kill can land in each of its stages
_POLL = 0.005


def _quads(folder: Path) -> int:
    with open_store(folder) as store:
        return store.counts().quads


def _work_folders(folder: Path) -> list[Path]:
    return sorted(folder.glob(".stancegraph-ingest-*"))


# -- (a) kill -9 during `stancegraph load` ----------------------------------------------------------------
def _start_load(store: Path, corpus: Path, temp: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "stancegraph.api",
        "--store",
        str(store),
        "load",
        str(corpus),
        "--no-progress",
    ]
    env = dict(os.environ, TMPDIR=str(temp))
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


@pytest.fixture(scope="module")
def loads(tmp_path_factory) -> dict[str, object]:
    """An old store (a small load), a corpus, and the quad counts before and after the whole load."""
    base = tmp_path_factory.mktemp("crash-load")
    old, corpus = base / "old", base / "corpus.csv"
    _old_rows(base / "old.csv")
    write_statements_csv(corpus, ROWS, seed=1)
    from stancegraph.api.cli.commands import main

    assert main(["--store", str(old), "load", str(base / "old.csv"), "--no-progress"]) == 0
    whole = base / "whole"
    shutil.copytree(old, whole)
    temp = base / "tmp-whole"
    temp.mkdir()
    started = time.monotonic()
    process = _start_load(whole, corpus, temp)
    assert process.wait() == 0
    seconds = time.monotonic() - started  # only to spread the random kills over the load, never asserted
    return {
        "base": base,
        "old": old,
        "corpus": corpus,
        "before": _quads(old),
        "after": _quads(whole),
        "seconds": seconds,
    }


def _old_rows(path: Path) -> None:
    """200 synthetic rows whose ids (``old-s0000001``...) differ from those of the corpus."""
    text = io.StringIO()
    write_statements_csv(text, 200, seed=2)
    rows = list(csv.DictReader(io.StringIO(text.getvalue())))
    for row in rows:
        row.update({k: "old-" + row[k] for k in ("id", "contradicts") if row[k]})
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _when_converting(store: Path) -> bool:
    return any(f.stat().st_size > 0 for w in _work_folders(store) for f in w.glob("*.nq"))


def _when_converted(store: Path) -> bool:  # the tables are done: the reference data is checked, then written
    return any((w / "reference.nq").exists() for w in _work_folders(store))


@pytest.mark.parametrize("moment", ["converting", "converted", "random-1", "random-2"])
def test_kill_9_during_load_leaves_the_old_store_or_the_whole_load(loads, moment):
    base: Path = loads["base"]  # type: ignore[assignment]
    store, temp = base / f"store-{moment}", base / f"tmp-{moment}"
    shutil.copytree(loads["old"], store)  # type: ignore[arg-type]
    temp.mkdir()
    delay = random.Random(moment).uniform(0.2, 1.0) * loads["seconds"]  # type: ignore[operator]
    ready: Callable[[], bool] = {
        "converting": lambda: _when_converting(store),
        "converted": lambda: _when_converted(store),
    }.get(moment, lambda: time.monotonic() - started >= delay)
    started = time.monotonic()
    process = _start_load(store, loads["corpus"], temp)  # type: ignore[arg-type]
    while process.poll() is None and not ready():
        time.sleep(_POLL)
    kill_9(process)
    assert _quads(store) in (loads["before"], loads["after"])  # the store opens: old or whole, no part
    # the next load removes what the killed one left in the store folder; the system temp stays empty
    with open_store(store) as opened:
        from stancegraph.graph.ingestion import ingest

        ingest(opened, base / "old.csv")
    assert _work_folders(store) == [] and list(temp.iterdir()) == []
    assert _quads(store) in (loads["before"], loads["after"])  # the old rows again: nothing new

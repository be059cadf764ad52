"""The service record of a store folder: written, read back, removed; stale or broken records ignored."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from stancegraph.graph.store import (
    RECORD_NAME,
    ServiceRecord,
    record_service,
    remove_service_record,
    running_service,
)


def _dead_pid() -> int:
    """The id of a process that has ended and been reaped."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    return int(done.stdout)


def test_a_record_of_a_live_process_is_read_back(tmp_path):
    path = record_service(tmp_path, "http://127.0.0.1:8000")
    assert path == tmp_path / RECORD_NAME
    assert running_service(tmp_path) == ServiceRecord("http://127.0.0.1:8000", os.getpid())
    assert not list(tmp_path.glob("*.tmp"))


def test_a_record_of_a_dead_process_is_stale(tmp_path):
    record_service(tmp_path, "http://127.0.0.1:8000", pid=_dead_pid())
    assert running_service(tmp_path) is None


def test_a_record_of_an_exited_unreaped_child_is_stale(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "print('bye', flush=True)"], stdout=subprocess.PIPE)
    try:
        assert child.stdout.read() == b"bye\n"  # it has written its last line: it exits, unreaped
        record_service(tmp_path, "http://127.0.0.1:8000", pid=child.pid)
        while running_service(tmp_path) is not None:  # until the kernel marks it a zombie
            pass
    finally:
        child.wait()
        child.stdout.close()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        '{"url": "http://x"}',
        '{"url": 1, "pid": 1}',
        '{"url": "http://x", "pid": true}',
        '{"url": "http://x", "pid": -4}',
    ],
)
def test_a_broken_record_is_ignored(tmp_path, text):
    (tmp_path / RECORD_NAME).write_text(text)
    assert running_service(tmp_path) is None


def test_no_record_no_service(tmp_path):
    assert running_service(tmp_path) is None
    assert running_service(tmp_path / "missing") is None


def test_only_the_recording_process_removes_its_record(tmp_path):
    record_service(tmp_path, "http://127.0.0.1:8000", pid=1)
    remove_service_record(tmp_path)  # not ours: another service's record stays
    assert (tmp_path / RECORD_NAME).exists()
    remove_service_record(tmp_path, pid=1)
    assert not (tmp_path / RECORD_NAME).exists()
    remove_service_record(tmp_path)  # nothing there: nothing to do

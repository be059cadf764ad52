"""Helpers shared by the command-line and the service tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def kill_9(process: subprocess.Popen) -> None:
    """``kill -9`` the process, then whatever it started (its session: the validation worker)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)

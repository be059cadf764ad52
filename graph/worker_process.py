"""Worker processes: a fresh interpreter running one function, talking over a pipe.

The one mechanism behind both kinds of worker stancegraph starts: the ingest's chunk checker
(:mod:`stancegraph.graph.ingestion.chunk_worker`) and the service's query workers
(:mod:`stancegraph.api.service.query_worker`). :func:`start_worker` launches ``python -c`` with the
target function's name, and hands it one end of a :func:`multiprocessing.Pipe`; both sides then use the
:class:`multiprocessing.connection.Connection` API (``send``, ``recv``, ``send_bytes``, ``recv_bytes``,
``poll``).

Why not :mod:`multiprocessing`'s own ``Process``: its ``spawn`` start method re-imports the caller's
``__main__`` in the child, so a script or notebook that calls :func:`~stancegraph.graph.ingestion.ingest`
at top level would run again there; ``fork`` copies the caller's threads' locks (pyoxigraph, uvicorn).
A ``python -c`` child imports only the target's module. Needs a POSIX system (the pipe end is passed as
a file descriptor); callers fall back to working in-process when a worker cannot start.
"""

from __future__ import annotations

__all__ = ["Worker", "start_worker"]

import contextlib
import importlib
import multiprocessing
import os
import subprocess
import sys
from multiprocessing.connection import Connection
from typing import Any

_CHILD = "from stancegraph.graph.worker_process import _run_child; _run_child()"


class Worker:
    """A started worker: its process and this side's end of the pipe.

    Attributes
    ----------
    connection : multiprocessing.connection.Connection
        This side of the pipe; EOFError or OSError on it mean the worker is gone.
    process : subprocess.Popen
        The worker's process (``pid``, ``poll()``).
    """

    def __init__(self, process: subprocess.Popen[bytes], connection: Connection) -> None:
        self.process = process
        self.connection = connection

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        """Whether the process still runs."""
        return self.process.poll() is None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the process to end; whether it did within ``timeout`` seconds."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def kill(self) -> None:
        """Stop the process at once (SIGKILL) and close the pipe."""
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        self.connection.close()

    def stop(self, timeout: float = 5.0) -> None:
        """Let the process end on its own (the caller has asked it to), else kill it."""
        if not self.wait(timeout):
            self.kill()
        self.connection.close()


def start_worker(target: str, *args: str, quiet: bool = False) -> Worker:
    """Start ``target(connection, *args)`` in a fresh interpreter.

    Parameters
    ----------
    target : str
        ``"package.module:function"``; the function gets the child's end of the pipe, then ``args``.
    *args : str
        Passed on the command line.
    quiet : bool, default False
        Send the worker's stderr to /dev/null instead of the caller's.

    Returns
    -------
    Worker

    Raises
    ------
    OSError
        The process could not be started.
    """
    parent, child = multiprocessing.Pipe(duplex=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, target, str(child.fileno()), *args],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if quiet else None,
            env=env,
        )
    except BaseException:
        parent.close()
        raise
    finally:
        child.close()
    return Worker(process, parent)


def _run_child() -> None:
    """The child's entry: ``argv`` is the target, the pipe's file descriptor, then the target's arguments."""
    target, fd, *args = sys.argv[1:]
    module, _, name = target.partition(":")
    function: Any = getattr(importlib.import_module(module), name)
    connection = Connection(int(fd))
    try:
        function(connection, *args)
    finally:
        connection.close()

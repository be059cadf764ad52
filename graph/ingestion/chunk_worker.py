"""The chunk worker: validates one chunk of stances in another process while the next is converted.

Python converts rows on one core while pyoxigraph checks the previous chunk on the other. The worker is
started by :func:`~stancegraph.graph.worker_process.start_worker`, the same mechanism as the service's
query workers; it receives the chunks' N-Triples and answers with their violations.
"""

from __future__ import annotations

__all__ = ["ChunkChecker", "check_staged", "serve_checks"]

import contextlib
from multiprocessing.connection import Connection

from pyoxigraph import RdfFormat
from pyoxigraph import Store as OxStore

from stancegraph.graph.errors import Violation
from stancegraph.graph.validation import compiled_shapes
from stancegraph.graph.worker_process import Worker, start_worker


def check_staged(ntriples: str) -> list[Violation]:
    """Validate N-Triples text we wrote (stances and their context) with the shipped shapes.

    A top-level function so that a worker process can run it (see :class:`ChunkChecker`).
    """
    staging = OxStore()
    staging.load(input=ntriples, format=RdfFormat.N_TRIPLES, lenient=True)
    return compiled_shapes().run(staging)


class ChunkChecker:
    """Validates chunks of stances, in a worker process while the next chunk is being converted.

    Python converts rows on one core while pyoxigraph checks the previous chunk on the other. The
    worker comes from :func:`~stancegraph.graph.worker_process.start_worker` (a fresh interpreter, so
    nothing of the caller's ``__main__`` is re-run and no threads are forked). A table of one chunk is
    checked in this process; if the worker cannot run or dies, chunks are checked here too. At most one
    chunk waits in the worker, so memory stays bounded.
    """

    def __init__(self) -> None:
        self._worker: Worker | None = None
        self._waiting: str | None = None  # the text of the chunk in the worker, to redo it here if it dies
        self._failed = False

    def __enter__(self) -> ChunkChecker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            with contextlib.suppress(OSError, EOFError):
                worker.connection.send(None)  # the end of the chunks
            worker.stop(timeout=60)

    def submit(self, ntriples: str, *, parallel: bool) -> list[Violation]:
        """Queue a chunk; returns the violations of the chunk queued before it (or of this one, inline)."""
        if self._failed or (not parallel and self._worker is None):
            return self.drain() + check_staged(ntriples)
        done = self.drain()
        worker = self._worker or self._start()
        if worker is None:
            return done + check_staged(ntriples)
        try:
            worker.connection.send(ntriples)
        except (OSError, EOFError):
            self._failed = True
            return done + check_staged(ntriples)
        self._waiting = ntriples
        return done

    def drain(self) -> list[Violation]:
        """Wait for the chunk in the worker and return its violations."""
        text, self._waiting = self._waiting, None
        if text is None:
            return []
        worker = self._worker
        assert worker is not None
        try:
            return list(worker.connection.recv())
        except (OSError, EOFError):
            self._failed = True  # the worker died (memory, a signal): check the chunk here instead
            return check_staged(text)

    def _start(self) -> Worker | None:
        try:
            self._worker = start_worker("stancegraph.graph.ingestion.chunk_worker:serve_checks", quiet=True)
        except OSError:
            self._failed = True
        return self._worker


def serve_checks(connection: Connection) -> None:
    """The worker's loop: receive N-Triples chunks, answer each with its violations; None ends it."""
    while True:
        try:
            text = connection.recv()
        except (OSError, EOFError):
            return
        if text is None:
            return
        connection.send(check_staged(text))

"""The chunk worker: validates one chunk of stances in another process while the next is converted.

Python converts rows on one core while pyoxigraph checks the previous chunk on the other. The worker is
a fresh interpreter (``python -c``) fed length-prefixed N-Triples through a pipe and answering with the
violations as JSON.
"""

from __future__ import annotations

__all__ = ["ChunkChecker", "check_staged", "serve_checks"]

import contextlib
import dataclasses
import json
import os
import subprocess
import sys

from pyoxigraph import RdfFormat
from pyoxigraph import Store as OxStore

from stancegraph.graph.errors import Violation
from stancegraph.graph.validation import compiled_shapes


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
    worker is a fresh interpreter (``python -c``) fed through a pipe, so nothing of the caller's
    ``__main__`` is re-run (as ``multiprocessing``'s spawn would) and no threads are forked. A table of
    one chunk is checked in this process; if the worker cannot run, chunks are checked here too. At
    most one chunk waits in the worker, so memory stays bounded.
    """

    def __init__(self) -> None:
        self._worker: subprocess.Popen[bytes] | None = None
        self._waiting: str | None = None  # the text of the chunk in the worker, to redo it here if it dies
        self._failed = False

    def __enter__(self) -> ChunkChecker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            with contextlib.suppress(OSError):
                assert worker.stdin is not None
                worker.stdin.close()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            if worker.stdout is not None:
                worker.stdout.close()

    def submit(self, ntriples: str, *, parallel: bool) -> list[Violation]:
        """Queue a chunk; returns the violations of the chunk queued before it (or of this one, inline)."""
        if self._failed or (not parallel and self._worker is None):
            return self.drain() + check_staged(ntriples)
        done = self.drain()
        worker = self._worker or self._start()
        if worker is None:
            return done + check_staged(ntriples)
        try:
            assert worker.stdin is not None
            data = ntriples.encode("utf-8")
            worker.stdin.write(len(data).to_bytes(8, "big") + data)
            worker.stdin.flush()
        except OSError:
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
        assert worker is not None and worker.stdout is not None
        size = worker.stdout.read(8)
        answer = worker.stdout.read(int.from_bytes(size, "big")) if len(size) == 8 else b""
        if len(size) != 8 or not answer:
            self._failed = True  # the worker died (memory, a signal): check the chunk here instead
            return check_staged(text)
        return [Violation(**fields) for fields in json.loads(answer)]

    def _start(self) -> subprocess.Popen[bytes] | None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        try:
            self._worker = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from stancegraph.graph.ingestion.chunk_worker import serve_checks; serve_checks()",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            self._failed = True
        return self._worker


def serve_checks() -> None:
    """The worker's loop: read length-prefixed N-Triples chunks, answer with their violations (JSON)."""
    source, answers = sys.stdin.buffer, sys.stdout.buffer
    while len(size := source.read(8)) == 8:
        text = source.read(int.from_bytes(size, "big")).decode("utf-8")
        found = json.dumps([dataclasses.asdict(v) for v in check_staged(text)]).encode("utf-8")
        answers.write(len(found).to_bytes(8, "big") + found)
        answers.flush()

"""Deadlines: every query runs off the event loop, and one past its deadline is stopped.

pyoxigraph 0.5 cannot interrupt a query once it runs, so :class:`ProcessRunner` evaluates each job in
one of a few worker processes (:mod:`stancegraph.api.service.query_worker`, started by
:func:`~stancegraph.graph.worker_process.start_worker`) that open the on-disk store
read-only. The event loop only waits on a pipe; when the deadline passes, the worker is killed (the
evaluation stops there, its memory is freed), the client gets an error, and a fresh worker takes its
place. Other requests keep being answered by the other workers meanwhile: on a 2-core machine two
workers give one runaway query a core and leave the other to everyone else.

Authorised writes go through the service's read-write handle under :meth:`ProcessRunner.exclusive`: it
waits for the running jobs to end (at most one deadline), has every worker drop its read-only handle,
lets the write happen, and makes the workers reopen the store before their next job, so that no worker
ever reads while the store is written.

:class:`ThreadRunner` serves a remote store (a SPARQL server: its HTTP client timeout is the deadline)
or an in-memory one (tests; it cannot stop a runaway query, only stop waiting for it).
"""

from __future__ import annotations

__all__ = ["DeadlineExceededError", "WorkerCrashError", "Runner", "ProcessRunner", "ThreadRunner"]

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from stancegraph.api.service.query_worker import (
    CallJob,
    ErrorReply,
    SparqlJob,
    SparqlPayload,
    run_job,
    worker_main,
)
from stancegraph.graph.errors import StoreError
from stancegraph.graph.store import Store
from stancegraph.graph.worker_process import start_worker

_log = logging.getLogger("stancegraph.api")


class DeadlineExceededError(StoreError):
    """A query was still running at its deadline; it was stopped and nothing was returned."""


class WorkerCrashError(StoreError):
    """A query worker died while running a job (killed from outside, out of memory); it was replaced."""


class Runner(Protocol):
    """Runs jobs with a deadline; ``exclusive()`` holds off every job while the store is written."""

    @property
    def isolated(self) -> bool: ...

    async def start(self) -> None: ...

    async def run(self, job: SparqlJob | CallJob, *, timeout: float) -> Any: ...

    def exclusive(self) -> contextlib.AbstractAsyncContextManager[None]: ...

    async def close(self) -> None: ...


class _ReadWriteLock:
    """Many jobs at once, or one write; a waiting write holds back new jobs (no write starves)."""

    def __init__(self) -> None:
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self._waiters: list[asyncio.Future[None]] = []

    async def _wait(self) -> None:
        future = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        try:
            await future
        finally:
            if future in self._waiters:
                self._waiters.remove(future)

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for future in waiters:
            if not future.done():
                future.set_result(None)

    async def acquire_shared(self) -> None:
        while self._writing or self._writers_waiting:
            await self._wait()
        self._readers += 1

    def release_shared(self) -> None:
        self._readers -= 1
        self._wake()

    @contextlib.asynccontextmanager
    async def shared(self) -> AsyncIterator[None]:
        await self.acquire_shared()
        try:
            yield
        finally:
            self.release_shared()

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        self._writers_waiting += 1
        try:
            while self._writing or self._readers:
                await self._wait()
        finally:
            self._writers_waiting -= 1
            self._wake()
        self._writing = True
        try:
            yield
        finally:
            self._writing = False
            self._wake()


_READY_S = 120.0


class _Worker:
    """One query worker (:func:`~stancegraph.graph.worker_process.start_worker`, as the ingest's chunk
    checker) and how it is cut off from the network."""

    def __init__(self, store_path: Path) -> None:
        self.worker = start_worker(f"{worker_main.__module__}:{worker_main.__name__}", str(store_path))
        self.connection = self.worker.connection
        #: How the worker is cut off from the network (:mod:`stancegraph.api.service.isolation`), or None.
        self.isolation: str | None = None
        if self.connection.poll(_READY_S):
            with contextlib.suppress(EOFError, OSError):
                message = self.connection.recv()
                if message[0] == "ready":
                    self.isolation = message[1]

    def kill(self) -> None:
        self.worker.kill()


def _timeout_error(timeout: float, waited: str) -> DeadlineExceededError:
    return DeadlineExceededError(
        f"the query did not finish within its deadline of {timeout:g} s ({waited}) and was stopped; "
        "make it more selective (bind more variables, add LIMIT) or ask the operator to raise the deadline"
    )


class ProcessRunner:
    """Jobs in ``workers`` processes holding read-only views of the on-disk store at ``store_path``.

    Parameters
    ----------
    store_path : Path
        Folder of the embedded store (already created, e.g. by opening it read-write).
    workers : int, default 2
        Worker processes: jobs beyond this number wait for a free worker (the wait counts against
        their deadline).
    """

    def __init__(self, store_path: Path, *, workers: int = 2) -> None:
        self.store_path = Path(store_path)
        self.size = workers
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._lock = _ReadWriteLock()
        self._generation = 0
        self._threads = ThreadPoolExecutor(max_workers=workers + 2, thread_name_prefix="stancegraph-wait")
        self._closed = False
        self._tasks: set[asyncio.Task[None]] = set()
        #: How many workers were killed and replaced (deadlines, crashes).
        self.restarts = 0

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        started = await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size))
        )
        for worker in started:
            self._idle.put_nowait(worker)
        if not self.isolated:
            _log.warning(
                "the query workers could not be cut off from the network (no network namespace: needs "
                "CAP_SYS_ADMIN or unprivileged user namespaces); SERVICE is refused by reading the query only"
            )

    @property
    def isolated(self) -> bool:
        """Whether every worker runs where it cannot open a network connection."""
        return bool(self._all) and all(worker.isolation for worker in self._all)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_path)
        self._all.add(worker)
        return worker

    async def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        self.restarts += 1
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, worker.kill)
        if not self._closed:
            fresh = await loop.run_in_executor(self._threads, self._spawn)
            self._idle.put_nowait(fresh)

    async def run(self, job: SparqlJob | CallJob, *, timeout: float) -> Any:
        """Run ``job`` in a worker; raise :class:`DeadlineExceededError` after ``timeout`` seconds."""
        if self._closed:
            raise StoreError("the service is shutting down")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            async with asyncio.timeout(timeout):
                await self._lock.acquire_shared()
                try:
                    worker = await self._idle.get()
                except BaseException:
                    self._lock.release_shared()
                    raise
        except TimeoutError:
            raise _timeout_error(timeout, "every worker was busy") from None
        try:
            status, value = await self._on(worker, job, deadline, timeout)
        finally:
            self._lock.release_shared()
        if status == "error":
            assert isinstance(value, ErrorReply)
            raise value.exception()
        return value

    async def _on(self, worker: _Worker, job: SparqlJob | CallJob, deadline: float, timeout: float) -> tuple:
        loop = asyncio.get_running_loop()
        try:
            worker.connection.send(("job", self._generation, job))
            remaining = max(deadline - loop.time(), 0.0)
            ready = await loop.run_in_executor(self._threads, worker.connection.poll, remaining)
            if not ready:
                raise _timeout_error(timeout, "stopped while evaluating")
            reply = await loop.run_in_executor(self._threads, _receive, worker.connection)
        except (EOFError, OSError) as error:
            self._background(self._replace(worker))
            raise WorkerCrashError(
                f"the query worker died while running the query ({error!r}); it was replaced"
            ) from None
        except BaseException:
            # cancelled (the client went away): the worker may still be busy, so it is not reused
            self._background(self._replace(worker))
            raise
        self._idle.put_nowait(worker)
        return reply

    def _background(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold off every job, make the workers drop their handles, and let the caller write."""
        async with self._lock.exclusive():
            loop = asyncio.get_running_loop()
            idle = []
            while not self._idle.empty():
                idle.append(self._idle.get_nowait())
            for worker in idle:
                try:
                    worker.connection.send(("release",))
                    if await loop.run_in_executor(self._threads, worker.connection.poll, 30.0):
                        worker.connection.recv()
                        self._idle.put_nowait(worker)
                        continue
                except (EOFError, OSError):
                    pass
                await self._replace(worker)
            try:
                yield
            finally:
                self._generation += 1

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._all):
            with contextlib.suppress(OSError, EOFError):
                worker.connection.send(("stop",))
        loop = asyncio.get_running_loop()
        for worker in list(self._all):
            await loop.run_in_executor(self._threads, _stop_worker, worker)
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)


def _receive(connection: Any) -> tuple[str, Any]:
    """A worker's reply; an answer arrives as a header and its chunks (see ``query_worker._send``)."""
    reply = connection.recv()
    if reply[0] != "payload":
        return reply
    _, media_type, form, rows, count = reply
    chunks = tuple(connection.recv_bytes() for _ in range(count))
    return "ok", SparqlPayload(chunks, media_type, form, rows)


def _stop_worker(worker: _Worker) -> None:
    worker.worker.stop(timeout=5)


class ThreadRunner:
    """Jobs in threads over one :class:`Store` (remote or in memory); a late job is abandoned, not stopped."""

    #: Threads share the service's network: only the lexer guards against SERVICE here.
    isolated = False

    def __init__(self, store: Store, *, threads: int = 4) -> None:
        self.store = store
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="stancegraph-query")
        self._lock = _ReadWriteLock()

    async def start(self) -> None:
        return None

    async def run(self, job: SparqlJob | CallJob, *, timeout: float) -> Any:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                async with self._lock.shared():
                    return await loop.run_in_executor(self._threads, run_job, self.store, job)
        except TimeoutError:
            raise _timeout_error(timeout, "abandoned while evaluating") from None

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        async with self._lock.exclusive():
            yield

    async def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)

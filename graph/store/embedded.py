"""The embedded backend: a pyoxigraph store in memory or in a folder on disk.

One process at a time may open a folder: RocksDB locks it. :class:`EmbeddedStore` turns the lock error
into a :class:`~stancegraph.graph.errors.StoreError` that names the process holding the folder (read from
``/proc/locks`` on Linux) and what to do about it. Other processes can read the folder meanwhile through
``EmbeddedStore(path, read_only=True)`` (pyoxigraph's :meth:`~pyoxigraph.Store.read_only`: no lock, no
writes).
"""

from __future__ import annotations

__all__ = ["EmbeddedStore"]

import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph
from pyoxigraph import DefaultGraph, NamedNode, Quad, QueryBoolean, QueryResultsFormat, QuerySolutions, Triple

from stancegraph.graph.errors import StoreError
from stancegraph.graph.store.base import (
    SelectResult,
    SelectStream,
    Store,
    check_dataset,
    check_quads,
    graph_iri,
    syntax_error,
)
from stancegraph.graph.store.bindings import Term, bind_values, check_bindings
from stancegraph.graph.store.versions import StoreVersion


class EmbeddedStore(Store):
    """A pyoxigraph :class:`~pyoxigraph.Store` behind the :class:`~stancegraph.graph.store.Store` interface.

    Parameters
    ----------
    path : str or Path, optional
        Folder of an on-disk store (created if missing). None keeps everything in memory.
    read_only : bool, default False
        Open an existing folder for reading only (:meth:`pyoxigraph.Store.read_only`): it takes no lock,
        so a process holding the folder read-write may go on writing; every write to this handle is
        refused with a StoreError. The view is of the folder as it was when opened (and flushed); open it
        again to see later writes.

    Raises
    ------
    StoreError
        The folder is locked by another process (or already open in this one), is a file, or cannot be
        written; with ``read_only``, the folder cannot be opened (or no folder is given).

    Notes
    -----
    ``timeout`` in :meth:`query` is checked while solutions are read: pyoxigraph 0.5 offers no way to
    interrupt a query, so one long step (sorting, grouping, finding the first solution) runs to its end
    before the deadline is noticed.

    Examples
    --------
    >>> from pyoxigraph import NamedNode, Quad
    >>> store = EmbeddedStore()
    >>> store.load([Quad(NamedNode("https://example.org/a"), NamedNode("https://example.org/p"),
    ...                  NamedNode("https://example.org/b"))])
    1
    >>> store.query("ASK { ?s ?p ?o }")
    True
    >>> store.close()
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        if read_only:
            before = None if self.path is None else StoreVersion.read_file(self.path)
            self._store: pyoxigraph.Store | None = _open_read_only(self.path)
            assert self.path is not None
            self._version = StoreVersion.snapshot(self.path, before)
        else:
            self._store = _open(self.path)
            self._version = StoreVersion(self.path)

    def __repr__(self) -> str:
        where = "memory" if self.path is None else str(self.path)
        state = (", read-only" if self.read_only else "") + (", closed" if self._store is None else "")
        return f"EmbeddedStore({where}{state})"

    @property
    def _live(self) -> pyoxigraph.Store:
        if self._store is None:
            raise StoreError(f"{self!r} is closed; open it again with open_store()")
        return self._store

    @property
    def version(self) -> str | None:
        """A token that changes with every write (:mod:`~stancegraph.graph.store.versions`); None during
        a write, or for a read-only view opened while one was under way."""
        return self._version.current

    @property
    def _writable(self) -> pyoxigraph.Store:
        store = self._live
        if self.read_only:
            raise StoreError(
                f"{self!r} was opened read-only and takes no writes; write through a store that opens the "
                "folder read-write (open_store(path), one process at a time)"
            )
        return store

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        union_default_graph: bool = False,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> SelectResult | bool | tuple[Triple, ...]:
        result = self.stream_query(
            sparql,
            bindings=bindings,
            union_default_graph=union_default_graph,
            default_graph=default_graph,
            named_graphs=named_graphs,
            timeout=timeout,
        )
        if isinstance(result, bool):
            return result
        if isinstance(result, SelectStream):
            return SelectResult(result.variables, tuple(result.rows))
        return tuple(result)

    def stream_query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        union_default_graph: bool = False,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> SelectStream | bool | Iterator[Triple]:
        check_dataset(union_default_graph=union_default_graph, default_graph=default_graph)
        sparql = bind_values(sparql, check_bindings(bindings))
        options: dict[str, Any] = {"use_default_graph_as_union": union_default_graph}
        if default_graph is not None:
            options["default_graph"] = [graph_iri(g) for g in default_graph]
        if named_graphs is not None:
            options["named_graphs"] = [graph_iri(g) for g in named_graphs]
        deadline = None if timeout is None else time.monotonic() + timeout
        store = self._live
        try:
            result = store.query(sparql, **options)
        except SyntaxError as error:
            raise syntax_error(str(error), sparql, origin="embedded store") from None
        except (RuntimeError, OSError, ValueError) as error:
            raise StoreError(f"the query failed in {self!r}: {error}") from error
        if isinstance(result, QueryBoolean):
            return bool(result)
        if isinstance(result, QuerySolutions):
            names = tuple(v.value for v in result.variables)
            width = range(len(names))
            solutions = self._read(result, deadline, timeout)
            return SelectStream(names, (tuple(s[i] for i in width) for s in solutions))
        return self._read(result, deadline, timeout)

    def _read(self, items: Iterable[Any], deadline: float | None, timeout: float | None) -> Iterator[Any]:
        """``items`` as pyoxigraph evaluates them, with the deadline checked between two."""
        try:
            for item in items:
                if deadline is not None and time.monotonic() > deadline:
                    raise StoreError(
                        f"the query ran past its timeout of {timeout} s; narrow it or raise the timeout"
                    )
                yield item
        except StoreError:
            raise
        except (RuntimeError, OSError, ValueError) as error:
            raise StoreError(f"the query failed in {self!r}: {error}") from error

    def select_csv(self, sparql: str) -> bytes:
        """The solutions of a ``SELECT`` query as SPARQL 1.1 CSV results, written by pyoxigraph (no Python
        object per term; for another backend: :func:`~stancegraph.graph.store.csv_results.solutions_csv`).

        Examples
        --------
        >>> with EmbeddedStore() as store:
        ...     store.select_csv('SELECT ?n ?t WHERE { VALUES (?n ?t) { (1 "a,b") } }')
        b'n,t\\r\\n1,"a,b"\\r\\n'
        """
        try:
            result = self._live.query(sparql)
            if not isinstance(result, QuerySolutions):
                raise StoreError("select_csv takes a SELECT query")
            return result.serialize(format=QueryResultsFormat.CSV)
        except SyntaxError as error:
            raise syntax_error(str(error), sparql, origin="embedded store") from None
        except (RuntimeError, OSError, ValueError) as error:
            raise StoreError(f"the query failed in {self!r}: {error}") from error

    def update(self, sparql: str) -> None:
        store = self._writable
        try:
            with self._version.writing():
                store.update(sparql)
        except SyntaxError as error:
            raise syntax_error(str(error), sparql, origin="embedded store") from None
        except (RuntimeError, OSError, ValueError) as error:
            raise StoreError(f"the update failed in {self!r}, nothing was changed: {error}") from error

    def load(self, quads: Iterable[Quad | Triple | tuple[Any, ...]], *, bulk: bool = False) -> int:
        store = self._writable
        try:
            with self._version.writing():
                if bulk:
                    counter = _Counter(check_quads(quads))
                    store.bulk_extend(counter)
                    return counter.count
                checked = list(check_quads(quads))
                store.extend(checked)
                return len(checked)
        except (RuntimeError, OSError) as error:
            raise StoreError(f"writing to {self!r} failed: {error}") from error

    def remove_graph(self, graph: str) -> None:
        node = graph_iri(graph)
        store = self._writable
        try:
            with self._version.writing():
                store.remove_graph(node)
        except OSError as error:
            raise StoreError(f"removing graph <{graph}> from {self!r} failed: {error}") from error

    def _fetch(self, graph: str | None, *, dataset: bool) -> Iterable[Quad] | Iterable[Triple]:
        store = self._live
        if dataset and graph is None:
            return iter(store)
        name = DefaultGraph() if graph is None else graph_iri(graph)
        return (q.triple for q in store.quads_for_pattern(None, None, None, name))

    def named_graphs(self) -> list[str]:
        return sorted(g.value if isinstance(g, NamedNode) else str(g) for g in self._live.named_graphs())

    def clear(self) -> None:
        store = self._writable
        try:
            with self._version.writing():
                store.clear()
        except OSError as error:
            raise StoreError(f"clearing {self!r} failed: {error}") from error

    def flush(self) -> None:
        """Write the store's buffers to its folder (nothing to do in memory or read-only)."""
        if self.path is None or self.read_only:
            return
        try:
            self._live.flush()
        except OSError as error:
            raise StoreError(f"flushing {self.path} to disk failed: {error}") from error

    def close(self) -> None:
        try:
            if self._store is not None:
                self.flush()
        finally:
            # pyoxigraph has no close(): dropping the last reference releases the folder lock.
            self._store = None


class _Counter:
    """Counts the quads that stream into ``bulk_extend``."""

    def __init__(self, quads: Iterator[Quad]) -> None:
        self._quads = quads
        self.count = 0

    def __iter__(self) -> Iterator[Quad]:
        for quad in self._quads:
            self.count += 1
            yield quad


def _open(path: Path | None) -> pyoxigraph.Store:
    if path is None:
        return pyoxigraph.Store()
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot open a store at {path}: it is a file, not a folder; give a folder path")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"cannot create the store folder {path}: {error.strerror or error}; choose a folder you can "
            "write to"
        ) from error
    if not os.access(path, os.W_OK | os.X_OK):
        raise StoreError(
            f"the store folder {path} is not writable by this user; fix its permissions or choose another "
            "folder"
        )
    try:
        return pyoxigraph.Store(str(path))
    except OSError as error:
        if "lock" in str(error).lower():
            raise StoreError(_locked_message(path, str(error))) from error
        raise StoreError(f"cannot open the store folder {path}: {error}") from error


def _open_read_only(path: Path | None) -> pyoxigraph.Store:
    if path is None:
        raise StoreError(
            "a read-only store needs the folder of an on-disk store: EmbeddedStore(path, read_only=True)"
        )
    if not path.is_dir():
        what = "is a file, not a folder" if path.exists() else "does not exist"
        raise StoreError(f"cannot open the store folder {path} read-only: it {what}; give a store's folder")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except (OSError, RuntimeError) as error:
        raise StoreError(f"cannot open the store folder {path} read-only: {error}") from error


def _locked_message(path: Path, detail: str) -> str:
    if "current process" in detail:
        return (
            f"the store folder {path} is already open in this process; close the other store first "
            "(store.close() or a with block)"
        )
    holder = _lock_holder(path / "LOCK")
    who = f"process {holder}" if holder else "another process"
    return (
        f"the store folder {path} is locked by {who}: an on-disk store can be opened by one process at a "
        "time. Stop that process, or talk to it over HTTP if it is a server "
        "(open_store(endpoint='http://host:port')), or use a copy of the folder"
    )


def _lock_holder(lock_file: Path) -> str | None:
    """``PID (command line)`` of the process holding a POSIX lock on ``lock_file``, from /proc/locks."""
    try:
        inode = lock_file.stat().st_ino
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        # "1: POSIX  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" (a "->" marks a waiting lock)
        if "->" in fields or len(fields) < 6:
            continue
        pid, device_inode = fields[4], fields[5]
        if device_inode.rsplit(":", 1)[-1] == str(inode) and pid.isdigit():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except OSError:
                command = ""
            return f"{pid} ({command[:200]})" if command else pid
    return None

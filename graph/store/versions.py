"""The version of an embedded store: a stamp that changes with every write, for data derived from it.

Derived data (the columnar stance table of :mod:`stancegraph.graph.queries.stance_table`) is stamped with
the version of the store it was built from and read only while the store still has that version, so that
it is never read stale.

A version is a random token (``uuid4().hex``). Every write through :class:`~stancegraph.graph.store.
EmbeddedStore` (``update``, ``load``, ``remove_graph``, ``clear``: the load pipeline, the Graph Store
routes and SPARQL Update all end in one of them) goes through :meth:`StoreVersion.writing`: *before* the
write the version becomes ``writing:<token>``, which is no version (:attr:`StoreVersion.current` is None,
so nothing is cached or read), and after it, failed or not, a fresh token. A reader takes the version before
and after it builds; a table is kept only when both are the same version, so a write that overlaps the
build, even from another thread, leaves nothing stale behind.

In memory the version is an attribute. On disk it is the file :data:`VERSION_FILE` in the store folder,
replaced atomically (write a temporary file, then ``os.replace``): only the one process that holds the
folder read-write (RocksDB's lock) writes it. A process that crashes mid-write leaves ``writing:...``
behind; the next read-write open replaces it with a fresh token. A read-only view (``read_only=True``)
sees the folder as it was when opened, so its version is the file's content read just before and just
after opening, when both agree and no write was under way; otherwise it has no version (None) and derived
data is built afresh for it.

Writes that bypass stancegraph (another program opening the RocksDB folder) do not change the version:
derived data beside the folder is then stale, and must be deleted by hand.
"""

from __future__ import annotations

__all__ = ["StoreVersion", "VERSION_FILE"]

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

#: The file in an on-disk store's folder that holds its version.
VERSION_FILE = "stancegraph-version"
_WRITING = "writing:"


def _token() -> str:
    return uuid.uuid4().hex


class StoreVersion:
    """The version of one store handle: in memory (``path`` None) or in the folder's version file.

    Parameters
    ----------
    path : Path, optional
        The store folder; None for an in-memory store.
    read_only : bool, default False
        The handle only reads: its version is fixed by :meth:`snapshot` and never written.
    """

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self._file = None if path is None else path / VERSION_FILE
        self._read_only = read_only
        self._value: str | None = None
        if self._file is None:
            self._value = _token()
        elif not read_only:
            found = self._read()
            self._value = found if found and not found.startswith(_WRITING) else self._write(_token())

    @classmethod
    def snapshot(cls, path: Path, before: str | None) -> StoreVersion:
        """The version of a read-only view of ``path``: ``before`` (the file read before opening) if the
        file still says so and no write was under way, else None."""
        version = cls(path, read_only=True)
        after = version._read()
        if before is not None and before == after and not before.startswith(_WRITING):
            version._value = before
        return version

    @staticmethod
    def read_file(path: Path) -> str | None:
        """The content of the version file of the folder ``path`` (None if it has none)."""
        try:
            return (path / VERSION_FILE).read_text(encoding="ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    @property
    def current(self) -> str | None:
        """The version, or None while a write is under way or when it cannot be known."""
        value = self._value
        return None if value is None or value.startswith(_WRITING) else value

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Mark a write: no version during it, a fresh one after it (also after a failed write)."""
        if self._read_only:
            yield
            return
        self._set(_WRITING + _token())
        try:
            yield
        finally:
            self._set(_token())

    def _set(self, value: str) -> None:
        self._value = value if self._file is None else self._write(value)

    def _read(self) -> str | None:
        assert self._file is not None
        return self.read_file(self._file.parent)

    def _write(self, value: str) -> str:
        assert self._file is not None
        temporary = self._file.with_name(f"{self._file.name}.{_token()}.tmp")
        with open(temporary, "w", encoding="ascii") as out:
            out.write(value)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self._file)
        return value

"""The work folder of one load: where converted files wait until they are validated and written.

For an on-disk store it is a folder ``.stancegraph-ingest-{pid}-{random}`` inside the store's folder (the
same disk as the data; pyoxigraph ignores it), locked for as long as the load runs and removed when it
ends; a load killed before that leaves it behind, and the next load into that store removes every such
folder no live process holds (:func:`remove_leftovers`). For a store in memory or behind an endpoint,
the folder is in the system's temporary folder.
"""

from __future__ import annotations

__all__ = ["WORK_PREFIX", "work_folder", "remove_leftovers"]

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

WORK_PREFIX = ".stancegraph-ingest-"


@contextlib.contextmanager
def work_folder(store: Store | None) -> Iterator[Path]:
    """A folder for the converted files of one load, removed afterwards (see the module's docstring)."""
    from stancegraph.graph.store import EmbeddedStore

    home = store.path if isinstance(store, EmbeddedStore) else None
    if home is None:
        with tempfile.TemporaryDirectory(prefix=WORK_PREFIX.lstrip(".")) as folder:
            yield Path(folder)
        return
    remove_leftovers(home)
    folder = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=home))
    held = _hold(folder)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if held is not None:
            os.close(held)


def _hold(folder: Path) -> int | None:
    """Lock ``folder`` for as long as this process lives (or until the descriptor is closed)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the process id in the name is what tells
        return None
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a file system without locks: the process id in the name is what tells
        os.close(handle)
        return None
    return handle


def _held_elsewhere(folder: Path) -> bool:
    """Whether a live process holds the work folder (or it is this process's: it may be in use)."""
    if folder.name.startswith(f"{WORK_PREFIX}{os.getpid()}-"):
        return True  # another load in this process, perhaps not locked yet
    try:
        import fcntl
    except ImportError:  # the caller holds the store open, so no other process can be loading into it
        return False
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return True  # gone already, or not ours to read
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(handle)
    return False


def remove_leftovers(folder: str | Path) -> list[Path]:
    """Remove the work folders that killed loads left in a store folder.

    :func:`ingest` and :func:`check` call this before loading into an on-disk store. A folder that a
    live load holds (its lock is taken, or it belongs to this process) is kept.

    Parameters
    ----------
    folder : str or Path
        The store's folder.

    Returns
    -------
    list of Path
        The folders removed.
    """
    removed = []
    for leftover in sorted(Path(folder).glob(WORK_PREFIX + "*")):
        if leftover.is_dir() and not leftover.is_symlink() and not _held_elsewhere(leftover):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed

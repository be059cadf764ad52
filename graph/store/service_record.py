"""The note a running service leaves in the store folder it holds: its URL and process id.

An on-disk store can be opened read-write by one process at a time (RocksDB locks the folder).
``stancegraph serve`` holds its folder while it runs and writes :data:`RECORD_NAME` into it at start-up
(removed at shutdown), so that another program finding the folder locked can tell that a stancegraph service
holds it, and where that service answers. A record whose process is no longer alive (a service killed with
``kill -9``) is stale and ignored.

Examples
--------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = record_service(folder, "http://127.0.0.1:8000")
>>> running_service(folder) == ServiceRecord("http://127.0.0.1:8000", os.getpid())
True
>>> remove_service_record(folder)
>>> running_service(folder) is None
True
"""

from __future__ import annotations

__all__ = ["RECORD_NAME", "ServiceRecord", "record_service", "remove_service_record", "running_service"]

import json
import os
from dataclasses import dataclass
from pathlib import Path

#: The file's name inside the store folder (RocksDB leaves files of names it does not use alone).
RECORD_NAME = "stancegraph-service.json"


@dataclass(frozen=True)
class ServiceRecord:
    """A service that holds a store folder: its base URL (``http://127.0.0.1:8000``) and process id."""

    url: str
    pid: int


def record_service(folder: str | Path, url: str, *, pid: int | None = None) -> Path:
    """Write the record of the service at ``url`` (process ``pid``, by default this one) into ``folder``.

    Returns
    -------
    Path
        The record's file; :func:`remove_service_record` removes it.
    """
    path = Path(folder) / RECORD_NAME
    text = json.dumps({"url": url, "pid": os.getpid() if pid is None else pid})
    staged = path.with_suffix(".tmp")
    staged.write_text(text, encoding="utf-8")
    staged.replace(path)  # a reader never sees half a record
    return path


def remove_service_record(folder: str | Path, *, pid: int | None = None) -> None:
    """Remove the record in ``folder`` if it is the one of process ``pid`` (by default this one)."""
    path = Path(folder) / RECORD_NAME
    record = _read(path)
    if record is not None and record.pid == (os.getpid() if pid is None else pid):
        path.unlink(missing_ok=True)


def running_service(folder: str | Path) -> ServiceRecord | None:
    """The service that recorded itself in ``folder`` if its process is alive; None otherwise."""
    record = _read(Path(folder) / RECORD_NAME)
    if record is None or not _alive(record.pid):
        return None
    return record


def _read(path: Path) -> ServiceRecord | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        url, pid = data["url"], data["pid"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(url, str) or not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return None
    return ServiceRecord(url, pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) holds no lock any more
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"

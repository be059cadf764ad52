"""What every command shares: the store the global options chose, opened and closed around a command,
and messages on stderr that no value from the data can turn into terminal controls.

Beside a running ``stancegraph serve``, which holds its store folder read-write, a command that only
reads opens the folder read-only (pyoxigraph's ``Store.read_only``: no lock; it sees every write the
service made before it was opened, flushed or not, and none after), so its answers are the embedded
store's own. A command that writes goes through the service, over HTTP, when it has the service's token
(``--token`` or ``STANCEGRAPH_TOKEN``): the service validates the write and applies it; without the token
the command is refused with what to do.
"""

from __future__ import annotations

__all__ = ["DEFAULT_STORE", "StoreChoice", "opened_store", "say"]

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import typer

from stancegraph.api.cli.output import terminal_text

#: The embedded store of the current directory, one graph per project.
DEFAULT_STORE = Path(".stancegraph") / "store"


@dataclass(frozen=True)
class StoreChoice:
    """``--store``, or ``--endpoint`` and the server's options, as the global options left them in
    ``ctx.obj``."""

    location: Path | None
    endpoint: str | None
    server: str | None = None
    update_url: str | None = None
    store_url: str | None = None
    chunk_size: int | None = None
    query_method: str = "auto"
    token: str | None = None

    def describe(self) -> str:
        return self.endpoint or str(self.location)

    def remote_options(self) -> dict[str, object]:
        """The keyword arguments of :func:`~stancegraph.graph.store.open_store` for the server."""
        return {
            "server": self.server,
            "update_endpoint": self.update_url,
            "store_endpoint": self.store_url,
            "chunk_size": self.chunk_size,
            "query_method": self.query_method,
            "token": self.token,
        }


@contextlib.contextmanager
def opened_store(ctx: typer.Context, *, writes: bool = False, holds: bool = False) -> Iterator:
    """The chosen store, open for the duration of a command.

    A folder held by a running ``stancegraph serve`` is opened read-only for a command that only reads
    (one line on stderr says so); for one that ``writes``, it is the service itself with the token, and
    without the token the error says what to do. A command that ``holds`` the folder (``serve``) needs it
    to itself.
    """
    from stancegraph.graph import open_store

    choice: StoreChoice = ctx.obj
    if choice.endpoint is None:
        store = _open_folder(choice, ctx.info_name or "this command", writes=writes, holds=holds)
    else:
        store = open_store(endpoint=choice.endpoint, **choice.remote_options())  # type: ignore[arg-type]
    try:
        yield store
    finally:
        store.close()


def _open_folder(choice: StoreChoice, command: str, *, writes: bool, holds: bool):
    """The embedded store in the chosen folder; beside the service that holds it, read-only for reads and
    the service itself for writes (with the token)."""
    from stancegraph.graph import errors
    from stancegraph.graph.store import ServerKind, open_store, running_service

    location = choice.location
    try:
        return open_store(location)
    except errors.StoreError:
        service = None if location is None else running_service(location)
        if service is None:
            raise
    held = f"{location} is held by the stancegraph service at {service.url} (process {service.pid})"
    if holds:
        raise errors.StoreError(f"{held}; use that service, or stop it first (kill {service.pid})")
    if writes and choice.token is None:
        raise errors.StoreError(
            f"`{command}` writes to {location}, which the stancegraph service at {service.url} (process "
            f"{service.pid}) holds: stop the service (Ctrl-C where `stancegraph serve` runs, or kill "
            f"{service.pid}), run `{command}` again, then start the service again; or write through the "
            "service with its token: stancegraph --token TOKEN (or STANCEGRAPH_TOKEN) ..."
        )
    if writes:
        say(f"note: {held}; writing through it")
        return open_store(endpoint=service.url, server=ServerKind.STANCEGRAPH, token=choice.token)
    say(f"note: {held}; reading it read-only, as it is now")
    return open_store(location, read_only=True)


def say(message: str) -> None:
    """A message on stderr; names and values from the data in it cannot reach the terminal as controls."""
    typer.echo(terminal_text(message), err=True)

"""What every command shares: the store the global options chose, opened and closed around a command,
and messages on stderr that no value from the data can turn into terminal controls."""

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
        }


@contextlib.contextmanager
def opened_store(ctx: typer.Context) -> Iterator:
    """The chosen store, open for the duration of a command."""
    from stancegraph.graph import open_store

    choice: StoreChoice = ctx.obj
    if choice.endpoint is None:
        store = open_store(choice.location)
    else:
        store = open_store(endpoint=choice.endpoint, **choice.remote_options())  # type: ignore[arg-type]
    try:
        yield store
    finally:
        store.close()


def say(message: str) -> None:
    """A message on stderr; names and values from the data in it cannot reach the terminal as controls."""
    typer.echo(terminal_text(message), err=True)

"""``stancegraph actors``, ``targets``, ``sources``: the names other commands (and their errors) take."""

from __future__ import annotations

__all__ = ["catalogue_app"]

from typing import Annotated

import typer

from stancegraph.api.cli.context import opened_store
from stancegraph.api.cli.options import FormatOption
from stancegraph.api.cli.output import Format, write_records
from stancegraph.graph import queries

catalogue_app = typer.Typer()


@catalogue_app.command()
def actors(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List the actors: short id, label, kinds and other labels (any of them names the actor)."""
    with opened_store(ctx) as store:
        found = queries.actors(store)
    write_records(found, ["id", "label", "kinds", "alt_labels"], fmt)


@catalogue_app.command()
def targets(
    ctx: typer.Context,
    kind: Annotated[queries.TargetKind | None, typer.Option(help="Only this kind of target.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List what stances are taken on: demands, plans, plan points and issues, with short ids and labels."""
    with opened_store(ctx) as store:
        found = queries.targets(store, kind=kind.value if kind else None)
    write_records(found, ["id", "label", "kind", "plan", "notation"], fmt)


@catalogue_app.command()
def sources(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List the sources (each names the graph of the stances it reports): title, publisher, date, stances."""
    with opened_store(ctx) as store:
        found = queries.sources(store)
    write_records(found, ["id", "title", "publisher", "issued", "stances"], fmt)

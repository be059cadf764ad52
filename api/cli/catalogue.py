"""``stancegraph actors``, ``targets``, ``sources``: the names other commands (and their errors) take."""

from __future__ import annotations

__all__ = ["catalogue_app"]

from enum import StrEnum
from typing import Annotated

import typer

from stancegraph.api.cli.context import opened_store
from stancegraph.api.cli.options import FormatOption
from stancegraph.api.cli.output import Format, write_records
from stancegraph.graph import queries
from stancegraph.graph.readwrite import CITATION_FORMATS, write_citations

catalogue_app = typer.Typer()

#: ``sources --format``: the tables of every listing, and the library's citation formats.
SourcesFormat = StrEnum("SourcesFormat", {name: name for name in (*Format, *CITATION_FORMATS)})


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
def sources(
    ctx: typer.Context,
    fmt: Annotated[
        SourcesFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json, csv; or citations: bibtex, csl-json (Zotero, pandoc) or apa (an APA-style "
            "reference list).",
        ),
    ] = SourcesFormat.table,
) -> None:
    """List the sources (each names the graph of the stances it reports): title, publisher, date, stances;
    or cite them (--format bibtex, csl-json, apa)."""
    with opened_store(ctx) as store:
        found = queries.sources(store)
    if fmt.value in CITATION_FORMATS:
        typer.echo(write_citations(found, fmt.value), nl=False)
        return
    write_records(found, ["id", "title", "publisher", "issued", "kind", "stances"], Format(fmt.value))

"""The commands that bring data in and out of the store: ``init``, ``load``, ``validate``, ``export``,
``info`` and ``synth`` (synthetic statements for benchmarks).
"""

from __future__ import annotations

__all__ = ["data_app"]

import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from stancegraph.api.cli.context import opened_store, say
from stancegraph.api.cli.options import (
    ActorVariable,
    AgainstStore,
    FormatOption,
    InputFiles,
    StatementType,
    Strict,
)
from stancegraph.api.cli.output import Format, write_findings, write_json
from stancegraph.api.cli.progress import progress as progress_bar
from stancegraph.api.cli.progress import showing
from stancegraph.graph import errors

data_app = typer.Typer()


@data_app.command()
def init(
    ctx: typer.Context,
    reset: Annotated[bool, typer.Option(help="Empty the store first.")] = False,
) -> None:
    """Load the ontology and the bundled peace-plan data set into the store."""
    from stancegraph.graph import load_bundled

    with opened_store(ctx, writes=True) as store:
        if reset:
            store.clear()
        elif store.counts().quads:
            say(
                f"{ctx.obj.describe()} already holds {store.counts().quads} quads; "
                "use --reset to empty it and load the bundled data again"
            )
            return
        report = load_bundled(store)
        counts = store.counts()
    say(
        f"loaded the bundled data set into {ctx.obj.describe()}: {report.stances} stances, "
        f"{counts.quads} quads in {counts.named_graphs} source graphs"
    )


@data_app.command()
def load(
    ctx: typer.Context,
    files: InputFiles,
    strict: Strict = False,
    against_store: AgainstStore = False,
    progress: Annotated[
        bool, typer.Option(help="Show a progress bar (on a terminal; not with --quiet).")
    ] = True,
    format: FormatOption = Format.table,
    statement_type: StatementType = "DNA Statement",
    actor_variable: ActorVariable = "organization",
    table: Annotated[
        bool,
        typer.Option(
            help="Rebuild the stance table the analyses read after the write, if it fits in half the memory "
            "free (building it for 1M stances takes about 2 GB); --no-table leaves it to the first analysis."
        ),
    ] = True,
) -> None:
    """Validate FILES and, if all are valid, store them in one atomic write.

    Warnings (a CSV row that repeats a stance of its file, of an earlier file or, with
    --against-store, of the store, not stored again) go to stderr, before the errors if the files are
    refused; --format json writes the report with them to stdout (or, if the files are refused, the
    violations and the warnings, as validate does), --format csv the warnings (and violations).
    """
    from stancegraph.graph import ingest
    from stancegraph.graph.ingestion import DnaOptions

    dna = DnaOptions(statement_type=statement_type, actor_variable=actor_variable)
    with opened_store(ctx, writes=True) as store:
        try:
            report = ingest(
                store,
                *files,
                strict=strict,
                progress=progress and showing(ctx),
                against_store=against_store,
                dna=dna,
                stance_table=table,
            )
            table_left = table and not report.stance_table and store.version is not None
        except errors.ValidationError as refused:
            if format is Format.table:
                _say_warnings(refused.warnings)
                raise
            write_findings(refused.violations, refused.warnings, format)
            say(f"error: {len(refused.violations)} violation(s); nothing was stored")
            raise typer.Exit(1) from None
    repeats = sum(1 for w in report.warnings if w.rule == "duplicate")
    once = f", {repeats} repeated row(s) stored once" if repeats else ""
    already = f", {report.already_stored} of them already in the store" if report.already_stored else ""
    summary = (
        f"stored {report.quads} quads, {report.added} of them new ({report.stances} stances{already}{once}, "
        f"{report.actors_created} new actors, {report.targets_created} new targets) from {len(files)} "
        f"file(s) in {report.seconds:.1f} s"
    )
    if format is Format.table:
        _say_warnings(report.warnings)
        say(summary)
        if table_left:
            say(
                "the stance table was not rebuilt (it would not fit in half the memory free); "
                "the first analysis builds it"
            )
    elif format is Format.json:
        write_json(dataclasses.asdict(report))
    else:
        write_findings([], report.warnings, format)


@data_app.command()
def validate(
    ctx: typer.Context,
    files: InputFiles,
    strict: Strict = False,
    against_store: AgainstStore = False,
    format: FormatOption = Format.table,
    statement_type: StatementType = "DNA Statement",
    actor_variable: ActorVariable = "organization",
) -> None:
    """Check FILES against the syntax and the SHACL shapes without storing anything (exit 1 if invalid).

    Warnings (a CSV row that repeats an earlier row's stance, which load stores once) do not make the
    files invalid; --format json or csv writes the violations and the warnings to stdout.
    """
    from stancegraph.graph import check
    from stancegraph.graph.ingestion import DnaOptions

    dna = DnaOptions(statement_type=statement_type, actor_variable=actor_variable)
    with opened_store(ctx) as store:
        found = check(*files, store=store, strict=strict, against_store=against_store, dna=dna)
    if format is not Format.table:
        write_findings(found, found.warnings, format)
        if found:
            say(f"error: {len(found)} violation(s); the files are not valid")
            raise typer.Exit(1)
        return
    _say_warnings(found.warnings)
    if found:
        raise errors.ValidationError(found, limit=len(found))
    already = f", {found.already_stored} row(s) already in the store" if found.already_stored else ""
    warned = f", {len(found.warnings)} warning(s)" if found.warnings else ""
    say(f"{len(files)} file(s) valid{warned}{already}")


def _say_warnings(warnings: Sequence[errors.Violation]) -> None:
    for warning in warnings:
        say(f"warning: {warning}")


@data_app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="trig, nquads, turtle, ntriples, jsonld or rdfxml.")
    ] = "trig",
    graph: Annotated[str | None, typer.Option(help="Only this graph (IRI).")] = None,
    default: Annotated[
        bool, typer.Option("--default", help="Only the default graph (the catalogue, no stances).")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default stdout).")] = None,
) -> None:
    """Export the store (or one graph) as RDF; turtle, ntriples and rdfxml need --graph or --default."""
    with opened_store(ctx) as store:
        if out is None:
            data = store.export(fmt, graph=graph, default=default)
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            with out.open("wb") as stream:
                store.export(fmt, graph=graph, default=default, out=stream)
            say(f"wrote {out}")


@data_app.command()
def synth(
    ctx: typer.Context,
    statements: Annotated[int, typer.Option("--statements", "-n", min=0, help="Statements.")] = 100_000,
    actors: Annotated[int, typer.Option(min=1, help="Distinct actors.")] = 200,
    targets: Annotated[int, typer.Option(min=1, help="Distinct targets.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    contradicts: Annotated[
        float,
        typer.Option(
            "--contradicts",
            metavar="SHARE",
            min=0.0,
            max=1.0,
            help="Share of rows that deny an earlier row (id / contradicts columns); 0: none.",
        ),
    ] = 0.01,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="CSV file (default stdout).")] = None,
) -> None:
    """Write a synthetic statements CSV (the ingest format) for benchmarks and load tests."""
    from stancegraph.graph.ingestion import write_statements_csv

    options = {"actors": actors, "targets": targets, "seed": seed, "contradicts_share": contradicts}
    with progress_bar(ctx, "writing statements", total=statements, unit="statements") as bar:
        write_statements_csv(sys.stdout if out is None else out, statements, on_rows=bar.advance, **options)
    if out is not None:
        say(f"wrote {statements} statements to {out}")


@data_app.command()
def info(ctx: typer.Context) -> None:
    """What the store holds: quads, graphs and stances."""
    with opened_store(ctx) as store:
        counts = store.counts()
    typer.echo(
        f"store: {ctx.obj.describe()}\nquads: {counts.quads}\ndefault graph triples: "
        f"{counts.default_graph}\nsource graphs: {counts.named_graphs}\nstances: {counts.stances}"
    )

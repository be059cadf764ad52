"""The ``stancegraph`` command line: thin commands over :mod:`stancegraph.graph`.

The store is chosen by ``--store PATH`` (an on-disk Oxigraph folder) or ``--endpoint URL`` (any SPARQL 1.1
server), or the environment variables ``STANCEGRAPH_STORE`` / ``STANCEGRAPH_ENDPOINT``; by default the folder
``.stancegraph/store`` in the current directory, so each project keeps its own graph.
"""

from __future__ import annotations

__all__ = ["app", "main", "DEFAULT_STORE"]

import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from stancegraph.api.cli.analysis import analysis_app
from stancegraph.api.cli.catalogue import catalogue_app
from stancegraph.api.cli.context import DEFAULT_STORE, StoreChoice, opened_store, say
from stancegraph.api.cli.options import (
    Actor,
    ContestedOption,
    FormatOption,
    MinConfidence,
    Since,
    Source,
    Stance,
    Target,
    Until,
)
from stancegraph.api.cli.output import Format, write_findings, write_json, write_records, write_rows
from stancegraph.api.cli.serve import serve_app
from stancegraph.graph import errors
from stancegraph.graph.queries import short_id

app = typer.Typer(
    name="stancegraph",
    help="Who stands where: a knowledge graph of actors, demands, plans and the stances that link them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(analysis_app)  # network, coalitions, polarisation, ... (api/cli/analysis.py)
app.add_typer(serve_app)  # serve (api/cli/serve.py)
app.add_typer(catalogue_app)  # actors, targets, sources (api/cli/catalogue.py)


@app.callback()
def _options(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            envvar="STANCEGRAPH_STORE",
            help="Folder of the embedded store.",
            show_default=str(DEFAULT_STORE),
        ),
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            envvar="STANCEGRAPH_ENDPOINT",
            help="URL of a SPARQL 1.1 server (Oxigraph: http://host:7878) instead of the folder.",
        ),
    ] = None,
) -> None:
    if store is not None and endpoint is not None:
        raise typer.BadParameter("give --store or --endpoint, not both")
    ctx.obj = StoreChoice(None if endpoint else (store or DEFAULT_STORE), endpoint)


@app.command()
def init(
    ctx: typer.Context,
    reset: Annotated[bool, typer.Option(help="Empty the store first.")] = False,
) -> None:
    """Load the ontology and the bundled peace-plan data set into the store."""
    from stancegraph.graph import load_bundled

    with opened_store(ctx) as store:
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


@app.command()
def load(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="RDF files or statements CSVs.", exists=True, dir_okay=False)
    ],
    strict: Annotated[bool, typer.Option(help="Refuse CSV actors/targets the store does not know.")] = False,
    against_store: Annotated[
        bool,
        typer.Option(
            help="Also report rows that repeat a stance already in the store (reads every stored stance: "
            "slower on a big store)."
        ),
    ] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    format: FormatOption = Format.table,
) -> None:
    """Validate FILES and, if all are valid, store them in one atomic write.

    Warnings (a CSV row that repeats a stance of its file, of an earlier file or of the store, not
    stored again) go to stderr, before the errors if the files are refused; --format json writes the
    report with them to stdout (or, if the files are refused, the violations and the warnings, as
    validate does), --format csv the warnings (and violations).
    """
    from stancegraph.graph import ingest

    with opened_store(ctx) as store:
        try:
            report = ingest(
                store,
                *files,
                strict=strict,
                progress=progress and sys.stderr.isatty(),
                against_store=against_store,
            )
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
    elif format is Format.json:
        write_json(dataclasses.asdict(report))
    else:
        write_findings([], report.warnings, format)


@app.command()
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="RDF files or statements CSVs.", exists=True, dir_okay=False)
    ],
    strict: Annotated[bool, typer.Option(help="Refuse CSV actors/targets the store does not know.")] = False,
    against_store: Annotated[
        bool,
        typer.Option(
            help="Also report rows that repeat a stance already in the store (reads every stored stance: "
            "slower on a big store)."
        ),
    ] = False,
    format: FormatOption = Format.table,
) -> None:
    """Check FILES against the syntax and the SHACL shapes without storing anything (exit 1 if invalid).

    Warnings (a CSV row that repeats an earlier row's stance, which load stores once) do not make the
    files invalid; --format json or csv writes the violations and the warnings to stdout.
    """
    from stancegraph.graph import check

    with opened_store(ctx) as store:
        found = check(*files, store=store, strict=strict, against_store=against_store)
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


def _read_query(text: str) -> str:
    if text == "-":
        return sys.stdin.read()
    if text.startswith("@"):
        return Path(text[1:]).read_text(encoding="utf-8")
    return text


@app.command()
def query(
    ctx: typer.Context,
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, @FILE to read one, or - for stdin.")],
    fmt: FormatOption = Format.table,
    union: Annotated[
        bool,
        typer.Option(
            "--union/--no-union",
            help="Query the union of all graphs as the default graph (as /sparql?union-default-graph=true); "
            "without it the default graph is the store's own, as on /sparql.",
        ),
    ] = False,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
    from stancegraph.graph.store import SelectResult

    with opened_store(ctx) as store:
        result = store.query(_read_query(sparql), union_default_graph=union)
    if isinstance(result, bool):
        typer.echo(str(result).lower())
    elif isinstance(result, SelectResult):
        write_rows(result.variables, result.rows, fmt)
    else:
        for triple in result:
            typer.echo(f"{triple} .")


_STANCE_COLUMNS = [
    "date",
    "actor",
    "person",
    "stance",
    "target",
    "confidence",
    "contested",
    "denied",
    "reported by",
    "source",
    "quote",
]


def _stance_row(s, fmt: Format) -> tuple:
    quote = s.quote or ""
    if fmt is Format.table and len(quote) > 70:
        quote = quote[:69] + "…"
    return (
        s.stated_on,
        s.actor_label,
        s.person_label,
        s.stance,
        short_id(s.target),
        s.confidence,
        s.contested,
        s.denied,
        s.reported_by_label,
        s.publisher,
        quote,
    )


@app.command()
def who(
    ctx: typer.Context,
    stance: Annotated[str, typer.Argument(help="endorses, rejects, concedes or demands.")],
    target: Annotated[str, typer.Argument(help="A demand, plan, plan point or issue: id, IRI or label.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Who endorses / rejects / concedes / demands TARGET, with the reports that say so (confidence: the
    highest of its reports, blank when none records one)."""
    from stancegraph.graph.queries import who as who_holds

    with opened_store(ctx) as store:
        holders = who_holds(store, stance, target)
    if fmt is Format.json:
        write_records(holders, [], fmt)
        return
    rows = [
        (
            h.label,
            short_id(h.actor),
            len(h.stances),
            h.confidence,
            h.contested,
            "; ".join(sorted({s.publisher for s in h.stances})),
        )
        for h in holders
    ]
    write_rows(["actor", "id", "reports", "confidence", "contested", "sources"], rows, fmt)


@app.command()
def stances(
    ctx: typer.Context,
    actor: Actor = None,
    target: Target = None,
    stance: Stance = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    contested: Annotated[
        bool | None,
        typer.Option("--contested/--uncontested", help="Only contested (or uncontested) stances."),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List stances with their provenance, filtered."""
    from stancegraph.graph.queries import stances as find_stances

    with opened_store(ctx) as store:
        found = find_stances(
            store,
            actor=actor,
            target=target,
            stance=stance,
            source=source,
            since=since,
            until=until,
            contested=contested,
        )
    if fmt is Format.json:
        write_records(found, [], fmt)
        return
    write_rows(_STANCE_COLUMNS, (_stance_row(s, fmt) for s in found), fmt)


@app.command()
def positions(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Actor or person: id, IRI or label.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Everything ACTOR is reported to stand for, one row per target (confidence: that of the latest
    report, blank when it records none)."""
    from stancegraph.graph import positions as positions_of

    with opened_store(ctx) as store:
        found = positions_of(store, actor)
    if fmt is Format.json:
        write_records(found, [], fmt)
        return
    rows = [
        (
            p.target_label,
            p.stance,
            _history(p),
            len(p.stances),
            p.confidence,
            p.contested,
        )
        for p in found
    ]
    write_rows(["target", "latest", "history", "reports", "confidence", "contested"], rows, fmt)


def _history(position) -> str:
    """The stance types of the reports, oldest first, when they changed or one was denied (marked)."""
    if not (position.changed or any(s.denied for s in position.stances)):
        return ""
    return " -> ".join(s.stance + (" (denied)" if s.denied else "") for s in position.stances)


@app.command("plan-fit")
def plan_fit_command(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="Plan version: id (us-28), IRI or label.")],
    fmt: FormatOption = Format.table,
    detail: Annotated[bool, typer.Option(help="One row per demand instead of per actor.")] = False,
) -> None:
    """Whose demands PLAN fulfils, opposes or leaves untouched."""
    from stancegraph.graph import plan_fit

    with opened_store(ctx) as store:
        fit = plan_fit(store, plan)
    if fmt is Format.json:
        write_records([fit], [], fmt)
        return
    say(f"plan: {fit.label} ({fit.coverage})")
    if fit.partial:
        say("a demand left untouched may be met or opposed by a point not recorded")
    if detail:
        rows = [
            (
                a.label,
                d.label,
                d.confidence,
                d.contested,
                d.verdict,
                ", ".join(d.fulfilled_by),
                ", ".join(d.opposed_by),
            )
            for a in fit.actors
            for d in a.demands
        ]
        columns = ["actor", "demand", "confidence", "contested", "verdict", "fulfilled by points"]
        write_rows([*columns, "opposed by points"], rows, fmt)
        return
    rows = [
        (a.label, len(a.demands), a.fulfilled, a.opposed, a.untouched, f"{a.share_fulfilled:.0%}")
        for a in fit.actors
    ]
    write_rows(["actor", "demands", "fulfilled", "opposed", "untouched", "share fulfilled"], rows, fmt)


@app.command()
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


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="A stance pattern, e.g. '?who endorses \"army cap\"'.")],
    fmt: FormatOption = Format.table,
    show_sparql: Annotated[bool, typer.Option("--sparql", help="Print the SPARQL it compiles to.")] = False,
) -> None:
    """Answer a stance pattern: ?who endorses us-28/6, Russia demands ?what, ... (grammar in the README);
    a stance its actor denied makes no answer; confidence: per pattern the highest of its stances, the
    lowest of these (blank when unknown)."""
    from stancegraph.graph.queries import ask as ask_pattern
    from stancegraph.graph.queries import compile_question

    with opened_store(ctx) as store:
        answers = ask_pattern(store, question)
        if show_sparql:
            say(compile_question(store, question)[0])
    if fmt is Format.json:
        write_records([answers], [], fmt)
        return
    columns = [*answers.variables, "stances", "confidence", "contested"]
    rows = [
        [a.values[v].label if v in a.values else "" for v in answers.variables]
        + [len(a.stances), a.confidence, a.contested]
        for a in answers.answers
    ]
    write_rows(columns, rows, fmt)


@app.command()
def synth(
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
    if out is None:
        write_statements_csv(sys.stdout, statements, **options)
    else:
        write_statements_csv(out, statements, **options)
        say(f"wrote {statements} statements to {out}")


@app.command()
def render(
    ctx: typer.Context,
    view: Annotated[str, typer.Option(help="stances, agreement, influence, plan (heatmap: figures only).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="FILE.html (interactive), FILE.svg or FILE.png.")],
    actor: Actor = None,
    target: Target = None,
    stance: Stance = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    plan: Annotated[str | None, typer.Option(help="Plan version for the plan view and the heat map.")] = None,
    aggregation: Annotated[str | None, typer.Option(help="Agreement: congruence|conflict|subtract.")] = None,
    contested: ContestedOption | None = None,
    min_confidence: MinConfidence = 0.0,
    title: Annotated[str | None, typer.Option(help="Heading of the page or figure.")] = None,
) -> None:
    """Render a VIEW of the graph as a self-contained HTML page, an SVG or a PNG (chosen by --out)."""
    from stancegraph.graph.drawing import render as render_page
    from stancegraph.graph.drawing import render_figure

    kind = out.suffix.lower().lstrip(".")
    if kind not in ("html", "htm", "svg", "png"):
        raise ValueError(f"--out {out}: the file name must end in .html, .svg or .png")
    given = dict(
        actor=actor,
        target=target,
        stance=stance,
        source=source,
        since=since,
        until=until,
        plan=plan,
        aggregation=aggregation,
        contested=contested.value if contested is not None else None,
        min_confidence=min_confidence or None,  # the views that take it: stances, agreement, influence
    )
    options = {k: v for k, v in given.items() if v is not None}
    with opened_store(ctx) as store:
        if kind in ("svg", "png"):
            out.write_bytes(render_figure(store, view, format=kind, title=title, **options))
        else:
            render_page(store, view, title=title, **options).save(out)
    say(f"wrote {out}")


@app.command()
def info(ctx: typer.Context) -> None:
    """What the store holds: quads, graphs and stances."""
    with opened_store(ctx) as store:
        counts = store.counts()
    typer.echo(
        f"store: {ctx.obj.describe()}\nquads: {counts.quads}\ndefault graph triples: "
        f"{counts.default_graph}\nsource graphs: {counts.named_graphs}\nstances: {counts.stances}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; library errors become a message on stderr and a non-zero exit code."""
    try:
        # without standalone mode, click returns the code of a typer.Exit rather than raising it
        code = app(args=argv, standalone_mode=False)
    except errors.ValidationError as exc:
        say(f"error: {exc}")
        return 1
    except errors.StanceGraphError as exc:
        say(f"error: {exc}")
        return 2
    except (ValueError, OSError) as exc:
        say(f"error: {exc}")
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        say("aborted")
        return 1
    except typer.TyperException as exc:  # usage errors: a missing argument, an unknown option
        show = getattr(exc, "show", None)
        if show is None:
            raise
        show()
        return getattr(exc, "exit_code", 2)
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())

"""The commands that ask the graph: ``query`` (SPARQL), ``who``, ``stances``, ``positions``, ``plan-fit``,
``ask`` (stance patterns) and ``render`` (pages and figures).
"""

from __future__ import annotations

__all__ = ["questions_app"]

import sys
from pathlib import Path
from typing import Annotated

import typer

from stancegraph.api.cli.context import opened_store, say
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
from stancegraph.api.cli.output import Format, write_records, write_rows
from stancegraph.api.cli.progress import progress
from stancegraph.graph.queries import short_id

questions_app = typer.Typer()


def _read_query(text: str) -> str:
    if text == "-":
        return sys.stdin.read()
    if text.startswith("@"):
        return Path(text[1:]).read_text(encoding="utf-8")
    return text


@questions_app.command()
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
    "coder",
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
        s.coder_label,
        quote,
    )


@questions_app.command()
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


@questions_app.command()
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


@questions_app.command()
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


@questions_app.command("plan-fit")
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


@questions_app.command()
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


@questions_app.command()
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
    min_weight: Annotated[
        float | None, typer.Option(min=0, help="Agreement: draw only ties of at least this absolute weight.")
    ] = None,
    backbone: Annotated[
        float | None,
        typer.Option(
            min=0, max=1, help="Agreement: draw only the disparity backbone at this significance, e.g. 0.05."
        ),
    ] = None,
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
        min_weight=min_weight,
        backbone=backbone,
    )
    options = {k: v for k, v in given.items() if v is not None}
    with progress(ctx, f"rendering the {view} view"), opened_store(ctx) as store:
        if kind in ("svg", "png"):
            out.write_bytes(render_figure(store, view, format=kind, title=title, **options))
        else:
            render_page(store, view, title=title, **options).save(out)
    say(f"wrote {out}")

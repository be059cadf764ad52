"""The analysis commands of the ``stancegraph`` command line: network, coalitions, polarisation,
influence, changes, plan-versions-fit and reliability, thin over :mod:`stancegraph.graph.analysis` (whose
enums are the options' choices) and :mod:`stancegraph.graph.queries`.

They are merged into the main command group by :mod:`stancegraph.api.cli.commands` and use its global
``--store`` / ``--endpoint`` choice (``ctx.obj``).
"""

from __future__ import annotations

__all__ = ["analysis_app"]

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from stancegraph.api.cli.context import opened_store
from stancegraph.api.cli.options import ContestedOption, MinConfidence, Plan, Since, Source, Until
from stancegraph.api.cli.output import Format, write_rows
from stancegraph.api.cli.progress import progress
from stancegraph.graph import analysis, queries
from stancegraph.graph.analysis import (
    ActorVariable,
    Aggregation,
    CommunityMethod,
    Contested,
    Duplicates,
    Kernel,
    Level,
    NetworkFormat,
    NetworkType,
    NodeLabels,
    Normalization,
    TimeUnit,
)

analysis_app = typer.Typer()


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


def _given(**options: Any) -> dict[str, Any]:
    return {k: v for k, v in options.items() if v is not None and v != []}


Actors = Annotated[list[str] | None, typer.Option("--actor", help="Only this actor (repeatable).")]
Out = Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default stdout).")]
StatementsFile = Annotated[
    Path | None,
    typer.Option(
        "--statements",
        exists=True,
        dir_okay=False,
        help="A statements CSV (the ingest format, DNA's column names too) instead of the store.",
    ),
]


@analysis_app.command()
def network(
    ctx: typer.Context,
    statements: StatementsFile = None,
    type: Annotated[
        NetworkType, typer.Option("--type", help="Actor x target or actor x actor.")
    ] = NetworkType.ONE_MODE,
    aggregation: Annotated[
        Aggregation,
        typer.Option(
            help="One-mode: ignore|congruence|conflict|subtract; two-mode: ignore|subtract|combine."
        ),
    ] = Aggregation.IGNORE,
    normalization: Annotated[
        Normalization,
        typer.Option(
            help="One-mode: no|average|jaccard|cosine|textbook-cosine; two-mode: no|activity|prominence."
        ),
    ] = Normalization.NO,
    duplicates: Annotated[
        Duplicates, typer.Option(help="Which repeated statements count (DNA's duplicate setting).")
    ] = Duplicates.INCLUDE,
    qualifier: Annotated[
        str | None,
        typer.Option(
            help="boolean|integer|categorical|none (default: the data's own); 'agreement' = the coded value "
            "(integer), 'stance' = the stance type (categorical)."
        ),
    ] = None,
    actor_variable: Annotated[ActorVariable, typer.Option(help="Whose ties.")] = ActorVariable.ACTOR,
    plan: Plan = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    actor: Actors = None,
    labels: Annotated[NodeLabels, typer.Option(help="Name nodes by label or short id.")] = NodeLabels.LABEL,
    window: Annotated[int | None, typer.Option(min=1, help="Window size (a network per window).")] = None,
    unit: Annotated[TimeUnit, typer.Option(help="Unit of --window.")] = TimeUnit.DAYS,
    kernel: Annotated[Kernel | None, typer.Option(help="Smoothing of each window (default: none).")] = None,
    min_weight: Annotated[
        float | None, typer.Option(min=0, help="Keep only ties of at least this absolute weight.")
    ] = None,
    backbone: Annotated[
        float | None,
        typer.Option(
            min=0,
            max=1,
            help="Keep only the disparity backbone (Serrano et al. 2009) at this significance, e.g. 0.05.",
        ),
    ] = None,
    contested: ContestedOption = Contested.INCLUDE,
    min_confidence: MinConfidence = 0.0,
    fmt: Annotated[
        NetworkFormat, typer.Option("--format", "-f", help="csv matrix, Cytoscape json, gexf, graphml.")
    ] = NetworkFormat.CSV,
    out: Out = None,
) -> None:
    """An actor network (DNA definitions) of the store's stances or of a statements CSV."""
    kinds = {"agreement": "integer", "stance": "categorical"}
    options = _given(
        aggregation=aggregation.value,
        normalization=normalization.value,
        duplicates=duplicates.value,
        qualifier=kinds.get(qualifier, qualifier),
        actor_variable=actor_variable.value,
        window=window,
        unit=unit.value,
        kernel=kernel.value if kernel else None,
        contested=contested.value,
        min_confidence=min_confidence,
        min_weight=min_weight,
        backbone=backbone,
    )
    reading = "reading the statements" if statements is not None else "reading the stances"
    with progress(ctx, reading, "building the network", "writing the network") as bar:
        if statements is not None:
            picked = _given(plan=plan, source=source, actor=actor)
            if picked:
                raise ValueError(
                    f"--{', --'.join(picked)} select from the store; with --statements use --since/--until"
                )
            with opened_store(ctx) as store:  # checked against the store as `validate` checks it
                table = analysis.read_statements_csv(statements, store=store)
            options.update(_given(start=since, end=until))
        else:
            with opened_store(ctx) as store:
                table = analysis.statements_from_store(
                    store,
                    **_given(
                        plan=plan,
                        source=source,
                        since=since,
                        until=until,
                        actors=actor or None,
                        labels=labels.value,
                    ),
                )
        bar.next()
        built = analysis.build_network(table, mode=type.value, **options)
        bar.next()
        text = analysis.network_text(built, fmt.value)
    _emit(text, out)


@analysis_app.command()
def coalitions(
    ctx: typer.Context,
    method: Annotated[
        CommunityMethod, typer.Option(help="Community detection algorithm.")
    ] = CommunityMethod.LOUVAIN,
    seed: Annotated[int, typer.Option(help="Seed of the Louvain method.")] = 0,
    plan: Plan = None,
    since: Since = None,
    until: Until = None,
    contested: ContestedOption = Contested.INCLUDE,
    min_confidence: MinConfidence = 0.0,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Coalitions: communities in the positive part of the subtract/average actor network."""
    with progress(ctx, "finding coalitions"), opened_store(ctx) as store:
        found = analysis.store_coalitions(
            store,
            method=method.value,
            seed=seed,
            contested=contested.value,
            min_confidence=min_confidence,
            **_given(plan=plan, since=since, until=until),
        )
    typer.echo(f"modularity {found.modularity:.3f} ({found.method})", err=True)
    write_rows(
        ["coalition", "size", "actors"],
        [(i + 1, len(c), list(c)) for i, c in enumerate(found.communities)],
        fmt,
    )


@analysis_app.command()
def polarisation(
    ctx: typer.Context,
    k: Annotated[int, typer.Option(min=2, help="Number of camps.")] = 2,
    seed: Annotated[int, typer.Option(help="Seed of the greedy search.")] = 0,
    plan: Plan = None,
    since: Since = None,
    until: Until = None,
    contested: ContestedOption = Contested.INCLUDE,
    min_confidence: MinConfidence = 0.0,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Leifeld's polarisation score and the split into K camps that maximises it."""
    with progress(ctx, "searching the camps"), opened_store(ctx) as store:
        found = analysis.store_polarisation(
            store,
            k=k,
            seed=seed,
            contested=contested.value,
            min_confidence=min_confidence,
            **_given(plan=plan, since=since, until=until),
        )
    typer.echo(f"polarisation {found.score:.4f} ({found.method}, k={found.k})", err=True)
    write_rows(["camp", "actors"], [(i + 1, list(c)) for i, c in enumerate(found.clusters)], fmt)


@analysis_app.command()
def frequencies(
    ctx: typer.Context,
    by: Annotated[
        str,
        typer.Option(
            help="What to count by, comma-separated: actor, person, coder, target, stance, document, date."
        ),
    ] = "target,stance",
    plan: Plan = None,
    since: Since = None,
    until: Until = None,
    contested: ContestedOption = Contested.INCLUDE,
    min_confidence: MinConfidence = 0.0,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """How many stances per target and stance type (or per actor, source, day ...), most first."""
    with progress(ctx, "counting the stances"), opened_store(ctx) as store:
        counts = analysis.stance_frequencies(
            store,
            by=by,
            contested=contested.value,
            min_confidence=min_confidence,
            **_given(plan=plan, since=since, until=until),
        )
    write_rows(counts.columns, counts.rows(), fmt)


@analysis_app.command()
def influence(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    dated: Annotated[bool, typer.Option(help="Count adoptions only after the demand.")] = True,
    contested: ContestedOption = Contested.INCLUDE,
    min_confidence: MinConfidence = 0.0,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="table, csv (node and edge tables), json (Cytoscape), gexf or graphml."
        ),
    ] = "table",
    out: Out = None,
) -> None:
    """Who takes up whose demands: actors ranked by influence (PageRank of the adoption graph)."""
    options = dict(
        since=since, until=until, dated=dated, contested=contested.value, min_confidence=min_confidence
    )
    with progress(ctx, "tracing who takes up whose demands"), opened_store(ctx) as store:
        if fmt != "table":
            _emit(analysis.influence_document(store, format=fmt, **options), out)
            return
        graph = analysis.influence(store, **options)
    rows = sorted(
        (
            (d["label"], queries.short_id(n), round(d["influence"], 4), d["adopted"])
            for n, d in graph.nodes(data=True)
        ),
        key=lambda r: (-r[2], r[0]),
    )
    write_rows(["actor", "id", "influence", "demands taken up"], rows, Format.table)


@analysis_app.command()
def changes(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Actor or person: id, IRI or label.")],
    target: Annotated[str | None, typer.Option(help="Only this target.")] = None,
    since: Since = None,
    until: Until = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """How ACTOR's stances changed over time: one row per report, shifts marked (a report its actor
    denied is listed, flagged, and is no position to shift from or to; confidence blank when unknown)."""
    with progress(ctx, "reading the stances"), opened_store(ctx) as store:
        found = queries.stance_changes(store, actor, target=target, since=since, until=until)
    rows = []
    for history in found:
        shifts = {s.stance_iri_to: f"{s.from_stance} -> {s.to_stance}" for s in history.shifts}
        rows.extend(
            (
                history.target_label,
                entry.date,
                entry.stance,
                shifts.get(entry.stance_iri, ""),
                entry.confidence,
                entry.contested,
                entry.denied,
                entry.source_title,
            )
            for entry in history.entries
        )
    columns = ["target", "date", "stance", "shift", "confidence", "contested", "denied", "source"]
    write_rows(columns, rows, fmt)


@analysis_app.command("plan-versions-fit")
def plan_versions_fit_command(
    ctx: typer.Context,
    plans: Annotated[
        list[str] | None, typer.Argument(help="Plan versions (default: all, oldest first).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Whose demands each plan version fulfils, opposes or leaves untouched (actor x version)."""
    with progress(ctx, "fitting the plan versions"), opened_store(ctx) as store:
        table = queries.plan_versions_fit(store, plans or None)
    rows = [
        (
            r["actor_label"],
            r["plan"],
            r["demands"],
            r["fulfilled"],
            r["opposed"],
            r["untouched"],
            f"{r['share_fulfilled']:.0%}" if fmt is Format.table else round(r["share_fulfilled"], 4),
            r["plan_coverage"],
        )
        for r in table.records()
    ]
    columns = ["actor", "plan", "demands", "fulfilled", "opposed", "untouched", "share fulfilled", "points"]
    write_rows(columns, rows, fmt)


@analysis_app.command()
def reliability(
    ctx: typer.Context,
    statements: StatementsFile = None,
    level: Annotated[
        Level,
        typer.Option(
            help="nominal compares the stances (or coded agreement values) as categories; ordinal, "
            "interval and ratio compare the integer agreement scale."
        ),
    ] = Level.NOMINAL,
    plan: Plan = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Inter-coder reliability: percent agreement and Krippendorff's alpha of the documents two or more
    coders coded, on the stances and on which actors and targets each coder found."""
    if statements is not None:
        picked = _given(plan=plan, source=source, since=since, until=until)
        if picked:
            raise ValueError(f"--{', --'.join(picked)} select from the store; not with --statements")
        with progress(ctx, "comparing the coders"), opened_store(ctx) as store:  # checked as validate does
            found = analysis.reliability(analysis.read_statements_csv(statements, store=store), level=level)
    else:
        with progress(ctx, "comparing the coders"), opened_store(ctx) as store:
            found = analysis.store_reliability(
                store, level=level.value, **_given(plan=plan, source=source, since=since, until=until)
            )
    if fmt is Format.json:
        sys.stdout.write(json.dumps(found.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    typer.echo(
        f"{found.documents} document{'s' if found.documents != 1 else ''} coded by two or more of "
        f"{len(found.coders)} coders ({', '.join(found.coders)}); stances at the {found.level.value} level"
        + (
            f"; {found.multiple_values} coder-unit(s) with two stances, the most frequent taken"
            if found.multiple_values
            else ""
        ),
        err=True,
    )
    rows = [
        ("stances", found.stances),
        ("actors found", found.actors),
        ("targets found", found.targets),
        ("statements found", found.statements),
        *((f"stances: {pair.first} / {pair.second}", pair.agreement) for pair in found.pairs),
    ]
    write_rows(
        ["what", "units", "values", "percent_agreement", "alpha", "positive_agreement"],
        [
            (
                name,
                a.units,
                a.values,
                _rounded(a.percent),
                _rounded(a.alpha),
                _rounded(a.positive) if a.positive is not None else None,
            )
            for name, a in rows
        ],
        fmt,
    )


def _rounded(value: float) -> float | None:
    return None if value != value else round(value, 4)  # NaN: undefined, shown blank

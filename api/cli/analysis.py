"""The analysis commands of the ``stancegraph`` command line: network, coalitions, polarisation,
influence, changes and plan-versions-fit, thin over :mod:`stancegraph.graph.analysis.documents`.

They are merged into the main command group by :mod:`stancegraph.api.cli.commands` and use its global
``--store`` / ``--endpoint`` choice (``ctx.obj``).
"""

from __future__ import annotations

__all__ = ["analysis_app"]

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from stancegraph.api.cli.context import opened_store
from stancegraph.api.cli.options import Plan, Since, Source, Until
from stancegraph.api.cli.output import Format, write_rows
from stancegraph.graph.queries.names import short_id

analysis_app = typer.Typer()


class NetworkType(StrEnum):
    twomode = "twomode"
    onemode = "onemode"


class NetworkFormat(StrEnum):
    csv = "csv"
    json = "json"
    gexf = "gexf"
    graphml = "graphml"


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
        help="A statements CSV (the ingest format, DNA's agreement column too) instead of the store.",
    ),
]


@analysis_app.command()
def network(
    ctx: typer.Context,
    statements: StatementsFile = None,
    type: Annotated[
        NetworkType, typer.Option("--type", help="Actor x target or actor x actor.")
    ] = NetworkType.onemode,
    aggregation: Annotated[
        str, typer.Option(help="ignore|congruence|conflict|subtract (one-mode); ignore|subtract|combine.")
    ] = "ignore",
    normalization: Annotated[
        str,
        typer.Option(help="no|average|jaccard|cosine|textbook-cosine (one-mode); no|activity|prominence."),
    ] = "no",
    duplicates: Annotated[
        str, typer.Option(help="include|document|week|month|year|acrossrange.")
    ] = "include",
    qualifier: Annotated[
        str | None,
        typer.Option(
            help="boolean|integer|categorical|none (default: the data's own); 'agreement' = the coded value "
            "(integer), 'stance' = the stance type (categorical)."
        ),
    ] = None,
    actor_variable: Annotated[str, typer.Option(help="actor|person: whose ties.")] = "actor",
    plan: Plan = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    actor: Actors = None,
    labels: Annotated[str, typer.Option(help="label|id: name nodes by label or short id.")] = "label",
    window: Annotated[int | None, typer.Option(min=1, help="Window size (a network per window).")] = None,
    unit: Annotated[str, typer.Option(help="days|weeks|months|years.")] = "days",
    kernel: Annotated[
        str | None, typer.Option(help="uniform|gaussian|epanechnikov|triangular smoothing.")
    ] = None,
    fmt: Annotated[
        NetworkFormat, typer.Option("--format", "-f", help="csv matrix, Cytoscape json, gexf, graphml.")
    ] = NetworkFormat.csv,
    out: Out = None,
) -> None:
    """An actor network (DNA definitions) of the store's stances or of a statements CSV."""
    from stancegraph.graph.analysis import read_statements_csv
    from stancegraph.graph.analysis.documents import build_network, network_text
    from stancegraph.graph.analysis.selection import statements_from_store

    kinds = {"agreement": "integer", "stance": "categorical"}
    options = _given(
        aggregation=aggregation,
        normalization=normalization,
        duplicates=duplicates,
        qualifier=kinds.get(qualifier, qualifier),
        actor_variable=actor_variable,
        window=window,
        unit=unit,
        kernel=kernel,
    )
    if statements is not None:
        picked = _given(plan=plan, source=source, actor=actor)
        if picked:
            raise ValueError(
                f"--{', --'.join(picked)} select from the store; with --statements use --since/--until"
            )
        with opened_store(ctx) as store:  # checked against the store as `validate` checks it
            table = read_statements_csv(statements, store=store)
        options.update(_given(start=since, end=until))
    else:
        with opened_store(ctx) as store:
            table = statements_from_store(
                store,
                **_given(
                    plan=plan, source=source, since=since, until=until, actors=actor or None, labels=labels
                ),
            )
    _emit(network_text(build_network(table, mode=type.value, **options), fmt.value), out)


@analysis_app.command()
def coalitions(
    ctx: typer.Context,
    method: Annotated[str, typer.Option(help="louvain|greedy.")] = "louvain",
    seed: Annotated[int, typer.Option(help="Seed of the Louvain method.")] = 0,
    plan: Plan = None,
    since: Since = None,
    until: Until = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Coalitions: communities in the positive part of the subtract/average actor network."""
    from stancegraph.graph.analysis.documents import store_coalitions

    with opened_store(ctx) as store:
        found = store_coalitions(
            store, method=method, seed=seed, **_given(plan=plan, since=since, until=until)
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
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Leifeld's polarisation score and the split into K camps that maximises it."""
    from stancegraph.graph.analysis.documents import store_polarisation

    with opened_store(ctx) as store:
        found = store_polarisation(store, k=k, seed=seed, **_given(plan=plan, since=since, until=until))
    typer.echo(f"polarisation {found.score:.4f} ({found.method}, k={found.k})", err=True)
    write_rows(["camp", "actors"], [(i + 1, list(c)) for i, c in enumerate(found.clusters)], fmt)


@analysis_app.command()
def influence(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    dated: Annotated[bool, typer.Option(help="Count adoptions only after the demand.")] = True,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="table, csv (node and edge tables), json (Cytoscape), gexf or graphml."
        ),
    ] = "table",
    out: Out = None,
) -> None:
    """Who takes up whose demands: actors ranked by influence (PageRank of the adoption graph)."""
    from stancegraph.graph.analysis.documents import influence_document
    from stancegraph.graph.analysis.influence import influence as influence_graph

    with opened_store(ctx) as store:
        if fmt != "table":
            _emit(influence_document(store, format=fmt, since=since, until=until, dated=dated), out)
            return
        graph = influence_graph(store, since=since, until=until, dated=dated)
    rows = sorted(
        (
            (d["label"], short_id(n), round(d["influence"], 4), d["adopted"])
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
    """How ACTOR's stances changed over time: one row per report, shifts marked."""
    from stancegraph.graph.queries.changes import stance_changes

    with opened_store(ctx) as store:
        found = stance_changes(store, actor, target=target, since=since, until=until)
    rows = []
    for history in found:
        previous = None
        for entry in history.entries:
            shift = f"{previous} -> {entry.stance}" if previous and previous != entry.stance else ""
            rows.append((history.target_label, entry.date, entry.stance, shift, entry.source_title))
            previous = entry.stance
    write_rows(["target", "date", "stance", "shift", "source"], rows, fmt)


@analysis_app.command("plan-versions-fit")
def plan_versions_fit_command(
    ctx: typer.Context,
    plans: Annotated[
        list[str] | None, typer.Argument(help="Plan versions (default: all, oldest first).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Whose demands each plan version fulfils, opposes or leaves untouched (actor x version)."""
    from stancegraph.graph.queries.plans import plan_versions_fit

    with opened_store(ctx) as store:
        table = plan_versions_fit(store, plans or None)
    rows = [
        (
            r["actor_label"],
            r["plan"],
            r["demands"],
            r["fulfilled"],
            r["opposed"],
            r["untouched"],
            f"{r['share_fulfilled']:.0%}" if fmt is Format.table else round(r["share_fulfilled"], 4),
        )
        for r in table.records()
    ]
    columns = ["actor", "plan", "demands", "fulfilled", "opposed", "untouched", "share fulfilled"]
    write_rows(columns, rows, fmt)

"""``stancegraph report``: one self-contained HTML file (or a PDF) for a selection of the graph."""

from __future__ import annotations

__all__ = ["reports_app"]

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from stancegraph.api.cli.context import opened_store, say
from stancegraph.api.cli.options import Actor, ContestedOption, MinConfidence, Plan, Since, Until
from stancegraph.api.cli.progress import progress
from stancegraph.graph.analysis import Contested
from stancegraph.graph.drawing import AGREEMENT_AGGREGATIONS, REPORT_FORMATS, ReportFormat, report

reports_app = typer.Typer()

#: ``--format``: the library's report formats.
ReportFormatOption = StrEnum("ReportFormatOption", {name: name for name in REPORT_FORMATS})
#: ``--aggregation``: the agreement view's part of the library's aggregations.
AgreementAggregation = StrEnum("AgreementAggregation", {a.value: a.value for a in AGREEMENT_AGGREGATIONS})
_SUFFIXES = {".html": ReportFormat.HTML, ".htm": ReportFormat.HTML, ".pdf": ReportFormat.PDF}


def _format(out: Path, given: ReportFormatOption | None) -> ReportFormat:
    """The format asked for, or the one the file name says; a name that says another is refused."""
    named = _SUFFIXES.get(out.suffix.lower())
    if given is None:
        if named is None:
            raise ValueError(f"--out {out}: end the file name in .html or .pdf, or give --format html|pdf")
        return named
    chosen = ReportFormat(given.value)
    if named is not None and named is not chosen:
        raise ValueError(
            f"--format {chosen.value} but --out {out} is named for {named.value}; "
            f"name it {out.with_suffix('.' + chosen.value).name}"
        )
    return chosen


@reports_app.command("report")
def report_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="FILE.html (interactive) or FILE.pdf.")],
    plan: Plan = None,
    actor: Actor = None,
    since: Since = None,
    until: Until = None,
    contested: ContestedOption = Contested.INCLUDE,
    min_confidence: MinConfidence = 0.0,
    aggregation: Annotated[
        AgreementAggregation, typer.Option(help="How the agreement network ties actors.")
    ] = AgreementAggregation.congruence,
    title: Annotated[str | None, typer.Option(help="The report's heading.")] = None,
    fmt: Annotated[
        ReportFormatOption | None,
        typer.Option("--format", "-f", help="html (default for .html) or pdf (needs stancegraph[pdf])."),
    ] = None,
) -> None:
    """Write a report of a selection: who endorses, rejects, concedes or demands what, plan fit per
    version, contested claims side by side, the graphs and figures, and every source cited (APA style).
    The HTML file is self-contained: it works offline and loads nothing."""
    chosen = _format(out, fmt)
    with progress(ctx, "gathering the report", f"writing {out}") as bar, opened_store(ctx) as store:
        made = report(
            store,
            plan=plan,
            actor=actor,
            since=since,
            until=until,
            contested=contested.value,
            min_confidence=min_confidence,
            aggregation=aggregation.value,
            title=title,
        )
        bar.next()
        made.save(out, format=chosen)
    content = made.content
    cited = len(content.cited)
    say(f"wrote {out}: {len(content.stances)} stances, {cited} source{'s' if cited != 1 else ''} cited")

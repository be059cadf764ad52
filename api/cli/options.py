"""The command-line options that several commands share, declared once so they read the same everywhere."""

from __future__ import annotations

__all__ = ["FormatOption", "Actor", "Target", "Stance", "Source", "Since", "Until", "Plan"]

from typing import Annotated

import typer

from stancegraph.api.cli.output import Format

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
Actor = Annotated[str | None, typer.Option(help="Actor or person (id, IRI, label).")]
Target = Annotated[str | None, typer.Option(help="Demand, plan, point or issue.")]
Stance = Annotated[str | None, typer.Option(help="endorses|rejects|concedes|demands|neutral.")]
Source = Annotated[str | None, typer.Option(help="Only stances from this source (its graph).")]
Since = Annotated[str | None, typer.Option(help="From this ISO date on.")]
Until = Annotated[str | None, typer.Option(help="Up to this ISO date.")]
Plan = Annotated[str | None, typer.Option(help="Only stances on this plan or its points (id, IRI, label).")]

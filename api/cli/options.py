"""The command-line options that several commands share, declared once so they read the same everywhere."""

from __future__ import annotations

__all__ = [
    "FormatOption",
    "Actor",
    "Target",
    "Stance",
    "Source",
    "Since",
    "Until",
    "Plan",
    "ContestedOption",
    "MinConfidence",
    "InputFiles",
    "Strict",
    "AgainstStore",
    "StatementType",
    "ActorVariable",
]

from pathlib import Path
from typing import Annotated

import typer

from stancegraph.api.cli.output import Format
from stancegraph.graph.analysis import Contested, parse_min_confidence

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
Actor = Annotated[str | None, typer.Option(help="Actor or person (id, IRI, label).")]
Target = Annotated[str | None, typer.Option(help="Demand, plan, point or issue.")]
Stance = Annotated[str | None, typer.Option(help="endorses|rejects|concedes|demands|neutral.")]
Source = Annotated[str | None, typer.Option(help="Only stances from this source (its graph).")]
Since = Annotated[str | None, typer.Option(help="From this ISO date on.")]
Until = Annotated[str | None, typer.Option(help="Up to this ISO date.")]
Plan = Annotated[str | None, typer.Option(help="Only stances on this plan or its points (id, IRI, label).")]
ContestedOption = Annotated[
    Contested,
    typer.Option(
        "--contested",
        help="Stances disputed by another: include (default; a claim its own actor denied never counts), "
        "exclude (only undisputed stances) or only (only the contested ones).",
    ),
]


def _confidence(text: str) -> float:
    """The library's reading of a threshold, as a usage error naming the option."""
    try:
        return parse_min_confidence(text, "--min-confidence")
    except ValueError as error:
        raise typer.BadParameter(str(error).replace("--min-confidence=", "", 1)) from None


MinConfidence = Annotated[
    float,
    typer.Option(
        "--min-confidence",
        parser=_confidence,
        metavar="0..1",
        help="Only stances with at least this confidence (0..1); above 0 a stance without a recorded "
        "confidence is left out.",
    ),
]

#: The files of ``load`` and ``validate``.
InputFiles = Annotated[
    list[Path],
    typer.Argument(help="RDF files, statements CSVs or DNA projects (.dna).", exists=True, dir_okay=False),
]
Strict = Annotated[bool, typer.Option(help="Refuse CSV actors/targets the store does not know.")]
AgainstStore = Annotated[
    bool,
    typer.Option(
        help="Also report rows that repeat a stance already in the store (reads every stored stance: "
        "slower on a big store)."
    ),
]
StatementType = Annotated[
    str,
    typer.Option(
        help="The statement type of a DNA project (.dna) whose statements become stances; an unknown one is "
        "refused, listing the project's types.",
    ),
]
ActorVariable = Annotated[
    str,
    typer.Option(
        help="The variable of a DNA project's statements that is the actor: organization, or person for a "
        "network of people (the person is then the actor).",
    ),
]

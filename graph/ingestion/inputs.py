"""What a load is given (files or open files, each in a format) and what it prepares for the write.

:data:`FORMATS` maps a file extension (or a format name) to its pyoxigraph format; ``csv`` is a
statements table (:mod:`~stancegraph.graph.ingestion.table_format`) and ``dna`` a Discourse Network
Analyzer project (:mod:`~stancegraph.graph.ingestion.dna_project`).
"""

from __future__ import annotations

__all__ = ["FORMATS", "Input", "Prepared", "read_inputs"]

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from pyoxigraph import RdfFormat

from stancegraph.graph.errors import Violation
from stancegraph.graph.store.formats import RDF_FORMAT_LIST, RDF_FORMATS

#: File extension (or format name) -> format: the store's RDF formats, "csv" for a statements table and
#: "dna" for a Discourse Network Analyzer project.
FORMATS: Mapping[str, RdfFormat | str] = MappingProxyType({**RDF_FORMATS, "csv": "csv", "dna": "dna"})
_EXTENSIONS = ", ".join(f".{f.file_extension}" for f in RDF_FORMAT_LIST) + ", .xml, .csv, .dna"


@dataclass
class Prepared:
    """Everything converted and checked, waiting to be written."""

    files: list[str] = field(default_factory=list)
    spools: list[Path] = field(default_factory=list)
    quads: int = 0
    stances: int = 0
    actors_created: int = 0
    targets_created: int = 0
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)  # found, but they do not stop the write
    already_stored: int = 0  # CSV rows whose stance the store holds under the same IRI


@dataclass
class Input:
    name: str
    format: RdfFormat | str
    path: Path | None
    stream: IO[Any] | None


def read_inputs(
    sources: Iterable[Any], format: str | RdfFormat | None, found: list[Violation]
) -> list[Input]:
    inputs = []
    for source in sources:
        if isinstance(source, tuple):
            name, stream, path = str(source[0]), source[1], None
        elif isinstance(source, str | Path):
            name, stream, path = str(source), None, Path(source)
        else:
            raise TypeError(f"a source must be a path or a (name, file) pair, not {type(source).__name__}")
        if format is not None:
            chosen = format if isinstance(format, RdfFormat) else FORMATS.get(str(format).lower().lstrip("."))
            if chosen is None:
                raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        else:
            chosen = FORMATS.get(Path(name).suffix.lower().lstrip("."))
            if chosen is None:
                found.append(
                    Violation(
                        f"cannot tell the format from the extension {Path(name).suffix or '(none)'!r}; "
                        f"use one of {_EXTENSIONS} "
                        "or pass format=",
                        file=name,
                        rule="format",
                    )
                )
                continue
        if path is not None and not path.is_file():
            found.append(Violation(f"no such file: {path}; check the path", file=name, rule="file"))
            continue
        inputs.append(Input(name, chosen, path, stream))
    return inputs

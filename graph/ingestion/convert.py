"""A whole statements table converted to quads in one go, without SHACL validation (small tables, tests).

:func:`~stancegraph.graph.ingestion.ingest` and :func:`~stancegraph.graph.ingestion.check` stream
instead, chunk by chunk; this is the conversion alone, for a table that fits in memory.
"""

from __future__ import annotations

__all__ = ["ConvertedStatements", "convert_statements"]

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pyoxigraph import Quad, RdfFormat, parse

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.naming import Names
from stancegraph.graph.ingestion.reader import StatementsReader


@dataclass(frozen=True)
class ConvertedStatements:
    """A statements table converted in one go (see :func:`convert_statements`).

    Attributes
    ----------
    file : str
        The file's name.
    quads : tuple of pyoxigraph.Quad
        Stances and direct edges in their source graphs, then the created actors and targets and the
        source catalogue in the default graph.
    violations : tuple of Violation
        Row problems (file and line set); empty when every row converted.
    warnings : tuple of Violation
        Rows that repeat an earlier row's stance, converted once
        (:mod:`~stancegraph.graph.ingestion.duplicates`).
    rows, stances : int
        Data rows read and stances made.
    actors_created, targets_created : tuple of str
        IRIs of the nodes made for names that matched nothing.
    """

    file: str
    quads: tuple[Quad, ...]
    violations: tuple[Violation, ...]
    rows: int
    stances: int
    actors_created: tuple[str, ...]
    targets_created: tuple[str, ...]
    warnings: tuple[Violation, ...] = ()


def convert_statements(
    source: str | Path | tuple[str, IO[Any]], *, against: Any = None, strict: bool = False
) -> ConvertedStatements:
    """Convert a whole statements table to quads, without SHACL validation.

    :func:`~stancegraph.graph.ingestion.check` adds the SHACL checks; this is the conversion alone.

    Parameters
    ----------
    source : str, Path or (name, IO)
        The CSV.
    against : Store, optional
        Where names are resolved (besides the table's own earlier rows).
    strict : bool, default False
        Report names that match nothing instead of creating actors and targets for them.

    Returns
    -------
    ConvertedStatements
        The quads and the row problems.

    Examples
    --------
    >>> import io
    >>> table = io.StringIO("actor,target,stance,date,source\\nUS,Point 7,endorses,2025-11-21,Reuters\\n")
    >>> result = convert_statements(("table.csv", table))
    >>> result.stances, result.actors_created, len(result.violations)
    (1, ('https://w3id.org/stancegraph/id/actor/us',), 0)
    """
    names = Names(against, strict=strict)
    reader = StatementsReader(source, names=names)
    try:
        pieces: list[str] = []
        for _ in reader.chunks(sink=pieces.append):
            pass
        text = "".join(pieces)
        reference = names.created_ntriples() + reader.reference_ntriples()
    finally:
        reader.close()
    quads = list(parse(text.encode("utf-8"), format=RdfFormat.N_QUADS))
    quads += parse(reference.encode("utf-8"), format=RdfFormat.N_TRIPLES)
    violations = reader.violations + names.strict_violations()
    created = names.created.values()
    return ConvertedStatements(
        file=reader.file,
        quads=tuple(quads),
        violations=tuple(violations),
        rows=reader.rows,
        stances=reader.stances,
        actors_created=tuple(e.iri[1:-1] for e in created if e.kind == "actor"),
        targets_created=tuple(e.iri[1:-1] for e in created if e.kind == "target"),
        warnings=tuple(reader.warnings),
    )

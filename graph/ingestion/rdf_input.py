"""Staging one RDF input of a load: parsed into an N-Quads spool for the write and, flattened, into the
reference store the checks read; a syntax error is a violation naming the file, line and column."""

from __future__ import annotations

__all__ = ["stage_rdf"]

from pathlib import Path
from typing import IO, Any

from pyoxigraph import RdfFormat, parse, serialize
from pyoxigraph import Store as OxStore

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.inputs import Input, Prepared


def _syntax_violation(name: str, error: SyntaxError) -> Violation:
    column = getattr(error, "offset", None)
    where = f" (column {column})" if column else ""
    detail = str(getattr(error, "msg", None) or error)
    return Violation(
        f"syntax error{where}: {detail}; fix the file and load it again",
        file=name,
        line=getattr(error, "lineno", None),
        rule="syntax",
    )


def stage_rdf(item: Input, base: Path, reference: OxStore, prepared: Prepared) -> dict[str, str] | None:
    """Parse one RDF input into an N-Quads spool and the reference staging; None after a syntax error."""
    spool, flat = base.with_suffix(".nq"), base.with_suffix(".nt")
    assert isinstance(item.format, RdfFormat)
    try:
        source: dict[str, Any] = {"path": str(item.path)} if item.path is not None else {"input": item.stream}
        parser = parse(format=item.format, rename_blank_nodes=True, **source)
        count = 0
        with spool.open("wb") as quads_out, flat.open("wb") as triples_out:
            batch: list[Any] = []
            for quad in parser:
                batch.append(quad)
                if len(batch) >= 10_000:
                    count += _write_batch(batch, quads_out, triples_out)
                    batch = []
            count += _write_batch(batch, quads_out, triples_out)
        prefixes = dict(getattr(parser, "prefixes", None) or {})
    except SyntaxError as error:
        prepared.violations.append(_syntax_violation(item.name, error))
        return None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        prepared.violations.append(Violation(f"cannot read the file: {error}", file=item.name, rule="file"))
        return None
    reference.load(path=str(flat), format=RdfFormat.N_TRIPLES)
    prepared.spools.append(spool)
    prepared.quads += count
    return prefixes


def _write_batch(batch: list[Any], quads_out: IO[bytes], triples_out: IO[bytes]) -> int:
    if batch:
        serialize(batch, quads_out, RdfFormat.N_QUADS)
        serialize([q.triple for q in batch], triples_out, RdfFormat.N_TRIPLES)
    return len(batch)

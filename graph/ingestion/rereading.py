"""Second readings of a statements table, only to report problems.

:class:`~stancegraph.graph.ingestion.reader.StatementsReader` reads a table once and keeps no rows. When a
problem needs a row it has passed (the first line of a duplicated id, the line of a stance that failed
validation, the stored row that a later row repeats), the file is read again here, the names resolving
through the first pass's caches so that a row gets the key and the IRI it got then. A load without
problems never reads a file twice.
"""

from __future__ import annotations

__all__ = ["first_lines", "firsts", "lines_of"]

from collections.abc import Iterator
from typing import TYPE_CHECKING

from stancegraph.graph.ingestion.duplicates import First
from stancegraph.graph.ingestion.references import StanceIris
from stancegraph.graph.ingestion.table_format import RowProblem, id_slug

if TYPE_CHECKING:
    from stancegraph.graph.ingestion.reader import StatementsReader


def rows_again(reader: StatementsReader) -> Iterator[tuple[int, list[str], str]]:
    """Each row of a second reading: its line, its cleaned cells and the IRI the first pass gave its
    stance (every row gets one, so that repeated contents are numbered as in the first pass)."""
    iris = StanceIris(reader.columns)
    stance_at = reader.columns.get("stance")
    width = len(reader.columns)
    for line, fields in reader.records():
        cells = [cell.strip() for cell in fields]
        if len(cells) != width or not any(cells):
            continue
        if stance_at is not None:
            cells[stance_at] = cells[stance_at].lower()
        yield line, cells, iris.of_row(cells)


def first_lines(reader: StatementsReader, slugs: set[str]) -> dict[str, int]:
    """The first line of each of these id slugs."""
    found: dict[str, int] = {}
    position = reader.columns["id"]
    for line, fields in reader.records():
        if len(fields) == len(reader.columns):
            slug = id_slug(fields[position].strip())
            if slug in slugs and slug not in found:
                found[slug] = line
                if len(found) == len(slugs):
                    break
    return found


def lines_of(reader: StatementsReader, nodes: set[str]) -> dict[str, int]:
    """The line of each stance IRI in ``nodes``."""
    found: dict[str, int] = {}
    for line, _, iri in rows_again(reader):
        if iri in nodes:
            found.setdefault(iri, line)
            if len(found) == len(nodes):
                break
    return found


def firsts(reader: StatementsReader) -> dict[int, First]:
    """The stored row of each key a row of ``reader`` repeats, in its table or in one read before it."""
    wanted: dict[int | None, set[int]] = {}
    for repeat in reader.keys.repeats:
        wanted.setdefault(repeat.earlier, set()).add(repeat.key)
    found: dict[int, First] = {}
    for position, keys in wanted.items():
        table = reader if position is None else reader.earlier[position]
        file = None if position is None else table.file
        for key, (line, cells, node) in _first_rows(table, keys).items():
            found[key] = First(file, line, cells, node, table.columns, table.store_repeats.in_store.get(key))
    return found


def _first_rows(reader: StatementsReader, wanted: set[int]) -> dict[int, tuple[int, list[str], str]]:
    """The line, cells and stance IRI of the stored row of each of these keys."""
    refused = {v.line for v in reader.violations}
    found: dict[int, tuple[int, list[str], str]] = {}
    for line, cells, node in rows_again(reader):
        if line in refused:
            continue
        key = _key_again(reader, cells)
        if key in wanted and key not in found:
            found[key] = (line, cells, node)
            if len(found) == len(wanted):
                break
    return found


def _key_again(reader: StatementsReader, cells: list[str]) -> int | None:
    """A stored row's key, its names resolved as the first pass resolved them."""
    at = reader.at
    caches = reader.resolved
    actor, target = caches["actor"].get(cells[at["actor"]]), caches["target"].get(cells[at["target"]])
    person_text = cells[at["person"]] if at["person"] is not None else ""
    person = caches["person"].get(person_text) if person_text else None
    coder_text = cells[at["coder"]] if at["coder"] is not None else ""
    coder = caches["coder"].get(coder_text) if coder_text else None
    if actor is None or target is None or (person_text and person is None) or (coder_text and coder is None):
        return None
    try:
        type_iri, _, agreement = reader.cells.stance_type(cells)
        date_text = cells[at["date"]] if at["date"] is not None else ""
        date, moment = reader.cells.when(date_text) if date_text else (None, None)
        offsets = reader.cells.quote_position(cells)
    except RowProblem:
        return None
    span = None if offsets is None else f"{offsets[0]} {offsets[1]}"
    return reader.key(cells, actor, target, type_iri, agreement, moment or date, person, coder, span)

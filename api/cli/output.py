"""Formatting results for the terminal: tables, JSON and CSV. No logic of the graph lives here.

Data reaches the terminal as data, never as instructions to it: table cells are rich ``Text`` (a quote
``[/bold]`` or ``[link=...]`` is shown as written, not read as rich markup) and control characters
are shown as escapes (:func:`terminal_text`); CSV cells pass through
:func:`~stancegraph.graph.readwrite.csv_cells.spreadsheet_safe`, so a spreadsheet does not run ``=cmd|...``.
"""

from __future__ import annotations

__all__ = [
    "Format",
    "term_json",
    "select_json",
    "terminal_text",
    "write_rows",
    "write_records",
    "write_json",
    "write_findings",
]

import csv
import dataclasses
import datetime as dt
import enum
import json
import re
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from typing import IO, Any

from stancegraph.graph.readwrite import spreadsheet_safe
from stancegraph.ontology.namespaces import XSD_NS

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides and
# isolates (which reorder what follows them on the line: "Trojan Source", CVE-2021-42574)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def term_json(term) -> dict[str, str]:
    """A pyoxigraph term in the SPARQL 1.1 JSON results format."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_NS + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def select_json(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> dict:
    """SELECT results as a SPARQL 1.1 Query Results JSON document."""
    bindings = [
        {var: term_json(value) for var, value in zip(variables, row, strict=True) if value is not None}
        for row in rows
    ]
    return {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    r"""``text`` with its control characters written as escapes, so none reaches the terminal.

    ESC (which starts colour, cursor and hyperlink sequences), the other C0 and C1 controls, DEL and the
    bidirectional overrides become the visible text ``\x1b``, ``\x9b``, ``\u202e``...; tabs and newlines
    stay.

    Parameters
    ----------
    text : str
        A value from the graph or from an input file.

    Returns
    -------
    str
        The text to print.

    Examples
    --------
    >>> print(terminal_text("\x1b[31mred\rback\u202e"))
    \x1b[31mred\x0dback\u202e
    """
    return _CONTROLS.sub(_escape, text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return "; ".join(_cell(v) for v in value)
    if hasattr(value, "value") and not isinstance(value, (str, int, float)):
        return value.value  # a pyoxigraph term
    return str(value)


def _json_cell(value: Any) -> Any:
    """A table cell as JSON: numbers, booleans and None as they are, lists as lists, terms as their value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list):
        return [_json_cell(v) for v in value]
    return _json_value(value)


def write_rows(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: Format, *, out: IO[str] | None = None
) -> None:
    """Write a table of values (pyoxigraph terms or plain values) as a table, JSON or CSV.

    Table cells are shown as written (no rich markup, control characters escaped by
    :func:`terminal_text`); CSV cells that a spreadsheet would take for a formula get a leading ``'``
    (:func:`~stancegraph.graph.readwrite.csv_cells.spreadsheet_safe`; plain numbers such as ``-0.5`` stay).
    """
    out = out or sys.stdout
    rows = [list(r) for r in rows]
    if fmt is Format.json:
        if rows and all(hasattr(v, "value") or v is None for r in rows for v in r):
            json.dump(select_json(columns, rows), out, indent=2, ensure_ascii=False)
        else:
            json.dump(
                [dict(zip(columns, map(_json_cell, r), strict=True)) for r in rows],
                out,
                indent=2,
                ensure_ascii=False,
                default=_json_value,
            )
        out.write("\n")
    elif fmt is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([spreadsheet_safe(c) for c in columns])
        writer.writerows([spreadsheet_safe(_cell(v)) for v in r] for r in rows)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=False, header_style="bold")
        for column in columns:
            table.add_column(Text(terminal_text(column)))
        for r in rows:
            table.add_row(*(Text(terminal_text(_cell(v))) for v in r))
        wide = None if out.isatty() else 200  # a pipe or a file: don't squeeze into 80 columns
        Console(file=out, soft_wrap=False, width=wide).print(table)
        out.write(f"{len(rows)} row{'s' if len(rows) != 1 else ''}\n")


def _json_value(value: Any) -> Any:
    """What JSON writes for the values the library's records hold besides str, numbers and None."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if hasattr(value, "value"):  # a pyoxigraph term
        return value.value
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def _record(value: Any) -> Any:
    """A dataclass as a dict with its fields and its public properties (``contested``, ``confidence``,
    ``stance`` ...), nested dataclasses too, so the JSON says what the tables show."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _record(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, attribute in vars(type(value)).items():
            if isinstance(attribute, property) and not name.startswith("_"):
                out[name] = _record(getattr(value, name))
        return out
    if isinstance(value, tuple | list):
        return [_record(v) for v in value]
    if isinstance(value, dict):
        return {k: _record(v) for k, v in value.items()}
    return value


def write_records(
    records: Sequence[Any], columns: Sequence[str], fmt: Format, *, out: IO[str] | None = None
) -> None:
    """Write frozen dataclasses: JSON gets every field and public property, table and CSV the chosen
    ``columns``."""
    out = out or sys.stdout
    if fmt is Format.json:
        data = [_record(r) for r in records]
        json.dump(data, out, indent=2, ensure_ascii=False, default=_json_value)
        out.write("\n")
        return
    write_rows(columns, ([getattr(r, c) for c in columns] for r in records), fmt, out=out)


def write_json(data: Any, *, out: IO[str] | None = None) -> None:
    """Write one JSON document (dates and decimals as :func:`write_records` writes them)."""
    out = out or sys.stdout
    json.dump(data, out, indent=2, ensure_ascii=False, default=_json_value)
    out.write("\n")


#: The columns of a finding (a violation or a warning) in CSV.
_FINDING_COLUMNS = ("severity", "file", "line", "node", "path", "rule", "value", "message")


def write_findings(
    violations: Sequence[Any], warnings: Sequence[Any], fmt: Format, *, out: IO[str] | None = None
) -> None:
    """What a check found, for ``validate`` and ``load``: JSON ``{"valid", "violations", "warnings"}``
    (each a :class:`~stancegraph.graph.errors.Violation`'s fields), or CSV rows with a ``severity``."""
    if fmt is Format.json:
        write_json(
            {
                "valid": not violations,
                "violations": [dataclasses.asdict(v) for v in violations],
                "warnings": [dataclasses.asdict(w) for w in warnings],
            },
            out=out,
        )
        return
    rows = [
        ("error" if severity == 0 else "warning", *(getattr(v, c) for c in _FINDING_COLUMNS[1:]))
        for severity, found in enumerate((violations, warnings))
        for v in found
    ]
    write_rows(_FINDING_COLUMNS, rows, fmt, out=out)

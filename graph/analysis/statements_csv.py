"""A statements CSV as a statements table: read by columns when that is sure to give what the one reader of
the format gives, else by that reader; checked as by validate either way."""

from __future__ import annotations

__all__ = ["read_statements_csv", "READS"]

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl

from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.errors import ValidationError, Violation
from stancegraph.graph.ingestion import StatementRow, checked_rows
from stancegraph.graph.ingestion.columnar_rows import columnar_rows
from stancegraph.graph.ingestion.csv_layout import NotColumnar

#: How many files :func:`read_statements_csv` read each way in this process: ``"columnar"`` (polars, no
#: ingest pipeline) and ``"checked"`` (:func:`~stancegraph.graph.ingestion.checked_rows`).
READS: Counter[str] = Counter()


def _denied(rows: list[StatementRow]) -> set[str]:
    """The stance IRIs of the rows that a row of the same actor, dated the same day or later, contradicts."""
    by_iri = {row.stance_iri: row for row in rows}
    found = set()
    for row in rows:
        claim = by_iri.get(row.disputed) if row.disputed is not None else None
        if (
            claim is not None
            and claim.actor_iri == row.actor_iri
            and claim.date is not None
            and row.date is not None
            and row.date >= claim.date
        ):
            found.add(claim.stance_iri)
    return found


def read_statements_csv(
    source: str | Path | IO[Any],
    *,
    store: Any = None,
    strict: bool = False,
    scale: Mapping[str, int] | None = None,
    include_denied: bool = False,
) -> Statements:
    """Read statements from a statements CSV, the format ``load`` takes.

    A file ``validate`` refuses is refused here, with the same violations
    (:func:`~stancegraph.graph.ingestion.checked_rows`, the one reader of the format and exactly the
    checks of ``validate``). A file read on its own (no ``store``, or an empty one, and not ``strict``)
    is read by columns with polars first (:func:`~stancegraph.graph.ingestion.columnar_rows.
    columnar_rows`: the same checks, names, repeats and denials, on whole columns, a million rows in
    seconds rather than minutes); whenever that reading cannot vouch for the file (a cell it refuses, an
    IRI, a repeated id, an unusual layout, ...) the file goes through ``checked_rows`` instead, so the
    answer is the same either way (:data:`READS` counts which way each file went).

    The header names ``actor``, ``target`` and ``stance`` (endorses, rejects,
    concedes, demands, neutral) or ``agreement`` (an integer; boolean if every value is 0 or 1), and
    ``date`` (YYYY-MM-DD, or with a time of day: the table keeps the day), ``document`` or ``source`` for
    every row; optionally ``quote``, ``person``, ``coder``, ``confidence``, ``id`` and ``contradicts``, or
    the Discourse Network Analyzer's names of these columns (``organization``, ``concept``, ``time``, ...;
    see :mod:`~stancegraph.graph.ingestion.table_format`). Actors and targets are named as the cells write
    them (in a table with a ``person`` but no ``actor`` column the person is the actor); coders by their
    names as first written (``Ana`` and ``ana`` are one coder). Statement ids are the ``id`` cells, else
    the line number. The quote is not kept.

    ``confidence`` fills the table's confidence column (an empty cell, or no such column: unknown). The
    ``contradicts`` column says what is contested, as ``sg:contradicts`` does in the store: a row that
    names another stance, and a row that another row names, are contested; a file without the column
    has no contested rows. A row that a later (or same-day) row of the *same actor* contradicts is
    denied (:mod:`~stancegraph.graph.queries.contested`) and left out, as the store's statements leave
    it out, unless ``include_denied``. Only rows of this file count: a row that contradicts a stance in
    the store is contested, but the stance in the store is not read.

    Parameters
    ----------
    source : str, Path or file
        The CSV file (UTF-8, an optional byte-order mark is skipped), or an open one.
    store : Store, optional
        The store the file is checked against, as ``validate`` checks it (names resolve against it).
    strict : bool, default False
        Refuse names the store does not know, as ``validate --strict``.
    scale : Mapping[str, int], optional
        Integer value of each stance name (default :data:`DEFAULT_INTEGER_SCALE`).
    include_denied : bool, default False
        Keep the rows their actor denied later in the file.

    Raises
    ------
    ValidationError
        Listing every problem (file, line, column) and what to write instead.

    Examples
    --------
    >>> import io
    >>> text = ("actor,target,stance,date,source\\n"
    ...         "US,p7,endorses,2025-11-21,Axios\\nRussia,p7,rejects,2025-11-22,TASS\\n")
    >>> st = read_statements_csv(io.StringIO(text))
    >>> list(st.id), list(st.stance)
    (['000000002', '000000003'], ['endorses', 'rejects'])
    """
    if not strict and (store is None or _holds_nothing(store)):
        try:
            frame = columnar_rows(source, include_denied=include_denied)
        except NotColumnar:
            pass
        else:
            READS["columnar"] += 1
            return _statements(lambda: _from_frame(frame, scale), source)
    READS["checked"] += 1
    return _checked_statements(source, store=store, strict=strict, scale=scale, include_denied=include_denied)


def _holds_nothing(store: Any) -> bool:
    """Whether ``store`` is empty (then it names nothing, and reading against it is reading alone)."""
    counts = getattr(store, "counts", None)
    return callable(counts) and counts().quads == 0


def _checked_statements(
    source: str | Path | IO[Any],
    *,
    store: Any = None,
    strict: bool = False,
    scale: Mapping[str, int] | None = None,
    include_denied: bool = False,
) -> Statements:
    """:func:`read_statements_csv` through :func:`~stancegraph.graph.ingestion.checked_rows`."""
    if isinstance(source, str | Path):
        rows = checked_rows(source, store=store, strict=strict)
    else:
        name = getattr(source, "name", None)
        if not isinstance(name, str) or not name.lower().endswith(".csv"):
            name = "statements.csv"  # an open file has no extension to tell its format by
        rows = checked_rows((name, source), store=store, strict=strict)
    disputed = {row.disputed for row in rows if row.disputed is not None}
    denied = set() if include_denied else _denied(rows)
    records = [
        {
            "id": row.id or f"{row.line:09d}",
            "actor": row.actor,
            "target": row.target,
            "stance": row.stance if row.agreement is None else None,
            "agreement": row.agreement,
            "date": row.date,
            "document": row.document,
            "source": row.source,
            "person": row.person,
            "coder": row.coder,
            "confidence": row.confidence,
            "contested": row.disputed is not None or row.stance_iri in disputed,
        }
        for row in rows
        if row.stance_iri not in denied
    ]
    return _statements(lambda: Statements.from_records(records, scale=scale), source)


def _from_frame(frame: pl.DataFrame, scale: Mapping[str, int] | None) -> Statements:
    """The statements table of :func:`~stancegraph.graph.ingestion.columnar_rows.columnar_rows`' frame:
    the values ``from_records`` is given by the other way (numbers and dates as arrays)."""
    text = {name: frame[name].to_list() for name in ("id", "actor", "target", "document", "source")}
    return Statements.from_columns(
        **text,
        stance=frame["stance"].to_list(),
        qualifier=frame["agreement"].to_list(),
        date=frame["date"].to_numpy().astype("datetime64[D]"),
        person=frame["person"].to_list(),
        coder=frame["coder"].to_list(),
        confidence=frame["confidence"].fill_null(np.nan).to_numpy(),
        contested=frame["contested"].to_numpy(),
        scale=scale,
    )


def _statements(build: Any, source: Any) -> Statements:
    """``build()``, a refusal of the table as a ValidationError of the file."""
    try:
        return build()
    except ValueError as err:
        raise ValidationError(
            [Violation(str(err), file=str(getattr(source, "name", source)), rule="statements")],
            outcome="the table was not read",
        ) from None

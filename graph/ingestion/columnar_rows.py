"""A statements table read by columns with polars, for the analysis: the rows ``checked_rows`` would give,
or :class:`~stancegraph.graph.ingestion.csv_layout.NotColumnar` when that is not certain.

:func:`~stancegraph.graph.ingestion.checked_rows` reads a table through the whole ingest pipeline (the
:mod:`csv` module, a converter per row, N-Quads, SHACL in a worker process): exact, and about 150 s for a
million rows. :func:`columnar_rows` reads the same file with :func:`polars.read_csv` and does, on whole
columns, what that pipeline does to a file that passes it, for a table read on its own (no store, not
strict):

* the records and cells as the :mod:`csv` module splits them (:mod:`~stancegraph.graph.ingestion.
  csv_layout`), the header read by :func:`~stancegraph.graph.ingestion.table_format.read_header` (DNA's
  column names too), cells stripped, lines without a non-blank cell left out;
* each distinct stance, agreement, date, confidence and quote position checked by the reader's own
  :class:`~stancegraph.graph.ingestion.cells.CellParser`, each distinct document and source by its own
  :class:`~stancegraph.graph.ingestion.sources.SourceCatalogue` (then every source needs a publisher, as
  the source shape says), each distinct actor, target, person and coder named as
  :class:`~stancegraph.graph.ingestion.naming.Names` names it without a store (its slug's IRI);
* the rules the stance shape adds: a date and a document or source on every row;
* repeated rows dropped by the key of :mod:`~stancegraph.graph.ingestion.duplicates`, the first kept;
* ``id`` and ``contradicts``: ids unique, a ``contradicts`` naming the id of another row that is kept.

Whatever a file holds beyond that raises :class:`NotColumnar`, so that the caller reads the file the slow
way and gets the exact violations: a cell any check refuses, an IRI in a name or ``contradicts`` cell
(whether it names a known node needs a store), a repeated id, a ``contradicts`` naming a row that is not
kept, an unusual layout (:mod:`~stancegraph.graph.ingestion.csv_layout`), a file that is not ``.csv``.
A file this module reads is one ``validate`` accepts, and its rows are those ``checked_rows`` gives.
"""

from __future__ import annotations

__all__ = ["ROW_COLUMNS", "columnar_rows"]

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import polars as pl

from stancegraph.graph.ingestion.cells import CellParser
from stancegraph.graph.ingestion.csv_input import CSV_FIELD_LIMIT
from stancegraph.graph.ingestion.csv_layout import NotColumnar, csv_layout
from stancegraph.graph.ingestion.sources import SourceCatalogue
from stancegraph.graph.ingestion.table_format import RowProblem, id_slug, read_header
from stancegraph.graph.queries.names import iri_for, slugify
from stancegraph.ontology.namespaces import STANCE_TYPES

#: The columns of :func:`columnar_rows`' frame, those of the statements table.
ROW_COLUMNS = (
    "id",
    "actor",
    "target",
    "stance",
    "agreement",
    "date",
    "document",
    "source",
    "person",
    "coder",
    "confidence",
    "contested",
)
_BOM = b"\xef\xbb\xbf"
_CONTENT_HASH = re.compile(r"[0-9a-f]{20}")  # the form of a stance IRI made from a row's content


def _content(source: str | Path | IO[Any]) -> bytes:
    """The bytes the one reader would decode: a file's (a byte-order mark off), or an open file's."""
    if isinstance(source, str | Path):
        if Path(source).suffix.lower() != ".csv":
            raise NotColumnar("not a .csv file")
        try:
            data = Path(source).read_bytes()
        except OSError:
            raise NotColumnar("the file cannot be read") from None
        return data.removeprefix(_BOM)
    try:
        start = source.tell()
        text = source.read()
        source.seek(start)
    except (AttributeError, OSError, io.UnsupportedOperation):
        raise NotColumnar("the open file cannot be read twice") from None
    if isinstance(text, bytes):
        return text.removeprefix(_BOM)
    if text.startswith("\ufeff"):  # a text stream is read as it is: the mark is part of the header
        raise NotColumnar("the text starts with a byte-order mark")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise NotColumnar("the text cannot be UTF-8") from None


def _cells(data: bytes) -> tuple[pl.DataFrame, Any]:
    """The non-blank rows under our column names, stripped, with their ``line``; and the header."""
    layout = csv_layout(data)
    header_cells = next(csv.reader([layout.header], delimiter=layout.delimiter), None)
    header = read_header(header_cells)
    if header.problems or header_cells is None:
        raise NotColumnar("the header has problems")
    width = len(header_cells)
    try:
        raw = pl.read_csv(
            data,
            has_header=True,
            separator=layout.delimiter,
            quote_char='"',
            infer_schema=False,
            empty_string_is_null=False,
            encoding="utf8",
        )
    except Exception:  # noqa: BLE001 - whatever polars refuses, the one reader explains
        raise NotColumnar("polars cannot read the file") from None
    if raw.width != width or raw.height != len(layout.lines) or any(raw.null_count().row(0)):
        raise NotColumnar("polars found other records than the csv module would")
    if ((layout.fields != width) & (layout.fields != 0)).any():
        raise NotColumnar("a row has more or fewer fields than the header")
    read = raw.select(pl.sum_horizontal(pl.all().str.len_bytes().cast(pl.Int64))).to_series()
    if not (read.to_numpy() == layout.content).all():
        raise NotColumnar("polars split a record otherwise than the csv module would")
    if len(data) > CSV_FIELD_LIMIT and raw.select(pl.all().str.len_chars().max()).max_horizontal()[0] > (
        CSV_FIELD_LIMIT - 1
    ):
        raise NotColumnar("a cell is longer than the csv module takes")
    names = raw.columns
    cells = raw.select(
        *(pl.col(names[at]).str.strip_chars().alias(ours) for ours, at in header.columns.items()),
        pl.Series("line", layout.lines),
    )
    blank = pl.all_horizontal(pl.col(name) == "" for name in header.columns)
    return cells.filter(~blank), header


def _each_distinct(column: pl.Series, convert: Callable[[str], Any], dtype: Any) -> pl.Series:
    """``convert`` of each cell, called once per distinct value (a null stays null); a value it refuses
    (RowProblem, ValueError) raises NotColumnar."""
    distinct = column.drop_nulls().unique(maintain_order=True)
    try:
        values = pl.Series([convert(value) for value in distinct.to_list()], dtype=dtype)
    except (RowProblem, ValueError, OverflowError, TypeError, pl.exceptions.PolarsError):
        raise NotColumnar(f"a {column.name} cell is refused (or its value does not fit {dtype})") from None
    return column.replace_strict(distinct, values, default=None, return_dtype=dtype)


def _name_iri(folder: str) -> Callable[[str], str]:
    """The IRI :class:`~stancegraph.graph.ingestion.naming.Names` gives a name without a store."""

    def iri(text: str) -> str:
        if "://" in text:
            raise ValueError("an IRI: whether it names a node needs the store")
        return iri_for(folder, slugify(text))

    return iri


def _slugs(column: pl.Series) -> pl.Series:
    """:func:`~stancegraph.graph.ingestion.table_format.id_slug` of each cell: ASCII cells by polars."""
    plain = column.str.to_lowercase().str.replace_all("[^a-z0-9]+", "-").str.strip_chars("-")
    plain = pl.select(pl.when(plain != "").then(plain)).to_series()
    ascii_only = column.str.len_bytes() == column.str.len_chars()
    others = column.filter(~ascii_only).drop_nulls().unique(maintain_order=True)
    if not len(others):
        return plain.alias(column.name)
    slugs = pl.Series([id_slug(text) for text in others.to_list()], dtype=pl.String)
    return column.replace_strict(others, slugs, default=plain, return_dtype=pl.String)


def _optional(cells: pl.DataFrame, name: str) -> pl.Series:
    """A column's cells, null where empty; all null when the table has no such column."""
    if name not in cells.columns:
        return pl.Series(name, [None] * cells.height, dtype=pl.String)
    column = cells[name]
    return pl.select(pl.when(column != "").then(column)).to_series().alias(name)


def _stances(cells: pl.DataFrame, parser: CellParser) -> tuple[pl.Series, pl.Series, pl.Series]:
    """The stance names (None in an agreement table), the agreement values, and the key's stance part."""
    if "stance" in cells.columns:

        def name(text: str) -> str:
            if text.lower() not in STANCE_TYPES:
                raise ValueError("no stance name")
            return text.lower()

        stance = _each_distinct(cells["stance"], name, pl.String).alias("stance")
        return stance, pl.Series("agreement", [None] * cells.height, dtype=pl.Int64), stance
    agreement = _each_distinct(cells["agreement"], parser.agreement, pl.Int64).alias("agreement")
    if agreement.null_count():
        raise NotColumnar("an agreement cell is empty")
    return pl.Series("stance", [None] * cells.height, dtype=pl.String), agreement, agreement


def _check_sources(document: pl.Series, source: pl.Series, file: str) -> None:
    """Every row has a document or a source, and the catalogue of them is one the source shape takes."""
    if (document.is_null() & source.is_null()).any():
        raise NotColumnar("a row has no document and no source")
    catalogue = SourceCatalogue(file)
    pairs = pl.DataFrame([document.fill_null(""), source.fill_null("")]).unique(maintain_order=True)
    try:
        for pair in pairs.iter_rows():
            catalogue.graph(*pair, 0, "")
    except RowProblem:
        raise NotColumnar("a document or source is refused") from None
    if not all(entry.publisher for entry in catalogue.entries.values()):
        raise NotColumnar("a source has no publisher")


def columnar_rows(source: str | Path | IO[Any], *, include_denied: bool = False) -> pl.DataFrame:
    """The rows of a statements table read on its own, as ``checked_rows`` gives them, by columns.

    Parameters
    ----------
    source : str, Path or file
        The CSV file (its name ends in ``.csv``), or an open file that can seek.
    include_denied : bool, default False
        Keep the rows a later row of the same actor contradicts.

    Returns
    -------
    polars.DataFrame
        One row per stance in the file's order, the columns :data:`ROW_COLUMNS` as the statements table
        takes them: ``id`` (the id cell, else the line number in 9 digits), the cells (null where empty),
        ``stance`` lower-cased (null in an agreement table), ``agreement`` Int64, ``date`` the day (Date),
        ``coder`` the name the coder was first written with, ``confidence`` Float64, ``contested``.

    Raises
    ------
    NotColumnar
        If the file may be one ``validate`` refuses, or one whose rows this reading does not reproduce
        exactly; read it with :func:`~stancegraph.graph.ingestion.checked_rows` then.

    Examples
    --------
    >>> text = b"actor,target,stance,date,source\\n" + b"US,p7,endorses,2025-11-21,Axios\\n" * 2
    >>> columnar_rows(io.BytesIO(text)).select("id", "actor", "stance").rows()
    [('000000002', 'US', 'endorses')]
    """
    cells, header = _cells(_content(source))
    file = str(getattr(source, "name", source))
    parser = CellParser(header.columns, labels=header.labels)
    if ((cells["actor"] == "") | (cells["target"] == "")).any():
        raise NotColumnar("an actor or target cell is empty")
    stance, agreement, stance_key = _stances(cells, parser)
    dates = _optional(cells, "date")
    if dates.null_count():
        raise NotColumnar("a row has no date")
    document, source_cell = _optional(cells, "document"), _optional(cells, "source")
    _check_sources(document, source_cell, file)
    person, coder = _optional(cells, "person"), _optional(cells, "coder")
    frame = pl.DataFrame(
        [cells["line"], _optional(cells, "id"), cells["actor"], cells["target"], stance, agreement, dates]
        + [document, source_cell, person, coder, _optional(cells, "contradicts")]
    ).with_columns(
        confidence=_each_distinct(_optional(cells, "confidence"), _confidence(parser), pl.Float64),
        actor_iri=_each_distinct(cells["actor"], _name_iri("actor"), pl.String),
        target_iri=_each_distinct(cells["target"], _name_iri("issue"), pl.String),
        person_iri=_each_distinct(person, _name_iri("actor"), pl.String),
        coder_iri=_each_distinct(coder, _name_iri("coder"), pl.String),
        stance_key=stance_key,
        moment=_each_distinct(dates, lambda text: parser.day_and_moment(text)[1] or text, pl.String),
        span=_spans(cells, parser),
        slug=_slugs(_optional(cells, "id")),
        disputed=_slugs(_optional(cells, "contradicts")),
    )
    key = ("actor_iri", "target_iri", "stance_key", "moment", "source", "document", "person_iri")
    frame = frame.with_columns(
        pl.col("coder").first().over("coder_iri"),  # a coder's name as first written
        first=pl.struct(*key, "coder_iri", "span").is_first_distinct(),
    )
    kept = _check_references(frame).filter("first")
    converted = {  # the columns not taken as they are
        "id": pl.coalesce("id", pl.col("line").cast(pl.String).str.zfill(9)).alias("id"),
        "date": pl.col("date").str.slice(0, 10).str.to_date("%Y-%m-%d"),
    }
    return _without_denied(kept, include_denied).select([converted.get(name, name) for name in ROW_COLUMNS])


def _confidence(parser: CellParser) -> Callable[[str], float]:
    """The number of a confidence cell the reader accepts (a number in [0, 1])."""

    def number(text: str) -> float:
        parser.confidence(text)
        return float(text)

    return number


def _spans(cells: pl.DataFrame, parser: CellParser) -> pl.Series:
    """Where each row's quote stands (``start end``, the key's part; null without one), checked."""
    if "quote_start" not in cells.columns and "quote_end" not in cells.columns:
        return pl.Series("span", [None] * cells.height, dtype=pl.String)
    ends = pl.DataFrame([_optional(cells, "quote_start"), _optional(cells, "quote_end")]).fill_null("")
    joined = ends.select(pl.concat_str("quote_start", "quote_end", separator="\x00")).to_series()
    check = CellParser({"quote_start": 0, "quote_end": 1}, labels=parser.labels)

    def span(text: str) -> str | None:
        found = check.quote_position(text.split("\x00"))
        return None if found is None else f"{found[0]} {found[1]}"

    return _each_distinct(joined, span, pl.String).alias("span")


def _check_references(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame, once its ids and ``contradicts`` cells are sure to pass as they do in the one reader."""
    ids, slugs, disputed = frame["id"], frame["slug"], frame["disputed"]
    if (slugs.is_null() & ids.is_not_null()).any():
        raise NotColumnar("an id has no letters or digits")
    if slugs.drop_nulls().n_unique() != slugs.count():
        raise NotColumnar("two rows have one id")
    if slugs.null_count() and slugs.drop_nulls().str.contains(f"^{_CONTENT_HASH.pattern}$").any():
        raise NotColumnar("an id has the form of a stance IRI made from a row's content")
    cells = frame["contradicts"].drop_nulls()
    if (
        cells.str.contains("://", literal=True) | (cells.str.starts_with("<") & cells.str.ends_with(">"))
    ).any():
        raise NotColumnar("a contradicts cell holds an IRI: whether it names a stance needs the store")
    if (disputed.is_null() & frame["contradicts"].is_not_null()).any():
        raise NotColumnar("a contradicts cell has no letters or digits")
    if (disputed == slugs).any():
        raise NotColumnar("a row contradicts itself")
    named = disputed.drop_nulls()
    if named.str.contains(f"^{_CONTENT_HASH.pattern}$").any():
        raise NotColumnar("a contradicts cell has the form of a stance IRI made from a row's content")
    kept = frame.filter("first")["slug"].drop_nulls()
    if not named.is_in(kept.implode()).all():
        raise NotColumnar("a contradicts cell names no row that is kept")
    return frame


def _without_denied(kept: pl.DataFrame, include_denied: bool) -> pl.DataFrame:
    """The kept rows with their ``contested`` flag, without the denied ones unless ``include_denied``: a
    row is denied when a row of the same actor, dated the same day or later, contradicts it."""
    disputed = kept["disputed"].drop_nulls()
    kept = kept.with_columns(
        contested=pl.col("disputed").is_not_null()
        | pl.col("slug").is_in(disputed.implode()).fill_null(False),
        day=pl.col("date").str.slice(0, 10),
    )
    if include_denied or not len(disputed):
        return kept
    claims = kept.select(
        pl.col("slug").alias("disputed"),
        pl.col("actor_iri").alias("claim_actor"),
        pl.col("day").alias("claim_day"),
    ).filter(pl.col("disputed").is_not_null())
    denials = kept.join(claims, on="disputed", how="inner").filter(
        (pl.col("actor_iri") == pl.col("claim_actor")) & (pl.col("day") >= pl.col("claim_day"))
    )
    return kept.filter(~pl.col("slug").is_in(denials["disputed"].implode()).fill_null(False))

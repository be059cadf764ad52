"""Getting data in: statements tables and RDF files, converted, validated, and written all or nothing.

* :mod:`~stancegraph.graph.ingestion.table_format` defines the statements CSV (its columns, the header
  check, the terms a row becomes); :class:`StatementsReader` (:mod:`~stancegraph.graph.ingestion.reader`)
  is its one reader, helped by :mod:`~stancegraph.graph.ingestion.csv_input` (safe CSV reading),
  :mod:`~stancegraph.graph.ingestion.cells` (typed cells), :mod:`~stancegraph.graph.ingestion.naming`
  (actor and target names), :mod:`~stancegraph.graph.ingestion.sources` (the source catalogue) and
  :mod:`~stancegraph.graph.ingestion.references` (ids and ``contradicts``) and
  :mod:`~stancegraph.graph.ingestion.duplicates` (rows that repeat a stance: stored once, a warning).
* :mod:`~stancegraph.graph.ingestion.dna_project` reads a Discourse Network Analyzer project (``.dna``,
  :class:`DnaOptions`) as a statements table for that reader, and the RDF a table cannot carry
  (:mod:`~stancegraph.graph.ingestion.dna_schema` recognises the file).
* :func:`ingest` and :func:`check` (:mod:`~stancegraph.graph.ingestion.pipeline`) run the whole load:
  inputs (:mod:`~stancegraph.graph.ingestion.inputs`), the work folder, the tables staged chunk by chunk
  (:mod:`~stancegraph.graph.ingestion.tables`, the validation context in
  :mod:`~stancegraph.graph.ingestion.context`, the worker in
  :mod:`~stancegraph.graph.ingestion.chunk_worker`).
  :func:`checked_rows` gives the analysis the rows of a table that passed exactly those checks.
* :mod:`~stancegraph.graph.ingestion.synth` writes synthetic statements tables for benchmarks.
"""

from stancegraph.graph.ingestion.convert import ConvertedStatements, convert_statements
from stancegraph.graph.ingestion.csv_input import CSV_FIELD_LIMIT, csv_field_limit, unreadable_csv
from stancegraph.graph.ingestion.dna_project import DnaOptions
from stancegraph.graph.ingestion.duplicates import KEY_COLUMNS
from stancegraph.graph.ingestion.inputs import FORMATS
from stancegraph.graph.ingestion.naming import Names
from stancegraph.graph.ingestion.pipeline import (
    BULK_THRESHOLD,
    CheckResult,
    IngestReport,
    check,
    checked_rows,
    ingest,
    load_bundled,
)
from stancegraph.graph.ingestion.reader import StatementsReader
from stancegraph.graph.ingestion.rows import RowChunk, StatementRow
from stancegraph.graph.ingestion.synth import synthetic_statements, write_statements_csv
from stancegraph.graph.ingestion.table_format import (
    COLUMNS,
    REQUIRED_COLUMNS,
    STANCE_NAMES,
    STANCE_PREDICATES,
)
from stancegraph.graph.ingestion.tables import CHUNK_ROWS
from stancegraph.graph.ingestion.workfolder import remove_leftovers

__all__ = [
    "ingest",
    "check",
    "checked_rows",
    "load_bundled",
    "IngestReport",
    "CheckResult",
    "KEY_COLUMNS",
    "DnaOptions",
    "remove_leftovers",
    "FORMATS",
    "CHUNK_ROWS",
    "BULK_THRESHOLD",
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "STANCE_NAMES",
    "STANCE_PREDICATES",
    "CSV_FIELD_LIMIT",
    "csv_field_limit",
    "unreadable_csv",
    "Names",
    "RowChunk",
    "StatementRow",
    "StatementsReader",
    "ConvertedStatements",
    "convert_statements",
    "synthetic_statements",
    "write_statements_csv",
]

"""The Discourse Network Analyzer's column names in a statements table: ours under another name, or refused.

DNA 3 writes its statements out in two ways, and a statements table accepts the column names of both:

* the event list of its export dialog, semicolon-separated (the reader takes ``;`` as the separator when
  the header has no comma): ``"statement ID";"time";"document ID";"document title";"author";"source";
  "section";"type";"text"`` and then the variables of the statement type, for DNA's default
  "DNA Statement" ``"person";"organization";"concept";"agreement"``; times as ``2025-11-22 10:00:00``;
* rDNA's ``dna_network(networkType = "eventlist")``, a data frame that ``write.csv`` writes with the columns
  ``statement_id``, ``time``, the variables, ``start_position``, ``stop_position``, ``text``, ``coder``
  (the coder's id), ``document_id``, ``document_title``, ``document_author``, ``document_source``,
  ``document_section`` and ``document_type``.

:data:`DNA_NAMES` maps the names that mean one of our columns to it; ``person``, ``agreement``, ``source``
and ``coder`` are the same names in both. :data:`DNA_REFUSED` says, for each DNA column that has no place
in a statements table, what to do with it instead (which of our names would take it, or to remove it). The
header check (:func:`~stancegraph.graph.ingestion.table_format.read_header`) applies both.
"""

from __future__ import annotations

__all__ = ["DNA_NAMES", "DNA_REFUSED"]

from collections.abc import Mapping
from types import MappingProxyType

#: DNA's name of a column (lower case, as the header check compares) -> our name of that column.
DNA_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "organization": "actor",
        "concept": "target",
        "time": "date",
        "document_title": "document",
        "document title": "document",
        "document_id": "document",
        "document id": "document",
        "document_source": "source",
        "start_position": "quote_start",
        "stop_position": "quote_end",
    }
)

_STATEMENT_ID = (
    "DNA's statement number, which starts at 1 in every DNA project, so as a stance id it would also name "
    "the statement of another project: remove the column (the rows are then named by their content), or "
    "rename it to 'id' once its values are unique across what you load (e.g. prefixed with the project)"
)
_DOCUMENT_FIELD = "a field of DNA's document that a statements table has no column for: remove it"

#: DNA's columns that have no place in a statements table -> what to do with the column instead.
DNA_REFUSED: Mapping[str, str] = MappingProxyType(
    {
        "statement_id": _STATEMENT_ID,
        "statement id": _STATEMENT_ID,
        "text": (
            "the passage DNA's coder marked: rename it to 'quote' if it holds the speaker's own words "
            "(a short verbatim quote), else remove it"
        ),
        "author": _DOCUMENT_FIELD,
        "document_author": _DOCUMENT_FIELD,
        "section": _DOCUMENT_FIELD,
        "document_section": _DOCUMENT_FIELD,
        "type": _DOCUMENT_FIELD,
        "document_type": _DOCUMENT_FIELD,
        "": (
            "a column without a name, such as the row names R's write.csv adds: remove it "
            "(write.csv(..., row.names = FALSE))"
        ),
    }
)

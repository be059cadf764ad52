"""The sources a statements table cites: one named graph per report, catalogued as an ``sg:Source``.

A row's ``document`` and ``source`` cells name its report; the report's graph is
``id/source/{slugify(document or source)}``. :class:`SourceCatalogue` keeps, for each graph, the title,
publisher, URL and earliest date its rows give, refuses a second spelling of any of them, and writes
the catalogue entries (default graph) once the rows are read.
"""

from __future__ import annotations

__all__ = ["SourceCatalogue", "SourceEntry"]

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode

from stancegraph.graph.ingestion.table_format import (
    C_SOURCE,
    P_ISSUED,
    P_PAGE,
    P_PUBLISHER,
    P_TITLE,
    RDF_TYPE,
    RowProblem,
)
from stancegraph.graph.queries.names import iri_for, slugify
from stancegraph.ontology.namespaces import DCTERMS_NS, FOAF_NS, PROV_NS, XSD_NS

_URL = re.compile(r"https?://", re.IGNORECASE)
_DATE = NamedNode(XSD_NS + "date")


@dataclass
class SourceEntry:
    """What the rows of one file say about one source."""

    title: str
    publisher: str | None
    page: str | None
    file: str
    line: int
    earliest: str | None = None  # ISO date


class SourceCatalogue:
    """The sources of one file's rows, by graph (N-Triples IRI).

    Parameters
    ----------
    file : str
        The file's name (where each entry was first seen).
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.entries: dict[str, SourceEntry] = {}  # graph (N-Triples) -> catalogue entry
        self._graphs: dict[tuple[str, str], str] = {}
        self.suffixes: dict[str, str] = {}  # graph -> " <graph> .\n", to turn N-Triples into N-Quads

    def graph(self, document: str, source: str, line: int, date: str) -> str | None:
        """The source graph of a row (N-Triples; None without document and source), its entry updated."""
        if not document and not source:
            return None
        known = self._graphs.get((document, source))
        if known is None:
            known = self._graphs[(document, source)] = self._new_graph(document, source, line)
            self.suffixes[known] = f" {known} .\n"
        entry = self.entries[known]
        if date and (entry.earliest is None or date < entry.earliest):  # ISO dates sort as text
            entry.earliest = date
        return known

    def _new_graph(self, document: str, source: str, line: int) -> str:
        is_url = bool(_URL.match(source))
        page = None
        if is_url:
            try:
                page = str(NamedNode(source))
            except ValueError as error:
                raise RowProblem(
                    f"the source {source!r} is not a valid URL ({error})", DCTERMS_NS + "publisher", source
                ) from None
        naming = document or (re.sub(r"^https?://", "", source, flags=re.IGNORECASE) if is_url else source)
        try:
            graph = str(NamedNode(iri_for("source", slugify(naming))))
        except ValueError as error:
            raise RowProblem(
                f"cannot name a source after {naming!r}: {error}", PROV_NS + "wasDerivedFrom", naming
            ) from None
        if is_url:
            publisher = (urlsplit(source).hostname or "").removeprefix("www.") or None
        else:
            publisher = source or None
        title = document or source
        entry = self.entries.get(graph)
        if entry is None:
            self.entries[graph] = SourceEntry(title, publisher, page, self.file, line)
            return graph
        for what, old, new, path in (
            ("title", entry.title, title, DCTERMS_NS + "title"),
            ("publisher", entry.publisher, publisher, DCTERMS_NS + "publisher"),
            ("URL", entry.page, page, FOAF_NS + "page"),
        ):
            if new and old and new != old:
                raise RowProblem(
                    f"this row gives the source <{graph[1:-1]}> the {what} {new!r}, "
                    f"but line {entry.line} gave "
                    f"{old!r}; use one spelling per document (or distinct document names)",
                    path,
                    new,
                )
        entry.publisher = entry.publisher or publisher
        entry.page = entry.page or page
        return graph

    def ntriples(self, *, skip: Iterable[str] = ()) -> str:
        """The catalogue entries (default graph), N-Triples; ``skip`` lists graphs catalogued elsewhere."""
        skipped = set(skip)
        lines = []
        for graph, entry in self.entries.items():
            if graph in skipped:
                continue
            lines.append(f"{graph} {RDF_TYPE} {C_SOURCE} .\n")
            lines.append(f"{graph} {P_TITLE} {Literal(entry.title)} .\n")
            if entry.publisher:
                lines.append(f"{graph} {P_PUBLISHER} {Literal(entry.publisher)} .\n")
            if entry.page:
                lines.append(f"{graph} {P_PAGE} {entry.page} .\n")
            if entry.earliest is not None:
                lines.append(f"{graph} {P_ISSUED} {Literal(entry.earliest, datatype=_DATE)} .\n")
        return "".join(lines)

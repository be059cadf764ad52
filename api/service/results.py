"""SPARQL results and RDF graphs as bytes, in the format the client asked for.

The SPARQL 1.1 result formats (JSON, XML, CSV, TSV) are written here from pyoxigraph terms, row by row,
so that the row limit can stop a result early; graphs are written by pyoxigraph's own serialisers.
:func:`negotiate` reads an ``Accept`` header (q-values, ``type/*`` and ``*/*`` honoured) against what
can be produced. No web framework is imported: the query workers use this module too.

Examples
--------
>>> from pyoxigraph import Literal, NamedNode
>>> body = write_solutions(["s", "n"], [(NamedNode("http://e/a"), Literal("x, y"))], "csv")
>>> body.decode()
's,n\\r\\nhttp://e/a,"x, y"\\r\\n'
>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
'application/sparql-results+xml'
"""

from __future__ import annotations

__all__ = [
    "RESULT_TYPES",
    "GRAPH_TYPES",
    "DATASET_TYPES",
    "NotAcceptableError",
    "negotiate",
    "write_solutions",
    "iter_solutions",
    "write_boolean",
    "write_graph",
    "term_json",
]

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from stancegraph.graph.errors import StanceGraphError
from stancegraph.graph.readwrite import spreadsheet_safe
from stancegraph.graph.store import rdf_format_of_media_type
from stancegraph.ontology.namespaces import XSD_NS

#: Media types of SELECT / ASK results, in the order preferred when the client accepts several equally.
RESULT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "application/sparql-results+json": "json",
        "application/sparql-results+xml": "xml",
        "text/csv": "csv",
        "text/tab-separated-values": "tsv",
        "application/json": "json",
        "application/xml": "xml",
        "text/xml": "xml",
    }
)
#: Media types of CONSTRUCT / DESCRIBE results and of a single graph, the service's preferred first: the
#: media types are pyoxigraph's (``RdfFormat.media_type``), plus the aliases it reads that clients still send.
GRAPH_TYPES: Mapping[str, RdfFormat] = MappingProxyType(
    {
        **{
            f.media_type: f
            for f in (
                RdfFormat.TURTLE,
                RdfFormat.N_TRIPLES,
                RdfFormat.JSON_LD,
                RdfFormat.RDF_XML,
                RdfFormat.N_QUADS,
                RdfFormat.TRIG,
            )
        },
        **{
            alias: rdf_format_of_media_type(alias) for alias in ("application/x-turtle", "application/turtle")
        },
        "text/plain": RdfFormat.N_TRIPLES,
    }
)
#: Media types that can hold a whole dataset (named graphs included).
DATASET_TYPES: Mapping[str, RdfFormat] = MappingProxyType(
    {f.media_type: f for f in (RdfFormat.N_QUADS, RdfFormat.TRIG, RdfFormat.JSON_LD)}
)
_XSD_STRING = XSD_NS + "string"
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


class NotAcceptableError(StanceGraphError, ValueError):
    """The client accepts none of the formats this kind of result can be written in."""


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range that matches ``media`` (RFC 9110, 12.5.1)."""
    best: tuple[int, float] | None = None
    kind = media.split("/")[0]
    for pattern, q in ranges:
        if pattern == media:
            specificity = 2
        elif pattern == f"{kind}/*":
            specificity = 1
        elif pattern == "*/*":
            specificity = 0
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, q)
    return 0.0 if best is None else best[1]


def negotiate(accept: str | None, offers: Iterable[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them.

    Parameters
    ----------
    accept : str or None
        The ``Accept`` header; missing or empty means anything (the first offer).
    offers : iterable of str
        Media types that can be produced, best first (ties go to the earlier one).
    """
    offers = list(offers)
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = _ranges(accept)
    if not ranges:
        return offers[0] if offers else None
    scored = [(_quality(offer, ranges), -index, offer) for index, offer in enumerate(offers)]
    q, _, offer = max(scored)
    return offer if q > 0 else None


def term_json(term: NamedNode | BlankNode | Literal | Triple) -> dict:
    """A term in the SPARQL 1.1 JSON results format (triple terms as in SPARQL 1.2)."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def _term_xml(term: NamedNode | BlankNode | Literal | Triple) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
    return "<triple>" + "".join(f"<{n}>{_term_xml(t)}</{n}>" for n, t in parts) + "</triple>"


def _term_csv(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    return str(term)


def _term_tsv(term) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = '"' + term.value.translate(_TSV_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        return text if term.datatype.value == _XSD_STRING else f"{text}^^<{term.datatype.value}>"
    return str(term)  # the N-Triples form of an IRI, a blank node or a triple term


def write_solutions(
    variables: Sequence[str], rows: Iterable[Sequence], fmt: str, *, csv_guard: bool = False
) -> bytes:
    """``SELECT`` solutions in ``fmt`` (``json``, ``xml``, ``csv`` or ``tsv``); None cells are unbound.

    With ``csv_guard``, CSV cells that a spreadsheet would run as a formula get a leading ``'``
    (:func:`stancegraph.graph.readwrite.csv_cells.spreadsheet_safe`).
    """
    return "".join(iter_solutions(variables, rows, fmt, csv_guard=csv_guard)).encode()


def iter_solutions(
    variables: Sequence[str], rows: Iterable[Sequence], fmt: str, *, csv_guard: bool = False
) -> Iterator[str]:
    """The text of :func:`write_solutions` in pieces: the head, one piece per row, the tail.

    A caller can count the bytes as they come and stop early (the service's result size limit).
    """
    if fmt == "json":
        names = json.dumps(list(variables), ensure_ascii=False, separators=(",", ":"))
        yield '{"head":{"vars":' + names + '},"results":{"bindings":['

        for index, row in enumerate(rows):
            binding = {v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
            yield ("," if index else "") + json.dumps(binding, ensure_ascii=False, separators=(",", ":"))
        yield "]}}"
    elif fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        yield f'<?xml version="1.0"?>\n<sparql xmlns="{_RESULTS_NS}"><head>{head}</head><results>'
        for row in rows:
            yield (
                "<result>"
                + "".join(
                    f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                    for v, t in zip(variables, row, strict=True)
                    if t is not None
                )
                + "</result>"
            )
        yield "</results></sparql>\n"
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        cell = (lambda t: spreadsheet_safe(_term_csv(t))) if csv_guard else _term_csv
        writer.writerow(variables)
        for row in rows:
            writer.writerow([cell(t) for t in row])
            yield text.getvalue()
            text.seek(0)
            text.truncate()
        yield text.getvalue()
    elif fmt == "tsv":
        yield "\t".join(f"?{v}" for v in variables) + "\n"
        for row in rows:
            yield "\t".join(_term_tsv(t) for t in row) + "\n"
    else:
        raise NotAcceptableError(f"unknown results format {fmt!r}")


def write_boolean(value: bool, fmt: str) -> bytes:
    """An ``ASK`` answer in ``fmt``; CSV and TSV hold ``true`` / ``false`` on one line."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        word = "true" if value else "false"
        head = f'<?xml version="1.0"?>\n<sparql xmlns="{_RESULTS_NS}"><head/>'
        return f"{head}<boolean>{word}</boolean></sparql>\n".encode()
    if fmt in ("csv", "tsv"):
        return b"true\n" if value else b"false\n"
    raise NotAcceptableError(f"unknown results format {fmt!r}")


def write_graph(
    triples: Iterable[Triple], rdf_format: RdfFormat, *, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Triples in an RDF format (dataset formats put them in the default graph)."""
    data = serialize(triples, None, rdf_format, prefixes=dict(prefixes or {}))
    assert data is not None
    return data

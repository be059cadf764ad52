"""What an RDF request body may hold, checked before any parser reads it, and the terms it parsed to.

A write's body goes to pyoxigraph's parsers in the service's own process, so nothing in it may be able
to crash or bloat that process:

- nesting (Turtle and TriG blank nodes ``[ ]`` and collections ``( )``, JSON-LD objects and arrays,
  RDF/XML elements) deeper than the service's ``max_depth`` is refused;
- RDF/XML may not have a document type declaration: no DTD, so no entity can expand a 1 KB body into a
  100 MB literal, and the body limit counts what is parsed (read with ``defusedxml``, which refuses
  DTDs, entities and external references);
- after parsing, no single term may be larger than ``max_term_bytes``.

Each refusal is an :class:`~stancegraph.graph.errors.InputLimitError` naming the limit and, where it can,
the line; the service answers it with a 400.
"""

from __future__ import annotations

__all__ = ["InputLimits", "DEFAULT_LIMITS", "check_body", "check_terms"]

import re
import xml.sax
from collections.abc import Iterable
from dataclasses import dataclass

import defusedxml.sax
from defusedxml import DefusedXmlException
from pyoxigraph import Quad, RdfFormat, Triple

from stancegraph.graph.errors import InputLimitError, ValidationError, Violation
from stancegraph.graph.store import max_nesting


@dataclass(frozen=True)
class InputLimits:
    """The limits a write is read under (the service's ``max_depth`` and ``max_term_bytes``)."""

    max_depth: int = 200
    max_term_bytes: int = 2**20


#: The service's default limits.
DEFAULT_LIMITS = InputLimits()


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def check_body(body: bytes, rdf_format: RdfFormat, *, max_depth: int) -> None:
    """Refuse ``body`` if it nests deeper than ``max_depth`` or, as RDF/XML, declares a DTD.

    Raises
    ------
    InputLimitError
        Too deep, or a DTD / entity declaration.
    ValidationError
        A text format whose bytes are not UTF-8.
    """
    if rdf_format == RdfFormat.RDF_XML:
        _check_xml(body, max_depth)
        return
    text = _text(body, rdf_format)
    if rdf_format == RdfFormat.JSON_LD:
        depth, offset = _json_depth(text, max_depth)
    else:  # Turtle, TriG, N-Triples, N-Quads, N3: the SPARQL lexer knows their strings, IRIs and comments
        depth, offset = max_nesting(text, stop_above=max_depth)
    if depth > max_depth:
        line = text.count("\n", 0, offset) + 1
        raise InputLimitError(
            f"line {line}: the {rdf_format.name} body nests deeper than {max_depth} levels, this service's "
            "limit (max_depth); name the nested nodes (blank-node labels or IRIs) instead of nesting them",
            limit="max_depth",
            line=line,
        )


def check_terms(quads: Iterable[Quad | Triple], *, max_term_bytes: int) -> None:
    """Refuse a parsed write whose IRIs or literals are longer than ``max_term_bytes``."""
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, Triple):
                check_terms([term], max_term_bytes=max_term_bytes)
                continue
            value = getattr(term, "value", "")
            if len(value) > max_term_bytes // 4 and len(value.encode()) > max_term_bytes:
                raise InputLimitError(
                    f"a term of {len(value.encode())} bytes ({value[:40]!r}...) is larger than this "
                    f"service's limit of {max_term_bytes} bytes for one term (max_term_bytes); store "
                    "long texts elsewhere and link them by IRI",
                    limit="max_term_bytes",
                )


def _text(body: bytes, rdf_format: RdfFormat) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        raise ValidationError(
            [
                Violation(
                    f"the {rdf_format.name} body is not UTF-8 (byte {error.start}); send it encoded as UTF-8",
                    rule="syntax",
                    line=line,
                )
            ]
        ) from None


def _json_depth(text: str, limit: int) -> tuple[int, int]:
    depth = deepest = where = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, match.start()
                if deepest > limit:
                    break
        elif token in "]}":
            depth -= 1
    return deepest, where


class _Depth(xml.sax.handler.ContentHandler):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.depth = 0
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:  # noqa: N802 - SAX's name
        self.locator = locator

    def startElement(self, name: str, attrs: object) -> None:  # noqa: N802
        self.depth += 1
        if self.depth > self.limit:
            line = self.locator.getLineNumber() if self.locator else None
            raise InputLimitError(
                f"line {line}: the RDF/XML body nests elements deeper than {self.limit} levels, this "
                "service's limit (max_depth); describe nested nodes at the top level with rdf:nodeID",
                limit="max_depth",
                line=line,
            )

    def endElement(self, name: str) -> None:  # noqa: N802
        self.depth -= 1


def _check_xml(body: bytes, limit: int) -> None:
    handler = _Depth(limit)
    try:
        defusedxml.sax.parseString(body, handler, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise InputLimitError(
            f"the RDF/XML body declares a document type or entities ({type(error).__name__}), which this "
            "service refuses: "
            "entities can expand a small body into a huge one. Remove the <!DOCTYPE ...> and write the "
            "values out",
            limit="no DTD",
        ) from None
    except xml.sax.SAXParseException as error:
        raise ValidationError(
            [
                Violation(
                    f"the body is not valid RDF/XML: {error.getMessage()}",
                    rule="syntax",
                    line=error.getLineNumber(),
                )
            ]
        ) from None

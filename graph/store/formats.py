"""The RDF formats stancegraph reads and writes: the one table of their names, built on pyoxigraph's.

A format is named the way people type it: a file extension (``ttl``, ``nq``; what
:meth:`pyoxigraph.RdfFormat.from_extension` knows) or a name (``turtle``, ``nquads``, ``json-ld``).
Media types are pyoxigraph's own (:meth:`pyoxigraph.RdfFormat.from_media_type`,
:attr:`~pyoxigraph.RdfFormat.media_type`): :func:`rdf_format_of_media_type` accepts the common
aliases (``application/x-turtle``, ``text/plain`` for N-Triples) and nothing outside :data:`RDF_FORMAT_LIST`.
"""

from __future__ import annotations

__all__ = ["RDF_FORMAT_LIST", "RDF_FORMATS", "resolve_format", "rdf_format_of_media_type"]

from collections.abc import Mapping
from types import MappingProxyType

from pyoxigraph import RdfFormat

from stancegraph.graph.errors import ValidationError, Violation

#: Every RDF format the store and the service read and write, in the order they are offered.
RDF_FORMAT_LIST = (
    RdfFormat.TRIG,
    RdfFormat.N_QUADS,
    RdfFormat.TURTLE,
    RdfFormat.N_TRIPLES,
    RdfFormat.JSON_LD,
    RdfFormat.RDF_XML,
)
_NAMES = {
    RdfFormat.TRIG: ("trig",),
    RdfFormat.N_QUADS: ("nquads", "nq"),
    RdfFormat.TURTLE: ("turtle", "ttl"),
    RdfFormat.N_TRIPLES: ("ntriples", "nt"),
    RdfFormat.JSON_LD: ("jsonld", "json-ld", "json"),
    RdfFormat.RDF_XML: ("rdfxml", "rdf", "xml"),
}
#: Format name or file extension -> pyoxigraph :class:`~pyoxigraph.RdfFormat`.
RDF_FORMATS: Mapping[str, RdfFormat] = MappingProxyType(
    {name: rdf_format for rdf_format in RDF_FORMAT_LIST for name in _NAMES[rdf_format]}
)
assert all(RdfFormat.from_extension(f.file_extension) == f for f in RDF_FORMAT_LIST)  # pyoxigraph agrees


def resolve_format(format: str | RdfFormat) -> RdfFormat:
    """The :class:`~pyoxigraph.RdfFormat` for a name or file extension of :data:`RDF_FORMATS`.

    Raises
    ------
    ValidationError
        An unknown name, listing the known ones.

    Examples
    --------
    >>> resolve_format(".TTL").name, resolve_format("json-ld").name
    ('Turtle', 'JSON-LD')
    """
    if isinstance(format, RdfFormat):
        return format
    key = str(format).lower().lstrip(".")
    try:
        return RDF_FORMATS[key]
    except KeyError:
        names = ", ".join(sorted(RDF_FORMATS))
        raise ValidationError(
            [Violation(f"unknown RDF format {format!r}; use one of: {names}", rule="format")]
        ) from None


def rdf_format_of_media_type(media_type: str) -> RdfFormat | None:
    """The format a media type names (pyoxigraph's table and aliases), or None if it is not RDF.

    Examples
    --------
    >>> rdf_format_of_media_type("application/x-turtle").name, rdf_format_of_media_type("text/csv")
    ('Turtle', None)
    """
    try:
        found = RdfFormat.from_media_type(media_type)
    except ValueError:
        return None
    return found if found in RDF_FORMAT_LIST else None

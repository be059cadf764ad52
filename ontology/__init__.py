"""The stancegraph ontology and SHACL shapes, and the names that refer to them.

The two Turtle files ship inside this package: ``stancegraph.ttl`` (the OWL ontology) and ``shapes.ttl``
(the SHACL shapes every write is checked against). Nothing is parsed at import time; the loaders parse on
first use and cache the result.

Examples
--------
>>> from stancegraph.ontology import SG, STANCE_TYPES, ontology_graph
>>> STANCE_TYPES["rejects"].edge == str(SG.rejects)
True
>>> (SG.Stance, None, None) in ontology_graph()
True
"""

from __future__ import annotations

__all__ = [
    "SG_NS",
    "ID_NS",
    "PROV_NS",
    "ORG_NS",
    "FOAF_NS",
    "SKOS_NS",
    "DCTERMS_NS",
    "RDF_NS",
    "RDFS_NS",
    "XSD_NS",
    "OWL_NS",
    "SH_NS",
    "RDF_TYPE",
    "RDF_LANGSTRING",
    "RDFS_SUBCLASS",
    "SG",
    "ID",
    "PROV",
    "ORG",
    "FOAF",
    "SKOS",
    "DCTERMS",
    "PREFIXES",
    "StanceType",
    "STANCE_TYPES",
    "STANCE_TYPES_BY_IRI",
    "ONTOLOGY_IRI",
    "SHAPES_IRI",
    "ontology_path",
    "shapes_path",
    "ontology_graph",
    "shapes_graph",
]

from functools import cache
from importlib.resources import files
from pathlib import Path

from rdflib import Graph

from .namespaces import (
    DCTERMS,
    DCTERMS_NS,
    FOAF,
    FOAF_NS,
    ID,
    ID_NS,
    ORG,
    ORG_NS,
    OWL_NS,
    PREFIXES,
    PROV,
    PROV_NS,
    RDF_LANGSTRING,
    RDF_NS,
    RDF_TYPE,
    RDFS_NS,
    RDFS_SUBCLASS,
    SG,
    SG_NS,
    SH_NS,
    SKOS,
    SKOS_NS,
    STANCE_TYPES,
    STANCE_TYPES_BY_IRI,
    XSD_NS,
    StanceType,
)

#: The IRI of the ontology (the ``owl:Ontology`` node of stancegraph.ttl).
ONTOLOGY_IRI = "https://w3id.org/stancegraph/ontology"
#: The IRI of the shapes graph (the ``owl:Ontology`` node of shapes.ttl; its namespace ends in ``#``).
SHAPES_IRI = "https://w3id.org/stancegraph/shapes#"


def _resource(name: str) -> Path:
    return Path(str(files(__name__) / name))


def ontology_path() -> Path:
    """Return the path of the ontology file, ``stancegraph.ttl``, inside the installed package.

    Returns
    -------
    pathlib.Path
        The Turtle file; read it, never write to it.

    Examples
    --------
    >>> ontology_path().name
    'stancegraph.ttl'
    """
    return _resource("stancegraph.ttl")


def shapes_path() -> Path:
    """Return the path of the SHACL shapes file, ``shapes.ttl``, inside the installed package.

    Returns
    -------
    pathlib.Path
        The Turtle file; read it, never write to it.

    Examples
    --------
    >>> shapes_path().name
    'shapes.ttl'
    """
    return _resource("shapes.ttl")


@cache
def _parsed(name: str) -> Graph:
    graph = Graph()
    graph.parse(_resource(name), format="turtle")
    return graph


def _copy(source: Graph) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph += source
    return graph


def ontology_graph() -> Graph:
    """Return the ontology as an rdflib graph.

    The file is parsed once per process; each call returns a fresh copy, so the caller may add to it
    (e.g. merge data into it for SHACL validation) without affecting later calls.

    Returns
    -------
    rdflib.Graph
        Every triple of ``stancegraph.ttl``, with the usual prefixes bound.

    Examples
    --------
    >>> from rdflib import RDFS
    >>> g = ontology_graph()
    >>> (SG.State, RDFS.subClassOf, SG.Actor) in g
    True
    """
    return _copy(_parsed("stancegraph.ttl"))


def shapes_graph() -> Graph:
    """Return the SHACL shapes as an rdflib graph.

    Parsed once per process; each call returns a fresh copy that the caller may change freely.

    Returns
    -------
    rdflib.Graph
        Every triple of ``shapes.ttl``.

    Examples
    --------
    >>> from rdflib import RDF, SH, URIRef
    >>> (URIRef(SHAPES_IRI + "StanceShape"), RDF.type, SH.NodeShape) in shapes_graph()
    True
    """
    return _copy(_parsed("shapes.ttl"))

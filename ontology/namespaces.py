"""Namespaces of the stancegraph vocabulary and the five stance types.

The IRIs are given twice: as rdflib :class:`~rdflib.namespace.Namespace` objects (``SG.Stance`` is a
``URIRef``) and as plain ``str`` constants (``SG_NS``, ``ID_NS``, ...) for code that builds pyoxigraph
``NamedNode`` objects or SPARQL text. Note that rdflib's ``URIRef`` never compares equal to a plain
``str``, so compare ``str(term)`` when mixing the two. The W3C namespaces the code writes out itself
(``RDF_NS``, ``RDFS_NS``, ``XSD_NS``, ``SH_NS``) and the few RDF terms it names often (``RDF_TYPE``,
``RDFS_SUBCLASS``, ``RDF_LANGSTRING``) are plain ``str`` only: rdflib has its own ``RDF``, ``XSD``, ``SH``.
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
]

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rdflib import Namespace

SG_NS = "https://w3id.org/stancegraph/ontology#"
ID_NS = "https://w3id.org/stancegraph/id/"
PROV_NS = "http://www.w3.org/ns/prov#"
ORG_NS = "http://www.w3.org/ns/org#"
FOAF_NS = "http://xmlns.com/foaf/0.1/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS_NS = "http://purl.org/dc/terms/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SH_NS = "http://www.w3.org/ns/shacl#"

RDF_TYPE = RDF_NS + "type"
RDF_LANGSTRING = RDF_NS + "langString"
RDFS_SUBCLASS = RDFS_NS + "subClassOf"

SG = Namespace(SG_NS)
ID = Namespace(ID_NS)
PROV = Namespace(PROV_NS)
ORG = Namespace(ORG_NS)
FOAF = Namespace(FOAF_NS)
SKOS = Namespace(SKOS_NS)
DCTERMS = Namespace(DCTERMS_NS)

#: Prefix -> namespace IRI for everything the data model uses (handy for SPARQL PREFIX lines and for
#: binding prefixes when serialising).
PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "sg": SG_NS,
        "prov": PROV_NS,
        "org": ORG_NS,
        "foaf": FOAF_NS,
        "skos": SKOS_NS,
        "dcterms": DCTERMS_NS,
        "xsd": XSD_NS,
        "rdf": RDF_NS,
        "rdfs": RDFS_NS,
        "owl": OWL_NS,
        "sh": SH_NS,
    }
)


@dataclass(frozen=True)
class StanceType:
    """One of the five stance types of the ``sg:StanceTypes`` scheme.

    Attributes
    ----------
    name : str
        The short name people type: ``"endorses"``, ``"rejects"``, ``"concedes"``, ``"demands"`` or
        ``"neutral"``.
    iri : str
        The type's IRI, e.g. ``https://w3id.org/stancegraph/ontology#Endorses``.
    edge : str or None
        The IRI of the actor -> target edge materialised for stances of this type (``sg:endorses``), or
        None for ``sg:Neutral``.
    label : str
        The English ``skos:prefLabel``.
    dna_agreement : int or None
        The Discourse Network Analyzer agree (1) / disagree (0) value, or None for ``sg:Neutral``.
    """

    name: str
    iri: str
    edge: str | None
    label: str
    dna_agreement: int | None


def _stance_type(local: str, dna_agreement: int | None, *, edge: bool = True) -> StanceType:
    name = local.lower()
    return StanceType(
        name=name,
        iri=SG_NS + local,
        edge=SG_NS + name if edge else None,
        label=name,
        dna_agreement=dna_agreement,
    )


#: Short name -> :class:`StanceType`, in the order endorses, rejects, concedes, demands, neutral.
#: Mirrors the individuals of ``sg:StanceTypes`` in stancegraph.ttl (a test keeps the two in step).
STANCE_TYPES: Mapping[str, StanceType] = MappingProxyType(
    {
        t.name: t
        for t in (
            _stance_type("Endorses", 1),
            _stance_type("Rejects", 0),
            _stance_type("Concedes", 1),
            _stance_type("Demands", 1),
            _stance_type("Neutral", None, edge=False),
        )
    }
)

#: Type IRI (as ``str``) -> :class:`StanceType`.
STANCE_TYPES_BY_IRI: Mapping[str, StanceType] = MappingProxyType({t.iri: t for t in STANCE_TYPES.values()})

"""Tests for ontology/stancegraph.ttl and the stancegraph.ontology module."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as RDFLIB_DCTERMS
from rdflib.namespace import SKOS as RDFLIB_SKOS

import stancegraph.ontology as ontology_module
from stancegraph.ontology import (
    DCTERMS,
    FOAF,
    ID_NS,
    ONTOLOGY_IRI,
    ORG,
    PROV,
    SG,
    SG_NS,
    SKOS,
    STANCE_TYPES,
    STANCE_TYPES_BY_IRI,
    StanceType,
    namespaces,
    ontology_graph,
    ontology_path,
    shapes_graph,
    shapes_path,
)

ONTOLOGY = URIRef(ONTOLOGY_IRI)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

# Names that other parts of stancegraph (and other tools) rely on, with the rdf:type each must have.
REQUIRED = [
    ("Actor", OWL.Class),
    ("State", OWL.Class),
    ("Person", OWL.Class),
    ("Organization", OWL.Class),
    ("Coalition", OWL.Class),
    ("Target", OWL.Class),
    ("Demand", OWL.Class),
    ("Plan", OWL.Class),
    ("PlanPoint", OWL.Class),
    ("Issue", OWL.Class),
    ("Stance", OWL.Class),
    ("StanceType", OWL.Class),
    ("Source", OWL.Class),
    ("Coder", OWL.Class),
    ("codedBy", OWL.ObjectProperty),
    ("statedAt", OWL.DatatypeProperty),
    ("quoteStart", OWL.DatatypeProperty),
    ("quoteEnd", OWL.DatatypeProperty),
    ("fullText", OWL.DatatypeProperty),
    ("section", OWL.DatatypeProperty),
    ("category", OWL.DatatypeProperty),
    ("colour", OWL.DatatypeProperty),
    ("actor", OWL.ObjectProperty),
    ("person", OWL.ObjectProperty),
    ("target", OWL.ObjectProperty),
    ("stanceType", OWL.ObjectProperty),
    ("statedOn", OWL.DatatypeProperty),
    ("quote", OWL.DatatypeProperty),
    ("confidence", OWL.DatatypeProperty),
    ("reportedBy", OWL.ObjectProperty),
    ("agreement", OWL.DatatypeProperty),
    ("contradicts", OWL.ObjectProperty),
    ("fulfils", OWL.ObjectProperty),
    ("opposes", OWL.ObjectProperty),
    ("droppedIn", OWL.ObjectProperty),
    ("endorses", OWL.ObjectProperty),
    ("rejects", OWL.ObjectProperty),
    ("concedes", OWL.ObjectProperty),
    ("demands", OWL.ObjectProperty),
    ("cameoCode", OWL.DatatypeProperty),
    ("ploverCategory", OWL.DatatypeProperty),
    ("dnaAgreement", OWL.DatatypeProperty),
    ("directEdge", OWL.ObjectProperty),
    ("StanceBasis", OWL.Class),
    ("basis", OWL.ObjectProperty),
    ("minConfidence", OWL.DatatypeProperty),
    ("maxConfidence", OWL.DatatypeProperty),
    ("requiresQuote", OWL.DatatypeProperty),
    ("pointCount", OWL.DatatypeProperty),
    ("partialText", OWL.DatatypeProperty),
    ("StanceBases", RDFLIB_SKOS.ConceptScheme),
    ("Quoted", SG.StanceBasis),
    ("ReportedSpeech", SG.StanceBasis),
    ("Inferred", SG.StanceBasis),
    ("DisputedClaim", SG.StanceBasis),
    ("StanceTypes", RDFLIB_SKOS.ConceptScheme),
    ("Endorses", SG.StanceType),
    ("Rejects", SG.StanceType),
    ("Concedes", SG.StanceType),
    ("Demands", SG.StanceType),
    ("Neutral", SG.StanceType),
]

ALIGNMENTS = [
    (SG.Actor, RDFS.subClassOf, PROV.Agent),
    (SG.Actor, RDFS.subClassOf, FOAF.Agent),
    (SG.State, RDFS.subClassOf, SG.Actor),
    (SG.Person, RDFS.subClassOf, SG.Actor),
    (SG.Person, RDFS.subClassOf, FOAF.Person),
    (SG.Organization, RDFS.subClassOf, SG.Actor),
    (SG.Organization, RDFS.subClassOf, ORG.Organization),
    (SG.Coalition, RDFS.subClassOf, SG.Organization),
    (SG.Coalition, RDFS.subClassOf, ORG.FormalOrganization),
    (SG.Demand, RDFS.subClassOf, SG.Target),
    (SG.Plan, RDFS.subClassOf, SG.Target),
    (SG.Plan, RDFS.subClassOf, SKOS.ConceptScheme),
    (SG.PlanPoint, RDFS.subClassOf, SG.Target),
    (SG.PlanPoint, RDFS.subClassOf, SKOS.Concept),
    (SG.Issue, RDFS.subClassOf, SG.Target),
    (SG.Stance, RDFS.subClassOf, PROV.Entity),
    (SG.StanceType, RDFS.subClassOf, SKOS.Concept),
    (SG.Source, RDFS.subClassOf, PROV.Entity),
    (SG.actor, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (SG.person, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (SG.Coder, RDFS.subClassOf, PROV.Agent),
    (SG.Coder, OWL.disjointWith, SG.Actor),
    (SG.codedBy, RDFS.subPropertyOf, PROV.wasAttributedTo),
]

FUNCTIONAL = [
    "actor",
    "person",
    "target",
    "stanceType",
    "statedOn",
    "statedAt",
    "codedBy",
    "quoteStart",
    "quoteEnd",
    "fullText",
    "section",
    "category",
    "colour",
    "quote",
    "confidence",
    "reportedBy",
    "agreement",
    "cameoCode",
    "ploverCategory",
    "dnaAgreement",
    "directEdge",
    "basis",
    "minConfidence",
    "maxConfidence",
    "requiresQuote",
    "pointCount",
    "partialText",
]
NOT_FUNCTIONAL = ["contradicts", "fulfils", "opposes", "endorses", "rejects", "concedes", "demands"]

# The stance-type table of docs/data-model.md: local name -> (CAMEO, PLOVER, DNA, direct edge).
STANCE_TABLE = {
    "Endorses": ("051", "SUPPORT", 1, "endorses"),
    "Rejects": ("12", "REJECT", 0, "rejects"),
    "Concedes": ("08", "CONCEDE", 1, "concedes"),
    "Demands": ("10", "REQUEST", 1, "demands"),
    "Neutral": (None, None, None, None),
}


def sg_terms(graph: Graph) -> set[URIRef]:
    """Every sg: IRI that appears anywhere in ``graph``."""
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(SG_NS)
    }


def declared(graph: Graph) -> set[URIRef]:
    """sg: IRIs that have an rdf:type in ``graph``."""
    return {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(SG_NS)}


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert str(ontology.value(ONTOLOGY, RDFLIB_DCTERMS.title)) == "stancegraph ontology"
    assert len(str(ontology.value(ONTOLOGY, RDFLIB_DCTERMS.description))) > 100


@pytest.mark.parametrize(("local", "rdf_type"), REQUIRED, ids=[name for name, _ in REQUIRED])
def test_required_names(ontology: Graph, local: str, rdf_type: URIRef) -> None:
    assert (SG[local], RDF.type, rdf_type) in ontology


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=lambda t: f"{t[0].n3()} {t[2].n3()}".replace(SG_NS, "sg:"))
def test_alignments(ontology: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in ontology


def test_reported_by_is_not_attribution(ontology: Graph) -> None:
    # The reporter vouches for the report, not the position: kept out of prov:wasAttributedTo on purpose.
    assert (SG.reportedBy, RDFS.subPropertyOf, PROV.wasAttributedTo) not in ontology


def test_every_sg_term_used_is_declared(ontology: Graph) -> None:
    assert sg_terms(ontology) - declared(ontology) == set()


def test_every_sg_term_in_shapes_is_declared(ontology: Graph, shapes: Graph) -> None:
    used = sg_terms(shapes)
    assert len(used) > 20
    assert used - declared(ontology) == set()


def test_classes_documented(ontology: Graph) -> None:
    classes = [c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(SG_NS)]
    assert len(classes) == 15
    for cls in classes:
        assert ontology.value(cls, RDFS.label) is not None, cls
        assert len(str(ontology.value(cls, RDFS.comment) or "")) > 20, cls


def test_properties_documented(ontology: Graph) -> None:
    properties = {p for kind in PROPERTY_TYPES for p in ontology.subjects(RDF.type, kind)}
    assert len(properties) == 35
    for prop in properties:
        assert ontology.value(prop, RDFS.label) is not None, prop
        assert len(str(ontology.value(prop, RDFS.comment) or "")) > 20, prop
        assert ontology.value(prop, RDFS.domain) or ontology.value(prop, RDFS.range), prop
        assert len(set(ontology.objects(prop, RDF.type)) & set(PROPERTY_TYPES)) == 1, prop


def test_property_ranges_match_kind(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        rng = ontology.value(prop, RDFS.range)
        assert rng == RDFS.Literal or str(rng).startswith(str(XSD)), prop
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        rng = ontology.value(prop, RDFS.range)
        assert rng is None or (ontology.value(rng, RDF.type) == OWL.Class), prop


@pytest.mark.parametrize("local", FUNCTIONAL)
def test_functional(ontology: Graph, local: str) -> None:
    assert (SG[local], RDF.type, OWL.FunctionalProperty) in ontology


@pytest.mark.parametrize("local", NOT_FUNCTIONAL)
def test_not_functional(ontology: Graph, local: str) -> None:
    assert (SG[local], RDF.type, OWL.FunctionalProperty) not in ontology


@pytest.mark.parametrize("local", list(STANCE_TABLE))
def test_stance_type_individuals(ontology: Graph, local: str) -> None:
    cameo, plover, dna, edge = STANCE_TABLE[local]
    iri = SG[local]
    assert (iri, RDF.type, RDFLIB_SKOS.Concept) in ontology
    assert (iri, RDFLIB_SKOS.inScheme, SG.StanceTypes) in ontology
    assert (SG.StanceTypes, RDFLIB_SKOS.hasTopConcept, iri) in ontology
    assert ontology.value(iri, RDFLIB_SKOS.prefLabel) == Literal(local.lower(), lang="en")
    assert ontology.value(iri, RDFLIB_SKOS.definition) is not None
    assert ontology.value(iri, SG.cameoCode) == (None if cameo is None else Literal(cameo))
    assert ontology.value(iri, SG.ploverCategory) == (None if plover is None else Literal(plover))
    found_dna = ontology.value(iri, SG.dnaAgreement)
    assert (None if found_dna is None else found_dna.toPython()) == dna
    assert ontology.value(iri, SG.directEdge) == (None if edge is None else SG[edge])
    if cameo is not None and cameo != "051":
        assert f"{cameo}x" in str(ontology.value(iri, RDFS.comment))


def test_stance_types_constant_matches_ontology(ontology: Graph) -> None:
    in_ontology = set(ontology.subjects(RDF.type, SG.StanceType))
    assert {URIRef(t.iri) for t in STANCE_TYPES.values()} == in_ontology
    assert list(STANCE_TYPES) == ["endorses", "rejects", "concedes", "demands", "neutral"]
    for name, stance_type in STANCE_TYPES.items():
        iri = URIRef(stance_type.iri)
        assert stance_type.name == name
        assert stance_type.label == str(ontology.value(iri, RDFLIB_SKOS.prefLabel))
        edge = ontology.value(iri, SG.directEdge)
        assert stance_type.edge == (None if edge is None else str(edge))
        dna = ontology.value(iri, SG.dnaAgreement)
        assert stance_type.dna_agreement == (None if dna is None else dna.toPython())
        assert STANCE_TYPES_BY_IRI[stance_type.iri] is stance_type
        assert type(stance_type.iri) is str


def test_stance_type_is_frozen() -> None:
    with pytest.raises(AttributeError):
        STANCE_TYPES["endorses"].edge = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        STANCE_TYPES["nope"] = StanceType("nope", "x", None, "nope", None)  # type: ignore[index]


def test_namespaces() -> None:
    assert SG_NS == "https://w3id.org/stancegraph/ontology#"
    assert ID_NS == "https://w3id.org/stancegraph/id/"
    assert SG.Stance == URIRef(SG_NS + "Stance")
    assert str(PROV) == "http://www.w3.org/ns/prov#"
    assert str(ORG) == "http://www.w3.org/ns/org#"
    assert str(FOAF) == "http://xmlns.com/foaf/0.1/"
    assert str(SKOS) == str(RDFLIB_SKOS)
    assert str(DCTERMS) == str(RDFLIB_DCTERMS)


def test_exports() -> None:
    assert set(namespaces.__all__) <= set(ontology_module.__all__)
    for name in ontology_module.__all__:
        assert hasattr(ontology_module, name), name


def test_paths_point_into_the_package() -> None:
    package_dir = ontology_path().parent
    assert ontology_path().is_file() and shapes_path().is_file()
    assert (package_dir / "__init__.py").is_file()
    assert shapes_path().parent == package_dir


@pytest.mark.parametrize("loader", [ontology_graph, shapes_graph])
def test_loaders_return_independent_copies(loader: Callable[[], Graph]) -> None:
    first = loader()
    size = len(first)
    first.add((SG.Extra, RDF.type, OWL.Class))
    first.remove((None, RDFS.label, None))
    second = loader()
    assert len(second) == size
    assert (SG.Extra, RDF.type, OWL.Class) not in second


def test_import_parses_nothing_and_stays_light() -> None:
    code = textwrap.dedent(
        """
        import sys
        import stancegraph.ontology as o
        assert o._parsed.cache_info().currsize == 0, "parsed at import"
        heavy = sorted(m for m in ("pyvis", "fastapi", "uvicorn", "networkx", "scipy", "pyshacl")
                       if m in sys.modules)
        assert not heavy, heavy
        o.ontology_graph()
        assert o._parsed.cache_info().currsize == 1
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"

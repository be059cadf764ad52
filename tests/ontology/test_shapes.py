"""Tests for ontology/shapes.ttl: valid SHACL, within the compilable subset, and catching what it should."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from stancegraph.ontology import DCTERMS, FOAF, ORG, PREFIXES, PROV, SG, SHAPES_IRI, SKOS, ontology_graph

SGSH = SHAPES_IRI
ID = "https://w3id.org/stancegraph/id/"

# The SHACL vocabulary shapes.ttl may use (documented at the top of the file).
ALLOWED_SH = {
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.property,
    SH.sparql,
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.minInclusive,
    SH.maxInclusive,
    SH.pattern,
    SH.uniqueLang,
    SH["or"],
    SH.name,
    SH.description,
    SH.message,
    SH.select,
    SH.prefixes,
    SH.declare,
    SH.prefix,
    SH.namespace,
}
ALLOWED_TYPES = {SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint, OWL.Ontology}

NODE_SHAPES = {
    "StanceShape": SG.Stance,
    "ActorShape": SG.Actor,
    "PlanShape": SG.Plan,
    "PlanPointShape": SG.PlanPoint,
    "DemandShape": SG.Demand,
    "SourceShape": SG.Source,
    "CoderShape": SG.Coder,
}

# (node shape, path) -> (minCount, maxCount) as the data model requires; None = no bound. Unbounded
# properties whose only rules are their range and domain (sg:contradicts, sg:fulfils, sg:opposes,
# sg:droppedIn) have no property shape on the class shape: those rules target every subject.
CARDINALITIES = {
    ("StanceShape", SG.actor): (1, 1),
    ("StanceShape", SG.target): (1, 1),
    ("StanceShape", SG.stanceType): (1, 1),
    ("StanceShape", SG.statedOn): (1, 1),
    ("StanceShape", PROV.wasDerivedFrom): (1, 1),
    ("StanceShape", SG.quote): (None, 1),
    ("StanceShape", SG.confidence): (None, 1),
    ("StanceShape", SG.reportedBy): (None, 1),
    ("StanceShape", SG.person): (None, 1),
    ("StanceShape", SG.agreement): (None, 1),
    ("StanceShape", SG.basis): (None, 1),
    ("StanceShape", SG.statedAt): (None, 1),
    ("StanceShape", SG.codedBy): (None, 1),
    ("StanceShape", SG.quoteStart): (None, 1),
    ("StanceShape", SG.quoteEnd): (None, 1),
    ("CoderShape", SKOS.prefLabel): (1, 1),
    ("CoderShape", SKOS.altLabel): (None, None),
    ("ActorShape", SKOS.prefLabel): (1, 1),
    ("ActorShape", SKOS.altLabel): (None, None),
    ("ActorShape", ORG.memberOf): (None, None),
    ("PlanShape", SKOS.prefLabel): (1, 1),
    ("PlanShape", DCTERMS.issued): (None, 1),
    ("PlanShape", PROV.wasRevisionOf): (None, None),
    ("PlanShape", PROV.wasAttributedTo): (None, None),
    ("PlanShape", SG.pointCount): (None, 1),
    ("PlanShape", SG.partialText): (None, 1),
    ("PlanPointShape", SKOS.inScheme): (1, 1),
    ("PlanPointShape", SKOS.notation): (1, 1),
    ("PlanPointShape", SKOS.prefLabel): (1, 1),
    ("PlanPointShape", PROV.wasDerivedFrom): (1, None),
    ("DemandShape", SKOS.prefLabel): (1, 1),
    ("SourceShape", DCTERMS.title): (1, 1),
    ("SourceShape", DCTERMS.publisher): (1, 1),
    ("SourceShape", DCTERMS.issued): (1, 1),
    ("SourceShape", FOAF.page): (None, 1),
    ("SourceShape", DCTERMS.type): (None, 1),
    ("SourceShape", DCTERMS.creator): (None, 1),
    ("SourceShape", SG.fullText): (None, 1),
    ("SourceShape", SG.section): (None, 1),
}


def sh_values(shapes: Graph, node: URIRef, predicate: URIRef) -> list:
    return list(shapes.objects(node, predicate))


def property_shapes(shapes: Graph) -> set[URIRef]:
    """Those of the node shapes, and those that target the subjects of their property on their own."""
    found = set(shapes.objects(None, SH.property)) | set(shapes.subjects(SH.targetSubjectsOf, None))
    return {s for s in found if (s, RDF.type, SH.NodeShape) not in shapes}


# ---------------------------------------------------------------------------------------------------------
# The shapes graph itself
# ---------------------------------------------------------------------------------------------------------


def shacl_shacl() -> Graph:
    return Graph().parse(files("pyshacl") / "assets" / "shacl-shacl.ttl", format="turtle")


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl(), inference="none")
    assert conforms, text


def test_shacl_for_shacl_catches_a_broken_shape(shapes: Graph) -> None:
    broken = Graph()
    broken += shapes
    broken.add((URIRef(SGSH + "StanceShape-actor-count"), SH.minCount, Literal("one")))
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shacl_shacl(), inference="none")
    assert not conforms


def domain_shapes(shapes: Graph) -> set[URIRef]:
    """The node shapes that target the subjects of a property (its rdfs:domain)."""
    return {s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, SH.targetSubjectsOf, None) in shapes}


def test_node_shapes(shapes: Graph) -> None:
    class_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) - domain_shapes(shapes)
    found = {str(s).removeprefix(SGSH): s for s in class_shapes}
    assert set(found) == set(NODE_SHAPES)
    for name, shape in found.items():
        assert sh_values(shapes, shape, SH.targetClass) == [NODE_SHAPES[name]]
        assert len(sh_values(shapes, shape, SH.name)) == 1, name
        assert len(sh_values(shapes, shape, SH.description)) == 1, name
        assert sh_values(shapes, shape, SH.property), name


def test_only_the_compilable_subset_is_used(shapes: Graph) -> None:
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    assert used <= ALLOWED_SH, used - ALLOWED_SH
    assert set(shapes.objects(None, RDF.type)) <= ALLOWED_TYPES
    domains = domain_shapes(shapes)
    for node in shapes.subjects(RDF.type, SH.NodeShape):
        shape_predicates = {p for p in shapes.predicates(node) if str(p).startswith(str(SH))}
        if node in domains:  # a node-level sh:class on the subjects of one property
            assert shape_predicates == {SH.targetSubjectsOf, SH["class"], SH.name, SH.description, SH.message}
        else:
            assert shape_predicates <= {SH.targetClass, SH.property, SH.sparql, SH.name, SH.description}


def test_property_shapes_are_simple_and_documented(shapes: Graph) -> None:
    shapes_ = property_shapes(shapes)
    assert len(shapes_) == 96
    assert shapes_ == set(shapes.subjects(RDF.type, SH.PropertyShape))
    for shape in shapes_:
        assert isinstance(shape, URIRef), "property shapes are named IRIs"
        paths = sh_values(shapes, shape, SH.path)
        assert len(paths) == 1 and isinstance(paths[0], URIRef), shape
        for predicate in (SH.name, SH.description, SH.message):
            assert len(sh_values(shapes, shape, predicate)) == 1, (shape, predicate)
        message = str(shapes.value(shape, SH.message))
        assert paths[0].n3(shapes.namespace_manager) in message, (shape, message)
        for single in (SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH["or"]):
            assert len(sh_values(shapes, shape, single)) <= 1, (shape, single)
        for members in sh_values(shapes, shape, SH["in"]):
            assert all(isinstance(m, URIRef) for m in Collection(shapes, members))
        for alternatives in sh_values(shapes, shape, SH["or"]):
            for alternative in Collection(shapes, alternatives):
                assert [p for p, _ in shapes.predicate_objects(alternative)] == [SH.datatype], shape


def test_datatype_rules_hold_wherever_the_property_is_used(shapes: Graph, ontology: Graph) -> None:
    """Each datatype property of the ontology has its rdfs:range checked on every subject of it (one shape
    that targets the property's subjects), and no class shape repeats that rule."""
    ranged = {
        p: r
        for p, r in ontology.subject_objects(RDFS.range)
        if (p, RDF.type, OWL.DatatypeProperty) in ontology
    }
    assert SG.confidence in ranged and SG.statedOn in ranged
    for prop, declared in ranged.items():
        targeted = [
            s for s in shapes.subjects(SH.targetSubjectsOf, prop) if (s, RDF.type, SH.PropertyShape) in shapes
        ]
        assert targeted, f"no shape checks the values of {prop} wherever it is used"
        assert all(shapes.value(s, SH.path) == prop for s in targeted)
        datatypes = {d for s in targeted for d in shapes.objects(s, SH.datatype)}
        datatypes |= {
            d
            for s in targeted
            for members in shapes.objects(s, SH["or"])
            for member in Collection(shapes, members)
            for d in shapes.objects(member, SH.datatype)
        }
        assert declared in datatypes or (declared == RDFS.Literal and datatypes), (prop, declared, datatypes)
        on_classes = [s for s in shapes.objects(None, SH.property) if shapes.value(s, SH.path) == prop]
        assert not any((s, SH.datatype, None) in shapes or (s, SH["or"], None) in shapes for s in on_classes)


def scheme_members(ontology: Graph, cls: URIRef) -> set[URIRef]:
    return set(ontology.subjects(RDF.type, cls))


def test_object_ranges_hold_wherever_the_property_is_used(shapes: Graph, ontology: Graph) -> None:
    """Each object property of the ontology with an rdfs:range has it checked on every subject of it:
    sh:class of the range, or, for a class whose individuals the ontology fixes (the stance types and
    bases), sh:in of exactly those; no class shape repeats the rule."""
    ranged = {
        p: r for p, r in ontology.subject_objects(RDFS.range) if (p, RDF.type, OWL.ObjectProperty) in ontology
    }
    assert SG.actor in ranged and SG.fulfils in ranged and SG.endorses in ranged
    assert SG.directEdge not in ranged  # it has no range: nothing to check
    for prop, declared in ranged.items():
        targeted = [
            s for s in shapes.subjects(SH.targetSubjectsOf, prop) if (s, RDF.type, SH.PropertyShape) in shapes
        ]
        assert len(targeted) == 1, f"no shape checks the values of {prop} wherever it is used"
        (shape,) = targeted
        assert shapes.value(shape, SH.path) == prop
        members = scheme_members(ontology, declared)
        if members:
            assert set(Collection(shapes, shapes.value(shape, SH["in"]))) == members, prop
        else:
            assert list(shapes.objects(shape, SH["class"])) == [declared], prop
        on_classes = [s for s in shapes.objects(None, SH.property) if shapes.value(s, SH.path) == prop]
        assert not any((s, SH["class"], None) in shapes or (s, SH["in"], None) in shapes for s in on_classes)


def test_domains_hold_wherever_the_property_is_used(shapes: Graph, ontology: Graph) -> None:
    """Each property of the ontology with an rdfs:domain has one node shape on its subjects that requires
    the domain class of the subject, and its message names the property and the class. No other
    property is given a domain (prov:wasDerivedFrom, skos:*, org:memberOf are broad on purpose)."""
    declared = dict(ontology.subject_objects(RDFS.domain))
    assert declared[SG.confidence] == SG.Stance and declared[SG.endorses] == SG.Actor
    found = {}
    for shape in domain_shapes(shapes):
        (prop,) = shapes.objects(shape, SH.targetSubjectsOf)
        (cls,) = shapes.objects(shape, SH["class"])
        assert prop not in found, f"two domain shapes for {prop}"
        found[prop] = cls
        message = str(shapes.value(shape, SH.message))
        for term in (prop, cls):
            assert term.n3(shapes.namespace_manager) in message, (shape, message)
    assert found == declared


def test_sparql_constraints(shapes: Graph) -> None:
    constraints = sorted(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    names = (
        "PlanPointShape-notation-unique",
        "StanceShape-confidence-basis",
        "StanceShape-quote-basis",
        "StanceShape-quote-position",
        "StanceShape-statedAt-day",
    )
    assert constraints == [URIRef(SGSH + name) for name in names]
    for constraint in constraints:
        assert "$this" in str(shapes.value(constraint, SH.select))
        assert shapes.value(constraint, SH.message) is not None
        assert shapes.value(constraint, SH.prefixes) == URIRef(SGSH)


@pytest.mark.parametrize(
    ("key", "bounds"),
    list(CARDINALITIES.items()),
    ids=[f"{s}-{p.split('#')[-1].split('/')[-1]}" for s, p in CARDINALITIES],
)
def test_cardinalities(shapes: Graph, key: tuple[str, URIRef], bounds: tuple[int | None, int | None]) -> None:
    node_shape, path = key
    on_path = [
        s for s in shapes.objects(URIRef(SGSH + node_shape), SH.property) if (s, SH.path, path) in shapes
    ]
    assert on_path, f"{node_shape} has no property shape for {path}"
    found_min = [int(v) for s in on_path for v in shapes.objects(s, SH.minCount)]
    found_max = [int(v) for s in on_path for v in shapes.objects(s, SH.maxCount)]
    assert found_min == ([] if bounds[0] is None else [bounds[0]])
    assert found_max == ([] if bounds[1] is None else [bounds[1]])


# ---------------------------------------------------------------------------------------------------------
# Behaviour on data
# ---------------------------------------------------------------------------------------------------------

PREFIX_LINES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
HEADER = f"@base <{ID}> .\n{PREFIX_LINES}"

VALID = (
    HEADER
    + """
<actor/us> a sg:State ; skos:prefLabel "United States"@en ; org:memberOf <actor/g7> .
<actor/ua> a sg:State ; skos:prefLabel "Ukraine"@en ; skos:altLabel "Україна"@uk .
<actor/g7> a sg:Coalition ; skos:prefLabel "G7"@en .
<actor/witkoff> a sg:Person ; skos:prefLabel "Steve Witkoff"@en .
<demand/ru-no-nato> a sg:Demand ; skos:prefLabel "No NATO membership for Ukraine"@en .
<plan/us-28> a sg:Plan ; skos:prefLabel "US 28-point plan"@en ; dcterms:issued "2025-11-20"^^xsd:date ;
    prov:wasAttributedTo <actor/us> .
<plan/geneva-19> a sg:Plan ; skos:prefLabel "Geneva framework"@en ; prov:wasRevisionOf <plan/us-28> .
<plan/us-28/7> a sg:PlanPoint ; skos:inScheme <plan/us-28> ; skos:notation "7" ;
    skos:prefLabel "NATO"@en ; sg:fulfils <demand/ru-no-nato> ; prov:wasDerivedFrom <source/st-2025-11-21> .
<plan/us-28/8> a sg:PlanPoint ; skos:inScheme <plan/us-28> ; skos:notation "8" ; skos:prefLabel "Jets"@en ;
    sg:droppedIn <plan/geneva-19> ; prov:wasDerivedFrom <source/st-2025-11-21> .
<plan/geneva-19/7> a sg:PlanPoint ; skos:inScheme <plan/geneva-19> ; skos:notation "7" ;
    skos:prefLabel "NATO"@en ; skos:exactMatch <plan/us-28/7> ; prov:wasDerivedFrom <source/st-2025-11-21> .
<issue/sanctions> a sg:Issue ; skos:prefLabel "Sanctions relief"@en .
<source/st-2025-11-21> a sg:Source ; dcterms:title "Kyiv weighs US plan" ; dcterms:publisher "Reuters" ;
    dcterms:issued "2025-11-21"^^xsd:date ; foaf:page <https://example.org/article> ; dcterms:type "article" ;
    dcterms:creator "A. Writer" ; sg:section "World" ; sg:fullText "The US plan: A good basis." .
<stance/us-endorses> a sg:Stance ; sg:actor <actor/us> ; sg:person <actor/witkoff> ; sg:target <plan/us-28> ;
    sg:stanceType sg:Endorses ; sg:statedOn "2025-11-20"^^xsd:date ;
    prov:wasDerivedFrom <source/st-2025-11-21> ; sg:quote "A good basis."@en ; sg:confidence 0.9 ;
    sg:agreement 1 ; sg:quoteStart 13 ; sg:quoteEnd 26 .
<actor/us> sg:category "government" ; sg:colour "#00CC00" .
<coder/ana> a sg:Coder ; skos:prefLabel "Ana" ; skos:altLabel "ana" .
<stance/ua-rejects> a sg:Stance ; sg:actor <actor/ua> ; sg:target <plan/us-28/7> ; sg:stanceType sg:Rejects ;
    sg:statedOn "2025-11-21"^^xsd:date ; prov:wasDerivedFrom <source/st-2025-11-21> ;
    sg:reportedBy <actor/us> ; sg:quote "plain string" ; sg:confidence 1.0 ;
    sg:statedAt "2025-11-21T10:00:00"^^xsd:dateTime ; sg:codedBy <coder/ana> .
<stance/ua-neutral> a sg:Stance ; sg:actor <actor/ua> ; sg:target <issue/sanctions> ;
    sg:stanceType sg:Neutral ;
    sg:statedOn "2025-11-22"^^xsd:date ; prov:wasDerivedFrom <source/st-2025-11-21> ;
    sg:contradicts <stance/ua-rejects> ; sg:confidence 0.0 .
<actor/us> sg:endorses <plan/us-28> .
<actor/ua> sg:rejects <plan/us-28/7> .
"""
)


def iri(short: str) -> URIRef:
    return URIRef(ID + short)


US_STANCE = iri("stance/us-endorses")
UA_STANCE = iri("stance/ua-rejects")
SOURCE = iri("source/st-2025-11-21")
MIN, MAX = SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent
CLASS, DATATYPE = SH.ClassConstraintComponent, SH.DatatypeConstraintComponent


@dataclass(frozen=True)
class Case:
    """A change to the valid data and the (focus node, path, constraint component) results it must give."""

    id: str
    drop: tuple[tuple[URIRef, URIRef], ...] = ()
    add: str = ""
    expect: frozenset[tuple[URIRef, URIRef, URIRef]] = field(default_factory=frozenset)


def case(id: str, *, drop=(), add: str = "", expect=()) -> Case:  # noqa: A002, ANN001
    return Case(id, tuple(drop), add, frozenset(expect))


CASES = [
    case("valid"),
    # stances
    case("stance missing actor", drop=[(US_STANCE, SG.actor)], expect=[(US_STANCE, SG.actor, MIN)]),
    case(
        "stance with two actors",
        add="<stance/us-endorses> sg:actor <actor/ua> .",
        expect=[(US_STANCE, SG.actor, MAX)],
    ),
    case(
        "actor is a demand",
        drop=[(US_STANCE, SG.actor)],
        add="<stance/us-endorses> sg:actor <demand/ru-no-nato> .",
        expect=[(US_STANCE, SG.actor, CLASS)],
    ),
    case(
        "actor unknown",
        drop=[(US_STANCE, SG.actor)],
        add="<stance/us-endorses> sg:actor <actor/nobody> .",
        expect=[(US_STANCE, SG.actor, CLASS)],
    ),
    case(
        "stance without source",
        drop=[(US_STANCE, PROV.wasDerivedFrom)],
        expect=[(US_STANCE, PROV.wasDerivedFrom, MIN)],
    ),
    case(
        "source not catalogued",
        drop=[(US_STANCE, PROV.wasDerivedFrom)],
        add="<stance/us-endorses> prov:wasDerivedFrom <source/unknown> .",
        expect=[(US_STANCE, PROV.wasDerivedFrom, CLASS)],
    ),
    case(
        "two sources",
        add="<stance/us-endorses> prov:wasDerivedFrom <source/st-2025-11-21b> .\n"
        '<source/st-2025-11-21b> a sg:Source ; dcterms:title "b" ; dcterms:publisher "AP" ;'
        ' dcterms:issued "2025-11-21"^^xsd:date .',
        expect=[(US_STANCE, PROV.wasDerivedFrom, MAX)],
    ),
    case("missing target", drop=[(UA_STANCE, SG.target)], expect=[(UA_STANCE, SG.target, MIN)]),
    case(
        "target untyped",
        drop=[(UA_STANCE, SG.target)],
        add="<stance/ua-rejects> sg:target <issue/unknown> .",
        expect=[(UA_STANCE, SG.target, CLASS)],
    ),
    case("missing stance type", drop=[(US_STANCE, SG.stanceType)], expect=[(US_STANCE, SG.stanceType, MIN)]),
    case(
        "unknown stance type",
        drop=[(US_STANCE, SG.stanceType)],
        add="<stance/us-endorses> sg:stanceType sg:Likes .",
        expect=[(US_STANCE, SG.stanceType, SH.InConstraintComponent)],
    ),
    case(
        "two stance types",
        add="<stance/us-endorses> sg:stanceType sg:Rejects .",
        expect=[(US_STANCE, SG.stanceType, MAX)],
    ),
    case("missing date", drop=[(US_STANCE, SG.statedOn)], expect=[(US_STANCE, SG.statedOn, MIN)]),
    # the time of day and the coder
    case(
        "time on another day",
        drop=[(UA_STANCE, SG.statedAt)],
        add='<stance/ua-rejects> sg:statedAt "2025-11-22T10:00:00"^^xsd:dateTime .',
        expect=[(UA_STANCE, SG.statedAt, SH.SPARQLConstraintComponent)],
    ),
    case(
        "time with a timezone on the day it names",
        drop=[(UA_STANCE, SG.statedAt)],
        add='<stance/ua-rejects> sg:statedAt "2025-11-21T23:30:00-05:00"^^xsd:dateTime .',
    ),
    case(
        "time written as a date",
        drop=[(UA_STANCE, SG.statedAt)],
        add='<stance/ua-rejects> sg:statedAt "2025-11-21"^^xsd:date .',
        expect=[(UA_STANCE, SG.statedAt, DATATYPE)],
    ),
    case(
        "two times",
        add='<stance/ua-rejects> sg:statedAt "2025-11-21T11:00:00"^^xsd:dateTime .',
        expect=[(UA_STANCE, SG.statedAt, MAX)],
    ),
    # where a quote stands in its document, and what coders say of sources, actors and targets
    case(
        "quote start without its end",
        drop=[(US_STANCE, SG.quoteEnd)],
        expect=[(US_STANCE, SG.quoteEnd, SH.SPARQLConstraintComponent)],
    ),
    case(
        "quote end without its start",
        drop=[(US_STANCE, SG.quoteStart)],
        expect=[(US_STANCE, SG.quoteStart, SH.SPARQLConstraintComponent)],
    ),
    case(
        "quote ending where it starts",
        drop=[(US_STANCE, SG.quoteEnd)],
        add="<stance/us-endorses> sg:quoteEnd 13 .",
        expect=[(US_STANCE, SG.quoteEnd, SH.SPARQLConstraintComponent)],
    ),
    case(
        "negative quote start",
        drop=[(US_STANCE, SG.quoteStart)],
        add="<stance/us-endorses> sg:quoteStart -1 .",
        expect=[(US_STANCE, SG.quoteStart, SH.MinInclusiveConstraintComponent)],
    ),
    case(
        "quote start as text",
        drop=[(US_STANCE, SG.quoteStart)],
        add='<stance/us-endorses> sg:quoteStart "13" .',
        expect=[
            (US_STANCE, SG.quoteStart, DATATYPE),
            (US_STANCE, SG.quoteStart, SH.MinInclusiveConstraintComponent),
        ],
    ),
    case(
        "two quote ends",
        add="<stance/us-endorses> sg:quoteEnd 27 .",
        expect=[(US_STANCE, SG.quoteEnd, MAX)],
    ),
    case(
        "quote position on a source",
        add="<source/st-2025-11-21> sg:quoteStart 1 ; sg:quoteEnd 2 .",
        expect=[(SOURCE, SG.quoteStart, CLASS), (SOURCE, SG.quoteEnd, CLASS)],
    ),
    case(
        "full text on an actor",
        add='<actor/us> sg:fullText "..." .',
        expect=[(iri("actor/us"), SG.fullText, CLASS)],
    ),
    case(
        "two sections",
        add='<source/st-2025-11-21> sg:section "Europe" .',
        expect=[(SOURCE, SG.section, MAX)],
    ),
    case(
        "an author as an IRI",
        drop=[(SOURCE, DCTERMS.creator)],
        add="<source/st-2025-11-21> dcterms:creator <actor/witkoff> .",
        expect=[(SOURCE, DCTERMS.creator, SH.NodeKindConstraintComponent)],
    ),
    case(
        "colour not written #RRGGBB",
        drop=[(iri("actor/us"), SG.colour)],
        add='<actor/us> sg:colour "green" .',
        expect=[(iri("actor/us"), SG.colour, SH.PatternConstraintComponent)],
    ),
    case(
        "two categories",
        add='<actor/us> sg:category "state" .',
        expect=[(iri("actor/us"), SG.category, MAX)],
    ),
    case("a category on a target", add='<issue/sanctions> sg:category "economy" ; sg:colour "#ff9900" .'),
    case(
        "an actor as the coder",
        drop=[(UA_STANCE, SG.codedBy)],
        add="<stance/ua-rejects> sg:codedBy <actor/us> .",
        expect=[(UA_STANCE, SG.codedBy, CLASS)],
    ),
    case(
        "two coders of one stance",
        add='<stance/ua-rejects> sg:codedBy <coder/ben> . <coder/ben> a sg:Coder ; skos:prefLabel "Ben" .',
        expect=[(UA_STANCE, SG.codedBy, MAX)],
    ),
    case(
        "a coder without a name",
        drop=[(iri("coder/ana"), SKOS.prefLabel)],
        expect=[(iri("coder/ana"), SKOS.prefLabel, MIN)],
    ),
    case(
        "a coder on an actor",
        add="<actor/ua> sg:codedBy <coder/ana> .",
        expect=[(iri("actor/ua"), SG.codedBy, CLASS)],
    ),
    case(
        "ill-typed date",
        drop=[(US_STANCE, SG.statedOn)],
        add='<stance/us-endorses> sg:statedOn "2025-13-45"^^xsd:date .',
        expect=[(US_STANCE, SG.statedOn, DATATYPE)],
    ),
    case(
        "date as text",
        drop=[(US_STANCE, SG.statedOn)],
        add='<stance/us-endorses> sg:statedOn "21 Nov 2025" .',
        expect=[(US_STANCE, SG.statedOn, DATATYPE)],
    ),
    case(
        "date as dateTime",
        drop=[(US_STANCE, SG.statedOn)],
        add='<stance/us-endorses> sg:statedOn "2025-11-21T10:00:00"^^xsd:dateTime .',
        expect=[(US_STANCE, SG.statedOn, DATATYPE)],
    ),
    case(
        "confidence 1.5",
        drop=[(US_STANCE, SG.confidence)],
        add="<stance/us-endorses> sg:confidence 1.5 .",
        expect=[(US_STANCE, SG.confidence, SH.MaxInclusiveConstraintComponent)],
    ),
    case(
        "confidence negative",
        drop=[(US_STANCE, SG.confidence)],
        add="<stance/us-endorses> sg:confidence -0.1 .",
        expect=[(US_STANCE, SG.confidence, SH.MinInclusiveConstraintComponent)],
    ),
    case(
        "confidence integer",
        drop=[(US_STANCE, SG.confidence)],
        add="<stance/us-endorses> sg:confidence 1 .",
        expect=[(US_STANCE, SG.confidence, DATATYPE)],
    ),
    case(
        "two confidences",
        add="<stance/us-endorses> sg:confidence 0.5 .",
        expect=[(US_STANCE, SG.confidence, MAX)],
    ),
    case(
        "quote is a number",
        drop=[(US_STANCE, SG.quote)],
        add="<stance/us-endorses> sg:quote 42 .",
        expect=[(US_STANCE, SG.quote, SH.OrConstraintComponent)],
    ),
    # the datatype rules hold on every node, not only on stances
    case(
        "confidence as text on an actor",
        add='<actor/us> sg:confidence "high" .',
        expect=[
            (iri("actor/us"), SG.confidence, DATATYPE),
            (iri("actor/us"), SG.confidence, SH.MinInclusiveConstraintComponent),
            (iri("actor/us"), SG.confidence, SH.MaxInclusiveConstraintComponent),
            (iri("actor/us"), SG.confidence, CLASS),  # and a confidence is said of a stance only
        ],
    ),
    case(
        "confidence above 1 on a plan",
        add="<plan/us-28> sg:confidence 2.0 .",
        expect=[
            (iri("plan/us-28"), SG.confidence, SH.MaxInclusiveConstraintComponent),
            (iri("plan/us-28"), SG.confidence, CLASS),
        ],
    ),
    case(
        "date as text on a source",
        add='<source/st-2025-11-21> sg:statedOn "yesterday" .',
        expect=[(SOURCE, SG.statedOn, DATATYPE), (SOURCE, SG.statedOn, CLASS)],
    ),
    # the domains: a property used on a node of the wrong kind, however well-formed its value
    case(
        "stance properties on an actor",
        add='<actor/ua> sg:confidence 0.5 ; sg:agreement 1 ; sg:quote "text"@en ; sg:actor <actor/us> .',
        expect=[(iri("actor/ua"), p, CLASS) for p in (SG.confidence, SG.agreement, SG.quote, SG.actor)],
    ),
    case(
        "stance property on an untyped node",
        add="<thing/x> sg:target <plan/us-28> .",
        expect=[(iri("thing/x"), SG.target, CLASS)],
    ),
    case(
        "point property on a plan",
        add="<plan/us-28> sg:fulfils <demand/ru-no-nato> .",
        expect=[(iri("plan/us-28"), SG.fulfils, CLASS)],
    ),
    case(
        "point count on a point",
        add="<plan/us-28/7> sg:pointCount 28 .",
        expect=[(iri("plan/us-28/7"), SG.pointCount, CLASS)],
    ),
    case(
        "direct edge from a stance",
        add="<stance/us-endorses> sg:endorses <plan/us-28> .",
        expect=[(US_STANCE, SG.endorses, CLASS)],
    ),
    case(
        "direct edge to an actor",
        add="<actor/us> sg:rejects <actor/ua> .",
        expect=[(iri("actor/us"), SG.rejects, CLASS)],
    ),
    case(
        "stance type code on an actor",
        add='<actor/us> sg:cameoCode "051" .',
        expect=[(iri("actor/us"), SG.cameoCode, CLASS)],
    ),
    case(
        "basis rule on a demand",
        add="<demand/ru-no-nato> sg:minConfidence 0.5 .",
        expect=[(iri("demand/ru-no-nato"), SG.minConfidence, CLASS)],
    ),
    case(
        "two quotes", add='<stance/us-endorses> sg:quote "Another."@en .', expect=[(US_STANCE, SG.quote, MAX)]
    ),
    case(
        "reporter is a literal",
        drop=[(UA_STANCE, SG.reportedBy)],
        add='<stance/ua-rejects> sg:reportedBy "Reuters" .',
        expect=[(UA_STANCE, SG.reportedBy, CLASS)],
    ),
    case(
        "two reporters",
        add="<stance/ua-rejects> sg:reportedBy <actor/g7> .",
        expect=[(UA_STANCE, SG.reportedBy, MAX)],
    ),
    case(
        "person is a state",
        drop=[(US_STANCE, SG.person)],
        add="<stance/us-endorses> sg:person <actor/ua> .",
        expect=[(US_STANCE, SG.person, CLASS)],
    ),
    case(
        "agreement as text",
        drop=[(US_STANCE, SG.agreement)],
        add='<stance/us-endorses> sg:agreement "yes" .',
        expect=[(US_STANCE, SG.agreement, DATATYPE)],
    ),
    case(
        "contradicts a plan",
        add="<stance/us-endorses> sg:contradicts <plan/us-28> .",
        expect=[(US_STANCE, SG.contradicts, CLASS)],
    ),
    # actors
    case(
        "actor without label",
        drop=[(iri("actor/ua"), SKOS.prefLabel)],
        expect=[(iri("actor/ua"), SKOS.prefLabel, MIN)],
    ),
    case(
        "actor with two labels",
        add='<actor/ua> skos:prefLabel "Ukraina"@pl .',
        expect=[(iri("actor/ua"), SKOS.prefLabel, MAX)],
    ),
    case(
        "actor label is an IRI",
        drop=[(iri("actor/ua"), SKOS.prefLabel)],
        add="<actor/ua> skos:prefLabel <https://example.org/ukraine> .",
        expect=[(iri("actor/ua"), SKOS.prefLabel, SH.OrConstraintComponent)],
    ),
    case(
        "member of a demand",
        add="<actor/ua> org:memberOf <demand/ru-no-nato> .",
        expect=[(iri("actor/ua"), ORG.memberOf, CLASS)],
    ),
    case(
        "label check reaches a typed Organization",
        add="<actor/eu> a sg:Organization .",
        expect=[(iri("actor/eu"), SKOS.prefLabel, MIN)],
    ),
    # plans and points
    case(
        "plan without label",
        drop=[(iri("plan/geneva-19"), SKOS.prefLabel)],
        expect=[(iri("plan/geneva-19"), SKOS.prefLabel, MIN)],
    ),
    case(
        "plan with two dates",
        add='<plan/us-28> dcterms:issued "2025-11-21"^^xsd:date .',
        expect=[(iri("plan/us-28"), DCTERMS.issued, MAX)],
    ),
    case(
        "plan revises a point",
        drop=[(iri("plan/geneva-19"), PROV.wasRevisionOf)],
        add="<plan/geneva-19> prov:wasRevisionOf <plan/us-28/7> .",
        expect=[(iri("plan/geneva-19"), PROV.wasRevisionOf, CLASS)],
    ),
    case(
        "plan drafted by a demand",
        add="<plan/us-28> prov:wasAttributedTo <demand/ru-no-nato> .",
        expect=[(iri("plan/us-28"), PROV.wasAttributedTo, CLASS)],
    ),
    case(
        "duplicate point notation in a plan",
        add='<plan/us-28/7-bis> a sg:PlanPoint ; skos:inScheme <plan/us-28> ; skos:notation "7" ;'
        ' skos:prefLabel "Duplicate"@en ; prov:wasDerivedFrom <source/st-2025-11-21> .',
        expect=[
            (iri("plan/us-28/7"), SKOS.notation, SH.SPARQLConstraintComponent),
            (iri("plan/us-28/7-bis"), SKOS.notation, SH.SPARQLConstraintComponent),
        ],
    ),
    case(
        "point without plan",
        drop=[(iri("plan/us-28/8"), SKOS.inScheme)],
        expect=[(iri("plan/us-28/8"), SKOS.inScheme, MIN)],
    ),
    case(
        "point in a non-plan scheme",
        drop=[(iri("plan/us-28/8"), SKOS.inScheme)],
        add="<plan/us-28/8> skos:inScheme sg:StanceTypes .",
        expect=[(iri("plan/us-28/8"), SKOS.inScheme, CLASS)],
    ),
    case(
        "point number is an integer",
        drop=[(iri("plan/us-28/8"), SKOS.notation)],
        add="<plan/us-28/8> skos:notation 8 .",
        expect=[(iri("plan/us-28/8"), SKOS.notation, DATATYPE)],
    ),
    case(
        "point without number",
        drop=[(iri("plan/us-28/8"), SKOS.notation)],
        expect=[(iri("plan/us-28/8"), SKOS.notation, MIN)],
    ),
    case(
        "point without title",
        drop=[(iri("plan/us-28/8"), SKOS.prefLabel)],
        expect=[(iri("plan/us-28/8"), SKOS.prefLabel, MIN)],
    ),
    case(
        "point fulfils a plan",
        add="<plan/us-28/8> sg:fulfils <plan/us-28> .",
        expect=[(iri("plan/us-28/8"), SG.fulfils, CLASS)],
    ),
    case(
        "point opposes an actor",
        add="<plan/us-28/8> sg:opposes <actor/ua> .",
        expect=[(iri("plan/us-28/8"), SG.opposes, CLASS)],
    ),
    case(
        "point dropped in a point",
        drop=[(iri("plan/us-28/8"), SG.droppedIn)],
        add="<plan/us-28/8> sg:droppedIn <plan/geneva-19/7> .",
        expect=[(iri("plan/us-28/8"), SG.droppedIn, CLASS)],
    ),
    # demands
    case(
        "demand without label",
        drop=[(iri("demand/ru-no-nato"), SKOS.prefLabel)],
        expect=[(iri("demand/ru-no-nato"), SKOS.prefLabel, MIN)],
    ),
    # sources
    case("source without title", drop=[(SOURCE, DCTERMS.title)], expect=[(SOURCE, DCTERMS.title, MIN)]),
    case(
        "source without publisher",
        drop=[(SOURCE, DCTERMS.publisher)],
        expect=[(SOURCE, DCTERMS.publisher, MIN)],
    ),
    case(
        "publisher is an IRI",
        drop=[(SOURCE, DCTERMS.publisher)],
        add="<source/st-2025-11-21> dcterms:publisher <https://www.reuters.com> .",
        expect=[(SOURCE, DCTERMS.publisher, SH.NodeKindConstraintComponent)],
    ),
    case("source without date", drop=[(SOURCE, DCTERMS.issued)], expect=[(SOURCE, DCTERMS.issued, MIN)]),
    case(
        "source date as text",
        drop=[(SOURCE, DCTERMS.issued)],
        add='<source/st-2025-11-21> dcterms:issued "Nov 21" .',
        expect=[(SOURCE, DCTERMS.issued, DATATYPE)],
    ),
    case(
        "page as a string",
        drop=[(SOURCE, FOAF.page)],
        add='<source/st-2025-11-21> foaf:page "https://example.org/article" .',
        expect=[(SOURCE, FOAF.page, SH.NodeKindConstraintComponent)],
    ),
    case(
        "two pages",
        add="<source/st-2025-11-21> foaf:page <https://example.org/other> .",
        expect=[(SOURCE, FOAF.page, MAX)],
    ),
    # several problems at once are all reported
    case(
        "several problems",
        drop=[(US_STANCE, SG.actor), (SOURCE, DCTERMS.title)],
        add="<stance/ua-rejects> sg:confidence 2.0 .",
        expect=[
            (US_STANCE, SG.actor, MIN),
            (SOURCE, DCTERMS.title, MIN),
            (UA_STANCE, SG.confidence, MAX),
            (UA_STANCE, SG.confidence, SH.MaxInclusiveConstraintComponent),
        ],
    ),
]


def data_for(c: Case) -> Graph:
    graph = Graph().parse(data=VALID, format="turtle")
    for subject, predicate in c.drop:
        assert (subject, predicate, None) in graph, f"case {c.id!r} drops a triple that is not there"
        graph.remove((subject, predicate, None))
    if c.add:
        graph.parse(data=HEADER + c.add, format="turtle")
    return graph


def results(data: Graph, shapes: Graph, *, ontology: Graph | None) -> list[dict]:
    """Validate ``data`` (merged with ``ontology`` if given) and return one dict per result."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        found.append(
            {
                p: report.value(result, p)
                for p in (
                    SH.focusNode,
                    SH.resultPath,
                    SH.sourceConstraintComponent,
                    SH.sourceShape,
                    SH.sourceConstraint,
                    SH.resultMessage,
                    SH.resultSeverity,
                )
            }
        )
    return found


@pytest.fixture(scope="module")
def merged_ontology() -> Graph:
    return ontology_graph()


def result_path(r: dict, shapes: Graph) -> URIRef | None:
    """The result's path; for a domain rule (a node shape, no path) the property whose subjects it targets."""
    return r[SH.resultPath] or shapes.value(r[SH.sourceShape], SH.targetSubjectsOf)


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_validation(c: Case, shapes: Graph, merged_ontology: Graph) -> None:
    found = results(data_for(c), shapes, ontology=merged_ontology)
    triples = [(r[SH.focusNode], result_path(r, shapes), r[SH.sourceConstraintComponent]) for r in found]
    assert len(triples) == len(set(triples)), triples
    assert set(triples) == c.expect
    for r in found:
        assert r[SH.resultSeverity] == SH.Violation
        # Each result carries the message written for the rule that fired.
        rule = r[SH.sourceConstraint] or r[SH.sourceShape]
        template = str(shapes.value(rule, SH.message))
        message = str(r[SH.resultMessage])
        assert message == template.replace("{?value}", "7"), (message, template)


def test_subclasses_need_the_ontology(shapes: Graph, merged_ontology: Graph) -> None:
    data = data_for(CASES[0])
    assert results(data, shapes, ontology=merged_ontology) == []
    # Without the subclass axioms an sg:State is not an sg:Actor, a plan point not an sg:Target, and the
    # instance-only typed nodes escape their shapes: the merge is what makes subclassing work.
    bare = {
        (r[SH.focusNode], r[SH.resultPath], r[SH.sourceConstraintComponent])
        for r in results(data, shapes, ontology=None)
    }
    assert (US_STANCE, SG.actor, CLASS) in bare
    assert (US_STANCE, SG.target, CLASS) in bare
    assert (UA_STANCE, SG.reportedBy, CLASS) in bare
    assert all(component == CLASS for _, _, component in bare)


def test_state_accepted_as_actor_through_subclassing(shapes: Graph, merged_ontology: Graph) -> None:
    data = Graph().parse(
        data=HEADER
        + """
        <actor/fr> a sg:State ; skos:prefLabel "France"@en .
        <actor/nato> a sg:Coalition ; skos:prefLabel "NATO"@en .
        <actor/fr> org:memberOf <actor/nato> .
        <demand/x> a sg:Demand ; skos:prefLabel "X"@en .
        <source/s> a sg:Source ; dcterms:title "t" ; dcterms:publisher "p" ;
            dcterms:issued "2025-11-23"^^xsd:date .
        <stance/s> a sg:Stance ; sg:actor <actor/fr> ; sg:reportedBy <actor/nato> ; sg:target <demand/x> ;
            sg:stanceType sg:Demands ; sg:statedOn "2025-11-23"^^xsd:date ; prov:wasDerivedFrom <source/s> .
    """,
        format="turtle",
    )
    assert results(data, shapes, ontology=merged_ontology) == []
    # and the actor rules reach the subclass instances: drop the State's label and it is reported.
    data.remove((iri("actor/fr"), SKOS.prefLabel, None))
    found = results(data, shapes, ontology=merged_ontology)
    assert [(r[SH.focusNode], r[SH.resultPath], r[SH.sourceConstraintComponent]) for r in found] == [
        (iri("actor/fr"), SKOS.prefLabel, MIN)
    ]
    assert "exactly one skos:prefLabel" in str(found[0][SH.resultMessage])

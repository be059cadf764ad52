"""The data the validation tests check: a small valid data set and the ways to break it."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from stancegraph.ontology.namespaces import DCTERMS_NS, ID_NS, PROV_NS, SG_NS, SKOS_NS

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def sg(local: str) -> NamedNode:
    return NamedNode(SG_NS + local)


def node(path: str) -> NamedNode:
    return NamedNode(ID_NS + path)


def lit(value: str, datatype: str | None = None, language: str | None = None) -> Literal:
    if language:
        return Literal(value, language=language)
    return Literal(value, datatype=NamedNode(XSD + datatype)) if datatype else Literal(value)


LABEL, ALT = NamedNode(SKOS_NS + "prefLabel"), NamedNode(SKOS_NS + "altLabel")
US, UA, POINT, PLAN = node("actor/us"), node("actor/ua"), node("issue/ceasefire"), node("plan/p")
SRC, STANCE = node("source/s"), node("stance/one")


def base() -> list[Quad]:
    """A small valid data set: two actors, an issue, a catalogued source and a stance in its graph."""
    return [
        Quad(US, RDF_TYPE, sg("State")),
        Quad(US, LABEL, lit("United States", language="en")),
        Quad(UA, RDF_TYPE, sg("Person")),
        Quad(UA, LABEL, lit("A person", language="en")),
        Quad(POINT, RDF_TYPE, sg("Issue")),
        Quad(POINT, LABEL, lit("Ceasefire", language="en")),
        Quad(SRC, RDF_TYPE, sg("Source")),
        Quad(SRC, NamedNode(DCTERMS_NS + "title"), lit("A report")),
        Quad(SRC, NamedNode(DCTERMS_NS + "publisher"), lit("Reuters")),
        Quad(SRC, NamedNode(DCTERMS_NS + "issued"), lit("2025-11-21", "date")),
        *stance_quads(STANCE),
    ]


def stance_quads(stance: NamedNode, graph: NamedNode = SRC) -> list[Quad]:
    return [
        Quad(stance, RDF_TYPE, sg("Stance"), graph),
        Quad(stance, sg("actor"), US, graph),
        Quad(stance, sg("target"), POINT, graph),
        Quad(stance, sg("stanceType"), sg("Endorses"), graph),
        Quad(stance, sg("statedOn"), lit("2025-11-21", "date"), graph),
        Quad(stance, NamedNode(PROV_NS + "wasDerivedFrom"), graph, graph),
        Quad(stance, sg("confidence"), lit("0.8", "decimal"), graph),
        Quad(stance, sg("person"), UA, graph),
        Quad(US, sg("endorses"), POINT, graph),
    ]


def without(quads: list[Quad], predicate: NamedNode, subject: NamedNode = STANCE) -> list[Quad]:
    return [q for q in quads if not (q.subject == subject and q.predicate == predicate)]


def replaced(
    quads: list[Quad], predicate: NamedNode, value: object, subject: NamedNode = STANCE
) -> list[Quad]:
    graph = next(q.graph_name for q in quads if q.subject == subject and q.predicate == predicate)
    return [*without(quads, predicate, subject), Quad(subject, predicate, value, graph)]  # type: ignore[arg-type]


def plan_points(second_notation: str) -> list[Quad]:
    notation, in_scheme = NamedNode(SKOS_NS + "notation"), NamedNode(SKOS_NS + "inScheme")
    quads = [Quad(PLAN, RDF_TYPE, sg("Plan")), Quad(PLAN, LABEL, lit("Plan", language="en"))]
    for number, text in (("1", "1"), ("2", second_notation)):
        point = node(f"plan/p/{number}")
        quads += [
            Quad(point, RDF_TYPE, sg("PlanPoint")),
            Quad(point, in_scheme, PLAN),
            Quad(point, notation, lit(text)),
            Quad(point, LABEL, lit(f"Point {number}", language="en")),
            Quad(point, NamedNode(PROV_NS + "wasDerivedFrom"), SRC),
        ]
    return quads


def keys(violations: list) -> set[tuple[str | None, str | None, str | None]]:
    return {(v.node, v.path, v.rule) for v in violations}

"""The SHACL shapes compiled to SPARQL: nothing skipped, same verdicts as pyshacl, context from the store."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad
from rdflib import Graph, URIRef

from stancegraph.graph.store import Store
from stancegraph.graph.validation import (
    COMPONENTS,
    ShapeCompileError,
    compile_shapes,
    compiled_shapes,
    validate,
    validate_with_pyshacl,
)
from stancegraph.ontology import shapes_graph
from stancegraph.ontology.namespaces import DCTERMS_NS, FOAF_NS, ID_NS, PROV_NS, SG_NS, SKOS_NS

SH = "http://www.w3.org/ns/shacl#"
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
        ]
    return quads


CASES = {
    "valid": base(),
    "valid points": base() + plan_points("2"),
    "no actor": without(base(), sg("actor")),
    "two actors": [*base(), Quad(STANCE, sg("actor"), UA, SRC)],
    "actor not an actor": replaced(base(), sg("actor"), POINT),
    "actor unknown": replaced(base(), sg("actor"), node("actor/nobody")),
    "date as string": replaced(base(), sg("statedOn"), lit("2025-11-21")),
    "date that does not exist": replaced(base(), sg("statedOn"), lit("2025-02-30", "date")),
    "no date": without(base(), sg("statedOn")),
    "stance type not in list": replaced(base(), sg("stanceType"), sg("Maybe")),
    "confidence above 1": replaced(base(), sg("confidence"), lit("1.5", "decimal")),
    "confidence as double": replaced(base(), sg("confidence"), lit("0.5", "double")),
    "quote as IRI": [*base(), Quad(STANCE, sg("quote"), US, SRC)],
    "valid quote with language": [*base(), Quad(STANCE, sg("quote"), lit("oui", language="fr"), SRC)],
    "person is a state": replaced(base(), sg("person"), US),
    "source not catalogued": without(base(), RDF_TYPE, SRC),
    "no source": without(base(), NamedNode(PROV_NS + "wasDerivedFrom")),
    "two labels": [*base(), Quad(US, LABEL, lit("USA", language="en"))],
    "label as number": replaced(base(), LABEL, lit("7", "integer"), US),
    "alt label as IRI": [*base(), Quad(US, ALT, UA)],
    "publisher as IRI": replaced(base(), NamedNode(DCTERMS_NS + "publisher"), US, SRC),
    "page as string": [*base(), Quad(SRC, NamedNode(FOAF_NS + "page"), lit("https://example.org"))],
    "agreement as string": [*base(), Quad(STANCE, sg("agreement"), lit("one"), SRC)],
    "duplicate point number": base() + plan_points("1"),
    "contradicts a non-stance": [*base(), Quad(STANCE, sg("contradicts"), US, SRC)],
    "stance in default graph without date": [
        q for q in [Quad(q.subject, q.predicate, q.object) for q in base()] if q.predicate != sg("statedOn")
    ],
}


def keys(violations: list) -> set[tuple[str | None, str | None, str | None]]:
    return {(v.node, v.path, v.rule) for v in violations}


@pytest.mark.parametrize("case", list(CASES))
def test_compiled_shapes_agree_with_pyshacl(case: str) -> None:
    quads = CASES[case]
    ours, reference = validate(quads), validate_with_pyshacl(quads)
    assert keys(ours) == keys(reference)
    assert (not ours) == case.startswith("valid"), ours


def test_violations_name_node_property_rule_and_message() -> None:
    found = validate(replaced(base(), sg("confidence"), lit("1.5", "decimal")))
    assert [(v.node, v.path, v.rule, v.value) for v in found] == [
        (STANCE.value, SG_NS + "confidence", "sh:maxInclusive", "1.5")
    ]
    assert "between 0 and 1" in found[0].message
    assert STANCE.value in str(found[0]) and SG_NS + "confidence" in str(found[0])


def test_sparql_message_is_filled_in() -> None:
    found = validate(plan_points("1"))
    assert {v.rule for v in found} == {"sh:sparql"}
    assert {v.node for v in found} == {ID_NS + "plan/p/1", ID_NS + "plan/p/2"}
    assert all("skos:notation 1;" in v.message and v.path == SKOS_NS + "notation" for v in found)


def _shape_rules(graph: Graph) -> set[tuple[str, str]]:
    """(shape, rule) for every constraint in a shapes graph, read independently of the compiler."""
    sh = lambda local: URIRef(SH + local)  # noqa: E731
    params = (
        "minCount",
        "maxCount",
        "class",
        "datatype",
        "nodeKind",
        "in",
        "minInclusive",
        "maxInclusive",
        "pattern",
        "or",
    )
    expected = set()
    for prop in set(graph.objects(None, sh("property"))):
        for param in params:
            for value in graph.objects(prop, sh(param)):
                if param == "minCount" and value.toPython() == 0:
                    continue
                expected.add((str(prop), f"sh:{param}"))
        if any(v.toPython() is True for v in graph.objects(prop, sh("uniqueLang"))):
            expected.add((str(prop), "sh:uniqueLang"))
    for constraint in graph.objects(None, sh("sparql")):
        expected.add((str(constraint), "sh:sparql"))
    return expected


def test_shipped_shapes_compile_with_nothing_skipped() -> None:
    graph = shapes_graph()
    compiled = compile_shapes(graph)
    compiled_rules = {(c.shape, c.rule) for c in compiled.constraints}
    expected = _shape_rules(graph)
    assert expected and compiled_rules == expected
    assert len(compiled.constraints) == len(expected)  # each property shape has one target class
    assert {c.rule for c in compiled.constraints} <= set(COMPONENTS)
    # every SPARQL-constrained class is known, so ingest can tell which classes are checked row by row
    assert compiled.sparql_classes == {SG_NS + "PlanPoint"}
    assert compiled.predicates is not None and SKOS_NS + "inScheme" in compiled.predicates
    assert compiled.sparql_predicates == {SKOS_NS + "inScheme", SKOS_NS + "notation"}


HEAD = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sg: <https://w3id.org/stancegraph/ontology#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

REFUSED = {
    "sh:targetNode": "ex:S a sh:NodeShape ; sh:targetNode ex:a ; "
    "sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "sh:node": "ex:S a sh:NodeShape ; sh:targetClass sg:Actor ; sh:node ex:T .",
    "sh:closed": "ex:S a sh:NodeShape ; sh:targetClass sg:Actor ; sh:closed true .",
    "sh:hasValue": "ex:S a sh:NodeShape ; sh:targetClass sg:Actor ; "
    "sh:property [ sh:path ex:p ; sh:hasValue 1 ] .",
    "complex sh:path": "ex:S a sh:NodeShape ; sh:targetClass sg:Actor ; "
    "sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
    "sh:or": "ex:S a sh:NodeShape ; sh:targetClass sg:Actor ; "
    "sh:property [ sh:path ex:p ; sh:or ( [ sh:class sg:Actor ] ) ] .",
    "sh:severity": "ex:S a sh:NodeShape ; sh:targetClass sg:Actor ; "
    "sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ] .",
    "no sh:targetClass": "ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "GRAPH": "ex:S a sh:NodeShape ; sh:targetClass sg:Actor ; sh:sparql [ sh:select "
    '"SELECT $this WHERE { GRAPH ?g { $this ex:p ?o } }" ] .',
    "$shapesGraph": "ex:S a sh:NodeShape ; sh:targetClass sg:Actor ; sh:sparql [ sh:select "
    '"SELECT $this WHERE { $this ex:p ?o . FILTER(?o = $shapesGraph) }" ] .',
    "sh:targetSubjectsOf": "ex:S sh:targetSubjectsOf ex:p .",
}


@pytest.mark.parametrize("construct", list(REFUSED))
def test_unsupported_constructs_are_refused_by_name(construct: str) -> None:
    graph = Graph().parse(data=HEAD + REFUSED[construct], format="turtle")
    with pytest.raises(ShapeCompileError) as caught:
        compile_shapes(graph)
    assert construct in str(caught.value)


def test_supported_extras_compile_and_run() -> None:
    shapes = Graph().parse(
        data=HEAD
        + """
ex:S a sh:NodeShape ; sh:targetClass sg:Actor ;
  sh:property [ sh:path ex:code ; sh:pattern "^[A-Z]{2}$" ; sh:flags "i" ; sh:maxLength 2 ] ,
              [ sh:path ex:name ; sh:uniqueLang true ; sh:minCount 2 ] ,
              [ sh:path ex:size ; sh:minExclusive 0 ; sh:maxExclusive 10 ] ,
              [ sh:path ex:off ; sh:minCount 1 ; sh:deactivated true ] .
""",
        format="turtle",
    )
    ex = "https://example.org/"
    data = [
        Quad(US, RDF_TYPE, sg("Actor")),
        Quad(US, NamedNode(ex + "code"), lit("usa")),
        Quad(US, NamedNode(ex + "name"), lit("a", language="en")),
        Quad(US, NamedNode(ex + "name"), lit("b", language="EN")),
        Quad(US, NamedNode(ex + "size"), lit("10", "integer")),
        Quad(UA, RDF_TYPE, sg("Actor")),
        Quad(UA, NamedNode(ex + "code"), lit("ua")),
        Quad(UA, NamedNode(ex + "name"), lit("c", language="en")),
        Quad(UA, NamedNode(ex + "size"), lit("3", "integer")),
    ]
    ours = validate(data, shapes=compile_shapes(shapes))
    assert keys(ours) == keys(validate_with_pyshacl(data, shapes=shapes))
    assert {(v.node, v.rule) for v in ours} == {
        (US.value, "sh:pattern"),
        (US.value, "sh:maxLength"),
        (US.value, "sh:uniqueLang"),
        (US.value, "sh:maxExclusive"),
        (UA.value, "sh:minCount"),
    }


def test_compiled_shapes_are_cached() -> None:
    assert compiled_shapes() is compiled_shapes()


# -- context from the target store ------------------------------------------------------------------


def test_stance_pointing_to_existing_nodes_passes(store: Store) -> None:
    reference = [q for q in base() if q.subject in (US, UA, POINT, SRC)]
    store.load(reference)
    stance = stance_quads(node("stance/two"))
    assert validate(stance) != []  # alone, its actor, target, person and source are unknown
    assert validate(stance, against=store) == []


def test_unknown_reference_fails_against_store(store: Store) -> None:
    store.load([q for q in base() if q.subject in (US, UA, POINT, SRC)])
    stance = replaced(stance_quads(STANCE), sg("actor"), node("actor/nobody"))
    found = validate(stance, against=store)
    assert keys(found) == {(STANCE.value, SG_NS + "actor", "sh:class")}


def test_old_problems_are_not_the_new_data_s(store: Store) -> None:
    # an existing actor without a label: pointing at it, or adding a direct edge to it, is fine
    store.load([Quad(US, RDF_TYPE, sg("State")), *[q for q in base() if q.subject in (UA, POINT, SRC)]])
    assert validate(stance_quads(STANCE), against=store) == []
    # but a write that touches the broken property is refused
    found = validate([Quad(US, ALT, lit("USA", language="en"))], against=store)
    assert found == [] and validate([Quad(US, LABEL, lit(""))], against=store) == []
    second = validate([Quad(US, LABEL, lit("a")), Quad(US, LABEL, lit("b"))], against=store)
    assert keys(second) == {(US.value, SKOS_NS + "prefLabel", "sh:maxCount")}


def test_extending_an_existing_node_is_checked_with_its_triples(store: Store) -> None:
    store.load([q for q in base() if q.subject == US])
    found = validate([Quad(US, LABEL, lit("USA", language="en"))], against=store)
    assert keys(found) == {(US.value, SKOS_NS + "prefLabel", "sh:maxCount")}
    assert validate([Quad(US, ALT, lit("USA", language="en"))], against=store) == []


def test_validate_accepts_a_pyoxigraph_store() -> None:
    from pyoxigraph import Store as OxStore

    data = OxStore()
    data.extend(without(base(), sg("target")))
    assert keys(validate(data)) == {(STANCE.value, SG_NS + "target", "sh:minCount")}

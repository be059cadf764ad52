"""Compiling the shapes: nothing skipped, anything outside the subset refused by name, compiled once."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, Quad
from rdflib import Graph, URIRef

from stancegraph.graph.validation import (
    COMPONENTS,
    ShapeCompileError,
    compile_shapes,
    compiled_shapes,
    validate,
    validate_with_pyshacl,
)
from stancegraph.ontology import shapes_graph
from stancegraph.ontology.namespaces import SG_NS, SKOS_NS

from .quads import RDF_TYPE, UA, US, keys, lit, sg

SH = "http://www.w3.org/ns/shacl#"


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
    for prop in set(graph.objects(None, sh("property"))) | set(graph.subjects(sh("targetSubjectsOf"), None)):
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
    assert len(compiled.constraints) == len(expected)  # each property shape has one target
    assert {c.rule for c in compiled.constraints} <= set(COMPONENTS)
    # every SPARQL-constrained class is known, so ingest can tell which classes are checked row by row
    assert compiled.sparql_classes == {SG_NS + "PlanPoint", SG_NS + "Stance"}
    assert compiled.predicates is not None and SKOS_NS + "inScheme" in compiled.predicates
    rules = {SG_NS + p for p in ("minConfidence", "maxConfidence", "requiresQuote")}
    stance_own = {
        SG_NS + p for p in ("basis", "confidence", "quote", "quoteEnd", "quoteStart", "statedAt", "statedOn")
    }
    assert compiled.sparql_predicates == {SKOS_NS + "inScheme", SKOS_NS + "notation"} | rules | stance_own
    # the stance constraints read other nodes only through the ontology's rules (each basis's range)
    assert compiled.sparql_reach[SG_NS + "Stance"].off_focus == rules
    assert compiled.sparql_reach[SG_NS + "PlanPoint"].off_focus == {
        SKOS_NS + "inScheme",
        SKOS_NS + "notation",
    }


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
    "sh:targetObjectsOf": "ex:S sh:targetObjectsOf ex:p ; sh:path ex:p ; sh:datatype xsd:string .",
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


def test_subjects_of_a_property_are_checked_whatever_their_class() -> None:
    shapes = Graph().parse(
        data=HEAD
        + """
ex:T sh:targetSubjectsOf ex:code ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ] ,
  [ sh:path ex:code ; sh:maxCount 1 ; sh:datatype xsd:integer ] .
""",
        format="turtle",
    )
    ex = "https://example.org/"
    data = [
        Quad(US, RDF_TYPE, sg("Actor")),
        Quad(US, NamedNode(ex + "code"), lit("1", "integer")),
        Quad(US, NamedNode(ex + "code"), lit("x")),
        Quad(UA, NamedNode(ex + "code"), lit("2", "integer")),  # no class at all
        Quad(UA, NamedNode(ex + "name"), lit("7", "integer")),
        Quad(NamedNode(ex + "other"), NamedNode(ex + "name"), lit("7", "integer")),  # no ex:code: no target
    ]
    ours = validate(data, shapes=compile_shapes(shapes))
    assert keys(ours) == keys(validate_with_pyshacl(data, shapes=shapes))
    assert {(v.node, v.path.removeprefix(ex), v.rule) for v in ours} == {
        (US.value, "name", "sh:minCount"),
        (US.value, "code", "sh:maxCount"),
        (US.value, "code", "sh:datatype"),
        (UA.value, "name", "sh:datatype"),
    }
    compiled = compile_shapes(shapes)
    assert {c.target_subjects_of for c in compiled.constraints} == {ex + "code"}
    assert {c.target_class for c in compiled.constraints} == {None}


def test_a_node_level_class_on_the_subjects_of_a_property_is_its_domain() -> None:
    shapes = Graph().parse(
        data=HEAD
        + """
ex:D a sh:NodeShape ; sh:targetSubjectsOf ex:score ; sh:class sg:Stance ; sh:message "not a stance" .
ex:E a sh:NodeShape ; sh:targetSubjectsOf ex:rank ; sh:class sg:Stance .
ex:F a sh:NodeShape ; sh:targetSubjectsOf ex:member ; sh:class sg:Actor .
""",
        format="turtle",
    )
    ex = "https://example.org/"
    score, rank, member = (NamedNode(ex + p) for p in ("score", "rank", "member"))
    stance, other = NamedNode(ex + "stance"), NamedNode(ex + "other")
    data = [
        Quad(stance, RDF_TYPE, sg("Stance")),
        Quad(stance, score, lit("1", "integer")),  # a stance: fine
        Quad(US, RDF_TYPE, sg("State")),
        Quad(US, score, lit("1", "integer")),  # a state is no stance
        Quad(US, rank, lit("1", "integer")),
        Quad(US, member, UA),  # a State is an Actor, through the subclass axioms
        Quad(other, score, lit("2", "integer")),  # no class at all
    ]
    compiled = compile_shapes(shapes)
    ours = validate(data, shapes=compiled)
    assert keys(ours) == keys(validate_with_pyshacl(data, shapes=shapes))
    assert {(v.node, v.path, v.rule) for v in ours} == {
        (US.value, ex + "score", "sh:class"),
        (US.value, ex + "rank", "sh:class"),
        (other.value, ex + "score", "sh:class"),
    }
    assert {v.message for v in ours if v.path == ex + "score"} == {"not a stance"}
    # the node-level rules on one class share one query
    assert sum(1 for q in compiled.queries if "MINUS" in q.sparql) == 2

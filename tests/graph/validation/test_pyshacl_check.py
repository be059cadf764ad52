"""The shapes compiled to SPARQL give the same verdicts as pyshacl, the reference implementation."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, Quad

from stancegraph.graph.store import Store
from stancegraph.graph.validation import validate, validate_with_pyshacl
from stancegraph.ontology.namespaces import DCTERMS_NS, FOAF_NS, PROV_NS

from .quads import (
    ALT,
    LABEL,
    POINT,
    RDF_TYPE,
    SRC,
    STANCE,
    UA,
    US,
    base,
    keys,
    lit,
    node,
    plan_points,
    replaced,
    sg,
    without,
)

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
    # the datatype rules hold on every node that uses the property, not only on stances
    "confidence as text on an actor": [*base(), Quad(US, sg("confidence"), lit("high"))],
    "confidence above 1 on a source": [*base(), Quad(SRC, sg("confidence"), lit("1.5", "decimal"))],
    "date as string on an actor": [*base(), Quad(UA, sg("statedOn"), lit("2025-11-21"))],
    "agreement as string on an issue": [*base(), Quad(POINT, sg("agreement"), lit("one"))],
    "quote as IRI on an untyped node": [*base(), Quad(node("thing/x"), sg("quote"), US)],
    # the domains: a property used on a node of the wrong kind, and the object ranges on every subject
    "confidence on an actor": [*base(), Quad(US, sg("confidence"), lit("0.5", "decimal"))],
    "stance actor on an actor": [*base(), Quad(US, sg("actor"), UA)],
    "stance type on an untyped node": [*base(), Quad(node("thing/x"), sg("stanceType"), sg("Maybe"))],
    "contradicts from an actor": [*base(), Quad(US, sg("contradicts"), STANCE)],
    "basis rule on a stance": [*base(), Quad(STANCE, sg("minConfidence"), lit("0.5", "decimal"), SRC)],
    "point fulfils an actor": base() + plan_points("2") + [Quad(node("plan/p/1"), sg("fulfils"), US)],
    "plan fulfils an issue": base() + plan_points("2") + [Quad(node("plan/p"), sg("fulfils"), POINT)],
    "point count on an issue": [*base(), Quad(POINT, sg("pointCount"), lit("3", "integer"))],
    "direct edge to an actor": [*base(), Quad(US, sg("endorses"), UA, SRC)],
    "direct edge from an untyped node": [*base(), Quad(node("thing/x"), sg("rejects"), POINT, SRC)],
    "stance type code on a source": [*base(), Quad(SRC, sg("cameoCode"), lit("051"))],
    "valid stance type codes": [
        *base(),
        Quad(sg("Endorses"), RDF_TYPE, sg("StanceType")),
        Quad(sg("Endorses"), sg("cameoCode"), lit("051")),
        Quad(sg("Endorses"), sg("directEdge"), sg("endorses")),
    ],
    "valid basis": [*base(), Quad(STANCE, sg("basis"), sg("ReportedSpeech"), SRC)],
    "valid quoted basis": replaced(
        [*base(), Quad(STANCE, sg("basis"), sg("Quoted"), SRC), Quad(STANCE, sg("quote"), lit("yes"), SRC)],
        sg("confidence"),
        lit("0.95", "decimal"),
    ),
    "valid basis without confidence": without(
        [*base(), Quad(STANCE, sg("basis"), sg("Inferred"), SRC)], sg("confidence")
    ),
    "confidence above its basis": [*base(), Quad(STANCE, sg("basis"), sg("Inferred"), SRC)],
    "confidence below its basis": [*base(), Quad(STANCE, sg("basis"), sg("Quoted"), SRC)],
    "quoted basis without quote": replaced(
        [*base(), Quad(STANCE, sg("basis"), sg("Quoted"), SRC)], sg("confidence"), lit("0.9", "decimal")
    ),
    "basis not in list": [*base(), Quad(STANCE, sg("basis"), sg("Hearsay"), SRC)],
    "two bases": [
        *base(),
        Quad(STANCE, sg("basis"), sg("ReportedSpeech"), SRC),
        Quad(STANCE, sg("basis"), sg("Inferred"), SRC),
    ],
    "point without source": without(
        base() + plan_points("2"), NamedNode(PROV_NS + "wasDerivedFrom"), node("plan/p/1")
    ),
    "valid partial plan": base()
    + plan_points("2")
    + [
        Quad(node("plan/p"), sg("pointCount"), lit("19", "integer")),
        Quad(node("plan/p"), sg("partialText"), lit("true", "boolean")),
    ],
    "point count as string": base() + plan_points("2") + [Quad(node("plan/p"), sg("pointCount"), lit("19"))],
    "stance in default graph without date": [
        q for q in [Quad(q.subject, q.predicate, q.object) for q in base()] if q.predicate != sg("statedOn")
    ],
}


@pytest.mark.parametrize("case", list(CASES))
def test_compiled_shapes_agree_with_pyshacl(case: str) -> None:
    quads = CASES[case]
    ours, reference = validate(quads), validate_with_pyshacl(quads)
    assert keys(ours) == keys(reference)
    assert (not ours) == case.startswith("valid"), ours


#: New data for a store that holds ``base()``: what an incremental check (a write, a chunk) sees.
WRITES = {
    "confidence as text on an existing actor": [Quad(US, sg("confidence"), lit("high"))],
    "confidence as text on a new node": [Quad(node("actor/x"), sg("confidence"), lit("high"))],
    "date as string on an existing source": [Quad(SRC, sg("statedOn"), lit("2025-11-21"))],
    "agreement on an existing actor": [Quad(US, sg("agreement"), lit("1", "integer"))],
    "confidence on an existing actor": [Quad(US, sg("confidence"), lit("0.5", "decimal"))],
    "opposes on an existing issue": [Quad(POINT, sg("opposes"), POINT)],
    "direct edge from an existing actor to an existing actor": [Quad(UA, sg("rejects"), US, SRC)],
    "valid quote on an existing stance": [Quad(STANCE, sg("quote"), lit("yes"), SRC)],
    "valid direct edge from an existing actor": [Quad(UA, sg("rejects"), POINT, SRC)],
}


@pytest.mark.parametrize("case", list(WRITES))
def test_incremental_checks_agree_with_pyshacl(case: str, store: Store) -> None:
    store.load(base())
    ours = validate(WRITES[case], against=store)
    assert keys(ours) == keys(validate_with_pyshacl(WRITES[case], against=store))
    assert (not ours) == case.startswith("valid"), ours
    assert {v.node for v in ours} <= {WRITES[case][0].subject.value}

"""The staging store takes its context from the target store: what the new data points to or extends."""

from __future__ import annotations

from pyoxigraph import Quad

from stancegraph.graph.store import Store
from stancegraph.graph.validation import validate
from stancegraph.ontology.namespaces import SG_NS, SKOS_NS

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
    replaced,
    sg,
    stance_quads,
    without,
)

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

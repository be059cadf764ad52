"""What a violation reports: the node, the property, the rule, the value and the shape's message."""

from __future__ import annotations

from pyoxigraph import Quad

from stancegraph.graph.validation import validate
from stancegraph.ontology.namespaces import ID_NS, SG_NS, SKOS_NS

from .quads import SRC, STANCE, base, lit, plan_points, replaced, sg


def test_violations_name_node_property_rule_and_message() -> None:
    found = validate(replaced(base(), sg("confidence"), lit("1.5", "decimal")))
    assert [(v.node, v.path, v.rule, v.value) for v in found] == [
        (STANCE.value, SG_NS + "confidence", "sh:maxInclusive", "1.5")
    ]
    assert "between 0 and 1" in found[0].message
    assert STANCE.value in str(found[0]) and SG_NS + "confidence" in str(found[0])


def test_sparql_message_is_filled_in() -> None:
    found = validate(base() + plan_points("1"))
    assert {v.rule for v in found} == {"sh:sparql"}
    assert {v.node for v in found} == {ID_NS + "plan/p/1", ID_NS + "plan/p/2"}
    assert all("skos:notation 1;" in v.message and v.path == SKOS_NS + "notation" for v in found)


def test_the_confidence_rule_is_read_from_the_basis() -> None:
    # the range is data (sg:Inferred allows 0.5-0.7 in the ontology); 0.8 breaks it, and the message says how
    found = validate([*base(), Quad(STANCE, sg("basis"), sg("Inferred"), SRC)])
    assert [(v.node, v.path, v.rule, v.value) for v in found] == [
        (STANCE.value, SG_NS + "confidence", "sh:sparql", "0.8")
    ]
    assert "outside the range its sg:basis allows" in found[0].message
    found = validate(
        replaced(
            [*base(), Quad(STANCE, sg("basis"), sg("Quoted"), SRC)], sg("confidence"), lit("0.9", "decimal")
        )
    )
    assert [(v.path, v.value) for v in found] == [(SG_NS + "quote", SG_NS + "Quoted")]
    assert "needs a sg:quote" in found[0].message

"""What a violation reports: the node, the property, the rule, the value and the shape's message."""

from __future__ import annotations

from stancegraph.graph.validation import validate
from stancegraph.ontology.namespaces import ID_NS, SG_NS, SKOS_NS

from .quads import STANCE, base, lit, plan_points, replaced, sg


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

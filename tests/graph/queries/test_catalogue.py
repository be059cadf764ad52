"""The catalogue: each source's entry (its dcterms:type too) and the sources a plan version comes from."""

from __future__ import annotations

import pytest

from stancegraph.graph import UnknownEntityError, iri_for
from stancegraph.graph.queries import plan_sources, short_id, sources


def test_sources_carry_their_type_and_no_invented_url(bundled) -> None:
    found = {s.id: s for s in sources(bundled)}
    assert found["st-2025-11-21"].kind == "article"
    assert found["kremlin-2025-11-21"].kind == "transcript"
    assert found["us-ua-geneva-2025-11-23"].kind == "statement"
    assert {s.url for s in found.values()} == {None}  # the seed gives no URL, so the catalogue has none


def test_plan_sources_are_the_reports_of_the_plan_and_its_points(bundled) -> None:
    assert [short_id(s) for s in plan_sources(bundled, "us-ua-19")] == [
        "us-ua-geneva-2025-11-23",
        "wapo-ft-2025-11-24",
    ]
    assert plan_sources(bundled, iri_for("plan", "e3-counter")) == (iri_for("source", "reuters-2025-11-23"),)
    with pytest.raises(UnknownEntityError, match="no plan is named 'us-29'"):
        plan_sources(bundled, "us-29")

"""The catalogue: each source's entry (its dcterms:type too) and the sources a plan version comes from."""

from __future__ import annotations

import pytest

from stancegraph.graph import UnknownEntityError, iri_for
from stancegraph.graph.queries import plan_sources, short_id, sources
from stancegraph.graph.queries.catalogue import stance_counts

from ..conftest import demand_corpus


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


# the stances per source are counted on the stance table; the reference is the grouped SPARQL query
def counts_by_sparql(store) -> dict[str, int]:
    found = store.query(
        "SELECT ?src (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?src"
        " { ?s a <https://w3id.org/stancegraph/ontology#Stance> } } GROUP BY ?src"
    )
    return {src.value: int(n.value) for src, n in found}


def _check_against_sparql(store) -> None:
    reference = counts_by_sparql(store)
    assert reference and stance_counts(store) == reference
    assert {s.iri: s.stances for s in sources(store) if s.stances} == {
        iri: n for iri, n in reference.items() if iri in {s.iri for s in sources(store)}
    }


def test_the_stances_per_source_are_those_sparql_counts_on_the_bundled_data(bundled) -> None:
    _check_against_sparql(bundled)


def test_the_stances_per_source_are_those_sparql_counts_on_a_synthetic_corpus(demand_store) -> None:
    assert sum(stance_counts(demand_store).values()) == demand_store.counts().stances
    _check_against_sparql(demand_store)


def test_the_stances_per_source_after_a_write(tmp_path) -> None:
    with demand_corpus(tmp_path) as store:
        before = stance_counts(store)
        store.remove_graph(sorted(before)[0])
        after = stance_counts(store)
        assert after == {iri: n for iri, n in before.items() if iri != sorted(before)[0]}
        _check_against_sparql(store)

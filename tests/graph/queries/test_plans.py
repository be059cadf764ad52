"""Plan fit: whose demands a plan version fulfils, opposes or leaves untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.graph import UnknownEntityError, iri_for, plan_fit
from stancegraph.graph.ingestion import ingest
from stancegraph.graph.queries.catalogue import plan_versions
from stancegraph.graph.queries.contested import contested_stances, denied_stances
from stancegraph.graph.queries.plans import (
    StatedDemands,
    VersionFit,
    fit_of_plan,
    plan_versions_fit,
    stated_demands,
)

from ..conftest import demand_corpus


def test_the_us_draft_fulfils_most_of_russias_demands(bundled):
    fit = plan_fit(bundled, "us-28")
    assert fit.plan == iri_for("plan", "us-28")
    russia = fit.for_actor("russia")
    assert len(russia.demands) >= 4
    assert russia.share_fulfilled > 0.5
    no_nato = next(d for d in russia.demands if d.demand == iri_for("demand", "ru-no-nato"))
    assert no_nato.verdict in ("fulfilled", "mixed") and "7" in no_nato.fulfilled_by


def test_every_demand_gets_exactly_one_verdict(bundled):
    for actor in plan_fit(bundled, "us-28").actors:
        assert actor.fulfilled + actor.opposed - sum(
            d.verdict == "mixed" for d in actor.demands
        ) + actor.untouched == len(actor.demands)


def test_the_e3_counter_proposal_fulfils_fewer_of_russias_demands(bundled):
    us = plan_fit(bundled, "us-28").for_actor("russia")
    e3 = plan_fit(bundled, "e3-counter").for_actor("russia")
    assert e3.fulfilled < us.fulfilled
    assert e3.opposed >= 1


def test_an_unknown_plan_is_refused(bundled):
    with pytest.raises(UnknownEntityError, match="no plan is named"):
        plan_fit(bundled, "us-99")


def test_a_partial_version_says_how_many_of_its_points_are_recorded(bundled):
    # the 19-point version holds only the three changes the reports name: Russia's 0 of 6 is a gap
    fit = plan_fit(bundled, "us-ua-19")
    assert (fit.points_recorded, fit.point_count, fit.partial) == (3, 19, True)
    assert fit.coverage.startswith("3 of 19 points recorded")
    e3 = plan_fit(bundled, "e3-counter")  # only its changed points were reported, count unknown
    assert (e3.point_count, e3.partial) == (None, True) and "not known" in e3.coverage
    full = plan_fit(bundled, "us-28")
    assert (full.points_recorded, full.point_count, full.partial) == (28, 28, False)
    assert full.coverage == "all 28 points recorded"


# plan fit reads the actors' demands from the stance table; the reference is the SPARQL query it replaced
_DEMANDS_BY_SPARQL = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?actor ?actorLabel ?demand ?demandLabel ?confidence WHERE {
  GRAPH ?g {
    ?s a sg:Stance ; sg:actor ?actor ; sg:stanceType sg:Demands ; sg:target ?demand .
    OPTIONAL { ?s sg:confidence ?confidence }
  }
  ?demand a sg:Demand .
  OPTIONAL { ?actor skos:prefLabel ?actorLabel }
  OPTIONAL { ?demand skos:prefLabel ?demandLabel }
}
"""


def demands_by_sparql(store) -> StatedDemands:
    """:func:`stated_demands` by the one SPARQL query and the contested rule's queries."""
    denied, contested = denied_stances(store), contested_stances(store)
    found: StatedDemands = {}
    for s, actor, actor_label, demand, demand_label, confidence in store.query(_DEMANDS_BY_SPARQL):
        if s.value in denied:
            continue
        entry = found.setdefault(actor.value, (actor_label.value if actor_label else actor.value, {}))
        label, sure, disputed = entry[1].get(demand.value, (None, None, False))
        if confidence is not None:
            sure = max(float(confidence.value), sure if sure is not None else 0.0)
        entry[1][demand.value] = (
            demand_label.value if demand_label else demand.value,
            sure,
            disputed or s.value in contested,
        )
    return found


def _check_against_sparql(store) -> None:
    reference = demands_by_sparql(store)
    assert reference and stated_demands(store) == reference
    for version in plan_versions(store):
        assert plan_fit(store, version.iri) == fit_of_plan(store, version.iri, reference)
    table = plan_versions_fit(store)
    assert [c for row in table.cells for c in row] == [
        VersionFit(f.plan, len(r.demands), r.fulfilled, r.opposed, r.untouched)
        if (r := next((r for r in f.actors if r.actor == actor), None))
        else VersionFit(f.plan, 0, 0, 0, 0)
        for actor in table.actors
        for f in [fit_of_plan(store, iri, reference) for iri in table.plans]
    ]


def test_the_demands_from_the_table_are_those_of_sparql_on_the_bundled_data(bundled):
    _check_against_sparql(bundled)


def test_the_demands_from_the_table_are_those_of_sparql_on_a_synthetic_corpus(demand_store):
    fit = plan_fit(demand_store, "synth-a")
    assert fit.actors and any(r.fulfilled for r in fit.actors) and any(r.opposed for r in fit.actors)
    assert any(d.contested for r in fit.actors for d in r.demands)
    _check_against_sparql(demand_store)


def test_plan_fit_after_a_write_is_that_of_the_new_data(tmp_path: Path):
    with demand_corpus(tmp_path) as store:
        before = plan_fit(store, "synth-a")
        demanded = next(d for r in before.actors for d in r.demands)
        (tmp_path / "more.csv").write_text(
            f"actor,target,stance,date,source,confidence\nNewcomer,{demanded.demand},demands,2025-12-30,Late"
            " paper,0.4\n",
            encoding="utf-8",
        )
        ingest(store, tmp_path / "more.csv")
        after = plan_fit(store, "synth-a")
        assert after != before and "Newcomer" in [r.label for r in after.actors]
        _check_against_sparql(store)
        store.update(  # the newcomer's confidence goes: the table is built again
            "DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#confidence> ?c } }"
        )
        assert all(d.confidence is None for r in plan_fit(store, "synth-a").actors for d in r.demands)
        _check_against_sparql(store)

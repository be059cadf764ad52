"""Plan fit: whose demands a plan version fulfils, opposes or leaves untouched."""

from __future__ import annotations

import pytest

from stancegraph.graph import UnknownEntityError, iri_for, plan_fit


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

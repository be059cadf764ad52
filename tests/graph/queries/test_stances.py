"""The questions over the bundled peace-plan graph, on every store backend."""

from __future__ import annotations

import datetime as dt

import pytest

from stancegraph.graph import (
    AmbiguousNameError,
    UnknownEntityError,
    iri_for,
    positions,
    stances,
    who_demands,
    who_endorses,
    who_rejects,
)


def labels(holders):
    return [h.label for h in holders]


def test_the_united_states_endorses_the_army_cap(bundled):
    holders = who_endorses(bundled, "us-28/6")
    assert "United States" in labels(holders)
    us = next(h for h in holders if h.label == "United States")
    assert us.actor == iri_for("actor", "us")
    assert all(s.stance == "endorses" and s.target == iri_for("point", "us-28/6") for s in us.stances)
    assert all(s.source_title and s.graph == s.source for s in us.stances)


def test_a_point_can_be_named_by_iri_short_id_or_its_plan_and_number(bundled):
    by_id = who_endorses(bundled, "us-28/6")
    by_iri = who_endorses(bundled, iri_for("point", "us-28/6"))
    assert by_id == by_iri


def test_the_e3_reject_points_of_the_us_draft(bundled):
    rejecting = {h.actor for h in who_rejects(bundled, "us-28/7")}
    assert rejecting & {iri_for("actor", a) for a in ("e3", "uk", "france", "germany")}


def test_russia_demands_ukraine_stays_out_of_nato(bundled):
    assert "Russia" in labels(who_demands(bundled, "ru-no-nato"))


def test_the_umerov_claim_comes_out_contested_both_ways(bundled):
    contested = stances(bundled, actor="umerov", contested=True)
    assert len(contested) == 2
    earlier, later = contested
    assert earlier.stated_on == dt.date(2025, 11, 20) and later.stated_on == dt.date(2025, 11, 21)
    assert earlier.stance == "endorses" and later.stance == "neutral"  # he denied approving, no rejection
    assert later.contradicts == (earlier.iri,) and earlier.contradicted_by == (later.iri,)
    assert earlier.reported_by == iri_for("actor", "us-senior-official")
    assert earlier.person == iri_for("actor", "umerov") and later.quote


def test_filters_combine(bundled):
    everything = stances(bundled)
    assert len(everything) > 40
    on_the_21st = stances(bundled, since="2025-11-21", until=dt.date(2025, 11, 21))
    assert on_the_21st and all(s.stated_on == dt.date(2025, 11, 21) for s in on_the_21st)
    assert {s for s in everything if s.stated_on == dt.date(2025, 11, 21)} == set(on_the_21st)
    demands = stances(bundled, stance="demands")
    assert demands and {s.stance for s in demands} == {"demands"}
    uncontested = stances(bundled, contested=False)
    assert len(uncontested) == len(everything) - len(stances(bundled, contested=True))
    article = stances(bundled, source="st-2025-11-21")
    assert article and {s.source for s in article} == {iri_for("source", "st-2025-11-21")}


def test_stances_are_ordered_by_date(bundled):
    dates = [s.stated_on for s in stances(bundled)]
    assert dates == sorted(dates)


def test_positions_group_an_actors_stances_by_target(bundled):
    russia = positions(bundled, "russia")
    assert {p.target for p in russia} >= {iri_for("demand", d) for d in ("ru-no-nato", "ru-army-cap")}
    assert all(
        p.stances and all(s.actor == iri_for("actor", "russia") or s.person for s in p.stances)
        for p in russia
    )


@pytest.mark.parametrize("bad", ["nobody-at-all", '" } ; DROP ALL ; #', "<http://x> } #"])
def test_an_unknown_name_is_an_error_and_changes_nothing(bundled, bad):
    before = bundled.counts()
    with pytest.raises(UnknownEntityError, match="no actor is named"):
        stances(bundled, actor=bad)
    assert bundled.counts() == before


def test_an_unknown_stance_type_lists_the_valid_ones(bundled):
    with pytest.raises(UnknownEntityError, match="endorses, rejects, concedes, demands"):
        stances(bundled, stance="likes")


def test_a_bad_date_says_what_is_expected(bundled):
    with pytest.raises(ValueError, match="ISO date"):
        stances(bundled, since="21/11/2025")


def test_an_ambiguous_label_lists_the_candidates(store):
    from pyoxigraph import Literal, NamedNode, Quad

    sg = "https://w3id.org/stancegraph/ontology#"
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    pref = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    quads = []
    for slug in ("georgia-state", "georgia-us"):
        node = NamedNode(iri_for("actor", slug))
        quads += [
            Quad(node, rdf_type, NamedNode(sg + "State")),
            Quad(node, pref, Literal("Georgia", language="en")),
        ]
    store.load(quads)
    with pytest.raises(AmbiguousNameError) as caught:
        stances(store, actor="georgia")
    assert {iri for iri, _ in caught.value.candidates} == {
        iri_for("actor", "georgia-state"),
        iri_for("actor", "georgia-us"),
    }
    assert "georgia-state" in str(caught.value) and "georgia-us" in str(caught.value)
    assert stances(store, actor="georgia-us") == ()


def test_a_label_names_a_node_case_insensitively(bundled):
    assert positions(bundled, "RUSSIA") == positions(bundled, "russia")
    assert who_demands(bundled, "ru-no-nato") == who_demands(bundled, iri_for("demand", "ru-no-nato"))


def test_a_claim_its_actor_denied_is_no_position_but_still_shows_flagged(bundled):
    from stancegraph.graph.queries import denied_stances, positions, stances, who_endorses

    assert {iri.rsplit("/", 1)[-1] for iri in denied_stances(bundled)} == {"umerov-claim"}
    assert "Ukraine" not in [h.label for h in who_endorses(bundled, "us-28")]  # no plain endorser
    claim, denial = stances(bundled, actor="umerov", target="us-28", contested=True)
    assert (claim.stance, claim.denied, claim.contested) == ("endorses", True, True)
    assert (denial.stance, denial.denied) == ("neutral", False)
    assert claim.reported_by_label and claim.source_title  # both sides keep their sources
    (on_the_plan,) = [p for p in positions(bundled, "ukraine") if p.target.endswith("/plan/us-28")]
    assert any(s.denied for s in on_the_plan.stances) and on_the_plan.contested  # shown, flagged
    undenied = [s for s in on_the_plan.stances if not s.denied]
    assert on_the_plan.stance == undenied[-1].stance != "endorses"  # the latest stance Ukraine holds
    # its positions since are all neutral: the denied claim is no change of position either
    assert {s.stance for s in undenied} == {"neutral"} and not on_the_plan.changed

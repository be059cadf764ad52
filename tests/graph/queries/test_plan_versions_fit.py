"""Plan fit across versions: the actor x plan-version table."""

from __future__ import annotations

import pytest


def test_russias_share_fulfilled_falls_from_us28_to_the_e3_counter(bundled):
    from stancegraph.graph.queries.plans import plan_versions_fit

    table = plan_versions_fit(bundled)
    assert [p.rsplit("/", 1)[-1] for p in table.plans] == ["us-28", "e3-counter", "us-ua-19", "ua-20"]
    assert table.plan_labels[2] == "US-Ukrainian 19-point framework"
    cells = dict(zip([p.rsplit("/", 1)[-1] for p in table.plans], table.row("russia"), strict=True))
    assert cells["us-28"].share_fulfilled > 0.5 > cells["e3-counter"].share_fulfilled
    assert cells["e3-counter"].opposed > cells["us-28"].opposed
    for cell in table.row("russia"):
        assert cell.fulfilled + cell.untouched + cell.opposed >= cell.demands
    assert len(table.records()) == len(table.actors) * len(table.plans)


def test_chosen_versions_keep_their_order_and_match_plan_fit(bundled):
    from stancegraph.graph.queries.plans import plan_fit, plan_versions_fit

    table = plan_versions_fit(bundled, ["e3-counter", "us-28"])
    assert [p.rsplit("/", 1)[-1] for p in table.plans] == ["e3-counter", "us-28"]
    single = plan_fit(bundled, "us-28").for_actor("russia")
    cell = table.row("russia")[1]
    assert (cell.fulfilled, cell.opposed, cell.untouched) == (
        single.fulfilled,
        single.opposed,
        single.untouched,
    )
    with pytest.raises(KeyError):
        table.row("atlantis")


def test_one_name_is_one_version_not_its_letters(bundled):
    from stancegraph.graph.queries.plans import plan_versions_fit

    table = plan_versions_fit(bundled, "us-28")
    assert [p.rsplit("/", 1)[-1] for p in table.plans] == ["us-28"]
    assert (
        table.row("russia")[0].fulfilled == plan_versions_fit(bundled, ["us-28"]).row("russia")[0].fulfilled
    )

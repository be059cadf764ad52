"""Change over time: dated stance sequences and the shifts between them, on hand-made and bundled data."""

from __future__ import annotations

import datetime as dt

import pytest

from stancegraph.graph import ingest, load_bundled, open_store
from stancegraph.graph.errors import UnknownEntityError
from stancegraph.graph.queries.changes import Shift, stance_changes
from stancegraph.graph.queries.contested import contested_stances, denied_stances

CSV = """actor,target,stance,date,document,source
Alpha,ceasefire,rejects,2025-01-05,first report,Reuters
Alpha,ceasefire,rejects,2025-01-09,second report,AP
Alpha,ceasefire,concedes,2025-02-01,third report,Reuters
Alpha,ceasefire,endorses,2025-03-01,fourth report,AFP
Alpha,elections,demands,2025-01-05,first report,Reuters
Beta,ceasefire,endorses,2025-01-05,first report,Reuters
"""


@pytest.fixture(scope="module")
def bundled():
    with open_store() as store:
        load_bundled(store)
        yield store


@pytest.fixture
def loaded(store, tmp_path):
    path = tmp_path / "changes.csv"
    path.write_text(CSV, encoding="utf-8")
    ingest(store, path)
    return store


def test_shifts_are_listed_with_dates_and_sources(loaded):
    histories = stance_changes(loaded, "Alpha", target="ceasefire")
    assert len(histories) == 1
    history = histories[0]
    assert [e.stance for e in history.entries] == ["rejects", "rejects", "concedes", "endorses"]
    assert [e.date for e in history.entries] == sorted(e.date for e in history.entries)
    first, second = history.shifts
    assert isinstance(first, Shift)
    assert (first.from_stance, first.to_stance) == ("rejects", "concedes")
    assert (first.date_from, first.date_to) == (dt.date(2025, 1, 9), dt.date(2025, 2, 1))
    assert [s.rsplit("/", 1)[-1] for s in first.sources] == ["second-report", "third-report"]
    assert (second.from_stance, second.to_stance) == ("concedes", "endorses")
    assert first.actor.endswith("/actor/alpha") and first.target.endswith("ceasefire")
    with pytest.raises(AttributeError):
        first.to_stance = "rejects"  # frozen


def test_targets_without_a_change_come_after_those_with_one(loaded):
    histories = stance_changes(loaded, "alpha")
    assert [h.target_label for h in histories] == ["ceasefire", "elections"]
    assert histories[0].changed and not histories[1].changed and histories[1].shifts == ()


def test_date_bounds_and_unknown_actors(loaded):
    histories = stance_changes(loaded, "Alpha", target="ceasefire", since="2025-01-20")
    assert [(s.from_stance, s.to_stance) for s in histories[0].shifts] == [("concedes", "endorses")]
    assert stance_changes(loaded, "Beta")[0].shifts == ()
    with pytest.raises(UnknownEntityError):
        stance_changes(loaded, "Gamma")


DENIED = """id,actor,target,stance,date,document,source,confidence,contradicts
r1,Alpha,ceasefire,rejects,2025-01-05,first report,Reuters,0.9,
c1,Alpha,ceasefire,endorses,2025-01-07,a claim,AP,0.3,
d1,Alpha,ceasefire,neutral,2025-01-08,the denial,AFP,,c1
"""


def test_a_denied_entry_is_listed_flagged_but_starts_or_ends_no_shift(store, tmp_path):
    path = tmp_path / "denied.csv"
    path.write_text(DENIED, encoding="utf-8")
    ingest(store, path)
    (history,) = stance_changes(store, "Alpha")
    flags = [(e.stance, e.confidence, e.contested, e.denied) for e in history.entries]
    assert flags == [
        ("rejects", 0.9, False, False),
        ("endorses", 0.3, True, True),
        ("neutral", None, True, False),  # no confidence recorded: None, not 0
    ]
    (shift,) = history.shifts  # rejects -> neutral, over the denied claim: no rejects -> endorses -> neutral
    assert (shift.from_stance, shift.to_stance) == ("rejects", "neutral")
    assert (shift.date_from, shift.date_to) == (dt.date(2025, 1, 5), dt.date(2025, 1, 8))
    assert (shift.stance_iri_from, shift.stance_iri_to) == (
        history.entries[0].stance_iri,
        history.entries[2].stance_iri,
    )
    assert [s.rsplit("/", 1)[-1] for s in shift.sources] == ["first-report", "the-denial"]


def test_the_bundled_history_of_ukraine_on_us28_flags_the_umerov_claim(bundled):
    (history,) = stance_changes(bundled, "ukraine", target="us-28")
    claim = [e for e in history.entries if e.stance_iri.endswith("/stance/umerov-claim")]
    assert [(e.stance, e.confidence, e.contested, e.denied) for e in claim] == [("endorses", 0.3, True, True)]
    assert history.entries[0] == claim[0]  # the oldest report: 20 Nov, denied on 21 Nov
    assert history.shifts == () and not history.changed  # neutral ever since, and the claim no position
    assert [e.denied for e in history.entries].count(True) == 1
    # the flags are those of the stances themselves
    denied, disputed = denied_stances(bundled), contested_stances(bundled)
    assert all(e.denied == (e.stance_iri in denied) for e in history.entries)
    assert all(e.contested == (e.stance_iri in disputed) for e in history.entries)
    umerov = stance_changes(bundled, "umerov", target="us-28")[0]
    assert umerov.shifts == () and [e.denied for e in umerov.entries] == [True, False]

"""Change over time: dated stance sequences and the shifts between them, on hand-made data."""

from __future__ import annotations

import datetime as dt

import pytest

from stancegraph.graph import ingest
from stancegraph.graph.errors import UnknownEntityError
from stancegraph.graph.queries.changes import Shift, stance_changes

CSV = """actor,target,stance,date,document,source
Alpha,ceasefire,rejects,2025-01-05,first report,Reuters
Alpha,ceasefire,rejects,2025-01-09,second report,AP
Alpha,ceasefire,concedes,2025-02-01,third report,Reuters
Alpha,ceasefire,endorses,2025-03-01,fourth report,AFP
Alpha,elections,demands,2025-01-05,first report,Reuters
Beta,ceasefire,endorses,2025-01-05,first report,Reuters
"""


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

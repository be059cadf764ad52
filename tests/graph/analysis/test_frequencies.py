"""Stance frequencies: the counts of the statements the SPARQL reference selects, on every backend."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from stancegraph.graph.analysis import stance_frequencies, stance_mask
from stancegraph.graph.analysis.documents import frequencies_document
from stancegraph.graph.analysis.sparql_selection import statements_by_sparql
from stancegraph.graph.errors import UnknownEntityError
from stancegraph.graph.ingestion import ingest
from stancegraph.graph.ingestion.synth import write_statements_csv
from stancegraph.graph.store import open_store


def _counted(frame, *columns: str) -> Counter:
    return Counter({tuple(row[:-1]): row[-1] for row in frame.select(*columns, "stances").iter_rows()})


def _reference(statements, *names: str, mask=None) -> Counter:
    keep = np.ones(len(statements), dtype=bool) if mask is None else mask
    return Counter(zip(*(getattr(statements, name)[keep].tolist() for name in names), strict=True))


def test_per_target_and_type_are_the_counts_of_the_reference_selection(bundled):
    counts = stance_frequencies(bundled)
    assert counts.columns == ["target", "target_label", "stance", "stances"]
    reference = statements_by_sparql(bundled, labels="id")
    assert _counted(counts, "target", "stance") == _reference(reference, "target", "stance")
    assert counts["stances"].to_list() == sorted(counts["stances"].to_list(), reverse=True)


def test_a_denied_claim_is_never_counted_unless_asked_for(bundled):
    counts = stance_frequencies(bundled, by="actor,stance")
    by_actor = _counted(counts, "actor", "stance")
    every = _counted(stance_frequencies(bundled, by="actor,stance", include_denied=True), "actor", "stance")
    assert sum(every.values()) == sum(by_actor.values()) + 1  # the Umerov claim
    assert (every - by_actor) == Counter({("ukraine", "endorses"): 1})


@pytest.mark.parametrize(
    "choice",
    [{"contested": "exclude"}, {"contested": "only"}, {"min_confidence": 0.8}, {"min_confidence": 0}],
)
def test_the_stances_counted_are_those_the_networks_count(bundled, choice):
    reference = statements_by_sparql(bundled, labels="id")
    mask = stance_mask(
        reference.contested,
        reference.confidence,
        which=choice.get("contested", "include"),
        min_confidence=choice.get("min_confidence", 0),
    )
    counts = stance_frequencies(bundled, by=["document", "stance"], **choice)
    assert _counted(counts, "document", "stance") == _reference(reference, "document", "stance", mask=mask)


def test_the_selection_filters_are_those_of_the_statements(bundled):
    reference = statements_by_sparql(bundled, labels="id", plan="us-28", since="2025-11-21")
    counts = stance_frequencies(bundled, by="actor,date", plan="us-28", since="2025-11-21")
    assert _counted(counts, "actor", "date") == _reference(reference, "actor", "date")
    assert counts["actor_label"].null_count() == 0


def test_a_synthetic_corpus_counts_as_the_reference(tmp_path):
    write_statements_csv(tmp_path / "c.csv", 3_000, actors=30, targets=20, seed=5, contradicts_share=0.05)
    with open_store(tmp_path / "store") as store:
        ingest(store, tmp_path / "c.csv")
        reference = statements_by_sparql(store, labels="id")
        for by in (["actor", "target", "stance"], ["target"], ["document"]):
            counts = stance_frequencies(store, by=by)
            assert _counted(counts, *by) == _reference(reference, *by)
        assert stance_frequencies(store, by="stance")["stances"].sum() == len(reference)


def test_bad_keys_and_names_are_refused_with_what_to_write(bundled):
    for by in ("nope", "actor,actor", "", ["target", "when"]):
        with pytest.raises(ValueError, match="count by one or more of actor, person"):
            stance_frequencies(bundled, by=by)
    with pytest.raises(ValueError, match="contested='sometimes' is not known"):
        stance_frequencies(bundled, contested="sometimes")
    with pytest.raises(UnknownEntityError):
        stance_frequencies(bundled, plan="no-such-plan")
    with pytest.raises(ValueError, match="json or csv"):
        frequencies_document(bundled, format="gexf")


def test_the_documents_write_the_same_counts(bundled):
    import json

    counts = stance_frequencies(bundled, by="date,stance")
    rows = json.loads(frequencies_document(bundled, by="date,stance"))
    assert [(r["date"], r["stance"], r["stances"]) for r in rows] == [
        (d.isoformat(), s, n) for d, s, n in counts.iter_rows()
    ]
    lines = frequencies_document(bundled, format="csv", by="date,stance").splitlines()
    assert lines[0] == "date,stance,stances" and len(lines) == counts.height + 1

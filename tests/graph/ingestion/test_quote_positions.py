"""Where a quote stands in its document (``quote_start``, ``quote_end``): its RDF, the key, the problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.graph.ingestion import check, ingest
from stancegraph.graph.store import Store
from stancegraph.ontology.namespaces import SG_NS

HEADER = (
    "organization,concept,agreement,time,document_title,document_source,quote,start_position,stop_position\n"
)
ROW = "EPA,Regulate emissions,1,2005-02-02,Whitman,Hearing,We need it,{start},{stop}\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "statements.csv"
    path.write_text(text, encoding="utf-8")
    return path


def positions(store: Store) -> list[tuple[int, int]]:
    query = f"SELECT ?a ?b WHERE {{ GRAPH ?g {{ ?s <{SG_NS}quoteStart> ?a ; <{SG_NS}quoteEnd> ?b }} }}"
    return sorted((int(a.value), int(b.value)) for a, b in store.query(query))


def test_two_places_of_one_document_coded_alike_are_two_stances(store: Store, tmp_path: Path) -> None:
    # DNA counts both (duplicates include); without the positions the second row would repeat the first
    table = write(tmp_path, HEADER + ROW.format(start=10, stop=20) + ROW.format(start=30, stop=40))
    report = ingest(store, table)
    assert report.stances == 2 and report.warnings == ()
    assert positions(store) == [(10, 20), (30, 40)]


def test_one_place_coded_twice_alike_is_a_repeat(store: Store, tmp_path: Path) -> None:
    table = write(tmp_path, HEADER + ROW.format(start=10, stop=20) * 2)
    report = ingest(store, table)
    assert report.stances == 1 and positions(store) == [(10, 20)]
    (warning,) = report.warnings
    assert warning.line == 3 and "start_position or stop_position" in warning.message


def test_a_stored_stance_at_another_place_is_no_repeat(store: Store, tmp_path: Path) -> None:
    ingest(store, write(tmp_path, HEADER + ROW.format(start=10, stop=20)))
    both = HEADER + ROW.format(start=10, stop=20) + ROW.format(start=50, stop=60)
    again = ingest(store, write(tmp_path, both), against_store=True)
    assert again.already_stored == 1 and again.warnings == ()
    assert positions(store) == [(10, 20), (50, 60)]


@pytest.mark.parametrize(
    ("start", "stop", "words", "path"),
    [
        ("10", "", "start_position cell is filled but the stop_position cell is not", "quoteEnd"),
        ("", "20", "stop_position cell is filled but the start_position cell is not", "quoteStart"),
        ("-1", "20", "whole number from 0", "quoteStart"),
        ("ten", "20", "whole number from 0", "quoteStart"),
        ("20", "20", "must be greater than the start_position", "quoteEnd"),
        ("30", "20", "starts at 30 and ends at 20", "quoteEnd"),
    ],
)
def test_a_position_that_locates_no_passage_is_a_row_problem(
    tmp_path: Path, start: str, stop: str, words: str, path: str
) -> None:
    found = check(write(tmp_path, HEADER + ROW.format(start=start, stop=stop)))
    (problem,) = found
    assert problem.line == 2 and problem.rule == "csv" and problem.path == SG_NS + path
    assert words in problem.message, problem.message


def test_our_column_names_are_read_as_dna_s(store: Store, tmp_path: Path) -> None:
    table = write(
        tmp_path,
        "actor,target,stance,date,source,quote,quote_start,quote_end\n"
        "EPA,Regulate emissions,endorses,2005-02-02,Hearing,We need it,0,10\n",
    )
    assert ingest(store, table).stances == 1 and positions(store) == [(0, 10)]

"""Rows that repeat an earlier row's stance: a warning naming both lines, the stance stored once."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from stancegraph.graph.ingestion import KEY_COLUMNS, check, checked_rows, convert_statements, ingest
from stancegraph.graph.store import Store
from stancegraph.ontology.namespaces import SG_NS

HEADER = "actor,target,stance,date,source,document,quote,person\n"
ROW = "Poland,Point 9,endorses,2025-11-22,Reuters,Kyiv weighs plan,Jets yes,\n"


def write(tmp_path: Path, text: str, name: str = "statements.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stances(store: Store) -> int:
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{SG_NS}Stance> }} }}"
    return int(next(iter(store.query(query)))[0].value)


def test_the_key_is_the_issues_the_person_the_coder_and_the_quote_position() -> None:
    assert KEY_COLUMNS == (
        "actor",
        "target",
        "stance",
        "agreement",
        "date",
        "source",
        "document",
        "person",
        "coder",
        "quote_start",
        "quote_end",
    )


def test_two_identical_rows_are_one_stance_and_a_warning(store: Store, tmp_path: Path) -> None:
    other = "Ukraine,Point 9,rejects,2025-11-22,Reuters,Kyiv weighs plan,,\n"
    table = write(tmp_path, HEADER + ROW + other + ROW)
    found = check(table)
    assert list(found) == []
    (warning,) = found.warnings
    assert (warning.file, warning.line, warning.rule) == (str(table), 4, "duplicate")
    assert "line 4 repeats line 2" in warning.message and "the rows are identical" in warning.message
    assert "stored once" in warning.message and "Remove line 4" in warning.message
    assert f"{table}:4" in str(warning)
    report = ingest(store, table)
    assert report.stances == 2 and stances(store) == 2
    assert report.warnings == found.warnings
    assert report.added == store.counts().quads == report.quads  # each quad written once, and new
    assert ingest(store, table).added == 0


def test_rows_that_differ_outside_the_key_are_repeats_and_the_warning_says_where(tmp_path: Path) -> None:
    other = ROW.replace("Jets yes", "Jets, yes indeed").replace("Jets, yes indeed", '"Jets, yes indeed"')
    found = check(write(tmp_path, HEADER + ROW + other))
    (warning,) = found.warnings
    assert warning.line == 3 and "line 3 repeats line 2" in warning.message
    assert "the same actor, target, stance, date, source, document and person" in warning.message
    assert "quote ('Jets, yes indeed' here, 'Jets yes' on line 2)" in warning.message
    converted = convert_statements(write(tmp_path, HEADER + ROW + other))
    assert converted.stances == 1 and [w.line for w in converted.warnings] == [3]


@pytest.mark.parametrize(
    "change",
    [
        ("2025-11-22", "2025-11-23"),  # another day
        ("Reuters,Kyiv weighs plan", "Reuters,Another report"),  # another document
        ("endorses", "rejects"),
        ("Jets yes,", "Jets yes,Radoslaw Sikorski"),  # another speaker: one stance per speaker
    ],
)
def test_rows_that_differ_in_the_key_are_two_stances(tmp_path: Path, change: tuple[str, str]) -> None:
    found = check(write(tmp_path, HEADER + ROW + ROW.replace(*change)))
    assert list(found) == [] and found.warnings == ()
    assert len(checked_rows(write(tmp_path, HEADER + ROW + ROW.replace(*change)))) == 2


def test_rows_with_other_ids_are_repeats_and_a_reference_to_the_dropped_id_says_what_to_name(
    store: Store, tmp_path: Path
) -> None:
    header = "id,actor,target,stance,date,source,contradicts\n"
    rows = (
        "a,Poland,Point 9,endorses,2025-11-22,Reuters,\n"
        "b,Poland,Point 9,endorses,2025-11-22,Reuters,\n"  # repeats line 2 under another id
        "a,Poland,Point 9,endorses,2025-11-22,Reuters,\n"  # the same row again, its id too: a repeat
        "d,Poland,Point 9,rejects,2025-11-25,Reuters,a\n"
    )
    table = write(tmp_path, header + rows)
    found = check(table)
    assert list(found) == []
    assert [(w.line, w.node.rsplit("/", 1)[-1]) for w in found.warnings] == [(3, "a"), (4, "a")]
    assert "id ('b' here, 'a' on line 2)" in found.warnings[0].message
    report = ingest(store, table)
    assert report.stances == 2 and stances(store) == 2
    # a row naming the id of the row stored once is told to name the row that was stored
    later = write(tmp_path, header + rows + "e,Poland,Point 9,rejects,2025-11-26,Reuters,b\n", "later.csv")
    (violation,) = check(later)
    assert (violation.line, violation.path) == (6, SG_NS + "contradicts")
    assert "names the id of line 3, which repeats an earlier row's stance" in violation.message
    first = "e,Poland,Point 9,rejects,2025-11-26,Reuters,b\n"
    earlier = write(tmp_path, header + first + rows, "earlier.csv")
    assert [(v.line, v.path) for v in check(earlier)] == [(2, SG_NS + "contradicts")]


def test_a_repeated_id_on_another_stance_is_still_an_error(tmp_path: Path) -> None:
    table = write(
        tmp_path,
        "id,actor,target,stance,date,source\n"
        "a,Poland,Point 9,endorses,2025-11-22,Reuters\n"
        "a,Poland,Point 9,rejects,2025-11-22,Reuters\n",
    )
    (violation,) = check(table)
    assert violation.line == 3 and "repeats the id of line 2" in violation.message


def test_a_repeat_across_a_chunk_boundary_is_found(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importlib.import_module("stancegraph.graph.ingestion.tables"), "CHUNK_ROWS", 2)
    rows = [ROW.replace("2025-11-22", f"2025-11-{day}") for day in (20, 21, 22, 23, 24)]
    table = write(tmp_path, HEADER + "".join(rows) + rows[0] + rows[3])  # chunk 3 repeats chunks 1 and 2
    found = check(table)
    assert [(w.line, w.message.split(" (")[0]) for w in found.warnings] == [
        (7, "line 7 repeats line 2"),
        (8, "line 8 repeats line 5"),
    ]
    report = ingest(store, table)
    assert report.stances == 5 and stances(store) == 5 and len(report.warnings) == 2


def test_the_analysis_reads_a_repeated_row_once(tmp_path: Path) -> None:
    rows = checked_rows(write(tmp_path, HEADER + ROW + ROW))
    assert [row.line for row in rows] == [2]


def test_names_that_resolve_to_the_same_actor_and_target_are_the_same_stance(tmp_path: Path) -> None:
    text = "actor,target,stance\nPoland,Point 9,endorses\npoland,point-9,endorses\n"
    converted = convert_statements(write(tmp_path, text))
    (warning,) = converted.warnings
    assert "actor ('poland' here, 'Poland' on line 2)" in warning.message and converted.stances == 1


def test_a_repeated_id_is_reported_beside_the_row_s_other_problems(tmp_path: Path) -> None:
    table = write(
        tmp_path,
        "id,actor,target,stance,date,source,contradicts\n"
        "a,Poland,Point 9,endorses,2025-11-22,Reuters,\n"
        "a,Poland,Point 9,endorses,2025-02-30,Reuters,\n"  # a day that does not exist
        "a,Poland,Point 9,endorses,2025-11-22,Reuters,!!\n",  # a contradicts cell without letters
    )
    found = [(v.line, "repeats the id" in v.message) for v in check(table)]
    assert (3, True) in found and (3, False) in found and (4, True) in found and (4, False) in found


def test_a_row_that_repeats_a_row_of_an_earlier_file_names_both_files_and_is_stored_once(
    store: Store, tmp_path: Path
) -> None:
    first = write(tmp_path, HEADER + ROW, "a.csv")
    # the later table has its columns in another order, and names the actor otherwise
    header = "quote,actor,target,stance,date,source,document,person\n"
    other = ",Ukraine,Point 9,rejects,2025-11-22,Reuters,Kyiv weighs plan,\n"
    again = "Jets!,poland,Point 9,endorses,2025-11-22,Reuters,Kyiv weighs plan,\n"
    second = write(tmp_path, header + other + again, "b.csv")
    found = check(first, second)
    assert list(found) == []
    (warning,) = found.warnings
    assert (warning.file, warning.line, warning.rule) == (str(second), 3, "duplicate")
    assert f"line 3 repeats {first} line 2" in warning.message
    assert f"actor ('poland' here, 'Poland' on {first} line 2)" in warning.message
    assert f"quote ('Jets!' here, 'Jets yes' on {first} line 2)" in warning.message
    assert "target" not in warning.message.split("differ:")[1].split(";")[0]  # the same cells by name
    assert f"stored once, as the stance of {first} line 2" in warning.message
    report = ingest(store, first, second)
    assert report.stances == 2 and stances(store) == 2 and report.warnings == found.warnings
    assert warning.node is not None and warning.node.startswith("https://w3id.org/stancegraph/id/stance/")


def test_a_piped_earlier_table_is_read_again_to_name_the_repeated_row(tmp_path: Path) -> None:
    import io

    found = check(("a.csv", io.StringIO(HEADER + ROW)), ("b.csv", io.StringIO(HEADER + ROW + ROW)))
    assert [(w.file, w.message.split(" (")[0]) for w in found.warnings] == [
        ("b.csv", "line 2 repeats a.csv line 2"),
        ("b.csv", "line 3 repeats a.csv line 2"),
    ]


def test_a_row_that_repeats_a_stored_stance_under_another_iri_is_a_warning_and_not_stored_again(
    store: Store, tmp_path: Path
) -> None:
    other = "Ukraine,Point 9,rejects,2025-11-22,Reuters,Kyiv weighs plan,,\n"
    ingest(store, write(tmp_path, HEADER + ROW, "first.csv"))
    (stored,) = [
        str(row[0].value) for row in store.query(f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s a <{SG_NS}Stance> }} }}")
    ]
    quads = store.counts().quads
    # the same stance with another quote (so another IRI), twice, and a new one
    later = write(
        tmp_path, HEADER + ROW.replace("Jets yes", "Jets!") + other + ROW.replace("Jets yes", "x"), "l.csv"
    )
    # by default the store's stances are not read: only the repeat within the file is found
    assert [w.line for w in check(later, store=store).warnings] == [4]
    found = check(later, store=store, against_store=True)
    assert list(found) == [] and found.already_stored == 0
    assert [(w.line, w.rule, w.node) for w in found.warnings] == [
        (2, "duplicate", stored),
        (4, "duplicate", stored),
    ]
    assert f"line 2 repeats the stance <{stored}> already in the store" in found.warnings[0].message
    assert "its source <https://w3id.org/stancegraph/id/source/kyiv-weighs-plan>" in found.warnings[0].message
    assert "it is not stored again" in found.warnings[0].message
    assert f"line 2 repeats the stance <{stored}> already in the store: neither" in found.warnings[1].message
    report = ingest(store, later, against_store=True)
    assert report.warnings == found.warnings and report.stances == 1 and stances(store) == 2
    assert report.already_stored == 0 and report.added == store.counts().quads - quads


def test_a_file_loaded_again_is_counted_as_already_stored_without_warnings(
    store: Store, tmp_path: Path
) -> None:
    other = "Ukraine,Point 9,rejects,2025-11-22,Reuters,Kyiv weighs plan,,\n"
    table = write(tmp_path, HEADER + ROW + other)
    assert ingest(store, table).already_stored == 0
    found = check(table, store=store, against_store=True)
    assert list(found) == [] and found.warnings == () and found.already_stored == 2
    again = ingest(store, table, against_store=True)
    assert (again.stances, again.already_stored, again.added, again.warnings) == (2, 2, 0, ())


def test_a_row_naming_the_id_of_a_row_that_repeats_a_stored_stance_is_told_so(
    store: Store, tmp_path: Path
) -> None:
    header = "id,actor,target,stance,date,source,contradicts\n"
    ingest(store, write(tmp_path, header + "a,Poland,Point 9,endorses,2025-11-22,Reuters,\n", "a.csv"))
    rows = (
        "b,Poland,Point 9,endorses,2025-11-22,Reuters,\n"  # the stance of a, stored already
        "c,Poland,Point 9,rejects,2025-11-25,Reuters,b\n"  # names b, which is not stored
    )
    found = check(write(tmp_path, header + rows, "b.csv"), store=store, against_store=True)
    assert [(w.line, w.node.rsplit("/", 1)[-1]) for w in found.warnings] == [(2, "a")]
    ((line, path, message),) = [(v.line, v.path, v.message) for v in found]
    assert (line, path) == (3, SG_NS + "contradicts") and "names the id of line 2" in message


def test_a_refused_load_keeps_its_warnings(store: Store, tmp_path: Path) -> None:
    from stancegraph.graph.errors import ValidationError

    table = write(tmp_path, HEADER + ROW + ROW + "Poland,Point 9,endorses,2025-02-30,Reuters,,,\n")
    with pytest.raises(ValidationError) as refused:
        ingest(store, table)
    assert [v.line for v in refused.value.violations] == [4]
    assert [(w.line, w.rule) for w in refused.value.warnings] == [(3, "duplicate")]

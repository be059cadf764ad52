"""Coders: the ``coder`` column gives each stance its ``sg:codedBy``; two coders of a statement make two
stances, a coder repeating a statement is a repeat, and a coder is never an actor."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.graph.analysis import read_statements_csv
from stancegraph.graph.analysis.networks import one_mode, two_mode
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.ingestion import check, convert_statements, ingest
from stancegraph.graph.queries import actors, stances
from stancegraph.graph.store import Store
from stancegraph.ontology.namespaces import ID_NS, SG_NS

HEADER = "organization,concept,agreement,time,coder,document_title,document_source\n"
#: One statement coded by two coders, and two more statements: Ana and Ben agree on the first, not on Russia.
CODED = HEADER + (
    "United States,Point 7,1,2025-11-22 10:00:00,Ana,US plan text,Axios\n"
    "United States,Point 7,1,2025-11-22 10:00:00,Ben,US plan text,Axios\n"
    "Russia,Point 7,1,2025-11-23 09:00:00,Ana,Kremlin readout,TASS\n"
    "Russia,Point 7,0,2025-11-23 09:00:00,Ben,Kremlin readout,TASS\n"
)
PREFIX = f"PREFIX sg: <{SG_NS}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def write(tmp_path: Path, text: str, name: str = "coded.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def select(store: Store, where: str) -> list[tuple[str, ...]]:
    """Rows of plain values, by SPARQL alone (independent of the code under test)."""
    return sorted(tuple(term.value for term in row) for row in store.query(PREFIX + where))


def test_two_coders_of_one_statement_make_two_stances_with_one_coder_each(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path, CODED)
    report = ingest(store, path)
    assert report.stances == 4 and report.warnings == ()
    coded = select(store, "SELECT ?s ?c WHERE { GRAPH ?g { ?s a sg:Stance ; sg:codedBy ?c } }")
    assert len(coded) == 4 and len({s for s, _ in coded}) == 4  # four stances, one coder each
    assert sorted(c for _, c in coded) == [ID_NS + "coder/ana"] * 2 + [ID_NS + "coder/ben"] * 2
    assert select(store, "SELECT ?c ?l WHERE { ?c a sg:Coder ; skos:prefLabel ?l }") == [
        (ID_NS + "coder/ana", "Ana"),
        (ID_NS + "coder/ben", "Ben"),
    ]
    assert report.actors_created == 2  # the United States and Russia: coders are no actors
    assert ingest(store, path).added == 0  # the same file again adds nothing


def test_a_coder_who_repeats_a_statement_repeats_it(tmp_path: Path) -> None:
    again = "United States,Point 7,1,2025-11-22 10:00:00,ana,US plan text,Axios\n"  # Ana, spelled otherwise
    found = check(write(tmp_path, CODED + again))
    assert list(found) == []
    (warning,) = found.warnings
    assert warning.line == 6 and "line 6 repeats line 2" in warning.message
    assert (
        "(the same organization, concept, agreement, time, document_source, document_title" in warning.message
    )
    assert "coder ('ana' here, 'Ana' on line 2)" in warning.message
    converted = convert_statements(write(tmp_path, CODED + again))
    assert converted.stances == 4


def test_a_coder_is_no_actor_in_any_list_or_network(store: Store, tmp_path: Path) -> None:
    ingest(store, write(tmp_path, CODED))
    assert {a.label for a in actors(store)} == {"United States", "Russia"}
    table = statements_from_store(store)
    assert set(table.actor) == {"United States", "Russia"}
    assert one_mode(table).row_labels == ("Russia", "United States")
    assert two_mode(table).row_labels == ("Russia", "United States")


def test_stances_carry_their_coder_and_moment(store: Store, tmp_path: Path) -> None:
    ingest(store, write(tmp_path, CODED))
    found = stances(store, actor="United States")
    assert sorted((s.coder, s.coder_label) for s in found) == [
        (ID_NS + "coder/ana", "Ana"),
        (ID_NS + "coder/ben", "Ben"),
    ]
    assert {s.stated_at.isoformat() for s in found} == {"2025-11-22T10:00:00"}
    assert {s.stated_on.isoformat() for s in found} == {"2025-11-22"}


def test_a_coder_the_store_has_keeps_its_one_name(store: Store, tmp_path: Path) -> None:
    ingest(store, write(tmp_path, CODED))
    later = (
        HEADER + "Ukraine,Point 7,0,2025-11-24 12:00:00,ANA,Address to the nation,Office of the President\n"
    )
    path = write(tmp_path, later, "later.csv")
    assert list(check(path, store=store)) == []
    ingest(store, path)
    assert select(store, "SELECT ?l WHERE { <" + ID_NS + "coder/ana> skos:prefLabel ?l }") == [("Ana",)]
    assert select(store, "SELECT ?l WHERE { <" + ID_NS + "coder/ana> skos:altLabel ?l }") == []
    assert list(read_statements_csv(path, store=store).coder) == ["Ana"]  # the store's name for the coder
    assert list(read_statements_csv(path).coder) == ["ANA"]  # without the store, the name as written


def test_a_stored_stance_is_repeated_by_its_coder_only(store: Store, tmp_path: Path) -> None:
    ingest(store, write(tmp_path, CODED))
    rows = [
        "United States,Point 7,1,2025-11-22 10:00:00,Cleo,US plan text,Axios\n",  # a third coder: new
        "United States,Point 7,1,2025-11-22 10:00:00,Ana,US plan text,Axios\n",  # Ana again: in the store
    ]
    text = "quote," + HEADER + "".join(f"again,{row}" for row in rows)  # another quote: another IRI
    path = write(tmp_path, text, "again.csv")
    report = ingest(store, path, against_store=True)
    assert report.stances == 1 and [w.line for w in report.warnings] == [3]
    assert "already in the store" in report.warnings[0].message
    assert len(select(store, "SELECT ?s WHERE { GRAPH ?g { ?s sg:codedBy ?c } }")) == 5


@pytest.mark.parametrize(
    ("cell", "words"),
    [("--", "cannot name a coder"), ("https://exa mple.org/coder", "not a valid IRI")],
)
def test_a_coder_cell_that_names_no_coder_is_a_row_problem(tmp_path: Path, cell: str, words: str) -> None:
    text = HEADER + f"Russia,Point 7,1,2025-11-23 09:00:00,{cell},Kremlin readout,TASS\n"
    (problem,) = convert_statements(write(tmp_path, text)).violations
    assert (problem.line, problem.path, problem.value) == (2, SG_NS + "codedBy", cell)
    assert words in problem.message

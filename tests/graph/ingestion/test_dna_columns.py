"""The Discourse Network Analyzer's column names in a statements table: read as ours, or refused, saying
what to do instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from stancegraph.graph.ingestion import check, convert_statements
from stancegraph.graph.ingestion.dna_columns import DNA_NAMES, DNA_REFUSED
from stancegraph.graph.ingestion.table_format import COLUMNS, read_header
from stancegraph.ontology.namespaces import ID_NS, SG_NS

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"

#: What rDNA's event list looks like once write.csv(..., row.names = FALSE) has written it, with the
#: columns a statements table does not take removed: DNA's default statement type, a boolean agreement.
DNA = (
    "person,organization,concept,agreement,time,coder,document_title,document_source\n"
    "Steve Witkoff,United States,Point 7,1,2025-11-22 10:00:00,1,US plan text,Axios\n"
    ",Ukraine,Point 7,0,2025-11-22 18:30:00,1,Address to the nation,Office of the President\n"
    ",Russia,Point 7,1,2025-11-23 09:00:00,2,Kremlin readout,TASS\n"
)


def write(tmp_path: Path, text: str, name: str = "dna.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def objects(quads: tuple[Quad, ...], subject: object, predicate: str) -> list:
    return [q.object for q in quads if q.subject == subject and q.predicate == NamedNode(SG_NS + predicate)]


def stance_of(quads: tuple[Quad, ...], actor: str) -> object:
    (found,) = [q.subject for q in quads if q.predicate == NamedNode(SG_NS + "actor") and q.object == actor]
    return found


def test_every_dna_name_means_one_of_our_columns_and_none_is_refused_and_accepted() -> None:
    assert set(DNA_NAMES.values()) <= set(COLUMNS)
    assert not set(DNA_NAMES) & set(COLUMNS) and not set(DNA_REFUSED) & (set(DNA_NAMES) | set(COLUMNS))


def test_a_table_with_dna_s_names_is_read_as_ours(tmp_path: Path) -> None:
    result = convert_statements(write(tmp_path, DNA))
    assert result.violations == () and result.warnings == () and result.stances == 3
    us = stance_of(result.quads, NamedNode(ID_NS + "actor/united-states"))
    assert objects(result.quads, us, "person") == [NamedNode(ID_NS + "actor/steve-witkoff")]
    assert objects(result.quads, us, "target") == [NamedNode(ID_NS + "issue/point-7")]
    assert objects(result.quads, us, "stanceType") == [NamedNode(SG_NS + "Endorses")]
    assert objects(result.quads, us, "agreement") == [Literal("1", datatype=NamedNode(XSD + "integer"))]
    assert objects(result.quads, us, "statedOn") == [Literal("2025-11-22", datatype=NamedNode(XSD + "date"))]
    assert objects(result.quads, us, "statedAt") == [
        Literal("2025-11-22T10:00:00", datatype=NamedNode(XSD + "dateTime"))
    ]
    assert objects(result.quads, us, "codedBy") == [NamedNode(ID_NS + "coder/1")]
    assert {q.graph_name for q in result.quads if q.subject == us} == {
        NamedNode(ID_NS + "source/us-plan-text")
    }
    ukraine = stance_of(result.quads, NamedNode(ID_NS + "actor/ukraine"))
    assert objects(result.quads, ukraine, "stanceType") == [NamedNode(SG_NS + "Rejects")]
    assert objects(result.quads, ukraine, "person") == []
    assert check(write(tmp_path, DNA)) == []  # and the shapes take it


def test_our_names_and_dna_s_give_the_same_stances(tmp_path: Path) -> None:
    ours = DNA.replace(
        "person,organization,concept,agreement,time,coder,document_title,document_source",
        "person,actor,target,agreement,date,coder,document,source",
    )
    dna, own = convert_statements(write(tmp_path, DNA)), convert_statements(write(tmp_path, ours, "ours.csv"))
    assert set(dna.quads) == set(own.quads)  # the same IRIs too: a row is named by its cells' meaning


def test_person_without_an_organization_is_a_network_of_people(tmp_path: Path) -> None:
    text = (
        "person,concept,agreement,time,coder,document_title,document_source\n"
        "Steve Witkoff,Point 7,1,2025-11-22 10:00:00,1,US plan text,Axios\n"
        "Rustem Umerov,Point 7,0,2025-11-22 18:30:00,1,Address to the nation,Office of the President\n"
    )
    result = convert_statements(write(tmp_path, text))
    assert result.violations == ()
    witkoff = NamedNode(ID_NS + "actor/steve-witkoff")
    stance = stance_of(result.quads, witkoff)
    assert objects(result.quads, stance, "person") == []  # the person is the actor, not its speaker
    types = {q.object for q in result.quads if q.subject == witkoff and q.predicate == RDF_TYPE}
    assert types == {NamedNode(SG_NS + "Person")}
    assert set(result.actors_created) == {witkoff.value, ID_NS + "actor/rustem-umerov"}
    header = read_header(text.splitlines()[0].split(","))
    assert header.person_is_actor and header.columns["actor"] == 0 and "person" not in header.columns
    assert check(write(tmp_path, text)) == []


@pytest.mark.parametrize(
    ("columns", "names"),
    [
        ("actor,organization,target,stance", ("'actor' and 'organization'", "our name and DNA's")),
        ("organization,target,concept,stance", ("'target' and 'concept'", "our name and DNA's")),
        ("actor,target,stance,date,time", ("'date' and 'time'", "when it was said")),
        ("actor,target,stance,document_title,document_id", ("'document_title' and 'document_id'", "two of")),
        ("actor,target,stance,document,document title", ("'document' and 'document title'", "the report")),
        ("actor,target,stance,source,document_source", ("'source' and 'document_source'", "published")),
    ],
)
def test_a_header_naming_one_column_twice_in_two_ways_is_refused(
    tmp_path: Path, columns: str, names: tuple[str, str]
) -> None:
    result = convert_statements(write(tmp_path, columns + "\n"))
    (problem,) = [v for v in result.violations if "both name" in v.message]
    assert problem.line == 1 and problem.rule == "csv" and "keep one" in problem.message
    assert all(name in problem.message for name in names), problem.message
    assert result.quads == ()


def test_dna_s_other_columns_are_refused_saying_what_to_do_with_each(tmp_path: Path) -> None:
    # rDNA's event list as write.csv writes it, row names and all
    header = (
        '"","statement_id","time","person","organization","concept","agreement","start_position",'
        '"stop_position","text","coder","document_id","document_author","document_section","document_type"'
    )
    row = '"1",7,2025-11-22 10:00:00,"","US","Point 7",1,10,40,"We back it",1,3,"A. Writer","World","News"'
    found = check(write(tmp_path, header + "\n" + row + "\n"))
    (problem,) = [v for v in found if v.message.startswith("unknown column")]
    message = problem.message
    for name in (
        "''",
        "'statement_id'",
        "'text'",
        "'document_author'",
        "'document_type'",
    ):
        assert name in message
    assert "rename it to 'id'" in message and "rename it to 'quote'" in message
    assert "row.names = FALSE" in message and "organization for actor" in message
    assert "'document_id'" not in message  # that one is read: it names the document
    assert "'start_position'" not in message  # read too: where the quote stands in the document
    assert problem.line == 1 and problem.file == str(tmp_path / "dna.csv")


def test_an_event_list_exported_with_semicolons_is_read_cell_by_cell(tmp_path: Path) -> None:
    # DNA's export dialog separates cells with ";" and writes the document's fields first
    exported = (
        '"statement ID";"time";"document ID";"document title";"author";"source";"section";"type";"text";'
        '"person";"organization";"concept";"agreement"\n'
        '7;2025-11-22 10:00:00;3;"US plan text";"A. Writer";"Axios";"World";"News";"We back it, fully";'
        '"";"United States";"Point 7";1\n'
    )
    found = check(write(tmp_path, exported))
    messages = [v.message for v in found]
    assert any(
        m.startswith("columns 'document id' and 'document title' both name the report") for m in messages
    )
    (unknown,) = [m for m in messages if m.startswith("unknown column")]
    assert all(f"'{name}'" in unknown for name in ("statement id", "author", "section", "type", "text"))
    # once those columns are gone, the same export loads
    kept = (
        '"time";"document title";"source";"person";"organization";"concept";"agreement"\n'
        '2025-11-22 10:00:00;"US plan text, draft";"Axios";"";"United States";"Point 7";1\n'
    )
    result = convert_statements(write(tmp_path, kept, "kept.csv"))
    assert result.violations == () and result.stances == 1
    assert {q.graph_name.value for q in result.quads if q.predicate == NamedNode(SG_NS + "actor")} == {
        ID_NS + "source/us-plan-text-draft"
    }


def test_a_row_problem_names_the_column_as_the_header_does(tmp_path: Path) -> None:
    text = "organization,concept,agreement,time,document_source\n,Point 7,1,2025-11-22 10:00:00,Axios\n"
    found = check(write(tmp_path, text))
    (problem,) = [v for v in found if v.path == SG_NS + "actor"]
    assert problem.line == 2 and problem.message.startswith("the organization cell is empty")

"""Discourse Network Analyzer projects (``.dna``): read through the one statements reader, with what a table
cannot carry, checked and stored whole or not at all; their networks equal DNA's."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from stancegraph.graph.analysis.networks import one_mode, two_mode
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.errors import ValidationError
from stancegraph.graph.ingestion import DnaOptions, check, ingest
from stancegraph.graph.store import Store, open_store
from stancegraph.ontology.namespaces import DCTERMS_NS, ID_NS, SG_NS, SKOS_NS

TEXT = (
    "Mr. Chairman, the Alliance supports a cap on emissions. "  # from 14, the space at 55
    "We think a carbon tax would hurt the economy badly. "  # 56..108, the space at 107
    "The Sierra Club wants the cap, and it wants it now. "  # 108..160, the space at 159
    "Industry rejects the cap outright."  # 160..194
)


@pytest.fixture
def project(dna_project):  # noqa: ANN001, ANN201
    """Two documents, two coders (Ana and Ben code the first statement both), a boolean and an integer
    statement type, entities with attributes."""
    p = dna_project()
    ana, ben = p.coder("Ana"), p.coder("Ben")
    first = p.document("Hearing on emissions", TEXT, date="2005-01-26", author="Committee", section="Energy",
                       type="hearing", notes="transcribed")  # fmt: skip
    second = p.document(
        "Press release", "Industry rejects the cap.", date="2005-02-02 14:30:00", source="NPRA"
    )
    p.statement(first, 14, 56, coder=ana, person="Kateri Callahan", organization="Alliance to Save Energy",
                concept="Cap emissions", agreement=1)  # fmt: skip
    p.statement(first, 14, 56, coder=ben, person="Kateri Callahan", organization="Alliance to Save Energy",
                concept="Cap emissions", agreement=1)  # fmt: skip
    p.statement(first, 56, 108, coder=ana, person="Kateri Callahan", organization="Alliance to Save Energy",
                concept="Carbon tax", agreement=0)  # fmt: skip
    p.statement(first, 108, 160, coder=ana, person="David Hamilton", organization="Sierra Club",
                concept="Cap emissions", agreement=1)  # fmt: skip
    p.statement(first, 160, 194, coder=ben, person="Bob Slaughter", organization="Industry",
                concept="Cap emissions", agreement=0)  # fmt: skip
    p.statement(second, 0, 25, coder=ben, person="Bob Slaughter", organization="Industry",
                concept="Cap emissions", agreement=0)  # fmt: skip
    p.statement(first, 0, 10, statement_type=2, note="An aside")  # an Annotation: not read
    p.attributes(
        "organization", "Sierra Club", colour=(0, 204, 0), Type="NGO", Alias="SC", Notes="Founded 1892"
    )
    p.attributes("organization", "Industry", colour=(255, 153, 0), Type="business")
    p.attributes("concept", "Cap emissions", Type="policy", Alias="cap")
    p.attributes("person", "David Hamilton", Notes="Director, Global Warming and Energy Programs")
    scale = p.statement_type("Scale", organization="short text", concept="short text", agreement="integer")
    for start, organization, value in ((0, "Alliance to Save Energy", 2), (108, "Sierra Club", 1),
                                       (160, "Industry", -2), (56, "Industry", 0)):  # fmt: skip
        p.statement(first, start, start + 20, coder=ana, statement_type=scale, organization=organization,
                    concept="Cap emissions", agreement=value)  # fmt: skip
    return p.save()


def values(store: Store, node: str, predicate: str) -> list[str]:
    pattern = f"<{node}> <{predicate}> ?o"
    query = f"SELECT ?o WHERE {{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} }}"
    return sorted(row[0].value for row in store.query(query))


def stance_rows(store: Store) -> list[tuple]:
    query = f"""
        SELECT ?quote ?start ?end ?coder ?agreement ?date WHERE {{ GRAPH ?g {{
            ?s a <{SG_NS}Stance> ; <{SG_NS}quote> ?quote ; <{SG_NS}quoteStart> ?start ;
               <{SG_NS}quoteEnd> ?end ; <{SG_NS}codedBy> ?coder ; <{SG_NS}agreement> ?agreement ;
               <{SG_NS}statedOn> ?date }} }}"""
    return sorted(
        (q.value, int(a.value), int(b.value), c.value.rsplit("/", 1)[1], int(n.value), d.value)
        for q, a, b, c, n, d in store.query(query)
    )


def test_a_project_s_statements_become_stances_with_their_quotes_coders_and_documents(
    store: Store, project: Path
) -> None:
    report = ingest(store, project)
    assert report.stances == 6 and report.warnings == ()  # the annotation and the Scale type are not read
    assert stance_rows(store) == [
        ("Industry rejects the cap outright.", 160, 194, "ben", 0, "2005-01-26"),
        ("Industry rejects the cap.", 0, 25, "ben", 0, "2005-02-02"),
        ("The Sierra Club wants the cap, and it wants it now.", 108, 159, "ana", 1, "2005-01-26"),
        ("We think a carbon tax would hurt the economy badly.", 56, 107, "ana", 0, "2005-01-26"),
        # two coders of one statement: two stances (a space around a span is left out, in the quote and
        # in its offsets)
        ("the Alliance supports a cap on emissions.", 14, 55, "ana", 1, "2005-01-26"),
        ("the Alliance supports a cap on emissions.", 14, 55, "ben", 1, "2005-01-26"),
    ]
    hearing = ID_NS + "source/hearing-on-emissions"
    assert values(store, hearing, DCTERMS_NS + "title") == ["Hearing on emissions"]
    assert values(store, hearing, DCTERMS_NS + "publisher") == ["Hearing"]
    assert values(store, hearing, DCTERMS_NS + "issued") == ["2005-01-26"]
    assert values(store, hearing, DCTERMS_NS + "creator") == ["Committee"]
    assert values(store, hearing, SG_NS + "section") == ["Energy"]
    assert values(store, hearing, DCTERMS_NS + "type") == ["hearing"]
    assert values(store, hearing, SKOS_NS + "note") == ["transcribed"]
    assert values(store, hearing, SG_NS + "fullText") == [TEXT]
    release = ID_NS + "source/press-release"
    assert values(store, release, DCTERMS_NS + "publisher") == ["NPRA"]
    # a document's time of day is kept beside its day
    assert values(store, release, DCTERMS_NS + "issued") == ["2005-02-02"]
    assert len(values(store, release, SG_NS + "fullText")) == 1


def test_entity_attributes_go_to_the_actors_and_targets_their_names_resolve_to(
    store: Store, project: Path
) -> None:
    ingest(store, project)
    club, industry = ID_NS + "actor/sierra-club", ID_NS + "actor/industry"
    assert values(store, club, SKOS_NS + "prefLabel") == ["Sierra Club"]
    assert values(store, club, SKOS_NS + "altLabel") == ["SC"]
    assert values(store, club, SKOS_NS + "note") == ["Founded 1892"]
    assert values(store, club, SG_NS + "category") == ["NGO"]
    assert values(store, club, SG_NS + "colour") == ["#00CC00"]
    assert values(store, industry, SG_NS + "colour") == ["#FF9900"]
    assert values(store, ID_NS + "issue/cap-emissions", SG_NS + "category") == ["policy"]
    assert values(store, ID_NS + "actor/david-hamilton", SKOS_NS + "note") == [
        "Director, Global Warming and Energy Programs"
    ]
    assert values(store, ID_NS + "actor/alliance-to-save-energy", SG_NS + "colour") == []  # none set


def test_loading_a_project_again_adds_nothing(store: Store, project: Path) -> None:
    first = ingest(store, project)
    again = ingest(store, project, against_store=True)
    assert first.added > 0 and again.added == 0 and again.already_stored == 6 and again.warnings == ()


def test_a_project_given_as_an_open_file_is_read_as_its_file(store: Store, project: Path) -> None:
    report = ingest(store, ("project.dna", io.BytesIO(project.read_bytes())))
    assert report.stances == 6 and report.files == ("project.dna",)


def test_an_integer_qualifier_of_another_statement_type(store: Store, project: Path) -> None:
    report = ingest(store, project, dna=DnaOptions(statement_type="Scale"))
    assert report.stances == 4
    query = f"SELECT ?a ?t WHERE {{ GRAPH ?g {{ ?s <{SG_NS}agreement> ?a ; <{SG_NS}stanceType> ?t }} }}"
    found = sorted((int(a.value), t.value.rsplit("#", 1)[1]) for a, t in store.query(query))
    assert found == [(-2, "Rejects"), (0, "Neutral"), (1, "Endorses"), (2, "Endorses")]


def test_the_person_as_the_actor_makes_a_network_of_people(store: Store, project: Path) -> None:
    ingest(store, project, dna=DnaOptions(actor_variable="person"))
    st = statements_from_store(store)
    assert sorted(set(st.actor.tolist())) == ["Bob Slaughter", "David Hamilton", "Kateri Callahan"]
    assert values(
        store, ID_NS + "actor/bob-slaughter", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    ) == [SG_NS + "Person"]


def test_characters_beyond_the_basic_plane_count_once(store: Store, dna_project) -> None:  # noqa: ANN001
    p = dna_project()
    text = "\N{GRINNING FACE} We back the cap."  # DNA counts the emoji as two (UTF-16) characters
    document = p.document("Emoji", text)
    p.statement(document, 3, 19, person="A", organization="Org", concept="Cap", agreement=1)
    ingest(store, p.save())
    assert stance_rows(store) == [("We back the cap.", 2, 18, "admin", 1, "2005-01-26")]


def test_documents_with_one_title_are_two_sources(store: Store, dna_project) -> None:  # noqa: ANN001
    p = dna_project()
    for text in ("One says yes.", "Two says no."):
        document = p.document("Untitled", text)
        p.statement(document, 0, 5, organization=text[:3], concept="Cap", agreement=1)
    ingest(store, p.save())
    query = f"SELECT ?t WHERE {{ ?s a <{SG_NS}Source> ; <{DCTERMS_NS}title> ?t }}"
    assert sorted(row[0].value for row in store.query(query)) == [
        "Untitled (DNA document 1)",
        "Untitled (DNA document 2)",
    ]


# ---------------------------------------------------------------------------------------------------------
# What is refused, with what to do, and nothing stored
# ---------------------------------------------------------------------------------------------------------


def refused(store: Store, source: Path, **options: object) -> str:
    before = store.counts().quads
    with pytest.raises(ValidationError) as error:
        ingest(store, source, **options)
    assert store.counts().quads == before
    found = check(source, **options)
    assert [v.message for v in found] == [v.message for v in error.value.violations]
    return "\n".join(v.message for v in found)


def test_a_file_that_is_not_sqlite(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "notes.dna"
    path.write_text("organization,concept\n", encoding="utf-8")
    message = refused(store, path)
    assert "not a Discourse Network Analyzer project" in message and "SQLite" in message


def test_a_dna_1_project(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "old.dna"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<discourse>\n  <version>1.21</version>\n')
    message = refused(store, path)
    assert "DNA 1 project (an XML file)" in message and "Import from DNA database" in message


def test_an_sqlite_file_that_is_no_dna_project(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "other.dna"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (name TEXT)")
    message = refused(store, path)
    assert "no Discourse Network Analyzer project" in message and "PEOPLE" in message


def test_a_dna_2_project_names_its_version_and_how_to_import_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "dna2.dna"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE SETTINGS (Property TEXT, Value TEXT);"
            "INSERT INTO SETTINGS VALUES ('version', '2.0 beta 25');"
            "CREATE TABLE DOCUMENTS (ID INTEGER); CREATE TABLE STATEMENTS (ID INTEGER);"
            "CREATE TABLE ATTRIBUTES (ID INTEGER, VariableId INTEGER, Value TEXT, Type TEXT, Alias TEXT);"
        )
    message = refused(store, path)
    assert "DNA 2.0 beta 25" in message and "reads DNA 3.0 projects" in message
    assert "Import from DNA database" in message


def test_a_project_with_statement_roles_is_refused_saying_what_to_load_instead(
    store: Store,
    dna_project,  # noqa: ANN001
) -> None:
    p = dna_project(version="3.1.0")
    p.db.execute("CREATE TABLE ROLES (ID INTEGER, RoleName TEXT)")
    message = refused(store, p.save())
    assert "DNA 3.1.0" in message and "roles" in message and "event list" in message


def test_an_unknown_statement_type_lists_the_types_the_project_has(store: Store, project: Path) -> None:
    message = refused(store, project, dna=DnaOptions(statement_type="Speech act"))
    assert "no statement type 'Speech act'" in message
    assert "'DNA Statement' (6 statements); 'Annotation' (1 statement); 'Scale' (4 statements)" in message
    assert "--statement-type" in message


def test_an_unknown_actor_variable_lists_the_variables(store: Store, project: Path) -> None:
    message = refused(store, project, dna=DnaOptions(actor_variable="speaker"))
    assert "no short text variable 'speaker'" in message and "organization (short text)" in message


def test_an_empty_project(store: Store, dna_project) -> None:  # noqa: ANN001
    message = refused(store, dna_project().save())
    assert "has no statements" in message and "'DNA Statement' (0 statements)" in message


def test_a_statement_outside_its_document(store: Store, dna_project) -> None:  # noqa: ANN001
    p = dna_project()
    document = p.document("Short", "Too short.")
    p.statement(document, 0, 5, organization="Org", concept="Cap", agreement=1)
    p.statement(document, 4, 40, organization="Org", concept="Tax", agreement=1)
    message = refused(store, p.save())
    assert (
        "statement 2 (document 1 'Short') marks the characters 4 to 40 of its document, whose text has 10"
        in (message)
    )
    assert message.count("\n") == 0  # one problem; the good statement is not stored either


def test_a_statement_without_its_organization(store: Store, dna_project) -> None:  # noqa: ANN001
    p = dna_project()
    document = p.document("Doc", "Some text here.")
    p.statement(document, 0, 4, person="Ann", concept="Cap", agreement=1)
    message = refused(store, p.save())
    assert "statement 1 (document 1 'Doc') has no organization" in message


def test_a_document_without_a_source_is_named_with_what_to_fill_in_in_dna(
    store: Store,
    dna_project,  # noqa: ANN001
) -> None:
    p = dna_project()
    document = p.document("Unsourced", "Some text here.", source="")
    p.statement(document, 0, 4, organization="Org", concept="Cap", agreement=1)
    found = check(p.save())
    (problem,) = found
    assert problem.message.startswith("document 1 'Unsourced': ") and problem.line is None
    assert "dcterms:publisher" in problem.message and "(in DNA: fill in or correct the document's source" in (
        problem.message
    )
    assert problem.file == str(p.path)


# ---------------------------------------------------------------------------------------------------------
# The networks: from the loaded store as DNA computes them from the project's rows
# ---------------------------------------------------------------------------------------------------------


def dna_counts(path: Path, statement_type: str = "DNA Statement") -> tuple[list, list, np.ndarray]:
    """x[i, j, k]: the statements of organisation i on concept j with agreement k, straight from the
    project's tables (every statement counts: DNA's duplicates 'include')."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            """SELECT o.Value, c.Value, a.Value FROM STATEMENTS s
               JOIN STATEMENTTYPES t ON t.ID = s.StatementTypeId AND t.Label = ?
               JOIN VARIABLES vo ON vo.StatementTypeId = t.ID AND vo.Variable = 'organization'
               JOIN VARIABLES vc ON vc.StatementTypeId = t.ID AND vc.Variable = 'concept'
               JOIN VARIABLES va ON va.StatementTypeId = t.ID AND va.Variable = 'agreement'
               JOIN DATASHORTTEXT so ON so.StatementId = s.ID AND so.VariableId = vo.ID
               JOIN ENTITIES o ON o.ID = so.Entity
               JOIN DATASHORTTEXT sc ON sc.StatementId = s.ID AND sc.VariableId = vc.ID
               JOIN ENTITIES c ON c.ID = sc.Entity
               JOIN DATABOOLEAN a ON a.StatementId = s.ID AND a.VariableId = va.ID""",
            (statement_type,),
        ).fetchall()
    actors, targets = sorted({r[0] for r in rows}), sorted({r[1] for r in rows})
    x = np.zeros((len(actors), len(targets), 2))
    for actor, target, agreement in rows:
        x[actors.index(actor), targets.index(target), agreement] += 1
    return actors, targets, x


def expected_networks(x: np.ndarray) -> dict[str, np.ndarray]:
    """DNA's definitions (docs networks.md), computed cell by cell."""
    n = x.shape[0]
    y = x.sum(axis=2)
    activity = y.sum(axis=1)
    found = {"two-mode": y, "two-mode subtract": x[:, :, 1] - x[:, :, 0]}
    ignore, congruence, conflict = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n))
    for i in range(n):
        for k in range(n):
            if i == k:
                continue
            ignore[i, k] = sum(y[i, j] * y[k, j] for j in range(x.shape[1]))
            congruence[i, k] = sum(x[i, j, a] * x[k, j, a] for j in range(x.shape[1]) for a in (0, 1))
            conflict[i, k] = sum(x[i, j, a] * x[k, j, 1 - a] for j in range(x.shape[1]) for a in (0, 1))
    average = (activity[:, None] + activity[None, :]) / 2
    found |= {"one-mode": ignore, "congruence": congruence, "conflict": conflict}
    found["congruence average"] = np.divide(
        congruence, average, out=np.zeros_like(congruence), where=average > 0
    )
    return found


def loaded_networks(store: Store) -> dict[str, object]:
    st = statements_from_store(store)
    return {
        "two-mode": two_mode(st),
        "two-mode subtract": two_mode(st, aggregation="subtract"),
        "one-mode": one_mode(st),
        "congruence": one_mode(st, aggregation="congruence"),
        "conflict": one_mode(st, aggregation="conflict"),
        "congruence average": one_mode(st, aggregation="congruence", normalization="average"),
    }


def test_the_networks_of_the_loaded_store_equal_those_computed_from_the_project(
    store: Store, project: Path
) -> None:
    ingest(store, project)
    actors, targets, x = dna_counts(project)
    expected = expected_networks(x)
    for name, network in loaded_networks(store).items():
        assert list(network.row_labels) == actors, name
        if name.startswith("two-mode"):
            assert list(network.column_labels) == targets
        assert np.allclose(network.to_dense(), expected[name]), name


SAMPLE = Path(__file__).with_name("data") / "dna-sample-statements.tsv"


def sample_project(path: Path, dna_project) -> Path:  # noqa: ANN001
    """DNA's sample project as a DNA 3.0 database: its 40 statements in their seven documents, each
    document's text a stand-in as long as its statements need (the testimony itself is not copied)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    p = dna_project(path.name)
    documents: dict[str, int] = {}
    for number, date, title, _, start, stop, person, organization, concept, agreement in rows:
        if number not in documents:
            length = max(int(r[5]) for r in rows if r[0] == number) + 1
            stand_in = ("[the testimony is not included in this test] " * (length // 40 + 1))[:length]
            documents[number] = p.document(title, stand_in, date=date, source="U.S. Congress")
        p.statement(documents[number], int(start), int(stop), person=person, organization=organization,
                    concept=concept, agreement=int(agreement))  # fmt: skip
    return p.save()


def test_dna_s_sample_project_gives_dna_s_published_networks(dna_project, tmp_path: Path) -> None:  # noqa: ANN001
    # rDNA's tests of dna_network() on sample.dna: two-mode 7 x 6 with sum 40 and 22 edges, the row of
    # "Energy and Environmental Analysis" starting 2 0; one-mode 7 x 7 with sum 276, the row of the
    # "Environmental Protection Agency" starting 10 2; 40 statements from 2005-01-26 to 2005-02-16
    path = sample_project(tmp_path / "sample.dna", dna_project)
    with open_store() as store:
        report = ingest(store, path)
        assert report.stances == 40 and report.warnings == ()
        st = statements_from_store(store)
        two = two_mode(st)
        assert two.to_dense().shape == (7, 6) and two.to_dense().sum() == 40 and two.matrix.nnz == 22
        assert two.column_labels[:2] == (
            "CO2 legislation will not hurt the economy.",
            "Cap and trade is the solution.",
        )
        row = two.row_labels.index("Energy and Environmental Analysis, Inc.")
        assert two.to_dense()[row, :2].tolist() == [2, 0]
        one = one_mode(st)
        assert one.to_dense().shape == (7, 7) and one.to_dense().sum() == 276
        epa = one.row_labels.index("Environmental Protection Agency")
        assert one.row_labels[:2] == ("Alliance to Save Energy", "Energy and Environmental Analysis, Inc.")
        assert one.to_dense()[epa, :2].tolist() == [10, 2]
        average = one_mode(st, aggregation="congruence", normalization="average")
        assert round(average.to_dense().sum()) == 26
        assert (min(st.date), max(st.date)) == (np.datetime64("2005-01-26"), np.datetime64("2005-02-16"))
        _, _, x = dna_counts(path)
        for name, network in loaded_networks(store).items():
            assert np.allclose(network.to_dense(), expected_networks(x)[name]), name


def test_a_coder_who_marks_one_span_twice_alike_is_warned_of_in_dna_s_terms(
    store: Store,
    dna_project,  # noqa: ANN001
) -> None:
    p = dna_project()
    document = p.document("Doc", "We back the cap. We back it.")
    for _ in range(2):
        p.statement(document, 0, 16, organization="Org", concept="Cap", agreement=1)
    p.statement(document, 17, 28, organization="Org", concept="Cap", agreement=1)  # another span: counted
    report = ingest(store, p.save())
    assert report.stances == 2
    (warning,) = report.warnings
    assert warning.line is None and warning.rule == "duplicate"
    assert warning.message.startswith("statement 2 (document 1 'Doc'): statement 2 repeats statement 1 ")

"""Statements tables to RDF: columns, stance coding, names, stable IRIs, row problems with their lines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from stancegraph.graph.ingestion import COLUMNS, convert_statements
from stancegraph.graph.store import Store
from stancegraph.ontology.namespaces import DCTERMS_NS, FOAF_NS, ID_NS, PROV_NS, SG_NS, SKOS_NS

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"


def sg(local: str) -> NamedNode:
    return NamedNode(SG_NS + local)


def node(path: str) -> NamedNode:
    return NamedNode(ID_NS + path)


def write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def objects(quads: tuple[Quad, ...], subject: object, predicate: NamedNode) -> list:
    return [q.object for q in quads if q.subject == subject and q.predicate == predicate]


def stances(quads: tuple[Quad, ...]) -> list:
    return [q.subject for q in quads if q.predicate == RDF_TYPE and q.object == sg("Stance")]


TABLE = """actor,target,stance,date,document,source,quote,person,confidence
United States,Point 7,Endorses,2025-11-21,Plan text,Axios,"We back it",Marco Rubio,0.9
Ukraine,Point 7,REJECTS,2025-11-20,Plan text,Axios,,,
"""


def test_a_row_becomes_a_stance_in_its_source_graph(tmp_path: Path) -> None:
    result = convert_statements(write(tmp_path, TABLE))
    assert result.violations == () and result.rows == result.stances == 2
    graph = node("source/plan-text")
    first = next(
        s
        for s in stances(result.quads)
        if objects(result.quads, s, sg("actor")) == [node("actor/united-states")]
    )
    assert {q.graph_name for q in result.quads if q.subject == first} == {graph}
    assert objects(result.quads, first, sg("target")) == [node("issue/point-7")]
    assert objects(result.quads, first, sg("stanceType")) == [sg("Endorses")]
    assert objects(result.quads, first, sg("statedOn")) == [
        Literal("2025-11-21", datatype=NamedNode(XSD + "date"))
    ]
    assert objects(result.quads, first, NamedNode(PROV_NS + "wasDerivedFrom")) == [graph]
    assert objects(result.quads, first, sg("quote")) == [Literal("We back it")]
    assert objects(result.quads, first, sg("person")) == [node("actor/marco-rubio")]
    assert objects(result.quads, first, sg("confidence")) == [
        Literal("0.9", datatype=NamedNode(XSD + "decimal"))
    ]
    # the direct edges, in the same graph
    assert Quad(node("actor/united-states"), sg("endorses"), node("issue/point-7"), graph) in result.quads
    assert Quad(node("actor/ukraine"), sg("rejects"), node("issue/point-7"), graph) in result.quads


def test_catalogue_and_created_nodes_go_to_the_default_graph(tmp_path: Path) -> None:
    result = convert_statements(write(tmp_path, TABLE))
    graph = node("source/plan-text")
    default = [q for q in result.quads if q.graph_name == DefaultGraph()]
    assert Quad(graph, RDF_TYPE, sg("Source")) in default
    assert objects(result.quads, graph, NamedNode(DCTERMS_NS + "title")) == [Literal("Plan text")]
    assert objects(result.quads, graph, NamedNode(DCTERMS_NS + "publisher")) == [Literal("Axios")]
    # issued is the earliest date of the source's rows
    assert objects(result.quads, graph, NamedNode(DCTERMS_NS + "issued")) == [
        Literal("2025-11-20", datatype=NamedNode(XSD + "date"))
    ]
    assert set(result.actors_created) == {
        ID_NS + "actor/united-states",
        ID_NS + "actor/ukraine",
        ID_NS + "actor/marco-rubio",
    }
    assert result.targets_created == (ID_NS + "issue/point-7",)
    assert Quad(node("actor/marco-rubio"), RDF_TYPE, sg("Person")) in default
    assert Quad(node("issue/point-7"), RDF_TYPE, sg("Issue")) in default
    labels = objects(result.quads, node("actor/united-states"), NamedNode(SKOS_NS + "prefLabel"))
    assert labels == [Literal("United States", language="en")]


def test_a_url_source_gives_the_page_and_the_host_as_publisher(tmp_path: Path) -> None:
    text = "actor,target,stance,date,source\nUS,Peace,endorses,2025-11-21,https://www.reuters.com/world/a-b\n"
    result = convert_statements(write(tmp_path, text))
    graph = node("source/www-reuters-com-world-a-b")
    assert objects(result.quads, graph, NamedNode(FOAF_NS + "page")) == [
        NamedNode("https://www.reuters.com/world/a-b")
    ]
    assert objects(result.quads, graph, NamedNode(DCTERMS_NS + "publisher")) == [Literal("reuters.com")]


def test_stance_iris_ignore_file_and_column_order_and_repeats(tmp_path: Path) -> None:
    one = convert_statements(
        write(tmp_path, "actor,target,stance\nUS,Peace,endorses\nUS,Peace,endorses\n", "a.csv")
    )
    two = convert_statements(write(tmp_path, "stance,target,actor,quote\nENDORSES,Peace,US,\n", "b.csv"))
    (first,) = stances(one.quads)  # two identical rows are one stance (and a warning, test_duplicates.py)
    assert [w.line for w in one.warnings] == [3]
    assert stances(two.quads) == [first]  # the same row elsewhere is the same stance
    again = convert_statements(
        write(tmp_path, "actor,target,stance\nUS,Peace,endorses\nUS,Peace,endorses\n", "c.csv")
    )
    assert stances(again.quads) == [first]


@pytest.mark.parametrize(
    ("values", "types"),
    [
        (["1", "0", "1"], ["Endorses", "Rejects", "Endorses"]),
        (["2", "0", "-1"], ["Endorses", "Neutral", "Rejects"]),
    ],
    ids=["boolean", "scale"],
)
def test_agreement_coding(tmp_path: Path, values: list[str], types: list[str]) -> None:
    rows = "".join(f"A{i},T,{value},2025-01-0{i + 1}\n" for i, value in enumerate(values))
    result = convert_statements(write(tmp_path, "actor,target,agreement,date\n" + rows))
    assert result.violations == ()
    by_actor = {}
    for stance in stances(result.quads):
        (actor,) = objects(result.quads, stance, sg("actor"))
        (kind,) = objects(result.quads, stance, sg("stanceType"))
        (code,) = objects(result.quads, stance, sg("agreement"))
        by_actor[actor.value] = (kind, code)
    for i, (value, kind) in enumerate(zip(values, types, strict=True)):
        assert by_actor[ID_NS + f"actor/a{i}"] == (
            sg(kind),
            Literal(value, datatype=NamedNode(XSD + "integer")),
        )
    edges = [
        q
        for q in result.quads
        if q.predicate.value.startswith(SG_NS)
        and q.predicate.value[len(SG_NS)].islower()
        and q.predicate.value[len(SG_NS) :] in ("endorses", "rejects")
    ]
    assert len(edges) == sum(1 for kind in types if kind != "Neutral")  # a neutral stance has no direct edge


def test_unknown_columns_are_refused_with_the_known_ones(tmp_path: Path) -> None:
    result = convert_statements(write(tmp_path, "actor,target,stance,mood\nUS,Peace,endorses,happy\n"))
    assert result.quads == ()
    (problem,) = result.violations
    assert "'mood'" in problem.message and all(column in problem.message for column in COLUMNS)
    assert (problem.file, problem.line) == (str(tmp_path / "table.csv"), 1)


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("target,stance", "'actor'"),
        ("actor,target", "exactly one"),
        ("actor,target,stance,agreement", "exactly one"),
        ("actor,target,stance,actor", "twice"),
        ("", "no header"),
    ],
)
def test_header_problems(tmp_path: Path, header: str, words: str) -> None:
    result = convert_statements(write(tmp_path, header + "\n"))
    assert any(words in v.message for v in result.violations), result.violations


def test_row_problems_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    text = (
        "actor,target,stance,date,confidence,quote\n"
        ",Peace,endorses,2025-11-21,,\n"  # line 2: no actor
        "US,Peace,endorses,21/11/2025,,\n"  # line 3: bad date
        'US,Peace,likes,2025-11-21,,"two\nlines"\n'  # line 4: bad stance (the quote spans lines 4-5)
        "US,Peace,endorses,2025-11-21,1.5,\n"  # line 6: confidence out of range
        "US,Peace,endorses\n"  # line 7: too few fields
        "US,Peace,endorses,2025-02-30,,\n"  # line 8: no such day
        "US,Peace,endorses,2025-11-21,0.5,fine\n"  # line 9: good
    )
    path = write(tmp_path, text)
    result = convert_statements(path)
    found = {(v.line, v.path): v for v in result.violations}
    assert set(found) == {
        (2, SG_NS + "actor"),
        (3, SG_NS + "statedOn"),
        (4, SG_NS + "stanceType"),
        (6, SG_NS + "confidence"),
        (7, None),
        (8, SG_NS + "statedOn"),
    }
    assert all(v.file == str(path) and v.rule == "csv" for v in result.violations)
    assert found[(4, SG_NS + "stanceType")].node is not None  # the row's stance IRI
    assert "endorses, rejects, concedes, demands" in found[(4, SG_NS + "stanceType")].message
    assert "7" not in found[(7, None)].message or "field" in found[(7, None)].message
    assert result.rows == 7 and result.stances == 1


def test_every_bad_cell_of_a_row_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = (
        "actor,target,stance,date,confidence\n"
        "Hungary,Peace,endorses,2025-13-01,1.5\n"  # line 2: no such month, and confidence above 1
        ",,likes,2025-11-21,0.5\n"  # line 3: no actor, no target, unknown stance
    )
    found = {(v.line, v.path) for v in convert_statements(write(tmp_path, text)).violations}
    assert found == {
        (2, SG_NS + "statedOn"),
        (2, SG_NS + "confidence"),
        (3, SG_NS + "actor"),
        (3, SG_NS + "target"),
        (3, SG_NS + "stanceType"),
    }


def test_conflicting_source_details_are_a_row_problem(tmp_path: Path) -> None:
    text = (
        "actor,target,stance,document,source\nUS,Peace,endorses,Report,Reuters\nUA,Peace,rejects,Report,AP\n"
    )
    result = convert_statements(write(tmp_path, text))
    (problem,) = result.violations
    assert problem.line == 3 and problem.path == DCTERMS_NS + "publisher" and "line 2" in problem.message


def test_spellings_of_one_new_name_share_a_node(tmp_path: Path) -> None:
    result = convert_statements(
        write(tmp_path, "actor,target,stance\nNew-York,Peace,endorses\nnew york,Peace,rejects\n")
    )
    assert result.actors_created == (ID_NS + "actor/new-york",)
    assert objects(result.quads, node("actor/new-york"), NamedNode(SKOS_NS + "altLabel")) == [
        Literal("new york", language="en")
    ]


@pytest.fixture
def reference(store: Store) -> Store:
    label = NamedNode(SKOS_NS + "prefLabel")
    store.load(
        [
            Quad(node("actor/us"), RDF_TYPE, sg("State")),
            Quad(node("actor/us"), label, Literal("United States", language="en")),
            Quad(node("actor/ru"), RDF_TYPE, sg("State")),
            Quad(node("actor/ru"), label, Literal("Russia", language="en")),
            Quad(node("actor/ru-2"), RDF_TYPE, sg("Organization")),
            Quad(node("actor/ru-2"), label, Literal("Russia", language="en")),
            Quad(node("plan/us-28"), RDF_TYPE, sg("Plan")),
            Quad(node("plan/us-28"), label, Literal("US 28-point plan", language="en")),
        ]
    )
    return store


def test_names_resolve_by_label_short_id_and_iri(tmp_path: Path, reference: Store) -> None:
    text = (
        "actor,target,stance,date\n"
        "united  STATES,us-28,endorses,2025-11-20\n"
        f"us,{ID_NS}plan/us-28,endorses,2025-11-21\n"  # another day: a stance of its own
        "Somebody New,US 28-point plan,rejects,2025-11-21\n"
    )
    result = convert_statements(write(tmp_path, text), against=reference)
    assert result.violations == ()
    actors = [objects(result.quads, s, sg("actor"))[0].value for s in stances(result.quads)]
    targets = {objects(result.quads, s, sg("target"))[0].value for s in stances(result.quads)}
    assert actors == [ID_NS + "actor/us", ID_NS + "actor/us", ID_NS + "actor/somebody-new"]
    assert targets == {ID_NS + "plan/us-28"}
    assert result.actors_created == (ID_NS + "actor/somebody-new",) and result.targets_created == ()


def test_an_ambiguous_label_is_a_row_problem(tmp_path: Path, reference: Store) -> None:
    result = convert_statements(
        write(tmp_path, "actor,target,stance\nRussia,us-28,rejects\n"), against=reference
    )
    (problem,) = result.violations
    assert problem.line == 2 and problem.path == SG_NS + "actor" and "ru, ru-2" in problem.message


def test_strict_lists_unknown_names_with_their_first_row(tmp_path: Path, reference: Store) -> None:
    text = "actor,target,stance\nus,us-28,endorses\nNobody,us-28,endorses\nNobody,Nothing,endorses\n"
    from stancegraph.graph.ingestion import Names, StatementsReader

    names = Names(reference, strict=True)
    reader = StatementsReader(write(tmp_path, text), names=names)
    for _ in reader.chunks(sink=lambda text: None):
        pass
    unknown = {(v.value, v.line, v.path) for v in names.strict_violations()}
    assert unknown == {("Nobody", 3, SG_NS + "actor"), ("Nothing", 4, SG_NS + "target")}
    assert names.created == {}


def test_piped_binary_input_is_read(tmp_path: Path) -> None:
    class Pipe(io.RawIOBase):  # a stream that cannot seek, like stdin
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    data = "\ufeffactor,target,agreement\nÉlysée,Paix,1\n".encode()
    result = convert_statements(("piped.csv", io.BufferedReader(Pipe(data))))
    assert result.violations == () and result.actors_created == (ID_NS + "actor/elysee",)
    assert objects(result.quads, node("actor/elysee"), NamedNode(SKOS_NS + "prefLabel")) == [
        Literal("Élysée", language="en")
    ]


# -- ids and contradictions ------------------------------------------------------------------------------

CONTESTED = """id,actor,target,stance,date,source,quote,contradicts
claim-1,Ukraine,US plan,endorses,2025-11-20,Reuters,"He agreed to most of it",
denial-1,Ukraine,US plan,rejects,2025-11-21,Kyiv Post,"I approved nothing",claim-1
,Russia,US plan,endorses,2025-11-22,TASS,,later-claim
denial-2,Ukraine,US plan,rejects,2025-11-23,Kyiv Post,,<https://w3id.org/stancegraph/id/stance/later-claim>
Later Claim,Russia,US plan,rejects,2025-11-24,TASS,,
"""


def contradictions(quads: tuple[Quad, ...]) -> set[Quad]:
    return {q for q in quads if q.predicate == sg("contradicts")}


def test_ids_name_stances_and_contradicts_links_them_in_the_rows_graph(tmp_path: Path) -> None:
    result = convert_statements(write(tmp_path, CONTESTED))
    assert result.violations == () and result.stances == 5
    unnamed = next(  # the row without an id keeps a content hash
        s
        for s in stances(result.quads)
        if objects(result.quads, s, sg("actor")) == [node("actor/russia")]
        and objects(result.quads, s, sg("stanceType")) == [sg("Endorses")]
    )
    assert unnamed.value.startswith(ID_NS + "stance/") and len(unnamed.value.rsplit("/")[-1]) == 20
    assert set(stances(result.quads)) == {
        node("stance/claim-1"),
        node("stance/denial-1"),
        unnamed,
        node("stance/denial-2"),
        node("stance/later-claim"),  # "Later Claim" slugified
    }
    assert contradictions(result.quads) == {
        # an earlier row, by id
        Quad(node("stance/denial-1"), sg("contradicts"), node("stance/claim-1"), node("source/kyiv-post")),
        # a later row, by id and by <IRI>
        Quad(unnamed, sg("contradicts"), node("stance/later-claim"), node("source/tass")),
        Quad(
            node("stance/denial-2"), sg("contradicts"), node("stance/later-claim"), node("source/kyiv-post")
        ),
    }


def test_rows_without_ids_keep_their_iris(tmp_path: Path) -> None:
    rows = [
        "United States,Point 7,endorses,2025-11-21,Plan text,Axios",
        "Ukraine,Point 7,rejects,2025-11-20,Plan text,Axios",
    ]
    header = "actor,target,stance,date,document,source\n"
    plain = convert_statements(write(tmp_path, header + "\n".join(rows), "a.csv"))
    empty = convert_statements(
        write(
            tmp_path,
            "id,actor,target,stance,date,document,source,contradicts\n" + "".join(f",{r},\n" for r in rows),
            "b.csv",
        )
    )
    no_coder = convert_statements(
        write(tmp_path, "coder," + header + "".join(f",{r}\n" for r in rows), "c.csv")
    )
    # the IRIs stancegraph has always given these rows (a content hash, see StatementsReader._row_node)
    expected = {node("stance/298b6ca6f70abb401d8f"), node("stance/439b60dbfc6b97fa5827")}
    assert set(stances(plain.quads)) == set(stances(empty.quads)) == set(stances(no_coder.quads)) == expected
    assert set(plain.quads) == set(empty.quads) == set(no_coder.quads)


@pytest.mark.parametrize(
    ("rows", "line", "path", "value", "words"),
    [
        (["a,US,Peace,endorses,", "A,UA,Peace,rejects,"], 3, None, "A", "repeats the id of line 2"),
        (["a,US,Peace,endorses,", "b,UA,Peace,rejects,nowhere"], 3, "contradicts", "nowhere", "no row"),
        (
            ["a,US,Peace,endorses,", "b,UA,Peace,rejects,https://example.org/s/1"],
            3,
            "contradicts",
            "https://example.org/s/1",
            "not an sg:Stance",
        ),
        (["a,US,Peace,endorses,a"], 2, "contradicts", "a", "cannot contradict itself"),
        ([f"a,US,Peace,endorses,<{ID_NS}stance/a>"], 2, "contradicts", f"<{ID_NS}stance/a>", "itself"),
        (["a,US,Peace,endorses,<not an IRI>"], 2, "contradicts", "<not an IRI>", "not a valid IRI"),
        (["a,US,Peace,endorses,", "--,UA,Peace,rejects,a"], 3, None, "--", "no letters or digits"),
    ],
    ids=["duplicate id", "unknown id", "unknown IRI", "self by id", "self by IRI", "bad IRI", "bad id"],
)
def test_id_and_contradicts_problems_name_the_line_and_cell(
    tmp_path: Path, rows: list[str], line: int, path: str | None, value: str, words: str
) -> None:
    path = SG_NS + path if path else None
    table = write(tmp_path, "id,actor,target,stance,contradicts\n" + "".join(r + "\n" for r in rows))
    result = convert_statements(table)
    (problem,) = result.violations
    assert (problem.file, problem.line, problem.path, problem.value, problem.rule) == (
        str(table),
        line,
        path,
        value,
        "csv",
    )
    assert words in problem.message and ("id cell" if path is None else "contradicts cell") in problem.message


def test_every_row_pointing_to_a_missing_id_is_reported_in_line_order(tmp_path: Path) -> None:
    text = (
        "id,actor,target,stance,date,contradicts\n"
        "a,US,Peace,endorses,2025-11-21,gone\n"  # line 2: no row has the id
        "b,US,Peace,endorses,21/11/2025,\n"  # line 3: bad date
        "c,UA,Peace,rejects,2025-11-22,gone\n"  # line 4: no row has the id
        "a,UA,Peace,rejects,2025-11-23,\n"  # line 5: the id of line 2 again
    )
    found = [(v.line, v.path) for v in convert_statements(write(tmp_path, text)).violations]
    contradicts, stated_on = SG_NS + "contradicts", SG_NS + "statedOn"
    assert found == [(2, contradicts), (3, stated_on), (4, contradicts), (5, None)]


def test_a_contradicts_iri_may_name_a_stance_in_the_store(tmp_path: Path, reference: Store) -> None:
    claim = node("stance/claim")
    reference.load([Quad(claim, RDF_TYPE, sg("Stance"), node("source/s"))])
    text = (
        "actor,target,stance,contradicts\n"
        f"us,us-28,rejects,{claim.value}\n"  # line 2: a stance in the store, by its bare IRI
        f"us,us-28,endorses,<{ID_NS}actor/us>\n"  # line 3: in the store, but not a stance
    )
    result = convert_statements(write(tmp_path, text), against=reference)
    (problem,) = result.violations  # an actor is no stance
    assert (problem.line, problem.path, problem.value) == (3, SG_NS + "contradicts", f"<{ID_NS}actor/us>")
    (quad,) = [q for q in contradictions(result.quads) if q.object == claim]
    assert quad.graph_name == DefaultGraph()  # no document or source: the row's graph is the default one


# -- cells over the csv module's default limit (131,072 characters) --------------------------------------
HEADER = "actor,target,stance,date,document,source,quote\n"


def test_a_quote_of_200000_characters_is_read_and_the_csv_limit_is_left_as_it_was(tmp_path):
    import csv

    before = csv.field_size_limit()
    quote = "x" * 200_000
    row = f'US,Point 7,endorses,2025-11-21,Plan,Axios,"{quote}"\n'
    result = convert_statements(write(tmp_path, HEADER + row))
    assert result.violations == () and result.stances == 1
    (stance,) = stances(result.quads)
    assert objects(result.quads, stance, sg("quote")) == [Literal(quote)]
    assert csv.field_size_limit() == before


@pytest.mark.parametrize("agreement", [False, True], ids=["stance", "agreement"])
def test_a_cell_over_the_limit_is_one_syntax_violation_naming_its_line_and_the_limit(tmp_path, agreement):
    from stancegraph.graph.ingestion.csv_input import CSV_FIELD_LIMIT

    head = HEADER.replace("stance", "agreement") if agreement else HEADER
    kind = "1" if agreement else "endorses"
    text = (
        head
        + f"US,Point 7,{kind},2025-11-21,Plan,Axios,short\n"
        + f'US,Point 8,{kind},2025-11-21,Plan,Axios,"{"x" * (CSV_FIELD_LIMIT + 1)}"\n'
    )
    result = convert_statements(write(tmp_path, text))
    where = [(v.file, v.line, v.rule) for v in result.violations]
    assert where == [(str(tmp_path / "table.csv"), 3, "syntax")]
    assert f"{CSV_FIELD_LIMIT:,} characters" in result.violations[0].message
    assert result.stances == 1  # the row before it was read


def test_a_header_over_the_limit_is_a_violation_of_line_1(tmp_path):
    from stancegraph.graph.ingestion.csv_input import CSV_FIELD_LIMIT

    result = convert_statements(write(tmp_path, f'actor,target,stance,"{"y" * (CSV_FIELD_LIMIT + 1)}"\n'))
    assert [(v.line, v.rule) for v in result.violations] == [(1, "csv")]
    assert "cannot read the header" in result.violations[0].message
    assert f"{CSV_FIELD_LIMIT:,}" in result.violations[0].message


MOMENT = "actor,target,stance,date,source\nUS,Peace,endorses,{},Axios\n"


@pytest.mark.parametrize(
    ("cell", "moment"),
    [
        ("2025-11-22 10:00:00", "2025-11-22T10:00:00"),  # as DNA writes it
        ("2025-11-22 10:00", "2025-11-22T10:00:00"),  # as R writes a time without seconds
        ("2025-11-22T10:00:05.250", "2025-11-22T10:00:05.250"),
        ("2025-11-22T23:30:00Z", "2025-11-22T23:30:00Z"),
        ("2025-11-22 23:30:00-05:00", "2025-11-22T23:30:00-05:00"),  # the day it names, not UTC's
    ],
)
def test_a_date_with_a_time_of_day_keeps_the_day_and_the_moment(
    tmp_path: Path, cell: str, moment: str
) -> None:
    result = convert_statements(write(tmp_path, MOMENT.format(cell)))
    assert result.violations == ()
    (stance,) = stances(result.quads)
    assert objects(result.quads, stance, sg("statedOn")) == [
        Literal("2025-11-22", datatype=NamedNode(XSD + "date"))
    ]
    assert objects(result.quads, stance, sg("statedAt")) == [
        Literal(moment, datatype=NamedNode(XSD + "dateTime"))
    ]
    source = node("source/axios")  # the catalogue's date is the day
    assert objects(result.quads, source, NamedNode(DCTERMS_NS + "issued")) == [
        Literal("2025-11-22", datatype=NamedNode(XSD + "date"))
    ]


def test_a_date_without_a_time_gives_no_moment(tmp_path: Path) -> None:
    result = convert_statements(write(tmp_path, MOMENT.format("2025-11-22")))
    (stance,) = stances(result.quads)
    assert objects(result.quads, stance, sg("statedAt")) == []


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("2025-11-22 25:00:00", "does not exist"),
        ("2025-11-31 10:00:00", "does not exist"),
        ("2025-11-22 10h00", "nor a day with a time of day"),
        ("22.11.2025 10:00:00", "nor a day with a time of day"),
        ("2025-11-22 10:00:00 CET", "nor a day with a time of day"),
    ],
)
def test_a_bad_time_of_day_is_a_problem_of_the_date_cell(tmp_path: Path, cell: str, words: str) -> None:
    (problem,) = convert_statements(write(tmp_path, MOMENT.format(cell))).violations
    assert (problem.line, problem.path, problem.value) == (2, SG_NS + "statedOn", cell)
    assert words in problem.message and "correct it" in problem.message


def test_statements_of_one_day_at_two_times_are_two_stances_and_at_one_time_a_repeat(tmp_path: Path) -> None:
    rows = ["US,Peace,endorses,2025-11-22 10:00:00,Axios", "US,Peace,endorses,2025-11-22 15:00:00,Axios"]
    two = convert_statements(write(tmp_path, "actor,target,stance,date,source\n" + "\n".join(rows) + "\n"))
    assert two.stances == 2 and two.warnings == ()
    again = rows[0].replace("10:00:00", "10:00")  # the same moment, written as R writes it
    one = convert_statements(
        write(tmp_path, "actor,target,stance,date,source\n" + rows[0] + "\n" + again + "\n")
    )
    assert one.stances == 1 and [w.line for w in one.warnings] == [3]

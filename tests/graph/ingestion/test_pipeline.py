"""Validated ingest: all or nothing, every problem located, the bundled data set, progress, bulk loads."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from stancegraph.graph.errors import ValidationError
from stancegraph.graph.ingestion import IngestReport, check, ingest, load_bundled
from stancegraph.graph.store import Store
from stancegraph.ontology.namespaces import ID_NS, PROV_NS, SG_NS, SKOS_NS

REFERENCE_TTL = """@prefix sg: <https://w3id.org/stancegraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix actor: <https://w3id.org/stancegraph/id/actor/> .
@prefix plan: <https://w3id.org/stancegraph/id/plan/> .

actor:us a sg:State ;
    skos:prefLabel "United States"@en .

actor:ua a sg:State ;
    skos:prefLabel "Ukraine"@en .

plan:us-28 a sg:Plan ;
    skos:prefLabel "US 28-point plan"@en .
"""

TABLE = """actor,target,stance,date,document,source
United States,us-28,endorses,2025-11-20,Plan text,Axios
ua,US 28-point plan,rejects,2025-11-21,Address,https://www.president.gov.ua/news/address
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ask(store: Store, sparql: str) -> bool:
    result = store.query(sparql, union_default_graph=False)
    assert isinstance(result, bool)
    return result


def test_turtle_and_csv_together(store: Store, tmp_path: Path) -> None:
    report = ingest(
        store, write(tmp_path, "reference.ttl", REFERENCE_TTL), write(tmp_path, "stances.csv", TABLE)
    )
    assert isinstance(report, IngestReport)
    assert report.files == (str(tmp_path / "reference.ttl"), str(tmp_path / "stances.csv"))
    assert (report.stances, report.actors_created, report.targets_created) == (2, 0, 0)
    assert report.quads == store.counts().quads
    assert store.counts().stances == 2 and store.counts().named_graphs == 2
    assert ask(
        store,
        f"ASK {{ GRAPH <{ID_NS}source/plan-text> {{ ?s <{SG_NS}actor> <{ID_NS}actor/us> ; "
        f"<{PROV_NS}wasDerivedFrom> <{ID_NS}source/plan-text> . "
        f"<{ID_NS}actor/us> <{SG_NS}endorses> <{ID_NS}plan/us-28> }} }}",
    )


def test_csv_stances_may_point_to_actors_already_in_the_store(store: Store, tmp_path: Path) -> None:
    ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL))
    report = ingest(store, write(tmp_path, "stances.csv", TABLE))
    assert (report.stances, report.actors_created, report.targets_created) == (2, 0, 0)
    assert store.counts().stances == 2
    again = ingest(store, write(tmp_path, "stances.csv", TABLE))  # the same rows: the same stances
    assert store.counts().stances == 2 and again.stances == 2


def _assert_refused(store: Store, *sources: object) -> ValidationError:
    before = store.counts()
    with pytest.raises(ValidationError) as caught:
        ingest(store, *sources)  # type: ignore[arg-type]
    assert store.counts() == before
    return caught.value


def test_a_turtle_syntax_error_stores_nothing(store: Store, tmp_path: Path) -> None:
    good = write(tmp_path, "good.csv", TABLE)
    bad = write(tmp_path, "bad.ttl", REFERENCE_TTL + '\nplan:x a sg:Plan ;\n    skos:prefLabel "open\n')
    error = _assert_refused(store, good, bad)
    (violation,) = error.violations
    assert (violation.file, violation.line, violation.rule) == (str(bad), 16, "syntax")
    assert "column" in violation.message
    assert f"{bad}:16" in str(error) and "nothing was stored" in str(error)


def test_a_csv_row_without_actor_stores_nothing(store: Store, tmp_path: Path) -> None:
    table = write(tmp_path, "stances.csv", TABLE + ",us-28,endorses,2025-11-22,Plan text,Axios\n")
    error = _assert_refused(store, write(tmp_path, "reference.ttl", REFERENCE_TTL), table)
    (violation,) = error.violations
    assert (violation.file, violation.line, violation.path) == (str(table), 4, SG_NS + "actor")
    text = str(error)
    assert (
        f"{table}:4" in text
        and violation.node is not None
        and violation.node in text
        and SG_NS + "actor" in text
    )


def test_a_csv_stance_without_source_names_the_rule_and_the_fix(store: Store, tmp_path: Path) -> None:
    table = write(tmp_path, "stances.csv", "actor,target,stance,date\nus,us-28,endorses,2025-11-21\n")
    error = _assert_refused(store, write(tmp_path, "reference.ttl", REFERENCE_TTL), table)
    (violation,) = error.violations
    assert (violation.file, violation.line, violation.rule) == (str(table), 2, "sh:minCount")
    assert violation.path == PROV_NS + "wasDerivedFrom" and violation.node.startswith(ID_NS + "stance/")
    assert "no document or source column" in violation.message
    text = str(error)
    assert all(part in text for part in (f"{table}:2", violation.node, PROV_NS + "wasDerivedFrom"))


def test_a_missing_date_column_says_to_add_one(tmp_path: Path) -> None:
    table = write(
        tmp_path, "stances.csv", "actor,target,stance,document,source\nUS,Peace,endorses,Report,AP\n"
    )
    found = {(v.line, v.path, v.rule): v for v in check(table)}
    stated_on = found[(2, SG_NS + "statedOn", "sh:minCount")]
    assert "no 'date' column: add one" in stated_on.message
    issued = found[(2, "http://purl.org/dc/terms/issued", "sh:minCount")]  # the source has no date either
    assert issued.node == ID_NS + "source/report" and issued.file == str(table)


def test_a_trig_stance_without_source_stores_nothing(store: Store, tmp_path: Path) -> None:
    trig = write(
        tmp_path,
        "stance.trig",
        REFERENCE_TTL
        + """
@prefix stance: <https://w3id.org/stancegraph/id/stance/> .
@prefix source: <https://w3id.org/stancegraph/id/source/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

source:s {
    stance:orphan a sg:Stance ;
        sg:actor actor:us ; sg:target plan:us-28 ; sg:stanceType sg:Endorses ;
        sg:statedOn "2025-11-21"^^xsd:date .
}
""",
    )
    error = _assert_refused(store, trig)
    (violation,) = error.violations
    assert (violation.node, violation.path, violation.rule) == (
        ID_NS + "stance/orphan",
        PROV_NS + "wasDerivedFrom",
        "sh:minCount",
    )
    assert (violation.file, violation.line) == (str(trig), 20)  # where the stance's description starts


def test_check_reports_without_writing(store: Store, tmp_path: Path) -> None:
    reference = write(tmp_path, "reference.ttl", REFERENCE_TTL)
    assert check(reference, write(tmp_path, "stances.csv", TABLE), store=store) == []
    assert store.counts().quads == 0
    wrong = write(
        tmp_path, "wrong.csv", "actor,target,stance,date,document,source\nus,us-28,maybe,2025-11-21,D,S\n"
    )
    assert [(v.line, v.rule) for v in check(reference, wrong)] == [(2, "csv")]


def test_strict_refuses_unknown_names(store: Store, tmp_path: Path) -> None:
    table = write(tmp_path, "stances.csv", TABLE + "Nobody,us-28,endorses,2025-11-22,Plan text,Axios\n")
    ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL))
    error = _assert_refused_strict(store, table)
    assert [(v.value, v.line, v.rule) for v in error.violations] == [("Nobody", 4, "unknown-name")]


def _assert_refused_strict(store: Store, table: Path) -> ValidationError:
    before = store.counts()
    with pytest.raises(ValidationError) as caught:
        ingest(store, table, strict=True)
    assert store.counts() == before
    return caught.value


def test_sources_by_name_and_stream_and_format_override(tmp_path: Path) -> None:
    from stancegraph.graph.store import open_store

    with open_store() as store:
        report = ingest(
            store,
            ("reference.data", io.BytesIO(REFERENCE_TTL.encode())),
            format="ttl",
        )
        assert report.quads == 6
        report = ingest(store, ("stances.txt", io.StringIO(TABLE)), format="csv")
        assert report.stances == 2


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    found = check(write(tmp_path, "notes.txt", "x"), tmp_path / "absent.ttl")
    assert [(v.file, v.rule) for v in found] == [
        (str(tmp_path / "notes.txt"), "format"),
        (str(tmp_path / "absent.ttl"), "file"),
    ]


def test_json_ld_and_rdf_xml_inputs(tmp_path: Path) -> None:
    from stancegraph.graph.store import open_store

    jsonld = write(
        tmp_path,
        "actor.jsonld",
        '{"@id": "https://w3id.org/stancegraph/id/actor/fr", '
        '"@type": "https://w3id.org/stancegraph/ontology#State", '
        '"http://www.w3.org/2004/02/skos/core#prefLabel": {"@value": "France", "@language": "en"}}',
    )
    rdfxml = write(
        tmp_path,
        "actor.rdf",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:skos="http://www.w3.org/2004/02/skos/core#">'
        '<rdf:Description rdf:about="https://w3id.org/stancegraph/id/actor/de">'
        '<rdf:type rdf:resource="https://w3id.org/stancegraph/ontology#State"/>'
        '<skos:prefLabel xml:lang="en">Germany</skos:prefLabel></rdf:Description></rdf:RDF>',
    )
    with open_store() as store:
        assert ingest(store, jsonld, rdfxml).quads == 4
        assert store.counts().default_graph == 4
    bad = write(tmp_path, "bad.jsonld", '{"@id": 3')
    (violation,) = check(bad)
    assert (violation.file, violation.line, violation.rule) == (str(bad), 1, "syntax")


def test_progress_bars_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from stancegraph.graph.store import open_store

    with open_store() as store:
        ingest(store, write(tmp_path, "stances.csv", TABLE), progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "rows" in captured.err


def test_big_loads_use_the_bulk_path(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.import_module("stancegraph.graph.ingestion.pipeline"), "BULK_THRESHOLD", 10)
    monkeypatch.setattr(
        importlib.import_module("stancegraph.graph.ingestion.tables"), "CHUNK_ROWS", 3
    )  # several chunks, validated one by one
    rows = "".join(
        f"Actor {i},Issue {i % 4},endorses,2025-11-{i % 28 + 1:02d},Doc {i % 3},AP\n" for i in range(10)
    )
    report = ingest(
        store, write(tmp_path, "stances.csv", "actor,target,stance,date,document,source\n" + rows)
    )
    assert report.stances == 10 and report.actors_created == 10 and report.targets_created == 4
    assert store.counts().quads == report.quads
    bad = rows + "Actor 1,Issue 1,endorses,,Doc 9,AP\n"
    error = _assert_refused(
        store, write(tmp_path, "more.csv", "actor,target,stance,date,document,source\n" + bad)
    )
    assert {(v.line, v.path) for v in error.violations} == {
        (12, SG_NS + "statedOn"),
        (12, "http://purl.org/dc/terms/issued"),
    }


def test_load_bundled(store: Store) -> None:
    report = load_bundled(store)
    counts = store.counts()
    assert report.quads == counts.quads and report.stances == counts.stances > 50
    assert counts.named_graphs >= 5
    assert ask(
        store, f"ASK {{ <{SG_NS}State> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{SG_NS}Actor> }}"
    )
    assert load_bundled(store).quads == report.quads and store.counts() == counts


def test_ingest_resolves_labels_from_rdf_loaded_with_it(tmp_path: Path) -> None:
    from stancegraph.graph.store import open_store

    with open_store() as store:
        report = ingest(
            store, write(tmp_path, "stances.csv", TABLE), write(tmp_path, "reference.ttl", REFERENCE_TTL)
        )
        assert (report.actors_created, report.targets_created) == (0, 0)
        rows = store.query(f"SELECT ?label WHERE {{ <{ID_NS}actor/us> <{SKOS_NS}prefLabel> ?label }}")
        assert [row[0].value for row in rows] == ["United States"]
        assert NamedNode(ID_NS + "actor/us") in {
            row[0] for row in store.query(f"SELECT ?a WHERE {{ GRAPH ?g {{ ?s <{SG_NS}actor> ?a }} }}")
        }


def test_chunks_are_rechecked_here_when_the_worker_dies() -> None:
    checker_class = importlib.import_module("stancegraph.graph.ingestion.chunk_worker").ChunkChecker
    stance = f"<{ID_NS}stance/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SG_NS}Stance> .\n"
    with checker_class() as checker:
        assert checker.submit(stance, parallel=True) == []  # queued in the worker
        first = checker.drain()
        assert {v.path.rsplit("#")[-1] for v in first} == {
            "actor",
            "target",
            "stanceType",
            "statedOn",
            "wasDerivedFrom",
        }
        assert checker.submit(stance, parallel=True) == []
        checker._worker.kill()  # a worker lost to the OOM killer, say
        checker._worker.wait()
        assert checker.drain() == first  # the chunk is checked in this process instead
        assert checker.submit(stance, parallel=True) == first  # and so are the next ones


def test_stances_are_checked_together_when_a_sparql_rule_could_see_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rdflib import Graph

    from stancegraph.graph.validation import compile_shapes, compiled_shapes

    module = importlib.import_module("stancegraph.graph.ingestion.tables")
    assert module.chunkable(compiled_shapes())  # the shipped shapes: chunk by chunk
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix sg: <https://w3id.org/stancegraph/ontology#> .
        sg:S a sh:NodeShape ; sh:targetClass sg:Actor ; sh:sparql [ sh:select
            "SELECT $this WHERE { ?s <https://w3id.org/stancegraph/ontology#actor> $this }" ] .""",
        format="turtle",
    )
    assert not module.chunkable(compile_shapes(shapes))  # it reads sg:actor triples of stances
    # a rule on stances that reads another node's label cannot be checked chunk by chunk (a chunk holds
    # no labels); the shipped ones read other nodes only through the ontology's rules, which every chunk has
    on_stances = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix sg: <https://w3id.org/stancegraph/ontology#> .
        sg:S a sh:NodeShape ; sh:targetClass sg:Stance ; sh:sparql [ sh:select
            '''SELECT $this WHERE { $this <https://w3id.org/stancegraph/ontology#actor> ?a .
             FILTER NOT EXISTS { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }''' ] .""",
        format="turtle",
    )
    assert not module.chunkable(compile_shapes(on_stances))
    # the path taken then: every chunk's stances in one staging store, with the same verdicts
    monkeypatch.setattr(module, "CHUNK_ROWS", 2)
    monkeypatch.setattr(module, "chunkable", lambda shapes: False)
    rows = "".join(f"A{i},T,endorses,2025-11-0{i + 1},Doc,AP\n" for i in range(5)) + "A9,T,endorses,,Doc,AP\n"
    table = write(tmp_path, "stances.csv", "actor,target,stance,date,document,source\n" + rows)
    assert [(v.line, v.path) for v in check(table)] == [(7, SG_NS + "statedOn")]


def test_direct_edges_are_checked_with_their_chunk_and_never_held_for_the_whole_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyoxigraph import Store as OxStore
    from rdflib import Graph

    from stancegraph.graph.validation import compile_shapes, compiled_shapes

    module = importlib.import_module("stancegraph.graph.ingestion.tables")
    assert module.edges_chunkable(compiled_shapes())  # the shipped edge rules: one edge and its two ends
    # a rule on a class sees its instances' edges, which a chunk does not type: checked at the end instead
    on_actors = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix sg: <https://w3id.org/stancegraph/ontology#> .
        sg:S a sh:NodeShape ; sh:targetClass sg:Actor ;
            sh:property [ sh:path sg:endorses ; sh:maxCount 1 ] .""",
        format="turtle",
    )
    assert not module.edges_chunkable(compile_shapes(on_actors))
    counting = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix sg: <https://w3id.org/stancegraph/ontology#> .
        sg:S a sh:NodeShape ; sh:targetSubjectsOf sg:rejects ;
            sh:property [ sh:path sg:rejects ; sh:maxCount 3 ] .""",
        format="turtle",
    )
    assert not module.edges_chunkable(compile_shapes(counting))  # a count sees the edges of other chunks
    # what the reference store (held for the whole load) receives: never the rows' edges
    loaded: list[str] = []
    original = OxStore.load

    def watched(self: OxStore, *args: object, **kwargs: object) -> None:
        loaded.append(str(kwargs.get("input", b"")))
        original(self, *args, **kwargs)

    monkeypatch.setattr(module, "CHUNK_ROWS", 2)
    monkeypatch.setattr(module.OxStore, "load", watched)
    rows = "".join(f"A{i},T,endorses,2025-11-0{i + 1},Doc,AP\n" for i in range(5))
    bad = f"{ID_NS}plan/x,T,rejects,2025-11-09,Doc,AP\n"  # an IRI that names no actor: refused, located
    table = write(tmp_path, "stances.csv", "actor,target,stance,date,document,source\n" + rows + bad)
    reference = REFERENCE_TTL + f'<{ID_NS}plan/x> a <{SG_NS}Plan> ; <{SKOS_NS}prefLabel> "X"@en .\n'
    found = check(write(tmp_path, "reference.ttl", reference), table)
    assert not any(f"{SG_NS}endorses" in text or f"{SG_NS}rejects" in text for text in loaded)
    assert {(v.line, v.path.rsplit("#")[-1]) for v in found} == {(7, "actor"), (7, "rejects")}
    assert {v.node for v in found if v.path == SG_NS + "rejects"} == {ID_NS + "plan/x"}


# -- ids and contradictions ------------------------------------------------------------------------------

CONTESTED = """id,actor,target,stance,date,document,source,quote,contradicts
claim,Ukraine,us-28,endorses,2025-11-20,Officials say,Reuters,"He agreed to most of the plan",
denial,ua,us-28,rejects,2025-11-21,Address,Kyiv Post,"I approved nothing",claim
"""
CONTESTED_HEADER = CONTESTED.splitlines()[0] + "\n"


def test_contradictions_in_a_csv_are_stored_and_come_out_contested(store: Store, tmp_path: Path) -> None:
    from stancegraph.graph.queries.stances import stances

    ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL), write(tmp_path, "stances.csv", CONTESTED))
    claim, denial = ID_NS + "stance/claim", ID_NS + "stance/denial"
    graph = ID_NS + "source/address"  # the denial's source
    assert ask(store, f"ASK {{ GRAPH <{graph}> {{ <{denial}> <{SG_NS}contradicts> <{claim}> }} }}")
    rows = store.query(f"SELECT ?a ?b ?g WHERE {{ GRAPH ?g {{ ?a <{SG_NS}contradicts> ?b }} }}")
    assert [tuple(term.value for term in row) for row in rows] == [(denial, claim, graph)]
    found = {s.iri: s for s in stances(store, contested=True)}
    assert set(found) == {claim, denial}
    assert found[denial].contradicts == (claim,) and found[claim].contradicted_by == (denial,)
    assert found[claim].stance == "endorses" and found[denial].stance == "rejects"
    assert stances(store, contested=False) == ()


def _edges(store: Store) -> set[tuple[str, str]]:
    """(edge, graph) of every direct edge from Ukraine to us-28."""
    rows = store.query(
        f"SELECT ?edge ?g WHERE {{ GRAPH ?g {{ <{ID_NS}actor/ua> ?edge <{ID_NS}plan/us-28> }} }}"
    )
    return {(row[0].value.removeprefix(SG_NS), row[1].value.removeprefix(ID_NS)) for row in rows}


def test_a_claim_denied_in_the_same_file_gets_no_direct_edge(store: Store, tmp_path: Path) -> None:
    ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL), write(tmp_path, "stances.csv", CONTESTED))
    # the denial's edge stays; the claim's ("ua endorses us-28" in the claim's source) is withdrawn
    assert _edges(store) == {("rejects", "source/address")}


def test_a_denial_loaded_later_withdraws_the_claims_edge(store: Store, tmp_path: Path) -> None:
    claim_only = CONTESTED_HEADER + CONTESTED.splitlines()[1] + "\n"
    ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL), write(tmp_path, "claim.csv", claim_only))
    assert _edges(store) == {("endorses", "source/officials-say")}
    denial = f"{CONTESTED_HEADER}denial,{DENIAL},{ID_NS}stance/claim\n"
    ingest(store, write(tmp_path, "denial.csv", denial))
    assert _edges(store) == {("rejects", "source/address")}
    # the claim itself is still stored, flagged
    assert ask(store, f"ASK {{ GRAPH ?g {{ <{ID_NS}stance/claim> <{SG_NS}stanceType> <{SG_NS}Endorses> }} }}")


def test_a_claim_contradicted_by_another_actor_keeps_its_edge(store: Store, tmp_path: Path) -> None:
    other = CONTESTED.replace("denial,ua,", "denial,Russia,")
    ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL), write(tmp_path, "stances.csv", other))
    assert _edges(store) == {("endorses", "source/officials-say")}


DENIAL = "ua,us-28,rejects,2025-11-21,Address,Kyiv Post,"


@pytest.mark.parametrize(
    ("row", "path", "words"),
    [
        (f"claim,{DENIAL},", None, "repeats the id of line 2"),
        (f"denial,{DENIAL},claim-2", "contradicts", "no row"),
        (f"denial,{DENIAL},{ID_NS}stance/x", "contradicts", "no stance"),
        (f"denial,{DENIAL},<{ID_NS}actor/ua>", "contradicts", "no stance"),  # in the store, not a stance
        (f"denial,{DENIAL},denial", "contradicts", "itself"),
    ],
    ids=["duplicate id", "unknown id", "unknown IRI", "not a stance", "itself"],
)
def test_a_bad_id_or_contradicts_cell_stores_nothing(
    store: Store, tmp_path: Path, row: str, path: str | None, words: str
) -> None:
    ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL))
    good = CONTESTED.splitlines()[1]
    table = write(tmp_path, "stances.csv", f"{CONTESTED_HEADER}{good}\n{row}\n")
    error = _assert_refused(store, table)
    (violation,) = error.violations
    assert (violation.file, violation.line, violation.rule) == (str(table), 3, "csv")
    assert violation.path == (SG_NS + path if path else None) and words in violation.message
    assert f"{table}:3" in str(error)


def test_contradictions_reach_across_chunks_both_ways(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module("stancegraph.graph.ingestion.tables")
    monkeypatch.setattr(module, "CHUNK_ROWS", 2)  # each chunk's stances validated on their own
    rows = (
        "d1,ua,us-28,rejects,2025-11-21,Address,Kyiv Post,,c5\n"  # chunk 1 -> a row of chunk 3
        "f3,us,us-28,endorses,2025-11-20,Plan text,Axios,,\n"
        "f4,us,us-28,endorses,2025-11-21,Plan text,Axios,,\n"
        "f5,us,us-28,endorses,2025-11-22,Plan text,Axios,,\n"
        "c5,ua,us-28,endorses,2025-11-20,Officials say,Reuters,,\n"
        "d6,ua,us-28,rejects,2025-11-23,Address,Kyiv Post,,<" + ID_NS + "stance/f3>\n"  # chunk 3 -> chunk 1
    )
    reference = write(tmp_path, "reference.ttl", REFERENCE_TTL)
    table = write(tmp_path, "stances.csv", CONTESTED_HEADER + rows)
    assert check(reference, table) == []
    bad = write(tmp_path, "bad.csv", CONTESTED_HEADER + rows.replace(",c5\n", ",c9\n"))
    assert [(v.line, v.path, v.rule) for v in check(reference, bad)] == [(2, SG_NS + "contradicts", "csv")]
    report = ingest(store, reference, table)
    assert report.stances == 6
    pairs = {
        (a.value.rsplit("/")[-1], b.value.rsplit("/")[-1])
        for a, b in store.query(f"SELECT ?a ?b WHERE {{ GRAPH ?g {{ ?a <{SG_NS}contradicts> ?b }} }}")
    }
    assert pairs == {("d1", "c5"), ("d6", "f3")}


def test_a_csv_may_contradict_stances_in_the_store_and_in_another_table(store: Store, tmp_path: Path) -> None:
    load_bundled(store)
    claim = ID_NS + "stance/umerov-claim"  # in the bundled data
    first = write(
        tmp_path,
        "first.csv",
        f"{CONTESTED_HEADER}again,ukraine,us-28,rejects,2025-11-22,Interview,Kyiv Post,,{claim}\n",
    )
    second = write(  # another table of the same load may point to a row of the first by IRI
        tmp_path,
        "second.csv",
        f"{CONTESTED_HEADER},russia,us-28,endorses,2025-11-23,Briefing,TASS,,<{ID_NS}stance/again>\n",
    )
    ingest(store, first, second)
    assert ask(store, f"ASK {{ GRAPH ?g {{ <{ID_NS}stance/again> <{SG_NS}contradicts> <{claim}> }} }}")
    assert ask(store, f"ASK {{ GRAPH ?g {{ ?s <{SG_NS}contradicts> <{ID_NS}stance/again> }} }}")


def test_a_shape_violation_of_a_row_with_an_id_is_located_by_its_id(tmp_path: Path) -> None:
    table = write(
        tmp_path,
        "stances.csv",
        CONTESTED_HEADER
        + ",us,us-28,endorses,2025-11-20,Plan text,Axios,,\n"
        + "c1,us,us-28,endorses,,Plan text,Axios,,\n"  # line 3: no date
        + "d1,ua,us-28,rejects,2025-11-21,Address,Kyiv Post,,c1\n",
    )
    found = check(write(tmp_path, "reference.ttl", REFERENCE_TTL), table)
    assert [(v.line, v.node, v.path, v.rule) for v in found] == [
        (3, ID_NS + "stance/c1", SG_NS + "statedOn", "sh:minCount")
    ]


# -- the work folder: inside an on-disk store, leftovers of killed loads removed at the next load ---------
_HOLDER = """
import fcntl, os, sys, time
folder = os.path.join(sys.argv[1], f".stancegraph-ingest-{os.getpid()}-held")
os.mkdir(folder)
open(os.path.join(folder, "0.nq"), "w").write("<a:b> <a:c> <a:d> .\\n")
handle = os.open(folder, os.O_RDONLY)
fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
print(folder, flush=True)
sys.stdin.read()  # hold the lock until the test closes our stdin
"""


def _work_folders(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".stancegraph-ingest-*"))


def test_a_load_works_in_the_store_folder_and_removes_what_killed_loads_left(
    tmp_path: Path, monkeypatch
) -> None:
    import subprocess
    import sys

    from stancegraph.graph.ingestion import remove_leftovers
    from stancegraph.graph.store import open_store

    pytest.importorskip("fcntl")
    folder = tmp_path / "store"
    folder.mkdir()
    dead = folder / ".stancegraph-ingest-4194302-x1y2z3"  # a process id above Linux's maximum
    (dead / "sub").mkdir(parents=True)
    (dead / "0.nq").write_text("<a:b> <a:c> <a:d> .\n" * 1000, encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip()  # a live load's folder
        seen: list[list[str]] = []
        module = importlib.import_module("stancegraph.graph.ingestion.pipeline")
        real_prepare = module._prepare

        def watching(*args, workdir, **kwargs):
            seen.append([workdir.parent.name, workdir.name])
            return real_prepare(*args, workdir=workdir, **kwargs)

        monkeypatch.setattr(module, "_prepare", watching)
        with open_store(folder) as store:
            ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL))
            assert store.counts().quads > 0
        monkeypatch.undo()
        ((parent, work),) = seen
        assert parent == "store" and work.startswith(".stancegraph-ingest-")  # inside the store folder
        assert _work_folders(folder) == [f".stancegraph-ingest-{holder.pid}-held"]  # the live one stays
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait()
        holder.stdout.close()
    assert remove_leftovers(folder) == [folder / f".stancegraph-ingest-{holder.pid}-held"]
    assert _work_folders(folder) == []
    with open_store(folder) as store:  # pyoxigraph did not mind the extra folders
        assert store.counts().quads > 0 and check(write(tmp_path, "t.csv", TABLE), store=store) == []


def test_a_load_into_memory_leaves_nothing_in_the_temporary_folder(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    from stancegraph.graph.store import open_store

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with open_store() as store:
        ingest(store, write(tmp_path, "reference.ttl", REFERENCE_TTL), write(tmp_path, "t.csv", TABLE))
        with pytest.raises(ValidationError):
            ingest(store, write(tmp_path, "bad.csv", "actor,target,stance\n,us-28,endorses\n"))
        assert store.counts().stances == 2
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_time_of_day_on_another_day_than_the_stance_s_is_refused(store: Store, tmp_path: Path) -> None:
    stance = (
        "@prefix sg: <https://w3id.org/stancegraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix id: <https://w3id.org/stancegraph/id/> .\n"
        'id:source\\/s a sg:Source ; dcterms:title "t" ; dcterms:publisher "p" ;\n'
        '  dcterms:issued "2025-11-20"^^xsd:date .\n'
        "GRAPH id:source\\/s {\n"
        "  id:stance\\/s a sg:Stance ; sg:actor id:actor\\/us ; sg:target id:plan\\/us-28 ;\n"
        '  sg:stanceType sg:Endorses ; sg:statedOn "2025-11-20"^^xsd:date ;\n'
        '  prov:wasDerivedFrom id:source\\/s ; sg:statedAt "{moment}"^^xsd:dateTime . }\n'
    )
    reference = write(tmp_path, "reference.ttl", REFERENCE_TTL)
    late = write(tmp_path, "late.trig", stance.replace("{moment}", "2025-11-21T01:00:00"))
    with pytest.raises(ValidationError) as refused:
        ingest(store, reference, late)
    (violation,) = refused.value.violations
    assert violation.path == SG_NS + "statedAt" and violation.node == ID_NS + "stance/s"
    assert "not on its sg:statedOn day" in violation.message
    assert store.counts().quads == 0
    ingest(
        store, reference, write(tmp_path, "on-time.trig", stance.replace("{moment}", "2025-11-20T23:00:00"))
    )
    assert store.counts().stances == 1

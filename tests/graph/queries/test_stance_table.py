"""The columnar stance table: the answers of the SPARQL reference, for every filter, and never stale."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.analysis.sparql_selection import statements_by_sparql
from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.ingestion import ingest
from stancegraph.graph.ingestion.synth import write_statements_csv
from stancegraph.graph.queries.stance_table import (
    TABLE_COLUMNS,
    TABLE_FILE,
    build_stance_table,
    refresh_stance_table,
    stance_table,
)
from stancegraph.graph.store import Store, open_store

_TEXT = ("id", "actor", "target", "qualifier", "document", "source", "person", "stance", "coder")

# a small table with what synth leaves out: persons, coders, coded agreement values, a shared label
_CODED = """id,actor,target,agreement,date,source,person,coder,confidence
c1,Actor A,Target X,2,2025-03-01,Paper one,Person P,Coder K,0.9
c2,Actor B,Target X,-1,2025-03-02,Paper one,,Coder L,
c3,Actor A,Target Y,1,2025-03-02,Paper two,Person P,,0.5
c4,Actor B,Target Y,2,2025-03-05,Paper two,Person Q,Coder K,1
"""
_MORE = "actor,target,stance,date,source\nActor C,Target Z,rejects,2025-04-01,Paper three\n"


def assert_same(table: Statements, reference: Statements) -> None:
    assert len(table) == len(reference)
    for name in _TEXT:
        assert list(getattr(table, name)) == list(getattr(reference, name)), name
    assert np.array_equal(table.date, reference.date)
    assert np.array_equal(table.confidence, reference.confidence, equal_nan=True)
    assert np.array_equal(table.contested, reference.contested)
    assert table.qualifier_kind == reference.qualifier_kind


def _selections(store: Store) -> list[dict]:
    reference = statements_by_sparql(store, include_denied=True)
    assert len(reference) > 0
    actors = sorted(set(reference.actor))
    targets = sorted(set(reference.target))
    middle = str(np.sort(reference.date)[len(reference) // 2])
    return [
        {},
        {"include_denied": True},
        {"labels": "id"},
        {"labels": "id", "include_denied": True},
        {"since": middle},
        {"until": middle},
        {"since": middle, "until": middle},
        {"source": str(reference.source[0])},
        {"actors": actors[0]},
        {"actors": actors[:3], "labels": "id"},
        {"targets": targets[-1]},
        {"targets": targets[:2], "actors": actors[:5], "since": "2025-01-01"},
        {"since": "2999-01-01"},
    ]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("synthetic")
    write_statements_csv(folder / "c2k.csv", 2_000, actors=40, targets=30, seed=3, contradicts_share=0.05)
    (folder / "coded.csv").write_text(_CODED, encoding="utf-8")
    store = open_store(folder / "store")
    ingest(store, folder / "c2k.csv", folder / "coded.csv")
    return store


def test_the_table_has_one_row_per_stance(bundled):
    table = build_stance_table(bundled)
    assert table.columns == list(TABLE_COLUMNS)
    assert table.height == bundled.counts().stances == 76
    assert table["id"].n_unique() == 76
    assert table.filter(pl.col("denied"))["id"].to_list() == ["umerov-claim"]
    assert table.filter(pl.col("contested"))["id"].to_list()
    assert table["date"].dtype == pl.Date and table["date"].is_sorted()


def test_every_selection_of_the_bundled_data_equals_the_sparql_answer(bundled):
    for options in _selections(bundled) + [{"plan": "us-28"}, {"plan": "us-28", "actors": ["uk", "France"]}]:
        assert_same(statements_from_store(bundled, **options), statements_by_sparql(bundled, **options))


def test_every_selection_of_a_synthetic_corpus_equals_the_sparql_answer(synthetic):
    coded = statements_from_store(synthetic, targets="Target X")
    assert set(coded.person) == {"Person P", None} and set(coded.coder) == {"Coder K", "Coder L"}
    assert sorted(coded.qualifier) == [-1, 2]
    for options in _selections(synthetic) + [
        {"actors": "Person P"},
        {"targets": ["Target Y"], "labels": "id"},
    ]:
        assert_same(statements_from_store(synthetic, **options), statements_by_sparql(synthetic, **options))


def test_errors_are_those_of_the_reference(bundled):
    for options in ({"plan": "atlantis"}, {"labels": "name"}, {"since": "21/11/2025"}, {"actors": "nobody"}):
        with pytest.raises(Exception) as expected:
            statements_by_sparql(bundled, **options)
        with pytest.raises(type(expected.value)):
            statements_from_store(bundled, **options)


def test_an_unchanged_store_answers_from_the_cache_and_the_file(tmp_path: Path):
    folder = tmp_path / "store"
    with open_store(folder) as store:
        ingest(store, ("coded.csv", io.StringIO(_CODED)))
        first = stance_table(store)
        assert stance_table(store) is first
        version = store.version
    assert (folder / TABLE_FILE).is_file()
    assert pl.read_parquet_metadata(folder / TABLE_FILE)["stancegraph.version"] == version
    with open_store(folder, read_only=True) as view:  # another handle: read from the file
        assert view.version == version
        assert stance_table(view).equals(first)


def test_a_load_leaves_the_table_of_its_version_beside_the_store(tmp_path: Path):
    folder = tmp_path / "store"
    with open_store(folder) as store:
        for name, text in (("coded.csv", _CODED), ("more.csv", _MORE)):
            ingest(store, (name, io.StringIO(text)))  # no analysis asks in between
            assert pl.read_parquet_metadata(folder / TABLE_FILE)["stancegraph.version"] == store.version
            assert pl.read_parquet(folder / TABLE_FILE).equals(build_stance_table(store))
    assert pl.read_parquet(folder / TABLE_FILE)["actor_label"].to_list()[-1] == "Actor C"


def test_a_table_too_big_for_the_memory_free_is_left_to_the_first_analysis(tmp_path: Path, monkeypatch):
    from stancegraph.graph.queries import stance_table as module

    folder = tmp_path / "store"
    with open_store(folder) as store:
        assert ingest(store, ("coded.csv", io.StringIO(_CODED))).stance_table
        assert not refresh_stance_table(store, stances=10**15)  # 2.2 EB: no machine has that free
        monkeypatch.setattr(module, "BUILD_BYTES_PER_STANCE", 10**15)  # a table of 5 stances, then
        report = ingest(store, ("more.csv", io.StringIO(_MORE)))
        assert report.stances == 1 and not report.stance_table
        stamp = pl.read_parquet_metadata(folder / TABLE_FILE)["stancegraph.version"]
        assert stamp != store.version  # the file of the load before: stale, so never read
        assert stance_table(store).equals(build_stance_table(store))  # the analysis builds it
        assert pl.read_parquet_metadata(folder / TABLE_FILE)["stancegraph.version"] == store.version


def test_a_refused_load_leaves_the_table_as_it_was(tmp_path: Path):
    from stancegraph.graph.errors import ValidationError

    folder = tmp_path / "store"
    with open_store(folder) as store:
        ingest(store, ("coded.csv", io.StringIO(_CODED)))
        stamp = pl.read_parquet_metadata(folder / TABLE_FILE)["stancegraph.version"]
        with pytest.raises(ValidationError):
            bad = "actor,target,stance,date,source\nA,B,likes,2025-01-01,P\n"
            ingest(store, ("bad.csv", io.StringIO(bad)))
        assert store.version == stamp
        assert pl.read_parquet_metadata(folder / TABLE_FILE)["stancegraph.version"] == stamp


@pytest.mark.parametrize("where", ["memory", "disk"])
@pytest.mark.parametrize("write", ["load", "update", "remove graph", "clear"])
def test_every_write_makes_the_table_stale(tmp_path: Path, where: str, write: str):
    folder = tmp_path / "store"
    store = open_store(folder if where == "disk" else None)
    try:
        ingest(store, ("coded.csv", io.StringIO(_CODED)))
        before = stance_table(store)
        version = store.version
        if write == "load":
            ingest(store, ("more.csv", io.StringIO(_MORE)))
        elif write == "update":
            store.update(
                "DELETE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#confidence> ?c } } "
                "WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#confidence> ?c } }"
            )
        elif write == "remove graph":  # what the Graph Store DELETE (and PUT, before its load) does
            store.remove_graph(store.named_graphs()[0])
        else:
            store.clear()
        assert store.version not in (None, version)
        after = stance_table(store)
        assert after is not before and not after.equals(before)
        assert after.equals(build_stance_table(store))
        if where == "disk":
            stamp = pl.read_parquet_metadata(folder / TABLE_FILE)["stancegraph.version"]
            assert stamp == store.version
    finally:
        store.close()


def test_a_failed_write_still_changes_the_version(tmp_path: Path):
    from stancegraph.graph.errors import QuerySyntaxError

    with open_store(tmp_path / "store") as store:
        version = store.version
        with pytest.raises(QuerySyntaxError):
            store.update("INSERT DATA { nonsense")
        assert store.version not in (None, version)


def test_a_crash_during_a_write_leaves_no_version_until_the_next_open(tmp_path: Path):
    from stancegraph.graph.store.versions import VERSION_FILE

    folder = tmp_path / "store"
    with open_store(folder) as store:
        ingest(store, ("coded.csv", io.StringIO(_CODED)))
        stance_table(store)
        version = store.version
    (folder / VERSION_FILE).write_text(
        "writing:0123", encoding="ascii"
    )  # as a write cut by a crash leaves it
    with open_store(folder, read_only=True) as view:
        assert view.version is None
        assert stance_table(view).equals(build_stance_table(view))
    with open_store(folder) as store:
        assert store.version not in (None, version, "writing:0123")


def test_a_read_only_view_keeps_the_version_of_what_it_sees(tmp_path: Path):
    folder = tmp_path / "store"
    with open_store(folder) as store:
        ingest(store, ("coded.csv", io.StringIO(_CODED)))
        view = open_store(folder, read_only=True)
        seen = stance_table(view)
        store.update("DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#person> ?p } }")
        assert stance_table(store)["person"].null_count() == stance_table(store).height
        assert view.version != store.version
        assert stance_table(view) is seen
        view.close()


def test_each_backend_writes_csv_results_that_polars_reads_back(store):
    from pyoxigraph import Literal, NamedNode, Quad

    from stancegraph.graph.queries.stance_table import _select_csv

    graph = NamedNode("https://example.org/g")
    texts = ["plain", 'a, "quoted"\nline', "Übersee ✓"]
    p = NamedNode("https://example.org/p")
    store.load(
        [Quad(NamedNode(f"https://example.org/s{i}"), p, Literal(t), graph) for i, t in enumerate(texts)]
    )
    sparql = "SELECT ?s ?g ?o ?none WHERE { GRAPH ?g { ?s <https://example.org/p> ?o } } ORDER BY ?s"
    frame = pl.read_csv(_select_csv(store, sparql), infer_schema=False)
    assert frame.columns == ["s", "g", "o", "none"]
    assert frame["o"].to_list() == texts
    assert set(frame["g"]) == {graph.value} and frame["none"].null_count() == 3


@pytest.mark.remote
def test_one_reading_builds_the_table_of_a_server_without_a_version_once(tmp_path: Path, monkeypatch):
    from stancegraph.graph import load_bundled
    from stancegraph.graph.drawing.report import report_content
    from stancegraph.graph.queries import stance_table as module
    from stancegraph.graph.queries.stance_table import one_reading

    from ...conftest import running_oxigraph

    builds = []
    real_build = module.build_stance_table
    monkeypatch.setattr(module, "build_stance_table", lambda store: builds.append(store) or real_build(store))
    with (
        running_oxigraph(tmp_path) as server,
        open_store(endpoint=server.url) as remote,
        open_store() as here,
    ):
        load_bundled(remote)
        load_bundled(here)
        assert remote.version is None
        builds.clear()
        assert stance_table(remote) is not stance_table(remote) and len(builds) == 2  # per reader
        builds.clear()
        with one_reading(remote):
            assert stance_table(remote) is stance_table(remote)
        assert len(builds) == 1
        builds.clear()
        content = report_content(remote, plan="us-28")
        assert builds == [remote]  # the report's many readers, one reading
        expected = report_content(here, plan="us-28")
        assert [s.iri for s in content.stances] == [s.iri for s in expected.stances]

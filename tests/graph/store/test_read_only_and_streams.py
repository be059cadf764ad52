"""Reading a store as it streams (every backend), and an on-disk store opened read-only beside its writer."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Triple

from stancegraph.graph.errors import QuerySyntaxError, StoreError
from stancegraph.graph.store import EmbeddedStore, SelectResult, SelectStream, Store, open_store

EX = "https://example.org/"
LABEL = NamedNode(EX + "label")
GRAPH = NamedNode(EX + "graph")
QUADS = [Quad(NamedNode(f"{EX}n{i}"), LABEL, Literal(f"node {i}"), GRAPH) for i in range(30)]
SELECT = f"SELECT ?s ?label WHERE {{ GRAPH ?g {{ ?s <{LABEL.value}> ?label }} }} ORDER BY ?label"


@pytest.fixture
def loaded(store: Store) -> Store:
    store.load(QUADS)
    return store


def test_a_streamed_select_gives_the_rows_of_query(loaded):
    streamed = loaded.stream_query(SELECT)
    assert isinstance(streamed, SelectStream)
    whole = loaded.query(SELECT)
    assert isinstance(whole, SelectResult)
    assert streamed.variables == whole.variables == ("s", "label")
    assert list(streamed) == list(whole.rows)
    assert list(streamed) == []  # read once


def test_a_stream_takes_the_options_of_query(loaded):
    bound = loaded.stream_query(SELECT, bindings={"label": Literal("node 7")})
    assert [row[0] for row in bound] == [NamedNode(EX + "n7")]
    only_default = loaded.stream_query(f"SELECT * WHERE {{ ?s <{LABEL.value}> ?o }}", default_graph=[])
    assert list(only_default) == []
    assert loaded.stream_query("ASK { GRAPH ?g { ?s ?p ?o } }") is True
    triples = list(
        loaded.stream_query(f"CONSTRUCT {{ ?s <{LABEL.value}> ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    )
    assert len(triples) == len(QUADS) and all(isinstance(t, Triple) for t in triples)


def test_a_stream_that_does_not_parse_fails_at_once(loaded):
    with pytest.raises(QuerySyntaxError):
        loaded.stream_query("SELECT WHERE {")


def test_the_embedded_stream_checks_the_timeout_while_it_is_read():
    with open_store() as store:
        store.load(QUADS)
        rows = iter(store.stream_query(SELECT, timeout=0))
        with pytest.raises(StoreError, match="timeout of 0"):
            next(rows)


def test_a_read_only_view_reads_while_the_writer_holds_the_folder(tmp_path):
    folder = tmp_path / "store"
    with open_store(folder) as writer:
        writer.load(QUADS)
        writer.flush()
        with open_store(folder, read_only=True) as reader:
            assert isinstance(reader, EmbeddedStore) and reader.read_only
            assert repr(reader) == f"EmbeddedStore({folder}, read-only)"
            assert reader.counts().quads == len(QUADS)
            assert len(reader.query(SELECT)) == len(QUADS)
            assert reader.export("nquads", graph=GRAPH.value).count(b"\n") == len(QUADS)
        assert repr(reader).endswith("read-only, closed)")
        writer.update(f"INSERT DATA {{ <{EX}late> <{LABEL.value}> 'late' }}")
        writer.flush()
        with EmbeddedStore(folder, read_only=True) as reopened:
            assert reopened.counts().quads == len(QUADS) + 1


@pytest.mark.parametrize(
    "write",
    [
        lambda store: store.update("CLEAR ALL"),
        lambda store: store.load(QUADS[:1]),
        lambda store: store.load(QUADS[:1], bulk=True),
        lambda store: store.remove_graph(GRAPH.value),
        lambda store: store.clear(),
    ],
    ids=["update", "load", "bulk load", "remove_graph", "clear"],
)
def test_a_read_only_view_refuses_every_write(tmp_path, write):
    folder = tmp_path / "store"
    with open_store(folder) as writer:
        writer.load(QUADS)
    with open_store(folder, read_only=True) as reader:
        with pytest.raises(StoreError, match="opened read-only and takes no writes"):
            write(reader)
        assert reader.counts().quads == len(QUADS)


def test_read_only_needs_the_folder_of_a_store(tmp_path):
    with pytest.raises(StoreError, match="needs the folder of an on-disk store"):
        open_store(read_only=True)
    with pytest.raises(StoreError, match="read-only: it does not exist"):
        open_store(tmp_path / "missing", read_only=True)
    assert not (tmp_path / "missing").exists()
    (tmp_path / "file").write_text("not a store")
    with pytest.raises(StoreError, match="read-only: it is a file"):
        EmbeddedStore(tmp_path / "file", read_only=True)
    with pytest.raises(StoreError, match="leave read_only out"):
        open_store(endpoint="http://127.0.0.1:7878", read_only=True)

"""The store interface, run on every backend: in memory, on disk, on a real Oxigraph server and on Debian's
Virtuoso 7.2. Where Virtuoso differs and the store cannot make up for it, the test says so."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
)

from stancegraph.graph.errors import QuerySyntaxError, StoreError, ValidationError
from stancegraph.graph.store import RDF_FORMATS, Counts, SelectResult, Store, open_store
from stancegraph.graph.store.embedded import EmbeddedStore
from stancegraph.graph.store.remote import RemoteStore
from stancegraph.ontology.namespaces import ID_NS, SG_NS

from ...conftest import is_virtuoso

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
XSD = "http://www.w3.org/2001/XMLSchema#"


def sg(local: str) -> NamedNode:
    return NamedNode(SG_NS + local)


def node(path: str) -> NamedNode:
    return NamedNode(ID_NS + path)


US, UA, PLAN = node("actor/us"), node("actor/ua"), node("plan/us-28")
STANCE_A, STANCE_B = node("stance/a"), node("stance/b")
S1, S2 = node("source/s1"), node("source/s2")
QUOTE = Literal("He said \"yes\" }\n{ and 'no' \\ # not a comment", language="en")
NOTE = BlankNode()

REFERENCE = [
    Quad(US, RDF_TYPE, sg("State")),
    Quad(US, LABEL, Literal("United States", language="en")),
    Quad(UA, RDF_TYPE, sg("State")),
    Quad(UA, LABEL, Literal("Ukraine", language="en")),
    Quad(PLAN, LABEL, Literal("28-point plan")),
]
SOURCE_1 = [
    Quad(STANCE_A, RDF_TYPE, sg("Stance"), S1),
    Quad(STANCE_A, sg("actor"), US, S1),
    Quad(STANCE_A, sg("target"), PLAN, S1),
    Quad(STANCE_A, sg("statedOn"), Literal("2025-11-20", datatype=NamedNode(XSD + "date")), S1),
    Quad(STANCE_A, sg("quote"), QUOTE, S1),
    Quad(STANCE_A, sg("confidence"), Literal("0.9", datatype=NamedNode(XSD + "decimal")), S1),
    Quad(US, sg("endorses"), PLAN, S1),
]
SOURCE_2 = [
    Quad(STANCE_B, RDF_TYPE, sg("Stance"), S2),
    Quad(STANCE_B, sg("actor"), UA, S2),
    Quad(STANCE_B, sg("target"), PLAN, S2),
    Quad(STANCE_B, sg("statedOn"), Literal("2025-11-22", datatype=NamedNode(XSD + "date")), S2),
    Quad(STANCE_B, sg("note"), NOTE, S2),
    Quad(NOTE, LABEL, Literal("a blank node"), S2),
    Quad(UA, sg("rejects"), PLAN, S2),
    Quad(STANCE_A, RDF_TYPE, sg("Stance"), S2),  # the same stance reported by a second source
]
SAMPLE = REFERENCE + SOURCE_1 + SOURCE_2

PREFIXES = f"PREFIX sg: <{SG_NS}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"

# what ends up in the query text when a hostile value is bound: it must stay one inert literal
HOSTILE_TEXTS = [
    '"x" } ; DROP ALL ; #',
    "x' } ; DROP ALL ; #",
    '""" } DROP ALL #',
    "''' } DROP ALL #",
    'a\\" } DROP ALL',
    "line\n} ; DROP ALL ; #\n",
    "\r\n#}\u2028}\x00",
]


@pytest.fixture
def loaded(store: Store) -> Store:
    assert store.load(SAMPLE) == len(SAMPLE)
    return store


def canonical(quads) -> set[Quad]:
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def default_graph_only(quads) -> list[Quad]:
    return [q for q in quads if q.graph_name == DefaultGraph()]


# -- queries ----------------------------------------------------------------------------------------


def test_select_gives_pyoxigraph_terms_and_none_for_unbound(loaded):
    result = loaded.query(
        PREFIXES
        + """SELECT ?s ?quote WHERE { GRAPH ?g { ?s a sg:Stance OPTIONAL { ?s sg:quote ?quote } } }
             ORDER BY ?s ?quote"""
    )
    assert isinstance(result, SelectResult)
    assert result.variables == ("s", "quote")
    assert result.rows == ((STANCE_A, None), (STANCE_A, QUOTE), (STANCE_B, None))
    assert len(result) == 3 and list(result) == list(result.rows)
    assert result.dicts() == [{"s": STANCE_A}, {"s": STANCE_A, "quote": QUOTE}, {"s": STANCE_B}]


def test_ask(loaded):
    assert loaded.query(PREFIXES + "ASK { ?a sg:endorses ?t }") is False  # the edges are in named graphs
    assert loaded.query(PREFIXES + "ASK { GRAPH ?g { ?a sg:endorses ?t } }") is True


def test_construct_and_describe_give_triples(loaded):
    construct = PREFIXES + "CONSTRUCT { ?t sg:heldBy ?a } WHERE { GRAPH ?g { ?a sg:endorses|sg:rejects ?t } }"
    triples = loaded.query(construct)
    assert isinstance(triples, tuple) and all(isinstance(t, Triple) for t in triples)
    assert set(triples) == {Triple(PLAN, sg("heldBy"), US), Triple(PLAN, sg("heldBy"), UA)}
    described = loaded.query(f"DESCRIBE <{US.value}>")
    assert set(described) == {Triple(US, RDF_TYPE, sg("State")), Triple(US, LABEL, REFERENCE[1].object)}


def test_dataset_options(loaded):
    query = PREFIXES + "SELECT DISTINCT ?s WHERE { ?s a sg:Stance } ORDER BY ?s"
    assert loaded.query(query).rows == ()
    assert [r[0] for r in loaded.query(query, default_graph=[S1.value])] == [STANCE_A]
    assert [r[0] for r in loaded.query(query, default_graph=[S1.value, S2.value])] == [STANCE_A, STANCE_B]
    assert [r[0] for r in loaded.query(query, union_default_graph=True)] == [STANCE_A, STANCE_B]
    in_graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert [r[0] for r in loaded.query(in_graphs, named_graphs=[S2.value])] == [S2]
    with pytest.raises(ValidationError, match="contradict"):
        loaded.query(query, union_default_graph=True, default_graph=[S1.value])
    with pytest.raises(ValidationError, match="not a valid graph IRI"):
        loaded.query(query, default_graph=["no iri"])


def test_a_query_on_a_closed_store_is_refused(store):
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.query("ASK { }")


# -- bindings ---------------------------------------------------------------------------------------


def test_a_binding_restricts_the_pattern_and_shows_in_the_results(loaded):
    query = PREFIXES + "SELECT ?actor ?target WHERE { GRAPH ?g { ?actor sg:endorses ?target } }"
    assert loaded.query(query, bindings={"actor": US}).rows == ((US, PLAN),)
    assert loaded.query(query, bindings={"?actor": UA}).rows == ()
    # a bound variable the SELECT clause does not name restricts all the same
    query = PREFIXES + "SELECT ?label WHERE { ?actor skos:prefLabel ?label }"
    assert loaded.query(query, bindings={"$actor": UA}).rows == ((Literal("Ukraine", language="en"),),)


def test_a_binding_reaches_filters_in_nested_groups(loaded):
    query = (
        PREFIXES
        + """SELECT ?s WHERE {
               GRAPH ?g { ?s sg:statedOn ?date . FILTER (?date >= ?since) OPTIONAL { ?s sg:quote ?q } }
             }"""
    )
    since = Literal("2025-11-21", datatype=NamedNode(XSD + "date"))
    assert loaded.query(query, bindings={"since": since}).rows == ((STANCE_B,),)
    count = (
        PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a sg:Stance ; sg:actor ?who } }"
    )
    assert loaded.query(count, bindings={"who": US}).rows == (
        (Literal("1", datatype=NamedNode(XSD + "integer")),),
    )
    exists = PREFIXES + "ASK { GRAPH ?g { ?s a sg:Stance FILTER NOT EXISTS { ?s sg:actor ?who } } }"
    assert loaded.query(exists, bindings={"who": US}) is True  # stance b has another actor
    assert loaded.query(exists, bindings={"who": UA}) is True
    assert loaded.query(PREFIXES + "ASK { GRAPH ?g { ?who sg:rejects ?t } }", bindings={"who": US}) is False


def test_a_binding_in_a_construct_and_a_subquery(loaded):
    construct = PREFIXES + "CONSTRUCT { ?a sg:position ?t } WHERE { GRAPH ?g { ?a sg:rejects ?t } }"
    assert loaded.query(construct, bindings={"a": UA}) == (Triple(UA, sg("position"), PLAN),)
    assert loaded.query(construct, bindings={"a": US}) == ()
    subquery = PREFIXES + "SELECT ?s WHERE { { SELECT ?s WHERE { GRAPH ?g { ?s sg:actor ?who } } } }"
    assert loaded.query(subquery, bindings={"who": UA}).rows == ((STANCE_B,),)


def test_a_binding_matches_a_literal_full_of_syntax_exactly(loaded):
    query = PREFIXES + "SELECT ?s WHERE { GRAPH ?g { ?s sg:quote ?q } }"
    assert loaded.query(query, bindings={"q": QUOTE}).rows == ((STANCE_A,),)
    assert loaded.query(query, bindings={"q": Literal(QUOTE.value)}).rows == ()  # no language tag


def test_a_query_with_braces_in_strings_iris_and_comments_takes_bindings(loaded):
    query = (
        PREFIXES
        + """# a comment with a { brace and the word VALUES {
        SELECT ?s ?text WHERE {
          BIND ("}{ VALUES '''" AS ?text)  # another }
          GRAPH ?g { ?s sg:actor ?who ; a <https://w3id.org/stancegraph/ontology#Stance> }
        }"""
    )
    result = loaded.query(query, bindings={"who": US})
    assert result.rows == ((STANCE_A, Literal("}{ VALUES '''")),)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_hostile_literal_is_only_a_value(loaded, text):
    before = loaded.counts()
    query = PREFIXES + "SELECT ?s WHERE { GRAPH ?g { ?s sg:quote ?q } }"
    assert loaded.query(query, bindings={"q": Literal(text)}).rows == ()
    echo = loaded.query("SELECT ?v WHERE { }", bindings={"v": Literal(text)})
    # Virtuoso drops a NUL that ends a string holding non-ASCII characters
    expected = text.rstrip("\x00") if is_virtuoso(loaded) else text
    assert echo.rows == ((Literal(expected),),)
    assert loaded.counts() == before


def test_a_hostile_iri_is_only_a_value(loaded):
    before = loaded.counts()
    iri = NamedNode("https://example.org/x?q='%7D%20DROP%20ALL;'#'frag")
    query = PREFIXES + "SELECT ?s WHERE { GRAPH ?g { ?s sg:actor ?who } }"
    assert loaded.query(query, bindings={"who": iri}).rows == ()
    assert loaded.query("SELECT ?v WHERE { }", bindings={"v": iri}).rows == ((iri,),)
    assert loaded.counts() == before


def test_a_triple_term_can_be_bound(store):
    claim = Triple(US, sg("endorses"), PLAN)
    if is_virtuoso(store):  # Virtuoso 7 has no triple terms (RDF 1.2): its parser refuses <<( ... )>>
        with pytest.raises(StoreError, match=r"Virtuoso server at .* answered HTTP 400: .*syntax error"):
            store.load([Quad(STANCE_A, sg("claims"), claim, S1)])
        assert store.counts().quads == 0
        return
    store.load([Quad(STANCE_A, sg("claims"), claim, S1)])
    query = PREFIXES + "SELECT ?s WHERE { GRAPH ?g { ?s sg:claims ?c } }"
    assert store.query(query, bindings={"c": claim}).rows == ((STANCE_A,),)


@pytest.mark.parametrize(
    ("bindings", "complaint"),
    [
        ({"who": "https://w3id.org/stancegraph/id/actor/us"}, "is a str, not a pyoxigraph term"),
        ({"who": 3}, "is a int, not a pyoxigraph term"),
        ({"who": BlankNode()}, "blank node"),
        ({"who } DROP ALL": US}, "not a SPARQL variable name"),
        ({"": US}, "not a SPARQL variable name"),
    ],
)
def test_a_binding_that_is_not_a_term_or_a_variable_is_refused(loaded, bindings, complaint):
    with pytest.raises(ValidationError, match=complaint):
        loaded.query("SELECT ?who WHERE { ?who ?p ?o }", bindings=bindings)
    assert loaded.counts().quads == len(SAMPLE)


# -- errors -----------------------------------------------------------------------------------------


def test_a_query_syntax_error_says_where(store):
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?s\nWHERE { ?s ?p }")
    assert caught.value.lineno == 2 and caught.value.text == "WHERE { ?s ?p }"
    assert isinstance(caught.value, SyntaxError)
    if is_virtuoso(store):  # Virtuoso gives the line and the token, no column
        assert "line 2: syntax error at '}'" in str(caught.value) and caught.value.offset is None
    else:
        assert caught.value.offset is not None and "expected" in str(caught.value)


def test_an_update_syntax_error_changes_nothing(loaded):
    with pytest.raises(QuerySyntaxError) as caught:
        loaded.update("INSERT DATA { <https://example.org/a> <https://example.org/b> }")
    assert caught.value.lineno == 1
    assert loaded.counts().quads == len(SAMPLE)


# -- writes -----------------------------------------------------------------------------------------


def test_an_update_is_all_or_nothing(loaded):
    before = loaded.counts()
    if is_virtuoso(loaded):
        # Virtuoso runs each operation of a request on its own: CLEAR GRAPH of a missing graph is no error
        # there, and an operation that fails (a LOAD from a port nobody listens on) leaves the earlier ones
        # applied. Loads are staged for that reason (test_a_failed_chunk_leaves_the_server_as_it_was).
        with pytest.raises(StoreError, match=r"Virtuoso server at .* answered HTTP 500: .*HTTP Client"):
            loaded.update(
                f"INSERT DATA {{ <{US.value}> <{SG_NS}memberOf> <{ID_NS}actor/nato> }} ;"
                " LOAD <http://127.0.0.1:1/nothing-here>"
            )
        assert loaded.counts().default_graph == before.default_graph + 1
        return
    with pytest.raises(StoreError, match="does not exist"):
        loaded.update(
            f"INSERT DATA {{ <{US.value}> <{SG_NS}memberOf> <{ID_NS}actor/nato> }} ;"
            f" CLEAR GRAPH <{ID_NS}source/missing>"
        )
    assert loaded.counts() == before
    assert loaded.query(f"ASK {{ ?a <{SG_NS}memberOf> ?b }}") is False
    loaded.update(f"INSERT DATA {{ <{US.value}> <{SG_NS}memberOf> <{ID_NS}actor/nato> }}")
    assert loaded.counts().default_graph == before.default_graph + 1


@pytest.mark.parametrize(
    ("bad", "complaint"),
    [
        ((US, LABEL, Literal("x"), Literal("not a graph")), "graph name is a Literal"),
        ((Literal("s"), LABEL, US), "subject is a Literal"),
        ((US, LABEL), "not a Quad"),
        ("<a> <b> <c> .", "a str is not a Quad"),
    ],
)
def test_a_load_with_one_bad_item_stores_nothing(store, bad, complaint):
    with pytest.raises(ValidationError, match=complaint) as caught:
        store.load([*SAMPLE[:3], bad, *SAMPLE[3:]])
    assert "item 3" in str(caught.value)
    assert store.counts() == Counts(quads=0, default_graph=0, named_graphs=0, stances=0)


def test_load_takes_quads_triples_and_tuples_and_keeps_blank_nodes_together(store):
    shared = BlankNode()
    items = [
        Triple(US, LABEL, Literal("USA")),
        (UA, LABEL, Literal("UA")),
        (shared, LABEL, Literal("first"), S1),
        Quad(shared, sg("actor"), US, S1),
    ]
    assert store.load(items) == 4
    assert store.load([]) == 0
    result = store.query("SELECT DISTINCT ?b WHERE { GRAPH ?g { ?b ?p ?o } }")
    assert len(result) == 1 and isinstance(result.rows[0][0], BlankNode)
    assert store.counts() == Counts(quads=4, default_graph=2, named_graphs=1, stances=0)


def test_bulk_load(store):
    quads = [Quad(node(f"actor/a{i}"), LABEL, Literal(f"Actor {i}"), S1) for i in range(120)]
    assert store.load(iter(quads), bulk=True) == 120
    assert store.counts().quads == 120


def test_counts(loaded):
    assert loaded.counts() == Counts(quads=20, default_graph=5, named_graphs=2, stances=2)


def test_named_graphs_and_remove_graph(loaded):
    assert loaded.named_graphs() == [S1.value, S2.value]
    loaded.remove_graph(S1.value)
    assert loaded.named_graphs() == [S2.value]
    assert loaded.counts() == Counts(quads=13, default_graph=5, named_graphs=1, stances=2)
    loaded.remove_graph(S1.value)  # already gone: nothing happens
    assert loaded.counts().quads == 13
    with pytest.raises(ValidationError, match="not a valid graph IRI"):
        loaded.remove_graph("not an iri")


def test_clear(loaded):
    loaded.clear()
    assert loaded.counts() == Counts(quads=0, default_graph=0, named_graphs=0, stances=0)
    assert loaded.named_graphs() == []


# -- export -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["trig", "nquads", "jsonld"])
def test_a_dataset_export_round_trips(loaded, name):
    data = loaded.export(name)
    assert canonical(parse(data, RDF_FORMATS[name])) == canonical(SAMPLE)


@pytest.mark.parametrize("name", ["turtle", "ntriples", "rdfxml"])
def test_a_graph_export_round_trips(loaded, name):
    data = loaded.export(name, default=True)  # (issue 11: without default=, refused, below)
    assert canonical(parse(data, RDF_FORMATS[name])) == canonical(default_graph_only(SAMPLE))
    data = loaded.export(name, graph=S2.value)
    expected = [Quad(q.subject, q.predicate, q.object) for q in SOURCE_2]
    assert canonical(parse(data, RDF_FORMATS[name])) == canonical(expected)


@pytest.mark.parametrize("name", ["trig", "nquads", "jsonld"])
def test_a_dataset_export_of_one_graph_keeps_its_name(loaded, name):
    data = loaded.export(name, graph=S1.value)
    assert canonical(parse(data, RDF_FORMATS[name])) == canonical(SOURCE_1)


@pytest.mark.parametrize("name", ["turtle", "ntriples", "rdfxml"])
def test_a_triple_format_of_the_whole_store_is_refused_rather_than_dropping_graphs(loaded, name):
    with pytest.raises(StoreError, match="named graphs.*trig, nquads or jsonld.*--graph.*--default"):
        loaded.export(name)


@pytest.mark.parametrize("name", ["trig", "nquads", "jsonld"])
def test_the_default_graph_alone_in_a_dataset_format(loaded, name):
    data = loaded.export(name, default=True)
    assert canonical(parse(data, RDF_FORMATS[name])) == canonical(default_graph_only(SAMPLE))


def test_export_declares_the_prefixes_and_writes_to_a_file(loaded):
    out = io.BytesIO()
    assert loaded.export("ttl", default=True, out=out) is None
    text = out.getvalue().decode()
    assert f"@prefix sg: <{SG_NS}> ." in text and "a sg:State" in text
    trig = loaded.export(RdfFormat.TRIG).decode()
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in trig and "skos:prefLabel" in trig
    assert canonical(parse(loaded.export("nt", graph=f"{ID_NS}source/none"), RdfFormat.N_TRIPLES)) == set()


def test_an_unknown_export_format_is_refused(loaded):
    with pytest.raises(ValidationError, match="unknown RDF format 'csv'.*trig"):
        loaded.export("csv")


# -- embedded ---------------------------------------------------------------------------------------


def test_an_on_disk_store_keeps_its_data(tmp_path):
    with open_store(tmp_path / "store") as store:
        assert isinstance(store, EmbeddedStore)
        store.load(SAMPLE)
    with open_store(tmp_path / "store") as reopened:
        assert reopened.counts() == Counts(quads=20, default_graph=5, named_graphs=2, stances=2)
        assert reopened.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?q } }", bindings={"q": QUOTE}).rows == (
            (STANCE_A,),
        )


def test_a_folder_open_in_this_process_is_refused(tmp_path):
    with open_store(tmp_path / "store"):
        with pytest.raises(StoreError, match="already open in this process"):
            open_store(tmp_path / "store")


def test_a_folder_locked_by_another_process_names_it(tmp_path):
    folder = tmp_path / "store"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', "
            "flush=True); sys.stdin.read()",
            str(folder),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="locked by") as caught:
            open_store(folder)
        if sys.platform == "linux":
            assert f"process {holder.pid}" in str(caught.value)
    finally:
        holder.stdin.close()
        holder.wait()
        holder.stdout.close()
    with open_store(folder) as store:  # free again once the other process has gone
        assert store.counts().quads == 0


def test_a_file_is_not_a_store_folder(tmp_path):
    path = tmp_path / "file.txt"
    path.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        open_store(path)


def test_a_folder_that_cannot_be_written_is_refused(tmp_path):
    if os.geteuid() != 0:  # an ordinary user cannot write into a folder without the write bit
        folder = tmp_path / "readonly"
        folder.mkdir()
        folder.chmod(0o500)
        target = folder / "store"
    else:  # root can write anywhere but on a read-only file system such as sysfs
        folder, target = None, Path("/sys/stancegraph-store")
    try:
        with pytest.raises(StoreError, match="choose a folder you can write to"):
            open_store(target)
    finally:
        if folder is not None:
            folder.chmod(0o700)


def test_the_embedded_timeout_stops_reading_solutions():
    with open_store() as store:
        store.load(Quad(node(f"actor/a{i}"), LABEL, Literal(str(i))) for i in range(50))
        with pytest.raises(StoreError, match="timeout of 0"):
            store.query("SELECT * WHERE { ?s ?p ?o }", timeout=0)
        assert len(store.query("SELECT * WHERE { ?s ?p ?o }", timeout=None)) == 50


def test_open_store_wants_a_folder_or_an_endpoint(tmp_path):
    with pytest.raises(StoreError, match="pass one of them"):
        open_store(tmp_path, endpoint="http://127.0.0.1:7878")


# -- remote (more in test_remote.py) -------------------------------------------------------------------


def test_the_oxigraph_layout_is_derived_from_the_root_or_the_query_url():
    for given in ("http://h:7878", "http://h:7878/", "http://h:7878/query"):
        store = RemoteStore(given, server="oxigraph")
        assert (store.query_url, store.update_url, store.store_url) == (
            "http://h:7878/query",
            "http://h:7878/update",
            "http://h:7878/store",
        )
        assert store.union_graph_parameter == "union-default-graph"
        store.close()
    generic = RemoteStore("http://h:3030/ds/sparql", server="generic")
    assert (generic.update_url, generic.store_url, generic.union_graph_parameter) == (None, None, None)
    with pytest.raises(StoreError, match="update URL .* --update-url"):
        generic.update("CLEAR DEFAULT")
    generic.close()
    with pytest.raises(StoreError, match="not an HTTP URL"):
        RemoteStore("h:7878")


@pytest.mark.remote
def test_the_three_urls_can_be_given_explicitly(oxigraph_server):
    url = oxigraph_server.url
    with open_store(
        endpoint=f"{url}/query",
        update_endpoint=f"{url}/update",
        store_endpoint=f"{url}/store",
        server="generic",
    ) as store:
        store.load(SAMPLE)
        assert store.counts().quads == len(SAMPLE)
        assert canonical(parse(store.export("nquads"), RdfFormat.N_QUADS)) == canonical(SAMPLE)
        with pytest.raises(StoreError, match="union_graph_parameter="):
            store.query("ASK { ?s ?p ?o }", union_default_graph=True)
        store.clear()


@pytest.mark.remote
def test_bulk_load_in_chunks(oxigraph_server):
    with RemoteStore(oxigraph_server.url, chunk_size=7) as store:
        quads = [Quad(node(f"actor/a{i}"), LABEL, Literal(f"Actor {i}"), S1) for i in range(30)]
        assert store.load(iter(quads), bulk=True) == 30
        assert store.counts().quads == 30
        store.clear()


@pytest.mark.remote
def test_a_server_error_carries_the_servers_message(oxigraph_server):
    with open_store(endpoint=oxigraph_server.url) as store:
        with pytest.raises(StoreError, match=r"HTTP 500: The graph <https://example.org/g> does not exist"):
            store.update("CLEAR GRAPH <https://example.org/g>")


def test_an_unreachable_server_is_named_with_a_fix():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for given, asked in ((url, url), (f"{url}/sparql", f"{url}/sparql")):
        with open_store(endpoint=given) as store, pytest.raises(StoreError) as caught:
            store.query("ASK { }")
        assert asked in str(caught.value) and "oxigraph serve" in str(caught.value)
        assert "\n" not in str(caught.value)
    with open_store(endpoint=url, server="virtuoso") as store, pytest.raises(StoreError) as caught:
        store.query("ASK { }")
    assert f"the Virtuoso server at {url}/sparql" in str(caught.value)

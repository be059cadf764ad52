"""The remote store on the two servers the tests run (Oxigraph and Debian's Virtuoso 7.2), and the pieces it
is made of: the servers' URLs and facts, the requests and the checks of their answers, staged loads, and
Virtuoso's forms of bindings and graph patterns."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph
import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

from stancegraph.graph.errors import StoreError, ValidationError
from stancegraph.graph.store import (
    RemoteStore,
    SelectResult,
    ServerKind,
    bind_values,
    insert_data,
    open_store,
    role_urls,
)
from stancegraph.graph.store.data_updates import blank_nodes_as_template
from stancegraph.graph.store.hidden_graphs import hide_graphs
from stancegraph.graph.store.servers import STAGING_PREFIX, identify_server
from stancegraph.graph.store.sparql_protocol import GET_LIMIT
from stancegraph.graph.store.staged_load import pack_chunks
from stancegraph.graph.store.term_substitution import substitute_terms

from ...conftest import SERVERS, server_url
from .test_store import LABEL, S1, SAMPLE, SG_NS, canonical, node

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ALL_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


# -- the servers and their URLs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "given", "expected"),
    [
        ("virtuoso", "http://h:8890", ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud")),
        ("virtuoso", "http://h:8890/sparql", ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud")),
        ("oxigraph", "http://h/db/query", ("http://h/db/query", "http://h/db/update", "http://h/db/store")),
        ("oxigraph", "http://h/db", ("http://h/db/query", "http://h/db/update", "http://h/db/store")),
        ("fuseki", "http://h:3030/ds", ("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data")),
        ("fuseki", "http://h:3030/ds/sparql", ("http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/data")),
        ("generic", "http://h/sparql", ("http://h/sparql", None, None)),
    ],
)  # fmt: skip
def test_the_roles_of_each_server_are_found_from_its_base_or_query_url(kind, given, expected):
    roles = role_urls(kind, given)
    assert (roles.query_url, roles.update_url, roles.store_url) == expected
    assert role_urls(kind, given, update_url="http://u/", store_url="http://s/").update_url == "http://u/"


def test_a_bare_fuseki_root_or_a_bad_url_is_refused_with_what_to_give():
    with pytest.raises(StoreError, match=r"root of a Fuseki server; give the dataset's URL"):
        role_urls("fuseki", "http://h:3030")
    with pytest.raises(StoreError, match="has a query or fragment"):
        role_urls("virtuoso", "http://h:8890/sparql?default-graph-uri=x")
    with pytest.raises(ValidationError, match="unknown server 'stardog'; use one of: oxigraph, virtuoso"):
        RemoteStore("http://h/sparql", server="stardog")
    with pytest.raises(ValidationError, match="unknown query method 'put'"):
        RemoteStore("http://h/sparql", server="generic", query_method="put")
    with pytest.raises(StoreError, match="server and chunk_size describe a SPARQL server: give endpoint="):
        open_store(server="virtuoso", chunk_size=5)


def test_the_server_is_told_by_its_answers():
    assert identify_server({"Server": "Oxigraph/0.5.13"}, "") is ServerKind.OXIGRAPH
    assert identify_server({"server": "Virtuoso/07.20.3229 (Linux)"}, "") is ServerKind.VIRTUOSO
    assert identify_server({"Fuseki-Request-Id": "7"}, "") is ServerKind.FUSEKI
    assert identify_server({"server": "nginx"}, "@prefix sd: <...> .") is ServerKind.GENERIC


# -- the pieces, on pyoxigraph ----------------------------------------------------------------------


A, B, C, P = (NamedNode(EX + name) for name in ("a", "b", "c", "p"))
G1, G2 = NamedNode(EX + "g1"), NamedNode(EX + "g2")


@pytest.fixture(scope="module")
def engine() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.extend(
        [
            Quad(A, P, B),
            Quad(B, P, C),
            Quad(A, P, Literal("1", datatype=NamedNode(XSD + "integer")), G1),
            Quad(B, P, A, G1),
            Quad(C, P, A, G2),
        ]
    )
    return store


def rows(engine: pyoxigraph.Store, sparql: str) -> set[tuple]:
    return {tuple(solution) for solution in engine.query(sparql)}


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s ?p ?x }",
        "SELECT ?x ?s WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?x } }",
        "SELECT ?s WHERE { { ?s ?p ?x } UNION { GRAPH ?g { ?s ?p ?x } } }",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(?o != ?x) }",
        "SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?q ?x } }",
        "SELECT ?s WHERE { { SELECT ?s WHERE { GRAPH ?g { ?s ?p ?x } } } }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?s = ?x) }",
        "ASK { GRAPH ?g { ?s ?p ?x } }",
    ],
)
def test_terms_written_in_place_give_the_answers_of_values_blocks(engine, query):
    for value in (A, B, C):
        substituted = substitute_terms(query, {"x": value})
        assert substituted is not None and "?x" not in substituted.replace("AS ?x", "")
        expected = engine.query(bind_values(query, {"x": value}))
        got = engine.query(substituted)
        if isinstance(expected, pyoxigraph.QueryBoolean):
            assert bool(got) == bool(expected)
        else:
            assert {tuple(s) for s in got} == {tuple(s) for s in expected}


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?x }",
        "SELECT ?s WHERE { ?s ?p ?o BIND(?o AS ?x) }",
        "SELECT ?s WHERE { VALUES ?x { <https://example.org/a> } ?s ?p ?x }",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(BOUND(?x)) }",
        "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?x",
    ],
)
def test_where_no_term_can_stand_for_the_variable_the_values_form_is_used(query):
    assert substitute_terms(query, {"x": A}) is None


def test_hidden_graphs_are_out_of_reach_of_graph_patterns_by_variable_and_by_name(engine):
    by_variable = "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert {row[0] for row in rows(engine, hide_graphs(by_variable, [G1.value]))} == {G2}
    by_name = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{G1.value}> {{ ?s ?p ?o }} }}"
    assert rows(engine, hide_graphs(by_name, [G2.value])) == rows(engine, by_name) != set()
    assert rows(engine, hide_graphs(by_name, [G1.value])) == set()
    template = "CONSTRUCT { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert hide_graphs(template, [G1.value]).startswith("CONSTRUCT { GRAPH ?g { ?s ?p ?o } } WHERE { {")
    assert (
        hide_graphs(f"DELETE WHERE {{ GRAPH ?g {{ <{A.value}> ?p ?o }} }}", [G1.value]).count("FILTER") == 0
    )


def test_blank_nodes_move_from_data_blocks_to_a_template_that_writes_the_same_quads():
    blank = BlankNode()
    quads = [Quad(A, P, blank, G1), Quad(blank, P, Literal("x"), G1), Quad(B, P, C)]
    rewritten = blank_nodes_as_template(insert_data(quads) + " ;\n" + insert_data([Quad(C, P, A)]))
    assert rewritten.count("INSERT DATA") == 1 and rewritten.count("WHERE { }") == 1
    direct, templated = pyoxigraph.Store(), pyoxigraph.Store()
    direct.update(insert_data(quads))
    templated.update(rewritten)
    assert canonical(templated) == canonical([*direct, Quad(C, P, A)])


def test_chunks_keep_the_quads_of_a_blank_node_together():
    blanks = [BlankNode() for _ in range(3)]
    quads = [Quad(A, P, Literal(str(i))) for i in range(5)]
    quads += [Quad(A, P, blanks[0]), Quad(blanks[0], P, blanks[1]), Quad(blanks[1], P, Literal("x"))]
    quads += [Quad(blanks[2], P, Literal("y"), G1), Quad(B, P, blanks[2], G1)]
    chunks = pack_chunks(quads, 2)
    assert sorted(map(str, (q for chunk in chunks for q in chunk))) == sorted(map(str, quads))
    for blank in blanks:
        holding = [i for i, chunk in enumerate(chunks) if any(blank in (q.subject, q.object) for q in chunk)]
        assert len(holding) == 1, blank
    assert max(len(chunk) for chunk in chunks) == 3  # the group of three is one chunk


# -- on the servers ---------------------------------------------------------------------------------


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(kind, URL) of a session server, emptied before and after the test."""
    url = server_url(request, request.param)
    with open_store(endpoint=url) as cleaner:
        cleaner.clear()
    yield request.param, url
    with open_store(endpoint=url) as cleaner:
        cleaner.clear()


def graph_names(url: str) -> set[str]:
    """Every graph the server holds, asked of the server itself (its own graphs included)."""
    response = httpx.get(url, params={"query": ALL_GRAPHS}, headers={"Accept": "text/csv"}, timeout=60)
    response.raise_for_status()
    return {line.strip('"') for line in response.text.split()[1:]}


def test_the_server_is_asked_which_it_is_and_its_urls_follow(server):
    kind, url = server
    base = url.removesuffix("/sparql")
    query_url = url if kind == "virtuoso" else base + "/query"
    for given in (base, query_url):
        with open_store(endpoint=given) as store:
            assert store.server is ServerKind(kind)
            assert store.query_url == query_url
            assert store.update_url == (url if kind == "virtuoso" else base + "/update")
            assert store.query("ASK { }") is True


def test_a_load_of_several_chunks_is_the_load_of_one_and_leaves_no_staging_graph(server):
    kind, url = server
    with open_store(endpoint=url, chunk_size=3) as store:
        assert store.load(SAMPLE) == len(SAMPLE)
        assert canonical(parse(store.export("nquads"), RdfFormat.N_QUADS)) == canonical(SAMPLE)
        assert store.counts().quads == len(SAMPLE)
    assert not {g for g in graph_names(url) if g.startswith(STAGING_PREFIX)}


def test_a_long_query_goes_as_a_form_and_direct_posts_only_where_they_work(server):
    kind, url = server
    with open_store(endpoint=url) as store:
        store.load(SAMPLE)
        many = ", ".join(f"<{EX}n{i}>" for i in range(200))
        wanted = node("stance/a").value
        long_query = f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?s IN ({many}, <{wanted}>)) }}"
        assert len(long_query) > GET_LIMIT
        assert {row[0] for row in store.query(long_query).rows} == {node("stance/a")}
    if kind == "virtuoso":  # Virtuoso 7.2 never answers a bare application/sparql-query POST
        with open_store(endpoint=url, query_method="direct") as direct:
            with pytest.raises(StoreError, match="'direct' .* gets no answer from Virtuoso 7.2"):
                direct.query("ASK { }")
    else:
        with open_store(endpoint=url, query_method="direct") as direct:
            assert direct.query("ASK { ?s ?p ?o }") is True


def test_each_query_form_gets_its_kind_of_answer_and_a_wrong_one_is_refused(server):
    kind, url = server
    with open_store(endpoint=url) as store:
        store.load(SAMPLE)
        described = store.query(f"DESCRIBE <{node('actor/us').value}>")
        constructed = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(constructed, tuple) and len(constructed) == len(set(constructed)) > 0
        assert isinstance(described, tuple)
        assert store.query("ASK { GRAPH ?g { ?s ?p ?o } }") is True
    base = url.removesuffix("/sparql")
    with open_store(endpoint=base + "/", server="generic") as not_an_endpoint:
        with pytest.raises(StoreError) as caught:
            not_an_endpoint.query("SELECT * WHERE { ?s ?p ?o }")
    message = str(caught.value)
    assert "\n" not in message and base in message and "<" not in message.split("answered", 1)[-1][:80]
    assert "not SPARQL results" in message or "HTTP 404" in message


def test_the_union_of_all_graphs_needs_no_server_switch(server, bundled_embedded):
    kind, url = server
    from stancegraph.graph import load_bundled

    query = f"SELECT ?who ?what WHERE {{ ?who <{SG_NS}endorses> ?what }}"
    with open_store(endpoint=url) as store:
        load_bundled(store)
        union = store.query(query, union_default_graph=True)
        assert isinstance(union, SelectResult)
        assert set(union.rows) == set(bundled_embedded.query(query, union_default_graph=True).rows) != set()
        assert store.query(query).rows == ()  # the default graph alone holds no direct edge


@pytest.fixture(scope="module")
def bundled_embedded():
    from stancegraph.graph import load_bundled

    store = open_store()
    load_bundled(store)
    return store


# -- Virtuoso ---------------------------------------------------------------------------------------


@pytest.fixture
def virtuoso(request: pytest.FixtureRequest) -> Iterator[str]:
    url = request.getfixturevalue("virtuoso_server").url
    with open_store(endpoint=url) as cleaner:
        cleaner.clear()
    yield url
    with open_store(endpoint=url) as cleaner:
        cleaner.clear()


@pytest.mark.remote
@pytest.mark.virtuoso
def test_virtuosos_own_graphs_are_never_counted_listed_exported_or_cleared(virtuoso):
    own = graph_names(virtuoso)
    assert "http://www.openlinksw.com/schemas/virtrdf#" in own
    with open_store(endpoint=virtuoso) as store:
        assert store.counts().quads == 0 and store.named_graphs() == []
        assert store.export("nquads") == b""
        assert store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows == ()
        store.load(SAMPLE)
        assert store.counts().quads == len(SAMPLE)
        with pytest.raises(StoreError, match="DROP ALL would also remove the graphs the Virtuoso server"):
            store.update("DROP SILENT ALL")
        store.clear()
        assert store.counts().quads == 0
    assert graph_names(virtuoso) == own


@pytest.mark.remote
@pytest.mark.virtuoso
def test_the_default_graph_lives_in_a_named_graph_of_its_own_on_virtuoso(virtuoso):
    with open_store(endpoint=virtuoso) as store:
        store.load([Quad(A, P, B)])
        store.update(f"INSERT DATA {{ <{B.value}> <{P.value}> <{C.value}> }}")
        assert store.default_graph_iri == "https://w3id.org/stancegraph/id/graph/default"
        assert store.counts().default_graph == 2 and store.named_graphs() == []
        assert store.query(f"SELECT ?o WHERE {{ <{A.value}> ?p ?o }}").rows == ((B,),)
    assert store.default_graph_iri in graph_names(virtuoso)


@pytest.mark.remote
@pytest.mark.virtuoso
def test_a_failed_chunk_leaves_the_server_as_it_was(virtuoso):
    with open_store(endpoint=virtuoso, chunk_size=4) as store:
        store.load(SAMPLE[:5])
        before = store.export("nquads")
        graphs = graph_names(virtuoso)
        ill_typed = Quad(A, P, Literal("12x", datatype=NamedNode(XSD + "integer")), S1)  # Virtuoso refuses it
        # the chunk holding it fails, or (where a blank node sent it as a template) the copy of the chunks
        with pytest.raises(
            StoreError, match=r"the load of 16 quads failed at .*, so none of it was stored: "
        ):
            store.load([*SAMPLE[5:], ill_typed])
        assert store.export("nquads") == before
    assert graph_names(virtuoso) == graphs


@pytest.mark.remote
@pytest.mark.virtuoso
def test_an_answer_cut_at_virtuosos_row_cap_is_refused_and_an_export_reads_it_whole(virtuoso):
    quads = [Quad(NamedNode(f"{EX}n{i}"), LABEL, Literal(f"node {i}"), S1) for i in range(10_001)]
    with open_store(endpoint=virtuoso) as store:
        assert store.load(iter(quads), bulk=True) == 10_001
        with pytest.raises(StoreError, match=r"cut its answer at 10000 rows .*ResultSetMaxRows"):
            store.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }")
        with pytest.raises(StoreError, match=r"answered 10001 triples, as many as its row cap of 10000"):
            store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert len(store.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 9999").rows) == 9999
        exported = set(parse(store.export("nquads", graph=S1.value), RdfFormat.N_QUADS))
        assert exported == set(quads)
        assert store.counts().quads == 10_001


@pytest.mark.parametrize(
    "bundled", [pytest.param("virtuoso", marks=[pytest.mark.remote, pytest.mark.virtuoso])], indirect=True
)
def test_bound_values_are_written_in_place_on_virtuoso_whose_cost_estimate_refuses_values_blocks(bundled):
    from stancegraph.graph import load_bundled, positions
    from stancegraph.graph.queries.stances import _FILTERS, _STANCES_QUERY

    russia = NamedNode("https://w3id.org/stancegraph/id/actor/russia")
    query = _STANCES_QUERY.format(filters=_FILTERS["actor"])
    with pytest.raises(StoreError) as caught:  # the VALUES form, sent as it is, to Debian's 400 s limit
        bundled.query(bind_values(query, {"f_actor": russia}))
    message = str(caught.value)
    assert message.startswith(
        f"the query failed: the Virtuoso server at {bundled.query_url} answered HTTP 500: "
    )
    assert "estimated execution time" in message and "\n" not in message and "SPARQL query" not in message
    assert "MaxQueryCostEstimationTime" in message  # what to change, besides the query
    assert len(bundled.query(query, bindings={"f_actor": russia}).rows) == 9
    embedded = open_store()
    load_bundled(embedded)
    assert positions(bundled, "russia") == positions(embedded, "russia")


@pytest.mark.remote
@pytest.mark.virtuoso
def test_what_virtuoso_keeps_differently_is_stated(virtuoso):
    flag = NamedNode(SG_NS + "partialText")
    with open_store(endpoint=virtuoso) as store:
        store.load(
            [
                Quad(A, flag, Literal("true", datatype=NamedNode(XSD + "boolean")), G1),
                Quad(C, LABEL, Literal("  spaced \n"), G1),
            ]
        )
        # its JSON writes booleans as 1 / 0; the store gives them back as true / false
        assert store.query(f"SELECT ?v WHERE {{ GRAPH ?g {{ ?s <{flag.value}> ?v }} }}").rows == (
            (Literal("true", datatype=NamedNode(XSD + "boolean")),),
        )
        # spaces and line ends are kept (pyoxigraph's reader of XML results trims them: JSON is asked for)
        assert store.query(f"SELECT ?v WHERE {{ GRAPH ?g {{ <{C.value}> ?p ?v }} }}").rows == (
            (Literal("  spaced \n"),),
        )
        # a boolean expression is an integer in Virtuoso's SPARQL
        assert store.query("SELECT ?b WHERE { BIND(1 < 2 AS ?b) }").rows == (
            (Literal("1", datatype=NamedNode(XSD + "integer")),),
        )
        assert store.counts().named_graphs == 1

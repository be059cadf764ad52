"""Real SPARQL clients against the service over a real socket, and W3C-style evaluation cases run through
our /sparql (in-process) and through a real Oxigraph server: ours must pass at least as many."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from .conftest import InProcess, Service, in_process_service, running_service

SG = "https://w3id.org/stancegraph/ontology#"
ID = "https://w3id.org/stancegraph/id/"
WHO = f"SELECT ?a WHERE {{ GRAPH ?g {{ ?a <{SG}endorses> <{ID}plan/us-28/6> }} }}"
W3C = Path(__file__).parent / "w3c"


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Service]:
    """Here a real service over the bundled data: SPARQLWrapper and rdflib speak HTTP through urllib, over a
    socket (this ``service`` stands in for the in-process one of conftest.py in this module)."""
    with running_service(tmp_path_factory.mktemp("clients")) as running:
        yield running


def _wrapper(service: Service, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(service.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_sparqlwrapper_gets_json(service):
    result = _wrapper(service, WHO, JSON).queryAndConvert()
    assert [b["a"]["value"] for b in result["results"]["bindings"]] == [ID + "actor/us"]


def test_sparqlwrapper_gets_xml(service):
    document = _wrapper(service, WHO, XML).queryAndConvert()
    assert [node.firstChild.data for node in document.getElementsByTagName("uri")] == [ID + "actor/us"]


def test_sparqlwrapper_gets_csv_and_tsv(service):
    csv_text = _wrapper(service, WHO, CSV).queryAndConvert().decode()
    assert csv_text.splitlines() == ["a", ID + "actor/us"]
    tsv_text = _wrapper(service, WHO, TSV).queryAndConvert().decode()
    assert tsv_text.splitlines() == ["?a", f"<{ID}actor/us>"]


def test_sparqlwrapper_gets_turtle_for_construct(service):
    query = f"CONSTRUCT {{ ?a <{SG}endorses> ?t }} WHERE {{ GRAPH ?g {{ ?a <{SG}endorses> ?t }} }}"
    sparql = _wrapper(service, query, TURTLE)
    raw = sparql.query()
    assert raw.response.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=raw.convert(), format="turtle")
    assert (
        rdflib.URIRef(ID + "actor/us"),
        rdflib.URIRef(SG + "endorses"),
        rdflib.URIRef(ID + "plan/us-28/6"),
    ) in graph


def test_sparqlwrapper_post_and_ask(service):
    sparql = _wrapper(service, "ASK { GRAPH ?g { ?s a ?o } }", JSON)
    sparql.setMethod("POST")
    assert sparql.queryAndConvert()["boolean"] is True


def test_rdflib_sparqlstore_queries_the_endpoint(service):
    store = SPARQLStore(service.url + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(WHO))
    assert [str(row[0]) for row in rows] == [ID + "actor/us"]
    store.close()


def test_rdflib_sparqlupdatestore_adds_and_removes_with_the_token(service):
    store = SPARQLUpdateStore(
        service.url + "/sparql", service.url + "/sparql", headers={"Authorization": f"Bearer {service.token}"}
    )
    graph = rdflib.Graph(store=store, identifier=rdflib.URIRef("http://example.org/rdflib-client"))
    triple = (
        rdflib.URIRef("http://example.org/x"),
        rdflib.URIRef("http://example.org/p"),
        rdflib.Literal("y"),
    )
    graph.add(triple)
    ask = "ASK { GRAPH <http://example.org/rdflib-client> { <http://example.org/x> ?p ?o } }"
    answer = httpx.get(service.url + "/sparql", params={"query": ask})
    assert answer.status_code == 200, answer.text
    assert answer.json()["boolean"] is True
    # rdflib's remove() sends DELETE { } WHERE { }, a form this service refuses; DELETE DATA does it
    with pytest.raises(Exception, match="400"):
        store.remove(triple, context=graph)
    store.close()
    fresh = SPARQLUpdateStore(
        service.url + "/sparql", service.url + "/sparql", headers={"Authorization": f"Bearer {service.token}"}
    )
    fresh.update(
        "DELETE DATA { GRAPH <http://example.org/rdflib-client> { <http://example.org/x> "
        '<http://example.org/p> "y" } }'
    )
    fresh.close()
    assert httpx.get(service.url + "/sparql", params={"query": ask}).json()["boolean"] is False


def test_rdflib_sparqlupdatestore_without_the_token_is_refused(service):
    store = SPARQLUpdateStore(service.url + "/sparql", service.url + "/sparql")
    graph = rdflib.Graph(store=store, identifier=rdflib.URIRef("http://example.org/rdflib-refused"))
    with pytest.raises(Exception, match="401"):
        graph.add(
            (
                rdflib.URIRef("http://example.org/x"),
                rdflib.URIRef("http://example.org/p"),
                rdflib.Literal("y"),
            )
        )
    store.close()


# -- W3C-style query evaluation cases ----------------------------------------------------------------


def _cases() -> list[dict]:
    return json.loads((W3C / "manifest.json").read_text())["cases"]


def _key(binding: dict) -> tuple:
    return tuple(
        sorted(
            (var, term["type"], term["value"], term.get("datatype", ""), term.get("xml:lang", ""))
            for var, term in binding.items()
        )
    )


def _passes(case: dict, http: httpx.Client, query_url: str, store_url: str, auth: dict[str, str]) -> bool:
    """Load the case's data with the Graph Store Protocol, run its query, compare with the expected result."""
    # empty what the previous case left: the default graph, and the named graphs used by the cases
    http.put(
        store_url,
        params={"default": ""},
        content=(W3C / case["data"]).read_bytes(),
        headers={**auth, "Content-Type": "text/turtle"},
    ).raise_for_status()
    for graph in ("http://example.org/g1", "http://example.org/g2"):
        if graph in case.get("named", {}):
            http.put(
                store_url,
                params={"graph": graph},
                content=(W3C / case["named"][graph]).read_bytes(),
                headers={**auth, "Content-Type": "text/turtle"},
            ).raise_for_status()
        else:
            http.delete(store_url, params={"graph": graph}, headers=auth)
    query = (W3C / case["query"]).read_text()
    if case["result"].endswith(".nt"):
        got = http.post(
            query_url,
            content=query,
            headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
        )
        if got.status_code != 200:
            return False
        expected = {line.strip() for line in (W3C / case["result"]).read_text().splitlines() if line.strip()}
        return {line.strip() for line in got.text.splitlines() if line.strip()} == expected
    got = http.post(
        query_url,
        content=query,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    if got.status_code != 200:
        return False
    expected = json.loads((W3C / case["result"]).read_text())
    answer = got.json()
    if "boolean" in expected:
        return answer.get("boolean") == expected["boolean"]
    mine = [_key(b) for b in answer["results"]["bindings"]]
    theirs = [_key(b) for b in expected["results"]["bindings"]]
    return mine == theirs if case.get("ordered") else Counter(mine) == Counter(theirs)


@pytest.fixture(scope="module")
def empty_service(tmp_path_factory) -> Iterator[InProcess]:
    with in_process_service(tmp_path_factory.mktemp("w3c"), load_bundled=False) as running:
        yield running


@pytest.mark.remote
def test_w3c_cases_pass_through_our_endpoint_at_least_as_often_as_through_oxigraph(
    empty_service, oxigraph_server
):
    cases = _cases()
    ours = {
        c["name"]: _passes(c, empty_service.client, "/sparql", "/store", empty_service.auth) for c in cases
    }
    with httpx.Client(timeout=60) as http:
        theirs = {
            c["name"]: _passes(c, http, oxigraph_server.url + "/query", oxigraph_server.url + "/store", {})
            for c in cases
        }
    with httpx.Client() as http:  # leave the shared Oxigraph server empty for the store tests
        http.post(
            oxigraph_server.url + "/update",
            content="DROP ALL",
            headers={"Content-Type": "application/sparql-update"},
        )
    assert sum(theirs.values()) >= len(cases) - 1, f"the cases themselves look wrong: {theirs}"
    assert sum(ours.values()) >= sum(theirs.values()), {
        n: (ours[n], theirs[n]) for n in ours if ours[n] != theirs[n]
    }
    assert all(ours.values()), [n for n, ok in ours.items() if not ok]

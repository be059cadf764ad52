"""The service in front of a remote SPARQL server (``serve --endpoint URL``): a real Oxigraph server, and
Debian's Virtuoso with Debian's limits.

The same answers as the embedded service, the same deadline, the same refusals, and writes that are
checked by the SHACL shapes before anything reaches the server.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from stancegraph.graph import load_bundled, open_store

from ...conftest import SERVERS, running_oxigraph, running_virtuoso
from .conftest import Service, running_service

pytestmark = pytest.mark.remote

#: A query that runs far past the 2 s deadline, on each server (Virtuoso's must pass its cost estimate).
RUNAWAY = {
    "oxigraph": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "virtuoso": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?a1 ?a2 ?a3 } GRAPH ?b { ?b1 ?b2 ?b3 } "
    "FILTER(STRLEN(UCASE(CONCAT(STR(?a3), STR(?b3), STR(?a1), STR(?b1)))) > 1000000) }",
}
#: Every quad, as each server counts it: Virtuoso's default graph is the union of all its graphs.
COUNT_QUADS = {
    "oxigraph": "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
    "virtuoso": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
}
EXAMPLE_GRAPH = "http://example.org/fronted-write"
KREMLIN = "https://w3id.org/stancegraph/id/source/kremlin-2025-11-21"


@dataclass(frozen=True)
class Fronted:
    kind: str
    query_url: str
    service: Service


def _server_quads(fronted: Fronted) -> int:
    """How many quads the server holds, asked of the server itself, not through the service."""
    response = httpx.get(
        fronted.query_url,
        params={"query": COUNT_QUADS[fronted.kind]},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module", params=SERVERS)
def fronted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fronted]:
    """A server holding the bundled data, and a service with a 2 s deadline in front of it.

    The runaway query keeps the server busy after the service has given up on it (a SPARQL server cannot
    be told to stop over the protocol); the server is stopped with the module.
    """
    folder = tmp_path_factory.mktemp(f"fronted-{request.param}")
    starting = running_oxigraph(folder) if request.param == "oxigraph" else running_virtuoso(folder)
    with starting as server:
        query_url = server.url + "/query" if request.param == "oxigraph" else server.url
        with open_store(endpoint=server.url) as remote:
            load_bundled(remote)
        with running_service(folder, "--timeout", "2", endpoint=server.url) as service:
            yield Fronted(request.param, query_url, service)


def test_the_rest_answers_are_those_of_the_embedded_service(fronted, client):
    for path in (
        "/api/who/endorses/us-28/6",
        "/api/plans/us-28/fit",
        "/api/stances?contested=true",
        "/api/stances?actor=umerov",
        "/api/actors/russia/positions",
        "/api/actors",
        "/api/sources",
        "/api/overview",
    ):
        ours = httpx.get(fronted.service.url + path, timeout=60)
        embedded = client.get(path)
        assert ours.status_code == embedded.status_code == 200, (path, ours.text)
        if path == "/api/overview":  # the session's embedded store may keep an empty graph of a write test
            counts = ours.json().pop("counts")
            with open_store() as fresh:
                load_bundled(fresh)
                assert counts == dataclasses.asdict(fresh.counts())
            assert ours.json() | {"counts": None} == embedded.json() | {"counts": None}
            continue
        assert ours.json() == embedded.json(), path
    who = httpx.get(fronted.service.url + "/api/who/endorses/us-28/6", timeout=60).json()
    assert [hit["label"] for hit in who] == ["United States"]


@pytest.mark.parametrize(
    ("accept", "marker"),
    [
        ("application/sparql-results+json", '"bindings"'),
        ("application/sparql-results+xml", "<sparql"),
        ("text/csv", "who\r\n"),
        ("text/tab-separated-values", "?who\n"),
    ],
)
def test_sparql_results_come_in_every_format(fronted, accept, marker):
    query = "PREFIX sg: <https://w3id.org/stancegraph/ontology#> SELECT ?who WHERE { ?who sg:endorses ?x }"
    response = httpx.get(
        fronted.service.url + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=60
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert marker in response.text


def test_a_runaway_query_is_cut_at_the_deadline_while_ask_answers(fronted):
    url = fronted.service.url + "/sparql"
    outcome: dict[str, httpx.Response] = {}

    def runaway() -> None:
        outcome["runaway"] = httpx.get(url, params={"query": RUNAWAY[fronted.kind]}, timeout=120)

    thread = threading.Thread(target=runaway)
    thread.start()
    try:
        answers = [httpx.get(url, params={"query": "ASK {}"}, timeout=120) for _ in range(3)]
        still_running = thread.is_alive()
    finally:
        thread.join()
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert still_running, "ASK {} should have been answered while the runaway query was running"
    cut = outcome["runaway"]
    assert cut.status_code == 503, cut.text
    assert cut.headers["content-type"] == "application/problem+json"
    assert cut.json()["type"].endswith("/deadline") and "2 s" in cut.json()["detail"]
    assert httpx.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=60).json()["boolean"] is True


def test_service_and_load_are_refused_before_the_server_sees_them(fronted):
    for query in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    ):
        response = httpx.get(fronted.service.url + "/sparql", params={"query": query}, timeout=60)
        assert response.status_code == 400, query
        assert "SERVICE" in response.json()["detail"]


def test_a_write_is_validated_before_it_reaches_the_server(fronted):
    before = _server_quads(fronted)
    invalid = (
        "@prefix sg: <https://w3id.org/stancegraph/ontology#> .\n"
        "<http://example.org/s1> a sg:Stance ; sg:stanceType sg:Endorses .\n"
    )
    url = fronted.service.url + "/store"
    headers = {"Content-Type": "text/turtle", **fronted.service.auth}
    refused = httpx.put(url, params={"graph": EXAMPLE_GRAPH}, content=invalid, headers=headers, timeout=60)
    assert refused.status_code == 422, refused.text
    assert {v["path"].rsplit("#", 1)[-1] for v in refused.json()["violations"]} >= {"actor", "target"}
    assert _server_quads(fronted) == before

    unauthorised = httpx.put(
        url, params={"graph": EXAMPLE_GRAPH}, content=invalid, headers={"Content-Type": "text/turtle"}
    )
    assert unauthorised.status_code == 401
    assert _server_quads(fronted) == before

    valid = '<http://example.org/a> <http://example.org/says> "hello" .\n'
    stored = httpx.put(url, params={"graph": EXAMPLE_GRAPH}, content=valid, headers=headers, timeout=60)
    assert stored.status_code in (201, 204), stored.text
    assert _server_quads(fronted) == before + 1
    removed = httpx.delete(url, params={"graph": EXAMPLE_GRAPH}, headers=fronted.service.auth, timeout=60)
    assert removed.status_code == 204
    assert _server_quads(fronted) == before


def test_a_server_stopped_under_the_service_gives_a_clear_502(tmp_path):
    oxigraph = running_oxigraph(tmp_path)
    server = oxigraph.__enter__()
    stopped = False
    try:
        with running_service(tmp_path, endpoint=server.url) as service:
            up = httpx.get(service.url + "/sparql", params={"query": "ASK {}"}, timeout=60)
            assert up.status_code == 200
            stopped = oxigraph.__exit__(None, None, None) is not None  # the service keeps running
            gone = httpx.get(service.url + "/sparql", params={"query": "ASK {}"}, timeout=60)
            rest = httpx.get(service.url + "/api/actors", timeout=60)
    finally:
        if not stopped:
            oxigraph.__exit__(None, None, None)
    for response in (gone, rest):
        assert response.status_code == 502, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert server.url in response.json()["detail"]
        assert "Traceback" not in response.text


def test_the_graph_store_reads_are_those_of_the_embedded_service(fronted, client):
    from pyoxigraph import RdfFormat, parse

    for params, accept, rdf in (
        ({}, "application/n-quads", RdfFormat.N_QUADS),
        ({"default": ""}, "text/turtle", RdfFormat.TURTLE),
        ({"graph": KREMLIN}, "application/n-triples", RdfFormat.N_TRIPLES),
    ):
        ours = httpx.get(
            fronted.service.url + "/store", params=params, headers={"Accept": accept}, timeout=60
        )
        embedded = client.get("/store", params=params, headers={"Accept": accept})
        assert ours.status_code == embedded.status_code == 200, (params, ours.text)
        assert set(parse(ours.content, rdf)) == set(parse(embedded.content, rdf)) != set(), params

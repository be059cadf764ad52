"""The service in front of a remote SPARQL server (``serve --endpoint URL``), here a real Oxigraph server.

The same answers as the embedded service, the same deadline, the same refusals, and writes that are
checked by the SHACL shapes before anything reaches the server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from stancegraph.graph import load_bundled, open_store

from ...conftest import OxigraphServer, running_oxigraph
from .conftest import Service, running_service

pytestmark = pytest.mark.remote

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
EXAMPLE_GRAPH = "http://example.org/fronted-write"


@dataclass(frozen=True)
class Fronted:
    server: OxigraphServer
    service: Service


def _server_quads(server: OxigraphServer) -> int:
    """How many quads the Oxigraph server holds, asked of the server itself, not through the service."""
    response = httpx.post(
        server.url + "/query",
        content=COUNT_QUADS,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=60,
    )
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def fronted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fronted]:
    """An Oxigraph server holding the bundled data, and a service with a 2 s deadline in front of it.

    The runaway query keeps the Oxigraph server busy after the service has given up on it (a SPARQL server
    cannot be told to stop over the protocol); the server is stopped with the module.
    """
    folder = tmp_path_factory.mktemp("fronted")
    with running_oxigraph(folder) as server:
        with open_store(endpoint=server.url) as remote:
            load_bundled(remote)
        with running_service(folder, "--timeout", "2", endpoint=server.url) as service:
            yield Fronted(server, service)


def test_the_rest_answers_are_those_of_the_embedded_service(fronted, client):
    for path in ("/api/who/endorses/us-28/6", "/api/plans/us-28/fit", "/api/stances?contested=true"):
        ours = httpx.get(fronted.service.url + path, timeout=60)
        embedded = client.get(path)
        assert ours.status_code == embedded.status_code == 200, (path, ours.text)
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
        outcome["runaway"] = httpx.get(url, params={"query": RUNAWAY}, timeout=120)

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
    before = _server_quads(fronted.server)
    invalid = (
        "@prefix sg: <https://w3id.org/stancegraph/ontology#> .\n"
        "<http://example.org/s1> a sg:Stance ; sg:stanceType sg:Endorses .\n"
    )
    url = fronted.service.url + "/store"
    headers = {"Content-Type": "text/turtle", **fronted.service.auth}
    refused = httpx.put(url, params={"graph": EXAMPLE_GRAPH}, content=invalid, headers=headers, timeout=60)
    assert refused.status_code == 422, refused.text
    assert {v["path"].rsplit("#", 1)[-1] for v in refused.json()["violations"]} >= {"actor", "target"}
    assert _server_quads(fronted.server) == before

    unauthorised = httpx.put(
        url, params={"graph": EXAMPLE_GRAPH}, content=invalid, headers={"Content-Type": "text/turtle"}
    )
    assert unauthorised.status_code == 401
    assert _server_quads(fronted.server) == before

    valid = '<http://example.org/a> <http://example.org/says> "hello" .\n'
    stored = httpx.put(url, params={"graph": EXAMPLE_GRAPH}, content=valid, headers=headers, timeout=60)
    assert stored.status_code in (201, 204), stored.text
    assert _server_quads(fronted.server) == before + 1
    removed = httpx.delete(url, params={"graph": EXAMPLE_GRAPH}, headers=fronted.service.auth, timeout=60)
    assert removed.status_code == 204
    assert _server_quads(fronted.server) == before


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

"""Deadlines, limits, no fetching, CORS, problem details, and no input that makes the service fail."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancegraph.api.service.settings import Settings

from .conftest import Listener, Service, listening, running_service

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def strict(tmp_path_factory) -> Iterator[Service]:
    """A service with a 2 s deadline, 50 rows, 4 KiB bodies and one CORS origin."""
    with running_service(
        tmp_path_factory.mktemp("strict"),
        "--timeout",
        "2",
        "--max-rows",
        "50",
        "--max-body",
        "4096",
        "--cors-origin",
        "https://reports.example.org",
    ) as running:
        yield running


def test_a_runaway_query_is_cut_at_its_deadline_while_ask_answers(strict):
    outcome: dict[str, httpx.Response] = {}

    def runaway() -> None:
        outcome["runaway"] = httpx.get(strict.url + "/sparql", params={"query": RUNAWAY}, timeout=120)

    thread = threading.Thread(target=runaway)
    thread.start()
    try:
        # while the runaway query occupies one worker, ASK {} is answered by another
        answers = [
            httpx.get(strict.url + "/sparql", params={"query": "ASK {}"}, timeout=120) for _ in range(3)
        ]
        still_running = thread.is_alive()
    finally:
        thread.join()
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert all(r.json()["boolean"] is True for r in answers)
    assert still_running, "ASK {} should have been answered before the runaway query was stopped"
    cut = outcome["runaway"]
    assert cut.status_code == 503
    assert cut.headers["content-type"] == "application/problem+json"
    assert cut.json()["type"].endswith("/deadline") and "2 s" in cut.json()["detail"]
    # and the service is whole afterwards: the killed worker was replaced
    assert httpx.get(strict.url + "/api/who/endorses/us-28/6", timeout=60).status_code == 200


def test_more_rows_than_the_limit_is_an_error_not_a_truncated_answer(strict):
    response = httpx.get(strict.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=60)
    assert response.status_code == 422
    assert response.json()["type"].endswith("/row-limit") and "50" in response.json()["detail"]
    small = httpx.get(
        strict.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"}, timeout=60
    )
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 50


def test_a_body_over_the_limit_is_413(strict):
    query = "ASK {}" + " " * 5000
    response = httpx.post(
        strict.url + "/sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert response.status_code == 413 and response.json()["status"] == 413

    def chunks():
        yield b"ASK {}"
        yield b" " * 5000

    streamed = httpx.post(
        strict.url + "/sparql",
        content=chunks(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert streamed.status_code == 413


@pytest.fixture
def recorder() -> Iterator[str]:
    with listening() as url:
        yield url


def test_service_to_a_loopback_url_fetches_nothing(client, recorder):
    query = f"SELECT * WHERE {{ SERVICE <{recorder}/sparql> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400 and "SERVICE" in response.json()["detail"]
    silent = client.post("/sparql", data={"query": query.replace("SERVICE", "SERVICE SILENT")})
    assert silent.status_code == 400
    assert Listener.hits == []


def test_load_fetches_nothing_even_with_the_token(client, service, recorder):
    for target in (f"{recorder}/data.ttl", "file:///etc/passwd"):
        response = client.post("/sparql", data={"update": f"LOAD <{target}>"}, headers=service.auth)
        assert response.status_code == 400 and "LOAD" in response.json()["detail"]
    assert Listener.hits == []


def test_from_a_file_url_reads_nothing_from_the_disk(client):
    query = "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    assert "root" not in response.text
    named = client.get(
        "/sparql",
        params={"query": "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }"},
    )
    assert named.status_code == 200 and named.json()["results"]["bindings"] == []


def test_cors_allows_the_configured_origin_only(strict):
    allowed = httpx.options(
        strict.url + "/sparql",
        headers={"Origin": "https://reports.example.org", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert allowed.headers["access-control-allow-origin"] == "https://reports.example.org"
    assert "access-control-allow-credentials" not in allowed.headers
    other = httpx.get(
        strict.url + "/sparql",
        params={"query": "ASK {}"},
        headers={"Origin": "https://evil.example.com"},
        timeout=30,
    )
    assert "access-control-allow-origin" not in other.headers


def test_credentials_with_the_wildcard_origin_are_refused_at_configuration():
    with pytest.raises(ValueError, match="wildcard"):
        Settings(cors_origins=["*"], cors_credentials=True)
    assert Settings(cors_origins=["*"]).cors_credentials is False


def test_errors_are_problem_details_without_stack_traces(client):
    for response in (
        client.get("/sparql", params={"query": "SELEKT"}),
        client.get("/api/stances", params={"since": "yesterday"}),
        client.get("/api/who/endorses/no-such-thing"),
        client.get("/no/such/page"),
        client.delete("/sparql"),
    ):
        assert response.status_code in (400, 404, 405, 422)
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert {"type", "title", "status", "detail"} <= problem.keys()
        assert problem["status"] == response.status_code
        assert "Traceback" not in response.text and 'File "' not in response.text


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
_sparqlish = st.lists(
    st.sampled_from(
        [
            "SELECT",
            "*",
            "?s",
            "WHERE",
            "{",
            "}",
            "ASK",
            "CONSTRUCT",
            "GRAPH",
            "<http://e/x>",
            '"x"',
            "FILTER(",
            ")",
            ".",
            ";",
            "LIMIT",
            "1",
            "OPTIONAL",
            "SERVICE",
            "LOAD",
            "INSERT",
            "DATA",
            "PREFIX",
            "a:",
            "<",
            "#",
            "'",
        ]
    ),
    max_size=12,
).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    query=st.one_of(_text, _sparqlish), accept=st.sampled_from(["*/*", "text/csv", "text/turtle", "x/y", ""])
)
def test_no_query_makes_the_endpoint_fail(client, query, accept):
    response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code < 500 or response.json()["type"].endswith("/deadline")


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    q=st.one_of(
        _text,
        st.lists(
            st.sampled_from(
                [
                    "?a",
                    "endorses",
                    "us-28/7",
                    '"army cap"',
                    "and",
                    "since",
                    "2025-11-21",
                    "contested",
                    "Russia",
                    "?",
                    "<x>",
                    '"',
                ]
            ),
            max_size=8,
        ).map(" ".join),
    )
)
def test_no_stance_pattern_makes_ask_fail(client, q):
    response = client.get("/api/ask", params={"q": q})
    assert response.status_code in (200, 400, 404, 409, 422)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(actor=_text, since=_text, stance=_text, limit=st.integers(-5, 5000))
def test_no_stance_filter_makes_the_rest_api_fail(client, actor, since, stance, limit):
    response = client.get(
        "/api/stances", params={"actor": actor, "since": since, "stance": stance, "limit": limit}
    )
    assert response.status_code in (200, 400, 404, 409, 422)

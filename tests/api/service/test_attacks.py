"""The attack cases as regression tests: nothing fetched, nothing crashed, every answer bounded.

Each hostile request gets a 4xx, and afterwards the server and its workers still answer ``ASK {}``.
The long floods live in benchmarks/; these are bounded, quick cases. They go to the in-process service,
except those of the small limits (``limited``): slow readers and half-sent bodies need a real socket.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Listener, Service, listening, running_service


@pytest.fixture(scope="module")
def listener() -> Iterator[str]:
    """A SPARQL-looking server on loopback that records every request it gets."""
    with listening() as url:
        yield url + "/"


@pytest.fixture(scope="module")
def limited(tmp_path_factory) -> Iterator[Service]:
    """A service with small limits: 4 KiB terms, 8 MiB answers, depth 50, 1 s bodies, 2 s sends."""
    with running_service(
        tmp_path_factory.mktemp("limited"),
        "--max-term-bytes",
        "4096",
        "--max-result-bytes",
        str(8 * 2**20),
        "--max-depth",
        "50",
        "--body-timeout",
        "1",
        "--send-timeout",
        "2",
    ) as running:
        yield running


def _alive(where: httpx.Client | str) -> None:
    """The service answers ``ASK {}``: ``where`` is the client of one in-process, or a real one's URL."""
    if isinstance(where, httpx.Client):
        answer = where.get("/sparql", params={"query": "ASK {}"}, timeout=30)
    else:
        answer = httpx.get(where + "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert answer.status_code == 200 and answer.json()["boolean"] is True


# -- SERVICE, however it is spelled ---------------------------------------------------------------------


def _letters(word: str) -> st.SearchStrategy[str]:
    """``word`` with each letter in either case, and any of them written as a \\u or \\U escape."""

    def spell(letter: str) -> st.SearchStrategy[str]:
        cases = st.sampled_from(sorted({letter.upper(), letter.lower()}))
        return st.one_of(
            cases,
            cases.map(lambda c: f"\\u{ord(c):04X}"),
            cases.map(lambda c: f"\\U{ord(c):08x}"),
        )

    return st.tuples(*(spell(c) for c in word)).map("".join)


_SEPARATORS = st.sampled_from([" ", "", "\n", "\t", " # a comment\n", "\r\n"])


@st.composite
def _service_queries(draw, url: str) -> tuple[str, str]:
    """(form of request, query or update) naming SERVICE in one of the ways a parser may accept."""
    keyword = draw(_letters("SERVICE"))
    silent = draw(st.sampled_from(["", " SILENT", "SILENT", " silent"]))
    gap = draw(_SEPARATORS)
    pattern = draw(
        st.sampled_from(
            [
                f"{keyword}{silent}{gap}<{url}> {{ ?leak ?p ?o }}",
                f"{keyword}{silent}{gap}?endpoint {{ ?leak ?p ?o }} VALUES ?endpoint {{ <{url}> }}",
                f"?s ?p 1.{keyword}{silent}{gap}<{url}> {{ ?leak ?b ?c }}",
                f"?s ?p 1.5e0.{keyword}{gap}<{url}> {{ ?leak ?b ?c }}",
                f"?s ?p ?o.{keyword}{gap}<{url}> {{ ?leak ?b ?c }}",
                f"{keyword}:x {{ ?leak ?p ?o }}",
                f"{keyword}{silent}:x {{ ?leak ?p ?o }}",
            ]
        )
    )
    wrap = draw(
        st.sampled_from(
            [
                "{p}",
                "{{ SELECT * WHERE {{ {p} }} }}",
                "{{SELECT (1 AS ?one) {{}}}} {p}",
                "OPTIONAL {{ {p} }}",
                "{{ ?x ?y ?z }} UNION {{ {p} }}",
                "FILTER EXISTS {{ {p} }}",
                "GRAPH ?g {{ {p} }}",
                "MINUS {{ {p} }}",
            ]
        )
    )
    body = wrap.format(p=pattern)
    prologue = f"PREFIX : <{url}> "
    kind = draw(st.sampled_from(["SELECT", "ASK", "CONSTRUCT", "update"]))
    if kind == "SELECT":
        return "query", f"{prologue}SELECT * WHERE {{ {body} }}"
    if kind == "ASK":
        return "query", f"{prologue}ASK {{ {body} }}"
    if kind == "CONSTRUCT":
        return "query", f"{prologue}CONSTRUCT {{ ?leak ?p ?o }} WHERE {{ {body} }}"
    head = draw(
        st.sampled_from(
            [
                "INSERT { <http://example.org/a> <http://example.org/p> ?leak } WHERE",
                "INSERT DATA { <http://example.org/a> <http://example.org/p> 1 } ; DELETE WHERE",
                "DELETE { ?s ?p ?o } WHERE",
            ]
        )
    )
    return "update", f"{prologue}{head} {{ {body} }}"


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_spelling_of_service_reaches_a_listener(data, client, service, listener):
    kind, text = data.draw(_service_queries(listener))
    transport = data.draw(st.sampled_from(["get", "form", "direct"]))
    if kind == "update":
        response = (
            client.post("/sparql", data={"update": text}, headers=service.auth)
            if transport == "form"
            else client.post(
                "/sparql",
                content=text.encode(),
                headers={**service.auth, "Content-Type": "application/sparql-update"},
            )
        )
    elif transport == "get":
        response = client.get("/sparql", params={"query": text})
    elif transport == "form":
        response = client.post("/sparql", data={"query": text})
    else:
        response = client.post(
            "/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"}
        )
    assert 400 <= response.status_code < 500, (text, response.text)
    assert Listener.hits == [], text


def test_the_reported_spellings_are_refused_naming_service(client, listener):
    for query in (
        f"PREFIX : <{listener}> SELECT ?leak WHERE {{ SERVICE:x {{ ?leak ?p ?o }} }}",
        f"SELECT ?leak WHERE {{ {{SELECT (1 AS ?one) {{}}}} ?s ?p 1.SERVICE <{listener}> "
        "{ ?leak ?b ?c } }",
        f"SELECT ?leak WHERE {{ \\u0053ERVICE <{listener}> {{ ?leak ?b ?c }} }}",
    ):
        for response in (
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
        ):
            assert response.status_code == 400
            assert response.json()["type"].endswith("/refused") and "SERVICE" in response.json()["detail"]
    assert Listener.hits == []


def test_sd_service_and_a_variable_named_service_are_still_fine(client):
    query = (
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "SELECT ?service WHERE { ?service a sd:Service }"
    )
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []


_BYPASS = textwrap.dedent(
    """
    import sys
    import pyoxigraph
    from stancegraph.api.service.isolation import cut_off_network

    how = cut_off_network()
    print(how)
    try:
        list(pyoxigraph.Store().query("SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }"))
    except OSError as error:
        print("refused:", error)
    else:
        print("fetched")
    """
)


def test_a_worker_cannot_connect_even_when_the_lexer_is_bypassed(listener):
    # the second guard on its own: the query goes straight to pyoxigraph in a process cut off like a worker
    run = subprocess.run(
        [sys.executable, "-c", _BYPASS % listener], capture_output=True, text=True, timeout=120, check=True
    )
    how, outcome = run.stdout.splitlines()[:2]
    assert how in ("network namespace", "user and network namespace"), run.stdout + run.stderr
    assert outcome.startswith("refused:") and "unreachable" in outcome.lower()
    assert Listener.hits == []


def test_the_service_workers_are_cut_off_from_the_network(tmp_path):
    import asyncio

    from stancegraph.api.service.query_runner import ProcessRunner
    from stancegraph.graph.store import open_store

    open_store(tmp_path / "store").close()

    async def start_and_look() -> bool:
        runner = ProcessRunner(tmp_path / "store", workers=1)
        await runner.start()
        try:
            return runner.isolated
        finally:
            await runner.close()

    assert asyncio.run(start_and_look()) is True


# -- nothing crashes a worker or the server --------------------------------------------------------------


def test_five_thousand_braces_are_a_400_and_ask_answers_at_once(client):
    query = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    for _ in range(2):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 400
        problem = response.json()
        assert problem["type"].endswith("/input-limit") and problem["limit"] == "max_depth"
        assert "200 levels" in problem["detail"]
    _alive(client)


def test_a_deeply_nested_insert_data_leaves_the_server_up(client, service):
    update = (
        "INSERT DATA { <http://example.org/a> <http://example.org/p> "
        + "[ <http://example.org/p> " * 20000
        + "1"
        + " ]" * 20000
        + " }"
    )
    response = client.post(
        "/sparql", content=update, headers={**service.auth, "Content-Type": "application/sparql-update"}
    )
    assert response.status_code == 400 and response.json()["limit"] == "max_depth"
    _alive(client)


@pytest.mark.parametrize(
    ("media_type", "body"),
    [
        (
            "text/turtle",
            "<http://example.org/a> <http://example.org/p> " + "( " * 3000 + "1" + " )" * 3000 + " .",
        ),
        (
            "text/turtle",
            "<http://example.org/a> <http://example.org/p> " + "[ <http://e/p> " * 3000 + "1" + " ]" * 3000,
        ),
        (
            "application/ld+json",
            '{"@id": "http://example.org/a", "http://e/p": '
            + '{"http://e/p": ' * 30000
            + "1"
            + "}" * 30000
            + "}",
        ),
        (
            "application/rdf+xml",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
            + '<rdf:Description rdf:about="http://example.org/a">'
            + "<e:p><rdf:Description>" * 3000
            + "</rdf:Description></e:p>" * 3000
            + "</rdf:Description></rdf:RDF>",
        ),
    ],
    ids=["turtle-collections", "turtle-blank-nodes", "json-ld", "rdf-xml"],
)
def test_deep_rdf_bodies_are_a_400_before_any_parser(client, service, media_type, body):
    response = client.put(
        "/store",
        params={"graph": "http://example.org/deep"},
        content=body.encode(),
        headers={**service.auth, "Content-Type": media_type},
    )
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/input-limit") and "200 levels" in response.json()["detail"]
    assert client.get("/store", params={"graph": "http://example.org/deep"}).status_code == 404
    _alive(client)


_BOMB = """<?xml version="1.0"?>
<!DOCTYPE r [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"> <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"> <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://example.org/">
 <rdf:Description rdf:about="http://example.org/bomb"><e:p>&h;</e:p></rdf:Description>
</rdf:RDF>
"""


def test_an_rdf_xml_entity_bomb_is_refused(client, service):
    body = _BOMB.encode()
    assert len(body) < 1200
    for target in ({"graph": "http://example.org/bomb"}, {}):
        response = client.post(
            "/store",
            params=target,
            content=body,
            headers={**service.auth, "Content-Type": "application/rdf+xml"},
        )
        assert response.status_code == 400, response.text
        assert "document type" in response.json()["detail"]
    assert client.get("/store", params={"graph": "http://example.org/bomb"}).status_code == 404
    _alive(client)


# -- bounded answers -------------------------------------------------------------------------------------


def _doubling(times: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times))
    return f'SELECT ?a{times} WHERE {{ BIND("0123456789abcdef" AS ?a0) {binds} }}'


def test_a_term_past_the_term_limit_is_a_422(limited):
    fits = httpx.get(limited.url + "/sparql", params={"query": _doubling(8)}, timeout=60)  # 4,096 bytes
    assert fits.status_code == 200
    response = httpx.get(limited.url + "/sparql", params={"query": _doubling(9)}, timeout=60)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/answer-limit") and "max_term_bytes" in problem["detail"]
    _alive(limited.url)


def test_an_answer_past_the_byte_limit_is_a_422_not_a_truncated_200(limited):
    query = (
        "SELECT ?s ?p ?o ?n WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?n { "
        + " ".join(str(n) for n in range(64))
        + " } }"
    )
    response = httpx.get(limited.url + "/sparql", params={"query": query}, timeout=60)
    assert response.status_code == 422 and "max_result_bytes" in response.json()["detail"]
    dataset = httpx.get(limited.url + "/store", headers={"Accept": "application/n-quads"}, timeout=60)
    assert dataset.status_code == 200 and int(dataset.headers["content-length"]) == len(dataset.content)


def test_a_write_holding_a_term_past_the_limit_is_refused(limited):
    body = f'<http://example.org/a> <http://example.org/p> "{"x" * 5000}" .'.encode()
    response = httpx.put(
        limited.url + "/store",
        params={"graph": "http://example.org/long"},
        content=body,
        headers={**limited.auth, "Content-Type": "text/turtle"},
        timeout=60,
    )
    assert response.status_code == 400 and response.json()["limit"] == "max_term_bytes"


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _slow_readers(service: Service, query: str, count: int) -> int:
    """Open ``count`` connections that ask for ``query`` and read nothing; once the service has given up
    on every one (send timeout), return its resident memory in KiB, the connections still open."""
    dropped = service.log.read_text(errors="replace").count("left the answer unread")
    request = httpx.Request("GET", service.url + "/sparql", params={"query": query}).url.raw_path.decode()
    port = int(service.url.rsplit(":", 1)[1])
    readers = []
    try:
        for _ in range(count):
            reader = socket.create_connection(("127.0.0.1", port), timeout=60)
            reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            reader.sendall(f"GET {request} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            readers.append(reader)
        _alive(service.url)  # the slow readers hold no worker and no lock
        for _ in range(600):
            if service.log.read_text(errors="replace").count("left the answer unread") >= count + dropped:
                break
            time.sleep(0.1)
        assert service.log.read_text(errors="replace").count("left the answer unread") >= count + dropped
        return _rss_kib(service.pid)
    finally:
        for reader in readers:
            reader.close()


def test_slow_readers_are_dropped_and_the_memory_comes_back(limited):
    values = " ".join(str(n) for n in range(24))
    query = f"SELECT ?s ?p ?o ?n WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?n {{ {values} }} }}"
    whole = httpx.get(limited.url + "/sparql", params={"query": query}, timeout=60)
    assert whole.status_code == 200 and len(whole.content) > 2 * 2**20
    answer_kib = len(whole.content) // 1024
    before = _rss_kib(limited.pid)
    rounds = [_slow_readers(limited, query, 8) for _ in range(4)]
    # eight unread answers are not held: the service's memory stays below what they add up to
    assert rounds[0] - before < 8 * answer_kib, (answer_kib, before, rounds)
    # and rounds of slow readers do not add up: were the answers kept, each round would add eight of them;
    # what the allocator keeps of a round (some MiB, more on a loaded machine) stays below one round's worth
    # over the last three rounds together
    assert rounds[-1] - rounds[0] < 8 * answer_kib, (answer_kib, before, rounds)
    _alive(limited.url)


# -- bodies: read timeouts, parsed off the event loop ---------------------------------------------------


def test_a_half_sent_body_is_a_408_and_the_connection_closes(limited):
    port = int(limited.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=60) as stalled:
        stalled.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1000\r\n\r\nASK {"
        )
        answer = b""
        while chunk := stalled.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"body_timeout" in answer
    _alive(limited.url)


def test_the_event_loop_answers_while_a_large_write_is_parsed(client, service):
    lines = "\n".join(
        f'<http://example.org/bulk/{i}> <http://example.org/p> "value {i}" .' for i in range(60000)
    )
    finished: list[str] = []

    def write() -> None:
        response = client.put(
            "/store",
            params={"graph": "http://example.org/bulk"},
            content=lines.encode(),
            headers={**service.auth, "Content-Type": "application/n-triples"},
            timeout=300,
        )
        finished.append(f"write {response.status_code}")

    thread = threading.Thread(target=write)
    thread.start()
    try:
        time.sleep(0.2)  # let the body arrive and its parse begin
        css = client.get("/static/site.css")
        finished.append(f"css {css.status_code}")
    finally:
        thread.join()
        client.delete("/store", params={"graph": "http://example.org/bulk"}, headers=service.auth)
    assert finished == ["css 200", "write 201"]


def test_sparql_csv_answers_neutralise_formula_cells(client):
    query = """SELECT ?cell ?n WHERE { VALUES (?cell ?n) { ("=cmd|' /C calc'!A0" -1) ("@SUM(A1)" 2) } }"""
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert lines[1] == "'=cmd|' /C calc'!A0,-1" and lines[2] == "'@SUM(A1),2"

"""The SPARQL 1.1 Protocol at /sparql and the Graph Store Protocol at /store (the service in-process)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from pyoxigraph import RdfFormat, parse

from ..conftest import in_process_service

SG = "https://w3id.org/stancegraph/ontology#"
ID = "https://w3id.org/stancegraph/id/"
WHO = f"SELECT ?a WHERE {{ GRAPH ?g {{ ?a <{SG}endorses> <{ID}plan/us-28/6> }} }}"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


def _json_actors(response) -> set[str]:
    return {b["a"]["value"] for b in response.json()["results"]["bindings"]}


def test_get_post_form_and_post_body_give_the_same_answer(client):
    by_get = client.get("/sparql", params={"query": WHO})
    by_form = client.post("/sparql", data={"query": WHO})
    by_body = client.post("/sparql", content=WHO, headers={"Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert _json_actors(by_get) == _json_actors(by_form) == _json_actors(by_body) == {ID + "actor/us"}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.4, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
        ("application/sparql-results+xml;q=0.1, text/*;q=0.5", "text/csv"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_results_follow_the_accept_header_and_its_q_values(client, accept, expected):
    response = client.get("/sparql", params={"query": WHO}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    body = response.text
    if expected.endswith("json"):
        assert _json_actors(response) == {ID + "actor/us"}
    elif expected.endswith("xml"):
        root = ET.fromstring(body)
        assert [u.text for u in root.iter(RESULTS_NS + "uri")] == [ID + "actor/us"]
    elif expected == "text/csv":
        assert list(csv.reader(io.StringIO(body))) == [["a"], [ID + "actor/us"]]
    else:
        assert body.splitlines() == ["?a", f"<{ID}actor/us>"]


def test_a_format_nobody_can_produce_is_406_with_the_choices(client):
    response = client.get("/sparql", params={"query": WHO}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "text/csv" in response.json()["detail"]


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/n-quads", RdfFormat.N_QUADS),
        ("application/rdf+xml", RdfFormat.RDF_XML),
    ],
)
def test_construct_is_written_in_the_negotiated_graph_format(client, accept, rdf_format):
    query = f"CONSTRUCT {{ ?a <{SG}endorses> ?t }} WHERE {{ GRAPH ?g {{ ?a <{SG}endorses> ?t }} }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    triples = {(q.subject.value, q.object.value) for q in parse(response.content, rdf_format)}
    assert (ID + "actor/us", ID + "plan/us-28/6") in triples


def test_ask_in_every_results_format(client):
    for accept, word in [
        ("application/sparql-results+json", '"boolean": true'),
        ("text/csv", "true"),
        ("application/sparql-results+xml", "<boolean>true</boolean>"),
    ]:
        response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
        assert response.status_code == 200 and word in response.text


def test_a_syntax_error_is_400_with_the_parsers_message_and_position(client):
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"].endswith("/syntax")
    assert problem["line"] == 3 and problem["column"] in (1, 2)  # the "}" that came too early
    assert "expected" in problem["detail"]


def test_default_graph_uri_and_named_graph_uri_choose_the_dataset(client):
    source = ID + "source/kremlin-2025-11-21"
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{SG}Stance> }}"
    plain = client.get("/sparql", params={"query": count})
    chosen = client.get("/sparql", params={"query": count, "default-graph-uri": source})
    assert plain.json()["results"]["bindings"][0]["n"]["value"] == "0"  # stances live in named graphs
    assert int(chosen.json()["results"]["bindings"][0]["n"]["value"]) > 0
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = client.post(
        "/sparql", data={"query": graphs, "named-graph-uri": [source, ID + "source/st-2025-11-21"]}
    )
    assert {b["g"]["value"] for b in named.json()["results"]["bindings"]} == {
        source,
        ID + "source/st-2025-11-21",
    }


def test_get_without_a_query_describes_the_service(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    triples = list(parse(response.content, RdfFormat.TURTLE))
    objects = {t.object.value for t in triples}
    assert "http://www.w3.org/ns/sparql-service-description#Service" in objects
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in objects


def test_an_unsupported_post_body_is_415(client):
    response = client.post("/sparql", content="x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and response.json()["status"] == 415


# -- writes ----------------------------------------------------------------------------------------------

EX = "http://example.org/protocol-test/"
INSERT = f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> "one" }} }}'
ASK_INSERTED = f'ASK {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> "one" }} }}'


def _asks(client, query: str) -> bool:
    return client.get("/sparql", params={"query": query}).json()["boolean"]


def test_an_update_without_the_token_is_401_and_changes_nothing(client):
    response = client.post("/sparql", content=INSERT, headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert not _asks(client, ASK_INSERTED)


def test_an_update_with_a_wrong_token_is_403_and_changes_nothing(client):
    response = client.post("/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 403
    assert not _asks(client, ASK_INSERTED)


def test_an_authorised_update_is_applied_and_a_delete_undoes_it(client, service):
    headers = {**service.auth, "Content-Type": "application/sparql-update"}
    assert client.post("/sparql", content=INSERT, headers=headers).status_code == 204
    assert _asks(client, ASK_INSERTED)
    delete = INSERT.replace("INSERT", "DELETE")
    assert client.post("/sparql", data={"update": delete}, headers=service.auth).status_code == 204
    assert not _asks(client, ASK_INSERTED)


def test_an_update_that_breaks_the_shapes_is_refused_whole(client, service):
    stance = f"{EX}bad-stance"
    update = (
        f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}ok> <{EX}p> "fine" }} }} ; '
        f"INSERT DATA {{ GRAPH <{EX}g> {{ <{stance}> a <{SG}Stance> }} }}"
    )
    response = client.post("/sparql", data={"update": update}, headers=service.auth)
    assert response.status_code == 422
    problem = response.json()
    assert {v["path"] for v in problem["violations"]} >= {SG + "actor", SG + "target"}
    assert all(v["node"] == stance for v in problem["violations"])
    assert not _asks(client, f"ASK {{ GRAPH ?g {{ <{EX}ok> ?p ?o }} }}")


def test_deleting_a_required_property_of_a_stance_is_refused(client, service):
    stance, source = ID + "stance/umerov-claim", ID + "source/st-2025-11-21"
    update = f"DELETE DATA {{ GRAPH <{source}> {{ <{stance}> <{SG}actor> <{ID}actor/ukraine> }} }}"
    response = client.post("/sparql", data={"update": update}, headers=service.auth)
    assert response.status_code == 422
    assert response.json()["violations"][0]["rule"] == "sh:minCount"
    assert _asks(client, f"ASK {{ GRAPH <{source}> {{ <{stance}> <{SG}actor> ?a }} }}")


def test_update_forms_whose_effect_depends_on_the_data_are_refused(client, service):
    response = client.post("/sparql", data={"update": "DELETE WHERE { ?s ?p ?o }"}, headers=service.auth)
    assert response.status_code == 400
    assert "INSERT DATA" in response.json()["detail"]
    assert _asks(client, "ASK { GRAPH ?g { ?s ?p ?o } }")


def test_graph_store_put_get_post_delete(client, service):
    graph = EX + "gsp"
    turtle = f'<{EX}s> <{EX}p> "v1" .'
    put = client.put(
        "/store",
        params={"graph": graph},
        content=turtle,
        headers={**service.auth, "Content-Type": "text/turtle"},
    )
    assert put.status_code == 201
    got = client.get("/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and '"v1"' in got.text
    post = client.post(
        "/store",
        params={"graph": graph},
        content=f'<{EX}s> <{EX}p> "v2" .',
        headers={**service.auth, "Content-Type": "application/n-triples"},
    )
    assert post.status_code == 204
    values = {
        t.object.value
        for t in parse(
            client.get("/store", params={"graph": graph}, headers={"Accept": "text/turtle"}).content,
            RdfFormat.TURTLE,
        )
    }
    assert values == {"v1", "v2"}
    replaced = client.put(
        "/store",
        params={"graph": graph},
        content=f'<{EX}s> <{EX}p> "v3" .',
        headers={**service.auth, "Content-Type": "text/turtle"},
    )
    assert replaced.status_code == 204
    assert '"v3"' in client.get("/store", params={"graph": graph}).text
    assert '"v1"' not in client.get("/store", params={"graph": graph}).text
    assert client.delete("/store", params={"graph": graph}, headers=service.auth).status_code == 204
    assert client.get("/store", params={"graph": graph}).status_code == 404


def test_graph_store_writes_need_the_token(client):
    response = client.put(
        "/store",
        params={"graph": EX + "nope"},
        content="<a:b> <a:c> <a:d> .",
        headers={"Content-Type": "text/turtle"},
    )
    assert response.status_code == 401
    assert client.get("/store", params={"graph": EX + "nope"}).status_code == 404


def test_the_whole_dataset_comes_as_n_quads(client):
    response = client.get("/store", headers={"Accept": "application/n-quads"})
    assert response.status_code == 200
    graphs = {
        q.graph_name.value
        for q in parse(response.content, RdfFormat.N_QUADS)
        if hasattr(q.graph_name, "value")
    }
    assert ID + "source/st-2025-11-21" in graphs
    json.dumps(len(graphs))


def test_a_graph_can_be_written_as_json_ld_but_not_in_a_format_nobody_reads(client, service):
    graph = EX + "json-ld"
    put = client.put(
        "/store",
        params={"graph": graph},
        content=json.dumps({"@id": EX + "s", EX + "p": "v"}),
        headers={**service.auth, "Content-Type": "application/ld+json"},
    )
    assert put.status_code == 201
    assert '"v"' in client.get("/store", params={"graph": graph}, headers={"Accept": "text/turtle"}).text
    unreadable = client.post(
        "/store", params={"graph": graph}, content="v", headers={**service.auth, "Content-Type": "text/csv"}
    )
    assert unreadable.status_code == 415
    assert unreadable.headers["content-type"] == "application/problem+json"
    assert "text/turtle" in unreadable.json()["detail"]
    assert client.delete("/store", params={"graph": graph}, headers=service.auth).status_code == 204


def test_an_invalid_dataset_in_a_query_is_400_not_a_failed_write(client):
    for dataset in (
        {"default-graph-uri": "no scheme"},
        {"named-graph-uri": ""},
        {"default-graph-uri": EX + "g", "union-default-graph": ""},
    ):
        response = client.get("/sparql", params={"query": "ASK {}", **dataset})
        assert response.status_code == 400, dataset
        assert response.json()["type"].endswith("/refused") and "stored" not in response.json()["detail"]


def test_relative_iris_in_a_graph_write_resolve_against_the_graph_iri(client, service):
    graph = EX + "relative/data.ttl"
    put = client.put(
        "/store",
        params={"graph": graph},
        content='<#s> <p> <> .\n<other.ttl> <p> "v" .',
        headers={**service.auth, "Content-Type": "text/turtle"},
    )
    assert put.status_code == 201, put.text
    triples = {
        (t.subject.value, t.predicate.value, getattr(t.object, "value", None))
        for t in parse(client.get("/store", params={"graph": graph}).content, RdfFormat.TURTLE)
    }
    assert triples == {
        (graph + "#s", EX + "relative/p", graph),
        (EX + "relative/other.ttl", EX + "relative/p", "v"),
    }
    assert client.delete("/store", params={"graph": graph}, headers=service.auth).status_code == 204


def _count(client, pattern: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
    response = client.get("/sparql", params={"query": query})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_put_that_would_orphan_the_stances_is_refused_and_changes_nothing(client, service):
    everything = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
    before = _count(client, everything)
    response = client.put(  # one well-formed triple in place of the whole default graph (actors, plans...)
        "/store",
        params={"default": ""},
        content=f'<{EX}s> <{EX}p> "v" .',
        headers={**service.auth, "Content-Type": "text/turtle"},
    )
    assert response.status_code == 422
    violations = response.json()["violations"]
    orphaned = {v["node"] for v in violations if v["path"] == SG + "actor"}
    assert ID + "stance/umerov-denial" in orphaned  # the stances that would point at no actor are named
    assert _count(client, everything) == before


def test_deleting_an_actors_type_is_refused_while_stances_point_at_it(client, service):
    update = f"DELETE DATA {{ <{ID}actor/russia> a <{SG}State> }}"
    response = client.post(
        "/sparql", content=update, headers={**service.auth, "Content-Type": "application/sparql-update"}
    )
    assert response.status_code == 422
    assert any(v["path"] == SG + "actor" for v in response.json()["violations"])
    assert _asks(client, f"ASK {{ <{ID}actor/russia> a <{SG}State> }}")


@pytest.mark.parametrize(
    "accept", ["application/n-quads", "application/trig", "application/ld+json", "text/turtle"]
)
def test_get_store_default_is_the_default_graph_in_every_format(client, accept):
    response = client.get("/store", params={"default": ""}, headers={"Accept": accept})
    assert response.status_code == 200
    quads = list(parse(response.content, RdfFormat.from_media_type(accept)))
    assert quads and all(not hasattr(q.graph_name, "value") for q in quads)  # none in a named graph
    assert not any(q.predicate.value == SG + "actor" for q in quads)  # the stances live in source graphs


BAD_CONFIDENCE = f'<{ID}actor/russia> <{SG}confidence> "high" .'


@pytest.mark.parametrize("write", ["PUT /store?graph", "POST /store?default", "SPARQL Update"])
def test_a_confidence_that_is_no_decimal_is_refused_on_an_actor_and_changes_nothing(client, service, write):
    everything = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
    before = _count(client, everything)
    turtle = {**service.auth, "Content-Type": "text/turtle"}
    if write == "PUT /store?graph":
        response = client.put("/store", params={"graph": f"{EX}c"}, content=BAD_CONFIDENCE, headers=turtle)
    elif write == "POST /store?default":
        response = client.post("/store", params={"default": ""}, content=BAD_CONFIDENCE, headers=turtle)
    else:
        response = client.post(
            "/sparql",
            content=f"INSERT DATA {{ {BAD_CONFIDENCE} }}",
            headers={**service.auth, "Content-Type": "application/sparql-update"},
        )
    assert response.status_code == 422, response.text
    violations = response.json()["violations"]
    assert {(v["node"], v["path"], v["rule"]) for v in violations} >= {
        (ID + "actor/russia", SG + "confidence", "sh:datatype")
    }
    assert all("xsd:decimal" in v["message"] for v in violations if v["rule"] == "sh:datatype")
    assert _count(client, everything) == before


@pytest.mark.parametrize(
    ("triple", "path"),
    [
        (f"<{ID}actor/russia> <{SG}confidence> 0.5 .", SG + "confidence"),  # a valid decimal, on an actor
        (f"<{ID}actor/russia> <{SG}actor> <{ID}actor/us> .", SG + "actor"),
        (f"<{ID}plan/us-28> <{SG}fulfils> <{ID}actor/us> .", SG + "fulfils"),  # a plan, and no demand
    ],
)
def test_a_property_on_a_node_of_the_wrong_kind_is_refused_and_changes_nothing(client, service, triple, path):
    everything = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
    before = _count(client, everything)
    response = client.post(
        "/sparql",
        content=f"INSERT DATA {{ {triple} }}",
        headers={**service.auth, "Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 422, response.text
    violations = response.json()["violations"]
    subject = triple.split(" ", 1)[0][1:-1]
    assert (subject, path, "sh:class") in {(v["node"], v["path"], v["rule"]) for v in violations}
    # what (the property and the class it is said of), where (the node) and how to fix it
    assert any("rdfs:domain" in v["message"] and "move the triple" in v["message"] for v in violations)
    assert _count(client, everything) == before


def test_the_direct_edges_follow_a_denial_written_or_removed(tmp_path):
    source = ID + "source/st-2025-11-21"
    denial, claim = ID + "stance/umerov-denial", ID + "stance/umerov-claim"
    edge = f"ASK {{ GRAPH <{source}> {{ <{ID}actor/ukraine> <{SG}endorses> <{ID}plan/us-28> }} }}"
    denying = f"GRAPH <{source}> {{ <{denial}> <{SG}contradicts> <{claim}> }}"
    with in_process_service(tmp_path) as service:
        client = service.client
        assert not _asks(client, edge)
        # without the denial the claim is Ukraine's position again, and its edge is due
        for update, due in (("DELETE", True), ("INSERT", False)):
            request = {"update": f"{update} DATA {{ {denying} }}"}
            assert client.post("/sparql", data=request, headers=service.auth).status_code == 204
            assert _asks(client, edge) is due
        # a Graph Store write is a write too: the source's graph put back without the denial
        graph = client.get("/store", params={"graph": source}, headers={"Accept": "application/n-triples"})
        kept = "".join(line + "\n" for line in graph.text.splitlines() if f"<{SG}contradicts>" not in line)
        put = client.put(
            "/store",
            params={"graph": source},
            content=kept,
            headers={**service.auth, "Content-Type": "application/n-triples"},
        )
        assert put.status_code in (200, 201, 204), put.text
        assert _asks(client, edge)

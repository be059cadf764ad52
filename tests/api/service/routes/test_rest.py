"""The REST API: JSON answers to the common questions, paginated, documented in the OpenAPI schema."""

from __future__ import annotations

import re

import pytest

ID = "https://w3id.org/stancegraph/id/"


def test_actors_are_listed_and_paginated(client):
    first = client.get("/api/actors", params={"limit": 5}).json()
    assert first["total"] >= 20 and len(first["items"]) == 5 and first["offset"] == 0
    second = client.get(first["next"]).json()
    assert second["offset"] == 5
    assert {a["id"] for a in first["items"]}.isdisjoint({a["id"] for a in second["items"]})
    everyone = client.get("/api/actors", params={"limit": 1000}).json()["items"]
    us = next(a for a in everyone if a["id"] == "us")
    assert us["label"] == "United States" and "State" in us["kinds"]


def test_an_actors_positions(client):
    body = client.get("/api/actors/umerov/positions").json()
    us28 = next(p for p in body["items"] if p["target"] == ID + "plan/us-28")
    # claimed, then denied: the claim is no position, so Umerov's position has not changed
    assert not us28["changed"] and us28["contested"] and us28["stance"] == "neutral"
    assert [(s["stance"], s["denied"]) for s in us28["stances"]] == [("endorses", True), ("neutral", False)]


def test_targets_by_kind(client):
    points = client.get("/api/targets", params={"kind": "point", "limit": 1000}).json()["items"]
    assert {"us-28/6", "us-28/7"} <= {p["id"] for p in points}
    assert all(p["kind"] == "point" and p["plan"] for p in points)
    assert client.get("/api/targets", params={"kind": "nonsense"}).status_code == 422


def test_stances_with_filters_and_provenance(client):
    contested = client.get("/api/stances", params={"actor": "umerov", "contested": "true"}).json()
    assert contested["total"] == 2
    for stance in contested["items"]:
        assert stance["contested"] and stance["source"].startswith(ID + "source/") and stance["publisher"]
    late = client.get("/api/stances", params={"since": "2025-11-24", "limit": 1000}).json()["items"]
    assert late and all(s["stated_on"] >= "2025-11-24" for s in late)
    rejects = client.get("/api/stances", params={"target": "us-28/7", "stance": "rejects"}).json()["items"]
    assert rejects and {s["stance"] for s in rejects} == {"rejects"}


def test_a_stance_object_names_its_coder_and_the_moment_it_was_stated(client, tmp_path):
    from stancegraph.graph import ingest, open_store

    from ..conftest import in_process_service

    bundled = client.get("/api/stances", params={"actor": "umerov"}).json()["items"]
    assert bundled and all(s["coder"] is None and s["stated_at"] is None for s in bundled)  # none recorded
    table = tmp_path / "coded.csv"
    table.write_text(
        "organization,concept,agreement,time,coder,document_title,document_source\n"
        "Poland,Jets,1,2025-11-22 10:00:00,Ana,Polish statement,Polish government\n"
        "Poland,Jets,1,2025-11-22 10:00:00,Ben,Polish statement,Polish government\n",
        encoding="utf-8",
    )
    with open_store(tmp_path / "store") as store:
        ingest(store, table)
    with in_process_service(tmp_path, load_bundled=False) as service:
        items = service.client.get("/api/stances").json()["items"]
    assert sorted((s["actor_label"], s["coder_label"]) for s in items) == [
        ("Poland", "Ana"),
        ("Poland", "Ben"),
    ]
    assert {s["coder"] for s in items} == {ID + "coder/ana", ID + "coder/ben"}
    assert {(s["stated_on"], s["stated_at"]) for s in items} == {("2025-11-22", "2025-11-22T10:00:00")}


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/stances", "until"),
        ("/api/stances", "since"),
        ("/api/analysis/network", "since"),
        ("/api/analysis/influence", "until"),
        ("/viz/stances", "until"),
    ],
)
@pytest.mark.parametrize("value", ["0", "1732924800", "21.11.2025", "2025-11-21T10:00"])
def test_a_date_is_a_day_written_yyyy_mm_dd_not_a_unix_time(client, path, param, value):
    response = client.get(path, params={param: value})
    assert response.status_code == 422, (path, value)
    assert response.headers["content-type"] == "application/problem+json"
    assert "YYYY-MM-DD" in response.text and param in response.text


def test_who_endorses_rejects_concedes_demands(client):
    endorses = client.get("/api/who/endorses/us-28/6").json()
    assert [h["label"] for h in endorses] == ["United States"]
    demands = client.get("/api/who/demands/ru-army-cap").json()
    assert "Russia" in {h["label"] for h in demands}
    assert client.get("/api/who/likes/us-28").status_code == 422
    unknown = client.get("/api/who/endorses/atlantis")
    assert unknown.status_code == 404 and "atlantis" in unknown.json()["detail"]


def test_plan_fit(client):
    fit = client.get("/api/plans/us-28/fit").json()
    russia = next(a for a in fit["actors"] if a["actor"] == ID + "actor/russia")
    assert russia["fulfilled"] > russia["opposed"]
    assert {d["verdict"] for d in russia["demands"]} <= {"fulfilled", "opposed", "mixed", "untouched"}
    assert (fit["points_recorded"], fit["partial"]) == (28, False)
    partial = client.get("/api/plans/us-ua-19/fit").json()
    assert (partial["point_count"], partial["partial"]) == (19, True)
    assert partial["coverage"].startswith("3 of 19 points recorded")


def test_plan_versions_and_a_points_history(client):
    plans = client.get("/api/plans").json()
    assert [p["id"] for p in plans][0] == "us-28"
    e3 = next(p for p in plans if p["id"] == "e3-counter")
    assert e3["revision_of"] == [ID + "plan/us-28"]
    history = client.get("/api/points/us-28/6/history").json()
    versions = {v["id"]: v for v in history["versions"]}
    assert (
        versions["e3-counter/6"]["relation"] == "changed"
        and "800,000" in versions["e3-counter/6"]["change_note"]
    )
    assert ID + "plan/us-ua-19" in versions["us-28/6"]["dropped_in"]


def test_ask_answers_stance_patterns(client):
    answer = client.get("/api/ask", params={"q": "?a rejects us-28/7 since 2025-11-21"}).json()
    assert answer["variables"] == ["a"]
    assert {"France", "Germany"} <= {a["values"]["a"]["label"] for a in answer["answers"]}
    for row in answer["answers"]:  # the highest confidence of its stances, counted with SPARQL
        values = " ".join(f"<{iri}>" for iri in row["stances"])
        query = (
            "SELECT (MAX(?c) AS ?max) WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#confidence>"
            f" ?c }} VALUES ?s {{ {values} }} }}"
        )
        bindings = client.get(
            "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
        ).json()["results"]["bindings"]
        assert row["confidence"] == float(bindings[0]["max"]["value"]) and row["contested"] is False
    umerov = client.get("/api/ask", params={"q": "umerov ?s us-28"}).json()["answers"]
    assert [(a["values"]["s"]["id"], a["confidence"], a["contested"]) for a in umerov] == [
        ("neutral", 0.9, True)
    ]
    assert not [a for a in umerov if a["stances"] and a["stances"][0].endswith("/stance/umerov-claim")]
    assert client.get("/api/ask", params={"q": "?a endorses ?t contested"}).json()["answers"] == []
    error = client.get("/api/ask", params={"q": "?a rejcts us-28/7"})
    assert (
        error.status_code == 400
        and error.json()["column"] == 4
        and "expected a stance" in error.json()["detail"]
    )


def test_overview_and_landing_page(client):
    overview = client.get("/api/overview").json()
    assert overview["counts"]["stances"] == 76 and len(overview["plans"]) == 4
    page = client.get("/")
    assert page.status_code == 200 and '<b id="count-stances">76</b>' in page.text
    assert "US 28-point peace plan" in page.text
    assert "http://" not in page.text.split("<body>")[1].replace("http://www.w3.org", "")  # nothing remote
    assert client.get("/static/app.js").status_code == 200


def test_docs_work_offline_and_the_schema_has_examples(client):
    docs = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assets = re.findall(r'(?:src|href)="(/static/swagger/[^"]+)"', docs)
    assert len(assets) == 3  # Swagger UI's script and style sheet, and the icon: each served here
    assert all(client.get(asset).status_code == 200 for asset in assets), assets
    schema = client.get("/openapi.json").json()
    assert {"/api/stances", "/api/ask", "/api/plans/{plan}/fit", "/sparql", "/store"} <= schema[
        "paths"
    ].keys()
    assert schema["components"]["schemas"]["StanceOut"]["examples"]
    assert schema["components"]["schemas"]["AnswersOut"]["examples"]

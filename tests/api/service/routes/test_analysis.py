"""The analysis routes under /api/analysis: the same library functions, over HTTP."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest


def test_network_as_csv_json_gexf_and_graphml(client):
    params = {"plan": "us-28", "aggregation": "congruence"}
    matrix = client.get("/api/analysis/network", params={**params, "format": "csv"})
    assert matrix.status_code == 200 and matrix.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(matrix.text)))
    labels = rows[0][1:]
    assert labels == sorted(labels) and "France" in labels
    france = rows[1 + labels.index("France")]
    assert float(france[1 + labels.index("Germany")]) > 0
    doc = client.get("/api/analysis/network", params=params).json()
    assert {n["data"]["id"] for n in doc["elements"]["nodes"]} == set(labels)
    gexf = client.get("/api/analysis/network", params={**params, "format": "gexf"})
    assert nx.read_gexf(io.BytesIO(gexf.content)).number_of_nodes() == len(labels)
    graphml = client.get("/api/analysis/network", params={**params, "format": "graphml"})
    assert nx.read_graphml(io.StringIO(graphml.text)).number_of_nodes() == len(labels)
    windowed = client.get("/api/analysis/network", params={"window": 2, "format": "gexf"})
    assert windowed.status_code == 200 and "<spell" in windowed.text


def test_network_errors_are_problem_details(client):
    unknown = client.get("/api/analysis/network", params={"plan": "atlantis"})
    assert unknown.status_code == 404 and "atlantis" in unknown.json()["detail"]
    bad = client.get("/api/analysis/network", params={"type": "twomode", "aggregation": "congruence"})
    assert bad.status_code == 400 and "valid" in bad.json()["detail"]
    assert client.get("/api/analysis/network", params={"format": "pdf"}).status_code == 422


def test_coalitions_polarisation_influence(client):
    found = client.get("/api/analysis/coalitions", params={"seed": 1}).json()
    members = [set(c) for c in found["communities"]]
    assert any({"France", "Germany", "United Kingdom"} <= c for c in members)
    polar = client.get("/api/analysis/polarisation").json()
    assert 0 <= polar["score"] <= 1 and polar["method"] == "exact" and len(polar["clusters"]) == 2
    graph = client.get("/api/analysis/influence").json()
    scores = {n["data"]["id"].rsplit("/", 1)[-1]: n["data"]["influence"] for n in graph["elements"]["nodes"]}
    assert max(scores, key=scores.get) == "russia"


def test_frequencies_as_json_and_csv_are_the_library_counts(client, service):
    from stancegraph.graph.analysis import stance_frequencies
    from stancegraph.graph.store import open_store

    params = {"by": "actor,stance", "plan": "us-28", "contested": "exclude"}
    rows = client.get("/api/analysis/frequencies", params=params).json()
    with open_store(service.folder / "store", read_only=True) as view:
        expected = stance_frequencies(view, by="actor,stance", plan="us-28", contested="exclude")
    assert [tuple(r.values()) for r in rows] == expected.rows()
    assert list(rows[0]) == ["actor", "actor_label", "stance", "stances"]
    text = client.get("/api/analysis/frequencies", params={**params, "format": "csv"})
    assert text.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(text.text)))[1:] == [[str(v) for v in row] for row in expected.rows()]


def test_frequencies_errors_are_problem_details(client):
    bad = client.get("/api/analysis/frequencies", params={"by": "actor,mood"})
    assert bad.status_code == 400 and "count by one or more of" in bad.json()["detail"]
    unknown = client.get("/api/analysis/frequencies", params={"plan": "atlantis"})
    assert unknown.status_code == 404 and "atlantis" in unknown.json()["detail"]
    assert client.get("/api/analysis/frequencies", params={"format": "gexf"}).status_code == 422


def test_changes_and_plan_versions_fit(client):
    (ukraine,) = client.get("/api/analysis/changes/ukraine", params={"target": "us-28"}).json()
    claim = ukraine["entries"][0]  # the Umerov claim: listed, flagged denied, no position to shift from
    assert claim["stance_iri"].endswith("/stance/umerov-claim")
    assert (claim["confidence"], claim["contested"], claim["denied"]) == (0.3, True, True)
    assert ukraine["shifts"] == [] and ukraine["changed"] is False
    assert all(e["denied"] is False and e["confidence"] is not None for e in ukraine["entries"][1:])
    (russia,) = client.get("/api/analysis/changes/russia", params={"target": "us-28"}).json()
    (shift,) = russia["shifts"]
    assert (shift["from_stance"], shift["to_stance"], russia["changed"]) == ("neutral", "endorses", True)
    assert len(shift["sources"]) == 2 and shift["stance_iri_to"] == russia["entries"][1]["stance_iri"]
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"confidence", "contested", "denied"} <= set(schema["HistoryEntryOut"]["properties"])
    fit = client.get(
        "/api/analysis/plan-versions-fit", params=[("plan", "us-28"), ("plan", "e3-counter")]
    ).json()
    russia = {r["plan"]: r["share_fulfilled"] for r in fit["rows"] if r["actor"] == "russia"}
    assert russia["us-28"] > russia["e3-counter"]


def test_the_routes_are_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "network",
        "coalitions",
        "polarisation",
        "influence",
        "changes/{actor}",
        "plan-versions-fit",
    ):
        assert f"/api/analysis/{path}" in paths


def test_network_csv_puts_a_quote_before_a_label_a_spreadsheet_would_run(client, service):
    from pyoxigraph import DefaultGraph, RdfFormat, serialize

    from stancegraph.graph.ingestion import convert_statements

    formula = "=cmd|' /C calc'!A0"
    table = io.StringIO(
        "actor,target,stance,date,document,source\n"
        f"{formula},Formula route target,endorses,2025-11-21,Formula route test,Example\n"
    )
    converted = convert_statements(("formula.csv", table))
    assert converted.violations == ()
    actor = converted.actors_created[0]
    graphs = {q.graph_name.value for q in converted.quads if not isinstance(q.graph_name, DefaultGraph)}
    reference = [q.triple for q in converted.quads if isinstance(q.graph_name, DefaultGraph)]
    body = serialize(list(converted.quads), format=RdfFormat.N_QUADS)
    written = client.post(
        "/store", content=body, headers={**service.auth, "Content-Type": "application/n-quads"}
    )
    assert written.status_code == 204, written.text
    try:
        for kind in ("onemode", "twomode"):
            matrix = client.get(
                "/api/analysis/network", params={"format": "csv", "actor": actor, "type": kind}
            )
            assert matrix.status_code == 200, matrix.text
            rows = list(csv.reader(io.StringIO(matrix.text)))
            assert [row[0] for row in rows[1:]] == ["'" + formula]
    finally:
        for graph in graphs:
            client.delete("/store", params={"graph": graph}, headers=service.auth)
        triples = " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in reference)
        removal = "DELETE DATA { " + triples + " }"
        assert client.post("/sparql", data={"update": removal}, headers=service.auth).status_code == 204
    assert not client.get("/sparql", params={"query": f"ASK {{ <{actor}> ?p ?o }}"}).json()["boolean"]


def _ties(text: str) -> dict[str, dict[str, float]]:
    rows = list(csv.reader(io.StringIO(text)))
    return {row[0]: dict(zip(rows[0][1:], map(float, row[1:]), strict=True)) for row in rows[1:]}


def test_network_contested_and_min_confidence(client):
    # Umerov's denial is neutral (he approved nothing), so it ties only when every stance counts
    params = {"plan": "us-28", "type": "twomode", "format": "csv", "qualifier": "none"}
    held = _ties(client.get("/api/analysis/network", params=params).text)
    ukraine = held["Ukraine"]["US 28-point peace plan"]
    assert ukraine >= 1
    only = client.get("/api/analysis/network", params={**params, "contested": "only"})
    assert only.status_code == 200 and _ties(only.text) == {"Ukraine": {"US 28-point peace plan": 1.0}}
    undisputed = _ties(client.get("/api/analysis/network", params={**params, "contested": "exclude"}).text)
    assert undisputed.get("Ukraine", {}).get("US 28-point peace plan", 0) == ukraine - 1
    strict = _ties(client.get("/api/analysis/network", params={**params, "min_confidence": 0.8}).text)
    assert "France" in held and "France" not in strict
    camps = client.get("/api/analysis/polarisation", params={"plan": "us-28", "min_confidence": 0.8}).json()
    assert set(camps["partition"]) == {"Russia", "United States"}
    graph = client.get("/api/analysis/influence", params={"min_confidence": 0.95}).json()
    assert graph["elements"]["edges"] == []


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("network", {"min_confidence": 1.5}),
        ("coalitions", {"min_confidence": "high"}),
        ("polarisation", {"contested": "maybe"}),
        ("influence", {"min_confidence": -0.1}),
        ("frequencies", {"contested": "sometimes"}),
    ],
)
def test_bad_stance_choices_are_problem_details(client, route, params):
    response = client.get(f"/api/analysis/{route}", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert next(iter(params)) in response.text


def test_the_openapi_schema_describes_the_stance_choice(client):
    parameters = client.get("/openapi.json").json()["paths"]["/api/analysis/network"]["get"]["parameters"]
    by_name = {p["name"]: p for p in parameters}
    assert "denied" in by_name["contested"]["description"]
    assert "unknown" in by_name["min_confidence"]["description"]
    assert by_name["min_confidence"]["schema"]["default"] == 0.0


def test_who_and_positions_carry_confidence(client):
    holders = client.get("/api/who/neutral/us-28").json()
    ukraine = next(h for h in holders if h["label"] == "Ukraine")  # Umerov's denial, quoted
    assert ukraine["confidence"] == 0.9 and ukraine["contested"] is True
    fit = client.get("/api/plans/us-28/fit").json()
    demand = fit["actors"][0]["demands"][0]
    assert "confidence" in demand and "contested" in demand


def _cells(text: str) -> dict[tuple[str, str], float]:
    rows = list(csv.reader(io.StringIO(text)))
    labels = rows[0][1:]
    return {(row[0], labels[j]): float(v) for row in rows[1:] for j, v in enumerate(row[1:]) if float(v)}


def test_network_thinned_by_weight_and_backbone_as_the_library_thins_it(client):
    from stancegraph.graph import load_bundled, one_mode, open_store, statements_from_store
    from stancegraph.graph.analysis.backbone import disparity_filter, weight_threshold

    store = open_store()
    load_bundled(store)
    full = one_mode(statements_from_store(store), aggregation="subtract")
    for params, expected in (
        ({"min_weight": 5}, weight_threshold(full, 5)),
        ({"backbone": 0.5}, disparity_filter(full, 0.5)),
    ):
        answer = client.get(
            "/api/analysis/network", params={"aggregation": "subtract", "format": "csv", **params}
        )
        assert answer.status_code == 200
        assert _cells(answer.text) == {
            (a, b): w for a, b, w in expected.to_networkx().edges(data="weight")
        } | {(b, a): w for a, b, w in expected.to_networkx().edges(data="weight")}
        assert 0 < len(_cells(answer.text)) < full.matrix.nnz
    for bad in ({"backbone": 0}, {"backbone": 1.5}, {"min_weight": -1}):
        assert client.get("/api/analysis/network", params=bad).status_code == 422

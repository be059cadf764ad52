"""The viewer routes of the service: pages and figures with the filters as query parameters."""

from __future__ import annotations

import json
import re

import pytest


def embedded_data(html: str) -> dict:
    return json.loads(re.search(r'class="sg-data">(.*?)</script>', html, re.S).group(1))


def test_the_plan_page_holds_all_28_points(client):
    response = client.get("/viz/plan", params={"plan": "us-28"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "default-src" in response.headers["content-security-policy"]
    data = embedded_data(response.text)
    points = {
        n["id"] for n in data["nodes"] if n["id"].startswith("https://w3id.org/stancegraph/id/plan/us-28/")
    }
    assert len(points) == 28
    assert "cdn" not in response.text.lower()


def test_a_filter_narrows_the_stance_page(client):
    everything = embedded_data(client.get("/viz/stances").text)
    rejections = embedded_data(client.get("/viz/stances", params={"stance": "rejects"}).text)
    assert 0 < len(rejections["edges"]) < len(everything["edges"])


@pytest.mark.parametrize(
    ("path", "kind", "magic"),
    [("/viz/heatmap.svg", "image/svg+xml", b"<svg"), ("/viz/agreement.png", "image/png", b"\x89PNG")],
)
def test_figures_come_as_svg_and_png(client, path, kind, magic):
    response = client.get(path, params={"plan": "us-28"} if "heatmap" in path else {})
    assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
    assert magic in response.content[:200]


def test_an_unknown_view_or_name_is_a_problem_not_a_crash(client):
    assert client.get("/viz/pie").status_code in (404, 422)
    missing = client.get("/viz/stances", params={"actor": "nobody-at-all"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_the_landing_page_links_to_every_view_and_each_link_works(client):
    page = client.get("/").text
    links = sorted(set(re.findall(r'href="(/viz/[^"]+)"', page)))
    assert {"/viz/stances", "/viz/agreement", "/viz/influence"} <= set(links)
    assert any(link.startswith("/viz/plan?plan=us-28") for link in links)
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link


def test_the_pages_take_contested_and_min_confidence(client):
    strict = embedded_data(client.get("/viz/stances", params={"min_confidence": 0.95}).text)
    assert strict["edges"] and all("confidence: 0.95" in e["tip"] for e in strict["edges"])
    only = embedded_data(client.get("/viz/stances", params={"contested": "only"}).text)
    assert (
        only["edges"] == embedded_data(client.get("/viz/stances", params={"contested": True}).text)["edges"]
    )
    assert len(only["edges"]) == 2 and all(any("contested" in t for t in e["tip"]) for e in only["edges"])
    agreement = client.get("/viz/agreement", params={"min_confidence": 0.8, "contested": "exclude"})
    assert agreement.status_code == 200
    assert all(
        "stances: contested=exclude, min confidence 0.8" in e["tip"]
        for e in embedded_data(agreement.text)["edges"]
    )
    assert client.get("/viz/agreement", params={"min_confidence": 2}).status_code == 422


def test_the_agreement_page_draws_the_ties_of_a_threshold_or_of_the_backbone(client):
    full = embedded_data(client.get("/viz/agreement").text)
    strong = client.get("/viz/agreement", params={"min_weight": 3})
    assert strong.status_code == 200 and "ties drawn" in strong.text
    kept = embedded_data(strong.text)
    assert {n["id"] for n in kept["nodes"]} == {n["id"] for n in full["nodes"]}  # every actor stays
    assert 0 < len(kept["edges"]) < len(full["edges"])
    backbone = embedded_data(client.get("/viz/agreement", params={"backbone": 0.3}).text)
    assert len(backbone["edges"]) <= len(full["edges"])
    assert client.get("/viz/agreement", params={"backbone": 2}).status_code == 422


def test_every_view_takes_contested_as_a_boolean(client):
    for view in ("stances", "agreement", "influence"):
        for flag, word in (("true", "only"), ("false", "exclude")):
            as_flag = client.get(f"/viz/{view}", params={"contested": flag})
            as_word = client.get(f"/viz/{view}", params={"contested": word})
            assert as_flag.status_code == as_word.status_code == 200, (view, flag, as_flag.text[:200])
            assert embedded_data(as_flag.text)["edges"] == embedded_data(as_word.text)["edges"]
        figure = client.get(f"/viz/{view}.svg", params={"contested": "false"})
        assert figure.status_code == 200, figure.text[:200]

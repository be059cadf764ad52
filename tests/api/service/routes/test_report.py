"""`GET /report`: the report of a selection as a self-contained page or a PDF, and its errors as problems."""

from __future__ import annotations

import re

from stancegraph.graph.drawing import CONTENT_SECURITY_POLICY

ID = "https://w3id.org/stancegraph/id/"


def test_the_plan_report_is_a_self_contained_page(client) -> None:
    response = client.get("/report", params={"plan": "us-28"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert policy.startswith(CONTENT_SECURITY_POLICY) and "frame-ancestors 'none'" in policy
    page = response.text
    assert "<title>Stance report: US 28-point peace plan</title>" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing to load from anywhere
    cited = set(re.findall(r'<li id="ref-([^"]+)">', page))
    assert {"st-2025-11-21", "axios-ft-2025-11-20", "reuters-2025-11-23"} <= cited
    assert all(f'href="#ref-{key}"' in page for key in cited)  # every reference is cited in the text


def test_the_report_as_pdf(client) -> None:
    response = client.get("/report", params={"actor": "russia", "format": "pdf"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 20_000
    assert response.headers["content-disposition"].startswith("attachment;")


def test_bad_selections_are_problems_that_say_what_to_fix(client) -> None:
    unknown = client.get("/report", params={"plan": "us-29"})
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    assert "no plan is named 'us-29'" in unknown.json()["detail"]
    nobody = client.get("/report", params={"actor": "nobody"})
    assert nobody.status_code == 404 and "no actor is named 'nobody'" in nobody.json()["detail"]
    reversed_dates = client.get("/report", params={"since": "2025-12-01", "until": "2025-11-01"})
    assert reversed_dates.status_code == 400 and "swap the two dates" in reversed_dates.json()["detail"]
    for params in ({"since": "2025-13-01"}, {"min_confidence": "2"}, {"format": "docx"}):
        bad = client.get("/report", params=params)
        assert bad.status_code == 422 and bad.json()["type"].endswith("/parameters"), params

"""The landing page at ``/`` and the API docs, both working offline (nothing from a CDN)."""

from __future__ import annotations

__all__ = ["router"]

import re
from functools import cache
from html import escape
from importlib import resources
from string import Template
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from stancegraph.api.service.deps import ServicesDep, SettingsDep, run
from stancegraph.api.service.headers import content_security_policy
from stancegraph.api.service.query_worker import CallJob
from stancegraph.graph.queries import overview, short_id

router = APIRouter(include_in_schema=False)

_EXAMPLES = {
    "Who endorses point 6 of the US draft?": """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?actor ?label WHERE {
  GRAPH ?source { ?actor sg:endorses <https://w3id.org/stancegraph/id/plan/us-28/6> }
  ?actor skos:prefLabel ?label
}""",
    "Stances per target": """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?target ?type (COUNT(?s) AS ?stances) WHERE {
  GRAPH ?g { ?s a sg:Stance ; sg:target ?target ; sg:stanceType ?type }
} GROUP BY ?target ?type ORDER BY DESC(?stances)""",
    "Contested stances": """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?stance ?other ?actor WHERE {
  GRAPH ?g { ?stance sg:contradicts ?other ; sg:actor ?actor }
}""",
    "Plan versions": """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?plan ?label ?earlier WHERE {
  ?plan a <https://w3id.org/stancegraph/ontology#Plan> ; skos:prefLabel ?label .
  OPTIONAL { ?plan prov:wasRevisionOf ?earlier }
}""",
}


def _template() -> Template:
    return Template(
        resources.files("stancegraph.api.service").joinpath("templates/index.html").read_text("utf-8")
    )


@router.get("/", response_class=HTMLResponse)
async def landing(request: Request, services: ServicesDep, settings: SettingsDep) -> Any:
    view = await run(services, settings, CallJob(overview))
    plans = "\n".join(
        f"<li><b>{escape(p.label)}</b> <code>{escape(p.id)}</code> {escape(str(p.issued or ''))}, "
        f"{p.points} points"
        + (f", revises {', '.join(escape(short_id(r)) for r in p.revision_of)}" if p.revision_of else "")
        + f' &middot; <a href="/api/plans/{escape(p.id)}/fit">plan fit</a>'
        + f' &middot; <a href="/viz/plan?plan={quote(p.id, safe="")}">graph</a>'
        + f' &middot; <a href="/viz/heatmap.svg?plan={quote(p.id, safe="")}">heat map</a></li>'
        for p in view.plans
    )
    latest = "\n".join(
        f"<li>{escape(str(s.issued or ''))} &middot; {escape(s.publisher)}: {escape(s.title)} "
        f"({s.stances} stance{'' if s.stances == 1 else 's'})</li>"
        for s in view.latest_sources
    )
    options = "\n".join(
        f'<option value="{escape(query, quote=True)}">{escape(title)}</option>'
        for title, query in _EXAMPLES.items()
    )
    counts = view.counts
    page = _template().substitute(
        quads=counts.quads,
        stances=counts.stances,
        graphs=counts.named_graphs,
        default=counts.default_graph,
        plans=plans or "<li>no plans yet</li>",
        sources=latest or "<li>no sources yet</li>",
        examples=options,
        first_example=escape(next(iter(_EXAMPLES.values()))),
        timeout=f"{settings.query_timeout:g}",
        rows=settings.max_rows,
    )
    return HTMLResponse(page)


@cache
def _docs_page() -> tuple[bytes, str]:
    """Swagger UI's page and its Content-Security-Policy, which allows its one inline script by hash."""
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="stancegraph API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="/static/swagger/favicon.png",
        # no badge from validator.swagger.io: the page loads nothing from another host
        swagger_ui_parameters={"validatorUrl": None},
    ).body
    scripts = re.findall(r"<script>(.*?)</script>", page.decode("utf-8"), flags=re.DOTALL)
    return page, content_security_policy(scripts=scripts)


@router.get("/docs", response_class=HTMLResponse)
async def docs() -> HTMLResponse:
    """Swagger UI 5 from the static files of the ``fastapi-offline`` package, served by this service."""
    page, policy = _docs_page()
    return HTMLResponse(page, headers={"Content-Security-Policy": policy})

"""``GET /report``: the report of a selection as one self-contained HTML page, or as a PDF.

The route parses the selection and calls :func:`stancegraph.graph.drawing.report_html` or
:func:`~stancegraph.graph.drawing.report_pdf` in a query worker under the deadline, like every other
read. The page carries the viewer's Content-Security-Policy (it loads nothing from anywhere); the PDF
is sent as an attachment.
"""

from __future__ import annotations

__all__ = ["router"]

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from stancegraph.api.service import problems
from stancegraph.api.service.deps import ServicesDep, SettingsDep, run
from stancegraph.api.service.query_worker import CallJob
from stancegraph.api.service.schemas import IsoDate
from stancegraph.graph.analysis import Contested
from stancegraph.graph.drawing import (
    AGREEMENT_AGGREGATIONS,
    CONTENT_SECURITY_POLICY,
    REPORT_FORMATS,
    report_html,
    report_pdf,
)

router = APIRouter(tags=["viewer"])

ReportFormat = StrEnum("ReportFormat", {name: name for name in REPORT_FORMATS})
#: The agreement network's part of the library's :class:`~stancegraph.graph.analysis.Aggregation`.
ReportAggregation = StrEnum("ReportAggregation", {a.value: a.value for a in AGREEMENT_AGGREGATIONS})
_NAME = "IRI, short id or label"
_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


@router.get(
    "/report",
    summary="A report of a selection: tables, graphs, figures and sources, in one file",
    response_class=HTMLResponse,
    responses={
        200: {"content": {"text/html": {}, "application/pdf": {}}, "description": "The report"},
        **problems.responses(400, 404, 409, 422, 501, 502, 503),
    },
)
async def report(
    services: ServicesDep,
    settings: SettingsDep,
    plan: Annotated[
        str | None, Query(description=f"Only stances on this plan or its points: {_NAME}", examples=["us-28"])
    ] = None,
    actor: Annotated[
        str | None, Query(description=f"Only this actor's stances (or a person's): {_NAME}")
    ] = None,
    since: Annotated[IsoDate | None, Query(description="Stated on or after (YYYY-MM-DD)")] = None,
    until: Annotated[IsoDate | None, Query(description="Stated on or before (YYYY-MM-DD)")] = None,
    contested: Annotated[
        Contested,
        Query(
            description="include (default; a claim its own actor denied is never a position), exclude "
            "(only undisputed stances) or only (only contested ones)"
        ),
    ] = Contested.INCLUDE,
    min_confidence: Annotated[
        float, Query(ge=0, le=1, description="Only stances with at least this confidence (0..1)")
    ] = 0.0,
    aggregation: Annotated[
        ReportAggregation, Query(description="How the agreement network ties actors")
    ] = ReportAggregation.congruence,
    title: Annotated[str | None, Query(description="The report's heading", max_length=300)] = None,
    format: Annotated[
        ReportFormat, Query(description="html (interactive, self-contained) or pdf (the print version)")
    ] = ReportFormat.html,
) -> Response:
    options = {
        "plan": plan,
        "actor": actor,
        "since": _day(since),
        "until": _day(until),
        "contested": contested.value,
        "min_confidence": min_confidence,
        "aggregation": aggregation.value,
        "title": title,
    }
    if format.value == "pdf":
        data = await run(services, settings, CallJob(report_pdf, (), options))
        return Response(
            content=data,
            media_type="application/pdf",
            headers={**_HEADERS, "Content-Disposition": 'attachment; filename="stancegraph-report.pdf"'},
        )
    html = await run(services, settings, CallJob(report_html, (), options))
    return HTMLResponse(content=html, headers=_HEADERS)

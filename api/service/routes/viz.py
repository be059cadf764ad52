"""The viewer under ``/viz``: each view as a self-contained HTML page, or as an SVG / PNG figure.

``GET /viz/{view}`` (``stances``, ``agreement``, ``influence``, ``plan``) and ``GET /viz/{view}.svg`` /
``.png`` (the same views plus ``heatmap``), with the filters as query parameters. The pages are rendered
in a query worker under the deadline, like every other read, by :func:`stancegraph.graph.drawing.render_html`
and :func:`stancegraph.graph.drawing.render_figure`. The choices of views, figure formats and the agreement
view's aggregations are the library's (:data:`~stancegraph.graph.drawing.VIEWS`,
:data:`~stancegraph.graph.drawing.FIGURE_VIEWS`, :data:`~stancegraph.graph.drawing.FORMATS`,
:data:`~stancegraph.graph.drawing.AGREEMENT_AGGREGATIONS`).
"""

from __future__ import annotations

__all__ = ["router"]

import datetime as dt
from enum import Enum, StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from stancegraph.api.service import problems
from stancegraph.api.service.deps import ServicesDep, SettingsDep, run
from stancegraph.api.service.query_worker import CallJob
from stancegraph.api.service.schemas import IsoDate
from stancegraph.graph.analysis import Contested
from stancegraph.graph.drawing import (
    AGREEMENT_AGGREGATIONS,
    CONTENT_SECURITY_POLICY,
    FIGURE_VIEWS,
    FORMATS,
    VIEWS,
    render_figure,
    render_html,
)

router = APIRouter(prefix="/viz", tags=["viewer"])


View = StrEnum("View", {name: name for name in VIEWS})
FigureView = StrEnum("FigureView", {name: name for name in FIGURE_VIEWS})
FigureFormat = StrEnum("FigureFormat", {name: name for name in FORMATS})
#: The agreement view's part of the library's :class:`~stancegraph.graph.analysis.Aggregation`.
AgreementAggregation = StrEnum("AgreementAggregation", {a.value: a.value for a in AGREEMENT_AGGREGATIONS})


_NAME = "IRI, short id or label"
_TAKES = {
    "stances": {"actor", "target", "stance", "source", "since", "until", "contested", "min_confidence"},
    "plan": {"plan", "actor", "stance", "source", "since", "until", "lineage"},
    "heatmap": {"plan", "source", "since", "until"},
    "agreement": {
        "aggregation",
        "actor",
        "target",
        "stance",
        "source",
        "since",
        "until",
        "contested",
        "min_confidence",
        "min_weight",
        "backbone",
    },
    "influence": {"since", "until", "contested", "min_confidence"},
}
_ERRORS = problems.responses(404, 409, 422, 502, 503)
_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _options(view: str, given: dict[str, Any]) -> dict[str, Any]:
    """The filters the view takes, as plain values (ignoring the ones it does not)."""
    chosen = {}
    for name, value in given.items():
        if value is None or name not in _TAKES[view]:
            continue
        if name == "contested" and isinstance(value, bool):  # true = only, false = exclude, in every view
            value = Contested.ONLY if value else Contested.EXCLUDE
        chosen[name] = (
            value.value
            if isinstance(value, Enum)
            else (value.isoformat() if isinstance(value, dt.date) else value)
        )
    return chosen


def _filters(
    actor: Annotated[str | None, Query(description=f"Actor or person: {_NAME}")] = None,
    target: Annotated[str | None, Query(description=f"Demand, plan, point or issue: {_NAME}")] = None,
    stance: Annotated[
        str | None, Query(description="endorses, rejects, concedes, demands or neutral")
    ] = None,
    source: Annotated[str | None, Query(description=f"Source (its graph): {_NAME}")] = None,
    since: Annotated[IsoDate | None, Query(description="From this date (inclusive)")] = None,
    until: Annotated[IsoDate | None, Query(description="Up to this date (inclusive)")] = None,
    contested: Annotated[
        Contested | bool | None,
        Query(
            description="Stances, agreement and influence views: include (default; a claim its own actor "
            "denied is never a position), exclude (only undisputed stances) or only (only contested ones); "
            "true is only, false is exclude"
        ),
    ] = None,
    min_confidence: Annotated[
        float | None,
        Query(
            ge=0,
            le=1,
            description="Stances, agreement and influence views: only stances with at least this "
            "confidence (0..1, default 0); above 0 a stance without a recorded confidence is left out",
        ),
    ] = None,
    plan: Annotated[str | None, Query(description=f"Plan version for the plan view: {_NAME}")] = None,
    lineage: Annotated[
        bool | None, Query(description="Plan view: show matching points of other versions")
    ] = None,
    aggregation: Annotated[
        AgreementAggregation | None, Query(description="Agreement view: how ties combine")
    ] = None,
    min_weight: Annotated[
        float | None,
        Query(ge=0, description="Agreement view: draw only ties of at least this absolute weight"),
    ] = None,
    backbone: Annotated[
        float | None,
        Query(
            ge=0,
            le=1,
            description="Agreement view: draw only the disparity backbone (Serrano et al. 2009) at this "
            "significance, e.g. 0.05",
        ),
    ] = None,
) -> dict[str, Any]:
    return {
        "actor": actor,
        "target": target,
        "stance": stance,
        "source": source,
        "since": since,
        "until": until,
        "contested": contested,
        "min_confidence": min_confidence,
        "plan": plan,
        "lineage": lineage,
        "aggregation": aggregation,
        "min_weight": min_weight,
        "backbone": backbone,
    }


Filters = Annotated[dict, Depends(_filters)]


@router.get(
    "/{view}.{fmt}",
    summary="A view as an SVG or PNG figure",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}, "image/png": {}}, "description": "The figure"},
        **_ERRORS,
    },
)
async def figure(
    view: FigureView, fmt: FigureFormat, services: ServicesDep, settings: SettingsDep, filters: Filters
) -> Response:
    options = _options(view.value, filters)
    data = await run(
        services, settings, CallJob(render_figure, (view.value,), {"format": fmt.value, **options})
    )
    media = "image/svg+xml" if fmt is FigureFormat.svg else "image/png"
    return Response(content=data, media_type=media, headers=_HEADERS)


@router.get(
    "/{view}",
    response_class=HTMLResponse,
    summary="A view as an interactive, self-contained page",
    responses=_ERRORS,
)
async def page(view: View, services: ServicesDep, settings: SettingsDep, filters: Filters) -> HTMLResponse:
    options = _options(view.value, filters)
    html = await run(services, settings, CallJob(render_html, (view.value,), options))
    return HTMLResponse(content=html, headers=_HEADERS)

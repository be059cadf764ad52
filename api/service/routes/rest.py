"""The REST API under ``/api``: thin routes, each calling one function of :mod:`stancegraph.graph` in a
query worker (under the deadline) and returning JSON."""

from __future__ import annotations

__all__ = ["router"]

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from stancegraph.api.service import problems
from stancegraph.api.service.deps import ServicesDep, SettingsDep, run
from stancegraph.api.service.query_worker import CallJob
from stancegraph.api.service.schemas import (
    ActorOut,
    AnswersOut,
    HolderOut,
    IsoDate,
    OverviewOut,
    Page,
    PlanFitOut,
    PlanOut,
    PointHistoryOut,
    PositionOut,
    SourceOut,
    StanceOut,
    TargetOut,
    VersionOut,
    plain,
)
from stancegraph.graph import queries

router = APIRouter(prefix="/api")

Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]
NAME_DOC = "IRI, short id (us, ru-no-nato, us-28/7) or label"
# the errors each kind of route can answer with, as problem details
_PLAIN = problems.responses(502, 503)
_LISTED = problems.responses(422, 502, 503)
_NAMED = problems.responses(404, 409, 422, 502, 503)


StanceName = StrEnum("StanceName", {name: name for name in queries.STANCE_NAMES})
TargetKind = queries.TargetKind


async def _call(services, settings, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await run(services, settings, CallJob(function, args, kwargs))


def _page(request: Request, items: list, offset: int, limit: int) -> dict:
    chosen = items[offset : offset + limit]
    following = None
    if offset + limit < len(items):
        following = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {"total": len(items), "offset": offset, "limit": limit, "next": following, "items": plain(chosen)}


@router.get(
    "/overview", response_model=OverviewOut, tags=["Graph"], summary="What the graph holds", responses=_PLAIN
)
async def overview(services: ServicesDep, settings: SettingsDep) -> Any:
    """Counts (quads, graphs, stances), the plan versions and the newest sources."""
    return plain(await _call(services, settings, queries.overview))


@router.get(
    "/version", response_model=VersionOut, tags=["Graph"], summary="The store's version", responses=_PLAIN
)
async def version(services: ServicesDep) -> Any:
    """The version of the store, a token that changes with every write: how a client (``open_store(
    endpoint=...)`` on this service) knows that what it derived from the store is still current."""
    return {"store_version": services.store.version}


@router.get(
    "/actors", response_model=Page[ActorOut], tags=["Actors"], summary="List actors", responses=_LISTED
)
async def actors(
    request: Request, services: ServicesDep, settings: SettingsDep, limit: Limit = 100, offset: Offset = 0
) -> Any:
    """States, people, organisations and coalitions, by label."""
    return _page(request, list(await _call(services, settings, queries.actors)), offset, limit)


@router.get(
    "/actors/{actor}/positions",
    response_model=Page[PositionOut],
    tags=["Actors"],
    summary="An actor's positions",
    responses=_NAMED,
)
async def actor_positions(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
    actor: Annotated[str, Path(description=NAME_DOC, examples=["umerov"])],
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    """Everything the actor (or a person speaking for it) is reported to stand for, one entry per target."""
    return _page(request, list(await _call(services, settings, queries.positions, actor)), offset, limit)


@router.get(
    "/targets", response_model=Page[TargetOut], tags=["Targets"], summary="List targets", responses=_LISTED
)
async def targets(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
    kind: Annotated[TargetKind | None, Query(description="Only this kind")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    """Demands, plans, plan points and issues."""
    found = await _call(services, settings, queries.targets, kind=kind.value if kind else None)
    return _page(request, list(found), offset, limit)


@router.get(
    "/sources", response_model=Page[SourceOut], tags=["Graph"], summary="List sources", responses=_LISTED
)
async def sources(
    request: Request, services: ServicesDep, settings: SettingsDep, limit: Limit = 100, offset: Offset = 0
) -> Any:
    """The source catalogue, newest first; each source's IRI names the graph of its stances."""
    return _page(request, list(await _call(services, settings, queries.sources)), offset, limit)


@router.get(
    "/stances",
    response_model=Page[StanceOut],
    tags=["Stances"],
    summary="Stances with provenance",
    responses=_NAMED,
)
async def stances(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
    actor: Annotated[
        str | None, Query(description="Actor or person: " + NAME_DOC, examples=["umerov"])
    ] = None,
    target: Annotated[str | None, Query(description="Demand, plan, point or issue: " + NAME_DOC)] = None,
    stance: Annotated[StanceName | None, Query(description="The stance type")] = None,
    source: Annotated[str | None, Query(description="The source (its graph): " + NAME_DOC)] = None,
    since: Annotated[IsoDate | None, Query(description="Stated on or after (YYYY-MM-DD)")] = None,
    until: Annotated[IsoDate | None, Query(description="Stated on or before (YYYY-MM-DD)")] = None,
    contested: Annotated[
        bool | None, Query(description="Only contested (true) or uncontested (false)")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    """Stances matching every filter given, oldest first, each with its source, quote, confidence and the
    stances it contradicts or that contradict it."""
    found = await _call(
        services,
        settings,
        queries.stances,
        actor=actor,
        target=target,
        stance=stance.value if stance else None,
        source=source,
        since=since,
        until=until,
        contested=contested,
    )
    return _page(request, list(found), offset, limit)


@router.get(
    "/who/{stance}/{target:path}",
    response_model=list[HolderOut],
    tags=["Stances"],
    summary="Who endorses / rejects / concedes / demands X",
    responses=_NAMED,
)
async def who(
    services: ServicesDep,
    settings: SettingsDep,
    stance: StanceName,
    target: Annotated[str, Path(description=NAME_DOC, examples=["us-28/6"])],
) -> Any:
    """The actors reported to take ``stance`` on ``target``, with the reports that say so."""
    return plain(await _call(services, settings, queries.who, stance.value, target))


@router.get("/plans", response_model=list[PlanOut], tags=["Plans"], summary="Plan versions", responses=_PLAIN)
async def plans(services: ServicesDep, settings: SettingsDep) -> Any:
    """Every plan version, oldest first, with the versions it revises."""
    return plain(await _call(services, settings, queries.plan_versions))


@router.get(
    "/plans/{plan}/fit",
    response_model=PlanFitOut,
    tags=["Plans"],
    summary="Whose demands a plan fulfils or opposes",
    responses=_NAMED,
)
async def plan_fit(
    services: ServicesDep,
    settings: SettingsDep,
    plan: Annotated[str, Path(description=NAME_DOC, examples=["us-28"])],
) -> Any:
    """For each actor with demands: which of them the plan's points fulfil, oppose or leave untouched."""
    return plain(await _call(services, settings, queries.plan_fit, plan))


@router.get(
    "/points/{point:path}/history",
    response_model=PointHistoryOut,
    tags=["Plans"],
    summary="How a plan point changed between versions",
    responses=_NAMED,
)
async def point_history(
    services: ServicesDep,
    settings: SettingsDep,
    point: Annotated[str, Path(description=NAME_DOC, examples=["us-28/6"])],
) -> Any:
    """The point in every plan version that carries it, oldest first, with change notes and drops."""
    return plain(await _call(services, settings, queries.point_history, point))


@router.get(
    "/ask",
    response_model=AnswersOut,
    tags=["Stances"],
    summary="Ask with a stance pattern",
    responses=problems.responses(400, 404, 409, 422, 502, 503),
)
async def ask(
    services: ServicesDep,
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(
            max_length=2000,
            description="A stance pattern (see the README grammar)",
            examples=['?who endorses "army cap"', "Russia demands ?what"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> Any:
    """Answer a stance-pattern question such as ``?a rejects us-28/7 since 2025-11-21``."""
    return plain(await _call(services, settings, queries.ask, q, limit=limit))

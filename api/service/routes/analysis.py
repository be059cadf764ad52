"""Alignment analysis under ``/api/analysis``: networks, stance frequencies, coalitions, polarisation,
influence, stance changes, plan fit across versions and inter-coder reliability. Thin routes: each runs
one function of :mod:`stancegraph.graph.analysis` (or of :mod:`stancegraph.graph.queries`) in a query
worker under the deadline; the options are the library's enums."""

from __future__ import annotations

__all__ = ["router"]

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from stancegraph.api.service import problems
from stancegraph.api.service.deps import ServicesDep, SettingsDep, run
from stancegraph.api.service.query_worker import CallJob
from stancegraph.api.service.schemas import IsoDate, StanceHistoryOut, plain
from stancegraph.graph import queries
from stancegraph.graph.analysis import (
    FREQUENCY_KEYS,
    ActorVariable,
    Aggregation,
    CommunityMethod,
    Contested,
    Duplicates,
    FrequencyFormat,
    Kernel,
    Level,
    NetworkFormat,
    NetworkType,
    Normalization,
    frequencies_document,
    influence_document,
    network_document,
    store_coalitions,
    store_polarisation,
    store_reliability,
)
from stancegraph.graph.analysis import QualifierKind as Qualifier
from stancegraph.graph.analysis import TimeUnit as Unit

router = APIRouter(prefix="/api/analysis", tags=["Analysis"])
NAME_DOC = "IRI, short id (us, ru-no-nato, us-28/7) or label"
# 400: options that do not go together (a ValueError of the library), e.g. an odd kernel window
_NAMED = problems.responses(400, 404, 409, 422, 502, 503)


_MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
}


def _selection(
    plan: Annotated[
        str | None,
        Query(description="Only stances on this plan or its points: " + NAME_DOC, examples=["us-28"]),
    ] = None,
    source: Annotated[str | None, Query(description="Only stances from this source: " + NAME_DOC)] = None,
    since: Annotated[IsoDate | None, Query(description="Stated on or after (YYYY-MM-DD)")] = None,
    until: Annotated[IsoDate | None, Query(description="Stated on or before (YYYY-MM-DD)")] = None,
    actor: Annotated[
        list[str] | None, Query(description="Only these actors (repeatable): " + NAME_DOC)
    ] = None,
    target: Annotated[list[str] | None, Query(description="Only these targets (repeatable)")] = None,
) -> dict[str, Any]:
    given = {
        "plan": plan,
        "source": source,
        "since": since,
        "until": until,
        "actors": actor,
        "targets": target,
    }
    return {k: v for k, v in given.items() if v is not None}


Selection = Annotated[dict, Depends(_selection)]


def _stance_choice(
    contested: Annotated[
        Contested,
        Query(
            description="Stances disputed by another (sg:contradicts either way): include (default; a "
            "claim its own actor denied is never a position, whatever this says), exclude (only "
            "undisputed stances) or only (only the contested ones)"
        ),
    ] = Contested.INCLUDE,
    min_confidence: Annotated[
        float,
        Query(
            ge=0,
            le=1,
            description="Only stances whose sg:confidence is at least this (0..1, default 0: all); above "
            "0 a stance without a recorded confidence (unknown) is left out",
            examples=[0.8],
        ),
    ] = 0.0,
) -> dict[str, Any]:
    return {"contested": contested.value, "min_confidence": min_confidence}


#: Which stances count: the networks' ``contested`` and ``min_confidence`` options.
StanceChoice = Annotated[dict, Depends(_stance_choice)]


async def _call(services, settings, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await run(services, settings, CallJob(function, args, kwargs))


def _text(body: str, format: str) -> Response:
    return Response(content=body, media_type=_MEDIA[format])


@router.get(
    "/network",
    summary="An actor network (DNA definitions) as JSON, CSV, GEXF or GraphML",
    response_class=Response,
    responses={
        200: {
            "content": {m: {} for m in _MEDIA.values()},
            "description": "Cytoscape.js JSON, the CSV matrix, GEXF 1.2 or GraphML",
        },
        **_NAMED,
    },
)
async def network(
    services: ServicesDep,
    settings: SettingsDep,
    selection: Selection,
    choice: StanceChoice,
    type: Annotated[NetworkType, Query(description="Actor x actor or actor x target")] = NetworkType.ONE_MODE,
    aggregation: Annotated[Aggregation, Query(examples=["congruence"])] = Aggregation.IGNORE,
    normalization: Normalization = Normalization.NO,
    qualifier: Annotated[Qualifier | None, Query(description="Default: the data's own kind")] = None,
    duplicates: Duplicates = Duplicates.INCLUDE,
    actor_variable: ActorVariable = ActorVariable.ACTOR,
    window: Annotated[int | None, Query(ge=1, le=10_000, description="Time window size in `unit`")] = None,
    unit: Unit = Unit.DAYS,
    kernel: Kernel | None = None,
    min_weight: Annotated[
        float | None, Query(ge=0, description="Keep only ties (cells) of at least this absolute weight")
    ] = None,
    backbone: Annotated[
        float | None,
        Query(gt=0, le=1, description="Keep only the disparity backbone at this significance level (0.05)"),
    ] = None,
    format: NetworkFormat = NetworkFormat.JSON,
) -> Response:
    """The one-mode (actor x actor via shared targets) or two-mode (actor x target) network of the
    stances selected, with DNA's aggregation, normalisation and duplicate rules; with ``window`` a
    network per time window (GEXF with spells, CSV one line per cell and window). In CSV, a label that
    a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) gets a leading ``'``."""
    options: dict[str, Any] = {
        "mode": type.value,
        "aggregation": aggregation.value,
        "normalization": normalization.value,
        "duplicates": duplicates.value,
        "actor_variable": actor_variable.value,
        **selection,
        **choice,
    }
    if qualifier is not None:
        options["qualifier"] = qualifier.value
    options.update({k: v for k, v in (("min_weight", min_weight), ("backbone", backbone)) if v is not None})
    if window is not None:
        options.update(window=window, unit=unit.value, kernel=kernel.value if kernel else None)
    body = await _call(services, settings, network_document, format=format.value, **options)
    return _text(body, format.value)


@router.get(
    "/frequencies",
    summary="How many stances per target and stance type, per actor, source or day (JSON or CSV)",
    response_class=Response,
    responses={
        200: {"content": {_MEDIA["json"]: {}, _MEDIA["csv"]: {}}, "description": "One row per group"},
        **_NAMED,
    },
)
async def frequencies(
    services: ServicesDep,
    settings: SettingsDep,
    selection: Selection,
    choice: StanceChoice,
    by: Annotated[
        str,
        Query(
            description="What to count by, comma-separated: " + ", ".join(FREQUENCY_KEYS),
            examples=["target,stance", "actor,document"],
            max_length=200,
        ),
    ] = "target,stance",
    format: FrequencyFormat = FrequencyFormat.JSON,
) -> Response:
    """The number of stances of each combination of ``by`` that has any, most first, among the stances
    selected (a claim its own actor denied is never counted) and chosen as the networks choose them; a
    node comes as its short id and its label (``target``, ``target_label``)."""
    body = await _call(
        services, settings, frequencies_document, format=format.value, by=by, **selection, **choice
    )
    return _text(body, format.value)


@router.get("/coalitions", summary="Coalitions: communities of actors who agree", responses=_NAMED)
async def coalitions(
    services: ServicesDep,
    settings: SettingsDep,
    selection: Selection,
    choice: StanceChoice,
    method: CommunityMethod = CommunityMethod.LOUVAIN,
    seed: Annotated[int, Query(description="Seed of the Louvain method")] = 0,
    resolution: Annotated[float, Query(gt=0, le=100)] = 1.0,
) -> Any:
    """Communities in the positive part of the ``subtract`` / ``average`` one-mode network."""
    found = await _call(
        services,
        settings,
        store_coalitions,
        method=method.value,
        seed=seed,
        resolution=resolution,
        **selection,
        **choice,
    )
    return {
        "communities": [list(c) for c in found.communities],
        "modularity": found.modularity,
        "method": found.method,
    }


@router.get(
    "/polarisation", summary="Leifeld's polarisation score and the best split into camps", responses=_NAMED
)
async def polarisation(
    services: ServicesDep,
    settings: SettingsDep,
    selection: Selection,
    choice: StanceChoice,
    k: Annotated[int, Query(ge=2, le=10, description="Number of camps")] = 2,
    seed: int = 0,
    balanced: Annotated[
        bool,
        Query(
            description="Only splits whose camps differ in size by at most one, "
            "as the Discourse Network Analyzer searches"
        ),
    ] = True,
) -> Any:
    """The partition of the actors into ``k`` camps with the highest polarisation score Q."""
    found = await _call(
        services, settings, store_polarisation, k=k, seed=seed, balanced=balanced, **selection, **choice
    )
    return {
        "score": found.score,
        "k": found.k,
        "method": found.method,
        "clusters": [list(c) for c in found.clusters],
        "partition": dict(found.partition),
    }


@router.get(
    "/influence",
    summary="Who takes up whose demands (PageRank)",
    response_class=Response,
    responses={200: {"content": {m: {} for m in _MEDIA.values()}}, **problems.responses(422, 502, 503)},
)
async def influence(
    services: ServicesDep,
    settings: SettingsDep,
    choice: StanceChoice,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    dated: Annotated[bool, Query(description="Count an adoption only after the demand")] = True,
    format: NetworkFormat = NetworkFormat.JSON,
) -> Response:
    """The directed adoption graph with an ``influence`` score per actor (Cytoscape.js JSON by default;
    ``csv`` gives the node table, a blank line, the edge table); ``contested`` and ``min_confidence``
    choose the demand and endorse stances that count."""
    body = await _call(
        services,
        settings,
        influence_document,
        format=format.value,
        since=since,
        until=until,
        dated=dated,
        **choice,
    )
    return _text(body, format.value)


@router.get(
    "/changes/{actor}",
    response_model=list[StanceHistoryOut],
    summary="How an actor's stances changed over time",
    responses=_NAMED,
)
async def changes(
    services: ServicesDep,
    settings: SettingsDep,
    actor: Annotated[str, Path(description=NAME_DOC, examples=["ukraine"])],
    target: Annotated[
        str | None, Query(description="Only this target: " + NAME_DOC, examples=["us-28"])
    ] = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
) -> Any:
    """The actor's dated stances per target, each with its confidence and contested and denied flags,
    and the shifts (e.g. endorses -> rejects) with their sources; a denied report is listed but starts
    or ends no shift."""
    found = await _call(
        services, settings, queries.stance_changes, actor, target=target, since=since, until=until
    )
    return plain(found)


@router.get(
    "/plan-versions-fit",
    summary="Whose demands each plan version fulfils (actor x version)",
    responses=_NAMED,
)
async def plan_versions_fit(
    services: ServicesDep,
    settings: SettingsDep,
    plan: Annotated[
        list[str] | None,
        Query(
            description="Plan versions in column order (repeatable); default all, oldest first",
            examples=[["us-28", "e3-counter"]],
        ),
    ] = None,
) -> Any:
    """Per actor and plan version: demands fulfilled, opposed and untouched, and the share fulfilled."""
    table = await _call(services, settings, queries.plan_versions_fit, plan)
    return {
        "plans": list(table.plans),
        "plan_labels": list(table.plan_labels),
        "plan_coverage": list(table.plan_coverage),
        "rows": table.records(),
    }


@router.get(
    "/reliability",
    summary="Inter-coder reliability: percent agreement and Krippendorff's alpha",
    responses=_NAMED,
)
async def reliability(
    services: ServicesDep,
    settings: SettingsDep,
    selection: Selection,
    level: Annotated[
        Level, Query(description="nominal: stances as categories; ordinal, interval, ratio: agreement scale")
    ] = Level.NOMINAL,
) -> Any:
    """For the documents two or more coders coded: the agreement on the stance of each (document, actor,
    target), per pair of coders too, and on which actors, targets and statements each coder found. A 400
    problem when no document has two coders."""
    found = await _call(services, settings, store_reliability, level=level.value, **selection)
    return found.as_dict()

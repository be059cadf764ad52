"""The SPARQL 1.1 Protocol at ``/sparql`` (query and update) and the Graph Store Protocol at ``/store``.

Queries: ``GET /sparql?query=``, ``POST`` urlencoded (``query=``) or ``application/sparql-query``, with
``default-graph-uri`` / ``named-graph-uri`` (repeatable) and the Oxigraph-style ``union-default-graph``
flag. The result format follows ``Accept``. ``GET /sparql`` without a query returns the service
description. Updates (``POST`` urlencoded ``update=`` or ``application/sparql-update``) and graph store
writes need the bearer token; see :mod:`stancegraph.api.service.writes` for what they may do.
"""

from __future__ import annotations

__all__ = ["router"]

import asyncio
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from stancegraph.api.service import problems, writes
from stancegraph.api.service.deps import ServicesDep, SettingsDep, require_token, run
from stancegraph.api.service.limits import chunked_response
from stancegraph.api.service.query_runner import DeadlineExceededError
from stancegraph.api.service.query_worker import CHUNK_BYTES, CallJob, SparqlJob, export_graph
from stancegraph.api.service.results import (
    DATASET_TYPES,
    GRAPH_TYPES,
    RESULT_TYPES,
    NotAcceptableError,
    negotiate,
)
from stancegraph.api.service.sparql_text import RefusedFeatureError, refuse_deep, refuse_fetching
from stancegraph.graph.errors import UnknownEntityError
from stancegraph.ontology.namespaces import DCTERMS_NS, RDF_TYPE

# each operation names its tag: "SPARQL" for the protocol, "Graph Store" for /store (a router-wide tag
# would be added to the Graph Store operations as well)
router = APIRouter()

_QUERY_DOC = "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)."
_SD = "http://www.w3.org/ns/sparql-service-description#"
_GRAPH_DOC = "The graph's IRI (or give `default` instead)"
_DEFAULT_DOC = "Present (with no value: `?default`) to name the default graph"


def _graph_target(
    graph: Annotated[str | None, Query(description=_GRAPH_DOC)] = None,
    default: Annotated[str | None, Query(description=_DEFAULT_DOC)] = None,
) -> None:
    """Declares the Graph Store Protocol's ``?graph=`` / ``?default`` in the schema.

    The routes read them from the raw query string (:func:`_target`), where ``?default`` has no value.
    """


def _flag(values: list[str]) -> bool:
    return any(v.strip().lower() in ("", "true", "1", "yes") for v in values)


async def _answer(request: Request, services, settings, query: str, params: dict[str, list[str]]) -> Response:
    accept = request.headers.get("accept")
    results_type = negotiate(accept, RESULT_TYPES)
    graph_type = negotiate(accept, GRAPH_TYPES)
    default = params.get("default-graph-uri")
    named = params.get("named-graph-uri")
    union = _flag(params["union-default-graph"]) if "union-default-graph" in params else False
    for name, iris in (("default-graph-uri", default), ("named-graph-uri", named)):
        for iri in iris or ():
            _check_iri(name, iri)
    if union and default:
        raise RefusedFeatureError("give either 'default-graph-uri' or 'union-default-graph', not both")
    job = SparqlJob(
        query=query,
        results_type=results_type,
        graph_type=graph_type,
        max_rows=settings.max_rows,
        default_graph=tuple(default) if default else None,
        named_graphs=tuple(named) if named else None,
        union_default_graph=union,
        max_bytes=settings.max_result_bytes,
        max_term_bytes=settings.max_term_bytes,
        csv_guard=settings.csv_formula_guard,
    )
    await _off_loop(settings, _check_query, query, settings.max_depth)
    payload = await run(services, settings, job)
    media_type = payload.media_type
    if media_type in ("application/json", "application/xml", "text/xml"):
        charset = "; charset=utf-8"
    else:
        charset = "; charset=utf-8" if media_type.startswith("text/") or "json" in media_type else ""
    return chunked_response(payload.chunks, media_type=media_type + charset, headers={"Vary": "Accept"})


def _check_query(query: str, max_depth: int) -> None:
    # before the query goes anywhere: nothing that fetches, nothing nested deep enough to crash a parser
    refuse_deep(query, limit=max_depth)
    refuse_fetching(query)


async def _off_loop(settings, function, *args, **kwargs):
    """Run ``function`` in a thread, under the query deadline: reading a body never blocks the loop."""
    try:
        async with asyncio.timeout(settings.query_timeout):
            return await asyncio.to_thread(function, *args, **kwargs)
    except TimeoutError:
        raise DeadlineExceededError(
            f"reading the request took longer than the deadline of {settings.query_timeout:g} s; "
            "send a smaller request"
        ) from None


def _limits(settings) -> writes.InputLimits:
    return writes.InputLimits(max_depth=settings.max_depth, max_term_bytes=settings.max_term_bytes)


async def _update(request: Request, services, settings, update: str) -> Response:
    require_token(request, settings)
    effect = await _off_loop(settings, writes.update_effect, update, limits=_limits(settings))
    async with services.runner.exclusive():
        changed = await asyncio.to_thread(_apply, services, effect)
    return Response(status_code=204, headers={"X-Changed-Quads": str(changed)})


def _apply(services, effect: writes.Effect) -> int:
    # no flush: the workers' read-only views replay the write-ahead log when they reopen, and a flush
    # would start compactions that delete files under views being opened
    return writes.apply(services.store, effect)


def _params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


def _check_iri(name: str, value: str) -> None:
    try:
        NamedNode(value)
    except ValueError as error:
        raise RefusedFeatureError(
            f"{name}={value!r} is not a valid IRI ({error}); give an absolute IRI such as http://example.org/g"
        ) from None


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise RefusedFeatureError(f"the {name!r} parameter was given {len(values)} times; give it once")
    return values[0]


@router.get(
    "/sparql",
    tags=["SPARQL"],
    summary="SPARQL query (GET), or the service description",
    responses={
        200: {
            "content": {t: {} for t in (*RESULT_TYPES, *GRAPH_TYPES)},
            "description": "Results in the negotiated format",
        },
        **problems.responses(400, 406, 422, 502, 503),
    },
)
async def sparql_get(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
    query: Annotated[str | None, Query(description=_QUERY_DOC, examples=["ASK {}"])] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
    union_default_graph: Annotated[
        str | None, Query(alias="union-default-graph", description="The default graph is the union of all")
    ] = None,
) -> Response:
    """Run ``query``; without it, describe the service (SPARQL 1.1 Service Description)."""
    params = _params(request)
    if "update" in params:
        raise RefusedFeatureError("a SPARQL Update must be sent with POST, never with GET")
    text = _one(params, "query")
    if text is None:
        return _description(request, settings)
    return await _answer(request, services, settings, text, params)


@router.post(
    "/sparql",
    tags=["SPARQL"],
    summary="SPARQL query or update (POST)",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}, "example": "ASK {}"},
                "application/sparql-update": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}, "update": {"type": "string"}},
                    }
                },
            }
        }
    },
    responses={
        200: {"content": {t: {} for t in (*RESULT_TYPES, *GRAPH_TYPES)}},
        204: {"description": "Update applied"},
        **problems.responses(400, 401, 403, 406, 413, 415, 422, 502, 503),
    },
)
async def sparql_post(request: Request, services: ServicesDep, settings: SettingsDep) -> Response:
    """A query (urlencoded ``query=`` or a ``application/sparql-query`` body) or an authorised update
    (urlencoded ``update=`` or a ``application/sparql-update`` body)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = _params(request)
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise RefusedFeatureError("the request body is not UTF-8") from None
    if media_type == "application/x-www-form-urlencoded":
        for key, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
        query, update = _one(params, "query"), _one(params, "update")
        if query is not None and update is not None:
            raise RefusedFeatureError("give either 'query' or 'update', not both")
        if update is not None:
            return await _update(request, services, settings, update)
        if query is None:
            raise RefusedFeatureError("the form has no 'query' (or 'update') field")
        return await _answer(request, services, settings, query, params)
    if media_type == "application/sparql-query":
        return await _answer(request, services, settings, text, params)
    if media_type == "application/sparql-update":
        return await _update(request, services, settings, text)
    from fastapi import HTTPException

    raise HTTPException(
        415,
        f"POST /sparql takes application/sparql-query, application/sparql-update or "
        f"application/x-www-form-urlencoded, not {media_type or 'no content type'!r}",
    )


def _description(request: Request, settings) -> Response:
    accept = request.headers.get("accept")
    media_type = negotiate(
        accept, ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
    )
    if media_type is None:
        raise NotAcceptableError(
            "the service description is available as text/turtle, application/ld+json, "
            "application/rdf+xml or application/n-triples"
        )
    sd = lambda name: NamedNode(_SD + name)  # noqa: E731
    rdf_type = NamedNode(RDF_TYPE)
    service = NamedNode(str(request.url.replace(query="")))
    triples = [
        (service, rdf_type, sd("Service")),
        (service, sd("endpoint"), service),
        (service, sd("supportedLanguage"), sd("SPARQL11Query")),
        *[
            (service, sd("resultFormat"), NamedNode(f"http://www.w3.org/ns/formats/{name}"))
            for name in (
                "SPARQL_Results_JSON",
                "SPARQL_Results_XML",
                "SPARQL_Results_CSV",
                "SPARQL_Results_TSV",
                "Turtle",
                "N-Triples",
                "JSON-LD",
                "N-Quads",
                "RDF_XML",
            )
        ],
        (
            service,
            NamedNode(DCTERMS_NS + "description"),
            Literal(
                f"stancegraph; the default graph is the store's default graph (the catalogue); the stances "
                "are in the source graphs: use GRAPH ?g, or union-default-graph=true for the union of all "
                f"graphs; queries stop after {settings.query_timeout:g} s and {settings.max_rows} rows; "
                "SERVICE and LOAD are refused"
                + ("; SPARQL Update with a bearer token" if settings.token else "")
            ),
        ),
    ]
    if settings.token is not None:
        triples.append((service, sd("supportedLanguage"), sd("SPARQL11Update")))
    quads = [Quad(*t) for t in triples]
    body = serialize([q.triple for q in quads], None, GRAPH_TYPES[media_type], prefixes={"sd": _SD})
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


# -- Graph Store Protocol ------------------------------------------------------------------------------


def _target(params: dict[str, list[str]]) -> tuple[bool, str | None]:
    """(given, graph IRI or None for the default graph)."""
    graph = _one(params, "graph")
    if graph is not None and "default" in params:
        raise RefusedFeatureError("give either ?graph=IRI or ?default, not both")
    if graph is not None:
        _check_iri("graph", graph)
        return True, graph
    return ("default" in params), None


@router.get(
    "/store",
    tags=["Graph Store"],
    summary="Read a graph (?graph=IRI or ?default) or the dataset",
    dependencies=[Depends(_graph_target)],
    responses={
        200: {"content": {t: {} for t in GRAPH_TYPES}},
        **problems.responses(400, 404, 406, 422, 502, 503),
    },
)
async def store_get(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
) -> Response:
    """A graph, or without a target the whole dataset (N-Quads, TriG or JSON-LD)."""
    params = _params(request)
    given, graph = _target(params)
    offers = GRAPH_TYPES if given else DATASET_TYPES
    media_type = negotiate(request.headers.get("accept"), offers)
    if media_type is None:
        raise NotAcceptableError(f"this resource is available as: {', '.join(offers)}")
    rdf_format: RdfFormat = offers[media_type]
    job = CallJob(
        export_graph,
        (rdf_format.file_extension, graph),
        {"default": given and graph is None, "max_bytes": settings.max_result_bytes},
    )
    body = await run(services, settings, job)
    pieces = [body[start : start + CHUNK_BYTES] for start in range(0, len(body), CHUNK_BYTES)]
    del body
    return chunked_response(pieces, media_type=media_type, headers={"Vary": "Accept"})


async def _write(request: Request, services, settings, method: str) -> Response:
    require_token(request, settings)
    params = _params(request)
    given, graph = _target(params)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if method == "DELETE":
        if not given:
            raise RefusedFeatureError("DELETE needs ?graph=IRI or ?default")
        effect = writes.Effect((), (), graph or "")
    elif given:
        effect = await _off_loop(
            settings, writes.graph_effect, method, graph, body, media_type, limits=_limits(settings)
        )
    elif method == "POST":
        effect = await _off_loop(settings, writes.dataset_effect, body, media_type, limits=_limits(settings))
    else:
        raise RefusedFeatureError(
            "PUT needs ?graph=IRI or ?default (replacing the whole dataset is not offered)"
        )
    del body
    async with services.runner.exclusive():
        existed = graph is None or graph in await asyncio.to_thread(services.store.named_graphs)
        if method == "DELETE" and not existed:
            raise UnknownEntityError(f"the store has no graph <{graph}>")
        await asyncio.to_thread(_apply, services, effect)
    return Response(status_code=201 if method != "DELETE" and not existed else 204)


_WRITE_BODY = {"requestBody": {"content": {t: {"schema": {"type": "string"}} for t in GRAPH_TYPES}}}
_WRITE_RESPONSES = {
    201: {"description": "The graph was created"},
    **problems.responses(400, 401, 403, 413, 415, 422, 502, 503),
}


@router.put(
    "/store",
    tags=["Graph Store"],
    summary="Replace a graph (authorised)",
    openapi_extra=_WRITE_BODY,
    dependencies=[Depends(require_token), Depends(_graph_target)],
    status_code=204,
    responses=_WRITE_RESPONSES,
)
async def store_put(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
) -> Response:
    """Replace ``?graph=IRI`` or ``?default`` with the body, if the result conforms to the shapes."""
    return await _write(request, services, settings, "PUT")


@router.post(
    "/store",
    tags=["Graph Store"],
    summary="Add to a graph or the dataset (authorised)",
    openapi_extra=_WRITE_BODY,
    dependencies=[Depends(require_token), Depends(_graph_target)],
    status_code=204,
    responses=_WRITE_RESPONSES,
)
async def store_post(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
) -> Response:
    """Add the body's triples to ``?graph=IRI`` / ``?default``, or a dataset's quads to the store."""
    return await _write(request, services, settings, "POST")


@router.delete(
    "/store",
    tags=["Graph Store"],
    summary="Delete a graph (authorised)",
    dependencies=[Depends(require_token), Depends(_graph_target)],
    status_code=204,
    responses=problems.responses(400, 401, 403, 404, 422, 502, 503),
)
async def store_delete(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
) -> Response:
    """Remove ``?graph=IRI`` (or empty ``?default``)."""
    return await _write(request, services, settings, "DELETE")

"""Errors as RFC 9457 problem details (``application/problem+json``), never a stack trace.

The library's exceptions (:mod:`stancegraph.graph.errors`) get their HTTP status here and only here.
"""

from __future__ import annotations

__all__ = ["PROBLEM_TYPE", "MEDIA_TYPE", "problem", "responses", "document", "install"]

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from stancegraph.api.service.query_runner import DeadlineExceededError, WorkerCrashError
from stancegraph.api.service.query_worker import AnswerLimitError, RowLimitError
from stancegraph.api.service.results import NotAcceptableError
from stancegraph.api.service.schemas import ProblemOut
from stancegraph.api.service.sparql_text import RefusedFeatureError
from stancegraph.graph import errors

#: Problem types are named under this IRI (``.../syntax``, ``.../deadline`` ...).
PROBLEM_TYPE = "https://w3id.org/stancegraph/problems/"
#: The media type of every error response (RFC 9457).
MEDIA_TYPE = "application/problem+json"
_log = logging.getLogger("stancegraph.api")

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    408: "Request timeout",
    409: "Ambiguous name",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    500: "Internal error",
    501: "Not implemented",
    502: "Bad gateway",
    503: "Service unavailable",
}


def problem(
    status: int,
    kind: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem-details response."""
    body = {
        "type": PROBLEM_TYPE + kind,
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


_WHEN = {
    400: "A query, update, pattern or body that does not parse, options that do not go together, or a "
    "refused feature (SERVICE, LOAD, an update form other than INSERT DATA / DELETE DATA ...), or input "
    "past a safety limit (nesting depth, the size of one term, a DTD in RDF/XML)",
    401: "A write without the header `Authorization: Bearer <token>`",
    403: "A write with a wrong token, or to a read-only service",
    404: "A name, short id or IRI (or graph) that matches nothing",
    406: "None of the formats the `Accept` header allows is offered",
    409: "A name that fits several nodes; the problem lists the candidates",
    413: "The request body is larger than the service's limit",
    415: "The request body's `Content-Type` is not one this operation reads",
    422: "Invalid parameters, an answer past the row, byte or term limit, or a write that breaks the SHACL "
    "shapes",
    501: "A feature whose optional dependency this service lacks (a PDF report needs WeasyPrint)",
    502: "The remote SPARQL server (`--endpoint`) failed",
    503: "The query ran past its deadline or its worker stopped, or the service is starting; try again",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem-details responses of a route, for FastAPI's ``responses=``.

    Parameters
    ----------
    *statuses : int
        The error statuses the route can answer with (each a key of the table of descriptions).

    Returns
    -------
    dict
        ``{status: {"description": ..., "content": {"application/problem+json": {"schema": ...}}}}``,
        the schema a reference to ``ProblemOut``, which :func:`document` adds to the components.
    """
    schema = {"$ref": "#/components/schemas/" + ProblemOut.__name__}
    return {
        status: {"description": _WHEN[status], "content": {MEDIA_TYPE: {"schema": schema}}}
        for status in statuses
    }


def document(openapi: dict[str, Any]) -> dict[str, Any]:
    """Add the ``ProblemOut`` schema (and the ones it uses) to an OpenAPI document's components."""
    schema = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
    components = openapi.setdefault("components", {}).setdefault("schemas", {})
    components.update(schema.pop("$defs", {}))
    components[ProblemOut.__name__] = schema
    return openapi


def _violation(v: errors.Violation) -> dict[str, Any]:
    return {
        k: getattr(v, k)
        for k in ("message", "file", "line", "node", "path", "rule", "value")
        if getattr(v, k) is not None
    }


def _for(error: Exception, path: str, remote: bool) -> JSONResponse:
    if isinstance(error, errors.QuerySyntaxError):
        return problem(400, "syntax", error.msg, instance=path, line=error.lineno, column=error.offset)
    if isinstance(error, RefusedFeatureError):
        return problem(400, "refused", str(error), instance=path)
    if isinstance(error, NotAcceptableError):
        return problem(406, "not-acceptable", str(error), instance=path)
    if isinstance(error, RowLimitError):
        return problem(422, "row-limit", str(error), instance=path)
    if isinstance(error, AnswerLimitError):
        return problem(422, "answer-limit", str(error), instance=path)
    if isinstance(error, errors.InputLimitError):
        return problem(
            400,
            "input-limit",
            str(error),
            instance=path,
            limit=error.limit,
            line=error.line,
            column=error.column,
        )
    if isinstance(error, errors.ValidationError):
        return problem(
            422, "validation", str(error), instance=path, violations=[_violation(v) for v in error.violations]
        )
    if isinstance(error, errors.AmbiguousNameError):
        return problem(
            409,
            "ambiguous-name",
            str(error),
            instance=path,
            candidates=[{"iri": iri, "label": label} for iri, label in error.candidates],
        )
    if isinstance(error, errors.UnknownEntityError):
        return problem(404, "unknown", str(error), instance=path)
    if isinstance(error, errors.MissingDependencyError):
        return problem(501, "missing-dependency", str(error), instance=path)
    if isinstance(error, DeadlineExceededError):
        return problem(503, "deadline", str(error), instance=path)
    if isinstance(error, WorkerCrashError):
        return problem(503, "worker", str(error), instance=path, headers={"Retry-After": "1"})
    if isinstance(error, errors.StoreError):
        if remote:
            return problem(502, "store", str(error), instance=path)
        return problem(400, "query-failed", str(error), instance=path)
    if isinstance(error, ValueError):
        return problem(400, "bad-request", str(error), instance=path)
    _log.exception("unexpected error on %s", path)
    return problem(500, "internal", "an unexpected error occurred; it has been logged", instance=path)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem details."""

    async def library_error(request: Request, error: Exception) -> JSONResponse:
        services = getattr(request.app.state, "services", None)
        return _for(error, request.url.path, bool(services and services.remote))

    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        kinds = {
            401: "unauthorized",
            403: "forbidden",
            404: "not-found",
            405: "method",
            413: "too-large",
            415: "media-type",
            503: "unavailable",
        }
        return problem(
            error.status_code,
            kinds.get(error.status_code, "http"),
            str(error.detail),
            instance=request.url.path,
            headers=getattr(error, "headers", None),
        )

    async def request_error(request: Request, error: RequestValidationError) -> JSONResponse:
        found = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in error.errors()
        ]
        detail = "; ".join(f"{e['where']}: {e['message']}" for e in found)
        return problem(
            422,
            "parameters",
            f"invalid request parameters: {detail}",
            instance=request.url.path,
            errors=found,
        )

    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, request_error)  # type: ignore[arg-type]
    app.add_exception_handler(errors.StanceGraphError, library_error)
    app.add_exception_handler(ValueError, library_error)
    app.add_exception_handler(Exception, library_error)  # the last resort: 500, logged, no trace sent

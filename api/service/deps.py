"""FastAPI dependencies: the settings, the query runner, the writable store, and the write permission.

Everything a route needs comes in through these functions, set up once by
:func:`stancegraph.api.service.app.create_app` on ``app.state``; no route reads a global.
"""

from __future__ import annotations

__all__ = ["Services", "get_settings", "get_services", "require_token", "run"]

import hmac
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from stancegraph.api.service.query_runner import Runner
from stancegraph.api.service.query_worker import CallJob, SparqlJob
from stancegraph.api.service.settings import Settings
from stancegraph.graph.store import Store


@dataclass
class Services:
    """What the app holds while it runs: the store handle used for writes and the query runner."""

    store: Store
    runner: Runner
    remote: bool


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


def get_services(request: Request) -> Services:
    """The running store and query runner."""
    services = getattr(request.app.state, "services", None)
    if services is None:
        raise HTTPException(503, "the service is starting or stopping; try again in a moment")
    return services


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServicesDep = Annotated[Services, Depends(get_services)]


def require_token(request: Request, settings: SettingsDep) -> None:
    """Allow a write only with ``Authorization: Bearer <token>`` matching the configured token.

    401 without credentials (with a ``WWW-Authenticate`` challenge), 403 with a wrong token or when the
    service has no token (it is then read-only).
    """
    if settings.token is None:
        raise HTTPException(
            403,
            "this service is read-only: start it with --token (or STANCEGRAPH_TOKEN) "
            "to allow authorised writes",
        )
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if not header or scheme.lower() != "bearer" or not credentials.strip():
        raise HTTPException(
            401,
            "writes need the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="stancegraph"'},
        )
    expected = settings.token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.strip().encode(), expected):
        raise HTTPException(403, "the bearer token is not the one that allows writes")


async def run(services: Services, settings: Settings, job: SparqlJob | CallJob) -> Any:
    """Run a job under the configured deadline."""
    return await services.runner.run(job, timeout=settings.query_timeout)

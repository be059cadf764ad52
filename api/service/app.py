"""The FastAPI application: :func:`create_app` builds it from the
:class:`~stancegraph.api.service.settings.Settings`.

At start-up the app opens the store (the embedded folder, created and filled with the bundled data set
when empty, or the remote server) and starts the query runner; at shutdown it stops both. While it holds
a folder, its URL and process id are in the folder's service record
(:mod:`stancegraph.graph.store.service_record`), so that the command line, finding the folder locked,
knows who holds it. Run it with
``stancegraph serve`` or ``uvicorn --factory stancegraph.api.service.app:app_from_environment``.
"""

from __future__ import annotations

__all__ = ["create_app", "app_from_environment", "base_url"]

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from stancegraph.api.service import problems
from stancegraph.api.service.deps import Services
from stancegraph.api.service.limits import BodyLimit, SendTimeout
from stancegraph.api.service.query_runner import ProcessRunner, ThreadRunner
from stancegraph.api.service.routes import analysis, pages, report, rest, sparql, viz
from stancegraph.api.service.settings import Settings
from stancegraph.graph.store import open_store, record_service, remove_service_record

_log = logging.getLogger("stancegraph.api")

_DESCRIPTION = """A knowledge graph of political actors, their demands, plans and plan points, and the stances
that link them, each stance with its provenance.

* **SPARQL 1.1 Protocol** at `/sparql` (results as JSON, XML, CSV, TSV; graphs as Turtle, N-Triples,
  JSON-LD, N-Quads), **Graph Store Protocol** at `/store`; writes need the bearer token.
* **REST** under `/api`: actors, targets, stances with provenance, who endorses / rejects / concedes /
  demands X, plan fit, plan versions and point histories, and stance patterns (`/api/ask`).
* **Analysis** under `/api/analysis`: actor networks (JSON, CSV, GEXF, GraphML), coalitions,
  polarisation, influence, stance changes, plan fit across versions.

Every query has a deadline and a row limit; SERVICE and LOAD are refused.
"""


#: Seconds the remote store's HTTP client waits past the query deadline.
_REMOTE_GRACE_S = 1.0


def _open(settings: Settings):
    if settings.endpoint:
        # the runner's deadline decides; the HTTP client waits a little longer so that a late answer is
        # always reported as the deadline (503), never as a gateway timeout (502)
        store = open_store(
            endpoint=settings.endpoint,
            timeout=settings.query_timeout + _REMOTE_GRACE_S,
            **settings.remote_options(),  # type: ignore[arg-type]
        )
        return store, ThreadRunner(store), True
    store = open_store(settings.store)
    return store, ProcessRunner(settings.store, workers=settings.workers), False


def _fill(store, settings: Settings) -> None:
    if settings.load_bundled and not settings.endpoint and store.counts().quads == 0:
        from stancegraph.graph import load_bundled

        load_bundled(store)
        _log.info("loaded the bundled data set into %s", settings.store)
    store.flush()  # so that the workers' read-only views see the bundled data


def base_url(settings: Settings) -> str:
    """The URL clients on this machine reach the service at (a wildcard interface as loopback)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(settings.host, settings.host)
    return f"http://{f'[{host}]' if ':' in host else host}:{settings.port}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application.

    Parameters
    ----------
    settings : Settings, optional
        Defaults to ``Settings()``: the environment (``STANCEGRAPH_*``) and the defaults.

    Returns
    -------
    fastapi.FastAPI
        With ``app.state.settings`` set; ``app.state.services`` exists while the app runs.
    """
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store, runner, remote = await asyncio.to_thread(_open, settings)
        try:
            await asyncio.to_thread(_fill, store, settings)
            await runner.start()
            app.state.services = Services(store, runner, remote)
            if not remote:
                await asyncio.to_thread(record_service, settings.store, base_url(settings))
            yield
        finally:
            app.state.services = None
            if not remote:
                await asyncio.to_thread(remove_service_record, settings.store)
            await runner.close()
            store.close()

    app = FastAPI(
        title="stancegraph",
        version="0.1.0",
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.services = None

    def openapi() -> dict[str, Any]:
        # the routes declare their errors with problems.responses(); their schema is added once here
        if app.openapi_schema is None:
            app.openapi_schema = problems.document(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    problems.install(app)
    app.include_router(sparql.router)
    app.include_router(rest.router)
    app.include_router(analysis.router)
    app.include_router(viz.router)
    app.include_router(report.router)
    app.include_router(pages.router)
    from importlib import resources

    # Swagger UI 5 from the fastapi-offline package: only its files (/docs is our own page, pages.py)
    swagger_ui = resources.files("fastapi_offline") / "static"
    app.mount("/static/swagger", StaticFiles(directory=str(swagger_ui)), name="swagger")
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("stancegraph.api.service") / "static")),
        name="static",
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=settings.cors_credentials,
            allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
        )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, timeout=settings.body_timeout)
    app.add_middleware(SendTimeout, timeout=settings.send_timeout)
    from stancegraph.api.service.headers import AllowedHosts, SecurityHeaders, accepted_hosts

    # outermost: every answer (a refused host, a 413 ...) gets the headers; the host is checked first
    app.add_middleware(AllowedHosts, hosts=accepted_hosts(settings))
    app.add_middleware(SecurityHeaders, embeddable=("/viz/",))
    return app


def app_from_environment() -> FastAPI:
    """The app configured from ``STANCEGRAPH_*`` environment variables (for ``uvicorn --factory``)."""
    return create_app(Settings())

"""``stancegraph serve``: the SPARQL endpoint, the REST API and the pages, with every limit as a flag."""

from __future__ import annotations

__all__ = ["serve_app"]

from typing import Annotated

import typer

from stancegraph.api.cli.context import StoreChoice, opened_store, say

serve_app = typer.Typer()


@serve_app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Interface to listen on [127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port [8000].")] = None,
    token: Annotated[
        str | None,
        typer.Option(envvar="STANCEGRAPH_TOKEN", show_envvar=True, help="Bearer token that allows writes."),
    ] = None,
    timeout: Annotated[float | None, typer.Option(help="Deadline of each query in seconds [10].")] = None,
    max_rows: Annotated[int | None, typer.Option(help="Most rows a query may return [100000].")] = None,
    max_body: Annotated[int | None, typer.Option(help="Largest request body in bytes [10 MiB].")] = None,
    workers: Annotated[int | None, typer.Option(help="Query worker processes [2].")] = None,
    cors_origin: Annotated[list[str] | None, typer.Option(help="CORS origin (repeatable).")] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Host name the service answers to besides the loopback names and --host (repeatable)."
        ),
    ] = None,
    load_bundled: Annotated[bool, typer.Option(help="Load the bundled data into an empty store.")] = True,
    max_result_bytes: Annotated[int | None, typer.Option(help="Largest answer in bytes [64 MiB].")] = None,
    max_term_bytes: Annotated[int | None, typer.Option(help="Largest single term in bytes [1 MiB].")] = None,
    max_depth: Annotated[int | None, typer.Option(help="Deepest bracket nesting of a request [200].")] = None,
    body_timeout: Annotated[float | None, typer.Option(help="Seconds to send a request body [30].")] = None,
    send_timeout: Annotated[
        float | None, typer.Option(help="Seconds a client may leave an answer unread [30].")
    ] = None,
    csv_formula_guard: Annotated[
        bool | None,
        typer.Option(
            "--csv-formula-guard/--no-csv-formula-guard",
            help="Prefix CSV cells that start with = + - @ with ' [on].",
        ),
    ] = None,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the landing page (http://127.0.0.1:8000)."""
    import uvicorn

    from stancegraph.api.service.app import create_app
    from stancegraph.api.service.settings import Settings

    choice: StoreChoice = ctx.obj
    given = {
        "host": host,
        "port": port,
        "token": token,
        "query_timeout": timeout,
        "max_rows": max_rows,
        "max_body_bytes": max_body,
        "workers": workers,
        "cors_origins": cors_origin,
        "allowed_hosts": allowed_host,
        "max_result_bytes": max_result_bytes,
        "max_term_bytes": max_term_bytes,
        "max_depth": max_depth,
        "body_timeout": body_timeout,
        "send_timeout": send_timeout,
        "csv_formula_guard": csv_formula_guard,
        "endpoint": choice.endpoint,
        "store": choice.location,
        "server": choice.server,
        "update_url": choice.update_url,
        "store_url": choice.store_url,
        "chunk_size": choice.chunk_size,
        "query_method": choice.query_method if choice.endpoint else None,
    }
    settings = Settings(load_bundled=load_bundled, **{k: v for k, v in given.items() if v is not None})
    if not settings.endpoint:  # a locked or unreadable folder is a one-line error, not uvicorn's traceback
        with opened_store(ctx, holds=True):
            pass
    where = settings.endpoint or settings.store
    say(
        f"serving {where} on http://{settings.host}:{settings.port} "
        f"({'writes with the bearer token' if settings.token else 'read-only: --token allows writes'})"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        server_header=False,  # the app sends Server: stancegraph (api/service/headers.py)
    )

"""The ``stancegraph`` command line: thin commands over :mod:`stancegraph.graph`.

The store is chosen by ``--store PATH`` (an on-disk Oxigraph folder) or ``--endpoint URL`` (any SPARQL 1.1
server, with ``--server``, ``--update-url``, ``--store-url``, ``--chunk-size`` and ``--query-method`` where
needed), or the matching ``STANCEGRAPH_*`` environment variables; by default the folder ``.stancegraph/store``
in the current directory, so each project keeps its own graph.
"""

from __future__ import annotations

__all__ = ["app", "main", "DEFAULT_STORE"]

import sys
from pathlib import Path
from typing import Annotated

import typer

from stancegraph.api.cli.analysis import analysis_app
from stancegraph.api.cli.catalogue import catalogue_app
from stancegraph.api.cli.context import DEFAULT_STORE, StoreChoice, say
from stancegraph.api.cli.data import data_app
from stancegraph.api.cli.questions import questions_app
from stancegraph.api.cli.reports import reports_app
from stancegraph.api.cli.serve import serve_app
from stancegraph.graph import errors
from stancegraph.graph.store import QueryMethod, ServerKind

app = typer.Typer(
    name="stancegraph",
    help="Who stands where: a knowledge graph of actors, demands, plans and the stances that link them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(data_app)  # init, load, validate, export, info, synth (api/cli/data.py)
app.add_typer(questions_app)  # query, who, stances, positions, plan-fit, ask, render (api/cli/questions.py)
app.add_typer(reports_app)  # report (api/cli/reports.py)
app.add_typer(analysis_app)  # network, coalitions, polarisation, ... (api/cli/analysis.py)
app.add_typer(serve_app)  # serve (api/cli/serve.py)
app.add_typer(catalogue_app)  # actors, targets, sources (api/cli/catalogue.py)


@app.callback()
def _options(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            envvar="STANCEGRAPH_STORE",
            help="Folder of the embedded store.",
            show_default=str(DEFAULT_STORE),
        ),
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            envvar="STANCEGRAPH_ENDPOINT",
            help="Query URL of a SPARQL 1.1 server (Virtuoso: http://host:8890/sparql), or the base URL of a "
            "known one (Oxigraph: http://host:7878), instead of the folder.",
        ),
    ] = None,
    server: Annotated[
        ServerKind | None,
        typer.Option(
            "--server",
            envvar="STANCEGRAPH_SERVER",
            case_sensitive=False,
            help="Which server --endpoint is [asked of the server].",
        ),
    ] = None,
    update_url: Annotated[
        str | None,
        typer.Option(
            "--update-url", envvar="STANCEGRAPH_UPDATE_URL", help="SPARQL Update URL, where not derived."
        ),
    ] = None,
    store_url: Annotated[
        str | None,
        typer.Option(
            "--store-url", envvar="STANCEGRAPH_STORE_URL", help="Graph Store URL, where not derived."
        ),
    ] = None,
    chunk_size: Annotated[
        int | None,
        typer.Option(
            "--chunk-size",
            envvar="STANCEGRAPH_CHUNK_SIZE",
            min=1,
            help="Quads per update request of a load [Oxigraph 50000, Virtuoso 500, other 10000].",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="STANCEGRAPH_TOKEN",
            help="Bearer token for writes: sent to --endpoint, or to the stancegraph service that holds "
            "--store.",
        ),
    ] = None,
    query_method: Annotated[
        QueryMethod,
        typer.Option(
            "--query-method",
            envvar="STANCEGRAPH_QUERY_METHOD",
            case_sensitive=False,
            help="auto: GET while short, form POST beyond; get; form; direct (not for Virtuoso).",
        ),
    ] = QueryMethod.AUTO,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            envvar="STANCEGRAPH_QUIET",
            help="No progress bars (they show only on a terminal).",
        ),
    ] = False,
) -> None:
    ctx.meta["quiet"] = quiet  # read by api/cli/progress.py
    remote = {"--server": server, "--update-url": update_url, "--store-url": store_url}
    remote |= {"--chunk-size": chunk_size}
    if query_method is not QueryMethod.AUTO:
        remote["--query-method"] = query_method
    if store is not None and endpoint is not None:
        raise typer.BadParameter("give --store or --endpoint, not both")
    given = [name for name, value in remote.items() if value is not None]
    if given and endpoint is None:
        raise typer.BadParameter(
            f"{', '.join(given)} describe a SPARQL server: give its URL with --endpoint (or "
            "STANCEGRAPH_ENDPOINT)"
        )
    ctx.obj = StoreChoice(
        None if endpoint else (store or DEFAULT_STORE),
        endpoint,
        server=server,
        update_url=update_url,
        store_url=store_url,
        chunk_size=chunk_size,
        query_method=query_method,
        token=token,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; library errors become a message on stderr and a non-zero exit code."""
    try:
        # without standalone mode, click returns the code of a typer.Exit rather than raising it
        code = app(args=argv, standalone_mode=False)
    except errors.ValidationError as exc:
        say(f"error: {exc}")
        return 1
    except errors.StanceGraphError as exc:
        say(f"error: {exc}")
        return 2
    except (ValueError, OSError) as exc:
        say(f"error: {exc}")
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        say("aborted")
        return 1
    except typer.TyperException as exc:  # usage errors: a missing argument, an unknown option
        show = getattr(exc, "show", None)
        if show is None:
            raise
        show()
        return getattr(exc, "exit_code", 2)
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())

"""The ``stancegraph`` command line: thin commands over :mod:`stancegraph.graph`.

The store is chosen by ``--store PATH`` (an on-disk Oxigraph folder) or ``--endpoint URL`` (any SPARQL 1.1
server), or the environment variables ``STANCEGRAPH_STORE`` / ``STANCEGRAPH_ENDPOINT``; by default the folder
``.stancegraph/store`` in the current directory, so each project keeps its own graph.
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
            help="URL of a SPARQL 1.1 server (Oxigraph: http://host:7878) instead of the folder.",
        ),
    ] = None,
) -> None:
    if store is not None and endpoint is not None:
        raise typer.BadParameter("give --store or --endpoint, not both")
    ctx.obj = StoreChoice(None if endpoint else (store or DEFAULT_STORE), endpoint)


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

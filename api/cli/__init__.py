"""The command line: typer commands that parse, call one library function and format the result.

``stancegraph`` (the console script) is :func:`main`; :mod:`~stancegraph.api.cli.commands` holds the
commands, :mod:`~stancegraph.api.cli.analysis` the analysis group, :mod:`~stancegraph.api.cli.catalogue` the
lists of names (actors, targets, sources), :mod:`~stancegraph.api.cli.options` the
options they share and :mod:`~stancegraph.api.cli.output` the tables, JSON and CSV they print.
"""

from stancegraph.api.cli.commands import app, main

__all__ = ["app", "main"]

"""Progress on long commands: a bar on stderr while a command works, shown only on a terminal and never
with the global ``--quiet``.

A command names its steps (``reading the stances``, ``building the network``, ...) and moves on with
:meth:`Progress.next`, or counts known work (the rows of ``synth``) with :meth:`Progress.advance`. The bar
is drawn by rich, refreshed from its own thread, so a long step still shows its spinner and elapsed time;
it leaves nothing behind on the terminal when the command ends (``load`` shows its rows and quads with
tqdm, from the ingestion pipeline).
"""

from __future__ import annotations

__all__ = ["Progress", "progress", "showing"]

import contextlib
import sys
from collections.abc import Iterator

import typer
from rich import progress as bars
from rich.console import Console


def showing(ctx: typer.Context) -> bool:
    """Whether this command shows progress: stderr is a terminal and ``--quiet`` was not given."""
    return not ctx.meta.get("quiet", False) and sys.stderr.isatty()


class Progress:
    """The bar of one command: its steps, or a count of its units of work."""

    def __init__(self, bar: bars.Progress | None, task: bars.TaskID | None, steps: tuple[str, ...]) -> None:
        self._bar, self._task, self._steps, self._done = bar, task, steps, 0

    def next(self) -> None:
        """The current step is done; the bar names the next one."""
        self._done += 1
        if self._bar is not None and self._task is not None:
            following = self._steps[min(self._done, len(self._steps) - 1)]
            self._bar.update(self._task, completed=self._done, description=following)

    def advance(self, units: int) -> None:
        """``units`` more of the work are done."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, units)


@contextlib.contextmanager
def progress(ctx: typer.Context, *steps: str, total: int | None = None, unit: str = "") -> Iterator[Progress]:
    """A progress bar for the duration of a command's work: over ``steps`` (one description each), or over
    ``total`` units of work described by the one step given. Nothing is drawn unless :func:`showing`."""
    if not steps:
        raise ValueError("progress() needs the description of at least one step")
    if not showing(ctx):
        yield Progress(None, None, steps)
        return
    count = (
        bars.MofNCompleteColumn()
        if total is None
        else bars.TextColumn(f"{{task.completed:,}}/{{task.total:,}} {unit}")
    )
    bar = bars.Progress(
        bars.SpinnerColumn(),
        bars.TextColumn("{task.description}"),
        bars.BarColumn(),
        count,
        bars.TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    with bar:
        task = bar.add_task(steps[0], total=len(steps) if total is None else total)
        yield Progress(bar, task, steps)

"""Discourse networks over time: moving time windows and kernel smoothing, as in DNA.

A window of ``size`` units (days, weeks, months or years) has its mid-point advance one unit at a time
from the first date of the data; it is emitted only where it fits inside the data's date range, so every
window holds a full period of statements. Without a kernel a window keeps the statements dated within
``[mid - h, mid + h]`` with h = round((size - 1) / 2) units (DNA's rule: an odd size spans exactly
``size`` units, an even one ``size + 1``). With a kernel, h = size / 2 (the size must be even) and
statements are weighted by their distance from the mid-point instead of being cut:
u = 2 (mid - t) / size, t - mid counted in whole units elapsed, and

=============  ============================
uniform        1/2 for abs(u) <= 1
epanechnikov   0.75 (1 - u^2) for abs(u) <= 1
triangular     1 - abs(u) for abs(u) <= 1
gaussian       exp(-u^2 / 2) / sqrt(2 pi), every statement of the range
=============  ============================

A kernel-weighted two-mode cell sums the weights z of its statements; a one-mode tie weighs each pair
of statements by sqrt(z z') (DNA's kernel networks), and ``average`` normalisation divides by the mean
kernel-weighted activity, so a uniform kernel gives the plain window's normalised network. (DNA's Java
code writes the epanechnikov and triangular kernels as 0.75 (1 - u)^2 and abs(1 - u), and scales its
kernel ``average`` networks differently; we use the definitions above.)

References
----------
Leifeld, P. (2017). Discourse network analysis: policy debates as dynamic networks. In *The Oxford
Handbook of Political Networks*, 301-325 (time windows). The DNA manual, "time window" and kernel
smoothing options of network export.
"""

from __future__ import annotations

__all__ = ["TimeUnit", "Kernel", "WindowedNetwork", "time_windows", "kernel_weight", "shift_date"]

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from stancegraph.graph.analysis.network_matrices import plan_statements
from stancegraph.graph.analysis.network_options import (
    ONE_MODE,
    TWO_MODE,
    Aggregation,
    NetworkOptions,
    Normalization,
    parse_choice,
)
from stancegraph.graph.analysis.networks import Network, network_from_plan
from stancegraph.graph.analysis.statements_table import Statements


class TimeUnit(StrEnum):
    """The unit of a window's size and of its mid-point's steps."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class Kernel(StrEnum):
    """Kernel functions for smoothing a time slice."""

    UNIFORM = "uniform"
    GAUSSIAN = "gaussian"
    EPANECHNIKOV = "epanechnikov"
    TRIANGULAR = "triangular"


@dataclass(frozen=True, eq=False)
class WindowedNetwork:
    """One time slice: its mid-point, the first and last date whose statements count, and the network."""

    mid: dt.date
    start: dt.date
    end: dt.date
    network: Network


def kernel_weight(kernel: Kernel | str, u: Any) -> np.ndarray:
    """The kernel's weight at standardised distance ``u`` = 2 (mid - t) / size.

    Examples
    --------
    >>> kernel_weight("epanechnikov", [0.0, 0.5, 1.0, 1.5]).tolist()
    [0.75, 0.5625, 0.0, 0.0]
    >>> kernel_weight("triangular", [-0.5]).tolist(), kernel_weight("uniform", [1.0]).tolist()
    ([0.5], [0.5])
    """
    kernel = parse_choice(Kernel, kernel, "kernel")
    u = np.asarray(u, dtype=float)
    inside = np.abs(u) <= 1.0
    if kernel is Kernel.GAUSSIAN:
        return np.exp(-0.5 * u * u) / np.sqrt(2.0 * np.pi)
    if kernel is Kernel.UNIFORM:
        return np.where(inside, 0.5, 0.0)
    if kernel is Kernel.EPANECHNIKOV:
        return np.where(inside, 0.75 * (1.0 - u * u), 0.0)
    return np.where(inside, 1.0 - np.abs(u), 0.0)


def shift_date(day: dt.date, unit: TimeUnit | str, n: int) -> dt.date:
    """``day`` moved by ``n`` units; months and years keep the day of the month where it exists and
    otherwise take the month's last day (31 January + 1 month = 28 or 29 February).

    Examples
    --------
    >>> shift_date(dt.date(2024, 1, 31), "months", 1), shift_date(dt.date(2024, 2, 29), "years", -1)
    (datetime.date(2024, 2, 29), datetime.date(2023, 2, 28))
    """
    unit = parse_choice(TimeUnit, unit, "unit")
    if unit is TimeUnit.DAYS:
        return day + dt.timedelta(days=n)
    if unit is TimeUnit.WEEKS:
        return day + dt.timedelta(weeks=n)
    months = day.year * 12 + day.month - 1 + (n if unit is TimeUnit.MONTHS else 12 * n)
    year, month = divmod(months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _elapsed(dates: np.ndarray, mid: dt.date, unit: TimeUnit) -> np.ndarray:
    """Whole units from each date to ``mid`` (mid - t), truncated toward zero like java.time."""
    days = (np.datetime64(mid, "D") - dates).astype(np.int64)
    if unit is TimeUnit.DAYS:
        return days
    if unit is TimeUnit.WEEKS:
        return np.trunc(days / 7).astype(np.int64)
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    total = (mid.year * 12 + mid.month) - (years * 12 + months)
    total = total - ((total > 0) & (mid.day < day_of_month)) + ((total < 0) & (mid.day > day_of_month))
    return total if unit is TimeUnit.MONTHS else np.trunc(total / 12).astype(np.int64)


def _check_kernel(options: NetworkOptions, size: int) -> None:
    if size % 2:
        raise ValueError(
            f"kernel smoothing needs an even size (size/2 whole units each side of the "
            f"mid-point); size={size} is odd: use {size + 1}"
        )
    if options.aggregation is Aggregation.COMBINE:
        raise ValueError(
            "aggregation='combine' has no kernel-weighted form; valid with a kernel: 'ignore', 'subtract'"
        )
    valid = (
        (Normalization.NO, Normalization.AVERAGE)
        if options.mode == ONE_MODE
        else (Normalization.NO, Normalization.ACTIVITY, Normalization.PROMINENCE)
    )
    if options.normalization not in valid:
        raise ValueError(
            f"normalization={options.normalization.value!r} has no kernel-weighted form for "
            f"{options.mode} networks; valid: {', '.join(repr(v.value) for v in valid)}"
        )


def time_windows(
    statements: Statements,
    *,
    size: int,
    unit: TimeUnit | str = TimeUnit.DAYS,
    kernel: Kernel | str | None = None,
    mode: str = ONE_MODE,
    isolates: bool = True,
    **options: Any,
) -> tuple[WindowedNetwork, ...]:
    """A network per time window, mid-points one unit apart (DNA's time window networks).

    Filters and duplicate removal apply once over the whole range before the windows are cut, as in
    DNA. With ``isolates=True`` (the default here) every window has the same rows and columns: the
    actors and targets of the whole data set.

    Parameters
    ----------
    statements : Statements
    size : int
        The window's length in ``unit`` (>= 1; even with a kernel).
    unit : {'days', 'weeks', 'months', 'years'}
    kernel : {'uniform', 'gaussian', 'epanechnikov', 'triangular'}, optional
        Weight statements by their distance from the mid-point instead of cutting at the window's edges.
    mode : {'one-mode', 'two-mode'}
    isolates : bool
        Keep every actor and target in every window (a fixed matrix shape).
    **options
        Network options as in :func:`stancegraph.graph.analysis.networks.one_mode` / ``two_mode``
        (aggregation, normalization, qualifier, duplicates, start, end, filters). Kernel-smoothed
        networks take normalisation 'no' or 'average' (one-mode) / 'no', 'activity', 'prominence'
        (two-mode) and no 'combine'.

    Returns
    -------
    tuple of WindowedNetwork
        In time order; empty if no statement is left or the range is shorter than a window.

    Examples
    --------
    >>> st = Statements.from_records([
    ...     {"actor": "A", "target": "p", "stance": "endorses", "date": f"2025-11-{d:02d}"}
    ...     for d in (1, 2, 3, 4, 5)])
    >>> [(w.mid.day, w.start.day, w.end.day, w.network.n_statements)
    ...  for w in time_windows(st, size=3, mode="two-mode")]
    [(2, 1, 3, 3), (3, 2, 4, 3), (4, 3, 5, 3)]
    """
    if mode not in (ONE_MODE, TWO_MODE):
        raise ValueError(f"mode={mode!r} is not known; valid: {ONE_MODE!r}, {TWO_MODE!r}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size={size!r} must be a whole number of units >= 1")
    unit = parse_choice(TimeUnit, unit, "unit")
    kernel = None if kernel is None else parse_choice(Kernel, kernel, "kernel")
    options.setdefault("aggregation", Aggregation.IGNORE)
    options.setdefault("normalization", Normalization.NO)
    opts = NetworkOptions.build(statements, mode, isolates=isolates, **options)
    if kernel is not None:
        _check_kernel(opts, size)
    plan = plan_statements(statements, opts)
    rows = plan.kept
    if len(rows) == 0:
        return ()
    statements.require_dates(rows, "time windows")
    dates = plan.dates[rows]
    first, last = dates.min().astype(dt.date), dates.max().astype(dt.date)
    begin = max(first, opts.start) if opts.start else first
    finish = min(last, opts.end) if opts.end else last
    half = int(np.floor((size - 1) / 2 + 0.5)) if kernel is None else size // 2
    out = []
    step = 0
    while (mid := shift_date(begin, unit, step)) <= finish:
        step += 1
        lo, hi = shift_date(mid, unit, -half), shift_date(mid, unit, half)
        if lo < begin or hi > finish:
            continue
        if kernel is Kernel.GAUSSIAN:
            lo, hi = begin, finish
        inside = (dates >= np.datetime64(lo, "D")) & (dates <= np.datetime64(hi, "D"))
        if kernel is None:
            out.append(WindowedNetwork(mid, lo, hi, network_from_plan(plan, rows[inside])))
            continue
        z = kernel_weight(kernel, 2.0 * _elapsed(dates[inside], mid, unit) / size)
        keep = z > 0
        out.append(WindowedNetwork(mid, lo, hi, network_from_plan(plan, rows[inside][keep], z[keep])))
    return tuple(out)

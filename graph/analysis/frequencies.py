"""How many stances there are per target and stance type, per actor, per source, per day...: the counts
researchers tabulate before (or instead of) a network, read from the columnar stance table.

The stances counted are the selection of :func:`~stancegraph.graph.analysis.selection.statements_from_store`
(the same filters: plan, source, dates, actors, targets; a denied stance is left out unless
``include_denied``), and of those the ones the networks would count (their ``contested`` and
``min_confidence`` rule, :func:`~stancegraph.graph.analysis.network_options.stance_mask`). The counting
is one polars ``group_by`` on the columns asked for: no statements table is built, so on a million
stances it takes about as long as reading those columns.
"""

from __future__ import annotations

__all__ = ["stance_frequencies", "FREQUENCY_KEYS", "FrequencyFormat"]

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from stancegraph.graph.analysis.network_options import (
    Contested,
    parse_choice,
    parse_min_confidence,
    stance_mask,
)
from stancegraph.graph.analysis.selection import selected_rows
from stancegraph.graph.queries.stance_table import short_id_column
from stancegraph.graph.queries.stances import stance_name_column

if TYPE_CHECKING:
    import polars as pl

    from stancegraph.graph.store import Store

#: What stances can be counted by: nodes (short id and label), the stance type, the source, the day.
FREQUENCY_KEYS = ("actor", "person", "coder", "target", "stance", "document", "date")
_NODES = ("actor", "person", "coder", "target")


class FrequencyFormat(StrEnum):
    """How the counts are written (:func:`~stancegraph.graph.analysis.documents.frequencies_document`)."""

    JSON = "json"
    CSV = "csv"


def stance_frequencies(
    store: Store,
    by: Sequence[str] | str = ("target", "stance"),
    *,
    contested: Contested | str = Contested.INCLUDE,
    min_confidence: float | str = 0.0,
    plan: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    actors: Iterable[str] | str | None = None,
    targets: Iterable[str] | str | None = None,
    include_denied: bool = False,
) -> pl.DataFrame:
    """The number of stances for each combination of ``by`` that has any.

    Parameters
    ----------
    store : Store
    by : str or sequence of str, default ('target', 'stance')
        What to count by, from :data:`FREQUENCY_KEYS`; a comma-separated string is split.
    contested : {'include', 'exclude', 'only'}
        Which stances count by their contested status, as for the networks.
    min_confidence : float
        Count a stance whose confidence is at least this (an unknown one only at 0), as for the networks.
    plan, source, since, until, actors, targets, include_denied
        The selection, as for :func:`~stancegraph.graph.analysis.selection.statements_from_store`.

    Returns
    -------
    polars.DataFrame
        One row per combination: a node as its short id (``actor``) and its ``skos:prefLabel``
        (``actor_label``, null when it has none), the stance type by name (``endorses``), the source by
        its short id, the day as a date; then ``stances``, the count. Most stances first, ties in the
        order of the keys.

    Raises
    ------
    ValueError
        A key that is not one of :data:`FREQUENCY_KEYS`, or a bad ``contested`` / ``min_confidence``.
    UnknownEntityError, AmbiguousNameError
        A plan, source, actor or target name that matches no node, or several.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> counts = stance_frequencies(store, by="stance")
    >>> dict(counts.select("stance", "stances").iter_rows())
    {'endorses': 39, 'rejects': 20, 'demands': 11, 'neutral': 5}
    """
    import numpy as np
    import polars as pl

    keys = _keys(by)
    which = parse_choice(Contested, contested, "contested")
    threshold = parse_min_confidence(min_confidence)
    rows = selected_rows(
        store,
        plan=plan,
        source=source,
        since=since,
        until=until,
        actors=actors,
        targets=targets,
        include_denied=include_denied,
    )
    if which is not Contested.INCLUDE or threshold > 0:
        counted = stance_mask(
            rows["contested"].to_numpy(),
            rows["confidence"].fill_null(np.nan).to_numpy(),
            which=which,
            min_confidence=threshold,
        )
        rows = rows.filter(pl.Series(counted))
    # grouped by IRIs (one group per node, whatever its label); names are made per group, not per row
    grouped = rows.group_by(["type" if key == "stance" else key for key in keys]).agg(
        *(pl.col(f"{key}_label").first() for key in keys if key in _NODES),
        pl.len().cast(pl.Int64).alias("stances"),
    )
    columns = []
    for key in keys:
        if key in _NODES:
            columns += [short_id_column(key).alias(key), pl.col(f"{key}_label")]
        elif key == "stance":
            columns.append(stance_name_column("type").alias("stance"))
        else:
            columns.append(pl.col(key))
    named = grouped.select(*columns, "stances")
    order = [name for name in named.columns if name != "stances"]
    return named.sort(["stances", *order], descending=[True] + [False] * len(order), nulls_last=True)


def _keys(by: Sequence[str] | str) -> list[str]:
    keys = [key.strip() for key in by.split(",")] if isinstance(by, str) else list(by)
    unknown = [key for key in keys if key not in FREQUENCY_KEYS]
    if unknown or not keys or len(set(keys)) != len(keys):
        raise ValueError(
            f"by={by!r}: count by one or more of {', '.join(FREQUENCY_KEYS)}, each once "
            "(e.g. by='target,stance')"
        )
    return keys

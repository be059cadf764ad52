"""Alignment analysis on the store: select the stances, build the network, hand it out as text.

The CLI and the REST API call these, so both give the same numbers as a notebook that calls
:func:`~stancegraph.graph.analysis.selection.statements_from_store` and the network functions itself. The
selection options (``plan``, ``source``, ``since``, ``until``, ``actors``, ``targets``, ``labels``) are
those of :func:`~stancegraph.graph.analysis.selection.statements_from_store`; the other options go to the
network functions.
"""

from __future__ import annotations

__all__ = [
    "NetworkType",
    "NetworkFormat",
    "NETWORK_FORMATS",
    "SELECTION_OPTIONS",
    "build_network",
    "network_text",
    "network_document",
    "store_coalitions",
    "store_polarisation",
    "store_reliability",
    "influence_document",
    "frequencies_document",
]

import csv
import dataclasses
import io
import json
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from stancegraph.graph.analysis.networks import ONE_MODE, TWO_MODE, Network
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.readwrite.csv_cells import spreadsheet_safe
from stancegraph.graph.readwrite.exports import network_graph, windowed_graph, write_graph

if TYPE_CHECKING:
    from stancegraph.graph.analysis.coalitions import Coalitions
    from stancegraph.graph.analysis.polarisation import Polarisation
    from stancegraph.graph.analysis.reliability import Reliability
    from stancegraph.graph.analysis.statements_table import Statements
    from stancegraph.graph.analysis.windows import WindowedNetwork
    from stancegraph.graph.store import Store


class NetworkType(StrEnum):
    """One-mode (actor x actor, tied through shared targets) or two-mode (actor x target) network."""

    ONE_MODE = "onemode"
    TWO_MODE = "twomode"


class NetworkFormat(StrEnum):
    """A network as text: the CSV matrix (or node and edge tables), Cytoscape.js JSON, GEXF or GraphML."""

    CSV = "csv"
    JSON = "json"
    GEXF = "gexf"
    GRAPHML = "graphml"


#: What :func:`network_text` writes (the values of :class:`NetworkFormat`).
NETWORK_FORMATS = tuple(f.value for f in NetworkFormat)
#: The options that select stances from the store.
SELECTION_OPTIONS = ("plan", "source", "since", "until", "actors", "targets", "labels")
_MODES = {
    NetworkType.ONE_MODE.value: ONE_MODE,
    ONE_MODE: ONE_MODE,
    NetworkType.TWO_MODE.value: TWO_MODE,
    TWO_MODE: TWO_MODE,
}


def _split(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    selection = {k: options.pop(k) for k in SELECTION_OPTIONS if k in options}
    return selection, options


def build_network(
    statements: Statements,
    *,
    mode: str = ONE_MODE,
    window: int | None = None,
    unit: str = "days",
    kernel: str | None = None,
    min_weight: float | None = None,
    backbone: float | None = None,
    **options: Any,
) -> Network | tuple[WindowedNetwork, ...]:
    """A one- or two-mode network of ``statements``, or one per time window if ``window`` is given.

    Parameters
    ----------
    statements : Statements
    mode : {'one-mode', 'two-mode'} or NetworkType (also 'onemode', 'twomode')
    window : int, optional
        Window size in ``unit`` (see :func:`stancegraph.graph.analysis.time_windows`), with ``kernel``.
    min_weight, backbone : float, optional
        Keep only the cells of at least this absolute value, then only the disparity backbone at this
        significance level (:mod:`stancegraph.graph.analysis.backbone`); in each window if windowed.
    **options
        Network options (aggregation, normalization, qualifier, duplicates, actor_variable, ...).
    """
    from stancegraph.graph.analysis.backbone import thin
    from stancegraph.graph.analysis.networks import one_mode, two_mode
    from stancegraph.graph.analysis.windows import time_windows

    if mode not in _MODES:
        raise ValueError(
            f"mode={mode!r} is not known; valid: {', '.join(repr(t.value) for t in NetworkType)}"
        )
    mode = _MODES[mode]
    thinning = {"min_weight": min_weight, "backbone": backbone}
    if window is not None:
        windows = time_windows(statements, size=window, unit=unit, kernel=kernel, mode=mode, **options)
        return tuple(dataclasses.replace(w, network=thin(w.network, **thinning)) for w in windows)
    if kernel is not None:
        raise ValueError("a kernel smooths time windows; give a window size too")
    return thin((one_mode if mode == ONE_MODE else two_mode)(statements, **options), **thinning)


def _windows_csv(windows: tuple[WindowedNetwork, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["mid", "start", "end", "row", "column", "value"])
    for w in windows:
        coo = w.network.matrix.tocoo()
        cells = sorted(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
        for r, c, v in cells:
            writer.writerow(
                [
                    w.mid.isoformat(),
                    w.start.isoformat(),
                    w.end.isoformat(),
                    spreadsheet_safe(str(w.network.row_labels[r])),
                    spreadsheet_safe(str(w.network.column_labels[c])),
                    int(v) if v == int(v) else repr(v),
                ]
            )
    return out.getvalue()


def network_text(result: Network | tuple[WindowedNetwork, ...], format: str) -> str:
    """A network (or windows) as text.

    ``csv`` writes the labelled matrix of :meth:`Network.to_csv` (header: an empty cell, then the column
    labels; a row per node; sorted labels); for windows, one line per nonzero cell: ``mid, start, end,
    row, column, value``. Labels a spreadsheet would run as formulas get a leading ``'``
    (:func:`~stancegraph.graph.readwrite.csv_cells.spreadsheet_safe`). ``json`` (Cytoscape.js), ``gexf`` and
    ``graphml`` write the graph of
    :func:`~stancegraph.graph.readwrite.exports.network_graph` or, for windows, the dynamic graph of
    :func:`~stancegraph.graph.readwrite.exports.windowed_graph`.
    """
    if format not in NETWORK_FORMATS:
        raise ValueError(f"format={format!r} is not known; valid: {', '.join(NETWORK_FORMATS)}")
    windowed = not isinstance(result, Network)
    if format == "csv":
        if windowed:
            return _windows_csv(result)
        out = io.StringIO()
        result.to_csv(out)
        return out.getvalue()
    graph = windowed_graph(result) if windowed else network_graph(result)
    return write_graph(graph, format)


def network_document(store: Store, *, format: str = "json", mode: str = ONE_MODE, **options: Any) -> str:
    """The network of the store's stances as text: :func:`statements_from_store` with the selection
    options, :func:`build_network` with the rest, :func:`network_text` in ``format``.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> text = network_document(store, format="csv", plan="us-28", aggregation="congruence")
    >>> text.splitlines()[0]
    ',E3,France,Germany,Russia,United Kingdom,United States'
    """
    selection, rest = _split(dict(options))
    return network_text(build_network(statements_from_store(store, **selection), mode=mode, **rest), format)


def store_coalitions(store: Store, **options: Any) -> Coalitions:
    """:func:`stancegraph.graph.analysis.coalitions` of the store's stances (selection options as in
    :func:`statements_from_store`, the rest as in ``coalitions``)."""
    from stancegraph.graph.analysis.coalitions import coalitions

    selection, rest = _split(dict(options))
    return coalitions(statements_from_store(store, **selection), **rest)


def store_reliability(store: Store, **options: Any) -> Reliability:
    """:func:`stancegraph.graph.analysis.reliability.reliability` of the store's stances (selection options
    as in :func:`statements_from_store`, then ``level``)."""
    from stancegraph.graph.analysis.reliability import reliability

    selection, rest = _split(dict(options))
    return reliability(statements_from_store(store, **selection), **rest)


def store_polarisation(store: Store, **options: Any) -> Polarisation:
    """:func:`stancegraph.graph.analysis.polarisation.polarisation` of the store's stances; the partition is a
    plain dict, so the result pickles (the API runs it in a worker process)."""
    from stancegraph.graph.analysis.polarisation import polarisation

    selection, rest = _split(dict(options))
    result = polarisation(statements_from_store(store, **selection), **rest)
    return dataclasses.replace(result, partition=dict(result.partition))


def influence_document(store: Store, *, format: str = "json", **options: Any) -> str:
    """The influence graph (:func:`stancegraph.graph.analysis.influence`) as Cytoscape.js JSON, GEXF,
    GraphML or CSV tables (``csv``: the node table, a blank line, the edge table)."""
    from stancegraph.graph.analysis.influence import influence
    from stancegraph.graph.readwrite.exports import to_csv_tables

    graph = influence(store, **options)
    if format == "csv":
        nodes, edges = to_csv_tables(graph)
        return nodes + "\n" + edges
    return write_graph(graph, format)


def frequencies_document(store: Store, *, format: str = "json", **options: Any) -> str:
    """The stance counts (:func:`~stancegraph.graph.analysis.frequencies.stance_frequencies`, with its
    options) as JSON (a list of objects, dates as ``YYYY-MM-DD``) or CSV (a cell a spreadsheet would run
    as a formula gets a leading ``'``).

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> print(frequencies_document(store, format="csv", by="stance"))
    stance,stances
    endorses,39
    rejects,20
    demands,11
    neutral,5
    <BLANKLINE>
    """
    import polars as pl

    from stancegraph.graph.analysis.frequencies import stance_frequencies

    if format not in ("json", "csv"):
        raise ValueError(f"format={format!r}: the counts are written as json or csv")
    counts = stance_frequencies(store, **options)
    if format == "json":
        return json.dumps(counts.with_columns(pl.col(pl.Date).cast(pl.String)).to_dicts(), ensure_ascii=False)
    text = pl.col(pl.String).map_elements(spreadsheet_safe, return_dtype=pl.String)
    return counts.with_columns(text).write_csv()

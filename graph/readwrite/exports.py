"""Networks for other tools: GEXF 1.2 (Gephi), GraphML, CSV node and edge tables, Cytoscape.js JSON.

:func:`network_graph` turns a :class:`~stancegraph.graph.analysis.Network` into a networkx graph with a
``label`` and ``kind`` per node and a ``weight`` per edge; :func:`windowed_graph` folds a sequence of
time windows (:func:`~stancegraph.graph.analysis.windows.time_windows`) into one graph whose edges carry the
windows they appear in as GEXF spells (``start`` / ``end``, ISO dates) and their value in each window as
a dynamic attribute, so Gephi's timeline plays the network over time.

The writers take any networkx graph (the influence graph too). Formats differ in what a value may be:
GEXF keeps lists of ``(value, start, end)`` as dynamic attributes; GraphML and CSV have one scalar per
cell, so list and tuple values are joined with ``"; "`` (spells as ``start/end``) and missing values
are left out. Every writer returns text; :func:`write_graph` picks the format by name.

References
----------
GEXF 1.2 draft, https://gexf.net/schema.html (spells and dynamic attributes). GraphML,
http://graphml.graphdrawing.org/. Cytoscape.js elements JSON, https://js.cytoscape.org/#notation/elements-json.
"""

from __future__ import annotations

__all__ = [
    "GRAPH_FORMATS",
    "network_graph",
    "windowed_graph",
    "to_gexf",
    "to_graphml",
    "to_cytoscape_json",
    "to_csv_tables",
    "write_graph",
]

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stancegraph.graph.readwrite.csv_cells import spreadsheet_safe

if TYPE_CHECKING:
    import networkx as nx

    from stancegraph.graph.analysis.networks import Network
    from stancegraph.graph.analysis.windows import WindowedNetwork

#: The graph formats :func:`write_graph` writes.
GRAPH_FORMATS = ("gexf", "graphml", "json")


def network_graph(network: Network, *, weight: str = "weight") -> nx.Graph:
    """The network as a networkx graph: nodes with ``label`` and ``kind``, edges with ``weight``.

    Examples
    --------
    >>> from stancegraph.graph.analysis.statements_table import Statements
    >>> from stancegraph.graph.analysis.networks import one_mode
    >>> st = Statements.from_records([{"actor": a, "target": "p", "stance": "endorses"} for a in "AB"])
    >>> g = network_graph(one_mode(st))
    >>> dict(g.nodes["A"]), g.edges["A", "B"]["weight"]
    ({'kind': 'actor', 'label': 'A'}, 1.0)
    """
    graph = network.to_networkx(weight=weight)
    for node, data in graph.nodes(data=True):
        data["label"] = str(node)
    options = network.options
    graph.graph.update(
        mode=options.mode,
        aggregation=options.aggregation.value,
        normalization=options.normalization.value,
        qualifier=options.qualifier.value,
        statements=network.n_statements,
    )
    return graph


def windowed_graph(windows: Sequence[WindowedNetwork], *, weight: str = "weight") -> nx.Graph:
    """One graph over all time windows, for Gephi's timeline.

    Every node and edge of any window is present once. An edge's ``spells`` list the windows
    ``(start, end)`` in which it has a nonzero value, ``value`` holds ``(value, start, end)`` per such
    window (a dynamic GEXF attribute), and ``weight`` is its largest absolute value over the windows
    (with its sign), so layouts that need a static weight have one. Window dates are ISO strings.

    Examples
    --------
    >>> from stancegraph.graph.analysis.statements_table import Statements
    >>> from stancegraph.graph.analysis.windows import time_windows
    >>> st = Statements.from_records([{"actor": a, "target": "p", "stance": "endorses",
    ...                                "date": f"2025-11-0{d}"} for a, d in (("A", 1), ("B", 2), ("C", 4))])
    >>> g = windowed_graph(time_windows(st, size=3))
    >>> g.edges["A", "B"]["spells"], g.edges["B", "C"]["spells"]
    ([('2025-11-01', '2025-11-03')], [('2025-11-02', '2025-11-04')])
    """
    import networkx as nx

    graph = nx.Graph()
    for window in windows:
        start, end = window.start.isoformat(), window.end.isoformat()
        snapshot = network_graph(window.network, weight=weight)
        graph.graph.update(snapshot.graph)
        for node, data in snapshot.nodes(data=True):
            graph.add_node(node, **data)
        for u, v, value in snapshot.edges(data=weight):
            if not graph.has_edge(u, v):
                graph.add_edge(u, v, spells=[], value=[])
            data = graph.edges[u, v]
            data["spells"].append((start, end))
            data["value"].append((float(value), start, end))
    for _, _, data in graph.edges(data=True):
        data[weight] = max((v for v, _, _ in data["value"]), key=abs)
    if windows:
        graph.graph.update(
            start=windows[0].start.isoformat(), end=windows[-1].end.isoformat(), windows=len(windows)
        )
    return graph


def _scalar(value: Any) -> Any:
    """A value GraphML, GEXF (static) and CSV can hold, or None to leave it out."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, list | tuple):
        parts = []
        for item in value:
            if isinstance(item, tuple) and len(item) == 3:  # (value, start, end)
                parts.append(f"{item[1]}/{item[2]}={item[0]}")
            elif isinstance(item, tuple) and len(item) == 2:  # a spell
                parts.append(f"{item[0]}/{item[1]}")
            else:
                parts.append(str(item))
        return "; ".join(parts)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _flattened(graph: nx.Graph, *, keep_dynamic: bool) -> nx.Graph:
    """A copy whose attributes are scalars (and, with ``keep_dynamic``, GEXF's lists and spells)."""
    flat = graph.__class__()

    def clean(data: dict) -> dict:
        out = {}
        for key, value in data.items():
            if keep_dynamic and key in ("spells", "start", "end"):
                out[key] = value
            elif (
                keep_dynamic
                and isinstance(value, list)
                and all(isinstance(v, tuple) and len(v) == 3 for v in value)
            ):
                out[key] = [(v[0], v[1], v[2]) for v in value]
            else:
                scalar = _scalar(value)
                if scalar is not None:
                    out[key] = scalar
        return out

    flat.graph.update({k: v for k, v in clean(graph.graph).items() if not isinstance(v, list)})
    flat.add_nodes_from((str(n), clean(d)) for n, d in graph.nodes(data=True))
    flat.add_edges_from((str(u), str(v), clean(d)) for u, v, d in graph.edges(data=True))
    return flat


def to_gexf(graph: nx.Graph) -> str:
    """GEXF 1.2 (``version="1.2draft"``), dynamic when edges carry spells or dynamic values.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("A", "B", weight=2.0, spells=[("2025-11-01", "2025-11-03")])
    >>> text = to_gexf(g)
    >>> 'mode="dynamic"' in text and 'timeformat="date"' in text
    True
    """
    import networkx as nx

    out = io.BytesIO()
    nx.write_gexf(_flattened(graph, keep_dynamic=True), out, version="1.2draft")
    return out.getvalue().decode("utf-8")


def to_graphml(graph: nx.Graph) -> str:
    """Plain GraphML (scalar attributes only: lists are joined with ``"; "``), as Gephi and yEd read it."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(_flattened(graph, keep_dynamic=False))) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def to_cytoscape_json(graph: nx.Graph) -> str:
    """Cytoscape.js elements JSON (``{"elements": {"nodes": [{"data": ...}], "edges": [...]}}``), as
    :func:`networkx.cytoscape_data` builds it; node ``id`` and ``name`` are the node's label."""
    import networkx as nx

    data = nx.cytoscape_data(graph)
    return json.dumps(_jsonable_tree(data), ensure_ascii=False, indent=1)


def _jsonable_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable_tree(v) for v in value]
    return _jsonable(value)


def to_csv_tables(graph: nx.Graph) -> tuple[str, str]:
    """Two CSV tables: the nodes (``id`` then every node attribute) and the edges (``source``,
    ``target`` then every edge attribute); attribute columns sorted, missing values empty. Text cells a
    spreadsheet would run as formulas get a leading ``'``
    (:func:`~stancegraph.graph.readwrite.csv_cells.spreadsheet_safe`); numbers are written as they are.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("A", "B", weight=2.0)
    >>> nodes, edges = to_csv_tables(g)
    >>> edges.splitlines()
    ['source,target,weight', 'A,B,2.0']
    >>> g.add_edge("A", "=HYPERLINK(x)", weight=-1.5)
    >>> to_csv_tables(g)[1].splitlines()[2]
    "A,'=HYPERLINK(x),-1.5"
    """
    flat = _flattened(graph, keep_dynamic=False)

    def table(head: list[str], rows: list[tuple[list, dict]]) -> str:
        columns = sorted({k for _, data in rows for k in data} - set(head))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([spreadsheet_safe(str(c)) for c in head + columns])
        for first, data in rows:
            cells = [*first, *("" if data.get(c) is None else data[c] for c in columns)]
            writer.writerow([spreadsheet_safe(c) if isinstance(c, str) else c for c in cells])
        return out.getvalue()

    nodes = table(["id"], [([n], d) for n, d in flat.nodes(data=True)])
    edges = table(["source", "target"], [([u, v], d) for u, v, d in flat.edges(data=True)])
    return nodes, edges


def write_graph(graph: nx.Graph, format: str) -> str:
    """The graph as text in ``format``: 'gexf', 'graphml' or 'json' (Cytoscape.js)."""
    writers = {"gexf": to_gexf, "graphml": to_graphml, "json": to_cytoscape_json}
    if format not in writers:
        raise ValueError(f"format={format!r} is not a graph format; valid: {', '.join(GRAPH_FORMATS)}")
    return writers[format](graph)

"""Static figures for print: the views as SVG or PNG (matplotlib), and an actor x point heat map.

Figures are drawn on a :class:`matplotlib.figure.Figure` with the Agg/SVG canvases (no pyplot, no global
state, no display needed), in the colours of :mod:`~stancegraph.graph.drawing.views`, with a legend,
and written
without timestamps so the same data gives the same SVG.
"""

from __future__ import annotations

__all__ = [
    "network_figure",
    "stance_heatmap",
    "plan_heatmap",
    "figure_bytes",
    "render_figure",
    "FORMATS",
    "FIGURE_VIEWS",
]

import textwrap
from io import BytesIO
from typing import TYPE_CHECKING, Any

from stancegraph.graph.drawing.views import EDGE_STYLES, NODE_STYLES, VIEWS, view_graph

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

    from stancegraph.graph.store import Store

FORMATS = ("svg", "png")
#: What :func:`render_figure` draws: the views, and the heat map that only exists as a figure.
FIGURE_VIEWS = (*VIEWS, "heatmap")
_HEAT_ORDER = ("rejects", "concedes", "neutral", "demands", "endorses", "ambivalent")


def _short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="\u2026")


def network_figure(
    graph: nx.Graph,
    *,
    title: str = "",
    size_by: str = "degree",
    labels: bool = True,
    width: float = 12.0,
    height: float = 9.0,
) -> Figure:
    """Draw a view graph (see :mod:`~stancegraph.graph.drawing.views`): node colour by kind, edge colour by
    stance or
    tie kind, edge width by weight, node area by degree or ``size_by``, with a legend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from stancegraph.graph.drawing.layouts import layout

    figure = Figure(figsize=(width, height), layout="constrained")
    ax = figure.add_subplot()
    ax.set_axis_off()
    pos = layout(graph)
    pos = {n: (x, -y) for n, (x, y) in pos.items()}  # screen y grows downwards, plot y upwards
    if size_by == "degree":
        raw = dict(graph.degree())
    else:
        raw = {n: float(d.get(size_by, 0.0)) for n, d in graph.nodes(data=True)}
    top = max(raw.values(), default=1) or 1
    weights = [abs(float(d.get("weight", 1.0))) for *_, d in graph.edges(data=True)]
    top_weight = max(weights, default=1.0) or 1.0
    stance_edges = graph.graph.get("view") in ("stances", "plan")
    for a, b, d in graph.edges(data=True):
        style = EDGE_STYLES.get(d.get("kind", "neutral"), EDGE_STYLES["neutral"])
        (x0, y0), (x1, y1) = pos[a], pos[b]
        lw = 1.1 if stance_edges else 0.6 + 2.8 * abs(float(d.get("weight", 1.0))) / top_weight
        if graph.is_directed() and d.get("kind") != "member":
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                zorder=1,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": style.colour,
                    "lw": lw,
                    "alpha": 0.75,
                    "linestyle": "--" if style.dashed else "-",
                    "shrinkA": 6,
                    "shrinkB": 8,
                    "mutation_scale": 9,
                },
            )
        else:
            ax.plot(
                [x0, x1],
                [y0, y1],
                color=style.colour,
                lw=lw,
                alpha=0.75,
                zorder=1,
                linestyle="--" if style.dashed else "-",
            )
    kinds_present = []
    for kind, style in NODE_STYLES.items():
        members = [n for n, d in graph.nodes(data=True) if d.get("kind", "actor") == kind]
        if not members:
            continue
        kinds_present.append(kind)
        ax.scatter(
            [pos[n][0] for n in members],
            [pos[n][1] for n in members],
            s=[40 + 460 * (raw[n] / top) ** 0.5 for n in members],
            c=style.colour,
            marker=style.marker,
            edgecolors="#444444",
            linewidths=0.6,
            zorder=2,
        )
    if labels:
        many = len(graph) > 40
        beside = graph.graph.get("view") == "plan"  # columns of points: labels to the right
        for n, d in graph.nodes(data=True):
            actor = d.get("kind", "actor") in ("state", "person", "organization", "coalition", "actor")
            if many and not beside and not actor and raw[n] < top * 0.25:
                continue
            ax.annotate(
                _short(str(d.get("label", n)), 34),
                pos[n],
                xytext=(8, 0) if beside else (0, -9),
                textcoords="offset points",
                ha="left" if beside else "center",
                va="center" if beside else "top",
                fontsize=7 if many else 8,
                zorder=3,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
            )
    handles = [
        Line2D(
            [],
            [],
            marker=NODE_STYLES[k].marker,
            linestyle="",
            markersize=8,
            markerfacecolor=NODE_STYLES[k].colour,
            markeredgecolor="#444444",
            label=NODE_STYLES[k].legend,
        )
        for k in kinds_present
    ]
    edge_kinds = [k for k in EDGE_STYLES if any(d.get("kind") == k for *_, d in graph.edges(data=True))]
    handles += [
        Line2D(
            [],
            [],
            color=EDGE_STYLES[k].colour,
            lw=2.5,
            label=EDGE_STYLES[k].legend,
            linestyle="--" if EDGE_STYLES[k].dashed else "-",
        )
        for k in edge_kinds
    ]
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False)
    if title:
        ax.set_title(title, fontsize=13, loc="left")
    # labels beside the points run to the right of the last column: leave them room inside the axes
    ax.margins(x=0.2 if labels and graph.graph.get("view") == "plan" else 0.08, y=0.08)
    return figure


def stance_heatmap(
    store: Store, plan: str = "us-28", *, source: str | None = None, since: Any = None, until: Any = None
) -> Figure:
    """An actor x point grid of a plan: each cell the actor's latest reported stance on the point
    (blue "ambivalent" when the actor is reported both to endorse and to reject it), blank when none.

    Every point of the plan is a column, in number order, whether or not anyone took a stance on it.
    """
    graph = view_graph(store, "plan", plan=plan, lineage=False, source=source, since=since, until=until)
    return plan_heatmap(graph)


def plan_heatmap(graph: nx.MultiDiGraph) -> Figure:
    """The heat map of :func:`stance_heatmap` from a plan view graph
    (:func:`~stancegraph.graph.drawing.plan_view.plan_view`): the points of its own plan, whatever
    other versions' points it shows, and the stance edges it holds."""
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    plan = graph.graph.get("plan")
    points = sorted(
        (
            n
            for n, d in graph.nodes(data=True)
            if d["kind"] in ("point", "dropped") and d.get("plan", plan) == plan
        ),
        key=lambda n: graph.nodes[n]["y"],
    )
    latest: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a, p, d in graph.edges(data=True):
        if p in points and d["kind"] in EDGE_STYLES:
            latest.setdefault((a, p), []).append((d.get("date") or "", d["kind"]))
    actors = sorted({a for a, _ in latest}, key=lambda a: graph.nodes[a]["label"].casefold())
    heading = graph.graph.get("plan_label") or "the plan"
    if not actors or not points:  # nothing to grid: say so rather than draw an empty (singular) image
        figure = Figure(figsize=(8.0, 2.0), layout="constrained")
        ax = figure.add_subplot()
        ax.set_axis_off()
        ax.set_title(f"Stances on the points of {heading}", fontsize=12, loc="left")
        ax.text(0.5, 0.5, "no stance on any point in this selection", ha="center", va="center")
        return figure
    grid = np.full((len(actors), len(points)), np.nan)
    for (a, p), found in latest.items():
        kinds = {k for _, k in found}
        kind = "ambivalent" if {"endorses", "rejects"} <= kinds else max(found)[1]
        grid[actors.index(a), points.index(p)] = _HEAT_ORDER.index(kind)
    cmap = ListedColormap([EDGE_STYLES[k].colour for k in _HEAT_ORDER]).with_extremes(bad="#f4f4f4")
    figure = Figure(
        figsize=(max(8.0, 0.36 * len(points) + 3.5), max(3.0, 0.42 * len(actors) + 2.6)), layout="constrained"
    )
    ax = figure.add_subplot()
    ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=cmap,
        vmin=-0.5,
        vmax=len(_HEAT_ORDER) - 0.5,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_xticks(range(len(points)), [graph.nodes[p]["notation"] for p in points], fontsize=8)
    ax.set_yticks(range(len(actors)), [graph.nodes[a]["label"] for a in actors], fontsize=9)
    ax.set_xticks(np.arange(-0.5, len(points)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(actors)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("plan point")
    ax.set_title(f"Stances on the points of {heading}", fontsize=12, loc="left")
    used = sorted({int(v) for v in grid[~np.isnan(grid)]})
    handles = [
        Patch(color=EDGE_STYLES[_HEAT_ORDER[i]].colour, label=EDGE_STYLES[_HEAT_ORDER[i]].legend)
        for i in used
    ]
    handles.append(Patch(color="#f4f4f4", label="no stance reported"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False)
    return figure


def figure_bytes(figure: Figure, *, format: str = "svg", dpi: int = 150) -> bytes:
    """The figure as SVG or PNG bytes, without creation dates (same data, same bytes)."""
    if format not in FORMATS:
        raise ValueError(f"format={format!r}: use 'svg' or 'png'")
    import matplotlib

    buffer = BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "stancegraph", "svg.fonttype": "none"}):
        metadata = {"Date": None} if format == "svg" else {"Software": None}
        figure.savefig(buffer, format=format, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def render_figure(
    store: Store, view: str, *, format: str = "svg", title: str | None = None, **options: Any
) -> bytes:
    """A view (or ``'heatmap'``: the actor x point grid of ``plan``) as SVG or PNG bytes."""
    if format not in FORMATS:
        raise ValueError(f"format={format!r}: use 'svg' or 'png'")
    if view == "heatmap":
        return figure_bytes(stance_heatmap(store, **options), format=format)
    from stancegraph.graph.drawing.pages import default_title

    graph = view_graph(store, view, **options)
    size_by = "influence" if view == "influence" else "degree"
    heading = title or default_title(view, graph, options)
    return figure_bytes(network_figure(graph, title=heading, size_by=size_by), format=format)

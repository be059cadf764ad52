"""Interactive HTML pages of a graph: pyvis builds the vis-network data, our template wraps it.

A :class:`Page` is self-contained: the vis-network script pyvis ships is inlined, the page loads nothing
from any host (a Content-Security-Policy forbids it), and it works from disk, as an e-mail attachment or
inside a report. Every label, tooltip and heading is escaped: the graph data travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., the
script reads it with ``JSON.parse`` and builds tooltips as text nodes, and the headings go through
Jinja's HTML escaping. Above :data:`PHYSICS_LIMIT` nodes the layout is computed here (networkx) and
physics is off, so that thousands of nodes draw at once.

One page embeds three ways: :attr:`Page.html` (a standalone file), :attr:`Page.fragment` (one ``<div>``
and its scripts, to paste into an HTML report; several fit on one page) and :meth:`Page.iframe` (an
``<iframe srcdoc>``; Jupyter shows it through ``_repr_html_``). A report that holds several graphs can
put :func:`library_scripts` once before them and each :attr:`Page.body` (the fragment without the
vis-network library, about 470 kB less each).

Examples
--------
>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("a", label="<b>Kyiv</b>", kind="state")
>>> g.add_node("p", label="point 7", kind="point")
>>> g.add_edge("a", "p", kind="rejects")
>>> page = render_graph(g, title="Demo")
>>> page.node_count, page.edge_count
(2, 1)
>>> "<b>Kyiv</b>" in page.html
False
"""

from __future__ import annotations

__all__ = [
    "Page",
    "render_graph",
    "render",
    "render_html",
    "library_scripts",
    "layout",
    "PHYSICS_LIMIT",
    "CONTENT_SECURITY_POLICY",
]

import html as html_module
import json
import math
import secrets
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from stancegraph.graph.drawing.layouts import layout
from stancegraph.graph.drawing.overlap import spread
from stancegraph.graph.drawing.views import EDGE_STYLES, NODE_STYLES, view_graph

if TYPE_CHECKING:
    import networkx as nx

    from stancegraph.graph.store import Store

#: Above this many edges each is drawn fainter and thinner, so that the strong ties show through.
DENSE_EDGES = 1500
#: Above this many nodes the positions are computed in Python and physics is off.
PHYSICS_LIMIT = 300

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'"
)

_SHORT = {
    "same": "unchanged point",
    "changed": "changed point",
    "adopts": "takes up a demand",
    "member": "membership",
    "agree": "agreement",
    "conflict": "conflict",
}

_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


@dataclass(frozen=True)
class Page:
    """A rendered interactive graph.

    ``data`` is exactly what the page embeds: ``nodes`` and ``edges`` (vis-network items with our
    fields), ``legend``, ``filters`` and vis ``options``. ``body`` is ``fragment`` without the
    scripts of :func:`library_scripts`, which must come before it in the document.
    """

    title: str
    html: str = field(repr=False)
    fragment: str = field(repr=False)
    data: dict = field(repr=False, compare=False)
    body: str = field(default="", repr=False, compare=False)

    @property
    def node_count(self) -> int:
        return len(self.data["nodes"])

    @property
    def edge_count(self) -> int:
        return len(self.data["edges"])

    def save(self, out: str | Path | IO[str]) -> None:
        """Write the standalone page to a path or an open text stream."""
        if isinstance(out, str | Path):
            Path(out).write_text(self.html, encoding="utf-8")
        else:
            out.write(self.html)

    def iframe(self, *, height: str = "760px") -> str:
        """The page as an ``<iframe srcdoc>`` (scripts allowed, no same-origin access to its host)."""
        return (
            f'<iframe srcdoc="{html_module.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{html_module.escape(height)};border:0" '
            f'title="{html_module.escape(self.title)}"></iframe>'
        )

    def _repr_html_(self) -> str:
        return self.iframe()


@cache
def _asset(name: str) -> str:
    folder = resources.files("stancegraph.graph.drawing").joinpath("templates")
    text = folder.joinpath(name).read_text(encoding="utf-8")
    return _checked_script(text, name)


@cache
def _vis_script() -> str:
    import pyvis

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return _checked_script(path.read_text(encoding="utf-8"), str(path))


def _checked_script(text: str, name: str) -> str:
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{name} contains a closing </script> or </style> tag and cannot be inlined")
    return text


def library_scripts() -> str:
    """The ``<script>`` elements every :attr:`Page.body` needs once before it: vis-network and the
    page script (both inlined; neither loads anything)."""
    return f"<script>{_vis_script()}</script>\n<script>{_asset('page.js')}</script>\n"


@cache
def _templates():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("stancegraph.graph.drawing", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _json_for_script(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for character, escape in _JSON_ESCAPES:  # a replace per character: str.translate took 37x as long on 9 MB
        text = text.replace(character, escape)
    return text


def _sizes(graph: nx.Graph, size_by: str) -> dict[Any, float]:
    """Node sizes 10..42 by the square root of degree or of a node attribute."""
    if size_by == "degree":
        raw = dict(graph.degree())
    else:
        missing = [n for n, d in graph.nodes(data=True) if not isinstance(d.get(size_by), int | float)]
        if missing:
            raise ValueError(
                f"size_by={size_by!r}: node {missing[0]!r} has no numeric {size_by!r} "
                "attribute; "
                "use 'degree' or an attribute every node has"
            )
        raw = {n: float(d[size_by]) for n, d in graph.nodes(data=True)}
    top = max((math.sqrt(max(v, 0.0)) for v in raw.values()), default=0.0) or 1.0
    return {n: 10.0 + 32.0 * math.sqrt(max(v, 0.0)) / top for n, v in raw.items()}


def _pyvis_data(graph: nx.Graph, *, size_by: str, fixed: bool) -> tuple[list[dict], list[dict]]:
    """Nodes and edges as pyvis builds them for vis-network, with our fields added."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")  # directed: pyvis skips its O(E^2) duplicate scan
    sizes = _sizes(graph, size_by)
    pos = spread(layout(graph), sizes) if fixed else {}  # no node drawn over another
    directed = graph.is_directed()
    for node, d in graph.nodes(data=True):
        style = NODE_STYLES.get(d.get("kind", "actor"), NODE_STYLES["actor"])
        extra = {"x": pos[node][0], "y": pos[node][1]} if node in pos else {}
        if "x" in d and "y" in d and not fixed:
            extra = {"x": float(d["x"]), "y": float(d["y"])}
        net.add_node(
            str(node),
            label=str(d.get("label", node)),
            color=style.colour,
            shape=style.shape,
            size=round(sizes[node], 2),
            kind=d.get("kind", "actor"),
            tip=[str(line) for line in d.get("tooltip", (d.get("label", node),))],
            **extra,
        )
    edges = (
        list(graph.edges(keys=True, data=True))
        if graph.is_multigraph()
        else [(a, b, None, d) for a, b, d in graph.edges(data=True)]
    )
    top = max((abs(float(d.get("weight", 1.0))) for *_, d in edges), default=1.0) or 1.0
    # thousands of ties drawn opaque are one block of colour: the more ties, the fainter and thinner each
    opacity = 0.85 if len(edges) <= DENSE_EDGES else max(0.12, 0.85 * math.sqrt(DENSE_EDGES / len(edges)))
    widest = 5.0 if len(edges) <= DENSE_EDGES else 2.0
    for i, (a, b, key, d) in enumerate(edges):
        kind = d.get("kind", "neutral")
        style = EDGE_STYLES.get(kind, EDGE_STYLES["neutral"])
        weight = abs(float(d.get("weight", 1.0)))
        arrows = {"to": {"enabled": directed and kind != "member", "scaleFactor": 0.6}}
        net.add_edge(
            str(a),
            str(b),
            id=str(key) if key is not None else f"e{i}",
            kind=kind,
            color={"color": style.colour, "highlight": style.colour, "opacity": round(opacity, 3)},
            width=round(1.0 + widest * weight / top, 2) if graph.graph.get("view") != "stances" else 2,
            dashes=style.dashed,
            arrows=arrows,
            sourceIri=d.get("source"),
            sourceLabel=d.get("source_label"),
            date=d.get("date"),
            tip=[str(line) for line in d.get("tooltip", ())],
        )
    return net.nodes, net.edges


def _legend(nodes: list[dict], edges: list[dict]) -> list[dict]:
    node_kinds = sorted({n["kind"] for n in nodes}, key=list(NODE_STYLES).index)
    edge_kinds = sorted(
        {e["kind"] for e in edges},
        key=lambda k: list(EDGE_STYLES).index(k) if k in EDGE_STYLES else len(EDGE_STYLES),
    )
    legend = [
        {
            "what": "node",
            "kind": k,
            "text": NODE_STYLES[k].legend,
            "colour": NODE_STYLES[k].colour,
            "shape": NODE_STYLES[k].shape,
        }
        for k in node_kinds
    ]
    legend += [
        {
            "what": "edge",
            "kind": k,
            "text": EDGE_STYLES.get(k, EDGE_STYLES["neutral"]).legend,
            "colour": EDGE_STYLES.get(k, EDGE_STYLES["neutral"]).colour,
            "dashed": EDGE_STYLES.get(k, EDGE_STYLES["neutral"]).dashed,
        }
        for k in edge_kinds
    ]
    return legend


def _options(fixed: bool, n_nodes: int) -> dict:
    large = n_nodes > PHYSICS_LIMIT
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": (
            {"enabled": False}
            if fixed
            else {
                "enabled": True,
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 150, "avoidOverlap": 0.6},
                "stabilization": {"enabled": True, "iterations": 400, "fit": True},
            }
        ),
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "keyboard": False,
        },
        "edges": {"smooth": False if large else {"type": "continuous"}, "selectionWidth": 2},
        "nodes": {
            "font": {
                "size": 14 if not large else 10,
                "face": "sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1,
            "color": {"border": "#555555"},
        },
    }


def render_graph(
    graph: nx.Graph,
    *,
    title: str = "stancegraph",
    subtitle: str = "",
    size_by: str = "degree",
    physics: bool | None = None,
    height: str = "720px",
) -> Page:
    """Render a networkx graph (nodes and edges with the attributes of
    :mod:`~stancegraph.graph.drawing.views`).

    Parameters
    ----------
    graph : networkx.Graph, DiGraph or MultiDiGraph
        Any graph; missing attributes fall back to a grey "actor" node and a grey edge.
    title, subtitle : str
        Shown as the heading (escaped).
    size_by : str
        ``'degree'`` or the name of a numeric node attribute (e.g. ``'influence'``).
    physics : bool, optional
        Live force layout; default on up to :data:`PHYSICS_LIMIT` nodes unless every node has a fixed
        ``x``/``y``, otherwise positions are precomputed and physics is off.
    height : str
        CSS height of the drawing area.

    Returns
    -------
    Page

    Raises
    ------
    ValueError
        ``size_by`` names an attribute some node lacks.
    """
    has_positions = len(graph) > 0 and all("x" in d and "y" in d for _, d in graph.nodes(data=True))
    if physics is None:
        physics = len(graph) <= PHYSICS_LIMIT and not has_positions
    fixed = not physics
    nodes, edges = _pyvis_data(graph, size_by=size_by, fixed=fixed)
    present = {e["kind"] for e in edges}
    stance_kinds = [
        [k, _SHORT.get(k, k)] for k in [*EDGE_STYLES, *sorted(present - set(EDGE_STYLES))] if k in present
    ]
    sources = sorted(
        {(e["sourceIri"], e["sourceLabel"] or e["sourceIri"]) for e in edges if e.get("sourceIri")},
        key=lambda s: s[1].casefold(),
    )
    dates = sorted({e["date"] for e in edges if e.get("date")})
    uid = "sg-" + secrets.token_hex(6)
    data = {
        "id": uid,
        "title": title,
        "view": graph.graph.get("view", "graph"),
        "nodes": nodes,
        "edges": edges,
        "legend": _legend(nodes, edges),
        "filters": {
            "kinds": stance_kinds,
            "sources": [list(s) for s in sources],
            "dates": [dates[0], dates[-1]] if dates else [],
        },
        "options": _options(fixed, len(nodes)),
    }
    env = _templates()
    shared = dict(
        uid=uid,
        title=title,
        subtitle=subtitle,
        height=height,
        data=data,
        data_json=_json_for_script(data),
        css=_asset("page.css"),
    )
    template = env.get_template("fragment.html")
    fragment = template.render(**shared, vis_js=_vis_script(), page_js=_asset("page.js"))
    body = template.render(**shared, vis_js="", page_js="")
    page = env.get_template("page.html").render(title=title, csp=CONTENT_SECURITY_POLICY, fragment=fragment)
    return Page(title=title, html=page, fragment=fragment, data=data, body=body)


def render(
    store: Store,
    view: str,
    *,
    title: str | None = None,
    size_by: str | None = None,
    physics: bool | None = None,
    **options: Any,
) -> Page:
    """Render one of the named views (:data:`stancegraph.graph.drawing.views.VIEWS`) of the store.

    ``options`` go to the view's builder (filters such as ``actor``, ``stance``, ``source``, ``since``,
    ``until``; ``plan`` for the plan view; ``aggregation`` for the agreement view). The influence view is
    sized by PageRank unless ``size_by`` says otherwise.
    """
    graph = view_graph(store, view, **options)
    if size_by is None:
        size_by = "influence" if view == "influence" else "degree"
    heading = title or default_title(view, graph, options)
    shown = ", ".join(f"{k}={v}" for k, v in sorted(options.items()) if v is not None)
    if "ties" in graph.graph:  # thinned by min_weight / backbone
        shown += f" ({graph.number_of_edges():,} of {graph.graph['ties']:,} ties drawn)"
    return render_graph(graph, title=heading, subtitle=shown, size_by=size_by, physics=physics)


def render_html(store: Store, view: str, **options: Any) -> str:
    """The standalone HTML of :func:`render` (a plain string, for services that pass results between
    processes)."""
    return render(store, view, **options).html


def default_title(view: str, graph: nx.Graph, options: dict) -> str:
    """The heading of a page or figure of ``view`` when the caller gives none."""
    if view == "plan":
        return f"Stances on the points of {graph.graph.get('plan_label') or 'the plan'}"
    if view == "agreement":
        return f"Agreement network ({graph.graph.get('aggregation', 'congruence')})"
    if view == "influence":
        return "Influence: who takes up whose demands"
    return "Stances: actors and targets"

"""Turning graphs into what people look at: the views (styles, tooltips), self-contained pages and
static figures.
"""

from stancegraph.graph.drawing.figures import (
    FORMATS,
    figure_bytes,
    network_figure,
    render_figure,
    stance_heatmap,
)
from stancegraph.graph.drawing.pages import (
    CONTENT_SECURITY_POLICY,
    PHYSICS_LIMIT,
    Page,
    layout,
    render,
    render_graph,
    render_html,
)
from stancegraph.graph.drawing.views import (
    EDGE_STYLES,
    NODE_STYLES,
    VIEWS,
    EdgeStyle,
    NodeStyle,
    agreement_view,
    influence_view,
    plan_view,
    stance_view,
    view_graph,
)

__all__ = [
    "network_figure",
    "stance_heatmap",
    "figure_bytes",
    "render_figure",
    "FORMATS",
    "Page",
    "render_graph",
    "render",
    "render_html",
    "layout",
    "PHYSICS_LIMIT",
    "CONTENT_SECURITY_POLICY",
    "VIEWS",
    "EDGE_STYLES",
    "NODE_STYLES",
    "EdgeStyle",
    "NodeStyle",
    "stance_view",
    "plan_view",
    "agreement_view",
    "influence_view",
    "view_graph",
]

"""Turning graphs into what people look at: the views (styles, tooltips), self-contained pages, static
figures and reports.
"""

from stancegraph.graph.drawing.agreement_view import AGREEMENT_AGGREGATIONS, agreement_graph, agreement_view
from stancegraph.graph.drawing.figures import (
    FIGURE_VIEWS,
    FORMATS,
    figure_bytes,
    network_figure,
    plan_heatmap,
    render_figure,
    stance_heatmap,
)
from stancegraph.graph.drawing.layouts import layout
from stancegraph.graph.drawing.pages import (
    CONTENT_SECURITY_POLICY,
    PHYSICS_LIMIT,
    Page,
    library_scripts,
    render,
    render_graph,
    render_html,
)
from stancegraph.graph.drawing.plan_view import (
    plan_view,
)
from stancegraph.graph.drawing.report import (
    ContestedPair,
    PositionRow,
    ReportContent,
    Selection,
    report_content,
)
from stancegraph.graph.drawing.report_page import (
    REPORT_FORMATS,
    Report,
    ReportFormat,
    report,
    report_html,
    report_pdf,
)
from stancegraph.graph.drawing.styles import (
    EDGE_STYLES,
    NODE_STYLES,
    EdgeStyle,
    NodeStyle,
)
from stancegraph.graph.drawing.views import (
    VIEWS,
    influence_view,
    selected_stances,
    stance_graph,
    stance_view,
    view_graph,
)

__all__ = [
    "network_figure",
    "stance_heatmap",
    "plan_heatmap",
    "figure_bytes",
    "render_figure",
    "FORMATS",
    "FIGURE_VIEWS",
    "Page",
    "render_graph",
    "render",
    "render_html",
    "library_scripts",
    "layout",
    "PHYSICS_LIMIT",
    "CONTENT_SECURITY_POLICY",
    "plan_view",
    "Report",
    "ReportFormat",
    "REPORT_FORMATS",
    "report",
    "report_html",
    "report_pdf",
    "report_content",
    "ReportContent",
    "Selection",
    "PositionRow",
    "ContestedPair",
    "EdgeStyle",
    "NodeStyle",
    "EDGE_STYLES",
    "NODE_STYLES",
    "VIEWS",
    "AGREEMENT_AGGREGATIONS",
    "stance_view",
    "stance_graph",
    "selected_stances",
    "agreement_view",
    "agreement_graph",
    "influence_view",
    "view_graph",
]

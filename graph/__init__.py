"""stancegraph.graph: the library. Stores, validated ingest, the questions researchers ask.

What a notebook user calls is re-exported here::

    from stancegraph.graph import open_store, load_bundled, who_endorses, plan_fit

    store = open_store()            # in memory; open_store("folder") on disk; endpoint="http://..." remote
    load_bundled(store)             # the ontology and the 2025 peace-plan data set
    who_endorses(store, "us-28/6")  # who endorses point 6 of the US 28-point draft
    report(store, plan="us-28").save("us-28.html")  # tables, graphs, figures and sources in one file
    one_mode(statements_from_store(store, plan="us-28"), aggregation="congruence")  # agreement network
"""

from stancegraph.graph.analysis.coalitions import Coalitions, coalitions
from stancegraph.graph.analysis.influence import influence
from stancegraph.graph.analysis.network_options import Contested
from stancegraph.graph.analysis.networks import (
    Aggregation,
    Duplicates,
    Network,
    Normalization,
    QualifierKind,
    one_mode,
    two_mode,
)
from stancegraph.graph.analysis.polarisation import Polarisation, polarisation
from stancegraph.graph.analysis.reliability import Reliability, reliability
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.analysis.statements_csv import read_statements_csv
from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.analysis.windows import time_windows
from stancegraph.graph.drawing.figures import render_figure, stance_heatmap
from stancegraph.graph.drawing.pages import Page, render, render_graph
from stancegraph.graph.drawing.report_page import Report, report
from stancegraph.graph.errors import (
    AmbiguousNameError,
    QuerySyntaxError,
    StanceGraphError,
    StoreError,
    UnknownEntityError,
    ValidationError,
    Violation,
)
from stancegraph.graph.ingestion import DnaOptions, IngestReport, check, ingest, load_bundled
from stancegraph.graph.queries.changes import Shift, StanceHistory, stance_changes
from stancegraph.graph.queries.names import iri_for, resolve, short_id, slugify
from stancegraph.graph.queries.pattern_answers import ask
from stancegraph.graph.queries.plans import (
    ActorFit,
    DemandFit,
    PlanFit,
    PlanVersionsFit,
    plan_fit,
    plan_versions_fit,
)
from stancegraph.graph.queries.stances import (
    Holder,
    Position,
    Stance,
    positions,
    stances,
    who,
    who_concedes,
    who_demands,
    who_endorses,
    who_rejects,
)
from stancegraph.graph.readwrite.exports import to_csv_tables, to_cytoscape_json, to_gexf, to_graphml
from stancegraph.graph.store import Counts, EmbeddedStore, RemoteStore, SelectResult, Store, open_store

__all__ = [
    # stores
    "Store",
    "EmbeddedStore",
    "RemoteStore",
    "open_store",
    "Counts",
    "SelectResult",
    # ingest
    "ingest",
    "check",
    "load_bundled",
    "IngestReport",
    "DnaOptions",
    # questions
    "Stance",
    "Holder",
    "Position",
    "stances",
    "who",
    "who_endorses",
    "who_rejects",
    "who_concedes",
    "who_demands",
    "positions",
    "plan_fit",
    "PlanFit",
    "ActorFit",
    "DemandFit",
    "plan_versions_fit",
    "PlanVersionsFit",
    "stance_changes",
    "StanceHistory",
    "Shift",
    "ask",
    # networks (discourse network analysis)
    "Statements",
    "read_statements_csv",
    "statements_from_store",
    "one_mode",
    "two_mode",
    "Network",
    "Aggregation",
    "Normalization",
    "Duplicates",
    "QualifierKind",
    "Contested",
    "time_windows",
    "polarisation",
    "Polarisation",
    "coalitions",
    "Coalitions",
    "reliability",
    "Reliability",
    "influence",
    "to_gexf",
    "to_graphml",
    "to_cytoscape_json",
    "to_csv_tables",
    # rendering
    "render",
    "render_graph",
    "Page",
    "render_figure",
    "stance_heatmap",
    "report",
    "Report",
    # names
    "resolve",
    "iri_for",
    "short_id",
    "slugify",
    # errors
    "StanceGraphError",
    "UnknownEntityError",
    "AmbiguousNameError",
    "ValidationError",
    "Violation",
    "StoreError",
    "QuerySyntaxError",
]

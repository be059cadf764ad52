"""stancegraph.graph: the library. Stores, validated ingest, the questions researchers ask.

What a notebook user calls is re-exported here::

    from stancegraph.graph import open_store, load_bundled, who_endorses, plan_fit

    store = open_store()            # in memory; open_store("folder") on disk; endpoint="http://..." remote
    load_bundled(store)             # the ontology and the 2025 peace-plan data set
    who_endorses(store, "us-28/6")  # who endorses point 6 of the US 28-point draft
    one_mode(statements_from_store(store, plan="us-28"), aggregation="congruence")  # agreement network
"""

from .changes import Shift, StanceHistory, stance_changes
from .coalitions import Coalitions, coalitions
from .errors import (
    AmbiguousNameError,
    QuerySyntaxError,
    StanceGraphError,
    StoreError,
    UnknownEntityError,
    ValidationError,
    Violation,
)
from .exports import to_csv_tables, to_cytoscape_json, to_gexf, to_graphml
from .figures import render_figure, stance_heatmap
from .influence import influence
from .ingest import IngestReport, check, ingest, load_bundled
from .names import iri_for, resolve, short_id, slugify
from .networks import Aggregation, Duplicates, Network, Normalization, QualifierKind, one_mode, two_mode
from .patterns import ask
from .plans import ActorFit, DemandFit, PlanFit, PlanVersionsFit, plan_fit, plan_versions_fit
from .polarisation import Polarisation, polarisation
from .render import Page, render, render_graph
from .selection import statements_from_store
from .stances import (
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
from .statements_table import Statements, read_statements_csv
from .store import Counts, EmbeddedStore, RemoteStore, SelectResult, Store, open_store
from .windows import time_windows

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
    "time_windows",
    "polarisation",
    "Polarisation",
    "coalitions",
    "Coalitions",
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

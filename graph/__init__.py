"""stancegraph.graph: the library. Stores, validated ingest, the questions researchers ask.

What a notebook user calls is re-exported here::

    from stancegraph.graph import open_store, load_bundled, who_endorses, plan_fit

    store = open_store()            # in memory; open_store("folder") on disk; endpoint="http://..." remote
    load_bundled(store)             # the ontology and the 2025 peace-plan data set
    who_endorses(store, "us-28/6")  # who endorses point 6 of the US 28-point draft
"""

from .errors import (
    AmbiguousNameError,
    QuerySyntaxError,
    StanceGraphError,
    StoreError,
    UnknownEntityError,
    ValidationError,
    Violation,
)
from .ingest import IngestReport, check, ingest, load_bundled
from .names import iri_for, resolve, short_id, slugify
from .plans import ActorFit, DemandFit, PlanFit, plan_fit
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
from .store import Counts, EmbeddedStore, RemoteStore, SelectResult, Store, open_store

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

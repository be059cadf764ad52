"""Alignment analysis on the stances: the statements table, the selection from a store, the DNA
networks (one-mode, two-mode, time windows), polarisation, coalitions, influence, stance frequencies, and
the documents the CLI and the service write from them.
"""

from stancegraph.graph.analysis.coalitions import (
    Coalitions,
    CommunityMethod,
    coalitions,
    positive_graph,
)
from stancegraph.graph.analysis.documents import (
    NETWORK_FORMATS,
    SELECTION_OPTIONS,
    NetworkFormat,
    NetworkType,
    build_network,
    frequencies_document,
    influence_document,
    network_document,
    network_text,
    store_coalitions,
    store_polarisation,
    store_reliability,
)
from stancegraph.graph.analysis.frequencies import FREQUENCY_KEYS, FrequencyFormat, stance_frequencies
from stancegraph.graph.analysis.influence import (
    Adoption,
    adoptions,
    influence,
)
from stancegraph.graph.analysis.network_options import (
    ActorVariable,
    Contested,
    parse_min_confidence,
    stance_mask,
)
from stancegraph.graph.analysis.networks import (
    Aggregation,
    Duplicates,
    Network,
    NetworkOptions,
    Normalization,
    QualifierKind,
    one_mode,
    two_mode,
)
from stancegraph.graph.analysis.polarisation import (
    Polarisation,
    PolarisationWindow,
    polarisation,
    polarisation_over_time,
    polarisation_score,
)
from stancegraph.graph.analysis.reliability import (
    Agreement,
    CoderPair,
    Level,
    Reliability,
    krippendorff_alpha,
    percent_agreement,
    reliability,
)
from stancegraph.graph.analysis.selection import (
    LABEL_MODES,
    NodeLabels,
    statements_from_store,
)
from stancegraph.graph.analysis.statements_csv import read_statements_csv
from stancegraph.graph.analysis.statements_table import (
    DEFAULT_INTEGER_SCALE,
    STANCE_BOOLEAN,
    Statements,
)
from stancegraph.graph.analysis.windows import (
    Kernel,
    TimeUnit,
    WindowedNetwork,
    kernel_weight,
    shift_date,
    time_windows,
)

__all__ = [
    "Coalitions",
    "CommunityMethod",
    "coalitions",
    "positive_graph",
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
    "frequencies_document",
    "stance_frequencies",
    "FREQUENCY_KEYS",
    "FrequencyFormat",
    "Agreement",
    "CoderPair",
    "Level",
    "Reliability",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability",
    "influence_document",
    "Adoption",
    "adoptions",
    "influence",
    "Aggregation",
    "Normalization",
    "ActorVariable",
    "Contested",
    "parse_min_confidence",
    "stance_mask",
    "Duplicates",
    "QualifierKind",
    "NetworkOptions",
    "Network",
    "one_mode",
    "two_mode",
    "Polarisation",
    "PolarisationWindow",
    "polarisation",
    "polarisation_score",
    "polarisation_over_time",
    "statements_from_store",
    "LABEL_MODES",
    "NodeLabels",
    "Statements",
    "STANCE_BOOLEAN",
    "DEFAULT_INTEGER_SCALE",
    "read_statements_csv",
    "TimeUnit",
    "Kernel",
    "WindowedNetwork",
    "time_windows",
    "kernel_weight",
    "shift_date",
]

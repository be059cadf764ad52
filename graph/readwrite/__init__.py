"""Writing networks for other tools (GEXF, GraphML, CSV tables, Cytoscape.js JSON), citations of the
sources (BibTeX, CSL-JSON, an APA-style reference list) and the one guard against spreadsheet formula cells.
"""

from stancegraph.graph.readwrite.citations import (
    CITATION_FORMATS,
    CitationFormat,
    Reference,
    csl_item,
    csl_items,
    references,
    to_bibtex,
    to_csl_json,
    write_citations,
)
from stancegraph.graph.readwrite.csv_cells import (
    FORMULA_STARTS,
    spreadsheet_safe,
)
from stancegraph.graph.readwrite.exports import (
    GRAPH_FORMATS,
    network_graph,
    to_csv_tables,
    to_cytoscape_json,
    to_gexf,
    to_graphml,
    windowed_graph,
    write_graph,
)

__all__ = [
    "CitationFormat",
    "CITATION_FORMATS",
    "Reference",
    "csl_item",
    "csl_items",
    "to_csl_json",
    "to_bibtex",
    "references",
    "write_citations",
    "FORMULA_STARTS",
    "spreadsheet_safe",
    "GRAPH_FORMATS",
    "network_graph",
    "windowed_graph",
    "to_gexf",
    "to_graphml",
    "to_cytoscape_json",
    "to_csv_tables",
    "write_graph",
]

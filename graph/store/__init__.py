"""Where the graph lives: one :class:`Store` interface over an embedded and a remote backend.

* :class:`EmbeddedStore` (:mod:`~stancegraph.graph.store.embedded`) keeps the dataset in pyoxigraph, in
  memory or in a folder on disk.
* :class:`RemoteStore` (:mod:`~stancegraph.graph.store.remote`) talks to any server that speaks the SPARQL
  1.1 Protocol, SPARQL 1.1 Update and the Graph Store HTTP Protocol (Oxigraph, Virtuoso, Fuseki, ...): what
  each known server needs is in :mod:`~stancegraph.graph.store.servers`, the requests and the checks of their
  answers in :mod:`~stancegraph.graph.store.sparql_protocol`, loads of several requests in
  :mod:`~stancegraph.graph.store.staged_load`, Virtuoso's forms of bindings and graph patterns in
  :mod:`~stancegraph.graph.store.term_substitution` and :mod:`~stancegraph.graph.store.hidden_graphs`.
* :mod:`~stancegraph.graph.store.service_record` is the note ``stancegraph serve`` leaves in the folder it
  holds (its URL and process id), so that other programs know who holds it.
* :mod:`~stancegraph.graph.store.bindings` puts bound values into queries safely,
  :mod:`~stancegraph.graph.store.data_updates` writes ``INSERT DATA`` / ``DELETE DATA`` from quads, and
  :mod:`~stancegraph.graph.store.sparql_lexer` cuts SPARQL text into the grammar's terminals.

Both backends return the same value types (:mod:`~stancegraph.graph.store.base`); most code only needs
:func:`open_store`.
"""

from stancegraph.graph.store.base import (
    Counts,
    SelectResult,
    SelectStream,
    Store,
    check_dataset,
    check_quads,
    graph_iri,
    syntax_error,
)
from stancegraph.graph.store.bindings import bind_values, check_bindings, sparql_term, sparql_tokens
from stancegraph.graph.store.data_updates import delete_data, insert_data, quad_data
from stancegraph.graph.store.embedded import EmbeddedStore
from stancegraph.graph.store.formats import (
    RDF_FORMAT_LIST,
    RDF_FORMATS,
    rdf_format_of_media_type,
    resolve_format,
)
from stancegraph.graph.store.opening import open_store
from stancegraph.graph.store.remote import RemoteStore
from stancegraph.graph.store.servers import PROFILES, QueryMethod, ServerKind, ServerProfile, role_urls
from stancegraph.graph.store.service_record import (
    RECORD_NAME,
    ServiceRecord,
    record_service,
    remove_service_record,
    running_service,
)
from stancegraph.graph.store.sparql_lexer import Token, lex, max_nesting, unescape_codepoints

__all__ = [
    "Store",
    "EmbeddedStore",
    "RemoteStore",
    "open_store",
    "ServerKind",
    "QueryMethod",
    "ServerProfile",
    "PROFILES",
    "role_urls",
    "ServiceRecord",
    "RECORD_NAME",
    "record_service",
    "remove_service_record",
    "running_service",
    "insert_data",
    "delete_data",
    "quad_data",
    "Counts",
    "SelectResult",
    "SelectStream",
    "RDF_FORMATS",
    "RDF_FORMAT_LIST",
    "rdf_format_of_media_type",
    "resolve_format",
    "check_dataset",
    "graph_iri",
    "check_quads",
    "syntax_error",
    "bind_values",
    "check_bindings",
    "sparql_term",
    "sparql_tokens",
    "Token",
    "lex",
    "max_nesting",
    "unescape_codepoints",
]

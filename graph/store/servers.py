"""The SPARQL servers stancegraph knows, what each needs from a client, and where its three URLs are.

A SPARQL server has three roles, each at a URL of its own: queries (the SPARQL 1.1 Protocol), updates
(SPARQL 1.1 Update) and the Graph Store HTTP Protocol. Where they are, and how far a server follows the
standards, differs by server; :class:`ServerProfile` holds what stancegraph knows of each
:class:`ServerKind` and :data:`PROFILES` lists them. :func:`role_urls` finds the three URLs from a base or
query URL, :func:`identify_server` tells the server from its answers (the ``Server`` header of the service
description).

The facts for Virtuoso are those of Debian's ``virtuoso-opensource`` 7.2.5 with its default settings, which
the tests run; the Fuseki layout is Jena's documented one and is not tested here.

Examples
--------
>>> roles = role_urls(ServerKind.VIRTUOSO, "http://127.0.0.1:8890")
>>> roles.query_url, roles.update_url, roles.store_url
('http://127.0.0.1:8890/sparql', 'http://127.0.0.1:8890/sparql', 'http://127.0.0.1:8890/sparql-graph-crud')
>>> role_urls(ServerKind.OXIGRAPH, "http://127.0.0.1:7878/query").update_url
'http://127.0.0.1:7878/update'
>>> identify_server({"server": "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"}, "")
<ServerKind.VIRTUOSO: 'virtuoso'>
>>> role_urls(identify_server({"server": "stancegraph/0.1.0"}, ""), "http://127.0.0.1:8000").store_url
'http://127.0.0.1:8000/store'
"""

from __future__ import annotations

__all__ = [
    "ServerKind",
    "QueryMethod",
    "ServerProfile",
    "PROFILES",
    "RoleUrls",
    "role_urls",
    "identify_server",
    "is_base_url",
    "STAGING_PREFIX",
    "VIRTUOSO_DEFAULT_GRAPH",
    "parse_server_kind",
    "parse_query_method",
]

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit, urlunsplit

from stancegraph.graph.errors import StoreError, ValidationError, Violation

#: Graphs a chunked load writes before it moves them into place (see :mod:`.staged_load`); never listed.
STAGING_PREFIX = "urn:x-stancegraph:staging:"
#: Where the reference data (the default graph of the other backends) lives on Virtuoso, which has no
#: plain default graph: its default graph is the union of every graph, its own system graphs included.
VIRTUOSO_DEFAULT_GRAPH = "https://w3id.org/stancegraph/id/graph/default"


class ServerKind(enum.StrEnum):
    """The SPARQL servers stancegraph knows by name; ``generic`` is any other SPARQL 1.1 server."""

    OXIGRAPH = "oxigraph"
    VIRTUOSO = "virtuoso"
    FUSEKI = "fuseki"
    STANCEGRAPH = "stancegraph"
    GENERIC = "generic"


class QueryMethod(enum.StrEnum):
    """How a query travels (SPARQL 1.1 Protocol, 2.1).

    ``auto``: ``GET`` while the URL stays short, a form ``POST`` (``application/x-www-form-urlencoded``)
    beyond; ``get`` and ``form`` always that; ``direct``: ``POST`` of the bare query
    (``application/sparql-query``), which Virtuoso 7.2 never answers.
    """

    AUTO = "auto"
    GET = "get"
    FORM = "form"
    DIRECT = "direct"


@dataclass(frozen=True)
class ServerProfile:
    """What a client must do differently for one kind of server.

    Attributes
    ----------
    kind : ServerKind
    label : str
        How messages name the server ("the Virtuoso server at URL").
    query_path, update_path, store_path : str or None
        The three roles below a base URL (None: nothing can be said, the URL must be given).
    query_suffixes : tuple of str
        Endings that mark a URL as the query URL rather than a base URL.
    direct_post : bool
        The server answers queries and updates sent as bare ``POST`` bodies.
    union_parameter : str or None
        The URL parameter that makes the default graph the union of all graphs.
    plain_default_graph : bool
        False where the default graph of a query is not a graph of its own (Virtuoso: the union of all
        graphs); stancegraph then keeps the default graph's data in :data:`VIRTUOSO_DEFAULT_GRAPH`.
    empty_graphs_listed : bool
        ``GRAPH ?g { }`` lists the named graphs (Virtuoso answers nothing to it).
    results_accept, graph_accept : str
        The ``Accept`` headers for ``SELECT`` / ``ASK`` and for ``CONSTRUCT`` / ``DESCRIBE``.
    iri_escapes : bool
        The server reads ``\\uXXXX`` escapes in IRIs (Virtuoso does not: the store writes the characters).
    boolean_digits : bool
        The JSON results write ``xsd:boolean`` values as ``"1"`` / ``"0"`` (Virtuoso), which the store
        writes back as ``"true"`` / ``"false"``.
    chunk_size : int
        Quads per update request of a load. Virtuoso refuses a statement that compiles to more than
        10,000 lines of SQL (about 1,000 quads).
    transactional_requests : bool
        The server runs an update request of several operations as one transaction. Virtuoso runs each
        operation on its own: a later one that fails leaves the earlier ones applied.
    substitute_bindings : bool
        Bound values are written into the query in place of their variable; otherwise a ``VALUES``
        block goes into every group, which Virtuoso's cost estimate multiplies past its limit.
    row_cap : int or None
        The most rows (and graph triples) an answer holds by default; a longer one is cut.
    dataset_get : bool
        A Graph Store ``GET`` without a graph returns the whole dataset (not in the protocol).
    graph_store_reads : bool
        A Graph Store ``GET`` returns a graph whole (Virtuoso cuts it at its row cap, silently).
    pragmas : bool
        The server reads Virtuoso's ``DEFINE input:default-graph-uri`` pragma, which names the default
        graph of an update.
    blank_nodes_in_data : bool
        ``INSERT DATA`` may hold blank nodes (Virtuoso refuses them; they go in ``INSERT { } WHERE { }``).
    staged_loads : bool
        A load larger than one chunk can be staged (:mod:`.staged_load`); ``stancegraph serve`` takes
        only ``INSERT DATA`` / ``DELETE DATA``, so a load must fit one request there.
    system_prefixes : tuple of str
        IRIs of the graphs the server keeps for itself start with one of these; they are never listed,
        counted, exported or cleared.
    version_path : str, optional
        Where the server answers its store's version, a token that changes with every write
        (``stancegraph serve``: ``/api/version``); None: it cannot tell, so nothing derived is cached.
    """

    kind: ServerKind
    label: str
    query_path: str | None
    update_path: str | None
    store_path: str | None
    query_suffixes: tuple[str, ...]
    direct_post: bool
    union_parameter: str | None
    plain_default_graph: bool
    empty_graphs_listed: bool
    results_accept: str
    graph_accept: str
    chunk_size: int
    transactional_requests: bool
    substitute_bindings: bool
    row_cap: int | None
    dataset_get: bool
    graph_store_reads: bool
    pragmas: bool
    blank_nodes_in_data: bool = True
    boolean_digits: bool = False
    iri_escapes: bool = True
    staged_loads: bool = True
    system_prefixes: tuple[str, ...] = ()
    version_path: str | None = None

    def is_system_graph(self, iri: str) -> bool:
        """Whether ``iri`` names one of the server's own graphs."""
        return any(iri.startswith(prefix) for prefix in self.system_prefixes)


_JSON_FIRST = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPHS = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"

#: Every known server, by kind.
PROFILES: Mapping[ServerKind, ServerProfile] = MappingProxyType(
    {
        ServerKind.OXIGRAPH: ServerProfile(
            kind=ServerKind.OXIGRAPH,
            label="Oxigraph server",
            query_path="/query",
            update_path="/update",
            store_path="/store",
            query_suffixes=("/query",),
            direct_post=True,
            union_parameter="union-default-graph",
            plain_default_graph=True,
            empty_graphs_listed=True,
            results_accept=_JSON_FIRST,
            graph_accept=_GRAPHS,
            chunk_size=50_000,
            transactional_requests=True,
            substitute_bindings=False,
            row_cap=None,
            dataset_get=True,
            graph_store_reads=True,
            pragmas=False,
        ),
        ServerKind.VIRTUOSO: ServerProfile(
            kind=ServerKind.VIRTUOSO,
            label="Virtuoso server",
            query_path="/sparql",
            update_path="/sparql",
            store_path="/sparql-graph-crud",
            query_suffixes=("/sparql", "/sparql-auth"),
            direct_post=False,
            union_parameter=None,
            plain_default_graph=False,
            empty_graphs_listed=False,
            results_accept=_JSON_FIRST,
            graph_accept=_GRAPHS,
            chunk_size=500,
            transactional_requests=False,
            substitute_bindings=True,
            row_cap=10_000,
            dataset_get=False,
            graph_store_reads=False,
            pragmas=True,
            blank_nodes_in_data=False,
            boolean_digits=True,
            iri_escapes=False,
            system_prefixes=(
                "http://www.openlinksw.com/",
                "http://www.w3.org/ns/ldp#",
                "http://localuriqaserver/",
            ),
        ),
        ServerKind.FUSEKI: ServerProfile(
            kind=ServerKind.FUSEKI,
            label="Fuseki server",
            query_path="/query",
            update_path="/update",
            store_path="/data",
            query_suffixes=("/query", "/sparql"),
            direct_post=True,
            union_parameter=None,
            plain_default_graph=True,
            empty_graphs_listed=False,
            results_accept=_JSON_FIRST,
            graph_accept=_GRAPHS,
            chunk_size=50_000,
            transactional_requests=True,
            substitute_bindings=False,
            row_cap=None,
            dataset_get=False,
            graph_store_reads=True,
            pragmas=False,
        ),
        # `stancegraph serve`: its own routes; loads must fit one request (its writes are INSERT DATA /
        # DELETE DATA only, so the staged copy of a chunked load is refused), below its --max-body
        ServerKind.STANCEGRAPH: ServerProfile(
            kind=ServerKind.STANCEGRAPH,
            label="stancegraph service",
            version_path="/api/version",
            query_path="/sparql",
            update_path="/sparql",
            store_path="/store",
            query_suffixes=("/sparql",),
            direct_post=True,
            union_parameter="union-default-graph",
            plain_default_graph=True,
            empty_graphs_listed=False,
            results_accept=_JSON_FIRST,
            graph_accept=_GRAPHS,
            chunk_size=20_000,
            transactional_requests=True,
            substitute_bindings=False,
            row_cap=None,
            dataset_get=True,
            graph_store_reads=True,
            pragmas=False,
            staged_loads=False,
        ),
        ServerKind.GENERIC: ServerProfile(
            kind=ServerKind.GENERIC,
            label="SPARQL server",
            query_path=None,
            update_path=None,
            store_path=None,
            query_suffixes=(),
            direct_post=False,
            union_parameter=None,
            plain_default_graph=True,
            empty_graphs_listed=False,
            results_accept=_JSON_FIRST,
            graph_accept=_GRAPHS,
            chunk_size=10_000,
            transactional_requests=False,
            substitute_bindings=False,
            row_cap=None,
            dataset_get=False,
            graph_store_reads=True,
            pragmas=False,
        ),
    }
)


@dataclass(frozen=True)
class RoleUrls:
    """The three URLs of a server and its profile; ``update_url`` / ``store_url`` are None when unknown;
    ``version_url``: where it answers its store's version, if it can."""

    profile: ServerProfile
    query_url: str
    update_url: str | None
    store_url: str | None
    version_url: str | None = None


def _parts(url: str) -> tuple[str, str]:
    """(scheme://host:port, path without a trailing slash); StoreError if ``url`` is not HTTP."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"not an HTTP URL: {url!r}; give the endpoint as http(s)://host:port/...")
    if parts.query or parts.fragment:
        raise StoreError(
            f"the endpoint URL {url!r} has a query or fragment; give it without '?...' or '#...'"
        )
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")), parts.path.rstrip("/")


def is_base_url(url: str) -> bool:
    """Whether ``url`` is a server's root (no path)."""
    return not _parts(url)[1]


def role_urls(
    kind: ServerKind | str,
    url: str,
    *,
    update_url: str | None = None,
    store_url: str | None = None,
) -> RoleUrls:
    """The three URLs of a ``kind`` server given its base URL or its query URL.

    A URL that ends in one of the server's query paths (Oxigraph ``/query``, Virtuoso ``/sparql``,
    Fuseki ``/query`` or ``/sparql``) is the query URL and the others are its siblings; any other URL is
    a base (Oxigraph's root, Virtuoso's root, a Fuseki dataset such as ``http://host:3030/ds``) and the
    roles are below it. Of a generic server only the query URL is known. ``update_url`` and
    ``store_url``, when given, win.

    Raises
    ------
    StoreError
        ``url`` is not an HTTP URL, or it is a bare server root where the server needs more (a Fuseki
        dataset).
    """
    profile = PROFILES[ServerKind(kind)]
    root, path = _parts(url)
    suffix = next((s for s in profile.query_suffixes if path.endswith(s)), None)
    if profile.query_path is None:  # generic: the URL is the query URL, nothing else can be derived
        return RoleUrls(profile, url, update_url, store_url)
    if suffix is not None:
        base = root + path[: -len(suffix)]
        query = url.rstrip("/")
    else:
        if profile.kind is ServerKind.FUSEKI and not path:
            raise StoreError(
                f"{url} is the root of a Fuseki server; give the dataset's URL (http://host:3030/DATASET) or "
                "its query URL (.../DATASET/query)"
            )
        base = root + path
        query = base + profile.query_path
    derived_update = base + profile.update_path if profile.update_path else None
    derived_store = base + profile.store_path if profile.store_path else None
    version = base + profile.version_path if profile.version_path else None
    return RoleUrls(profile, query, update_url or derived_update, store_url or derived_store, version)


def identify_server(headers: Mapping[str, str], body: str) -> ServerKind:
    """The kind of server that sent an answer with these ``headers`` and ``body`` (generic if unknown).

    The ``Server`` header names Oxigraph, Virtuoso and ``stancegraph serve``; Fuseki adds a
    ``Fuseki-Request-Id`` header; a Virtuoso service description mentions OpenLink's schemas.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    server = lowered.get("server", "").lower()
    if "stancegraph" in server:
        return ServerKind.STANCEGRAPH
    if "oxigraph" in server:
        return ServerKind.OXIGRAPH
    if "virtuoso" in server or "openlinksw.com" in body[:20_000]:
        return ServerKind.VIRTUOSO
    if "fuseki" in server or "fuseki-request-id" in lowered:
        return ServerKind.FUSEKI
    return ServerKind.GENERIC


def parse_server_kind(server: ServerKind | str | None) -> ServerKind | None:
    """``server`` as a :class:`ServerKind` (None stays None: find out); a ValidationError naming the kinds."""
    if server is None or isinstance(server, ServerKind):
        return server
    try:
        return ServerKind(str(server).strip().lower())
    except ValueError:
        names = ", ".join(kind.value for kind in ServerKind)
        raise ValidationError(
            [Violation(f"unknown server {server!r}; use one of: {names}", rule="option")]
        ) from None


def parse_query_method(method: QueryMethod | str) -> QueryMethod:
    """``method`` as a :class:`QueryMethod`; a ValidationError naming the methods."""
    try:
        return QueryMethod(method if isinstance(method, QueryMethod) else str(method).strip().lower())
    except ValueError:
        names = ", ".join(m.value for m in QueryMethod)
        raise ValidationError(
            [Violation(f"unknown query method {method!r}; use one of: {names}", rule="option")]
        ) from None

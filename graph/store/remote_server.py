"""One SPARQL server as a remote store sees it: which server it is, its URLs, and the text it is sent.

:class:`RemoteServer` finds out which server it talks to (asking it, the first time it is needed, unless
told), where its query, update and Graph Store URLs are (:func:`~stancegraph.graph.store.servers.role_urls`),
which graphs are the server's own, and rewrites what it is sent into the forms that server reads: bound values
written in place (:mod:`.term_substitution`), ``GRAPH`` patterns that skip its own graphs and the default
graph's (:mod:`.hidden_graphs`), IRIs without ``\\u`` escapes, blank nodes of ``INSERT DATA`` in a template,
and the pragma that names the default graph of an update. :class:`~stancegraph.graph.store.RemoteStore`
builds the store's behaviour on it.
"""

from __future__ import annotations

__all__ = ["RemoteServer", "ALL_GRAPHS"]

import threading
from collections.abc import Mapping, Sequence

import httpx
from pyoxigraph import NamedNode

from stancegraph.graph.errors import StoreError
from stancegraph.graph.store.base import SelectResult
from stancegraph.graph.store.bindings import Term, bind_values, sparql_term
from stancegraph.graph.store.data_updates import blank_nodes_as_template
from stancegraph.graph.store.hidden_graphs import hide_graphs
from stancegraph.graph.store.servers import (
    STAGING_PREFIX,
    VIRTUOSO_DEFAULT_GRAPH,
    QueryMethod,
    RoleUrls,
    ServerKind,
    ServerProfile,
    identify_server,
    is_base_url,
    role_urls,
)
from stancegraph.graph.store.sparql_lexer import unescape_iris
from stancegraph.graph.store.sparql_protocol import SparqlClient, read_answer
from stancegraph.graph.store.term_substitution import substitute_terms

#: Every non-empty graph, one row each (Virtuoso takes a minute over SELECT DISTINCT ?g of 6,000 graphs).
ALL_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_SD_SERVICE = "<http://www.w3.org/ns/sparql-service-description#Service>"
_SERVERS = "--server oxigraph|virtuoso|fuseki|stancegraph"


class RemoteServer:
    """A SPARQL server at ``url``: its kind and URLs (found on first use), and the requests it is sent.

    Parameters are those of :class:`~stancegraph.graph.store.RemoteStore` of the same names.
    """

    def __init__(
        self,
        url: str,
        *,
        server: ServerKind | None,
        update_url: str | None,
        store_url: str | None,
        timeout: float,
        token: str | None,
        query_method: QueryMethod,
        default_graph_iri: str | None,
        system_graphs: Sequence[str],
    ) -> None:
        is_base_url(url)  # refuses what is not an HTTP URL, before anything is sent
        self.url = url
        self.query_method = query_method
        self._server = server
        self._given = (update_url, store_url)
        self._default_graph_iri = default_graph_iri
        self._system_graphs = frozenset(system_graphs)
        self._roles: RoleUrls | None = None
        self._excluded: tuple[str, ...] | None = None
        self._lock = threading.Lock()
        self.http = SparqlClient(timeout=timeout, token=token)
        if server is not None:
            self.roles  # noqa: B018 - nothing to ask the server: find the URLs now, and their errors

    # -- which server, where ----------------------------------------------------------------------------

    @property
    def roles(self) -> RoleUrls:
        """The server's profile and URLs; the first use asks the server which it is, if not told."""
        if self._roles is not None:
            return self._roles
        with self._lock:
            if self._roles is None:
                kind = self._server or self._detect()
                update_url, store_url = self._given
                roles = role_urls(kind, self.url, update_url=update_url, store_url=store_url)
                if self.query_method is QueryMethod.DIRECT and roles.profile.kind is ServerKind.VIRTUOSO:
                    raise StoreError(
                        "query_method='direct' (a bare application/sparql-query POST) gets no answer from "
                        "Virtuoso 7.2; use 'auto', 'get' or 'form'"
                    )
                self._roles = roles
        return self._roles

    @property
    def profile(self) -> ServerProfile:
        return self.roles.profile

    def _detect(self) -> ServerKind:
        """Which server this is, from its answer to a service-description request at the given URL."""
        response = self.http.send(
            "GET",
            self.url,
            what="request for the service description",
            server=f"the SPARQL server at {self.url}",
            headers={"Accept": "text/turtle, application/rdf+xml;q=0.8, */*;q=0.1"},
            any_status=True,
        )
        kind = identify_server(response.headers, response.text)
        if kind is ServerKind.GENERIC and is_base_url(self.url):
            raise StoreError(
                f"{self.url} is the root of a server that does not say which it is, so its query URL is "
                "unknown; give the query URL (e.g. http://host:port/sparql) with --update-url (and "
                f"--store-url), or name the server with {_SERVERS}"
            )
        return kind

    def store_version(self) -> str | None:
        """The server's answer to its version query (:attr:`RoleUrls.version_url`), None if it has none or
        does not know (a store behind it that cannot tell, a write under way, an older server)."""
        url = self.roles.version_url
        if url is None:
            return None
        response = self.http.send("GET", url, what="version query", server=self.label(url), missing_ok=True)
        try:
            version = response.json().get("store_version") if response.status_code == 200 else None
        except (ValueError, AttributeError):
            return None
        return version if isinstance(version, str) and version else None

    def label(self, url: str | None = None) -> str:
        """How messages name the server: "the Virtuoso server at URL"."""
        return f"the {self.profile.label} at {url or self.roles.query_url}"

    def require(self, url: str | None, role: str, option: str, what: str) -> str:
        """``url``, or a StoreError saying which URL ``what`` needs and how to give it."""
        if url is None:
            roles = self.roles
            flag = option.replace("_", "-")
            keyword = option.replace("_url", "_endpoint")
            raise StoreError(
                f"{what} needs the {role} of the {roles.profile.label} at {roles.query_url}, which cannot be "
                f"derived for this server; give it with --{flag} (or STANCEGRAPH_{option.upper()}; "
                f"{keyword}= in open_store), or name the server with {_SERVERS}"
            )
        return url

    @property
    def default_graph_iri(self) -> str | None:
        """The named graph that holds the default graph's data, on a server without a plain one."""
        if self.profile.plain_default_graph:
            return None
        return self._default_graph_iri or VIRTUOSO_DEFAULT_GRAPH

    # -- the server's own graphs ------------------------------------------------------------------------

    def is_hidden(self, iri: str) -> bool:
        """A graph stancegraph leaves out of every list: the server's own, a staging graph, the default's."""
        return (
            iri.startswith(STAGING_PREFIX)
            or iri == self.default_graph_iri
            or iri in self._system_graphs
            or self.profile.is_system_graph(iri)
        )

    def is_system_graph(self, iri: str) -> bool:
        return iri in self._system_graphs or self.profile.is_system_graph(iri)

    def excluded_graphs(self) -> tuple[str, ...]:
        """The graphs ``GRAPH`` patterns must not see on Virtuoso: its own and the default graph's.

        Found once: the graphs whose IRI marks them as the server's, and those that describe a SPARQL
        service (Virtuoso keeps its service description in a graph named after the endpoint).
        """
        if self._excluded is None:
            graphs = self.select(ALL_GRAPHS)
            described = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a {_SD_SERVICE} }} }}")
            self._system_graphs |= {row[0].value for row in described if isinstance(row[0], NamedNode)}
            system = {
                row[0].value
                for row in graphs
                if isinstance(row[0], NamedNode) and self.profile.is_system_graph(row[0].value)
            }
            default = {self.default_graph_iri} if self.default_graph_iri else set()
            self._excluded = tuple(sorted(system | self._system_graphs | default))
        return self._excluded

    # -- what is sent -------------------------------------------------------------------------------------

    def query_text(self, sparql: str, bindings: Mapping[str, Term], *, hide: bool) -> str:
        """``sparql`` with its bindings, in the forms the server reads (``hide``: keep ``GRAPH`` patterns
        from the server's own graphs and the default's)."""
        profile = self.profile
        substituted = substitute_terms(sparql, bindings) if profile.substitute_bindings else None
        text = substituted if substituted is not None else bind_values(sparql, bindings)
        if hide:
            text = self._hiding(text)
        return text if profile.iri_escapes else unescape_iris(text)

    def update_text(self, sparql: str) -> tuple[str, int]:
        """The update to send for ``sparql``, and how many lines of it are stancegraph's preamble."""
        profile = self.profile
        if not profile.blank_nodes_in_data:
            sparql = blank_nodes_as_template(sparql)
        sparql = self._hiding(sparql)
        if not profile.iri_escapes:
            sparql = unescape_iris(sparql)
        if profile.pragmas and self.default_graph_iri is not None:
            pragma = f"DEFINE input:default-graph-uri {sparql_term(NamedNode(self.default_graph_iri))}\n"
            return pragma + sparql, 1
        return sparql, 0

    def _hiding(self, sparql: str) -> str:
        if self.profile.plain_default_graph and not self.profile.system_prefixes:
            return sparql
        return hide_graphs(sparql, self.excluded_graphs())

    # -- requests -----------------------------------------------------------------------------------------

    def send_query(
        self, text: str, params: list[tuple[str, str]], *, graph_form: bool, timeout: float | None = None
    ) -> httpx.Response:
        """Send a query as it is (see :meth:`query_text`) with its dataset ``params``."""
        profile = self.profile
        return self.http.query(
            self.roles.query_url,
            text,
            method=self.query_method,
            params=params,
            accept=profile.graph_accept if graph_form else profile.results_accept,
            server=self.label(),
            timeout=timeout,
        )

    def select(self, sparql: str) -> tuple:
        """The rows of a ``SELECT`` sent as it is, without a dataset: every graph of the server in view."""
        response = self.send_query(sparql, [], graph_form=False)
        result = read_answer(
            response, "SELECT", server=self.label(), canonical_booleans=self.profile.boolean_digits
        )
        assert isinstance(result, SelectResult)
        return result.rows

    def send_update(self, sparql: str, *, what: str, user_text: bool, url: str | None = None) -> None:
        """Send the update ``sparql`` (rewritten by :meth:`update_text`) to the update URL."""
        target = url or self.require(self.roles.update_url, "update URL", "update_url", what)
        text, preamble = self.update_text(sparql)
        self.http.update(
            target,
            text,
            direct=self.profile.direct_post,
            what=what,
            server=self.label(target),
            user_text=user_text,
            line_shift=preamble,
        )

    def close(self) -> None:
        self.http.close()

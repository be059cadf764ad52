"""The remote backend: a SPARQL server reached over HTTP.

:class:`RemoteStore` speaks three W3C protocols, so it works with any server that implements them
(Oxigraph, Apache Jena Fuseki, GraphDB, Virtuoso, QLever for reading):

* SPARQL 1.1 Protocol for queries: ``POST`` with ``Content-Type: application/sparql-query``, asking for
  ``application/sparql-results+json`` (SELECT, ASK) or ``application/n-triples`` (CONSTRUCT, DESCRIBE);
* SPARQL 1.1 Update for writes: ``POST`` with ``Content-Type: application/sparql-update``; loads are sent
  as one ``INSERT DATA`` request, which the server applies as one transaction;
* the Graph Store HTTP Protocol for exports: ``GET`` of ``?graph=IRI`` / ``?default`` as N-Triples, and a
  ``GET`` of the whole dataset as N-Quads (Oxigraph and Fuseki both serve it).

Terms travel in their N-Triples form, which pyoxigraph escapes; no user text is ever spliced into SPARQL.
"""

from __future__ import annotations

__all__ = ["RemoteStore"]

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from pyoxigraph import (
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)

from stancegraph.graph.errors import StoreError, ValidationError, Violation
from stancegraph.graph.store.base import (
    SelectResult,
    Store,
    check_dataset,
    check_quads,
    graph_iri,
    syntax_error,
)
from stancegraph.graph.store.bindings import Term, bind_values, check_bindings, sparql_term
from stancegraph.graph.store.data_updates import insert_data

_ACCEPT_QUERY = "application/sparql-results+json, application/n-triples;q=0.9"
#: The URL parameter with which an Oxigraph server makes the default graph the union of all graphs.
OXIGRAPH_UNION_PARAMETER = "union-default-graph"


class RemoteStore(Store):
    """A :class:`~stancegraph.graph.store.Store` on a SPARQL server.

    Parameters
    ----------
    query_url : str
        The SPARQL query endpoint, or the root of an Oxigraph server.
    update_url, store_url : str, optional
        The SPARQL Update endpoint and the Graph Store Protocol endpoint. When left out they follow the
        Oxigraph server's layout: for ``http://host:7878`` (a bare server root) or
        ``http://host:7878/prefix/query`` they are ``.../update`` and ``.../store`` beside ``.../query``.
        For any other ``query_url`` nothing is guessed: give them (Fuseki: ``/ds/sparql``,
        ``/ds/update``, ``/ds/data``), or writes and exports raise StoreError.
    timeout : float, default 30.0
        Seconds to wait for each response (``query(timeout=...)`` overrides it for one query).
    token : str, optional
        Sent as ``Authorization: Bearer <token>``.
    union_graph_parameter : str, optional
        Name of the URL parameter by which the server makes the default graph the union of all graphs.
        SPARQL has no portable way to ask for that; Oxigraph reads ``union-default-graph``, which is
        used when the URLs follow its layout. Without one, ``query(union_default_graph=True)`` raises
        StoreError.
    bulk_chunk_size : int, default 50_000
        Quads per request for ``load(..., bulk=True)``.

    Notes
    -----
    * ``bindings`` travel as ``VALUES`` blocks in the query text (:mod:`stancegraph.graph.store.bindings`),
      exactly as on the embedded store.
    * Blank nodes keep their identity within one load; the server gives them its own labels. Named
      graphs must be IRIs.
    * ``timeout`` is the client's wait; the server may keep working (start Oxigraph with
      ``--timeout-s`` to bound it there).

    Examples
    --------
    >>> RemoteStore("http://localhost:7878").update_url
    'http://localhost:7878/update'
    >>> RemoteStore("http://localhost:3030/ds/sparql", update_url="http://localhost:3030/ds/update",
    ...             store_url="http://localhost:3030/ds/data").store_url
    'http://localhost:3030/ds/data'
    """

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 30.0,
        token: str | None = None,
        union_graph_parameter: str | None = None,
        bulk_chunk_size: int = 50_000,
    ) -> None:
        base = _oxigraph_base(query_url)
        oxigraph_layout = base is not None and update_url is None and store_url is None
        self.query_url = f"{base}/query" if base is not None else query_url
        self.update_url = update_url if update_url is not None else (f"{base}/update" if base else None)
        self.store_url = store_url if store_url is not None else (f"{base}/store" if base else None)
        if union_graph_parameter is None and oxigraph_layout:
            union_graph_parameter = OXIGRAPH_UNION_PARAMETER
        self.union_graph_parameter = union_graph_parameter
        self.timeout = timeout
        if bulk_chunk_size < 1:
            raise ValidationError([Violation(f"bulk_chunk_size must be at least 1, not {bulk_chunk_size}")])
        self.bulk_chunk_size = bulk_chunk_size
        headers = {"User-Agent": "stancegraph"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        self._client: httpx.Client | None = httpx.Client(headers=headers, timeout=timeout)

    def __repr__(self) -> str:
        state = ", closed" if self._client is None else ""
        return f"RemoteStore({self.query_url}{state})"

    # -- reading --------------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        union_default_graph: bool = False,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> SelectResult | bool | tuple[Triple, ...]:
        check_dataset(union_default_graph=union_default_graph, default_graph=default_graph)
        params: list[tuple[str, str]] = []
        if union_default_graph:
            if self.union_graph_parameter is None:
                raise StoreError(
                    f"union_default_graph=True needs a server-specific switch and none is known for "
                    f"{self.query_url}; pass union_graph_parameter= to RemoteStore (Oxigraph: "
                    f"{OXIGRAPH_UNION_PARAMETER!r}), or query with GRAPH ?g {{ ... }}"
                )
            params.append((self.union_graph_parameter, ""))
        params += [("default-graph-uri", graph_iri(g).value) for g in default_graph or ()]
        params += [("named-graph-uri", graph_iri(g).value) for g in named_graphs or ()]
        text = bind_values(sparql, check_bindings(bindings))
        response = self._send(
            "POST",
            self.query_url,
            what="query",
            params=params,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": _ACCEPT_QUERY},
            timeout=timeout,
            sparql=text,
        )
        media_type = _media_type(response)
        results_format = QueryResultsFormat.from_media_type(media_type)
        if results_format is not None:
            results = _parse_results(response.content, results_format, self.query_url)
            if isinstance(results, QueryBoolean):
                return bool(results)
            names = tuple(v.value for v in results.variables)
            width = range(len(names))
            return SelectResult(names, tuple(tuple(s[i] for i in width) for s in results))
        rdf_format = RdfFormat.from_media_type(media_type)
        if rdf_format is not None:
            return tuple(q.triple for q in _parse_rdf(response.content, rdf_format, self.query_url))
        raise StoreError(
            f"{self.query_url} answered the query with {media_type or 'no content type'}, which is neither "
            "SPARQL results nor RDF; is this a SPARQL endpoint?"
        )

    def _fetch(self, graph: str | None, *, dataset: bool) -> Iterable[Quad] | Iterable[Triple]:
        url = self._require(self.store_url, "store_url", "export")
        if dataset and graph is None:
            response = self._send("GET", url, what="export", headers={"Accept": "application/n-quads"})
            return _parse_rdf(response.content, _rdf_format(response, url), url)
        if graph is None:
            target, params, label = f"{url}{'&' if '?' in url else '?'}default", None, "the default graph"
        else:
            target, params, label = url, {"graph": graph_iri(graph).value}, f"graph <{graph}>"
        response = self._send(
            "GET",
            target,
            what=f"export of {label}",
            params=params,
            headers={"Accept": "application/n-triples"},
            missing_ok=True,
        )
        if response.status_code == 404:  # the graph does not exist: export it as empty
            return ()
        return (q.triple for q in _parse_rdf(response.content, _rdf_format(response, url), url))

    # -- writing --------------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        self._update(sparql, what="update", user_text=True)

    def load(self, quads: Iterable[Quad | Triple | tuple[Any, ...]], *, bulk: bool = False) -> int:
        checked = check_quads(quads)
        if not bulk:
            batch = list(checked)
            if batch:
                self._update(insert_data(batch), what="load", user_text=False)
            return len(batch)
        total = 0
        while batch := list(islice(checked, self.bulk_chunk_size)):
            self._update(insert_data(batch), what=f"bulk load (after {total} quads)", user_text=False)
            total += len(batch)
        return total

    def remove_graph(self, graph: str) -> None:
        self._update(
            f"DROP SILENT GRAPH {sparql_term(graph_iri(graph))}", what="remove_graph", user_text=False
        )

    def clear(self) -> None:
        self._update("DROP ALL", what="clear", user_text=False)

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    # -- HTTP -----------------------------------------------------------------------------------------

    def _update(self, sparql: str, *, what: str, user_text: bool) -> None:
        url = self._require(self.update_url, "update_url", what)
        self._send(
            "POST",
            url,
            what=what,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
            sparql=sparql if user_text else None,
        )

    def _require(self, url: str | None, name: str, what: str) -> str:
        if url is None:
            raise StoreError(
                f"{what} needs the server's {name}, which cannot be derived from {self.query_url}; pass "
                f"{name}= to RemoteStore (or the matching open_store option)"
            )
        return url

    def _send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        sparql: str | None = None,
        missing_ok: bool = False,
        timeout: float | None = None,
        **request: Any,
    ) -> httpx.Response:
        if self._client is None:
            raise StoreError(f"{self!r} is closed; open it again with open_store(endpoint=...)")
        if timeout is not None:
            request["timeout"] = timeout
        try:
            response = self._client.request(method, url, **request)
        except httpx.ConnectError as error:
            raise StoreError(
                f"cannot connect to the SPARQL server at {url} ({error}); start it (e.g. `oxigraph serve "
                "--location DIR --bind HOST:PORT`) or fix the endpoint URL"
            ) from error
        except httpx.TimeoutException as error:
            limit = timeout if timeout is not None else self.timeout
            raise StoreError(
                f"the {what} sent to {url} got no answer within {limit} s; raise the timeout or narrow "
                "the query"
            ) from error
        except httpx.HTTPError as error:
            raise StoreError(f"the {what} request to {url} failed: {error}") from error
        status = response.status_code
        if status < 400 or (missing_ok and status == 404):
            return response
        message = response.text.strip()[:2000] or response.reason_phrase
        if status == 400 and sparql is not None:
            raise syntax_error(message, sparql, origin=f"server at {url}")
        if status in (401, 403):
            hint = "pass token= (or a different one) to open_store / RemoteStore"
        elif status in (404, 405):
            hint = "check the endpoint URL (Fuseki and GraphDB need update_url= and store_url= too)"
        elif status == 400:
            hint = "the server rejected data stancegraph generated; please report this"
        else:
            hint = "see the server's log"
        raise StoreError(f"the {what} failed: {url} answered HTTP {status}: {message}; {hint}")


def _oxigraph_base(query_url: str) -> str | None:
    """The server root when ``query_url`` follows Oxigraph's layout (a bare root or ``.../query``)."""
    parts = urlsplit(query_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"not an HTTP URL: {query_url!r}; give the endpoint as http(s)://host:port/...")
    path = parts.path.rstrip("/")
    if path and not path.endswith("/query"):
        return None
    root = path[: -len("/query")] if path else ""
    return urlunsplit((parts.scheme, parts.netloc, root, "", ""))


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _rdf_format(response: httpx.Response, url: str) -> RdfFormat:
    rdf_format = RdfFormat.from_media_type(_media_type(response))
    if rdf_format is None:
        raise StoreError(f"{url} sent {_media_type(response) or 'no content type'}, which is not RDF")
    return rdf_format


def _parse_results(
    body: bytes, results_format: QueryResultsFormat, url: str
) -> QuerySolutions | QueryBoolean:
    try:
        return parse_query_results(body, results_format)
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"cannot read the query results sent by {url}: {error}") from error


def _parse_rdf(body: bytes, rdf_format: RdfFormat, url: str) -> Iterator[Quad]:
    try:
        return iter(list(parse(body, rdf_format)))
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"cannot read the RDF sent by {url}: {error}") from error

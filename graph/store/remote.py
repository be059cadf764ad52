"""The remote backend: a SPARQL server reached over HTTP.

:class:`RemoteStore` speaks three W3C protocols, so it works with any server that implements them, and
knows where the servers it has been tested with (Oxigraph, Virtuoso) differ (:mod:`.servers`):

* queries (SPARQL 1.1 Protocol) go by ``GET`` while short and as form ``POST`` beyond, asking for results
  or RDF by the query's form, and the answer is checked against the question and against truncation
  (:mod:`.sparql_protocol`); the text is written in the forms the server reads (:mod:`.remote_server`);
* updates (SPARQL 1.1 Update) are form ``POST`` s, or bare bodies where the server takes them; a load is
  sent in chunks and still written all-or-nothing (:mod:`.staged_load`);
* exports read the Graph Store HTTP Protocol where a server returns graphs whole, and ``CONSTRUCT`` one
  graph at a time (in pages under a row cap) where it does not.

Terms travel in their N-Triples form, which pyoxigraph escapes; no user text is ever spliced into SPARQL.
"""

from __future__ import annotations

__all__ = ["RemoteStore"]

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

import httpx
from pyoxigraph import DefaultGraph, NamedNode, Quad, Triple, parse

from stancegraph.graph.errors import StoreError, ValidationError, Violation
from stancegraph.graph.store.base import SelectResult, Store, check_dataset, check_quads, graph_iri
from stancegraph.graph.store.bindings import Term, check_bindings, sparql_term, sparql_tokens
from stancegraph.graph.store.csv_results import solutions_csv
from stancegraph.graph.store.data_updates import check_graph_names, insert_data
from stancegraph.graph.store.formats import rdf_format_of_media_type
from stancegraph.graph.store.hidden_graphs import FRESH_PREFIX
from stancegraph.graph.store.remote_server import ALL_GRAPHS, RemoteServer
from stancegraph.graph.store.servers import (
    STAGING_PREFIX,
    QueryMethod,
    ServerKind,
    ServerProfile,
    parse_query_method,
    parse_server_kind,
)
from stancegraph.graph.store.sparql_protocol import query_form, read_answer
from stancegraph.graph.store.staged_load import DROP_BATCH, load_staged

_NO_GRAPH = STAGING_PREFIX + "none"  # a graph no store holds: the dataset of default_graph=[]
_WIPES = {("DROP", "ALL"), ("CLEAR", "ALL"), ("DROP", "NAMED"), ("CLEAR", "NAMED")}


class RemoteStore(Store):
    """A :class:`~stancegraph.graph.store.Store` on a SPARQL server.

    Parameters
    ----------
    url : str
        The query URL (``http://host:8890/sparql``), or a server's base URL (``http://host:7878``) whose
        layout ``server`` gives or the server's answers tell.
    server : ServerKind or str, optional
        ``oxigraph``, ``virtuoso``, ``fuseki`` or ``generic``. When left out, the first request asks the
        server (the service description at ``url``) and reads its ``Server`` header.
    update_url, store_url : str, optional
        The SPARQL Update and Graph Store URLs. Derived for the known servers (Oxigraph ``/update`` and
        ``/store``, Virtuoso ``/sparql`` and ``/sparql-graph-crud``, Fuseki ``/update`` and ``/data``
        beside the query URL); a generic server needs ``update_url`` for writes. No export needs
        ``store_url``: without it, a graph is read by ``CONSTRUCT``.
    timeout : float, default 30.0
        Seconds to wait for each response (``query(timeout=...)`` overrides it for one query).
    token : str, optional
        Sent as ``Authorization: Bearer <token>``.
    union_graph_parameter : str, optional
        The URL parameter by which the server makes the default graph the union of all graphs (Oxigraph:
        ``union-default-graph``, known). Without one, ``query(union_default_graph=True)`` names the
        graphs as the query's default graph where the default graph's own data is in a named graph
        (Virtuoso), and raises StoreError otherwise.
    chunk_size : int, optional
        Quads per update request of a load (the server's default: Oxigraph 50,000, Virtuoso 500, generic
        10,000). A larger load is staged so that it stays all-or-nothing (see :meth:`load`).
    query_method : QueryMethod or str, default "auto"
        ``auto`` (``GET`` while short, form ``POST`` beyond), ``get``, ``form`` or ``direct`` (a bare
        ``application/sparql-query`` body; refused for Virtuoso, which never answers it).
    default_graph_iri : str, optional
        Where the default graph's data lives on a server without a plain default graph (Virtuoso;
        :data:`~stancegraph.graph.store.servers.VIRTUOSO_DEFAULT_GRAPH` unless given).
    row_cap : int, optional
        The most rows the server sends in one answer, when it cuts longer ones (Virtuoso's
        ``ResultSetMaxRows``, 10,000 by default; give the server's value if it was changed, 0 for none).
    system_graphs : sequence of str, optional
        More graphs the server keeps for itself, left out of every list, count and export like Virtuoso's
        own (``http://www.openlinksw.com/...``).

    Notes
    -----
    * ``bindings`` travel as ``VALUES`` blocks, as on the embedded store, or, for Virtuoso, as the terms
      written in place of their variables (:mod:`.term_substitution`).
    * Blank nodes keep their identity within one load; the server gives them its own labels. Named
      graphs must be IRIs.
    * ``timeout`` is the client's wait; the server may keep working (start Oxigraph with ``--timeout-s``;
      Virtuoso has ``MaxQueryExecutionTime``).

    Examples
    --------
    >>> RemoteStore("http://localhost:7878", server="oxigraph").update_url
    'http://localhost:7878/update'
    >>> RemoteStore("http://localhost:3030/ds/sparql", update_url="http://localhost:3030/ds/update",
    ...             server="generic").update_url
    'http://localhost:3030/ds/update'
    """

    def __init__(
        self,
        url: str,
        *,
        server: ServerKind | str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 30.0,
        token: str | None = None,
        union_graph_parameter: str | None = None,
        chunk_size: int | None = None,
        query_method: QueryMethod | str = QueryMethod.AUTO,
        default_graph_iri: str | None = None,
        row_cap: int | None = None,
        system_graphs: Sequence[str] = (),
    ) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise ValidationError(
                [Violation(f"chunk_size must be at least 1, not {chunk_size}", rule="option")]
            )
        if row_cap is not None and row_cap < 0:
            raise ValidationError(
                [Violation(f"row_cap must be 0 (none) or more, not {row_cap}", rule="option")]
            )
        self._chunk_size = chunk_size
        self._row_cap = row_cap
        self._union_parameter = union_graph_parameter
        self._server = RemoteServer(
            url,
            server=parse_server_kind(server),
            update_url=update_url,
            store_url=store_url,
            timeout=timeout,
            token=token,
            query_method=parse_query_method(query_method),
            default_graph_iri=default_graph_iri,
            system_graphs=system_graphs,
        )

    def __repr__(self) -> str:
        state = ", closed" if self._server.http.closed else ""
        return f"RemoteStore({self._server.url}{state})"

    # -- the server and its URLs ----------------------------------------------------------------------

    @property
    def profile(self) -> ServerProfile:
        """What is known of the server (asks it which it is, the first time, if ``server`` was not given)."""
        return self._server.profile

    @property
    def server(self) -> ServerKind:
        return self.profile.kind

    @property
    def query_url(self) -> str:
        return self._server.roles.query_url

    @property
    def update_url(self) -> str | None:
        return self._server.roles.update_url

    @property
    def store_url(self) -> str | None:
        return self._server.roles.store_url

    @property
    def timeout(self) -> float:
        return self._server.http.timeout

    @property
    def query_method(self) -> QueryMethod:
        return self._server.query_method

    @property
    def version(self) -> str | None:
        """The server's answer to its version query (``stancegraph serve``: ``GET /api/version``), None for
        a server that has none: what is derived from the store (the stance table) is then built afresh."""
        return self._server.store_version()

    @property
    def chunk_size(self) -> int:
        """Quads per update request of a load."""
        return self._chunk_size or self.profile.chunk_size

    @property
    def row_cap(self) -> int | None:
        """The server's row cap (None: none known)."""
        cap = self._row_cap if self._row_cap is not None else self.profile.row_cap
        return cap or None

    @property
    def default_graph_iri(self) -> str | None:
        """The named graph that holds the default graph's data, on a server without a plain one."""
        return self._server.default_graph_iri

    @property
    def union_graph_parameter(self) -> str | None:
        return self._union_parameter or self.profile.union_parameter

    @property
    def _graph_group(self) -> str:  # type: ignore[override]
        return "{ }" if self.profile.empty_graphs_listed else "{ ?s ?p ?o }"

    @property
    def _graphs_query(self) -> str:  # type: ignore[override]
        return "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }" if self.profile.empty_graphs_listed else ALL_GRAPHS

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
        checked = check_bindings(bindings)
        text = self._server.query_text(sparql, checked, hide=named_graphs is None)
        params = self._dataset(union_default_graph, default_graph, named_graphs)
        form = query_form(text)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        response = self._server.send_query(text, params, graph_form=graph_form, timeout=timeout)
        answer = read_answer(
            response,
            form,
            server=self._server.label(),
            row_cap=self.row_cap if graph_form else None,
            canonical_booleans=self.profile.boolean_digits,
        )
        if isinstance(answer, SelectResult) and any(v.startswith(FRESH_PREFIX) for v in answer.variables):
            keep = [i for i, v in enumerate(answer.variables) if not v.startswith(FRESH_PREFIX)]
            rows = tuple(tuple(row[i] for i in keep) for row in answer.rows)
            return SelectResult(tuple(answer.variables[i] for i in keep), rows)
        return answer

    def select_csv(self, sparql: str) -> bytes:
        """The solutions of a ``SELECT`` query as the server writes them in SPARQL 1.1 CSV results, for a
        columnar reader (no Python object per term). An answer that is not CSV (the server cannot write
        it, or says something else) is asked again the checked way, through
        :func:`~stancegraph.graph.store.csv_results.solutions_csv`."""
        text = self._server.query_text(sparql, {}, hide=True)
        if query_form(text) == "SELECT" and FRESH_PREFIX not in text:
            response = self._server.http.query(
                self.query_url,
                text,
                method=self.query_method,
                params=self._dataset(False, None, None),
                accept="text/csv",
                server=self._server.label(),
            )
            media_type = response.headers.get("content-type", "")
            if response.status_code == 200 and media_type.startswith("text/csv"):
                return response.content
        return solutions_csv(self.stream_query(sparql))

    def _dataset(
        self, union: bool, default_graph: Sequence[str] | None, named_graphs: Sequence[str] | None
    ) -> list[tuple[str, str]]:
        """The protocol's dataset parameters for one query."""
        named = [("named-graph-uri", graph_iri(g).value) for g in named_graphs or ()]
        if union:
            if self.union_graph_parameter is not None:
                return [(self.union_graph_parameter, ""), *named]
            if self.default_graph_iri is None:
                raise StoreError(
                    "union_default_graph=True needs a way to make the default graph the union of all graphs, "
                    f"and {self._server.label()} offers none that stancegraph knows (its default graph "
                    "cannot be named in a query's dataset); query with GRAPH ?g { ... }, or pass "
                    "union_graph_parameter= if the server has such a switch"
                )
            graphs = [self.default_graph_iri, *self.named_graphs()]  # FROM every graph of the catalogue
            return [*(("default-graph-uri", g) for g in graphs), *named]
        if default_graph is not None:
            # no graph at all: a graph no store holds, since the protocol has no way to say "none"
            graphs = [graph_iri(g).value for g in default_graph] or [_NO_GRAPH]
            return [*(("default-graph-uri", g) for g in graphs), *named]
        if self.default_graph_iri is not None:
            return [("default-graph-uri", self.default_graph_iri), *named]
        return named

    def named_graphs(self) -> list[str]:
        return [iri for iri in super().named_graphs() if not self._server.is_hidden(iri)]

    def _fetch(self, graph: str | None, *, dataset: bool) -> Iterable[Quad] | Iterable[Triple]:
        roles = self._server.roles
        if not (dataset and graph is None):
            return self._triples(graph)
        if roles.profile.dataset_get and roles.store_url is not None:
            response = self._server.http.send(
                "GET",
                roles.store_url,
                what="export",
                server=self._server.label(roles.store_url),
                headers={"Accept": "application/n-quads"},
            )
            return self._parse(response, roles.store_url)
        return self._dataset_quads()

    def _dataset_quads(self) -> Iterator[Quad]:
        """Every quad, one graph at a time: the default graph, then each named graph."""
        for graph in (None, *self.named_graphs()):
            name = DefaultGraph() if graph is None else NamedNode(graph)
            for triple in self._triples(graph):
                yield Quad(triple.subject, triple.predicate, triple.object, name)

    def _triples(self, graph: str | None) -> Iterable[Triple]:
        """The triples of one graph (None: the default graph), read whole or refused."""
        roles = self._server.roles
        if not (roles.profile.graph_store_reads and roles.store_url is not None):
            return self._constructed(graph)
        url = roles.store_url
        if graph is None:
            target, params, label = f"{url}{'&' if '?' in url else '?'}default", None, "the default graph"
        else:
            target, params, label = url, {"graph": graph_iri(graph).value}, f"graph <{graph}>"
        response = self._server.http.send(
            "GET",
            target,
            what=f"export of {label}",
            server=self._server.label(url),
            params=params,
            headers={"Accept": "application/n-triples"},
            missing_ok=True,
        )
        if response.status_code == 404:  # the graph does not exist: export it as empty
            return ()
        return [quad.triple for quad in self._parse(response, url)]

    def _constructed(self, graph: str | None) -> list[Triple]:
        """A graph by ``CONSTRUCT``, in pages under the server's row cap, checked against its size."""
        where = "?s ?p ?o" if graph is None else f"GRAPH {sparql_term(graph_iri(graph))} {{ ?s ?p ?o }}"
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"
        cap = self.row_cap
        if cap is None:
            result = self.query(construct)
            assert isinstance(result, tuple)
            return list(result)
        counted = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        assert isinstance(counted, SelectResult)
        total = int(counted.rows[0][0].value)  # type: ignore[union-attr]
        page = max(cap // 2, 1)
        # pages of one fixed order: without ORDER BY a server may list the triples in another order for
        # each page (Virtuoso does under load); the order in a sub-select, the paging outside it, because
        # Virtuoso refuses ORDER BY with OFFSET + LIMIT past its MaxSortedTopRows (10,000 by default)
        inner = f"SELECT ?s ?p ?o WHERE {{ {where} }} ORDER BY ?s ?p ?o"
        ordered = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ {inner} }} }}"
        triples: dict[Triple, None] = {}
        for offset in range(0, total, page):
            result = self.query(f"{ordered} OFFSET {offset} LIMIT {page}")
            assert isinstance(result, tuple)
            triples.update(dict.fromkeys(result))
        if len(triples) != total:
            what = "the default graph" if graph is None else f"graph <{graph}>"
            raise StoreError(
                f"reading {what} from {self._server.label()} in pages of {page} gave {len(triples)} triples "
                f"of {total}; the graph changed while it was read, or the server pages unstably: try again"
            )
        return list(triples)

    def _parse(self, response: httpx.Response, url: str) -> list[Quad]:
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        rdf_format = rdf_format_of_media_type(media_type)
        if rdf_format is None:
            raise StoreError(
                f"{self._server.label(url)} sent {media_type or 'no content type'}, which is not RDF"
            )
        try:
            return list(parse(response.content, rdf_format))
        except (SyntaxError, ValueError) as error:
            raise StoreError(f"cannot read the RDF sent by {self._server.label(url)}: {error}") from None

    # -- writing --------------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        if self.profile.system_prefixes:
            _refuse_wipes(sparql, self._server.label())
        self._server.send_update(sparql, what="update", user_text=True)

    def load(self, quads: Iterable[Quad | Triple | tuple[Any, ...]], *, bulk: bool = False) -> int:
        """Add quads, in update requests of :attr:`chunk_size` quads.

        A load that fits one chunk is one ``INSERT DATA``. A larger one (without ``bulk``) is staged
        (:func:`~stancegraph.graph.store.staged_load.load_staged`): its chunks go into staging graphs,
        which one operation then copies into the target graphs. What that guarantees:

        * a chunk that fails: the staging graphs are dropped, the target graphs were never written, and
          the load raises saying that nothing of it was stored (every server);
        * Oxigraph runs an update request as one transaction: the copy and the drop of the staging graphs
          are one request, so the load is all-or-nothing, whatever fails;
        * Virtuoso runs each operation on its own, and was seen to keep the rows of a failed one: the copy
          is one operation; if it fails, the store counts what reached the targets: nothing, and the load
          is refused as a whole; something, and the copy is sent once more, which completes it; if that
          fails too, the error says how many quads are in place (loading the same data again completes
          it). A crash of the client between chunks leaves only staging graphs, which stancegraph never
          lists, counts, exports or clears away from the targets (``clear()`` removes them).

        The stancegraph service applies only ``INSERT DATA`` / ``DELETE DATA``: a load larger than one
        chunk is refused there before anything is sent.

        While a staged load runs, other clients' ``GRAPH ?g`` patterns can see its staging graphs. With
        ``bulk=True`` each chunk goes straight to its graphs: a failure leaves the earlier chunks stored.
        """
        checked = check_quads(quads)
        url = self._server.require(self.update_url, "update URL", "update_url", "loading")
        size = self.chunk_size
        if bulk:
            total = 0
            while batch := [self._on_server(q) for q in islice(checked, size)]:
                self._send(insert_data(batch), f"bulk load (after {total} quads)", url)
                total += len(batch)
            return total
        batch = [self._on_server(q) for q in checked]
        check_graph_names(batch)
        if not batch:
            return 0
        if len(batch) <= size:
            self._send(insert_data(batch), "load", url)
        elif not self.profile.staged_loads:
            raise StoreError(
                f"{self._server.label(url)} takes a load in one request of at most {size} quads (chunk_size, "
                f"--chunk-size); this one has {len(batch)}: split it, or load into the folder with the "
                "service stopped"
            )
        else:
            load_staged(
                batch,
                size,
                send=lambda text, what: self._send(text, what, url),
                count=self._count,
                transactional=self.profile.transactional_requests,
            )
        return len(batch)

    def _send(self, sparql: str, what: str, url: str | None = None) -> None:
        self._server.send_update(sparql, what=what, user_text=False, url=url)

    def _count(self, sparql: str) -> int:
        return int(self._server.select(sparql)[0][0].value)

    def _on_server(self, quad: Quad) -> Quad:
        """``quad`` as the server keeps it: the default graph's in the named default graph, if any."""
        if isinstance(quad.graph_name, DefaultGraph) and self.default_graph_iri is not None:
            return Quad(quad.subject, quad.predicate, quad.object, NamedNode(self.default_graph_iri))
        return quad

    def remove_graph(self, graph: str) -> None:
        self._send(f"DROP SILENT GRAPH {sparql_term(graph_iri(graph))}", "remove_graph")

    def clear(self) -> None:
        if not self.profile.system_prefixes:
            self._send("DROP ALL", "clear")
            return
        # the server's own graphs must stay: drop every other graph, staging graphs included
        self._server.excluded_graphs()  # learns which graphs describe the service
        graphs = sorted(
            row[0].value
            for row in self._server.select(ALL_GRAPHS)
            if isinstance(row[0], NamedNode) and not self._server.is_system_graph(row[0].value)
        )
        drops = [f"DROP SILENT GRAPH {sparql_term(NamedNode(g))}" for g in graphs]
        for start in range(0, len(drops), DROP_BATCH):
            self._send(" ;\n".join(drops[start : start + DROP_BATCH]), "clear")

    def close(self) -> None:
        self._server.close()


def _refuse_wipes(sparql: str, server: str) -> None:
    """Refuse ``DROP ALL`` / ``CLEAR ALL`` / ``... NAMED``: on Virtuoso they take its own graphs too."""
    words = [word for word, _ in sparql_tokens(sparql) if word != "SILENT"]
    for first, second in zip(words, words[1:], strict=False):
        if (first, second) in _WIPES:
            raise StoreError(
                f"{first} {second} would also remove the graphs {server} keeps for itself; use "
                "store.clear(), or DROP GRAPH <iri> for each graph"
            )

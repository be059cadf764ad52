"""The SPARQL 1.1 Protocol as a client speaks it: how a request goes out, and how its answer is checked.

* A query goes by ``GET`` while the URL stays under :data:`GET_LIMIT` characters and as a form ``POST``
  beyond (:class:`~stancegraph.graph.store.servers.QueryMethod` chooses otherwise), asking by its form for
  SPARQL results (``SELECT``, ``ASK``) or for RDF (``CONSTRUCT``, ``DESCRIBE``).
* The answer must be what was asked for: solutions for a ``SELECT``, a boolean for an ``ASK``, RDF for
  the graph forms. An answer that a server cut at its row cap is refused, never taken as the whole: a
  ``X-SPARQL-MaxRows`` header with as many rows, Virtuoso's anytime-query header ``X-SQL-State: S1TAT``,
  or as many triples as the server's known cap.
* Every failure is a :class:`~stancegraph.graph.errors.StoreError` (or ``QuerySyntaxError``) whose message
  is one line naming the server, its URL and what it said.
"""

from __future__ import annotations

__all__ = ["GET_LIMIT", "SparqlClient", "query_form", "read_answer", "server_message"]

import html
import re
from typing import Any
from urllib.parse import urlencode

import httpx
from pyoxigraph import (
    Literal,
    QueryBoolean,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)

from stancegraph.graph.errors import QuerySyntaxError, StoreError
from stancegraph.graph.store.base import SelectResult, syntax_error
from stancegraph.graph.store.bindings import sparql_tokens
from stancegraph.graph.store.servers import QueryMethod

#: Longest URL (query string included) sent as a GET; longer queries are form POSTs.
GET_LIMIT = 2000
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_MESSAGE_LENGTH = 400


def query_form(sparql: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first query-form keyword of ``sparql``.

    Examples
    --------
    >>> query_form("PREFIX ex: <http://e/> # SELECT\\nCONSTRUCT WHERE { ?s ex:p ?o }")
    'CONSTRUCT'
    """
    return next((token for token, _ in sparql_tokens(sparql) if token in _FORMS), None)


def server_message(response: httpx.Response) -> str:
    """What the server said in an error answer, as one line: tags and the echoed query left out.

    Examples
    --------
    >>> answer = httpx.Response(500, text="Virtuoso 42000 Error Too costly\\n\\nSPARQL query:\\nSELECT ...")
    >>> server_message(answer)
    'Virtuoso 42000 Error Too costly'
    """
    text = response.text
    if "html" in response.headers.get("content-type", "") or text.lstrip().startswith("<"):
        text = html.unescape(_TAG.sub(" ", re.sub(r"(?is)<(head|style|script)\b.*?</\1>", " ", text)))
    text = text.split("SPARQL query:", 1)[0]
    line = _SPACE.sub(" ", text).strip() or response.reason_phrase or "no message"
    return line if len(line) <= _MESSAGE_LENGTH else line[: _MESSAGE_LENGTH - 1] + "…"


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def read_answer(
    response: httpx.Response,
    form: str | None,
    *,
    server: str,
    row_cap: int | None = None,
    canonical_booleans: bool = False,
) -> SelectResult | bool | tuple[Triple, ...]:
    """The answer to a query of ``form``, checked against what was asked and against truncation.

    Parameters
    ----------
    response : httpx.Response
        A successful answer.
    form : str or None
        The query form (:func:`query_form`); None accepts any answer.
    server : str
        How messages name the server ("the Virtuoso server at URL").
    row_cap : int, optional
        The server's known row cap: a graph of as many triples may have been cut.
    canonical_booleans : bool, default False
        Write ``xsd:boolean`` values ``"1"`` / ``"0"`` as ``"true"`` / ``"false"`` (Virtuoso's JSON has the
        digits, its XML the words; pyoxigraph's XML reader trims the spaces around a literal, so JSON it is).

    Raises
    ------
    StoreError
        The answer is not of the asked kind, cannot be read, or was cut short by the server.
    """
    media_type = _media_type(response)
    results_format = QueryResultsFormat.from_media_type(media_type) if media_type else None
    rdf_format = RdfFormat.from_media_type(media_type) if media_type else None
    wants_results = form in ("SELECT", "ASK")
    what = f"a {form}" if form else "the query"
    if results_format is not None and form not in ("CONSTRUCT", "DESCRIBE"):
        body = _blank_node_labels(response.content)
        try:
            results = parse_query_results(body, results_format)
            if isinstance(results, QueryBoolean):
                if form == "SELECT":
                    raise StoreError(f"{server} answered a SELECT with a boolean; is this a SPARQL endpoint?")
                return bool(results)
            if form == "ASK":
                raise StoreError(f"{server} answered an ASK with solutions; is this a SPARQL endpoint?")
            names = tuple(v.value for v in results.variables)
            width = range(len(names))
            rows = tuple(tuple(s[i] for i in width) for s in results)
            if canonical_booleans:
                rows = tuple(tuple(_canonical(term) for term in row) for row in rows)
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(f"cannot read the {media_type} that {server} sent: {_one_line(error)}") from None
        _check_cut(response, len(rows), "rows", server)
        return SelectResult(names, rows)
    if rdf_format is not None and not wants_results:
        try:
            triples = tuple(quad.triple for quad in parse(response.content, rdf_format))
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(
                f"cannot read the {rdf_format.name} that {server} sent: {_one_line(error)}"
            ) from None
        _check_cut(response, len(triples), "triples", server)
        if row_cap is not None and len(triples) >= row_cap:
            raise StoreError(
                f"{server} answered {len(triples)} triples, as many as its row cap of {row_cap}, so the "
                "answer may have been cut; narrow the query (LIMIT / OFFSET) or raise the server's limit "
                "(Virtuoso: ResultSetMaxRows in [SPARQL] of virtuoso.ini)"
            )
        return triples
    expected = "SPARQL results" if wants_results else "RDF" if form else "SPARQL results or RDF"
    raise StoreError(
        f"{server} answered {what} with {media_type or 'no content type'}, not {expected}; is this its "
        "SPARQL query URL?"
    )


_VIRTUOSO_BLANK = re.compile(rb'(<bnode>|"type": *"bnode", *"value": *")nodeID://')
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEAN_WORDS = {"1": "true", "0": "false"}


def _blank_node_labels(body: bytes) -> bytes:
    """Virtuoso names a blank node ``nodeID://b1`` in results, which is no blank-node label: ``b1``."""
    return _VIRTUOSO_BLANK.sub(rb"\1", body) if b"nodeID://" in body else body


def _canonical(term):
    if isinstance(term, Literal) and term.datatype.value == _XSD_BOOLEAN and term.value in _BOOLEAN_WORDS:
        return Literal(_BOOLEAN_WORDS[term.value], datatype=term.datatype)
    return term


def _check_cut(response: httpx.Response, count: int, unit: str, server: str) -> None:
    cap = response.headers.get("x-sparql-maxrows")
    if cap is not None and cap.strip().isdigit() and count >= int(cap):
        raise StoreError(
            f"{server} cut its answer at {cap} {unit} (its row cap, said by X-SPARQL-MaxRows), so it is not "
            "the whole answer; narrow the query (LIMIT / OFFSET, or aggregate) or raise the server's limit "
            "(Virtuoso: ResultSetMaxRows in [SPARQL] of virtuoso.ini)"
        )
    if response.headers.get("x-sql-state", "").strip().upper() == "S1TAT":
        detail = response.headers.get("x-sql-message", "").strip() or "a partial answer"
        raise StoreError(
            f"{server} stopped the query at its time limit and sent what it had found so far ({detail}), so "
            "it is not the whole answer; narrow the query or raise the server's limit (Virtuoso: "
            "MaxQueryExecutionTime in [SPARQL] of virtuoso.ini)"
        )


def _one_line(error: Exception) -> str:
    return _SPACE.sub(" ", str(error)).strip()[:_MESSAGE_LENGTH]


class SparqlClient:
    """The HTTP side of a remote store: one connection pool, requests sent and failures explained.

    Parameters
    ----------
    timeout : float
        Seconds to wait for each answer (a request may give its own).
    token : str, optional
        Sent as ``Authorization: Bearer <token>``.
    """

    def __init__(self, *, timeout: float, token: str | None = None) -> None:
        self.timeout = timeout
        headers = {"User-Agent": "stancegraph"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        self._client: httpx.Client | None = httpx.Client(headers=headers, timeout=timeout)

    @property
    def closed(self) -> bool:
        return self._client is None

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def query(
        self,
        url: str,
        text: str,
        *,
        method: QueryMethod,
        params: list[tuple[str, str]],
        accept: str,
        server: str,
        line_shift: int = 0,
        timeout: float | None = None,
    ) -> httpx.Response:
        """Send the query ``text`` with the protocol ``params`` (``default-graph-uri``, ...)."""
        headers = {"Accept": accept}
        if method is QueryMethod.DIRECT:
            return self.send(
                "POST",
                url,
                what="query",
                server=server,
                params=params,
                content=text.encode("utf-8"),
                headers={**headers, "Content-Type": "application/sparql-query"},
                sparql=text,
                line_shift=line_shift,
                timeout=timeout,
            )
        fields = [("query", text), *params]
        if method is QueryMethod.GET or (
            method is QueryMethod.AUTO and len(url) + 1 + len(urlencode(fields)) <= GET_LIMIT
        ):
            return self.send(
                "GET",
                url,
                what="query",
                server=server,
                params=fields,
                headers=headers,
                sparql=text,
                line_shift=line_shift,
                timeout=timeout,
            )
        return self.send(
            "POST",
            url,
            what="query",
            server=server,
            content=urlencode(fields),
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            sparql=text,
            line_shift=line_shift,
            timeout=timeout,
        )

    def update(
        self,
        url: str,
        text: str,
        *,
        direct: bool,
        what: str,
        server: str,
        user_text: bool,
        line_shift: int = 0,
    ) -> httpx.Response:
        """Send the update ``text``: a bare ``application/sparql-update`` body, or a form field."""
        if direct:
            content, kind = text.encode("utf-8"), "application/sparql-update"
        else:
            content, kind = urlencode([("update", text)]).encode("ascii"), "application/x-www-form-urlencoded"
        return self.send(
            "POST",
            url,
            what=what,
            server=server,
            content=content,
            headers={"Content-Type": kind, "Accept": "application/sparql-results+xml, */*;q=0.1"},
            sparql=text if user_text else None,
            line_shift=line_shift,
        )

    def send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        server: str,
        sparql: str | None = None,
        line_shift: int = 0,
        missing_ok: bool = False,
        any_status: bool = False,
        timeout: float | None = None,
        **request: Any,
    ) -> httpx.Response:
        """One request; an error status, a timeout or a lost connection is a one-line StoreError.

        ``server`` names the server in messages ("the Virtuoso server at URL"). A ``400`` answer to user
        text (``sparql``) is a QuerySyntaxError located in that text, ``line_shift`` lines of it being
        stancegraph's own preamble. ``missing_ok`` lets a 404 through, ``any_status`` every status.
        """
        if self._client is None:
            raise StoreError(f"the store of {server} is closed; open it again with open_store(endpoint=...)")
        if timeout is not None:
            request["timeout"] = timeout
        request = {key: value for key, value in request.items() if value is not None}
        try:
            response = self._client.request(method, url, **request)
        except httpx.ConnectError as error:
            raise StoreError(
                f"cannot connect to {server} ({_one_line(error)}); start it (e.g. `oxigraph serve --location "
                "DIR --bind HOST:PORT`, or Virtuoso's `virtuoso-t`) or fix the endpoint URL"
            ) from None
        except httpx.TimeoutException:
            limit = timeout if timeout is not None else self.timeout
            raise StoreError(
                f"the {what} sent to {server} got no answer within {limit:g} s; raise the timeout or narrow "
                "the query"
            ) from None
        except httpx.HTTPError as error:
            raise StoreError(f"the {what} request to {server} failed: {_one_line(error)}") from None
        status = response.status_code
        if any_status or status < 400 or (missing_ok and status == 404):
            return response
        message = server_message(response)
        if status == 400 and sparql is not None:
            raise _located(message, sparql, line_shift, server)
        if status in (401, 403):
            hint = "pass token= (or a different one) to open_store / RemoteStore"
        elif status in (404, 405):
            hint = (
                "check the endpoint URLs (--endpoint, --update-url, --store-url), or name the server with "
                "--server"
            )
        elif status == 400:
            hint = "the server refused data stancegraph generated"
        elif "estimated execution time" in message:
            hint = (
                "Virtuoso refused the query on its cost estimate, which is often far off; narrow the query, "
                "or raise MaxQueryCostEstimationTime in [SPARQL] of virtuoso.ini (OpenLink: leave it unset "
                "outside debugging)"
            )
        else:
            hint = "see the server's log"
        raise StoreError(f"the {what} failed: {server} answered HTTP {status}: {message}; {hint}")


def _located(message: str, sparql: str, line_shift: int, server: str) -> QuerySyntaxError:
    """A syntax error from the server, its line counted in the text the caller gave."""
    if line_shift:
        match = re.search(r"line (\d+)", message)
        if match and int(match.group(1)) > line_shift:
            line = int(match.group(1)) - line_shift
            message = message[: match.start(1)] + str(line) + message[match.end(1) :]
        sparql = sparql.split("\n", line_shift)[-1]
    return syntax_error(message, sparql, origin=server.removeprefix("the "))

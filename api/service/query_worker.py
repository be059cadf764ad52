"""What runs inside a query worker process: one job at a time against a read-only view of the store.

The service evaluates every query in a worker process (see :mod:`~stancegraph.api.service.query_runner`),
because pyoxigraph cannot interrupt a running query: a worker past its deadline is killed and replaced, and
the web server's event loop never runs a query itself. A worker opens the on-disk store with
``open_store(path, read_only=True)`` (no lock, so the service's own read-write handle stays usable for
authorised writes) and reopens it when the service says the data changed.

Jobs are plain frozen dataclasses: :class:`SparqlJob` (the SPARQL protocol: bytes in the negotiated
format back, read through :meth:`~stancegraph.graph.store.Store.stream_query`) and :class:`CallJob` (one
public function of a :mod:`stancegraph.graph` stage package, which travels to the worker by its qualified
name; its frozen dataclasses back). Errors travel back as :class:`ErrorReply` and are raised again in the
service with their original type. This module imports no web framework.
"""

from __future__ import annotations

__all__ = [
    "SparqlJob",
    "CallJob",
    "SparqlPayload",
    "ErrorReply",
    "RowLimitError",
    "AnswerLimitError",
    "CHUNK_BYTES",
    "export_graph",
    "run_job",
    "worker_main",
]

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from pyoxigraph import RdfFormat, Triple

from stancegraph.api.service.isolation import cut_off_network
from stancegraph.api.service.results import (
    GRAPH_TYPES,
    RESULT_TYPES,
    NotAcceptableError,
    iter_solutions,
    write_boolean,
    write_graph,
)
from stancegraph.api.service.sparql_text import RefusedFeatureError, refuse_fetching
from stancegraph.graph import errors
from stancegraph.graph.errors import StanceGraphError
from stancegraph.graph.queries import PatternSyntaxError
from stancegraph.graph.store import SelectStream, Store, open_store
from stancegraph.ontology.namespaces import PREFIXES


class RowLimitError(StanceGraphError, ValueError):
    """A query returned more rows (or triples) than the service's row limit."""


class AnswerLimitError(StanceGraphError, ValueError):
    """An answer larger than the service's byte limit, or holding a term larger than its term limit."""


@dataclass(frozen=True)
class SparqlJob:
    """A SPARQL query as the protocol received it, with the formats negotiated for each query form."""

    query: str
    results_type: str | None
    graph_type: str | None
    max_rows: int
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = False
    max_bytes: int = 64 * 2**20
    max_term_bytes: int = 2**20
    csv_guard: bool = True


@dataclass(frozen=True)
class SparqlPayload:
    """The answer to a :class:`SparqlJob`: serialised bytes in chunks, their media type and the query form.

    The chunks are at most :data:`CHUNK_BYTES` each, so that the answer travels from the worker and out to
    the client piece by piece, never as one large buffer.
    """

    chunks: tuple[bytes, ...]
    media_type: str
    form: str
    rows: int

    @property
    def body(self) -> bytes:
        """The whole answer in one piece."""
        return b"".join(self.chunks)


#: Size of the pieces an answer is cut into.
CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class CallJob:
    """Call ``function(store, *args, **kwargs)``: a public function of a :mod:`stancegraph.graph` stage
    package (``stancegraph.graph.queries.stances``, ...) or :func:`export_graph`, whose first argument is
    the store. It is pickled by reference, so a worker process imports it by its qualified name."""

    function: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorReply:
    """An error raised by a job, as data (exceptions with custom constructors do not pickle reliably)."""

    kind: str
    message: str
    violations: tuple[errors.Violation, ...] = ()
    candidates: tuple[tuple[str, str], ...] = ()
    lineno: int | None = None
    offset: int | None = None
    text: str | None = None

    @classmethod
    def of(cls, error: BaseException) -> ErrorReply:
        return cls(
            kind=type(error).__name__,
            message=error.msg if isinstance(error, SyntaxError) else str(error),
            violations=tuple(getattr(error, "violations", ())),
            candidates=tuple(getattr(error, "candidates", ())),
            lineno=getattr(error, "lineno", None),
            offset=getattr(error, "offset", None),
            text=getattr(error, "text", None),
        )

    def exception(self) -> BaseException:
        """The error to raise in the service: the same class, message and details."""
        if self.kind == "ValidationError":
            return errors.ValidationError(list(self.violations))
        if self.kind == "AmbiguousNameError":
            return errors.AmbiguousNameError(self.message, self.candidates)
        if self.kind in ("QuerySyntaxError", "PatternSyntaxError"):
            cls = PatternSyntaxError if self.kind == "PatternSyntaxError" else errors.QuerySyntaxError
            error = cls(self.message)
            error.lineno, error.offset, error.text = self.lineno, self.offset, self.text
            return error
        known: dict[str, type[BaseException]] = {
            "UnknownEntityError": errors.UnknownEntityError,
            "MissingDependencyError": errors.MissingDependencyError,
            "StoreError": errors.StoreError,
            "RowLimitError": RowLimitError,
            "AnswerLimitError": AnswerLimitError,
            "NotAcceptableError": NotAcceptableError,
            "RefusedFeatureError": RefusedFeatureError,
        }
        cls = known.get(self.kind)
        if cls is not None:
            return cls(self.message)
        if self.kind in ("ValueError", "KeyError", "TypeError"):
            return ValueError(self.message)
        return errors.StoreError(f"the query worker failed ({self.kind}): {self.message}")


def export_graph(
    store: Store, rdf_format: str, graph: str | None, *, default: bool = False, max_bytes: int | None = None
) -> bytes:
    """The dataset, the default graph (``default``) or the named graph ``graph``, serialised as
    ``rdf_format`` (a name or file extension of :data:`stancegraph.graph.store.RDF_FORMATS`); refused past
    ``max_bytes`` (the Graph Store's GET)."""
    if graph is not None and graph not in store.named_graphs():
        raise errors.UnknownEntityError(f"the store has no graph <{graph}>; list them with GET /api/sources")
    data = store.export(rdf_format, graph=graph, default=default)
    assert data is not None
    if max_bytes is not None and len(data) > max_bytes:
        raise AnswerLimitError(
            f"the {'graph' if graph else 'dataset'} is {len(data)} bytes as {rdf_format}, more than this "
            f"service's limit of {max_bytes} bytes for one answer (max_result_bytes); read it graph by graph "
            "(?graph=IRI), page through it with SPARQL, or export it where the store lives "
            "(`stancegraph export`)"
        )
    return data


def run_job(store: Store, job: SparqlJob | CallJob) -> Any:
    """Run one job against ``store`` (in a worker, or in a thread for a remote store)."""
    if isinstance(job, CallJob):
        return job.function(store, *job.args, **dict(job.kwargs))
    return _run_sparql(store, job)


def _run_sparql(store: Store, job: SparqlJob) -> SparqlPayload:
    refuse_fetching(job.query)
    result = store.stream_query(
        job.query,
        union_default_graph=job.union_default_graph,
        default_graph=job.default_graph,
        named_graphs=job.named_graphs,
    )
    if isinstance(result, bool):
        return _boolean(result, job)
    if isinstance(result, SelectStream):
        return _solutions(result.variables, result.rows, job)
    return _graph(result, job)


def _limited(rows, job: SparqlJob, what: str) -> list:
    taken = list(islice(rows, job.max_rows + 1))
    if len(taken) > job.max_rows:
        raise RowLimitError(
            f"the query returns more than {job.max_rows} {what}, this service's limit; add LIMIT / OFFSET to "
            "page through the results, or aggregate them"
        )
    for row in taken:  # a row of terms, or a triple of a graph
        for term in (row,) if isinstance(row, Triple) else row:
            if term is not None:
                _check_term(term, job.max_term_bytes)
    return taken


def _check_term(term, limit: int) -> None:
    if isinstance(term, Triple):
        for part in (term.subject, term.predicate, term.object):
            _check_term(part, limit)
        return
    value = term.value
    if len(value) > limit // 4 and len(value.encode()) > limit:
        raise AnswerLimitError(
            f"the answer holds a term of {len(value.encode())} bytes ({value[:40]!r}...), more than this "
            f"service's limit of {limit} bytes for one term (max_term_bytes); select SUBSTR(...) or "
            "STRLEN(...) of it instead"
        )


def _chunked(pieces: Iterable[bytes | str], job: SparqlJob) -> tuple[bytes, ...]:
    """Encode ``pieces`` into chunks of about :data:`CHUNK_BYTES`; refuse past ``job.max_bytes``."""
    chunks: list[bytes] = []
    pending: list[bytes] = []
    size = total = 0
    for piece in pieces:
        data = piece.encode() if isinstance(piece, str) else piece
        total += len(data)
        if total > job.max_bytes:
            raise AnswerLimitError(
                f"the answer is larger than {job.max_bytes} bytes, this service's limit (max_result_bytes); "
                "add LIMIT / OFFSET to page through it, select fewer or shorter values, or aggregate them"
            )
        pending.append(data)
        size += len(data)
        if size >= CHUNK_BYTES:
            chunks.append(b"".join(pending))
            pending, size = [], 0
    if pending or not chunks:
        chunks.append(b"".join(pending))
    return tuple(chunks)


def _need(media_type: str | None, form: str) -> str:
    if media_type is None:
        offered = RESULT_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES
        raise NotAcceptableError(
            f"a {form} query's result cannot be written in any format the Accept header allows; "
            f"ask for one of: {', '.join(offered)}"
        )
    return media_type


def _boolean(value: bool, job: SparqlJob) -> SparqlPayload:
    media_type = _need(job.results_type, "ASK")
    return SparqlPayload((write_boolean(value, RESULT_TYPES[media_type]),), media_type, "ASK", 1)


def _solutions(names: Sequence[str], rows, job: SparqlJob) -> SparqlPayload:
    media_type = _need(job.results_type, "SELECT")
    taken = _limited(rows, job, "rows")
    pieces = iter_solutions(names, taken, RESULT_TYPES[media_type], csv_guard=job.csv_guard)
    return SparqlPayload(_chunked(pieces, job), media_type, "SELECT", len(taken))


def _graph(triples, job: SparqlJob) -> SparqlPayload:
    media_type = _need(job.graph_type, "CONSTRUCT")
    taken = _limited(triples, job, "triples")
    rdf_format: RdfFormat = GRAPH_TYPES[media_type]
    body = write_graph(taken, rdf_format, prefixes=PREFIXES)
    pieces = (body[start : start + CHUNK_BYTES] for start in range(0, len(body), CHUNK_BYTES))
    return SparqlPayload(_chunked(pieces, job), media_type, "CONSTRUCT", len(taken))


_OPEN_TRIES = 5


def _transient(error: Exception) -> bool:
    text = str(error)
    return any(sign in text for sign in ("Corruption", "No such file or directory", "IO error"))


def worker_main(connection: Any, store_path: str) -> None:
    """The loop of a worker process: receive ``("job", generation, job)``, reply ``("ok", value)`` or
    ``("error", ErrorReply)``; ``("release",)`` drops the store handle (the service is about to write),
    ``("stop",)`` ends the loop."""
    connection.send(("ready", cut_off_network()))  # before any thread starts: see isolation
    store: Store | None = None
    generation = -1
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message[0] == "stop":
            return
        if message[0] == "release":
            if store is not None:
                store.close()
            store = None
            connection.send(("ok", None))
            continue
        _, wanted, job = message
        reply: tuple[str, Any] = ("error", ErrorReply("StoreError", "the job did not run"))
        for attempt in range(_OPEN_TRIES):
            try:
                if store is None or wanted != generation:
                    if store is not None:
                        store.close()
                    store, generation = None, -1
                    store, generation = open_store(store_path, read_only=True), wanted
                reply = ("ok", run_job(store, job))
                break
            except Exception as error:  # every error goes back to the service, which maps it to a status
                reply = ("error", ErrorReply.of(error))
                if not _transient(error) or attempt == _OPEN_TRIES - 1:
                    break
                # the read-write handle compacted files away under this read-only view: reopen and retry
                if store is not None:
                    store.close()
                store, generation = None, -1
                time.sleep(0.05 * (attempt + 1))
        try:
            _send(connection, reply)
        except (EOFError, OSError):
            return


def _send(connection: Any, reply: tuple[str, Any]) -> None:
    """Send a reply; an answer's chunks go one by one, so that neither side pickles it whole."""
    status, value = reply
    if status != "ok" or not isinstance(value, SparqlPayload):
        connection.send(reply)
        return
    connection.send(("payload", value.media_type, value.form, value.rows, len(value.chunks)))
    for chunk in value.chunks:
        connection.send_bytes(chunk)

"""A load too large for one update request, written so that it is still all-or-nothing.

A server takes a load in requests of a bounded size (Virtuoso refuses a statement of more than 10,000 lines
of generated SQL, about a thousand quads). No SPARQL server offers a transaction across requests, so a
load of several chunks is staged:

1. each chunk is one ``INSERT DATA`` into staging graphs: one per target graph, named
   ``urn:x-stancegraph:staging:<load>:<n>`` (:data:`~stancegraph.graph.store.servers.STAGING_PREFIX`);
2. when every chunk is in, one operation copies the staging graphs into their targets
   (``INSERT { GRAPH ?target { ?s ?p ?o } } WHERE { VALUES (?staging ?target) { ... } GRAPH ?staging
   { ?s ?p ?o } }``, or ``ADD`` for a single graph) and the staging graphs are dropped;
3. if a chunk fails, the staging graphs are dropped and the load raises: the target graphs were never
   written. What a failed copy leaves is the server's: see :meth:`RemoteStore.load
   <stancegraph.graph.store.RemoteStore.load>`.

The store leaves staging graphs out of every list, count and export. Blank nodes keep their identity
within one request only, so the quads that share a blank node always travel in one chunk
(:func:`pack_chunks`).
"""

from __future__ import annotations

__all__ = ["Staging", "pack_chunks", "load_staged", "drop_staging", "DROP_BATCH"]

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple

from stancegraph.graph.errors import StoreError
from stancegraph.graph.store.bindings import sparql_term
from stancegraph.graph.store.data_updates import insert_data
from stancegraph.graph.store.servers import STAGING_PREFIX

#: Staging graphs dropped per request on a server that does not run a request as one transaction.
DROP_BATCH = 50


def _blank_nodes(quad: Quad) -> list[BlankNode]:
    found: list[BlankNode] = []
    for term in (quad.subject, quad.object, quad.graph_name):
        if isinstance(term, BlankNode):
            found.append(term)
        elif isinstance(term, Triple):
            found += _blank_nodes(Quad(term.subject, term.predicate, term.object))
    return found


def pack_chunks(quads: Sequence[Quad], size: int) -> list[list[Quad]]:
    """``quads`` in chunks of about ``size``, the quads that share a blank node always in one chunk.

    The quads that blank nodes connect (directly or through each other) form one group, kept whole; a
    group larger than ``size`` is a chunk of its own. The order of the quads is kept otherwise.

    Examples
    --------
    >>> from pyoxigraph import Literal
    >>> p, b = NamedNode("http://e/p"), BlankNode("b")
    >>> quads = [Quad(NamedNode("http://e/a"), p, b), Quad(NamedNode("http://e/c"), p, Literal("1")),
    ...          Quad(b, p, Literal("2"))]
    >>> [len(chunk) for chunk in pack_chunks(quads, 2)]
    [2, 1]
    """
    parent: dict[BlankNode, BlankNode] = {}

    def root(node: BlankNode) -> BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    nodes = [_blank_nodes(quad) for quad in quads]
    for found in nodes:
        for other in found[1:]:
            parent[root(other)] = root(found[0])
    groups: dict[object, list[Quad]] = {}
    for index, (quad, found) in enumerate(zip(quads, nodes, strict=True)):
        groups.setdefault(root(found[0]) if found else index, []).append(quad)
    chunks: list[list[Quad]] = []
    current: list[Quad] = []
    for group in groups.values():
        if current and len(current) + len(group) > size:
            chunks.append(current)
            current = []
        current += group
    if current:
        chunks.append(current)
    return chunks


@dataclass
class Staging:
    """The staging graphs of one load: one per target graph, created as chunks name them.

    ``targets`` maps each staging graph to its target: a named graph, or the default graph.
    """

    prefix: str = field(default_factory=lambda: f"{STAGING_PREFIX}{uuid.uuid4()}:")
    targets: dict[NamedNode, NamedNode | DefaultGraph] = field(default_factory=dict)
    _of: dict[NamedNode | DefaultGraph, NamedNode] = field(default_factory=dict)

    def staged(self, quads: Sequence[Quad]) -> list[Quad]:
        """``quads`` moved into the staging graphs of their graphs."""
        moved = []
        for quad in quads:
            graph = quad.graph_name
            staging = self._of.get(graph)  # type: ignore[arg-type]
            if staging is None:
                staging = NamedNode(f"{self.prefix}{len(self._of)}")
                self._of[graph] = staging  # type: ignore[index]
                self.targets[staging] = graph  # type: ignore[assignment]
            moved.append(Quad(quad.subject, quad.predicate, quad.object, staging))
        return moved

    def move(self) -> list[str]:
        """The operations that copy the staging graphs into their targets: one for the named graphs (an
        ``ADD`` when there is one: Virtuoso fails an ``INSERT ... WHERE`` over a one-row ``VALUES`` after
        writing its rows), one more for the default graph."""
        named = [(s, t) for s, t in self.targets.items() if isinstance(t, NamedNode)]
        operations = []
        if len(named) == 1:
            operations.append(f"ADD {sparql_term(named[0][0])} TO {sparql_term(named[0][1])}")
        elif named:
            operations.append(
                "INSERT { GRAPH ?target { ?s ?p ?o } } WHERE { "
                f"VALUES (?staging ?target) {{ {self._rows(named)} }} GRAPH ?staging {{ ?s ?p ?o }} }}"
            )
        operations += [
            f"ADD {sparql_term(staging)} TO DEFAULT"
            for staging, target in self.targets.items()
            if isinstance(target, DefaultGraph)
        ]
        return operations

    def in_place(self) -> str:
        """A query counting the staged quads that their target graphs hold."""
        named = [(s, t) for s, t in self.targets.items() if isinstance(t, NamedNode)]
        groups = (
            [
                f"{{ VALUES (?staging ?target) {{ {self._rows(named)} }} "
                "GRAPH ?staging { ?s ?p ?o } GRAPH ?target { ?s ?p ?o } }"
            ]
            if named
            else []
        )
        groups += [
            f"{{ GRAPH {sparql_term(staging)} {{ ?s ?p ?o }} ?s ?p ?o }}"
            for staging, target in self.targets.items()
            if isinstance(target, DefaultGraph)
        ]
        return f"SELECT (COUNT(*) AS ?n) WHERE {{ {' UNION '.join(groups) or '{ }'} }}"

    @staticmethod
    def _rows(pairs: list[tuple[NamedNode, NamedNode]]) -> str:
        return " ".join(f"({sparql_term(s)} {sparql_term(t)})" for s, t in pairs)

    def drops(self) -> list[str]:
        """``DROP SILENT GRAPH`` of every staging graph."""
        return [f"DROP SILENT GRAPH {sparql_term(staging)}" for staging in self.targets]


#: ``send(update, what)``: one update request; ``count(query)``: the number a ``COUNT`` query answers.
Send = Callable[[str, str], None]
Count = Callable[[str], int]


def load_staged(batch: Sequence[Quad], size: int, *, send: Send, count: Count, transactional: bool) -> None:
    """Write ``batch`` in chunks of about ``size`` quads through staging graphs, all or nothing.

    Parameters
    ----------
    batch : sequence of Quad
        The quads, as the server keeps them (checked, graphs named by IRI).
    size : int
        Quads per chunk.
    send, count : callable
        One update request, and the answer of a ``COUNT`` query, on the server.
    transactional : bool
        The server runs an update request as one transaction: the copy and the drop of the staging
        graphs are then one request. Otherwise the copy is one operation of its own, and if it fails,
        what the target graphs hold afterwards is counted: nothing of the load, and the load is refused;
        part of it (a server that does not undo a failed operation, as Virtuoso was seen to do), and the
        copy is sent once more, which completes it (a copy adds nothing twice).

    Raises
    ------
    StoreError
        A chunk or the copy failed and nothing of the load was stored (the message says so), or the copy
        failed part-way twice (the message says how much is in place), or the staging graphs could not
        be removed after the load was stored.
    """
    staging = Staging()
    chunks = pack_chunks(batch, size)
    step = "the first chunk"
    try:
        for number, chunk in enumerate(chunks, 1):
            step = f"chunk {number} of {len(chunks)}"
            send(insert_data(staging.staged(chunk)), f"load ({step})")
        step = "the copy of the chunks into place"
        if transactional:
            send(" ;\n".join([*staging.move(), *staging.drops()]), "load (copying the chunks)")
            return
        present = count(staging.in_place())
        _copy(staging, batch, present, send=send, count=count)
    except BaseException as error:
        _refuse(batch, staging, step, error, send)
    left = drop_staging(staging, send)
    if left:
        raise StoreError(
            f"the {len(batch)} quads were stored, but their staging graphs {staging.prefix}* could not all "
            f"be removed ({left}); stancegraph leaves them out of every list and count, remove_graph() "
            "removes them"
        )


class _PartlyCopied(StoreError):
    """The copy failed part-way, twice: part of the load is in place (not to be refused as nothing)."""


def _copy(staging: Staging, batch: Sequence[Quad], present: int, *, send: Send, count: Count) -> None:
    try:
        send(" ;\n".join(staging.move()), "load (copying the chunks)")
        return
    except StoreError as error:
        try:
            landed = count(staging.in_place()) - present
        except StoreError:
            landed = -1
        if landed == 0:
            raise
        failed = error
    try:
        send(" ;\n".join(staging.move()), "load (copying the chunks once more)")
    except StoreError as again:
        part = f"{landed} of its quads are" if landed > 0 else "an unknown part of it is"
        raise _PartlyCopied(
            f"the copy of the load of {len(batch)} quads into place failed part-way, and again when sent "
            f"once more; {part} in the target graphs: load the same data again to complete it ({failed}; "
            f"{again})"
        ) from None


def _refuse(batch: Sequence[Quad], staging: Staging, step: str, error: BaseException, send: Send) -> NoReturn:
    """The load failed: drop what was staged; say that nothing was stored, where that is so."""
    left = drop_staging(staging, send)
    if not isinstance(error, StoreError) or isinstance(error, _PartlyCopied):
        raise error
    kept = f"; the staging graphs {staging.prefix}* could not all be removed ({left})" if left else ""
    raise StoreError(
        f"the load of {len(batch)} quads failed at {step}, so none of it was stored{kept}: {error}"
    ) from None


def drop_staging(staging: Staging, send: Send) -> str:
    """Drop the staging graphs, :data:`DROP_BATCH` per request (best effort); what went wrong, or ""."""
    drops = staging.drops()
    try:
        for start in range(0, len(drops), DROP_BATCH):
            send(" ;\n".join(drops[start : start + DROP_BATCH]), "cleanup of a load's staging graphs")
    except StoreError as error:
        return str(error)
    return ""

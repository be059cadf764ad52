"""The direct edges follow the stances: an edge for every stance its actor holds, none for a denied one.

``?actor sg:endorses ?target`` (and ``sg:rejects``, ``sg:concedes``, ``sg:demands``) in a source's graph is
a shortcut for "this graph reports a stance of that type, by that actor, on that target" (the stance
type's ``sg:directEdge``). Under the rule of :mod:`~stancegraph.graph.queries.contested` a denied stance
is not its actor's position, so it gives no edge: the edge goes when the denial arrives, unless another
stance of the graph that is not denied still carries it, and it comes back when the denial is removed.
:func:`align_edges` runs after every write: the loads of :func:`~stancegraph.graph.ingestion.ingest` and
the service's Graph Store and SPARQL Update writes, so a plain ``?who sg:endorses ?what`` never lists a
denied claim.

It is a few small queries and one update, not one ``DELETE ... WHERE`` with ``FILTER NOT EXISTS``: on
100,000 synthetic stances with 965 denied, Oxigraph took 385 s to evaluate that single update's WHERE and
takes 2.3 s for these steps (a busy 2-core machine). The withdrawal starts from the denied stances
(``sg:contradicts`` is rare, so this is cheap on any store); the restoration looks only at the stances a
write names, since only a write that removes a denial (or adds a stance) can make an edge due.
"""

from __future__ import annotations

__all__ = ["align_edges", "withheld_edges"]

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode, Quad

from stancegraph.graph.queries.contested import denied_pattern, denied_stances
from stancegraph.graph.store import delete_data, insert_data, sparql_term
from stancegraph.ontology.namespaces import SG_NS, STANCE_TYPES_BY_IRI

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

_SG = f"<{SG_NS}"  # full IRIs: these queries are joined to others

_CARRIED = f"GRAPH ?g {{ ?stance {_SG}actor> ?actor ; {_SG}target> ?target ; {_SG}stanceType> ?type }}"
_COLUMNS = "SELECT ?stance ?g ?actor ?type ?target WHERE"


def _carried(rows: Iterable[tuple]) -> dict[Quad, set[str]]:
    """The direct edge of each (stance, graph, actor, type, target) row -> the stances that carry it."""
    edges: dict[Quad, set[str]] = {}
    for stance, graph, actor, kind, target in rows:
        stance_type = STANCE_TYPES_BY_IRI.get(kind.value)
        if stance_type is not None and stance_type.edge is not None:
            edge = Quad(actor, NamedNode(stance_type.edge), target, graph)
            edges.setdefault(edge, set()).add(stance.value)
    return edges


def _denied_carriers(store: Store) -> dict[Quad, set[str]]:
    return _carried(store.query(f"{_COLUMNS} {{ {denied_pattern('?stance')} {_CARRIED} }}"))


def _all_carriers(store: Store, edges: Iterable[Quad]) -> dict[Quad, set[str]]:
    type_of = {t.edge: t.iri for t in STANCE_TYPES_BY_IRI.values() if t.edge is not None}
    keys = " ".join(
        f"({sparql_term(q.graph_name)} {sparql_term(q.subject)} <{type_of[q.predicate.value]}>"
        f" {sparql_term(q.object)})"
        for q in edges
    )
    return _carried(store.query(f"{_COLUMNS} {{ VALUES (?g ?actor ?type ?target) {{ {keys} }} {_CARRIED} }}"))


def _named_carriers(store: Store, stances: Iterable[str]) -> dict[Quad, set[str]]:
    named = " ".join(sorted({sparql_term(NamedNode(iri)) for iri in stances}))
    if not named:
        return {}
    return _carried(store.query(f"{_COLUMNS} {{ VALUES ?stance {{ {named} }} {_CARRIED} }}"))


def _present(store: Store, edges: Iterable[Quad]) -> set[Quad]:
    keys = " ".join(f"({' '.join(sparql_term(t) for t in quad)})" for quad in edges)
    if not keys:
        return set()
    rows = store.query(
        f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p ?o ?g) {{ {keys} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    return {Quad(*row) for row in rows}


def withheld_edges(quads: Callable[[], Iterable[Quad]]) -> set[Quad]:
    """The direct edges a load must not write: those of its stances that its own stances deny.

    Withholding them keeps a load one write (its edges are right when it lands) in the common case, a
    statements CSV whose denials name rows of the same load. Denials that reach stances already in the
    store, and an edge that another stance of the load also carries, are for :func:`align_edges` after
    the write (pass the withheld edges as ``edges``).

    Parameters
    ----------
    quads : callable
        Returns the load's quads afresh on each call (read once, or twice when it holds denials).
    """
    contradicts, actor, target, kind, stated = (
        SG_NS + local for local in ("contradicts", "actor", "target", "stanceType", "statedOn")
    )
    pairs = [(q.subject, q.object) for q in quads() if q.predicate.value == contradicts]
    if not pairs:
        return set()
    involved = {term for pair in pairs for term in pair}
    facts: dict[object, dict[str, object]] = {}
    for q in quads():
        if q.subject in involved and q.predicate.value in (actor, target, kind, stated):
            known = facts.setdefault(q.subject, {"graph": q.graph_name})
            known[q.predicate.value] = q.object
    withheld = set()
    for denial, claim in pairs:
        said, claimed = facts.get(denial, {}), facts.get(claim, {})
        if not claimed or said.get(actor) != claimed.get(actor) or actor not in claimed:
            continue  # a stance of the store, or another actor's: align_edges decides
        if getattr(said.get(stated), "value", "") < getattr(claimed.get(stated), "value", ""):
            continue  # xsd:date values order as their text (YYYY-MM-DD)
        stance_type = STANCE_TYPES_BY_IRI.get(getattr(claimed.get(kind), "value", ""))
        if stance_type is not None and stance_type.edge is not None and target in claimed:
            withheld.add(Quad(claimed[actor], NamedNode(stance_type.edge), claimed[target], claimed["graph"]))
    return withheld


def align_edges(store: Store, restore: Iterable[str] = (), edges: Iterable[Quad] = ()) -> int:
    """Bring the direct edges of ``store`` in line with its stances; the number of edges changed.

    Parameters
    ----------
    store : Store
        The store, after a write.
    restore : iterable of str
        IRIs of stances whose edge may be due again (stances a write added or changed, and the claims
        whose denial it removed); each gets its edge unless it is denied.
    edges : iterable of Quad
        Edges a load withheld (:func:`withheld_edges`); each is written after all if a stance that is not
        denied carries it.

    Examples
    --------
    An edge written for the claim Ukraine's own secretary denied goes again:

    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> ids = "https://w3id.org/stancegraph/id/"
    >>> prefixes = "".join(
    ...     f"PREFIX {kind}: <{ids}{kind}/> " for kind in ("actor", "plan", "stance")
    ... ) + "PREFIX sg: <https://w3id.org/stancegraph/ontology#>"
    >>> edge = "GRAPH ?g { actor:ukraine sg:endorses plan:us-28 }"
    >>> claim = "GRAPH ?g { stance:umerov-claim a sg:Stance }"
    >>> store.update(f"{prefixes} INSERT {{ {edge} }} WHERE {{ {claim} }}")
    >>> align_edges(store)
    1
    >>> store.query(f"{prefixes} ASK {{ {edge} }}")
    False
    """
    denied = denied_stances(store)
    withdrawn = _denied_carriers(store)
    if withdrawn:
        carriers = _all_carriers(store, withdrawn)
        withdrawn = {edge: None for edge in withdrawn if not carriers.get(edge, set()) - denied}
    due = {edge for edge, stances in _named_carriers(store, restore).items() if stances - denied}
    edges = list(edges)
    if edges:
        due |= {edge for edge, stances in _all_carriers(store, edges).items() if stances - denied}
    present = _present(store, [*withdrawn, *due])
    delete = [edge for edge in withdrawn if edge in present]
    insert = [edge for edge in due if edge not in present and edge not in withdrawn]
    if delete or insert:
        store.update(" ;\n".join(part for part in (delete_data(delete), insert_data(insert)) if part))
    return len(delete) + len(insert)

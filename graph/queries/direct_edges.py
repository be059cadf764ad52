"""The direct edges follow the stances: an edge for every stance its actor holds, none for a denied one.

``?actor sg:endorses ?target`` (and ``sg:rejects``, ``sg:concedes``, ``sg:demands``) in a source's graph is
a shortcut for "this graph reports a stance of that type, by that actor, on that target" (the stance
type's ``sg:directEdge``). Under the rule of :mod:`~stancegraph.graph.queries.contested` a denied stance
is not its actor's position, so it gives no edge: the edge goes when the denial arrives, unless another
stance of the graph that nobody's own actor denied still carries it, and it comes back when the denial is
removed. Every write runs :func:`edges_update` after (or, for the service, together with) its own
change: the loads of :func:`~stancegraph.graph.ingestion.ingest` and the service's Graph Store and
SPARQL Update writes, so a plain ``?who sg:endorses ?what`` never lists a denied claim.

The withdrawal looks at the stances that are contradicted (``sg:contradicts`` is rare, so this is cheap on
any store); the restoration looks only at the stances a write names, since only a write that removes a
denial (or adds a stance) can make an edge due.
"""

from __future__ import annotations

__all__ = ["edges_update"]

from collections.abc import Iterable

from pyoxigraph import NamedNode

from stancegraph.graph.queries.contested import denied_pattern
from stancegraph.graph.store import sparql_term
from stancegraph.ontology.namespaces import SG_NS, STANCE_TYPES

#: The stance types' edges (``sg:directEdge`` in the ontology, which a store need not hold).
_SG = f"<{SG_NS}"  # the updates hold full IRIs: a PREFIX may only open the request
_PAIRS = " ".join(f"(<{t.iri}> <{t.edge}>)" for t in STANCE_TYPES.values() if t.edge is not None)
_EDGES = f"VALUES (?type ?edge) {{ {_PAIRS} }}"

_WITHDRAW = f"""
DELETE {{ GRAPH ?g {{ ?actor ?edge ?target }} }}
WHERE {{
  {denied_pattern("?claim", "c")}
  GRAPH ?g {{
    ?claim {_SG}actor> ?actor ; {_SG}target> ?target ; {_SG}stanceType> ?type . ?actor ?edge ?target
  }}
  {_EDGES}
  FILTER NOT EXISTS {{
    GRAPH ?g {{ ?other {_SG}actor> ?actor ; {_SG}target> ?target ; {_SG}stanceType> ?type }}
    FILTER (?other != ?claim)
    FILTER NOT EXISTS {{ {denied_pattern("?other", "o")} }}
  }}
}}"""

_RESTORE = f"""
INSERT {{ GRAPH ?g {{ ?actor ?edge ?target }} }}
WHERE {{
  VALUES ?stance {{ {{stances}} }}
  GRAPH ?g {{ ?stance a {_SG}Stance> ; {_SG}actor> ?actor ; {_SG}target> ?target ; {_SG}stanceType> ?type }}
  {_EDGES}
  FILTER NOT EXISTS {{ {denied_pattern("?stance", "s")} }}
}}"""


def edges_update(restore: Iterable[str] = ()) -> str:
    """The SPARQL Update that brings the direct edges in line with the stances.

    Parameters
    ----------
    restore : iterable of str
        IRIs of stances whose edge may be due again (stances a write added or changed, and the claims
        whose denial it removed); each gets its edge unless it is denied.

    Returns
    -------
    str
        One update request (the withdrawal, then the restoration if ``restore`` names any stance).

    Examples
    --------
    A direct edge written for the claim Ukraine's own secretary denied goes again:

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
    >>> store.query(f"{prefixes} ASK {{ {edge} }}")
    True
    >>> store.update(edges_update())
    >>> store.query(f"{prefixes} ASK {{ {edge} }}")
    False
    """
    stances = " ".join(sorted({sparql_term(NamedNode(iri)) for iri in restore}))
    if not stances:
        return _WITHDRAW
    return _WITHDRAW + " ;\n" + _RESTORE.replace("{stances}", stances)

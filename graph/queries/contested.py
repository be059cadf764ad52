"""Contested and denied stances: the one rule of what counts as an actor's position.

A stance is **contested** when another stance contradicts it (``sg:contradicts``) or it contradicts
another. It is **denied** when a stance of the *same actor*, stated on the same day or later, contradicts
it: the actor has said it does not hold it (a US official reported that Umerov agreed to the plan; Umerov,
for Ukraine, denied approving anything). A denied stance is not its actor's position: :func:`who
<stancegraph.graph.queries.stances.who>` leaves it out of the holders, :class:`Position
<stancegraph.graph.queries.stances.Position>` does not take it as the latest stance, and the statements
of the networks leave it out unless asked; :func:`stances
<stancegraph.graph.queries.stances.stances>` still lists it, flagged, with both sides' sources. A stance
contradicted only by *another* actor stays a position, flagged as contested.
"""

from __future__ import annotations

__all__ = ["contested_pattern", "contested_stances", "denied_pattern", "denied_stances"]

from typing import TYPE_CHECKING

from stancegraph.ontology.namespaces import SG_NS

if TYPE_CHECKING:
    from stancegraph.graph.store import Store


def denied_pattern(claim: str, tag: str = "d") -> str:
    """The SPARQL pattern "``claim`` is denied": a stance of its actor, stated then or later, contradicts it.

    ``claim`` is a variable or an IRI term; the pattern needs no PREFIX. ``tag`` names the pattern's own
    variables (``?{tag}_actor`` ...), so that several uses in one query, or one inside
    ``FILTER NOT EXISTS``, do not share them.
    """
    contradicts, actor, stated = (f"<{SG_NS}{local}>" for local in ("contradicts", "actor", "statedOn"))
    return (
        f"GRAPH ?{tag}_denials {{ ?{tag}_denial {contradicts} {claim} ; {actor} ?{tag}_actor ;"
        f" {stated} ?{tag}_denied }}\n"
        f"  GRAPH ?{tag}_claims {{ {claim} {actor} ?{tag}_actor ; {stated} ?{tag}_stated }}\n"
        f"  FILTER (?{tag}_denied >= ?{tag}_stated)"
    )


_DENIED_QUERY = f"""
SELECT DISTINCT ?claim WHERE {{
  {denied_pattern("?claim")}
}}
"""


def contested_pattern(stance: str, tag: str = "x") -> str:
    """The SPARQL pattern "``stance`` is contested": it contradicts another stance or another contradicts it.

    As :func:`denied_pattern`: ``stance`` is a variable or an IRI term, no PREFIX is needed, and ``tag``
    names the pattern's own variables.
    """
    contradicts = f"<{SG_NS}contradicts>"
    return (
        f"GRAPH ?{tag}_graph {{ {{ {stance} {contradicts} ?{tag}_other }}"
        f" UNION {{ ?{tag}_other {contradicts} {stance} }} }}"
    )


_CONTESTED_QUERY = f"SELECT DISTINCT ?s WHERE {{ {contested_pattern('?s')} }}"


def contested_stances(store: Store) -> frozenset[str]:
    """The IRIs of the contested stances: those that contradict another stance or are contradicted.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> {"umerov-claim", "umerov-denial"} <= {iri.rsplit("/", 1)[-1] for iri in contested_stances(store)}
    True
    """
    return frozenset(row[0].value for row in store.query(_CONTESTED_QUERY))


def denied_stances(store: Store) -> frozenset[str]:
    """The IRIs of the stances their own actor has denied since (see the module's rule).

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> sorted(iri.rsplit("/", 1)[-1] for iri in denied_stances(store))
    ['umerov-claim']
    """
    return frozenset(row[0].value for row in store.query(_DENIED_QUERY))

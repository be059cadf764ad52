"""The store's stances as a statements table, so every discourse network runs on the graph as on a CSV.

Each ``sg:Stance`` becomes one statement of :class:`~stancegraph.graph.analysis.statements_table.Statements`:

============  ==========================================================================================
column        value
============  ==========================================================================================
id            the stance's short id (``umerov-claim``)
actor         the label of ``sg:actor`` (the state or organisation whose position it is)
person        the label of ``sg:person`` (who voiced it), if any
coder         the label of ``sg:codedBy`` (who coded it), if any; never an actor, and its label is not made
              unique against the actors' (``labels="id"``: its short id)
target        the label of ``sg:target`` (a demand, plan, plan point or issue)
stance        the stance type (``sg:Endorses`` -> ``endorses`` ...); the qualifier follows from it by the
              mapping documented in :mod:`stancegraph.graph.analysis.statements_table` (boolean: endorses,
              concedes, demands agree, rejects disagrees, neutral has no boolean value)
qualifier     ``sg:agreement`` when the stance carries a coded DNA value (it wins over the stance type)
document      the short id of the source graph that reports the stance
source        the same (a stance's source is the graph it lives in)
date          ``sg:statedOn``
confidence    ``sg:confidence`` (NaN when the stance has none: unknown)
contested     whether the stance contradicts another or is contradicted
              (:func:`~stancegraph.graph.queries.contested.contested_stances`)
============  ==========================================================================================

A stance its own actor has denied is left out (unless ``include_denied``); which of the others count
by their contested status and confidence is the networks' choice (their ``contested`` and
``min_confidence`` options), made on these columns.

Labels are what researchers read in a network, so rows and columns are ``skos:prefLabel`` values; but a
label must name one node. When two different nodes of the selection share a label (or a node has none)
the label is followed by the node's short id, ``"Army cap (us-28/6)"``, for every node that shares it,
so that a label never silently merges two nodes. ``labels="id"`` uses the short ids throughout.

All filters reach SPARQL as bound values (never as query text); lists of actors or targets are resolved
to IRIs and applied to the result of the one query.
"""

from __future__ import annotations

__all__ = ["statements_from_store", "NodeLabels", "LABEL_MODES"]

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.queries.contested import contested_stances, denied_stances
from stancegraph.graph.queries.names import resolve, short_id
from stancegraph.ontology.namespaces import SG_NS, XSD_NS

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

_SG = SG_NS


class NodeLabels(StrEnum):
    """How nodes are named in the table: their labels (made unique with short ids) or their short ids."""

    LABEL = "label"
    ID = "id"


#: The values of :class:`NodeLabels`.
LABEL_MODES = tuple(mode.value for mode in NodeLabels)

_QUERY = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?s ?g ?actor ?target ?type ?date ?agreement ?confidence ?person ?actorLabel ?targetLabel ?personLabel
       ?coder ?coderLabel
WHERE {{
  {plan}
  GRAPH ?g {{
    ?s a sg:Stance ; sg:actor ?actor ; sg:target ?target ; sg:stanceType ?type ; sg:statedOn ?date .
    {filters}
    OPTIONAL {{ ?s sg:agreement ?agreement }}
    OPTIONAL {{ ?s sg:confidence ?confidence }}
  }}
  OPTIONAL {{ ?actor skos:prefLabel ?actorLabel }}
  OPTIONAL {{ ?target skos:prefLabel ?targetLabel }}
  OPTIONAL {{ GRAPH ?g {{ ?s sg:person ?person }} OPTIONAL {{ ?person skos:prefLabel ?personLabel }} }}
  OPTIONAL {{ GRAPH ?g {{ ?s sg:codedBy ?coder }} OPTIONAL {{ ?coder skos:prefLabel ?coderLabel }} }}
}}
ORDER BY ?date ?s
"""

# the plan itself or one of its points; ?target is bound inside each branch, so the union restricts it
_PLAN = "{ ?target skos:inScheme ?f_plan } UNION { BIND (?f_plan AS ?target) }"
_FILTERS = {
    "source": "?s prov:wasDerivedFrom ?f_source .",
    "since": "FILTER (?date >= ?f_since)",
    "until": "FILTER (?date <= ?f_until)",
}


def _day(value: dt.date | str, what: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{what} must be an ISO date such as 2025-11-21, not {value!r}") from None


def _iris(store: Store, names: Iterable[str] | str | None, kind: str) -> set[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    return {resolve(store, name, kind=kind) for name in names}


def _unique_labels(labels: dict[str, str | None], mode: str) -> dict[str, str]:
    """A unique display name per IRI: its label, with the short id added where labels collide."""
    if mode == "id":
        return {iri: short_id(iri) for iri in labels}
    holders: dict[str, set[str]] = {}
    for iri, label in labels.items():
        if label:
            holders.setdefault(label, set()).add(iri)
    names = {}
    for iri, label in labels.items():
        if not label:
            names[iri] = short_id(iri)
        elif len(holders[label]) > 1:
            names[iri] = f"{label} ({short_id(iri)})"
        else:
            names[iri] = label
    return names


def statements_from_store(
    store: Store,
    *,
    plan: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    actors: Iterable[str] | str | None = None,
    targets: Iterable[str] | str | None = None,
    labels: str = "label",
    include_denied: bool = False,
) -> Statements:
    """The stances in the store as a statements table (one statement per ``sg:Stance``).

    A stance its own actor has denied since is not that actor's position
    (:mod:`~stancegraph.graph.queries.contested`) and is left out, unless ``include_denied``.

    Parameters
    ----------
    store : Store
    plan : str, optional
        Only stances on this plan version or one of its points (IRI, short id or label).
    source : str, optional
        Only stances reported by this source (its named graph).
    since, until : date or ISO str, optional
        Inclusive bounds on ``sg:statedOn``.
    actors : str or iterable of str, optional
        Only stances whose actor or person is one of these (IRIs, short ids or labels).
    targets : str or iterable of str, optional
        Only stances on these targets.
    labels : {'label', 'id'}
        Name nodes by label (unique: colliding labels get the short id added) or by short id.
    include_denied : bool, default False
        Keep the stances their actor has denied (e.g. to study the claims themselves).

    Returns
    -------
    Statements
        In date order, then stance IRI; empty if nothing matches.

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A plan, source, actor or target name that matches no node, or several.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> from stancegraph.graph.analysis.networks import one_mode
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> st = statements_from_store(store, plan="us-28")
    >>> net = one_mode(st, aggregation="congruence")
    >>> float(net.to_dense()[net.row_labels.index("France"), net.row_labels.index("Germany")])
    5.0
    """
    from pyoxigraph import Literal, NamedNode

    if labels not in LABEL_MODES:
        raise ValueError(f"labels={labels!r} is not known; valid: 'label', 'id'")
    bindings = {}
    if plan is not None:
        bindings["f_plan"] = NamedNode(resolve(store, plan, kind="plan"))
    if source is not None:
        bindings["f_source"] = NamedNode(resolve(store, source, kind="source"))
    xsd_date = NamedNode(XSD_NS + "date")
    if since is not None:
        bindings["f_since"] = Literal(_day(since, "since"), datatype=xsd_date)
    if until is not None:
        bindings["f_until"] = Literal(_day(until, "until"), datatype=xsd_date)
    filters = "\n    ".join(_FILTERS[name[2:]] for name in bindings if name != "f_plan")
    sparql = _QUERY.format(plan=_PLAN if plan is not None else "", filters=filters)
    wanted_actors, wanted_targets = _iris(store, actors, "actor"), _iris(store, targets, "target")
    seen: set[str] = set() if include_denied else set(denied_stances(store))
    disputed = contested_stances(store)
    rows = []
    names: dict[str, str | None] = {}
    coders: dict[str, str] = {}
    for (
        s, g, actor, target, kind, date, agreement, confidence, person, a_label, t_label, p_label,
        coder, c_label,
    ) in store.query(sparql, bindings=bindings):  # fmt: skip
        if s.value in seen:  # a second label of the same node, or a denied stance
            continue
        seen.add(s.value)
        if wanted_targets is not None and target.value not in wanted_targets:
            continue
        if (
            wanted_actors is not None
            and actor.value not in wanted_actors
            and (person is None or person.value not in wanted_actors)
        ):
            continue
        for node, label in ((actor, a_label), (target, t_label), (person, p_label)):
            if node is not None:
                names.setdefault(node.value, label.value if label is not None else None)
        if coder is not None:
            named = c_label is not None and labels == "label"
            coders.setdefault(coder.value, c_label.value if named else short_id(coder.value))
        rows.append(
            (
                s.value,
                g.value,
                actor.value,
                target.value,
                kind.value,
                date.value,
                None if agreement is None else int(agreement.value),
                None if confidence is None else float(confidence.value),
                s.value in disputed,
                None if person is None else person.value,
                None if coder is None else coder.value,
            )
        )
    display = _unique_labels(names, labels)
    records = [
        {
            "id": short_id(s),
            "actor": display[actor],
            "target": display[target],
            "stance": kind,
            "date": date,
            "agreement": agreement,
            "document": short_id(g),
            "source": short_id(g),
            "person": None if person is None else display[person],
            "coder": None if coder is None else coders[coder],
            "confidence": confidence,
            "contested": contested,
        }
        for s, g, actor, target, kind, date, agreement, confidence, contested, person, coder in rows
    ]
    return Statements.from_records(records)

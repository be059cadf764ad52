"""The reference selection of the store's stances: one SPARQL query, a Python row per stance.

:func:`~stancegraph.graph.analysis.selection.statements_from_store` answers from the columnar stance table
(:mod:`~stancegraph.graph.queries.stance_table`); :func:`statements_by_sparql` gives the same answers the
way it did before the table (about 5x slower on a big store) and is kept as the reference the tests compare
the table with. The columns and rules are those of :mod:`~stancegraph.graph.analysis.selection`.
"""

from __future__ import annotations

__all__ = ["statements_by_sparql"]

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from stancegraph.graph.analysis.selection_names import check_labels, iso_day, resolve_names, unique_labels
from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.queries.contested import contested_stances, denied_stances
from stancegraph.graph.queries.names import resolve, short_id
from stancegraph.ontology.namespaces import XSD_NS

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

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


def statements_by_sparql(
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
    """:func:`~stancegraph.graph.analysis.selection.statements_from_store` by one SPARQL query (the
    reference): the same parameters, answers and errors.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> len(statements_by_sparql(store, plan="us-28", actors="France"))
    5
    """
    from pyoxigraph import Literal, NamedNode

    check_labels(labels)
    bindings = {}
    if plan is not None:
        bindings["f_plan"] = NamedNode(resolve(store, plan, kind="plan"))
    if source is not None:
        bindings["f_source"] = NamedNode(resolve(store, source, kind="source"))
    xsd_date = NamedNode(XSD_NS + "date")
    if since is not None:
        bindings["f_since"] = Literal(iso_day(since, "since"), datatype=xsd_date)
    if until is not None:
        bindings["f_until"] = Literal(iso_day(until, "until"), datatype=xsd_date)
    filters = "\n    ".join(_FILTERS[name[2:]] for name in bindings if name != "f_plan")
    sparql = _QUERY.format(plan=_PLAN if plan is not None else "", filters=filters)
    wanted_actors, wanted_targets = (
        resolve_names(store, actors, "actor"),
        resolve_names(store, targets, "target"),
    )
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
    display = unique_labels(names, labels)
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

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

The stances are read from the columnar stance table (:func:`~stancegraph.graph.queries.stance_table.
stance_table`: built from the store once per version, cached beside it) and filtered there; names of
plans, sources, actors and targets are resolved to IRIs in the store first. The answers are those of the
one SPARQL query of :func:`~stancegraph.graph.analysis.sparql_selection.statements_by_sparql`, which the
tests compare it with; on a 100k-statement store the table is about 5x faster to build and, once cached,
a selection takes a fraction of a second.
"""

from __future__ import annotations

__all__ = ["statements_from_store", "selected_rows", "stance_rows", "NodeLabels", "LABEL_MODES"]

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from stancegraph.graph.analysis.column_codes import column_codes, decoded, first_rows, renamed_codes
from stancegraph.graph.analysis.selection_names import (
    LABEL_MODES,
    NodeLabels,
    check_labels,
    iso_day,
    resolve_names,
    unique_labels,
)
from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.queries.names import resolve
from stancegraph.graph.queries.stance_table import short_id_column, stance_table
from stancegraph.graph.store.bindings import sparql_term

if TYPE_CHECKING:
    import polars as pl

    from stancegraph.graph.store import Store

_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
#: Statements columns coded straight from a stance table column.
_CODED = {"document": "document", "stance": "type", "qualifier": "agreement"}


def _plan_targets(store: Store, plan: str) -> list[str]:
    """The plan's IRI and those of its points (``skos:inScheme`` in the default graph)."""
    from pyoxigraph import NamedNode

    iri = resolve(store, plan, kind="plan")
    query = f"SELECT ?t WHERE {{ ?t <{_SCHEME}> {sparql_term(NamedNode(iri))} }}"
    return [iri] + [row[0].value for row in store.query(query) if row[0] is not None]


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
        Only stances reported by this source (``prov:wasDerivedFrom``).
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
    check_labels(labels)
    chosen = selected_rows(
        store,
        plan=plan,
        source=source,
        since=since,
        until=until,
        actors=actors,
        targets=targets,
        include_denied=include_denied,
    )
    return _statements(chosen, labels)


def selected_rows(
    store: Store,
    *,
    plan: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    actors: Iterable[str] | str | None = None,
    targets: Iterable[str] | str | None = None,
    include_denied: bool = False,
) -> pl.DataFrame:
    """The rows of the stance table that :func:`statements_from_store` makes its statements of, for the
    same filters (see there), as the table has them (IRIs, labels, flags)."""
    import polars as pl

    wanted = []
    if plan is not None:
        wanted.append(pl.col("target").is_in(_plan_targets(store, plan)))
    if source is not None:
        wanted.append(pl.col("derived_from") == resolve(store, source, kind="source"))
    if since is not None:
        wanted.append(pl.col("date") >= dt.date.fromisoformat(iso_day(since, "since")))
    if until is not None:
        wanted.append(pl.col("date") <= dt.date.fromisoformat(iso_day(until, "until")))
    wanted_actors = resolve_names(store, actors, "actor")
    wanted_targets = resolve_names(store, targets, "target")
    if wanted_targets is not None:
        wanted.append(pl.col("target").is_in(list(wanted_targets)))
    if wanted_actors is not None:
        chosen = list(wanted_actors)
        wanted.append(pl.col("actor").is_in(chosen) | pl.col("person").is_in(chosen).fill_null(False))
    if not include_denied:
        wanted.append(~pl.col("denied"))
    table = stance_table(store)
    return table.filter(*wanted) if wanted else table


def stance_rows(
    store: Store,
    *,
    actor: str | None = None,
    target: str | None = None,
    stance: str | None = None,
    source: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> pl.DataFrame:
    """The rows of the stance table (:func:`~stancegraph.graph.queries.stance_table.stance_table`) that
    match the filters of :func:`stancegraph.graph.queries.stances.stances`, with the same meaning: denied
    stances included (the ``denied`` column says which), oldest first, then by stance IRI.

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A name that matches no node, or several; an unknown stance name.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> stance_rows(store, actor="uk", stance="rejects").height
    5
    """
    import polars as pl

    from stancegraph.graph.queries.stances import stance_type

    wanted = [pl.col("derived_from").is_not_null()]  # a stance of stances() has its source
    if actor is not None:
        iri = resolve(store, actor, kind="actor")
        wanted.append((pl.col("actor") == iri) | (pl.col("person") == iri).fill_null(False))
    if target is not None:
        wanted.append(pl.col("target") == resolve(store, target, kind="target"))
    if stance is not None:
        wanted.append(pl.col("type") == stance_type(stance))
    if source is not None:
        wanted.append(pl.col("derived_from") == resolve(store, source, kind="source"))
    if since is not None:
        wanted.append(pl.col("date") >= dt.date.fromisoformat(iso_day(since, "since")))
    if until is not None:
        wanted.append(pl.col("date") <= dt.date.fromisoformat(iso_day(until, "until")))
    return stance_table(store).filter(*wanted)


def _statements(table: pl.DataFrame, labels: str) -> Statements:
    """The selected rows of the stance table as :class:`Statements`, nodes named by ``labels``."""
    import polars as pl

    nodes = {node: column_codes(table[node]) for node in ("actor", "target", "person", "coder")}
    found = {  # each node's label, from the first row naming it (coded by IRI: no pass over text per row)
        node: dict(zip(iris, table[f"{node}_label"].gather(first_rows(codes, len(iris))), strict=True))
        for node, (codes, iris) in nodes.items()
    }
    names: dict[str, str | None] = {}
    for node in ("actor", "target", "person"):
        for iri, label in found[node].items():
            names.setdefault(iri, label)
    display = unique_labels(names, labels)
    shorts = pl.DataFrame({"coder": list(found["coder"])}, schema={"coder": pl.String})
    coder_names = {
        iri: label if label is not None and labels == "label" else short
        for (iri, label), short in zip(
            found["coder"].items(), shorts.select(short_id_column("coder")).to_series(), strict=True
        )
    }
    coded = {node: renamed_codes(*nodes[node], display) for node in ("actor", "target", "person")}
    coded["coder"] = renamed_codes(*nodes["coder"], coder_names)
    coded |= {name: column_codes(table[column]) for name, column in _CODED.items()}
    columns = {name: decoded(*codes) for name, codes in coded.items()}
    ids = np.empty(table.height, dtype=object)
    ids[:] = table["id"].to_list()
    return Statements(
        id=ids,
        date=table["date"].to_numpy(),
        source=columns["document"],
        confidence=table["confidence"].fill_null(float("nan")).to_numpy(),
        contested=table["contested"].to_numpy(),
        **columns,
        _codes=coded | {"source": coded["document"]},
        _distinct_ids=table["id"].null_count() == 0 and table["id"].n_unique() == table.height,
    )

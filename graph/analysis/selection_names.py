"""What the two ways of selecting the store's stances share: how nodes are named, and the filters' values.

:func:`~stancegraph.graph.analysis.selection.statements_from_store` (on the columnar stance table) and its
reference, :func:`~stancegraph.graph.analysis.sparql_selection.statements_by_sparql` (one SPARQL query),
read their options through these, so that the two give the same answers.
"""

from __future__ import annotations

__all__ = ["NodeLabels", "LABEL_MODES", "check_labels", "iso_day", "resolve_names", "unique_labels"]

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from stancegraph.graph.queries.names import resolve, short_id

if TYPE_CHECKING:
    from stancegraph.graph.store import Store


class NodeLabels(StrEnum):
    """How nodes are named in the table: their labels (made unique with short ids) or their short ids."""

    LABEL = "label"
    ID = "id"


#: The values of :class:`NodeLabels`.
LABEL_MODES = tuple(mode.value for mode in NodeLabels)


def check_labels(labels: str) -> None:
    """Refuse a ``labels`` mode that is not one of :data:`LABEL_MODES`."""
    if labels not in LABEL_MODES:
        raise ValueError(f"labels={labels!r} is not known; valid: 'label', 'id'")


def iso_day(value: dt.date | str, what: str) -> str:
    """``value`` as an ISO date text; ValueError naming ``what`` if it is not one."""
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{what} must be an ISO date such as 2025-11-21, not {value!r}") from None


def resolve_names(store: Store, names: Iterable[str] | str | None, kind: str) -> set[str] | None:
    """The IRIs of ``names`` (IRIs, short ids or labels) of one kind; None when no names are given."""
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    return {resolve(store, name, kind=kind) for name in names}


def unique_labels(labels: dict[str, str | None], mode: str) -> dict[str, str]:
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

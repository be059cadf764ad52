"""The options of a discourse network, as DNA and rDNA name them, checked in one place.

:class:`NetworkOptions` holds every option of :func:`~stancegraph.graph.analysis.networks.one_mode`
and :func:`~stancegraph.graph.analysis.networks.two_mode`; invalid combinations raise
:class:`ValueError` naming the valid ones (where DNA would silently replace them).
"""

from __future__ import annotations

__all__ = [
    "Aggregation",
    "Normalization",
    "ActorVariable",
    "NetworkOptions",
    "ONE_MODE",
    "TWO_MODE",
    "parse_choice",
]

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np

from stancegraph.graph.analysis.statements_table import Duplicates, QualifierKind, Statements

if TYPE_CHECKING:  # scipy and networkx are imported where they are used (import stays light)
    pass


ONE_MODE, TWO_MODE = "one-mode", "two-mode"


class Aggregation(StrEnum):
    """How the qualifier combines statements (DNA's ``qualifierAggregation``)."""

    IGNORE = "ignore"
    CONGRUENCE = "congruence"
    CONFLICT = "conflict"
    SUBTRACT = "subtract"
    COMBINE = "combine"


class ActorVariable(StrEnum):
    """Whose ties a one-mode network draws: the actors' (organisations, states) or the persons' who voiced
    the statements (DNA's variable choice)."""

    ACTOR = "actor"
    PERSON = "person"


class Normalization(StrEnum):
    """Edge weight normalisation. ``COSINE`` is DNA's (divide by a_i * a_i'); ``TEXTBOOK_COSINE`` divides
    by the product of the Euclidean norms of the two actors' count vectors."""

    NO = "no"
    ACTIVITY = "activity"
    PROMINENCE = "prominence"
    AVERAGE = "average"
    JACCARD = "jaccard"
    COSINE = "cosine"
    TEXTBOOK_COSINE = "textbook-cosine"


A, N = Aggregation, Normalization
_VALID = {
    ONE_MODE: (
        (A.IGNORE, A.CONGRUENCE, A.CONFLICT, A.SUBTRACT),
        (N.NO, N.AVERAGE, N.JACCARD, N.COSINE, N.TEXTBOOK_COSINE),
    ),
    TWO_MODE: ((A.IGNORE, A.SUBTRACT, A.COMBINE), (N.NO, N.ACTIVITY, N.PROMINENCE)),
}
_FILTERS = ("actors", "persons", "targets", "sources", "documents")


def _names(members: Iterable[StrEnum]) -> str:
    return ", ".join(repr(m.value) for m in members)


def parse_choice(enum: type[StrEnum], value: Any, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise ValueError(f"{what}={value!r} is not known; valid: {_names(enum)}") from None


@dataclass(frozen=True)
class NetworkOptions:
    """The options a network was built with (resolved enums; filter lists sorted)."""

    mode: str
    aggregation: Aggregation
    normalization: Normalization
    qualifier: QualifierKind
    duplicates: Duplicates
    actor_variable: str
    isolates: bool
    start: dt.date | None
    end: dt.date | None
    exclude: tuple[tuple[str, tuple[str, ...], bool], ...] = ()  # (column, labels, invert)

    @classmethod
    def build(
        cls,
        statements: Statements,
        mode: str,
        *,
        aggregation: Any,
        normalization: Any,
        qualifier: Any = None,
        duplicates: Any = "include",
        actor_variable: str = "actor",
        isolates: bool = False,
        start: Any = None,
        end: Any = None,
        **filters: Any,
    ) -> NetworkOptions:
        """Resolve and check options for ``mode`` ('one-mode' or 'two-mode'); raise ValueError naming
        the valid choices for anything DNA would silently replace."""
        agg = parse_choice(Aggregation, aggregation, "aggregation")
        norm = parse_choice(Normalization, normalization, "normalization")
        kind = (
            statements.qualifier_kind
            if qualifier is None
            else parse_choice(QualifierKind, qualifier, "qualifier")
        )
        aggs, norms = _VALID[mode]
        if agg not in aggs:
            raise ValueError(
                f"aggregation={agg.value!r} is not defined for {mode} networks; valid: {_names(aggs)}"
            )
        if norm not in norms:
            raise ValueError(
                f"normalization={norm.value!r} is not defined for {mode} networks; valid: {_names(norms)}"
            )
        if kind is QualifierKind.NONE and agg is not A.IGNORE:
            raise ValueError(
                f"aggregation={agg.value!r} needs a qualifier, but qualifier='none'; "
                "valid with it: 'ignore' (or choose qualifier='boolean', 'integer', "
                "'categorical')"
            )
        if mode == TWO_MODE and kind is QualifierKind.CATEGORICAL and agg is A.SUBTRACT:
            raise ValueError(
                "aggregation='subtract' needs numeric qualifier levels, but "
                "qualifier='categorical'; valid for categorical two-mode networks: 'ignore', "
                "'combine'"
            )
        if agg is A.COMBINE and norm is not N.NO:
            raise ValueError(
                f"normalization={norm.value!r} cannot scale the codes of aggregation='combine'; "
                "valid with combine: 'no'"
            )
        actor_variable = parse_choice(ActorVariable, actor_variable, "actor_variable").value
        start = None if start is None else np.datetime64(start, "D").astype(dt.date)
        end = None if end is None else np.datetime64(end, "D").astype(dt.date)
        if start is not None and end is not None and start > end:
            raise ValueError(f"start={start} is after end={end}")
        exclude = []
        for name in _FILTERS:
            labels = filters.pop(f"exclude_{name}", ()) or ()
            invert = bool(filters.pop(f"invert_{name}", False))
            if isinstance(labels, str):
                labels = (labels,)
            if labels or invert:
                exclude.append((name[:-1], tuple(sorted(set(labels))), invert))
        if filters:
            valid = [f"{p}_{n}" for n in _FILTERS for p in ("exclude", "invert")]
            raise TypeError(f"unknown option(s) {sorted(filters)}; filter options are {', '.join(valid)}")
        return cls(
            mode,
            agg,
            norm,
            kind,
            parse_choice(Duplicates, duplicates, "duplicates"),
            actor_variable,
            bool(isolates),
            start,
            end,
            tuple(exclude),
        )

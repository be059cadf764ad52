"""The options of a discourse network, as DNA and rDNA name them, checked in one place.

:class:`NetworkOptions` holds every option of :func:`~stancegraph.graph.analysis.networks.one_mode`
and :func:`~stancegraph.graph.analysis.networks.two_mode`; invalid combinations raise
:class:`ValueError` naming the valid ones (where DNA would silently replace them).

Two options say which stances count at all, for every network, time window, coalition, polarisation
and influence graph (:func:`stance_mask` is the one rule):

``contested`` (:class:`Contested`, default ``'include'``)
    ``include`` keeps every stance but the denied ones (a stance disputed by *another* actor is still its
    actor's position); ``exclude`` keeps only undisputed stances, leaving out every stance that
    contradicts another or is contradicted (``sg:contradicts`` either way); ``only`` keeps only the
    contested ones. A stance its own actor has denied is never a position
    (:mod:`~stancegraph.graph.queries.contested`): the statements of the store leave it out whatever
    this option says (``statements_from_store(..., include_denied=True)`` keeps it).
``min_confidence`` (a number in [0, 1], default ``0.0``)
    Keep the stances whose ``sg:confidence`` (the CSV's ``confidence`` column) is at least this. A
    stance without a recorded confidence is *unknown*, not 0: ``0.0`` keeps it, any value above 0 leaves
    it out.
"""

from __future__ import annotations

__all__ = [
    "Aggregation",
    "Normalization",
    "ActorVariable",
    "Contested",
    "NetworkOptions",
    "ONE_MODE",
    "TWO_MODE",
    "parse_choice",
    "parse_min_confidence",
    "stance_mask",
]

import datetime as dt
import math
import numbers
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


class Contested(StrEnum):
    """Which stances count by their contested status: every one but the denied (``include``, the
    default), only the undisputed (``exclude``), or only the contested, non-denied ones (``only``)."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    ONLY = "only"


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


def parse_min_confidence(value: Any, what: str = "min_confidence") -> float:
    """``value`` as a confidence threshold in [0, 1]; a ValueError saying how to write it otherwise.

    Examples
    --------
    >>> parse_min_confidence("0.8")
    0.8
    >>> parse_min_confidence("high")
    Traceback (most recent call last):
    ...
    ValueError: min_confidence='high' is not a number; give a confidence between 0 and 1, e.g. 0.8
    """
    number: float | None = None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or math.isnan(number):
        raise ValueError(f"{what}={value!r} is not a number; give a confidence between 0 and 1, e.g. 0.8")
    if not 0.0 <= number <= 1.0:
        raise ValueError(
            f"{what}={value!r} is outside [0, 1]; a confidence is between 0 (keep every stance) and 1 "
            "(only stances recorded as certain), e.g. 0.8"
        )
    return number


def stance_mask(
    contested: np.ndarray,
    confidence: np.ndarray,
    *,
    which: Contested | str = Contested.INCLUDE,
    min_confidence: float = 0.0,
) -> np.ndarray:
    """Which stances count: the one rule of ``contested`` and ``min_confidence`` (see the module).

    Parameters
    ----------
    contested : numpy array of bool
        Per stance: it contradicts another stance or is contradicted.
    confidence : numpy array of float
        Per stance: its confidence, NaN where none is recorded (unknown).
    which : {'include', 'exclude', 'only'}
    min_confidence : float
        A stance counts if its confidence is at least this; an unknown one only when it is 0.

    Returns
    -------
    numpy array of bool

    Examples
    --------
    >>> contested, confidence = np.array([False, True, False]), np.array([0.9, 0.5, np.nan])
    >>> stance_mask(contested, confidence, which="exclude").tolist()
    [True, False, True]
    >>> stance_mask(contested, confidence, min_confidence=0.5).tolist()
    [True, True, False]
    """
    which = parse_choice(Contested, which, "contested")
    min_confidence = parse_min_confidence(min_confidence)
    contested = np.asarray(contested, dtype=bool)
    keep = np.ones(len(contested), dtype=bool)
    if which is Contested.EXCLUDE:
        keep &= ~contested
    elif which is Contested.ONLY:
        keep &= contested
    if min_confidence > 0:
        with np.errstate(invalid="ignore"):
            keep &= np.asarray(confidence, dtype=np.float64) >= min_confidence  # NaN compares False
    return keep


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
    contested: Contested = Contested.INCLUDE
    min_confidence: float = 0.0

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
        contested: Any = Contested.INCLUDE,
        min_confidence: Any = 0.0,
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
            parse_choice(Contested, contested, "contested"),
            parse_min_confidence(min_confidence),
        )

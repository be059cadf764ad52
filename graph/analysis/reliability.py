"""Inter-coder reliability: do two or more coders of the same documents code the same stances?

A corpus coded by several people is trustworthy only as far as they agree. For the documents that two or
more coders coded, :func:`reliability` compares their codes on three levels:

- **stances**: the unit is (document, actor, target) and the value the coder's stance on it, nominal by
  default (ordinal, interval or ratio on the integer qualifier: a coded ``agreement`` scale, or the
  stance types' integer scale). A coder of the document who did not code the unit leaves it missing.
- **identification**: whether the coders found the same statements at all: per document, each actor
  (target, actor-target pair) that any coder found is a unit, and each coder of the document gives 1 if
  they coded it and 0 if not. Percent agreement and the positive specific agreement (F1: how much of what
  one coder found the other found too) are given, not alpha: the units are only those somebody found, so
  the chance agreement alpha corrects for cannot be estimated (alpha would sit at or below 0 whatever the
  coders did).
- **pairs**: the stance figures for each pair of coders, on the units both of them coded.

Each level reports the pooled percent agreement (the share of agreeing ordered pairs of values within
units) and Krippendorff's alpha, computed from the coincidence matrix of the pairable values (units with
at least two values). A coder who coded one unit twice with different stances has one value there: the
most frequent (the first in the table on a tie); :attr:`Reliability.multiple_values` counts such cases.
The identification units exist because a coder found them, so a statement no coder found is not counted:
the figures say how far the coders agree on what they found, not how much they all missed.

References
----------
Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for Communication,
University of Pennsylvania. https://repository.upenn.edu/asc_papers/43/

Krippendorff, K. (2019). *Content Analysis: An Introduction to Its Methodology* (4th ed.), ch. 12. SAGE.

Hripcsak, G., & Rothschild, A. S. (2005). Agreement, the F-measure, and reliability in information
retrieval. *JAMIA*, 12(3), 296-298. https://doi.org/10.1197/jamia.M1733
"""

from __future__ import annotations

__all__ = [
    "Agreement",
    "CoderPair",
    "Level",
    "Reliability",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability",
]

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from stancegraph.graph.analysis.statements_table import Statements


class Level(StrEnum):
    """The level of measurement of the values, which sets how far apart two different values are."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


@dataclass(frozen=True)
class Agreement:
    """Agreement among coders on one kind of unit.

    Attributes
    ----------
    units : int
        Units with at least two values (the pairable units the figures come from).
    values : int
        Values in those units.
    percent : float
        Agreeing ordered pairs of values within units over all such pairs, 0..1 (NaN without a pair).
    alpha : float
        Krippendorff's alpha: 1 perfect agreement, 0 as if by chance, negative worse than chance. NaN when
        it is undefined: no pairable values, or every pairable value the same (no variation to agree on).
    positive : float or None
        For identification only: the positive specific agreement (Hripcsak and Rothschild 2005), over the
        pairs of coders of each document: twice the things both found over the things each found, summed
        (the F1 score of one coder against the other). It does not need the things nobody found, which
        alpha's chance model would; None for stances.
    """

    units: int
    values: int
    percent: float
    alpha: float
    positive: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The figures as plain values (NaN as None), for JSON."""
        figures = {
            "units": self.units,
            "values": self.values,
            "percent_agreement": _number(self.percent),
            "alpha": _number(self.alpha),
        }
        if self.positive is not None:
            figures["positive_agreement"] = _number(self.positive)
        return figures


@dataclass(frozen=True)
class CoderPair:
    """The stance agreement of two coders on the units both coded."""

    first: str
    second: str
    agreement: Agreement


@dataclass(frozen=True)
class Reliability:
    """What :func:`reliability` found.

    Attributes
    ----------
    level : Level
        The level of measurement of the stance values.
    documents : int
        Documents coded by two or more coders (the others do not count).
    coders : tuple of str
        The coders of those documents.
    stances : Agreement
        On the stance of each (document, actor, target).
    actors, targets, statements : Agreement
        Identification: whether each coder of a document found each actor, target, and actor-target pair.
    pairs : tuple of CoderPair
        The stance agreement of each pair of coders who share a document.
    multiple_values : int
        (coder, unit) cases with more than one distinct stance, where the most frequent was taken.
    """

    level: Level
    documents: int
    coders: tuple[str, ...]
    stances: Agreement
    actors: Agreement
    targets: Agreement
    statements: Agreement
    pairs: tuple[CoderPair, ...]
    multiple_values: int

    def as_dict(self) -> dict[str, Any]:
        """The whole result as plain values, for JSON."""
        return {
            "level": self.level.value,
            "documents": self.documents,
            "coders": list(self.coders),
            "stances": self.stances.as_dict(),
            "identification": {
                "actors": self.actors.as_dict(),
                "targets": self.targets.as_dict(),
                "statements": self.statements.as_dict(),
            },
            "pairs": [
                {"coders": [pair.first, pair.second], **pair.agreement.as_dict()} for pair in self.pairs
            ],
            "multiple_values": self.multiple_values,
        }


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _value_counts(data: Any) -> tuple[np.ndarray, np.ndarray]:
    """(units x distinct values) counts of each value in each unit, and the sorted distinct values.

    ``data`` is coders x units, as in the ``krippendorff`` package: NaN (or None) where a coder gave no
    value.
    """
    table = np.asarray(data, dtype=object)
    if table.ndim != 2:
        raise ValueError(f"reliability data must be coders x units (2 dimensions), not {table.ndim}")
    present = np.array(
        [[v is not None and not (isinstance(v, float) and np.isnan(v)) for v in row] for row in table],
        dtype=bool,
    ).reshape(table.shape)
    values = table[present]
    domain = sorted(set(values.tolist()), key=lambda v: (isinstance(v, str), v))
    code = {v: i for i, v in enumerate(domain)}
    counts = np.zeros((table.shape[1], len(domain)), dtype=np.float64)
    _, units = np.nonzero(present)
    np.add.at(counts, (units, [code[v] for v in values.tolist()]), 1.0)
    return counts, np.array(domain, dtype=object)


def _distances(domain: np.ndarray, totals: np.ndarray, level: Level) -> np.ndarray:
    """The squared difference of each pair of values (Krippendorff's delta squared)."""
    size = len(domain)
    if level is Level.NOMINAL:
        return 1.0 - np.eye(size)
    if any(isinstance(v, str) or isinstance(v, bool) for v in domain):
        raise ValueError(f"{level.value} reliability needs numeric values; use the nominal level for names")
    numbers = domain.astype(np.float64)
    if level is Level.INTERVAL:
        return (numbers[:, None] - numbers[None, :]) ** 2
    if level is Level.RATIO:
        sums = numbers[:, None] + numbers[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = ((numbers[:, None] - numbers[None, :]) / sums) ** 2
        return np.where(sums == 0, 0.0, ratio)
    # ordinal: the values between the two ranks (inclusive), less half of each end
    cumulative = np.concatenate([[0.0], np.cumsum(totals)])
    low, high = (
        np.minimum.outer(np.arange(size), np.arange(size)),
        np.maximum.outer(np.arange(size), np.arange(size)),
    )
    between = cumulative[high + 1] - cumulative[low]
    return (between - (totals[low] + totals[high]) / 2.0) ** 2


def _agreement(counts: np.ndarray, domain: np.ndarray, level: Level) -> Agreement:
    sizes = counts.sum(axis=1)
    pairable = sizes >= 2
    counts, sizes = counts[pairable], sizes[pairable]
    n = float(sizes.sum())
    if n == 0:
        return Agreement(0, 0, float("nan"), float("nan"))
    pairs = float((sizes * (sizes - 1)).sum())
    percent = float((counts * (counts - 1)).sum()) / pairs
    weighted = counts / (sizes - 1)[:, None]
    coincidences = counts.T @ weighted - np.diag(weighted.sum(axis=0))
    totals = coincidences.sum(axis=1)
    delta = _distances(domain, totals, level)
    expected = float((np.outer(totals, totals) * delta).sum())
    if expected == 0:
        return Agreement(int(pairable.sum()), int(n), percent, float("nan"))
    observed = float((coincidences * delta).sum())
    return Agreement(int(pairable.sum()), int(n), percent, 1.0 - (n - 1.0) * observed / expected)


def krippendorff_alpha(data: Any, *, level: Level | str = Level.NOMINAL) -> float:
    """Krippendorff's alpha of a coders x units table.

    Parameters
    ----------
    data : array-like
        One row per coder, one column per unit; NaN or None where the coder gave no value. Values may be
        names (nominal only) or numbers.
    level : Level or str
        ``nominal``, ``ordinal``, ``interval`` or ``ratio``.

    Returns
    -------
    float
        Alpha; NaN when undefined (no pairable values, or no variation among them).

    Examples
    --------
    Krippendorff's (2011) example with four coders and twelve units; nominal alpha is 0.743:

    >>> nan = float("nan")
    >>> data = [
    ...     [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...     [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ... ]
    >>> round(krippendorff_alpha(data), 3), round(krippendorff_alpha(data, level="interval"), 3)
    (0.743, 0.849)
    """
    counts, domain = _value_counts(data)
    return _agreement(counts, domain, Level(level)).alpha


def percent_agreement(data: Any) -> float:
    """The share of agreeing ordered pairs of values within the units of a coders x units table (see
    :func:`krippendorff_alpha` for the layout); NaN without a pair.

    Examples
    --------
    >>> percent_agreement([["a", "a", "b"], ["a", "b", "b"]])  # two of three units agree
    0.6666666666666666
    """
    counts, domain = _value_counts(data)
    return _agreement(counts, domain, Level.NOMINAL).percent


def _mode(values: Sequence[Any]) -> Any:
    best, seen = values[0], {}
    for value in values:
        seen[value] = seen.get(value, 0) + 1
        if seen[value] > seen[best]:
            best = value
    return best


def _presence(units: dict[tuple, set[str]], coders_of: dict[str, list[str]]) -> Agreement:
    """Identification agreement: each (document, thing) unit, 1 from each coder of the document who
    found it, 0 from the others."""
    counts = np.zeros((len(units), 2))
    for row, ((document, *_), found) in enumerate(units.items()):
        coders = len(coders_of[document])
        counts[row] = (coders - len(found), len(found))
    agreement = _agreement(counts, np.array([0, 1], dtype=object), Level.NOMINAL)
    found, coders = counts[:, 1], counts.sum(axis=1)
    offered = float((found * (coders - 1)).sum())
    positive = float((found * (found - 1)).sum()) / offered if offered else float("nan")
    # no alpha: every unit is one that somebody found, so chance (which would need the units nobody found)
    # cannot be estimated; alpha comes out at or below 0 whatever the coders do
    return dataclasses.replace(agreement, alpha=float("nan"), positive=positive)


def reliability(statements: Statements, *, level: Level | str = Level.NOMINAL) -> Reliability:
    """Inter-coder reliability of the documents that two or more coders coded.

    Parameters
    ----------
    statements : Statements
        The coded statements, with their ``coder`` and ``document`` columns; statements without a coder
        do not count.
    level : Level or str
        Level of measurement of the stance: ``nominal`` compares the stance names (or the coded
        agreement values as categories); ``ordinal``, ``interval`` and ``ratio`` compare the integer
        qualifier (a coded agreement scale, else the stance types' integer scale).

    Returns
    -------
    Reliability

    Raises
    ------
    ValueError
        No document was coded by two coders (nothing to compare), or a non-nominal level on values that
        are not numbers.
    """
    level = Level(level)
    coder_column = statements.coder
    coded = np.array([c is not None and c != "" for c in coder_column], dtype=bool)
    documents = statements.document[coded]
    coders_of: dict[str, set[str]] = {}
    for document, coder in zip(documents, coder_column[coded], strict=True):
        coders_of.setdefault(document, set()).add(coder)
    shared = {d: sorted(c) for d, c in coders_of.items() if len(c) >= 2}
    if not shared:
        raise ValueError(
            f"no document was coded by two or more coders ({len(coders_of)} coded document"
            f"{'s' if len(coders_of) != 1 else ''}, {len(set(coder_column[coded].tolist()))} coder(s)); "
            "reliability compares the codes of the same document, so have a second coder code some of them"
        )
    values = _stance_values(statements, level)
    coded_values: dict[tuple[str, str, str], dict[str, list[Any]]] = {}
    actors: dict[tuple, set[str]] = {}
    targets: dict[tuple, set[str]] = {}
    pairs_found: dict[tuple, set[str]] = {}
    for row in np.flatnonzero(coded):
        document = statements.document[row]
        if document not in shared or values[row] is None:
            continue
        actor, target, coder = statements.actor[row], statements.target[row], coder_column[row]
        coded_values.setdefault((document, actor, target), {}).setdefault(coder, []).append(values[row])
        actors.setdefault((document, actor), set()).add(coder)
        targets.setdefault((document, target), set()).add(coder)
        pairs_found.setdefault((document, actor, target), set()).add(coder)
    coders = sorted({c for cs in shared.values() for c in cs})
    index = {coder: i for i, coder in enumerate(coders)}
    table = np.full((len(coders), len(coded_values)), None, dtype=object)
    multiple = 0
    for unit, by_coder in enumerate(coded_values.values()):
        for coder, given in by_coder.items():
            multiple += len(set(given)) > 1
            table[index[coder], unit] = _mode(given)
    counts, domain = _value_counts(table)
    pairs = []
    document_of = [key[0] for key in coded_values]
    for first, second in combinations(coders, 2):
        both = [i for i, d in enumerate(document_of) if first in shared[d] and second in shared[d]]
        if not both:
            continue
        sub_counts, sub_domain = _value_counts(table[[index[first], index[second]]][:, both])
        pairs.append(CoderPair(first, second, _agreement(sub_counts, sub_domain, level)))
    return Reliability(
        level=level,
        documents=len(shared),
        coders=tuple(coders),
        stances=_agreement(counts, domain, level),
        actors=_presence(actors, shared),
        targets=_presence(targets, shared),
        statements=_presence(pairs_found, shared),
        pairs=tuple(pairs),
        multiple_values=multiple,
    )


def _stance_values(statements: Statements, level: Level) -> list[Any]:
    """Each statement's value: its stance name (or coded category) at the nominal level, else its
    integer qualifier (None where it has none)."""
    if level is Level.NOMINAL:
        coded = statements.qualifier
        return [
            q if q is not None and not isinstance(q, bool) and isinstance(q, int | str) else s
            for q, s in zip(coded, statements.stance, strict=True)
        ]
    scale = statements.scale
    found: list[Any] = []
    for qualifier, stance in zip(statements.qualifier, statements.stance, strict=True):
        if isinstance(qualifier, int | np.integer) and not isinstance(qualifier, bool):
            found.append(int(qualifier))
        else:
            found.append(scale.get(stance) if stance is not None else None)
    return found

"""Coded statements as a table of parallel columns: the input of every discourse network.

A statement says that an actor (optionally voiced by a person) takes a stance on a target, in a document,
on a date, reported by a source, as a coder coded it. :class:`Statements` holds one numpy column per field
so the network functions in :mod:`stancegraph.graph.analysis.networks` can work on whole columns at once.
It is filled from records (one mapping per statement, e.g. the rows of a SPARQL result), from columns, or
from a statements CSV with :func:`~stancegraph.graph.analysis.statements_csv.read_statements_csv`. The
``coder`` column says who coded each statement (for :func:`~stancegraph.graph.analysis.reliability.
reliability`); the networks never read it: a coder is no actor, and the statements of two coders of one
document both count, as in DNA, unless ``duplicates`` merges them.

The qualifier of the Discourse Network Analyzer (DNA) is derived from the stance type, or taken from a
coded ``agreement``/``qualifier`` value when the source gives one (a coded value wins over the stance):

============  =============  =====================  ===================
stance        boolean        integer (default)      categorical
============  =============  =====================  ===================
endorses      1 (agree)      2                      ``"endorses"``
concedes      1 (agree)      1                      ``"concedes"``
demands       1 (agree)      2                      ``"demands"``
rejects       0 (disagree)   -1                     ``"rejects"``
neutral       excluded       0                      ``"neutral"``
============  =============  =====================  ===================

A neutral statement has no boolean value, so boolean networks leave it out (use the ``"none"`` qualifier
to count every statement). The integer scale can be replaced with the ``scale`` argument.

References
----------
Leifeld, P. (2017). Discourse network analysis: policy debates as dynamic networks. In J. N. Victor,
A. H. Montgomery and M. Lubell (eds.), *The Oxford Handbook of Political Networks*, 301-325.
"""

from __future__ import annotations

__all__ = [
    "Statements",
    "QualifierKind",
    "Duplicates",
    "STANCE_BOOLEAN",
    "DEFAULT_INTEGER_SCALE",
]

import numbers
from collections.abc import Iterable, Mapping
from dataclasses import InitVar, dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np

from stancegraph.graph.analysis.column_codes import text_object_codes
from stancegraph.graph.analysis.statement_columns import (
    blank_to_none,
    confidence_column,
    contested_column,
    object_column,
)


class QualifierKind(StrEnum):
    """How the qualifier of a statement is read (DNA's qualifier variable types)."""

    BOOLEAN = "boolean"
    INTEGER = "integer"
    CATEGORICAL = "categorical"
    NONE = "none"


class Duplicates(StrEnum):
    """Which identical statements (same actor, target and, unless aggregation is ignore, qualifier)
    count once: per document, ISO week, calendar month, year, or across the whole range."""

    INCLUDE = "include"
    DOCUMENT = "document"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    ACROSSRANGE = "acrossrange"


#: Boolean qualifier of each stance type; neutral has none and is left out of boolean networks.
STANCE_BOOLEAN: Mapping[str, int | None] = MappingProxyType(
    {"endorses": 1, "concedes": 1, "demands": 1, "rejects": 0, "neutral": None}
)
#: The default integer scale of the stance types (pass ``scale=`` to use another one).
DEFAULT_INTEGER_SCALE: Mapping[str, int] = MappingProxyType(
    {"rejects": -1, "neutral": 0, "concedes": 1, "endorses": 2, "demands": 2}
)
_COLUMNS = ("id", "actor", "target", "qualifier", "document", "date", "source", "person", "stance", "coder")
#: The columns that say how far a statement counts (typed, not text): see
#: :func:`~stancegraph.graph.analysis.statement_columns.confidence_column`.
_STATUS = ("confidence", "contested")


#: From this many rows an all-text column of many distinct values (more than half of its first
#: :data:`_SAMPLE` rows: ids, quotes) is coded in polars (:func:`~stancegraph.graph.analysis.column_codes.
#: text_object_codes`), same codes: 1M distinct ids in 1.6 s instead of 6.4 s. A column of few values
#: (actors, targets) the dictionary pass codes faster (1M rows of 200: 0.12 s, polars 0.28 s with the
#: type check and the copy into polars).
_POLARS_ROWS = 10_000
_SAMPLE = 1_000


def _factorize(values: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Codes into the sorted distinct non-None values (-1 for None)."""
    if len(values) >= _POLARS_ROWS and len(set(values[:_SAMPLE].tolist())) > _SAMPLE // 2:
        coded = text_object_codes(values)
        if coded is not None:
            return coded
    return _factorize_by_dict(values)


def _factorize_by_dict(values: np.ndarray) -> tuple[np.ndarray, tuple]:
    """:func:`_factorize` by one dictionary pass: any hashable values (ints, text, mixed)."""
    seen: dict[Any, int] = {}
    first = np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64, count=len(values))
    uniques = sorted((v for v in seen if v is not None), key=lambda v: (isinstance(v, str), v))
    lut = np.full(len(seen), -1, dtype=np.int64)
    for rank, value in enumerate(uniques):
        lut[seen[value]] = rank
    return lut[first], tuple(uniques)


def _period(dates: np.ndarray, duplicates: Duplicates) -> np.ndarray:
    """Calendar period codes: ISO year and ISO week (weeks from Monday, the year of their Thursday),
    year and month, or year, so that equal numbers in different years never merge (as they do in DNA)."""
    if duplicates is Duplicates.WEEK:
        days = dates.astype(np.int64)
        thursday = days - (days + 3) % 7 + 3
        iso_year = thursday.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        jan1 = iso_year.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
        return (iso_year + 1970) * 100 + (thursday - jan1) // 7 + 1
    unit = "datetime64[M]" if duplicates is Duplicates.MONTH else "datetime64[Y]"
    return dates.astype(unit).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Statements:
    """Coded statements as parallel columns, one row per statement.

    Columns are numpy arrays of equal length: ``id``, ``actor``, ``target``, ``document``, ``source``,
    ``person``, ``stance`` and ``coder`` hold strings (``person``, ``source``, ``stance`` and ``coder`` may
    hold None; ``coder`` names who coded the statement, for inter-coder reliability, and is no actor),
    ``qualifier`` holds a coded int or str or None, ``date`` is ``datetime64[D]`` (NaT if unknown),
    ``confidence`` float64 in [0, 1] (NaN where none is recorded: unknown, not 0) and ``contested`` bool
    (the statement contradicts another or is contradicted; False where nothing says so). The networks'
    ``contested`` and ``min_confidence`` options read these two
    (:func:`~stancegraph.graph.analysis.network_options.stance_mask`).
    Stances may be given as names or as stance-type IRIs (``sg:Endorses``), as a SPARQL result has them.
    On construction a missing document becomes the source (else the statement is its own document) and
    a missing date becomes the date of its document: the earliest dated statement in that document.

    Parameters
    ----------
    id, actor, target, qualifier, document, date, source, person, stance, coder : array-like
        The columns; ``actor`` and ``target`` are required non-empty strings, ``id`` must be unique.
    confidence, contested : array-like, optional
        How sure the report is (None or empty: unknown) and whether the statement is disputed.
    scale : Mapping[str, int], optional
        Integer value of each stance name for integer networks (default :data:`DEFAULT_INTEGER_SCALE`).

    Examples
    --------
    >>> st = Statements.from_records([
    ...     {"actor": "US", "target": "point 7", "stance": "endorses", "date": "2025-11-21"},
    ...     {"actor": "Ukraine", "target": "point 7", "stance": "rejects", "document": "d1"},
    ...     {"actor": "Ukraine", "target": "point 5", "stance": "endorses", "document": "d1",
    ...      "date": "2025-11-22"},
    ... ])
    >>> len(st), st.qualifier_kind
    (3, <QualifierKind.BOOLEAN: 'boolean'>)
    >>> str(st.date[1])  # no date: takes the date of its document d1
    '2025-11-22'
    """

    id: np.ndarray
    actor: np.ndarray
    target: np.ndarray
    qualifier: np.ndarray
    document: np.ndarray
    date: np.ndarray
    source: np.ndarray
    person: np.ndarray
    stance: np.ndarray
    coder: np.ndarray | None = None
    confidence: np.ndarray | None = None
    contested: np.ndarray | None = None
    scale: Mapping[str, int] = field(default_factory=lambda: DEFAULT_INTEGER_SCALE)
    #: Private, for a caller that has coded the columns already (the store's selection): the
    #: :meth:`codes` of some columns, and whether the ids are known to be distinct text (none missing).
    _codes: InitVar[Mapping[str, tuple[np.ndarray, tuple]] | None] = None
    _distinct_ids: InitVar[bool] = False
    _cache: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self, _codes: Mapping | None, _distinct_ids: bool) -> None:
        n = len(self.actor)
        fresh = _codes is not None  # the store's selection: its columns were made for this table alone
        cols = {
            name: object_column(getattr(self, name), n, name, copy=not fresh)
            for name in _COLUMNS
            if name != "date"
        }
        if self.id is None:
            width = len(str(n))
            cols["id"] = np.array([f"s{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
        elif not _distinct_ids and not all(isinstance(v, str) for v in cols["id"]):
            cols["id"] = np.array(
                [v if v is None or isinstance(v, str) else str(v) for v in cols["id"]], dtype=object
            )
        dates = self._parse_dates(self.date, cols["id"], n)
        cols["confidence"] = confidence_column(self.confidence, cols["id"], n)
        cols["contested"] = contested_column(self.contested, n)
        for name, column in cols.items():
            object.__setattr__(self, name, column)
        object.__setattr__(self, "scale", MappingProxyType(dict(self.scale)))
        self._cache.update(_codes or {})
        self._validate(distinct_ids=_distinct_ids)
        doc_codes = self._fill_documents()
        self._fill_dates(dates, doc_codes)
        for name in _COLUMNS + _STATUS:
            getattr(self, name).flags.writeable = False

    @staticmethod
    def _parse_dates(values: Any, ids: np.ndarray, n: int) -> np.ndarray:
        if values is None:
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        if isinstance(values, np.ndarray) and values.dtype.kind == "M":
            if len(values) != n:
                raise ValueError(f"Statements: column 'date' has {len(values)} values but 'actor' has {n}")
            return values.astype("datetime64[D]")
        raw = [blank_to_none(v) for v in values]
        if len(raw) != n:
            raise ValueError(f"Statements: column 'date' has {len(raw)} values but 'actor' has {n}")
        try:
            return np.array([np.datetime64("NaT") if v is None else v for v in raw], dtype="datetime64[D]")
        except (ValueError, TypeError):
            for sid, v in zip(ids, raw, strict=True):
                try:
                    np.datetime64(v, "D") if v is not None else None
                except (ValueError, TypeError):
                    raise ValueError(
                        f"Statements: statement {sid!r} has date {v!r}, which is not an ISO date; "
                        "write it as YYYY-MM-DD"
                    ) from None
            raise

    def _validate(self, *, distinct_ids: bool = False) -> None:
        for name in ("actor", "target"):
            codes, uniques = self.codes(name)
            bad = [u for u in uniques if not isinstance(u, str) or not u.strip()]
            if bad or (codes < 0).any():
                row = int(np.flatnonzero((codes < 0) | np.isin(codes, [uniques.index(b) for b in bad]))[0])
                raise ValueError(
                    f"Statements: statement {self.id[row]!r} has no {name} label; "
                    f"every statement needs a non-empty {name}"
                )
        for name in ("person", "source", "stance", "coder"):
            bad = [u for u in self.codes(name)[1] if not isinstance(u, str)]
            if bad:
                raise ValueError(f"Statements: column {name!r} holds {bad[0]!r}; it takes text or None")
        self._normalise_stances()
        unknown = sorted(set(self.codes("stance")[1]) - set(STANCE_BOOLEAN))
        if unknown:
            raise ValueError(
                f"Statements: unknown stance {unknown[0]!r}; valid stances: "
                + ", ".join(repr(s) for s in STANCE_BOOLEAN)
            )
        quals = self.codes("qualifier")[1]
        if any(isinstance(q, float) or not isinstance(q, numbers.Integral | str) for q in quals):
            raise ValueError(
                "Statements: the qualifier column takes ints, text or None, not "
                f"{next(q for q in quals if not isinstance(q, numbers.Integral | str))!r}"
            )
        if any(isinstance(q, str) for q in quals) and any(not isinstance(q, str) for q in quals):
            raise ValueError("Statements: the qualifier column mixes numbers and text; code it one way")
        if not distinct_ids:
            self._validate_ids()

    def _validate_ids(self) -> None:
        ids, unique_ids = self.codes("id")
        if (ids < 0).any():
            raise ValueError(
                f"Statements: the statement in row {int(np.argmin(ids))} has no id; give every "
                "statement an id, or none (then they are numbered)"
            )
        if len(unique_ids) != len(ids):
            dup = np.bincount(ids[ids >= 0]).argmax()
            raise ValueError(f"Statements: statement id {unique_ids[dup]!r} occurs more than once")

    def _normalise_stances(self) -> None:
        """Accept stance-type IRIs or names in any case (``sg:Endorses``, ``.../ontology#Endorses``)."""
        codes, names = self.codes("stance")
        plain = [n.rsplit("#", 1)[-1].rsplit(":", 1)[-1].lower() for n in names]
        if plain != list(names):
            lut = np.array(plain + [None], dtype=object)
            object.__setattr__(self, "stance", lut[codes])
            levels = sorted(set(plain))  # the codes of the new column, from those of the old one
            rank = np.array([levels.index(p) for p in plain] + [-1], dtype=np.int64)
            self._cache["stance"] = (rank[codes], tuple(levels))

    def _fill_documents(self) -> np.ndarray:
        doc = self.document
        codes, uniques = self.codes("document")
        blank = [i for i, u in enumerate(uniques) if blank_to_none(u) is None]
        missing = (codes < 0) | np.isin(codes, blank)
        if missing.any():
            doc = doc.copy()
            fallback = np.where([s is not None for s in self.source], self.source, self.id)
            doc[missing] = fallback[missing]
            object.__setattr__(self, "document", doc)
            self._cache.pop("document", None)
        return self.codes("document")[0]

    def _fill_dates(self, dates: np.ndarray, doc_codes: np.ndarray) -> None:
        undated = np.isnat(dates)
        if undated.any() and (~undated).any():
            ndocs = len(self.codes("document")[1])
            earliest = np.full(ndocs, np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(earliest, doc_codes[~undated], dates[~undated].astype(np.int64))
            fill = earliest[doc_codes[undated]]
            known = fill != np.iinfo(np.int64).max
            idx = np.flatnonzero(undated)[known]
            dates[idx] = fill[known].astype("datetime64[D]")
        object.__setattr__(self, "date", dates)

    # constructors -------------------------------------------------------------------------------
    @classmethod
    def from_columns(cls, *, actor: Iterable, target: Iterable, **columns: Any) -> Statements:
        """Build from columns given by name; absent optional columns are all None.

        Accepted names: ``id``, ``qualifier`` (or ``agreement``), ``document``, ``date``, ``source``,
        ``person``, ``stance``, ``coder``, ``confidence``, ``contested``, plus ``scale``.
        """
        if "agreement" in columns:
            columns["qualifier"] = columns.pop("agreement")
        unknown = set(columns) - set(_COLUMNS + _STATUS) - {"scale"}
        if unknown:
            raise ValueError(
                f"Statements.from_columns: unknown column(s) {sorted(unknown)}; known: "
                f"{', '.join(_COLUMNS + _STATUS)}"
            )
        scale = columns.pop("scale", None) or DEFAULT_INTEGER_SCALE
        values = {name: columns.get(name) for name in _COLUMNS + _STATUS if name not in ("actor", "target")}
        return cls(actor=actor, target=target, scale=scale, **values)

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, scale: Mapping[str, int] | None = None
    ) -> Statements:
        """Build from one mapping per statement (keys as in :meth:`from_columns`; others are ignored).

        Empty strings count as missing values.

        Examples
        --------
        >>> Statements.from_records([{"actor": "EU", "target": "p1", "agreement": 3}]).qualifier_kind
        <QualifierKind.INTEGER: 'integer'>
        """
        rows = list(records)
        cols: dict[str, list] = {name: [] for name in _COLUMNS + _STATUS}
        for row in rows:
            for name in _COLUMNS + _STATUS:
                key = "agreement" if name == "qualifier" and "agreement" in row else name
                cols[name].append(blank_to_none(row.get(key)))
        if all(v is None for v in cols["id"]):
            cols["id"] = None  # type: ignore[assignment]
        return cls.from_columns(scale=scale, **cols)

    def take(self, rows: np.ndarray) -> Statements:
        """The statements at the given row positions, as a new table."""
        values = {name: getattr(self, name)[rows] for name in _COLUMNS + _STATUS}
        return Statements(scale=self.scale, **values)

    def __len__(self) -> int:
        return len(self.actor)

    # derived columns --------------------------------------------------------------------------------
    def codes(self, column: str) -> tuple[np.ndarray, tuple]:
        """Integer codes of a column into its sorted distinct values (-1 where None), cached."""
        if column not in self._cache:
            self._cache[column] = _factorize(getattr(self, column))
        return self._cache[column]

    @property
    def qualifier_kind(self) -> QualifierKind:
        """The natural qualifier of the data: categorical if coded as text, integer if coded outside
        0/1, none if no statement has a coded value or a stance, else (also when empty) boolean."""
        coded = self.codes("qualifier")[1]
        if any(isinstance(q, str) for q in coded):
            return QualifierKind.CATEGORICAL
        if any(int(q) not in (0, 1) for q in coded):
            return QualifierKind.INTEGER
        if not coded and not self.codes("stance")[1] and len(self):
            return QualifierKind.NONE
        return QualifierKind.BOOLEAN

    # which statements count ---------------------------------------------------------------------
    def require_dates(self, rows: np.ndarray, why: str) -> None:
        """Raise ValueError naming the statements among ``rows`` that have no date."""
        undated = rows[np.isnat(self.date[rows])]
        if len(undated):
            ids = ", ".join(repr(self.id[r]) for r in undated[:5])
            raise ValueError(
                f"{why} needs dates, but statement(s) {ids} have none and no other statement "
                "of their document has one; give them a date"
            )

    def first_of_duplicates(
        self, rows: np.ndarray, keys: list[np.ndarray], duplicates: Duplicates | str
    ) -> np.ndarray:
        """The rows left when statements equal on ``keys`` (per-row code arrays, e.g. actor, target and
        qualifier level) count once per document, ISO week, month, year or the whole range: the first
        by date, then statement id, of each group (sorted row positions)."""
        duplicates = Duplicates(duplicates)
        if duplicates is Duplicates.INCLUDE or len(rows) == 0:
            return rows
        keys = [k[rows] for k in keys]
        if duplicates is Duplicates.DOCUMENT:
            keys.append(self.codes("document")[0][rows])
        elif duplicates is not Duplicates.ACROSSRANGE:
            self.require_dates(rows, f"duplicates={duplicates.value!r}")
            keys.append(_period(self.date[rows], duplicates))
        order = np.lexsort((self.codes("id")[0][rows], self.date[rows].astype(np.int64), *reversed(keys)))
        same = np.ones(len(rows), dtype=bool)
        for key in keys:
            ordered = key[order]
            same[1:] &= ordered[1:] == ordered[:-1]
        same[0] = False
        return np.sort(rows[order[~same]])

    def qualifier_codes(self, kind: QualifierKind | str) -> tuple[np.ndarray, tuple]:
        """Per-statement qualifier level codes (-1 where the statement has no value of this kind) and
        the sorted levels. Boolean levels are always ``(0, 1)``; ``none`` has the single level ``(0,)``.

        Raises
        ------
        ValueError
            If a coded value does not fit the kind (e.g. agreement 3 read as boolean).
        """
        kind = QualifierKind(kind)
        key = ("qualifier", kind)
        if key not in self._cache:
            self._cache[key] = self._resolve_qualifier(kind)
        return self._cache[key]

    def _resolve_qualifier(self, kind: QualifierKind) -> tuple[np.ndarray, tuple]:
        n = len(self)
        if kind is QualifierKind.NONE:
            return np.zeros(n, dtype=np.int64), (0,)
        qc, qu = self.codes("qualifier")
        sc, su = self.codes("stance")
        pair = (qc + 1) * (len(su) + 1) + (sc + 1)
        upairs, inverse = np.unique(pair, return_inverse=True)
        values = []
        for p in upairs:
            q = qu[p // (len(su) + 1) - 1] if p // (len(su) + 1) else None
            s = su[p % (len(su) + 1) - 1] if p % (len(su) + 1) else None
            try:
                values.append(self._level(kind, q, s))
            except ValueError as err:
                row = int(np.flatnonzero(pair == p)[0])
                raise ValueError(f"statement {self.id[row]!r}: {err}") from None
        present = sorted({v for v in values if v is not None})
        levels = (0, 1) if kind is QualifierKind.BOOLEAN else tuple(present)
        index = {v: i for i, v in enumerate(levels)}
        lut = np.array([index[v] if v is not None else -1 for v in values], dtype=np.int64)
        return lut[inverse.ravel()], levels

    def _level(self, kind: QualifierKind, coded: Any, stance: str | None) -> int | str | None:
        if coded is not None:
            if kind is QualifierKind.CATEGORICAL:
                return str(coded)
            if isinstance(coded, str):
                raise ValueError(f"qualifier {coded!r} is text; read it with qualifier='categorical'")
            if kind is QualifierKind.BOOLEAN and int(coded) not in (0, 1):
                raise ValueError(f"agreement {coded} is not boolean (0/1); use qualifier='integer'")
            return int(coded)
        if stance is None:
            return None
        if kind is QualifierKind.BOOLEAN:
            return STANCE_BOOLEAN[stance]
        if kind is QualifierKind.INTEGER:
            if stance not in self.scale:
                raise ValueError(f"the integer scale has no value for {stance!r}; add it to scale=")
            return int(self.scale[stance])
        return stance

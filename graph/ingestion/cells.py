"""The typed cells of a statements table: stance or agreement, date, confidence, as N-Triples terms.

Each parser checks one cell and returns its RDF term, or raises
:class:`~stancegraph.graph.ingestion.table_format.RowProblem` saying what to write instead. Values seen
before come from a cache: a million rows hold few distinct dates and confidences (and, with a time of day,
about as many moments as documents: the cache of those stops growing at :data:`MOMENTS_CACHED`).
"""

from __future__ import annotations

__all__ = ["CellParser", "ISO_DATE", "ISO_MOMENT", "MOMENTS_CACHED"]

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pyoxigraph import Literal, NamedNode

from stancegraph.graph.ingestion.table_format import STANCE_NAMES, RowProblem
from stancegraph.ontology.namespaces import SG_NS, STANCE_TYPES, XSD_NS

#: A day as the ``date`` column writes it (then checked to exist): ``20251121`` is refused.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A day with a time of day, as DNA writes it (``2025-11-22 10:00:00``), or with a ``T``, without the
#: seconds, with fractions of a second or a timezone (``Z``, ``+01:00``).
ISO_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")
#: The most moments (dates with a time of day) kept in the cache of one table.
MOMENTS_CACHED = 100_000
_DATE = NamedNode(XSD_NS + "date")
_DATE_TIME = NamedNode(XSD_NS + "dateTime")
_DECIMAL = NamedNode(XSD_NS + "decimal")
_INTEGER = NamedNode(XSD_NS + "integer")


class CellParser:
    """Parse the cells of one table.

    Parameters
    ----------
    columns : dict
        The table's columns (name -> position), from
        :func:`~stancegraph.graph.ingestion.table_format.read_header`.
    boolean_agreement : bool
        Whether the ``agreement`` column is DNA's boolean qualifier (every value 0 or 1).
    labels : Mapping of str to str, optional
        The name the header gives each column (:attr:`~stancegraph.graph.ingestion.table_format.Header.
        labels`: ``organization`` for the actor), for the messages.
    """

    def __init__(
        self,
        columns: Mapping[str, int],
        *,
        boolean_agreement: bool = False,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.columns = columns
        self.boolean_agreement = boolean_agreement
        self.labels = labels or {}
        self.kinds = {
            name: (f"<{kind.iri}>", f"<{kind.edge}>" if kind.edge else None, None)
            for name, kind in STANCE_TYPES.items()
        }
        self._dates: dict[str, tuple[str, str | None]] = {}
        self._moments = 0
        self._confidences: dict[str, str] = {}

    def empty(self, column: str) -> RowProblem:
        """The problem of an empty ``actor`` or ``target`` cell, named as the header names the column."""
        shown = self.labels.get(column, column)
        message = f"the {shown} cell is empty; name the {column} (IRI, short id or label)"
        return RowProblem(message, SG_NS + column)

    def stance_type(self, cells: list[str]) -> tuple[str, str | None, str | None]:
        """(stance type IRI, direct-edge predicate or None, agreement literal or None) of a row."""
        if "stance" in self.columns:
            name = cells[self.columns["stance"]]  # already lower-cased
            found = self.kinds.get(name)
            if found is None:
                shown = repr(name) if name else "empty"
                raise RowProblem(
                    f"the stance cell is {shown}; write one of {', '.join(STANCE_NAMES)}",
                    SG_NS + "stanceType",
                    name or None,
                )
            return found
        value = self.agreement(cells[self.columns["agreement"]])
        type_iri, edge, _ = self.kinds[self._agreement_name(value)]
        return type_iri, edge, str(Literal(str(value), datatype=_INTEGER))

    def stance_name(self, cells: list[str]) -> str:
        """The stance name of a row that :meth:`stance_type` accepted (``neutral`` included)."""
        if "stance" in self.columns:
            return cells[self.columns["stance"]]
        return self._agreement_name(int(cells[self.columns["agreement"]]))

    def _agreement_name(self, value: int) -> str:
        """What an agreement value stands for: DNA's 1/0, or the sign of a scale (0 is neutral)."""
        if self.boolean_agreement:
            return "endorses" if value == 1 else "rejects"
        return "endorses" if value > 0 else "rejects" if value < 0 else "neutral"

    @staticmethod
    def agreement(text: str) -> int:
        """The integer of an ``agreement`` cell."""
        try:
            return int(text)
        except ValueError:
            raise RowProblem(
                f"the agreement cell is {text!r}; write an integer "
                "(1 agree / 0 disagree, or a scale such as -2..2)",
                SG_NS + "agreement",
                text or None,
            ) from None

    def when(self, text: str) -> tuple[str, str | None]:
        """The ``xsd:date`` literal of a ``date`` cell (a day that exists, YYYY-MM-DD), and the
        ``xsd:dateTime`` literal of the moment when the cell gives a time of day too (else None)."""
        found = self._dates.get(text)
        if found is None:
            day, moment = self.day_and_moment(text)
            found = (
                str(Literal(day, datatype=_DATE)),
                None if moment is None else str(Literal(moment, datatype=_DATE_TIME)),
            )
            if moment is None:
                self._dates[text] = found
            elif self._moments < MOMENTS_CACHED:
                self._dates[text] = found
                self._moments += 1
        return found

    @staticmethod
    def day_and_moment(text: str) -> tuple[str, str | None]:
        """The day (``YYYY-MM-DD``) of a ``date`` cell and, when it gives a time of day, the moment as
        ``xsd:dateTime`` text (``2025-11-22 10:00`` -> ``2025-11-22T10:00:00``).

        Examples
        --------
        >>> CellParser.day_and_moment("2025-11-22 10:00")
        ('2025-11-22', '2025-11-22T10:00:00')
        >>> CellParser.day_and_moment("2025-11-22")
        ('2025-11-22', None)
        """
        if ISO_DATE.fullmatch(text):
            day, moment = text, None
        else:
            parts = ISO_MOMENT.fullmatch(text)
            if parts is None:
                raise RowProblem(
                    f"the date {text!r} is not a day written YYYY-MM-DD (e.g. 2025-11-21), nor a day with a "
                    "time of day (2025-11-21 10:00:00); correct it",
                    SG_NS + "statedOn",
                    text,
                )
            day, minutes, seconds, zone = parts.groups()
            moment = f"{day}T{minutes}{seconds or ':00'}{zone or ''}"
        try:
            if moment is None:
                dt.date.fromisoformat(day)
            else:
                dt.datetime.fromisoformat(moment)
        except ValueError:
            raise RowProblem(
                f"the date {text!r} does not exist; correct it", SG_NS + "statedOn", text
            ) from None
        return day, moment

    def quote_position(self, cells: list[str]) -> tuple[str, str] | None:
        """The ``xsd:integer`` literals of a row's ``quote_start`` and ``quote_end`` cells (None when both
        are empty or absent): both given, whole numbers from 0, the start before the end."""
        at_start, at_end = self.columns.get("quote_start"), self.columns.get("quote_end")
        start = cells[at_start] if at_start is not None else ""
        end = cells[at_end] if at_end is not None else ""
        if not start and not end:
            return None
        names = self.labels.get("quote_start", "quote_start"), self.labels.get("quote_end", "quote_end")
        if not start or not end:
            given, missing = (names[0], names[1]) if start else (names[1], names[0])
            raise RowProblem(
                f"the {given} cell is filled but the {missing} cell is not; give both (where the quote "
                "starts and ends in the document's text) or neither",
                SG_NS + ("quoteEnd" if start else "quoteStart"),
            )
        values = []
        for name, text, local in zip(names, (start, end), ("quoteStart", "quoteEnd"), strict=True):
            if not text.isdigit() or not text.isascii():
                raise RowProblem(
                    f"the {name} cell is {text!r}; write a character offset in the document's text, a whole "
                    "number from 0 (e.g. 120)",
                    SG_NS + local,
                    text,
                )
            values.append(int(text))
        if values[0] >= values[1]:
            raise RowProblem(
                f"the quote does not end after it starts (it starts at {values[0]} and ends at {values[1]}); "
                f"the {names[1]} cell must be greater than the {names[0]} cell",
                SG_NS + "quoteEnd",
                end,
            )
        return str(Literal(str(values[0]), datatype=_INTEGER)), str(
            Literal(str(values[1]), datatype=_INTEGER)
        )

    def confidence(self, text: str) -> str:
        """The ``xsd:decimal`` literal of a ``confidence`` cell (a number in [0, 1])."""
        found = self._confidences.get(text)
        if found is None:
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = Decimal("NaN")
            if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
                raise RowProblem(
                    f"the confidence {text!r} is not a number between 0 and 1; write e.g. 0.8",
                    SG_NS + "confidence",
                    text,
                )
            lexical = format(value, "f")
            lexical = lexical if "." in lexical else lexical + ".0"
            found = self._confidences[text] = str(Literal(lexical, datatype=_DECIMAL))
        return found

    def problems(self, cells: list[str], first: RowProblem | None) -> list[RowProblem]:
        """Every problem of a row's cells, not only the first one the conversion stopped at (``first``;
        None when the row was not converted because of its id or contradicts cell).

        Runs only for a bad row, so the conversion of good rows stays one pass.
        """
        at = {name: self.columns.get(name) for name in ("actor", "target", "date", "confidence")}
        checks: list[tuple[str, Callable[[], Any]]] = [("stance", lambda: self.stance_type(cells))]
        for column, check in (("date", self.when), ("confidence", self.confidence)):
            position = at[column]
            if position is not None and cells[position]:
                checks.append((column, lambda check=check, position=position: check(cells[position])))
        found = [first] if first is not None else []
        first_path = first.path if first is not None else None
        first_key = (first.message, first.path) if first is not None else None
        for column in ("actor", "target"):
            if not cells[at[column]] and first_path != SG_NS + column:
                found.append(self.empty(column))
        checks.append(("quote_start", lambda: self.quote_position(cells)))
        for _, check in checks:
            try:
                check()
            except RowProblem as problem:
                if (problem.message, problem.path) != first_key:
                    found.append(problem)
        return found

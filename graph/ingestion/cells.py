"""The typed cells of a statements table: stance or agreement, date, confidence, as N-Triples terms.

Each parser checks one cell and returns its RDF term, or raises
:class:`~stancegraph.graph.ingestion.table_format.RowProblem` saying what to write instead. Values seen
before come from a cache: a million rows hold few distinct dates and confidences.
"""

from __future__ import annotations

__all__ = ["CellParser", "ISO_DATE"]

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from pyoxigraph import Literal, NamedNode

from stancegraph.graph.ingestion.table_format import STANCE_NAMES, RowProblem
from stancegraph.ontology.namespaces import SG_NS, STANCE_TYPES, XSD_NS

#: A day as the ``date`` column writes it (then checked to exist): ``20251121`` is refused.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE = NamedNode(XSD_NS + "date")
_DECIMAL = NamedNode(XSD_NS + "decimal")
_INTEGER = NamedNode(XSD_NS + "integer")


class CellParser:
    """Parse the cells of one table.

    Parameters
    ----------
    columns : dict
        The table's columns (name -> position), from
        :func:`~stancegraph.graph.ingestion.table_format.header_columns`.
    boolean_agreement : bool
        Whether the ``agreement`` column is DNA's boolean qualifier (every value 0 or 1).
    """

    def __init__(self, columns: dict[str, int], *, boolean_agreement: bool = False) -> None:
        self.columns = columns
        self.boolean_agreement = boolean_agreement
        self.kinds = {
            name: (f"<{kind.iri}>", f"<{kind.edge}>" if kind.edge else None, None)
            for name, kind in STANCE_TYPES.items()
        }
        self._dates: dict[str, str] = {}
        self._confidences: dict[str, str] = {}

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

    def date(self, text: str) -> str:
        """The ``xsd:date`` literal of a ``date`` cell (a day that exists, written YYYY-MM-DD)."""
        found = self._dates.get(text)
        if found is None:
            if not ISO_DATE.fullmatch(text):
                raise RowProblem(
                    f"the date {text!r} is not a day written YYYY-MM-DD (e.g. 2025-11-21); correct it",
                    SG_NS + "statedOn",
                    text,
                )
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                raise RowProblem(
                    f"the date {text!r} does not exist; correct it", SG_NS + "statedOn", text
                ) from None
            found = self._dates[text] = str(Literal(text, datatype=_DATE))
        return found

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
        for column, check in (("date", self.date), ("confidence", self.confidence)):
            position = at[column]
            if position is not None and cells[position]:
                checks.append((column, lambda check=check, position=position: check(cells[position])))
        found = [first] if first is not None else []
        first_path = first.path if first is not None else None
        first_key = (first.message, first.path) if first is not None else None
        for column in ("actor", "target"):
            if not cells[at[column]] and first_path != SG_NS + column:
                found.append(
                    RowProblem(
                        f"the {column} cell is empty; name the {column} (IRI, short id or label)",
                        SG_NS + column,
                    )
                )
        for _, check in checks:
            try:
                check()
            except RowProblem as problem:
                if (problem.message, problem.path) != first_key:
                    found.append(problem)
        return found

"""What a load reports: :class:`IngestReport` for :func:`~stancegraph.graph.ingestion.pipeline.ingest`,
:class:`CheckResult` for :func:`~stancegraph.graph.ingestion.pipeline.check`."""

from __future__ import annotations

__all__ = ["IngestReport", "CheckResult"]

from collections.abc import Iterable
from dataclasses import dataclass

from stancegraph.graph.errors import Violation


@dataclass(frozen=True)
class IngestReport:
    """What :func:`~stancegraph.graph.ingestion.pipeline.ingest` stored.

    Attributes
    ----------
    files : tuple of str
        The inputs, in the order given.
    quads : int
        Quads written (a quad the store already held counts too).
    added : int
        Quads the store did not hold before: 0 when the same files are loaded again.
    stances : int
        Stances among them (CSV rows plus ``sg:Stance`` nodes of RDF inputs).
    already_stored : int
        CSV rows among them whose stance the store already held, under the same IRI (a file loaded
        again): written again, adding nothing. ``stances - already_stored`` are the new ones.
    actors_created, targets_created : int
        Actors and targets made for CSV names that matched nothing in the store.
    seconds : float
        Wall-clock time, parsing and validation included.
    warnings : tuple of Violation
        What was stored but is worth a look (``rule`` ``"duplicate"``: a CSV row that repeats an earlier
        row's stance, of its file, of a file read before it or of the store, and is not stored again; see
        :mod:`~stancegraph.graph.ingestion.duplicates`).
    stance_table : bool
        Whether the columnar stance table was rebuilt after the write
        (:func:`~stancegraph.graph.queries.stance_table.refresh_stance_table`); False: it is left to the
        first analysis (not asked for, a store that keeps none, or too big to build in the memory free).
    """

    files: tuple[str, ...]
    quads: int
    added: int
    stances: int
    actors_created: int
    targets_created: int
    seconds: float
    warnings: tuple[Violation, ...] = ()
    already_stored: int = 0
    stance_table: bool = False


class CheckResult(list[Violation]):
    """What :func:`~stancegraph.graph.ingestion.pipeline.check` found: the violations, as the list itself
    (empty when :func:`~stancegraph.graph.ingestion.pipeline.ingest` would succeed), and the
    :attr:`warnings` it would report without refusing the files.

    Attributes
    ----------
    warnings : tuple of Violation
        As :attr:`IngestReport.warnings`.
    already_stored : int
        As :attr:`IngestReport.already_stored`.
    """

    def __init__(
        self,
        violations: Iterable[Violation] = (),
        warnings: Iterable[Violation] = (),
        already_stored: int = 0,
    ) -> None:
        super().__init__(violations)
        self.warnings = tuple(warnings)
        self.already_stored = already_stored

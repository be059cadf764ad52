"""Change over time: an actor's stances on a target as a dated sequence, and the shifts between them.

The reports of one actor (or a person speaking for it) on one target, oldest first, are grouped into
runs of the same stance type; where the type changes (say rejects -> concedes) that is a
:class:`Shift`, dated by the last report of the old run and the first report of the new one, with the
sources of both. Reports on the same day are ordered by stance IRI, so the order is deterministic; two
different stances reported on one day still give a shift (both dates are then that day).
"""

from __future__ import annotations

__all__ = ["HistoryEntry", "Shift", "StanceHistory", "stance_changes"]

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancegraph.graph.queries.names import resolve
from stancegraph.graph.queries.stances import stances

if TYPE_CHECKING:
    from stancegraph.graph.store import Store


@dataclass(frozen=True)
class HistoryEntry:
    """One reported stance in the sequence: when, what, and who reports it."""

    date: dt.date
    stance: str
    source: str
    source_title: str
    stance_iri: str
    person: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class Shift:
    """``actor`` moved on ``target`` from ``from_stance`` (last reported ``date_from``) to
    ``to_stance`` (first reported ``date_to``); ``sources`` are those two reports' sources."""

    actor: str
    target: str
    from_stance: str
    to_stance: str
    date_from: dt.date
    date_to: dt.date
    sources: tuple[str, ...]


@dataclass(frozen=True)
class StanceHistory:
    """An actor's dated stances on one target and the shifts between them."""

    actor: str
    actor_label: str
    target: str
    target_label: str
    entries: tuple[HistoryEntry, ...]
    shifts: tuple[Shift, ...]

    @property
    def changed(self) -> bool:
        return bool(self.shifts)


def _shifts(actor: str, target: str, entries: list[HistoryEntry]) -> tuple[Shift, ...]:
    found = []
    for before, after in zip(entries, entries[1:], strict=False):
        if before.stance != after.stance:
            sources = tuple(dict.fromkeys((before.source, after.source)))
            found.append(Shift(actor, target, before.stance, after.stance, before.date, after.date, sources))
    return tuple(found)


def stance_changes(
    store: Store,
    actor: str,
    *,
    target: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> tuple[StanceHistory, ...]:
    """The stance history of ``actor`` on each target it took a stance on (or on ``target`` only).

    Parameters
    ----------
    store : Store
    actor : str
        The actor, or a person who voiced its stances (IRI, short id or label); stances whose actor or
        person it is count.
    target : str, optional
        Only this target.
    since, until : date or ISO str, optional
        Inclusive date bounds on the reports.

    Returns
    -------
    tuple of StanceHistory
        Targets with a shift first, then by target label.

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A name that matches no node, or several.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> [(s.from_stance, s.to_stance) for s in stance_changes(store, "umerov", target="us-28")[0].shifts]
    [('endorses', 'neutral')]
    """
    actor_iri = resolve(store, actor, kind="actor")
    found = stances(store, actor=actor_iri, target=target, since=since, until=until)
    by_target: dict[str, list] = {}
    for s in found:
        by_target.setdefault(s.target, []).append(s)
    histories = []
    for target_iri, reports in by_target.items():
        reports.sort(key=lambda s: (s.stated_on, s.iri))
        entries = [
            HistoryEntry(s.stated_on, s.stance, s.source, s.source_title, s.iri, s.person, s.quote)
            for s in reports
        ]
        labels = {s.actor: s.actor_label for s in reports}
        labels.update({s.person: s.person_label for s in reports if s.person and s.person_label})
        histories.append(
            StanceHistory(
                actor_iri,
                labels.get(actor_iri, actor_iri),
                target_iri,
                reports[0].target_label,
                tuple(entries),
                _shifts(actor_iri, target_iri, entries),
            )
        )
    histories.sort(key=lambda h: (not h.changed, h.target_label.casefold(), h.target))
    return tuple(histories)

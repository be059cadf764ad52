"""Change over time: an actor's stances on a target as a dated sequence, and the shifts between them.

The reports of one actor (or a person speaking for it) on one target, oldest first, are grouped into
runs of the same stance type; where the type changes (say rejects -> concedes) that is a
:class:`Shift`, dated by the last report of the old run and the first report of the new one, with the
sources of both. Reports on the same day are ordered by stance IRI, so the order is deterministic; two
different stances reported on one day still give a shift (both dates are then that day).

Each :class:`HistoryEntry` carries its report's ``confidence`` (None: not recorded), whether it is
``contested`` and whether its actor has ``denied`` it since (:mod:`~stancegraph.graph.queries.contested`).
A denied stance is not that actor's position, so it is no position to move from or to: it stays in the
history, flagged, but the shifts run between the entries that are not denied only. The US official's
report that Umerov endorsed the US plan, which Umerov denied the next day, is listed in Ukraine's history
on ``us-28``; it gives no shift "endorses -> neutral".
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
    """One reported stance in the sequence: when, what, who reports it, how sure and how disputed.

    ``confidence`` is the stance's ``sg:confidence`` (None when it records none), ``contested`` whether
    a stance contradicts it or it contradicts one, ``denied`` whether its actor has denied it since: a
    denied entry is listed but starts or ends no :class:`Shift`.
    """

    date: dt.date
    stance: str
    source: str
    source_title: str
    stance_iri: str
    person: str | None = None
    quote: str | None = None
    confidence: float | None = None
    contested: bool = False
    denied: bool = False


@dataclass(frozen=True)
class Shift:
    """``actor`` moved on ``target`` from ``from_stance`` (last reported ``date_from``) to
    ``to_stance`` (first reported ``date_to``); ``sources`` are those two reports' sources,
    ``stance_iri_from`` and ``stance_iri_to`` the two reports (stances). Neither is a denied stance."""

    actor: str
    target: str
    from_stance: str
    to_stance: str
    date_from: dt.date
    date_to: dt.date
    sources: tuple[str, ...]
    stance_iri_from: str
    stance_iri_to: str


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
    """The changes of stance type between consecutive positions: denied entries are skipped."""
    held = [e for e in entries if not e.denied]
    found = []
    for before, after in zip(held, held[1:], strict=False):
        if before.stance != after.stance:
            sources = tuple(dict.fromkeys((before.source, after.source)))
            found.append(
                Shift(
                    actor,
                    target,
                    before.stance,
                    after.stance,
                    before.date,
                    after.date,
                    sources,
                    before.stance_iri,
                    after.stance_iri,
                )
            )
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
        Targets with a shift first, then by target label. Every report is an entry, with its
        confidence, contested and denied flags; the shifts skip the denied ones (see the module).

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A name that matches no node, or several.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> [(s.from_stance, s.to_stance) for s in stance_changes(store, "russia", target="us-28")[0].shifts]
    [('neutral', 'endorses')]
    >>> ukraine = stance_changes(store, "ukraine", target="us-28")[0]
    >>> [(e.stance, e.confidence, e.denied) for e in ukraine.entries][0], ukraine.shifts
    (('endorses', 0.3, True), ())
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
            HistoryEntry(
                s.stated_on,
                s.stance,
                s.source,
                s.source_title,
                s.iri,
                s.person,
                s.quote,
                s.confidence,
                s.contested,
                s.denied,
            )
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

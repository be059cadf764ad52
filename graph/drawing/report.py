"""A report of one selection of the graph: what it holds, gathered from the query functions.

:func:`report_content` selects the stances (a plan version and its points, an actor, a date range, which
stances count by their contested status and confidence) and gathers what a report shows of them: who
endorses, rejects, concedes or demands what (a claim its own actor denied is no one's position,
:mod:`~stancegraph.graph.queries.contested`), plan fit per plan version and demand by demand, the
contested claims beside the stances that dispute them, the graphs and figures, and the catalogue entry
of every source all this rests on. :mod:`~stancegraph.graph.drawing.report_page` turns it into one
self-contained HTML file or a PDF.
"""

from __future__ import annotations

__all__ = [
    "Selection",
    "PositionRow",
    "ContestedPair",
    "Figure",
    "ReportContent",
    "report_content",
    "selected_report_stances",
]

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stancegraph.graph.analysis.network_options import (
    Contested,
    parse_choice,
    parse_min_confidence,
    stance_mask,
)
from stancegraph.graph.analysis.selection import stance_rows
from stancegraph.graph.drawing.agreement_view import agreement_graph
from stancegraph.graph.drawing.figures import figure_bytes, network_figure, plan_heatmap
from stancegraph.graph.drawing.nodes import node_index
from stancegraph.graph.drawing.pages import Page, default_title, render_graph
from stancegraph.graph.drawing.plan_view import plan_view
from stancegraph.graph.drawing.views import stance_graph
from stancegraph.graph.queries.catalogue import SourceInfo, plan_sources, plan_versions, sources, targets
from stancegraph.graph.queries.names import resolve, short_id
from stancegraph.graph.queries.plans import PlanFit, PlanVersionsFit, plan_fit, plan_versions_fit
from stancegraph.graph.queries.stance_table import one_reading
from stancegraph.graph.queries.stances import STANCE_NAMES, Holder, Stance, stances_by_iri

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

#: The stance types in the order the positions table shows them.
_STANCE_ORDER = tuple(STANCE_NAMES)
_ACTOR_KINDS = ("state", "person", "organization", "coalition", "actor")


@dataclass(frozen=True)
class Selection:
    """What a report covers: IRIs and labels of the plan and actor (None: all), the inclusive dates, and
    which stances count."""

    plan: str | None = None
    plan_label: str | None = None
    actor: str | None = None
    actor_label: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    contested: Contested = Contested.INCLUDE
    min_confidence: float = 0.0

    def describe(self) -> str:
        """The selection in words, for the report's heading."""
        parts = [
            f"plan: {self.plan_label} ({short_id(self.plan)}) and its points" if self.plan else "any target",
            f"actor: {self.actor_label} ({short_id(self.actor)})" if self.actor else "any actor",
        ]
        if self.since or self.until:
            open_end = "\u2026"
            parts.append(f"stated {self.since or open_end} to {self.until or open_end}")
        else:
            parts.append("any date")
        parts.append(
            {
                Contested.INCLUDE: "contested stances included",
                Contested.EXCLUDE: "only undisputed stances",
                Contested.ONLY: "only contested stances",
            }[self.contested]
        )
        parts.append(
            f"confidence at least {self.min_confidence:g}" if self.min_confidence else "any confidence"
        )
        return "; ".join(parts)


@dataclass(frozen=True)
class PositionRow:
    """One target and who holds each stance on it: ``holders[i]`` for ``stances[i]``."""

    target: str
    label: str
    kind: str
    stances: tuple[str, ...]
    holders: tuple[tuple[Holder, ...], ...]


@dataclass(frozen=True)
class ContestedPair:
    """A claim and a stance that disputes it (``dispute`` has ``sg:contradicts`` to ``claim``)."""

    claim: Stance
    dispute: Stance

    @property
    def denied(self) -> bool:
        """True when the dispute is the claim's own actor's denial: then the claim is no position."""
        return self.claim.denied and self.claim.actor == self.dispute.actor


@dataclass(frozen=True)
class Figure:
    """A static figure: its heading, a caption and the SVG."""

    title: str
    caption: str
    svg: bytes = field(repr=False)


@dataclass(frozen=True)
class ReportContent:
    """Everything a report shows, as data (see the module's notes).

    ``stances`` are the selected ones, a denied claim among them (flagged); ``positions`` leave the
    denied ones out. ``fit`` is the selected plan's fit (None without a plan), ``versions_fit`` the
    actor x plan-version table, ``demand_reports`` the reports of each (actor, demand) of the fit tables,
    ``plan_reports`` the sources of each plan version's text. ``cited`` holds the catalogue entry of
    every source that any of these rests on.
    """

    title: str
    selection: Selection
    stances: tuple[Stance, ...]
    positions: tuple[PositionRow, ...]
    unmentioned_points: tuple[str, ...]
    fit: PlanFit | None
    versions_fit: PlanVersionsFit
    demand_reports: dict[tuple[str, str], tuple[Stance, ...]]
    plan_reports: dict[str, tuple[str, ...]]
    contested: tuple[ContestedPair, ...]
    pages: tuple[Page, ...]
    figures: tuple[Figure, ...]
    cited: tuple[SourceInfo, ...]

    @property
    def positions_count(self) -> int:
        """How many selected stances are positions (not denied by their actor)."""
        return sum(1 for s in self.stances if not s.denied)


def _day(value: dt.date | str | None, what: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} must be an ISO date such as 2025-11-21, not {value!r}") from None


def _selection(store: Store, plan, actor, since, until, contested, min_confidence) -> Selection:
    start, end = _day(since, "since"), _day(until, "until")
    if start and end and start > end:
        raise ValueError(f"since {start} is after until {end}, so nothing can match; swap the two dates")
    plan_iri = resolve(store, plan, kind="plan") if plan is not None else None
    actor_iri = resolve(store, actor, kind="actor") if actor is not None else None
    labels = {p.iri: p.label for p in plan_versions(store)} if plan_iri else {}
    actor_label = None
    if actor_iri:
        actor_label = node_index(store).get(actor_iri)
        actor_label = actor_label.label if actor_label else short_id(actor_iri)
    return Selection(
        plan_iri,
        labels.get(plan_iri, short_id(plan_iri)) if plan_iri else None,
        actor_iri,
        actor_label,
        start,
        end,
        parse_choice(Contested, contested if contested is not None else "include", "contested"),
        parse_min_confidence(min_confidence),
    )


def _positions(chosen: list[Stance], order: dict[str, int], kinds: dict[str, str]) -> tuple[PositionRow, ...]:
    """Who holds which stance on each target, as :func:`~stancegraph.graph.queries.stances.who` counts:
    denied claims hold nothing."""
    held: dict[str, dict[str, dict[str, list[Stance]]]] = {}
    for s in chosen:
        if not s.denied:
            held.setdefault(s.target, {}).setdefault(s.stance, {}).setdefault(s.actor, []).append(s)
    rows = []
    for target, by_stance in held.items():
        names = tuple(k for k in _STANCE_ORDER if k in by_stance)
        holders = tuple(
            tuple(
                sorted(
                    (Holder(a, found[0].actor_label, tuple(found)) for a, found in by_stance[k].items()),
                    key=lambda h: (h.label.casefold(), h.actor),
                )
            )
            for k in names
        )
        label = next(iter(next(iter(by_stance.values())).values()))[0].target_label
        rows.append(PositionRow(target, label, kinds.get(target, "target"), names, holders))
    rows.sort(key=lambda r: (order.get(r.target, len(order)), r.label.casefold(), r.target))
    return tuple(rows)


def _pairs(chosen: list[Stance], everything: dict[str, Stance]) -> tuple[ContestedPair, ...]:
    found: dict[tuple[str, str], ContestedPair] = {}
    for s in chosen:
        for other in s.contradicts:
            if other in everything:
                found.setdefault((other, s.iri), ContestedPair(everything[other], s))
        for other in s.contradicted_by:
            if other in everything:
                found.setdefault((s.iri, other), ContestedPair(s, everything[other]))
    return tuple(sorted(found.values(), key=lambda p: (p.claim.stated_on, p.claim.iri, p.dispute.iri)))


def _uncatalogued(iri: str, stance: Stance | None) -> SourceInfo:
    """A source the catalogue has no entry for, described by what a stance says of it (or its id)."""
    if stance is None:
        return SourceInfo(iri, short_id(iri), short_id(iri), "", None, None, 0)
    return SourceInfo(iri, short_id(iri), stance.source_title, stance.publisher, None, None, 0)


def _svg(figure) -> bytes:
    return figure_bytes(figure, format="svg")


def _graphs(store: Store, chosen: list[Stance], selection: Selection, aggregation: str):
    """The interactive pages and static figures of the selection."""
    index = node_index(store)
    pages: list[Page] = []
    figures: list[Figure] = []
    kept = {s.iri for s in chosen}
    if selection.plan:
        graph = plan_view(
            store, selection.plan, actor=selection.actor, since=selection.since, until=selection.until
        )
        graph.remove_edges_from(
            [(a, b, k) for a, b, k, d in graph.edges(keys=True, data=True) if "date" in d and k not in kept]
        )
        graph.remove_nodes_from(
            [n for n, d in graph.nodes(data=True) if d["kind"] in _ACTOR_KINDS and graph.degree(n) == 0]
        )
        title = default_title("plan", graph, {})
        pages.append(render_graph(graph, title=title, subtitle=selection.describe()))
        stance_edges = [(b, d) for _, b, d in graph.edges(data=True) if "date" in d]
        if any(graph.nodes[b]["kind"] in ("point", "dropped") for b, _ in stance_edges):
            figures.append(
                Figure(
                    f"Heat map: {title[0].lower()}{title[1:]}",
                    "Each cell is the actor's latest reported stance on the point (blue: reported both "
                    "to endorse and to reject it); grey: no stance reported in the selection.",
                    _svg(plan_heatmap(graph)),
                )
            )
        figures.append(
            Figure(
                title,
                "The points in number order, each plan version a column, the actors on the left.",
                _svg(network_figure(graph, title=title)),
            )
        )
    else:
        graph = stance_graph(chosen, index)
        if len(graph):
            title = default_title("stances", graph, {})
            pages.append(render_graph(graph, title=title, subtitle=selection.describe()))
            figures.append(
                Figure(title, "One edge per reported stance.", _svg(network_figure(graph, title=title)))
            )
    agreement = agreement_graph(
        chosen,
        index,
        aggregation=aggregation,
        contested=selection.contested,
        min_confidence=selection.min_confidence,
    )
    if agreement.number_of_edges():  # a network with no tie shows nothing
        title = default_title("agreement", agreement, {})
        pages.append(render_graph(agreement, title=title, subtitle=selection.describe()))
        figures.append(
            Figure(
                title,
                "Actors tied by the stances they share (DNA one-mode network, boolean qualifier); edge "
                "width: the tie's value.",
                _svg(network_figure(agreement, title=title)),
            )
        )
    return tuple(pages), tuple(figures)


def selected_report_stances(
    store: Store, selection: Selection, on_plan: set[str] | None = None
) -> list[Stance]:
    """The stances a report of ``selection`` shows, oldest first: chosen on the stance table
    (:func:`~stancegraph.graph.analysis.selection.stance_rows`: its actor and dates; targets in
    ``on_plan``, the plan and its points, when given; which count by
    :func:`~stancegraph.graph.analysis.network_options.stance_mask`), then read with their provenance
    (:func:`~stancegraph.graph.queries.stances.stances_by_iri`). A claim its actor denied is listed,
    flagged, as :func:`~stancegraph.graph.queries.stances.stances` lists it."""
    import polars as pl

    rows = stance_rows(store, actor=selection.actor, since=selection.since, until=selection.until)
    if on_plan is not None:
        rows = rows.filter(pl.col("target").is_in(list(on_plan)))
    keep = stance_mask(
        rows["contested"].to_numpy(),
        rows["confidence"].fill_null(float("nan")).to_numpy(),
        which=selection.contested,
        min_confidence=selection.min_confidence,
    )
    return list(stances_by_iri(store, rows.filter(pl.Series(keep, dtype=pl.Boolean))["stance"]))


def report_content(
    store: Store,
    *,
    plan: str | None = None,
    actor: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    contested: Contested | str | None = Contested.INCLUDE,
    min_confidence: float | str = 0.0,
    aggregation: str = "congruence",
    title: str | None = None,
) -> ReportContent:
    """Gather what a report of the selection shows.

    Parameters
    ----------
    store : Store
    plan : str, optional
        Only stances on this plan version or its points (IRI, short id or label).
    actor : str, optional
        Only stances of this actor, or voiced by this person.
    since, until : date or str, optional
        Inclusive bounds on the date a stance was stated (ISO dates).
    contested : Contested or str
        'include' (the default), 'exclude' or 'only', as for the networks.
    min_confidence : float
        Only stances with at least this confidence (0..1).
    aggregation : str
        The agreement network's: 'congruence', 'conflict' or 'subtract'.
    title : str, optional
        The report's heading.

    Returns
    -------
    ReportContent

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A plan or actor name that names no node, or several.
    ValueError
        A date that is no ISO date, ``since`` after ``until``, or a bad choice.
    """
    with one_reading(store):  # a remote store's stances are read once for the whole report
        return _content(store, plan, actor, since, until, contested, min_confidence, aggregation, title)


def _content(
    store, plan, actor, since, until, contested, min_confidence, aggregation, title
) -> ReportContent:
    import polars as pl

    selection = _selection(store, plan, actor, since, until, contested, min_confidence)
    listed = targets(store)
    order = {t.iri: i for i, t in enumerate(listed)}
    kinds = {t.iri: t.kind for t in listed}
    points = [t for t in listed if t.kind == "point" and t.plan == selection.plan]
    on_plan = {selection.plan, *(t.iri for t in points)} if selection.plan else None
    chosen = selected_report_stances(store, selection, on_plan)
    positions = _positions(chosen, order, kinds)
    held = {row.target for row in positions}
    unmentioned = tuple(t.notation or t.id for t in points if t.iri not in held)

    fit = plan_fit(store, selection.plan) if selection.plan else None
    versions_fit = plan_versions_fit(store)
    shown_actors = set(versions_fit.actors)
    if selection.actor is not None:
        shown_actors &= {selection.actor}
    demand_reports: dict[tuple[str, str], list[Stance]] = {}
    demands = stance_rows(store, stance="demands").filter(
        ~pl.col("denied"),
        pl.col("actor").is_in(list(shown_actors)),
        pl.col("target").is_in([t.iri for t in listed if t.kind == "demand"]),
    )
    for s in stances_by_iri(store, demands["stance"]):
        demand_reports.setdefault((s.actor, s.target), []).append(s)
    # the plans' texts are cited where plan fit is shown: not for an actor that makes no demand
    plan_reports = {iri: plan_sources(store, iri) for iri in versions_fit.plans} if shown_actors else {}

    disputed = stance_rows(store).filter(pl.col("contested"))["stance"]
    everything = {s.iri: s for s in stances_by_iri(store, disputed)}
    pairs = _pairs(chosen, everything)
    pages, figures = _graphs(store, chosen, selection, aggregation)

    used = {s.source for s in chosen}
    used |= {s.source for p in pairs for s in (p.claim, p.dispute)}
    used |= {s.source for found in demand_reports.values() for s in found}
    used |= {src for found in plan_reports.values() for src in found}
    catalogue = {s.iri: s for s in sources(store)}
    known = {s.source: s for s in (*chosen, *everything.values())}
    known.update({s.source: s for found in demand_reports.values() for s in found})
    cited = tuple(catalogue.get(iri) or _uncatalogued(iri, known.get(iri)) for iri in sorted(used))
    if title is None:
        subject = selection.plan_label or selection.actor_label or "every stance"
        title = f"Stance report: {subject}"
    return ReportContent(
        title=title,
        selection=selection,
        stances=tuple(chosen),
        positions=positions,
        unmentioned_points=unmentioned,
        fit=fit,
        versions_fit=versions_fit,
        demand_reports={k: tuple(v) for k, v in demand_reports.items()},
        plan_reports=plan_reports,
        contested=pairs,
        pages=pages,
        figures=figures,
        cited=cited,
    )

"""Plans and the demands they meet: whose demands a plan version fulfils, opposes or leaves untouched.

The actors' demands are an aggregate over stances and are read from the stance table
(:func:`stated_demands`, once for all the versions of :func:`plan_versions_fit`); what a plan's points
fulfil or oppose, and how many points a version has, are questions of the graph, asked in SPARQL.
"""

from __future__ import annotations

__all__ = [
    "DemandFit",
    "ActorFit",
    "PlanFit",
    "plan_fit",
    "VersionFit",
    "PlanVersionsFit",
    "plan_versions_fit",
    "StatedDemands",
    "stated_demands",
    "fit_of_plan",
]

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancegraph.graph.queries.names import resolve, short_id
from stancegraph.graph.queries.stance_table import stance_table
from stancegraph.ontology.namespaces import SG_NS

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

_SG = SG_NS
_PREFIXES = f"""
PREFIX sg: <{_SG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# the demands: what an actor's sg:Demands stances must target to be its demands
_DEMAND_NODES_QUERY = _PREFIXES + "SELECT ?demand WHERE { ?demand a sg:Demand }"

#: actor -> (its label, demand -> (its label, the highest confidence of the reports, any contested))
StatedDemands = dict[str, tuple[str, dict[str, tuple[str, float | None, bool]]]]

# what the plan's points do to demands
_POINTS_QUERY = (
    _PREFIXES
    + """
SELECT ?point ?notation ?relation ?demand ?planLabel WHERE {
  ?point skos:inScheme ?plan ; skos:notation ?notation ; ?relation ?demand .
  VALUES ?relation { sg:fulfils sg:opposes }
  OPTIONAL { ?plan skos:prefLabel ?planLabel }
}
"""
)


@dataclass(frozen=True)
class DemandFit:
    """One demand and what the plan does to it: the points that fulfil it and those that oppose it.

    ``confidence`` is the highest ``sg:confidence`` of the reports that the actor makes the demand (None
    when none records one); ``contested`` says whether any of them is disputed (``sg:contradicts``).
    """

    demand: str
    label: str
    fulfilled_by: tuple[str, ...]
    opposed_by: tuple[str, ...]
    confidence: float | None = None
    contested: bool = False

    @property
    def verdict(self) -> str:
        """'fulfilled', 'opposed', 'mixed' (points on both sides) or 'untouched'."""
        if self.fulfilled_by and self.opposed_by:
            return "mixed"
        if self.fulfilled_by:
            return "fulfilled"
        if self.opposed_by:
            return "opposed"
        return "untouched"


@dataclass(frozen=True)
class ActorFit:
    """How a plan treats one actor's demands."""

    actor: str
    label: str
    demands: tuple[DemandFit, ...]

    def _count(self, verdict: str) -> int:
        return sum(1 for d in self.demands if d.verdict == verdict)

    @property
    def fulfilled(self) -> int:
        return self._count("fulfilled") + self._count("mixed")

    @property
    def opposed(self) -> int:
        return self._count("opposed") + self._count("mixed")

    @property
    def untouched(self) -> int:
        return self._count("untouched")

    @property
    def share_fulfilled(self) -> float:
        """The fraction of the actor's demands that some point of the plan fulfils."""
        return self.fulfilled / len(self.demands) if self.demands else 0.0


# how many points a plan version has stored, how many it has as reported, and whether it is partial
_EXTENT_QUERY = (
    _PREFIXES
    + """
SELECT (COUNT(DISTINCT ?point) AS ?stored) (SAMPLE(?count) AS ?total) (SAMPLE(?flag) AS ?partial) WHERE {
  OPTIONAL { ?point skos:inScheme ?plan }
  OPTIONAL { ?plan sg:pointCount ?count }
  OPTIONAL { ?plan sg:partialText ?flag }
}
"""
)


@dataclass(frozen=True)
class PlanFit:
    """Whose demands a plan fulfils or opposes, one :class:`ActorFit` per actor that demands anything.

    ``points_recorded`` is the number of the version's points in the graph, ``point_count`` the number
    it has as reported (``sg:pointCount``, None when unknown), ``partial`` whether the graph holds only
    the reported subset of them (``sg:partialText``, or fewer points than ``point_count``), and
    ``coverage`` says so in words ("3 of 19 points recorded"). Of a partial version, a demand left
    "untouched" may be met or opposed by a point that is not recorded.
    """

    plan: str
    label: str
    actors: tuple[ActorFit, ...]
    points_recorded: int = 0
    point_count: int | None = None
    partial: bool = False
    coverage: str = ""

    def for_actor(self, actor: str) -> ActorFit:
        """The row of one actor, by IRI or short id."""
        for row in self.actors:
            if actor in (row.actor, short_id(row.actor)):
                return row
        raise KeyError(
            f"{actor!r} makes no demand in this graph; actors: "
            + ", ".join(short_id(r.actor) for r in self.actors)
        )


def plan_fit(store: Store, plan: str) -> PlanFit:
    """For each actor with demands, which of them the plan's points fulfil, oppose or leave untouched.

    An actor's demands are the targets of its ``sg:Demands`` stances that are ``sg:Demand`` nodes (not
    those it has denied since: :mod:`~stancegraph.graph.queries.contested`); a plan
    fulfils a demand when one of its points has ``sg:fulfils`` to it (``sg:opposes`` likewise).

    Parameters
    ----------
    store : Store
    plan : str
        The plan version: IRI, short id (``us-28``) or label.

    Returns
    -------
    PlanFit
        Actors sorted by label; within an actor, demands sorted by label. Points are given by notation.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> russia = plan_fit(store, "us-28").for_actor("russia")
    >>> russia.fulfilled > russia.untouched + russia.opposed
    True
    >>> plan_fit(store, "us-ua-19").coverage
    '3 of 19 points recorded (only those the reports name)'
    """
    return fit_of_plan(store, resolve(store, plan, kind="plan"), stated_demands(store))


def stated_demands(store: Store) -> StatedDemands:
    """Every actor's demands, read from the stance table
    (:func:`~stancegraph.graph.queries.stance_table.stance_table`): the targets of its ``sg:Demands``
    stances that are ``sg:Demand`` nodes, leaving out the stances it has denied since, with the highest
    confidence of the reports (None: none recorded) and whether any of them is contested.

    The labels are the nodes' ``skos:prefLabel`` (the IRI when there is none).
    """
    import polars as pl

    nodes = [row[0].value for row in store.query(_DEMAND_NODES_QUERY) if row[0] is not None]
    grouped = (
        stance_table(store)
        .filter(pl.col("type") == _SG + "Demands", pl.col("target").is_in(nodes), ~pl.col("denied"))
        .group_by("actor", "target")
        .agg(
            pl.col("actor_label").first(),
            pl.col("target_label").first(),
            pl.col("confidence").max(),
            pl.col("contested").any(),
        )
    )
    demands: StatedDemands = {}
    for actor, demand, actor_label, demand_label, confidence, contested in grouped.iter_rows():
        entry = demands.setdefault(actor, (actor_label or actor, {}))
        entry[1][demand] = (demand_label or demand, confidence, contested)
    return demands


def fit_of_plan(store: Store, plan_iri: str, demands: StatedDemands) -> PlanFit:
    """:func:`plan_fit` of the plan ``plan_iri`` for the ``demands`` given (:func:`stated_demands`): what
    the plan's points do to them is read from the graph (``sg:fulfils``, ``sg:opposes``)."""
    from pyoxigraph import NamedNode

    points = store.query(_POINTS_QUERY, bindings={"plan": NamedNode(plan_iri)})
    fulfils: dict[str, set[str]] = {}
    opposes: dict[str, set[str]] = {}
    plan_label = short_id(plan_iri)
    for _point, notation, relation, demand, label in points:
        side = fulfils if relation.value == _SG + "fulfils" else opposes
        side.setdefault(demand.value, set()).add(notation.value)
        plan_label = label.value if label is not None else plan_label
    rows = []
    for actor, (label, wanted) in demands.items():
        fits = tuple(
            DemandFit(
                d,
                wanted[d][0],
                _by_number(fulfils.get(d, ())),
                _by_number(opposes.get(d, ())),
                wanted[d][1],
                wanted[d][2],
            )
            for d in sorted(wanted, key=lambda d: (wanted[d][0].casefold(), d))
        )
        rows.append(ActorFit(actor, label, fits))
    rows.sort(key=lambda r: (r.label.casefold(), r.actor))
    recorded, total, partial = _extent(store, plan_iri)
    return PlanFit(
        plan_iri, plan_label, tuple(rows), recorded, total, partial, _coverage(recorded, total, partial)
    )


def _extent(store: Store, plan_iri: str) -> tuple[int, int | None, bool]:
    from pyoxigraph import NamedNode

    ((stored, total, flag),) = list(store.query(_EXTENT_QUERY, bindings={"plan": NamedNode(plan_iri)}))
    recorded = int(stored.value)
    count = int(total.value) if total is not None else None
    partial = (flag is not None and flag.value in ("true", "1")) or (count is not None and recorded < count)
    return recorded, count, partial


def _coverage(recorded: int, total: int | None, partial: bool) -> str:
    """How much of a plan version the graph holds, in words (see :class:`PlanFit`)."""
    if partial and total is not None:
        return f"{recorded} of {total} points recorded (only those the reports name)"
    if partial:
        return f"{recorded} points recorded (only those the reports name; the full number is not known)"
    if total is not None and total == recorded:
        return f"all {total} points recorded"
    return f"{recorded} points recorded"


@dataclass(frozen=True)
class VersionFit:
    """One cell of the actor x plan-version table: how one version treats one actor's demands."""

    plan: str
    demands: int
    fulfilled: int
    opposed: int
    untouched: int

    @property
    def share_fulfilled(self) -> float:
        """The fraction of the actor's demands that the version fulfils (0.0 without demands)."""
        return self.fulfilled / self.demands if self.demands else 0.0


@dataclass(frozen=True)
class PlanVersionsFit:
    """Plan fit across versions: ``plans`` (IRIs, in the order asked, by default oldest first) with their
    ``plan_labels``, and per actor (``actors``, sorted by label, with ``actor_labels``) one
    :class:`VersionFit` per plan in ``cells[i][j]`` (actor i, plan j); ``plan_coverage`` says how many
    points of each version are recorded (:attr:`PlanFit.coverage`)."""

    plans: tuple[str, ...]
    plan_labels: tuple[str, ...]
    actors: tuple[str, ...]
    actor_labels: tuple[str, ...]
    cells: tuple[tuple[VersionFit, ...], ...]
    plan_coverage: tuple[str, ...] = ()

    def row(self, actor: str) -> tuple[VersionFit, ...]:
        """The cells of one actor (IRI or short id), one per plan version."""
        for iri, cells in zip(self.actors, self.cells, strict=True):
            if actor in (iri, short_id(iri)):
                return cells
        raise KeyError(
            f"{actor!r} makes no demand in this graph; actors: " + ", ".join(short_id(a) for a in self.actors)
        )

    def records(self) -> list[dict]:
        """One flat dict per (actor, plan version), for tables and CSV."""
        return [
            {
                "actor": short_id(a),
                "actor_label": al,
                "plan": short_id(c.plan),
                "plan_label": pl,
                "demands": c.demands,
                "fulfilled": c.fulfilled,
                "opposed": c.opposed,
                "untouched": c.untouched,
                "share_fulfilled": c.share_fulfilled,
                "plan_coverage": pc,
            }
            for a, al, cells in zip(self.actors, self.actor_labels, self.cells, strict=True)
            for c, pl, pc in zip(
                cells, self.plan_labels, self.plan_coverage or ("",) * len(cells), strict=True
            )
        ]


def plan_versions_fit(store: Store, plans: str | Sequence[str] | None = None) -> PlanVersionsFit:
    """The actor x plan-version table of demands fulfilled, opposed and left untouched.

    Each cell is :func:`plan_fit` of one version summed for one actor (a demand that points both
    fulfil and oppose counts as fulfilled and as opposed, as in :class:`ActorFit`), so "a draft that
    endorses most of Russia's demands" becomes a number, and the table shows how later versions moved it.

    Parameters
    ----------
    store : Store
    plans : str or sequence of str, optional
        Plan versions (IRIs, short ids or labels) in the column order wanted (one name is one version);
        default every ``sg:Plan`` ordered by ``dcterms:issued`` (then IRI).

    Returns
    -------
    PlanVersionsFit

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> table = plan_versions_fit(store, ["us-28", "e3-counter"])
    >>> [round(c.share_fulfilled, 2) for c in table.row("russia")]
    [0.83, 0.33]
    """
    from stancegraph.graph.queries.catalogue import plan_versions

    versions = plan_versions(store)
    plan_labels = {p.iri: p.label for p in versions}
    if plans is None:
        iris = [p.iri for p in versions]
    else:
        names = [plans] if isinstance(plans, str) else plans  # not the letters of one name
        iris = [resolve(store, plan, kind="plan") for plan in names]
    demands = stated_demands(store)  # read once for every version
    fits = [fit_of_plan(store, iri, demands) for iri in iris]
    labels: dict[str, str] = {}
    for fit in fits:
        for row in fit.actors:
            labels.setdefault(row.actor, row.label)
    actors = sorted(labels, key=lambda a: (labels[a].casefold(), a))
    cells = []
    for actor in actors:
        row = []
        for fit in fits:
            found = next((r for r in fit.actors if r.actor == actor), None)
            if found is None:
                row.append(VersionFit(fit.plan, 0, 0, 0, 0))
            else:
                row.append(
                    VersionFit(fit.plan, len(found.demands), found.fulfilled, found.opposed, found.untouched)
                )
        cells.append(tuple(row))
    return PlanVersionsFit(
        tuple(iris),
        tuple(plan_labels.get(f.plan, f.label) for f in fits),
        tuple(actors),
        tuple(labels[a] for a in actors),
        tuple(cells),
        tuple(f.coverage for f in fits),
    )


def _by_number(notations) -> tuple[str, ...]:
    return tuple(sorted(notations, key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0, n)))

"""The JSON shapes of the REST API (pydantic models, shown with examples in the OpenAPI schema) and the
conversion of the library's frozen dataclasses into them."""

from __future__ import annotations

__all__ = [
    "plain",
    "DERIVED_PROPERTIES",
    "StanceOut",
    "HolderOut",
    "PositionOut",
    "ActorOut",
    "TargetOut",
    "SourceOut",
    "PlanOut",
    "PointVersionOut",
    "PointHistoryOut",
    "DemandFitOut",
    "ActorFitOut",
    "PlanFitOut",
    "HistoryEntryOut",
    "ShiftOut",
    "StanceHistoryOut",
    "AnswerOut",
    "AnswersOut",
    "CountsOut",
    "OverviewOut",
    "Page",
    "ProblemOut",
    "IsoDate",
]

import dataclasses
import datetime as dt
import re
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from stancegraph.ontology.namespaces import ID_NS

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    # pydantic alone would also read "0" or "1732924800" as a Unix time
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError(f"expected a day as YYYY-MM-DD (e.g. 2025-11-21), got {value!r}")
    return value


#: A day in a query parameter, written as ``YYYY-MM-DD`` and nothing else.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

_ID = ID_NS
#: The properties of the library's dataclasses that :func:`plain` writes beside their fields (the models
#: below list them as fields; tests/api/test_schemas_match.py checks both against the dataclasses).
DERIVED_PROPERTIES = (
    "contested",
    "stance",
    "changed",
    "verdict",
    "fulfilled",
    "opposed",
    "untouched",
    "share_fulfilled",
    "confidence",
)


def plain(value: Any) -> Any:
    """Dataclasses as dicts (with their derived properties such as ``contested``), dates as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in DERIVED_PROPERTIES:
            attribute = getattr(type(value), name, None)
            if isinstance(attribute, property):
                out[name] = plain(getattr(value, name))
        return out
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _example(**fields: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [fields]})


class StanceOut(BaseModel):
    """A reported stance with its provenance."""

    model_config = _example(
        iri=_ID + "stance/umerov-claim",
        actor=_ID + "actor/ukraine",
        actor_label="Ukraine",
        target=_ID + "plan/us-28",
        target_label="US 28-point peace plan",
        stance="endorses",
        stated_on="2025-11-20",
        source=_ID + "source/st-2025-11-21",
        source_title="...",
        publisher="...",
        graph=_ID + "source/st-2025-11-21",
        person=_ID + "actor/umerov",
        person_label="Rustem Umerov",
        confidence=0.3,
        contradicts=[],
        contradicted_by=[_ID + "stance/umerov-denial"],
        denied=True,
        contested=True,
    )
    iri: str
    actor: str
    actor_label: str
    target: str
    target_label: str
    stance: str = Field(description="endorses, rejects, concedes, demands or neutral")
    stated_on: dt.date
    source: str = Field(description="The source IRI, also the name of the graph holding the stance")
    source_title: str
    publisher: str
    graph: str
    person: str | None = None
    person_label: str | None = None
    reported_by: str | None = Field(None, description="Who says the stance exists, when not the actor")
    reported_by_label: str | None = None
    quote: str | None = None
    confidence: float | None = None
    contradicts: list[str] = []
    contradicted_by: list[str] = []
    denied: bool = Field(
        default=False, description="Its actor has denied it since: not the actor's position, shown flagged"
    )
    coder: str | None = Field(None, description="Who coded the stance (sg:codedBy): a coder, no actor")
    coder_label: str | None = None
    stated_at: dt.datetime | None = Field(
        None, description="The moment it was stated, when a time of day is recorded (sg:statedAt)"
    )
    contested: bool = Field(description="Another stance contradicts this one, or this one another")


class HolderOut(BaseModel):
    """An actor holding a stance, with the reports that say so."""

    actor: str
    label: str
    stances: list[StanceOut]
    contested: bool
    confidence: float | None = Field(
        description="The highest confidence of its reports; null when none records one (unknown)"
    )


class PositionOut(BaseModel):
    """An actor's stances on one target, oldest first; ``stance`` is the latest the actor has not denied."""

    target: str
    target_label: str
    stance: str
    changed: bool = Field(description="The reports the actor has not denied give more than one stance type")
    contested: bool
    confidence: float | None = Field(
        description="The confidence of the report that gives `stance`; null when it records none"
    )
    stances: list[StanceOut]


class ActorOut(BaseModel):
    model_config = _example(
        iri=_ID + "actor/us", id="us", label="United States", kinds=["State"], alt_labels=["USA"]
    )
    iri: str
    id: str
    label: str
    kinds: list[str]
    alt_labels: list[str] = []


class TargetOut(BaseModel):
    model_config = _example(
        iri=_ID + "plan/us-28/6",
        id="us-28/6",
        label="Army capped at 600,000",
        kind="point",
        plan=_ID + "plan/us-28",
        notation="6",
    )
    iri: str
    id: str
    label: str
    kind: str = Field(description="demand, plan, point or issue")
    plan: str | None = None
    notation: str | None = None


class SourceOut(BaseModel):
    iri: str
    id: str
    title: str
    publisher: str
    issued: dt.date | None
    url: str | None
    stances: int
    kind: str | None = Field(default=None, description="dcterms:type: article, statement, transcript ...")


class PlanOut(BaseModel):
    model_config = _example(
        iri=_ID + "plan/e3-counter",
        id="e3-counter",
        label="E3 counter-proposal",
        issued="2025-11-23",
        revision_of=[_ID + "plan/us-28"],
        attributed_to=[_ID + "actor/e3"],
        points=9,
    )
    iri: str
    id: str
    label: str
    issued: dt.date | None
    revision_of: list[str]
    attributed_to: list[str]
    points: int


class PointVersionOut(BaseModel):
    iri: str
    id: str
    plan: str
    plan_label: str
    notation: str
    label: str
    definition: str | None
    revises: str | None = None
    relation: str | None = Field(None, description="unchanged (skos:exactMatch) or changed (skos:closeMatch)")
    change_note: str | None = None
    dropped_in: list[str] = []


class PointHistoryOut(BaseModel):
    point: str
    versions: list[PointVersionOut]


class DemandFitOut(BaseModel):
    demand: str
    label: str
    fulfilled_by: list[str]
    opposed_by: list[str]
    confidence: float | None = Field(
        None, description="The highest confidence of the reports of this demand; null when none has one"
    )
    contested: bool = Field(False, description="A report of this demand is disputed (sg:contradicts)")
    verdict: str = Field(description="fulfilled, opposed, mixed or untouched")


class ActorFitOut(BaseModel):
    actor: str
    label: str
    demands: list[DemandFitOut]
    fulfilled: int
    opposed: int
    untouched: int
    share_fulfilled: float


class PlanFitOut(BaseModel):
    plan: str
    label: str
    actors: list[ActorFitOut]
    points_recorded: int
    point_count: int | None
    partial: bool
    coverage: str


class HistoryEntryOut(BaseModel):
    """One report in an actor's stance history on a target."""

    date: dt.date
    stance: str = Field(description="endorses, rejects, concedes, demands or neutral")
    source: str
    source_title: str
    stance_iri: str
    person: str | None = None
    quote: str | None = None
    confidence: float | None = Field(None, description="The report's confidence; null when it records none")
    contested: bool = Field(False, description="Another stance contradicts this one, or this one another")
    denied: bool = Field(
        False,
        description="Its actor has denied it since: listed, but no position, so it starts or ends no shift",
    )


class ShiftOut(BaseModel):
    """A change of stance type between two consecutive reports that are not denied."""

    actor: str
    target: str
    from_stance: str
    to_stance: str
    date_from: dt.date
    date_to: dt.date
    sources: list[str] = Field(description="The sources of the two reports")
    stance_iri_from: str
    stance_iri_to: str


class StanceHistoryOut(BaseModel):
    """An actor's dated stances on one target and the shifts between them."""

    model_config = _example(
        actor=_ID + "actor/ukraine",
        actor_label="Ukraine",
        target=_ID + "plan/us-28",
        target_label="US 28-point peace plan",
        entries=[
            {
                "date": "2025-11-20",
                "stance": "endorses",
                "source": _ID + "source/st-2025-11-21",
                "source_title": "...",
                "stance_iri": _ID + "stance/umerov-claim",
                "person": _ID + "actor/umerov",
                "confidence": 0.3,
                "contested": True,
                "denied": True,
            }
        ],
        shifts=[],
        changed=False,
    )
    actor: str
    actor_label: str
    target: str
    target_label: str
    entries: list[HistoryEntryOut]
    shifts: list[ShiftOut]
    changed: bool


class BindingOut(BaseModel):
    iri: str
    id: str
    label: str


class AnswerOut(BaseModel):
    values: dict[str, BindingOut]
    stances: list[str] = Field(description="The stances that support the answer (none its actor denied)")
    confidence: float | None = Field(
        None,
        description="Per pattern the highest confidence of its stances, the lowest of these; "
        "null when a pattern has none recorded",
    )
    contested: bool = Field(False, description="One of its stances is contested (sg:contradicts)")


class AnswersOut(BaseModel):
    model_config = _example(
        question="?who endorses us-28/6",
        variables=["who"],
        answers=[
            {
                "values": {"who": {"iri": _ID + "actor/us", "id": "us", "label": "United States"}},
                "stances": [_ID + "stance/us-endorses-us-28-6"],
                "confidence": 0.6,
                "contested": False,
            }
        ],
        sparql="PREFIX sg: ... SELECT DISTINCT ?v_who ?l_who ?s0 WHERE { ... }",
    )
    question: str
    variables: list[str]
    answers: list[AnswerOut]


class CountsOut(BaseModel):
    quads: int
    default_graph: int
    named_graphs: int
    stances: int


class VersionOut(BaseModel):
    store_version: str | None = Field(
        description="A token that changes with every write to the store; null when it cannot be told (a "
        "write under way, or a remote store behind this service). A client keeps what it derives from the "
        "store (stancegraph's stance table) under it, and builds it again when the token changes."
    )


class OverviewOut(BaseModel):
    counts: CountsOut
    plans: list[PlanOut]
    latest_sources: list[SourceOut]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items`` from ``offset``; ``total`` counts every match."""

    total: int
    offset: int
    limit: int
    next: str | None = Field(None, description="The URL of the next page, if any")
    items: list[T]


class ParameterErrorOut(BaseModel):
    where: str = Field(description="The parameter, e.g. ``query.limit`` or ``path.stance``")
    message: str


class ViolationOut(BaseModel):
    message: str
    file: str | None = None
    line: int | None = None
    node: str | None = None
    path: str | None = None
    rule: str | None = Field(None, description="The SHACL constraint or the parser that was broken")
    value: str | None = None


class CandidateOut(BaseModel):
    iri: str
    label: str


class ProblemOut(BaseModel):
    """An error as RFC 9457 problem details (``application/problem+json``): what was wrong and how to
    fix it, never a stack trace. The members after ``instance`` appear only for their problem types."""

    model_config = _example(
        type="https://w3id.org/stancegraph/problems/unknown",
        title="Not found",
        status=404,
        detail="no plan is named 'us-29' (by IRI, short id or label); "
        "list the names with `stancegraph targets`",
        instance="/api/plans/us-29/fit",
    )
    type: str = Field(description="The problem type: an IRI under https://w3id.org/stancegraph/problems/")
    title: str
    status: int
    detail: str = Field(description="What was wrong and how to fix it")
    instance: str | None = Field(None, description="The path of the request")
    line: int | None = Field(None, description="``syntax``: the line of the error in the query")
    column: int | None = Field(None, description="``syntax``: its column")
    errors: list[ParameterErrorOut] | None = Field(None, description="``parameters``: each invalid one")
    violations: list[ViolationOut] | None = Field(None, description="``validation``: each broken rule")
    candidates: list[CandidateOut] | None = Field(
        None, description="``ambiguous-name``: the names that fit; use one of them"
    )

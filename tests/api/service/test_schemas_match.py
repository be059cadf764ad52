"""The REST schemas copy the library's dataclasses: check them field by field, so that they cannot drift.

Each response model of :mod:`stancegraph.api.service.schemas` must have exactly the fields of its
dataclass plus the derived properties that :func:`~stancegraph.api.service.schemas.plain` writes, with the
same types: a tuple becomes a list, a mapping a dict, a nested dataclass its model, ``X | None`` stays.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping, Sequence

import pytest
from pydantic import BaseModel

from stancegraph.api.service import schemas
from stancegraph.graph import errors, queries, store

#: Each model and the dataclass it describes.
MODELS: dict[type[BaseModel], type] = {
    schemas.StanceOut: queries.Stance,
    schemas.HolderOut: queries.Holder,
    schemas.PositionOut: queries.Position,
    schemas.ActorOut: queries.ActorInfo,
    schemas.TargetOut: queries.TargetInfo,
    schemas.SourceOut: queries.SourceInfo,
    schemas.PlanOut: queries.PlanVersion,
    schemas.PointVersionOut: queries.PointVersion,
    schemas.PointHistoryOut: queries.PointHistory,
    schemas.DemandFitOut: queries.DemandFit,
    schemas.ActorFitOut: queries.ActorFit,
    schemas.PlanFitOut: queries.PlanFit,
    schemas.HistoryEntryOut: queries.HistoryEntry,
    schemas.ShiftOut: queries.Shift,
    schemas.StanceHistoryOut: queries.StanceHistory,
    schemas.BindingOut: queries.Binding,
    schemas.AnswerOut: queries.Answer,
    schemas.AnswersOut: queries.Answers,
    schemas.CountsOut: store.Counts,
    schemas.OverviewOut: queries.Overview,
    schemas.ViolationOut: errors.Violation,
}
# names the library's modules import only for type checking
_NAMESPACE = {**vars(store), **vars(queries), **vars(errors)}


def _shape(annotation: object) -> object:
    """A comparable form of a type on either side: containers by kind, models by their dataclass."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return frozenset(_shape(a) for a in args)
    if origin in (tuple, list, Sequence):
        assert origin is not tuple or args[1:] in ((), (Ellipsis,)), f"a fixed-length tuple: {annotation}"
        return ("list", _shape(args[0]))
    if origin in (dict, Mapping):
        return ("dict", _shape(args[0]), _shape(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        assert annotation in MODELS, f"{annotation.__name__} has no dataclass in MODELS"
        return MODELS[annotation]
    return annotation


def _library_fields(cls: type) -> dict[str, object]:
    hints = typing.get_type_hints(cls, localns=_NAMESPACE)
    found = {f.name: _shape(hints[f.name]) for f in dataclasses.fields(cls)}
    for name in schemas.DERIVED_PROPERTIES:
        attribute = getattr(cls, name, None)
        if isinstance(attribute, property):
            found[name] = _shape(typing.get_type_hints(attribute.fget, localns=_NAMESPACE)["return"])
    return found


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_the_schema_has_the_fields_of_its_dataclass_with_their_types(model):
    expected = _library_fields(MODELS[model])
    declared = {name: _shape(field.annotation) for name, field in model.model_fields.items()}
    assert sorted(declared) == sorted(expected), f"{model.__name__} and {MODELS[model].__name__} differ"
    for name, shape in expected.items():
        assert declared[name] == shape, f"{model.__name__}.{name}: {declared[name]} != {shape}"


def test_every_derived_property_is_one_of_a_described_dataclass():
    properties = {
        name for cls in MODELS.values() for name, value in vars(cls).items() if isinstance(value, property)
    }
    assert set(schemas.DERIVED_PROPERTIES) <= properties


def test_plain_writes_what_the_schema_declares():
    stance = queries.Stance(
        iri="s",
        actor="a",
        actor_label="A",
        target="t",
        target_label="T",
        stance="endorses",
        stated_on=dt.date(2025, 11, 21),
        source="src",
        source_title="Source",
        publisher="P",
        graph="src",
        person=None,
        person_label=None,
        reported_by=None,
        reported_by_label=None,
        quote=None,
        confidence=None,
        contradicts=(),
        contradicted_by=("other",),
    )
    position = queries.Position("t", "T", (stance,))
    written = schemas.plain(position)
    assert sorted(written) == sorted(schemas.PositionOut.model_fields)
    assert sorted(written["stances"][0]) == sorted(schemas.StanceOut.model_fields)
    assert schemas.PositionOut.model_validate(written).stances[0].contested is True

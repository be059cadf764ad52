"""The value constraints of a property shape (``sh:class``, ``sh:datatype``, ``sh:in``, ranges, patterns,
lengths, ``sh:or`` of datatypes) as SPARQL conditions on ``?value``, for
:func:`~stancegraph.graph.validation.constraint_queries.value_query`."""

from __future__ import annotations

__all__ = ["value_conditions"]

from collections.abc import Iterator
from typing import Any

from stancegraph.graph.validation.constraint_queries import NODE_KINDS, has_datatype, not_instance
from stancegraph.graph.validation.shape_reading import ShapeReader
from stancegraph.graph.validation.shapes import ShapeCompileError


def value_conditions(read: ShapeReader, prop: Any, keys: dict[str, list[Any]]) -> Iterator[tuple[str, str]]:
    """(rule, SPARQL expression true when ``?value`` violates it) for each value constraint."""
    shape = read.name(prop)
    for cls in keys.get("class", []):
        yield "sh:class", not_instance(read.iri(cls, f"sh:class of {shape}"))
    for datatype in keys.get("datatype", []):
        yield "sh:datatype", f"!({has_datatype(read.iri(datatype, f'sh:datatype of {shape}'))})"
    for kind in keys.get("nodeKind", []):
        if str(kind) not in NODE_KINDS:
            raise ShapeCompileError(f"sh:nodeKind of {shape} is {kind}, which is not a SHACL node kind")
        yield "sh:nodeKind", f"!({NODE_KINDS[str(kind)]})"
    for members in keys.get("in", []):
        items = read.rdf_list(members, f"sh:in of {shape}")
        alternatives = " || ".join(f"sameTerm(?value, {read.term(item)})" for item in items) or "false"
        yield "sh:in", f"!({alternatives})"
    for rule, op in (
        ("minInclusive", ">="),
        ("maxInclusive", "<="),
        ("minExclusive", ">"),
        ("maxExclusive", "<"),
    ):
        for bound in keys.get(rule, []):
            if not isinstance(bound, read.RdfLiteral):
                raise ShapeCompileError(f"sh:{rule} of {shape} must be a literal")
            yield f"sh:{rule}", f"!COALESCE(?value {op} {read.term(bound)}, false)"
    flags = read.one(keys, "flags", prop)
    for pattern in keys.get("pattern", []):
        flag_text = f", {read.term(read.RdfLiteral(str(flags)))}" if flags is not None else ""
        regex = f"REGEX(STR(?value), {read.term(read.RdfLiteral(str(pattern)))}{flag_text})"
        yield "sh:pattern", f"(isBlank(?value) || !COALESCE({regex}, false))"
    for rule, op in (("minLength", "<"), ("maxLength", ">")):
        for n in keys.get(rule, []):
            length = read.integer(n, f"sh:{rule} of {shape}")
            yield f"sh:{rule}", f"(isBlank(?value) || STRLEN(STR(?value)) {op} {length})"
    for members in keys.get("or", []):
        options = []
        for member in read.rdf_list(members, f"sh:or of {shape}"):
            member_keys = read.check_keys(member, {"datatype"}, f"member of the sh:or of {shape}")
            datatypes = member_keys.get("datatype", [])
            if len(datatypes) != 1:
                raise ShapeCompileError(
                    f"each member of the sh:or of {shape} must hold exactly one sh:datatype (the only "
                    "sh:or that stancegraph compiles is 'one of these datatypes')"
                )
            options.append(has_datatype(read.iri(datatypes[0], f"sh:datatype in the sh:or of {shape}")))
        yield "sh:or", f"!({' || '.join(options) or 'false'})"

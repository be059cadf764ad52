"""Compiling the SHACL shapes graph to SPARQL.

:func:`compile_shapes` walks the shapes graph, refuses every construct outside the supported subset
(:class:`~stancegraph.graph.validation.shapes.ShapeCompileError` names it) and builds the queries with
:mod:`stancegraph.graph.validation.constraint_queries`.
"""

from __future__ import annotations

__all__ = ["compile_shapes", "compiled_shapes"]

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from stancegraph.graph.validation.constraint_queries import (
    add_sparql_predicates,
    count_queries,
    focus_pattern,
    node_class_query,
    off_focus_predicates,
    subjects_pattern,
    unique_lang_query,
    value_query,
)
from stancegraph.graph.validation.shape_reading import (
    NODE_SHAPE_KEYS,
    PROPERTY_SHAPE_KEYS,
    SPARQL_KEYS,
    TARGET_KEYS,
    ShapeReader,
)
from stancegraph.graph.validation.shapes import (
    CONTEXT_TYPE,
    CompiledShapes,
    Constraint,
    ConstraintQuery,
    ShapeCompileError,
    SparqlReach,
)
from stancegraph.graph.validation.value_rules import value_conditions
from stancegraph.ontology.namespaces import RDF_TYPE, RDFS_SUBCLASS

if TYPE_CHECKING:
    import rdflib

#: A shape's focus nodes: (the target parameter, ``targetClass`` or ``targetSubjectsOf``, and its IRI).
_Target = tuple[str, str]
_SPARQL_FORBIDDEN = re.compile(r"\$(currentShape|shapesGraph|value)\b|\bGRAPH\b|\bSERVICE\b", re.IGNORECASE)


def compile_shapes(shapes: rdflib.Graph | None = None) -> CompiledShapes:
    """Compile a SHACL shapes graph to SPARQL queries that find its violations.

    Parameters
    ----------
    shapes : rdflib.Graph, optional
        The shapes; the shipped ``ontology/shapes.ttl`` when None.

    Returns
    -------
    CompiledShapes
        The constraints and their queries.

    Raises
    ------
    ShapeCompileError
        The graph uses a SHACL construct outside the supported subset (the message names the shape
        and the construct), so that no rule can be skipped without anyone noticing.

    Examples
    --------
    >>> compiled = compile_shapes()
    >>> any(c.rule == "sh:minCount" and c.path.endswith("#statedOn") for c in compiled.constraints)
    True
    """
    if shapes is None:
        from stancegraph.ontology import shapes_graph

        shapes = shapes_graph()
    return _Compiler(shapes).compile()


@cache
def compiled_shapes() -> CompiledShapes:
    """The shipped shapes, compiled once per process (see :func:`compile_shapes`)."""
    return compile_shapes()


class _Compiler:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.read = ShapeReader(graph)
        self.g, self.sh = graph, self.read.sh
        self.constraints: list[Constraint] = []
        self.queries: list[ConstraintQuery] = []
        self.predicates: set[str] | None = {RDF_TYPE, RDFS_SUBCLASS, CONTEXT_TYPE}
        self.sparql_classes: set[str] = set()
        self.sparql_predicates: set[str] | None = set()
        self.sparql_reach: dict[str, SparqlReach] = {}
        # class -> (constraint, focus pattern) of each node-level sh:class: one query per class at the end
        self.node_classes: dict[str, list[tuple[Constraint, str]]] = {}

    # -- the walk -------------------------------------------------------------------------------------
    def compile(self) -> CompiledShapes:
        RDF = self.read.RDF
        node_shapes = set(self.g.subjects(RDF.type, self.sh("NodeShape")))
        node_shapes |= {s for s in self.g.subjects(self.sh("property"), None)}
        node_shapes |= {
            s for s in self.g.subjects(self.sh("sparql"), None) if (s, self.sh("path"), None) not in self.g
        }
        property_shapes = set(self.g.subjects(RDF.type, self.sh("PropertyShape")))
        property_shapes |= set(self.g.objects(None, self.sh("property")))
        property_shapes |= set(self.g.subjects(self.sh("path"), None))
        node_shapes -= property_shapes
        # Declarations of prefixes (sh:declare) are understood by the SPARQL part.
        for owner in self.g.subjects(self.sh("declare"), None):
            self.read.accounted.add(owner)
            for decl in self.g.objects(owner, self.sh("declare")):
                self.read.check_keys(decl, {"prefix", "namespace"}, "prefix declaration")

        by_target: dict[_Target, list[tuple[Any, dict[str, list[Any]], Any]]] = {}
        for shape in sorted(node_shapes, key=str):
            keys = self.read.check_keys(shape, NODE_SHAPE_KEYS, "node shape")
            if self.read.deactivated(keys):
                self.read.account_tree(shape)
                continue
            targets = self.targets(shape, keys)
            if not targets:
                raise ShapeCompileError(
                    f"node shape {self.read.name(shape)} has no sh:targetClass or sh:targetSubjectsOf, so "
                    "nothing would be checked against it (sh:node and other targets are not supported); "
                    "add one"
                )
            for target in targets:
                for prop in keys.get("property", []):
                    by_target.setdefault(target, []).append((prop, self.read.keys(prop), shape))
                for sparql in keys.get("sparql", []):
                    self.compile_sparql(sparql, target, path=None)
                for cls in keys.get("class", []):
                    self.add_node_class(
                        shape, keys, target, self.read.iri(cls, f"sh:class of {self.read.name(shape)}")
                    )
        for prop in sorted(property_shapes, key=str):
            keys = self.read.check_keys(prop, PROPERTY_SHAPE_KEYS, "property shape")
            targets = self.targets(prop, keys)
            for target in targets:
                by_target.setdefault(target, []).append((prop, keys, prop))
            if not targets and not any(self.g.subjects(self.sh("property"), prop)):
                raise ShapeCompileError(
                    f"property shape {self.read.name(prop)} is used by no node shape and has no "
                    "sh:targetClass or sh:targetSubjectsOf; attach it with sh:property or give it a target"
                )
        for target, props in by_target.items():
            self.compile_target(target, props)
        for cls, checks in self.node_classes.items():
            self.queries.append(node_class_query(cls, checks))
        self.read.check_everything_accounted()
        return CompiledShapes(
            constraints=tuple(self.constraints),
            queries=tuple(self.queries),
            predicates=None if self.predicates is None else frozenset(self.predicates),
            sparql_classes=frozenset(self.sparql_classes),
            sparql_predicates=None if self.sparql_predicates is None else frozenset(self.sparql_predicates),
            sparql_reach=dict(self.sparql_reach),
        )

    def targets(self, shape: Any, keys: dict[str, list[Any]]) -> list[_Target]:
        """The shape's targets: (parameter, IRI) for each sh:targetClass and sh:targetSubjectsOf."""
        return [
            (kind, self.read.iri(value, f"sh:{kind} of {self.read.name(shape)}"))
            for kind in TARGET_KEYS
            for value in keys.get(kind, [])
        ]

    def focus(self, target: _Target) -> str:
        """The pattern that binds ``?this`` to the target's focus nodes."""
        kind, iri = target
        return focus_pattern(iri) if kind == "targetClass" else subjects_pattern(iri)

    def add_node_class(self, shape: Any, keys: dict[str, list[Any]], target: _Target, cls: str) -> None:
        """A node-level sh:class: every focus node of ``target`` is an instance of ``cls``.

        On the subjects of a property (an rdfs:domain), the violation names that property as its path,
        so that a node extended by a write is blamed only when the write gives it the property.
        """
        kind, target_iri = target
        subjects_of = target_iri if kind == "targetSubjectsOf" else None
        if self.predicates is not None and subjects_of is not None:
            self.predicates.add(subjects_of)
        on = f"<{target_iri}>" if subjects_of is None else f"the subjects of <{subjects_of}>"
        constraint = Constraint(
            self.read.name(shape),
            target_iri if subjects_of is None else None,
            subjects_of,
            "sh:class",
            self.read.message(keys, f"sh:class <{cls}> on {on} is not met"),
            target_subjects_of=subjects_of,
        )
        self.constraints.append(constraint)
        focus = f"?this {NamedNode(subjects_of)} [] ." if subjects_of is not None else self.focus(target)
        self.node_classes.setdefault(cls, []).append((constraint, focus))

    def compile_target(self, target: _Target, props: list[tuple[Any, dict[str, list[Any]], Any]]) -> None:
        kind, target_iri = target
        cls = target_iri if kind == "targetClass" else None
        subjects_of = target_iri if kind == "targetSubjectsOf" else None
        if subjects_of is not None and self.predicates is not None:
            self.predicates.add(subjects_of)
        counts: list[tuple[Constraint, str, str, int]] = []  # constraint, path, op, n
        values: dict[str, list[tuple[Constraint, str]]] = {}  # path -> (constraint, violation condition)
        unique_lang: list[tuple[Constraint, str]] = []
        for prop, keys, _owner in props:
            self.read.check_keys(prop, PROPERTY_SHAPE_KEYS, "property shape")
            if self.read.deactivated(keys):
                self.read.account_tree(prop)
                continue
            path_node = self.read.one(keys, "path", prop)
            if path_node is None:
                raise ShapeCompileError(f"property shape {self.read.name(prop)} has no sh:path; add one")
            if not isinstance(path_node, self.read.URIRef):
                raise ShapeCompileError(
                    f"property shape {self.read.name(prop)} has a complex sh:path ({path_node}); only a "
                    "single predicate IRI is supported (no inverse, sequence, alternative or repeated paths)"
                )
            path = str(path_node)
            if self.predicates is not None:
                self.predicates.add(path)
            shape = self.read.name(prop)

            def make(rule: str, shape: str = shape, path: str = path, keys: dict = keys) -> Constraint:
                on = f"<{cls}>" if cls is not None else f"the subjects of <{subjects_of}>"
                default = f"{rule} of <{path}> on {on} is not met"
                constraint = Constraint(
                    shape, cls, path, rule, self.read.message(keys, default), target_subjects_of=subjects_of
                )
                self.constraints.append(constraint)
                return constraint

            for n in keys.get("minCount", []):
                minimum = self.read.integer(n, f"sh:minCount of {shape}")
                if minimum > 0:  # sh:minCount 0 holds for every node: nothing to check
                    counts.append((make("sh:minCount"), path, "<", minimum))
            for n in keys.get("maxCount", []):
                counts.append(
                    (make("sh:maxCount"), path, ">", self.read.integer(n, f"sh:maxCount of {shape}"))
                )
            for flag in keys.get("uniqueLang", []):
                if not (isinstance(flag, self.read.RdfLiteral) and isinstance(flag.toPython(), bool)):
                    raise ShapeCompileError(f"sh:uniqueLang of {shape} must be true or false")
                if flag.toPython():
                    unique_lang.append((make("sh:uniqueLang"), path))
            for rule, condition in value_conditions(self.read, prop, keys):
                values.setdefault(path, []).append((make(rule), condition))
            for sparql in keys.get("sparql", []):
                self.compile_sparql(sparql, target, path=path)
        focus = self.focus(target)
        self.queries.extend(count_queries(focus, counts))
        for path, checks in values.items():
            # the subjects of the path itself need no pattern of their own: the values' query finds them
            self.queries.append(value_query("" if path == subjects_of else focus, path, checks))
        for constraint, path in unique_lang:
            self.queries.append(unique_lang_query(focus, path, constraint))

    def add_reach(self, cls: str, sparql: str) -> None:
        """Record what a SPARQL constraint on ``cls`` reads (:class:`SparqlReach`)."""
        reach = self.sparql_reach.get(cls, SparqlReach(frozenset(), frozenset()))
        known = None if reach.predicates is None else set(reach.predicates)
        predicates = add_sparql_predicates(known, sparql)
        off_focus = off_focus_predicates(sparql) if reach.off_focus is not None else None
        if off_focus is not None and reach.off_focus is not None:
            off_focus |= reach.off_focus
        self.sparql_reach[cls] = SparqlReach(
            None if predicates is None else frozenset(predicates),
            None if off_focus is None else frozenset(off_focus),
        )

    def compile_sparql(self, node: Any, target: _Target, *, path: str | None) -> None:
        keys = self.read.check_keys(node, SPARQL_KEYS, "SPARQL constraint")
        if self.read.deactivated(keys):
            return
        select = self.read.one(keys, "select", node)
        if select is None:
            raise ShapeCompileError(
                f"SPARQL constraint {self.read.name(node)} has no sh:select; add the SELECT query"
            )
        text = str(select)
        where = self.read.name(node)
        if "$this" not in text and "?this" not in text:
            raise ShapeCompileError(
                f"the sh:select of {where} never mentions $this; it must select the focus node"
            )
        bad = _SPARQL_FORBIDDEN.search(text)
        if bad:
            raise ShapeCompileError(
                f"the sh:select of {where} uses {bad.group(0)}, which stancegraph does not support in SPARQL "
                "constraints (no $currentShape, $shapesGraph or pre-bound $value, no GRAPH or SERVICE: the "
                "data is checked as one merged graph)"
            )
        if "$PATH" in text:
            if path is None:
                raise ShapeCompileError(f"the sh:select of {where} uses $PATH but is not on a property shape")
            text = text.replace("$PATH", str(NamedNode(path)))
        prefixes = []
        for owner in keys.get("prefixes", []):
            for decl in self.g.objects(owner, self.sh("declare")):
                prefix = self.g.value(decl, self.sh("prefix"))
                namespace = self.g.value(decl, self.sh("namespace"))
                if prefix is None or namespace is None:
                    raise ShapeCompileError(
                        f"a sh:declare of {self.read.name(owner)} lacks sh:prefix or sh:namespace"
                    )
                prefixes.append(f"PREFIX {prefix}: {NamedNode(str(namespace))}")
        match = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE) or re.search(r"\{", text)
        if match is None or not re.match(r"\s*SELECT\b", text, re.IGNORECASE):
            raise ShapeCompileError(f"the sh:select of {where} is not a SELECT query with a WHERE block")
        body = text[: match.end()] + f"\n  {self.focus(target)}\n" + text[match.end() :]
        sparql = "\n".join(prefixes + [body])
        kind, target_iri = target
        self.predicates = add_sparql_predicates(self.predicates, sparql)
        own = "\n".join([*prefixes, text])
        self.sparql_predicates = add_sparql_predicates(self.sparql_predicates, own)
        if kind == "targetClass":
            self.sparql_classes.add(target_iri)
            self.add_reach(target_iri, own)
        else:
            # its focus nodes may be stances or anything else: what it reads is not traced, so a table's
            # stances are then validated together rather than chunk by chunk (tables.chunkable)
            self.sparql_predicates = None
        constraint = Constraint(
            self.read.name(node),
            target_iri if kind == "targetClass" else None,
            path,
            "sh:sparql",
            self.read.message(keys, f"{where} is violated"),
            target_subjects_of=target_iri if kind == "targetSubjectsOf" else None,
        )
        self.constraints.append(constraint)
        self.queries.append(ConstraintQuery(sparql, (constraint,)))

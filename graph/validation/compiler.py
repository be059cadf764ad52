"""Compiling the SHACL shapes graph to SPARQL.

:func:`compile_shapes` walks the shapes graph, refuses every construct outside the supported subset
(:class:`~stancegraph.graph.validation.shapes.ShapeCompileError` names it) and builds the queries with
:mod:`stancegraph.graph.validation.constraint_queries`.
"""

from __future__ import annotations

__all__ = ["compile_shapes", "compiled_shapes"]

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode

from stancegraph.graph.validation.constraint_queries import (
    NODE_KINDS,
    add_sparql_predicates,
    count_queries,
    focus_pattern,
    has_datatype,
    node_class_query,
    not_instance,
    off_focus_predicates,
    subjects_pattern,
    unique_lang_query,
    value_query,
)
from stancegraph.graph.validation.shapes import (
    CONTEXT_TYPE,
    CompiledShapes,
    Constraint,
    ConstraintQuery,
    ShapeCompileError,
    SparqlReach,
)
from stancegraph.ontology.namespaces import RDF_TYPE, RDFS_SUBCLASS, SH_NS

if TYPE_CHECKING:
    import rdflib

# What each kind of node in the shapes graph may carry. Annotations outside sh: are free.
_ANNOTATIONS = {"name", "description", "message", "order", "group", "deactivated", "severity"}
_TARGET_KEYS = ("targetClass", "targetSubjectsOf")  # the targets the compiler understands
#: A node shape may also require a class of its focus node itself (``sh:class``: an rdfs:domain).
_NODE_SHAPE_KEYS = _ANNOTATIONS | {*_TARGET_KEYS, "property", "sparql", "class"}
_VALUE_KEYS = {
    "class",
    "datatype",
    "nodeKind",
    "in",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "pattern",
    "flags",
    "minLength",
    "maxLength",
    "or",
}
_PROPERTY_SHAPE_KEYS = (
    _ANNOTATIONS | _VALUE_KEYS | {"path", "minCount", "maxCount", "uniqueLang", *_TARGET_KEYS}
)
_SPARQL_KEYS = _ANNOTATIONS | {"select", "prefixes"}
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
        from rdflib import RDF, BNode, URIRef
        from rdflib import Literal as RdfLiteral

        self.g = graph
        self.RDF, self.URIRef, self.BNode, self.RdfLiteral = RDF, URIRef, BNode, RdfLiteral
        self.sh = lambda local: URIRef(SH_NS + local)
        self.constraints: list[Constraint] = []
        self.queries: list[ConstraintQuery] = []
        self.predicates: set[str] | None = {RDF_TYPE, RDFS_SUBCLASS, CONTEXT_TYPE}
        self.sparql_classes: set[str] = set()
        self.sparql_predicates: set[str] | None = set()
        self.sparql_reach: dict[str, SparqlReach] = {}
        self.accounted: set[Any] = set()  # nodes whose sh: triples have been understood
        # class -> (constraint, focus pattern) of each node-level sh:class: one query per class at the end
        self.node_classes: dict[str, list[tuple[Constraint, str]]] = {}

    # -- helpers --------------------------------------------------------------------------------------
    def name(self, node: Any) -> str:
        return str(node) if isinstance(node, self.URIRef) else f"_:{node}"

    def keys(self, node: Any) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        for p, o in self.g.predicate_objects(node):
            if str(p).startswith(SH_NS):
                found.setdefault(str(p)[len(SH_NS) :], []).append(o)
        return found

    def check_keys(self, node: Any, allowed: set[str], what: str) -> dict[str, list[Any]]:
        keys = self.keys(node)
        extra = sorted(set(keys) - allowed)
        if extra:
            raise ShapeCompileError(
                f"{what} {self.name(node)} uses sh:{', sh:'.join(extra)}, which stancegraph cannot compile "
                f"to SPARQL (supported here: sh:{', sh:'.join(sorted(allowed - _ANNOTATIONS))}); "
                "rewrite the shape with the supported constructs listed at the head of shapes.ttl"
            )
        for severity in keys.get("severity", []):
            if severity != self.sh("Violation"):
                raise ShapeCompileError(
                    f"{what} {self.name(node)} has sh:severity {severity}; only sh:Violation is supported "
                    "(every failed rule refuses the write), so remove sh:severity"
                )
        self.accounted.add(node)
        return keys

    def one(self, keys: dict[str, list[Any]], key: str, node: Any) -> Any:
        values = keys.get(key, [])
        if len(values) > 1:
            raise ShapeCompileError(
                f"shape {self.name(node)} has {len(values)} values for sh:{key}; give one"
            )
        return values[0] if values else None

    def deactivated(self, keys: dict[str, list[Any]]) -> bool:
        return any(
            v.toPython() is True for v in keys.get("deactivated", []) if isinstance(v, self.RdfLiteral)
        )

    def message(self, keys: dict[str, list[Any]], fallback: str) -> str:
        messages = keys.get("message", [])
        english = [m for m in messages if getattr(m, "language", None) in (None, "en")]
        return str((english or messages or [fallback])[0])

    def term(self, node: Any) -> str:
        """A shapes-graph term as SPARQL text (N-Triples syntax, which pyoxigraph escapes)."""
        if isinstance(node, self.URIRef):
            return str(NamedNode(str(node)))
        if isinstance(node, self.RdfLiteral):
            if node.language:
                return str(Literal(str(node), language=node.language))
            if node.datatype:
                return str(Literal(str(node), datatype=NamedNode(str(node.datatype))))
            return str(Literal(str(node)))
        raise ShapeCompileError(f"a blank node ({node}) stands where an IRI or a literal is needed")

    def iri(self, node: Any, what: str) -> str:
        if not isinstance(node, self.URIRef):
            raise ShapeCompileError(f"{what} must be an IRI, not {node!r}")
        return str(node)

    def integer(self, node: Any, what: str) -> int:
        value = node.toPython() if isinstance(node, self.RdfLiteral) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ShapeCompileError(f"{what} must be a non-negative integer, not {node!r}")
        return value

    # -- the walk -------------------------------------------------------------------------------------
    def compile(self) -> CompiledShapes:
        RDF = self.RDF
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
            self.accounted.add(owner)
            for decl in self.g.objects(owner, self.sh("declare")):
                self.check_keys(decl, {"prefix", "namespace"}, "prefix declaration")

        by_target: dict[_Target, list[tuple[Any, dict[str, list[Any]], Any]]] = {}
        for shape in sorted(node_shapes, key=str):
            keys = self.check_keys(shape, _NODE_SHAPE_KEYS, "node shape")
            if self.deactivated(keys):
                self.account_tree(shape)
                continue
            targets = self.targets(shape, keys)
            if not targets:
                raise ShapeCompileError(
                    f"node shape {self.name(shape)} has no sh:targetClass or sh:targetSubjectsOf, so nothing "
                    "would be checked against it (sh:node and other targets are not supported); add one"
                )
            for target in targets:
                for prop in keys.get("property", []):
                    by_target.setdefault(target, []).append((prop, self.keys(prop), shape))
                for sparql in keys.get("sparql", []):
                    self.compile_sparql(sparql, target, path=None)
                for cls in keys.get("class", []):
                    self.add_node_class(shape, keys, target, self.iri(cls, f"sh:class of {self.name(shape)}"))
        for prop in sorted(property_shapes, key=str):
            keys = self.check_keys(prop, _PROPERTY_SHAPE_KEYS, "property shape")
            targets = self.targets(prop, keys)
            for target in targets:
                by_target.setdefault(target, []).append((prop, keys, prop))
            if not targets and not any(self.g.subjects(self.sh("property"), prop)):
                raise ShapeCompileError(
                    f"property shape {self.name(prop)} is used by no node shape and has no sh:targetClass "
                    "or sh:targetSubjectsOf; attach it with sh:property or give it a target"
                )
        for target, props in by_target.items():
            self.compile_target(target, props)
        for cls, checks in self.node_classes.items():
            self.queries.append(node_class_query(cls, checks))
        self.check_everything_accounted()
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
            (kind, self.iri(value, f"sh:{kind} of {self.name(shape)}"))
            for kind in _TARGET_KEYS
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
            self.name(shape),
            target_iri if subjects_of is None else None,
            subjects_of,
            "sh:class",
            self.message(keys, f"sh:class <{cls}> on {on} is not met"),
            target_subjects_of=subjects_of,
        )
        self.constraints.append(constraint)
        focus = f"?this {NamedNode(subjects_of)} [] ." if subjects_of is not None else self.focus(target)
        self.node_classes.setdefault(cls, []).append((constraint, focus))

    def account_tree(self, node: Any) -> None:
        self.accounted.add(node)
        for _, o in self.g.predicate_objects(node):
            if isinstance(o, self.BNode) and o not in self.accounted:
                self.account_tree(o)

    def check_everything_accounted(self) -> None:
        sh_subjects = {s for s, p in self.g.subject_predicates() if str(p).startswith(SH_NS)}
        rdf_lists = {s for s in self.g.subjects(self.RDF.first, None)}
        left = sorted((s for s in sh_subjects - self.accounted - rdf_lists), key=str)
        if left:
            node = left[0]
            used = sorted({str(p)[len(SH_NS) :] for p in self.g.predicates(node) if str(p).startswith(SH_NS)})
            raise ShapeCompileError(
                f"{self.name(node)} uses sh:{', sh:'.join(used)} outside any supported shape construct "
                "(e.g. sh:targetNode, sh:targetObjectsOf, sh:node); stancegraph cannot compile it, so it "
                "refuses rather than skip the rule"
            )

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
            self.check_keys(prop, _PROPERTY_SHAPE_KEYS, "property shape")
            if self.deactivated(keys):
                self.account_tree(prop)
                continue
            path_node = self.one(keys, "path", prop)
            if path_node is None:
                raise ShapeCompileError(f"property shape {self.name(prop)} has no sh:path; add one")
            if not isinstance(path_node, self.URIRef):
                raise ShapeCompileError(
                    f"property shape {self.name(prop)} has a complex sh:path ({path_node}); only a single "
                    "predicate IRI is supported (no inverse, sequence, alternative or repeated paths)"
                )
            path = str(path_node)
            if self.predicates is not None:
                self.predicates.add(path)
            shape = self.name(prop)

            def make(rule: str, shape: str = shape, path: str = path, keys: dict = keys) -> Constraint:
                on = f"<{cls}>" if cls is not None else f"the subjects of <{subjects_of}>"
                default = f"{rule} of <{path}> on {on} is not met"
                constraint = Constraint(
                    shape, cls, path, rule, self.message(keys, default), target_subjects_of=subjects_of
                )
                self.constraints.append(constraint)
                return constraint

            for n in keys.get("minCount", []):
                minimum = self.integer(n, f"sh:minCount of {shape}")
                if minimum > 0:  # sh:minCount 0 holds for every node: nothing to check
                    counts.append((make("sh:minCount"), path, "<", minimum))
            for n in keys.get("maxCount", []):
                counts.append((make("sh:maxCount"), path, ">", self.integer(n, f"sh:maxCount of {shape}")))
            for flag in keys.get("uniqueLang", []):
                if not (isinstance(flag, self.RdfLiteral) and isinstance(flag.toPython(), bool)):
                    raise ShapeCompileError(f"sh:uniqueLang of {shape} must be true or false")
                if flag.toPython():
                    unique_lang.append((make("sh:uniqueLang"), path))
            for rule, condition in self.value_conditions(prop, keys):
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

    def value_conditions(self, prop: Any, keys: dict[str, list[Any]]) -> Iterator[tuple[str, str]]:
        """(rule, SPARQL expression true when ``?value`` violates it) for each value constraint."""
        shape = self.name(prop)
        for cls in keys.get("class", []):
            yield "sh:class", not_instance(self.iri(cls, f"sh:class of {shape}"))
        for datatype in keys.get("datatype", []):
            yield "sh:datatype", f"!({has_datatype(self.iri(datatype, f'sh:datatype of {shape}'))})"
        for kind in keys.get("nodeKind", []):
            if str(kind) not in NODE_KINDS:
                raise ShapeCompileError(f"sh:nodeKind of {shape} is {kind}, which is not a SHACL node kind")
            yield "sh:nodeKind", f"!({NODE_KINDS[str(kind)]})"
        for members in keys.get("in", []):
            items = self.rdf_list(members, f"sh:in of {shape}")
            alternatives = " || ".join(f"sameTerm(?value, {self.term(item)})" for item in items) or "false"
            yield "sh:in", f"!({alternatives})"
        for rule, op in (
            ("minInclusive", ">="),
            ("maxInclusive", "<="),
            ("minExclusive", ">"),
            ("maxExclusive", "<"),
        ):
            for bound in keys.get(rule, []):
                if not isinstance(bound, self.RdfLiteral):
                    raise ShapeCompileError(f"sh:{rule} of {shape} must be a literal")
                yield f"sh:{rule}", f"!COALESCE(?value {op} {self.term(bound)}, false)"
        flags = self.one(keys, "flags", prop)
        for pattern in keys.get("pattern", []):
            flag_text = f", {self.term(self.RdfLiteral(str(flags)))}" if flags is not None else ""
            regex = f"REGEX(STR(?value), {self.term(self.RdfLiteral(str(pattern)))}{flag_text})"
            yield "sh:pattern", f"(isBlank(?value) || !COALESCE({regex}, false))"
        for rule, op in (("minLength", "<"), ("maxLength", ">")):
            for n in keys.get(rule, []):
                length = self.integer(n, f"sh:{rule} of {shape}")
                yield f"sh:{rule}", f"(isBlank(?value) || STRLEN(STR(?value)) {op} {length})"
        for members in keys.get("or", []):
            options = []
            for member in self.rdf_list(members, f"sh:or of {shape}"):
                member_keys = self.check_keys(member, {"datatype"}, f"member of the sh:or of {shape}")
                datatypes = member_keys.get("datatype", [])
                if len(datatypes) != 1:
                    raise ShapeCompileError(
                        f"each member of the sh:or of {shape} must hold exactly one sh:datatype (the only "
                        "sh:or that stancegraph compiles is 'one of these datatypes')"
                    )
                options.append(has_datatype(self.iri(datatypes[0], f"sh:datatype in the sh:or of {shape}")))
            yield "sh:or", f"!({' || '.join(options) or 'false'})"

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

    def rdf_list(self, head: Any, what: str) -> list[Any]:
        from rdflib.collection import Collection

        if head == self.RDF.nil:
            return []
        if (head, self.RDF.first, None) not in self.g:
            raise ShapeCompileError(f"{what} must be an RDF list")
        return list(Collection(self.g, head))

    def compile_sparql(self, node: Any, target: _Target, *, path: str | None) -> None:
        keys = self.check_keys(node, _SPARQL_KEYS, "SPARQL constraint")
        if self.deactivated(keys):
            return
        select = self.one(keys, "select", node)
        if select is None:
            raise ShapeCompileError(
                f"SPARQL constraint {self.name(node)} has no sh:select; add the SELECT query"
            )
        text = str(select)
        where = self.name(node)
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
                        f"a sh:declare of {self.name(owner)} lacks sh:prefix or sh:namespace"
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
            self.name(node),
            target_iri if kind == "targetClass" else None,
            path,
            "sh:sparql",
            self.message(keys, f"{where} is violated"),
            target_subjects_of=target_iri if kind == "targetSubjectsOf" else None,
        )
        self.constraints.append(constraint)
        self.queries.append(ConstraintQuery(sparql, (constraint,)))

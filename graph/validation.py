"""Check data against the SHACL shapes, fast: the shapes are compiled to SPARQL and run by pyoxigraph.

``ontology/shapes.ttl`` is the only place the rules live. :func:`compile_shapes` turns every shape into
SPARQL ``SELECT`` queries that return the *violating* focus nodes (with the path, the offending value
and an index naming the constraint), and :func:`validate` runs them over a *staging store*: a
pyoxigraph store that holds the new data, flattened into its default graph (so a stance in a source's
named graph is checked like any other node, as SHACL over the union of the graphs), plus what the new
data refers to in the target store (the classes of referenced nodes, the existing triples of nodes the
new data extends, the ``rdfs:subClassOf`` axioms of the ontology).

Only the SHACL Core subset the shapes author keeps to is understood (see the head of ``shapes.ttl``):
``sh:targetClass``; property shapes with a single-IRI ``sh:path`` and ``sh:minCount``, ``sh:maxCount``,
``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:minInclusive`` / ``sh:maxInclusive`` /
``sh:minExclusive`` / ``sh:maxExclusive``, ``sh:pattern`` (with ``sh:flags``), ``sh:minLength`` /
``sh:maxLength``, ``sh:uniqueLang`` and ``sh:or`` of datatypes; and SHACL-SPARQL ``sh:sparql`` SELECT
constraints on ``$this``. Anything else in the ``sh:`` namespace makes :func:`compile_shapes` raise
:class:`ShapeCompileError` naming the construct, so a rule is never skipped silently.
:func:`validate_with_pyshacl` runs the reference implementation (pyshacl) over the same staging data;
the tests check that the two agree.

Nodes the new data only *points to* are not re-validated: their classes enter the staging store
through the predicate :data:`CONTEXT_TYPE`, which ``sh:class`` checks follow but target selection
does not.
"""

from __future__ import annotations

__all__ = [
    "CONTEXT_TYPE",
    "ShapeCompileError",
    "Constraint",
    "CompiledShapes",
    "compile_shapes",
    "compiled_shapes",
    "reference_context",
    "Staging",
    "stage",
    "add_context",
    "validate",
    "validate_with_pyshacl",
]

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store, Triple

from stancegraph.graph.errors import StanceGraphError, Violation

if TYPE_CHECKING:
    import rdflib

    from stancegraph.graph.store import Store as TargetStore

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Predicate under which the staging store records the classes of nodes the new data refers to.
#: ``sh:class`` checks follow it; target selection (``rdf:type``) does not, so referenced nodes are not
#: validated again.
CONTEXT_TYPE = "urn:stancegraph:validation:type"

#: XSD datatypes whose well-formedness SPARQL can test with a cast (the XPath constructor functions).
_CASTABLE = frozenset(
    XSD + name
    for name in (
        "string",
        "boolean",
        "decimal",
        "integer",
        "float",
        "double",
        "date",
        "time",
        "dateTime",
        "duration",
        "dayTimeDuration",
        "yearMonthDuration",
    )
)
_NODE_KINDS = {
    SH + "IRI": "isIRI(?value)",
    SH + "Literal": "isLiteral(?value)",
    SH + "BlankNode": "isBlank(?value)",
    SH + "BlankNodeOrIRI": "!isLiteral(?value)",
    SH + "BlankNodeOrLiteral": "!isIRI(?value)",
    SH + "IRIOrLiteral": "!isBlank(?value)",
}
#: Constraint parameter -> SHACL constraint component (the ``rule`` of a Violation is the parameter).
COMPONENTS: Mapping[str, str] = {
    "sh:minCount": SH + "MinCountConstraintComponent",
    "sh:maxCount": SH + "MaxCountConstraintComponent",
    "sh:class": SH + "ClassConstraintComponent",
    "sh:datatype": SH + "DatatypeConstraintComponent",
    "sh:nodeKind": SH + "NodeKindConstraintComponent",
    "sh:in": SH + "InConstraintComponent",
    "sh:minInclusive": SH + "MinInclusiveConstraintComponent",
    "sh:maxInclusive": SH + "MaxInclusiveConstraintComponent",
    "sh:minExclusive": SH + "MinExclusiveConstraintComponent",
    "sh:maxExclusive": SH + "MaxExclusiveConstraintComponent",
    "sh:pattern": SH + "PatternConstraintComponent",
    "sh:minLength": SH + "MinLengthConstraintComponent",
    "sh:maxLength": SH + "MaxLengthConstraintComponent",
    "sh:uniqueLang": SH + "UniqueLangConstraintComponent",
    "sh:or": SH + "OrConstraintComponent",
    "sh:sparql": SH + "SPARQLConstraintComponent",
}
_RULE_OF_COMPONENT = {component: rule for rule, component in COMPONENTS.items()}

# What each kind of node in the shapes graph may carry. Annotations outside sh: are free.
_ANNOTATIONS = {"name", "description", "message", "order", "group", "deactivated", "severity"}
_NODE_SHAPE_KEYS = _ANNOTATIONS | {"targetClass", "property", "sparql"}
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
    _ANNOTATIONS | _VALUE_KEYS | {"path", "minCount", "maxCount", "uniqueLang", "targetClass"}
)
_SPARQL_KEYS = _ANNOTATIONS | {"select", "prefixes"}
_SPARQL_FORBIDDEN = re.compile(r"\$(currentShape|shapesGraph|value)\b|\bGRAPH\b|\bSERVICE\b", re.IGNORECASE)


class ShapeCompileError(StanceGraphError, ValueError):
    """A shapes graph that uses SHACL outside the subset :func:`compile_shapes` understands."""


@dataclass(frozen=True)
class Constraint:
    """One compiled constraint: what a violation of it reports.

    Attributes
    ----------
    shape : str
        IRI (or blank node label) of the shape that declares it.
    target_class : str
        The class whose instances are checked.
    path : str or None
        The property checked (None for a node-level SPARQL constraint without ``?path``).
    rule : str
        The parameter, e.g. ``"sh:minCount"``; :data:`COMPONENTS` maps it to the constraint component.
    message : str
        The shape's ``sh:message`` (placeholders ``{?value}``, ``{$this}``, ``{?path}`` are filled in).
    """

    shape: str
    target_class: str
    path: str | None
    rule: str
    message: str


@dataclass(frozen=True)
class _Query:
    """A SELECT returning ``?this`` (and maybe ``?value``, ``?path``, ``?k``) for violations."""

    sparql: str
    constraints: tuple[Constraint, ...]
    indexed: bool = False  # True: ?k picks the constraint; False: there is exactly one


@dataclass(frozen=True)
class CompiledShapes:
    """The shapes as SPARQL: run them with :meth:`run` on a staging store.

    Attributes
    ----------
    constraints : tuple of Constraint
        Every constraint of every shape, in the order of the shapes graph.
    queries : tuple
        The SPARQL that finds their violations (several constraints may share one query).
    predicates : frozenset of str or None
        The predicates the queries can see (paths, ``rdf:type``, the IRIs in SPARQL constraints); data
        with other predicates cannot change the outcome. None when a SPARQL constraint uses a variable
        predicate, so that every triple matters.
    sparql_classes : frozenset of str
        Target classes that carry a SPARQL constraint (their checks may look beyond one node).
    sparql_predicates : frozenset of str or None
        The predicates the SPARQL constraints' own patterns match (None: a variable predicate, so any).
        Data without them cannot affect those constraints, which is what lets ingest check CSV
        stances chunk by chunk.
    """

    constraints: tuple[Constraint, ...]
    queries: tuple[_Query, ...] = field(repr=False)
    predicates: frozenset[str] | None
    sparql_classes: frozenset[str]
    sparql_predicates: frozenset[str] | None = frozenset()

    def run(self, staging: Store) -> list[Violation]:
        """Run every query on ``staging`` (triples in its default graph) and return the violations.

        Parameters
        ----------
        staging : pyoxigraph.Store
            Data to check plus its context (see :func:`stage`).

        Returns
        -------
        list of Violation
            Sorted by node, property and rule; ``file`` and ``line`` are left for the caller to fill.
        """
        found: dict[tuple[str, str | None, str, str | None], Violation] = {}
        for query in self.queries:
            for solution in staging.query(query.sparql):
                this = solution["this"]
                constraint = query.constraints[int(solution["k"].value) if query.indexed else 0]
                value = _solution_value(solution, "value")
                path_term = _solution_value(solution, "path")
                path = path_term.value if isinstance(path_term, NamedNode) else constraint.path
                node = _term_text(this)
                value_text = None if value is None else _term_text(value)
                message = _fill(constraint.message, node, path, value_text)
                key = (node, path, constraint.rule, value_text if constraint.rule != "sh:sparql" else message)
                found.setdefault(
                    key,
                    Violation(message, node=node, path=path, rule=constraint.rule, value=value_text),
                )
        return sorted(found.values(), key=lambda v: (v.node or "", v.path or "", v.rule or "", v.value or ""))


def _solution_value(solution: Any, name: str) -> Any:
    try:
        return solution[name]
    except (KeyError, IndexError):
        return None


def _term_text(term: Any) -> str:
    if isinstance(term, NamedNode | Literal):
        return term.value
    return str(term)


def _fill(message: str, node: str, path: str | None, value: str | None) -> str:
    return (
        message.replace("{$this}", node)
        .replace("{?this}", node)
        .replace("{?path}", path or "")
        .replace("{$path}", path or "")
        .replace("{?value}", value if value is not None else "")
        .replace("{$value}", value if value is not None else "")
    )


# ---------------------------------------------------------------------------------------------------
# Compiling
# ---------------------------------------------------------------------------------------------------


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
        self.sh = lambda local: URIRef(SH + local)
        self.constraints: list[Constraint] = []
        self.queries: list[_Query] = []
        self.predicates: set[str] | None = {RDF_TYPE, RDFS_SUBCLASS, CONTEXT_TYPE}
        self.sparql_classes: set[str] = set()
        self.sparql_predicates: set[str] | None = set()
        self.accounted: set[Any] = set()  # nodes whose sh: triples have been understood

    # -- helpers --------------------------------------------------------------------------------------
    def name(self, node: Any) -> str:
        return str(node) if isinstance(node, self.URIRef) else f"_:{node}"

    def keys(self, node: Any) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        for p, o in self.g.predicate_objects(node):
            if str(p).startswith(SH):
                found.setdefault(str(p)[len(SH) :], []).append(o)
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

        by_class: dict[str, list[tuple[Any, dict[str, list[Any]], Any]]] = {}
        for shape in sorted(node_shapes, key=str):
            keys = self.check_keys(shape, _NODE_SHAPE_KEYS, "node shape")
            if self.deactivated(keys):
                self.account_tree(shape)
                continue
            classes = [
                self.iri(c, f"sh:targetClass of {self.name(shape)}") for c in keys.get("targetClass", [])
            ]
            if not classes:
                raise ShapeCompileError(
                    f"node shape {self.name(shape)} has no sh:targetClass, so nothing would be checked "
                    "against it (sh:node and other targets are not supported); add a sh:targetClass"
                )
            for cls in classes:
                for prop in keys.get("property", []):
                    by_class.setdefault(cls, []).append((prop, self.keys(prop), shape))
                for sparql in keys.get("sparql", []):
                    self.compile_sparql(sparql, cls, path=None)
        for prop in sorted(property_shapes, key=str):
            keys = self.check_keys(prop, _PROPERTY_SHAPE_KEYS, "property shape")
            for cls in keys.get("targetClass", []):
                by_class.setdefault(self.iri(cls, "sh:targetClass"), []).append((prop, keys, prop))
            if not keys.get("targetClass") and not any(self.g.subjects(self.sh("property"), prop)):
                raise ShapeCompileError(
                    f"property shape {self.name(prop)} is used by no node shape and has no sh:targetClass; "
                    "attach it with sh:property or remove it"
                )
        for cls, props in by_class.items():
            self.compile_class(cls, props)
        self.check_everything_accounted()
        return CompiledShapes(
            constraints=tuple(self.constraints),
            queries=tuple(self.queries),
            predicates=None if self.predicates is None else frozenset(self.predicates),
            sparql_classes=frozenset(self.sparql_classes),
            sparql_predicates=None if self.sparql_predicates is None else frozenset(self.sparql_predicates),
        )

    def account_tree(self, node: Any) -> None:
        self.accounted.add(node)
        for _, o in self.g.predicate_objects(node):
            if isinstance(o, self.BNode) and o not in self.accounted:
                self.account_tree(o)

    def check_everything_accounted(self) -> None:
        sh_subjects = {s for s, p in self.g.subject_predicates() if str(p).startswith(SH)}
        rdf_lists = {s for s in self.g.subjects(self.RDF.first, None)}
        left = sorted((s for s in sh_subjects - self.accounted - rdf_lists), key=str)
        if left:
            node = left[0]
            used = sorted({str(p)[len(SH) :] for p in self.g.predicates(node) if str(p).startswith(SH)})
            raise ShapeCompileError(
                f"{self.name(node)} uses sh:{', sh:'.join(used)} outside any supported shape construct "
                "(e.g. sh:targetNode, sh:targetSubjectsOf, sh:node); stancegraph cannot compile it, so it "
                "refuses rather than skip the rule"
            )

    def compile_class(self, cls: str, props: list[tuple[Any, dict[str, list[Any]], Any]]) -> None:
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
                default = f"{rule} of <{path}> on <{cls}> is not met"
                constraint = Constraint(shape, cls, path, rule, self.message(keys, default))
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
                self.compile_sparql(sparql, cls, path=path)
        focus = _focus(cls)
        self.queries.extend(_count_queries(focus, counts))
        for path, checks in values.items():
            self.queries.append(_value_query(focus, path, checks))
        for constraint, path in unique_lang:
            self.queries.append(_unique_lang_query(focus, path, constraint))

    def value_conditions(self, prop: Any, keys: dict[str, list[Any]]) -> Iterator[tuple[str, str]]:
        """(rule, SPARQL expression true when ``?value`` violates it) for each value constraint."""
        shape = self.name(prop)
        for cls in keys.get("class", []):
            yield "sh:class", _not_instance(self.iri(cls, f"sh:class of {shape}"))
        for datatype in keys.get("datatype", []):
            yield "sh:datatype", f"!({_has_datatype(self.iri(datatype, f'sh:datatype of {shape}'))})"
        for kind in keys.get("nodeKind", []):
            if str(kind) not in _NODE_KINDS:
                raise ShapeCompileError(f"sh:nodeKind of {shape} is {kind}, which is not a SHACL node kind")
            yield "sh:nodeKind", f"!({_NODE_KINDS[str(kind)]})"
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
                options.append(_has_datatype(self.iri(datatypes[0], f"sh:datatype in the sh:or of {shape}")))
            yield "sh:or", f"!({' || '.join(options) or 'false'})"

    def rdf_list(self, head: Any, what: str) -> list[Any]:
        from rdflib.collection import Collection

        if head == self.RDF.nil:
            return []
        if (head, self.RDF.first, None) not in self.g:
            raise ShapeCompileError(f"{what} must be an RDF list")
        return list(Collection(self.g, head))

    def compile_sparql(self, node: Any, cls: str, *, path: str | None) -> None:
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
        body = text[: match.end()] + f"\n  {_focus(cls)}\n" + text[match.end() :]
        sparql = "\n".join(prefixes + [body])
        self.sparql_classes.add(cls)
        self.predicates = _add_sparql_predicates(self.predicates, sparql)
        self.sparql_predicates = _add_sparql_predicates(self.sparql_predicates, "\n".join([*prefixes, text]))
        constraint = Constraint(
            self.name(node), cls, path, "sh:sparql", self.message(keys, f"{where} is violated")
        )
        self.constraints.append(constraint)
        self.queries.append(_Query(sparql, (constraint,)))


def _add_sparql_predicates(predicates: set[str] | None, sparql: str) -> set[str] | None:
    """Add the predicates a SPARQL query can match; None (all) when one is a variable."""
    if predicates is None:
        return None
    from rdflib.paths import Path
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import URIRef, Variable

    try:
        query = prepareQuery(sparql)
    except Exception as error:  # rdflib raises pyparsing errors of several kinds
        raise ShapeCompileError(f"a SPARQL constraint does not parse: {error}\n{sparql}") from error
    found = set(predicates)

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            if "triples" in node:
                for _, p, _ in node["triples"] or ():
                    if isinstance(p, Variable):
                        return False
                    if isinstance(p, URIRef):
                        found.add(str(p))
                    elif isinstance(p, Path):
                        found.update(str(t) for t in _path_iris(p))
            return all(walk(v) for v in node.values())
        if isinstance(node, list | tuple):
            return all(walk(v) for v in node)
        return True

    return found if walk(query.algebra) else None


def _path_iris(path: Any) -> Iterator[Any]:
    from rdflib.term import URIRef

    for attr in ("arg", "args", "path"):
        inner = getattr(path, attr, None)
        if inner is None:
            continue
        for part in inner if isinstance(inner, list) else [inner]:
            if isinstance(part, URIRef):
                yield part
            else:
                yield from _path_iris(part)


def _focus(cls: str) -> str:
    return f"?this <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* {NamedNode(cls)} ."


def _not_instance(cls: str) -> str:
    return f"NOT EXISTS {{ ?value (<{RDF_TYPE}>|<{CONTEXT_TYPE}>)/<{RDFS_SUBCLASS}>* {NamedNode(cls)} }}"


def _has_datatype(datatype: str) -> str:
    test = f"isLiteral(?value) && sameTerm(datatype(?value), {NamedNode(datatype)})"
    if datatype in _CASTABLE and datatype != XSD + "string":
        test += f" && COALESCE(isLiteral({NamedNode(datatype)}(STR(?value))), false)"
    return test


def _count_queries(focus: str, counts: list[tuple[Constraint, str, str, int]]) -> Iterator[_Query]:
    """Queries for sh:minCount / sh:maxCount.

    Every ``sh:minCount 1`` of a class shares one query (a cheap existence test per focus node, then the
    few failing nodes are matched to the rules they break); larger minimum counts and every maximum get
    a query of their own that groups the triples of one path by subject (the staging store holds each
    triple once, so the count of triples is the count of distinct values).
    """
    ones = [(c, path) for c, path, op, n in counts if op == "<" and n == 1]
    if ones:
        tests = [f"!EXISTS {{ ?this {NamedNode(path)} ?v }}" for _, path in ones]
        picks = " || ".join(f"(?k = {k} && {test})" for k, test in enumerate(tests))
        sparql = (
            f"SELECT ?this ?k WHERE {{\n"
            f"  {{ SELECT DISTINCT ?this WHERE {{ {focus} FILTER ({' || '.join(tests)}) }} }}\n"
            f"  VALUES ?k {{ {' '.join(str(k) for k in range(len(ones)))} }}\n"
            f"  FILTER ({picks})\n"
            f"}}"
        )
        yield _Query(sparql, tuple(c for c, _ in ones), indexed=True)
    for constraint, path, op, n in counts:
        p = NamedNode(path)
        if op == "<" and n > 1:
            sparql = (
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {p} ?v }} }}\n"
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
            )
            yield _Query(sparql, (constraint,))
        elif op == ">":
            sparql = (
                f"SELECT DISTINCT ?this WHERE {{\n"
                f"  {{ SELECT ?this WHERE {{ ?this {p} ?v }} GROUP BY ?this HAVING (COUNT(*) > {n}) }}\n"
                f"  {focus}\n"
                f"}}"
            )
            yield _Query(sparql, (constraint,))


def _value_query(focus: str, path: str, checks: list[tuple[Constraint, str]]) -> _Query:
    """Test each distinct value of ``path`` once, then find the focus nodes holding the bad ones."""
    p = NamedNode(path)
    picks = " || ".join(f"(?k = {k} && {condition})" for k, (_, condition) in enumerate(checks))
    sparql = (
        f"SELECT DISTINCT ?this ?value ?k WHERE {{\n"
        f"  {{ SELECT ?value ?k WHERE {{\n"
        f"      {{ SELECT DISTINCT ?value WHERE {{ ?any {p} ?value }} }}\n"
        f"      VALUES ?k {{ {' '.join(str(k) for k in range(len(checks)))} }}\n"
        f"      FILTER ({picks})\n"
        f"  }} }}\n"
        f"  ?this {p} ?value .\n"
        f"  {focus}\n"
        f"}}"
    )
    return _Query(sparql, tuple(c for c, _ in checks), indexed=True)


def _unique_lang_query(focus: str, path: str, constraint: Constraint) -> _Query:
    p = NamedNode(path)
    sparql = (
        f"SELECT DISTINCT ?this WHERE {{\n"
        f"  ?this {p} ?a . ?this {p} ?b .\n"
        f'  FILTER (!sameTerm(?a, ?b) && LANG(?a) != "" && LCASE(LANG(?a)) = LCASE(LANG(?b)))\n'
        f"  {focus}\n"
        f"}}"
    )
    return _Query(sparql, (constraint,))


# ---------------------------------------------------------------------------------------------------
# Staging and running
# ---------------------------------------------------------------------------------------------------

_BATCH = 1000


def _values_block(var: str, terms: list[Any]) -> str:
    return f"VALUES {var} {{ {' '.join(str(t) for t in terms)} }}"


def _chunks(items: list[Any], size: int = _BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def reference_context(
    against: TargetStore | None,
    referenced: Iterable[NamedNode],
    *,
    extended: Iterable[NamedNode] = (),
) -> list[Triple]:
    """What the staging store needs from ``against`` so that new data pointing into it validates right.

    Parameters
    ----------
    against : Store or None
        The target store (None: nothing but the ontology's subclass axioms).
    referenced : iterable of NamedNode
        Nodes the new data points to; their classes come back under :data:`CONTEXT_TYPE`.
    extended : iterable of NamedNode
        Subjects of the new data; those that already exist in ``against`` come back with all their
        triples (from every graph), so that counts on the merged node are checked.

    Returns
    -------
    list of pyoxigraph.Triple
        The ontology's ``rdfs:subClassOf`` axioms (the shipped ontology and the store's own), the
        context types and the existing descriptions.
    """
    triples = list(_ontology_axioms())
    if against is None:
        return triples
    sub = NamedNode(RDFS_SUBCLASS)
    result: Any = against.query(f"SELECT ?a ?b WHERE {{ ?a <{RDFS_SUBCLASS}> ?b }}")
    triples += [Triple(a, sub, b) for a, b in result if a is not None and b is not None]
    if not against.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"):
        return triples
    ctx = NamedNode(CONTEXT_TYPE)
    pointed = set(referenced)
    for batch in _chunks(sorted(set(extended), key=str)):
        rows: Any = against.query(
            f"SELECT ?s ?p ?o WHERE {{ {_values_block('?s', batch)} "
            "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        for s, p, o in rows:
            triples.append(Triple(s, p, o))
            if isinstance(o, NamedNode):
                pointed.add(o)
    for batch in _chunks(sorted(pointed, key=str)):
        rows = against.query(
            f"SELECT DISTINCT ?n ?t WHERE {{ {_values_block('?n', batch)} "
            f"{{ ?n <{RDF_TYPE}> ?t }} UNION {{ GRAPH ?g {{ ?n <{RDF_TYPE}> ?t }} }} }}"
        )
        triples += [Triple(n, ctx, t) for n, t in rows if n is not None and t is not None]
    return triples


@cache
def _ontology_axioms() -> tuple[Triple, ...]:
    from pyoxigraph import RdfFormat, parse

    from stancegraph.ontology import ontology_path

    sub = NamedNode(RDFS_SUBCLASS)
    return tuple(
        q.triple
        for q in parse(path=str(ontology_path()), format=RdfFormat.TURTLE)
        if q.predicate == sub and isinstance(q.object, NamedNode)
    )


@dataclass(frozen=True)
class Staging:
    """A staging store and what it takes to read its verdicts.

    Attributes
    ----------
    store : pyoxigraph.Store
        The new data (flattened) plus its context.
    touched : dict of str to frozenset of str
        For each node that already existed in the target store: the predicates the new data gives it.
        A violation on such a node concerns the write only if it is on one of those predicates (or
        the write changes the node's classes); older problems of the node are not the write's.
    """

    store: Store
    touched: Mapping[str, frozenset[str]]

    def relevant(self, violations: Iterable[Violation]) -> list[Violation]:
        """The violations the new data causes (drops the pre-existing problems of extended nodes)."""
        kept = []
        for v in violations:
            predicates = self.touched.get(v.node or "")
            if predicates is None or v.path is None or v.path in predicates or RDF_TYPE in predicates:
                kept.append(v)
        return kept


def stage(data: Store | Iterable[Quad | Triple], *, against: TargetStore | None = None) -> Staging:
    """Build the in-memory staging store for ``data``: its triples, flattened, plus their context.

    Parameters
    ----------
    data : pyoxigraph.Store or iterable of Quad / Triple
        The new data; named graphs are merged into the default graph.
    against : Store, optional
        The target store the data may refer to (see :func:`reference_context`).

    Returns
    -------
    Staging
        The store, ready for :meth:`CompiledShapes.run`, and how to filter its verdicts.
    """
    staging = Store()
    items: Iterable[Any] = data if not isinstance(data, Store) else data.quads_for_pattern(None, None, None)
    staging.extend(_flattened(items))
    return add_context(staging, against)


def add_context(staging: Store, against: TargetStore | None) -> Staging:
    """Add to ``staging`` (new data only, flattened) what it refers to in ``against``."""
    subjects = [s[0] for s in staging.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")]
    objects = [o[0] for o in staging.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) }")]
    context = reference_context(against, objects, extended=subjects)
    ctx, sub = NamedNode(CONTEXT_TYPE), NamedNode(RDFS_SUBCLASS)
    existing = sorted({t.subject for t in context if t.predicate not in (ctx, sub)}, key=str)
    touched: dict[str, set[str]] = {}
    for batch in _chunks(existing):
        rows = staging.query(f"SELECT DISTINCT ?s ?p WHERE {{ {_values_block('?s', batch)} ?s ?p ?o }}")
        for s, p in rows:
            touched.setdefault(s.value, set()).add(p.value)
    staging.extend(Quad(t.subject, t.predicate, t.object) for t in context)
    return Staging(staging, {node: frozenset(predicates) for node, predicates in touched.items()})


def _flattened(items: Iterable[Any]) -> Iterator[Quad]:
    default = DefaultGraph()
    for item in items:
        if isinstance(item, Quad):
            if item.graph_name == default:
                yield item
            else:
                yield Quad(item.subject, item.predicate, item.object)
        elif isinstance(item, Triple):
            yield Quad(item.subject, item.predicate, item.object)
        else:
            raise TypeError(f"expected pyoxigraph Quad or Triple objects, got {type(item).__name__}")


def validate(
    data: Store | Iterable[Quad | Triple],
    *,
    against: TargetStore | None = None,
    shapes: CompiledShapes | None = None,
) -> list[Violation]:
    """Check new data against the SHACL shapes (compiled to SPARQL, run by pyoxigraph).

    Parameters
    ----------
    data : pyoxigraph.Store or iterable of pyoxigraph.Quad
        The data to check; every graph counts (SHACL over the union of the graphs).
    against : Store, optional
        The store the data is meant for: nodes the data points to (an existing actor, a catalogued
        source) are looked up there, and nodes it adds triples to are checked with their existing
        triples.
    shapes : CompiledShapes, optional
        Defaults to the shipped shapes (:func:`compiled_shapes`).

    Returns
    -------
    list of Violation
        Empty when the data conforms. Each names the node, the property (``path``), the rule and the
        offending value; the message is the shape's ``sh:message``, which says how to fix it.

    Examples
    --------
    >>> from pyoxigraph import NamedNode, Quad
    >>> sg = "https://w3id.org/stancegraph/ontology#"
    >>> stance = NamedNode("https://w3id.org/stancegraph/id/stance/s1")
    >>> rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    >>> found = validate([Quad(stance, rdf_type, NamedNode(sg + "Stance"))])
    >>> sorted({v.path.rsplit("#", 1)[-1] for v in found if v.rule == "sh:minCount"})
    ['actor', 'stanceType', 'statedOn', 'target', 'wasDerivedFrom']
    """
    compiled = shapes or compiled_shapes()
    staging = stage(data, against=against)
    return staging.relevant(compiled.run(staging.store))


def validate_with_pyshacl(
    data: Store | Iterable[Quad | Triple],
    *,
    against: TargetStore | None = None,
    shapes: rdflib.Graph | None = None,
) -> list[Violation]:
    """The reference check: the same staging data validated by pyshacl (slow; for tests and reports).

    The staging data (see :func:`stage`) becomes one rdflib graph, context types as ``rdf:type``;
    results on nodes that are only context (pointed to, not part of ``data``) are dropped, as
    :func:`validate` never selects them.

    Parameters
    ----------
    data, against
        As for :func:`validate`.
    shapes : rdflib.Graph, optional
        Defaults to the shipped shapes graph.

    Returns
    -------
    list of Violation
        One per pyshacl result, ``rule`` named like :func:`validate`'s (``sh:minCount``, ...).
    """
    import pyshacl
    from rdflib import RDF, SH, BNode, Graph, URIRef
    from rdflib import Literal as RdfLiteral

    if shapes is None:
        from stancegraph.ontology import shapes_graph

        shapes = shapes_graph()
    staged = stage(data, against=against)
    staging = staged.store
    ctx = NamedNode(CONTEXT_TYPE)
    graph = Graph()
    only_context: set[Any] = set()
    described: set[Any] = set()

    def to_rdflib(term: Any) -> Any:
        if isinstance(term, NamedNode):
            return URIRef(term.value)
        if isinstance(term, BlankNode):
            return BNode(term.value)
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))

    for quad in staging:
        s = to_rdflib(quad.subject)
        if quad.predicate == ctx:
            graph.add((s, RDF.type, to_rdflib(quad.object)))
            only_context.add(s)
        else:
            graph.add((s, to_rdflib(quad.predicate), to_rdflib(quad.object)))
            if str(quad.predicate) != f"<{RDFS_SUBCLASS}>":
                described.add(s)
    only_context -= described
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus in only_context:
            continue
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        component = str(report.value(result, SH.sourceConstraintComponent))
        found.append(
            Violation(
                str(report.value(result, SH.resultMessage) or ""),
                node=str(focus) if isinstance(focus, URIRef) else f"_:{focus}",
                path=None if path is None else str(path),
                rule=_RULE_OF_COMPONENT.get(component, component),
                value=None if value is None else str(value),
            )
        )
    return sorted(
        staged.relevant(found), key=lambda v: (v.node or "", v.path or "", v.rule or "", v.value or "")
    )

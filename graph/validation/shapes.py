"""The compiled form of the SHACL shapes: the constraints, the queries that find their violations, and
:class:`CompiledShapes`, which runs those queries on a staging store.

:func:`~stancegraph.graph.validation.compiler.compile_shapes` builds a :class:`CompiledShapes`; the
staging store it runs on comes from :mod:`stancegraph.graph.validation.staging`.
"""

from __future__ import annotations

__all__ = [
    "CONTEXT_TYPE",
    "COMPONENTS",
    "RULE_OF_COMPONENT",
    "ShapeCompileError",
    "Constraint",
    "ConstraintQuery",
    "SparqlReach",
    "CompiledShapes",
]

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode, Store

from stancegraph.graph.errors import StanceGraphError, Violation
from stancegraph.ontology.namespaces import SH_NS

#: Predicate under which the staging store records the classes of nodes the new data refers to.
#: ``sh:class`` checks follow it; target selection (``rdf:type``) does not, so referenced nodes are not
#: validated again.
CONTEXT_TYPE = "urn:stancegraph:validation:type"

#: Constraint parameter -> SHACL constraint component (the ``rule`` of a Violation is the parameter).
COMPONENTS: Mapping[str, str] = {
    "sh:minCount": SH_NS + "MinCountConstraintComponent",
    "sh:maxCount": SH_NS + "MaxCountConstraintComponent",
    "sh:class": SH_NS + "ClassConstraintComponent",
    "sh:datatype": SH_NS + "DatatypeConstraintComponent",
    "sh:nodeKind": SH_NS + "NodeKindConstraintComponent",
    "sh:in": SH_NS + "InConstraintComponent",
    "sh:minInclusive": SH_NS + "MinInclusiveConstraintComponent",
    "sh:maxInclusive": SH_NS + "MaxInclusiveConstraintComponent",
    "sh:minExclusive": SH_NS + "MinExclusiveConstraintComponent",
    "sh:maxExclusive": SH_NS + "MaxExclusiveConstraintComponent",
    "sh:pattern": SH_NS + "PatternConstraintComponent",
    "sh:minLength": SH_NS + "MinLengthConstraintComponent",
    "sh:maxLength": SH_NS + "MaxLengthConstraintComponent",
    "sh:uniqueLang": SH_NS + "UniqueLangConstraintComponent",
    "sh:or": SH_NS + "OrConstraintComponent",
    "sh:sparql": SH_NS + "SPARQLConstraintComponent",
}
#: SHACL constraint component -> the parameter that names it in a Violation's ``rule``.
RULE_OF_COMPONENT = {component: rule for rule, component in COMPONENTS.items()}


class ShapeCompileError(StanceGraphError, ValueError):
    """A shapes graph that uses SHACL outside the subset the compiler understands.

    See :func:`~stancegraph.graph.validation.compiler.compile_shapes`.
    """


@dataclass(frozen=True)
class Constraint:
    """One compiled constraint: what a violation of it reports.

    Attributes
    ----------
    shape : str
        IRI (or blank node label) of the shape that declares it.
    target_class : str or None
        The class whose instances are checked (``sh:targetClass``); None for a shape that targets the
        subjects of a property instead.
    path : str or None
        The property checked (None for a node-level SPARQL constraint without ``?path``).
    rule : str
        The parameter, e.g. ``"sh:minCount"``; :data:`COMPONENTS` maps it to the constraint component.
    message : str
        The shape's ``sh:message`` (placeholders ``{?value}``, ``{$this}``, ``{?path}`` are filled in).
    target_subjects_of : str or None
        The property whose subjects are checked (``sh:targetSubjectsOf``), wherever it is used,
        whatever their class.
    """

    shape: str
    target_class: str | None
    path: str | None
    rule: str
    message: str
    target_subjects_of: str | None = None


@dataclass(frozen=True)
class ConstraintQuery:
    """A SELECT returning ``?this`` (and maybe ``?value``, ``?path``, ``?k``) for violations."""

    sparql: str
    constraints: tuple[Constraint, ...]
    indexed: bool = False  # True: ?k picks the constraint; False: there is exactly one


@dataclass(frozen=True)
class SparqlReach:
    """What the SPARQL constraints on one target class can read.

    Attributes
    ----------
    predicates : frozenset of str or None
        Every predicate their patterns match (None: a variable predicate, so any).
    off_focus : frozenset of str or None
        Those matched on nodes other than the focus node (see
        :func:`~stancegraph.graph.validation.constraint_queries.off_focus_predicates`).
    """

    predicates: frozenset[str] | None
    off_focus: frozenset[str] | None


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
    sparql_reach : dict of str to SparqlReach
        Per SPARQL-constrained target class, what its constraints read; a constraint on stances that reads
        other nodes only through data every chunk holds still lets ingest check stances chunk by chunk.
    """

    constraints: tuple[Constraint, ...]
    queries: tuple[ConstraintQuery, ...] = field(repr=False)
    predicates: frozenset[str] | None
    sparql_classes: frozenset[str]
    sparql_predicates: frozenset[str] | None = frozenset()
    sparql_reach: Mapping[str, SparqlReach] = field(default_factory=dict)

    def run(self, staging: Store) -> list[Violation]:
        """Run every query on ``staging`` (triples in its default graph) and return the violations.

        Parameters
        ----------
        staging : pyoxigraph.Store
            Data to check plus its context (see :func:`~stancegraph.graph.validation.staging.stage`).

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

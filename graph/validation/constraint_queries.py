"""The SPARQL that finds violations: the focus-node pattern, the tests of one value, the queries for
counts, values and unique languages, and the predicates a SPARQL constraint can see.

:mod:`stancegraph.graph.validation.compiler` calls these while it walks the shapes graph; each query
comes back as a :class:`~stancegraph.graph.validation.shapes.ConstraintQuery`.
"""

from __future__ import annotations

__all__ = [
    "NODE_KINDS",
    "focus_pattern",
    "subjects_pattern",
    "not_instance",
    "has_datatype",
    "count_queries",
    "value_query",
    "node_class_query",
    "unique_lang_query",
    "add_sparql_predicates",
    "off_focus_predicates",
]

from collections.abc import Iterator
from typing import Any

from pyoxigraph import NamedNode

from stancegraph.graph.validation.shapes import CONTEXT_TYPE, Constraint, ConstraintQuery, ShapeCompileError
from stancegraph.ontology.namespaces import RDF_TYPE, RDFS_SUBCLASS, SH_NS, XSD_NS

#: XSD datatypes whose well-formedness SPARQL can test with a cast (the XPath constructor functions).
_CASTABLE = frozenset(
    XSD_NS + name
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
#: SHACL node kind -> the SPARQL test that ``?value`` is of that kind.
NODE_KINDS = {
    SH_NS + "IRI": "isIRI(?value)",
    SH_NS + "Literal": "isLiteral(?value)",
    SH_NS + "BlankNode": "isBlank(?value)",
    SH_NS + "BlankNodeOrIRI": "!isLiteral(?value)",
    SH_NS + "BlankNodeOrLiteral": "!isIRI(?value)",
    SH_NS + "IRIOrLiteral": "!isBlank(?value)",
}


def focus_pattern(cls: str) -> str:
    """The pattern that binds ``?this`` to every instance of ``cls`` (subclasses included)."""
    return f"?this <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* {NamedNode(cls)} ."


def subjects_pattern(predicate: str) -> str:
    """The pattern that binds ``?this`` once to every subject of ``predicate`` (sh:targetSubjectsOf)."""
    return f"{{ SELECT DISTINCT ?this WHERE {{ ?this {NamedNode(predicate)} [] }} }}"


def not_instance(cls: str) -> str:
    """True when ``?value`` is no instance of ``cls``, by its own type or its context type."""
    return f"NOT EXISTS {{ ?value (<{RDF_TYPE}>|<{CONTEXT_TYPE}>)/<{RDFS_SUBCLASS}>* {NamedNode(cls)} }}"


def has_datatype(datatype: str) -> str:
    """True when ``?value`` is a literal of ``datatype`` (and well-formed, where a cast can tell)."""
    test = f"isLiteral(?value) && sameTerm(datatype(?value), {NamedNode(datatype)})"
    if datatype in _CASTABLE and datatype != XSD_NS + "string":
        test += f" && COALESCE(isLiteral({NamedNode(datatype)}(STR(?value))), false)"
    return test


def count_queries(focus: str, counts: list[tuple[Constraint, str, str, int]]) -> Iterator[ConstraintQuery]:
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
        yield ConstraintQuery(sparql, tuple(c for c, _ in ones), indexed=True)
    for constraint, path, op, n in counts:
        p = NamedNode(path)
        if op == "<" and n > 1:
            sparql = (
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {p} ?v }} }}\n"
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
            )
            yield ConstraintQuery(sparql, (constraint,))
        elif op == ">":
            sparql = (
                f"SELECT DISTINCT ?this WHERE {{\n"
                f"  {{ SELECT ?this WHERE {{ ?this {p} ?v }} GROUP BY ?this HAVING (COUNT(*) > {n}) }}\n"
                f"  {focus}\n"
                f"}}"
            )
            yield ConstraintQuery(sparql, (constraint,))


def value_query(focus: str, path: str, checks: list[tuple[Constraint, str]]) -> ConstraintQuery:
    """Test each distinct value of ``path`` once, then find the focus nodes holding the bad ones.

    ``focus`` may be empty: every subject of ``path`` is a focus node (sh:targetSubjectsOf the path).
    """
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
    return ConstraintQuery(sparql, tuple(c for c, _ in checks), indexed=True)


def node_class_query(cls: str, checks: list[tuple[Constraint, str]]) -> ConstraintQuery:
    """The focus nodes that are no instance of ``cls`` (a node-level sh:class), for several targets.

    Each check is (constraint, the pattern binding ``?this`` to its focus nodes). The instances of
    ``cls`` (by their own type or their context type) are found once, for all targets, and taken away
    (MINUS), rather than tested node by node: the subjects of a stance property are every stance.
    """
    branches = " UNION ".join(f"{{ VALUES ?k {{ {k} }} {focus} }}" for k, (_, focus) in enumerate(checks))
    sparql = (
        f"SELECT DISTINCT ?this ?k WHERE {{\n"
        f"  {branches}\n"
        f"  MINUS {{ ?this (<{RDF_TYPE}>|<{CONTEXT_TYPE}>)/<{RDFS_SUBCLASS}>* {NamedNode(cls)} }}\n"
        f"}}"
    )
    return ConstraintQuery(sparql, tuple(c for c, _ in checks), indexed=True)


def unique_lang_query(focus: str, path: str, constraint: Constraint) -> ConstraintQuery:
    """The focus nodes holding two values of ``path`` in the same language (sh:uniqueLang)."""
    p = NamedNode(path)
    sparql = (
        f"SELECT DISTINCT ?this WHERE {{\n"
        f"  ?this {p} ?a . ?this {p} ?b .\n"
        f'  FILTER (!sameTerm(?a, ?b) && LANG(?a) != "" && LCASE(LANG(?a)) = LCASE(LANG(?b)))\n'
        f"  {focus}\n"
        f"}}"
    )
    return ConstraintQuery(sparql, (constraint,))


def add_sparql_predicates(predicates: set[str] | None, sparql: str) -> set[str] | None:
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


def off_focus_predicates(sparql: str) -> set[str] | None:
    """The predicates a SPARQL constraint matches on nodes other than the focus node ``$this``.

    A triple pattern whose subject is ``$this`` reads the focus node's own triples; every other pattern,
    and every step of a property path, reads other nodes. None when a pattern has a variable predicate
    (it could read anything). ``sparql`` is the constraint's own SELECT, prefixes declared.
    """
    from rdflib.paths import Path
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import URIRef, Variable

    try:
        query = prepareQuery(sparql)
    except Exception as error:  # rdflib raises pyparsing errors of several kinds
        raise ShapeCompileError(f"a SPARQL constraint does not parse: {error}\n{sparql}") from error
    found: set[str] = set()
    this = Variable("this")

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            for s, p, _ in (node["triples"] or ()) if "triples" in node else ():
                if isinstance(p, Variable):
                    return False
                if isinstance(p, Path):
                    found.update(str(t) for t in _path_iris(p))
                elif isinstance(p, URIRef) and s != this:
                    found.add(str(p))
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

"""Bound values become escaped VALUES blocks at the right places, and act like substitutions."""

from __future__ import annotations

import pyoxigraph
import pytest
from pyoxigraph import BaseDirection, Literal, NamedNode, Quad, Triple, Variable

from stancegraph.graph.errors import ValidationError
from stancegraph.graph.store.bindings import bind_values, check_bindings, sparql_term

EX = "https://example.org/"
A, B, C, P, Q = (NamedNode(EX + n) for n in ("a", "b", "c", "p", "q"))
X = Literal("x")
BLOCK = 'VALUES (?v) { ("x") }'


@pytest.fixture(scope="module")
def engine() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.extend(
        [
            Quad(A, P, B),
            Quad(B, P, C),
            Quad(A, Q, Literal("1")),
            Quad(C, Q, Literal("2")),
            Quad(A, P, C, NamedNode(EX + "g")),
        ]
    )
    return store


def rows(engine: pyoxigraph.Store, query: str, **options) -> set[tuple]:
    return {tuple(solution) for solution in engine.query(query, **options)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # every group gets the block: outer, GRAPH, OPTIONAL, UNION branches, FILTER EXISTS
        (
            "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?p ?v } { ?a ?b ?v } UNION { GRAPH ?g { ?v ?c ?d } }"
            " FILTER NOT EXISTS { ?v ?e ?f } }",
            6,
        ),
        # the CONSTRUCT template and VALUES data blocks are not groups
        ("CONSTRUCT { ?s ?p ?v } WHERE { VALUES ?s { <a:s> } ?s ?p ?o }", 1),
        ("SELECT ?s WHERE { ?s ?p ?o } VALUES ?o { 1 2 }", 1),
        # a group holding a sub-SELECT takes none, the sub-SELECT's WHERE takes one
        ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?v } } }", 2),
        # braces and keywords inside comments, strings, IRIs, language tags and names are not syntax
        (
            "PREFIX values: <http://ex/it's#x>\n# CONSTRUCT { not a template }\nSELECT ?values WHERE {"
            " ?s values:p '''{ VALUES ''' , \"}\\\"{\" , 'it\\'s {' , \"x\"@values, ?select }",
            1,
        ),
    ],
)
def test_a_block_goes_into_each_group_pattern(query, expected):
    rewritten = bind_values(query, {"v": X})
    assert rewritten.count(BLOCK) == expected
    assert rewritten.replace(" " + BLOCK, "") == query
    pyoxigraph.Store().query(rewritten)  # still parses


@pytest.mark.parametrize(
    "query",
    [
        "CONSTRUCT WHERE { ?s ?p ?v }",  # the group is also the template
        "DESCRIBE ?v",
        "SELECT ?v WHERE { ?s ?p ?o } # a comment at the very end",
    ],
)
def test_without_a_group_the_block_is_appended_on_its_own_line(query):
    rewritten = bind_values(query, {"v": X})
    if "#" in query:
        assert rewritten.count(BLOCK) == 1 and not rewritten.endswith(BLOCK + "\n")
        return
    assert rewritten == f"{query}\n{BLOCK}\n"
    pyoxigraph.Store().query(rewritten)


def test_no_bindings_leave_the_query_alone():
    assert bind_values("SELECT * WHERE { ?s ?p ?o }", {}) == "SELECT * WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("query", "bound"),
    [
        ("SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": B}),
        ("SELECT ?s ?o WHERE { ?s ?p ?o OPTIONAL { ?o ?p ?x } }", {"o": C}),
        ("SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o", {"o": C}),
        ("SELECT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": NamedNode(EX + "g")}),
        ("SELECT ?s ?o WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } }", {"o": B}),
        ("SELECT ?s ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?q ?z } }", {"s": A}),
        ("SELECT ?s ?n WHERE { ?s ?q ?n } ORDER BY DESC(?n) LIMIT 1", {"n": Literal("1")}),
    ],
)
def test_a_binding_gives_what_pyoxigraph_substitution_gives(engine, query, bound):
    substituted = rows(engine, query, substitutions={Variable(k): v for k, v in bound.items()})
    assert rows(engine, bind_values(query, bound)) == substituted
    assert substituted  # the comparison is not between two empty results


def test_a_binding_also_reaches_variables_outside_the_select_clause(engine):
    # pyoxigraph's substitutions refuse these; the VALUES blocks handle them
    query = "SELECT ?s WHERE { ?s ?p ?o . FILTER (?o != ?not) }"
    with pytest.raises(RuntimeError, match="SELECT projection"):
        engine.query(query, substitutions={Variable("not"): B})
    assert rows(engine, bind_values(query, {"not": B})) == {(A,), (B,), (C,)}


NASTY = "".join(chr(c) for c in range(0x80)) + "\x85\u2028\u2029é😀 '''\"\"\" } ; DROP ALL ; #"


@pytest.mark.parametrize(
    "term",
    [
        Literal(NASTY),
        Literal(NASTY, language="en-GB"),
        Literal("مرحبا", language="ar", direction=BaseDirection.RTL),
        Literal("12", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        Literal("x", datatype=NamedNode(EX + "type'with'quotes#x")),
        NamedNode(EX + "it's?a=%22b%22#'frag'"),
        Triple(A, P, Triple(B, Q, Literal(NASTY))),
    ],
)
def test_a_term_comes_back_exactly_and_leaves_no_bare_quote_or_line_end(term):
    text = sparql_term(term)
    assert "\n" not in text and "\r" not in text and "'" not in text.replace("\\'", "")
    if isinstance(term, Literal):
        assert '"' not in text[1 : text.rindex('"')].replace('\\"', "")
    elif isinstance(term, NamedNode):
        assert '"' not in text
    result = pyoxigraph.Store().query(bind_values("SELECT ?v WHERE { }", {"v": term}))
    assert [solution["v"] for solution in result] == [term]


def test_check_bindings_strips_the_sigil_and_lists_every_problem():
    assert check_bindings({"?a": A, "$b": X, "c": Triple(A, P, B)}) == {"a": A, "b": X, "c": Triple(A, P, B)}
    assert check_bindings(None) == {}
    with pytest.raises(ValidationError) as caught:
        check_bindings({"a b": A, "c": "text", "d": pyoxigraph.BlankNode()})
    assert len(caught.value.violations) == 3

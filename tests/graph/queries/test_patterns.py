"""The stance-pattern language: grammar, error positions, bound values, answers on the bundled data."""

from __future__ import annotations

import datetime as dt

import pytest

from stancegraph.graph import ingest, load_bundled, open_store
from stancegraph.graph.errors import AmbiguousNameError, UnknownEntityError
from stancegraph.graph.queries.contested import denied_stances
from stancegraph.graph.queries.pattern_answers import ask, compile_question
from stancegraph.graph.queries.patterns import Name, PatternSyntaxError, Var, parse
from stancegraph.graph.queries.stances import stances as stances_of
from stancegraph.ontology.namespaces import SG_NS


@pytest.fixture(scope="module")
def bundled_memory():
    store = open_store()
    load_bundled(store)
    yield store
    store.close()


def test_parse_the_issue_examples():
    assert parse('?who endorses "army cap"').patterns[0].object == Name("army cap", 15)
    russia = parse("Russia demands ?what").patterns[0]
    assert (russia.subject, russia.verb, russia.object) == (Name("Russia", 1), "demands", Var("what"))
    since = parse("?a rejects us-28/7 since 2025-11-21").patterns[0]
    assert since.object == Name("us-28/7", 12) and since.since == dt.date(2025, 11, 21)
    assert parse("?a concedes ?t contested").patterns[0].contested is True
    joined = parse("?a endorses us-28 AND ?a rejects ru-no-nato until 2025-12-01")
    assert len(joined.patterns) == 2 and joined.variables == ("a",)
    assert joined.patterns[1].until == dt.date(2025, 12, 1)


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("?who endorse us-28", 6, "expected a stance"),
        ("?who endorses", 14, "expected an object"),
        ("?a rejects us-28 since yesterday", 24, "expected a date"),
        ("?a rejects us-28 since 2025-02-30", 24, "not a calendar date"),
        ("?a rejects us-28 and", 21, "after 'and'"),
        ("?a rejects us-28 loudly", 18, "expected 'and'"),
        ('?a rejects "unterminated', 12, "unexpected character"),
        ("", 1, "empty question"),
        ("endorses endorses us", 1, "keyword"),
    ],
)
def test_syntax_errors_point_at_the_column_and_say_what_was_expected(text, column, expected):
    with pytest.raises(PatternSyntaxError) as caught:
        parse(text)
    assert caught.value.offset == column
    assert expected in str(caught.value)
    assert caught.value.msg.splitlines()[-1].index("^") - 4 == column - 1


def test_names_and_dates_are_bound_never_spliced(bundled_memory):
    sparql, bindings = compile_question(bundled_memory, "?who rejects us-28/7 since 2025-11-21")
    assert "us-28" not in sparql and "2025-11-21" not in sparql
    assert bindings["c0_target"].value == "https://w3id.org/stancegraph/id/plan/us-28/7"
    assert bindings["c0_since"].value == "2025-11-21"
    hostile = '?who endorses "x\\" } } ; DROP ALL ; #"'
    with pytest.raises(UnknownEntityError) as caught:
        compile_question(bundled_memory, hostile)
    assert "column 15" in str(caught.value)


def test_answers_on_the_bundled_data(bundled_memory):
    assert [a.values["who"].id for a in ask(bundled_memory, "?who endorses us-28/6").answers] == ["us"]
    what = {a.values["what"].id for a in ask(bundled_memory, "Russia demands ?what").answers}
    assert {"ru-army-cap", "ru-no-nato"} <= what
    rejecters = {a.values["a"].id for a in ask(bundled_memory, "?a rejects us-28/7 since 2025-11-21").answers}
    assert {"france", "germany", "uk"} <= rejecters
    assert [
        a.values["who"].id for a in ask(bundled_memory, '?who demands "lifting of sanctions"').answers
    ] == ["russia"]
    assert [
        a.values["who"].id for a in ask(bundled_memory, '?who endorses "army capped at 600"').answers
    ] == ["us"]
    with pytest.raises(AmbiguousNameError, match="ru-army-cap, us-28/6"):
        ask(bundled_memory, '?who demands "army cap"')
    contested = ask(bundled_memory, "?a neutral ?t contested").answers
    assert {(a.values["a"].id, a.values["t"].id) for a in contested} == {
        ("ukraine", "us-28"),
        ("umerov", "us-28"),
    }
    assert all(a.contested for a in contested)
    # the only contested endorsement is the Umerov claim, which he denied: no position, no answer
    assert ask(bundled_memory, "?a endorses ?t contested").answers == ()
    stances = {a.values["s"].id for a in ask(bundled_memory, "umerov ?s us-28").answers}
    assert stances == {"neutral"}  # the denial (he approved nothing); the claim he denied is none


def test_a_denied_stance_makes_no_answer(bundled_memory):
    denied = denied_stances(bundled_memory)
    assert denied  # the Umerov claim
    for question in ("?a endorses us-28", "?a ?s ?t", "?a endorses ?t and ?a neutral ?t"):
        found = ask(bundled_memory, question).answers
        assert found and all(denied.isdisjoint(a.stances) for a in found), question
    endorsers = {a.values["a"].id for a in ask(bundled_memory, "?a endorses us-28").answers}
    assert not endorsers & {"ukraine", "umerov"}
    held = {s.actor for s in stances_of(bundled_memory, target="us-28", stance="endorses") if not s.denied}
    assert {a.values["a"].iri for a in ask(bundled_memory, "?a endorses us-28").answers} >= held


_CONFIDENCES = f"""
SELECT ?s ?c WHERE {{ GRAPH ?g {{ ?s a <{SG_NS}Stance> OPTIONAL {{ ?s <{SG_NS}confidence> ?c }} }} }}
"""
_CONTRADICTED = f"SELECT ?a ?b WHERE {{ GRAPH ?g {{ ?a <{SG_NS}contradicts> ?b }} }}"


def test_an_answers_confidence_and_contested_status_follow_its_stances(bundled_memory):
    confidence = {
        s.value: None if c is None else float(c.value) for s, c in bundled_memory.query(_CONFIDENCES)
    }
    disputed = {term.value for row in bundled_memory.query(_CONTRADICTED) for term in row}
    found = ask(bundled_memory, "?who ?stance ?what").answers
    assert len(found) > 50
    for answer in found:
        known = [confidence[s] for s in answer.stances if confidence[s] is not None]
        assert answer.confidence == (max(known) if known else None), answer
        assert answer.contested == any(s in disputed for s in answer.stances), answer
    # two patterns: per pattern the highest, of these the lowest (the answer holds as far as both do)
    (joined,) = [
        a
        for a in ask(bundled_memory, "?a endorses e3-counter and ?a rejects us-28/7").answers
        if a.values["a"].id == "france"
    ]
    per_pattern = [
        max(s.confidence for s in stances_of(bundled_memory, actor="france", target=t, stance=k))
        for t, k in (("e3-counter", "endorses"), ("us-28/7", "rejects"))
    ]
    assert joined.confidence == min(per_pattern) and not joined.contested


def test_an_answer_without_a_recorded_confidence_has_none_not_zero(store, tmp_path):
    path = tmp_path / "unknown.csv"
    path.write_text(
        "actor,target,stance,date,document,source,confidence\n"
        "Alpha,ceasefire,endorses,2025-01-05,first,Reuters,\n"
        "Alpha,elections,demands,2025-01-05,second,Reuters,0.8\n",
        encoding="utf-8",
    )
    ingest(store, path)
    (alone,) = ask(store, "?a endorses ceasefire").answers
    assert alone.confidence is None and alone.contested is False
    (known,) = ask(store, "?a demands elections").answers
    assert known.confidence == 0.8
    (both,) = ask(store, "?a endorses ceasefire and ?a demands elections").answers
    assert both.confidence is None  # one pattern unknown: the answer's confidence is unknown


def test_a_variable_used_twice_joins_the_patterns(bundled_memory):
    both = ask(bundled_memory, "?a endorses us-28 and ?a rejects us-28").answers
    alone = ask(bundled_memory, "?a endorses us-28").answers
    assert {a.values["a"].id for a in both} < {a.values["a"].id for a in alone}
    assert all(len(a.stances) >= 2 for a in both)


def test_an_ambiguous_part_of_a_name_lists_the_candidates(bundled_memory):
    with pytest.raises(AmbiguousNameError) as caught:
        ask(bundled_memory, '?a endorses "army"')
    assert "column 13" in str(caught.value) and len(caught.value.candidates) > 1

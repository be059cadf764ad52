"""Which stances count: the contested and min_confidence options, on the bundled data and on tables."""

from __future__ import annotations

import io

import numpy as np
import pytest

from stancegraph.graph.analysis import (
    Contested,
    coalitions,
    influence,
    polarisation,
    read_statements_csv,
    stance_mask,
    time_windows,
)
from stancegraph.graph.analysis.networks import one_mode, two_mode
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.analysis.statements_table import Statements

SG = "PREFIX sg: <https://w3id.org/stancegraph/ontology#>\n"
STANCE = "https://w3id.org/stancegraph/id/stance/"


def _count(store, where: str) -> int:
    """Stances counted by SPARQL alone, independently of the code under test."""
    query = SG + f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a sg:Stance }} {where} }}"
    return int(next(iter(store.query(query)))[0].value)


_NOT_DENIED = """FILTER NOT EXISTS { GRAPH ?h { ?d sg:contradicts ?s ; sg:actor ?a ; sg:statedOn ?dd }
                    GRAPH ?g { ?s sg:actor ?a ; sg:statedOn ?sd } FILTER (?dd >= ?sd) }"""
_CONTESTED = """FILTER EXISTS { { GRAPH ?x { ?s sg:contradicts ?o } }
                                UNION { GRAPH ?x { ?o sg:contradicts ?s } } }"""


def test_the_table_carries_confidence_and_contested_as_the_store_has_them(bundled):
    st = statements_from_store(bundled)
    assert len(st) == _count(bundled, _NOT_DENIED)
    assert int(st.contested.sum()) == _count(bundled, _NOT_DENIED + _CONTESTED) == 1
    assert list(st.id[st.contested]) == ["umerov-denial"]
    confident = _count(bundled, _NOT_DENIED + "GRAPH ?g { ?s sg:confidence ?c } FILTER (?c >= 0.8)")
    assert int((st.confidence >= 0.8).sum()) == confident
    assert float(st.confidence[list(st.id).index("umerov-denial")]) == 0.9


def test_contested_exclude_drops_the_umerov_denials_ties(bundled):
    st = statements_from_store(bundled, plan="us-28")
    # the denial is neutral (Umerov approved nothing), so it ties only when every stance counts
    held = two_mode(st, qualifier="none")
    undisputed = two_mode(st, qualifier="none", contested="exclude")
    plan = "US 28-point peace plan"

    def tie(network):
        return network.to_dense()[network.row_labels.index("Ukraine"), network.column_labels.index(plan)]

    ukraine_on_the_plan = _count(
        bundled,
        _NOT_DENIED + "GRAPH ?g { ?s sg:actor ?ua ; sg:target ?plan }"
        " FILTER (?ua = <https://w3id.org/stancegraph/id/actor/ukraine>"
        " && ?plan = <https://w3id.org/stancegraph/id/plan/us-28>)",
    )
    assert tie(held) == ukraine_on_the_plan and tie(undisputed) == ukraine_on_the_plan - 1
    assert held.n_statements - undisputed.n_statements == 1
    assert undisputed.options.contested is Contested.EXCLUDE


def test_contested_only_keeps_only_the_disputed_stances(bundled):
    st = statements_from_store(bundled)
    only = two_mode(st, qualifier="none", contested="only")
    assert only.n_statements == _count(bundled, _NOT_DENIED + _CONTESTED)
    assert only.row_labels == ("Ukraine",) and only.column_labels == ("US 28-point peace plan",)
    # the denied claim never answers as a position, whatever contested says
    assert only.to_dense().tolist() == [[1.0]]


def test_min_confidence_drops_the_less_confident_stances(bundled):
    st = statements_from_store(bundled)
    kept = _count(bundled, _NOT_DENIED + "GRAPH ?g { ?s sg:confidence ?c } FILTER (?c >= 0.8)")
    assert two_mode(st, qualifier="none", min_confidence=0.8).n_statements == kept
    assert two_mode(st, qualifier="none").n_statements == len(st) > kept
    assert two_mode(st, qualifier="none", min_confidence=1.0).n_statements == 0


def test_every_analysis_takes_the_options(bundled):
    st = statements_from_store(bundled, plan="us-28")
    windows = time_windows(st, size=3, contested="only", mode="two-mode")
    assert sum(w.network.n_statements for w in windows) <= 3
    assert all(w.network.options.contested is Contested.ONLY for w in windows)
    # the E3 members' stances on the draft are rejections reported with confidence 0.7
    strict = coalitions(st, min_confidence=0.8, seed=1).communities
    assert "France" in {a for c in coalitions(st, seed=1).communities for a in c}
    assert {a for c in strict for a in c} == {"Russia", "United States"}
    assert set(polarisation(st, min_confidence=0.8).partition) == {"Russia", "United States"}
    graph = influence(bundled, min_confidence=0.95)
    assert graph.number_of_edges() == 0 and graph.graph["min_confidence"] == 0.95
    assert influence(bundled, contested="exclude").number_of_edges() > 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_confidence": 1.5}, "min_confidence=1.5 is outside [0, 1]"),
        ({"min_confidence": "high"}, "min_confidence='high' is not a number"),
        ({"min_confidence": float("nan")}, "is not a number"),
        ({"min_confidence": True}, "is not a number"),
        ({"contested": "maybe"}, "contested='maybe' is not known; valid: 'include', 'exclude', 'only'"),
    ],
)
def test_bad_values_say_what_is_wrong_and_how_to_fix_it(options, message):
    st = Statements.from_records([{"actor": "A", "target": "p", "stance": "endorses"}])
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        one_mode(st, **options)


def test_a_stance_without_confidence_is_unknown_not_zero():
    st = Statements.from_records(
        [
            {"actor": "A", "target": "p", "stance": "endorses", "confidence": 0.9},
            {"actor": "B", "target": "p", "stance": "endorses", "confidence": ""},
            {"actor": "C", "target": "p", "stance": "endorses", "confidence": 0},
        ]
    )
    assert np.isnan(st.confidence[1]) and st.confidence[2] == 0.0
    assert one_mode(st).row_labels == ("A", "B", "C")
    assert one_mode(st, min_confidence=0.0).n_statements == 3
    assert two_mode(st, min_confidence=0.01).row_labels == ("A",)
    assert stance_mask(st.contested, st.confidence, min_confidence=0.5).tolist() == [True, False, False]
    with pytest.raises(ValueError, match="statement 's1' has confidence 2"):
        Statements.from_records([{"id": "s1", "actor": "A", "target": "p", "confidence": 2}])


CSV = """id,actor,target,stance,date,source,confidence,contradicts
claim,US,p7,endorses,2025-11-20,Axios,0.3,
denial,US,p7,rejects,2025-11-21,Axios,0.9,claim
ru,Russia,p7,rejects,2025-11-21,TASS,,
fr,France,p7,endorses,2025-11-22,AFP,0.8,ru
uk,United Kingdom,p7,endorses,2025-11-22,BBC,0.6,
"""


def test_a_statements_csv_filters_the_same_way():
    st = read_statements_csv(io.StringIO(CSV))
    assert list(st.id) == ["denial", "ru", "fr", "uk"]  # the claim US denied is no position
    assert st.contested.tolist() == [True, True, True, False]
    assert np.isnan(st.confidence[1]) and st.confidence.tolist()[2:] == [0.8, 0.6]
    assert two_mode(st, contested="exclude").row_labels == ("United Kingdom",)
    assert two_mode(st, contested="only").row_labels == ("France", "Russia", "US")
    assert two_mode(st, min_confidence=0.8).row_labels == ("France", "US")
    kept = read_statements_csv(io.StringIO(CSV), include_denied=True)
    assert list(kept.id)[0] == "claim" and bool(kept.contested[0])


def test_a_csv_without_contradicts_or_confidence_has_nothing_contested_or_known():
    text = "actor,target,stance,date,source\nUS,p7,endorses,2025-11-21,Axios\nRU,p7,rejects,2025-11-22,TASS\n"
    st = read_statements_csv(io.StringIO(text))
    assert not st.contested.any() and np.isnan(st.confidence).all()
    assert two_mode(st, contested="exclude").n_statements == 2
    assert two_mode(st, min_confidence=0.5).n_statements == 0

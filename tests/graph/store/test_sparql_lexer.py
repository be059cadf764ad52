"""The SPARQL lexer: terminals by the grammar, never an error, brackets counted outside strings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stancegraph.graph.store.sparql_lexer import lex, max_nesting, unescape_codepoints


@given(st.text(max_size=300))
def test_lexing_never_fails_and_covers_the_text_in_order(text):
    offsets = [token.offset for token in lex(text)]
    assert offsets == sorted(offsets)
    assert all(text.startswith(token.text, token.offset) for token in lex(text))


def test_prefixed_names_numbers_and_dots_are_cut_as_the_grammar_says():
    kinds = [(t.kind, t.text) for t in lex("ex:a.b 1.SERVICE 1.5e3 .5 ex:c. _:b1 ?v $w @en-GB")]
    assert kinds == [
        ("pname", "ex:a.b"),
        ("number", "1"),
        ("punct", "."),
        ("name", "SERVICE"),
        ("number", "1.5e3"),
        ("number", ".5"),
        ("pname", "ex:c"),
        ("punct", "."),
        ("bnode", "_:b1"),
        ("var", "?v"),
        ("var", "$w"),
        ("lang", "@en-GB"),
    ]


def test_brackets_in_strings_iris_and_comments_do_not_nest():
    text = 'SELECT * { ?s ?p "{{{((([[[" . ?s ?p <http://e/a#(b)> } # {{{{'
    assert max_nesting(text) == (1, 9)
    assert max_nesting("{" * 50, stop_above=10) == (11, 10)


def test_codepoint_escapes_are_applied_once_and_invalid_ones_kept():
    assert unescape_codepoints(r"\u0053ERVICE \U0001F600") == "SERVICE \U0001f600"
    assert unescape_codepoints(r"\u005Cu0041") == r"\u0041"
    assert unescape_codepoints(r"\uD800 \U00110000") == r"\uD800 \U00110000"

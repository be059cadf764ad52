"""The statements table: constructors, the ingest CSV format, defaults and the qualifier mapping."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest

from stancegraph.graph.analysis import QualifierKind, Statements, read_statements_csv
from stancegraph.graph.errors import ValidationError

CSV = """actor,target,stance,date,document,source,quote,person,confidence
US,us-28/7,endorses,2025-11-21,d1,Reuters,"backs it",Leavitt,0.9
Ukraine,us-28/7,rejects,2025-11-22,d1,Reuters,,Umerov,
Russia,us-28/7,concedes,2025-11-20,d2,Reuters,,,
EU,us-28/7,neutral,2025-11-23,,TASS,,,
"""
#: The same rows with two dates and a source missing: `validate` refuses it (a stance needs a date and a
#: source, and a source a publisher and a date), so the analysis refuses it too. The statements table
#: alone would fill the dates from the documents (test_records_defaults_documents_and_ids).
INCOMPLETE = """actor,target,stance,date,document,source,quote,person,confidence
US,us-28/7,endorses,2025-11-21,d1,Reuters,"backs it",Leavitt,0.9
Ukraine,us-28/7,rejects,,d1,Reuters,,Umerov,
Russia,us-28/7,concedes,2025-11-20,d2,,,,
EU,us-28/7,neutral,,,TASS,,,
"""


def test_csv_with_stances():
    st = read_statements_csv(io.StringIO(CSV))
    assert list(st.actor) == ["US", "Ukraine", "Russia", "EU"]
    assert list(st.id) == ["000000002", "000000003", "000000004", "000000005"]  # line numbers
    assert list(st.person) == ["Leavitt", "Umerov", None, None]
    assert [str(d) for d in st.date] == ["2025-11-21", "2025-11-22", "2025-11-20", "2025-11-23"]
    assert list(st.document) == ["d1", "d1", "d2", "TASS"]  # EU has no document: its source is
    assert st.qualifier_kind is QualifierKind.BOOLEAN


def test_a_csv_that_validate_refuses_is_refused_with_the_same_violations():
    from stancegraph.graph.ingestion import check

    with pytest.raises(ValidationError) as caught:
        read_statements_csv(io.StringIO(INCOMPLETE))
    expected = check(("statements.csv", io.StringIO(INCOMPLETE)))
    assert list(caught.value.violations) == expected and expected
    assert {(v.line, v.path.rsplit("#")[-1]) for v in expected if v.rule == "sh:minCount"} >= {
        (3, "statedOn"),
        (5, "statedOn"),
    }


def test_csv_from_a_path_with_byte_order_mark(tmp_path):
    path = tmp_path / "s.csv"
    head = "\ufeffactor,target,agreement,date,source\n"
    path.write_text(head + "A,x,1,2025-11-21,AP\nB,x,0,2025-11-21,AP\n", encoding="utf-8")
    st = read_statements_csv(path)
    assert list(st.qualifier) == [1, 0] and st.qualifier_kind is QualifierKind.BOOLEAN
    path.write_text(head + "A,x,-1,2025-11-21,AP\nB,x,2,2025-11-21,AP\n", encoding="utf-8")
    assert read_statements_csv(str(path)).qualifier_kind is QualifierKind.INTEGER


@pytest.mark.parametrize(
    ("text", "line", "rule"),
    [
        # the rules are validate's: "csv" for what the table itself gets wrong (the header, a cell);
        # "both stance and agreement" is a header problem there (the analysis reader once took it)
        ("actor,stance\nA,endorses\n", 1, "csv"),
        ("actor,target\nA,x\n", 1, "csv"),
        ("actor,target,stance\nA,x,likes\n", 2, "csv"),
        ("actor,target,stance\nA,x,endorses\n,x,rejects\n", 3, "csv"),
        ("actor,target,agreement\nA,x,yes\n", 2, "csv"),
        ("actor,target,stance,date\nA,x,endorses,21/11/2025\n", 2, "csv"),
        ("actor,target,stance,agreement\nA,x,,\n", 1, "csv"),
    ],
)
def test_csv_errors_name_the_line_and_the_rule(text, line, rule):
    with pytest.raises(ValidationError) as err:
        read_statements_csv(io.StringIO(text))
    violation = err.value.violations[0]
    assert (violation.line, violation.rule) == (line, rule)


def test_records_defaults_documents_and_ids():
    st = Statements.from_records(
        [
            {"actor": "A", "target": "x", "stance": "endorses", "source": "src", "date": "2025-01-02"},
            {"actor": "B", "target": "x", "stance": "endorses", "source": "src"},
            {"actor": "C", "target": "x", "stance": "endorses", "date": ""},
        ]
    )
    assert list(st.id) == ["s1", "s2", "s3"]
    assert list(st.document) == ["src", "src", "s3"]  # the source, else a document of its own
    assert [str(d) for d in st.date] == ["2025-01-02", "2025-01-02", "NaT"]


def test_columns_are_read_only_and_the_table_is_frozen():
    st = Statements.from_columns(actor=["A"], target=["x"], stance=["endorses"])
    with pytest.raises(ValueError, match="read-only"):
        st.actor[0] = "B"
    with pytest.raises(dataclasses.FrozenInstanceError):
        st.actor = np.array(["B"], dtype=object)  # type: ignore[misc]
    assert list(st.take(np.array([0])).actor) == ["A"]
    assert list(Statements.from_columns(actor=["A"], target=["x"], id=[7]).id) == ["7"]  # ids are text


def test_qualifier_mapping_follows_the_documented_table():
    names = ["endorses", "concedes", "demands", "rejects", "neutral"]
    st = Statements.from_columns(actor=["A"] * 5, target=["x"] * 5, stance=names)
    codes, levels = st.qualifier_codes("boolean")
    assert [levels[c] if c >= 0 else None for c in codes] == [1, 1, 1, 0, None]
    codes, levels = st.qualifier_codes("integer")
    assert [levels[c] for c in codes] == [2, 1, 2, -1, 0]
    codes, levels = st.qualifier_codes("categorical")
    assert [levels[c] for c in codes] == names
    codes, levels = st.qualifier_codes(QualifierKind.NONE)
    assert levels == (0,) and not codes.any()
    scale = {"endorses": 3, "concedes": 1, "demands": 2, "rejects": -3, "neutral": 0}
    scaled = Statements.from_columns(actor=["A"] * 5, target=["x"] * 5, stance=names, scale=scale)
    codes, levels = scaled.qualifier_codes("integer")
    assert [levels[c] for c in codes] == [3, 1, 2, -3, 0]


def test_stance_type_iris_are_read_as_names():
    st = Statements.from_records(
        [
            {"actor": "A", "target": "x", "stance": "https://w3id.org/stancegraph/ontology#Endorses"},
            {"actor": "B", "target": "x", "stance": "sg:Rejects"},
            {"actor": "C", "target": "x", "stance": "Concedes"},
        ]
    )
    assert list(st.stance) == ["endorses", "rejects", "concedes"]


def test_a_coded_qualifier_wins_over_the_stance():
    st = Statements.from_records([{"actor": "A", "target": "x", "stance": "endorses", "agreement": 0}])
    codes, levels = st.qualifier_codes("boolean")
    assert levels[codes[0]] == 0
    text = Statements.from_records([{"actor": "A", "target": "x", "qualifier": "supports"}])
    assert text.qualifier_kind is QualifierKind.CATEGORICAL
    with pytest.raises(ValueError, match="qualifier='categorical'"):
        text.qualifier_codes("integer")
    assert Statements.from_records([{"actor": "A", "target": "x"}]).qualifier_kind is QualifierKind.NONE


def test_the_coder_column_says_who_coded_each_statement_and_no_network_reads_it():
    from stancegraph.graph.analysis.networks import one_mode

    rows = [
        {"actor": "US", "target": "p7", "stance": "endorses", "coder": "Ana"},
        {"actor": "US", "target": "p7", "stance": "endorses", "coder": "Ben"},
        {"actor": "RU", "target": "p7", "stance": "rejects", "coder": ""},  # blank: none recorded
    ]
    st = Statements.from_records(rows)
    assert list(st.coder) == ["Ana", "Ben", None]
    assert list(st.take(np.array([1])).coder) == ["Ben"]
    assert not st.coder.flags.writeable
    assert one_mode(st).row_labels == ("RU", "US")
    assert list(Statements.from_columns(actor=["A"], target=["x"]).coder) == [None]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"actor": ["A", ""], "target": ["x", "y"]}, "no actor label"),
        ({"actor": ["A"], "target": [None]}, "no target label"),
        ({"actor": ["A"], "target": ["x"], "stance": ["likes"]}, "unknown stance 'likes'"),
        ({"actor": ["A", "B"], "target": ["x", "x"], "id": ["s", "s"]}, "occurs more than once"),
        ({"actor": ["A", "B"], "target": ["x", "x"], "id": ["s", None]}, "row 1 has no id"),
        ({"actor": ["A", "B"], "target": ["x", "x"], "qualifier": [1, "x"]}, "mixes numbers and text"),
        ({"actor": ["A"], "target": ["x"], "qualifier": [0.5]}, "takes ints, text or None"),
        ({"actor": ["A"], "target": ["x"], "date": ["yesterday"]}, "not an ISO date"),
        ({"actor": ["A"], "target": ["x", "y"]}, "has 2 values"),
        ({"actor": ["A"], "target": ["x"], "colour": ["red"]}, "unknown column"),
        ({"actor": ["A"], "target": ["x"], "coder": [7]}, "'coder' holds 7"),
    ],
)
def test_bad_columns_are_refused(columns, message):
    with pytest.raises(ValueError, match=message):
        Statements.from_columns(**columns)


def test_a_quote_of_200000_characters_is_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(
        'actor,target,stance,date,source,quote\nUS,p7,endorses,2025-11-21,AP,"' + "x" * 200_000 + '"\n',
        encoding="utf-8",
    )
    st = read_statements_csv(path)
    assert list(st.actor) == ["US"]


def test_a_cell_over_the_limit_names_the_file_the_line_and_the_limit(tmp_path):
    from stancegraph.graph.ingestion.csv_input import CSV_FIELD_LIMIT

    path = tmp_path / "huge.csv"
    path.write_text(
        "actor,target,stance,date,source,quote\nUS,p7,endorses,2025-11-21,AP,ok\n"
        'US,p8,endorses,2025-11-21,AP,"' + "x" * (CSV_FIELD_LIMIT + 1) + '"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_statements_csv(path)
    (violation,) = caught.value.violations
    assert (violation.file, violation.line, violation.rule) == (str(path), 3, "syntax")
    assert f"{CSV_FIELD_LIMIT:,} characters" in violation.message

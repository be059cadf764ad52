"""The columnar reading of a statements table against the one reader: the same table for every file it
reads, and the one reader's exact violations for every file it leaves to it."""

from __future__ import annotations

import csv
import io
import math
import subprocess
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from pyoxigraph import NamedNode, Quad

from stancegraph.graph.analysis.statements_csv import READS, _checked_statements, read_statements_csv
from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.errors import ValidationError
from stancegraph.graph.ingestion import write_statements_csv
from stancegraph.graph.ingestion.columnar_rows import columnar_rows
from stancegraph.graph.ingestion.csv_layout import NotColumnar
from stancegraph.graph.store import open_store

REPO = Path(__file__).resolve().parents[3]
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FIELDS = ("id", "actor", "target", "qualifier", "document", "date", "source", "person", "stance", "coder")


def frame(table: Statements) -> pl.DataFrame:
    """The table as a frame, each value with its Python type (1 and True, 1 and 1.0 differ)."""
    columns = {name: [repr(value) for value in getattr(table, name).tolist()] for name in _FIELDS}
    columns["date"] = [str(day) for day in table.date]
    columns["confidence"] = ["nan" if math.isnan(v) else repr(float(v)) for v in table.confidence]
    columns["contested"] = [bool(v) for v in table.contested]
    return pl.DataFrame(columns)


def read_both(source: Path | str, **options: object) -> tuple[object, object, int]:
    """What the one reader gives (a frame, or the violations), what read_statements_csv gives, and how
    many columnar reads that took."""
    results = []
    before = READS["columnar"]
    for read in (_checked_statements, read_statements_csv):
        try:
            table = read(source, **options)
        except ValidationError as error:
            results.append([(v.message, v.file, v.line, v.path, v.rule, v.value) for v in error.violations])
        else:
            assert table.scale == dict(options.get("scale") or table.scale)
            results.append(frame(table))
    return results[0], results[1], READS["columnar"] - before


def same(source: Path | str, **options: object) -> int:
    """Assert both ways give the same; how many columnar reads there were (0 or 1)."""
    checked, fast, columnar = read_both(source, **options)
    if isinstance(checked, pl.DataFrame):
        assert isinstance(fast, pl.DataFrame), fast
        assert_frame_equal(fast, checked)
    else:
        assert fast == checked
    return columnar


def write(tmp_path: Path, text: str | bytes, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


HEADER = "actor,target,stance,date,source\n"
IDS = "id," + HEADER
DENIALS = "id,actor,target,stance,date,source,contradicts\n"


# -- (a) the CSV files of the tests ----------------------------------------------------------------------
def tracked_csv_files() -> list[str]:
    found = subprocess.run(
        ["git", "ls-files", "*.csv"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.split()
    return found or ["tests/api/cli/data/two-coders.csv"]


@pytest.mark.parametrize("name", tracked_csv_files())
def test_the_tests_csv_files_read_alike(name: str) -> None:
    assert same(REPO / name) == 1


# -- (b) synthetic corpora -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("n", "seed", "share"),
    [(1, 0, 0.01), (200, 1, 0.01), (2000, 2, 0.05), (2000, 3, 0.0), (20_000, 4, 0.01), (5000, 5, 0.3)],
)
def test_synthetic_corpora_read_alike_and_by_columns(tmp_path: Path, n: int, seed: int, share: float) -> None:
    path = tmp_path / "synth.csv"
    write_statements_csv(path, n, seed=seed, contradicts_share=share, actors=40, targets=20)
    assert same(path) == 1  # read by columns: no ingest pipeline ran for it
    assert same(path, include_denied=True) == 1
    assert same(path, scale={"rejects": -3, "neutral": 0, "concedes": 1, "endorses": 3, "demands": 2}) == 1


def test_a_columnar_read_runs_no_ingest_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "synth.csv"
    write_statements_csv(path, 3000, seed=7, contradicts_share=0.05)
    before = dict(READS)
    table = read_statements_csv(path)
    assert READS["columnar"] == before.get("columnar", 0) + 1
    assert READS["checked"] == before.get("checked", 0)
    assert len(table) == columnar_rows(path).height > 2800


# -- (c) edge cases --------------------------------------------------------------------------------------
READ_BY_COLUMNS = {
    "names in case and spaces": HEADER
    + "US,Point 7,endorses,2025-11-21,Axios\n  us ,point   7,endorses,2025-11-21,Axios\n"
    + "U.S.,POINT-7,endorses,2025-11-21,Axios\nÜS,Point 7,Endorses,2025-11-21,Axios\n",
    "repeats exact and not": "actor,target,stance,date,source,quote,confidence\n"
    + "US,p7,endorses,2025-11-21,Axios,one,0.5\nUS,p7,endorses,2025-11-21,Axios,one,0.5\n"
    + "US,p7,endorses,2025-11-21,Axios,another,0.9\nUS,p7,endorses,2025-11-22,Axios,x,\n",
    "boolean agreement": "actor,target,agreement,date,source\nUS,p7,1,2025-11-21,A\nRU,p7,0,2025-11-21,B\n",
    "integer agreement": "actor,target,agreement,date,source\nUS,p7,2,2025-11-21,A\n"
    + "RU,p7,-1,2025-11-21,B\nUA,p7,0,2025-11-21,B\nEU,p7,+2,2025-11-21,B\nEU,p7,02,2025-11-21,B\n",
    "times of day": HEADER
    + "US,p7,endorses,2025-11-21 10:00:00,A\nUS,p7,endorses,2025-11-21T10:00,A\n"
    + "US,p7,endorses,2025-11-21 15:00,A\nUS,p7,endorses,2025-11-21,A\n"
    + "US,p7,endorses,2025-11-22T01:02:03.5+01:00,A\n",
    "quoted cells": 'actor,target,stance,date,source,quote\n"Smith, John",p7,endorses,2025-11-21,A,"a, b"\n'
    + 'RU,"p\n7",rejects,2025-11-21,B,"say ""no""\nand\r\nmore"\nUA,p7,rejects,2025-11-23,C,""\n',
    "empty lines": HEADER
    + "\nUS,p7,endorses,2025-11-21,A\n\n\n,,,,\n  , ,,,\nRU,p7,rejects,2025-11-22,B\n\n",
    "crlf": HEADER.replace("\n", "\r\n") + "US,p7,endorses,2025-11-21,A\r\n\r\nRU,p7,rejects,2025-11-22,B",
    "dna names": "person,organization,concept,agreement,time,document_title,document_source,coder\n"
    + "Ana,EU,p7,1,2025-11-21 10:00:00,Doc 1,Reuters,Coder A\n"
    + "Bo,EU,p7,0,2025-11-21 11:00:00,Doc 1,Reuters,coder a\n"
    + "Ana,EU,p7,1,2025-11-21 10:00:00,Doc 1,Reuters,Z\n",
    "people as actors": "person,concept,agreement,time,document_source\n"
    + "Ana,p7,1,2025-11-21,R\nana,p7,1,2025-11-21,R\n",
    "semicolons": "actor;target;stance;date;source\nUS;p7;endorses;2025-11-21;A\n",
    "documents": "actor,target,stance,date,document,source\nUS,p7,endorses,2025-11-21,Doc,A\n"
    + "RU,p7,rejects,2025-11-21,Doc,\nUA,p7,rejects,2025-11-21,,https://www.example.org/x\n",
    "id and contradicts": "id,actor,target,stance,date,source,contradicts\n"
    + "c1,US,p7,endorses,2025-11-21,A,\nc2,US,p7,rejects,2025-11-22,A,c1\nc3,RU,p7,rejects,2025-11-22,B,\n"
    + "c4,UA,p7,endorses,2025-11-20,B,c3\n,EU,p7,demands,2025-11-23,B,C3\nc6,us,p8,rejects,2025-11-19,A,\n"
    + "c7,US,p8,endorses,2025-11-19,A,c6\n",
    "empty id and contradicts columns": "id,actor,target,stance,date,source,contradicts\n"
    + ",US,p7,endorses,2025-11-21,A,\n,RU,p7,rejects,2025-11-22,B,\n",
    "repeat with an id": "id,actor,target,stance,date,source\nx1,US,p7,endorses,2025-11-21,A\n"
    + "x2,US,p7,endorses,2025-11-21,A\n",
    "quote positions": "actor,target,stance,date,source,quote_start,quote_end\n"
    + "US,p7,endorses,2025-11-21,A,0,10\nUS,p7,endorses,2025-11-21,A,00,10\n"
    + "US,p7,endorses,2025-11-21,A,5,10\nUS,p7,endorses,2025-11-21,A,,\n",
    "coders and persons": "actor,target,stance,date,source,person,coder\n"
    + "US,p7,endorses,2025-11-21,A,Rubio,Ana\nUS,p7,endorses,2025-11-21,A,rubio,ana\n"
    + "US,p7,endorses,2025-11-21,A,,ANA\nUS,p7,endorses,2025-11-21,A,Vance,Bo\n",
    "header only": HEADER,
    "unicode spaces": HEADER + "\u00a0US\u2003,p7,endorses,2025-11-21,A\u3000\n",
}


@pytest.mark.parametrize("case", sorted(READ_BY_COLUMNS))
def test_edge_cases_read_by_columns_alike(tmp_path: Path, case: str) -> None:
    path = write(tmp_path, READ_BY_COLUMNS[case])
    assert same(path) == 1
    assert same(path, include_denied=True) == 1


def test_a_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    assert same(write(tmp_path, b"\xef\xbb\xbf" + (HEADER + "US,p7,endorses,2025-11-21,A\n").encode())) == 1


def test_denial_leaves_out_the_row_a_later_row_of_its_actor_contradicts(tmp_path: Path) -> None:
    table = read_statements_csv(write(tmp_path, READ_BY_COLUMNS["id and contradicts"]))
    assert list(table.id) == ["c2", "c3", "c4", "000000006", "c7"]  # c1 and c6 denied; c3 only contested
    assert list(table.contested) == [True, True, True, True, True]


LEFT_TO_THE_ONE_READER = {
    "too few fields": HEADER + "US,p7,endorses,2025-11-21\n",
    "too many fields": HEADER + "US,p7,endorses,2025-11-21,A,B\n",
    "bad date": HEADER + "US,p7,endorses,2025-13-01,A\nRU,p7,rejects,21.11.2025,B\n",
    "no date": HEADER + "US,p7,endorses,,A\n",
    "bad stance": HEADER + "US,p7,likes,2025-11-21,A\n",
    "bad confidence": "actor,target,stance,date,source,confidence\nUS,p7,endorses,2025-11-21,A,1.5\n",
    "bad agreement": "actor,target,agreement,date,source\nUS,p7,yes,2025-11-21,A\n",
    "no source": "actor,target,stance,date,document\nUS,p7,endorses,2025-11-21,Doc\n",
    "no document nor source": HEADER + "US,p7,endorses,2025-11-21,\n",
    "empty actor": HEADER + ",p7,endorses,2025-11-21,A\n",
    "unknown column": "actor,target,stance,date,source,text\nUS,p7,endorses,2025-11-21,A,x\n",
    "no header": "",
    "duplicate id": IDS + "x,US,p7,endorses,2025-11-21,A\nX,RU,p7,rejects,2025-11-21,A\n",
    "contradicts nothing": DENIALS + "x,US,p7,endorses,2025-11-21,A,y\n",
    "contradicts itself": DENIALS + "x,US,p7,endorses,2025-11-21,A,x\n",
    "contradicts an iri": "id,actor,target,stance,date,source,contradicts\n"
    + "x,US,p7,endorses,2025-11-21,A,https://w3id.org/stancegraph/id/stance/zz\n",
    "contradicts a repeat": "id,actor,target,stance,date,source,contradicts\nx,US,p7,endorses,2025-11-21,A,\n"
    + "y,US,p7,endorses,2025-11-21,A,\nz,RU,p7,endorses,2025-11-21,A,y\n",
    "actor iri": HEADER + "https://example.org/us,p7,endorses,2025-11-21,A\n",
    "stray quote": HEADER + 'US,p"7,endorses,2025-11-21,A\n',
    "text after a quote": HEADER + 'US,"p7"x,endorses,2025-11-21,A\n',
    "unclosed quote": HEADER + 'US,"p7,endorses,2025-11-21,A\n',
    "lone carriage return": HEADER + "US,p7,endorses,2025-11-21,A\rRU,p7,rejects,2025-11-21,A\n",
    "two titles of a source": "actor,target,stance,date,document,source\n"
    + "US,p7,endorses,2025-11-21,Report A,X\nRU,p7,endorses,2025-11-21,report a,X\n",
    "bad quote positions": "actor,target,stance,date,source,quote_start,quote_end\n"
    + "US,p7,endorses,2025-11-21,A,9,3\n",
    "a name without letters": HEADER + "!!,p7,endorses,2025-11-21,A\n",
    "unit separator": HEADER + "US\x1f,p7,endorses,2025-11-21,A\n",
    "not utf-8": (HEADER + "US,p7,endorses,2025-11-21,A\n").encode() + b"R\xffU,p7,rejects,2025-11-21,A\n",
    "a statement id twice": "id,actor,target,stance,date,source\n000000003,US,p7,endorses,2025-11-21,A\n"
    + ",RU,p7,endorses,2025-11-21,A\n",
}


@pytest.mark.parametrize("case", sorted(LEFT_TO_THE_ONE_READER))
def test_files_the_columns_cannot_vouch_for_give_the_one_readers_answer(tmp_path: Path, case: str) -> None:
    path = write(tmp_path, LEFT_TO_THE_ONE_READER[case])
    checked, fast, columnar = read_both(path)
    assert fast == checked if not isinstance(checked, pl.DataFrame) else fast.equals(checked)
    if case != "a statement id twice":  # that one passes the rows, and the table refuses it either way
        assert columnar == 0
        with pytest.raises(NotColumnar):
            columnar_rows(path)
    assert isinstance(checked, pl.DataFrame) == (case in ACCEPTED_BY_THE_ONE_READER)


#: Files the one reader takes (the csv module reads a stray quote, a lone carriage return ends a line, ...)
#: but the columns do not vouch for.
ACCEPTED_BY_THE_ONE_READER = ("lone carriage return", "stray quote", "text after a quote", "unit separator")


def test_a_name_that_is_not_csv_is_left_to_the_one_reader(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "US,p7,endorses,2025-11-21,A\n", name="table.txt")
    checked, fast, columnar = read_both(path)
    assert fast == checked and columnar == 0 and "must end in .csv" in checked[0][0]


def test_open_files_read_alike(tmp_path: Path) -> None:
    text = READ_BY_COLUMNS["id and contradicts"]
    expected = frame(_checked_statements(io.StringIO(text)))
    before = READS["columnar"]
    assert_frame_equal(frame(read_statements_csv(io.StringIO(text))), expected)
    assert_frame_equal(frame(read_statements_csv(io.BytesIO(text.encode()))), expected)
    marked = io.BytesIO(b"\xef\xbb\xbf" + text.encode())
    assert_frame_equal(frame(read_statements_csv(marked)), expected)
    assert READS["columnar"] == before + 3
    with pytest.raises(ValidationError) as refused:  # a text stream keeps its mark: an unknown column
        read_statements_csv(io.StringIO("\ufeff" + text))
    assert "unknown column" in refused.value.violations[0].message


def test_a_store_or_strict_reads_the_one_way(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "US,p7,endorses,2025-11-21,A\n")
    before = READS["columnar"]
    with pytest.raises(ValidationError):
        read_statements_csv(path, strict=True)
    assert READS["columnar"] == before


# -- (d) any table: hypothesis ---------------------------------------------------------------------------
_CELLS = {
    "actor": ["US", "us", " U.S. ", "Ukraine", "ÜS", "", "Smith, John", "!!"],
    "target": ["p7", "P7", "point 7", "p\n8", "p8"],
    "stance": ["endorses", "Rejects", "concedes", "demands", "neutral", "likes"],
    "agreement": ["1", "0", "-1", "2", "x", ""],
    "date": ["2025-11-21", "2025-11-22", "2025-11-21 10:00", "2025-11-21T10:00:00", "2025-02-30", ""],
    "source": ["Axios", "axios", "", "https://www.example.org/a", 'TASS "x"'],
    "document": ["", "Doc 1", "doc 1", "Doc, 2"],
    "person": ["", "Rubio", "rubio"],
    "coder": ["", "Ana", "ana", "Bo"],
    "confidence": ["", "0.5", "1", "0.50", "2"],
    "quote": ["", "a, b", 'say "no"'],
}
_OPTIONAL = ("document", "person", "coder", "confidence", "quote", "id")


@st.composite
def tables(draw: st.DrawFn) -> str:
    coded = draw(st.sampled_from(["stance", "agreement"]))
    columns = ["actor", "target", coded, "date", "source"] + draw(
        st.lists(st.sampled_from(_OPTIONAL), unique=True)
    )
    denials = draw(st.booleans())
    if denials:
        columns += ["id", "contradicts"] if "id" not in columns else ["contradicts"]
    clean = draw(st.booleans())  # mostly good cells: the columnar reading is then taken
    rows = []
    n = draw(st.integers(0, 12))
    for i in range(n):
        row = {}
        for name in columns:
            choices = _CELLS.get(name)
            if name == "id":
                row[name] = draw(st.sampled_from([f"r{i}", f"r{i}", "", f"R{i // 2}"]))
            elif name == "contradicts":
                row[name] = draw(st.sampled_from(["", "", f"r{draw(st.integers(0, max(n - 1, 0)))}"]))
            elif clean:
                row[name] = draw(st.sampled_from([c for c in choices if _good(name, c)]))
            else:
                row[name] = draw(st.sampled_from(choices))
        rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        if draw(st.integers(0, 9)) == 0:
            out.write("\n")
    text = out.getvalue()
    quirk = draw(st.sampled_from(["", "", "", "bom", "ragged", "spaces", "stray quote", "crlf lone cr"]))
    return {
        "": text,
        "bom": "\ufeff" + text,
        "ragged": text + "US,p7\n",
        "spaces": text + "   \n",
        "stray quote": text.replace("p7", 'p"7', 1),
        "crlf lone cr": text.replace("\n", "\r", 1),
    }[quirk]


def _good(name: str, cell: str) -> bool:
    bad = {"actor": ("", "!!"), "stance": ("likes",), "agreement": ("x", ""), "date": ("2025-02-30", "")}
    return cell not in bad.get(name, ()) and not (name == "source" and cell == "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=tables())
def test_any_table_reads_alike(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    same(path)
    same(path, include_denied=True)


def test_the_table_columns_have_the_types_of_the_records_path(tmp_path: Path) -> None:
    table = read_statements_csv(write(tmp_path, READ_BY_COLUMNS["integer agreement"]))
    assert [type(q) for q in table.qualifier] == [
        int
    ] * 4  # +2 repeats 02 and table.date.dtype == np.dtype("datetime64[D]")


def test_an_empty_store_is_no_store(tmp_path: Path) -> None:
    path = tmp_path / "synth.csv"
    write_statements_csv(path, 500, seed=8, contradicts_share=0.1)
    with open_store() as store:
        checked = frame(_checked_statements(path, store=store))
        before = READS["columnar"]
        assert_frame_equal(frame(read_statements_csv(path, store=store)), checked)
        assert READS["columnar"] == before + 1
        store.load([Quad(NamedNode("https://example.org/a"), RDF_TYPE, NamedNode("https://example.org/B"))])
        read_statements_csv(path, store=store)
        assert READS["columnar"] == before + 1  # a store with anything in it: names may resolve to it


def test_an_agreement_too_large_for_64_bits_is_left_to_the_one_reader(tmp_path: Path) -> None:
    path = write(tmp_path, "actor,target,agreement,date,source\nUS,p7,99999999999999999999,2025-11-21,A\n")
    with pytest.raises(NotColumnar):
        columnar_rows(path)
    checked, fast, _ = read_both(path)
    assert fast == checked

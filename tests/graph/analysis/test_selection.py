"""The store's stances as a statements table: the same networks on the graph as on a CSV."""

from __future__ import annotations

import io

import numpy as np
import pytest

from stancegraph.graph.analysis import read_statements_csv
from stancegraph.graph.analysis.networks import one_mode, two_mode
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.errors import UnknownEntityError

E3 = ["France", "Germany", "United Kingdom"]


def _cell(network, a, b):
    return float(network.to_dense()[network.row_labels.index(a), network.column_labels.index(b)])


def test_every_stance_becomes_one_statement(bundled):
    st = statements_from_store(bundled, include_denied=True)
    assert len(st) == bundled.counts().stances == 76
    held = statements_from_store(bundled)  # the denied claim is no one's position (issue 11)
    assert set(st.id) - set(held.id) == {"umerov-claim"}
    assert len(set(st.id)) == len(st)
    assert set(st.stance) <= {"endorses", "rejects", "concedes", "demands", "neutral"}
    assert all(d.startswith("st-") or d for d in st.document)
    assert not np.isnat(st.date).any()


def test_e3_members_agree_with_each_other_and_conflict_with_the_us_on_us28(bundled):
    st = statements_from_store(bundled, plan="us-28")
    congruence = one_mode(st, aggregation="congruence")
    conflict = one_mode(st, aggregation="conflict")
    for a in E3:
        for b in E3:
            if a != b:
                assert _cell(congruence, a, b) >= 5  # the five US points they reject together
                assert _cell(conflict, a, b) == 0
        assert _cell(conflict, a, "United States") > 0
        assert _cell(congruence, a, "United States") == 0


def test_plan_selects_the_plan_and_its_points_only(bundled):
    every = statements_from_store(bundled)
    us28 = statements_from_store(bundled, plan="us-28")
    assert 0 < len(us28) < len(every)
    assert "US 28-point peace plan" in set(us28.target)
    assert "E3 counter-proposal" not in set(us28.target)


def test_filters_by_date_source_and_actor(bundled):
    late = statements_from_store(bundled, since="2025-11-23")
    assert len(late) and (late.date >= np.datetime64("2025-11-23")).all()
    early = statements_from_store(bundled, until="2025-11-20")
    assert len(early) and (early.date <= np.datetime64("2025-11-20")).all()
    uk = statements_from_store(bundled, actors=["uk"])
    assert set(uk.actor) == {"United Kingdom"} and len(uk) == 6
    one_source = statements_from_store(bundled, source=str(uk.source[0]))
    assert set(one_source.source) == {uk.source[0]}
    with pytest.raises(UnknownEntityError):
        statements_from_store(bundled, plan="atlantis")


def test_labels_are_unique_and_ids_are_available(bundled):
    st = statements_from_store(bundled, labels="id")
    assert "us" in set(st.actor) and "us-28/7" in set(st.target)
    labelled = statements_from_store(bundled)
    targets = {(i, t) for i, t in zip(st.target, labelled.target, strict=True)}
    # one label per target id and one id per label
    assert len({i for i, _ in targets}) == len({t for _, t in targets}) == len(targets)
    with pytest.raises(ValueError, match="labels="):
        statements_from_store(bundled, labels="name")


def test_the_store_and_a_csv_of_the_same_stances_give_the_same_network(bundled):
    st = statements_from_store(bundled, plan="us-28")
    text = io.StringIO()
    text.write("id,actor,target,stance,date,document,source\n")  # validate wants a source's publisher
    for row in zip(st.id, st.actor, st.target, st.stance, st.date, st.document, st.source, strict=True):
        text.write(",".join(f'"{v}"' for v in row) + "\n")
    text.seek(0)
    from_csv = read_statements_csv(text)
    for agg in ("congruence", "conflict", "subtract"):
        a, b = one_mode(st, aggregation=agg), one_mode(from_csv, aggregation=agg)
        assert a.row_labels == b.row_labels and np.array_equal(a.to_dense(), b.to_dense())
    assert np.array_equal(
        two_mode(st, aggregation="subtract").to_dense(), two_mode(from_csv, aggregation="subtract").to_dense()
    )


def test_a_coded_agreement_column_reaches_the_network_through_the_store(store, tmp_path):
    from stancegraph.graph import ingest

    csv_path = tmp_path / "dna.csv"
    csv_path.write_text(
        "actor,target,agreement,date,document,source\n"
        "Alpha,tax cut,5,2024-01-02,doc one,Reuters\n"
        "Beta,tax cut,4,2024-01-03,doc one,Reuters\n"
        "Gamma,tax cut,-5,2024-01-04,doc two,AP\n",
        encoding="utf-8",
    )
    ingest(store, csv_path)
    st = statements_from_store(store)
    assert st.qualifier_kind.value == "integer"
    from_store = one_mode(st, aggregation="congruence")
    from_csv = one_mode(read_statements_csv(csv_path), aggregation="congruence")
    assert from_store.row_labels == from_csv.row_labels == ("Alpha", "Beta", "Gamma")
    assert np.allclose(from_store.to_dense(), from_csv.to_dense())
    assert _cell(from_store, "Alpha", "Beta") == pytest.approx(0.9)  # 1 - |5 - 4| / 10


#: A table in the Discourse Network Analyzer's words: two coders, times of day, an integer scale.
DNA = (
    "person,organization,concept,agreement,time,coder,document_title,document_source\n"
    "Witkoff,United States,Point 7,2,2025-11-22 10:00:00,Ana,US plan text,Axios\n"
    "Witkoff,United States,Point 7,2,2025-11-22 10:00:00,Ben,US plan text,Axios\n"
    ",Russia,Point 7,1,2025-11-23 09:00:00,Ana,Kremlin readout,TASS\n"
    ",Russia,Point 7,-1,2025-11-23 09:00:00,Ben,Kremlin readout,TASS\n"
    ",Ukraine,Point 7,-2,2025-11-23 18:30:00,Ana,Address,Office of the President\n"
    ",Ukraine,Point 8,2,2025-11-24 08:00:00,Ben,Address,Office of the President\n"
)


@pytest.mark.parametrize("people", [False, True], ids=["organizations", "people"])
def test_a_dna_table_and_its_loaded_store_give_the_same_table_and_networks(store, tmp_path, people):
    from stancegraph.graph import ingest

    text = DNA
    if people:  # no organization column: the person is the actor
        lines = [line.split(",") for line in DNA.splitlines()]
        text = "".join(",".join([cells[0] or cells[1], *cells[2:]]) + "\n" for cells in lines)
    path = tmp_path / "dna.csv"
    path.write_text(text, encoding="utf-8")
    ingest(store, path)
    from_store, from_csv = statements_from_store(store), read_statements_csv(path)
    columns = ("actor", "target", "person", "coder", "date", "qualifier")
    rows = [
        sorted(zip(*(getattr(t, c).tolist() for c in columns), strict=True)) for t in (from_store, from_csv)
    ]
    assert rows[0] == rows[1]
    assert sorted(from_csv.coder) == ["Ana", "Ana", "Ana", "Ben", "Ben", "Ben"]
    assert ("Witkoff" in set(from_csv.actor)) is people and (set(from_csv.person) == {None}) is people
    assert "Ana" not in set(from_csv.actor) | set(from_csv.person.tolist())  # a coder is no actor
    for agg in ("congruence", "conflict", "subtract"):
        a, b = one_mode(from_store, aggregation=agg), one_mode(from_csv, aggregation=agg)
        assert a.row_labels == b.row_labels and np.allclose(a.to_dense(), b.to_dense())
        assert not set(a.row_labels) & {"Ana", "Ben"}
    for agg in ("ignore", "subtract", "combine"):
        a, b = two_mode(from_store, aggregation=agg), two_mode(from_csv, aggregation=agg)
        assert a.row_labels == b.row_labels and np.allclose(a.to_dense(), b.to_dense())

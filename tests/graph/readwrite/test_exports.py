"""Exports for Gephi, Cytoscape and spreadsheets: each output parses back to the same graph."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from stancegraph.graph.analysis.documents import network_document, network_text
from stancegraph.graph.analysis.networks import one_mode, two_mode
from stancegraph.graph.analysis.statements_table import Statements
from stancegraph.graph.analysis.windows import time_windows
from stancegraph.graph.readwrite.exports import (
    network_graph,
    to_csv_tables,
    to_cytoscape_json,
    to_gexf,
    to_graphml,
    windowed_graph,
    write_graph,
)


@pytest.fixture
def statements() -> Statements:
    rows = [
        ("A", "p", "endorses", 1),
        ("B", "p", "endorses", 2),
        ("C", "p", "rejects", 3),
        ("A", "q", "rejects", 4),
        ("C", "q", "rejects", 5),
        ("B", "q", "endorses", 6),
    ]
    return Statements.from_records(
        [{"actor": a, "target": t, "stance": s, "date": f"2025-11-0{d}"} for a, t, s, d in rows]
    )


def test_gexf_parses_back_with_weights(statements):
    graph = network_graph(one_mode(statements, aggregation="subtract"))
    back = nx.read_gexf(io.BytesIO(to_gexf(graph).encode()))
    assert set(back.nodes) == {"A", "B", "C"}
    assert {tuple(sorted(e)) for e in back.edges} == {tuple(sorted(e)) for e in graph.edges}
    for u, v, w in graph.edges(data="weight"):
        assert back.edges[u, v]["weight"] == pytest.approx(w)


def test_windowed_gexf_is_dynamic_with_spells(statements):
    windows = time_windows(statements, size=3, aggregation="congruence")
    graph = windowed_graph(windows)
    text = to_gexf(graph)
    assert 'version="1.2"' in text and 'mode="dynamic"' in text and "<spell" in text
    back = nx.read_gexf(io.BytesIO(text.encode()))
    assert back.graph["mode"] == "dynamic"
    spells = back.edges["A", "B"]["spells"]
    assert spells[0] == ("2025-11-01", "2025-11-03")
    assert len(spells) == sum(1 for w in windows if w.network.matrix[[0], [1]].sum() > 0)


def test_graphml_has_only_scalar_attributes_and_parses_back(statements):
    graph = windowed_graph(time_windows(statements, size=3, aggregation="congruence"))
    text = to_graphml(graph)
    back = nx.read_graphml(io.StringIO(text))
    assert set(back.nodes) == set(graph.nodes)
    assert back.edges["A", "B"]["spells"].startswith("2025-11-01/2025-11-03")
    assert isinstance(back.edges["A", "B"]["weight"], float)


def test_cytoscape_json_has_elements_with_data(statements):
    graph = network_graph(two_mode(statements, aggregation="subtract"))
    doc = json.loads(to_cytoscape_json(graph))
    nodes = {n["data"]["id"]: n["data"] for n in doc["elements"]["nodes"]}
    assert nodes["A"]["kind"] == "actor" and nodes["p"]["kind"] == "target"
    edges = {
        (e["data"]["source"], e["data"]["target"]): e["data"]["weight"] for e in doc["elements"]["edges"]
    }
    assert edges[("A", "p")] == 1.0 and edges[("A", "q")] == -1.0
    assert nx.cytoscape_graph(doc).number_of_edges() == graph.number_of_edges()


def test_csv_tables_carry_every_attribute(statements):
    graph = windowed_graph(time_windows(statements, size=3, aggregation="congruence"))
    nodes, edges = to_csv_tables(graph)
    node_rows = list(csv.DictReader(io.StringIO(nodes)))
    assert {r["id"] for r in node_rows} == {"A", "B", "C"} and {"kind", "label"} <= set(node_rows[0])
    edge_rows = list(csv.DictReader(io.StringIO(edges)))
    assert {"source", "target", "weight", "spells", "value"} <= set(edge_rows[0])
    assert len(edge_rows) == graph.number_of_edges()


def test_tuples_in_an_influence_style_graph_are_flattened():
    graph = nx.DiGraph()
    graph.add_edge("a", "b", demands=("d1", "d2"), weight=2.0, note=None)
    assert nx.read_graphml(io.StringIO(to_graphml(graph))).edges["a", "b"]["demands"] == "d1; d2"
    assert nx.read_gexf(io.BytesIO(to_gexf(graph).encode())).edges["a", "b"]["demands"] == "d1; d2"
    with pytest.raises(ValueError, match="valid"):
        write_graph(graph, "pajek")


def test_network_csv_is_the_labelled_matrix_in_label_order(statements):
    text = network_text(one_mode(statements, aggregation="congruence"), "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["", "A", "B", "C"] and [r[0] for r in rows[1:]] == ["A", "B", "C"]
    assert rows[1][2] == "1"  # A and B both endorse p


def test_network_documents_from_the_store(bundled):
    for fmt in ("json", "gexf", "graphml", "csv"):
        text = network_document(bundled, format=fmt, plan="us-28", aggregation="conflict")
        assert "United States" in text
    doc = json.loads(network_document(bundled, format="json", plan="us-28", aggregation="conflict"))
    edges = {frozenset((e["data"]["source"], e["data"]["target"])) for e in doc["elements"]["edges"]}
    assert frozenset(("France", "United States")) in edges


def test_csv_outputs_put_a_quote_before_labels_a_spreadsheet_would_run():
    formula = "=cmd|' /C calc'!A0"
    st = Statements.from_records(
        [
            {"actor": a, "target": "@p", "stance": s, "date": "2025-11-01"}
            for a, s in ((formula, "endorses"), ("B", "rejects"))
        ]
    )
    network = one_mode(st, aggregation="subtract")
    matrix = list(csv.reader(io.StringIO(network_text(network, "csv"))))
    assert matrix == [["", "'" + formula, "B"], ["'" + formula, "0", "-1"], ["B", "-1", "0"]]
    windows = list(
        csv.DictReader(io.StringIO(network_text(time_windows(st, size=1, aggregation="subtract"), "csv")))
    )
    assert {r["row"] for r in windows} == {"'" + formula, "B"} and {r["value"] for r in windows} == {"-1"}
    nodes, edges = to_csv_tables(network_graph(two_mode(st)))
    assert {r["id"] for r in csv.DictReader(io.StringIO(nodes))} == {"'" + formula, "B", "'@p"}
    assert {frozenset((r["source"], r["target"])) for r in csv.DictReader(io.StringIO(edges))} == {
        frozenset(("'" + formula, "'@p")),
        frozenset(("B", "'@p")),
    }

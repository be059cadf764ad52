"""The analysis routes after writes through the service: the stance table is never read stale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from stancegraph.graph.analysis.documents import build_network, network_text
from stancegraph.graph.analysis.selection import statements_from_store
from stancegraph.graph.analysis.sparql_selection import statements_by_sparql
from stancegraph.graph.queries.stance_table import TABLE_FILE, build_stance_table
from stancegraph.graph.store import open_store

from ..conftest import in_process_service

SG = "https://w3id.org/stancegraph/ontology#"
ID = "https://w3id.org/stancegraph/id/"
_REJECTION = f"""
SELECT ?s ?g WHERE {{
  GRAPH ?g {{ ?s <{SG}actor> <{ID}actor/france> ; <{SG}stanceType> <{SG}Rejects> }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s <{SG}contradicts> ?x }} }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?y <{SG}contradicts> ?s }} }}
}} ORDER BY ?s LIMIT 1
"""


def _network(service) -> str:
    """The route's agreement network, checked against the same network from the SPARQL reference."""
    response = service.client.get(
        "/api/analysis/network", params={"aggregation": "congruence", "format": "csv"}
    )
    assert response.status_code == 200
    with open_store(service.folder / "store", read_only=True) as view:
        expected = network_text(build_network(statements_by_sparql(view), aggregation="congruence"), "csv")
    assert response.text == expected
    return response.text


def _check_against_the_reference(folder: Path) -> None:
    """The table read through a fresh read-only view (as the query workers open the folder) equals the
    SPARQL reference on the same view."""
    with open_store(folder / "store", read_only=True) as view:
        table = statements_from_store(view, include_denied=True)
        reference = statements_by_sparql(view, include_denied=True)
    for name in ("id", "actor", "target", "stance", "qualifier", "document", "person", "coder"):
        assert list(getattr(table, name)) == list(getattr(reference, name)), name
    assert np.array_equal(table.date, reference.date)
    assert np.array_equal(table.confidence, reference.confidence, equal_nan=True)


def _assert_table_written_by_the_write(folder: Path) -> None:
    """Before any analysis has asked, the Parquet table beside the store is stamped with the version the
    write left and holds what a build from the store gives."""
    file = folder / "store" / TABLE_FILE
    with open_store(folder / "store", read_only=True) as view:
        assert pl.read_parquet_metadata(file)["stancegraph.version"] == view.version
        assert pl.read_parquet(file).equals(build_stance_table(view))


def test_sparql_update_and_graph_store_writes_reach_the_analysis(tmp_path: Path):
    with in_process_service(tmp_path) as service:
        before = _network(service)
        _check_against_the_reference(tmp_path)
        with open_store(tmp_path / "store", read_only=True) as view:
            ((stance, graph),) = [(s.value, g.value) for s, g in view.query(_REJECTION)]
            triples = view.query(
                f"CONSTRUCT {{ <{stance}> ?p ?o }} WHERE {{ GRAPH <{graph}> {{ <{stance}> ?p ?o }} }}"
            )
            copy = "\n".join(f"<{stance}-copy> <{t.predicate.value}> {t.object} ." for t in triples)
        update = (
            f"DELETE DATA {{ GRAPH <{graph}> {{ <{stance}> <{SG}stanceType> <{SG}Rejects> }} }} ; "
            f"INSERT DATA {{ GRAPH <{graph}> {{ <{stance}> <{SG}stanceType> <{SG}Endorses> }} }}"
        )
        answer = service.client.post("/sparql", data={"update": update}, headers=service.auth)
        assert answer.status_code in (200, 204), answer.text
        _assert_table_written_by_the_write(tmp_path)
        updated = _network(service)
        assert updated != before
        _check_against_the_reference(tmp_path)
        posted = service.client.post(
            "/store",
            params={"graph": graph},
            content=copy,
            headers={**service.auth, "Content-Type": "application/n-triples"},
        )
        assert posted.status_code in (200, 204), posted.text
        _assert_table_written_by_the_write(tmp_path)
        assert _network(service) != updated
        _check_against_the_reference(tmp_path)

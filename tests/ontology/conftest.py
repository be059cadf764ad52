"""Fixtures for the ontology tests: the parsed ontology and shapes (session-wide, read-only)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from stancegraph.ontology import ontology_graph, shapes_graph


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """The ontology graph; tests must not change it."""
    return ontology_graph()


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """The shapes graph; tests must not change it."""
    return shapes_graph()

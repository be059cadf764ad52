"""The OpenAPI document groups each operation under one tag, and each option enum under one schema."""

from __future__ import annotations

import pytest

from stancegraph.api.service.app import create_app
from stancegraph.api.service.settings import Settings


@pytest.fixture(scope="module")
def document() -> dict:
    return create_app(Settings(load_bundled=False)).openapi()


def _operations(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_has_one_tag(document):
    tags = {(path, method): operation.get("tags") for path, method, operation in _operations(document)}
    assert {key: value for key, value in tags.items() if value is None or len(value) != 1} == {}
    assert {tags["/store", method][0] for method in ("get", "put", "post", "delete")} == {"Graph Store"}
    assert {tags["/sparql", method][0] for method in ("get", "post")} == {"SPARQL"}


def test_the_option_enums_are_the_librarys(document):
    from stancegraph.graph.analysis import Aggregation, NetworkFormat, NetworkType
    from stancegraph.graph.drawing import AGREEMENT_AGGREGATIONS

    components = document["components"]["schemas"]
    assert components["Aggregation"]["enum"] == [a.value for a in Aggregation]
    assert components["AgreementAggregation"]["enum"] == [a.value for a in AGREEMENT_AGGREGATIONS]
    assert components["NetworkType"]["enum"] == [t.value for t in NetworkType]
    assert components["NetworkFormat"]["enum"] == [f.value for f in NetworkFormat]
    assert not [name for name in components if "__" in name]  # no two schemas of one name

"""The OpenAPI schema, fuzzed by schemathesis against a real service over HTTP.

Every operation of ``/openapi.json`` gets its examples, the coverage cases (boundary and invalid values)
and a few random ones, sent with the bearer token so that the writes run too (to a store of this module's
own). Each response must not be a server error, and its status code, content type and body must be the
ones the schema declares: errors included, as ``application/problem+json``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import Service, running_service

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Bodies schemathesis has no serializer for: SPARQL text and RDF syntaxes, each declared as a string.
_TEXT_BODIES = (
    "application/sparql-query",
    "application/sparql-update",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
    "application/x-turtle",
    "application/turtle",
)


@schemathesis.serializer(*_TEXT_BODIES)
def _as_text(context: schemathesis.SerializationContext, value: object) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A service of this module's own: the fuzzed writes change its store."""
    with running_service(tmp_path_factory.mktemp("fuzzed")) as running:
        yield running


@pytest.fixture(scope="module")
def openapi(fuzzed: Service) -> schemathesis.BaseSchema:
    """The schema as the running service serves it."""
    return schemathesis.openapi.from_url(fuzzed.url + "/openapi.json", timeout=60)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32's from_fixture reads (and rewrites) ``item._nodeid``, which pytest 9.2 no longer
    # has (it keeps a structured ``_id``); give it the plain id to read. Drop once schemathesis adapts.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("openapi")


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_every_operation_answers_as_documented(case: schemathesis.Case, fuzzed: Service) -> None:
    case.call_and_validate(headers=fuzzed.auth, checks=CHECKS, timeout=60)

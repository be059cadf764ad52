"""The OpenAPI schema, fuzzed by schemathesis against the service in-process, over ASGI.

Every operation of ``/openapi.json`` gets its examples, the coverage cases (boundary and invalid values)
and a few random ones, sent with the bearer token so that the writes run too (to a store of this module's
own). Each response must not be a server error, and its status code, content type and body must be the
ones the schema declares: errors included, as ``application/problem+json``.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stancegraph.api.service.app import create_app
from stancegraph.api.service.settings import Settings

from .conftest import IN_PROCESS_URL, TOKEN

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


AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app over a store of this module's own (the fuzzed writes change it), built as ``stancegraph serve``
    builds it. schemathesis reaches it over ASGI and runs its lifespan: from the first request (the schema's)
    until the test ends (schemathesis's pytest plugin shuts it down in the test's teardown).

    Its query deadline is 120 s, not 10 s: this test checks the answers against the schema, and on a loaded
    2-core machine a worker's first analysis (importing networkx, SciPy, polars) took over 10 s, a 503 by
    design (the deadline's own behaviour is tested in test_hardening.py)."""
    chosen = Settings(store=tmp_path_factory.mktemp("fuzzed") / "store", token=TOKEN, query_timeout=120)
    return create_app(chosen)


@pytest.fixture(scope="module")
def openapi(fuzzed: FastAPI) -> schemathesis.BaseSchema:
    """The schema as the app serves it (asked under a loopback name, which the Host check lets in)."""
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed, headers={"Host": "127.0.0.1:8000"})


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
def test_every_operation_answers_as_documented(case: schemathesis.Case) -> None:
    case.call_and_validate(base_url=IN_PROCESS_URL, headers=AUTH, checks=CHECKS, timeout=60)

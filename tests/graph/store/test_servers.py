"""Which server a base URL belongs to, and where its three URLs are."""

from __future__ import annotations

import pytest

from stancegraph.graph.store import PROFILES, ServerKind, role_urls
from stancegraph.graph.store.servers import identify_server


@pytest.mark.parametrize(
    ("server", "kind"),
    [
        ("stancegraph", ServerKind.STANCEGRAPH),
        ("uvicorn, stancegraph", ServerKind.STANCEGRAPH),
        ("oxigraph/0.4.11", ServerKind.OXIGRAPH),
        ("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", ServerKind.VIRTUOSO),
        ("uvicorn", ServerKind.GENERIC),
    ],
)
def test_the_server_header_names_the_server(server, kind):
    assert identify_server({"Server": server}, "") is kind


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://127.0.0.1:8000/", "http://127.0.0.1:8000/sparql"]
)
def test_the_stancegraph_service_has_its_routes_below_its_base_url(url):
    roles = role_urls(ServerKind.STANCEGRAPH, url)
    assert (roles.query_url, roles.update_url, roles.store_url) == (
        "http://127.0.0.1:8000/sparql",
        "http://127.0.0.1:8000/sparql",
        "http://127.0.0.1:8000/store",
    )
    assert roles.profile is PROFILES[ServerKind.STANCEGRAPH]
    assert roles.profile.union_parameter == "union-default-graph"

"""A store reached through `stancegraph serve` has a version (GET /api/version), so its stance table is
cached on the client and built again after every write; a server with no version query has none."""

from __future__ import annotations

import io

import httpx
import pytest

from stancegraph.graph.ingestion import ingest
from stancegraph.graph.queries.stance_table import build_stance_table, stance_table
from stancegraph.graph.store import open_store

from ...conftest import running_oxigraph
from .conftest import running_service

_MORE = "actor,target,stance,date,source\nPoland,us-28/6,rejects,2025-11-24,Polish government\n"


def test_the_table_of_a_store_behind_the_service_is_cached_by_its_version(tmp_path):
    with running_service(tmp_path) as service:
        with open_store(endpoint=service.url, token=service.token) as remote:
            version = remote.version
            assert version is not None
            assert httpx.get(service.url + "/api/version").json() == {"store_version": version}
            first = stance_table(remote)
            assert stance_table(remote) is first  # no write since: the same table, not fetched again
            with open_store(tmp_path / "store", read_only=True) as view:
                assert first.equals(build_stance_table(view))  # what the service's own folder holds

            report = ingest(remote, ("more.csv", io.StringIO(_MORE)))  # through the service's /sparql
            assert remote.version not in (None, version)
            assert report.stance_table  # rebuilt after the write, for the new version
            after = stance_table(remote)
            assert after is not first and after.height == first.height + 1
            assert after.equals(build_stance_table(remote))
            assert "Poland" in after["actor_label"].to_list()


@pytest.mark.remote
def test_a_server_without_a_version_query_has_no_version(tmp_path):
    with running_oxigraph(tmp_path) as server, open_store(endpoint=server.url) as remote:
        assert remote.version is None
        ingest(remote, ("more.csv", io.StringIO(_MORE)))
        assert stance_table(remote) is not stance_table(remote)  # built afresh for each reader

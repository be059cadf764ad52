"""A real service on a loopback port: ``stancegraph serve`` started as a subprocess, one per session.

``service`` holds the bundled data set and accepts writes with :data:`TOKEN`; tests that write use
graphs of their own under ``http://example.org/`` and remove them. ``running_service`` starts more, with
other settings (a short deadline, a small row limit).
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

TOKEN = "test-token-8b1f"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_READY_TRIES = 1200  # polls 50 ms apart: workers spawn and the bundled data loads first


@dataclass(frozen=True)
class Service:
    url: str
    token: str
    folder: Path
    log: Path
    pid: int = 0

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@contextlib.contextmanager
def running_service(
    folder: Path, *options: str, load_bundled: bool = True, endpoint: str | None = None
) -> Iterator[Service]:
    """Start ``stancegraph --store FOLDER/store serve`` on a free port; stop it afterwards.

    With ``endpoint`` the service fronts that SPARQL server (``--endpoint URL``) instead of a folder.
    """
    log = folder / "service.log"
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "stancegraph.api",
        *(["--endpoint", endpoint] if endpoint else ["--store", str(folder / "store")]),
        "serve",
        "--port",
        str(port),
        "--token",
        TOKEN,
        *options,
    ]
    if not load_bundled:
        command.append("--no-load-bundled")
    with log.open("ab") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(_READY_TRIES):
            if process.poll() is not None:
                pytest.fail(f"the service exited early; its log:\n{log.read_text(errors='replace')[-4000:]}")
            try:
                if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        else:
            pytest.fail(f"the service did not answer; its log:\n{log.read_text(errors='replace')[-4000:]}")
        yield Service(url, TOKEN, folder, log, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service over the bundled data set (deadline 10 s, the default)."""
    with running_service(tmp_path_factory.mktemp("service")) as running:
        yield running


@pytest.fixture(scope="session")
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=60) as http:
        yield http


class Listener(http.server.BaseHTTPRequestHandler):
    """A SPARQL-looking server that records the path of every request it gets in ``Listener.hits``."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[]}}')

    do_POST = do_GET

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def listening() -> Iterator[str]:
    """Run a :class:`Listener` on a free loopback port (hits cleared); yields its base URL."""
    Listener.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

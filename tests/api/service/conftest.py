"""The service under test: in this process (most tests), or ``stancegraph serve`` as a real process.

``service`` and ``client`` are the app of :func:`~stancegraph.api.service.app.create_app` over the bundled
data set, built as ``stancegraph serve`` builds it and run in this process, one per session: an event loop
in a thread of its own runs the app's lifespan (the store opened, the query runner and its worker processes
started), and the client sends each request to the app on that loop through httpx's ASGI transport, with
no socket and no uvicorn. It accepts writes with :data:`TOKEN`; tests that write use graphs of their own
under ``http://example.org/`` and remove them. :func:`in_process_service` builds more, with other settings.

:func:`running_service` starts ``stancegraph serve`` on a free loopback port, for the tests that need a
real process: the command line, sockets (slow clients, half-sent bodies, clients that speak HTTP through
urllib), deadlines, a remote store in front, ``kill -9``.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx
import pytest

from stancegraph.api.service.app import create_app
from stancegraph.api.service.settings import Settings

TOKEN = "test-token-8b1f"

#: The base URL of an in-process service: a loopback name, as the Host check of the app wants it.
IN_PROCESS_URL = "http://127.0.0.1:8000"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_READY_TRIES = 6000  # polls 50 ms apart: workers spawn and the bundled data loads first (minutes when loaded)


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


@dataclass(frozen=True)
class InProcess:
    """An app served in this process: its URL (no socket listens there), token and folder, and its client."""

    url: str
    token: str
    folder: Path
    client: httpx.Client

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@contextlib.asynccontextmanager
async def _lifespan(app: Any) -> AsyncIterator[None]:
    """Speak the ASGI lifespan protocol to ``app`` as uvicorn does: start it up, and shut it down after."""
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
    running = asyncio.create_task(app(scope, to_app.get, from_app.put))

    async def step(name: str) -> None:
        await to_app.put({"type": f"lifespan.{name}"})
        answer = await from_app.get()
        if answer["type"] != f"lifespan.{name}.complete":
            await running  # raises what the app raised
            raise RuntimeError(f"the app's {name} failed: {answer.get('message', '')}")

    await step("startup")
    try:
        yield
    finally:
        await step("shutdown")
        await running


class _OnTheLoop(httpx.BaseTransport):
    """The transport of a plain ``httpx.Client``: each request goes through httpx's ASGI transport to the
    app on the event loop of ``portal`` (where its lifespan runs), and comes back whole."""

    def __init__(self, portal: anyio.from_thread.BlockingPortal, app: Any) -> None:
        self._portal = portal
        # an error in the app is its own answer (a problem, or a 500), as a server would send it
        self._asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # a body given as an iterator becomes bytes, which the ASGI transport can send

        async def send() -> tuple[int, httpx.Headers, bytes]:
            response = await self._asgi.handle_async_request(request)
            raw = b"".join([part async for part in response.aiter_raw()])
            return response.status_code, response.headers, raw

        status, headers, raw = self._portal.call(send)
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(raw))


@contextlib.contextmanager
def in_process_service(folder: Path, *, load_bundled: bool = True, **settings: object) -> Iterator[InProcess]:
    """``create_app`` over FOLDER/store with :data:`TOKEN` and ``settings``, run until the block ends.

    The lifespan runs first (the store opened, filled with the bundled data when empty and ``load_bundled``,
    the query workers started). The client may be used from several threads at once: their requests are
    served side by side on the one event loop, as uvicorn serves them.
    """
    app = create_app(Settings(store=folder / "store", token=TOKEN, load_bundled=load_bundled, **settings))
    with contextlib.ExitStack() as stack:
        portal = stack.enter_context(anyio.from_thread.start_blocking_portal())
        stack.enter_context(portal.wrap_async_context_manager(_lifespan(app)))
        client = stack.enter_context(
            httpx.Client(transport=_OnTheLoop(portal, app), base_url=IN_PROCESS_URL, timeout=60)
        )
        yield InProcess(IN_PROCESS_URL, TOKEN, folder, client)


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """The service over the bundled data set (deadline 10 s, the default), in this process."""
    with in_process_service(tmp_path_factory.mktemp("service")) as running:
        yield running


@pytest.fixture(scope="session")
def client(service: InProcess) -> httpx.Client:
    """A client of :func:`service`."""
    return service.client


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

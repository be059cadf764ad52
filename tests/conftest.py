"""Fixtures shared by every test: a real Oxigraph server, and ``store`` over each backend.

``store`` is parametrised over ``memory``, ``disk`` and ``remote``, so a test that takes it runs three
times; the remote runs carry the ``remote`` marker (deselect them with ``-m "not remote"``). The remote
backend talks to one Oxigraph server per test session, started from the ``oxigraph`` package of the test
extras and emptied before and after each test.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from stancegraph.graph.store import Store, open_store

BACKENDS = ["memory", "disk", pytest.param("remote", marks=pytest.mark.remote)]

_READY_TRIES = 400  # polls of the server's front page, 25 ms apart
_PORT_TRIES = 3  # another process may grab the free port before the server binds it


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve``: its base URL, data folder and log file."""

    url: str
    location: Path
    log: Path


def oxigraph_binary() -> Path | None:
    """The ``oxigraph`` executable of the ``oxigraph`` package: beside the interpreter, or on PATH."""
    name = "oxigraph.exe" if sys.platform == "win32" else "oxigraph"
    candidates = [Path(sys.executable).parent / name, Path(sysconfig.get_path("scripts")) / name]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    return next((path for path in candidates if path.is_file()), None)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(process: subprocess.Popen[bytes], url: str) -> bool:
    """Poll the server until it answers; False if it exits first (e.g. its port was taken)."""
    for _ in range(_READY_TRIES):
        if process.poll() is not None:
            return False
        try:
            if httpx.get(url + "/", timeout=1.0).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.025)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_oxigraph(folder: Path, *options: str) -> Iterator[OxigraphServer]:
    """Start ``oxigraph serve`` on a free loopback port with its data in ``folder``; stop it afterwards.

    ``options`` go to ``oxigraph serve`` as they are (``"--timeout-s", "3"``).
    """
    binary = oxigraph_binary()
    if binary is None:
        pytest.fail(
            "the remote tests need the `oxigraph` executable from the `oxigraph` package; install the test "
            "extras (pip install -e '.[test]') or deselect them with -m 'not remote'"
        )
    log = folder / "server.log"
    for _ in range(_PORT_TRIES):
        url = f"http://127.0.0.1:{free_port()}"
        with log.open("ab") as log_file:
            process = subprocess.Popen(
                [binary, "serve", "--location", folder / "data", "--bind", url[len("http://") :], *options],
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        if _wait_until_ready(process, url):
            break
        _stop(process)
    else:
        pytest.fail(f"the Oxigraph server did not start; its log:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        yield OxigraphServer(url=url, location=folder / "data", log=log)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One Oxigraph server for the whole session, emptied around each test that uses ``store``."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session", params=BACKENDS)
def bundled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The bundled peace-plan graph, loaded once per backend for the session: tests must only read it.

    The remote one lives on a server of its own, so that tests emptying the ``store`` server leave it be.
    """
    from stancegraph.graph import load_bundled

    with contextlib.ExitStack() as cleanup:
        if request.param == "memory":
            opened = open_store()
        elif request.param == "disk":
            opened = open_store(tmp_path_factory.mktemp("bundled") / "store")
        else:
            server = cleanup.enter_context(running_oxigraph(tmp_path_factory.mktemp("oxigraph-bundled")))
            opened = open_store(endpoint=server.url)
        cleanup.callback(opened.close)
        load_bundled(opened)
        yield opened


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend: in memory, in a temporary folder, and on the Oxigraph server."""
    if request.param == "memory":
        opened = open_store()
    elif request.param == "disk":
        opened = open_store(tmp_path / "store")
    else:
        server: OxigraphServer = request.getfixturevalue("oxigraph_server")
        opened = open_store(endpoint=server.url)
        opened.clear()
    try:
        yield opened
    finally:
        opened.close()  # closing twice is harmless, so a test may close it itself
        if request.param == "remote":
            with open_store(endpoint=server.url) as cleaner:
                cleaner.clear()

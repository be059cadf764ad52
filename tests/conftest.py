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


# ---------------------------------------------------------------------------------------------------------
# Discourse Network Analyzer 3.0 projects, built with sqlite3 from the layout DNA 3.0 gives its database
# (dna/src/main/java/sql/Sql.java in leifeld/dna: the tables and the columns the reader reads)
# ---------------------------------------------------------------------------------------------------------

_DNA3_TABLES = """
CREATE TABLE SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL);
CREATE TABLE CODERS(ID INTEGER PRIMARY KEY, Name TEXT NOT NULL, Red INTEGER, Green INTEGER, Blue INTEGER,
    Password TEXT NOT NULL DEFAULT '');
CREATE TABLE DOCUMENTS(ID INTEGER PRIMARY KEY, Title TEXT NOT NULL, Text TEXT NOT NULL, Coder INTEGER,
    Author TEXT NOT NULL DEFAULT '', Source TEXT NOT NULL DEFAULT '', Section TEXT NOT NULL DEFAULT '',
    Notes TEXT NOT NULL DEFAULT '', Type TEXT NOT NULL DEFAULT '', Date INTEGER NOT NULL);
CREATE TABLE STATEMENTTYPES(ID INTEGER PRIMARY KEY, Label TEXT NOT NULL, Red INTEGER, Green INTEGER,
    Blue INTEGER);
CREATE TABLE VARIABLES(ID INTEGER PRIMARY KEY, Variable TEXT NOT NULL, DataType TEXT NOT NULL,
    StatementTypeId INTEGER, UNIQUE (Variable, StatementTypeId));
CREATE TABLE VARIABLELINKS(ID INTEGER PRIMARY KEY, SourceVariableId INTEGER, TargetVariableId INTEGER);
CREATE TABLE REGEXES(Label TEXT PRIMARY KEY, Red INTEGER, Green INTEGER, Blue INTEGER);
CREATE TABLE CODERRELATIONS(ID INTEGER PRIMARY KEY, Coder INTEGER, OtherCoder INTEGER);
CREATE TABLE STATEMENTS(ID INTEGER PRIMARY KEY, StatementTypeId INTEGER, DocumentId INTEGER,
    Start INTEGER NOT NULL, Stop INTEGER NOT NULL, Coder INTEGER);
CREATE TABLE DATABOOLEAN(ID INTEGER PRIMARY KEY, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL,
    Value INTEGER NOT NULL, UNIQUE (StatementId, VariableId));
CREATE TABLE DATAINTEGER(ID INTEGER PRIMARY KEY, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL,
    Value INTEGER NOT NULL, UNIQUE (StatementId, VariableId));
CREATE TABLE ENTITIES(ID INTEGER PRIMARY KEY, VariableId INTEGER NOT NULL, Value TEXT NOT NULL,
    Red INTEGER, Green INTEGER, Blue INTEGER, ChildOf INTEGER, UNIQUE (VariableId, Value));
CREATE TABLE DATASHORTTEXT(ID INTEGER PRIMARY KEY, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL,
    Entity INTEGER NOT NULL, UNIQUE (StatementId, VariableId));
CREATE TABLE DATALONGTEXT(ID INTEGER PRIMARY KEY, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL,
    Value TEXT, UNIQUE (StatementId, VariableId));
CREATE TABLE ATTRIBUTEVARIABLES(ID INTEGER PRIMARY KEY, VariableId INTEGER NOT NULL,
    AttributeVariable TEXT NOT NULL, UNIQUE (VariableId, AttributeVariable));
CREATE TABLE ATTRIBUTEVALUES(ID INTEGER PRIMARY KEY, EntityId INTEGER NOT NULL,
    AttributeVariableId INTEGER NOT NULL, AttributeValue TEXT NOT NULL,
    UNIQUE (EntityId, AttributeVariableId));
"""


class DnaProjectFile:
    """A DNA 3.0 project being written: DNA's default statement types (``DNA Statement`` with person,
    organization, concept and the boolean agreement; ``Annotation`` with a long-text note), the coder
    ``Admin``, and the attribute variables Type, Alias and Notes of the three short-text variables."""

    def __init__(self, path: Path, version: str = "3.0.11") -> None:
        import sqlite3

        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(_DNA3_TABLES)
        self.db.executemany(
            "INSERT INTO SETTINGS VALUES (?, ?)", [("version", version), ("date", "2024-01-01")]
        )
        self.coder("Admin")
        self.statement_type("DNA Statement", person="short text", organization="short text",
                            concept="short text", agreement="boolean")  # fmt: skip
        self.statement_type("Annotation", note="long text")

    def _insert(self, table: str, **values: object) -> int:
        names = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cursor = self.db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(values.values()))
        return int(cursor.lastrowid or 0)

    def coder(self, name: str) -> int:
        return self._insert("CODERS", Name=name, Red=0, Green=0, Blue=0)

    def statement_type(self, label: str, **variables: str) -> int:
        type_id = self._insert("STATEMENTTYPES", Label=label, Red=0, Green=0, Blue=0)
        for name, kind in variables.items():
            variable = self._insert("VARIABLES", Variable=name, DataType=kind, StatementTypeId=type_id)
            if kind == "short text":
                for attribute in ("Type", "Alias", "Notes"):
                    self._insert("ATTRIBUTEVARIABLES", VariableId=variable, AttributeVariable=attribute)
        return type_id

    def variable(self, name: str, statement_type: int = 1) -> tuple[int, str]:
        found = self.db.execute(
            "SELECT ID, DataType FROM VARIABLES WHERE Variable = ? AND StatementTypeId = ?",
            (name, statement_type),
        ).fetchone()
        assert found is not None, name
        return found

    def document(self, title: str, text: str, date: str = "2005-01-26", **fields: str) -> int:
        import datetime as dt

        moment = dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC)
        values = {"Source": "Hearing"} | {key.capitalize(): value for key, value in fields.items()}
        return self._insert(
            "DOCUMENTS", Title=title, Text=text, Coder=1, Date=int(moment.timestamp()), **values
        )

    def entity(self, variable: str, value: str, statement_type: int = 1) -> int:
        variable_id, _ = self.variable(variable, statement_type)
        found = self.db.execute(
            "SELECT ID FROM ENTITIES WHERE VariableId = ? AND Value = ?", (variable_id, value)
        ).fetchone()
        if found is not None:
            return int(found[0])
        return self._insert("ENTITIES", VariableId=variable_id, Value=value)

    def attributes(
        self, variable: str, value: str, colour: tuple[int, int, int] | None = None, **attributes: str
    ) -> None:
        entity = self.entity(variable, value)
        if colour is not None:
            self.db.execute(
                "UPDATE ENTITIES SET Red = ?, Green = ?, Blue = ? WHERE ID = ?", (*colour, entity)
            )
        variable_id, _ = self.variable(variable)
        for name, given in attributes.items():
            found = self.db.execute(
                "SELECT ID FROM ATTRIBUTEVARIABLES WHERE VariableId = ? AND AttributeVariable = ?",
                (variable_id, name),
            ).fetchone()
            attribute = (
                found[0]
                if found
                else self._insert("ATTRIBUTEVARIABLES", VariableId=variable_id, AttributeVariable=name)
            )
            self._insert(
                "ATTRIBUTEVALUES", EntityId=entity, AttributeVariableId=attribute, AttributeValue=given
            )

    def statement(
        self,
        document: int,
        start: int,
        stop: int,
        *,
        coder: int = 1,
        statement_type: int = 1,
        **values: object,
    ) -> int:
        statement = self._insert(
            "STATEMENTS",
            StatementTypeId=statement_type,
            DocumentId=document,
            Start=start,
            Stop=stop,
            Coder=coder,
        )
        for name, value in values.items():
            variable_id, kind = self.variable(name, statement_type)
            if kind == "short text":
                entity = self.entity(name, str(value), statement_type)
                self._insert("DATASHORTTEXT", StatementId=statement, VariableId=variable_id, Entity=entity)
            elif kind in ("boolean", "integer"):
                table = "DATABOOLEAN" if kind == "boolean" else "DATAINTEGER"
                self._insert(table, StatementId=statement, VariableId=variable_id, Value=int(value))  # type: ignore[call-overload]
            else:
                self._insert("DATALONGTEXT", StatementId=statement, VariableId=variable_id, Value=str(value))
        return statement

    def save(self) -> Path:
        self.db.commit()
        self.db.close()
        return self.path


@pytest.fixture(scope="session")
def dna_project_file() -> type[DnaProjectFile]:
    """The class that writes DNA 3.0 projects, for fixtures wider than one test."""
    return DnaProjectFile


@pytest.fixture
def dna_project(tmp_path: Path):  # noqa: ANN201
    """A function that starts a DNA 3.0 project file (``name`` in the test's folder): a DnaProjectFile."""

    def start(name: str = "project.dna", version: str = "3.0.11") -> DnaProjectFile:
        return DnaProjectFile(tmp_path / name, version)

    return start

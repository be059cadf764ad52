"""Fixtures shared by every test: real Oxigraph and Virtuoso servers, and ``store`` over each backend.

``store`` is parametrised over ``memory``, ``disk``, ``remote`` (an Oxigraph server) and ``virtuoso``, so a
test that takes it runs four times; the two server runs carry the ``remote`` marker, the Virtuoso one also
``virtuoso`` (deselect them with ``-m "not remote"`` or ``-m "not virtuoso"``). Each server backend talks to
one server per test session, emptied before and after each test: Oxigraph started from the ``oxigraph``
package of the test extras, Virtuoso from Debian's ``virtuoso-opensource`` (``make test`` installs it) with
an ini of its own in a temporary folder: HTTP and SQL on free loopback ports, SPARQL Update granted to the
endpoint's user, Debian's limits of 10,000 rows per answer and 60 s per query kept.

Debian's ini also refuses a query whose estimated cost passes 400 s. The servers that hold the bundled data
(``bundled``, the command-line tests) keep that limit, so the questions people ask are answered under it.
The ``store`` server leaves it out, as OpenLink advises outside debugging: the estimate of a pattern on a
graph that lacks its predicates is wildly off (virtuoso-opensource issue 535), and after the loads and
clears of earlier tests a query of a few rows can be refused at 2,000 or 30 million seconds.
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

BACKENDS = [
    "memory",
    "disk",
    pytest.param("remote", marks=pytest.mark.remote),
    pytest.param("virtuoso", marks=[pytest.mark.remote, pytest.mark.virtuoso]),
]
#: The two kinds of server the tests start, for tests that run on each of them.
SERVERS = [
    pytest.param("oxigraph", marks=pytest.mark.remote),
    pytest.param("virtuoso", marks=[pytest.mark.remote, pytest.mark.virtuoso]),
]

_READY_TRIES = 12_000  # polls of the server's front page, 25 ms apart: minutes, on a loaded machine
_VIRTUOSO_READY_TRIES = 12_000  # Virtuoso builds its database first: seconds, more on a busy machine
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


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, *, tries: int = _READY_TRIES) -> bool:
    """Poll ``url`` until it answers 200; False if the server exits first (e.g. its port was taken)."""
    for _ in range(tries):
        if process.poll() is not None:
            return False
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
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
        if _wait_until_ready(process, url + "/"):
            break
        _stop(process)
    else:
        pytest.fail(f"the Oxigraph server did not start; its log:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        yield OxigraphServer(url=url, location=folder / "data", log=log)
    finally:
        _stop(process)


@dataclass(frozen=True)
class VirtuosoServer:
    """A running ``virtuoso-t``: its SPARQL query URL, base URL, folder (database, ini) and log file."""

    url: str
    base: str
    folder: Path
    log: Path


_VIRTUOSO_INI = """\
; written by tests/conftest.py: a Virtuoso of the tests' own, on loopback, its files in this folder
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CaseMode           = 2
DirsAllowed        = .
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
CheckpointInterval = 60

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}/www
ServerThreads        = 10
MaxClientConnections = 10
EnabledDavVSP        = 0
Charset              = UTF-8

[SPARQL]
; Debian's defaults: answers cut at 10,000 rows, queries stopped after 60 s
ResultSetMaxRows           = 10000
MaxQueryExecutionTime      = 60
{cost_estimate}
"""


def virtuoso_binaries() -> tuple[Path, Path] | None:
    """``virtuoso-t`` and ``isql-vt`` of Debian's ``virtuoso-opensource``, or None when not installed."""
    found = [shutil.which(name) or f"/usr/bin/{name}" for name in ("virtuoso-t", "isql-vt")]
    if not all(Path(path).is_file() for path in found):
        return None
    return Path(found[0]), Path(found[1])


@contextlib.contextmanager
def running_virtuoso(folder: Path, *, cost_estimate_limit: int | None = 400) -> Iterator[VirtuosoServer]:
    """Start ``virtuoso-t`` on free loopback ports with its own ini and database in ``folder``, grant the
    SPARQL endpoint's user (``SPARQL``) the right to update, and stop the server (by its PID) afterwards.

    ``cost_estimate_limit`` is ``MaxQueryCostEstimationTime`` (Debian's 400 s; None leaves it out).
    """
    binaries = virtuoso_binaries()
    if binaries is None:
        pytest.fail(
            "the Virtuoso tests need Debian's virtuoso-opensource (virtuoso-t, isql-vt); `make test` "
            "installs it (apt-get install virtuoso-opensource, with its system service kept from starting), "
            "or deselect them with -m 'not virtuoso'"
        )
    server_binary, isql = binaries
    log = folder / "server.log"
    (folder / "www").mkdir(exist_ok=True)
    for _ in range(_PORT_TRIES):
        sql_port, http_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        cost_estimate = (
            "; MaxQueryCostEstimationTime left out: no query is refused on its estimate"
            if cost_estimate_limit is None
            else f"MaxQueryCostEstimationTime = {cost_estimate_limit}"
        )
        ini.write_text(
            _VIRTUOSO_INI.format(
                folder=folder, sql_port=sql_port, http_port=http_port, cost_estimate=cost_estimate
            )
        )
        base = f"http://127.0.0.1:{http_port}"
        with log.open("ab") as log_file:
            process = subprocess.Popen(
                [server_binary, "+configfile", str(ini), "+foreground"],
                cwd=folder,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        if _wait_until_ready(process, base + "/sparql?query=ASK%7B%7D", tries=_VIRTUOSO_READY_TRIES):
            break
        _stop(process)
    else:
        pytest.fail(f"Virtuoso did not start; its log:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        granted = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True,
            text=True,
            check=False,
        )
        if granted.returncode != 0:
            pytest.fail(f"granting SPARQL_UPDATE on Virtuoso failed: {granted.stdout}{granted.stderr}")
        yield VirtuosoServer(url=base + "/sparql", base=base, folder=folder, log=log)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso server for the whole session, emptied around each test that uses ``store``; it refuses no
    query on its cost estimate (see the module's notes)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso"), cost_estimate_limit=None) as server:
        yield server


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
        elif request.param == "virtuoso":
            virtuoso = cleanup.enter_context(running_virtuoso(tmp_path_factory.mktemp("virtuoso-bundled")))
            opened = open_store(endpoint=virtuoso.url)
        else:
            server = cleanup.enter_context(running_oxigraph(tmp_path_factory.mktemp("oxigraph-bundled")))
            opened = open_store(endpoint=server.url)
        cleanup.callback(opened.close)
        load_bundled(opened)
        yield opened


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend: in memory, in a temporary folder, on the Oxigraph server and on the
    Virtuoso server."""
    url = None
    if request.param == "memory":
        opened = open_store()
    elif request.param == "disk":
        opened = open_store(tmp_path / "store")
    else:
        fixture = "oxigraph_server" if request.param == "remote" else "virtuoso_server"
        url = request.getfixturevalue(fixture).url
        opened = open_store(endpoint=url)
        opened.clear()
    try:
        yield opened
    finally:
        opened.close()  # closing twice is harmless, so a test may close it itself
        if url is not None:
            with open_store(endpoint=url) as cleaner:
                cleaner.clear()


def is_virtuoso(store: Store) -> bool:
    """Whether ``store`` is on a Virtuoso server (for the tests that state where Virtuoso differs)."""
    from stancegraph.graph.store import RemoteStore, ServerKind

    return isinstance(store, RemoteStore) and store.server is ServerKind.VIRTUOSO


def server_url(request: pytest.FixtureRequest, kind: str) -> str:
    """The URL of the session's ``kind`` server (``oxigraph`` or ``virtuoso``), started on first use."""
    return request.getfixturevalue(f"{kind}_server").url


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

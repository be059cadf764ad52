"""The file of a Discourse Network Analyzer project: recognised, refused when it is not one we read, and read.

DNA 3.0 keeps a project in one SQLite database (its schema: ``dna/src/main/java/sql/Sql.java`` in
leifeld/dna): ``DOCUMENTS`` (title, text, author, source, section, notes, type, and the date as seconds
since 1970, UTC), ``CODERS``, ``STATEMENTTYPES`` and their ``VARIABLES`` (short text, long text, boolean,
integer), ``STATEMENTS`` (a span ``Start``..``Stop`` of a document's text, a statement type, a coder),
their values (``DATASHORTTEXT`` pointing to ``ENTITIES``, ``DATABOOLEAN``, ``DATAINTEGER``) and the
entities' attributes (``ATTRIBUTEVARIABLES``, ``ATTRIBUTEVALUES``; by default ``Type``, ``Alias`` and
``Notes``). :func:`open_project` checks that a file is such a database and says what else it is when it is
not: no SQLite file (DNA 1 kept a project in an XML file), a DNA 2 database (another schema, which DNA 3
imports), a database of a later DNA whose statements have roles, or none of DNA's. :class:`ProjectTables`
answers the queries the conversion needs, with bound values.
"""

from __future__ import annotations

__all__ = ["ProjectRefused", "ProjectTables", "open_project", "DNA3_TABLES"]

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

#: The tables of a DNA 3.0 project this reader needs, with the columns it reads.
DNA3_TABLES = {
    "SETTINGS": ("Property", "Value"),
    "CODERS": ("ID", "Name"),
    "DOCUMENTS": ("ID", "Title", "Text", "Author", "Source", "Section", "Notes", "Type", "Date"),
    "STATEMENTTYPES": ("ID", "Label"),
    "VARIABLES": ("ID", "Variable", "DataType", "StatementTypeId"),
    "STATEMENTS": ("ID", "StatementTypeId", "DocumentId", "Start", "Stop", "Coder"),
    "DATASHORTTEXT": ("StatementId", "VariableId", "Entity"),
    "DATABOOLEAN": ("StatementId", "VariableId", "Value"),
    "DATAINTEGER": ("StatementId", "VariableId", "Value"),
    "ENTITIES": ("ID", "VariableId", "Value", "Red", "Green", "Blue"),
    "ATTRIBUTEVARIABLES": ("ID", "VariableId", "AttributeVariable"),
    "ATTRIBUTEVALUES": ("EntityId", "AttributeVariableId", "AttributeValue"),
}
_SQLITE = b"SQLite format 3\x00"
_IMPORT = (
    "DNA 3 imports it: create a new database in DNA 3, add its coders, use 'Import from DNA database' in the "
    "Documents menu, and load the new file"
)
_BATCH = 500  # ids per IN (...) list, below SQLite's limit of bound values


class ProjectRefused(ValueError):
    """The file is no DNA 3.0 project this reader can read; the message says what it is and what to do."""


def open_project(path: Path) -> sqlite3.Connection:
    """Open a DNA 3.0 project read-only, after checking that it is one.

    Parameters
    ----------
    path : Path
        The ``.dna`` file.

    Returns
    -------
    sqlite3.Connection
        Opened read-only; the caller closes it.

    Raises
    ------
    ProjectRefused
        The file is not SQLite (a DNA 1 XML project is named as such), not a DNA project, a DNA 2 project
        or one of a later DNA with another schema, each with what to do.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as error:
        raise ProjectRefused(f"cannot read the file: {error}") from None
    if not head.startswith(_SQLITE):
        if b"<discourse" in head or head.lstrip().startswith(b"<?xml"):
            raise ProjectRefused(
                "this is a DNA 1 project (an XML file), not the SQLite database of DNA 3; DNA 2 opens it and "
                f"saves it as a DNA 2 database, and {_IMPORT}"
            )
        raise ProjectRefused(
            "this is not a Discourse Network Analyzer project: a .dna file of DNA 3 is an SQLite database, "
            "and this file is not one; check that it is the project file DNA saved"
        )
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check_schema(connection)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise ProjectRefused(
            f"the SQLite database cannot be read ({error}); check that the file is whole"
        ) from None
    except ProjectRefused:
        connection.close()
        raise
    return connection


def _check_schema(connection: sqlite3.Connection) -> None:
    tables = {
        row[0].upper() for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    version = ""
    if "SETTINGS" in tables:
        found = connection.execute("SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()
        version = str(found[0]) if found is not None else ""
    named = f"DNA {version}" if version else "a DNA version that wrote no version number"
    if not {"DOCUMENTS", "STATEMENTS"} <= tables:
        listed = ", ".join(sorted(tables)[:12]) or "none"
        raise ProjectRefused(
            "this SQLite database is no Discourse Network Analyzer project: it has no DOCUMENTS and "
            f"STATEMENTS tables (its tables: {listed}); load the .dna file DNA 3 saved"
        )
    if version.startswith(("1", "2")) or ("ATTRIBUTES" in tables and "ENTITIES" not in tables):
        raise ProjectRefused(
            f"this project was saved by {named}, whose database has another layout than DNA 3's (its values "
            f"and attributes are stored differently), and stancegraph reads DNA 3.0 projects; {_IMPORT}"
        )
    if "ROLES" in tables or "ROLEVARIABLELINKS" in tables:
        raise ProjectRefused(
            f"this project was saved by {named}, whose statements have roles (the ROLES table), a layout "
            "stancegraph does not read yet (it reads DNA 3.0 projects); export the statements from DNA as a "
            "table (the event list) and load that CSV instead"
        )
    for table, columns in DNA3_TABLES.items():
        if table not in tables:
            raise ProjectRefused(
                f"this project ({named}) has no {table} table, which every DNA 3.0 project has; the file "
                "may be damaged or of another DNA version: open it in DNA 3.0 and save it again"
            )
        have = {row[1].lower() for row in connection.execute(f"PRAGMA table_info({table})")}
        missing = [name for name in columns if name.lower() not in have]
        if missing:
            raise ProjectRefused(
                f"the {table} table of this project ({named}) has no column {', '.join(missing)}, as "
                "DNA 3.0's has; the file is of another DNA version: open it in DNA 3.0 and save it again"
            )


class ProjectTables:
    """The queries of one open DNA 3.0 project (values bound, never pasted into the SQL).

    Parameters
    ----------
    connection : sqlite3.Connection
        From :func:`open_project`.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, values: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a query."""
        return self.connection.execute(sql, tuple(values)).fetchall()

    def version(self) -> str:
        """The DNA version that wrote the project (``SETTINGS``), or an empty string."""
        found = self.rows("SELECT Value FROM SETTINGS WHERE Property = 'version'")
        return str(found[0][0]) if found else ""

    def statement_types(self) -> list[tuple[int, str, int]]:
        """(id, label, number of statements) of every statement type, in id order."""
        return self.rows(
            "SELECT t.ID, t.Label, (SELECT COUNT(*) FROM STATEMENTS s WHERE s.StatementTypeId = t.ID) "
            "FROM STATEMENTTYPES t ORDER BY t.ID"
        )

    def variables(self, statement_type: int) -> dict[str, tuple[int, str]]:
        """Variable name -> (id, data type) of a statement type."""
        found = self.rows(
            "SELECT Variable, ID, DataType FROM VARIABLES WHERE StatementTypeId = ?", [statement_type]
        )
        return {name: (number, kind) for name, number, kind in found}

    def statements(self, statement_type: int) -> list[tuple[int, int, int, int, str | None]]:
        """(id, document id, start, stop, coder name) of the statements of a type, in id order."""
        return self.rows(
            "SELECT s.ID, s.DocumentId, s.Start, s.Stop, c.Name FROM STATEMENTS s "
            "LEFT JOIN CODERS c ON c.ID = s.Coder WHERE s.StatementTypeId = ? ORDER BY s.ID",
            [statement_type],
        )

    def entity_values(self, variable: int) -> dict[int, int]:
        """Statement id -> entity id of a short-text variable."""
        return dict(
            self.rows("SELECT StatementId, Entity FROM DATASHORTTEXT WHERE VariableId = ?", [variable])
        )

    def qualifier_values(self, variable: int, kind: str) -> dict[int, int]:
        """Statement id -> value of a boolean or integer variable."""
        table = "DATABOOLEAN" if kind == "boolean" else "DATAINTEGER"
        return dict(self.rows(f"SELECT StatementId, Value FROM {table} WHERE VariableId = ?", [variable]))

    def entities(self, ids: Iterable[int]) -> dict[int, tuple[str, int | None, int | None, int | None]]:
        """Entity id -> (value, red, green, blue) of the given entities."""
        return {
            row[0]: row[1:] for row in self._in("SELECT ID, Value, Red, Green, Blue FROM ENTITIES", "ID", ids)
        }

    def attributes(self, ids: Iterable[int]) -> dict[int, dict[str, str]]:
        """Entity id -> attribute variable -> value, for the given entities (empty values left out)."""
        found: dict[int, dict[str, str]] = {}
        sql = (
            "SELECT v.EntityId, a.AttributeVariable, v.AttributeValue FROM ATTRIBUTEVALUES v "
            "JOIN ATTRIBUTEVARIABLES a ON a.ID = v.AttributeVariableId"
        )
        for entity, name, value in self._in(sql, "v.EntityId", ids):
            if value is not None and str(value).strip():
                found.setdefault(entity, {})[name] = str(value).strip()
        return found

    def documents(self, ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
        """Document id -> (title, text, author, source, section, notes, type, date) of the given documents."""
        sql = "SELECT ID, Title, Text, Author, Source, Section, Notes, Type, Date FROM DOCUMENTS"
        return {row[0]: row[1:] for row in self._in(sql, "ID", ids)}

    def _in(self, sql: str, column: str, ids: Iterable[int]) -> Iterator[tuple[Any, ...]]:
        wanted = sorted(set(ids))
        joiner = " AND " if " WHERE " in sql else " WHERE "
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(batch))
            yield from self.rows(f"{sql}{joiner}{column} IN ({marks})", batch)

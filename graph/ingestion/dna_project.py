"""A Discourse Network Analyzer project as a statements table, and the RDF that a table cannot carry.

A DNA 3.0 project (:mod:`~stancegraph.graph.ingestion.dna_schema`) is loaded in two parts, both checked in
the same load as every other input, so that it is stored whole or not at all:

* its statements of one statement type (:attr:`DnaOptions.statement_type`, ``DNA Statement`` by default)
  become the rows of a statements table in our column names (:meth:`DnaProject.write_table`), read by the
  one reader of statements tables, :class:`~stancegraph.graph.ingestion.reader.StatementsReader`: the
  organisation (or another variable, :attr:`DnaOptions.actor_variable`) is the ``actor``, the person who
  spoke the ``person``, the concept the ``target``, the boolean or integer qualifier the ``agreement``,
  the document's date the ``date`` (with its time of day unless that is midnight, DNA's "no time"), the
  document's title and source the ``document`` and ``source``, the statement's span of the document's text
  the ``quote`` with its ``quote_start`` and ``quote_end`` (the span without the white space around it,
  so that the quote is exactly the document's text between them), and its coder the ``coder``;
* what else DNA records (:meth:`DnaProject.reference_ntriples`): for each document's source, its author
  (``dcterms:creator``), section (``sg:section``), type (``dcterms:type``), notes (``skos:note``) and text
  (``sg:fullText``); for each entity a statement names, its Alias (``skos:altLabel``), Notes
  (``skos:note``), Type (``sg:category``) and colour (``sg:colour``), on the node its name resolved to.

DNA counts offsets in UTF-16 code units (Java's characters); they are turned into characters (Unicode
code points), which differ only after a character beyond the Basic Multilingual Plane (an emoji).
Violations are told in DNA's terms (:meth:`DnaProject.relocate`): a statement by its id and document,
a document by its id and title, an entity by its variable and value.
"""

from __future__ import annotations

__all__ = ["DnaOptions", "DnaProject"]

import csv
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.dna_schema import ProjectRefused, ProjectTables, open_project
from stancegraph.graph.queries.names import slugify
from stancegraph.ontology.namespaces import DCTERMS_NS, PROV_NS, SG_NS, SKOS_NS

if TYPE_CHECKING:
    from stancegraph.graph.ingestion.reader import StatementsReader

_LINE = re.compile(r"\b(lines?) (\d+)\b")
_ATTRIBUTES = {"Alias": SKOS_NS + "altLabel", "Notes": SKOS_NS + "note", "Type": SG_NS + "category"}


@dataclass(frozen=True)
class DnaOptions:
    """Which statements of a DNA project are read, and which of their variables give what.

    Attributes
    ----------
    statement_type : str
        The statement type whose statements become stances (its label, as DNA shows it).
    actor_variable : str
        The short-text variable whose entity is the stance's actor: ``organization``, or ``person`` for
        a network of people (the person is then the actor, an ``sg:Person``).
    target_variable : str
        The short-text variable whose entity is the stance's target.
    qualifier_variable : str
        The boolean or integer variable that is the stance's agreement.
    person_variable : str
        The short-text variable of the person who spoke (read when it is not the actor variable).
    """

    statement_type: str = "DNA Statement"
    actor_variable: str = "organization"
    target_variable: str = "concept"
    qualifier_variable: str = "agreement"
    person_variable: str = "person"


@dataclass
class _Document:
    number: int
    title: str
    text: str
    fields: dict[str, str]  # predicate IRI -> value (author, section, type, notes)
    date: str
    source: str
    cell: str = ""  # the document cell: the title, or the title with the DNA id when titles collide
    units: list[int] | None = None  # code point before each UTF-16 unit, for a text beyond the BMP


@dataclass
class DnaProject:
    """One DNA project read for a load: its rows, its problems, and where each row came from.

    Use :meth:`read`; ``violations`` holds what makes the project unloadable (then there are no rows).
    """

    name: str
    options: DnaOptions
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    rows: list[tuple[int, int, dict[str, str]]] = field(default_factory=list)  # (statement, document, cells)
    documents: dict[int, _Document] = field(default_factory=dict)
    #: Column -> cell text -> (variable, entity value, attributes, colour) of the entity it names.
    entities: dict[str, dict[str, tuple[str, str, dict[str, str], str | None]]] = field(default_factory=dict)
    lines: dict[int, tuple[int, int]] = field(default_factory=dict)  # table line -> (statement, document)
    places: dict[str, str] = field(default_factory=dict)  # node IRI -> how DNA names it

    @classmethod
    def read(cls, path: Path, name: str, options: DnaOptions) -> DnaProject:
        """Read the statements of ``options.statement_type`` from the project at ``path`` (``name`` is how
        the violations name the file); a project that cannot be read comes back with ``violations``."""
        project = cls(name, options)
        try:
            connection = open_project(path)
        except ProjectRefused as refused:
            project._problem(str(refused))
            return project
        try:
            project._read(ProjectTables(connection))
        finally:
            connection.close()
        if project.violations:
            project.rows = []
        return project

    def _problem(self, message: str) -> None:
        self.violations.append(Violation(message, file=self.name, rule="dna"))

    def _read(self, tables: ProjectTables) -> None:
        options = self.options
        types = tables.statement_types()
        listed = "; ".join(
            f"{label!r} ({count} statement{'s' if count != 1 else ''})" for _, label, count in types
        )
        if not any(count for *_, count in types):
            self._problem(
                f"the project has no statements (its statement types: {listed or 'none'}); code some in DNA, "
                "or load the project DNA saved them in"
            )
            return
        chosen = [t for t in types if t[1] == options.statement_type]
        chosen = chosen or [t for t in types if t[1].casefold() == options.statement_type.casefold()]
        if len(chosen) != 1:
            self._problem(
                f"the project has no statement type {options.statement_type!r}; its types are {listed}: "
                "choose one with --statement-type (statement_type=)"
            )
            return
        type_id, type_label, count = chosen[0]
        if not count:
            self._problem(
                f"the project has no statements of the type {type_label!r}; its types are {listed}: "
                "choose one that has statements with --statement-type (statement_type=)"
            )
            return
        variables = tables.variables(type_id)
        wanted = self._variables(type_label, variables)
        if wanted is None:
            return
        self._statements(tables, type_id, wanted)

    def _variables(self, type_label: str, variables: dict[str, tuple[int, str]]) -> dict[str, Any] | None:
        options = self.options
        listed = ", ".join(f"{name} ({kind})" for name, (_, kind) in sorted(variables.items()))
        wanted: dict[str, Any] = {}
        for role, name, kinds, option in (
            ("actor", options.actor_variable, ("short text",), "--actor-variable (actor_variable=)"),
            ("target", options.target_variable, ("short text",), "target_variable="),
            ("agreement", options.qualifier_variable, ("boolean", "integer"), "qualifier_variable="),
        ):
            found = variables.get(name)
            if found is None or found[1] not in kinds:
                what = " or ".join(kinds)
                self._problem(
                    f"the statement type {type_label!r} has no {what} variable {name!r} for the {role} (its "
                    f"variables: {listed}); name another with {option}"
                )
                return None
            wanted[role] = (name, *found)
        person = variables.get(options.person_variable)
        if (
            options.person_variable != options.actor_variable
            and person is not None
            and person[1] == "short text"
        ):
            wanted["person"] = (options.person_variable, *person)
        return wanted

    def _statements(self, tables: ProjectTables, type_id: int, wanted: dict[str, Any]) -> None:
        statements = tables.statements(type_id)
        values = {
            role: tables.entity_values(number)
            for role, (_, number, _) in wanted.items()
            if role != "agreement"
        }
        qualifier_name, qualifier_id, qualifier_kind = wanted["agreement"]
        qualifiers = tables.qualifier_values(qualifier_id, qualifier_kind)
        used = {entity for found in values.values() for entity in found.values()}
        entities, attributes = tables.entities(used), tables.attributes(used)
        self._documents(tables, {row[1] for row in statements})
        actor_column = "actor" if self.options.actor_variable != self.options.person_variable else "person"
        columns = {"actor": actor_column, "target": "target", "person": "person"}
        unread: set[str] = set()
        for number, document, start, stop, coder in statements:
            place = f"statement {number}"
            found = self.documents.get(document)
            if found is None:
                self._problem(f"{place} is in document {document}, which the project does not have")
                continue
            place += f" (document {document} {found.title!r})"
            cells: dict[str, str] = {}
            for role, (variable, _, _) in wanted.items():
                if role == "agreement":
                    continue
                entity = entities.get(values[role].get(number, -1))
                text = "" if entity is None else str(entity[0]).strip()
                if not text and role != "person":
                    self._problem(f"{place} has no {variable}; code it in DNA (or delete the statement)")
                    break
                if text:
                    cells[columns[role]] = text
                    extra = attributes.get(values[role][number], {})
                    unread |= {f"{name} ({variable})" for name in extra if name not in _ATTRIBUTES}
                    colour = None if None in entity[1:] else "#{:02X}{:02X}{:02X}".format(*entity[1:])
                    self.entities.setdefault(columns[role], {}).setdefault(
                        text, (variable, text, extra, colour)
                    )
            else:
                if number not in qualifiers:
                    self._problem(f"{place} has no {qualifier_name} value; code it in DNA")
                    continue
                span = self._span(found, start, stop, place)
                if span is None:
                    continue
                cells["agreement"] = str(int(qualifiers[number]))
                cells.update(date=found.date, document=found.cell, source=found.source, coder=coder or "")
                cells.update(quote=span[2], quote_start=str(span[0]), quote_end=str(span[1]))
                self.rows.append((number, document, cells))
        self.columns = (
            actor_column,
            *(("person",) if "person" in wanted else ()),
            "target",
            "agreement",
            "date",
            "document",
            "source",
            "quote",
            "quote_start",
            "quote_end",
            "coder",
        )
        if unread:
            self.warnings.append(
                Violation(
                    f"attributes not loaded: {', '.join(sorted(unread))}; stancegraph reads an entity's "
                    "Alias, Notes, Type and colour",
                    file=self.name,
                    rule="dna",
                )
            )

    def _documents(self, tables: ProjectTables, numbers: set[int]) -> None:
        for number, (title, text, author, source, section, notes, kind, seconds) in tables.documents(
            numbers
        ).items():
            moment = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(seconds or 0))
            date = moment.strftime("%Y-%m-%d" if moment.time() == dt.time() else "%Y-%m-%d %H:%M:%S")
            fields = {
                DCTERMS_NS + "creator": author,
                SG_NS + "section": section,
                DCTERMS_NS + "type": kind,
                SKOS_NS + "note": notes,
            }
            text = str(text or "")
            document = _Document(
                number,
                str(title or "").strip(),
                text,
                {p: str(v).strip() for p, v in fields.items() if v and str(v).strip()},
                date,
                str(source or "").strip(),
            )
            if any(ord(c) > 0xFFFF for c in text):
                document.units = [i for i, c in enumerate(text) for _ in range(2 if ord(c) > 0xFFFF else 1)]
                document.units.append(len(text))
            self.documents[number] = document
        by_slug: dict[str | None, list[_Document]] = {}
        for document in self.documents.values():
            try:
                slug: str | None = slugify(document.title)
            except ValueError:
                slug = None
            by_slug.setdefault(slug, []).append(document)
        for slug, same in by_slug.items():
            for document in same:
                alone = slug is not None and len(same) == 1
                document.cell = (
                    document.title if alone else f"{document.title} (DNA document {document.number})".strip()
                )

    def _span(self, document: _Document, start: int, stop: int, place: str) -> tuple[int, int, str] | None:
        """The statement's span in characters (from DNA's UTF-16 units) and its text, or None (a problem)."""
        units = len(document.text) if document.units is None else len(document.units) - 1
        if not 0 <= start < stop <= units:
            self._problem(
                f"{place} marks the characters {start} to {stop} of its document, whose text has {units}; "
                "the statement lies outside its document: mark it again in DNA (or delete it)"
            )
            return None
        if document.units is not None:
            start, stop = document.units[start], document.units[stop]
        passage = document.text[start:stop]
        start += len(passage) - len(passage.lstrip())  # the reader trims cells: so do the offsets
        stop -= len(passage) - len(passage.rstrip())
        if start >= stop:
            self._problem(
                f"{place} marks only white space of its document; mark its words in DNA (or delete it)"
            )
            return None
        return start, stop, document.text[start:stop]

    # -- the table ----------------------------------------------------------------------------------------
    def write_table(self, path: Path) -> Path:
        """Write the rows as a statements table at ``path`` and note the line of each row."""
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(self.columns)
            for _, _, cells in self.rows:
                writer.writerow([cells.get(name, "") for name in self.columns])
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            previous = reader.line_num
            for (number, document, _), _ in zip(self.rows, reader, strict=True):
                self.lines[previous + 1] = (number, document)
                previous = reader.line_num
        return path

    def hint(self, path: str | None) -> str:
        """How to fix, in DNA, a rule on ``path`` broken by the statements or documents of the project."""
        options = self.options
        what = {
            SG_NS + "actor": f"the statement's {options.actor_variable}",
            SG_NS + "person": f"the statement's {options.person_variable}",
            SG_NS + "target": f"the statement's {options.target_variable}",
            SG_NS + "agreement": f"the statement's {options.qualifier_variable}",
            SG_NS + "stanceType": f"the statement's {options.qualifier_variable}",
            SG_NS + "statedOn": "the document's date",
            SG_NS + "statedAt": "the document's date",
            SG_NS + "codedBy": "the statement's coder",
            PROV_NS + "wasDerivedFrom": "the document's title",
            DCTERMS_NS + "title": "the document's title",
            DCTERMS_NS + "publisher": "the document's source (the outlet that published it)",
            DCTERMS_NS + "issued": "the document's date",
        }.get(path or "")
        return f" (in DNA: fill in or correct {what})" if what else ""

    # -- what a table cannot carry ---------------------------------------------------------------------
    def reference_ntriples(self, reader: StatementsReader) -> str:
        """The documents' fields and the entities' attributes, N-Triples for the default graph, on the
        nodes the reader resolved their names to."""
        lines: list[str] = []
        graphs = {entry.title: graph for graph, entry in reader.sources.items()}
        for document in self.documents.values():
            graph = graphs.get(document.cell)
            if graph is None:
                continue
            self.places[graph[1:-1]] = f"document {document.number} {document.title!r}"
            fields = dict(document.fields)
            if document.text:
                fields[SG_NS + "fullText"] = document.text
            lines += [f"{graph} <{predicate}> {Literal(value)} .\n" for predicate, value in fields.items()]
        for column, named in self.entities.items():
            resolved = reader.resolved.get(column, {})
            if column == "person" and reader.person_is_actor:
                resolved = reader.resolved["actor"]
            said: set[str] = set()
            for text, (variable, value, attributes, colour) in named.items():
                node = resolved.get(text)
                if node is None or node in said:
                    continue
                said.add(node)
                self.places.setdefault(node[1:-1], f"the {variable} {value!r}")
                for attribute, predicate in _ATTRIBUTES.items():
                    given = attributes.get(attribute)
                    if given is None or (attribute == "Alias" and given == value):
                        continue
                    term = Literal(given, language="en") if attribute == "Alias" else Literal(given)
                    lines.append(f"{node} <{predicate}> {term} .\n")
                if colour is not None:
                    lines.append(f"{node} <{SG_NS}colour> {Literal(colour)} .\n")
        return "".join(lines)

    # -- violations in DNA's terms -----------------------------------------------------------------------
    def relocate(self, found: Violation) -> Violation:
        """The violation (or warning) told in DNA's terms: the statement, document or entity it is about."""
        if found.file != self.name:
            return found
        where = self.places.get(found.node or "")
        if where is None and found.line in self.lines:
            number, document = self.lines[found.line]
            where = f"statement {number} (document {document} {self.documents[document].title!r})"
        message = _LINE.sub(self._statement_of, found.message)
        if where is not None:
            message = f"{where}: {message}"
        return replace(found, message=message, line=None)

    def _statement_of(self, match: re.Match[str]) -> str:
        found = self.lines.get(int(match.group(2)))
        return match.group(0) if found is None else f"statement {found[0]}"

"""Actor, target and coder names of a statements table: resolved against the store and the data loaded
with it.

A cell may hold an IRI, a short id (``us``) or a label (``"United States"``). :class:`Names` looks each
one up once per ingest (the store's :func:`~stancegraph.graph.queries.names.label_index`, the RDF loaded
with the table, what earlier rows created), and creates an actor, person or target for a name that
matches nothing, unless ``strict``.

A coder (the ``coder`` cell) is named by its slug: ``id/coder/{slugify(name)}``, so ``Ana`` and ``ana``
are one coder. One the store (or the RDF loaded with the table) has is used as it is; any other is
created, an ``sg:Coder`` labelled with the name as first written, whether ``strict`` or not (a coder is
a fact about the coding, not a name of the reference data).
"""

from __future__ import annotations

__all__ = ["Names", "CreatedNode"]

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.table_format import (
    C_ACTOR,
    C_CODER,
    C_ISSUE,
    C_PERSON,
    C_STANCE,
    P_ALT,
    P_PREF,
    RDF_TYPE,
    RowProblem,
)
from stancegraph.graph.queries.names import iri_for, label_index, normalise_label, short_id, slugify
from stancegraph.ontology.namespaces import SG_NS

BATCH = 1000  # IRIs per lookup query


@dataclass
class CreatedNode:
    """An actor, person, target or coder created from a label (not yet in the store); ``kind`` says which
    ('actor', for people too, 'target' or 'coder')."""

    iri: str  # N-Triples form
    label: str
    file: str
    line: int
    classes: set[str]
    alt_labels: dict[str, None] = field(default_factory=dict)
    kind: str = "actor"


class Names:
    """Resolve actor and target names for one ingest: the store's labels, the data loaded with them,
    and what earlier rows created.

    Parameters
    ----------
    *lookups
        Stores to search (anything with a ``query(sparql)`` method returning rows: a
        :class:`~stancegraph.graph.store.Store` or a pyoxigraph store). Each is asked once per kind for
        its :func:`~stancegraph.graph.queries.names.label_index`, never once per row.
    strict : bool, default False
        Refuse names that match nothing instead of creating nodes for them.
    """

    def __init__(self, *lookups: Any, strict: bool = False) -> None:
        self.lookups = [store for store in lookups if store is not None]
        self.strict = strict
        self._index: dict[str, dict[str, tuple[str, ...]]] = {}
        self.created: dict[str, CreatedNode] = {}  # N-Triples IRI -> entity
        self.unknown: dict[
            tuple[str, str], tuple[str, int, str]
        ] = {}  # (kind, name) -> first file, line, IRI
        self._by_folded: dict[tuple[str, str], str] = {}  # (kind, folded label or slug) -> N-Triples IRI
        self._cache: dict[tuple[str, str, bool], str] = {}
        #: The ``id`` slugs of each table read with these names (one set per table, not copied), so a
        #: ``contradicts`` IRI may point to a row of a table read earlier in the same ingest.
        self.stance_ids: list[set[str]] = []
        self._coders: dict[str, str] = {}  # coder cell -> N-Triples IRI
        self._known_coders: dict[str, str] | None = None  # N-Triples IRI -> label, of the lookups

    def stances(self, iris: Iterable[str]) -> set[str]:
        """Those of ``iris`` (plain IRIs) that are an ``sg:Stance`` in one of the lookups, in any graph."""
        wanted = sorted(set(iris))
        found: set[str] = set()
        for store in self.lookups:
            for start in range(0, len(wanted), BATCH):
                values = " ".join(f"<{iri}>" for iri in wanted[start : start + BATCH])
                query = (
                    f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} "
                    f"{{ ?s {RDF_TYPE} {C_STANCE} }} UNION {{ GRAPH ?g {{ ?s {RDF_TYPE} {C_STANCE} }} }} }}"
                )
                found.update(row[0].value for row in store.query(query))
        return found

    def index(self, kind: str) -> dict[str, tuple[str, ...]]:
        if kind not in self._index:
            merged: dict[str, set[str]] = {}
            for store in self.lookups:
                for name, iris in label_index(store, kind=kind).items():
                    merged.setdefault(name, set()).update(iris)
            self._index[kind] = {name: tuple(sorted(iris)) for name, iris in merged.items()}
        return self._index[kind]

    def resolve(self, text: str, kind: str, *, file: str, line: int, person: bool = False) -> str:
        """The N-Triples form of the node ``text`` names; creates (or, strict, records) unknown ones.

        ``kind`` is 'actor' or 'target'; ``person`` marks an actor named in the ``person`` column.
        Raises :class:`RowProblem` for an ambiguous label or a malformed IRI.
        """
        key = (text, kind, person)
        found = self._cache.get(key)
        if found is not None:
            return found
        found = self._resolve(text, kind, file=file, line=line, person=person)
        self._cache[key] = found
        return found

    def _resolve(self, text: str, kind: str, *, file: str, line: int, person: bool) -> str:
        if "://" in text:
            try:
                return str(NamedNode(text))
            except ValueError as error:
                raise RowProblem(
                    f"{text!r} is not a valid IRI ({error}); give an IRI, a short id or a label"
                ) from None
        folded = normalise_label(text)
        local = self._by_folded.get((kind, folded))
        if local is not None:
            return self._note_label(local, text, person)
        iris = self.index(kind).get(folded, ())
        if len(iris) > 1:
            listing = ", ".join(short_id(iri) for iri in iris)
            raise RowProblem(
                f"{text!r} names {len(iris)} {kind}s ({listing}); write one of these short ids instead"
            )
        if iris:
            return str(NamedNode(iris[0]))
        try:
            slug = slugify(text)
        except ValueError as error:
            raise RowProblem(f"cannot name a new {kind} {text!r}: {error}") from None
        existing = self.index(kind).get(slug, ())  # the slug is the short id of a node that exists
        if len(existing) == 1:
            return str(NamedNode(existing[0]))
        iri = str(NamedNode(iri_for("actor" if kind == "actor" else "issue", slug)))
        same_slug = self._by_folded.get((kind, slug))
        if same_slug is not None:  # another spelling of a name created earlier ("New-York", "New York")
            self._by_folded[(kind, folded)] = same_slug
            return self._note_label(same_slug, text, person)
        if self.strict:
            self.unknown.setdefault((kind, text), (file, line, iri[1:-1]))
            return iri
        classes = {C_PERSON if person else C_ACTOR} if kind == "actor" else {C_ISSUE}
        self.created[iri] = CreatedNode(iri, text.strip(), file, line, classes, kind=kind)
        self._by_folded[(kind, folded)] = iri
        self._by_folded[(kind, slug)] = iri
        return iri

    def coder(self, text: str, *, file: str, line: int) -> str:
        """The N-Triples IRI of the coder a ``coder`` cell names (its slug's, or the IRI it holds); a coder
        that neither the lookups nor earlier rows have is created.

        Raises :class:`RowProblem` for a name without letters or digits or a malformed IRI.
        """
        found = self._coders.get(text)
        if found is not None:
            return found
        if "://" in text:
            try:
                found = str(NamedNode(text))
            except ValueError as error:
                raise RowProblem(f"{text!r} is not a valid IRI ({error}); give the coder's name") from None
        else:
            try:
                found = str(NamedNode(iri_for("coder", slugify(text))))
            except ValueError as error:
                raise RowProblem(f"cannot name a coder {text!r}: {error}") from None
        if found not in self.known_coders():
            entity = self.created.get(found)
            if entity is None:
                self.created[found] = CreatedNode(found, text, file, line, {C_CODER}, kind="coder")
            elif text != entity.label:
                entity.alt_labels[text] = None
        self._coders[text] = found
        return found

    def known_coders(self) -> dict[str, str]:
        """The coders of the lookups (the store, the RDF loaded with the table): N-Triples IRI -> label
        (the short id for one without a label). Read once, on the first coder cell."""
        if self._known_coders is None:
            known: dict[str, str] = {}
            query = f"SELECT ?c ?l WHERE {{ ?c {RDF_TYPE} {C_CODER} OPTIONAL {{ ?c {P_PREF} ?l }} }}"
            for store in self.lookups:
                for node, label in (tuple(row) for row in store.query(query)):
                    known.setdefault(str(node), label.value if label is not None else short_id(node.value))
            self._known_coders = known
        return self._known_coders

    def coder_label(self, iri: str) -> str:
        """The name of a coder that :meth:`coder` returned (N-Triples IRI): its label in the lookups, else
        the name it was created with."""
        entity = self.created.get(iri)
        if entity is not None:
            return entity.label
        return self.known_coders().get(iri) or short_id(iri[1:-1])

    def _note_label(self, iri: str, text: str, person: bool) -> str:
        entity = self.created.get(iri)
        if entity is not None:
            if person:
                entity.classes.add(C_PERSON)
            label = text.strip()
            if label != entity.label:
                entity.alt_labels[label] = None
        return iri

    def created_ntriples(self) -> str:
        """The created actors, targets and coders as N-Triples (for the default graph)."""
        lines = []
        for entity in self.created.values():
            for cls in sorted(entity.classes):
                lines.append(f"{entity.iri} {RDF_TYPE} {cls} .\n")
            language = None if entity.kind == "coder" else "en"  # a coder's name is no English word
            lines.append(f"{entity.iri} {P_PREF} {Literal(entity.label, language=language)} .\n")
            for alt in entity.alt_labels:
                lines.append(f"{entity.iri} {P_ALT} {Literal(alt, language=language)} .\n")
        return "".join(lines)

    def strict_violations(self) -> list[Violation]:
        """One violation per unknown name (strict mode), at the row where it first appears."""
        return [
            Violation(
                f"no {kind} is named {name!r} in the store or in the data being loaded (first used on this "
                f"row); add the {kind} to the reference data first, correct the name, or load without strict "
                f"to create it",
                file=file,
                line=line,
                path=SG_NS + kind,
                rule="unknown-name",
                value=name,
            )
            for (kind, name), (file, line, _) in self.unknown.items()
        ]

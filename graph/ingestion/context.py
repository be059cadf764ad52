"""The validation context of CSV stances: the classes of what they point to, looked up once.

A chunk of stances is validated in a small staging store that holds the stances, the subclass axioms,
the ontology's rules (the confidence range of each stance basis), and the classes of every node they
reference (in the store, in the RDF loaded with them, in the ontology, or created by the load).
:class:`ValidationContext` keeps those classes across chunks, so each referenced node is looked up once
per load.
"""

from __future__ import annotations

__all__ = ["ValidationContext", "STANCE_CLASS"]

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pyoxigraph import Store as OxStore

from stancegraph.graph.ingestion.naming import Names
from stancegraph.graph.ingestion.reader import StatementsReader
from stancegraph.graph.ingestion.table_format import C_SOURCE
from stancegraph.graph.validation import CONTEXT_TYPE, CompiledShapes
from stancegraph.graph.validation.context import (
    descriptions,
    has_data,
    node_classes,
    ontology_classes,
    ontology_rule_classes,
    ontology_rules,
    subclass_axioms,
)
from stancegraph.ontology.namespaces import RDF_TYPE, SG_NS

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

#: sg:Stance, as a plain IRI.
STANCE_CLASS = SG_NS + "Stance"


class ValidationContext:
    """What a chunk of CSV stances needs besides itself: the classes of what they point to."""

    def __init__(self, store: Store | None, reference: OxStore, names: Names, shapes: CompiledShapes) -> None:
        self.store = store
        self.reference = reference
        self.names = names
        self.shapes = shapes
        self.types: dict[str, set[str]] = {}  # N-Triples IRI -> N-Triples classes (existing nodes)
        self.existing_sources: set[str] = set()
        self.store_has_data = has_data(store)
        self.store_has_stances = bool(
            self.store_has_data
            and store is not None
            and store.query(
                f"ASK {{ {{ ?s <{RDF_TYPE}> <{STANCE_CLASS}> }} "
                f"UNION {{ GRAPH ?g {{ ?s <{RDF_TYPE}> <{STANCE_CLASS}> }} }} }}"
            )
        )
        axioms = [*subclass_axioms(store), *ontology_rules(), *ontology_rule_classes()]
        self.axioms = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in axioms)
        self.ontology_types = ontology_classes()

    def settle(self, referenced: Iterable[str], reader: StatementsReader) -> None:
        """Look up the classes of IRIs not seen before (in the store, the RDF inputs, the ontology)."""
        new = sorted(iri for iri in referenced if iri not in self.types)
        if not new:
            return
        for iri in new:
            self.types[iri] = set(self.ontology_types.get(iri, ()))
        lookups: list[Any] = [self.reference]
        if self.store_has_data:
            lookups.append(self.store)
        for lookup in lookups:
            for node, cls in node_classes(lookup, new):
                self.types[str(node)].add(str(cls))
        for iri in new:
            if iri in reader.sources and self.types[iri]:
                self.existing_sources.add(iri)

    def lines(self, reader: StatementsReader) -> str:
        """Context triples: subclass axioms and the classes of every node referenced so far."""
        ctx = f"<{CONTEXT_TYPE}>"
        out = [self.axioms]
        for iri, classes in self.types.items():
            if iri in self.names.created:
                classes = classes | self.names.created[iri].classes
            elif iri in reader.sources and iri not in self.existing_sources:
                classes = classes | {C_SOURCE}
            out.extend(f"{iri} {ctx} {cls} .\n" for cls in classes)
        return "".join(out)

    def existing(self, subjects: list[str]) -> str:
        """Triples the store already holds about these stances (a re-loaded or extended row)."""
        if not self.store_has_stances or self.store is None:
            return ""
        return "".join(
            f"{q.subject} {q.predicate} {q.object} .\n" for q in descriptions(self.store, subjects)
        )

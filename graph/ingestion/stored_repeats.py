"""Rows that repeat a stance the store already holds (``--against-store``).

Such a row has the same actor, target, stance type, agreement, date (the moment, ``sg:statedAt``, when
there is one), source graph, person, coder and quote position as a stored stance. Under another IRI
(another quote or id) it is not stored again and is reported, naming the stored stance; under the same
IRI (a file loaded again) it is written again, adding nothing, and only counted.
The store's keys are read once per load (:class:`StoredStances`); the reader holds each chunk's rows back
until :meth:`StoreRepeats.settle` has looked them up, so a chunk is handed on without the repeats.
Repeats within a load are :mod:`~stancegraph.graph.ingestion.duplicates`.
"""

from __future__ import annotations

__all__ = ["StoreKey", "StoreRepeats", "StoredStances"]

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.duplicates import RowKeys
from stancegraph.graph.ingestion.references import STANCE_NS
from stancegraph.graph.ingestion.table_format import (
    P_ACTOR,
    P_AGREEMENT,
    P_CODER,
    P_DATE,
    P_MOMENT,
    P_PERSON,
    P_QUOTE_END,
    P_QUOTE_START,
    P_SOURCE,
    P_TARGET,
    P_TYPE,
)
from stancegraph.ontology.namespaces import SG_NS

if TYPE_CHECKING:
    from stancegraph.graph.ingestion.reader import StatementsReader

#: A stance's key as the store holds it, N-Triples terms: actor, target, stance type, agreement (or None),
#: moment (``sg:statedAt``) or else date, source graph, person (or None), coder (or None), quote position
#: (``sg:quoteStart`` and ``sg:quoteEnd``, space-separated, or None). A row's document and source cells
#: are its source graph there.
StoreKey = tuple[str, str, str, str | None, str, str, str | None, str | None, str | None]


class StoredStances:
    """The stances a store already holds, by key: a CSV row with the key of a stored stance (under another
    IRI) repeats it, and one with its IRI too is already stored.

    The keys are read with one query over the store's stances, on the first :meth:`match` (a lookup per
    chunk with ``VALUES`` of the chunk's keys was tried: the store joined each batch against every stance,
    a few seconds per batch), and kept as a 128-bit hash per stance with its IRI and source.

    Parameters
    ----------
    store : Store
        A store that holds stances.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self._keys: dict[int, list[tuple[str, str]]] | None = None

    def _read(self) -> dict[int, list[tuple[str, str]]]:
        pattern = (
            f"?s {P_ACTOR} ?a ; {P_TARGET} ?t ; {P_TYPE} ?k ; {P_DATE} ?d ; {P_SOURCE} ?g . "
            f"OPTIONAL {{ ?s {P_AGREEMENT} ?n }} OPTIONAL {{ ?s {P_PERSON} ?p }} "
            f"OPTIONAL {{ ?s {P_MOMENT} ?m }} OPTIONAL {{ ?s {P_CODER} ?c }} "
            f"OPTIONAL {{ ?s {P_QUOTE_START} ?qs ; {P_QUOTE_END} ?qe }}"
        )
        # a stance lives in its source's named graph (as every stance query reads it): no union with the
        # default graph, which some servers make the union of all graphs (Virtuoso; its cost estimate also
        # refuses the UNION form of this query)
        rows = self.store.query(
            f"SELECT ?s ?a ?t ?k ?n ?d ?g ?p ?m ?c ?qs ?qe WHERE {{ GRAPH ?graph {{ {pattern} }} }}"
        )
        keys: dict[int, list[tuple[str, str]]] = {}
        for s, a, t, k, n, d, g, p, m, c, qs, qe in (tuple(row) for row in rows):
            when = str(d) if m is None else str(m)
            span = None if qs is None else f"{qs} {qe}"
            key = RowKeys.key((str(a), str(t), str(k), _text(n), when, str(g), _text(p), _text(c), span))
            keys.setdefault(key, []).append((s.value, g.value))
        return keys

    def match(self, keys: Iterable[StoreKey]) -> dict[StoreKey, list[tuple[str, str]]]:
        """The stored stances (IRI, source graph IRI) of each of these keys that the store has."""
        if self._keys is None:
            self._keys = self._read()
        found: dict[StoreKey, list[tuple[str, str]]] = {}
        for key in keys:
            stored = self._keys.get(RowKeys.key(key))
            if stored is not None:
                found[key] = stored
        return found


def _text(term: Any) -> str | None:
    return None if term is None else str(term)


class StoreRepeats:
    """The rows of one table that repeat a stored stance.

    Parameters
    ----------
    reader : StatementsReader
        The table.
    stored : StoredStances or None
        The store's stances; None when the store is not compared (nothing is then held back).
    """

    def __init__(self, reader: StatementsReader, stored: StoredStances | None) -> None:
        self.reader = reader
        self.stored = stored
        #: Rows whose stance the store already holds, under the IRI the row gives it (stored again as is).
        self.already = 0
        #: Key of a row repeating a stored stance -> (that stance, its source graph).
        self.in_store: dict[int, tuple[str, str]] = {}
        self._repeats: list[tuple[int, str, str]] = []  # (line, stored stance, its source graph)

    def settle(
        self,
        pending: list[tuple[Any, ...]],
        local: list[str],
        shared: list[str],
        held: list[str],
        sink: Callable[[str], Any],
    ) -> int:
        """Ask the store about a chunk's rows, blank out those that repeat a stored stance, and write the
        rest to ``sink``; returns how many were taken out.

        ``pending`` holds the chunk's rows the store may hold: (position in ``local``, position of its
        direct edge in ``shared`` or -1, key, store key, stance IRI, line, id slug, the N-Triples IRI it
        contradicts, cells). ``held`` is the chunk's N-Quads, one entry per row as in ``local``.
        """
        reader = self.reader
        dropped: dict[str, int] = {}  # N-Triples IRI of a row's stance not stored -> its line
        if pending:
            assert self.stored is not None
            found = self.stored.match(row[3] for row in pending)
            for at, edge, key, store_key, node, line, slug, _, _ in pending:
                matches = found.get(store_key)
                if not matches:
                    continue
                if any(iri == node for iri, _ in matches):
                    self.already += 1
                    continue
                self.in_store[key] = matches[0]
                self._repeats.append((line, *matches[0]))
                local[at] = held[at] = ""
                if edge >= 0:
                    shared[edge] = ""
                if slug is not None:
                    reader.references.drop(slug, line)
                dropped[f"<{node}>"] = line
            if dropped:  # a later row of the chunk names the id of a row not stored
                for *_, line, _, target, cells in pending:
                    if target in dropped and line > dropped[target] and f"<{STANCE_NS}" in target:
                        text = cells[reader.at["contradicts"]]
                        message = reader.references.names_dropped(text, target[len(STANCE_NS) + 1 : -1])
                        if message is not None:
                            reader.violations.append(
                                Violation(
                                    message,
                                    file=reader.file,
                                    line=line,
                                    path=SG_NS + "contradicts",
                                    rule="csv",
                                    value=text,
                                )
                            )
            pending.clear()
        if held:
            sink("".join(held))
            held.clear()
        return len(dropped)

    def warnings(self) -> list[Violation]:
        """One warning per row that repeats a stance already in the store."""
        same = self.reader.keys.same()
        return [
            Violation(
                f"line {line} repeats the stance <{stance}> already in the store (the same {same}; its "
                f"source <{source}>); it is not stored again. Remove line {line}, or, if it is another "
                f"statement, make it differ in its {same.replace(' and ', ' or ')}",
                file=self.reader.file,
                line=line,
                node=stance,
                rule="duplicate",
            )
            for line, stance, source in self._repeats
        ]

"""The ``id`` and ``contradicts`` cells of a statements table: unique ids, and denials that name a stance.

A row's ``id`` names its stance (``id/stance/{slugify(id)}``); a ``contradicts`` cell names the stance the
row disputes: the id of another row of the file (earlier or later) or the IRI of a stance outside it.
:class:`StanceReferences` keeps only the slugs of the ids seen and the references not resolved yet, and
checks those once the last row is read (:meth:`StanceReferences.check`).
"""

from __future__ import annotations

__all__ = ["StanceReferences", "StanceIris", "STANCE_NS"]

import dataclasses
import hashlib
from collections.abc import Callable

from pyoxigraph import NamedNode

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.naming import Names
from stancegraph.graph.ingestion.table_format import COLUMNS, RowProblem, id_slug
from stancegraph.ontology.namespaces import ID_NS, SG_NS

#: Where the stances of statements tables are named.
STANCE_NS = ID_NS + "stance/"
_EARLIER = "\x00earlier\x00"  # stands for the line of a repeated id's first use until it is known
_SELF = (
    "the contradicts cell {text!r} names this row's own stance, and a stance cannot contradict itself; "
    "write the id (or IRI) of the stance this row disputes"
)


class StanceReferences:
    """The ids seen in one file and the ``contradicts`` references still to check.

    Parameters
    ----------
    file : str
        The file's name, for the violations.
    names : Names
        The names of the ingest: its ``stance_ids`` (the id slugs of every table read with them) let a
        ``contradicts`` IRI point to a row of a table read earlier, and its lookups find stances
        already in the store.
    """

    def __init__(self, file: str, names: Names) -> None:
        self.file = file
        self.names = names
        self.ids: set[str] = set()
        names.stance_ids.append(self.ids)
        self._forward: dict[str, list[tuple[int, str, str]]] = {}  # slug -> (line, node, cell) pointing to it
        self._outside: dict[str, list[tuple[int, str, str]]] = {}  # plain IRI -> (line, node, cell)
        #: (index in the reader's violations, slug) of each repeated id; its first line is filled in later.
        self.duplicates: list[tuple[int, str]] = []
        #: slug -> line of the ids of rows not stored because they repeat an earlier row's stance.
        self.dropped: dict[str, int] = {}

    def id_problems(self, text: str, slug: str | None) -> list[RowProblem]:
        """Note a row's id (``slug``: :func:`id_slug` of ``text``) as seen; a problem if it has no letters or
        digits or an earlier row has it."""
        if slug is None:
            return [
                RowProblem(
                    f"the id cell {text!r} has no letters or digits, so it cannot name the row's stance; "
                    "write an id such as claim-1, or leave the cell empty",
                    value=text,
                )
            ]
        if slug in self.ids or slug in self.dropped:
            same = "" if text == slug else f" (as {slug!r}: case, spaces and punctuation do not count)"
            problem = RowProblem(
                f"the id cell {text!r} repeats the id of line {_EARLIER}{same}; ids are unique in a file, so "
                "give this row its own id (or leave the cell empty)",
                value=text,
            )
            problem.duplicate = slug
            return [problem]
        self.ids.add(slug)
        return []

    def drop(self, slug: str, line: int) -> None:
        """Forget the id of a row that is not stored (it repeats an earlier row's stance): no stance has it,
        so a ``contradicts`` cell naming it is a problem (:meth:`check` says which row to name instead)."""
        self.ids.discard(slug)
        self.dropped[slug] = line

    def names_dropped(self, text: str, slug: str | None) -> str | None:
        """The problem of a contradicts cell naming the id of a row not stored (None if it names another)."""
        line = self.dropped.get(slug) if slug is not None else None
        if line is None:
            return None
        return (
            f"the contradicts cell {text!r} names the id of line {line}, which repeats an earlier row's "
            f"stance and is stored once, as that row's (see the warning on line {line}); write the id of "
            "that earlier row (or the IRI of its stance) instead"
        )

    def disputed(self, text: str, node: str, line: int) -> str:
        """The N-Triples IRI of the stance a ``contradicts`` cell names; what is not known yet is noted.

        An id seen on an earlier row resolves at once; one not seen yet, and an IRI outside this file,
        are checked by :meth:`check` after the last row.
        """
        bracketed = text.startswith("<") and text.endswith(">")
        if bracketed or "://" in text:
            iri_text = text[1:-1].strip() if bracketed else text
            try:
                iri = NamedNode(iri_text).value
            except ValueError as error:
                raise RowProblem(
                    f"the contradicts cell {text!r} is not a valid IRI ({error}); write the id of a row of "
                    "this file, or the full IRI of a stance",
                    SG_NS + "contradicts",
                    text,
                ) from None
            slug = iri[len(STANCE_NS) :] if iri.startswith(STANCE_NS) else None
            if iri == node:
                raise RowProblem(_SELF.format(text=text), SG_NS + "contradicts", text)
            if slug is None or not any(slug in ids for ids in self.names.stance_ids):
                self._outside.setdefault(iri, []).append((line, node, text))
            return f"<{iri}>"
        slug = id_slug(text)
        if slug is None:
            raise RowProblem(
                f"the contradicts cell {text!r} has no letters or digits; write the id of the row it "
                "disputes, or the full IRI of a stance",
                SG_NS + "contradicts",
                text,
            )
        iri = STANCE_NS + slug
        if iri == node:
            raise RowProblem(_SELF.format(text=text), SG_NS + "contradicts", text)
        if slug not in self.ids:
            self._forward.setdefault(slug, []).append((line, node, text))
        return f"<{iri}>"

    def check(self, violations: list[Violation], first_lines: Callable[[set[str]], dict[str, int]]) -> None:
        """After the last row, into ``violations`` (the reader's, sorted by line): ids no row has, IRIs that
        are no stance, and the line where each repeated id began (``first_lines`` finds those)."""
        found: list[Violation] = []
        for slug, rows in self._forward.items():
            if slug not in self.ids:
                found.extend(
                    self._violation(
                        line,
                        node,
                        text,
                        self.names_dropped(text, slug)
                        or f"the contradicts cell {text!r} names no stance: no row of this file has the id "
                        f"{text!r}; write the id of the row it disputes (its id cell), or the full IRI "
                        "(or <IRI>) of a stance already in the store",
                    )
                    for line, node, text in rows
                )
        outside = {
            iri: rows
            for iri, rows in self._outside.items()
            if not (iri.startswith(STANCE_NS) and iri[len(STANCE_NS) :] in self.ids)  # a later row's id
        }
        known = self.names.stances(outside) if outside else set()
        for iri, rows in outside.items():
            if iri not in known:
                slug = iri[len(STANCE_NS) :] if iri.startswith(STANCE_NS) else None
                found.extend(
                    self._violation(
                        line,
                        node,
                        text,
                        self.names_dropped(text, slug)
                        or f"the contradicts cell {text!r} names no stance: <{iri}> is not an sg:Stance in "
                        "the store, in the data loaded with this file, nor the id of a row; load the "
                        "disputed stance first, or correct the IRI (or write the id of a row of this file)",
                    )
                    for line, node, text in rows
                )
        self._forward, self._outside = {}, {}
        if self.duplicates:
            firsts = first_lines({slug for _, slug in self.duplicates})
            for index, slug in self.duplicates:
                v = violations[index]
                earlier = str(firsts.get(slug, "?"))
                violations[index] = dataclasses.replace(v, message=v.message.replace(_EARLIER, earlier))
            self.duplicates = []
        if found:
            violations.extend(found)
            violations.sort(key=lambda v: v.line or 0)  # stable: each row's problems stay together

    def _violation(self, line: int, node: str, text: str, message: str) -> Violation:
        return Violation(
            message, file=self.file, line=line, node=node, path=SG_NS + "contradicts", rule="csv", value=text
        )


class StanceIris:
    """The stance IRI of each row of one pass over a table: from its id, else from its content.

    A row without an id is named by a hash of its non-empty cells by column name, in
    :data:`~stancegraph.graph.ingestion.table_format.COLUMNS` order (so neither the file nor the column
    order matters), and of how many identical rows came before it in this pass.

    Parameters
    ----------
    columns : dict
        The table's columns (name -> position).
    """

    def __init__(self, columns: dict[str, int]) -> None:
        self._id_at = columns.get("id")
        self._hash_order = [
            (f"{name}=", columns[name]) for name in COLUMNS if name in columns and name != "id"
        ]
        self._seen: set[int] = set()
        self._repeats: dict[bytes, int] = {}

    def of_row(self, cells: list[str]) -> str:
        """The stance IRI of a row (its stripped cells): its id's, or :meth:`of_content`."""
        position = self._id_at
        if position is not None and cells[position]:
            slug = id_slug(cells[position])
            if slug is not None:
                return STANCE_NS + slug
        return self.of_content(cells)

    def of_content(self, cells: list[str]) -> str:
        """The stance IRI a row's content gives it, counting the row among those seen."""
        content = "\x1f".join(
            [prefix + cells[position] for prefix, position in self._hash_order if cells[position]]
        )
        data = content.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=10).digest()
        key = int.from_bytes(digest[:8], "big")
        if key in self._seen:
            occurrence = self._repeats.get(digest, 1)
            self._repeats[digest] = occurrence + 1
            digest = hashlib.blake2b(data + b"\x1e%d" % occurrence, digest_size=10).digest()
        else:
            self._seen.add(key)
        return STANCE_NS + digest.hex()

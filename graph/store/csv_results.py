"""SELECT solutions written as SPARQL 1.1 Query Results CSV, for a backend that cannot write them itself.

A columnar reader (the stance table of :mod:`stancegraph.graph.queries.stance_table`) takes the solutions
as CSV: the embedded store has pyoxigraph write them (:meth:`EmbeddedStore.select_csv
<stancegraph.graph.store.EmbeddedStore.select_csv>`), with no Python object per term; the solutions of
another backend's :meth:`~stancegraph.graph.store.Store.stream_query` are written here, one row at a time.
"""

from __future__ import annotations

__all__ = ["solutions_csv"]

import csv
import io
from typing import Any

from pyoxigraph import BlankNode

from stancegraph.graph.errors import StoreError


def solutions_csv(solutions: Any) -> bytes:
    """The solutions of a ``SELECT`` (a :class:`~stancegraph.graph.store.SelectStream` or
    :class:`~stancegraph.graph.store.SelectResult`) as CSV results: UTF-8, CRLF, the variables first, IRIs
    and literals as their text, blank nodes as ``_:id``, an unbound variable as an empty cell.

    Raises
    ------
    StoreError
        ``solutions`` is the answer of another query form (``ASK``, ``CONSTRUCT``).

    Examples
    --------
    >>> from pyoxigraph import Literal, NamedNode
    >>> from stancegraph.graph.store import SelectResult
    >>> solutions_csv(SelectResult(("s", "o"), ((NamedNode("urn:x"), Literal("a,b")), (None, None))))
    b's,o\\r\\nurn:x,"a,b"\\r\\n,\\r\\n'
    """
    if not hasattr(solutions, "variables"):
        raise StoreError("select_csv takes a SELECT query")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(solutions.variables)
    for row in solutions:
        writer.writerow(["" if t is None else str(t) if isinstance(t, BlankNode) else t.value for t in row])
    return text.getvalue().encode("utf-8")

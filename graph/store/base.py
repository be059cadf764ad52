"""The :class:`Store` interface, its value types, and what the two backends share.

* :class:`~stancegraph.graph.store.EmbeddedStore` keeps the dataset in pyoxigraph, in memory or in a folder.
* :class:`~stancegraph.graph.store.RemoteStore` talks to any server that speaks the SPARQL 1.1 Protocol,
  SPARQL 1.1 Update and the Graph Store HTTP Protocol (Oxigraph, Fuseki, GraphDB, ...).

Both return the same value types: pyoxigraph terms inside a :class:`SelectResult` for ``SELECT``, a
``bool`` for ``ASK`` and a tuple of :class:`pyoxigraph.Triple` for ``CONSTRUCT`` / ``DESCRIBE``. Most code
only needs :func:`open_store`.

Examples
--------
>>> from pyoxigraph import Literal, NamedNode, Quad
>>> ex = "https://example.org/"
>>> from stancegraph.graph.store import open_store
>>> with open_store() as store:
...     store.load([Quad(NamedNode(ex + "kyiv"), NamedNode(ex + "label"), Literal("Kyiv"))])
...     result = store.query("SELECT ?place ?name WHERE { ?place ?p ?name }",
...                          bindings={"name": Literal("Kyiv")})
...     [row["place"].value for row in result.dicts()]
1
['https://example.org/kyiv']
"""

from __future__ import annotations

__all__ = [
    "Store",
    "Counts",
    "SelectResult",
    "SelectStream",
    "check_dataset",
    "graph_iri",
    "check_quads",
    "syntax_error",
]

import abc
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    serialize,
)

from stancegraph.graph.errors import QuerySyntaxError, StoreError, ValidationError, Violation
from stancegraph.graph.store.bindings import Term
from stancegraph.graph.store.formats import resolve_format
from stancegraph.ontology.namespaces import PREFIXES, SG_NS

_TERM_TYPES = (NamedNode, BlankNode, Literal, Triple)

_STANCE_TYPE = f"<{SG_NS}Stance>"


def _counts_query(graphs: str) -> str:
    """The one query of :meth:`Store.counts`; ``graphs`` is the group that lists the named graphs."""
    return f"""
SELECT ?default ?named ?graphs ?stances WHERE {{
  {{ SELECT (COUNT(*) AS ?default) WHERE {{ ?s ?p ?o }} }}
  {{ SELECT (COUNT(*) AS ?named) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} }}
  {{ SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE {{ GRAPH ?g {graphs} }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?stances) WHERE {{
       {{ ?x a {_STANCE_TYPE} }} UNION {{ GRAPH ?g {{ ?x a {_STANCE_TYPE} }} }} }} }}
}}
"""


@dataclass(frozen=True)
class SelectResult:
    """The solutions of a ``SELECT`` query, fully read.

    Attributes
    ----------
    variables : tuple of str
        The projected variable names, without ``?``, in the order the query engine reports them.
    rows : tuple of tuple
        One tuple per solution, aligned with ``variables``; each cell is a pyoxigraph term or None when
        the variable is unbound in that solution.

    Examples
    --------
    >>> from pyoxigraph import Literal
    >>> result = SelectResult(("a", "b"), ((Literal("1"), None),))
    >>> len(result), result.dicts()
    (1, [{'a': <Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>}])
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Term]]:
        """Each solution as a ``{variable: term}`` dict; unbound variables are left out."""
        return [
            {name: value for name, value in zip(self.variables, row, strict=True) if value is not None}
            for row in self.rows
        ]


@dataclass(frozen=True)
class SelectStream:
    """The solutions of a ``SELECT`` query as :meth:`Store.stream_query` reads them: the ``variables``
    (as in :class:`SelectResult`) and an iterator of ``rows``, which can be read once."""

    variables: tuple[str, ...]
    rows: Iterator[tuple[Term | None, ...]]

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return self.rows


@dataclass(frozen=True)
class Counts:
    """How much a store holds (see :meth:`Store.counts`).

    Attributes
    ----------
    quads : int
        Every quad, the default graph's triples included.
    default_graph : int
        Triples in the default graph.
    named_graphs : int
        Number of named graphs (an empty named graph counts if the backend keeps it).
    stances : int
        Distinct subjects typed ``sg:Stance`` in any graph.
    """

    quads: int
    default_graph: int
    named_graphs: int
    stances: int


class Store(abc.ABC):
    """A dataset that can be queried with SPARQL, updated, loaded, exported and cleared.

    Use :func:`open_store` to get one. Every write is atomic unless documented otherwise (``bulk=True``).
    A store is a context manager: leaving the ``with`` block calls :meth:`close`.
    """

    #: The group of ``GRAPH ?g ...`` that finds every named graph (a server may answer nothing to ``{ }``).
    _graph_group = "{ }"
    #: The query that lists the named graphs.
    _graphs_query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"

    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        union_default_graph: bool = False,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> SelectResult | bool | tuple[Triple, ...]:
        """Run a SPARQL query.

        Parameters
        ----------
        sparql : str
            A SPARQL 1.1 query (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``).
        bindings : mapping of str to pyoxigraph term, optional
            Values for variables, by name (a leading ``?`` or ``$`` is allowed): ``NamedNode``,
            ``Literal`` or ``Triple``. The variable is bound in every group of the query, so it acts
            like a substitution: in triple patterns, in ``FILTER`` s, in ``OPTIONAL`` and ``GRAPH``
            blocks, and in the results if the ``SELECT`` clause names it. Values are never pasted into
            the query: they travel as a ``VALUES`` block of escaped terms (see
            :mod:`stancegraph.graph.store.bindings`), or, for a server whose planner chokes on those
            (Virtuoso), as the escaped terms written where their variable stands
            (:mod:`stancegraph.graph.store.term_substitution`): the same answers either way.
        union_default_graph : bool, default False
            Make the default graph the union of all graphs.
        default_graph, named_graphs : sequence of str, optional
            IRIs of the graphs that form the default graph / that ``GRAPH`` may see (the protocol's
            ``default-graph-uri`` / ``named-graph-uri``).
        timeout : float, optional
            Seconds before the query is abandoned (see each backend for how far this can cut).

        Returns
        -------
        SelectResult or bool or tuple of pyoxigraph.Triple
            By query form: ``SELECT``, ``ASK``, ``CONSTRUCT`` / ``DESCRIBE``.

        Raises
        ------
        QuerySyntaxError
            The query does not parse; ``lineno`` and ``offset`` locate the error when the parser says.
        ValidationError
            A binding that is not a pyoxigraph term or whose name is not a SPARQL variable name.
        StoreError
            The query could not run (a bound variable the query does not return, a server error, a
            timeout, an unreachable server).
        """

    def stream_query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        union_default_graph: bool = False,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> SelectStream | bool | Iterator[Triple]:
        """:meth:`query`, with the solutions or triples handed out as they are read.

        A caller that stops early (at a row limit) never holds the whole result. Parameters and errors are
        those of :meth:`query`; an error met while reading is raised by the iterator as a StoreError. The
        default reads the whole result first; the embedded backend streams.

        Returns
        -------
        SelectStream or bool or iterator of pyoxigraph.Triple
            By query form: ``SELECT``, ``ASK``, ``CONSTRUCT`` / ``DESCRIBE``.

        Examples
        --------
        >>> from stancegraph.graph.store import open_store
        >>> with open_store() as store:
        ...     solutions = store.stream_query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
        ...     solutions.variables, next(iter(solutions))[0].value
        (('n',), '1')
        """
        result = self.query(
            sparql,
            bindings=bindings,
            union_default_graph=union_default_graph,
            default_graph=default_graph,
            named_graphs=named_graphs,
            timeout=timeout,
        )
        if isinstance(result, bool):
            return result
        if isinstance(result, SelectResult):
            return SelectStream(result.variables, iter(result.rows))
        return iter(result)

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update request as one transaction: all of its operations or none.

        Raises
        ------
        QuerySyntaxError
            The update does not parse.
        StoreError
            An operation failed (e.g. ``CLEAR GRAPH`` of a graph that does not exist); nothing was
            changed.
        """

    @abc.abstractmethod
    def load(self, quads: Iterable[Quad | Triple | tuple[Any, ...]], *, bulk: bool = False) -> int:
        """Add quads; returns how many were given (duplicates included).

        Parameters
        ----------
        quads : iterable
            :class:`pyoxigraph.Quad` objects; a :class:`pyoxigraph.Triple` or a 3-tuple of terms goes to
            the default graph, a 4-tuple names its graph last.
        bulk : bool, default False
            False: every item is checked first, then all are written in one transaction, so a bad item
            stores nothing. True: items are checked and written as they stream by (for millions of
            already-validated quads); a bad item or a crash can leave the earlier ones stored.

        Raises
        ------
        ValidationError
            An item that is not a valid quad (e.g. a literal as graph name); nothing was stored unless
            ``bulk=True``.
        StoreError
            The write failed.
        """

    @abc.abstractmethod
    def remove_graph(self, graph: str) -> None:
        """Remove the named graph with IRI ``graph`` and its triples (nothing happens if it is absent)."""

    @abc.abstractmethod
    def _fetch(self, graph: str | None, *, dataset: bool) -> Iterable[Quad] | Iterable[Triple]:
        """The quads of the dataset (``graph`` None, ``dataset`` True), or the triples of one graph
        (``graph`` an IRI, or None for the default graph)."""

    def export(
        self,
        format: str | RdfFormat = "trig",
        *,
        graph: str | None = None,
        default: bool = False,
        out: IO[bytes] | None = None,
    ) -> bytes | None:
        """Serialise the store, or one graph of it.

        Parameters
        ----------
        format : str or pyoxigraph.RdfFormat, default "trig"
            A key of :data:`~stancegraph.graph.store.formats.RDF_FORMATS`: ``trig``, ``nquads``,
            ``turtle``, ``ntriples``, ``jsonld``, ``rdfxml`` or a file extension (``ttl``, ``nt``, ...).
        graph : str, optional
            IRI of one named graph. Dataset formats (TriG, N-Quads, JSON-LD) then hold only that graph,
            still named; triple formats hold its triples.
        default : bool, default False
            Only the default graph (the catalogue: actors, plans, demands, sources), in any format.
            Without ``graph`` or ``default`` the whole store is written: a dataset format holds every
            graph; a triple format (Turtle, N-Triples, RDF/XML) cannot hold the named graphs (where the
            stances live), so it is refused while the store has any, rather than dropping them.
        out : binary file, optional
            Where to write; when None the bytes are returned.

        Returns
        -------
        bytes or None
            The serialisation, or None when written to ``out``.

        Notes
        -----
        The prefixes of :data:`stancegraph.ontology.namespaces.PREFIXES` (``sg:``, ``prov:``, ``skos:``,
        ...) are declared in Turtle, TriG and RDF/XML. RDF/XML cannot write a predicate IRI that does
        not end in a name (e.g. ``urn:x:1``).
        """
        rdf_format = resolve_format(format)
        if graph is not None and default:
            raise ValueError("export: give graph= or default=True, not both")
        if graph is not None:
            graph_node = graph_iri(graph)
        elif not default and not rdf_format.supports_datasets and self.named_graphs():
            count = len(self.named_graphs())
            raise StoreError(
                f"{rdf_format.name} holds one graph, and the store has {count} named graph"
                f"{'s' if count != 1 else ''} besides the default one (the stances are in them); export "
                "everything as trig, nquads or jsonld, one graph with graph= (--graph IRI), or the default "
                "graph alone with default=True (--default)"
            )
        if rdf_format.supports_datasets and graph is not None:
            items: Iterable[Quad] | Iterable[Triple] = (
                Quad(t.subject, t.predicate, t.object, graph_node) for t in self._fetch(graph, dataset=False)
            )
        else:
            items = self._fetch(graph, dataset=rdf_format.supports_datasets and not default)
        try:
            return serialize(items, out, rdf_format, prefixes=dict(PREFIXES))
        except (ValueError, TypeError, OSError) as error:
            target = f"graph <{graph}>" if graph else "the store"
            raise StoreError(f"cannot write {target} as {rdf_format.name}: {error}") from error

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted (a blank-node graph name appears as ``_:id``)."""
        result = self.query(self._graphs_query)
        assert isinstance(result, SelectResult)
        return sorted(_graph_name_text(row[0]) for row in result.rows if row[0] is not None)

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every quad and every named graph."""

    def counts(self) -> Counts:
        """Count quads, default-graph triples, named graphs and stances in one query.

        Examples
        --------
        >>> from pyoxigraph import NamedNode, Quad
        >>> from stancegraph.graph.store import open_store
        >>> rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        >>> stance = NamedNode("https://w3id.org/stancegraph/id/stance/a")
        >>> with open_store() as store:
        ...     store.load([Quad(stance, rdf_type, NamedNode(SG_NS + "Stance"),
        ...                      NamedNode("https://w3id.org/stancegraph/id/source/s"))])
        ...     store.counts()
        1
        Counts(quads=1, default_graph=0, named_graphs=1, stances=1)
        """
        result = self.query(_counts_query(self._graph_group))
        assert isinstance(result, SelectResult) and len(result) == 1
        default, named, graphs, stances = (int(term.value) for term in result.rows[0])  # type: ignore[union-attr]
        return Counts(quads=default + named, default_graph=default, named_graphs=graphs, stances=stances)

    @property
    def version(self) -> str | None:
        """A token that changes with every write (:mod:`.versions`); None if the backend cannot tell."""
        return None

    def flush(self) -> None:  # noqa: B027 - on purpose a no-op for backends that buffer nothing
        """Write what the backend still buffers to durable storage, so that other readers of the same
        data (a read-only view of an on-disk store) see every write. Nothing to do for most backends."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store (the folder lock, the HTTP connections). Later calls raise StoreError."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# -- shared by the two backends ---------------------------------------------------------------------


def check_dataset(*, union_default_graph: bool, default_graph: Sequence[str] | None) -> None:
    """Refuse asking for the union default graph and for a given default graph at once."""
    if union_default_graph and default_graph is not None:
        raise ValidationError(
            [
                Violation(
                    "union_default_graph=True and default_graph=[...] contradict each other; pass one",
                    rule="dataset",
                )
            ]
        )


def graph_iri(graph: str) -> NamedNode:
    """``graph`` as a NamedNode; a ValidationError says what is wrong with an invalid IRI."""
    try:
        return NamedNode(graph)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            [Violation(f"not a valid graph IRI: {error}", node=str(graph), rule="IRI syntax")]
        ) from error


def check_quads(quads: Iterable[Quad | Triple | tuple[Any, ...]]) -> Iterator[Quad]:
    """Turn each item into a :class:`~pyoxigraph.Quad`, raising ValidationError at the first bad one."""
    for index, item in enumerate(quads):
        if isinstance(item, Quad):
            yield item
        elif isinstance(item, Triple):
            yield Quad(item.subject, item.predicate, item.object, DefaultGraph())
        elif isinstance(item, tuple) and len(item) in (3, 4):
            try:
                yield Quad(*item)
            except (TypeError, ValueError) as error:
                raise ValidationError([_bad_quad(index, item, _quad_problem(item) or str(error))]) from None
        else:
            raise ValidationError(
                [_bad_quad(index, item, f"a {type(item).__name__} is not a Quad, a Triple or a 3-/4-tuple")]
            )


def _quad_problem(item: tuple[Any, ...]) -> str | None:
    names = ("subject", "predicate", "object", "graph name")
    allowed: tuple[tuple[type, ...], ...] = (
        (NamedNode, BlankNode, Triple),
        (NamedNode,),
        _TERM_TYPES,
        (NamedNode, BlankNode, DefaultGraph),
    )
    for name, value, types in zip(names, item, allowed, strict=False):
        if not isinstance(value, types):
            kinds = " or ".join(t.__name__ for t in types)
            return f"the {name} is a {type(value).__name__}; it must be a {kinds}"
    return None


def _bad_quad(index: int, item: object, message: str) -> Violation:
    return Violation(f"item {index} is not a valid quad: {message}", rule="quad", value=repr(item)[:300])


def syntax_error(message: str, sparql: str, *, origin: str) -> QuerySyntaxError:
    """A :class:`QuerySyntaxError` carrying the parser's message and, when it gives one, the position.

    Understands Oxigraph's ``error at LINE:COLUMN: ...``, the ``line L, column C`` of Jena and others and
    Virtuoso's ``line L: ...``.
    Positions refer to the text the parser saw: with bindings, the query with its ``VALUES`` blocks.
    """
    match = re.search(r"at (\d+):(\d+)", message) or re.search(r"line (\d+),? column (\d+)", message)
    lineno = int(match.group(1)) if match else None
    offset = int(match.group(2)) if match else None
    if match is None and (line_only := re.search(r"\bline (\d+)\b", message)):  # Virtuoso: "line 3: ..."
        lineno = int(line_only.group(1))
    lines = sparql.splitlines()
    text = lines[lineno - 1] if lineno is not None and 0 < lineno <= len(lines) else None
    detail = f"\n    {text}\n    {' ' * max((offset or 1) - 1, 0)}^" if text is not None else ""
    error = QuerySyntaxError(f"the {origin} rejected the SPARQL: {message.strip()}{detail}")
    # SyntaxError's own str() appends "(line N)" from these
    error.lineno, error.offset, error.text = lineno, offset, text
    return error


def _graph_name_text(node: Term) -> str:
    return node.value if isinstance(node, NamedNode) else str(node)

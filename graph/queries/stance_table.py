"""The stances of a store as one columnar table (polars), cached beside the store and never read stale.

One row per ``sg:Stance`` (with its actor, target, stance type and date in the same named graph):

==============  ===========================================================================================
column          value
==============  ===========================================================================================
stance          the stance's IRI; ``id``: its short id
graph           the named graph holding it (its source document); ``document``: the graph's short id
actor, target   IRIs of ``sg:actor`` and ``sg:target``
type            the stance type IRI (``sg:Endorses`` ...)
date            ``sg:statedOn`` as a date
agreement       ``sg:agreement`` (a coded DNA value) as an integer, or null
confidence      ``sg:confidence`` as a float, or null
person, coder   IRIs of ``sg:person`` and ``sg:codedBy`` in the same graph, or null
derived_from    ``prov:wasDerivedFrom`` in the same graph, or null
*_label         ``skos:prefLabel`` of actor, target, person and coder in the default graph, or null
contested       the stance contradicts another or is contradicted
denied          its own actor has denied it since (:mod:`stancegraph.graph.queries.contested`)
==============  ===========================================================================================

How it is built (measured on a 100k-statement store, 903k quads, 2 cores): pyoxigraph's evaluation is the
cost, not the reading. The one 14-variable join query of the former path takes 4.8 s to write as CSV; the
same columns as one query per predicate (``GRAPH ?g { ?s <p> ?o }``), written as SPARQL CSV results by
pyoxigraph (:meth:`~stancegraph.graph.store.EmbeddedStore.select_csv`, no Python object per term), take
0.7-1 s each, and pyoxigraph releases the GIL, so two threads (as fast as four on two cores, with half the
answers in memory at a time) run the twelve of them in about 2.5 s; each answer is joined on ``(stance,
graph)`` in polars as it comes (0.2 s in all), then dropped. For comparison, pyoxigraph's own scan of the
five main predicates' triples (``quads_for_pattern``, one Python object per quad) takes 3.8 s, and dumping
the store as N-Quads 9.3 s. Reading the CSV: polars 0.07 s, pyarrow 0.13 s, DuckDB 0.23 s (through a file),
so the table is a polars DataFrame: the fastest reader here, with the joins, filters and Parquet files in
the same library and no extra runtime (pyarrow would need its compute kernels or pandas for the joins).

Cache: in memory per store handle and as Parquet in an on-disk store's folder (:data:`TABLE_FILE`), both
stamped with :attr:`Store.version <stancegraph.graph.store.Store.version>` (see
:mod:`stancegraph.graph.store.versions`): a table is taken from the cache only while the store still has
the version it was built from, and kept only when the version was the same before and after building.
A remote store is read from the server's own CSV results (``Accept: text/csv``,
:meth:`RemoteStore.select_csv <stancegraph.graph.store.RemoteStore.select_csv>`), so no Python object is
made per term there either; its table is kept in memory while the server's answer to its version query
stays the same (``stancegraph serve``: ``GET /api/version``, :attr:`RemoteStore.version
<stancegraph.graph.store.RemoteStore.version>`).
A server with no version query (Oxigraph, Virtuoso, any other: none can tell when it was last written) has
no version, and its table is built afresh for each reader, or once for all the readers of one answer
inside :func:`one_reading` (a report).
"""

from __future__ import annotations

__all__ = [
    "stance_table", "refresh_stance_table", "build_stance_table", "short_id_column", "TABLE_FILE",
    "TABLE_COLUMNS", "BUILD_BYTES_PER_STANCE", "one_reading",
]  # fmt: skip

import contextlib
import os
import uuid
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from stancegraph.graph.store.csv_results import solutions_csv
from stancegraph.graph.store.embedded import EmbeddedStore
from stancegraph.graph.store.remote import RemoteStore
from stancegraph.ontology.namespaces import ID_NS, SG_NS

if TYPE_CHECKING:
    import polars as pl

    from stancegraph.graph.store import Store

#: The Parquet file of the stance table in an on-disk store's folder.
TABLE_FILE = "stancegraph-stances.parquet"
#: Bumped when the columns or their meaning change, so an old file is rebuilt.
_LAYOUT = "1"
_VERSION_KEY, _LAYOUT_KEY = "stancegraph.version", "stancegraph.layout"

_PROV = "http://www.w3.org/ns/prov#"
_SKOS_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Each stance property read by one query: column -> predicate IRI; the first four are required.
_REQUIRED = {"actor": "actor", "target": "target", "type": "stanceType", "date": "statedOn"}
_OPTIONAL = {
    "agreement": SG_NS + "agreement",
    "confidence": SG_NS + "confidence",
    "person": SG_NS + "person",
    "coder": SG_NS + "codedBy",
    "derived_from": _PROV + "wasDerivedFrom",
}
_CONTRADICTS = SG_NS + "contradicts"
_NODES = ("actor", "target", "person", "coder")

#: The columns of the table, in order.
TABLE_COLUMNS = (
    "stance", "id", "graph", "document", "actor", "target", "type", "date", "agreement", "confidence",
    "person", "coder", "derived_from", "actor_label", "target_label", "person_label", "coder_label",
    "contested", "denied",
)  # fmt: skip

_memory: weakref.WeakKeyDictionary[Store, tuple[str, pl.DataFrame]] = weakref.WeakKeyDictionary()
#: The tables read inside :func:`one_reading` blocks, by store handle (only stores without a version).
_reading: ContextVar[dict[int, pl.DataFrame] | None] = ContextVar("stancegraph_one_reading", default=None)


def _property_query(predicate: str) -> str:
    return f"SELECT ?s ?g ?o WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?o }} }}"


def _queries() -> dict[str, str]:
    """The queries, in the order their answers are used: the contradictions first (few), so that of the
    actor and date answers only the rows the contested rule needs are kept past their join."""
    queries = {"contradicts": _property_query(_CONTRADICTS)}
    queries["stance"] = f"SELECT ?s ?g WHERE {{ GRAPH ?g {{ ?s <{_RDF_TYPE}> <{SG_NS}Stance> }} }}"
    queries |= {name: _property_query(SG_NS + local) for name, local in _REQUIRED.items()}
    queries |= {name: _property_query(iri) for name, iri in _OPTIONAL.items()}
    queries["label"] = f"SELECT ?s ?o WHERE {{ ?s <{_SKOS_LABEL}> ?o }}"
    return queries


def short_id_column(column: str) -> pl.Expr:
    """:func:`~stancegraph.graph.queries.names.short_id` on a whole column."""
    import polars as pl

    iri = pl.col(column)
    rest = iri.str.strip_prefix(ID_NS).str.splitn("/", 2).struct.field("field_1")
    ours = iri.str.starts_with(ID_NS) & rest.is_not_null() & (rest != "")
    return pl.when(ours).then(rest).otherwise(iri)


def build_stance_table(store: Store) -> pl.DataFrame:
    """The stance table of ``store``, built afresh (see the module for the columns and how).

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> import polars as pl
    >>> table = build_stance_table(store)
    >>> table.height, table.filter(pl.col("denied"))["id"].to_list()
    (76, ['umerov-claim'])
    """
    import polars as pl

    queries = _queries()
    kept: dict[str, pl.DataFrame] = {}  # what the contested rule needs after the joins
    with ThreadPoolExecutor(max_workers=2) as pool:
        # each answer is read into polars in its thread and joined as soon as it comes (in the order
        # of _queries), then dropped: the CSV text and the frames of the others are not all held at once
        # (two threads: as fast as four on two cores, and half the answers in memory at a time)
        frames = pool.map(lambda q: pl.read_csv(_select_csv(store, q), infer_schema=False), queries.values())
        for name, frame in zip(queries, frames, strict=True):
            if name == "contradicts":
                kept[name] = frame
                disputed = pl.concat([frame["s"], frame["o"]]).unique().implode()
            elif name in ("actor", "date"):
                kept[name] = frame.filter(pl.col("s").is_in(disputed))
            if name == "stance":
                table = frame.unique(["s", "g"], keep="first")
            elif name in _REQUIRED or name in _OPTIONAL:
                how = "inner" if name in _REQUIRED else "left"
                table = table.join(_first(frame, name), on=["s", "g"], how=how)
            elif name == "label":
                labels = frame.sort("o").unique("s", keep="first")
            del frame
    contested, denied = _disputed(kept)
    del kept
    for node in _NODES:
        table = table.join(
            labels.rename({"s": node, "o": f"{node}_label"}), on=node, how="left", coalesce=True
        )
    table = table.rename({"s": "stance", "g": "graph"}).with_columns(
        short_id_column("stance").alias("id"),
        short_id_column("graph").alias("document"),
        pl.col("date").str.to_date("%Y-%m-%d", strict=False),
        pl.col("agreement").cast(pl.Int64, strict=False),
        pl.col("confidence").cast(pl.Float64, strict=False),
        pl.col("stance").is_in(contested.implode()).alias("contested"),
        pl.col("stance").is_in(denied.implode()).alias("denied"),
    )
    return table.select(TABLE_COLUMNS).sort(["date", "stance"])


def _disputed(frames: dict[str, pl.DataFrame]) -> tuple[pl.Series, pl.Series]:
    """The contested and the denied stances by the rule of :mod:`stancegraph.graph.queries.contested`
    (:func:`~stancegraph.graph.queries.contested.contested_pattern`, :func:`~stancegraph.graph.queries.
    contested.denied_pattern`), computed on the frames: a stance is contested when it contradicts another
    or is contradicted (in any named graph); denied when a subject with the same ``sg:actor``, stated
    (``sg:statedOn``) the same day or later, contradicts it, each side's actor and date in its own graph."""
    import polars as pl

    links = frames["contradicts"]
    contested = pl.concat([links["s"], links["o"]]).unique()
    dated = (
        frames["actor"]
        .rename({"o": "actor"})
        .join(frames["date"].rename({"o": "date"}), on=["s", "g"])
        .with_columns(pl.col("date").str.to_date("%Y-%m-%d", strict=False))
    )
    denials = links.join(dated, on=["s", "g"]).select(pl.col("o").alias("s"), "actor", denied="date")
    claims = denials.join(dated.drop("g"), on=["s", "actor"]).filter(pl.col("denied") >= pl.col("date"))
    return contested, claims["s"].unique()


def _select_csv(store: Store, sparql: str) -> bytes:
    """The solutions as CSV results: written by the backend (pyoxigraph, or the server), else here."""
    if isinstance(store, EmbeddedStore | RemoteStore):
        return store.select_csv(sparql)
    return solutions_csv(store.stream_query(sparql))


def _first(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """One value per (stance, graph): the shapes allow one; a second (not valid) is ignored."""
    return frame.unique(["s", "g"], keep="first").rename({"o": name})


def stance_table(store: Store) -> pl.DataFrame:
    """The stance table of ``store``: from the cache while the store has not changed, else built and
    cached (in memory, and as :data:`TABLE_FILE` in an on-disk store's folder).

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> stance_table(store) is stance_table(store)  # the second answer comes from the cache
    True
    """
    table = None
    for _ in range(3):
        before = store.version
        if before is None:
            return _read_once(store)
        cached = _memory.get(store)
        if cached is not None and cached[0] == before:
            return cached[1]
        table = _read_file(store, before)
        if table is None:
            table = build_stance_table(store)
            if store.version != before:
                continue  # a write overlapped the build: build again
            _write_file(store, table, before)
        _memory[store] = (before, table)
        return table
    assert table is not None
    return table


#: What building the table takes per stance, at its peak, with some margin (measured: 1.8-1.9 GiB for a
#: million stances, of which the table itself is 0.37 GB); :func:`refresh_stance_table` builds only what
#: fits in half the memory free.
BUILD_BYTES_PER_STANCE = 2_200


@contextlib.contextmanager
def one_reading(store: Store) -> Iterator[None]:
    """Inside the block, every reader of a store without a version (a remote server that cannot tell
    when it was written) gets the same table, built once: for one answer made of several readings (a
    report), which then also agree with each other. A store with a version needs no block: its table is
    cached until the next write anyway.

    Examples
    --------
    >>> from stancegraph.graph import open_store
    >>> store = open_store()
    >>> with one_reading(store):
    ...     stance_table(store).height
    0
    """
    tables = _reading.get()
    token = _reading.set({} if tables is None else tables)
    try:
        yield
    finally:
        _reading.reset(token)


def _read_once(store: Store) -> pl.DataFrame:
    tables = _reading.get()
    if tables is None:
        return build_stance_table(store)
    if id(store) not in tables:
        tables[id(store)] = build_stance_table(store)
    return tables[id(store)]


def refresh_stance_table(store: Store, *, stances: int | None = None) -> bool:
    """Build and keep the table for the version ``store`` has now: called right after every accepted
    write (a load, a Graph Store request, a SPARQL Update), so the table beside the store is the one of its
    latest write and the first analysis after it reads the file instead of building it.

    Nothing is built for a store without a version (a remote server: an analysis builds its table when
    it asks), nor when building it would take more than half the memory free now
    (:data:`BUILD_BYTES_PER_STANCE` per stance; ``stances``: how many the store holds, counted if not
    given): the first analysis builds it then, and a load does not fail for it after its data is stored.

    Returns
    -------
    bool
        Whether the table of this version is kept now.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from stancegraph.graph import open_store, load_bundled
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> with open_store(folder) as store:
    ...     _ = load_bundled(store)  # no analysis asks: the load itself leaves the table
    >>> (folder / TABLE_FILE).is_file()
    True
    """
    if store.version is None:
        return False
    count = store.counts().stances if stances is None else stances
    if count * BUILD_BYTES_PER_STANCE > _free_memory() / 2:
        return False
    stance_table(store)
    return True


def _free_memory() -> float:
    """Bytes of memory available to a new allocation: Linux's ``MemAvailable``, else the physical memory
    (where neither is known, no limit)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return float("inf")


def _file(store: Store) -> Path | None:
    on_disk = isinstance(store, EmbeddedStore) and store.path is not None
    return store.path / TABLE_FILE if on_disk else None


def _read_file(store: Store, version: str) -> pl.DataFrame | None:
    import polars as pl

    file = _file(store)
    if file is None or not file.is_file():
        return None
    try:
        stamp = pl.read_parquet_metadata(file)
        if stamp.get(_VERSION_KEY) != version or stamp.get(_LAYOUT_KEY) != _LAYOUT:
            return None
        table = pl.read_parquet(file)
    except (OSError, pl.exceptions.PolarsError):
        return None  # unreadable (e.g. half written by a crash): build it again
    return table if table.columns == list(TABLE_COLUMNS) else None


def _write_file(store: Store, table: pl.DataFrame, version: str) -> None:
    file = _file(store)
    if file is None:
        return
    temporary = file.with_name(f"{file.name}.{uuid.uuid4().hex}.tmp")  # unique: threads may write at once
    try:
        table.write_parquet(temporary, metadata={_VERSION_KEY: version, _LAYOUT_KEY: _LAYOUT})
        os.replace(temporary, file)
    except OSError:
        temporary.unlink(missing_ok=True)  # a folder this process cannot write: keep it in memory only

"""Load files into a store, validated: everything is parsed and checked before anything is stored.

:func:`ingest` takes RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) and statements
tables (CSV, see :mod:`stancegraph.graph.statements`), converts them to N-Quads in a work folder,
checks syntax, rows and the SHACL shapes (compiled to SPARQL, :mod:`stancegraph.graph.validation`),
and only then writes them with one :meth:`Store.load <stancegraph.graph.store.Store.load>` call. A
problem anywhere raises :class:`~stancegraph.graph.errors.ValidationError` listing every violation
(file, line, node, property, rule) and leaves the store as it was. :func:`check` runs the same
pipeline without writing (``stancegraph validate``); :func:`load_bundled` loads the ontology and the
bundled peace-plan data set through it.

How a million CSV rows stay fast and small: rows are converted in chunks of :data:`CHUNK_ROWS`; each
chunk's stances are validated in a small in-memory staging store that also holds the classes of what
they point to (stances only depend on their own triples and on those classes, because the stance
shape has no SPARQL constraint; if it ever gets one, all rows are validated together instead). A
stance a row contradicts may sit in another chunk, even a later one: the chunk's staging store types it
``sg:Stance``, and the reader checks after the last row that every such reference names a stance. The
created actors, targets and the source catalogue are validated once, together with the RDF inputs.

Where the converted files go: for an on-disk store, a folder ``.stancegraph-ingest-{pid}-{random}``
inside the store's folder (the same disk as the data; pyoxigraph ignores it), removed when the load ends.
A load killed before that (``kill -9``, a power cut) leaves it behind, about 1.9 KB per CSV row; the
next :func:`ingest` or :func:`check` on that store removes every such folder that no live process holds
(each load holds a lock on its own folder). For a store in memory or behind an endpoint, the folder is
in the system's temporary folder and removed when the load ends.
"""

from __future__ import annotations

__all__ = [
    "IngestReport",
    "ingest",
    "check",
    "load_bundled",
    "remove_leftovers",
    "FORMATS",
    "CHUNK_ROWS",
    "BULK_THRESHOLD",
]

import contextlib
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pyoxigraph import NamedNode, RdfFormat, parse, serialize
from pyoxigraph import Store as OxStore

from stancegraph.graph.errors import ValidationError, Violation
from stancegraph.graph.statements import (
    C_ISSUE,
    C_SOURCE,
    C_STANCE,
    STANCE_PREDICATES,
    Names,
    StatementsReader,
)
from stancegraph.graph.validation import (
    CONTEXT_TYPE,
    RDF_TYPE,
    CompiledShapes,
    add_context,
    compiled_shapes,
    reference_context,
)

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

#: File extension (or format name) -> format; "csv" is a statements table.
FORMATS: dict[str, RdfFormat | str] = {
    "ttl": RdfFormat.TURTLE,
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nt": RdfFormat.N_TRIPLES,
    "ntriples": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "nquads": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "json-ld": RdfFormat.JSON_LD,
    "rdf": RdfFormat.RDF_XML,
    "xml": RdfFormat.RDF_XML,
    "rdfxml": RdfFormat.RDF_XML,
    "csv": "csv",
}
_EXTENSIONS = ".ttl, .trig, .nt, .nq, .jsonld, .rdf, .xml, .csv"
#: Rows of a statements table validated together in one staging store.
CHUNK_ROWS = 50_000
#: Above this many quads the final write uses the store's bulk loader (after validation).
BULK_THRESHOLD = 200_000

_STANCE = "https://w3id.org/stancegraph/ontology#Stance"
_BATCH = 1000


@dataclass(frozen=True)
class IngestReport:
    """What :func:`ingest` stored.

    Attributes
    ----------
    files : tuple of str
        The inputs, in the order given.
    quads : int
        Quads written (a quad the store already held counts too).
    stances : int
        Stances among them (CSV rows plus ``sg:Stance`` nodes of RDF inputs).
    actors_created, targets_created : int
        Actors and targets made for CSV names that matched nothing in the store.
    seconds : float
        Wall-clock time, parsing and validation included.
    """

    files: tuple[str, ...]
    quads: int
    stances: int
    actors_created: int
    targets_created: int
    seconds: float


@dataclass
class _Prepared:
    """Everything converted and checked, waiting to be written."""

    files: list[str] = field(default_factory=list)
    spools: list[Path] = field(default_factory=list)
    quads: int = 0
    stances: int = 0
    actors_created: int = 0
    targets_created: int = 0
    violations: list[Violation] = field(default_factory=list)


def ingest(
    store: Store,
    *sources: str | Path | tuple[str, IO[Any]],
    format: str | RdfFormat | None = None,
    strict: bool = False,
    progress: bool = False,
) -> IngestReport:
    """Validate files and load them into ``store``: all of them, or nothing.

    Parameters
    ----------
    store : Store
        Where the data goes; its reference data (actors, targets, catalogued sources) is what the
        inputs may point to.
    *sources : str, Path or (name, IO)
        Files, or a name and an open file. The format comes from the name's extension (``.ttl``,
        ``.trig``, ``.nt``, ``.nq``, ``.jsonld``, ``.rdf`` / ``.xml``, ``.csv``).
    format : str or pyoxigraph.RdfFormat, optional
        Use this format for every source instead (a key of :data:`FORMATS`).
    strict : bool, default False
        Refuse CSV names that match no actor or target instead of creating them.
    progress : bool, default False
        Show progress bars on stderr.

    Returns
    -------
    IngestReport
        What was written.

    Raises
    ------
    ValidationError
        A syntax error, a bad CSV row or a SHACL violation; ``violations`` lists all of them with file,
        line, node, property and rule. Nothing was written.

    Examples
    --------
    >>> import io
    >>> from stancegraph.graph.store import open_store
    >>> table = io.StringIO(
    ...     "actor,target,stance,date,document,source\\n"
    ...     "United States,Point 7,endorses,2025-11-21,Plan text,Axios\\n")
    >>> with open_store() as store:
    ...     report = ingest(store, ("table.csv", table))
    ...     report.stances, report.actors_created, report.targets_created
    (1, 1, 1)
    """
    started = time.perf_counter()
    with _work_folder(store) as workdir:
        prepared = _prepare(
            sources, store=store, format=format, strict=strict, progress=progress, workdir=workdir
        )
        if prepared.violations:
            raise ValidationError(prepared.violations)
        quads = _spooled(prepared.spools)
        if progress:
            from tqdm import tqdm

            quads = tqdm(
                quads, total=prepared.quads, unit=" quads", desc="writing", file=sys.stderr, leave=False
            )
        written = store.load(quads, bulk=prepared.quads > BULK_THRESHOLD)
    return IngestReport(
        files=tuple(prepared.files),
        quads=written,
        stances=prepared.stances,
        actors_created=prepared.actors_created,
        targets_created=prepared.targets_created,
        seconds=time.perf_counter() - started,
    )


def check(
    *sources: str | Path | tuple[str, IO[Any]],
    store: Store | None = None,
    strict: bool = False,
    format: str | RdfFormat | None = None,
) -> list[Violation]:
    """Validate files as :func:`ingest` would, without writing anything.

    Parameters
    ----------
    *sources : str, Path or (name, IO)
        As for :func:`ingest`.
    store : Store, optional
        The store the files are meant for (names resolve against it, references into it are valid).
    strict : bool, default False
        Report CSV names that match nothing.
    format : str or pyoxigraph.RdfFormat, optional
        Override the formats guessed from the names.

    Returns
    -------
    list of Violation
        Empty when :func:`ingest` would succeed.

    Examples
    --------
    >>> import io
    >>> table = io.StringIO("actor,target,stance\\nUS,Point 7,endorses\\n")
    >>> found = check(("table.csv", table))
    >>> sorted((v.line, v.path.rsplit("#")[-1]) for v in found if v.rule == "sh:minCount")
    [(2, 'statedOn'), (2, 'wasDerivedFrom')]
    """
    with _work_folder(store) as workdir:
        prepared = _prepare(
            sources, store=store, format=format, strict=strict, progress=False, workdir=workdir
        )
    return prepared.violations


def load_bundled(store: Store) -> IngestReport:
    """Load the ontology and the bundled 2025 peace-plan data set into ``store`` (validated).

    Parameters
    ----------
    store : Store
        Usually a fresh store; loading twice adds nothing new.

    Returns
    -------
    IngestReport
        What was written.
    """
    from stancegraph.ontology import ontology_path

    with as_file(files("stancegraph.graph") / "data" / "peace-plan.trig") as data:
        return ingest(store, ontology_path(), data)


# ---------------------------------------------------------------------------------------------------
# The work folder
# ---------------------------------------------------------------------------------------------------

_WORK_PREFIX = ".stancegraph-ingest-"


@contextlib.contextmanager
def _work_folder(store: Store | None) -> Iterator[Path]:
    """A folder for the converted files of one load, removed afterwards (see the module's docstring)."""
    from stancegraph.graph.store import EmbeddedStore

    home = store.path if isinstance(store, EmbeddedStore) else None
    if home is None:
        with tempfile.TemporaryDirectory(prefix=_WORK_PREFIX.lstrip(".")) as folder:
            yield Path(folder)
        return
    remove_leftovers(home)
    folder = Path(tempfile.mkdtemp(prefix=f"{_WORK_PREFIX}{os.getpid()}-", dir=home))
    held = _hold(folder)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if held is not None:
            os.close(held)


def _hold(folder: Path) -> int | None:
    """Lock ``folder`` for as long as this process lives (or until the descriptor is closed)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the process id in the name is what tells
        return None
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a file system without locks: the process id in the name is what tells
        os.close(handle)
        return None
    return handle


def _held_elsewhere(folder: Path) -> bool:
    """Whether a live process holds the work folder (or it is this process's: it may be in use)."""
    if folder.name.startswith(f"{_WORK_PREFIX}{os.getpid()}-"):
        return True  # another load in this process, perhaps not locked yet
    try:
        import fcntl
    except ImportError:  # the caller holds the store open, so no other process can be loading into it
        return False
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return True  # gone already, or not ours to read
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(handle)
    return False


def remove_leftovers(folder: str | Path) -> list[Path]:
    """Remove the work folders that killed loads left in a store folder.

    :func:`ingest` and :func:`check` call this before loading into an on-disk store. A folder that a
    live load holds (its lock is taken, or it belongs to this process) is kept.

    Parameters
    ----------
    folder : str or Path
        The store's folder.

    Returns
    -------
    list of Path
        The folders removed.
    """
    removed = []
    for leftover in sorted(Path(folder).glob(_WORK_PREFIX + "*")):
        if leftover.is_dir() and not leftover.is_symlink() and not _held_elsewhere(leftover):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


# ---------------------------------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Input:
    name: str
    format: RdfFormat | str
    path: Path | None
    stream: IO[Any] | None


def _inputs(sources: Iterable[Any], format: str | RdfFormat | None, found: list[Violation]) -> list[_Input]:
    inputs = []
    for source in sources:
        if isinstance(source, tuple):
            name, stream, path = str(source[0]), source[1], None
        elif isinstance(source, str | Path):
            name, stream, path = str(source), None, Path(source)
        else:
            raise TypeError(f"a source must be a path or a (name, file) pair, not {type(source).__name__}")
        if format is not None:
            chosen = format if isinstance(format, RdfFormat) else FORMATS.get(str(format).lower().lstrip("."))
            if chosen is None:
                raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        else:
            chosen = FORMATS.get(Path(name).suffix.lower().lstrip("."))
            if chosen is None:
                found.append(
                    Violation(
                        f"cannot tell the format from the extension {Path(name).suffix or '(none)'!r}; "
                        f"use one of {_EXTENSIONS} "
                        "or pass format=",
                        file=name,
                        rule="format",
                    )
                )
                continue
        if path is not None and not path.is_file():
            found.append(Violation(f"no such file: {path}; check the path", file=name, rule="file"))
            continue
        inputs.append(_Input(name, chosen, path, stream))
    return inputs


def _prepare(
    sources: Iterable[Any],
    *,
    store: Store | None,
    format: str | RdfFormat | None,
    strict: bool,
    progress: bool,
    workdir: Path,
) -> _Prepared:
    prepared = _Prepared()
    inputs = _inputs(sources, format, prepared.violations)
    prepared.files = [item.name for item in inputs]
    shapes = compiled_shapes()
    reference = OxStore()  # RDF inputs, created nodes and the catalogue, flattened
    rdf_files: list[tuple[_Input, dict[str, str]]] = []
    for number, item in enumerate(inputs):
        if item.format != "csv":
            prefixes = _stage_rdf(item, workdir / f"{number}", reference, prepared)
            if prefixes is not None:
                rdf_files.append((item, prefixes))
    prepared.stances += sum(
        1 for _ in reference.query(f"SELECT DISTINCT ?s WHERE {{ ?s <{RDF_TYPE}> <{_STANCE}> }}")
    )
    tables = [(number, item) for number, item in enumerate(inputs) if item.format == "csv"]
    owners: dict[str, StatementsReader] = {}  # source graph or created node (N-Triples) -> its table
    readers: dict[str, StatementsReader] = {}
    names = Names(store, reference, strict=strict) if tables else None
    if tables:
        assert names is not None
        context = _Context(store, reference, names, shapes)
        catalogue: list[str] = []
        for number, item in tables:
            source = (item.name, item.stream) if item.stream is not None else item.path
            reader = StatementsReader(source, names=names)  # type: ignore[arg-type]
            readers.setdefault(reader.file, reader)
            try:
                _stage_table(reader, workdir / f"{number}.nq", context, reference, prepared, progress)
                # a source already in the store, or catalogued by an earlier table, is not catalogued again
                catalogue.append(reader.reference_ntriples(skip=context.existing_sources | set(owners)))
                for graph in reader.sources:
                    owners.setdefault(graph, reader)
            finally:
                reader.close()
        for entity in names.created.values():
            owners.setdefault(entity.iri, readers[entity.file])
        created = names.created_ntriples() + "".join(catalogue)
        spool = workdir / "reference.nq"
        spool.write_text(created, encoding="utf-8")
        prepared.spools.append(spool)
        prepared.quads += created.count("\n")
        reference.load(input=created.encode("utf-8"), format=RdfFormat.N_TRIPLES)
        prepared.actors_created = sum(1 for e in names.created.values() if C_ISSUE not in e.classes)
        prepared.targets_created = sum(1 for e in names.created.values() if C_ISSUE in e.classes)
        if strict and names.unknown:
            # the SHACL verdicts on the unknown names would only repeat that they are not typed
            unknown = {iri for _, _, iri in names.unknown.values()}
            prepared.violations = [v for v in prepared.violations if v.value not in unknown]
            prepared.violations.extend(names.strict_violations())
            return prepared
    if any(v.rule == "syntax" for v in prepared.violations):
        return prepared  # checking half-parsed data would report rules broken by the missing half
    staging = add_context(reference, store)
    found = staging.relevant(shapes.run(staging.store))
    prepared.violations.extend(_locate_reference(found, owners, rdf_files))
    return prepared


def _spooled(spools: list[Path]) -> Iterator[Any]:
    for spool in spools:
        yield from parse(path=str(spool), format=RdfFormat.N_QUADS)


def _syntax_violation(name: str, error: SyntaxError) -> Violation:
    column = getattr(error, "offset", None)
    where = f" (column {column})" if column else ""
    detail = str(getattr(error, "msg", None) or error)
    return Violation(
        f"syntax error{where}: {detail}; fix the file and load it again",
        file=name,
        line=getattr(error, "lineno", None),
        rule="syntax",
    )


def _stage_rdf(item: _Input, base: Path, reference: OxStore, prepared: _Prepared) -> dict[str, str] | None:
    """Parse one RDF input into an N-Quads spool and the reference staging; None after a syntax error."""
    spool, flat = base.with_suffix(".nq"), base.with_suffix(".nt")
    assert isinstance(item.format, RdfFormat)
    try:
        source: dict[str, Any] = {"path": str(item.path)} if item.path is not None else {"input": item.stream}
        parser = parse(format=item.format, rename_blank_nodes=True, **source)
        count = 0
        with spool.open("wb") as quads_out, flat.open("wb") as triples_out:
            batch: list[Any] = []
            for quad in parser:
                batch.append(quad)
                if len(batch) >= 10_000:
                    count += _write_batch(batch, quads_out, triples_out)
                    batch = []
            count += _write_batch(batch, quads_out, triples_out)
        prefixes = dict(getattr(parser, "prefixes", None) or {})
    except SyntaxError as error:
        prepared.violations.append(_syntax_violation(item.name, error))
        return None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        prepared.violations.append(Violation(f"cannot read the file: {error}", file=item.name, rule="file"))
        return None
    reference.load(path=str(flat), format=RdfFormat.N_TRIPLES)
    prepared.spools.append(spool)
    prepared.quads += count
    return prefixes


def _write_batch(batch: list[Any], quads_out: IO[bytes], triples_out: IO[bytes]) -> int:
    if batch:
        serialize(batch, quads_out, RdfFormat.N_QUADS)
        serialize([q.triple for q in batch], triples_out, RdfFormat.N_TRIPLES)
    return len(batch)


class _Context:
    """What a chunk of CSV stances needs besides itself: the classes of what they point to."""

    def __init__(self, store: Store | None, reference: OxStore, names: Names, shapes: CompiledShapes) -> None:
        self.store = store
        self.reference = reference
        self.names = names
        self.shapes = shapes
        self.types: dict[str, set[str]] = {}  # N-Triples IRI -> N-Triples classes (existing nodes)
        self.existing_sources: set[str] = set()
        self.store_has_data = bool(
            store is not None and store.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        )
        self.store_has_stances = bool(
            self.store_has_data
            and store is not None
            and store.query(
                f"ASK {{ {{ ?s <{RDF_TYPE}> <{_STANCE}> }} "
                f"UNION {{ GRAPH ?g {{ ?s <{RDF_TYPE}> <{_STANCE}> }} }} }}"
            )
        )
        axioms = reference_context(store, [])
        self.axioms = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in axioms)
        self.ontology_types = _ontology_types()

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
            for batch in _batches(new):
                for node, cls in _rows(lookup.query(_types_query(batch))):
                    if isinstance(cls, NamedNode):
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
        out = []
        for batch in _batches(subjects):
            rows = self.store.query(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {' '.join(batch)} }} "
                "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            )
            out.extend(f"{s} {p} {o} .\n" for s, p, o in _rows(rows))
        return "".join(out)


def _types_query(batch: list[str]) -> str:
    return (
        f"SELECT DISTINCT ?n ?t WHERE {{ VALUES ?n {{ {' '.join(batch)} }} "
        f"{{ ?n <{RDF_TYPE}> ?t }} UNION {{ GRAPH ?g {{ ?n <{RDF_TYPE}> ?t }} }} }}"
    )


def _rows(result: Any) -> Iterator[tuple[Any, ...]]:
    for row in result:
        yield tuple(row)


def _batches(items: list[str], size: int = _BATCH) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@cache
def _ontology_types() -> dict[str, tuple[str, ...]]:
    from stancegraph.ontology import ontology_path

    found: dict[str, list[str]] = {}
    rdf_type = NamedNode(RDF_TYPE)
    for quad in parse(path=str(ontology_path()), format=RdfFormat.TURTLE):
        if quad.predicate == rdf_type and isinstance(quad.subject, NamedNode):
            found.setdefault(str(quad.subject), []).append(str(quad.object))
    return {iri: tuple(classes) for iri, classes in found.items()}


def _stage_table(
    reader: StatementsReader,
    spool: Path,
    context: _Context,
    reference: OxStore,
    prepared: _Prepared,
    progress: bool,
) -> None:
    """Convert one statements table chunk by chunk, validating each chunk's stances as it goes."""
    shapes = context.shapes
    local_ok = _chunkable(shapes)
    relevant = shapes.predicates
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" rows", desc=reader.file, file=sys.stderr, leave=False)
    found: list[Violation] = []
    pending: list[str] = []  # all rows, when stances cannot be checked chunk by chunk
    pending_disputed: set[str] = set()
    rows_before = 0
    with spool.open("w", encoding="utf-8") as out, _ChunkChecker() as checker:
        sink = _Spool(out)
        for chunk in reader.chunks(CHUNK_ROWS, sink=sink.write):
            if chunk.shared and (relevant is None or _mentions(chunk.shared, relevant)):
                reference.load(input=chunk.shared.encode("utf-8"), format=RdfFormat.N_TRIPLES, lenient=True)
            context.settle(chunk.referenced, reader)
            if local_ok:
                staged = _chunk_text(chunk.local, context, reader, chunk.disputed)
                found.extend(checker.submit(staged, parallel=chunk.stances >= CHUNK_ROWS))
            else:
                pending.append(chunk.local)
                pending_disputed |= chunk.disputed
            if bar is not None:
                bar.update(reader.rows - rows_before)
                rows_before = reader.rows
        found.extend(checker.drain())
    prepared.quads += sink.quads
    prepared.spools.append(spool)
    if pending:
        found.extend(_check_staged(_chunk_text("".join(pending), context, reader, pending_disputed)))
    if bar is not None:
        bar.close()
    prepared.stances += reader.stances
    prepared.violations.extend(reader.violations)
    if found:
        lines = reader.locate({v.node for v in found if v.node})
        for v in found:
            prepared.violations.append(
                Violation(
                    v.message + reader.hint(v.path),
                    file=reader.file,
                    line=lines.get(v.node or ""),
                    node=v.node,
                    path=v.path,
                    rule=v.rule,
                    value=v.value,
                )
            )


def _chunkable(shapes: CompiledShapes) -> bool:
    """Whether stances can be validated a chunk at a time: no SPARQL constraint can see them.

    Core constraints on a stance read only its own triples and the classes of what it points to, all
    of which a chunk's staging store holds. A SPARQL constraint may read anything, so chunking is safe
    only if none targets stances and none matches a predicate of the stances' own triples.
    """
    if _STANCE in shapes.sparql_classes or shapes.sparql_predicates is None:
        return False
    return not (shapes.sparql_predicates & STANCE_PREDICATES)


class _Spool:
    """Writes N-Quads text to a file and counts the quads."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.quads = 0

    def write(self, text: str) -> None:
        self.handle.write(text)
        self.quads += text.count("\n")


def _mentions(ntriples: str, predicates: frozenset[str]) -> bool:
    return any(f" <{p}> " in ntriples for p in predicates)


def _chunk_text(local: str, context: _Context, reader: StatementsReader, disputed: Iterable[str] = ()) -> str:
    """N-Triples for a chunk's staging store: its stances, their context, their triples in the store.

    The stances the chunk's rows contradict (``disputed``) may be rows of another chunk, perhaps not read
    yet, so neither the store nor this chunk knows them: they enter the context as ``sg:Stance``. That
    is safe because the reader checks each of them once the last row is read (a CSV violation if one
    is no stance), so the ``sh:class sg:Stance`` rule on ``sg:contradicts`` is kept for every row.
    """
    existing = context.existing(_subjects(local)) if context.store_has_stances else ""
    ctx = f"<{CONTEXT_TYPE}>"
    stances = "".join(f"{iri} {ctx} {C_STANCE} .\n" for iri in sorted(disputed))
    return local + context.lines(reader) + stances + existing


def _check_staged(ntriples: str) -> list[Violation]:
    """Validate N-Triples text we wrote (stances and their context) with the shipped shapes.

    A top-level function so that a worker process can run it (see :class:`_ChunkChecker`).
    """
    staging = OxStore()
    staging.load(input=ntriples, format=RdfFormat.N_TRIPLES, lenient=True)
    return compiled_shapes().run(staging)


class _ChunkChecker:
    """Validates chunks of stances, in a worker process while the next chunk is being converted.

    Python converts rows on one core while pyoxigraph checks the previous chunk on the other. The
    worker is a fresh interpreter (``python -c``) fed through a pipe, so nothing of the caller's
    ``__main__`` is re-run (as ``multiprocessing``'s spawn would) and no threads are forked. A table of
    one chunk is checked in this process; if the worker cannot run, chunks are checked here too. At
    most one chunk waits in the worker, so memory stays bounded.
    """

    def __init__(self) -> None:
        self._worker: subprocess.Popen[bytes] | None = None
        self._waiting: str | None = None  # the text of the chunk in the worker, to redo it here if it dies
        self._failed = False

    def __enter__(self) -> _ChunkChecker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            with contextlib.suppress(OSError):
                assert worker.stdin is not None
                worker.stdin.close()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            if worker.stdout is not None:
                worker.stdout.close()

    def submit(self, ntriples: str, *, parallel: bool) -> list[Violation]:
        """Queue a chunk; returns the violations of the chunk queued before it (or of this one, inline)."""
        if self._failed or (not parallel and self._worker is None):
            return self.drain() + _check_staged(ntriples)
        done = self.drain()
        worker = self._worker or self._start()
        if worker is None:
            return done + _check_staged(ntriples)
        try:
            assert worker.stdin is not None
            data = ntriples.encode("utf-8")
            worker.stdin.write(len(data).to_bytes(8, "big") + data)
            worker.stdin.flush()
        except OSError:
            self._failed = True
            return done + _check_staged(ntriples)
        self._waiting = ntriples
        return done

    def drain(self) -> list[Violation]:
        """Wait for the chunk in the worker and return its violations."""
        text, self._waiting = self._waiting, None
        if text is None:
            return []
        worker = self._worker
        assert worker is not None and worker.stdout is not None
        size = worker.stdout.read(8)
        answer = worker.stdout.read(int.from_bytes(size, "big")) if len(size) == 8 else b""
        if len(size) != 8 or not answer:
            self._failed = True  # the worker died (memory, a signal): check the chunk here instead
            return _check_staged(text)
        return [Violation(**fields) for fields in json.loads(answer)]

    def _start(self) -> subprocess.Popen[bytes] | None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        try:
            self._worker = subprocess.Popen(
                [sys.executable, "-c", "from stancegraph.graph.ingest import _serve_checks; _serve_checks()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            self._failed = True
        return self._worker


def _serve_checks() -> None:
    """The worker's loop: read length-prefixed N-Triples chunks, answer with their violations (JSON)."""
    source, answers = sys.stdin.buffer, sys.stdout.buffer
    while len(size := source.read(8)) == 8:
        text = source.read(int.from_bytes(size, "big")).decode("utf-8")
        found = json.dumps([dataclasses.asdict(v) for v in _check_staged(text)]).encode("utf-8")
        answers.write(len(found).to_bytes(8, "big") + found)
        answers.flush()


def _subjects(ntriples: str) -> list[str]:
    return sorted({line.split(" ", 1)[0] for line in ntriples.splitlines() if line})


_LINE_START = r"^\s*(?:GRAPH\s+\S+\s*\{\s*)?TOKEN(?=[\s;,.])"


def _locate_reference(
    found: list[Violation],
    owners: dict[str, StatementsReader],
    rdf_files: list[tuple[_Input, dict[str, str]]],
) -> list[Violation]:
    """Say where each violation in the reference data comes from: a CSV row or an RDF file (and line)."""
    located = []
    for v in found:
        key = f"<{v.node}>"
        reader = owners.get(key)
        file, line, message = None, None, v.message
        if reader is not None:
            file = reader.file
            entry = reader.sources.get(key)
            created = reader.names.created.get(key)
            line = entry.line if entry is not None else created.line if created is not None else None
            message += reader.hint(v.path)
        elif v.node is not None:
            file, line = _find_in_rdf(v.node, rdf_files)
        located.append(
            Violation(message, file=file, line=line, node=v.node, path=v.path, rule=v.rule, value=v.value)
        )
    return located


def _find_in_rdf(node: str, rdf_files: list[tuple[_Input, dict[str, str]]]) -> tuple[str | None, int | None]:
    """The RDF file that describes ``node`` and the first line where it stands as a subject (best effort)."""
    tokens = [re.escape(f"<{node}>")]
    for item, prefixes in rdf_files:
        local_tokens = tokens + [
            re.escape(f"{prefix}:{node[len(ns) :]}")
            for prefix, ns in prefixes.items()
            if node.startswith(ns) and ns
        ]
        if item.path is None:
            continue
        pattern = re.compile("|".join(_LINE_START.replace("TOKEN", t) for t in local_tokens))
        with contextlib.suppress(OSError, UnicodeDecodeError):
            with item.path.open(encoding="utf-8") as handle:
                for number, text in enumerate(handle, start=1):
                    if pattern.search(text):
                        return item.name, number
    if len(rdf_files) == 1:
        return rdf_files[0][0].name, None
    return None, None

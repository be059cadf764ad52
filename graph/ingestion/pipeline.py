"""Load files into a store, validated: everything is parsed and checked before anything is stored.

:func:`ingest` takes RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) and statements
tables (CSV, see :mod:`~stancegraph.graph.ingestion.table_format`) and Discourse Network Analyzer projects
(``.dna``, read as a statements table and the RDF a table cannot carry:
:mod:`~stancegraph.graph.ingestion.dna_project`), converts them to N-Quads in a work folder,
checks syntax, rows and the SHACL shapes (compiled to SPARQL, :mod:`stancegraph.graph.validation`),
and only then writes them with one :meth:`Store.load <stancegraph.graph.store.Store.load>` call. A
problem anywhere raises :class:`~stancegraph.graph.errors.ValidationError` listing every violation
(file, line, node, property, rule) and leaves the store as it was. :func:`check` runs the same
pipeline without writing (``stancegraph validate``); :func:`load_bundled` loads the ontology and the
bundled peace-plan data set through it. After the write, the direct edges follow the contested rule and
the columnar stance table is rebuilt for the new version (:mod:`~stancegraph.graph.queries.stance_table`).

How a million CSV rows stay fast and small (:mod:`~stancegraph.graph.ingestion.tables`): rows are
converted in chunks of :data:`~stancegraph.graph.ingestion.tables.CHUNK_ROWS`; each chunk's stances are
validated in a small in-memory staging store that also holds the classes of what
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

__all__ = ["IngestReport", "CheckResult", "ingest", "check", "load_bundled", "checked_rows", "BULK_THRESHOLD"]

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from importlib.resources import as_file, files
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pyoxigraph import RdfFormat, parse
from pyoxigraph import Store as OxStore

from stancegraph.graph.errors import ValidationError, Violation
from stancegraph.graph.ingestion.context import STANCE_CLASS, ValidationContext
from stancegraph.graph.ingestion.dna_input import DnaTables
from stancegraph.graph.ingestion.dna_project import DnaOptions, DnaProject
from stancegraph.graph.ingestion.inputs import Input, Prepared, read_inputs
from stancegraph.graph.ingestion.locating import locate_reference
from stancegraph.graph.ingestion.naming import Names
from stancegraph.graph.ingestion.rdf_input import stage_rdf
from stancegraph.graph.ingestion.reader import StatementsReader
from stancegraph.graph.ingestion.reports import CheckResult, IngestReport
from stancegraph.graph.ingestion.rows import StatementRow
from stancegraph.graph.ingestion.stored_repeats import StoredStances
from stancegraph.graph.ingestion.tables import stage_table
from stancegraph.graph.ingestion.workfolder import work_folder
from stancegraph.graph.queries.direct_edges import align_edges, withheld_edges
from stancegraph.graph.queries.stance_table import refresh_stance_table
from stancegraph.graph.validation import RDF_TYPE, add_context, compiled_shapes

if TYPE_CHECKING:
    from stancegraph.graph.store import Store


#: What came of a table :func:`checked_rows` refuses: it is read for analysis, and not read.
_NOT_READ = "the table was not read"

#: Above this many quads the final write uses the store's bulk loader (after validation).
BULK_THRESHOLD = 200_000


def ingest(
    store: Store,
    *sources: str | Path | tuple[str, IO[Any]],
    format: str | RdfFormat | None = None,
    strict: bool = False,
    progress: bool = False,
    against_store: bool = False,
    dna: DnaOptions | None = None,
    stance_table: bool = True,
) -> IngestReport:
    """Validate files and load them into ``store``: all of them, or nothing.

    Parameters
    ----------
    store : Store
        Where the data goes; its reference data (actors, targets, catalogued sources) is what the
        inputs may point to.
    *sources : str, Path or (name, IO)
        Files, or a name and an open file. The format comes from the name's extension (``.ttl``,
        ``.trig``, ``.nt``, ``.nq``, ``.jsonld``, ``.rdf`` / ``.xml``, ``.csv``, ``.dna``).
    format : str or pyoxigraph.RdfFormat, optional
        Use this format for every source instead (a key of :data:`FORMATS`).
    strict : bool, default False
        Refuse CSV names that match no actor or target instead of creating them.
    progress : bool, default False
        Show progress bars on stderr.
    against_store : bool, default False
        Also compare each CSV row with the stances already in the store: a row with the key of a stored
        stance (under another IRI) is a repeat, warned about and not stored again, and rows the store holds
        as they are are counted (``already_stored``). Off by default: it reads every stored stance once,
        which on 100k stored stances took a 100k-row load from 43 s to 103 s.
    dna : DnaOptions, optional
        Which statements of a DNA project (``.dna``) are read, and which variables are what
        (:mod:`~stancegraph.graph.ingestion.dna_project`; default ``DNA Statement``, organization, concept).
    stance_table : bool, default True
        Rebuild the columnar stance table after the write, if it fits in memory
        (:func:`~stancegraph.graph.queries.stance_table.refresh_stance_table`); False leaves it to the first
        analysis.

    Returns
    -------
    IngestReport
        What was written.

    Raises
    ------
    ValidationError
        A syntax error, a bad CSV row or a SHACL violation; ``violations`` lists all of them with file,
        line, node, property and rule, ``warnings`` what the load would have warned about. Nothing was
        written.

    Examples
    --------
    >>> import io
    >>> from stancegraph.graph.store import open_store
    >>> table = io.StringIO(
    ...     "actor,target,stance,date,document,source\\n"
    ...     "United States,Point 7,endorses,2025-11-21,Plan text,Axios\\n")
    >>> with open_store() as store:
    ...     report = ingest(store, ("table.csv", table))
    ...     again = ingest(store, ("table.csv", io.StringIO(table.getvalue())))
    ...     report.stances, report.actors_created, report.targets_created, report.added > 0, again.added
    (1, 1, 1, True, 0)
    """
    started = time.perf_counter()
    with work_folder(store) as workdir:
        prepared = _prepare(
            sources,
            store=store,
            format=format,
            strict=strict,
            progress=progress,
            workdir=workdir,
            against_store=against_store,
            dna=dna,
        )
        if prepared.violations:
            raise ValidationError(prepared.violations, warnings=prepared.warnings)
        withheld = withheld_edges(lambda: _spooled(prepared.spools))
        quads = _spooled(prepared.spools)
        if withheld:
            quads = (quad for quad in quads if quad not in withheld)
        if progress:
            from tqdm import tqdm

            quads = tqdm(
                quads, total=prepared.quads, unit=" quads", desc="writing", file=sys.stderr, leave=False
            )
        before = store.counts().quads
        written = store.load(quads, bulk=prepared.quads > BULK_THRESHOLD)
        align_edges(store, edges=withheld)
        after = store.counts()
        kept = stance_table and refresh_stance_table(store, stances=after.stances)
    return IngestReport(
        files=tuple(prepared.files),
        quads=written,
        added=after.quads - before,
        stances=prepared.stances,
        actors_created=prepared.actors_created,
        targets_created=prepared.targets_created,
        seconds=time.perf_counter() - started,
        warnings=tuple(prepared.warnings),
        already_stored=prepared.already_stored,
        stance_table=kept,
    )


def check(
    *sources: str | Path | tuple[str, IO[Any]],
    store: Store | None = None,
    strict: bool = False,
    format: str | RdfFormat | None = None,
    against_store: bool = False,
    dna: DnaOptions | None = None,
) -> CheckResult:
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
    against_store : bool, default False
        As for :func:`ingest`.
    dna : DnaOptions, optional
        As for :func:`ingest`.

    Returns
    -------
    CheckResult
        The violations, a list that is empty when :func:`ingest` would succeed, and the warnings it
        would report (``warnings``: rows stored once, ...).

    Examples
    --------
    >>> import io
    >>> table = io.StringIO("actor,target,stance\\nUS,Point 7,endorses\\n")
    >>> found = check(("table.csv", table))
    >>> sorted((v.line, v.path.rsplit("#")[-1]) for v in found if v.rule == "sh:minCount")
    [(2, 'statedOn'), (2, 'wasDerivedFrom')]
    >>> twice = "actor,target,stance,date,source\\n" + "US,Point 7,endorses,2025-11-21,Axios\\n" * 2
    >>> found = check(("table.csv", io.StringIO(twice)))
    >>> list(found), [(w.line, w.rule) for w in found.warnings]
    ([], [(3, 'duplicate')])
    """
    with work_folder(store) as workdir:
        prepared = _prepare(
            sources,
            store=store,
            format=format,
            strict=strict,
            progress=False,
            workdir=workdir,
            against_store=against_store,
            dna=dna,
        )
    return CheckResult(prepared.violations, prepared.warnings, prepared.already_stored)


def checked_rows(
    source: str | Path | tuple[str, IO[Any]], *, store: Store | None = None, strict: bool = False
) -> list[StatementRow]:
    """The rows of one statements table, after exactly the checks of :func:`check`.

    This is how the analysis reads a CSV (``network --statements``): a file that ``validate`` refuses is
    refused here too, with the same violations.

    Parameters
    ----------
    source : str, Path or (name, IO)
        The statements table.
    store : Store, optional
        The store the file is checked against (names resolve against it), as for :func:`check`.
    strict : bool, default False
        Refuse names that match nothing.

    Returns
    -------
    list of StatementRow
        One per stance, in the file's order.

    Raises
    ------
    ValidationError
        Whatever :func:`check` reports for the file.

    Examples
    --------
    >>> import io
    >>> table = io.StringIO("actor,target,stance,date,source\\nUS,Point 7,endorses,2025-11-21,Axios\\n")
    >>> [(row.actor, row.stance, row.date) for row in checked_rows(("table.csv", table))]
    [('US', 'endorses', '2025-11-21')]
    """
    name = str(source[0]) if isinstance(source, tuple) else str(source)
    if Path(name).suffix.lower() != ".csv":
        raise ValidationError(
            [
                Violation(
                    f"{name} is not a statements table: its name must end in .csv (as for validate and load)",
                    file=name,
                    rule="format",
                )
            ],
            outcome=_NOT_READ,
        )
    rows: list[StatementRow] = []
    with work_folder(store) as workdir:
        prepared = _prepare(
            [source],
            store=store,
            format=None,
            strict=strict,
            progress=False,
            workdir=workdir,
            on_row=rows.append,
        )
    if prepared.violations:
        raise ValidationError(prepared.violations, outcome=_NOT_READ)
    return rows


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
# The pipeline
# ---------------------------------------------------------------------------------------------------


def _prepare(
    sources: Iterable[Any],
    *,
    store: Store | None,
    format: str | RdfFormat | None,
    strict: bool,
    progress: bool,
    workdir: Path,
    on_row: Callable[[StatementRow], Any] | None = None,
    against_store: bool = False,
    dna: DnaOptions | None = None,
) -> Prepared:
    prepared = Prepared()
    inputs = read_inputs(sources, format, prepared.violations)
    prepared.files = [item.name for item in inputs]
    projects = DnaTables(dna or DnaOptions(), workdir)
    try:
        inputs = projects.convert(inputs, prepared)
        options = {"strict": strict, "progress": progress, "on_row": on_row, "against_store": against_store}
        _check_inputs(prepared, inputs, projects.projects, store=store, workdir=workdir, **options)
    finally:
        projects.close()
    prepared.violations = projects.relocate(prepared.violations)
    prepared.warnings = projects.relocate(prepared.warnings)
    return prepared


def _check_inputs(
    prepared: Prepared,
    inputs: list[Input],
    projects: dict[int, DnaProject],
    *,
    store: Store | None,
    strict: bool,
    progress: bool,
    workdir: Path,
    on_row: Callable[[StatementRow], Any] | None,
    against_store: bool,
) -> None:
    """Stage and check every input (DNA projects already turned into tables), filling ``prepared``."""
    shapes = compiled_shapes()
    reference = OxStore()  # RDF inputs, created nodes and the catalogue, flattened
    rdf_files: list[tuple[Input, dict[str, str]]] = []
    for number, item in enumerate(inputs):
        if not isinstance(item.format, str):
            prefixes = stage_rdf(item, workdir / f"{number}", reference, prepared)
            if prefixes is not None:
                rdf_files.append((item, prefixes))
    prepared.stances += sum(
        1 for _ in reference.query(f"SELECT DISTINCT ?s WHERE {{ ?s <{RDF_TYPE}> <{STANCE_CLASS}> }}")
    )
    tables = [(number, item) for number, item in enumerate(inputs) if item.format == "csv"]
    owners: dict[str, StatementsReader] = {}  # source graph or created node (N-Triples) -> its table
    readers: dict[str, StatementsReader] = {}
    names = Names(store, reference, strict=strict) if tables else None
    if tables:
        assert names is not None
        context = ValidationContext(store, reference, names, shapes)
        catalogue: list[str] = []
        stored = StoredStances(store) if against_store and context.store_has_stances else None
        read: list[StatementsReader] = []  # kept open: a later table's repeat names the row it repeats
        try:
            for number, item in tables:
                source = (item.name, item.stream) if item.stream is not None else item.path
                project = projects.get(number)
                reader = StatementsReader(
                    source,  # type: ignore[arg-type]
                    names=names,
                    on_row=on_row,
                    earlier=read,
                    stored=stored,
                    hint=None if project is None else project.hint,
                )
                read.append(reader)
                readers.setdefault(reader.file, reader)
                stage_table(reader, workdir / f"{number}.nq", context, reference, prepared, progress)
                # a source already in the store, or catalogued by an earlier table, is not catalogued again
                catalogue.append(reader.reference_ntriples(skip=context.existing_sources | set(owners)))
                if project is not None:  # what DNA records of its documents and entities, checked with them
                    catalogue.append(project.reference_ntriples(reader))
                    for node in project.places:
                        owners.setdefault(f"<{node}>", reader)
                for graph in reader.sources:
                    owners.setdefault(graph, reader)
        finally:
            for reader in read:
                reader.close()
        for entity in names.created.values():
            owners.setdefault(entity.iri, readers[entity.file])
        created = names.created_ntriples() + "".join(catalogue)
        spool = workdir / "reference.nq"
        spool.write_text(created, encoding="utf-8")
        prepared.spools.append(spool)
        prepared.quads += created.count("\n")
        reference.load(input=created.encode("utf-8"), format=RdfFormat.N_TRIPLES)
        prepared.actors_created = sum(1 for e in names.created.values() if e.kind == "actor")
        prepared.targets_created = sum(1 for e in names.created.values() if e.kind == "target")
        if strict and names.unknown:
            # the SHACL verdicts on the unknown names would only repeat that they are not typed
            unknown = {iri for _, _, iri in names.unknown.values()}
            prepared.violations = [
                v for v in prepared.violations if v.value not in unknown and v.node not in unknown
            ]
            prepared.violations.extend(names.strict_violations())
            return
    if any(v.rule == "syntax" for v in prepared.violations):
        return  # checking half-parsed data would report rules broken by the missing half
    staging = add_context(reference, store)
    found = staging.relevant(shapes.run(staging.store))
    prepared.violations.extend(locate_reference(found, owners, rdf_files))


def _spooled(spools: list[Path]) -> Iterator[Any]:
    for spool in spools:
        yield from parse(path=str(spool), format=RdfFormat.N_QUADS)

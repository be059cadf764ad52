"""A report as one self-contained HTML file, or as a PDF.

:func:`report` gathers the selection (:func:`~stancegraph.graph.drawing.report.report_content`) and
writes it with ``templates/report.html``: summary tables, the interactive graphs (vis-network inlined
once, as in :mod:`~stancegraph.graph.drawing.pages`), the static figures as SVG images inside the file
(``data:`` URIs, which an ``<img>`` never runs scripts from), and the sources cited in the text and listed
in the APA-style reference list of :func:`~stancegraph.graph.readwrite.citations.references`. The file
loads nothing from any host (its Content-Security-Policy forbids it) and every value from the graph is
escaped by Jinja, so a label cannot add markup or scripts.

The PDF is the print version of the same document (no scripts, the static figures in place of the
interactive graphs) laid out by WeasyPrint, which uses Pango and runs no browser. WeasyPrint is an
optional dependency (``pip install 'stancegraph[pdf]'``); it is given a URL fetcher that fetches nothing
but ``data:`` URIs.
"""

from __future__ import annotations

__all__ = ["ReportFormat", "REPORT_FORMATS", "Report", "report", "report_html", "report_pdf"]

import base64
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from stancegraph.graph.drawing.pages import CONTENT_SECURITY_POLICY, library_scripts
from stancegraph.graph.drawing.report import ReportContent, report_content
from stancegraph.graph.drawing.styles import EDGE_STYLES
from stancegraph.graph.errors import MissingDependencyError
from stancegraph.graph.queries.names import short_id
from stancegraph.graph.readwrite.citations import references

if TYPE_CHECKING:
    from stancegraph.graph.store import Store


class ReportFormat(StrEnum):
    """What :meth:`Report.save` writes: the interactive HTML file or the PDF."""

    HTML = "html"
    PDF = "pdf"


#: The values of :class:`ReportFormat`.
REPORT_FORMATS = tuple(f.value for f in ReportFormat)


@cache
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("stancegraph.graph.drawing", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


@cache
def _css() -> str:
    text = resources.files("stancegraph.graph.drawing").joinpath("templates", "report.css").read_text("utf-8")
    if "</style" in text.lower():
        raise ValueError("report.css contains a closing </style> tag and cannot be inlined")
    return text


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("stancegraph")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def _document(content: ReportContent, *, interactive: bool) -> str:
    ordered = references(content.cited)
    refs = {ref.source: ref for ref in ordered}
    present = {name for row in content.positions for name in row.stances}
    columns = [name for name in ("endorses", "rejects", "concedes", "demands", "neutral") if name in present]
    if content.selection.actor is None:
        fit_actors = None
    else:
        fit_actors = {content.selection.actor} & set(content.versions_fit.actors)
    return (
        _environment()
        .get_template("report.html")
        .render(
            c=content,
            refs=refs,
            references=ordered,
            stance_columns=columns,
            fit_actors=fit_actors,
            colours={name: style.colour for name, style in EDGE_STYLES.items()},
            short_id=short_id,
            csp=CONTENT_SECURITY_POLICY,
            css=_css(),
            library=library_scripts() if interactive else "",
            interactive=interactive,
            version=_version(),
        )
    )


def _pdf(document: str) -> bytes:
    try:
        import weasyprint
    except ImportError:
        raise MissingDependencyError(
            "a PDF report needs WeasyPrint: pip install 'stancegraph[pdf]' (it uses Pango: on Debian, "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0); or write the HTML report"
        ) from None
    except OSError as error:  # installed, but a system library it loads is missing
        raise MissingDependencyError(
            f"WeasyPrint cannot load a library it needs ({error}); on Debian: apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0"
        ) from None
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=document, url_fetcher=fetcher).write_pdf()


@dataclass(frozen=True)
class Report:
    """A rendered report: ``html`` (interactive, self-contained), ``print_html`` (the same without
    scripts, for print and PDF) and the ``content`` they show."""

    title: str
    html: str = field(repr=False)
    print_html: str = field(repr=False)
    content: ReportContent = field(repr=False, compare=False)

    def pdf(self) -> bytes:
        """The report as a PDF (WeasyPrint; see the module's notes).

        Raises
        ------
        MissingDependencyError
            WeasyPrint, or the Pango library it uses, is not installed.
        """
        return _pdf(self.print_html)

    def save(self, out: str | Path | IO, *, format: ReportFormat | str = ReportFormat.HTML) -> None:
        """Write the HTML file (a text stream for IO) or the PDF (a binary stream for IO)."""
        chosen = ReportFormat(format)
        data: str | bytes = self.html if chosen is ReportFormat.HTML else self.pdf()
        if isinstance(out, str | Path):
            if isinstance(data, str):
                Path(out).write_text(data, encoding="utf-8")
            else:
                Path(out).write_bytes(data)
        else:
            out.write(data)


def report(store: Store, **options: Any) -> Report:
    """The report of a selection of the graph.

    Parameters
    ----------
    store : Store
    **options
        The selection and its title, as :func:`~stancegraph.graph.drawing.report.report_content`
        takes them: ``plan``, ``actor``, ``since``, ``until``, ``contested``, ``min_confidence``,
        ``aggregation``, ``title``.

    Returns
    -------
    Report

    Raises
    ------
    UnknownEntityError, AmbiguousNameError
        A plan or actor name that names no node, or several.
    ValueError
        A date that is no ISO date, ``since`` after ``until``, or a bad choice.

    Examples
    --------
    >>> from stancegraph.graph import open_store, load_bundled
    >>> store = open_store()
    >>> _ = load_bundled(store)
    >>> r = report(store, plan="us-28", since="2025-11-21", until="2025-11-21")
    >>> r.title, len(r.content.stances), len(r.content.cited)
    ('Stance report: US 28-point peace plan', 6, 8)
    >>> sorted({s.publisher for s in r.content.stances})
    ['Office of the President of Ukraine', 'TASS; Interfax', 'The Straits Times']
    """
    content = report_content(store, **options)
    return Report(
        content.title,
        _document(content, interactive=True),
        _document(content, interactive=False),
        content,
    )


def report_html(store: Store, **options: Any) -> str:
    """The HTML of :func:`report` (a plain string, for services that pass results between processes)."""
    return report(store, **options).html


def report_pdf(store: Store, **options: Any) -> bytes:
    """The PDF of :func:`report` (see :meth:`Report.pdf`)."""
    return report(store, **options).pdf()

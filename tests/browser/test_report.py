"""Reports in a real headless Chromium: `stancegraph report --plan us-28 --out r.html` opens from disk with
every graph drawn and every figure shown, every source in the reference list and cited in the text, no
console error and no request; a report of a store with hostile labels runs nothing. Screenshots go to
build/screenshots/ (report-us-28.png, report-hostile.png) for a person to look at.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from stancegraph.api.cli.commands import main
from stancegraph.graph import ingest, load_bundled, open_store
from stancegraph.graph.drawing import report

from ..api.cli.conftest import init_cli_store
from ..graph.drawing.test_report import HOSTILE, hostile_rows
from . import test_pages
from .test_pages import Visit, screenshot

# the browser and the page loader of the page tests, as fixtures of this module too
browser = test_pages.browser
visit = test_pages.visit

FIGURES = """() => [...document.querySelectorAll('.sg-figure img')].map(img => {
    const box = img.getBoundingClientRect();
    return {complete: img.complete, natural: img.naturalWidth, width: box.width, height: box.height};
})"""
GRAPHS = """() => Object.values(window.stancegraphPages).map(p => {
    const box = p.network.body.container.getBoundingClientRect();
    return {nodes: p.nodes.length, shown: p.nodeView.length,
            placed: Object.keys(p.network.getPositions()).length, width: box.width, height: box.height};
})"""
CITATIONS = """() => ({
    listed: [...document.querySelectorAll('.sg-references li')].map(li => li.id),
    cited: [...document.querySelectorAll('a.sg-cite')].map(a => a.getAttribute('href').slice(1)),
    edgeSources: [...new Set(Object.values(window.stancegraphPages)
        .flatMap(p => p.edges.get().map(e => e.sourceIri).filter(Boolean)))],
})"""


@pytest.fixture(scope="module")
def cli_report(tmp_path_factory) -> Path:
    """r.html as `stancegraph report --plan us-28 --out r.html` writes it."""
    store = init_cli_store(tmp_path_factory, "browser-report")
    out = tmp_path_factory.mktemp("report") / "r.html"
    assert main(["--store", str(store), "report", "--plan", "us-28", "--out", str(out)]) == 0
    return out


def test_the_plan_report_opens_offline_with_everything_shown_and_cited(cli_report, visit) -> None:
    seen: Visit = visit(cli_report.read_text(encoding="utf-8"), "r.html")
    page = seen.page
    assert seen.console == [] and seen.requests == [] and seen.dialogs == []
    graphs = page.evaluate(GRAPHS)
    assert len(graphs) == 2  # the plan view and the agreement network
    for graph in graphs:
        assert graph["nodes"] > 1 and graph["shown"] == graph["placed"] == graph["nodes"]
        assert graph["width"] > 600 and graph["height"] > 300
    figures = page.evaluate(FIGURES)
    assert len(figures) == 3  # the heat map, the plan figure, the agreement figure
    for figure in figures:
        assert (
            figure["complete"]
            and figure["natural"] > 300
            and figure["width"] > 300
            and figure["height"] > 100
        )
    found = page.evaluate(CITATIONS)
    listed = found["listed"]
    assert len(listed) == 8 and len(set(listed)) == 8
    assert set(found["cited"]) == set(listed)  # every entry is cited, every citation has its entry
    sources = {"ref-" + iri.rsplit("/", 1)[-1] for iri in found["edgeSources"]}
    assert sources and sources <= set(listed)  # every report a drawn stance comes from is cited
    first = page.locator("a.sg-cite").first
    target = first.get_attribute("href")
    first.click()
    assert page.evaluate("() => location.hash") == target
    assert page.evaluate(f"() => document.querySelector('{target}').matches(':target')")
    assert seen.console == [] and seen.requests == []  # following a citation loads nothing
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(seen, "report-us-28")


def test_a_report_of_hostile_labels_runs_nothing(visit) -> None:
    with open_store() as store:
        load_bundled(store)
        ingest(store, ("hostile.csv", io.StringIO(hostile_rows())))
        made = report(store, plan="us-28", title=HOSTILE[0])
    seen: Visit = visit(made.html, "hostile-report.html")
    page = seen.page
    assert seen.console == [] and seen.requests == [] and seen.dialogs == []
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator("h1").inner_text() == HOSTILE[0]
    # the only images are the figures, and no element came from a label
    assert page.evaluate("() => document.querySelectorAll('img').length") == len(made.content.figures)
    assert page.evaluate("() => document.querySelectorAll('body svg, iframe, object, embed').length") == 0
    sides = page.locator(".sg-pair td").all_inner_texts()
    assert HOSTILE[0] in sides and f"Quote {HOSTILE[0]}" in sides  # who, and the quote, shown as text
    references = page.locator(".sg-references li").all_inner_texts()
    assert any(text.startswith(f"Doc {HOSTILE[1]}.") for text in references)
    assert page.evaluate("() => window.__pwned === undefined") and seen.dialogs == []
    screenshot(seen, "report-hostile")


def test_the_print_version_shows_the_figures_without_scripts(visit) -> None:
    with open_store() as store:
        load_bundled(store)
        made = report(store, plan="us-28")
    seen: Visit = visit(made.print_html, "print.html")
    assert seen.console == [] and seen.requests == []
    assert seen.page.evaluate("() => document.scripts.length") == 0
    figures = seen.page.evaluate(FIGURES)
    assert len(figures) == len(made.content.figures) == 3  # the heat map, the plan, the agreement network
    assert all(f["complete"] and f["natural"] > 300 for f in figures)

"""Rendered pages in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-python).

The pages load from files with no console error and no network request, hold the expected data, run
nothing from hostile labels, and react to the filters. The service's own pages (the landing page, /docs)
work under their Content-Security-Policy with no violation reported, and only the /viz views may be
framed by a report. Screenshots go to build/screenshots/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import networkx as nx
import pytest

from stancegraph.graph import load_bundled, open_store, stances
from stancegraph.graph.drawing.pages import Page, render, render_graph

from ..api.service.conftest import Service, running_service

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
HOSTILE = (
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    "<svg onload=alert(1)>",
)


@dataclass
class Visit:
    """A loaded page with what it logged and requested."""

    page: object
    url: str
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def counts(self, index: int = 0) -> dict:
        return self.page.evaluate(f"""() => {{
            const p = Object.values(window.stancegraphPages)[{index}];
            return {{nodes: p.nodes.length, edges: p.edges.length, shownNodes: p.nodeView.length,
                     shownEdges: p.edgeView.length}};
        }}""")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.fail(
            "the browser tests need Debian's chromium: apt-get update && apt-get install -y chromium "
            "(make test installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def plan_store():
    with open_store() as store:
        load_bundled(store)
        yield store


@pytest.fixture
def visit(browser, tmp_path) -> Iterator:
    contexts = []

    def load(html: str, name: str = "page.html") -> Visit:
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        contexts.append(context)
        page = context.new_page()
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        seen = Visit(page, path.as_uri())
        page.on(
            "console",
            lambda m: seen.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda e: seen.console.append(f"pageerror: {e}"))
        page.on("request", lambda r: seen.requests.append(r.url) if r.url != seen.url else None)
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.goto(seen.url)
        page.wait_for_function("() => [...document.querySelectorAll('.sg-page')].every(e => e.dataset.drawn)")
        return seen

    yield load
    for context in contexts:
        context.close()


def screenshot(visit: Visit, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"{name}.png"
    visit.page.wait_for_timeout(300)
    visit.page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000
    return out


@pytest.mark.parametrize("view", ["plan", "stances", "agreement", "influence"])
def test_view_loads_offline_without_errors(plan_store, visit, view: str) -> None:
    page: Page = render(plan_store, view)
    seen = visit(page.html, f"{view}.html")
    assert seen.console == []
    assert seen.requests == []
    counts = seen.counts()
    assert (counts["nodes"], counts["edges"]) == (page.node_count, page.edge_count)
    assert (counts["shownNodes"], counts["shownEdges"]) == (page.node_count, page.edge_count)
    screenshot(seen, f"view-{view}")


def test_plan_page_shows_every_point(plan_store, visit) -> None:
    seen = visit(render(plan_store, "plan").html)
    labels = seen.page.evaluate("""() => Object.values(window.stancegraphPages)[0].nodes.get()
        .filter(n => n.id.includes('/plan/us-28/')).map(n => n.label)""")
    assert sorted(int(label.split(".")[0]) for label in labels) == list(range(1, 29))
    positions = seen.page.evaluate("""() => { const p = Object.values(window.stancegraphPages)[0];
        return Object.keys(p.network.getPositions()).length; }""")
    assert positions == seen.counts()["nodes"]


def hostile_page() -> Page:
    g = nx.MultiDiGraph(view="stances")
    for i, text in enumerate(HOSTILE):
        g.add_node(f"a{i}", label=text, kind="state", tooltip=(text, "more: " + text))
        g.add_node(f"t{i}", label="on " + text, kind="demand")
        g.add_edge(
            f"a{i}",
            f"t{i}",
            key=f"s{i}",
            kind="rejects",
            source=f"urn:x:{i}",
            source_label=text,
            date=f"2025-11-2{i}",
            tooltip=(text,),
        )
    return render_graph(g, title=HOSTILE[0], subtitle=HOSTILE[1])


def test_hostile_labels_run_nothing(visit) -> None:
    page = hostile_page()
    seen = visit(page.html)
    browser_page = seen.page
    assert seen.console == [] and seen.requests == [] and seen.dialogs == []
    assert browser_page.evaluate("() => window.__pwned === undefined")
    assert browser_page.evaluate("() => document.querySelectorAll('.sg-page img, .sg-page svg').length") == 0
    assert browser_page.locator(".sg-title").inner_text() == HOSTILE[0]
    options = browser_page.locator(".sg-source option").all_inner_texts()
    assert set(HOSTILE) <= set(options)
    # hover a hostile node: its tooltip shows the text as text
    point = browser_page.evaluate("""() => { const p = Object.values(window.stancegraphPages)[0];
        return p.network.canvasToDOM(p.network.getPositions(['a0'])['a0']); }""")
    box = browser_page.locator(".sg-canvas").bounding_box()
    browser_page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = browser_page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().splitlines()[0] == HOSTILE[0]
    tags = browser_page.evaluate("() => [...document.querySelectorAll('.vis-tooltip *')].map(e => e.tagName)")
    assert tags == ["DIV", "DIV", "DIV"]  # the box and its two text rows, nothing parsed from the label
    assert browser_page.evaluate("() => window.__pwned === undefined") and seen.dialogs == []
    screenshot(seen, "hostile-labels")


def test_filters_change_what_is_shown(plan_store, visit) -> None:
    page = render(plan_store, "stances")
    seen = visit(page.html)
    p = seen.page
    all_edges = page.edge_count
    rejects = len(stances(plan_store, stance="rejects"))
    p.locator(".sg-kinds input[value=rejects]").uncheck()
    assert seen.counts()["shownEdges"] == all_edges - rejects
    p.locator(".sg-kinds input[value=rejects]").check()
    assert seen.counts()["shownEdges"] == all_edges
    source = "https://w3id.org/stancegraph/id/source/kremlin-2025-11-21"
    p.locator(".sg-source").select_option(source)
    expected = stances(plan_store, source="kremlin-2025-11-21")
    counts = seen.counts()
    assert counts["shownEdges"] == len(expected)
    assert counts["shownNodes"] == len({s.actor for s in expected} | {s.target for s in expected})
    p.locator(".sg-reset").click()
    p.locator(".sg-since").fill("2025-11-23")
    assert seen.counts()["shownEdges"] == len(stances(plan_store, since="2025-11-23"))
    p.locator(".sg-until").fill("2025-11-23")
    assert seen.counts()["shownEdges"] == len(stances(plan_store, since="2025-11-23", until="2025-11-23"))
    p.locator(".sg-reset").click()
    assert seen.counts()["shownEdges"] == all_edges
    # search an actor, then show only its neighbourhood
    p.locator(".sg-search").fill("Russia")
    p.locator(".sg-search").press("Enter")
    p.locator(".sg-focus").click()
    russia = stances(plan_store, actor="russia")
    russia = [s for s in russia if s.actor.endswith("/russia")]
    counts = seen.counts()
    assert counts["shownEdges"] == len(russia)
    assert counts["shownNodes"] == 1 + len({s.target for s in russia})
    screenshot(seen, "focus-russia")
    assert seen.console == [] and seen.requests == []


def test_fragments_and_iframe_embed_in_a_report(plan_store, visit) -> None:
    first = render(plan_store, "agreement")
    second = render(plan_store, "plan")
    report = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Report</title></head><body>"
        f"<h1>Report</h1><p>Two figures:</p>{first.fragment}{second.fragment}</body></html>"
    )
    seen = visit(report, "report.html")
    assert seen.console == [] and seen.requests == []
    assert seen.counts(0)["edges"] == first.edge_count and seen.counts(1)["edges"] == second.edge_count
    screenshot(seen, "report-with-two-fragments")
    notebook = visit(f"<!DOCTYPE html><html><body>{first._repr_html_()}</body></html>", "notebook.html")
    frame = notebook.page.frames[1]
    frame.wait_for_function("() => document.querySelector('.sg-page').dataset.drawn === 'true'")
    assert frame.evaluate("() => Object.values(window.stancegraphPages)[0].edges.length") == first.edge_count
    assert notebook.console == [] and notebook.requests == []


def test_two_thousand_nodes_draw(visit) -> None:
    graph = nx.gnm_random_graph(2000, 10_000, seed=11)
    page = render_graph(graph, title="2,000 nodes, 10,000 edges")
    seen = visit(page.html, "large.html")
    assert seen.console == [] and seen.requests == []
    counts = seen.counts()
    assert (counts["nodes"], counts["edges"]) == (2000, 10_000)
    physics = "() => Object.values(window.stancegraphPages)[0].network.physics.options.enabled"
    assert seen.page.evaluate(physics) is False
    screenshot(seen, "large-2000")


#: Each label drawn, as a box on the screen, and each node as a disc on the screen.
DRAWN = """() => {
    const p = Object.values(window.stancegraphPages)[0];
    const net = p.network, ids = p.nodeView.getIds(), at = net.getPositions(ids), scale = net.getScale();
    const labels = [], discs = [];
    for (const id of ids) {
        const node = net.body.nodes[id], where = net.canvasToDOM(at[id]);
        discs.push([where.x, where.y, node.options.size * scale]);
        const size = node.options.font.size, box = net.canvas.frame.canvas.getBoundingClientRect();
        const inView = where.x >= 0 && where.y >= 0 && where.x <= box.width && where.y <= box.height;
        if (size * scale >= 4 && inView) {  // what is drawn (vis sizes a label when it draws it)
            const label = node.labelModule.getSize();  // canvas units, below the node
            const right = { x: label.left + label.width, y: label.top + label.height };
            labels.push({ px: size * scale, box: [net.canvasToDOM({x: label.left, y: label.top}),
                                                  net.canvasToDOM(right)] });
        }
    }
    return { scale, labels, discs, labelled: p.labelled, inView: labels.length };
}"""


def _overlaps(boxes: list[tuple[float, float, float, float]]) -> int:
    return sum(
        1
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
    )


def test_a_big_agreement_view_keeps_its_nodes_apart_and_its_labels_legible(visit, tmp_path) -> None:
    from stancegraph.graph import ingest
    from stancegraph.graph.ingestion import write_statements_csv

    corpus = tmp_path / "synth.csv"
    write_statements_csv(corpus, 6000, actors=200, targets=60, seed=2)
    with open_store() as store:
        ingest(store, corpus)
        page = render(store, "agreement")
    seen = visit(page.html, "agreement-200.html")
    assert seen.console == [] and seen.requests == []
    seen.page.wait_for_timeout(300)
    drawn = seen.page.evaluate(DRAWN)
    discs = drawn["discs"]
    assert len(discs) == seen.counts()["nodes"] > 190
    covered = sum(
        1
        for i, (x, y, r) in enumerate(discs)
        for (u, v, q) in discs[i + 1 :]
        if (x - u) ** 2 + (y - v) ** 2 < (r + q - 0.5) ** 2
    )
    assert covered == 0  # no node drawn over another
    # at the default zoom: the labels drawn are 13 px on screen and none covers another; many are drawn
    labels = drawn["labels"]
    assert len(labels) == drawn["labelled"] >= 30, len(labels)  # all in view at the default zoom
    assert all(abs(label["px"] - 13) < 0.01 for label in labels)
    boxes = [(a["x"], a["y"], b["x"], b["y"]) for a, b in (label["box"] for label in labels)]
    assert _overlaps(boxes) == 0
    screenshot(seen, "agreement-200")
    # zoomed in, more labels make room, still apart and as legible
    seen.page.evaluate(
        "() => { const p = Object.values(window.stancegraphPages)[0];"
        " p.network.moveTo({ scale: p.network.getScale() * 3 }); p.placeLabels(); p.network.redraw(); }"
    )
    seen.page.wait_for_timeout(300)
    closer = seen.page.evaluate(DRAWN)
    boxes = [(a["x"], a["y"], b["x"], b["y"]) for a, b in (label["box"] for label in closer["labels"])]
    assert closer["labelled"] > drawn["labelled"] and len(boxes) > 10 and _overlaps(boxes) == 0
    assert all(abs(label["px"] - 13) < 0.01 for label in closer["labels"])


# -- the service's own pages, under their Content-Security-Policy --------------------------------------

#: Collects every CSP violation the page reports (the event fires for blocked scripts, styles, requests).
CSP_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
    e => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`));"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running_service(tmp_path_factory.mktemp("browser-service")) as running:
        yield running


@pytest.fixture
def open_page(browser, served: Service) -> Iterator:
    contexts = []

    def load(path: str) -> Visit:
        context = browser.new_context(viewport={"width": 1300, "height": 950})
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(CSP_VIOLATIONS)
        seen = Visit(page, served.url + path)
        page.on(
            "console",
            lambda m: seen.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda e: seen.console.append(f"pageerror: {e}"))
        page.on("request", lambda r: seen.requests.append(r.url))
        response = page.goto(seen.url)
        seen.headers = response.headers
        return seen

    yield load
    for context in contexts:
        context.close()


def violations(seen: Visit) -> list[str]:
    return seen.page.evaluate("() => window.__violations")


def assert_clean(seen: Visit, served: Service) -> None:
    """No violation, no console error, nothing requested from another origin."""
    seen.page.wait_for_timeout(300)
    assert violations(seen) == []
    assert seen.console == []
    assert [url for url in seen.requests if not url.startswith(served.url + "/")] == []
    policy = seen.headers["content-security-policy"]
    assert "unsafe" not in policy and "frame-ancestors 'none'" in policy


def test_landing_page_runs_queries_under_its_policy(open_page, served: Service) -> None:
    seen = open_page("/")
    page = seen.page
    page.locator("#sparql-form button[type=submit]").click()
    page.locator("#sparql-result table").wait_for()
    query = page.locator("#query").input_value()
    expected = httpx.post(
        served.url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    ).json()["results"]["bindings"]
    assert page.locator("#sparql-result tr").count() == 1 + len(expected) > 1
    assert page.locator("#sparql-result th").all_inner_texts() == ["actor", "label"]
    page.locator("#examples").select_option(label="Stances per target")
    page.locator("#sparql-form button[type=submit]").click()
    page.locator("#sparql-result th", has_text="stances").wait_for()
    page.locator("#ask-form button[type=submit]").click()
    page.locator("#ask-result table").wait_for()
    assert page.locator("#ask-result tr").count() > 1
    assert_clean(seen, served)
    screenshot(seen, "service-landing")


def test_docs_load_under_their_policy(open_page, served: Service) -> None:
    seen = open_page("/docs")
    # Swagger UI has fetched /openapi.json and drawn it (or its complaint about it)
    seen.page.locator(".swagger-ui .opblock, .swagger-ui .version-pragma").first.wait_for()
    assert_clean(seen, served)
    assert "'sha256-" in seen.headers["content-security-policy"]
    screenshot(seen, "service-docs")


def test_docs_list_every_operation(open_page, served: Service) -> None:
    seen = open_page("/docs")
    seen.page.locator(".swagger-ui .opblock, .swagger-ui .version-pragma").first.wait_for()
    schema = httpx.get(served.url + "/openapi.json").json()
    operations = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    shown = seen.page.evaluate("""() => [...document.querySelectorAll('.opblock')]
        .map(e => e.id.split('-').slice(2).join('-'))""")
    assert set(shown) == operations
    assert_clean(seen, served)


def test_a_report_may_frame_the_views_but_not_the_pages(visit, served: Service) -> None:
    report = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Report</title></head><body>"
        f"<iframe id='view' src='{served.url}/viz/plan?plan=us-28' width='1000' height='600'></iframe>"
        f"<iframe id='landing' src='{served.url}/' width='600' height='300'></iframe>"
        f"<iframe id='docs' src='{served.url}/docs' width='600' height='300'></iframe></body></html>"
    )
    seen = visit(report, "report-with-frames.html")
    view = seen.page.frame_locator("#view").locator(".sg-page[data-drawn=true]")
    view.wait_for()
    seen.page.wait_for_timeout(500)
    framed = {frame.url for frame in seen.page.frames}
    assert f"{served.url}/viz/plan?plan=us-28" in framed
    assert f"{served.url}/" not in framed and f"{served.url}/docs" not in framed
    refused = [m for m in seen.console if "frame-ancestors 'none'" in m]
    assert len(refused) == 2 and len(seen.console) == 2, seen.console
    screenshot(seen, "report-with-frames")

"""Render speed: HTML size, render time and time to first draw in Chromium, ours against pyvis's default.

For random graphs of 200, 2,000 and 5,000 nodes (five edges per node) this prints, for our renderer
(:func:`stancegraph.graph.drawing.pages.render_graph`) and for pyvis's own default output
(``Network().from_nx(g); generate_html()``, CDN scripts, physics on): the page size, the time to build
the HTML in Python, and the time from navigation to the first vis-network draw in headless Chromium
(Debian's /usr/bin/chromium). pyvis's default page loads its scripts from a CDN; with no network the
benchmark serves nothing, so for the baseline the CDN requests are answered from pyvis's bundled copy
(the same library) through Playwright routing, with the page's integrity hashes removed (pyvis's
copy differs from the CDN file they pin); the first draw waits for physics stabilisation, as that page
does.

Run: ``python benchmarks/render_speed.py`` (about a minute or two).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import networkx as nx

from stancegraph.graph.drawing.pages import render_graph

SIZES = (200, 2_000, 5_000)
CHROMIUM = "/usr/bin/chromium"
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
FIRST_DRAW_LIMIT_MS = 300_000


def ours(graph: nx.Graph) -> tuple[str, float]:
    start = time.perf_counter()
    page = render_graph(graph, title=f"{len(graph)} nodes")
    return page.html, time.perf_counter() - start


def baseline(graph: nx.Graph) -> tuple[str, float]:
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network()  # pyvis defaults: cdn_resources="local" (CDN links), physics on
    net.from_nx(graph)
    html = net.generate_html()
    return html, time.perf_counter() - start


def first_draw_ours(browser, path: Path) -> float:
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => document.querySelector('.sg-page').dataset.drawn === 'true'", timeout=FIRST_DRAW_LIMIT_MS
    )
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def first_draw_pyvis(browser, path: Path) -> float:
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib"
    page = browser.new_page()
    vis = lib / "vis-9.1.2"
    page.route(
        "**/vis-network.min.js",
        lambda r: r.fulfill(path=str(vis / "vis-network.min.js"), content_type="text/javascript"),
    )
    page.route(
        "**/vis-network.min.css",
        lambda r: r.fulfill(path=str(vis / "vis-network.css"), content_type="text/css"),
    )
    page.route(
        "**/utils.js",
        lambda r: r.fulfill(path=str(lib / "bindings" / "utils.js"), content_type="text/javascript"),
    )
    page.route("**/bootstrap*", lambda r: r.fulfill(body="", content_type="text/plain"))
    page.add_init_script("""window.__drawn = false;
        const hook = () => {
            if (window.network && window.network.once) {
                window.network.once('afterDrawing', () => { window.__drawn = true; });
            } else { setTimeout(hook, 5); } };
        setTimeout(hook, 0);""")
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("() => window.__drawn === true", timeout=FIRST_DRAW_LIMIT_MS, polling=20)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright

    rows = []
    with TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in SIZES:
            graph = nx.gnm_random_graph(n, 5 * n, seed=1)
            for name, build, draw in (
                ("stancegraph", ours, first_draw_ours),
                ("pyvis default", baseline, first_draw_pyvis),
            ):
                html, seconds = build(graph)
                path = Path(folder) / f"{name.replace(' ', '-')}-{n}.html"
                # pyvis's bundled vis-network is not byte-identical to the CDN file its page pins with a
                # subresource-integrity hash, so the baseline loads only with those hashes removed
                shown = html if name == "stancegraph" else re.sub(r'\s+integrity="[^"]*"', "", html)
                path.write_text(shown, encoding="utf-8")
                try:
                    drawn = f"{draw(browser, path):8.2f}"
                except Exception as exc:  # a page that never draws within the limit
                    drawn = f"   none ({type(exc).__name__})"
                rows.append((n, 5 * n, name, len(html.encode()) / 1e6, seconds, drawn))
        browser.close()
    print(f"{'nodes':>6} {'edges':>7}  {'renderer':<14} {'HTML MB':>8} {'render s':>9} {'first draw s':>13}")
    for n, m, name, size, seconds, drawn in rows:
        print(f"{n:>6} {m:>7}  {name:<14} {size:>8.2f} {seconds:>9.2f} {drawn:>13}")


if __name__ == "__main__":
    main()

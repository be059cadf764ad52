"""The HTML renderer: embedded data equals the selection, escaping, offline, embedding, scale."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import networkx as nx
import pytest
from markupsafe import escape

from stancegraph.graph import load_bundled, open_store, stances
from stancegraph.graph.drawing.pages import PHYSICS_LIMIT, Page, render, render_graph
from stancegraph.graph.drawing.views import EDGE_STYLES, NODE_STYLES, view_graph
from stancegraph.graph.store import Store

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "&lt;b&gt;not bold&lt;/b&gt; \u2028 line",
)


@pytest.fixture(scope="module")
def plan_store() -> Iterator[Store]:
    with open_store() as store:
        load_bundled(store)
        yield store


@pytest.fixture(scope="module")
def stance_page(plan_store: Store) -> Page:
    return render(plan_store, "stances")


@pytest.fixture(scope="module")
def plan_page(plan_store: Store) -> Page:
    return render(plan_store, "plan", plan="us-28")


ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "div",
    "header",
    "h2",
    "p",
    "form",
    "label",
    "input",
    "datalist",
    "button",
    "fieldset",
    "legend",
    "select",
    "option",
    "output",
    "aside",
    "h3",
    "ul",
    "li",
    "span",
    "script",
}


class Tags(HTMLParser):
    """The element names of a document, in order, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.started: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.started.append(tag)


def embedded(page_html: str) -> dict:
    """The JSON the page script reads."""
    found = re.findall(r'<script type="application/json" class="sg-data">(.*?)</script>', page_html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_stance_page_embeds_exactly_the_selection(plan_store: Store, stance_page: Page) -> None:
    selected = stances(plan_store)
    data = embedded(stance_page.html)
    assert data == json.loads(json.dumps(stance_page.data))
    assert {e["id"] for e in data["edges"]} == {s.iri for s in selected}
    assert {n["id"] for n in data["nodes"]} == {s.actor for s in selected} | {s.target for s in selected}
    by_id = {e["id"]: e for e in data["edges"]}
    for s in selected:
        edge = by_id[s.iri]
        assert (edge["from"], edge["to"], edge["kind"], edge["date"]) == (
            s.actor,
            s.target,
            s.stance,
            s.stated_on.isoformat(),
        )
        assert edge["color"]["color"] == EDGE_STYLES[s.stance].colour
        assert edge["sourceIri"] == s.source
        assert any(s.source_title in line for line in edge["tip"])
    us = next(n for n in data["nodes"] if n["id"].endswith("/actor/us"))
    assert (us["label"], us["kind"], us["color"]) == ("United States", "state", NODE_STYLES["state"].colour)


def test_stance_colours_follow_the_discourse_network_convention() -> None:
    assert EDGE_STYLES["endorses"].colour == "#1a9850"  # green agree
    assert EDGE_STYLES["rejects"].colour == "#d73027"  # red disagree
    assert EDGE_STYLES["ambivalent"].colour == "#4575b4"  # blue ambivalent
    colours = [EDGE_STYLES[k].colour for k in ("endorses", "rejects", "ambivalent", "concedes", "demands")]
    assert len(set(colours)) == 5


def test_plan_page_has_all_28_points_and_the_stances_on_them(plan_store: Store, plan_page: Page) -> None:
    data = embedded(plan_page.html)
    prefix = "https://w3id.org/stancegraph/id/plan/us-28/"
    points = {n["id"]: n for n in data["nodes"] if n["id"].startswith(prefix)}
    assert sorted(int(p.rsplit("/", 1)[1]) for p in points) == list(range(1, 29))
    assert points[prefix + "7"]["label"] == "7. NATO membership ruled out in Ukraine's constitution"
    on_points = {s.iri for s in stances(plan_store) if s.target.startswith(prefix)}
    assert on_points <= {e["id"] for e in data["edges"]}
    assert len(on_points) >= 40
    rejecters = {
        e["from"].rsplit("/", 1)[1]
        for e in data["edges"]
        if e["to"] == prefix + "7" and e["kind"] == "rejects"
    }
    assert rejecters == {"e3", "uk", "france", "germany"}
    tip = " | ".join(points[prefix + "6"]["tip"])
    assert "dropped in" in tip and "fulfils the demand" in tip
    assert "changed from https" not in tip
    assert any(e["kind"] == "changed" for e in data["edges"])  # lineage to later versions
    assert data["options"]["physics"] == {"enabled": False}  # fixed columns
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_filters_select_what_is_drawn(plan_store: Store) -> None:
    rejects = render(plan_store, "stances", stance="rejects")
    assert rejects.edge_count == len(stances(plan_store, stance="rejects")) > 0
    assert {e["kind"] for e in rejects.data["edges"]} == {"rejects"}
    dated = render(plan_store, "stances", since="2025-11-23")
    assert dated.data["edges"] and min(e["date"] for e in dated.data["edges"]) >= "2025-11-23"
    assert "since=2025-11-23" in dated.html


def test_page_filters_list_the_kinds_sources_and_dates(stance_page: Page) -> None:
    filters = stance_page.data["filters"]
    assert [k for k, _ in filters["kinds"]] == [
        k for k in EDGE_STYLES if any(e["kind"] == k for e in stance_page.data["edges"])
    ]
    assert {iri for iri, _ in filters["sources"]} == {e["sourceIri"] for e in stance_page.data["edges"]}
    assert filters["dates"] == [
        min(e["date"] for e in stance_page.data["edges"]),
        max(e["date"] for e in stance_page.data["edges"]),
    ]
    for iri, label in filters["sources"]:
        assert f'<option value="{escape(iri)}">{escape(label)}</option>' in stance_page.html


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(view="stances")
    for i, text in enumerate(HOSTILE):
        g.add_node(f"a{i}", label=text, kind="state", tooltip=(text, "second " + text))
        g.add_node(f"t{i}", label="target " + text, kind="demand")
        g.add_edge(
            f"a{i}",
            f"t{i}",
            key=f"s{i}",
            kind="rejects",
            source="https://example.org/" + text,
            source_label=text,
            date="2025-11-2" + str(i),
            tooltip=(text,),
        )
    return g


def test_hostile_labels_are_escaped_everywhere() -> None:
    page = render_graph(hostile_graph(), title=HOSTILE[0], subtitle=HOSTILE[1])
    for doc in (page.html, page.fragment):
        for text in HOSTILE[:3]:
            assert text not in doc
        tags = Tags()
        tags.feed(doc)
        assert [t for t in tags.started if t not in ALLOWED_TAGS] == []
        assert tags.started.count("script") == 3  # the library, the data, the page script
    data = embedded(page.html)
    assert [n["label"] for n in data["nodes"] if n["id"].startswith("a")] == list(HOSTILE)
    assert data["edges"][0]["tip"] == [HOSTILE[0]]
    assert f"<title>{html.escape(HOSTILE[0])}</title>" in page.html
    assert f'<h2 class="sg-title">{html.escape(HOSTILE[0])}</h2>' in page.html


def test_page_is_offline(stance_page: Page) -> None:
    doc = stance_page.html
    assert not re.search(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", doc, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", doc, re.I)
    assert "@import" not in doc and "<link" not in doc and "<script src" not in doc
    assert "bootstrap" not in doc.lower() and "cdn" not in doc.lower().replace("cdn_", "")
    assert "default-src 'none'" in html.unescape(doc) and "connect-src 'none'" in html.unescape(doc)
    assert "vis.Network" in doc and "vis-network" in doc  # the library is inline
    script = stance_page.fragment[stance_page.fragment.rindex("<script>") :]
    for call in ("fetch(", "XMLHttpRequest", "import(", "innerHTML", "eval("):
        assert call not in script


def test_three_ways_to_embed(stance_page: Page) -> None:
    assert stance_page.html.startswith("<!DOCTYPE html>")
    fragment = stance_page.fragment
    assert fragment.startswith(f'<div class="sg-page" id="{stance_page.data["id"]}"')
    assert "<html" not in fragment and "<body" not in fragment and fragment.rstrip().endswith("</div>")
    frame = stance_page._repr_html_()
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
    assert html.unescape(frame.split('srcdoc="', 1)[1].split('" sandbox=', 1)[0]) == stance_page.html
    other = render_graph(nx.path_graph(3))
    assert other.data["id"] != stance_page.data["id"]  # two fragments can share one report


def test_large_graphs_get_a_fixed_layout_without_physics() -> None:
    big = nx.gnm_random_graph(PHYSICS_LIMIT + 50, 900, seed=3)
    page = render_graph(big)
    assert page.data["options"]["physics"] == {"enabled": False}
    assert page.data["options"]["edges"]["smooth"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in page.data["nodes"])
    assert (page.node_count, page.edge_count) == (PHYSICS_LIMIT + 50, 900)
    small = render_graph(nx.path_graph(5))
    assert small.data["options"]["physics"]["enabled"] is True


def test_size_by_a_measure() -> None:
    g = nx.DiGraph()
    g.add_node("a", influence=0.9)
    g.add_node("b", influence=0.1)
    g.add_edge("b", "a", kind="adopts")
    sizes = {n["id"]: n["size"] for n in render_graph(g, size_by="influence").data["nodes"]}
    assert sizes["a"] > sizes["b"]
    g.add_node("c")
    with pytest.raises(ValueError, match="'c' has no numeric 'influence'"):
        render_graph(g, size_by="influence")


def test_agreement_view_is_the_one_mode_network(plan_store: Store) -> None:
    graph = view_graph(plan_store, "agreement", aggregation="congruence")
    page = render(plan_store, "agreement", aggregation="congruence")
    assert page.edge_count == graph.number_of_edges() > 0
    uk, france = ("https://w3id.org/stancegraph/id/actor/" + a for a in ("uk", "france"))
    assert graph[uk][france]["weight"] >= 5  # they reject the same five US points (and endorse the E3 plan)
    assert {e["kind"] for e in page.data["edges"]} == {"agree"}
    widths = sorted(e["width"] for e in page.data["edges"])
    assert widths[0] < widths[-1]
    conflict = view_graph(plan_store, "agreement", aggregation="subtract")
    assert any(d["kind"] == "conflict" for *_, d in conflict.edges(data=True))
    with pytest.raises(ValueError, match="congruence"):
        view_graph(plan_store, "agreement", aggregation="ignore")


def test_influence_view(plan_store: Store) -> None:
    page = render(plan_store, "influence")
    actor = "https://w3id.org/stancegraph/id/actor/"
    edges = {(e["from"], e["to"]): e for e in page.data["edges"]}
    adopted = edges[(actor + "russia", actor + "e3")]
    assert adopted["kind"] == "adopts" and adopted["arrows"]["to"]["enabled"] is True
    assert any("e3-counter/6" in line for line in adopted["tip"])
    army = next(line for line in adopted["tip"] if "e3-counter/6" in line)
    reports = stances(plan_store, actor="russia", target="ru-army-cap", stance="demands")
    assert f"confidence of the demand: {max(s.confidence for s in reports):g}" in army
    sizes = {n["id"]: n["size"] for n in page.data["nodes"]}
    assert max(sizes, key=sizes.get) == actor + "russia"


def test_unknown_view_and_option() -> None:
    with open_store() as empty:
        with pytest.raises(ValueError, match="unknown view 'pie'"):
            render(empty, "pie")
        with pytest.raises(ValueError, match="does not take"):
            render(empty, "stances", plan="us-28")
        assert render(empty, "stances").node_count == 0


def test_save_writes_the_standalone_page(stance_page: Page, tmp_path) -> None:
    out = tmp_path / "page.html"
    stance_page.save(out)
    assert out.read_text(encoding="utf-8") == stance_page.html


def test_the_large_graph_layout_is_seeded_and_not_shrunk_by_an_outlier() -> None:
    import networkx as nx

    from stancegraph.graph.drawing.layouts import layout

    graph = nx.gnm_random_graph(1500, 6000, seed=3)
    graph.add_node("loner")  # an isolate drifts away in a force layout
    first, again = layout(graph, seed=5), layout(graph, seed=5)
    assert first == again
    xs = sorted(abs(x) for x, _ in first.values())
    assert xs[len(xs) // 2] > 0.2 * xs[-1]  # the median node is not squeezed into the middle


def test_tooltips_give_each_stances_confidence_and_contested_status(plan_store: Store) -> None:
    selected = {s.iri: s for s in stances(plan_store)}
    data = embedded(render(plan_store, "stances").html)
    for edge in data["edges"]:
        s = selected[edge["id"]]
        assert f"confidence: {s.confidence:g}" in edge["tip"]
        assert any(line.startswith("contested:") for line in edge["tip"]) == s.contested
    denial = next(e for e in data["edges"] if e["id"].endswith("/umerov-claim"))
    assert any(line.startswith("denied:") for line in denial["tip"])


def test_a_stance_without_confidence_says_so_in_its_tooltip() -> None:
    from stancegraph.graph.drawing.nodes import stance_lines

    s = stances_of_bundled_without_confidence()
    assert "confidence: not recorded" in stance_lines(s)
    assert not any(line == "confidence: 0" for line in stance_lines(s))


def stances_of_bundled_without_confidence():
    import dataclasses

    with open_store() as store:
        load_bundled(store)
        return dataclasses.replace(stances(store, actor="umerov")[0], confidence=None)


ACTOR = "https://w3id.org/stancegraph/id/actor/"


def test_the_agreement_page_follows_contested_and_min_confidence(plan_store: Store) -> None:
    every = embedded(render(plan_store, "agreement").html)
    strict = embedded(render(plan_store, "agreement", min_confidence=0.8).html)
    assert len(strict["edges"]) < len(every["edges"])

    # the E3 members' stances (five points of the US draft they reject, their own counter-proposal they
    # endorse) are all read from what they did, so inferred, at 0.7: above 0.8 they share nothing
    france = plan_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#actor> "
        f"<{ACTOR}france> }} }}"
    )
    everything = view_graph(plan_store, "agreement")
    assert everything.edges[ACTOR + "france", ACTOR + "germany"]["value"] == int(next(iter(france))[0].value)
    strict_graph = view_graph(plan_store, "agreement", min_confidence=0.8)
    assert not strict_graph.has_edge(ACTOR + "france", ACTOR + "germany")
    assert all("stances: contested=include, min confidence 0.8" in e["tip"] for e in strict["edges"])
    assert all(any(line.startswith("confidence: ") for line in n["tip"]) for n in strict["nodes"])
    only = view_graph(plan_store, "agreement", contested="only")
    assert only.number_of_edges() == 0  # the one contested stance ties Ukraine to no one
    with pytest.raises(ValueError, match="min_confidence=1.5 is outside"):
        render(plan_store, "agreement", min_confidence=1.5)


def test_many_graphs_share_one_copy_of_the_library() -> None:
    import networkx as nx

    from stancegraph.graph.drawing.pages import library_scripts, render_graph

    g = nx.DiGraph()
    g.add_edge("a", "b", kind="endorses")
    page = render_graph(g, title="one")
    library = library_scripts()
    assert library.count("</script>") == 2 and len(library) > 400_000
    assert len(page.fragment) - len(page.body) > 400_000  # the library is the difference
    assert "stancegraphMount(document.getElementById" in page.body
    assert page.data["id"] in page.body and 'class="sg-data"' in page.body
    assert "window.stancegraphMount = function" not in page.body
    assert "window.stancegraphMount = function" in page.fragment and "window.stancegraphMount" in library

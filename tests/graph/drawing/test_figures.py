"""Static figures: SVG and PNG of the views, and the actor x point heat map."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from stancegraph.graph import load_bundled, open_store
from stancegraph.graph.drawing.figures import figure_bytes, render_figure, stance_heatmap
from stancegraph.graph.drawing.views import EDGE_STYLES

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def plan_store():
    with open_store() as store:
        load_bundled(store)
        yield store


def svg_text(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text]


@pytest.mark.parametrize("view", ["stances", "plan", "agreement", "influence"])
def test_views_as_svg_and_png(plan_store, view: str) -> None:
    svg = render_figure(plan_store, view, format="svg")
    texts = svg_text(svg)
    assert any(t.startswith(("Stances", "Agreement", "Influence")) for t in texts)  # the title
    assert "state" in texts  # the legend names the node kinds
    assert render_figure(plan_store, view, format="svg") == svg  # no timestamps: same data, same bytes
    png = render_figure(plan_store, view, format="png")
    assert png.startswith(PNG) and len(png) > 20_000


def test_plan_figure_labels_every_point_and_the_legend(plan_store) -> None:
    texts = svg_text(render_figure(plan_store, "plan", format="svg"))
    for number in range(1, 29):
        assert any(t.startswith(f"{number}. ") for t in texts), number
    assert {"endorses", "rejects", EDGE_STYLES["changed"].legend} <= set(texts)


def test_heatmap_has_every_point_and_the_actors(plan_store) -> None:
    figure = stance_heatmap(plan_store, "us-28")
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(n) for n in range(1, 29)]
    actors = [t.get_text() for t in ax.get_yticklabels()]
    assert {"United States", "United Kingdom", "France", "Germany", "E3"} <= set(actors)
    grid = ax.images[0].get_array()
    us = actors.index("United States")
    uk = actors.index("United Kingdom")
    assert not grid.mask[us].any()  # the US endorses every point of its draft
    assert grid[uk, 6] != grid[us, 6]  # and the UK rejects point 7
    texts = svg_text(figure_bytes(figure, format="svg"))
    assert "no stance reported" in texts and "rejects" in texts


def test_unknown_format(plan_store) -> None:
    with pytest.raises(ValueError, match="'svg' or 'png'"):
        render_figure(plan_store, "heatmap", format="gif")


def test_a_heat_map_with_no_stance_on_a_point_says_so(plan_store) -> None:
    texts = svg_text(figure_bytes(stance_heatmap(plan_store, "us-28", since="2030-01-01")))
    assert "Stances on the points of US 28-point peace plan" in texts
    assert "no stance on any point in this selection" in texts

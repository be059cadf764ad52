"""`stancegraph render`: a view to an HTML page, an SVG or a PNG."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stancegraph.api.cli.commands import main

from .conftest import init_cli_store


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return init_cli_store(tmp_path_factory, "cli-render")


def test_render_html_svg_png(store_dir, tmp_path) -> None:
    page = tmp_path / "plan.html"
    store = ["--store", str(store_dir)]
    assert main([*store, "render", "--view", "plan", "--plan", "us-28", "--out", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'class="sg-data">(.*?)</script>', text, re.S).group(1))
    assert sum(1 for n in data["nodes"] if "/plan/us-28/" in n["id"]) == 28
    svg = tmp_path / "rejects.svg"
    assert (
        main(
            [
                "--store",
                str(store_dir),
                "render",
                "--view",
                "stances",
                "--stance",
                "rejects",
                "--out",
                str(svg),
            ]
        )
        == 0
    )
    assert svg.read_bytes().lstrip().startswith(b"<?xml") and b"rejects" in svg.read_bytes()
    png = tmp_path / "heat.png"
    assert main(["--store", str(store_dir), "render", "--view", "heatmap", "--out", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")


def test_render_refuses_unknown_suffix_and_view(store_dir, tmp_path, capsys) -> None:
    store = ["--store", str(store_dir)]
    assert main([*store, "render", "--view", "plan", "--out", str(tmp_path / "x.pdf")]) == 2
    assert main([*store, "render", "--view", "pie", "--out", str(tmp_path / "x.html")]) == 2
    assert "unknown view 'pie'" in capsys.readouterr().err

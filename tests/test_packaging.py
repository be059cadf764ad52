"""The wheel holds every module, and the layers import in one direction only."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, **kwargs) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_wheel_holds_every_module_and_each_imports_from_it(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("stancegraph-*.whl")
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(unpacked)
    sources = sorted(
        p.relative_to(ROOT).as_posix()
        for folder in ("graph", "ontology", "api")
        for p in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in p.parts
    )
    for source in sources:
        assert f"stancegraph/{source}" in names, f"{source} is missing from the wheel"
    data_files = sorted(
        p.relative_to(ROOT).as_posix()
        for folder in ("graph", "ontology", "api")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and p.suffix in (".ttl", ".trig", ".csv", ".html", ".js", ".css")
    )
    assert "ontology/shapes.ttl" in data_files and "graph/data/peace-plan.trig" in data_files
    for data in data_files:
        assert f"stancegraph/{data}" in names, f"{data} is missing from the wheel (package-data)"
    assert not any(n.startswith(("graph/", "api/", "ontology/", "tests/")) for n in names)
    modules = [
        s[:-3].replace("/", ".").replace(".__init__", "") for s in sources if not s.endswith("__main__.py")
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {['stancegraph.' + m for m in modules]!r}:\n"
        "    module = importlib.import_module(name)\n"
        f"    assert module.__file__.startswith({str(unpacked)!r}), (name, module.__file__)\n"
        "import stancegraph.ontology as o\n"
        "assert o.shapes_path().read_text().strip()\n"
        "print('ok')\n"
    )
    env = {"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"}
    assert _run(code, env=env).strip() == "ok"


def test_the_library_imports_no_web_or_notebook_stack():
    out = _run(
        "import sys, stancegraph.graph, stancegraph.ontology\n"
        "heavy = {'fastapi', 'uvicorn', 'starlette', 'jupyter', 'IPython', 'pyvis', 'typer', 'nbformat'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    assert out.strip() == "[]"


def test_the_console_script_is_declared():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'stancegraph = "stancegraph.api.cli:main"' in text

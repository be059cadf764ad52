"""api/ goes through the library, not around it: it imports the stage packages of stancegraph.graph (not
the modules inside them), imports no private name, and touches no private attribute of another object."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import stancegraph.api

MODULES = sorted(Path(stancegraph.api.__path__[0]).rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(MODULES[0].parents[1])))
def test_only_stage_packages_and_public_names_are_imported(path):
    wrong = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stancegraph.graph."):
            if node.module.count(".") > 2:  # stancegraph.graph.<stage>.<module>
                wrong.append(f"line {node.lineno}: from {node.module} (import from the stage package)")
            wrong += [f"line {node.lineno}: {a.name}" for a in node.names if _private(a.name)]
        elif isinstance(node, ast.Import):
            wrong += [
                f"line {node.lineno}: import {a.name}"
                for a in node.names
                if a.name.startswith("stancegraph.graph.") and a.name.count(".") > 2
            ]
    assert wrong == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(MODULES[0].parents[1])))
def test_no_private_attribute_of_another_object_is_touched(path):
    wrong = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                wrong.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
            "getattr",
            "setattr",
            "hasattr",
        ):
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and _private(name.value):
                wrong.append(f"line {node.lineno}: {node.func.id}(..., {name.value!r})")
    assert wrong == []

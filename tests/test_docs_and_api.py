"""The declared public API and the docstring examples (which run as doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import stancegraph.api
import stancegraph.graph
import stancegraph.ontology


def _modules() -> list[str]:
    names = []
    for package in (stancegraph.graph, stancegraph.ontology, stancegraph.api):
        names.append(package.__name__)
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return sorted(n for n in names if not n.endswith("__main__"))


MODULES = _modules()


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_its_public_names(name):
    module = importlib.import_module(name)
    assert isinstance(module.__all__, (list, tuple)), f"{name} has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == [], f"{name}.__all__ names what it does not define: {missing}"


def test_the_graph_package_reexports_what_notebooks_call():
    exported = set(stancegraph.graph.__all__)
    for needed in (
        "open_store",
        "load_bundled",
        "ingest",
        "check",
        "who_endorses",
        "who_rejects",
        "who_concedes",
        "who_demands",
        "stances",
        "positions",
        "plan_fit",
        "ValidationError",
    ):
        assert needed in exported
    for name in exported:
        assert getattr(stancegraph.graph, name) is not None


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"

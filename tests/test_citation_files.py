"""LICENSE and CITATION.cff say what pyproject.toml declares, and CITATION.cff keeps to CFF 1.2.0.

The CFF checks follow the format's 1.2.0 schema for the keys this file uses (the required ``cff-version``,
``message``, ``title`` and ``authors``; ``type``, ``version``, ``license`` as an SPDX id, ``keywords``);
cffconvert 2.0.0 (``cffconvert --validate``) accepted the file when it was written.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: The keys CFF 1.2.0 allows at the top level (the schema's ``properties``).
CFF_KEYS = {
    "abstract",
    "authors",
    "cff-version",
    "commit",
    "contact",
    "date-released",
    "doi",
    "identifiers",
    "keywords",
    "license",
    "license-url",
    "message",
    "preferred-citation",
    "references",
    "repository",
    "repository-artifact",
    "repository-code",
    "title",
    "type",
    "url",
    "version",
}


def _citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_the_licence_file_is_the_licence_pyproject_declares() -> None:
    assert PROJECT["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) ")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_the_citation_file_keeps_to_cff_1_2_0() -> None:
    cff = _citation()
    assert cff["cff-version"] == "1.2.0"
    assert set(cff) <= CFF_KEYS, f"keys CFF 1.2.0 does not know: {set(cff) - CFF_KEYS}"
    assert {"cff-version", "message", "title", "authors"} <= set(cff)
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert cff["type"] in ("software", "dataset")
    assert cff["authors"], "CFF needs at least one author"
    for author in cff["authors"]:
        # a person has family-names (or given-names); an entity has a name
        assert isinstance(author, dict) and ({"name", "family-names", "given-names"} & set(author))
    assert all(isinstance(k, str) and k for k in cff["keywords"])
    assert "repository-code" not in cff and "url" not in cff  # no address is known: none is invented


def test_the_citation_file_says_what_pyproject_says() -> None:
    cff = _citation()
    assert cff["title"] == PROJECT["name"]
    assert str(cff["version"]) == PROJECT["version"]
    assert cff["license"] == PROJECT["license"]
    assert "stancegraph sources --format bibtex" in cff["message"]

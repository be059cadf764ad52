"""Where a violation in the reference data comes from: the CSV row or the RDF file (and line) behind it."""

from __future__ import annotations

__all__ = ["locate_reference", "find_in_rdf"]

import contextlib
import re

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.inputs import Input
from stancegraph.graph.ingestion.reader import StatementsReader

_LINE_START = r"^\s*(?:GRAPH\s+\S+\s*\{\s*)?TOKEN(?=[\s;,.])"


def locate_reference(
    found: list[Violation],
    owners: dict[str, StatementsReader],
    rdf_files: list[tuple[Input, dict[str, str]]],
) -> list[Violation]:
    """Say where each violation in the reference data comes from: a CSV row or an RDF file (and line)."""
    located = []
    for v in found:
        key = f"<{v.node}>"
        reader = owners.get(key)
        file, line, message = None, None, v.message
        if reader is not None:
            file = reader.file
            entry = reader.sources.get(key)
            created = reader.names.created.get(key)
            line = entry.line if entry is not None else created.line if created is not None else None
            message += reader.hint(v.path)
        elif v.node is not None:
            file, line = find_in_rdf(v.node, rdf_files)
        located.append(
            Violation(message, file=file, line=line, node=v.node, path=v.path, rule=v.rule, value=v.value)
        )
    return located


def find_in_rdf(node: str, rdf_files: list[tuple[Input, dict[str, str]]]) -> tuple[str | None, int | None]:
    """The RDF file that describes ``node`` and the first line where it stands as a subject (best effort)."""
    tokens = [re.escape(f"<{node}>")]
    for item, prefixes in rdf_files:
        local_tokens = tokens + [
            re.escape(f"{prefix}:{node[len(ns) :]}")
            for prefix, ns in prefixes.items()
            if node.startswith(ns) and ns
        ]
        if item.path is None:
            continue
        pattern = re.compile("|".join(_LINE_START.replace("TOKEN", t) for t in local_tokens))
        with contextlib.suppress(OSError, UnicodeDecodeError):
            with item.path.open(encoding="utf-8") as handle:
                for number, text in enumerate(handle, start=1):
                    if pattern.search(text):
                        return item.name, number
    if len(rdf_files) == 1:
        return rdf_files[0][0].name, None
    return None, None

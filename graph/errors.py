"""The exceptions stancegraph raises.

Every error derives from :class:`StanceGraphError` and also from the matching built-in, so callers can
catch either. The API layer maps them to HTTP status codes; the library never prints.
"""

from __future__ import annotations

__all__ = [
    "StanceGraphError",
    "UnknownEntityError",
    "AmbiguousNameError",
    "ValidationError",
    "Violation",
    "StoreError",
    "QuerySyntaxError",
    "InputLimitError",
    "MissingDependencyError",
]

from dataclasses import dataclass


class StanceGraphError(Exception):
    """Base class of every error raised by stancegraph."""


class UnknownEntityError(StanceGraphError, KeyError):
    """A name, short id or IRI that matches nothing in the graph."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class AmbiguousNameError(StanceGraphError, LookupError):
    """A label that matches more than one node; ``candidates`` lists ``(iri, label)`` pairs."""

    def __init__(self, message: str, candidates: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Violation:
    """One broken rule: where it is and what is wrong.

    ``file`` and ``line`` locate the input (a CSV row number or a Turtle line) when known; ``node`` and
    ``path`` are IRIs (or None), ``rule`` names the SHACL constraint (e.g. ``sh:minCount``) or the parser.
    """

    message: str
    file: str | None = None
    line: int | None = None
    node: str | None = None
    path: str | None = None
    rule: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [where] if where else []
        if self.node:
            parts.append(f"node <{self.node}>")
        if self.path:
            parts.append(f"property <{self.path}>")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        if self.rule:
            parts.append(f"rule {self.rule}")
        head = ", ".join(parts)
        return f"{head}: {self.message}" if head else self.message


class ValidationError(StanceGraphError, ValueError):
    """Input that breaks the syntax or the SHACL shapes; nothing of it was stored.

    ``violations`` holds every :class:`Violation` found (the message shows the first ones), ``warnings``
    what was found besides that would not have stopped the write (a repeated CSV row, ...). ``outcome``
    says what came of the input (a table read for analysis is not read, rather than not stored).
    """

    def __init__(
        self,
        violations: list[Violation] | tuple[Violation, ...],
        *,
        limit: int = 20,
        warnings: list[Violation] | tuple[Violation, ...] = (),
        outcome: str = "nothing was stored",
    ):
        self.violations = tuple(violations)
        self.warnings = tuple(warnings)
        shown = "\n".join(f"  - {v}" for v in self.violations[:limit])
        more = len(self.violations) - limit
        tail = f"\n  ... and {more} more" if more > 0 else ""
        n = len(self.violations)
        super().__init__(f"{n} violation{'s' if n != 1 else ''}; {outcome}:\n{shown}{tail}")


class StoreError(StanceGraphError, RuntimeError):
    """The store could not be opened, read or written (a lock, a missing folder, a server error)."""


class QuerySyntaxError(StanceGraphError, SyntaxError):
    """A SPARQL query or update that does not parse; the message carries the parser's position."""


class InputLimitError(StanceGraphError, ValueError):
    """Input past a safety limit (nesting depth, the size of one term); refused before any parser ran.

    ``limit`` names the setting that decides it, ``line`` and ``column`` say where (when known).
    """

    def __init__(self, message: str, *, limit: str, line: int | None = None, column: int | None = None):
        self.limit, self.line, self.column = limit, line, column
        super().__init__(message)


class MissingDependencyError(StanceGraphError, ImportError):
    """An optional feature whose package (or the system library it loads) is not installed; the message
    says what to install."""

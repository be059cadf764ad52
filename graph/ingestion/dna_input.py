"""The Discourse Network Analyzer projects among a load's inputs, turned into statements tables.

Each ``.dna`` input (:class:`~stancegraph.graph.ingestion.inputs.Input` of the format ``dna``) is read
(:class:`~stancegraph.graph.ingestion.dna_project.DnaProject`) and replaced by the statements table its
statements make, written in the load's work folder and read under the project's own name, so that the
load checks it as it checks a CSV. A project that cannot be read leaves a violation and no table.
"""

from __future__ import annotations

__all__ = ["DnaTables"]

import shutil
from pathlib import Path
from typing import IO, Any

from stancegraph.graph.errors import Violation
from stancegraph.graph.ingestion.dna_project import DnaOptions, DnaProject
from stancegraph.graph.ingestion.inputs import Input, Prepared


class DnaTables:
    """The DNA projects of one load, each with the statements table it became.

    Parameters
    ----------
    options : DnaOptions
        Which statements the projects give and which variables are what.
    workdir : Path
        The load's work folder (the tables and copies of piped projects go there).
    """

    def __init__(self, options: DnaOptions, workdir: Path) -> None:
        self.options = options
        self.workdir = workdir
        self.projects: dict[int, DnaProject] = {}  # input number -> project
        self._handles: list[IO[bytes]] = []

    def convert(self, inputs: list[Input], prepared: Prepared) -> list[Input]:
        """``inputs`` with each DNA project replaced by its statements table (a project that cannot be
        read is left out, its violations in ``prepared``)."""
        converted: list[Input] = []
        for number, item in enumerate(inputs):
            if item.format != "dna":
                converted.append(item)
                continue
            project = DnaProject.read(self._file(item, number), item.name, self.options)
            prepared.warnings.extend(project.warnings)
            if project.violations:
                prepared.violations.extend(project.violations)
                continue
            table = project.write_table(self.workdir / f"{number}.dna.csv")
            handle = table.open("rb")
            self._handles.append(handle)
            self.projects[len(converted)] = project
            converted.append(Input(item.name, "csv", None, handle))
        return converted

    def _file(self, item: Input, number: int) -> Path:
        """The project's file; a project given as an open file is copied to the work folder first."""
        if item.path is not None:
            return item.path
        copy = self.workdir / f"{number}.dna"
        with copy.open("wb") as out:
            shutil.copyfileobj(_binary(item.stream), out)
        return copy

    def relocate(self, found: list[Violation]) -> list[Violation]:
        """The violations (or warnings), those of a project told in DNA's terms."""
        for project in self.projects.values():
            found = [project.relocate(v) for v in found]
        return found

    def close(self) -> None:
        """Close the tables."""
        for handle in self._handles:
            handle.close()
        self._handles.clear()


def _binary(stream: Any) -> IO[bytes]:
    buffer = getattr(stream, "buffer", None)
    return buffer if buffer is not None else stream

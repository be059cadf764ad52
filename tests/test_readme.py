"""Every README example is a test: the examples are read from README.md itself and run, so that an edit
that breaks one fails the suite.

* Shell blocks (```sh, bash, shell, console): each ``stancegraph ...`` line (trailing ``# comment`` cut,
  ``\\`` continuations and quoted newlines joined) runs in-process through the console script's entry
  point, with ``--store`` naming a copy of a store that ``stancegraph init`` filled with the bundled data,
  in a temporary working directory that holds the files the examples read (:data:`FIXTURES`). A block's
  commands run in README order against one store; each must exit 0. Files written with ``--out`` / ``-o``
  / ``>`` must be what their name says; outcomes the README states are checked (:data:`STATED`, and a
  comment's ``exit N`` or ``nothing on any error`` against a bad input file, :data:`BAD_FIXTURES`).
* Commands that need a shell, make or a running server are in :data:`SKIPPED` with the reason; the tests
  at the end check what can be checked of them without running them.
* Python blocks run in README order in one namespace, in a temporary working directory; an expression
  whose trailing comment is a Python literal (``[h.label for h in ...]  # ['United States']``) must
  equal it.
* The stance-pattern examples and the error shown for a misspelt verb run through ``stancegraph ask``.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import dataclasses
import io
import json
import re
import shlex
import shutil
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from stancegraph.api.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHELL = {"sh", "bash", "shell", "console"}
PYTHON = {"python", "py"}

# Commands of the shell blocks that cannot run in-process, by the text they start with, and why. They get no
# test of their own here: the test named above each checks what can be checked of it instead.
SKIPPED = {
    # make sets up .venv (pip, Chromium, the W3C tests from PyPI) and then runs this whole suite:
    # test_make_targets_the_readme_names_exist
    "make test": "runs the whole suite and installs things; the Makefile target is checked instead",
    # `make init` is .venv + `stancegraph init`: every shell test here runs on a store `init` filled;
    # test_init_fills_the_default_store_of_the_working_directory
    "make init": "installs .venv; its `stancegraph init` runs in-process instead",
    # `.` changes the calling shell; test_the_console_script_is_the_main_these_tests_call
    ". .venv/bin/activate": "changes the calling shell; the console script it puts on PATH is checked",
    # needs `stancegraph serve` listening on 127.0.0.1:8000; test_curl_examples_name_a_route_and_its_params
    "curl": "needs the service running; the route and its parameters are checked in the OpenAPI schema",
    # starts a server that runs until stopped; test_serve_help_and_the_flags_the_readme_names
    "stancegraph serve": "starts a server; `serve --help` and the flags the README names are checked",
}

# The files the examples read, written into the working directory of each shell block first.
FIXTURES = {
    "statements.csv": (
        "actor,target,stance,date,source,quote\n"
        'Poland,e3-counter,endorses,2025-11-24,Polish government,"We support the European proposal."\n'
        "Poland,us-28/6,rejects,2025-11-24,Polish government,\n"
        'Finland,us-28/7,rejects,2025-11-25,Finnish government,"Nato\'s door must stay open."\n'
    ),
    "more.ttl": (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix sg: <https://w3id.org/stancegraph/ontology#> .\n"
        "@prefix actor: <https://w3id.org/stancegraph/id/actor/> .\n\n"
        'actor:nb8 a sg:Coalition ; skos:prefLabel "Nordic-Baltic Eight"@en .\n'
        'actor:estonia a sg:State ; skos:prefLabel "Estonia"@en ; org:memberOf actor:nb8 , actor:nato .\n'
    ),
    # coded as in discourse network analysis: agreement 1 / 0, one document per report
    "coded.csv": (
        "actor,target,agreement,date,document,source\n"
        "us,us-28,1,2025-11-20,Text of the 28-point draft,Axios\n"
        "russia,us-28,1,2025-11-21,Putin on the US plan,Kremlin\n"
        "ukraine,us-28,0,2025-11-21,Address to the nation,Office of the President of Ukraine\n"
        "france,us-28,0,2025-11-23,E3 counter-proposal,Reuters\n"
        "france,e3-counter,1,2025-11-23,E3 counter-proposal,Reuters\n"
        "germany,e3-counter,1,2025-11-23,E3 counter-proposal,Reuters\n"
        "ukraine,e3-counter,1,2025-11-23,E3 counter-proposal,Reuters\n"
        "russia,e3-counter,0,2025-11-25,Peskov on the amendments,TASS\n"
    ),
    # as rDNA writes DNA's statements (write.csv, row.names = FALSE), the columns without a place removed:
    # two coders, times of day, a boolean agreement
    "dna.csv": (
        "organization,concept,agreement,time,coder,document_title,document_source\n"
        "us,us-28,1,2025-11-20 09:00:00,Ana,Text of the 28-point draft,Axios\n"
        "us,us-28,1,2025-11-20 09:00:00,Ben,Text of the 28-point draft,Axios\n"
        "ukraine,us-28,0,2025-11-21 20:15:00,Ana,Address to the nation,Office of the President of Ukraine\n"
        "france,us-28,0,2025-11-23 12:00:00,Ben,E3 counter-proposal,Reuters\n"
        "germany,us-28,0,2025-11-23 12:00:00,Ana,E3 counter-proposal,Reuters\n"
    ),
}
# A broken version of a fixture and the position its error must name: the actor of line 3 is missing.
BAD_FIXTURES = {
    "statements.csv": (
        "actor,target,stance,date,source\nPoland,us-28/9,endorses,2025-11-22,Reuters\n"
        ",us-28/6,rejects,2025-11-22,Reuters\n",
        "statements.csv:3",
    ),
}
INPUT_SUFFIXES = {".csv", ".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".xml", ".dna"}


def _hearing(project_file: type, path: Path) -> None:
    """hearing.dna: a DNA 3.0 project, two coders' statements of one hearing (built with sqlite3)."""
    project = project_file(path)
    text = "We back the US draft. We reject point 7. The draft is a basis."
    document = project.document("Hearing on the US draft", text, date="2025-11-21", source="Senate")
    ana, ben = project.coder("Ana"), project.coder("Ben")
    for coder in (ana, ben):
        project.statement(document, 0, 21, coder=coder, person="Radoslaw Sikorski", organization="Poland",
                          concept="us-28", agreement=1)  # fmt: skip
    project.statement(document, 22, 40, coder=ana, person="Radoslaw Sikorski", organization="Poland",
                      concept="us-28/7", agreement=0)  # fmt: skip
    project.attributes("organization", "Poland", colour=(220, 20, 60), Type="state", Alias="PL")
    project.save()


#: The DNA projects the examples read: name -> a function that writes one, given the project builder of
#: tests/conftest.py (``DnaProjectFile``) and the path.
DNA_FIXTURES = {"hearing.dna": _hearing}


@dataclass
class Result:
    code: int
    out: str
    err: str
    written: dict[str, Path] = field(default_factory=dict)

    @property
    def text(self) -> str:
        files = [p.read_text(errors="replace") for p in self.written.values() if p.suffix != ".png"]
        return "\n".join([self.out, self.err, *files])


def _no_shift_over_the_denied_claim(result: Result) -> None:
    lines = result.out.splitlines()
    assert all(word in lines[1] for word in ("date", "confidence", "denied", "shift"))
    claim = [cell.strip() for cell in lines[3].split("│")]
    assert claim[2:8] == ["2025-11-20", "endorses", "", "0.3", "True", "True"], lines[3]
    assert "->" not in result.out and "4 rows" in result.out


def _labelled_matrix(result: Result) -> None:
    rows = list(csv.reader(io.StringIO(result.out)))
    labels = rows[0][1:]
    assert rows[0][0] == "" and "Russia" in labels and [r[0] for r in rows[1:]] == labels
    assert all(len(r) == len(labels) + 1 for r in rows[1:])


# Outcomes the README states for a command (in its comment or the text around it), by the command's text:
# substrings of its stdout, stderr and written files, or a function that asserts.
STATED: dict[str, tuple[str, ...] | Callable[[Result], None]] = {
    # the Python block says ['United States']
    "stancegraph who endorses us-28/6": ("United States",),
    # "the contested Umerov claim, both sides, with sources"
    "stancegraph stances --contested": ("Rustem Umerov", "endorses", "neutral", "The Straits Times"),
    # "... demand by demand, with the points"
    "stancegraph plan-fit us-28 --detail": ("demand", "fulfilled by points"),
    # "labelled CSV matrix"
    "stancegraph network --plan us-28 --type onemode --aggregation congruence": _labelled_matrix,
    # "Gephi timeline (spells)"
    "stancegraph network --window 3 --unit days --format gexf --out debate.gexf": ("<spell",),
    # "Leifeld's score and the best split into camps"
    "stancegraph polarisation --k 2": ("polarisation 0.", "2 rows"),
    # "dated reports, confidence; the Umerov claim denied: no shift"
    "stancegraph changes ukraine --target us-28": _no_shift_over_the_denied_claim,
    # "tables, graphs, figures, sources"; the reference list holds the reports the stances come from
    "stancegraph report --plan us-28 --out us-28.html": (
        "8 sources cited",
        "<title>Stance report: US 28-point peace plan</title>",
        'id="ref-st-2025-11-21"',
    ),
    # "the APA-style reference list, as text"
    "stancegraph sources --format apa": ("[Transcript]. (2025, November 21). TASS; Interfax.",),
}


# ------------------------------------------------------------------------------------------------------
# Reading the README


@dataclass(frozen=True)
class Block:
    number: int  # 1-based, counting every fenced block of the README
    lang: str
    line: int  # README line of the block's first line
    text: str
    before: str  # the last non-empty line above the fence


@dataclass(frozen=True)
class Command:
    block: Block
    index: int  # position among its block's commands
    line: int
    text: str  # as written, comments cut, continuations joined, whitespace collapsed
    argv: tuple[str, ...]
    comment: str = ""
    output: str = ""  # console blocks: the lines shown after the command


def read_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    number, i = 0, 0
    while i < len(lines):
        opening = re.match(r"^ {0,3}(`{3,})\s*([^`\s]*)", lines[i])
        if not opening:
            i += 1
            continue
        fence, start = opening.group(1), i + 1
        end = next((j for j in range(start, len(lines)) if lines[j].strip().startswith(fence)), len(lines))
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        number += 1
        body = "\n".join(lines[start:end]) + "\n"
        blocks.append(Block(number, opening.group(2).lower(), start + 1, body, before))
        i = end + 1
    return blocks


def cut_comment(text: str) -> tuple[str, str, bool]:
    """``text`` before a shell comment, the comment, and whether a quote is still open at the end."""
    quote, i = None, 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == quote:
                quote = None
            elif char == "\\" and quote == '"':
                i += 1
        elif char == "\\":
            i += 1
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or text[i - 1].isspace()):
            return text[:i], text[i + 1 :].strip(), False
        i += 1
    return text, "", quote is not None


def shell_commands(block: Block) -> list[Command]:
    commands: list[Command] = []
    pending, start, comments = "", 0, []
    for offset, raw in enumerate(block.text.splitlines()):
        if block.lang == "console" and not pending:
            if not raw.startswith("$ "):
                if commands:
                    commands[-1] = dataclasses.replace(commands[-1], output=commands[-1].output + raw + "\n")
                continue
            raw = raw[2:]
        if not pending:
            start, comments = block.line + offset, []
        code, comment, open_quote = cut_comment(pending + raw)
        if open_quote:
            pending += raw + "\n"
            continue
        if comment:
            comments.append(comment)
        if code.rstrip().endswith("\\"):
            pending = code.rstrip()[:-1] + " "
            continue
        pending = ""
        words = tuple(shlex.split(code))
        if words:
            text = " ".join(code.split())
            commands.append(Command(block, len(commands), start, text, words, " ".join(comments)))
        elif comments and commands:  # a comment line that goes on from the command above
            commands[-1] = dataclasses.replace(commands[-1], comment=f"{commands[-1].comment} {comment}")
    return commands


BLOCKS = read_blocks(README.read_text(encoding="utf-8"))
COMMANDS = {b.number: shell_commands(b) for b in BLOCKS if b.lang in SHELL}
ALL_COMMANDS = [c for commands in COMMANDS.values() for c in commands]
PYTHON_BLOCKS = [b for b in BLOCKS if b.lang in PYTHON]


def _slug(text: str, words: int = 5) -> str:
    text = text.removeprefix("stancegraph ")
    return re.sub(r"[^\w.]+", "-", " ".join(text.split()[:words])).strip("-")[:48]


def _ids(items: list[tuple[int, str]]) -> list[str]:
    ids, seen = [], set()
    for number, text in items:
        base = candidate = f"block{number:02d}-{_slug(text)}"
        n = 1
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate)
        ids.append(candidate)
    return ids


def skip_reason(command: Command) -> str | None:
    return next(
        (why for key, why in SKIPPED.items() if command.text == key or command.text.startswith(key + " ")),
        None,
    )


def runnable(command: Command) -> bool:
    return command.argv[0] == "stancegraph" and skip_reason(command) is None


# ------------------------------------------------------------------------------------------------------
# Running shell commands in-process


@dataclass
class Workspace:
    cwd: Path
    store: Path
    ran: dict[int, Result] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("STANCEGRAPH_STORE", "STANCEGRAPH_ENDPOINT", "STANCEGRAPH_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder that ``stancegraph init`` filled with the bundled data; copied, never used."""
    folder = tmp_path_factory.mktemp("readme-bundled") / "store"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("STANCEGRAPH_ENDPOINT", raising=False)
        assert main(["--store", str(folder), "init"]) == 0
    return folder


def new_workspace(
    folder: Path, bundled: Path, fixtures: dict[str, str], project_file: type | None = None
) -> Workspace:
    cwd = folder / "work"
    cwd.mkdir(parents=True)
    shutil.copytree(bundled, folder / "store")
    for name, content in fixtures.items():
        (cwd / name).write_text(content, encoding="utf-8")
    if project_file is not None:
        for name, write in DNA_FIXTURES.items():
            write(project_file, cwd / name)
    return Workspace(cwd, folder / "store")


@pytest.fixture(scope="module")
def workspaces(
    tmp_path_factory: pytest.TempPathFactory, bundled_store: Path, dna_project_file: type
) -> Callable[[int], Workspace]:
    """One working directory and store per README block, made when a block's first test runs."""
    made: dict[int, Workspace] = {}

    def get(number: int) -> Workspace:
        if number not in made:
            made[number] = new_workspace(
                tmp_path_factory.mktemp(f"readme-block{number:02d}"),
                bundled_store,
                FIXTURES,
                dna_project_file,
            )
        return made[number]

    return get


def _option(words: tuple[str, ...] | list[str], *names: str) -> str | None:
    """The value of the option ``names`` in ``words`` (``--format json`` or ``--format=json``)."""
    for i, word in enumerate(words):
        if word in names and i + 1 < len(words):
            return words[i + 1]
        if word.split("=", 1)[0] in names and "=" in word:
            return word.split("=", 1)[1]
    return None


def _outputs(words: list[str]) -> list[str]:
    """The files a command writes: ``--out FILE``, ``--out=FILE``, ``-o FILE``."""
    named = _option(words, "--out", "-o")
    return [named] if named else []


def run(command: Command, store: Path, capsys: pytest.CaptureFixture[str]) -> Result:
    """Run a ``stancegraph`` command line of the README in-process, in the current directory."""
    words = list(command.argv[1:])
    unsupported = [w for w in words if w in ("|", "||", "&&", ";", "<", ">>", "2>", "&")]
    assert not unsupported, f"README.md:{command.line}: `{command.text}`: {unsupported} cannot run in-process"
    redirect = None
    if any(w.startswith(">") for w in words):
        at = next(i for i, w in enumerate(words) if w.startswith(">"))
        redirect = words[at][1:] or words[at + 1]
        del words[at : at + (1 if words[at][1:] else 2)]
    outputs = _outputs(words)
    missing = [
        w for w in words if Path(w).suffix in INPUT_SUFFIXES and w not in outputs and not Path(w).exists()
    ]
    assert not missing, f"README.md:{command.line}: add a fixture for {missing} to FIXTURES in {__file__}"
    global_options = words[:1] and words[0] in ("--store", "--endpoint")
    capsys.readouterr()
    code = main(words if global_options else ["--store", str(store), *words])
    out, err = capsys.readouterr()
    if redirect:
        Path(redirect).write_text(out, encoding="utf-8")
        outputs.append(redirect)
    return Result(code, out, err, {name: Path.cwd() / name for name in outputs})


def check_written(command: Command, path: Path) -> None:
    """A file an example writes is what its name says it is."""
    where = f"README.md:{command.line}: `{command.text}` wrote {path.name}"
    assert path.is_file() and path.stat().st_size > 0, f"{where}: no such file, or empty"
    suffix = path.suffix.lower()
    if suffix == ".png":
        assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), f"{where}: not a PNG"
        return
    if suffix == ".pdf":
        assert path.read_bytes().startswith(b"%PDF-"), f"{where}: not a PDF"
        return
    text = path.read_text(encoding="utf-8")
    if suffix in (".ttl", ".trig", ".nt", ".nq"):
        import pyoxigraph

        kind = {".ttl": "TURTLE", ".trig": "TRIG", ".nt": "N_TRIPLES", ".nq": "N_QUADS"}[suffix]
        assert list(pyoxigraph.parse(text.encode(), format=getattr(pyoxigraph.RdfFormat, kind))), where
    elif suffix in (".gexf", ".graphml"):
        import networkx as nx

        read = nx.read_gexf if suffix == ".gexf" else nx.read_graphml
        assert read(path).number_of_nodes() > 0, f"{where}: a graph without nodes"
    elif suffix in (".html", ".htm"):
        assert "<html" in text.lower() and not re.search(r"""src=["']https?:""", text), where
    elif suffix == ".svg":
        assert "<svg" in text, f"{where}: not an SVG"
    elif suffix == ".csv":
        assert next(csv.reader(io.StringIO(text))), f"{where}: no header row"


def check_stated(command: Command, result: Result) -> None:
    stated = STATED.get(command.text)
    if stated is None:
        return
    if callable(stated):
        stated(result)
        return
    missing = [s for s in stated if s not in result.text]
    assert not missing, f"README.md:{command.line}: `{command.text}` printed no {missing}:\n{result.text}"


RUNNABLE = [command for command in ALL_COMMANDS if skip_reason(command) is None]


@pytest.mark.parametrize("command", RUNNABLE, ids=_ids([(c.block.number, c.text) for c in RUNNABLE]))
def test_shell_example(command: Command, workspaces, capsys, monkeypatch) -> None:
    assert command.argv[0] == "stancegraph", (
        f"README.md:{command.line}: `{command.text}` is no stancegraph command; make it one or add it to "
        "SKIPPED with the reason it cannot run here"
    )
    workspace = workspaces(command.block.number)
    monkeypatch.chdir(workspace.cwd)
    for earlier in COMMANDS[command.block.number][: command.index]:  # README order, also under -k
        if runnable(earlier) and earlier.index not in workspace.ran:
            with contextlib.suppress(AssertionError):  # its own test says what is wrong with it
                workspace.ran[earlier.index] = run(earlier, workspace.store, capsys)
    result = workspace.ran[command.index] = run(command, workspace.store, capsys)
    assert result.code == 0, (
        f"README.md:{command.line}: `{command.text}` exited {result.code}:\n{result.err}{result.out}"
    )
    for path in result.written.values():
        check_written(command, path)
    if _option(command.argv, "--format", "-f") == "json" and not result.written:
        json.loads(result.out)  # JSON on stdout is JSON
    check_stated(command, result)
    shown = [line.strip() for line in command.output.splitlines() if line.strip()]
    printed = " ".join((result.out + result.err).split())
    assert all(" ".join(line.split()) in printed for line in shown), (
        f"README.md:{command.line}: `{command.text}` did not print what the README shows:\n{result.out}"
    )


def _bad_input_claims() -> list[Command]:
    """Commands whose comment says what a bad input does: ``exit N``, or ``nothing on any error``."""
    return [
        c
        for c in ALL_COMMANDS
        if runnable(c)
        and re.search(r"\bexit \d+\b|\bnothing on any error\b", c.comment)
        and any(w in BAD_FIXTURES for w in c.argv)
    ]


@pytest.mark.parametrize(
    "command",
    _bad_input_claims(),
    ids=[i + "-bad-input" for i in _ids([(c.block.number, c.text) for c in _bad_input_claims()])],
)
def test_shell_example_with_a_bad_input_does_what_its_comment_says(
    command: Command, bundled_store, tmp_path, capsys, monkeypatch
) -> None:
    from stancegraph.graph import open_store

    bad = {name: content for name, (content, _) in BAD_FIXTURES.items()}
    workspace = new_workspace(tmp_path, bundled_store, {**FIXTURES, **bad})
    monkeypatch.chdir(workspace.cwd)
    with open_store(workspace.store) as store:
        before = store.counts().quads
    result = run(command, workspace.store, capsys)
    stated = re.search(r"\bexit (\d+)\b", command.comment)
    where = f"README.md:{command.line}: `{command.text}` with a bad {', '.join(BAD_FIXTURES)}"
    if stated:
        assert result.code == int(stated.group(1)), f"{where} exited {result.code}:\n{result.err}"
    else:
        assert result.code != 0, f"{where} exited 0"
    for name, (_, position) in BAD_FIXTURES.items():
        if name in command.argv:
            assert position in result.err, f"{where}: the error does not name {position}:\n{result.err}"
    with open_store(workspace.store) as store:
        assert store.counts().quads == before, f"{where}: stored something"


# ------------------------------------------------------------------------------------------------------
# Python blocks


_NO_VALUE = object()


def _stated_value(comment: str | None) -> object:
    """The value a trailing comment states (``# ['United States']``), or _NO_VALUE for prose."""
    if not comment:
        return _NO_VALUE
    try:
        return ast.literal_eval(comment.lstrip("#").strip())
    except (ValueError, SyntaxError):
        return _NO_VALUE


def run_python_block(block: Block, namespace: dict) -> None:
    filename = str(README)
    tree = ast.parse(block.text, filename=filename)
    ast.increment_lineno(tree, block.line - 1)
    comments = {
        token.start[0] + block.line - 1: token.string
        for token in tokenize.generate_tokens(io.StringIO(block.text).readline)
        if token.type == tokenize.COMMENT
    }
    for statement in tree.body:
        expected = _stated_value(comments.get(statement.end_lineno))
        if isinstance(statement, ast.Expr) and expected is not _NO_VALUE:
            value = eval(compile(ast.Expression(statement.value), filename, "eval"), namespace)
            source = ast.unparse(statement.value)
            assert value == expected, f"README.md:{statement.lineno}: {source} is {value!r}, not {expected!r}"
        else:
            exec(compile(ast.Module([statement], type_ignores=[]), filename, "exec"), namespace)


@dataclass
class PythonSession:
    cwd: Path
    namespace: dict
    ran: set[int] = field(default_factory=set)


@pytest.fixture(scope="module")
def python_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PythonSession]:
    from stancegraph.graph.store import Store

    session = PythonSession(tmp_path_factory.mktemp("readme-python"), {"__name__": "readme"})
    yield session
    for value in session.namespace.values():
        if isinstance(value, Store):
            value.close()


@pytest.mark.parametrize(
    "block", PYTHON_BLOCKS, ids=_ids([(b.number, "python " + b.text.strip()) for b in PYTHON_BLOCKS])
)
def test_python_example(block: Block, python_session: PythonSession, monkeypatch) -> None:
    monkeypatch.chdir(python_session.cwd)
    for earlier in PYTHON_BLOCKS[: PYTHON_BLOCKS.index(block) + 1]:  # README order, also under -k
        if earlier.number not in python_session.ran:
            python_session.ran.add(earlier.number)
            run_python_block(earlier, python_session.namespace)


# ------------------------------------------------------------------------------------------------------
# Stance patterns: the examples after "Examples:" and the error shown for a misspelt verb


def pattern_examples() -> list[tuple[int, str]]:
    return [
        (block.number, pattern)
        for block in BLOCKS
        if not block.lang and block.before.rstrip().endswith("Examples:")
        for line in block.text.splitlines()
        for pattern in re.split(r"\s{2,}", line.strip())
        if pattern
    ]


ERROR_BLOCKS = [b for b in BLOCKS if not b.lang and b.text.startswith("error: ")]


@pytest.mark.parametrize("example", pattern_examples(), ids=_ids(pattern_examples()))
def test_stance_pattern_example(example, workspaces, capsys, monkeypatch) -> None:
    number, pattern = example
    monkeypatch.chdir(workspaces(number).cwd)
    capsys.readouterr()
    code = main(["--store", str(workspaces(number).store), "ask", pattern, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, f"README.md block {number}: stancegraph ask {pattern!r} exited {code}:\n{err}"
    answers = json.loads(out)[0]["answers"]
    assert answers, f"README.md block {number}: stancegraph ask {pattern!r} finds nothing in the bundled data"


@pytest.mark.parametrize("block", ERROR_BLOCKS, ids=_ids([(b.number, "ask error") for b in ERROR_BLOCKS]))
def test_stance_pattern_error_is_printed_as_the_readme_shows(
    block: Block, workspaces, capsys, monkeypatch
) -> None:
    question = block.text.splitlines()[1].strip()
    monkeypatch.chdir(workspaces(block.number).cwd)
    capsys.readouterr()
    code = main(["--store", str(workspaces(block.number).store), "ask", question])
    _, err = capsys.readouterr()
    assert code != 0
    assert err.rstrip() == block.text.rstrip(), f"README.md:{block.line}: stancegraph ask {question!r}"


# ------------------------------------------------------------------------------------------------------
# The README still has examples, and the tables above still name what it shows


def test_the_readme_has_examples_of_each_kind() -> None:
    assert [c for c in ALL_COMMANDS if runnable(c)] and PYTHON_BLOCKS
    assert pattern_examples() and ERROR_BLOCKS


def test_the_tables_of_this_file_name_what_the_readme_shows() -> None:
    texts = {c.text for c in ALL_COMMANDS}
    assert not [k for k in STATED if k not in texts], "STATED names commands the README no longer has"
    readme = README.read_text(encoding="utf-8")
    unused = [
        k
        for k in SKIPPED
        if not any(t == k or t.startswith(k + " ") for t in texts) and f"`{k}" not in readme
    ]
    assert not unused, "SKIPPED names commands the README no longer has"
    named = {w for c in ALL_COMMANDS for w in c.argv}
    assert not [f for f in FIXTURES if f not in named], "FIXTURES holds files no README command reads"


# ------------------------------------------------------------------------------------------------------
# What can be checked of the skipped commands without running them

# The make targets whose recipe is a stancegraph command, which the tests above run in-process.
MAKE_RUNS = {"init": "stancegraph init", "serve": "stancegraph serve"}


def test_make_targets_the_readme_names_exist() -> None:
    readme = README.read_text(encoding="utf-8")
    named = {c.argv[1] for c in ALL_COMMANDS if c.argv[0] == "make" and len(c.argv) > 1}
    named |= set(re.findall(r"`make ([\w-]+)`", readme))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = dict(re.findall(r"^([\w.-]+):[^=\n]*\n((?:\t.*\n)*)", makefile, flags=re.MULTILINE))
    assert named and not named - set(targets), f"the README names make targets the Makefile lacks: {named}"
    for target, command in MAKE_RUNS.items():
        if target in named:
            assert command in targets[target], f"`make {target}` no longer runs `{command}`"


def test_init_fills_the_default_store_of_the_working_directory(tmp_path, capsys, monkeypatch) -> None:
    """What ``make init`` runs, as the README's later commands then find it: no --store."""
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert (tmp_path / ".stancegraph" / "store").is_dir()
    capsys.readouterr()
    assert main(["info"]) == 0
    stances = re.search(r"^stances: (\d+)$", capsys.readouterr().out, flags=re.MULTILINE)
    assert stances and int(stances.group(1)) > 0


def test_the_console_script_is_the_main_these_tests_call() -> None:
    (script,) = entry_points(group="console_scripts", name="stancegraph")
    assert script.load() is main


def _option_names(command) -> set[str]:
    return {name for p in command.params for name in (*p.opts, *p.secondary_opts)}


def test_serve_help_and_the_flags_the_readme_names(capsys) -> None:
    import typer

    from stancegraph.api.cli import app

    assert main(["serve", "--help"]) == 0
    assert "--port" in capsys.readouterr().out
    group = typer.main.get_command(app)
    known = _option_names(group) | _option_names(group.commands["serve"])
    known |= _option_names(group.commands["query"])  # the section says what `query --union` matches
    readme = README.read_text(encoding="utf-8")
    section = readme[readme.index("## The service") : readme.index("### Stance patterns")]
    # flags of other servers that the section names (Oxigraph's own deadline flag)
    others = {"--timeout-s"}
    flags = {f for span in re.findall(r"`([^`]+)`", section) for f in re.findall(r"--[a-z][\w-]*", span)}
    assert flags and not flags - known - others, f"the README names serve flags it lacks: {flags - known}"


def _enums(schema: dict, components: dict) -> set[str]:
    if "$ref" in schema:
        return _enums(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    found = set(schema.get("enum", ()))
    for part in [*schema.get("anyOf", ()), *schema.get("allOf", ())]:
        found |= _enums(part, components)
    return found


def test_curl_examples_name_a_route_and_its_params(tmp_path) -> None:
    from stancegraph.api.service.app import create_app
    from stancegraph.api.service.settings import Settings

    settings = Settings(store=tmp_path / "store", load_bundled=False)
    schema = create_app(settings).openapi()
    components = schema["components"]["schemas"]
    urls = [w for c in ALL_COMMANDS if c.argv[0] == "curl" for w in c.argv if w.startswith("http")]
    assert urls
    for url in urls:
        parts = urlsplit(url)
        assert (parts.hostname, parts.port) == (settings.host, settings.port), f"{url}: not the default"
        route = schema["paths"].get(parts.path, {}).get("get")
        assert route, f"{url}: the service has no GET {parts.path}"
        declared = {p["name"]: p for p in route.get("parameters", ()) if p["in"] == "query"}
        for name, value in parse_qsl(parts.query):
            assert name in declared, f"{url}: {parts.path} takes no parameter {name}"
            allowed = _enums(declared[name]["schema"], components)
            assert not allowed or value in allowed, f"{url}: {name}={value} is none of {sorted(allowed)}"

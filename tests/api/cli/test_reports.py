"""`stancegraph report`: the report of a selection as an HTML file or a PDF, and its usage errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import init_cli_store, run_cli


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return init_cli_store(tmp_path_factory, "cli-report")


def test_report_of_a_plan_as_html_and_pdf(store_dir, tmp_path, capsys) -> None:
    page = tmp_path / "r.html"
    code, _, err = run_cli(store_dir, capsys, "report", "--plan", "us-28", "--out", str(page))
    assert code == 0 and f"wrote {page}: 55 stances, 8 sources cited" in err
    text = page.read_text(encoding="utf-8")
    assert "<title>Stance report: US 28-point peace plan</title>" in text
    assert len(re.findall(r'<li id="ref-', text)) == 8
    pdf = tmp_path / "russia.pdf"
    code, _, err = run_cli(
        store_dir, capsys, "report", "--actor", "russia", "--title", "Russia", "-o", str(pdf)
    )
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF-")
    named = tmp_path / "russia.report"
    code, _, _ = run_cli(
        store_dir, capsys, "report", "--actor", "russia", "--format", "pdf", "-o", str(named)
    )
    assert code == 0 and named.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "us-29"], "no plan is named 'us-29' (by IRI, short id or label); list the names with"),
        (["--actor", "nobody"], "no actor is named 'nobody'"),
        (["--since", "2025-13-01"], "since must be an ISO date such as 2025-11-21, not '2025-13-01'"),
        (["--since", "2025-12-01", "--until", "2025-11-01"], "swap the two dates"),
        (["--format", "pdf"], "--format pdf but --out"),
    ],
)
def test_bad_input_is_a_clear_error(store_dir, tmp_path, capsys, args, message) -> None:
    out = tmp_path / "r.html"
    code, _, err = run_cli(store_dir, capsys, "report", *args, "--out", str(out))
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_a_file_name_that_says_no_format_is_refused(store_dir, tmp_path, capsys) -> None:
    code, _, err = run_cli(store_dir, capsys, "report", "--out", str(tmp_path / "r.txt"))
    assert code == 2 and "end the file name in .html or .pdf, or give --format html|pdf" in err
    code, _, err = run_cli(
        store_dir, capsys, "report", "--min-confidence", "2", "--out", str(tmp_path / "r.html")
    )
    assert code == 2 and "outside [0, 1]" in err


def test_without_weasyprint_a_pdf_is_refused_with_what_to_install(store_dir, tmp_path) -> None:
    import subprocess
    import sys

    # a None entry in sys.modules makes `import weasyprint` fail as it does where it is not installed
    code = (
        "import sys; sys.modules['weasyprint'] = None\n"
        "from stancegraph.api.cli import main\n"
        f"sys.exit(main(['--store', {str(store_dir)!r}, 'report', '--out', {str(tmp_path / 'r.pdf')!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "a PDF report needs WeasyPrint: pip install 'stancegraph[pdf]'" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "r.pdf").exists()

"""Progress and parallelism on the command line: a bar on a terminal only, the same report with --jobs."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import deriv.cli
from deriv.check.checker import check_paths
from deriv.check.options import CheckOptions
from deriv.cli import main, want_progress

REPO = Path(__file__).resolve().parents[1]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def corpus(folder: Path, count: int) -> Path:
    """``count`` small documents, every third one with a wrong step."""
    folder.mkdir(exist_ok=True)
    for number in range(count):
        wrong = "A_{j,k}" if number % 3 == 2 else "A_{k,j}"
        (folder / f"doc{number:02d}.md").write_text(textwrap.dedent(rf"""
            ---
            title: Document {number}
            symbols:
              A: matrix N x N
              x: vector N
            ---
            $$ \sum_k \delta_{{i,k}} {wrong} = A_{{i,j}} $$

            $$ \sum_k A_{{i,k}} x_k = \sum_j x_j A_{{i,j}} + {number} - {number} $$
        """).lstrip(), encoding="utf-8")
    return folder


def without_time(output: str) -> str:
    return re.sub(r" in \d+\.\d+ s$", "", output.rstrip(), flags=re.MULTILINE)


@pytest.mark.parametrize("fmt, quiet, stream, term, shown", [
    ("text", False, Terminal(), "xterm", True),
    ("json", False, Terminal(), "xterm", False),
    ("text", True, Terminal(), "xterm", False),
    ("text", False, io.StringIO(), "xterm", False),  # piped
    ("text", False, Terminal(), "dumb", False),
])
def test_the_bar_is_drawn_only_for_text_on_a_terminal(fmt, quiet, stream, term, shown, monkeypatch) -> None:
    monkeypatch.setenv("TERM", term)
    assert want_progress(fmt, quiet, stream) is shown


def test_the_bar_goes_to_stderr_and_leaves_the_report_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "docs", 4)
    plain = CliRunner().invoke(main, ["check", str(folder)])
    monkeypatch.setattr(deriv.cli, "want_progress", lambda fmt, quiet, stream=None: fmt == "text" and not quiet)
    drawn = CliRunner().invoke(main, ["check", str(folder)])
    assert without_time(drawn.stdout) == without_time(plain.stdout) and drawn.exit_code == plain.exit_code == 1
    frames = drawn.stderr.split("\r\x1b[2K")
    assert [f.split()[1] for f in frames[1:-1]] == ["1/4", "2/4", "3/4", "4/4"]
    assert frames[-2].startswith("[" + "#" * 30 + "]") and frames[-1] == ""  # full, then erased
    assert CliRunner().invoke(main, ["check", "--format", "json", str(folder)]).stderr == ""


def test_check_paths_reports_each_document_as_it_is_done_and_returns_them_in_order(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "docs", 5)
    seen: list[tuple[int, int, str]] = []
    run = check_paths([folder], CheckOptions(jobs=2), on_result=lambda d, t, r: seen.append((d, t, r.path)))
    # Two workers finish in any order (the largest document is handed out first): the count goes up by one.
    assert [(done, total) for done, total, _ in seen] == [(n + 1, 5) for n in range(5)]
    assert sorted(p for _, _, p in seen) == [str(folder / f"doc{n:02d}.md") for n in range(5)]
    assert [f.path for f in run.files] == [str(folder / f"doc{n:02d}.md") for n in range(5)]


def test_jobs_output_is_that_of_a_serial_run_in_order(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "docs", 9)
    serial = CliRunner().invoke(main, ["check", str(folder), str(REPO / "derivations"), "--jobs", "1"])
    parallel = CliRunner().invoke(main, ["check", str(folder), str(REPO / "derivations"), "--jobs", "2"])
    assert serial.exit_code == parallel.exit_code == 1
    assert without_time(parallel.stdout) == without_time(serial.stdout)
    json_runs = [CliRunner().invoke(main, ["check", "--format", "json", str(folder), "--jobs", j]).stdout
                 for j in ("1", "2")]
    strip = re.compile(r'"seconds": [0-9.e-]+')
    assert strip.sub("", json_runs[0]) == strip.sub("", json_runs[1])

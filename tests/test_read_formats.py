"""Reading, formats (docs/format.md): one derivation in every format deriv reads,
the same verdicts, each at its own lines.

``examples/linear_layer.{md,qmd,ipynb,tex}`` are the same derivation written as
GitHub Markdown (```` ```math ```` fences, ``$`…`$``), Quarto (declarations
under ``deriv:``, ``{#eq-…}`` labels, a code cell), a Jupyter notebook
(declarations in the metadata, steps located by cell and line) and a LaTeX
source (declarations in a ``% deriv:`` comment block, the last steps in an
``\\input`` file, located there).  Each step's
reported line is checked against the file itself: the line holds the math
the step starts with.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import deriv
from deriv.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FORMATS = ("linear_layer.md", "linear_layer.qmd", "linear_layer.ipynb", "linear_layer.tex")
VERDICTS = ["proved", "proved", "expected-fail", "proved", "proved", "proved"]
#: What the reported line starts with, step by step: a display's steps are reported at its first
#: line, the ``$$`` line (then the math starts on the next) or a math fence's first line.
STARTS = ["\\left[\\frac{\\partial L}{\\partial W}\\right]_{m,n}", "= \\sum_{i,j}", "= 2 \\sum_{i}",
          "= \\sum_{i}", "= \\sum_{i}", "\\frac{\\partial L}{\\partial W} ="]


def _lines(path: Path, step: deriv.StepResult) -> str:
    """The math on the line ``step`` is reported at, in the file (or in its notebook cell);
    after a ``$$`` alone on its line, the next line's."""
    if path.suffix != ".ipynb":
        assert step.cell is None
        source = path if step.file is None else Path(step.file)  # a LaTeX \input file
        lines, line = source.read_text().split("\n"), step.line
    else:
        assert step.cell is not None
        cell, line = step.cell
        lines = "".join(json.loads(path.read_text())["cells"][cell - 1]["source"]).split("\n")
    text = lines[line - 1].strip()
    opens_alone = text in ("$$", "\\[") or (text.startswith("\\begin{") and text.endswith("}"))
    return text if not opens_alone else lines[line].strip()


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_gets_the_same_verdicts_at_its_own_lines(name: str) -> None:
    path = EXAMPLES / name
    result = deriv.check_file(path)
    assert result.error is None
    assert [s.verdict.value for s in result.steps] == VERDICTS
    for step, start in zip(result.steps, STARTS):
        assert _lines(path, step).strip().startswith(start), (step.where, _lines(path, step))


def test_the_formats_agree_step_by_step() -> None:
    results = [deriv.check_file(EXAMPLES / name) for name in FORMATS]
    shapes = {tuple((s.verdict, s.lhs, s.rhs) for s in r.steps) for r in results}
    assert len(shapes) == 1


def test_notebook_locations_name_cell_and_line() -> None:
    result = deriv.check_file(EXAMPLES / "linear_layer.ipynb")
    assert [s.where for s in result.steps] == ["cell 3 line 3", "cell 4 line 3", "cell 5 line 4",
                                               "cell 6 line 4", "cell 6 line 4", "cell 8 line 3"]
    out = CliRunner().invoke(main, ["check", "--format", "json", str(EXAMPLES / "linear_layer.ipynb")])
    first = json.loads(out.output)["files"][0]["steps"][0]
    assert (first["cell"], first["cell_line"]) == (3, 3)


def copy_examples(folder: Path) -> None:
    """Every format of the example, and the file the LaTeX source inputs."""
    for name in FORMATS:
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    shutil.copytree(EXAMPLES / "linear_layer", folder / "linear_layer")


def test_a_folder_run_finds_every_format(tmp_path: Path) -> None:
    copy_examples(tmp_path)
    (tmp_path / "README.md").write_text("# Notes\n\nNothing to check.\n")
    (tmp_path / ".ipynb_checkpoints").mkdir()  # Jupyter's autosaved copies are not read twice
    (tmp_path / ".ipynb_checkpoints" / "linear_layer-checkpoint.ipynb").write_bytes(
        (EXAMPLES / "linear_layer.ipynb").read_bytes())
    out = CliRunner().invoke(main, ["check", "--format", "json", str(tmp_path)])
    files = json.loads(out.output)["files"]
    assert sorted(Path(f["path"]).name for f in files) == sorted(FORMATS)
    assert all([s["verdict"] for s in f["steps"]] == VERDICTS for f in files)


def test_pytest_collects_every_format(pytester: pytest.Pytester) -> None:
    copy_examples(pytester.path)
    result = pytester.runpytest("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=20, xfailed=4)
    ids = pytester.runpytest("--co", "-q").stdout.str()
    assert "linear_layer.ipynb::cell-5-line-4" in ids and "linear_layer.qmd::eq-chain" in ids


def test_the_report_draws_a_notebook(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    CliRunner().invoke(main, ["report", "-o", str(report), str(EXAMPLES / "linear_layer.ipynb")])
    html = report.read_text()
    assert "<math" in html and "A slip that doubles the sum" in html and '"cells"' not in html

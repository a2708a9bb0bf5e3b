"""A Markdown document that includes another file (Quarto's ``{{< include >}}``, MyST's
``{include}``) is an error naming the include, never a pass that leaves the included steps
unchecked (docs/format.md)."""

from __future__ import annotations

from pathlib import Path

from deriv.check.checker import check_file, check_paths
from deriv.check.options import CheckOptions
from deriv.results import Verdict

HEAD = "---\nsymbols:\n  x: scalar\n---\n\n$$ x = x $$\n\n"
FALSE = "$$ x + x = 3 x $$\n"


def _write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text)
    return str(folder / name)


def test_a_quarto_include_is_an_error_on_its_line(tmp_path: Path) -> None:
    """It was silently unread: '1 proved', exit 0, with x + x = 3x in the page Quarto renders."""
    _write(tmp_path, "_part.qmd", FALSE)
    result = check_file(_write(tmp_path, "d.qmd", HEAD + "{{< include _part.qmd >}}\n"))
    assert result.steps == () and result.error_line == 8
    assert result.error is not None and "Quarto include of '_part.qmd' is not followed" in result.error


def test_a_myst_include_is_an_error_on_its_line(tmp_path: Path) -> None:
    _write(tmp_path, "part.md", FALSE)
    result = check_file(_write(tmp_path, "m.md", HEAD + "```{include} part.md\n```\n"))
    assert result.error_line == 8 and "MyST include of 'part.md' is not followed" in (result.error or "")


def test_an_include_in_code_or_a_hidden_div_is_no_include(tmp_path: Path) -> None:
    text = HEAD + "```\n{{< include _part.qmd >}}\n```\n\n::: {.content-hidden}\n{{< include _part.qmd >}}\n:::\n"
    result = check_file(_write(tmp_path, "d.qmd", text))
    assert result.error is None and [s.verdict for s in result.steps] == [Verdict.PROVED]


def test_a_folder_run_reports_a_quarto_include_instead_of_leaving_the_file_out(tmp_path: Path) -> None:
    _write(tmp_path, "_part.qmd", FALSE)
    _write(tmp_path, "d.qmd", HEAD + "{{< include _part.qmd >}}\n")
    run = check_paths([str(tmp_path)], CheckOptions())
    assert [f.path.endswith("d.qmd") and f.error is not None for f in run.files] == [True]

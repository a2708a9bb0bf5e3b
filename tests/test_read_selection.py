"""Reading, selection (docs/cli.md): no silent skips -- which Markdown files a folder run checks.

A file with deriv front matter -- or a key close to one (``symbol:``) -- is
checked, so a misspelling is an ``error``.  A file with display math and no
deriv front matter is left out but listed, and ``--strict`` (CLI) /
``--deriv-strict`` (pytest) fail on it.  An ordinary README stays out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from deriv.cli import main
from deriv.read.selection import select

GOOD = "---\nsymbols:\n  x: scalar\n---\n\n$$ x + x = 2x $$\n"
WRONG_UNREAD = "# Notes\n\n$$ x + x = 3x $$\n"


@pytest.mark.parametrize(("text", "checked", "suspicious"), [
    (GOOD, True, False),
    ("---\nsymbol:\n  x: scalar\n---\n\n$$ x + x = 3x $$\n", True, False),
    ("---\nSymbols:\n  x: scalar\n---\n$$ x = x $$\n", True, False),
    ("---\ntitle: t\nassumption:\n  - x > 0\n---\n", True, False),
    ("---\ndefintions:\n  - y = x\n---\n", True, False),
    ("---\n\"symbols\":\n  x: scalar\n---\n", True, False),
    ("---\nsymbols:\n  x: scalar\n", True, False),  # unclosed: checked, so its error shows
    (WRONG_UNREAD, False, True),
    ("# Notes\n\n\\[ x + x = 3x \\]\n", False, True),
    ("Text\n\\begin{align} x &= 3x \\end{align}\n", False, True),
    ("---\ntitle: Quarto notes\nformat: html\n---\n\n$$ x + x = 3x $$\n", False, True),
    ("# A project\n\nNo derivation here, $x$ inline only.\n", False, False),
    ("---\ntitle: blog\ndate: 2026-01-01\n---\nwords\n", False, False),
])
def test_selection(tmp_path: Path, text: str, checked: bool, suspicious: bool) -> None:
    path = tmp_path / "doc.md"
    path.write_text(text)
    left_out = select(path)
    assert (left_out is None) == checked
    if left_out is not None:
        assert left_out.suspicious == suspicious and left_out.reason


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "notes.md").write_text(WRONG_UNREAD)
    (tmp_path / "README.md").write_text("# A project\n")
    return tmp_path


def test_a_folder_run_lists_what_it_did_not_check(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-color", str(folder)])
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("not checked: 2 files")
    assert "notes.md (display math but no deriv front matter)" in summary and "README.md" in summary


def test_strict_fails_on_a_file_that_looks_like_a_derivation(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--strict", "--no-color", str(_folder(tmp_path))])
    assert result.exit_code == 2, result.output


def test_strict_passes_a_folder_with_only_plain_markdown_left_out(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "README.md").write_text("# A project\n")
    assert CliRunner().invoke(main, ["check", "--strict", str(tmp_path)]).exit_code == 0


def test_json_lists_the_files_left_out(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--format", "json", str(_folder(tmp_path))])
    data = json.loads(result.output)
    assert sorted((Path(u["path"]).name, u["looks_like_derivation"]) for u in data["unchecked"]) == [
        ("README.md", False), ("notes.md", True)]


def test_a_misspelled_key_in_a_folder_is_an_error_not_a_skip(tmp_path: Path) -> None:
    (tmp_path / "typo.md").write_text("---\nsymbol:\n  x: scalar\n---\n\n$$ x + x = 3x $$\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "unknown front matter key 'symbol'" in result.output


def test_pytest_warns_about_and_strict_fails_on_unchecked_derivations(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", good=GOOD, notes=WRONG_UNREAD, README="# A project\n\nNo derivation here.\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*notes.md not checked: display math but no deriv front matter*"])
    strict = pytester.runpytest("-p", "no:cacheprovider", "--deriv-strict")
    assert strict.ret != 0  # a collection error stops the run, as pytest does for any
    strict.stdout.fnmatch_lines(["*notes.md looks like a derivation but was not checked*"])


def test_pytest_collects_a_misspelled_key_as_an_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", typo="---\nsymbol:\n  x: scalar\n---\n\n$$ x + x = 3x $$\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*unknown front matter key 'symbol'*"])

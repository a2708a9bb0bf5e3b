"""The pre-commit hook (.pre-commit-hooks.yaml): id ``deriv`` on the supported file types, and its
command on what a commit stages -- derivations checked, other files listed, never failed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner

from deriv.cli import main

ROOT = Path(__file__).resolve().parent.parent


def hook() -> dict:
    [entry] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return entry


def test_hook_is_declared_for_the_supported_types() -> None:
    entry = hook()
    assert entry["id"] == "deriv" and entry["language"] == "python"
    files = re.compile(entry["files"])
    assert all(files.search(name) for name in ("a.md", "d/b.tex", "n.ipynb", "q.qmd"))
    assert not any(files.search(name) for name in ("a.py", "b.texx", "c.md.orig"))


def run_hook(*files: str) -> tuple[int, str]:
    command = shlex.split(hook()["entry"])
    assert command[:2] == ["deriv", "check"]
    result = CliRunner().invoke(main, [*command[1:], *files])
    return result.exit_code, result.output


def test_hook_passes_on_files_that_are_not_derivations(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# notes\n\n$$ x = 1 $$\n")
    part = tmp_path / "part.tex"
    part.write_text("\\[ a = a \\]\n")
    status, output = run_hook(str(tmp_path / "README.md"), str(part))
    assert status == 0 and "not checked" in output, output


def test_hook_fails_on_a_staged_wrong_derivation(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# notes\n")
    wrong = tmp_path / "wrong.tex"
    wrong.write_text("\\documentclass{article}\n% deriv:\n%   symbols:\n%     a: scalar\n\\[ a + a = a \\]\n")
    status, output = run_hook(str(tmp_path / "README.md"), str(wrong), str(ROOT / "derivations" / "chain_rule.md"))
    assert status == 1 and "refuted" in output and "chain_rule.md" in output
    forgot = tmp_path / "forgot.tex"
    forgot.write_text("\\documentclass{article}\n\\[ a + a = a \\]\n")
    status, output = run_hook(str(forgot), "--strict")
    assert status == 2  # a whole LaTeX document with display math and no block, under --strict

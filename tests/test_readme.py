"""The README's Python examples run, as doctests: what it shows is what deriv does."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_the_readme_examples_run_as_doctests(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)  # the examples name derivations/ relative to the repository
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    results = doctest.testfile(str(REPO / "README.md"), module_relative=False, optionflags=flags,
                               globs={}, raise_on_error=False)
    report = capsys.readouterr().out
    assert results.failed == 0, report
    assert results.attempted >= 15  # the examples are there, and ran


def test_the_format_tour_is_one_document_whose_steps_are_all_proved() -> None:
    import deriv
    from deriv.check.options import CheckOptions

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Format tour", 1)[1]
    block = section.split("```markdown\n", 1)[1].split("\n```\n", 1)[0]
    result = deriv.check_text(block + "\n", options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    assert [s.verdict.value for s in result.steps] == ["proved"] * 15, [(s.line, s.message) for s in result.steps]

"""Quarto's ``{{< include file >}}`` is not followed, and never silently (docs/format.md).

The included file's steps would be shown by Quarto but checked by no one:
each include is an ``error`` on its own line, saying the file is not
checked.  An include in a code block, the escaped ``{{</* include */>}}``,
or one in a div Quarto never shows is no include.
"""

from __future__ import annotations

import pytest

import deriv
from deriv.read.sources import quarto_source
from deriv.results import Verdict

FRONT = "---\nsymbols:\n  x: scalar\n---\n\n$$ x + x = 2 x $$\n\n"
SAYS = ("Quarto include of '_part.qmd' is not followed: deriv does not check the steps of an included file; "
        "write them in this file, or give '_part.qmd' front matter of its own and check it alone")


def results(body: str) -> list[tuple[int, Verdict, str]]:
    return [(s.line, s.verdict, s.message) for s in deriv.check_text(FRONT + body).steps]


@pytest.mark.parametrize("line", ["{{< include _part.qmd >}}", "  {{<include _part.qmd>}}  ",
                                  '{{< include "_part.qmd" >}}'])
def test_an_include_is_an_error_on_its_line(line: str) -> None:
    assert results(line + "\n") == [(6, Verdict.PROVED, ""), (8, Verdict.ERROR, SAYS)]


def test_every_include_is_reported() -> None:
    found = results("{{< include _part.qmd >}}\n\n$$ x = x $$\n\n{{< include _other.qmd >}}\n")
    assert [(line, verdict) for line, verdict, _ in found] == [
        (6, Verdict.PROVED), (8, Verdict.ERROR), (10, Verdict.PROVED), (12, Verdict.ERROR)]
    assert "'_other.qmd'" in found[3][2]


@pytest.mark.parametrize("body", [
    "```\n{{< include _part.qmd >}}\n```\n",  # code
    "    {{< include _part.qmd >}}\n",  # indented code
    "{{</* include _part.qmd */>}}\n",  # Quarto's escaped form: shown, not included
    "Use `{{< include _part.qmd >}}` to include a file.\n",  # inline, in prose
])
def test_what_is_not_an_include_is_not_reported(body: str) -> None:
    assert results(body) == [(6, Verdict.PROVED, "")]


def test_an_include_in_a_hidden_div_is_not_reported() -> None:
    text = FRONT + "::: {.content-hidden}\n{{< include _part.qmd >}}\n:::\n"
    steps = deriv.check_text(quarto_source(text).markdown).steps
    assert [(s.line, s.verdict) for s in steps] == [(6, Verdict.PROVED)]


def test_a_qmd_file_with_an_include_fails_the_run(tmp_path) -> None:
    (tmp_path / "main.qmd").write_text(FRONT + "{{< include _part.qmd >}}\n", encoding="utf-8")
    (tmp_path / "_part.qmd").write_text("$$ x = 2 x $$\n", encoding="utf-8")
    run = deriv.check_paths([tmp_path / "main.qmd"])
    assert [(s.line, s.verdict) for s in run.steps] == [(6, Verdict.PROVED), (8, Verdict.ERROR)]
    assert run.exit_status() == 2

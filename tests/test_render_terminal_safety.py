"""What a document can make the text report print: never a raw control character, never a
line a CI runner would take for a workflow command (``::error ...``), wherever the text sits --
a message quoting the document's LaTeX over several lines, a file's name, an unchecked file."""

from __future__ import annotations

import re

import pytest

from deriv.check.checker import check_paths, check_text
from deriv.check.options import CheckOptions
from deriv.render.progress import progress_line
from deriv.render.text import render_run
from deriv.results import FileResult, RunResult, StepResult, Unchecked, Verdict

#: What a runner (GitHub Actions) reads as a command: a line that starts, after blanks, with '::'.
COMMAND = re.compile(r"^\s*::", re.M)
#: Characters a terminal acts on, or that reorder or break a line.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
FORGED = "\n::error file=a.md,line=1::forged\n  ::add-mask::x\n"

ASSUMED = "---\nsymbols:\n  x: scalar\n---\n\n<!-- deriv: assume x >" + FORGED + "-->\n$$ x = x $$\n"


def _report(run: RunResult) -> str:
    return "\n".join(render_run(run, seed=0))


def test_a_message_quoting_latex_over_several_lines_starts_no_command_line() -> None:
    result = check_text(ASSUMED, "a.md")
    text = _report(RunResult((result,)))
    assert "forged" in text and not COMMAND.search(text), text
    assert [s.verdict for s in result.steps] == [Verdict.ERROR, Verdict.UNDECIDED]


@pytest.mark.parametrize("name", ["b" + FORGED + ".md", "c\x1b]0;title\x07\x1b[2J.md", "d\u2028::error::x.md"])
def test_a_file_name_is_one_line_of_plain_text(name: str) -> None:
    step = StepResult(line=3, label=None, relation="=", lhs="x", rhs="y", verdict=Verdict.REFUTED, message="differ")
    runs = [RunResult((FileResult(name, None, steps=(step,)),)),
            RunResult((FileResult(name, None, error="bad", error_line=2),)),
            RunResult((), (Unchecked(name, "display math but no deriv front matter" + FORGED, True),
                           Unchecked(name, "no display math", False)))]
    for run in runs:
        text = _report(run)
        assert not COMMAND.search(text) and not CONTROL.search(text), repr(text)
    assert not CONTROL.search(progress_line(1, 2, name)) and "\n" not in progress_line(1, 2, name)


def test_a_folder_runs_unchecked_files_are_named_safely(tmp_path) -> None:
    (tmp_path / "e\x1b[31mred\x1b]0;t\x07.md").write_text("# notes\n\n$$ x = y $$\n")
    text = _report(check_paths([str(tmp_path)], CheckOptions()))
    assert "not checked" in text and not CONTROL.search(text), repr(text)


def test_github_annotations_carry_no_control_character_from_a_document() -> None:
    from deriv.render.github import render_github

    run = RunResult((FileResult("a.md", None, error="bad \x1b[2J" + FORGED, error_line=2),),
                    (Unchecked("n.md", "display math \x1b]0;t\x07", True),))
    text = render_github(run)
    assert not CONTROL.search(text) and len(text.splitlines()) == 3, repr(text)


def test_a_file_name_that_is_no_utf8_is_printed_as_an_escape() -> None:
    name = b"\xffbad.md".decode("utf-8", "surrogateescape")
    text = _report(RunResult((FileResult(name, None, error="bad", error_line=2),)))
    assert "\\udcffbad.md" in text
    text.encode("utf-8")  # printable on any UTF-8 terminal, by pytest's writer too

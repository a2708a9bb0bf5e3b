r"""Two LaTeX forms deriv now reads (docs/format.md).

* ``\newcommand{\sq}[2][x]{#1^2 + #2}``: ``#1`` is optional with a default, as
  in LaTeX (``\sq{y}`` is ``x^2 + y``, ``\sq[z]{y}`` is ``z^2 + y``);
* ``\begin{equation}\label{e}\begin{split} ... \end{split}\end{equation}``
  (also the ``\label`` after ``\end{split}``): split into its rows, as without the label.
"""

from __future__ import annotations

import pytest

import deriv
from deriv.read.macros import MacroError, read_definition
from deriv.results import Verdict

FRONT = "---\nsymbols:\n  x: scalar\n  y: scalar\n  z: scalar\n---\n"


def steps(body: str) -> list[tuple[int, Verdict, str, str]]:
    return [(s.line, s.verdict, s.lhs, s.rhs) for s in deriv.check_text(FRONT + body).steps]


@pytest.mark.parametrize(("call", "value", "verdict"), [
    (r"\sq{y}", "x^2 + y", Verdict.PROVED),
    (r"\sq[z]{y}", "z^2 + y", Verdict.PROVED),
    (r"\sq [z]{y}", "z^2 + y", Verdict.PROVED),  # LaTeX skips spaces before the [
    (r"\sq[{z}]{y}", "z^2 + y", Verdict.PROVED),
    (r"\sq[(x+z)]{y}", "(x+z)^2 + y", Verdict.PROVED),
    (r"\sq{y}", "z^2 + y", Verdict.REFUTED),  # the default is x, not z
    (r"\sq[z]{y}", "x^2 + y", Verdict.REFUTED),
])
def test_an_optional_first_argument_takes_its_default(call: str, value: str, verdict: Verdict) -> None:
    body = "$$\\newcommand{\\sq}[2][x]{#1^2 + #2}$$\n\n" + f"$$ {call} = {value} $$\n"
    assert steps(body) == [(9, verdict, call, value)]


def test_a_one_argument_macro_with_a_default_needs_no_argument() -> None:
    body = "$$\\newcommand{\\sqx}[1][x]{#1^2}$$\n\n$$ \\sqx + \\sqx[y] = x^2 + y^2 $$\n"
    assert [v for _, v, _, _ in steps(body)] == [Verdict.PROVED]


def test_a_default_with_brackets_in_braces() -> None:
    macro, _ = read_definition(r"\newcommand{\f}[2][{a]b}]{#1 #2}", 0, 1)
    assert (macro.params, macro.default, macro.body) == (2, "{a]b}", "#1 #2")


@pytest.mark.parametrize("text", [
    r"\newcommand{\f}[2][x{#2}",  # the default never closed
    r"\newcommand{\f}[x]{#1}",  # no count
    r"\newcommand{\f}[2][#1]{#1 #2}",  # a default holds no parameter
])
def test_a_malformed_default_is_an_error(text: str) -> None:
    with pytest.raises(MacroError):
        read_definition(text, 0, 1)


SPLIT = "\\begin{{equation}}{before}\n\\begin{{split}}\n(x+1)^2 &= x^2 + 2x + 1 \\\\\n&= x(x+{k}) + 1\n\\end{{split}}{after}\n\\end{{equation}}\n"


@pytest.mark.parametrize(("before", "after"), [("\\label{eq:a}", ""), ("", "\\label{eq:a}"), ("", "")])
def test_a_labelled_split_is_read_row_by_row(before: str, after: str) -> None:
    assert steps(SPLIT.format(before=before, after=after, k=2)) == [
        (9, Verdict.PROVED, "(x+1)^2", "x^2 + 2x + 1"), (10, Verdict.PROVED, "x^2 + 2x + 1", "x(x+2) + 1")]
    assert [v for _, v, _, _ in steps(SPLIT.format(before=before, after=after, k=3))] == [
        Verdict.PROVED, Verdict.REFUTED]


def test_a_two_column_align_row_is_two_steps() -> None:
    body = "\\begin{align}\n(x+1)^2 &= x^2 + 2x + 1 & (y+1)^2 &= y^2 + 2y + 1\n\\end{align}\n"
    assert steps(body) == [(8, Verdict.PROVED, "(x+1)^2", "x^2 + 2x + 1"), (8, Verdict.PROVED, "(y+1)^2", "y^2 + 2y + 1")]

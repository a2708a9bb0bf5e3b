r"""Reading: ``\\[ … \\]`` in Markdown, math a page shows (Markdown unescapes ``\\`` to ``\``, then
MathJax typesets ``\[``) that deriv does not read, is a problem on its line, never silence
(``read/escaped_math.py``)."""

from __future__ import annotations

import pytest

import deriv
from deriv.check.options import CheckOptions
from deriv.read.document import parse_document

HEAD = "---\nsymbols:\n  a: scalar\n---\n"
ESCAPED = "escaped backslash"


def problems(body: str) -> list[int]:
    """Lines of the escaped-math problems of a document with ``body``."""
    return [p.line for p in parse_document(HEAD + body).problems if ESCAPED in p.message]


@pytest.mark.parametrize(("body", "lines"), [
    ("\\\\[ a = 2a \\\\]\n", [5]),
    ("Text.\n\n\\\\[\na = 2a\n\\\\]\n", [7]),
    ("- item\n  \\\\[ a = 2a \\\\]\n", [6]),
    ("> \\\\[ a = 2a \\\\]\n", [5]),
    ("1. \\\\[ a = 2a \\\\]\n", [5]),
    ("\\\\[ a \\\\]\n\n\\\\[ b \\\\]\n", [5, 7]),
])
def test_a_line_opening_with_an_escaped_bracket_is_a_problem(body: str, lines: list[int]) -> None:
    assert problems(body) == lines


@pytest.mark.parametrize("body", [
    "$$\n\\begin{aligned}\na &= a \\\\[2pt]\n\\\\[2pt] &= a\n\\end{aligned}\n$$\n",  # a line break inside math
    "```\n\\\\[ code \\\\]\n```\n",
    "    \\\\[ indented code \\\\]\n",
    "<!-- \\\\[ a comment \\\\] -->\n",
    "`\\\\[ inline code`\n",
    "Text with \\\\[ in the middle of a line.\n",
    "\\[ a = a \\]\n",  # the real thing: a display
    "```math\n\\\\[ 2pt \\\\]\n```\n",
])
def test_escaped_brackets_inside_math_code_comments_or_prose_are_not(body: str) -> None:
    assert problems(body) == []


def test_the_problem_is_an_error_step_and_the_rest_is_checked() -> None:
    result = deriv.check_text(HEAD + "\\\\[ a = 2a \\\\]\n\n$$ a + a = 2 a $$\n", options=CheckOptions(isolate=False))
    assert [(s.line, s.verdict.value) for s in result.steps] == [(5, "error"), (7, "proved")]
    assert "write \\[ ... \\] or $$ ... $$" in result.steps[0].message


def test_a_generated_text_with_escaped_display_math_earns_no_reward() -> None:
    text = "We compute:\n\n\\\\[ a + a = 2a \\\\]\n\nso the answer is $\\boxed{2a}$."
    assert deriv.reward(text, symbols={"a": "scalar"}) == 0.0
    assert deriv.reward(text.replace("\\\\[", "\\[").replace("\\\\]", "\\]"), symbols={"a": "scalar"}) == 1.0

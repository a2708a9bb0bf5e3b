"""Reading, Markdown dialects (docs/format.md): GitHub math, CommonMark's code, MyST, Quarto.

The display scanner asks markdown-it-py for the block structure: what is
code (fenced, indented; in list items and quotes as CommonMark says) and
which fences are math (GitHub's ```` ```math ````, MyST's ```` ```{math} ````).
Where CommonMark reads a construct differently from the scanner before it,
CommonMark wins, and the tests below say so; a fence that hides display
math the scanner used to check is an error, never silently code.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.errors import FrontMatterError
from deriv.read.document import HIDDEN_STEPS, parse_document
from deriv.read.selection import select
from deriv.results import Verdict

FRONT = "---\nsymbols:\n  x: scalar\n  y: scalar\n---\n"  # the body starts on line 6


def _steps(text: str, path: str = "<text>") -> list[tuple[int, str | None, str]]:
    result = deriv.check_text(text, path)
    assert result.error is None, result.error
    return [(s.line, s.label, s.verdict.value) for s in result.steps]


# --- GitHub: ```math fences and $`…`$ -------------------------------------------------------

def test_a_math_fence_is_a_display_at_its_first_line() -> None:
    text = FRONT + "\n```math\nx + x = 2 x\n```\n\n~~~~math\nx + x\n\n= 3 x\n~~~~\n(4)\n"
    assert _steps(text) == [(8, None, "proved"), (12, "4", "refuted")]


def test_a_math_fence_takes_directives_labels_and_rows() -> None:
    text = FRONT + ("\n<!-- deriv: expect-fail -->\n```math\nx + x = 3 x\n```\n\n"
                    "```math\n\\begin{aligned}\nx + x &= 2 x \\\\\n&= x + x\n\\end{aligned}\n```\n")
    assert _steps(text) == [(9, None, "expected-fail"), (14, None, "proved"), (15, None, "proved")]


def test_an_unclosed_math_fence_is_an_error() -> None:
    result = deriv.check_text(FRONT + "\n```math\nx + x = 3 x\n")
    assert [(s.line, s.verdict.value) for s in result.steps] == [(7, "error")]
    assert "unclosed ```math fence" in result.steps[0].message


def test_math_fences_in_quotes_and_list_items() -> None:
    text = FRONT + "\n> ```math\n> x + x\n> = 3 x\n> ```\n\n- a step:\n\n  ```math\n  x + x = 2 x\n  ```\n"
    assert _steps(text) == [(8, None, "refuted"), (15, None, "proved")]


def test_github_inline_math_declares() -> None:
    text = "Let $`x \\in \\mathbb{R}^n`$ and $`A \\in \\mathbb{R}^{n \\times n}`$.\n\n$$ x^T A x = \\sum_i x_i (A x)_i $$\n"
    assert _steps(text) == [(3, None, "proved")]


def test_github_inline_math_is_not_code_and_code_is_not_math() -> None:
    text = FRONT + "\nInline $`x = 2`$ and code `$$ x = 3 x $$` and ``$`x`$``.\n\n$$ x = x $$\n"
    document = parse_document(text)
    assert [d.text.strip() for d in document.displays] == ["x = x"]
    assert document.problems == ()


def test_display_math_inline_in_a_sentence() -> None:
    # Obsidian's and Notion's `$$` inside a line, and `\\[…\\]`: displays, at their line.
    text = FRONT + "\nSo $$x + x = 2 x$$ in a sentence, and \\[ x + x = 3x \\] too.\n\nObsidian: $$x = x$$\n(3)\n"
    assert _steps(text) == [(7, None, "proved"), (7, None, "refuted"), (9, "3", "proved")]


def test_a_list_items_indented_display_and_html_blocks_are_math() -> None:
    # Four spaces in a list item are its text, not code; math in an HTML block is typeset.
    text = FRONT + "\n1. a list\n\n    $$ x + x = 3 x $$\n\n<div>\n\n$$ x + x = 2 x $$\n\n</div>\n"
    assert _steps(text) == [(9, None, "refuted"), (13, None, "proved")]


def test_a_github_derivation_without_front_matter_is_not_left_out_silently(tmp_path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\n```math\nx + x = 3 x\n```\n")
    assert select(path).suspicious


# --- CommonMark decides what is code ----------------------------------------------------------

def test_a_fence_in_a_list_item_ends_with_the_item() -> None:
    # CommonMark: the fence closes with its list item; the display after the list is read.
    text = FRONT + "\n- item\n\n  ```\n  $$ x = 5 x $$\n\n$$ x + x = 3 x $$\n"
    assert _steps(text) == [(12, None, "refuted")]


def test_an_indented_fence_after_a_paragraph_is_text() -> None:
    # Four spaces continue the paragraph: no fence, so the display after is read (the
    # scanner before CommonMark took `    ~~~` for an unclosed fence and read nothing after it).
    text = FRONT + "\nSome prose\n    ~~~\n$$ x + x = 3 x $$\n"
    assert _steps(text) == [(9, None, "refuted")]


def test_a_quoted_fence_hiding_a_step_is_an_error() -> None:
    # The scanner before CommonMark checked the display in `> ```…`; CommonMark reads it as
    # code.  Code is code, but a step there is not dropped in silence.
    result = deriv.check_text(FRONT + "\n> ```\n> $$ x + x = 3 x $$\n> ```\n")
    assert [(s.line, s.verdict.value, s.message) for s in result.steps] == [(7, "error", HIDDEN_STEPS)]


def test_code_blocks_read_nothing() -> None:
    text = FRONT + ("\n```python\n$$ x = 3 x $$\n\\newcommand{\\x}{y}\n<!-- deriv: expect-fail -->\n```\n\n"
                    "    $$ x = 4 x $$\n\n````\n```\n$$ x = 5 x $$\n```\n````\n\n$$ x = x $$\n")
    result = deriv.check_text(text)
    assert [(s.line, s.verdict.value) for s in result.steps] == [(21, "proved")]


# --- MyST and Quarto --------------------------------------------------------------------------

def test_myst_math_directive_with_its_label() -> None:
    text = FRONT + "\n```{math}\n:label: doubled\nx + x = 2 x\n```\n\n<!-- deriv: continue doubled -->\n$$ = x + x $$\n"
    assert _steps(text) == [(9, "doubled", "proved"), (13, None, "proved")]


def test_quarto_labels_and_code_cells() -> None:
    text = ("---\ntitle: Q\nformat: html\njupyter: python3\nauthor: me\nsymbols:\n  x: scalar\n---\n\n"
            "```{python}\nx = 3 * x  # $$ x = 3 x $$\n```\n\n$$\nx + x = 2 x\n$$ {#eq-two}\n\n"
            "<!-- deriv: continue eq-two -->\n$$ = 3 x $$\n")
    assert _steps(text, "notes.qmd") == [(14, "eq-two", "proved"), (19, None, "refuted")]


def test_declarations_under_a_deriv_key() -> None:
    text = ("---\ntitle: Q\nformat: html\nkernelspec:\n  name: python3\nauthor: me\nderiv:\n  symbols:\n"
            "    x: scalar\n---\n\n$$ x + x = 2 x $$\n")
    assert _steps(text) == [(12, None, "proved")]  # a Markdown file too
    assert parse_document(text).title == "Q"


@pytest.mark.parametrize(("front", "message", "line"), [
    ("symbols:\n  x: scalar\nderiv:\n  symbols:\n    y: scalar\n", "'symbols' at the top level beside a 'deriv:'", 2),
    ("deriv: [x]\n", "'deriv' must be a mapping", 2),
    ("deriv:\n  symbol:\n    x: scalar\n", "unknown front matter key 'symbol'", 3),
    ("format: html\nsymbol:\n  x: scalar\n", "unknown front matter key 'symbol'", 3),
    ("symbols:\n  x: scalar\nauthor: me\n", "unknown front matter key 'author'", 4),
])
def test_front_matter_errors(front: str, message: str, line: int) -> None:
    with pytest.raises(FrontMatterError, match=message) as error:
        parse_document(f"---\n{front}---\n\n$$ x = x $$\n")
    assert error.value.line == line


def test_quarto_front_matter_may_carry_any_key_but_a_misspelled_one() -> None:
    front = "---\nauthor: me\ndate: today\ntoc: true\nsymbols:\n  x: scalar\n---\n\n$$ x + x = 2 x $$\n"
    assert _steps(front, "a.qmd") == [(9, None, "proved")]
    with pytest.raises(FrontMatterError, match="unknown front matter key 'symbol'"):
        parse_document(front.replace("symbols:", "symbol:"), "a.qmd")


def test_selection_of_quarto_and_nested_declarations(tmp_path) -> None:
    nested = tmp_path / "a.qmd"
    nested.write_text("---\nformat: html\nderiv:\n  symbols:\n    x: scalar\n---\n\n$$ x = x $$\n")
    assert select(nested) is None
    plain = tmp_path / "b.qmd"
    plain.write_text("---\nformat: html\n---\n\n$$ x = 3 x $$\n")
    assert select(plain).suspicious


# --- every delimiter keeps its exact line -----------------------------------------------------

_FORMS = {
    "dollars": ("$$ {} $$", 0),
    "dollars on their own lines": ("$$\n{}\n$$", 0),  # reported at the `$$` line
    "brackets": ("\\[ {} \\]", 0),
    "equation": ("\\begin{{equation}}\n{}\n\\end{{equation}}", 0),  # at its \\begin line
    "math fence": ("```math\n{}\n```", 1),
    "tilde fence": ("~~~math\n{}\n~~~", 1),
    "quoted fence": ("> ```math\n> {}\n> ```", 1),
    "myst": ("```{{math}}\n:label: a\n{}\n```", 2),
}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["prose $x$ here", "", "`code $$ x = 2 x $$`", "<!-- a comment -->"]),
                max_size=6),
       st.sampled_from(sorted(_FORMS)), st.booleans())
def test_every_form_keeps_its_line(before: list[str], form: str, true: bool) -> None:
    template, offset = _FORMS[form]
    step = "x + x = 2 x" if true else "x + x = 3 x"
    body = "\n".join(before) + "\n\n" + template.format(step) + "\n"
    result = deriv.check_text(FRONT + body)
    opener_line = 6 + max(len(before), 1) + 1
    assert [(s.line, s.verdict.value) for s in result.steps] == \
        [(opener_line + offset, "proved" if true else "refuted")]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(_FORMS)), st.sampled_from(["", "  ", "> ", "- "]),
       st.sampled_from(["x + x = 2 x", "\\begin{aligned} x &= x \\\\ &= 2 x - x \\end{aligned}"]))
def test_every_display_keeps_its_column(form: str, indent: str, math: str) -> None:
    """The file's text at a display's line and column is the display's text (an independent
    reference: the file itself)."""
    template, _ = _FORMS[form]
    rest = "  " if indent == "- " else indent  # a list item's lines after its first are indented
    block = "\n".join((indent if k == 0 else rest) + line for k, line in enumerate(template.format(math).split("\n")))
    text = FRONT + "\nSome text.\n\n" + block + "\n"
    lines = text.split("\n")
    displays = parse_document(text).displays
    assert displays
    for display in displays:
        written = display.text.split("\n")
        assert _blanked(lines[display.line - 1][display.column - 1:][:len(written[0])], written[0])
        for k, rest in enumerate(written[1:], start=display.line):
            assert _blanked(lines[k][len(lines[k]) - len(rest):], rest)


def _blanked(file: str, read: str) -> bool:
    """``read`` is ``file`` with some characters blanked (`&`, `>`: widths are kept)."""
    return len(file) == len(read) and all(a == b or b == " " for a, b in zip(file, read))


# -- code is not mathematics: CommonMark's code blocks, fences and comments -----------------------------------------------------
def steps_of(body: str) -> list[tuple[int, Verdict]]:
    front = "---\nsymbols:\n  x: scalar\n---\n"
    result = deriv.check_text(front + body)
    assert result.error is None, result.error
    return [(s.line, s.verdict) for s in result.steps]


WRONG = r"$$ x + x = 3x $$"
RIGHT = r"$$ x + x = 2x $$"


@pytest.mark.parametrize("code", [
    f"\n    {WRONG}\n",  # an indented code block
    f"\n\t{WRONG}\n",
    f"\n```\n{WRONG}\n```\n",
    f"\n~~~~\n{WRONG}\n~~~~\n",
    f"\n<!-- {WRONG} -->\n",
    f"\n<!--\n{WRONG}\n-->\n",
    f"\n>     {WRONG}\n",  # indented code inside a block quote
    f"\n- item\n\n        {WRONG}\n",  # indented code inside a list item
    f"\n    text\n    {WRONG}\n",
])
def test_displays_in_code_are_never_read(code: str) -> None:
    assert [v for _, v in steps_of(code + "\n" + RIGHT + "\n")] == [Verdict.PROVED]


@pytest.mark.parametrize("code", [
    "\n    \\newcommand{\\two}{3}\n",
    "\n```\n\\newcommand{\\two}{3}\n```\n",
    "\n<!-- \\newcommand{\\two}{3} -->\n",
])
def test_macros_in_code_are_never_read(code: str) -> None:
    seen = steps_of(code + "\n$$ \\two x = 3 x $$\n")
    assert [v for _, v in seen] == [Verdict.ERROR]


@pytest.mark.parametrize("text", [
    f"Some text\n    {WRONG}\n",  # a paragraph's continuation line, not code
    f"- item\n\n    {WRONG}\n",  # a list item's paragraph
    f"1. item\n\n   {WRONG}\n",
    f"   {WRONG}\n",  # three spaces: not code
])
def test_indented_math_that_commonmark_reads_as_text_is_checked(text: str) -> None:
    assert [v for _, v in steps_of("\n" + text)] == [Verdict.REFUTED]


def test_lines_stay_exact_after_an_indented_code_block() -> None:
    seen = steps_of("\n    code $$ x $$\n    more\n\n" + WRONG + "\n")
    assert seen == [(9, Verdict.REFUTED)]

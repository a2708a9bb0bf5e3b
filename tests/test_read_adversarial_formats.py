"""Adversarial LaTeX sources, notebooks and Quarto files: what deriv reads is what LaTeX,
Jupyter and Quarto show -- never a hidden branch, code, or another cell's comment; a
construct it can not follow is an error, never silently unread (docs/format.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import deriv
from deriv.read.latex_lines import clean_lines

BLOCK = "% deriv:\n%   symbols:\n%     a: scalar\n%     b: scalar\n"
FRONT = "---\nsymbols:\n  a: scalar\n---\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def steps(result: deriv.FileResult) -> list[tuple[str, str, str]]:
    return [(s.verdict.value, s.lhs, s.rhs) for s in result.steps]


def tex(tmp_path: Path, body: str, **files: str) -> deriv.FileResult:
    for name, text in files.items():
        _write(tmp_path, name, text)
    return deriv.check_file(_write(tmp_path, "doc.tex", BLOCK + body))


# --- LaTeX: conditionals ---------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "expected"), [
    # \iffalse A \else B \fi typesets B: B was hidden (a wrong step silently unchecked).
    ("\\iffalse\n\\[ a = a \\]\n\\else\n\\[ a = 2 a \\]\n\\fi\n", [("refuted", "a", "2 a")]),
    # \iftrue A \else B \fi hides B: a step there is not read.
    ("\\iftrue\n\\[ a = a \\]\n\\else\n\\[ a = 2 a \\]\n\\fi\n", [("proved", "a", "a")]),
    # ifthen's \ifthenelse has no \fi: counted as a conditional it hid every display after the \fi.
    ("\\iffalse\n\\ifthenelse{\\boolean{x}}{a}{b}\n\\fi\n\\[ a = 2 a \\]\n", [("refuted", "a", "2 a")]),
    # A \fi in a comment of hidden text ends nothing (TeX skips comments while skipping).
    ("\\iffalse\n% old: \\fi\n\\[ a = 2 a \\]\n\\fi\n\\[ a = a \\]\n", [("proved", "a", "a")]),
    # Nested: the inner \else belongs to the inner \iftrue; the outer \else shows its branch.
    ("\\iffalse\n\\iftrue X \\else \\[ a = 2a \\] \\fi\n\\[ a = 3a \\]\n\\else\n\\[ a + b = b + a \\]\n\\fi\n",
     [("proved", "a + b", "b + a")]),
    # etoolbox's \ifdef takes arguments: not a conditional, so the \else is the \iftrue's.
    ("\\iftrue\n\\ifdef\\foo{x}{y}\n\\else\n\\[ a = 2 a \\]\n\\fi\n\\[ a = a \\]\n", [("proved", "a", "a")]),
    # A conditional whose value the source does not fix: both branches are read.
    ("\\newif\\ifdraft\n\\ifdraft\n\\[ a = 3 a \\]\n\\else\n\\[ a = 2 a \\]\n\\fi\n",
     [("refuted", "a", "3 a"), ("refuted", "a", "2 a")]),
    # \verb hides nothing from TeX's skipping: its \fi ends the \iffalse.
    ("\\iffalse \\verb|\\fi| \\[ a = 2 a \\] \\fi\n\\[ a = a \\]\n", [("refuted", "a", "2 a"), ("proved", "a", "a")]),
])
def test_conditionals_hide_what_latex_hides(tmp_path: Path, body: str, expected: list) -> None:
    result = tex(tmp_path, body)
    assert result.error is None
    assert steps(result) == expected


def test_a_hidden_macro_definition_is_not_read(tmp_path: Path) -> None:
    """``\\iftrue\\else\\renewcommand...\\fi``: LaTeX keeps the first \\x, so ``\\x = b`` is ``a = b``."""
    result = tex(tmp_path, "\\newcommand{\\x}{a}\n\\iftrue\\else\\renewcommand{\\x}{b}\\fi\n\\[ \\x = b \\]\n")
    assert steps(result) == [("refuted", "\\x", "b")]


@pytest.mark.parametrize(("opener", "says"), [
    ("\\iffalse", "never closed by \\fi"),
    ("\\begin{verbatim}", "\\begin{verbatim} is never closed"),
])
def test_text_hidden_to_the_end_of_the_file_is_an_error(tmp_path: Path, opener: str, says: str) -> None:
    result = tex(tmp_path, f"\\[ a = a \\]\n{opener}\n\\[ a = 2 a \\]\n")
    assert [s.verdict.value for s in result.steps] == ["proved", "error"]
    assert says in result.steps[1].message and result.steps[1].line == 6


# --- LaTeX: verbatim text ------------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "\\lstinline|$$ a = 2a $$|", "\\lstinline[language=TeX]|$$ a = 2a $$|", "\\lstinline{$$ a = 2a $$}",
    "\\mintinline{latex}{$$ a = 2a $$}", "\\mintinline{latex}|$$ a = 2a $$|", "\\Verb|$$ a = 2a $$|",
    "\\verb*|$$ a = 2a $$|",
])
def test_inline_code_is_not_read(tmp_path: Path, code: str) -> None:
    result = tex(tmp_path, f"Code {code} here.\n\\[ a = a \\]\n")
    assert steps(result) == [("proved", "a", "a")]


@pytest.mark.parametrize("env", ["filecontents", "filecontents*", "LVerbatim", "VerbatimOut", "spverbatim"])
def test_verbatim_and_file_writing_environments_are_not_read(tmp_path: Path, env: str) -> None:
    result = tex(tmp_path, f"\\begin{{{env}}}{{x.tex}}\n$$ a = 2a $$\n\\end{{{env}}}\n\\[ a = a \\]\n")
    assert steps(result) == [("proved", "a", "a")]


# --- LaTeX: macros -------------------------------------------------------------------------------

@pytest.mark.parametrize(("definition", "command"), [
    ("\\providecommand{\\exp}{2}", "providecommand"),  # LaTeX keeps \exp: `exp(a) = 2(a)` is shown
    ("\\newcommand{\\det}{b}", "newcommand"),  # LaTeX stops: \det is defined
])
def test_defining_a_latex_command_the_math_uses_is_an_error(tmp_path: Path, definition: str, command: str) -> None:
    result = tex(tmp_path, f"{definition}\n\\[ \\exp(a) = 2(a) \\qquad \\det = b \\]\n")
    assert result.error is not None and result.error_line == 5
    assert f"\\{command} of it keeps LaTeX's meaning" in result.error
    # A LaTeX command the math never uses, and \renewcommand, are read as written.
    ok = tex(tmp_path, "\\providecommand{\\top}{a}\n\\renewcommand{\\det}{b}\n\\[ \\det = b \\]\n")
    assert ok.error is None and steps(ok) == [("proved", "\\det", "b")]


def test_macro_arguments_are_textual_as_in_latex(tmp_path: Path) -> None:
    """``\\p a {b + a}`` is ``a - b + a``: no brackets are added around an argument."""
    body = "\\newcommand{\\p}[2]{#1 - #2}\n\\[ \\p a {b + a} = 2 a - b \\]\n\\[ \\p ab = a - b \\]\n"
    assert steps(tex(tmp_path, body)) == [("proved", "\\p a {b + a}", "2 a - b"), ("proved", "\\p ab", "a - b")]


def test_exponential_macros_are_a_bounded_error(tmp_path: Path) -> None:
    names = ["\\aa"] + [f"\\a{c}" for c in "bcdefghij"]
    body = "\\newcommand{\\aa}{a + a}\n" + "".join(
        f"\\newcommand{{{new}}}{{{old * 4}}}\n" for old, new in zip(names, names[1:]))
    result = tex(tmp_path, body + "\\[ \\aj = a \\]\n")
    assert [s.verdict.value for s in result.steps] == ["error"]
    assert "expands to more than" in result.steps[0].message


# --- LaTeX: \input -------------------------------------------------------------------------------

def test_an_input_file_inside_a_display_joins_it(tmp_path: Path) -> None:
    """A file's last line end opens no empty line: it ended the display (an unclosed-display error)."""
    assert steps(tex(tmp_path, "\\[ a \\input{part} \\]\n", **{"part.tex": "= 2a\n"})) == [("refuted", "a", "2a")]
    rows = tex(tmp_path, "\\begin{align}\n\\input{rows}\n\\end{align}\n", **{"rows.tex": "a &= a \\\\\n &= 2a\n"})
    assert steps(rows) == [("proved", "a", "a"), ("refuted", "a", "2a")]
    assert [(s.line, Path(s.file or "").name) for s in rows.steps] == [(1, "rows.tex"), (2, "rows.tex")]


def test_endinput_ends_its_own_file_only(tmp_path: Path) -> None:
    result = tex(tmp_path, "\\input{part}\n\\[ a = 5a \\]\n",
                 **{"part.tex": "\\[ a = 2a \\]\n\\endinput\n\\[ a = 3a \\]\n"})
    assert steps(result) == [("refuted", "a", "2a"), ("refuted", "a", "5a")]


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../etc/passwd", "~/x"])
def test_input_out_of_the_folder_is_an_error(tmp_path: Path, name: str) -> None:
    result = tex(tmp_path, f"\\input{{{name}}}\n\\[ a = a \\]\n")
    assert [s.verdict.value for s in result.steps] == ["error", "proved"]
    assert "outside the document's folder" in result.steps[0].message


def test_a_cleaned_line_is_as_long_as_the_line() -> None:
    text = "a \\iffalse b \\else c \\fi d \\lstinline|e| % f\n\\iftrue x \\else y\n\\fi z"
    assert [len(c.text) for c in clean_lines(text)] == [len(line) for line in text.split("\n")]
    assert [c.text.split() for c in clean_lines(text)] == [["a", "c", "d"], ["x"], ["z"]]


# --- Notebooks -----------------------------------------------------------------------------------

def _notebook(tmp_path: Path, *cells: tuple[str, str], metadata: dict | None = None) -> deriv.FileResult:
    text = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata or {},
                       "cells": [{"cell_type": kind, "metadata": {}, "source": source} for kind, source in cells]})
    return deriv.check_file(_write(tmp_path, "nb.ipynb", text))


def test_a_comment_left_open_by_a_cell_ends_with_it(tmp_path: Path) -> None:
    """Jupyter renders each cell alone: cell 2's display is shown and must be read."""
    result = _notebook(tmp_path, ("markdown", FRONT + "$$ a = a $$\n<!-- a note"), ("markdown", "$$ a = 2a $$"))
    assert [(s.verdict.value, s.cell) for s in result.steps] == [("proved", (1, 5)), ("refuted", (2, 1))]


def test_an_indented_cell_after_a_list_is_code(tmp_path: Path) -> None:
    """Alone, four spaces make code: joined after a list item it was that item's paragraph."""
    result = _notebook(tmp_path, ("markdown", FRONT + "$$ a = a $$\n\n- an item"), ("markdown", "    $$ a = 2a $$"))
    assert steps(result) == [("proved", "a", "a")]


def test_code_raw_and_outputs_are_never_read(tmp_path: Path) -> None:
    output = {"output_type": "display_data", "metadata": {}, "data": {"text/latex": "$$ a = 2a $$"}}
    result = _notebook(tmp_path, ("markdown", FRONT + "$$ a = a $$"), ("raw", "$$ a = 3a $$"),
                       ("code", "x = '$$ a = 4a $$'"))
    assert steps(result) == [("proved", "a", "a")]
    text = json.loads((tmp_path / "nb.ipynb").read_text())
    text["cells"][2].update(outputs=[output], execution_count=1)
    text["cells"][0]["attachments"] = {"x.png": {"text/markdown": "$$ a = 5a $$"}}
    (tmp_path / "nb.ipynb").write_text(json.dumps(text))
    assert steps(deriv.check_file(tmp_path / "nb.ipynb")) == [("proved", "a", "a")]


def test_a_notebook_without_markdown_cells_says_so(tmp_path: Path) -> None:
    result = _notebook(tmp_path)
    assert result.error is not None and result.error.startswith("notebook (no Markdown cell): no front matter")


# --- Quarto and MyST -----------------------------------------------------------------------------

def _qmd(tmp_path: Path, body: str, name: str = "doc.qmd") -> deriv.FileResult:
    return deriv.check_file(_write(tmp_path, name, FRONT + body))


@pytest.mark.parametrize(("body", "expected"), [
    ("::: {.content-hidden}\n$$ a = 2a $$\n:::\n$$ a = a $$\n", [("proved", "a", "a")]),
    ("::: hidden\n$$ a = 2a $$\n:::\n$$ a = a $$\n", [("proved", "a", "a")]),
    # Nested divs close in order: the hidden one ends at its own :::.
    ("::: {.hidden}\n::: {.callout-note}\n$$ a = 2a $$\n:::\n$$ a = 3a $$\n:::\n$$ a = 4a $$\n",
     [("refuted", "a", "4a")]),
    # ::: in a code block is code; the div ends at the ::: after it.
    ("::: {.content-hidden}\n```\n:::\n```\n$$ a = 2a $$\n:::\n$$ a = 5a $$\n", [("refuted", "a", "5a")]),
    # Hidden in one format only, or shown: some reader sees it.
    ("::: {.content-hidden when-format=\"html\"}\n$$ a = 2a $$\n:::\n", [("refuted", "a", "2a")]),
    ("::: {.content-visible}\n$$ a = 2a $$\n:::\n", [("refuted", "a", "2a")]),
    ("```\n::: {.content-hidden}\n```\n$$ a = 2a $$\n", [("refuted", "a", "2a")]),
])
def test_quarto_divs_it_never_shows_are_not_read(tmp_path: Path, body: str, expected: list) -> None:
    result = _qmd(tmp_path, body)
    assert result.error is None and steps(result) == expected
    assert [s.line for s in result.steps] == [FRONT.count("\n") + body.split("\n").index(
        next(line for line in body.split("\n") if f"= {s.rhs}" in line)) + 1 for s in result.steps]


def test_quarto_code_cells_and_labels(tmp_path: Path) -> None:
    body = "$$ a = a $$ {#eq-one}\n\n```{python}\n#| echo: false\nx = '$$ = 2a $$'\n```\n\n$$ = 2 a - a $$ {#eq-two}\n"
    result = _qmd(tmp_path, body)
    assert [(s.verdict.value, s.label) for s in result.steps] == [("proved", "eq-one"), ("proved", "eq-two")]


def test_nested_and_top_level_declarations_at_once_are_an_error(tmp_path: Path) -> None:
    text = "---\nformat: html\nsymbols:\n  a: scalar\nderiv:\n  symbols:\n    a: vector N\n---\n$$ a = a $$\n"
    for name in ("doc.qmd", "doc.md"):
        result = deriv.check_file(_write(tmp_path, name, text))
        assert result.error is not None and "beside a 'deriv:' key" in result.error


@pytest.mark.parametrize(("body", "expected"), [
    (":::{math}\n:label: one\na = 2a\n:::\n", [("refuted", "a", "2a")]),
    ("::: {math}\na = 2a\n:::\n", [("refuted", "a", "2a")]),
    # In a directive (MyST nests colon fences with more colons), a quote, a list item.
    ("::::{note}\n:::{math}\na = 2a\n:::\n::::\n$$ a = a $$\n", [("refuted", "a", "2a"), ("proved", "a", "a")]),
    ("> :::{math}\n> a = 2a\n> :::\n", [("refuted", "a", "2a")]),
    ("- item\n\n  :::{math}\n  a = 2a\n  :::\n", [("refuted", "a", "2a")]),
    # A chain goes on from one colon fence to the next, as between $$ displays.
    (":::{math}\na + a = 2a\n:::\n\ntext\n\n:::{math}\n= 3a\n:::\n", [("proved", "a + a", "2a"), ("refuted", "2a", "3a")]),
    # In a code block it is code; another colon fence (a Quarto callout) is Markdown whose math is read.
    ("```\n:::{math}\na = 2a\n:::\n```\n$$ a = a $$\n", [("proved", "a", "a")]),
    ("::: {.callout-note}\n$$ a = 2a $$\n:::\n", [("refuted", "a", "2a")]),
    ("::: {.content-hidden}\n:::{math}\na = 2a\n:::\n:::\n$$ a = a $$\n", [("proved", "a", "a")]),
])
def test_myst_colon_fence_math_is_read(tmp_path: Path, body: str, expected: list[tuple[str, str, str]]) -> None:
    """MyST's ``:::{math}`` was silently unchecked (CommonMark reads it as a paragraph)."""
    name = "doc.qmd" if "content-hidden" in body else "doc.md"
    assert steps(_qmd(tmp_path, body, name)) == expected


def test_an_unclosed_colon_fence_of_math_is_an_error(tmp_path: Path) -> None:
    result = _qmd(tmp_path, ":::{math}\na = 2a\n\nsome text\n", "doc.md")
    assert [s.verdict.value for s in result.steps] == ["error"] and "unclosed :::{math} fence" in result.steps[0].message


def test_a_starred_row_end_ends_the_row(tmp_path: Path) -> None:
    """``\\\\*`` (a row end with no page break) was read as a ``*`` opening the next row (an error)."""
    body = "\\begin{align}\na + a &= 2 a \\\\*\n&= 3 a - a \\\\*[2pt]\n&= a \\\\[-1ex]\n&= 2 a\n\\end{align}\n"
    assert [(s.verdict.value, s.line) for s in tex(tmp_path, body).steps] == [
        ("proved", 6), ("proved", 7), ("refuted", 8), ("refuted", 9)]


def test_a_first_cell_opening_with_a_longer_rule_is_no_front_matter(tmp_path: Path) -> None:
    """``----`` is a thematic break: beside metadata declarations it is no second declaration."""
    result = _notebook(tmp_path, ("markdown", "----\n\n$$ a = 2a $$"), metadata={"deriv": {"symbols": {"a": "scalar"}}})
    assert result.error is None and steps(result) == [("refuted", "a", "2a")]


@pytest.mark.parametrize("command", ["\\intertext", "\\shortintertext"])
def test_intertext_is_text_between_two_rows(tmp_path: Path, command: str) -> None:
    """It was an error (an unknown command in the row after it); its text is no part of a row."""
    body = (f"\\begin{{align}}\na + b &= b + a \\\\\n{command}{{and so, by {{commutativity}}, $a = 2a$}}\n"
            "&= 2 a + b - a \\\\ a &= a \\intertext{then} a b &= b a\n\\end{align}\n")
    assert [(s.verdict.value, s.lhs, s.rhs, s.line) for s in tex(tmp_path, body).steps] == [
        ("proved", "a + b", "b + a", 6), ("proved", "b + a", "2 a + b - a", 8), ("proved", "a", "a", 8),
        ("proved", "a b", "b a", 8)]


def test_many_conditionals_on_one_line_cost_linear_time() -> None:
    """Each \\if looked back over its whole line for a \\newif before it: 40,000 took a minute."""
    import time

    start = time.perf_counter()
    clean_lines("\\ifx " * 40_000 + "\n" + "\\iffalse " + "\\ifx{} " * 40_000)
    assert time.perf_counter() - start < 10


def test_an_environment_the_comment_package_excludes_is_not_read(tmp_path: Path) -> None:
    """``\\excludecomment{solution}``: the solutions are not typeset; a macro renewed there is not renewed."""
    body = ("\\excludecomment{solution}\n\\newcommand{\\x}{a}\n\\begin{solution}\n\\renewcommand{\\x}{b}\n"
            "\\[ a = 2 a \\]\n\\end{solution}\n\\[ \\x = b \\]\n\\begin{proof}\n\\[ a + a = 2 a \\]\n\\end{proof}\n")
    assert steps(tex(tmp_path, body)) == [("refuted", "\\x", "b"), ("proved", "a + a", "2 a")]


def test_an_excluded_environment_in_an_input_file_is_not_read(tmp_path: Path) -> None:
    result = tex(tmp_path, "\\excludecomment{solution}\n\\input{sol}\n\\[ a = a \\]\n",
                 **{"sol.tex": "\\begin{solution}\n\\[ a = 2 a \\]\n\\end{solution}\n"})
    assert steps(result) == [("proved", "a", "a")]


def test_the_math_environment_is_inline_math(tmp_path: Path) -> None:
    """LaTeX's ``math`` environment is ``\\(...\\)``: prose, never a step nor a chain's member."""
    body = ("We know \\begin{math} a = 2 a \\end{math} is false.\n\\[ a + b = b + a \\]\n"
            "Since \\begin{math}= 2a\\end{math} we are done.\n")
    assert steps(tex(tmp_path, body)) == [("proved", "a + b", "b + a")]


@pytest.mark.parametrize("definitions", [
    "\\newcommand{\\be}{\\begin{equation}}\n\\newcommand{\\ee}{\\end{equation}}\n",
    "\\def\\be{\\begin{align}}\n\\def\\ee{\\end{align}}\n",
    "\\let\\be\\equation\n\\let\\ee\\endequation\n",
    "\\newcommand*{\\be}{\\[}\n\\newcommand*{\\ee}{\\]}\n",
])
def test_a_display_written_through_a_macro_is_an_error_not_unread(tmp_path: Path, definitions: str) -> None:
    """``\\be a = 2 a \\ee`` typesets a display that deriv would not find: it was silently unread."""
    result = tex(tmp_path, definitions + "\\be a = 2 a \\ee\n\\[ a = a \\]\n")
    assert result.error is not None and result.error_line == 5
    assert result.error.startswith("\\be opens or closes a display")


def test_a_macro_with_a_display_inside_that_is_never_used_is_fine(tmp_path: Path) -> None:
    result = tex(tmp_path, "\\newcommand{\\be}{\\begin{equation}}\n\\[ a = a \\]\n")
    assert result.error is None and steps(result) == [("proved", "a", "a")]


@pytest.mark.parametrize("definition", ["\\let\\hide\\iffalse", "\\let\\hide=\\iffalse", "\\newcommand{\\hide}{\\iffalse}",
                                        "\\def\\hide{\\iffalse}"])
def test_a_conditional_a_macro_is_defined_to_be_hides_nothing_where_it_is_defined(tmp_path: Path, definition: str) -> None:
    """It hid every display from the definition to the next \\fi; where \\hide is used, deriv
    does not follow it, so the text after it is read (more is checked, nothing visible is lost)."""
    result = tex(tmp_path, f"{definition}\n\\[ a = 2 a \\]\n\\hide\n\\[ a = 3 a \\]\n\\fi\n\\[ a = a \\]\n")
    assert steps(result) == [("refuted", "a", "2 a"), ("refuted", "a", "3 a"), ("proved", "a", "a")]

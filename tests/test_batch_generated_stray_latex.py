"""Stray LaTeX, Unicode and invisible characters beside or inside a generated text's math
(docs/library.md, "Generated derivations in bulk"): every step a reader sees is checked or an
error, never unread, and a true step written with Unicode symbols is read, not an error.

Each false case below earned 1.0 before (the step was prose: unread); each true case written
with Unicode or a renderer's line break was an ``error`` (0.0)."""

from __future__ import annotations

import pytest

import deriv
from deriv.read.generated_latex import breaks_rows, normalized, plain_relations

SYMBOLS = {"A": "matrix N x N", "B": "matrix N x N", "x": "vector N", "a": "scalar", "b": "scalar"}
CHAIN = "$$ a + a = 2a $$\n\n"


def verdicts(text: str) -> list[str]:
    [item] = deriv.check_many([{"id": 0, "text": text}], symbols=SYMBOLS)
    assert item.error is None
    return [s.verdict.value for s in item.steps]


@pytest.mark.parametrize("line", [
    "$a = 3a$ \\", "$a = 3a$ \\\\", "$a = 3a$ \\quad", "$a = 3a$ \\tag{2}", "$a = 3a$ &", "$a = 3a$\u200b",
    "\u200b$a = 3a$", "$a = 3a$ (3)", "$a = 3a$ \\hfill (3)", "$a = 3a$ \u2014", "$a = 3a$ \u2705",
    "\u2705 $a = 3a$", "$a = 3a$ \u2714\ufe0f", "\\noindent $a = 3a$", "$a = 3a$ \U0001f389", "**1.** $a = 3a$",
    "$a = 3a$\u00a0\u00a0", "$a = 3a$ \\,", "So, $a = 3a$.", "Thus $a = 3a$.", "Therefore, $a = 3a$.",
    "We have $a = 3a$.", "Note that $a = 3a$.", "This gives $a = 3a$.", "- Hence $a = 3a$.",
    "We are done. Therefore $a = 3a$.", "Then $a = 3a$, as required.", "$a = 3a$ $\\checkmark$",
    "This proves that $a = 3a$.", "We have shown that $a = 3a$.", "We arrive at $a = 3a$.", "We can verify that $a = 3a$.",
])
def test_math_alone_on_its_line_beside_stray_marks_is_a_step(line: str) -> None:
    assert verdicts(f"{CHAIN}{line}\n") == ["proved", "refuted"]
    assert verdicts(f"{CHAIN}{line.replace('3a', 'a')}\n") == ["proved", "proved"]


@pytest.mark.parametrize("line", [
    "$a = 3a$?", "$a = 3a$ \u274c", "$a = 3a$ \u2717", "~~$a = 3a$~~", "So $b = 0$ is a root.",
    "Suppose $a = 3a$.", "If $a = 3a$, then $a = 0$.", "Therefore, $a = 3a$ only when $a = 0$.",
])
def test_math_that_is_denied_asked_or_qualified_stays_prose(line: str) -> None:
    assert verdicts(f"{CHAIN}{line}\n") == ["proved"]


def test_a_trailing_backslash_hides_no_math_at_a_paragraphs_start() -> None:
    """mdit-py-plugins took a `$` opening a paragraph for escaped by a `\\` ending it (it looked at
    position -1): the math was text, in documents too."""
    assert verdicts("$a = 3a$ \\\n") == ["refuted"]
    assert verdicts("$a = 3a$ b \\\n") == []  # in a sentence: prose, but read as math


@pytest.mark.parametrize(("text", "expected"), [
    ("$$ a \u2212 a = 0 $$", ["proved"]), ("$$ a \u00d7 b = a b $$", ["proved"]), ("$$ a \u00b7 b = b a $$", ["proved"]),
    ("$$ a\u00b2 = a a $$", ["proved"]), ("$$ a\u00b2 = 2a $$", ["refuted"]), ("$$ a\u200b + a = 2a $$", ["proved"]),
    ("$$ \uff41 + a = 3a $$", ["refuted"]), ("$$ (AB)\u1d40 = B\u1d40A\u1d40 $$", ["proved"]),
    ("$$ (AB)\u1d40 = A\u1d40B\u1d40 $$", ["refuted"]), ("$$ a\u00b2 \u2264 a\u00b2 + b\u00b2 $$", ["proved"]),
    ("$$ a + a \u2260 2a $$", ["refuted"]), ("$$ a + a \\\\ = 2a $$", ["proved"]), ("$$ a + a = 2a \\\\ $$", ["proved"]),
    ("$$ a + a \\\\ = 3a $$", ["refuted"]), ("\\[ a + a \\\\ = 2a \\\\ = 3a \\]", ["proved", "refuted"]),
    ("$$ a + a \\overset{(1)}{=} 3a $$", ["refuted"]), ("$$ a + a \\stackrel{\\text{def}}{=} 2a $$", ["proved"]),
    ("$$ a + a \\mathrel{=} 3a $$", ["refuted"]),
    # What a renderer shows as no symbol: a TeX comment, \\phantom, \\hspace, a color.
    ("$$ a + a = 2a % = 3a $$", ["proved"]), ("$$ a + a % = x\n= 3a $$", ["refuted"]),
    ("$$ a + a = \\textcolor{red}{3 a} $$", ["refuted"]), ("$$ a + a = {\\color{red} 2 a} $$", ["proved"]),
    ("$$ a + a = \\phantom{x}2 a \\hspace{1cm} $$", ["proved"]), ("$$ a = 50\\% a $$", ["error"]),
    # A note that states a relation is a claim: left an error, never dropped.
    ("$$ a + a \\overset{a = 3a}{=} 2a $$", ["error"]),
    # Equality written otherwise is equality: `:=`, `\\coloneqq`, `\\equiv` (not modular: an error).
    ("$$ a + a := 3a $$", ["refuted"]), ("$$ a + a \\equiv 2a $$", ["proved"]), ("$$ a + a \u2261 3a $$", ["refuted"]),
    ("$$ a + a \\coloneqq 2a $$", ["proved"]), ("$$ a \\equiv b \\pmod{2} $$", ["error"]),
    # \\approx is no equality: an error, never 1.0 (docs/library.md).
    ("$$ a + a \u2248 2a $$", ["error"]), ("$$ a + a \\approx 2a $$", ["error"]),
    # A line break inside a matrix is its row, not the display's.
    ("$$ \\begin{pmatrix} a \\\\ b \\end{pmatrix}^T = \\begin{pmatrix} a & b \\end{pmatrix} $$", ["proved"]),
])
def test_unicode_and_line_breaks_in_a_display_are_read_as_shown(text: str, expected: list[str]) -> None:
    assert verdicts(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("which is $$ 3a $$", ["proved", "refuted"]), ("which is $$ 2a $$", ["proved", "proved"]),
    ("so we get $$ 3a $$", ["proved", "refuted"]), ("so we get $3a$.", ["proved", "refuted"]),
    ("The gradient is $$ 3a $$", ["proved"]),  # a new quantity may be named: the documented trade-off
])
def test_a_display_joined_by_words_to_the_one_before_continues_it(text: str, expected: list[str]) -> None:
    assert verdicts(f"{CHAIN}{text}\n") == expected


def test_the_readings_map_what_is_shown() -> None:
    assert normalized("a\u2212b\u00b2\u200b") == "a-b^{2}"
    assert normalized("x \u2264 y") == "x  \\le  y"
    assert breaks_rows("a \\\\ = b") and not breaks_rows("\\begin{pmatrix} a \\\\ b \\end{pmatrix}")
    assert not breaks_rows("\\frac{a}{b}")
    assert plain_relations("a \\overset{(1)}{=} b") == "a  =  b"


@pytest.mark.parametrize(("answer", "expected"), [
    # A grader's answer formats: GSM8K's `#### E` and an `<answer>` tag, with or without math.
    ("#### 3a", ["proved", "refuted"]), ("#### $3a$", ["proved", "refuted"]), ("#### 2a", ["proved", "proved"]),
    ("#### \\frac{6a}{2}", ["proved", "refuted"]), ("<answer>3a</answer>", ["proved", "refuted"]),
    ("<answer>$3a$</answer>", ["proved", "refuted"]), ("<answer>2a</answer>", ["proved", "proved"]),
    ("<answer>\n$$ 3a $$\n</answer>", ["proved", "refuted"]), ("<answer>\\boxed{3a}</answer>", ["proved", "refuted"]),
    ("<answer>three a</answer>", ["proved", "error"]),  # the answer channel in words: not read, an error
    ("#### Step 2", ["proved"]),  # a heading in words
    ("```\n#### 3a\n```", ["proved"]),  # code
])
def test_a_graders_answer_format_is_an_answer(answer: str, expected: list[str]) -> None:
    assert verdicts(f"{CHAIN}{answer}\n") == expected


@pytest.mark.parametrize(("text", "expected"), [
    # \therefore opening a row states what follows; \implies between relations joins two claims.
    ("$\\therefore a = 3a$", ["proved", "refuted"]), ("$$ \\therefore a + a = 2a $$", ["proved", "proved"]),
    ("$$ a = 2a \\implies a = 3a $$", ["proved", "refuted", "refuted"]),
    ("$$ a + a = 2a \\Rightarrow 2a - a = a $$", ["proved", "proved", "proved"]),
    ("$$ a + a = 2a \\implies 2a = 3a $$", ["proved", "proved", "refuted"]),
    ("$$ \\begin{aligned} a + a &= 2a \\\\ \\implies a &= 3a \\end{aligned} $$", ["proved", "proved", "refuted"]),
])
def test_consequence_arrows_join_claims_each_checked(text: str, expected: list[str]) -> None:
    assert verdicts(f"{CHAIN}{text}\n") == expected


def test_a_statement_with_an_implication_is_still_a_statement() -> None:
    assert verdicts("$$ A \\succeq 0 \\implies \\lambda(A) > 0 $$") == ["refuted"]


@pytest.mark.parametrize(("text", "expected"), [
    # A ```math fence's line that opens with `=` is math, not prose left unrendered (it was an error).
    ("```math\n= 2a\n```", ["proved", "proved"]), ("```math\n= 3a\n```", ["proved", "refuted"]),
    # A sentence opening with "which equals" gives the chain's value, also a paragraph after the display.
    ("Next:\n\nwhich equals $3a$.", ["proved", "refuted"]), ("Next:\n\nwhich equals $2a$.", ["proved", "proved"]),
    # Words before a display that states relations of its own: its rows are a chain of their own.
    ("So we get:\n\n$$ (A B)^T \\\\ = B^T A^T $$", ["proved", "proved"]),
])
def test_continuations_a_reader_sees_are_read(text: str, expected: list[str]) -> None:
    assert verdicts(f"{CHAIN}{text}\n") == expected


GRADIENT = "$$ \\frac{\\partial}{\\partial x} x^T A x = (A + A^T) x $$\n\n"


@pytest.mark.parametrize(("answer", "expected"), [
    # The cue on the line before math opening a list item or quote of its own.
    ("Final answer\n\n- $2Ax$", ["proved", "refuted"]), ("## Final Answer\n> $2Ax$", ["proved", "refuted"]),
    ("Final answer:\n1. $2Ax$", ["proved", "refuted"]), ("**Answer:**\n\n- $(A + A^T)x$", ["proved", "proved"]),
    ("Steps\n\n- $2Ax$", ["proved"]),  # no cue: a relation-free line is no step
    # A named answer that gives a new name its value is checked against the chain it ends.
    ("**Answer:** $g = 2Ax$", ["proved", "refuted"]), ("**Answer:** $$ g = 2Ax $$", ["proved", "refuted"]),
    ("**Answer:** $g = (A + A^T)x$", ["proved", "proved"]),
])
def test_an_answer_named_on_the_line_before_is_checked(answer: str, expected: list[str]) -> None:
    assert verdicts(f"{GRADIENT}{answer}\n") == expected


@pytest.mark.parametrize(("line", "expected"), [
    # An equation written without math delimiters is an equation a reader sees: read as math.
    ("a + a = 3a", ["proved", "refuted"]), ("- a + a = 3a.", ["proved", "refuted"]),
    ("Step 2: a + a = 3a", ["proved", "refuted"]), ("a + a = 2a", ["proved", "proved"]),
    ("(AB)\u1d40 = A\u1d40B\u1d40", ["proved", "refuted"]), ("(AB)\u1d40 = B\u1d40A\u1d40", ["proved", "proved"]),
    ("> a = 3a", ["proved", "refuted"]), ("a \u2264 a + a\u00b2", ["proved", "proved"]),
    # ... not a sentence, a hypothesis, code or HTML.
    ("Let n = 5 be the size.", ["proved"]), ("Assume: a = 3a", ["proved"]), ("Given: A = A^T", ["proved"]),
    ("We set a = 3a here.", ["proved"]), ("<div class=\"x\">hi</div>", ["proved"]), ("x == y", ["proved"]),
    ("```\na = 3a\n```", ["proved"]), ("<!-- a = 3a -->", ["proved"]),
    # ... nor what LaTeX would misread: operator names in letters, lists and matrices in brackets.
    ("tr(AB) = tr(BA)", ["proved"]), ("exp(0) = 1", ["proved"]), ("A = [[1, 2], [3, 4]]", ["proved"]),
    ("x = (1, 2)^T", ["proved"]), ("\\operatorname{tr}(A B) = \\operatorname{tr}(A^T B)", ["proved", "refuted"]),
    # Math as a link's text or in a footnote is alone on its line.
    ("[$a = 3a$](http://x)", ["proved", "refuted"]), ("Note[^1]\n\n[^1]: $a = 3a$", ["proved", "refuted"]),
    # MathML a renderer draws is not read: an error, never unread.
    ("<math><mi>a</mi><mo>=</mo><mn>3</mn><mi>a</mi></math>", ["proved", "error"]),
])
def test_an_equation_shown_without_latex_is_read_or_an_error(line: str, expected: list[str]) -> None:
    assert verdicts(f"{CHAIN}{line}\n") == expected


def test_plain_equations_are_found_in_linear_time() -> None:
    import time

    from deriv.read.generated_math import plain_equations
    from deriv.read.markdown_math import MarkdownMath

    started = time.perf_counter()
    plain_equations(("a=" + " ." * 199 + "\n") * 5000 + ("- " * 5 + "x" * 300 + "=y\n") * 5000, 0, MarkdownMath())
    assert time.perf_counter() - started < 2.0

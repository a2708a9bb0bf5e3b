"""Meaning, no misreading (docs/format.md): what deriv does not understand is an error, never dropped or glued.

A name, a number or a display that deriv does not understand is an
``error`` naming it -- never dropped, glued or skipped so that both
deciders agree on the wrong thing.  Every case states the exact verdicts of
the whole document, in order.
"""

from __future__ import annotations

import pytest
from helpers import front_matter, verdicts_with_messages

import deriv
from deriv.results import Verdict

PROVED, REFUTED, ERROR = Verdict.PROVED, Verdict.REFUTED, Verdict.ERROR

SYMBOLS = {
    "U": "matrix N x N", "V": "matrix N x N", "z": "vector N", "X": "matrix N x M",
    "W": "matrix N x M", "y": "scalar", "x": "scalar", "g": "function",
    "h": "elementwise function", "A": "matrix N x N", "B": "matrix N x N",
}


def document(body: str, symbols: dict[str, str] | None = None) -> str:
    return front_matter(SYMBOLS if symbols is None else symbols) + body + "\n"


def verdicts(body: str, symbols: dict[str, str] | None = None) -> list[tuple[Verdict, str | None]]:
    return verdicts_with_messages(document(body, symbols))


def assert_verdicts(body: str, expected: list[Verdict], fragment: str | None = None,
                    symbols: dict[str, str] | None = None) -> None:
    seen = verdicts(body, symbols)
    assert [v for v, _ in seen] == expected, seen
    if fragment is not None:
        assert any(fragment in m for _, m in seen), seen


# -- nothing is dropped silently ------------------------------------------------
NAMES = [
    # a known operator spelled in text or roman type is that operator
    (r"$$ \text{tr}(U V) = \text{tr}(U)\,\text{tr}(V) $$", [REFUTED], None),
    (r"$$ \text{tr}(U V) = \text{tr}(V U) $$", [PROVED], None),
    (r"$$ \mathrm{Tr}(U V) = \operatorname{Tr}(V U) $$", [PROVED], None),
    (r"$$ \operatorname{tr}(U + V) = \mathrm{tr}(U) + \textrm{tr}(V) $$", [PROVED], None),
    (r"$$ \text{exp}(x) \text{exp}(y) = \exp(x + y) $$", [PROVED], None),
    # a declared single-letter function spelled in text or roman type is that function
    (r"$$ \text{g}(U) = g(U) $$", [PROVED], None),
    (r"$$ \operatorname{g}(U) = g(V) $$", [REFUTED], None),
    (r"$$ \text{h}(U)_{i,j} = h(U_{i,j}) $$", [PROVED], None),
    # the functions every ML text uses are known by name, never the identity
    (r"$$ \text{softmax}(z)_i = z_i $$", [REFUTED], None),
    (r"$$ \text{softmax}(z)_i = \frac{\exp(z_i)}{\sum_j \exp(z_j)} $$", [PROVED], None),
    (r"$$ \operatorname{ReLU}(A) = A $$", [REFUTED], None),
    (r"$$ \mathrm{relu}\left(A\right) = A $$", [REFUTED], None),
    # unknown names are errors naming them, never the identity
    (r"$$ \mathsf{sigm}(x) = x $$", [ERROR], "unknown function name 'sigm'"),
    (r"$$ A = \mathbf{vec}(z) $$", [ERROR], "unknown function name 'vec'"),
    (r"$$ \mathrm{lr} \, x = x $$", [ERROR], "unknown name 'lr'"),
    # words inside a member are not a justification: an error naming them
    (r"$$ x = x \text{ by (2)} $$", [ERROR], r"\text{by (2)} inside the math"),
    (r"$$ x = 2 \text{ units} $$", [ERROR], r"\text{units} inside the math"),
    (r"$$ x + \text{something} y = x + y $$", [ERROR], r"\text{something} inside the math"),
    (r"$$ x = \mbox{half} x $$", [ERROR], r"\mbox{half} inside the math"),
    # ... and unknown commands stay errors
    (r"$$ x = \foo x $$", [ERROR], r"unknown command \foo"),
    # decoration is still ignored; a justification after \quad still is one
    (r"$$ \displaystyle \left( x \right) = x \, \quad \text{trivially} $$", [PROVED], None),
    (r"$$ \underbrace{x + x}_{\text{twice}} = 2 x $$", [PROVED], None),
    (r"$$ x \text{ } = x $$", [PROVED], None),
]


@pytest.mark.parametrize("body, expected, fragment", NAMES)
def test_names_are_understood_or_errors(body: str, expected: list[Verdict], fragment: str | None) -> None:
    assert_verdicts(body, expected, fragment)


# -- numbers ------------------------------------------------------------------
NUMBERS = [
    (r"$$ 1\,000 = 1000 $$", [PROVED], None),
    (r"$$ 1\,000 = 100 \cdot 100 $$", [REFUTED], None),
    (r"$$ 12\,345\,678 = 12345678 $$", [PROVED], None),
    (r"$$ 4\,000.25 \, x = 4000 x + x / 4 $$", [PROVED], None),
    (r"$$ 2 3 = 6 $$", [ERROR], "two numbers side by side (2 3)"),
    (r"$$ x = 7 \; 8 x $$", [ERROR], "two numbers side by side (7 8)"),
    (r"$$ 1~000 = 1000 $$", [ERROR], "two numbers side by side"),
    (r"$$ 2\,3 = 6 $$", [ERROR], "not groups of three"),
    (r"$$ 1000\,000 = 1000000 $$", [ERROR], "not groups of three"),
    (r"$$ 1\,00 = 100 $$", [ERROR], "not groups of three"),
    (r"$$ 1\,0000 = 10000 $$", [ERROR], "not groups of three"),
    (r"$$ 2 \cdot 3 = 6 $$", [PROVED], None),
    (r"$$ 2 \times 3 = 5 $$", [REFUTED], None),
    (r"$$ 2 \, x = x + x $$", [PROVED], None),
    (r"$$ 1.5 = 3/2 $$", [PROVED], None),
    (r"$$ 1.5 = 1.05 $$", [REFUTED], None),
    (r"$$ .5 = 1/2 $$", [ERROR], "write 0.5"),
    (r"$$ x + 1. = x + 1 $$", [ERROR], "unexpected character '.'"),
    (r"$$ 1.5.2 = 1 $$", [ERROR], "unexpected character '.'"),
    (r"$$ x + x = 2 x. $$", [PROVED], None),  # a full stop ending the display
]


@pytest.mark.parametrize("body, expected, fragment", NUMBERS)
def test_numbers_are_one_number_or_errors(body: str, expected: list[Verdict], fragment: str | None) -> None:
    assert_verdicts(body, expected, fragment)


# -- text between equations: two claims in one display are an error (or two results) --
TWO_CLAIMS = [
    (r"$$ x = x \qquad \text{or} \; y \leq y $$", "two claims joined by \\text{or}"),
    (r"$$ x = x \quad \textrm{hence} \quad y = 2 y $$", "two claims joined by \\text{hence}"),
    (r"$$ 0 = 0 \quad y = 0 $$", "two claims separated by \\quad"),  # never 0 = 0 y = 0; y = 0 may be a condition
    (r"$$ x = x,\ y = 2 y $$", "two claims separated by ','"),
    (r"$$ x = x, y = 2 y $$", "two claims separated by ','"),
    (r"$$ x = x; y = 2 y $$", "';' inside a display"),
]


#: Several results in one display (docs/format.md): each checked as its own chain.
SEVERAL_RESULTS = [
    (r"$$ y = 2x \quad\text{and}\quad y = x + x $$", [REFUTED, REFUTED]),
    (r"$$ y = 2y \quad \text{and} \quad y = y + y $$", [REFUTED, REFUTED]),
    (r"$$ x = x \text{ and } y = 2 y $$", [PROVED, REFUTED]),
    (r"$$ x = x, \quad y = 2 y $$", [PROVED, REFUTED]),
]


@pytest.mark.parametrize("body, expected", SEVERAL_RESULTS)
def test_several_results_in_one_display_are_each_checked(body: str, expected: list[Verdict]) -> None:
    assert_verdicts(body, expected)


@pytest.mark.parametrize("body, fragment", TWO_CLAIMS)
def test_two_claims_in_one_display_are_an_error(body: str, fragment: str) -> None:
    assert_verdicts(body, [ERROR], fragment)


def test_each_claim_in_its_own_display_is_checked() -> None:
    body = "$$ y = 2y $$\n\nand\n\n$$ y = y + y $$\n\n$$ x = x \\quad \\text{and so on} $$"
    assert_verdicts(body, [REFUTED, REFUTED, PROVED])


def test_justification_after_quad_is_still_one() -> None:
    # the seed's justifications: words, then a relation, after \quad
    body = (r"$$ x = x \qquad \delta_{k,n} = 1 \text{ iff } k = n $$" "\n\n"
            r"$$ y = y \quad \text{due to } B_{i,j} = b_j $$" "\n\n"
            r"$$ x + x = 2 x \quad \text{and} $$")
    assert_verdicts(body, [PROVED, PROVED, PROVED])


# -- free-index order is positional -------------------------------------------------
RECT_PAIR = {"X": "matrix S x M", "W": "matrix N x M"}
SQ_PAIR = {"A": "matrix N x N", "B": "matrix N x N"}
ORDER = [
    (r"\sum_k X_{i,k} W^T_{k,j} = X W^T", RECT_PAIR, PROVED),
    (r"\sum_k X_{i,k} W_{j,k} = X W^T", RECT_PAIR, PROVED),
    (r"\sum_k X_{i,k} W^T_{k,j} = (X W^T)^T", RECT_PAIR, ERROR),  # S x N against N x S
    (r"\sum_k X_{n,k} W_{m,k} = X W^T", RECT_PAIR, PROVED),
    (r"\sum_k X_{n,k} W_{m,k} = W X^T", RECT_PAIR, ERROR),
    (r"\sum_k A_{i,k} B_{k,j} = A B", SQ_PAIR, PROVED),
    (r"\sum_k A_{i,k} B_{k,j} = (A B)^T", SQ_PAIR, REFUTED),
    (r"\sum_k A_{n,k} B_{k,m} = A B", SQ_PAIR, PROVED),
    (r"\sum_k A_{n,k} B_{k,m} = (A B)^T", SQ_PAIR, REFUTED),
    (r"\sum_k A_{j,k} B_{k,i} = A B", SQ_PAIR, PROVED),
    (r"\sum_k A_{j,k} B_{k,i} = B^T A^T", SQ_PAIR, REFUTED),
    (r"\sum_c A_{b,c} B_{c,a} = A B", SQ_PAIR, PROVED),
    (r"\sum_c A_{b,c} B_{c,a} = B^T A^T", SQ_PAIR, REFUTED),
    # the first index written is the row, wherever it sits
    (r"\sum_k B_{k,j} A_{i,k} = B^T A^T", SQ_PAIR, PROVED),
    # the order a first member fixes explicitly still wins
    (r"[A B]_{j,i} = A B", SQ_PAIR, PROVED),
    (r"[A B]_{j,i} = B^T A^T", SQ_PAIR, REFUTED),
]


@pytest.mark.parametrize("equation, symbols, expected", ORDER)
def test_matrix_member_means_the_entry_at_the_written_indices(equation: str, symbols: dict[str, str],
                                                               expected: Verdict) -> None:
    seen = verdicts(f"$$ {equation} $$", symbols)
    assert {v for v, _ in seen} == {expected}, seen


# -- every display is found ----------------------------------------------------------
ENVIRONMENTS = [
    ("\\begin{multline} y = 2 y \\end{multline}", [REFUTED], None),
    ("\\begin{multline*}\nx + x \\\\\n= 2 x\n\\end{multline*}", [PROVED], None),
    ("\\begin{multline}\nx + \\\\\nx = 3 x\n\\end{multline}", [REFUTED], None),
    ("\\begin{alignat}{2}\nx &= x + 0 \\\\\n  &= 2 x\n\\end{alignat}", [PROVED, REFUTED], None),
    ("\\begin{alignat*}{3} y &= y \\\\ y &= 0 \\end{alignat*}", [PROVED, REFUTED], None),
    ("\\begin{flalign}\ny &= y \\\\\n&= 3 y\n\\end{flalign}", [PROVED, REFUTED], None),
    ("\\begin{flalign*} y &= 3 y \\end{flalign*}", [REFUTED], None),
    ("\\begin{gather} x = x \\\\ y = 0 \\end{gather}", [PROVED, REFUTED], None),
    ("\\begin{gather*} y = 0 \\end{gather*}", [REFUTED], None),
    ("\\begin{align} y = 0 \\end{align}", [REFUTED], None),
    ("\\begin{align*} y &= 0 \\end{align*}", [REFUTED], None),
    ("\\begin{equation} y = 0 \\end{equation}", [REFUTED], None),
    ("\\begin{equation*} y = 0 \\end{equation*}", [REFUTED], None),
    ("\\begin{eqnarray} y &=& 0 \\end{eqnarray}", [REFUTED], None),
    ("\\begin{eqnarray*} y &=& y \\\\ &=& 0 \\end{eqnarray*}", [PROVED, REFUTED], None),
    ("\\begin{math} y = 0 \\end{math}", [REFUTED], None),
    ("\\begin{displaymath} y = 0 \\end{displaymath}", [REFUTED], None),
    ("\\[ y = 0 \\]", [REFUTED], None),
    ("$$\ny\n= 0\n$$", [REFUTED], None),
    ("$$ \\begin{aligned} y &= y \\\\ &= 0 \\end{aligned} $$", [PROVED, REFUTED], None),
    ("$$ \\begin{alignedat}{2} y &= 0 \\end{alignedat} $$", [REFUTED], None),
    ("$$ \\begin{gathered} y = 0 \\end{gathered} $$", [REFUTED], None),
    ("\\begin{equation}\\begin{split} y &= y \\\\ &= 0 \\end{split}\\end{equation}", [PROVED, REFUTED], None),
    # not supported: an error naming the environment, never skipped
    ("\\begin{dmath} y = 0 \\end{dmath}", [ERROR], "display environment dmath is not supported"),
    ("\\begin{IEEEeqnarray*}{rCl} y &=& 0 \\end{IEEEeqnarray*}", [ERROR],
     "display environment IEEEeqnarray* is not supported"),
    ("$$ \\begin{foo} y = 0 \\end{foo} $$", [ERROR], "environment foo is not supported inside display math"),
    ("$$ y = \\begin{cases} 0 \\end{cases} $$", [ERROR], "environment cases is not supported"),
]


@pytest.mark.parametrize("body, expected, fragment", ENVIRONMENTS)
def test_every_display_environment_is_checked_or_an_error(body: str, expected: list[Verdict],
                                                          fragment: str | None) -> None:
    assert_verdicts(body, expected, fragment)


def test_a_wrong_equation_in_an_unsupported_environment_fails_the_run() -> None:
    text = document("Text.\n\n\\begin{dmath}\ny = 2 y\n\\end{dmath}")
    result = deriv.check_text(text)
    (step,) = result.steps
    line = text.split("\n").index("\\begin{dmath}") + 1
    assert (step.verdict, step.line) == (ERROR, line)

"""Engine, explicit matrices: matrix literals and numeric sizes (docs/format.md, docs/deciding.md).

``\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}`` (and bmatrix, Bmatrix,
matrix) is a matrix of numeric shape whose cells are scalar expressions;
``vector 2`` and ``matrix N x 2`` declare numeric sizes.  With numeric sizes
``proved`` holds for those sizes as written (and every value of the named
ones), which the verdict's message says.  A wrong entry is refuted at that
entry; a ragged literal, a shape mismatch, an entry past a numeric size, a
cell that is not a scalar and a ``vmatrix`` (a determinant) of a literal that is
not square are errors (tests/test_meaning_whole_numbers.py has the determinants).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.latex.lexer import LexError, tokenize
from deriv.latex.parser import parse_display
from deriv.latex.render import render
from deriv.read.kinds import parse_kind

SYMBOLS = """  x: scalar
  y: scalar
  a: scalar
  v: vector 2
  u: vector 3
  w: vector N
  A: matrix 2 x 2
  S: symmetric 2 x 2
  B: matrix N x 2
  C: matrix 2 x M
  G: matrix 2 x 3"""

NUMERIC = "a numeric size is that size only"


def steps(*displays: str, symbols: str = SYMBOLS):
    text = f"---\nsymbols:\n{symbols}\n---\n\n" + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return result.steps


def single(display: str, symbols: str = SYMBOLS):
    (step,) = steps(display, symbols=symbols)
    return str(step.verdict), step


def pm(*rows: tuple) -> str:
    """A pmatrix literal of the given rows."""
    return r"\begin{pmatrix}" + r" \\ ".join(" & ".join(map(str, row)) for row in rows) + r"\end{pmatrix}"


# -- reading --------------------------------------------------------------------------

def test_cells_and_rows_are_tokens_only_inside_a_literal() -> None:
    kinds = [t.type for t in tokenize(r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}")]
    assert kinds == ["MATBEGIN", "LETTER", "AMP", "LETTER", "ROWSEP", "LETTER", "AMP", "LETTER", "MATEND"]
    assert [t.type for t in tokenize("a & b")] == ["LETTER", "LETTER"]  # & outside: spacing, as before
    with pytest.raises(LexError, match="line break"):
        tokenize(r"a \\ b")


@pytest.mark.parametrize(("math", "message"), [
    (r"\begin{pmatrix} 1 & 2 \end{bmatrix}", r"\\end\{bmatrix\} does not close \\begin\{pmatrix\}"),
    (r"\begin{pmatrix} 1 & 2", "never closed"),
    (r"\begin{pmatrix} 1 & \\ 2 & 3 \end{pmatrix}", "empty entry"),
    (r"\begin{pmatrix} \end{pmatrix}", "empty entry"),
    (r"\begin{pmatrix} 1 & \text{two} \end{pmatrix}", r"\\text\{two\} inside the math is not understood"),
    (r"\begin{cases} 1 & 2 \end{cases}", "environment cases is not supported"),
    (r"\begin{pmatrix} a_1 & \cdots & a_N \end{pmatrix}", r"\\cdots in a matrix literal: write every entry"),
    (r"\begin{bmatrix} 1 \\ \vdots \end{bmatrix}", r"\\vdots in a matrix literal"),
])
def test_malformed_literals_are_syntax_errors(math: str, message: str) -> None:
    with pytest.raises(deriv.errors.LatexSyntaxError, match=message):
        parse_display(math)


def test_a_literal_renders_back_to_itself() -> None:
    (member,) = parse_display(pm((1, 2), (3, "x_{1} + y")) + "^T")[0].members
    assert render(member) == r"\begin{pmatrix} 1 & 2 \\ 3 & x_{1} + y \end{pmatrix}^{T}"
    (again,) = parse_display(render(member))[0].members
    assert render(again) == render(member)


@pytest.mark.parametrize(("text", "sizes"), [
    ("vector 2", ("2",)), ("matrix 2 x 3", ("2", "3")), ("matrix N x 2", ("N", "2")), ("identity 3", ("3",)),
])
def test_numeric_sizes_in_declarations(text: str, sizes: tuple[str, ...]) -> None:
    assert parse_kind(text)[1] == sizes


# -- proved, for the sizes written ----------------------------------------------------

@pytest.mark.parametrize("display", [
    pm((1, 2), (3, 4)) + pm(("x",), ("y",)) + " = " + pm(("x+2y",), ("3x+4y",)),
    r"A v = " + pm(("A_{1,1} v_1 + A_{1,2} v_2",), ("A_{2,1} v_1 + A_{2,2} v_2",)),
    pm((1, 2), (3, 4)) + "^T = " + pm((1, 3), (2, 4)),
    pm((1, 2), (3, 4)) + pm((1, 2), (3, 4)) + " = " + pm((7, 10), (15, 22)),
    r"\frac{1}{2}" + pm((2, 4), (6, 8)) + " = " + pm((1, 2), (3, 4)),
    r"\frac{" + pm((2, 4)) + "}{2} = " + pm((1, 2)),
    pm(("a", 0), (0, "a")) + " = a I_2",
    pm((1, 0), (0, 1)) + " = I_2",
    pm((1, 0), (0, 1)) + " v = v",
    r"v^T " + pm(("a", 0), (0, "a")) + " v = a v^T v",
    r"\frac{\partial}{\partial v} \left(v^T " + pm((2, 1), (1, 3)) + r" v\right) = 2 " + pm((2, 1), (1, 3)) + " v",
    r"\frac{\partial}{\partial v} \left(v^T " + pm((2, 1), (1, 3)) + r" v\right) = " + pm(("4v_1+2v_2",), ("2v_1+6v_2",)),
    r"\frac{\partial}{\partial x} " + pm(("x^2",), ("x y",)) + " = " + pm(("2x",), ("y",)),
    pm((1, 2)) + " v = v_1 + 2 v_2",
    pm((1, 2), (3, 4)) + r" \circ A = " + pm(("A_{1,1}", "2A_{1,2}"), ("3A_{2,1}", "4A_{2,2}")),
    r"G^T = " + pm(("G_{1,1}", "G_{2,1}"), ("G_{1,2}", "G_{2,2}"), ("G_{1,3}", "G_{2,3}")),
    r"v u^T = " + pm(("v_1 u_1", "v_1 u_2", "v_1 u_3"), ("v_2 u_1", "v_2 u_2", "v_2 u_3")),
    r"u^T u = u_1^2 + u_2^2 + u_3^2",
])
def test_worked_examples_are_proved_for_the_sizes_written(display: str) -> None:
    verdict, step = single(display)
    assert verdict == "proved", step.message
    assert NUMERIC in step.message


def test_an_entry_of_a_literal_is_its_cell() -> None:
    assert single(r"\left[" + pm((1, 2), (3, 4)) + r"\right]_{2,1} = 3")[0] == "proved"
    assert single(r"\left[" + pm((1, 2), (3, 4)) + r"\right]_{1,2} = 3")[0] == "refuted"


def test_a_literal_with_a_zero_entry() -> None:
    assert single(pm((1, 0), (0, 0)) + " v = " + pm(("v_1",), (0,)))[0] == "proved"
    verdict, step = single(pm((1, 0), (0, 0)) + " v = " + pm(("v_1",), ("v_2",)))
    assert verdict == "refuted" and dict(step.counterexample.indices) == {"i": 2}


def test_literals_inside_a_sum() -> None:
    display = r"\sum_i " + pm(("w_i",), ("w_i^2",)) + " = " + pm((r"\sum_i w_i",), (r"\sum_i w_i^2",))
    assert single(display)[0] == "proved"


def test_mixed_numeric_and_named_sizes_are_tested_at_distinct_named_sizes() -> None:
    verdict, step = single(r"[B C]_{i,j} = B_{i,1} C_{1,j} + B_{i,2} C_{2,j}")
    assert verdict == "proved" and "every value of the named sizes" in step.message
    verdict, step = single(r"[B C]_{i,j} = B_{i,1} C_{1,j} + B_{i,2} C_{1,j}")
    assert verdict == "refuted"
    # a step left to the tester is tested at named sizes that vary, 1 among them
    verdict, step = single(r"|[B C]_{i,j} v_1| = |[B C]_{i,j}| |v_1|")
    assert verdict == "tested" and "N=1, M=1" in step.message and "N=2, M=3" in step.message
    # without the denominator on the right, the left is undefined where the entries meet
    verdict, step = single(r"\frac{[B C]_{i,j}^2 - v_1^2}{[B C]_{i,j} - v_1} = [B C]_{i,j} + v_1")
    assert verdict == "refuted"


def test_a_step_with_only_named_sizes_says_nothing_of_numeric_ones() -> None:
    verdict, step = single(r"w^T w = \sum_i w_i^2")
    assert verdict == "proved" and NUMERIC not in step.message


# -- refuted at the entry ---------------------------------------------------------------

@pytest.mark.parametrize(("display", "entry"), [
    (pm((1, 2), (3, 4)) + pm(("x",), ("y",)) + " = " + pm(("x+2y",), ("3x+5y",)), {"i": 2}),
    (pm((1, 2), (3, 4)) + " = " + pm((1, 2), (3, 5)), {"row": 2, "col": 2}),
    (pm(("a", 1), (0, "a")) + " = a I_2", {"row": 1, "col": 2}),  # equal on the diagonal only
    (pm((1, 2), (3, 4)) + "^T v = " + pm(("v_1 + 2v_2",), ("3v_1 + 4v_2",)), {"i": 1}),
    (r"A v = " + pm(("A_{1,1} v_1 + A_{1,2} v_2",), ("A_{2,1} v_1 + A_{1,2} v_2",)), {"i": 2}),
    (pm((1, 2), (3, 4)) + pm((1, 2), (3, 4)) + " = " + pm((7, 10), (15, 23)), {"row": 2, "col": 2}),
])
def test_a_wrong_entry_is_refuted_at_that_entry(display: str, entry: dict) -> None:
    verdict, step = single(display)
    assert verdict == "refuted", step.message
    assert dict(step.counterexample.indices) == entry


# -- errors that say so ---------------------------------------------------------------------

@pytest.mark.parametrize(("display", "message"), [
    (pm((1, 2), (3, 4)) + pm((1,), (2,), (3,)) + " = v", "cannot multiply 2 x 2 literal (2 x 2) by 3 x 1 literal (vector 3)"),
    (pm((1, 2), (3,)) + " = A", "row 1 has 2, row 2 has 1"),
    (pm(("v",), (1,)) + " = 0", "each entry must be a scalar"),
    (r"\begin{vmatrix} 1 & 2 & 3 \\ 3 & 4 & 5 \end{vmatrix} = -2", "a vmatrix is a determinant, of a square matrix"),
    (r"\left[" + pm((1, 2), (3, 4)) + r"\right]_{3,1} = 3", "entry 3 is outside the 2 rows"),
    (r"\left[" + pm((1, 2), (3, 4)) + r"\right]_{1,0} = 3", "entry 0 is outside the 2 columns"),
    (r"A_{3,1} = 0", "A_{3,1} is entry 3 of A, past A's length 2"),
    (r"u_4 = 0", "u_{4} is entry 4 of u, past u's length 3"),
    (r"B_{i,3} = 0", "past B's length 2"),
    (pm((1, 0), (0, 1)) + " = I_3", "does not match the chain's 2 x 2 matrix"),
    (r"A = " + pm((1, 2, 3), (4, 5, 6)), "2 x 3"),
])
def test_what_can_not_be_read_is_an_error(display: str, message: str) -> None:
    verdict, step = single(display)
    assert verdict == "error"
    assert message in step.message


def test_a_literal_in_a_definition_and_an_aligned_chain() -> None:
    text = r"""---
symbols:
  x: vector 2
  b: vector 2
definitions:
  - P = \begin{pmatrix} 2 & 1 \\ 1 & 3 \end{pmatrix}
  - f = x^T P x - 2 b^T x
---

\begin{align}
\frac{\partial f}{\partial x} &= 2 P x - 2b \\
&= \begin{pmatrix} 4 x_1 + 2 x_2 - 2 b_1 \\ 2 x_1 + 6 x_2 - 2 b_2 \end{pmatrix} \\
&= 2\begin{bmatrix} 2 & 1 \\ 1 & 3 \end{bmatrix} x - 2b
\end{align}

$$ P_{3,1} = 0 $$
"""
    found = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert [str(s.verdict) for s in found] == ["proved", "proved", "proved", "error"]


# -- against an independent reference ---------------------------------------------------------

def _product(a: list[list[int]], b: list[list[int]]) -> list[list[int]]:
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


_entries = st.integers(min_value=-3, max_value=3)


@settings(max_examples=12, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.data())
def test_products_of_literals_agree_with_a_reference(rows: int, inner: int, cols: int, data) -> None:
    """A product of two integer literals equals the reference product (proved), and a
    change of one entry of the claimed result is refuted at that entry."""
    a = [[data.draw(_entries) for _ in range(inner)] for _ in range(rows)]
    b = [[data.draw(_entries) for _ in range(cols)] for _ in range(inner)]
    c = _product(a, b)
    r, s = data.draw(st.integers(0, rows - 1)), data.draw(st.integers(0, cols - 1))
    wrong = [row[:] for row in c]
    wrong[r][s] += data.draw(st.sampled_from([-1, 1, 2]))
    good, bad = steps(f"{pm(*a)} {pm(*b)} = {pm(*c)}", f"{pm(*a)} {pm(*b)} = {pm(*wrong)}")
    assert str(good.verdict) == "proved", good.message
    assert str(bad.verdict) == "refuted", bad.message
    where = dict(bad.counterexample.indices)
    expected = {"row": r + 1, "col": s + 1} if rows > 1 and cols > 1 else \
        {"i": r + 1} if cols == 1 and rows > 1 else {"i": s + 1} if rows == 1 and cols > 1 else {}
    assert where == expected
    assert Fraction(bad.counterexample.lhs_value) == c[r][s]


def _combination(coefficients: list[int], name: str) -> str:
    """``2 v_1 - v_3``: the linear combination, written out (``0`` when empty)."""
    terms = [f"{'+' if c > 0 else '-'} {abs(c)} {name}_{k + 1}" for k, c in enumerate(coefficients) if c]
    text = " ".join(terms).lstrip("+ ")
    return text or "0"


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 3), st.integers(2, 3), st.data())
def test_a_literal_times_a_declared_vector_agrees_with_a_reference(rows: int, length: int, data) -> None:
    """``L v`` for an integer literal ``L`` and ``v: vector n`` equals the literal of its
    rows' combinations of ``v_1 .. v_n`` (proved), and a changed coefficient is refuted at
    its row; the gradient of ``v^T P v`` for a symmetric literal ``P`` is ``2 P v``."""
    a = [[data.draw(_entries) for _ in range(length)] for _ in range(rows)]
    claimed = [[_combination(row, "v")] for row in a]
    r, k = data.draw(st.integers(0, rows - 1)), data.draw(st.integers(0, length - 1))
    changed = [row[:] for row in a]
    changed[r][k] += 1
    wrong = [[_combination(row, "v")] for row in changed]
    p = [[0] * length for _ in range(length)]
    for i in range(length):
        for j in range(i, length):
            p[i][j] = p[j][i] = data.draw(_entries)
    gradient = [[_combination([2 * c for c in row], "v")] for row in p]
    symbols = f"  v: vector {length}"
    good, bad, grad = steps(f"{pm(*a)} v = {pm(*claimed)}", f"{pm(*a)} v = {pm(*wrong)}",
                            rf"\frac{{\partial}}{{\partial v}} \left(v^T {pm(*p)} v\right) = {pm(*gradient)}",
                            symbols=symbols)
    assert str(good.verdict) == "proved", good.message
    assert str(bad.verdict) == "refuted", bad.message
    assert dict(bad.counterexample.indices) == ({"i": r + 1} if rows > 1 else {})
    assert str(grad.verdict) == "proved", grad.message


IDENTITY = "  v: vector 2\n  I: identity 2"


def test_array_and_smallmatrix_are_literals_too() -> None:
    array = r"\left(\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}\right) v = " + pm(("v_1 + 2v_2",), ("3v_1 + 4v_2",))
    assert single(array, symbols=IDENTITY)[0] == "proved"
    small = r"\left[\begin{smallmatrix} 1 & 0 \\ 0 & 1 \end{smallmatrix}\right] = I"
    assert single(small, symbols=IDENTITY)[0] == "proved"
    verdict, step = single(r"\begin{array} 1 & 2 \end{array} = 0", symbols=IDENTITY)
    assert verdict == "error" and "needs its columns" in step.message


def test_a_literal_equal_to_a_declared_identity() -> None:
    assert single(pm((1, 0), (0, 1)) + " = I", symbols=IDENTITY)[0] == "proved"
    verdict, step = single(pm((1, 0), (0, 0)) + " = I", symbols=IDENTITY)
    assert verdict == "refuted" and dict(step.counterexample.indices) == {"row": 2, "col": 2}


def test_a_literal_jacobian_entry_by_entry() -> None:
    """A Jacobian written entry by entry, and whole: a vector by a vector is its Jacobian in
    numerator layout (docs/format.md, "Jacobians and Hessians"), never its transpose."""
    left = r"\frac{\partial \left[" + pm(("v_1^2",), ("v_1 v_2",)) + r"\right]_i}{\partial v_j} = "
    assert single(left + r"\left[" + pm(("2v_1", 0), ("v_2", "v_1")) + r"\right]_{i,j}", symbols=IDENTITY)[0] == "proved"
    verdict, step = single(left + r"\left[" + pm(("2v_1", 0), ("v_1", "v_2")) + r"\right]_{i,j}", symbols=IDENTITY)
    assert verdict == "refuted" and dict(step.counterexample.indices) == {"i": 2, "j": 1}
    whole = r"\frac{\partial}{\partial v} " + pm(("v_1^2",), ("v_1 v_2",)) + " = "
    assert single(whole + pm(("2v_1", 0), ("v_2", "v_1")), symbols=IDENTITY)[0] == "proved"
    assert single(whole + pm(("2v_1", "v_2"), (0, "v_1")), symbols=IDENTITY)[0] == "refuted"  # the transpose


def test_sums_over_numeric_ranges_are_written_out_outermost_first() -> None:
    from sympy import IndexedBase, Sum, Symbol

    from deriv.engine.numeric_ranges import written_out

    i, j = Symbol("i", integer=True), Symbol("j", integer=True)
    n = Symbol("N", integer=True, positive=True)
    x = IndexedBase("x")
    # the inner bound names the outer index: numeric once the outer one is written out
    assert written_out(Sum(x[i] * x[j], (i, 0, j), (j, 0, 2))) == sum(
        x[a] * x[b] for b in range(3) for a in range(b + 1))
    assert written_out(Sum(x[i], (i, 0, n - 1))) == Sum(x[i], (i, 0, n - 1))
    assert written_out(Sum(x[i] * x[j], (i, 0, n - 1), (j, 0, 1))) == \
        Sum(x[0] * x[i], (i, 0, n - 1)) + Sum(x[1] * x[i], (i, 0, n - 1))
    assert written_out(Sum(x[i], (i, 0, -1))) == 0  # empty


def test_a_bounded_sum_with_numeric_bounds_is_proved() -> None:
    display = r"\sum_{j=1}^{2} \sum_{k=1}^{j} u_k = 2 u_1 + u_2"
    verdict, step = single(display)
    assert verdict == "proved", step.message
    assert single(r"\sum_{j=1}^{2} \sum_{k=1}^{j} u_k = u_1 + 2 u_2")[0] == "refuted"

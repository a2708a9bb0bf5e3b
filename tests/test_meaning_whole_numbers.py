"""Whole numbers in declarations and literals (docs/format.md): ``k: positive integer``,
lengths that are products of sizes (``vector N*Q``), and ``vmatrix`` determinants.

``k: positive integer`` is a size (k = 1, 2, ...): ``A^k``, ``\\operatorname{tr}(X^k)``
and its derivative, ``\\sum_{i=1}^{k}`` are read as for ``A^K``.  A bare ``integer``
(or ``natural number``) is an error: 0 and negatives are in it to some authors,
and a step proved for k >= 1 would be a false accept for them.  ``vector N*Q`` is
a length N times Q; ``vector NQ`` beside sizes N and Q is an error (one size, or
the product?).  A ``vmatrix`` literal is its determinant, expanded.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from helpers import displays, front_matter

POWERS = {"A": "matrix N x N", "B": "matrix N x N", "X": "matrix N x N", "a": "positive scalar",
          "k": "positive integer"}


def check(symbols: dict[str, str], *maths: str):
    return deriv.check_text(front_matter(symbols) + displays(*maths), options=CheckOptions(isolate=False))


def verdicts(symbols: dict[str, str], *maths: str) -> list[str]:
    result = check(symbols, *maths)
    assert result.error is None, result.error
    return [s.verdict.value for s in result.steps]


# -- k: positive integer ---------------------------------------------------------------

@pytest.mark.parametrize("math", [
    r"A^k A = A A^k",
    r"\frac{\partial \operatorname{tr}(X^k)}{\partial X} = k (X^{k-1})^T",
    r"\operatorname{tr}(A^{k+1}) = \operatorname{tr}(A A^k)",
    r"(A^T)^k = (A^k)^T",
    r"\sum_{i=1}^{k} i = \frac{k(k+1)}{2}",
    r"a^k a = a^{k+1}",
])
def test_a_declared_positive_integer_is_read_as_a_size(math):
    assert verdicts(POWERS, math) == ["proved"]


@pytest.mark.parametrize("math", [
    r"A^k B = B A^k",
    r"\frac{\partial \operatorname{tr}(X^k)}{\partial X} = k (X^{k})^T",
    r"\frac{\partial \operatorname{tr}(X^k)}{\partial X} = (k - 1) (X^{k-1})^T",
    r"\sum_{i=1}^{k} i = \frac{k(k-1)}{2}",
    r"A^{k} = A^{k-1}",
])
def test_wrong_steps_with_a_positive_integer_are_refuted(math):
    assert verdicts(POWERS, math) == ["refuted"]


def test_a_power_that_may_be_negative_stays_an_error():
    result = check(POWERS, r"A^{k-2} A^2 = A^k")
    assert [s.verdict.value for s in result.steps] == ["error"]
    assert "never negative" in result.steps[0].message


@pytest.mark.parametrize("kind", ["integer", "Integer", "natural number", "nonnegative integer", "whole number"])
def test_an_integer_that_may_be_zero_or_negative_is_an_error(kind):
    result = check({"A": "matrix N x N", "k": kind}, r"A^k A = A A^k")
    assert result.error is not None and "positive integer" in result.error


def test_a_positive_integer_is_no_index_and_has_a_plain_name():
    result = check(POWERS, r"\sum_k A_{k,k} = \operatorname{tr}(A)")
    assert [s.verdict.value for s in result.steps] == ["error"]
    assert "k is a size" in result.steps[0].message
    assert "without a script" in (check({"k_1": "positive integer"}, "1 = 1").error or "")


def test_a_positive_integer_may_also_be_a_length():
    assert verdicts({"x": "vector k", "k": "positive integer"}, r"\sum_{i=1}^{k} x_i = \mathbf{1}^T x") == ["proved"]


# -- lengths that are products of sizes --------------------------------------------------

VEC = {"X": "matrix N x Q"}


@pytest.mark.parametrize("length", ["N*Q", "Q*N", "N * Q"])
def test_a_length_may_be_a_product_of_sizes(length):
    symbols = {**VEC, "x": f"vector {length}"}
    assert verdicts(symbols, r"x^T \operatorname{vec}(X) = \sum_{i,j} X_{i,j} x_{(j-1)N+i}",
                    r"x^T \operatorname{vec}(X) = \sum_{i,j} X_{i,j} x_{(i-1)Q+j}") == ["proved", "refuted"]


@pytest.mark.parametrize("length,words", [
    ("NQ", "write N*Q for their product"),
    ("QN", "write Q*N for their product"),
    ("N Q", "for the product of sizes write N*Q"),
])
def test_a_length_that_reads_two_ways_is_an_error(length, words):
    result = check({**VEC, "x": f"vector {length}"}, "1 = 1")
    assert result.error is not None and words in result.error


def test_a_word_size_whose_letters_are_not_all_sizes_is_one_size():
    assert verdicts({"X": "matrix N x M", "x": "vector NQ"}, r"x^T x = \sum_k x_k^2") == ["proved"]


# -- vmatrix: the determinant of a literal ------------------------------------------------

SCALARS = {"a": "scalar", "b": "scalar", "c": "scalar", "d": "scalar", "u": "vector 2"}


@pytest.mark.parametrize("math,expected", [
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix} = ad - bc", "proved"),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix} = ad + bc", "refuted"),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix} = \begin{vmatrix} a & c \\ b & d \end{vmatrix}", "proved"),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix} = \begin{vmatrix} b & a \\ d & c \end{vmatrix}", "refuted"),
    (r"\begin{vmatrix} 1 & 2 & 3 \\ 4 & 5 & 6 \\ 7 & 8 & 10 \end{vmatrix} = -3", "proved"),
    (r"\begin{vmatrix} 1 & 2 & 3 \\ 4 & 5 & 6 \\ 7 & 8 & 9 \end{vmatrix} = 0", "proved"),       # singular
    (r"\begin{vmatrix} 1 & 2 & 3 \\ 4 & 5 & 6 \\ 7 & 8 & 9 \end{vmatrix} = 1", "refuted"),
    (r"\begin{vmatrix} u_1 & u_2 \\ u_2 & u_1 \end{vmatrix} = u_1^2 - u_2^2", "proved"),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}^2 = (ad - bc)^2", "proved"),
    (r"\begin{vmatrix} a \end{vmatrix} = a", "error"),                # |a|: absolute value or determinant?
    (r"\begin{vmatrix} a & b \end{vmatrix} = a", "error"),
    (r"\begin{vmatrix} a & 0 & 0 & 0 & 0 \\ 0 & a & 0 & 0 & 0 \\ 0 & 0 & a & 0 & 0 \\ 0 & 0 & 0 & a & 0 \\ "
     r"0 & 0 & 0 & 0 & a \end{vmatrix} = a^5", "error"),
])
def test_a_vmatrix_is_the_determinant_of_its_literal(math, expected):
    assert verdicts(SCALARS, math) == [expected]


def _permutation_determinant(cells: list[list[int]]) -> int:
    """The Leibniz formula, an independent reference."""
    n, total = len(cells), 0
    for perm in itertools.permutations(range(n)):
        inversions = sum(1 for i in range(n) for j in range(i + 1, n) if perm[i] > perm[j])
        product = 1
        for row, col in enumerate(perm):
            product *= cells[row][col]
        total += (-1) ** inversions * product
    return total


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 4).flatmap(lambda n: st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n),
                                                   min_size=n, max_size=n)), st.booleans())
def test_a_numeric_vmatrix_matches_the_leibniz_formula(cells, wrong):
    literal = r"\begin{vmatrix} " + r" \\ ".join(" & ".join(str(c) for c in row) for row in cells) + r" \end{vmatrix}"
    value = _permutation_determinant(cells) + (1 if wrong else 0)
    right = str(value) if value >= 0 else f"-{-value}"
    assert verdicts(SCALARS, f"{literal} = {right}") == ["refuted" if wrong else "proved"]


# -- \det of a matrix of numeric size: written out, so proved at that size ------------------

NUMERIC = {**SCALARS, "B": "matrix 2 x 2", "C": "matrix 2 x 2", "D": "matrix 3 x 3", "G": "matrix N x N"}


@pytest.mark.parametrize("math,expected", [
    (r"\det \begin{pmatrix} a & b \\ c & d \end{pmatrix} = ad - bc", "proved"),
    (r"\left|\begin{pmatrix} a & b \\ c & d \end{pmatrix}\right| = \begin{vmatrix} a & b \\ c & d \end{vmatrix}", "proved"),
    (r"\det(B C) = \det B \det C", "proved"),
    (r"\det(B + C) = \det B + \det C", "refuted"),
    (r"\det B = B_{1,1} B_{2,2} - B_{1,2} B_{2,1}", "proved"),
    (r"\det B = B_{1,1} B_{2,2} + B_{1,2} B_{2,1}", "refuted"),
    (r"\det D^T = \det D", "proved"),
    (r"\det(a D) = a^3 \det D", "proved"),
    (r"\det(a D) = a \det D", "refuted"),
    (r"\det(G^T) = \det G", "proved"),                      # a size from names: the determinant node, as before
])
def test_the_determinant_of_a_numeric_size_is_written_out(math, expected):
    assert verdicts(NUMERIC, math) == [expected]

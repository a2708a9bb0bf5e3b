"""An index used as a number (docs/format.md): ``\\sum_{k=1}^{N} k``, ``\\sum_i i x_i``, ``2 j x_j``.

The index's value is its 1-based position; a sum whose body is a polynomial in
its index is summed in closed form (proved for every size), only where the sum
has at least 0 terms at every size (SymPy's closed form of an empty sum with
its bounds two apart is not 0).  A name no ``\\sum`` binds stays unknown.  End
to end, with a property test whose reference is direct summation in exact
fractions and interpolation, not SymPy.  A free index is a number where the member
writes it in a subscript too (``2 j x_j``).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from helpers import displays, front_matter

SYMBOLS = {"x": "vector N", "w": "vector N", "a": "scalar", "A": "matrix N x N", "y": "vector K"}


def verdict(math: str, symbols: dict[str, str] = SYMBOLS) -> tuple[str, str]:
    result = deriv.check_text(front_matter(symbols) + displays(math), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    (step,) = result.steps
    return step.verdict.value, step.message


@pytest.mark.parametrize("math", [
    r"\sum_{k=1}^{N} k = \frac{N(N+1)}{2}",                        # Gauss
    r"\sum_{k=1}^{N} k^2 = \frac{N(N+1)(2N+1)}{6}",
    r"\sum_{k=1}^{N} k^3 = \left(\frac{N(N+1)}{2}\right)^2",
    r"\sum_{k=1}^{N} (2k - 1) = N^2",                              # odd numbers
    r"\sum_{k=2}^{N} k = \frac{N(N+1)}{2} - 1",                    # empty at N = 1 on both sides
    r"\sum_{k=1}^{N} a k = a \frac{N(N+1)}{2}",
    r"\sum_{i=1}^{N} \sum_{j=1}^{i} 1 = \frac{N(N+1)}{2}",         # bounds from another index
    r"\sum_{i=1}^{N} \sum_{j=1}^{i} j = \frac{N(N+1)(N+2)}{6}",
    r"\sum_i i x_i = \sum_i (i - 1) x_i + \sum_i x_i",             # weights from the index
    r"\sum_{i=1}^{N} i x_i = \sum_{k=1}^{N} k x_k",
    r"\frac{\partial}{\partial x_j} \sum_i i x_i^2 = 2 \sum_i i x_i \delta_{i,j}",
    r"\sum_{k=1}^{K} k y_k = \sum_{k=1}^{K} \sum_{m=1}^{k} y_k",
])
def test_index_values_are_proved(math):
    assert verdict(math)[0] == "proved"


@pytest.mark.parametrize("math", [
    r"\sum_{k=1}^{N} k = \frac{N(N-1)}{2}",                        # the classic off-by-one
    r"\sum_{k=1}^{N} k = \frac{N^2}{2}",
    r"\sum_{k=1}^{N} k^2 = \frac{N(N+1)(2N+1)}{5}",
    r"\sum_{k=3}^{N} k = \frac{N(N+1)}{2} - 3",                    # false at N = 1, 2: the sum is empty (0)
    r"\sum_{k=3}^{N} 1 = N - 2",
    r"\sum_i i x_i = \sum_i (i + 1) x_i",
    r"\sum_i i x_i = \sum_i (N - i + 1) x_i",                     # reversed weights
    r"\frac{\partial}{\partial x_j} \sum_i i x_i^2 = 2 \sum_i (i - 1) x_i \delta_{i,j}",
])
def test_wrong_index_values_are_refuted(math):
    assert verdict(math)[0] == "refuted"


@pytest.mark.parametrize("math,words", [
    (r"\sum_k k = 1", "cannot tell the range of index k"),         # nothing gives k a range
    (r"k = 1", "unknown name k"),                                  # an index outside its sum
    (r"\sum_{k=1}^{N} k + k = 1", "k is summed by the \\sum before"),  # the second k is past the sum
    (r"\sum_{a=1}^{N} a = 1", "can not also be an index"),
    (r"\sum_j x_j + j = 1", "j is summed by the \\sum before"),   # past its sum: inside to some readers
    (r"c x_i = x_i", "unknown name c"),                            # never written in a subscript
    (r"x_i i = x_i", None),
])
def test_a_name_no_sum_binds_is_no_number(math, words):
    result = verdict(math)
    if words is None:  # a free index the member writes in a subscript: a number
        assert result[0] == "refuted", result
        return
    assert result[0] == "error" and words in result[1], result


@pytest.mark.parametrize("math,expected", [
    (r"\frac{\partial}{\partial x_j} \sum_i i x_i^2 = 2 j x_j", "proved"),
    (r"\frac{\partial}{\partial x_j} \sum_i i x_i^2 = 2 (j - 1) x_j", "refuted"),
    (r"x_i i = i x_i", "proved"),
    (r"[A x]_i + i = \sum_k A_{i,k} x_k + i", "proved"),
    (r"\sum_k A_{i,k} k = \sum_k A_{i,k} (k + i) - i \sum_k A_{i,k}", "proved"),
    (r"\sum_k A_{i,k} k = \sum_k A_{i,k} i", "refuted"),
])
def test_a_free_index_written_in_a_subscript_is_a_number(math, expected):
    assert verdict(math)[0] == expected


def test_a_free_index_number_shows_its_position_in_a_counterexample():
    result = deriv.check_text(front_matter(SYMBOLS) + displays(r"x_i i = x_i"), options=CheckOptions(isolate=False))
    (step,) = result.steps
    assert step.verdict.value == "refuted"
    position = dict(step.counterexample.indices)["i"]
    assert position >= 2  # x_1 * 1 = x_1: only a later position refutes


# -- property: closed forms against direct summation -----------------------------------

def _interpolated(values: list[Fraction]) -> list[Fraction]:
    """The coefficients (lowest first) of the polynomial through (1, values[0]), (2, values[1]), ..."""
    n = len(values)
    coefficients = [Fraction(0)] * n
    for i, value in enumerate(values, start=1):
        basis = [Fraction(1)]  # the Lagrange basis polynomial of point i
        denominator = Fraction(1)
        for j in range(1, n + 1):
            if j != i:
                basis = [Fraction(0)] + basis
                for d in range(len(basis) - 1):
                    basis[d] -= j * basis[d + 1]
                denominator *= i - j
        for d, c in enumerate(basis):
            coefficients[d] += value * c / denominator
    return coefficients


def _latex(coefficients: list[Fraction], variable: str) -> str:
    terms = [f"\\frac{{{c.numerator}}}{{{c.denominator}}} {variable}^{{{d}}}" if c >= 0 else
             f"(-\\frac{{{-c.numerator}}}{{{c.denominator}}}) {variable}^{{{d}}}"
             for d, c in enumerate(coefficients) if c != 0]
    return " + ".join(terms) or "0"


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=1, max_size=4), st.sampled_from([1, 2]), st.booleans())
def test_sums_of_polynomials_in_the_index_match_direct_summation(body, lower, wrong):
    """``\\sum_{k=L}^{N} p(k) = q(N)`` with ``q`` interpolated from direct sums: proved; ``q + 1`` refuted."""
    degree = len(body) - 1
    sums = [sum((Fraction(sum(c * k**d for d, c in enumerate(body))) for k in range(lower, n + 1)), Fraction(0))
            for n in range(1, degree + 3)]
    closed = _interpolated(sums)
    if wrong:
        closed[0] += 1
    left = f"\\sum_{{k={lower}}}^{{N}} ({_latex([Fraction(c) for c in body], 'k')})"
    got = verdict(f"{left} = {_latex(closed, 'N')}", {"x": "vector N"})
    assert got[0] == ("refuted" if wrong else "proved"), (left, closed, got)

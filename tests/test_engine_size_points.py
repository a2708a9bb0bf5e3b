"""Steps whose sides differ only at sizes the grid does not reach (deriv/engine/size_points.py).

Past the grid's degree the tester samples a few sizes; a polynomial in the sizes
that vanishes at exactly those sizes must still not pass: where the normal forms'
difference depends on the sizes alone, the tester is sent to sizes where it is not 0.
"""

from __future__ import annotations

import pytest
import sympy

import deriv
from deriv.engine.size_points import nonzero_sizes

HEAD = "---\nsymbols:\n  x: vector N\n  A: matrix M x N\n---\n"


def roots(count: int, size: str = "N") -> str:
    """``(N-1)(N-2)...(N-count)``: 0 at every size from 1 to ``count``."""
    return "".join(f"({size}-{j})" for j in range(1, count + 1))


def step(latex: str) -> deriv.StepResult:
    (found,) = deriv.check_text(HEAD + "$$ " + latex + " $$\n").steps
    return found


@pytest.mark.parametrize("count", [20, 30])
def test_a_size_polynomial_that_vanishes_at_every_sampled_size_is_refuted(count: int) -> None:
    found = step(r"\sum_{i=1}^{N} i^2 = \frac{N(N+1)(2N+1)}{6} + " + roots(count))
    assert found.verdict == "refuted", found.message
    n = dict(found.counterexample.sizes)["N"]
    assert n > count  # the only sizes where the sides differ


def test_a_size_factor_in_front_of_entries_is_found_too() -> None:
    found = step(r"\sum_{i} x_i = \sum_i x_i + " + roots(24) + r" x_1")
    assert found.verdict == "refuted", found.message


def test_a_true_high_degree_identity_is_not_refuted() -> None:
    found = step(r"\sum_{i=1}^{N} i^2 + " + roots(20) + r" = \frac{N(N+1)(2N+1)}{6} + " + roots(20))
    assert found.verdict in ("proved", "tested"), found.message


# -- the search itself, against direct evaluation ------------------------------------------

N, M = sympy.symbols("N M", integer=True, positive=True)


@pytest.mark.parametrize("count", [1, 5, 30, 47])
def test_the_first_nonzero_size_of_a_product_of_roots(count: int) -> None:
    poly = sympy.prod([N - j for j in range(1, count + 1)])
    at = nonzero_sizes({((), ()): poly}, (N, M), {})
    assert at is not None and at[N] == count + 1 and poly.subs(at) != 0


def test_a_coefficient_times_another_scalar_goes_where_its_size_factor_is_not_0() -> None:
    # Only where the tester is sent (it still has to find the sides differ): (N - 1) x, at N = 2.
    assert nonzero_sizes({((), ()): (N - 1) * sympy.Symbol("x")}, (N,), {}) == {N: 2}
    assert nonzero_sizes({((), ()): sympy.sin(N * sympy.Symbol("x"))}, (N,), {}) is None  # no factor in the sizes


def test_a_number_claims_nothing() -> None:
    assert nonzero_sizes({((), ()): sympy.Integer(3)}, (N,), {}) is None  # a number: engine/normal.constant_difference's


def test_several_sizes_at_distinct_values() -> None:
    at = nonzero_sizes({((), ()): (N - M) * (N - 1) * (M - 2)}, (N, M), {})
    assert at is not None and at[N] != at[M] and ((N - M) * (N - 1) * (M - 2)).subs(at) != 0


@pytest.mark.parametrize("latex", [
    # Each was tested: the scalar a kept the coefficient out, and four sizes' 400 least
    # assignments all have N <= 7 or a size at 1.
    "(N-1)(N-2)(N-3)(N-4)(N-5)(N-6)(N-7) (M-1) (K-1) (L-1) (P-1) a = 0",
    "(N-1)(N-2)(N-3)(N-4)(N-5)(N-6)(N-7) ((M-1) (K-1) (L-1) a + (M-2)(K-3) a^2) = 0",
    "(N-1)(N-2)(N-3)(N-4)(N-5)(N-6)(N-7) (M-1) (K-1) (L-1) \\sin(a) = 0",
])
def test_a_size_polynomial_times_a_scalar_over_several_sizes_is_refuted(latex: str) -> None:
    head = "---\nsymbols:\n  a: scalar\n" + "".join(f"  {v}: vector {s}\n" for v, s in zip("xyzuw", "NMKLP")) + "---\n"
    (found,) = deriv.check_text(head + "$$ " + latex + " $$\n").steps
    assert found.verdict is deriv.Verdict.REFUTED, found.message


def test_a_size_polynomial_times_a_zero_is_still_proved() -> None:
    head = "---\nsymbols:\n  a: scalar\n  x: vector N\n  y: vector M\n  z: vector K\n  u: vector L\n---\n"
    latex = "(N-1)(N-2)(N-3)(N-4)(N-5)(N-6)(N-7) (M-1) (K-1) (L-1) (\\sin(a)^2 + \\cos(a)^2 - 1) = 0"
    (found,) = deriv.check_text(head + "$$ " + latex + " $$\n").steps
    assert found.verdict is deriv.Verdict.PROVED

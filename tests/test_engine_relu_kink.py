r"""relu'(0) is any value in [0, 1] (the subgradient), and a step must hold for each (docs/deciding.md).

``relu'(x) x = relu(x)`` holds whatever ``relu'(0)`` is, so it is not refuted
at 0 (it was: relu' was undefined there); ``relu'(x) + relu'(-x) = 1`` fails
for ``relu'(0) = 0`` and stays refuted; ``relu'(x)^2 = relu'(x)`` holds for
the conventions 0 and 1 only and is refuted at 1/2.  Also a ``relu'`` that is
at 0 on every instance (``relu'(x_k - x_1)`` at ``k = 1``) is judged at each value.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.results import Verdict

RELU, STEP = r"\operatorname{relu}", r"\operatorname{relu}'"
SCALARS = "  x: scalar\n  y: scalar"


def only(symbols: str, step: str) -> deriv.StepResult:
    (result,) = deriv.check_text(f"---\nsymbols:\n{symbols}\n---\n$$ {step} $$\n").steps
    return result


@pytest.mark.parametrize("step", [
    rf"{STEP}(x) x = {RELU}(x)",
    rf"{STEP}(x) x^2 = {RELU}(x) x",
    rf"{STEP}(x - y) (x - y) = {RELU}(x - y)",
    rf"x - {STEP}(x) x = x - {RELU}(x)",
])
def test_an_identity_for_every_value_at_0_is_not_refuted(step: str) -> None:
    result = only(SCALARS, step)
    assert result.verdict is Verdict.TESTED, result.message


def test_the_entrywise_identity_is_not_refuted() -> None:
    result = only("  x: vector N", rf"{STEP}(x) \odot x = {RELU}(x)")
    assert result.verdict is Verdict.TESTED, result.message


@pytest.mark.parametrize(("step", "value", "sides"), [
    (rf"{STEP}(x) + {STEP}(-x) = 1", "0", ("0", "1")),
    (rf"{STEP}(x - y) + {STEP}(y - x) = 1", "0", ("0", "1")),
    (rf"{STEP}(x)^2 = {STEP}(x)", "1/2", ("1/4", "1/2")),
    (rf"{STEP}(x) {STEP}(-x) = 0", "1", ("1", "0")),
])
def test_an_identity_that_fails_for_one_value_at_0_is_refuted(step: str, value: str, sides: tuple[str, str]) -> None:
    result = only(SCALARS, step)
    assert result.verdict is Verdict.REFUTED
    assert f"taking relu'(0) = {value} (any value in [0, 1] may be relu'(0))" in result.message
    assert (result.counterexample.lhs_value, result.counterexample.rhs_value) == sides


def test_a_step_at_0_on_every_instance_is_judged_at_each_value() -> None:
    step = rf"\frac{{\partial}}{{\partial x_k}} \sum_{{i}} {RELU}(x_i - x_1) = {STEP}(x_k - x_1)"
    result = only("  x: vector N", step)
    assert result.verdict is Verdict.REFUTED
    assert "taking relu'(0) = " in result.message


def test_the_derivative_of_relu_is_relu_prime() -> None:
    assert only(SCALARS, rf"\frac{{d}}{{dx}} {RELU}(x) = {STEP}(x)").verdict is Verdict.PROVED


@settings(max_examples=12, deadline=None)
@given(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3))
def test_a_quadratic_in_relu_prime_holds_iff_it_is_linear(a2: int, a1: int, a0: int) -> None:
    # a2 c^2 + a1 c + a0 = (a2 + a1) c + a0 at c = relu'(x): equal at c = 0 and 1 (every
    # random draw), and at every c in [0, 1] exactly when a2 = 0.
    step = rf"({a2}) {STEP}(x)^2 + ({a1}) {STEP}(x) + ({a0}) = ({a2 + a1}) {STEP}(x) + ({a0})"
    result = only(SCALARS, step)
    if a2 == 0:
        assert result.verdict in (Verdict.PROVED, Verdict.TESTED), result.message
    else:
        assert result.verdict is Verdict.REFUTED, result.message


@pytest.mark.parametrize(("claim", "value"), [
    (rf"{STEP}(x) \neq \frac{{1}}{{2}}", "1/2"),
    (rf"{STEP}(x) + {STEP}(-x) \geq 1", "0"),
    (rf"{STEP}(x) + {STEP}(-x) \leq 1", "1"),
])
def test_a_claim_that_fails_for_one_value_at_0_is_refuted(claim: str, value: str) -> None:
    result = only(SCALARS, claim)
    assert result.verdict is Verdict.REFUTED
    assert result.message.endswith(f"(x = 0), taking relu'(0) = {value} (any value in [0, 1] may be relu'(0))")


@pytest.mark.parametrize("claim", [rf"{STEP}(x) \geq 0", rf"{STEP}(x) \leq 1", rf"{STEP}(x) x \geq 0"])
def test_a_claim_for_every_value_at_0_is_not_refuted(claim: str) -> None:
    assert only(SCALARS, claim).verdict is Verdict.TESTED


@pytest.mark.parametrize("rhs", [r"\frac{1}{2}", "0", "1"])
def test_a_delta_contracted_into_relu_prime_is_no_number(rhs: str) -> None:
    # \delta_{k,j} relu'(x_k - x_j) summed is relu'(0): SymPy's Heaviside(0) would be 1/2 and
    # the normal forms would agree with 1/2; it stays an unknown (deriv.ir.ReluStep), refuted.
    result = only("  x: vector N", rf"\sum_k \delta_{{k,j}} {STEP}(x_k - x_j) = {rhs}")
    assert result.verdict is Verdict.REFUTED
    assert "taking relu'(0) = " in result.message


def test_relu_step_at_zero_stays_unevaluated() -> None:
    import sympy

    from deriv.ir import ReluStep

    x = sympy.Symbol("x")
    at_zero = ReluStep(x).subs(x, 0)
    assert isinstance(at_zero, ReluStep) and at_zero != sympy.Rational(1, 2)
    assert (ReluStep(x).subs(x, 2), ReluStep(x).subs(x, -1)) == (1, 0)


@pytest.mark.parametrize("step", [
    # Both were tested: each holds at 0, 1, 1/2 and 1/3, the fixed choices, but not at 1/4.
    rf"{STEP}(x) ({STEP}(x) - 1) (2 {STEP}(x) - 1) (3 {STEP}(x) - 1) = 0",
    rf"\sin(6 \pi {STEP}(x)) = 0",
])
def test_a_step_that_holds_at_every_fixed_choice_only_is_refuted_at_a_generic_one(step: str) -> None:
    result = only(SCALARS, step)
    assert result.verdict is Verdict.REFUTED and "where x = 0, taking relu'(0) = " in result.message


def test_a_sum_of_such_steps_is_refuted_too() -> None:
    step = rf"\sum_{{i=1}}^{{N}} {STEP}(v_i) ({STEP}(v_i) - 1)(2{STEP}(v_i) - 1)(3{STEP}(v_i)-1) = 0"
    assert only("  v: vector N", step).verdict is Verdict.REFUTED


# Found: tested (the fixed choices 0, 1, 1/2, 1/3 and a generic one never meet c = 1/4); the difference is
# now written as a polynomial in relu'(0) and judged at its roots in [0, 1] (engine/kink_values.py).
@pytest.mark.parametrize(("claim", "value"), [
    (rf"{STEP}(x) \neq \frac{{1}}{{4}}", "1/4"),
    (rf"{STEP}(x) (1 - {STEP}(x)) \neq \frac{{3}}{{16}}", "3/4"),  # c = 1/4 or 3/4; the search meets 3/4 first
    (rf"(4 {STEP}(x) - 1)^4 \neq 0", "1/4"),  # touches 0 without crossing
    (rf"{STEP}(x - y) + {STEP}(y - x) \neq \frac{{1}}{{2}}", "1/4"),  # at x = y, 2c = 1/2
])
def test_a_claim_that_fails_at_one_value_of_relu_at_0_only_is_refuted(claim: str, value: str) -> None:
    result = only(SCALARS, claim)
    assert result.verdict is Verdict.REFUTED, result.message
    assert f"taking relu'(0) = {value}" in result.message
    # Independently: at the counterexample the arguments of relu' are 0, and with c = value the sides meet.
    values = dict((name, Fraction(rows[0][0])) for name, rows in result.counterexample.values)
    assert values["x"] == values.get("y", Fraction(0))
    c = Fraction(value)
    assert _difference(claim, c) == 0


def _difference(claim: str, c: Fraction) -> Fraction:
    """The claim's left side minus its right side with every relu' at 0 equal to ``c`` (written by hand)."""
    return {
        rf"{STEP}(x) \neq \frac{{1}}{{4}}": c - Fraction(1, 4),
        rf"{STEP}(x) (1 - {STEP}(x)) \neq \frac{{3}}{{16}}": c * (1 - c) - Fraction(3, 16),
        rf"(4 {STEP}(x) - 1)^4 \neq 0": (4 * c - 1) ** 4,
        rf"{STEP}(x - y) + {STEP}(y - x) \neq \frac{{1}}{{2}}": 2 * c - Fraction(1, 2),
    }[claim]


@pytest.mark.parametrize("claim", [rf"{STEP}(x) \neq \frac{{1}}{{\sqrt{{2}}}}", rf"{STEP}(x) \neq \frac{{\pi}}{{4}}"])
def test_a_claim_that_fails_at_an_irrational_value_of_relu_at_0_is_undecided(claim: str) -> None:
    # Found: tested. The sides cross between two choices at a value no exact polynomial gives.
    result = only(SCALARS, claim)
    assert result.verdict is Verdict.UNDECIDED and "cross as relu'(0) runs over [0, 1]" in result.message, result.message


@pytest.mark.parametrize("claim", [rf"{STEP}(x) \neq 2", rf"{STEP}(x) \neq -\frac{{1}}{{4}}", rf"{STEP}(x)^2 \leq {STEP}(x)"])
def test_a_claim_true_for_every_value_at_0_stays_tested(claim: str) -> None:
    assert only(SCALARS, claim).verdict is Verdict.TESTED


# -- kinks no draw meets: where an argument of relu' is 0 only at a solved point ---------------------

@pytest.mark.parametrize("step", [
    rf"{STEP}(x y - 2) \neq 1/4",  # a claim: its structured instances never solved relu''s argument (tested)
    rf"{STEP}(x y - 2) + {STEP}(x y - 2) \neq 1/2",
])
def test_a_claim_fails_where_a_solved_scalar_puts_relu_prime_at_0(step: str) -> None:
    result = only(SCALARS, step)
    assert result.verdict is Verdict.REFUTED, result.message
    assert "relu'(0) = 1/4" in result.message


@pytest.mark.parametrize("step", [
    rf"{STEP}(v^T v - 1) + {STEP}(1 - v^T v) = 1",  # 0 only on the unit sphere: v = e_1 (tested)
    rf"{STEP}(v^T v - 1) \neq 1/3",
])
def test_relu_prime_at_0_only_where_an_entry_is_solved_for(step: str) -> None:
    result = only("  v: vector N", step)
    assert result.verdict is Verdict.REFUTED, result.message


def test_a_kink_counterexample_shows_every_name_not_only_the_one_solved_for() -> None:
    result = only(SCALARS, rf"{STEP}(x y - 2) + {STEP}(2 - x y) = 1")
    assert result.verdict is Verdict.REFUTED, result.message
    shown = dict(result.counterexample.values)
    x, y = (Fraction(shown[name][0][0]) for name in ("x", "y"))
    assert x * y == 2  # the point the message names is one where relu''s argument is 0

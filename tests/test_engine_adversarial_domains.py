"""Adversarial domains (docs/deciding.md, Domains): SymPy cancels while a member is built, so
each side keeps where it is defined; a step -- an equality, a claim, or a ``deriv.decide`` of
SymPy expressions -- whose sides may be defined on different sets is never ``proved``, and is
refuted where one side is defined and the other not.  Each case asserts an exact verdict."""

from __future__ import annotations

import pytest
import sympy
from sympy import IndexedBase, Mul, Pow, Sum, log, sqrt, symbols

import deriv

HEAD = """---
symbols:
  x: scalar
  y: scalar
  b: positive scalar
  v: vector N
  w: vector N
  A: matrix N x N
  B: matrix N x N
  S: symmetric matrix N x N
---

"""


def step_of(latex: str, head: str = HEAD) -> deriv.StepResult:
    report = deriv.check_text(head + "$$\n" + latex + "\n$$\n")
    (step,) = report.steps
    return step


def assert_verdict(latex: str, expected: str, head: str = HEAD) -> deriv.StepResult:
    step = step_of(latex, head)
    assert step.verdict == expected, (latex, step.verdict, step.message)
    return step


# -- claims: the rule of equalities (engine/claim_domains.py) -------------------------------

CLAIMS_REFUTED_WHERE_A_SIDE_IS_UNDEFINED = {
    r"\frac{x^2}{x} > x - 1": "where x = 0",
    r"\frac{x y}{x} \geq y": "where x = 0",
    r"\frac{x}{x} > 0": "where x = 0",
    r"\frac{1}{x^2} > 0": "where x = 0",
    r"\frac{1}{x} \neq 0": "where x = 0",
    r"\frac{x y}{y} \leq x + \frac{1}{x^2+1}": "where y = 0",
    r"x - 1 < \frac{x^2}{x}": "where x = 0",  # the right side undefined
}


@pytest.mark.parametrize("latex", CLAIMS_REFUTED_WHERE_A_SIDE_IS_UNDEFINED)
def test_a_claim_with_a_side_undefined_where_the_other_is_defined_is_refuted(latex: str) -> None:
    step = assert_verdict(latex, "refuted")
    assert CLAIMS_REFUTED_WHERE_A_SIDE_IS_UNDEFINED[latex] in step.message, step.message
    assert "undefined" in step.message
    assert step.counterexample is not None


CLAIMS_NOT_DECIDED = [
    r"\sqrt{x}^2 \geq x",  # undefined at a random (negative) point where the other side is not
    r"\log(x^2) \geq 2\log x",
    r"\sqrt{x} \sqrt{x} \geq x - 1",
]


@pytest.mark.parametrize("latex", CLAIMS_NOT_DECIDED)
def test_a_claim_whose_side_is_undefined_at_random_points_is_never_proved(latex: str) -> None:
    # Refuted where one side is certainly undefined and the other not, as every claim and
    # equality is (they were undecided: the tester met such a point first and stopped there).
    assert_verdict(latex, "refuted")


CLAIMS_STAY_PROVED = [
    r"\frac{b^2}{b} > b - 1",  # b positive: the condition is shown
    r"\frac{1}{b} > 0",
    r"\sqrt{b}^2 \geq b",
    r"\frac{1}{x^2+1} > 0",
    r"\frac{x^2}{x} > \frac{x^2}{x} - 1",  # the same condition on both sides
    r"\frac{\exp(x)}{\exp(x)} > 0",
]


@pytest.mark.parametrize("latex", CLAIMS_STAY_PROVED)
def test_a_claim_whose_conditions_hold_or_agree_stays_proved(latex: str) -> None:
    assert_verdict(latex, "proved")


def test_a_claim_is_proved_under_an_assumption_that_shows_its_condition() -> None:
    head = HEAD.replace("---\n\n", "assumptions:\n  - x > 0\n---\n\n")
    assert_verdict(r"\frac{x^2}{x} > x - 1", "proved", head)


# -- sums whose terms cancel entirely (meaning/domains.py: summed limits kept) -----------------

SUMS_THAT_CANCELLED = [
    r"0 \cdot \sum_i \frac{1}{v_i} = 0",
    r"0 \sum_i \log v_i = 0",
    r"(\sum_i \frac{v_i}{v_i})^0 = 1",
    r"\sum_i \frac{v_i}{v_i} - N = 0",
    r"\sum_{i=1}^N \frac{v_i}{v_i} - \sum_{i=1}^N 1 = 0",
    r"\sum_i (\log v_i - \log v_i) = 0",
    r"\sum_i (v_i - v_i) \frac{1}{v_i} = 0",
    r"\sum_i \frac{w_i - w_i}{v_i} = 0",
    r"0 \cdot \prod_i \frac{1}{v_i} = 0",
]


@pytest.mark.parametrize("latex", SUMS_THAT_CANCELLED)
def test_a_condition_inside_a_sum_that_cancelled_is_kept(latex: str) -> None:
    step = assert_verdict(latex, "refuted")
    assert "undefined" in step.message, step.message


def test_a_zero_point_names_a_name_of_the_step() -> None:
    # the names set to 0 are the step's own (x is declared but not in the step)
    step = assert_verdict(r"0 \sum_i \log v_i = 0", "refuted")
    assert "where x = 0" not in step.message, step.message


# -- deriv.decide on SymPy expressions (api.py): conditions as received -----------------------

x, y, i, N = symbols("x y i N")
v = IndexedBase("v")
API_SYMBOLS = {"x": "scalar", "y": "scalar", "v": "vector N"}

API_REFUTED = [
    (Mul(x, y, Pow(x, -1), evaluate=False), y),
    (Pow(sqrt(x), 2, evaluate=False), x),
    (Mul(sqrt(x), sqrt(x), evaluate=False), x),
    (sympy.Add(log(x), -log(x), evaluate=False), 0),
    (Sum(Mul(v[i], Pow(v[i], -1), evaluate=False), (i, 0, N - 1)), N),
    (Mul(0, Sum(Pow(v[i], -1), (i, 0, N - 1)), evaluate=False), 0),
]


@pytest.mark.parametrize("pair", API_REFUTED, ids=lambda p: sympy.srepr(p[0])[:40])
def test_decide_keeps_the_conditions_of_what_it_receives(pair) -> None:
    decision = deriv.decide(*pair, API_SYMBOLS)
    assert decision.verdict.value == "refuted", decision.message
    assert "undefined" in decision.message


API_PROVED = [
    (Mul(x, Pow(x**2 + 1, -1), x**2 + 1, evaluate=False), x),
    (Mul(x, y, Pow(x, -1), evaluate=False), Mul(y, x, Pow(x, -1), evaluate=False)),
    (x * y / x, y),  # Python's x*y/x is y before deriv sees it (docs/library.md)
]


@pytest.mark.parametrize("pair", API_PROVED, ids=lambda p: sympy.srepr(p[0])[:40])
def test_decide_proves_where_the_conditions_agree(pair) -> None:
    assert deriv.decide(*pair, API_SYMBOLS).verdict.value == "proved"


# -- inverses and determinants: an inverse presupposes its matrix invertible, a determinant does not --

# Writing an inverse presupposes its matrix invertible (docs/deciding.md): a singular matrix is
# never a counterexample to an identity about an inverse, which cancels for any square matrix.
INVERSES_PRESUPPOSED = [
    (r"A A^{-1} = I_N", "proved"),
    (r"A^{-1} A = I_N", "proved"),
    (r"A^{-1} A B = B", "proved"),
    (r"S^{-1} S = I_N", "proved"),
    (r"(A + B)^{-1} (A + B) = I_N", "proved"),
    (r"\sum_k A_{i,k} [A^{-1}]_{k,j} = \delta_{i,j}", "proved"),
    (r"(A^{-1})^{-1} = A", "tested"),
    (r"(S^{-1})^{-1} = S", "tested"),
    (r"\det(A^{-1}) \det(A) = 1", "tested"),
]


@pytest.mark.parametrize("latex, expected", INVERSES_PRESUPPOSED)
def test_an_inverse_presupposes_its_matrix_invertible(latex: str, expected: str) -> None:
    assert_verdict(latex, expected)


# A determinant written as a denominator or a logarithm's argument is a scalar condition.
DETERMINANTS_REFUTED_WHERE_SINGULAR = [
    r"\frac{\det A}{\det A} = 1",
    r"\log\det A - \log\det A = 0",
]


@pytest.mark.parametrize("latex", DETERMINANTS_REFUTED_WHERE_SINGULAR)
def test_a_determinant_that_cancels_is_refuted_where_the_matrix_is_singular(latex: str) -> None:
    step = assert_verdict(latex, "refuted")
    assert "undefined" in step.message and "= 0" in step.message, step.message


INVERTIBLE = ["\\det A \\neq 0", "\\det A > 0", "\\det(A^T) \\neq 0", "A \\succ 0"]


@pytest.mark.parametrize("assumption", INVERTIBLE)
@pytest.mark.parametrize("latex", [r"A A^{-1} = I_N", r"A^{-1} A B = B", r"\frac{\det A}{\det A} = 1",
                                   r"\sum_k A_{i,k} [A^{-1}]_{k,j} = \delta_{i,j}"])
def test_an_inverse_cancels_where_an_assumption_shows_the_matrix_invertible(latex: str, assumption: str) -> None:
    assert_verdict(latex, "proved", HEAD.replace("---\n\n", f"assumptions:\n  - {assumption}\n---\n\n"))


def test_a_proved_definite_matrix_is_invertible_for_later_steps() -> None:
    text = HEAD + "$$\nA^T A + I_N \\succ 0\n$$\n\n$$\n(A^T A + I_N)^{-1} (A^T A + I_N) B = B\n$$\n"
    assert [s.verdict for s in deriv.check_text(text).steps] == ["proved", "proved"]


def test_a_gram_form_with_a_positive_weight_is_invertible() -> None:
    head = HEAD.replace("  b: positive scalar\n", "  b: positive scalar\n  Y: matrix M x N\n")
    assert_verdict(r"(Y^T Y + b I_N)^{-1} (Y^T Y + b I_N) = I_N", "proved", head)
    assert_verdict(r"(Y^T Y + x I_N)^{-1} (Y^T Y + x I_N) = I_N", "proved", head)  # presupposed invertible


STAY_PROVED_OR_TESTED = {
    r"(A^{-1})^T = (A^T)^{-1}": "proved",  # one condition: det A^T is det A
    r"A^{-T} = (A^{-1})^T": "proved",
    r"(S^{-1})^T = S^{-1}": "proved",
    r"\log|\det A| = \log|\det A^T|": "proved",
    r"A^{-1} A^{-1} A = A^{-1}": "proved",  # both sides need A invertible
    r"(A B)^{-1} = B^{-1} A^{-1}": "tested",  # det(AB) != 0 is det A det B != 0: not shown, no point differs
    r"\det(A B) = \det A \det B": "tested",
}


@pytest.mark.parametrize("latex", STAY_PROVED_OR_TESTED)
def test_inverse_identities_on_one_domain_keep_their_verdict(latex: str) -> None:
    assert_verdict(latex, STAY_PROVED_OR_TESTED[latex])


CERTIFIED_COUNTEREXAMPLES = [
    r"(A + B)^{-1} = A^{-1} + B^{-1}",
    r"\det(A + B) = \det A + \det B",
    r"\det(2 A) = 2 \det A",
    r"\log\det(A A) = 2 \log\det A",  # det A < 0: the right side is undefined, the left is not
]


@pytest.mark.parametrize("latex", CERTIFIED_COUNTEREXAMPLES)
def test_false_inverse_and_determinant_identities_are_refuted_exactly(latex: str) -> None:
    step = assert_verdict(latex, "refuted")
    assert step.counterexample is not None and step.counterexample.precision == "exact", step.counterexample


# -- derivatives at kinks: a soft condition (meaning/domains.py) blocks a proof, never refutes ---

DIFFERENTIABLE_AT_THE_KINK = [
    r"\frac{d}{dx} \sqrt{x^4} = 2x",  # sqrt(x^4) = x^2: was refuted at x = 0 (a false refutation)
    r"\frac{d}{dx} |x^2| = 2x",
    r"\frac{d}{dx} (x |x|) = 2|x|",  # the jet of |x| at 0 raised: was refuted at x = 0
]


@pytest.mark.parametrize("latex", DIFFERENTIABLE_AT_THE_KINK)
def test_a_derivative_that_exists_at_a_kink_is_never_refuted_there(latex: str) -> None:
    assert_verdict(latex, "tested")


KINKS_ON_BOTH_SIDES_OR_POWERS_ABOVE_ONE = [
    r"\frac{\partial \|v\|}{\partial v_i} = \frac{v_i}{\|v\|}",
    r"\frac{d}{dx} \sqrt{x^2} = \frac{x}{\sqrt{x^2}}",
    r"\frac{d}{dx} \sqrt{b} = 0",
    r"\frac{d}{dx} \sqrt{x^2+1} = \frac{x}{\sqrt{x^2+1}}",
]


@pytest.mark.parametrize("latex", KINKS_ON_BOTH_SIDES_OR_POWERS_ABOVE_ONE)
def test_a_derivative_defined_on_one_set_on_both_sides_stays_proved(latex: str) -> None:
    assert_verdict(latex, "proved")


WRONG_DERIVATIVES_AT_KINKS = [
    r"\frac{d}{dx} |x| = 1",
    r"\frac{d}{dx} (x |x|) = 2x",
    r"\frac{\partial \|v\|}{\partial v_i} = 0",
    r"\frac{d}{dx} (x^2)^{3/2} = 3 x^2",
]


@pytest.mark.parametrize("latex", WRONG_DERIVATIVES_AT_KINKS)
def test_a_wrong_derivative_near_a_kink_is_refuted_where_both_sides_are_defined(latex: str) -> None:
    step = assert_verdict(latex, "refuted")
    assert "undefined" not in step.message, step.message


# -- tan: its poles are irrational, yet a counterexample where only one side has one (engine/angle_domains.py,
# as \frac{x^2 - y^2}{x - y} = x + y is refuted at x = y); wrong variants are certified wrong ---

TAN_TRUE = {
    r"\tan(2x) = \frac{2\tan(x)}{1-\tan(x)^2}": "refuted",  # tan(2x) is defined at pi/2, the right is not
    r"\tan(2x) = \frac{2\tan x}{1-\tan^2 x}": "refuted",
    r"\tan(x + y) = \frac{\tan(x) + \tan(y)}{1 - \tan(x)\tan(y)}": "refuted",
    r"\tan(x) = \frac{\sin(x)}{\cos(x)}": "proved",
    r"\tan(x)^2 + 1 = \frac{1}{\cos(x)^2}": "proved",
    r"\frac{d}{dx} \tan(x) = 1 + \tan(x)^2": "proved",
}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("latex", TAN_TRUE)
def test_a_tan_identity_is_refuted_only_at_a_pole_of_one_side(latex: str, seed: int) -> None:
    report = deriv.check_text(HEAD + "$$\n" + latex + "\n$$\n", options=deriv.CheckOptions(seed=seed))
    (step,) = report.steps
    assert step.verdict == TAN_TRUE[latex], (seed, step.verdict, step.message)
    if step.verdict == "refuted":
        assert "where x = pi/2" in step.message and "undefined" in step.message, step.message


TAN_WRONG = [
    r"\tan(2x) = \frac{2\tan(x)}{1+\tan(x)^2}",
    r"\tan(2x) = \frac{2\tan x}{1+\tan^2 x}",
    r"\tan(2x) = \frac{\tan(x)}{1-\tan(x)^2}",
    r"\tan(x + y) = \frac{\tan(x) + \tan(y)}{1 + \tan(x)\tan(y)}",
    r"\frac{d}{dx} \tan(x) = 1 - \tan(x)^2",
]


@pytest.mark.parametrize("latex", TAN_WRONG)
def test_a_wrong_tan_identity_is_refuted_with_a_certified_counterexample(latex: str) -> None:
    step = assert_verdict(latex, "refuted")
    example = step.counterexample
    assert example is not None and example.precision.startswith("certified at"), example
    assert "undefined" not in example.lhs_value + example.rhs_value  # both sides defined there: not a pole


def test_a_summand_undefined_at_every_point_is_refuted() -> None:
    # the free index i is kept by the member's domain, though SymPy cancelled it from the value
    assert_verdict(r"\sum_j \frac{v_i - v_j}{v_i - v_j} = N", "refuted")


def test_a_free_index_only_the_domain_keeps_is_still_free() -> None:
    step = step_of(r"N = \sum_j \frac{v_i - v_j}{v_i - v_j}")
    assert step.verdict == "error" and "free index i" in step.message, step.message


# -- numbers outside the reals: SymPy's I cancels (\sqrt{-1} - \sqrt{-1} is 0) ----------------------

@pytest.mark.parametrize("latex", [r"\sqrt{-1} - \sqrt{-1} = 0", r"\log(-1) - \log(-1) = 0"])
def test_a_value_that_is_not_real_is_undefined_even_once_cancelled(latex: str) -> None:
    step = assert_verdict(latex, "refuted")  # was proved
    assert "is real" in step.message, step.message


@pytest.mark.parametrize("latex", [r"\sqrt{4} = 2", r"\frac{\log(8)}{\log(2)} = 3 \frac{\log(2)}{\log(2)}"])
def test_real_numbers_keep_their_verdict(latex: str) -> None:
    assert step_of(latex).verdict in ("proved", "tested")


def test_relu_at_its_kink_is_never_a_counterexample() -> None:
    # x relu(x) is differentiable at 0 (2 relu(0) = 0 whatever relu'(0) is)
    assert_verdict(r"\frac{d}{dx} (x \operatorname{relu}(x)) = 2 \operatorname{relu}(x)", "tested")


def test_relu_at_its_kink_has_a_derivative_where_a_quotient_has_none() -> None:
    # relu'(0) is a value in [0, 1] (docs/deciding.md), relu(0)/0 is undefined: refuted there (was tested)
    step = assert_verdict(r"\frac{d}{dx} \operatorname{relu}(x) = \frac{\operatorname{relu}(x)}{x}", "refuted")
    assert "where x = 0" in step.message, step.message

"""Claims (<, >, \\leq, \\geq, \\neq): proved by signs and the tester, tested, refuted, undecided."""

from __future__ import annotations

import pytest
from helpers import file_steps

import deriv

HEAD = """---
symbols:
  x: scalar
  y: scalar
  a: scalar
  b: positive scalar
  v: vector N
---

"""

EIGEN_PD = """---
symbols:
  H: matrix N x N
  x: vector N
  lambda: scalar
assumptions:
  - H x = \\lambda x
  - H \\succ 0
---

"""


def one(tmp_path, display: str, head: str = HEAD):
    (step,) = file_steps(tmp_path, head, display)
    return step


@pytest.mark.parametrize(
    "display",
    [r"x^2 + 1 > 0", r"x^2 \geq 0", r"\exp(x) > 0", r"-x^2 \leq 0", r"x^2 + 1 \neq 0",
     r"b > 0", r"x - x \geq 0", r"v_i^2 \geq 0", r"\exp(v_i) > 0", r"b x^2 + \frac{1}{b} > 0", r"-b < 0",
     r"\|v\|^2 \geq 0", r"\sqrt{b} + |a| > 0"],
)
def test_claims_shown_by_signs_are_proved(tmp_path, display):
    step = one(tmp_path, display)
    assert step.verdict.value == "proved", step.message
    assert step.message.startswith("proved by signs")


@pytest.mark.parametrize("display", [r"\exp(x) > x", r"x^2 - 2 x + 1 \geq 0", r"\exp(x^2) \geq 1"])
def test_true_claims_signs_do_not_show_are_only_tested(tmp_path, display):
    step = one(tmp_path, display)
    assert step.verdict.value == "tested", step.message
    assert "testing only, not proved" in step.message


@pytest.mark.parametrize(("display", "zero"), [(r"x^2 > 0", "x = 0"), (r"\exp(-x^2) < 1", "x = 0"),
                                                (r"\|v\|^2 > 0", "v = 0"), (r"a^2 + x^2 > 0", "x = y = a = v = 0")])
def test_a_claim_false_only_at_zero_is_refuted_there(tmp_path, display, zero):
    # Random values are never 0; the tester also sets each name to 0.
    step = one(tmp_path, display)
    assert step.verdict.value == "refuted", step.message
    assert f"boundary point ({zero})" in step.message


def test_a_nonzero_fact_makes_a_strict_square_proved(tmp_path):
    head = HEAD.replace("---\n\n", "assumptions:\n  - x \\neq 0\n  - v \\neq 0\n---\n\n")
    steps = file_steps(tmp_path, head, r"x^2 > 0", r"\|v\|^2 > 0", r"-3 \|v\|^2 < 0")
    assert [s.verdict.value for s in steps] == ["proved"] * 3, [s.message for s in steps]
    assert "x \\neq 0" in steps[0].message and "v \\neq 0" in steps[1].message


@pytest.mark.parametrize(
    ("display", "relation"),
    [(r"x^2 - 1 > 0", ">"), (r"a > 0", ">"), (r"x < y", "<"), (r"x^2 \leq -1", "<="), (r"x \neq x", "!="),
     (r"x - x > 0", ">"), (r"a \geq 0", ">="), (r"v_i > 0", ">")],
)
def test_false_claims_are_refuted_with_a_counterexample(tmp_path, display, relation):
    step = one(tmp_path, display)
    assert step.relation == relation
    assert step.verdict.value == "refuted", step.message
    example = step.counterexample
    assert example is not None and example.lhs_value and example.rhs_value
    assert example.seed == 0


def test_the_counterexample_certainly_violates_the_claim(tmp_path):
    from fractions import Fraction

    step = one(tmp_path, r"x^2 - 1 > 0")
    example = step.counterexample
    assert example.precision == "exact"
    assert Fraction(example.lhs_value) - Fraction(example.rhs_value) <= 0


def test_a_claim_after_an_equality_in_one_chain(tmp_path):
    steps = file_steps(tmp_path, HEAD, r"x^2 + 1 = 1 + x^2 > 0")
    assert [s.verdict.value for s in steps] == ["proved", "proved"]


@pytest.mark.parametrize(("display", "where"), [
    (r"\log(x) > -100", "x = 0"), (r"\sqrt{x}^2 \geq x", "x = -1"), (r"\log(x^2) \geq 2 \log(x)", "x = -1"),
    (r"\frac{x^2}{x} > x - 1", "x = 0"),
])
def test_a_side_undefined_at_a_random_point_where_the_other_is_defined_is_refuted(tmp_path, display, where):
    # The tester met a point where a side is undefined: the claim was undecided there, and the
    # domain rule every claim and equality follows was never asked (1/d > 0 under d >= 0 at d = 0).
    step = one(tmp_path, display)
    assert step.verdict.value == "refuted", step.message
    assert f"where {where}" in step.message and "undefined" in step.message


def test_sides_undefined_together_leave_the_claim_undecided(tmp_path):
    step = one(tmp_path, r"\log(x) \geq \log(x) - 1")
    assert step.verdict.value == "undecided"
    assert "undefined" in step.message


def test_a_point_outside_the_assumptions_refutes_nothing(tmp_path):
    head = HEAD.replace("---\n\n", "assumptions:\n  - x > 1\n---\n\n")
    assert one(tmp_path, r"\frac{1}{x - 1} \neq 0", head).verdict.value in ("proved", "tested")
    head = HEAD.replace("---\n\n", "assumptions:\n  - x \\geq 1\n---\n\n")
    assert one(tmp_path, r"\frac{1}{x - 1} \neq 0", head).verdict.value == "refuted"


def test_claims_between_vectors_are_not_decided(tmp_path):
    head = HEAD.replace("  v: vector N\n", "  v: vector N\n  w: vector N\n")
    step = one(tmp_path, r"v < w", head)
    assert step.verdict.value == "undecided"
    assert "vectors or matrices" in step.message


def test_an_eigenvalue_of_a_positive_definite_matrix(tmp_path):
    # H is built positive definite with the eigenvector x (engine/eigen.py).
    head = EIGEN_PD.replace("  - H \\succ 0\n", "  - H \\succ 0\n  - x \\neq 0\n")
    step = one(tmp_path, r"\lambda > 0", head)
    assert step.verdict.value in ("tested", "proved"), step.message


def test_a_fact_makes_a_claim_hold_on_the_instances(tmp_path):
    head = "---\nsymbols:\n  a: scalar\nassumptions:\n  - a > 1\n---\n\n"
    steps = file_steps(tmp_path, head, r"a > 0", r"a^2 > a", r"a < 2")
    assert [s.verdict.value for s in steps] == ["proved", "tested", "refuted"]
    assert "satisfies the assumptions a > 1" in steps[2].message


def test_without_a_nonzero_eigenvector_lambda_is_refuted_at_x_zero(tmp_path):
    # H x = \lambda x holds for every \lambda when x = 0: the eigenvector must be nonzero.
    # The random instances include that degenerate solution (engine/assumptions.py, mode
    # "zero"), so a random one may refute it before the boundary instance does.
    step = one(tmp_path, r"\lambda > 0", EIGEN_PD)
    assert step.verdict.value == "refuted", step.message
    assert "boundary point (x = 0)" in step.message or "random point" in step.message


PREMISE = """---
symbols:
  H: matrix N x N
  x: vector N
  lambda: scalar
assumptions:
  - x^T H x > 0 \\quad \\forall x \\neq 0
  - x \\neq 0
---

<!-- deriv: assume H x = \\lambda x -->
"""


def test_lambda_positive_is_proved_from_the_premise_and_an_established_equality(tmp_path):
    steps = file_steps(tmp_path, PREMISE, r"x^T H x = x^T \lambda x", r"= \lambda \|x\|^2", r"\lambda > 0")
    assert [s.verdict.value for s in steps] == ["proved"] * 3, [s.message for s in steps]
    used = steps[2].message
    assert "x^T H x = x^T \\lambda x" in used or "x^T H x = \\lambda \\|x\\|^2" in used
    assert "x \\neq 0" in used and "\\forall x \\neq 0" in used


def test_a_claim_is_not_proved_from_a_step_that_was_not_established(tmp_path):
    # The equality is marked expect-fail, so it is no fact; the claim is only tested.
    path = tmp_path / "doc.md"
    path.write_text(PREMISE + "<!-- deriv: expect-fail -->\n$$ x^T H x = 2 \\lambda \\|x\\|^2 $$\n\n$$ \\lambda > 0 $$\n")
    steps = deriv.check_file(str(path)).steps
    assert [s.verdict.value for s in steps] == ["expected-fail", "tested"], [s.message for s in steps]


def test_a_claim_whose_sign_can_not_be_certified_is_undecided_with_the_reason(tmp_path):
    # log(exp(x)) - x is exactly 0, but only as a ball around 0: its sign is never certain.
    step = one(tmp_path, r"\log(\exp(x)) \geq x")
    assert step.verdict.value == "undecided", step.message
    assert "could not be certified" in step.message


def test_a_partial_sum_of_squares_of_a_nonzero_vector_may_be_zero(tmp_path):
    head = HEAD.replace("---\n\n", "assumptions:\n  - v \\neq 0\n---\n\n")
    steps = file_steps(tmp_path, head, r"\sum_{k=1}^{N} v_k^2 > 0", r"\sum_{k=1}^{N-1} v_k^2 > 0")
    assert steps[0].verdict.value == "proved", steps[0].message
    assert steps[1].verdict.value != "proved", steps[1].message


def test_a_chain_continued_elsewhere_does_not_join_its_first_member(tmp_path):
    # a = 2b (expect-fail) does not make a chain from a; y = x + 0 continues from x.
    text = HEAD + ("$$ x = x + 0 $$\n\n<!-- deriv: expect-fail -->\n$$ a = 2 a + 1 $$\n\n$$ = x $$\n\n$$ a \\geq x $$\n")
    path = tmp_path / "doc.md"
    path.write_text(text)
    steps = deriv.check_file(str(path)).steps
    assert [s.verdict.value for s in steps][:3] == ["proved", "expected-fail", "proved"]
    assert steps[3].verdict.value == "refuted", steps[3].message
    assert "sign reasoning proved it" not in steps[3].message  # no false fact a = x


def test_a_fact_shifted_by_a_constant_proves_a_weaker_claim(tmp_path):
    head = "---\nsymbols:\n  a: scalar\nassumptions:\n  - a > 1\n---\n\n"
    steps = file_steps(tmp_path, head, r"a > 0", r"2 a - 1 > 0", r"a > 2", r"1 - a < 0")
    assert [s.verdict.value for s in steps] == ["proved", "proved", "refuted", "proved"], [s.message for s in steps]
    assert "a > 1" in steps[0].message

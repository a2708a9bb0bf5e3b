"""Claims (<, >, \\leq, \\geq, \\neq) decided by the certified random tester."""

from __future__ import annotations

import pytest

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


def check(tmp_path, head: str, *displays: str):
    path = tmp_path / "doc.md"
    path.write_text(head + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n")
    return deriv.check_file(str(path)).steps


def one(tmp_path, display: str, head: str = HEAD):
    (step,) = check(tmp_path, head, display)
    return step


@pytest.mark.parametrize(
    "display",
    [r"x^2 + 1 > 0", r"x^2 \geq 0", r"\exp(x) > 0", r"\exp(-x^2) < 1", r"-x^2 \leq 0", r"x^2 + 1 \neq 0",
     r"b > 0", r"x - x \geq 0", r"v_i^2 \geq 0", r"\exp(v_i) > 0"],
)
def test_true_claims_are_tested_never_proved(tmp_path, display):
    step = one(tmp_path, display)
    assert step.verdict.value == "tested", step.message
    assert "testing only, not proved" in step.message


def test_random_points_avoid_zero_so_a_strict_square_is_only_tested(tmp_path):
    # x is drawn nonzero: x^2 > 0 holds at every point tested, though not at x = 0.
    # ``tested`` is evidence at random points, never a proof.
    assert one(tmp_path, r"x^2 > 0").verdict.value == "tested"


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
    steps = check(tmp_path, HEAD, r"x^2 + 1 = 1 + x^2 > 0")
    assert [s.verdict.value for s in steps] == ["proved", "tested"]


def test_a_side_undefined_at_a_random_point_is_undecided(tmp_path):
    step = one(tmp_path, r"\log(x) > -100")
    assert step.verdict.value == "undecided"
    assert "undefined" in step.message


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
    steps = check(tmp_path, head, r"a > 0", r"a^2 > a", r"a < 2")
    assert [s.verdict.value for s in steps] == ["tested", "tested", "refuted"]
    assert "satisfies the assumptions a > 1" in steps[2].message

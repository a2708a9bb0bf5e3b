"""Domain conditions on entries of arrays, and under equation assumptions (docs/deciding.md,
Domains; engine/domain_points.py): a condition is solved for one entry at a time, the
assumptions imposed, so ``\\sqrt{x^T y}^2 = x^T y`` is refuted where ``x^T y < 0`` and
``\\sqrt{a}^2 = a`` under ``a = x`` where ``a = x = -1``.  Each case asserts an exact verdict;
a true step of the same shape is never refuted."""

from __future__ import annotations

import os
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv

VECTORS = """---
symbols:
  x: vector N
  y: vector N
  z: vector N
  S: symmetric matrix N x N
  T: symmetric matrix N x N
---

"""
#: x and y never 0: the search must find orthogonal (or opposite) vectors, not zero ones.
NONZERO_VECTORS = VECTORS + "<!-- deriv: assume x \\neq 0 -->\n\n<!-- deriv: assume y \\neq 0 -->\n\n"
SCALARS = """---
symbols:
  a: scalar
  x: scalar
  c: scalar
---

"""


def step_of(latex: str, head: str) -> deriv.StepResult:
    report = deriv.check_text(head + "$$\n" + latex + "\n$$\n")
    (step,) = report.steps
    return step


def assert_verdict(latex: str, head: str, *expected: str) -> deriv.StepResult:
    step = step_of(latex, head)
    assert step.verdict in expected, (latex, step.verdict, step.message)
    return step


REFUTED_ON_VECTORS = [
    (r"\sqrt{x^T y}^2 = x^T y", VECTORS),
    (r"\sqrt{x^T y}^2 = x^T y", NONZERO_VECTORS),
    (r"\frac{(x^T y) z_i}{x^T y} = z_i", VECTORS),
    (r"\frac{(x^T y) z_i}{x^T y} = z_i", NONZERO_VECTORS),  # only where x is orthogonal to y
    (r"\log(x^T x) - \log(x^T x) = 0", VECTORS),
    (r"\frac{x^T x - y^T y}{x^T x - y^T y} = 1", NONZERO_VECTORS),  # where y = x
    (r"\sqrt{x^T S y}^2 = x^T S y", VECTORS),
    (r"\frac{(x^T x - 1) z_i}{x^T x - 1} = z_i", VECTORS),  # x_1 = 1 at N = 1, or a rational root
    (r"\frac{((x^T x)^2 - 1) z_i}{(x^T x)^2 - 1} = z_i", NONZERO_VECTORS),  # quartic in x_1: a unit vector
    (r"\frac{((x^T y)^3 - 8) z_i}{(x^T y)^3 - 8} = z_i", NONZERO_VECTORS),  # cubic in x_1: x^T y = 2
]


@pytest.mark.parametrize(("latex", "head"), REFUTED_ON_VECTORS)
def test_a_condition_on_vectors_that_fails_somewhere_refutes(latex: str, head: str) -> None:
    step = assert_verdict(latex, head, "refuted")
    assert "undefined" in step.message


HOLDS_ON_VECTORS = [
    r"\sqrt{x^T x}^2 = x^T x",
    r"\frac{(x^T x + 1) z_i}{x^T x + 1} = z_i",
    r"\sqrt{x^T x + y^T y}^2 = x^T x + y^T y",
    r"\frac{x^T y + x^T y}{2} = x^T y",
    r"\frac{((x^T x)^2 + 1) z_i}{(x^T x)^2 + 1} = z_i",
    r"\sqrt{(x^T x)^2 - 2(x^T x) + 1}^2 = (x^T x)^2 - 2(x^T x) + 1",
]


@pytest.mark.parametrize("latex", HOLDS_ON_VECTORS)
def test_a_true_step_on_vectors_is_never_refuted(latex: str) -> None:
    assert_verdict(latex, VECTORS, "proved", "tested")


@pytest.mark.parametrize("assume", [
    "<!-- deriv: assume a = x -->\n\n",
    "<!-- deriv: assume a = 2 x + 1 -->\n\n",
    "<!-- deriv: assume a = x - c -->\n\n",
])
def test_a_condition_under_an_equation_assumption_is_solved_with_it(assume: str) -> None:
    step = assert_verdict(r"\sqrt{a}^2 = a", SCALARS + assume, "refuted")
    assert "undefined" in step.message


def test_an_assumption_in_front_matter_is_solved_with_too() -> None:
    head = SCALARS.replace("---\n\n", "assumptions:\n  - a = x\n---\n\n")
    assert_verdict(r"\sqrt{a}^2 = a", head, "refuted")
    assert_verdict(r"\frac{a x}{a} = x", head, "refuted")


@pytest.mark.parametrize("assume", [
    "<!-- deriv: assume a = x^2 -->\n\n",
    "<!-- deriv: assume a = x^2 + c^2 + 1 -->\n\n",
])
def test_an_assumption_that_keeps_the_condition_is_never_refuted(assume: str) -> None:
    assert_verdict(r"\sqrt{a}^2 = a", SCALARS + assume, "proved", "tested")


def _number(q: Fraction) -> str:
    text = str(abs(q.numerator)) if q.denominator == 1 else f"\\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"
    return ("-" if q < 0 else "+") + " " + text


FRACTIONS = st.fractions(min_value=-3, max_value=3, max_denominator=4)


@settings(max_examples=int(os.environ.get("DERIV_DOMAIN_POINT_EXAMPLES", "12")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=FRACTIONS, q=FRACTIONS, radicand=st.booleans())
def test_a_linear_condition_in_x_transpose_y_against_a_reference(p: Fraction, q: Fraction, radicand: bool) -> None:
    """``u = p x^T y + q`` (reference: ``x^T y`` takes every real value): ``\\sqrt{u}^2 = u`` fails
    somewhere iff ``p != 0`` or ``q < 0``; ``\\frac{u z_i}{u} = z_i`` iff ``p != 0`` or ``q = 0``."""
    u = f"\\left(0 {_number(p)} x^T y {_number(q)}\\right)"
    latex = f"\\sqrt{{{u}}}^2 = {u}" if radicand else f"\\frac{{{u} z_i}}{{{u}}} = z_i"
    fails = p != 0 or (q < 0 if radicand else q == 0)
    step = step_of(latex, NONZERO_VECTORS)
    if fails:
        assert step.verdict == "refuted", (latex, step.verdict, step.message)
    else:
        assert step.verdict in ("proved", "tested"), (latex, step.verdict, step.message)


@settings(max_examples=int(os.environ.get("DERIV_DOMAIN_POINT_EXAMPLES", "15")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=FRACTIONS, q=FRACTIONS, square=st.booleans())
def test_a_radicand_tied_by_an_assumption_against_a_reference(p: Fraction, q: Fraction, square: bool) -> None:
    """Under ``a = p x^2 + q`` (``square``) or ``a = p x + q``, ``\\sqrt{a}^2 = a`` fails somewhere iff
    some real ``x`` makes ``a < 0`` (reference: ``p < 0``, or ``q < 0``, or a linear ``p != 0``)."""
    power = "x^2" if square else "x"
    assume = f"<!-- deriv: assume a = 0 {_number(p)} {power} {_number(q)} -->\n\n"
    fails = q < 0 or p < 0 or (not square and p != 0)
    step = step_of(r"\sqrt{a}^2 = a", SCALARS + assume)
    if fails:
        assert step.verdict == "refuted", (assume, step.verdict, step.message)
    else:
        assert step.verdict in ("proved", "tested"), (assume, step.verdict, step.message)


MATRICES = VECTORS.replace("---\n\n", "  A: matrix N x N\n  a: scalar\n---\n\n")


@pytest.mark.parametrize(("assume", "latex"), [
    ("y = A x", r"\sqrt{x^T y}^2 = x^T y"),  # x^T A x < 0 somewhere: x itself solved for
    ("y = A x", r"\frac{(y^T y) z_i}{y^T y} = z_i"),  # y = 0 only where x = 0: set through the assumption
    ("a = x^T y", r"\frac{a z_i}{a} = z_i"),
])
def test_a_vector_condition_under_an_equation_assumption_is_refuted(assume: str, latex: str) -> None:
    assert_verdict(latex, MATRICES + f"<!-- deriv: assume {assume} -->\n\n", "refuted")


@pytest.mark.parametrize(("assumes", "latex"), [
    (("y = S x", "S \\succ 0"), r"\sqrt{x^T y}^2 = x^T y"),
    (("a = x^T S x", "S \\succ 0"), r"\sqrt{a}^2 = a"),
    (("a = x^T x + 1",), r"\frac{a z_i}{a} = z_i"),
])
def test_a_condition_the_assumptions_keep_is_never_refuted(assumes: tuple[str, ...], latex: str) -> None:
    head = MATRICES + "".join(f"<!-- deriv: assume {a} -->\n\n" for a in assumes)
    step = step_of(latex, head)
    assert step.verdict != "refuted", (latex, step.message)


@pytest.mark.parametrize("latex", [
    r"\frac{(x^T y)^2}{x^T y} > x^T y - 1",  # undefined where x is orthogonal to y (neither is 0)
    r"\frac{(x^T y)^2}{x^T y} \geq x^T y",
])
def test_a_claim_with_a_vector_condition_is_refuted_where_it_fails(latex: str) -> None:
    step = assert_verdict(latex, NONZERO_VECTORS, "refuted")
    assert "undefined" in step.message


def test_a_true_claim_with_a_vector_condition_is_not_refuted() -> None:
    assert_verdict(r"\frac{(x^T x)^2}{x^T x} > 0", NONZERO_VECTORS, "proved", "tested")

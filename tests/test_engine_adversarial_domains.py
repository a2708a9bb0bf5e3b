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
    r"\sqrt{x}^2 \geq x",  # undefined at a random (negative) point: undecided, as \log(x) > -100
    r"\log(x^2) \geq 2\log x",
    r"\sqrt{x} \sqrt{x} \geq x - 1",
]


@pytest.mark.parametrize("latex", CLAIMS_NOT_DECIDED)
def test_a_claim_whose_side_is_undefined_at_random_points_is_never_proved(latex: str) -> None:
    assert_verdict(latex, "undecided")


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
    assert "where v = " in step.message and "undefined" in step.message, step.message


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

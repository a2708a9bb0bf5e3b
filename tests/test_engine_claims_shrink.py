"""Engine, claims: a claim refuted at a random point shows a shrunk counterexample.

A random point's refutation showed the sides' values but not the point (``c^2
\\geq 1``: "left side = 25/121, right side = 1", ``c`` not shown) and was never
shrunk.  Now it is shrunk as an equality's is (:mod:`deriv.engine.shrink`, with
the claim's relation as what fails), and each shown point is checked again here
independently, with exact arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from helpers import displays, front_matter
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.results import StepResult, Verdict

OPTIONS = CheckOptions(isolate=False)
SYMBOLS = {"c": "scalar", "d": "scalar", "x": "vector N", "y": "vector N"}
RELATIONS = {">": lambda a, b: a > b, "\\geq": lambda a, b: a >= b, "<": lambda a, b: a < b,
             "\\leq": lambda a, b: a <= b, "\\neq": lambda a, b: a != b}


def step_of(math: str, assumptions: tuple[str, ...] = ()) -> StepResult:
    extra = "assumptions:\n" + "".join(f"  - {a}\n" for a in assumptions) if assumptions else ""
    result = deriv.check_text(front_matter(SYMBOLS, extra=extra) + displays(math), options=OPTIONS)
    assert result.error is None, result.error
    (step,) = result.steps
    return step


def shown(step: StepResult) -> dict[str, list[list[Fraction]]]:
    assert step.counterexample is not None
    return {name: [[Fraction(v) for v in row] for row in grid] for name, grid in step.counterexample.values}


@pytest.mark.parametrize(("math", "point"), [
    (r"c^2 \geq 1", {"c": [[0]]}),
    (r"c d \leq 1", {"c": [[1]], "d": [[2]]}),  # 0, 1 and -1 alone never exceed 1 in a product
    (r"\tanh(c) \geq 0", {"c": [[-1]]}),
    (r"\exp(-c) \leq 2", {"c": [[-1]]}),
    (r"c^3 - c > 0", {"c": [[0]]}),
])
def test_a_random_refutation_is_shrunk_and_shows_its_point(math, point):
    step = step_of(math)
    assert step.verdict is Verdict.REFUTED, step.message
    assert "random point" in (step.message or "")
    assert step.counterexample is not None and step.counterexample.shrunk
    assert shown(step) == {name: [[Fraction(v) for v in row] for row in grid] for name, grid in point.items()}


@pytest.mark.parametrize(("math", "assumption"), [(r"c^2 \geq 9", "c > 2"), (r"c^2 \geq 1", "c > 0")])
def test_a_counterexample_under_assumptions_satisfies_them_and_shows_its_point(math, assumption):
    # c^2 >= 9 under c > 2: no simple value satisfies c > 2 and fails, so the drawn one is shown
    step = step_of(math, assumptions=(assumption,))
    assert step.verdict is Verdict.REFUTED, step.message
    c = shown(step)["c"][0][0]
    assert c > int(assumption.split(">")[1]) and not c ** 2 >= int(math.split("geq")[1])


def test_a_vector_claim_is_shrunk_to_small_sizes():
    step = step_of(r"x^T y \leq 3")
    assert step.verdict is Verdict.REFUTED, step.message
    example = step.counterexample
    assert example is not None and example.shrunk
    values = shown(step)
    assert sum(a[0] * b[0] for a, b in zip(values["x"], values["y"])) > 3


@settings(max_examples=40, deadline=None)
@given(coefficients=st.lists(st.integers(-3, 3), min_size=2, max_size=4),
       relation=st.sampled_from(sorted(RELATIONS)), bound=st.integers(-4, 4))
def test_every_shown_point_fails_the_claim_exactly(coefficients, relation, bound):
    # A polynomial claim in c: deriv's counterexample, evaluated here with fractions (an independent
    # reference), must fail the relation; a claim deriv does not refute is not examined.
    polynomial = " + ".join(f"({a}) c^{{{k}}}" for k, a in enumerate(coefficients))
    step = step_of(f"{polynomial} {relation} {bound}")
    example = step.counterexample
    if step.verdict is not Verdict.REFUTED or example is None or example.note:
        return  # not refuted, or where the sides meet at an irrational point (shown by its enclosure)
    c = shown(step)["c"][0][0] if "c" in shown(step) else Fraction(0)  # c not read: any value
    value = sum(a * c ** k for k, a in enumerate(coefficients))
    assert not RELATIONS[relation](value, bound), (polynomial, relation, bound, c)


def test_a_structured_point_that_the_claim_does_not_read_is_not_named():
    # The structured instance "x = 0" refuted a claim in c alone: its message named x = 0, which is
    # no part of the counterexample (c was drawn); now it says a random point and shows c.
    step = step_of(r"\frac{d^2}{dc^2} \tanh(c) \geq 0")
    assert step.verdict is Verdict.REFUTED, step.message
    assert "x = 0" not in (step.message or "") and "c" in shown(step)
    step = step_of(r"x^T x \geq 1")
    assert "(x = 0)" in (step.message or "")  # a point the claim reads keeps its name

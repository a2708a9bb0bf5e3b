r"""Facts about one whole array (``x^T x \leq 1``, ``\|A\|_F \leq 2``) are met by its draws (engine/ball_points.py).

Draws lie in ``[1/12, 40]``: such a fact was met by chance almost never, and every claim or
statement under it was ``undecided`` ("no random instance"), true or false.  Now the drawn array is
moved onto the ray or line its draw gives: inside, or exactly on the boundary (a rational point of
the sphere) on even trials of a non-strict fact.  Every instance satisfies the fact exactly -- checked
here against an independent computation in fractions.
"""

from __future__ import annotations

from contextlib import nullcontext
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from helpers import assumed_verdicts, front_matter

from deriv.engine.assumptions import Unsatisfied, impose
from deriv.engine.decide import Session
from deriv.engine.instances import Instance
from deriv.meaning.declarations import build_context
from deriv.read.document import parse_document
from deriv.results import Verdict


@pytest.mark.parametrize(("symbols", "assumption", "step", "verdict"), [
    # undecided before: no draw met the assumption
    ({"A": "matrix N x N"}, r"\|A\|_F \leq 2", r"\operatorname{tr}(A^T A) \leq 4", Verdict.TESTED),
    ({"A": "matrix N x N"}, r"\|A\|_F \leq 2", r"A_{1,1} \leq 2", Verdict.TESTED),
    ({"x": "vector N"}, r"x^T x \leq 1", r"I_N - x x^T \succeq 0", Verdict.TESTED),
    ({"x": "vector N"}, r"x^T x \leq 1", r"\frac{11}{10} I_N - x x^T \succ 0", Verdict.TESTED),
    ({"x": "vector N"}, r"x^T x \leq 1", r"2 x_1 + 3 x_2 + x_3 < 37/10", Verdict.REFUTED),  # fails near (2, 3, 1)/sqrt 14
    ({"x": "vector N"}, r"\|x\| < 1", r"x_1^2 < 1", Verdict.TESTED),
    ({"x": "vector N"}, r"x^T x \leq 2", r"x_1 \leq 1", Verdict.REFUTED),
    ({"x": "vector N"}, r"x^T x \leq 1", r"(x_1 + x_2)^2 \leq 1", Verdict.REFUTED),
    ({"x": "vector N"}, r"x^T x \leq 1", r"1 - x^T x > 0", Verdict.REFUTED),  # on the sphere: x = e_1, or a rational point
])
def test_a_claim_under_a_norm_fact_is_tested_on_instances_that_meet_it(symbols, assumption, step, verdict) -> None:
    assert assumed_verdicts(symbols, [assumption], step) == [verdict]


@pytest.mark.parametrize(("symbols", "assumption", "step", "verdict"), [
    # false only on a small cap of the sphere: tried along the gradient of the difference, moved just inside
    ({"x": "vector N"}, r"x^T x \leq 1", r"2 x_1 + 3 x_2 + x_3 < 37/10", Verdict.REFUTED),  # max sqrt 14 = 3.7417
    ({"x": "vector N"}, r"x^T x \leq 1", r"2 x_1 + 3 x_2 + x_3 \leq 375/100", Verdict.TESTED),
    ({"x": "vector N"}, r"x^T x \leq 1", r"x_1 x_2 + x_2 x_3 < 7/10", Verdict.REFUTED),  # max 1/sqrt 2 = 0.7071
    ({"x": "vector N"}, r"x^T x \leq 1", r"x_1 x_2 + x_2 x_3 \leq 71/100", Verdict.TESTED),
    ({"x": "vector N"}, r"x^T x = 1", r"2 x_1 + 3 x_2 + x_3 < 37/10", Verdict.REFUTED),  # on the sphere: tested
    ({"x": "vector N"}, r"x^T x = 1", r"x_1 x_2 + x_2 x_3 < 7/10", Verdict.REFUTED),  # (its eigenvalues +-1/sqrt 2)
    ({"x": "vector N"}, r"x^T x = 1", r"x_1 x_2 + x_2 x_3 > -7/10", Verdict.REFUTED),
    ({"A": "matrix N x N"}, r"\|A\|_F \leq 1", r"A_{1,1} + 2 A_{2,1} + 2 A_{1,2} < 29/10", Verdict.REFUTED),  # max 3
])
def test_a_claim_false_on_a_small_cap_of_the_sphere(symbols, assumption, step, verdict) -> None:
    assert assumed_verdicts(symbols, [assumption], step) == [verdict]


@pytest.mark.parametrize(("symbols", "assumption", "steps", "verdicts"), [
    # an equation about one array alone is met on a rational point of its zero set (it was undecided:
    # not linear in any entry)
    ({"x": "vector N"}, r"x^T x = 1", [r"x x^T x = x", r"x_1 < 1", r"I_N - x x^T \succeq 0", r"I_N - x x^T \succ 0"],
     [Verdict.TESTED, Verdict.REFUTED, Verdict.TESTED, Verdict.REFUTED]),
    ({"A": "matrix N x N"}, r"\|A\|_F = 2", [r"\operatorname{tr}(A^T A) = 4", r"A_{1,1} < 2"], [Verdict.TESTED, Verdict.REFUTED]),
])
def test_an_equation_about_one_array_is_met_on_its_sphere(symbols, assumption, steps, verdicts) -> None:
    assert assumed_verdicts(symbols, [assumption], *steps) == verdicts


@pytest.mark.parametrize(("symbols", "assumptions", "step", "verdict"), [
    # beside declared scalars, which stay as drawn (undecided before)
    ({"x": "vector N", "a": "scalar"}, [r"a > 0", r"x^T x \leq a"], r"x_1^2 \leq a", Verdict.TESTED),
    ({"x": "vector N", "a": "scalar"}, [r"a > 0", r"x^T x \leq a"], r"x_1^2 < a", Verdict.REFUTED),
    ({"A": "matrix N x N", "b": "positive scalar"}, [r"\|A\|_F < b"], r"\operatorname{tr}(A^T A) < b^2", Verdict.TESTED),
    ({"x": "vector N"}, [r"x^T x \leq 1", r"x^T x \geq 2"], r"x_1 > 100", Verdict.UNDECIDED),  # contradictory
])
def test_a_norm_fact_beside_scalars(symbols, assumptions, step, verdict) -> None:
    assert assumed_verdicts(symbols, assumptions, step) == [verdict]


def _context(relation: str, bound: Fraction):
    text = front_matter({"x": "vector N"}, extra=f"assumptions:\n  - 'x^T x {relation} {bound.numerator}/{bound.denominator}'\n")
    document = parse_document(text + "$$ x = x $$\n", "t.md")
    return build_context(document.front, "t.md", nullcontext)


def _square(q: Fraction) -> bool:
    return all(round(k ** 0.5) ** 2 == k for k in (q.numerator, q.denominator))


def _squares(instance: Instance) -> Fraction:
    return sum((Fraction(int(v.p), int(v.q)) ** 2 for v in instance.arrays["x"].values()), Fraction(0))


@settings(max_examples=40, deadline=None)
@example(numerator=9, denominator=4, size=3, trial=0, strict=False)
@example(numerator=1, denominator=1, size=1, trial=2, strict=False)
@example(numerator=25, denominator=1, size=4, trial=4, strict=False)
@given(numerator=st.integers(1, 50), denominator=st.integers(1, 12), size=st.integers(1, 4),
       trial=st.integers(0, 24), strict=st.booleans())
def test_every_draw_meets_a_ball_exactly_and_reaches_its_sphere(numerator, denominator, size, trial, strict) -> None:
    bound = Fraction(numerator, denominator)
    context = _context("<" if strict else "\\leq", bound)
    session = Session(context)
    (n,) = context.sizes
    instance = Instance(context, 0, trial, {n: size})
    try:
        impose(instance, session.compiler)
    except Unsatisfied as error:  # never: the fact alone is always met
        raise AssertionError(error.args) from None
    squares = _squares(instance)
    assert squares < bound if strict else squares <= bound
    if not strict and trial % 2 == 0 and _square(bound):
        assert squares == bound  # r e_1 and the rational points of the sphere through it


# -- differential: linear claims over the unit ball, against the exact maximum |c| -------------------------

def _linear(c: tuple[int, ...]) -> str:
    """``c^T x`` written out: ``2 x_1 - 3 x_2``."""
    terms = [f"{'-' if k < 0 else '+'} {abs(k) if abs(k) != 1 else ''} x_{i + 1}" for i, k in enumerate(c) if k]
    return " ".join(terms).removeprefix("+ ")


@settings(max_examples=50, deadline=None, derandomize=True)
@given(c=st.lists(st.integers(-3, 3), min_size=1, max_size=3).filter(any).map(tuple),
       offset=st.sampled_from((-3, -1, 1, 3)), strict=st.booleans(), sphere=st.booleans())
def test_a_linear_claim_over_the_ball_is_judged_as_its_exact_maximum(c, offset, strict, sphere) -> None:
    # max of c^T x over x^T x <= 1 is |c|, reached only at c / |c|: d a little above |c| is true, below false.
    norm_sq = sum(k * k for k in c)
    d = Fraction(round(norm_sq ** 0.5 * 100) + offset, 100)
    true = d * d > norm_sq if d > 0 else False
    relation = "<" if strict else "\\leq"
    assumption = r"x^T x = 1" if sphere else r"x^T x \leq 1"  # the sphere reaches the ball's maximum
    found = assumed_verdicts({"x": "vector N"}, [assumption], f"{_linear(c)} {relation} {d.numerator}/{d.denominator}")
    if true:
        assert found[0] in (Verdict.PROVED, Verdict.TESTED), (c, d, found)
    else:
        assert found[0] is Verdict.REFUTED, (c, d, found)  # along the gradient c, just inside the sphere


@settings(max_examples=30, deadline=None)
@given(root=st.builds(Fraction, st.integers(1, 60), st.integers(1, 12)), size=st.integers(1, 4), trial=st.integers(0, 24))
def test_every_draw_meets_a_sphere_of_square_radius_exactly(root, size, trial) -> None:
    context = _context("=", root * root)
    session = Session(context)
    (n,) = context.sizes
    for attempt in range(2):  # a degenerate first attempt (some array 0) is redrawn plainly, as the tester does
        instance = Instance(context, 0, trial, {n: size}, attempt)
        try:
            impose(instance, session.compiler)  # r e_1 and the rational points through it
            break
        except Unsatisfied:
            assert attempt == 0
    assert _squares(instance) == root * root

"""Engine, assumptions and claims: adversarial cases (docs/deciding.md), exact verdicts end to end.

Steps false only on a bounded interval of a constrained scalar (``|a - 1| = a - 1`` with
``a`` positive: false on ``(0, 1)``), which random draws and a fact's boundary value miss;
contradictory assumptions; an assumption about one name leaking to another.
"""

from __future__ import annotations

import pytest
from helpers import displays, front_matter, verdict_values
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.engine.piecewise_points import has_piecewise


def check(symbols: dict[str, str], *maths: str, assumptions: tuple[str, ...] = ()) -> list:
    extra = "assumptions:\n" + "".join(f"  - {a}\n" for a in assumptions) if assumptions else ""
    result = deriv.check_text(front_matter(symbols, extra=extra) + displays(*maths), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return result.steps


# -- a step false only on a bounded interval the draws miss -------------------------------------
@pytest.mark.parametrize(("kind", "assumptions", "step", "verdict"), [
    ("positive scalar", (), r"\sqrt{(a - 1)^2} = a - 1", "refuted"),  # a = 1/2
    ("positive scalar", (), r"|a - 1| = a - 1", "refuted"),
    ("positive scalar", (), r"\sqrt{(a - 2)^2} = a - 2", "refuted"),
    ("scalar", (r"a > 0",), r"\sqrt{(a - 1)^2} = a - 1", "refuted"),  # a violating draw is set to 1
    ("scalar", (r"a > 0",), r"|a - 1| = a - 1", "refuted"),
    ("scalar", (r"a > 1",), r"\sqrt{(a - 2)^2} = a - 2", "refuted"),  # a = 3/2
    ("scalar", (r"a > 1",), r"|(a - 3)(a - 5)| = (a - 3)(a - 5)", "refuted"),  # a = 4
    ("scalar", (), r"|(a - 3)(a - 5)| = (a - 3)(a - 5)", "refuted"),
    ("scalar", (), r"\mathrm{relu}(a - 3) + \mathrm{relu}(5 - a) = |a - 4| + 1", "refuted"),  # a in (3, 5)
    # true ones stay tested
    ("scalar", (r"a > 1",), r"|a - 1| = a - 1", "tested"),
    ("scalar", (r"a > 1",), r"\sqrt{(a - 1)^2} = a - 1", "tested"),
    ("scalar", (r"a \geq 0",), r"\sqrt{(a + 1)^2} = a + 1", "tested"),
    ("positive scalar", (), r"|a| = a", "proved"),
])
def test_a_step_false_on_a_bounded_interval_is_refuted_there(kind, assumptions, step, verdict):
    (result,) = check({"a": kind}, step, assumptions=assumptions)
    assert result.verdict.value == verdict, result.message


def test_the_structured_counterexample_shows_its_value_and_satisfies_the_assumption():
    (result,) = check({"a": "scalar"}, r"\sqrt{(a - 2)^2} = a - 2", assumptions=(r"a > 1",))
    assert result.verdict.value == "refuted"
    assert "structured point (a = 3/2" in result.message
    example = result.counterexample
    assert (example.lhs_value, example.rhs_value) == ("1/2", "-1/2")
    assert example.values == (("a", (("3/2",),)),)


@settings(max_examples=12, deadline=None)
@given(st.integers(-3, 3), st.integers(-3, 3), st.sampled_from([">", r"\geq"]))
def test_a_root_of_a_square_below_a_bound_property(c, d, relation):
    """``\\sqrt{(a - d)^2} = a - d`` under ``a > c`` (``\\geq``) holds iff no allowed ``a`` is below
    ``d``: iff ``d <= c`` -- the exact reference."""
    (result,) = check({"a": "scalar"}, rf"\sqrt{{(a - ({d}))^2}} = a - ({d})", assumptions=(rf"a {relation} {c}",))
    assert result.verdict.value == ("tested" if d <= c else "refuted"), result.message


def test_piecewise_parts_are_seen_through_definitions():
    import sympy
    from deriv.context import Context

    a = sympy.Symbol("a")
    assert has_piecewise((sympy.Abs(a - 1),), Context())
    assert has_piecewise((sympy.sqrt(a),), Context())
    assert has_piecewise((sympy.Max(0, a),), Context())
    assert not has_piecewise((a**2 + sympy.exp(a), 1 / a), Context())


def test_a_defined_absolute_value_is_tried_at_structured_points_too():
    text = (front_matter({"a": "positive scalar"}, ["y = |a - 1|"]) + displays(r"y = a - 1"))
    (result,) = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert result.verdict.value == "refuted", result.message


# -- contradictory assumptions: nothing is tested or proved under them ---------------------------
@pytest.mark.parametrize("assumptions", [
    (r"a > 0", r"a < 0"),
    (r"a > 1", r"a < 1"),
    (r"a^2 < 0",),
    (r"a \geq 1", r"a \leq 0"),
])
def test_under_contradictory_assumptions_every_step_is_undecided(assumptions):
    steps = check({"a": "scalar"}, r"a > 5", r"a^2 < 0", r"a + a = 2a", r"\sqrt{a^2} = a", assumptions=assumptions)
    assert verdict_values(steps) == ["undecided"] * 4, [s.message for s in steps]


def test_a_positive_name_assumed_negative_decides_nothing():
    steps = check({"a": "positive scalar"}, r"a > 5", r"a = 3", assumptions=(r"a < 0",))
    assert verdict_values(steps) == ["undecided"] * 2


# -- an assumption about one name says nothing about another -------------------------------------
def test_an_assumption_about_a_does_not_leak_to_b():
    steps = check({"a": "scalar", "b": "scalar"}, r"\sqrt{b^2} = b", r"|b| = b", r"b \geq 0", r"a b > 0",
                  assumptions=(r"a > 0",))
    assert verdict_values(steps) == ["refuted"] * 4


def test_an_assumption_about_one_entry_does_not_leak_to_the_others():
    steps = check({"x": "vector N"}, r"\sqrt{x_i^2} = x_i", r"x_2 > 0", r"\sum_i x_i > 0",
                  assumptions=(r"x_1 > 0",))
    assert verdict_values(steps) == ["refuted"] * 3


"""Domains against an independent reference (tests/domains_reference.py): random rational
functions, square roots and logarithms in ``x``, ``y``; a true step, a step that cancels a
factor, and a mutated step.  deriv's verdict is compared with the reference at exact rational
points (docs/deciding.md, Domains):

* ``proved`` or ``tested`` on a step that fails at a reference point of the common domain
  (both sides defined, certainly different) is a false accept, and so is ``proved`` on one
  with a point where one side is defined and the other not (``tested`` is allowed there when
  deriv's search finds no such point, and says so);
* ``refuted`` on a step that fails nowhere (the same domain, equal values) is a false
  refutation, and a counterexample at a point where the reference says both sides are
  undefined, or where it contradicts the side deriv calls undefined, is one too.
"""

from __future__ import annotations

import os
import re

from domains_reference import EXPONENTS, EXPRESSIONS, LINEAR, POINTS, POLYNOMIALS, defined, differ, latex, mutated
from flint import fmpq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv

HEAD = "---\nsymbols:\n  x: scalar\n  y: scalar\n---\n\n"
#: More examples for a longer hunt: DERIV_DOMAIN_EXAMPLES=500.
SETTINGS = settings(max_examples=int(os.environ.get("DERIV_DOMAIN_EXAMPLES", "30")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _step(left: tuple, right: tuple) -> deriv.StepResult:
    report = deriv.check_text(HEAD + "$$\n" + latex(left) + " = " + latex(right) + "\n$$\n")
    (step,) = report.steps
    return step


def _failing(left: tuple, right: tuple) -> dict | None:
    """A reference point on the common domain where the sides certainly differ."""
    return next((p for p in POINTS if defined(left, p) and defined(right, p) and differ(left, right, p)), None)


def _one_sided(left: tuple, right: tuple) -> dict | None:
    """A reference point where exactly one side is defined."""
    return next((p for p in POINTS if defined(left, p) != defined(right, p)), None)


def _point_of(step: deriv.StepResult) -> dict | None:
    """The counterexample's exact values of x and y (None when one is not shown exactly)."""
    shown = dict(step.counterexample.values) if step.counterexample else {}
    if not shown:
        return None  # the seed's draws: not shown
    point = {}
    for name in ("x", "y"):
        rows = shown.get(name)
        text = rows[0][0] if rows else "1"  # a name the step does not use: any value
        if not re.fullmatch(r"-?\d+(/\d+)?", text):
            return None
        point[name] = fmpq(*map(int, text.split("/"))) if "/" in text else fmpq(int(text))
    return point


def _assert_sound_refutation(left: tuple, right: tuple, step: deriv.StepResult) -> None:
    point = _point_of(step)
    if point is None:
        return  # a certified decimal or a drawn value: the ball certified it
    a, b = defined(left, point), defined(right, point)
    assert a or b, ("refuted where both sides are undefined", point, step.message)
    if "left side is undefined" in step.message:
        assert not a and b, ("left called undefined", point, step.message)
    if "right side is undefined" in step.message:
        assert a and not b, ("right called undefined", point, step.message)


def _check(left: tuple, right: tuple) -> deriv.StepResult:
    step = _step(left, right)
    failing = _failing(left, right)
    verdict = step.verdict.value
    if failing is not None:  # false on the common domain: neither proved nor tested
        assert verdict not in ("proved", "tested"), (latex(left), latex(right), failing, step.message)
    if _one_sided(left, right) is not None:  # tested when no such point was found (docs/deciding.md)
        assert verdict != "proved", (latex(left), latex(right), _one_sided(left, right), step.message)
    if verdict == "refuted":
        _assert_sound_refutation(left, right, step)
    return step


@SETTINGS
@given(EXPRESSIONS, st.lists(LINEAR, min_size=1, max_size=2))
def test_a_cancelled_factor_is_never_proved_where_it_vanishes(expr: tuple, factors: list) -> None:
    factor = factors[0] if len(factors) == 1 else ("mul", factors[0], factors[1])
    cancelled = ("div", ("mul", expr, factor), factor)
    _check(cancelled, expr)


@SETTINGS
@given(EXPRESSIONS, st.integers(0, 50))
def test_a_mutated_step_is_never_accepted_where_the_reference_refutes_it(expr: tuple, choice: int) -> None:
    _check(expr, mutated(expr, choice))


def _commuted(tree: tuple) -> tuple:
    """The same function on the same domain: sums and products in the other order."""
    kind = tree[0]
    if kind in ("add", "mul"):
        return (kind, _commuted(tree[2]), _commuted(tree[1]))
    if kind in ("num", "var"):
        return tree
    return (kind,) + tuple(_commuted(c) if isinstance(c, tuple) else c for c in tree[1:])


@SETTINGS
@given(EXPRESSIONS)
def test_a_true_step_on_one_domain_is_never_refuted(expr: tuple) -> None:
    step = _check(expr, _commuted(expr))
    assert step.verdict.value != "refuted", (latex(expr), step.message)


@SETTINGS
@given(EXPRESSIONS, LINEAR)
def test_a_factor_cancelled_on_both_sides_is_never_refuted(expr: tuple, factor: tuple) -> None:
    left = ("div", ("mul", expr, factor), factor)
    right = ("div", ("mul", factor, _commuted(expr)), factor)
    step = _check(left, right)
    assert step.verdict.value != "refuted", (latex(left), latex(right), step.message)


@SETTINGS
@given(POLYNOMIALS, EXPONENTS, EXPONENTS)
def test_the_laws_of_powers_are_judged_as_the_reference_judges_them(base: tuple, a, b) -> None:
    """``p^a p^b = p^{a+b}`` and ``(p^a)^b = p^{ab}``, which SymPy may merge: true, or false
    only where a side is undefined (a negative base, a fraction that is not whole)."""
    for left, right in ((("mul", ("pow", base, a), ("pow", base, b)), ("pow", base, a + b)),
                        (("pow", ("pow", base, a), b), ("pow", base, a * b))):
        _check(left, right)  # a refutation's point is checked there (the reference's points miss x = -5)

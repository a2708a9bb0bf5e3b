"""Conditions lost where SymPy cancels: a random expression ``E`` in ``x``, ``y`` (square roots,
logarithms, quotients, powers: tests/domains_reference.py) is written where SymPy cancels it
away while building -- ``F + E - E``, ``0 \\cdot E``, a defined name ``w = E`` written as
``w - w``, an entry of a defined array, a sum, a derivative by a name ``E`` does not read, a
matrix scaled by ``E`` -- and the step says it equals ``F``, defined everywhere.

The independent reference decides exactly at rational points where ``E`` is undefined:

* where it is undefined at one of them, the step is false there, so ``proved`` is a false
  accept (``tested`` is allowed when deriv's search finds no point, and says so);
* a refutation whose point is shown exactly must be one where the reference says ``E`` is
  undefined;
* the same ``E`` written on both sides (``F + E - E = F + 0 \\cdot E``) is never refuted.

``DERIV_CANCELLED_EXAMPLES=300`` hunts longer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from domains_reference import EXPRESSIONS, POINTS, POLYNOMIALS, defined, latex
from flint import fmpq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv

SETTINGS = settings(max_examples=int(os.environ.get("DERIV_CANCELLED_EXAMPLES", "25")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

SYMBOLS = "  x: scalar\n  y: scalar\n  z: scalar\n  v: vector N\n  A: matrix N x N\n"


def _head(definitions: str = "") -> str:
    return f"---\nsymbols:\n{SYMBOLS}" + (f"definitions:\n{definitions}" if definitions else "") + "---\n\n"


#: Each context: (E, F) -> (head, left side, right side), the left side equal to the right where E is defined.
Context = Callable[[str, str], tuple[str, str, str]]

CONTEXTS: dict[str, Context] = {
    "difference": lambda e, f: (_head(), f"{f} + \\left({e}\\right) - \\left({e}\\right)", f),
    "times zero": lambda e, f: (_head(), f"{f} + 0 \\cdot \\left({e}\\right)", f),
    "quotient": lambda e, f: (_head(), f"\\frac{{\\left({e}\\right) \\left({f}\\right)}}{{{e}}}", f),
    "defined scalar": lambda e, f: (_head(f"  - w = {e}\n"), f"{f} + w - w", f),
    "defined array": lambda e, f: (_head(f"  - u = \\left({e}\\right) v\n"), f"\\left({f}\\right) v_i + u_i - u_i",
                                   f"\\left({f}\\right) v_i"),
    "sum": lambda e, f: (_head(), f"{f} + \\sum_{{i=1}}^{{N}} \\left(\\left({e}\\right) v_i - \\left({e}\\right) v_i\\right)",
                         f),
    "derivative": lambda e, f: (_head(), f"{f} + \\frac{{\\partial}}{{\\partial z}} \\left({e}\\right)", f),
    "matrix": lambda e, f: (_head(), f"\\left({e}\\right) A - \\left({e}\\right) A + \\left({f}\\right) A",
                            f"\\left({f}\\right) A"),
    "determinant": lambda e, f: (_head(), f"{f} + 0 \\cdot \\det\\left(\\left({e}\\right) A\\right)", f),
    "product": lambda e, f: (_head(), f"{f} + 0 \\cdot \\prod_{{i=1}}^{{N}} \\left({e}\\right) v_i", f),
    "transpose": lambda e, f: (_head(), f"\\left(\\left({e}\\right) v - \\left({e}\\right) v\\right)^T v + {f}", f),
    "inverse": lambda e, f: (_head(), f"{f} + 0 \\cdot \\operatorname{{tr}}\\left(\\left(\\left({e}\\right) A\\right)^{{-1}}\\right)", f),
    "trace": lambda e, f: (_head(), f"{f} + \\operatorname{{tr}}\\left(\\left({e}\\right) A^T - \\left({e}\\right) A\\right)"
                                    f" - \\operatorname{{tr}}\\left(\\left({e}\\right) A^T - \\left({e}\\right) A\\right)", f),
}

#: The contexts whose left side is undefined where ``E`` is 0 too: a quotient by it (``E A`` is singular
#: there, presupposed invertible where its inverse is written: no verdict asked there).
AT_ZERO = ("quotient",)


def _step(head: str, left: str, right: str) -> deriv.StepResult | None:
    """The step's result; None where the definition is not read (``\\left|\\left|\\left|x\\right|...``
    in a definition's parentheses is an unmatched ``\\rVert``: a reading matter, not this file's)."""
    report = deriv.check_text(head + "$$\n" + left + " = " + right + "\n$$\n")
    if report.error is not None:
        assert "definition" in report.error, report.error
        return None
    (step,) = report.steps
    return step


def _undefined_at(expr: tuple) -> dict | None:
    return next((p for p in POINTS if not defined(expr, p)), None)


def _point_of(step: deriv.StepResult) -> dict | None:
    """The counterexample's exact values of x and y (None when one is not shown exactly)."""
    shown = dict(step.counterexample.values) if step.counterexample else {}
    point = {}
    for name in ("x", "y"):
        rows = shown.get(name)
        if not rows:
            return None  # not shown: the step's draws (a name a quotient's x does not reach, say)
        text = rows[0][0]
        if not re.fullmatch(r"-?\d+(/\d+)?", text):
            return None
        point[name] = fmpq(*map(int, text.split("/"))) if "/" in text else fmpq(int(text))
    return point


@SETTINGS
@given(EXPRESSIONS, POLYNOMIALS, st.sampled_from(sorted(CONTEXTS)))
def test_a_cancelled_expression_keeps_where_it_is_undefined(expr: tuple, other: tuple, context: str) -> None:
    head, left, right = CONTEXTS[context](latex(expr), latex(other))
    step = _step(head, left, right)
    if step is None:
        return
    verdict = step.verdict.value
    if verdict == "error":
        assert "nested too deeply" not in step.message, step.message
        return
    undefined = _undefined_at(expr)
    at_zero = context in AT_ZERO
    if undefined is not None or at_zero and any(_zero(expr, p) for p in POINTS):
        assert verdict != "proved", (context, left, right, undefined, step.message)
    if verdict == "refuted":
        point = _point_of(step)
        assert point is None or not defined(expr, point) or at_zero and _zero(expr, point), (context, left, step.message)


def _zero(expr: tuple, point: dict) -> bool:
    from domains_reference import value
    return defined(expr, point) and value(expr, point).is_zero()


@SETTINGS
@given(EXPRESSIONS, POLYNOMIALS, st.sampled_from(["difference", "times zero", "sum"]))
def test_the_same_expression_cancelled_on_both_sides_is_never_refuted(expr: tuple, other: tuple, context: str) -> None:
    head, left, _ = CONTEXTS[context](latex(expr), latex(other))
    _, right, _ = CONTEXTS["times zero" if context != "times zero" else "difference"](latex(expr), latex(other))
    step = _step(head, left, right)
    assert step is not None and step.verdict.value != "refuted", (left, right, step)

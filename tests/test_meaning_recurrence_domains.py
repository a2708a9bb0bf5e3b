"""A recurrence's right side keeps where it is defined (deriv/meaning/recurrence_domains.py).

``x_t = \\frac{a x_{t-1}}{a}`` is built as ``x_{t-1}`` once SymPy cancels, yet every
member after the first is undefined at ``a = 0``: a step that uses a member and
one that uses its cancelled value are not equal there.
"""

from __future__ import annotations

import pytest

import deriv

SCALAR = """---
symbols:
  x: scalar, for t in 0..T
  a: scalar
  y: scalar, for t in 0..T
  c: scalar, for t in 0..T
indices:
  t: T
definitions:
  - x_t = \\frac{a x_{t-1}}{a}
  - y_t = \\frac{y_{t-1}}{c_t}
---
"""

VECTOR = """---
symbols:
  u: vector R, for t in 0..T
  w: vector R, for t in 0..T
  V: matrix R x R
  a: scalar
  x: vector R, for t in 0..T
indices:
  t: T
definitions:
  - u_t = \\frac{a V u_{t-1}}{a}
  - w_t = w_{t-1} \\oslash x_t
---
"""


def verdict(head: str, latex: str, seed: int = 0) -> deriv.StepResult:
    report = deriv.check_text(head + "$$\n" + latex + "\n$$\n", options=deriv.CheckOptions(seed=seed))
    (step,) = report.steps
    return step


REFUTED = [
    (SCALAR, r"x_t = x_{t-1}", "a = 0"),
    (SCALAR, r"x_1 = x_0", "a = 0"),
    (SCALAR, r"x_T = x_0", "a = 0"),
    (SCALAR, r"y_t c_t = y_{t-1}", "c = 0"),  # 0 times an undefined member is undefined, not 0
    (VECTOR, r"[u_t]_i = \sum_j V_{i,j} [u_{t-1}]_j", "a = 0"),
    (VECTOR, r"\frac{\partial [u_t]_i}{\partial [u_{t-1}]_j} = V_{i,j}", "a = 0"),
    (VECTOR, r"[w_t]_i [x_t]_i = [w_{t-1}]_i", "x = 0"),
]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize(("head", "latex", "where"), REFUTED)
def test_a_cancelled_recurrence_is_undefined_where_its_right_side_was(head: str, latex: str, where: str, seed: int) -> None:
    step = verdict(head, latex, seed)
    assert step.verdict == "refuted", (latex, step.verdict, step.message)
    assert where in step.message and "undefined" in step.message, step.message


HOLDS = [
    (SCALAR, r"x_t = x_t", "proved"),
    (SCALAR, r"y_t = \frac{y_{t-1}}{c_t}", "tested"),
    (SCALAR, r"y_1 = \frac{y_0}{c_1}", "tested"),
    (VECTOR, r"[u_t]_i = [u_t]_i + 0", "proved"),
    (VECTOR, r"[w_t]_i = \frac{[w_{t-1}]_i}{[x_t]_i}", "tested"),
]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize(("head", "latex", "expected"), HOLDS)
def test_a_step_defined_where_its_member_is_is_not_refuted(head: str, latex: str, expected: str, seed: int) -> None:
    step = verdict(head, latex, seed)
    assert step.verdict == expected, (latex, step.verdict, step.message)


def test_a_recurrence_without_conditions_is_still_proved() -> None:
    head = """---
symbols:
  h: vector H, for t in 0..T
  W: matrix H x H
indices:
  t: T
definitions:
  - h_t = W h_{t-1}
---
"""
    assert verdict(head, r"[h_t]_i = \sum_j W_{i,j} [h_{t-1}]_j").verdict == "proved"


@pytest.mark.parametrize("latex", [r"w - w = 0", r"0 \cdot w = 0", r"b + w - w = b"])
def test_a_defined_scalar_that_cancels_keeps_its_conditions(latex: str) -> None:
    # w = 1/a written and cancelled by SymPy (w - w is 0 before deriv sees it) left no condition:
    # proved, where \frac{1}{a} - \frac{1}{a} = 0 is refuted at a = 0 (docs/deciding.md).
    head = "---\nsymbols:\n  a: scalar\n  b: scalar\ndefinitions:\n  - w = \\frac{1}{a}\n---\n"
    step = verdict(head, latex)
    assert step.verdict == "refuted" and "a = 0" in step.message, step.message


@pytest.mark.parametrize(("head", "latex"), [
    ("---\nsymbols:\n  a: scalar\n  x: vector N\ndefinitions:\n  - v = \\frac{x}{a}\n---\n", r"v_i - v_i = 0"),
    (SCALAR.replace("  - y_t = \\frac{y_{t-1}}{c_t}", "  - y_t = y_{t-1} + x_t - x_t"), r"y_t = y_{t-1}"),
])
def test_an_array_or_a_recurrence_that_cancels_keeps_its_conditions(head: str, latex: str) -> None:
    # Their conditions were read from the member after SymPy cancelled it (v - v, x_t - x_t left none):
    # the builder records them as it reads each entry (meaning/read_domains.py).
    step = verdict(head, latex)
    assert step.verdict == "refuted" and "a = 0" in step.message, step.message


LATER_ROWS = SCALAR.replace("  - y_t = \\frac{y_{t-1}}{c_t}", "  - y_t = y_{t-1} + x_{t-1} - x_{t-1}")


@pytest.mark.parametrize(("latex", "expected"), [
    (r"x_0 - x_0 = 0", "proved"),  # the first member is drawn: no recurrence's condition
    (r"x_t - x_t = 0", "refuted"),
    (r"x_{t-1} - x_{t-1} = 0", "refuted"),  # at t = 2: x_1 is undefined at a = 0
    (r"y_1 = y_0", "tested"),  # y_1 reads x_0, defined at a = 0
    (r"y_t = y_{t-1}", "refuted"),
    (r"y_t = y_t", "proved"),
])
def test_a_recurrence_member_read_at_row_zero_keeps_no_condition(latex: str, expected: str) -> None:
    assert LATER_ROWS != SCALAR
    step = verdict(LATER_ROWS, latex)
    assert step.verdict == expected, (latex, step.verdict, step.message)

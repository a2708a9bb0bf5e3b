"""Meaning, recurrences: a family's members defined from earlier ones (docs/format.md).

``h_t = \\tanh(W h_{t-1} + U x_t)`` under ``definitions:``, ``h`` a family from
0, defines ``h_1..h_T`` from the free ``h_0``.  The tester unrolls members
exactly (or certified); the prover applies the recurrence only where a
member is certainly defined by it (``h_2`` down to ``h_0``, ``h_t`` once), so
a step that needs every application at a symbolic step (back propagation
through time) is ``tested``, never ``proved`` on a guess.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.engine import certified
from deriv.engine.compiler import Compiler
from deriv.engine.instances import Evaluator
from deriv.engine.recurrence import unrolled
from deriv.engine.shrink import GivenInstance
from deriv.ir import entry, fresh_index, index, size, sum_of
from deriv.meaning.declarations import build_context
from deriv.read.document import parse_document

RNN = """---
symbols:
  h: vector H, for t in 0..T
  x: vector D, for t in 1..T
  W: matrix H x H
  U: matrix H x D
  c: vector H
indices:
  t: T
definitions:
  - h_t = \\tanh(W h_{t-1} + U x_t)
---

"""

LINEAR = """---
symbols:
  h: vector H, for t in 0..T+1
  A: matrix H x H
  c: vector H
indices:
  t: T
definitions:
  - h_t = A h_{t-1}
---

"""

SCALAR = """---
symbols:
  a: scalar, for t in 0..T+1
  r: scalar
  g: vector H, for s in 1..T+1
  A: matrix H x H
indices:
  t: T
definitions:
  - a_t = r a_{t-1} + 1
  - g_s = A g_{s-1}
---

"""

#: A linear RNN with a loss at the last step (the members' values are exact).
BPTT = (RNN.replace("  W: matrix H x H\n  U: matrix H x D\n  c: vector H\n", "  A: matrix H x H\n  B: matrix H x D\n  g: function\n")
        .replace("  - h_t = \\tanh(W h_{t-1} + U x_t)\n", "  - h_t = A h_{t-1} + B x_t\n  - L = g(h_T)\n"))


def results(front: str, *displays: str):
    text = front + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return deriv.check_text(text, options=CheckOptions(isolate=False))


def verdicts(front: str, *displays: str) -> list[str]:
    return [str(s.verdict) for s in results(front, *displays).steps]


def single(front: str, display: str):
    (step,) = results(front, display).steps
    return step


# -- the one-step Jacobian and the fixed members of an RNN ---------------------------------------

JACOBIAN = "\\frac{\\partial [h_t]_i}{\\partial [h_{t-1}]_j}"


@pytest.mark.parametrize("display, expected", [
    (f"{JACOBIAN} = (1 - [h_t]_i^2) W_{{i,j}}", "proved"),        # one application at a symbolic t
    (f"{JACOBIAN} = (1 - [h_t]_i) W_{{i,j}}", "refuted"),         # the square missing
    (f"{JACOBIAN} = (1 - [h_t]_i^2) W_{{j,i}}", "refuted"),       # W transposed
    (f"{JACOBIAN} = 0", "refuted"),                                # h_t read as free of h_{t-1}
    (f"{JACOBIAN} = W_{{i,j}}", "refuted"),
    ("\\frac{\\partial [h_1]_i}{\\partial [h_0]_j} = (1 - [h_1]_i^2) W_{i,j}", "proved"),
    ("h_1 = \\tanh(W h_0 + U x_1)", "proved"),                      # a fixed member, unrolled
    ("h_1 = \\tanh(W h_0 - U x_1)", "refuted"),
    ("h_1 = \\tanh(W h_0)", "refuted"),
    ("h_t = \\tanh(W h_{t-1} + U x_t)", "proved"),
    ("h_t = \\tanh(W h_{t-1})", "refuted"),
    ("h_t = h_{t-1}", "refuted"),
    ("h_t^T W h_{t-1} = h_{t-1}^T W^T h_t", "proved"),                # as for a free family
    ("\\frac{\\partial [h_1]_i}{\\partial W_{j,k}} = \\delta_{i,j} (1 - [h_1]_i^2) [h_0]_k", "proved"),
    # the classic slip of back propagation through time: h_{t-1} depends on W too (true at t = 1 only)
    ("\\frac{\\partial [h_t]_i}{\\partial W_{j,k}} = \\delta_{i,j} (1 - [h_t]_i^2) [h_{t-1}]_k", "refuted"),
    ("\\frac{\\partial [h_T]_i}{\\partial [h_0]_j} = 0", "refuted"),
    ("\\frac{\\partial [h_{t-1}]_i}{\\partial [h_t]_j} = 0", "proved"),  # a member depends on earlier ones only
])
def test_an_rnn_checked_through_its_recurrence(display, expected):
    assert verdicts(RNN, display) == [expected]


@pytest.mark.parametrize("display", [
    f"{JACOBIAN} = (1 - [h_t]_i) W_{{i,j}}",
    f"{JACOBIAN} = (1 - [h_t]_i^2) W_{{j,i}}",
    "h_1 = \\tanh(W h_0 - U x_1)",
])
def test_a_counterexample_names_the_free_member_not_the_array_or_computed_ones(display):
    step = single(RNN, display)
    assert str(step.verdict) == "refuted"
    names = [name for name, _ in step.counterexample.values]
    assert "h" not in names, names
    # h_1..h_T are computed from h_0: a value shown for one would be a value never used
    assert all(not n.startswith("h_") or n == "h_{0}" for n in names), names


def test_the_bptt_slip_is_refuted_where_it_fails_at_the_second_step():
    step = single(RNN, "\\frac{\\partial [h_t]_i}{\\partial W_{j,k}} = \\delta_{i,j} (1 - [h_t]_i^2) [h_{t-1}]_k")
    assert dict(step.counterexample.indices)["t"] >= 2, step.counterexample


# -- definitions that are no recurrence --------------------------------------------------------

@pytest.mark.parametrize("definition, words", [
    ("h_t = \\tanh(W h_{t+1})", ["h_{t+1} on the right side", "earlier members only"]),
    ("h_t = \\tanh(W h_t)", ["h_t on the right side", "earlier members only"]),
    ("h_t = \\tanh(W h_{t-2})", ["h_{t - 2} at t = 1 is h_{-1}, before the first member h_{0}"]),
    ("h_t = \\tanh(W h_T)", ["on the right side", "earlier members only"]),
    ("h_{t+1} = \\tanh(W h_t)", ["written h_t = ...", "defines h_{1} to h_{T} from h_{0}"]),
    ("h_1 = \\tanh(W h_0)", ["written h_t = ..."]),
    ("h_T = W h_{T-1}", ["written h_t = ..."]),
    ("h_t = W", ["a member of h is a vector of length H", "H x H"]),
    ("h_t = \\tanh(W h_{t-1} + U x_{t+1})", ["x_{t + 1} at t = T is x_{T + 1}"]),
    ("h_t = \\tanh(W h_{t-1} + U x_{t-1})", ["before the first member x_{1}"]),
])
def test_what_is_no_recurrence_is_an_error(definition, words):
    front = RNN.replace("  - h_t = \\tanh(W h_{t-1} + U x_t)\n", f"  - {definition}\n")
    result = results(front, "h_0 = h_0")
    assert result.error is not None, definition
    for word in words:
        assert word in result.error, result.error


def test_a_recurrence_that_reaches_its_family_through_a_definition_is_an_error():
    front = RNN.replace("  - h_t = \\tanh(W h_{t-1} + U x_t)\n",
                        "  - b = \\sum_i (h_T)_i\n  - h_t = \\tanh(b W h_{t-1})\n")
    result = results(front, "h_0 = h_0")
    assert result.error is not None and "uses b, which depends on h itself" in result.error


def test_a_positive_family_can_not_be_defined_by_a_recurrence():
    """Its members would be positive symbols to the prover: sqrt([h_t]_i^2) = [h_t]_i would be proved."""
    front = RNN.replace("h: vector H, for t in 0..T", "h: positive vector H, for t in 0..T")
    result = results(front, "\\sqrt{[h_t]_i^2} = [h_t]_i")
    assert result.error is not None and "declared positive" in result.error, result.error


def test_two_recurrences_for_one_family_are_an_error():
    front = RNN.replace("  - h_t = \\tanh(W h_{t-1} + U x_t)\n",
                        "  - h_t = \\tanh(W h_{t-1})\n  - h_t = \\tanh(U x_t)\n")
    result = results(front, "h_0 = h_0")
    assert result.error is not None and "h is defined twice" in result.error


def test_coupled_recurrences_are_an_error_not_a_guess():
    front = """---
symbols:
  h: vector H, for t in 0..T
  m: vector H, for t in 0..T
  W: matrix H x H
definitions:
  - m_t = W h_{t-1}
  - h_t = \\tanh(m_t)
---

"""
    result = results(front, "h_0 = h_0")
    assert result.error is not None and "depends on h itself" in result.error, result.error


# -- a linear recurrence: members at numbers, two steps at once ------------------------------------

@pytest.mark.parametrize("display, expected", [
    ("h_2 = A A h_0", "proved"),
    ("h_2 = A h_0", "refuted"),
    ("h_1 = A h_0", "proved"),
    ("h_{t+1} = A A h_{t-1}", "proved"),
    ("h_{t+1} = A h_{t-1}", "refuted"),
    ("\\frac{\\partial (c^T h_2)}{\\partial h_0} = A^T A^T c", "proved"),
    ("\\frac{\\partial (c^T h_2)}{\\partial h_0} = A A c", "refuted"),
    ("\\frac{\\partial (c^T h_{T+1})}{\\partial h_T} = A^T c", "proved"),
    ("\\frac{\\partial (c^T h_{T+1})}{\\partial h_{t-1}} = A^T A^T c", "refuted"),   # true at t = T only
    # h_0 is in the sum on the left: nothing there is unrolled, so only the tester sees it
    ("\\sum_{t=0}^{T} h_t = h_0 + \\sum_{t=1}^{T} A h_{t-1}", "tested"),
    ("\\sum_{t=0}^{T} h_t = \\sum_{t=1}^{T} A h_{t-1}", "refuted"),
])
def test_a_linear_recurrence(display, expected):
    assert verdicts(LINEAR, display) == [expected]


def test_a_member_that_may_not_exist_is_an_error():
    """With h_0..h_T and T >= 1, h_2 is past the last member at T = 1: an error, as for
    any family.  A document that needs h_2 declares the family to T+1 (LINEAR)."""
    front = LINEAR.replace("for t in 0..T+1", "for t in 0..T")
    step = single(front, "h_2 = A A h_0")
    assert str(step.verdict) == "error" and "h_{2} past the last member h_{T} when T = 1" in step.message


@pytest.mark.parametrize("display, expected", [
    ("a_1 = r a_0 + 1", "proved"),
    ("a_2 = r^2 a_0 + r + 1", "proved"),
    ("a_2 = r^2 a_0 + r", "refuted"),
    ("\\frac{\\partial a_2}{\\partial r} = 2 r a_0 + 1", "proved"),
    ("\\frac{\\partial a_{t+1}}{\\partial a_{t-1}} = r^2", "proved"),
    ("\\frac{\\partial a_t}{\\partial r} = a_{t-1}", "refuted"),       # a_{t-1} depends on r
    ("g_2 = A g_1", "proved"),                                          # a family from 1: g_1 is free
    ("g_{t+1} = A g_t", "proved"),
    ("g_1 = A g_1", "refuted"),
])
def test_scalar_members_and_a_family_from_one(display, expected):
    assert verdicts(SCALAR, display) == [expected]


# -- back propagation through time: tested, never proved on a guess -------------------------------

@pytest.mark.parametrize("display, expected", [
    ("\\frac{\\partial L}{\\partial h_{t-1}} = A^T \\frac{\\partial L}{\\partial h_t}", "tested"),
    ("\\frac{\\partial L}{\\partial h_{t-1}} = A \\frac{\\partial L}{\\partial h_t}", "refuted"),
    ("\\frac{\\partial L}{\\partial A} = \\sum_{t=1}^{T} \\frac{\\partial L}{\\partial h_t} h_{t-1}^T", "tested"),
    ("\\frac{\\partial L}{\\partial A} = \\frac{\\partial L}{\\partial h_T} h_{T-1}^T", "refuted"),
])
def test_back_propagation_through_time(display, expected):
    step = single(BPTT, display)
    assert str(step.verdict) == expected, step.message
    if expected == "tested":
        assert "at sizes" in step.message and "other sizes are not covered" in step.message, step.message


# -- the engine: where a member is unrolled, and the values it takes ----------------------------------

def _context(front: str):
    return build_context(parse_document(front + "$$ a = a $$\n", None).front)


def test_a_member_is_unrolled_only_where_its_row_is_certainly_defined():
    context = _context(LINEAR)
    i, t = index("i"), index("t")
    assert unrolled(entry("h", sympy.Integer(0), i), context) == entry("h", sympy.Integer(0), i)
    assert unrolled(entry("h", t, i), context) == entry("h", t, i)            # t = 0 is h_0
    assert unrolled(entry("h", t + 1, i), context) != entry("h", t + 1, i)
    k = fresh_index("t")
    from_zero = sum_of(entry("h", k + 1, i), (k, -1, size("T") - 1))            # \sum_{t=0}^{T} h_t
    assert unrolled(from_zero, context) == from_zero
    from_one = sum_of(entry("h", k + 1, i), (k, 0, size("T") - 1))
    assert unrolled(from_one, context) != from_one


def _unrolled_values(context, sizes, arrays, rows: int, width: int):
    instance = GivenInstance(context, sizes, arrays)
    evaluator = Evaluator(instance, Compiler(context))
    with certified.precision(certified.START_PRECISION):
        return [[evaluator.recurrent_entry("h", (r, i)) for i in range(width)] for r in range(rows)]


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.data())
def test_the_tester_unrolls_a_linear_recurrence_exactly(width, steps, data):
    """Against an independent loop in Fractions: h_r = A h_{r-1}."""
    context = _context(LINEAR)
    cell = st.integers(-3, 3)
    a = {(i, j): data.draw(cell) for i, j in itertools.product(range(width), repeat=2)}
    h0 = [data.draw(cell) for _ in range(width)]
    arrays = {"A": a, "h": {(0, i): h0[i] for i in range(width)}, "c": {(i,): 0 for i in range(width)}}
    sizes = {size("T"): steps, size("H"): width}
    got = _unrolled_values(context, sizes, arrays, steps + 2, width)
    expected = [[Fraction(v) for v in h0]]
    for _ in range(steps + 1):
        previous = expected[-1]
        expected.append([sum(Fraction(a[i, j]) * previous[j] for j in range(width)) for i in range(width)])
    assert [[Fraction(int(v.p), int(v.q)) if hasattr(v, "p") else Fraction(v) for v in row] for row in got] == expected


SUMS = """---
symbols:
  a: scalar, for t in 0..T
  b: scalar, for t in 0..T
  y: vector T
  v: vector T
indices:
  t: T
definitions:
  - a_t = a_{t-1} + y_t
  - b_t = b_{t-1} + \\sum_{k=1}^{t} v_k
---

"""


@pytest.mark.parametrize("display, expected", [
    ("a_t = a_{t-1} + y_t", "proved"),
    ("a_T = a_0 + \\sum_{t=1}^{T} y_t", "tested"),            # a telescoping sum: every step at once
    ("a_T = a_0 + \\sum_{t=2}^{T} y_t", "refuted"),           # y_1 left out
    ("b_t - b_{t-1} = \\sum_{k=1}^{t} v_k", "tested"),        # a sum bounded by the step
    ("b_t - b_{t-1} = \\sum_{k=1}^{t-1} v_k", "refuted"),
])
def test_entries_and_sums_selected_by_the_step(display, expected):
    assert verdicts(SUMS, display) == [expected]

"""Backprop through time as it is written: a family's index range inferred from its members and
its recurrence, and whole-vector derivatives read as Jacobians in numerator layout
(docs/format.md, "Jacobians and Hessians"; ``deriv/meaning/family_ranges.py``,
``deriv/meaning/jacobians.py``).

Each case asserts an exact verdict; the property test compares Jacobians with SymPy's own
``jacobian`` on explicit small matrices, size 1 included.
"""

from __future__ import annotations

import pytest

import deriv
from deriv.check.options import CheckOptions

RNN = """  h: vector N, for t in 0..T
  x: vector D, for t in 1..T
  W: matrix N x N
  U: matrix N x D
"""
RECURRENCE = "definitions:\n  - h_t = \\tanh(W h_{t-1} + U x_t)\n"
FREE = """  h: vector N, for t in 0..T
  W: matrix N x N
"""


def verdicts(symbols: str, *displays: str, extra: str = "") -> list[tuple[str, str]]:
    text = f"---\nsymbols:\n{symbols}{extra}---\n\n" + "".join(f"$$\n{d}\n$$\n\n" for d in displays)
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return [(s.verdict.value, s.message) for s in result.steps]


def verdict(symbols: str, display: str, extra: str = "") -> str:
    ((found, message),) = verdicts(symbols, display, extra=extra)
    return found


def expect_error(symbols: str, display: str, words: tuple[str, ...], extra: str = "") -> None:
    """The one step of ``display`` is an error whose message says each of ``words``."""
    ((found, text),) = verdicts(symbols, display, extra=extra)
    assert found == "error", text
    assert all(w in text for w in words), text


# -- a family's index: its range from the members written and the recurrence --------------------
@pytest.mark.parametrize("display, expected", [
    (r"\frac{\partial (h_t)_i}{\partial (h_{t-1})_j} = (1 - (h_t)_i^2) W_{i,j}", "proved"),
    (r"\frac{\partial (h_t)_i}{\partial (h_{t-1})_j} = (1 - (h_t)_j^2) W_{i,j}", "refuted"),
    (r"\frac{\partial (h_t)_i}{\partial (h_{t-1})_j} = (1 - (h_t)_i^2) W_{j,i}", "refuted"),
    (r"\frac{\partial (h_t)_i}{\partial (h_{t-1})_j} = W_{i,j}", "refuted"),
    # h_t alone: the recurrence's t, 1..T (h_0 is the free start, about which the step says nothing)
    (r"(h_t)_i = \tanh(\sum_k W_{i,k} (h_{t-1})_k + \sum_k U_{i,k} (x_t)_k)", "proved"),
    (r"\frac{\partial (h_t)_i}{\partial U_{j,k}} = \delta_{i,j} (1 - (h_t)_i^2) (x_t)_k", "refuted"),  # h_{t-1} depends on U too
    (r"\frac{\partial (h_t)_i}{\partial U_{j,k}} = \delta_{i,j} (1 - (h_t)_i^2) (x_t)_j", "error"),  # k, j sizes
    # t = 1, where h_{t-1} is h_0, is in the range: a step false only there is refuted
    (r"\frac{\partial (h_t)_i}{\partial (h_0)_j} = (1 - (h_t)_i^2) W_{i,j}", "refuted"),
])
def test_recurrence_index_range(display: str, expected: str) -> None:
    assert verdict(RNN, display, extra=RECURRENCE) == expected


def test_index_range_still_given_wins() -> None:
    assert verdict(RNN, r"\frac{\partial (h_t)_i}{\partial (h_{t-1})_j} = (1 - (h_t)_i^2) W_{i,j}",
                   extra=RECURRENCE + "indices:\n  t: T\n") == "proved"


@pytest.mark.parametrize("display, words", [
    # h_{t+1} beside h_t from h_0: t = 0..T-1 does not start at 1
    (r"\frac{\partial (h_{t+1})_i}{\partial (h_t)_j} = (1 - (h_{t+1})_i^2) W_{i,j}", ("t = 0..T", "from 1")),
    # h_{t+1} beside h_{t-1}: 1..T-1, empty at T = 1
    (r"(h_{t+1})_i - (h_{t-1})_i = (h_{t+1})_i - (h_{t-1})_i", ("t = 1..T - 1",)),
    # past the end whatever t is
    (r"(h_{T+1})_i = (h_T)_i", ()),
])
def test_ranges_no_index_can_take_are_errors(display: str, words: tuple[str, ...]) -> None:
    expect_error(RNN, display, words, extra=RECURRENCE)


@pytest.mark.parametrize("display, expected", [
    # no recurrence: h_t alone runs over every member, h_0 included -- 0..T can not be written from 1
    (r"(h_t)_i = (h_t)_i", "error"),
    # h_t and h_{t-1}: t = 1..T, every pair of neighbours
    (r"(h_t)_i + (h_{t-1})_i = (h_{t-1})_i + (h_t)_i", "proved"),
    (r"(h_t)_i + (h_{t-1})_i = 2 (h_t)_i", "refuted"),
    # the display is read as a whole: a left side writing h_t alone takes the right side's h_{t-1}
    (r"(h_t)_i = (h_{t-1})_i", "refuted"),
    (r"(h_t)_i = (h_t)_i + 0 (h_{t-1})_i", "proved"),
    # an index written elsewhere too (an entry, a delta) is left to each member: h_t alone, 0..T
    (r"(h_t)_i = (h_{t-1})_i + \delta_{t,i} - \delta_{t,i}", "error"),
])
def test_free_family_index_range(display: str, expected: str) -> None:
    assert verdict(FREE, display) == expected


def test_index_with_an_entry_keeps_its_range() -> None:
    """``t`` also selects an entry of a vector: that fixes its range (1..N) as before, and h_t
    past h_T at N > T is the usual error, never a silent range."""
    symbols = FREE + "  v: vector N\n"
    assert verdict(symbols, r"v_t (h_t)_1 = (h_t)_1 v_t") == "error"


def test_family_from_one_keeps_its_range() -> None:
    symbols = "  r: vector N, for t in 1..T\n  V: matrix N x N\n"
    assert verdict(symbols, r"(r_t)_i = (r_t)_i + 0") == "proved"


# -- Jacobians in numerator layout ---------------------------------------------------------------
ARRAYS = """  x: vector N
  y: vector M
  W: matrix N x N
  B: matrix M x N
  A: matrix N x N
  S: symmetric matrix N x N
  c: scalar
  h: elementwise function
"""


@pytest.mark.parametrize("display, expected", [
    (r"\frac{\partial (W x)}{\partial x} = W", "proved"),
    (r"\frac{\partial (W x)}{\partial x} = W^T", "refuted"),  # equal at N = 1 only
    (r"\frac{\partial (B x)}{\partial x} = B", "proved"),
    (r"\frac{\partial (B x)}{\partial x} = B^T", "error"),  # shapes: M x N against N x M
    (r"\frac{\partial (S x)}{\partial x} = S^T", "proved"),
    (r"\frac{\partial x}{\partial x} = I_N", "proved"),
    (r"\frac{\partial (c x)}{\partial x} = c I_N", "proved"),
    (r"\frac{\partial (x^T x) x}{\partial x} = (x^T x) I_N + 2 x x^T", "proved"),
    (r"\frac{\partial (x^T x) x}{\partial x} = (x^T x) I_N + x x^T", "refuted"),
    # equal at N = 1 only (x^3 has derivative 3 x^2)
    (r"\frac{\partial (x^T x) x}{\partial x} = 3 (x^T x) I_N", "refuted"),
    (r"\frac{\partial (x \circ x)}{\partial x} = 2 \operatorname{diag}(x)", "proved"),
    (r"\frac{\partial (x \circ x)}{\partial x} = 2 x \mathbf{1}^T", "refuted"),
    (r"\frac{\partial x}{\partial x} = I", "proved"),
    (r"\frac{\partial h(x)}{\partial x} = \operatorname{diag}(h'(x))", "proved"),
    (r"\frac{\partial h(x)}{\partial x} = h'(x)", "error"),  # a vector is no N x N Jacobian
    (r"\frac{\partial h(W x)}{\partial x} = \operatorname{diag}(h'(W x)) W", "proved"),
    (r"\frac{\partial h(W x)}{\partial x} = W \operatorname{diag}(h'(W x))", "refuted"),
    (r"\frac{\partial h(W x)}{\partial x} = W^T \operatorname{diag}(h'(W x))", "refuted"),
    # a non-elementwise function: the softmax Jacobian
    (r"\frac{\partial \operatorname{softmax}(x)}{\partial x} = \operatorname{diag}(\operatorname{softmax}(x)) "
     r"- \operatorname{softmax}(x) \operatorname{softmax}(x)^T", "proved"),
    (r"\frac{\partial \operatorname{softmax}(x)}{\partial x} = \operatorname{diag}(\operatorname{softmax}(x))", "refuted"),
    (r"\frac{\partial (A x \circ x)}{\partial x} = \operatorname{diag}(x) A + \operatorname{diag}(A x)", "proved"),
    (r"\frac{\partial (A x \circ x)}{\partial x} = A \operatorname{diag}(x) + \operatorname{diag}(A x)", "refuted"),
    (r"\frac{\partial y}{\partial x} = 0", "proved"),
    # the chain rule in the mixed layout: gradients are columns
    (r"\frac{\partial (x^T A x)}{\partial x} = \left(\frac{\partial (A x)}{\partial x}\right)^T x + A x", "proved"),
    (r"\frac{\partial (x^T A x)}{\partial x} = \frac{\partial (A x)}{\partial x} x + A x", "refuted"),
])
def test_jacobian(display: str, expected: str) -> None:
    assert verdict(ARRAYS, display) == expected


@pytest.mark.parametrize("display, words", [
    (r"\frac{\partial (x^T A)}{\partial x} = A", ("row vector", "transpose")),  # a row vector: no layout given
    (r"\frac{\partial (A x)}{\partial A} = x", ("entry by an entry",)),
    (r"\frac{\partial (x x^T)}{\partial x} = x", ("entry by an entry",)),
    # \nabla of a vector: the Jacobian to some texts, its transpose to others
    (r"\nabla_x (W x) = W", ("reads two ways", "numerator layout")),
    (r"\nabla_x (W x) = W^T", ("reads two ways",)),
    # \partial x^T: a layout marker, not read
    (r"\frac{\partial (W x)}{\partial x^T} = W", ("by a transpose",)),
    (r"\frac{\partial^2 (x^T A x)}{\partial x \partial x^T} = A + A^T", ("by a transpose",)),
])
def test_no_jacobian_is_an_error(display: str, words: tuple[str, ...]) -> None:
    expect_error(ARRAYS, display, words)


@pytest.mark.parametrize("display, expected", [
    (r"\frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(1 - h_t \odot h_t) W", "proved"),
    (r"\frac{\partial h_t}{\partial h_{t-1}} = W^T \operatorname{diag}(1 - h_t \odot h_t)", "refuted"),
    (r"\frac{\partial h_t}{\partial h_{t-1}} = \left(\operatorname{diag}(1 - h_t \odot h_t) W\right)^T", "refuted"),
    (r"\frac{\partial h_t}{\partial h_{t-1}} = W \operatorname{diag}(1 - h_t \odot h_t)", "refuted"),
    # through the recurrence at a step that is no number: tested, never proved
    (r"\frac{\partial h_t}{\partial x_t} = \operatorname{diag}(1 - h_t \odot h_t) U", "tested"),
    (r"\frac{\partial h_t}{\partial x_t} = U^T \operatorname{diag}(1 - h_t \odot h_t)", "error"),  # D x N
    (r"\frac{\partial h_t}{\partial h_0} = \operatorname{diag}(1 - h_t \odot h_t) W", "refuted"),  # holds at t = 1 only
])
def test_backprop_through_time_jacobian(display: str, expected: str) -> None:
    assert verdict(RNN, display, extra=RECURRENCE) == expected


# -- Hessians: \nabla^2 of a scalar of a vector ----------------------------------------------------
@pytest.mark.parametrize("display, expected", [
    (r"\nabla_x^2 (x^T A x) = A + A^T", "proved"),
    (r"\nabla^2_x (x^T A x) = A^T + A", "proved"),
    (r"\nabla_x^2 (x^T A x) = 2 A", "refuted"),  # equal at N = 1 and for a symmetric A only
    (r"\nabla_x^2 (x^T S x) = 2 S", "proved"),
    (r"\nabla_x^2 \frac{1}{2} x^T A x = \frac{1}{2} (A + A^T)", "proved"),
    (r"\nabla_x^2 (x^T x)^2 = 4 (x^T x) I_N + 8 x x^T", "proved"),
    (r"\nabla_x^2 (x^T x)^2 = 4 (x^T x) I_N + 4 x x^T", "refuted"),
    (r"\nabla_x^2 (x^T x)^2 = 12 x x^T", "refuted"),  # equal at N = 1 only
    (r"\nabla_x^2 \left(\sum_i \exp(x_i)\right) = \operatorname{diag}(\exp(x))", "proved"),
    (r"\nabla_x^2 \left(\sum_i \exp(x_i)\right) = \exp(x) \exp(x)^T", "refuted"),
    (r"\nabla_x^2 \left(\sum_i x_i^3\right) = 6 \operatorname{diag}(x)", "proved"),
    (r"\nabla_x^2 \left(\sum_i x_i^3\right) = 6 x x^T", "refuted"),  # equal at N = 1, x = 1 only
    (r"\nabla_x^2 (c x^T x) = 2 c I_N", "proved"),
    (r"\nabla_x^2 (c x^T x) = c I_N", "refuted"),
    (r"\nabla_x^2 (c x^T \mathbf{1}) = 0", "proved"),
    (r"\nabla_c^2 c^3 = 6 c", "proved"),
    (r"\operatorname{tr}(\nabla_x^2 (x^T x)) = 2 N", "proved"),
    (r"\nabla^2 f(x) = \nabla_x^2 f(x)", "tested"),  # second derivatives of an opaque f: tested only
    # a Hessian-vector product: after a call the argument ends where it shows
    (r"v^T \nabla^2 f(x) v = v^T \nabla_x^2 f(x) v", "tested"),
    (r"\nabla^2 f(x) v = v", "refuted"),
    (r"\left[\nabla_x^2 (x^T A x)\right] v = (A + A^T) v", "proved"),
])
def test_hessian(display: str, expected: str) -> None:
    symbols = ARRAYS + "  f: function\n  v: vector N\n"
    assert verdict(symbols, display) == expected


@pytest.mark.parametrize("display, words", [
    (r"\nabla^2 (x^T A x) = A + A^T", ("without a subscript",)),  # x or A?
    (r"\nabla_x^2 (A x) = 0", ("a Hessian is of a scalar",)),
    (r"\nabla_A^2 (x^T A x) = 0", ("by a column vector",)),
    (r"\nabla^3 (x^T x) = 0", ("only as \\nabla^2",)),
    (r"\nabla^2 f(2x) = 4 \nabla^2 f(2x)", ("reads two ways",)),  # f's Hessian at 2x, or of f(2x)?
    (r"\nabla^2 f(x)^T = \nabla^2 f(x)", ("bracket the Hessian",)),
    (r"\nabla_x^2 (x^T A x) v = (A + A^T) v", ("bracket its argument",)),  # is v inside?
    (r"\nabla_x^2 f(y) = 0", ("reads two ways",)),  # f's Hessian at y, or 0 (y is free of x)?
])
def test_unread_hessians_are_errors(display: str, words: tuple[str, ...]) -> None:
    expect_error(ARRAYS + "  f: function\n", display, words)


# -- L_w by w: a declared scalar whose script names the variable ---------------------------------
LOSSES = """  w: vector N
  W: matrix N x N
  x: vector N
  theta: vector P
  L_w: scalar
  J_W: scalar
  "f_\\\\theta": scalar
  c_x: positive scalar
  x_0: scalar
  W_x: matrix N x N
  y_w: vector N
  "g_\\\\theta": vector N
"""


@pytest.mark.parametrize("display", [
    r"\frac{\partial L_w}{\partial w} = 0",  # was proved: L_w taken for a constant
    r"\nabla_w L_w = 0",
    r"\frac{\partial}{\partial w_k} L_w = 0",
    r"\frac{d L_w}{d w} = 0",
    r"\nabla_w^2 L_w = 0",
    r"\frac{\partial J_W}{\partial W} = 0",
    r"\frac{\partial f_\theta}{\partial \theta} = 0",
    r"\frac{\partial (L_w w^T w)}{\partial w} = 2 L_w w",  # inside a product too
    r"\frac{\partial (c_x x^T x)}{\partial x} = 2 c_x x",
    # an array named so, differentiated itself
    r"\frac{\partial g_\theta}{\partial \theta} = 0",
    r"\nabla_\theta g_\theta = 0",
    r"\frac{\partial (y_w)_i}{\partial w_j} = 0",
    r"\frac{\partial y_w}{\partial w} = 0",
])
def test_a_scalar_named_after_the_variable_is_an_error(display: str) -> None:
    expect_error(LOSSES, display, ("in its script", "definitions:"))


@pytest.mark.parametrize("display, expected", [
    (r"\frac{\partial L_w}{\partial W} = 0", "proved"),  # w is not W
    (r"\frac{\partial (x_0 x^T x)}{\partial x} = 2 x_0 x", "proved"),  # a number in the script
    (r"\frac{\partial (W_x x)}{\partial x} = W_x", "proved"),  # an array's script is a label
    (r"\frac{\partial (y_w^T w)}{\partial w} = y_w", "proved"),  # ... inside an expression
    (r"\frac{\partial (y_w)_i}{\partial x_j} = 0", "proved"),  # by another variable
])
def test_other_scripts_are_unchanged(display: str, expected: str) -> None:
    assert verdict(LOSSES, display) == expected


def test_a_declared_and_defined_loss_is_differentiated() -> None:
    symbols = "  w: vector N\n  A: matrix N x N\n  L_w: scalar\n"
    extra = "definitions:\n  - L_w = w^T A w\n"
    assert verdict(symbols, r"\frac{\partial L_w}{\partial w} = (A + A^T) w", extra=extra) == "proved"
    assert verdict(symbols, r"\frac{\partial L_w}{\partial w} = 2 A w", extra=extra) == "refuted"


# -- second derivatives written as fractions -------------------------------------------------------
@pytest.mark.parametrize("display, expected", [
    (r"\frac{\partial^2 (x^T A x)}{\partial x^2} = A + A^T", "proved"),  # the Hessian, as \nabla_x^2
    (r"\frac{\partial^2 (x^T A x)}{\partial x \partial x} = 2 A", "refuted"),
    # the Jacobian of a gradient, written as such, is the documented composition
    (r"\frac{\partial}{\partial x} \left(\frac{\partial (x^T A x)}{\partial x}\right) = A + A^T", "proved"),
    # a matrix's elementwise function keeps the seed's entry-by-entry reading
    (r"\left[\frac{\partial h(A)}{\partial A}\right]_{i,j} = h'(A_{i,j})", "proved"),
])
def test_second_derivatives_by_a_vector(display: str, expected: str) -> None:
    assert verdict(ARRAYS + "  v: vector N\n", display) == expected


def test_mixed_second_derivative_by_two_vectors_is_an_error() -> None:
    """Entry (i, j) by x_i and v_j, or by v_i and x_j: texts do both, so no reading is taken."""
    for candidate in ("A", "A^T"):
        expect_error(ARRAYS + "  v: vector N\n", rf"\frac{{\partial^2 (x^T A v)}}{{\partial x \partial v}} = {candidate}",
                     ("two whole vectors", "entries"))


# -- the inferred range against a brute-force reference -------------------------------------------
def reference_range(offsets: tuple[int, ...], recurrence: bool, last: int) -> list[int]:
    """Every t at which h_{t+a} exists for each offset a in a family h_0..h_last, and, with a
    recurrence, the latest member is one it defines (not h_0)."""
    return [t for t in range(-5, last + 6)
            if all(0 <= t + a <= last for a in offsets) and (not recurrence or t + max(offsets) >= 1)]


def reference_accepts(offsets: tuple[int, ...], recurrence: bool) -> bool:
    """deriv's free indices run 1..E with E >= 1 at every size: the reference range must be so
    at every T tried (1 to 6)."""
    ranges = [reference_range(offsets, recurrence, last) for last in range(1, 7)]
    return all(r and r == list(range(1, len(r) + 1)) for r in ranges)


def _member(offset: int) -> str:
    return "(h_t)_i" if offset == 0 else f"(h_{{t{offset:+d}}})_i"


@pytest.mark.parametrize("recurrence", [False, True])
@pytest.mark.parametrize("offsets", [(a, b) for a in range(-2, 2) for b in range(-2, 2) if a < b])
def test_inferred_range_matches_the_reference(offsets: tuple[int, int], recurrence: bool) -> None:
    """A step true at every t: proved exactly when the reference range is 1..E; otherwise an error,
    never a range narrower than the members allow."""
    first, second = (_member(a) for a in offsets)
    display = f"{first} + {second} = {second} + {first}"
    extra = RECURRENCE if recurrence else ""
    expected = "proved" if reference_accepts(offsets, recurrence) else "error"
    assert verdict(RNN if recurrence else FREE, display, extra=extra) == expected


def test_a_step_false_at_the_first_t_only_is_refuted() -> None:
    """With h_t and h_{t-1}, t = 1 (h_{t-1} = h_0) is in the range: a step false only there is
    refuted -- the range is never cut to make a step pass (members of a family without a
    recurrence are independent, so the derivative is 0 at every t but 1)."""
    display = r"\frac{\partial (h_{t-1})_i}{\partial (h_0)_j} + (h_t)_i = (h_t)_i"
    assert verdict(FREE, display) == "refuted"
    assert verdict(FREE, display, extra="indices:\n  t: T\n") == "refuted"


# -- the chain rule through time, read as one display ------------------------------------------------
READOUT = RECURRENCE + "  - L = c^T h_T\n"


@pytest.mark.parametrize("display, expected", [
    # t = 1..T from the whole display, though the left side alone (h_{t-1}, a variable) allows 1..T+1
    (r"\frac{\partial L}{\partial h_{t-1}} = \left(\frac{\partial h_t}{\partial h_{t-1}}\right)^T "
     r"\frac{\partial L}{\partial h_t}", "tested"),  # through the recurrence: never proved
    (r"\frac{\partial L}{\partial h_{t-1}} = \frac{\partial h_t}{\partial h_{t-1}} \frac{\partial L}{\partial h_t}",
     "refuted"),  # the Jacobian untransposed
    (r"\frac{\partial L}{\partial h_{t-1}} = W^T \operatorname{diag}(1 - h_t \circ h_t) \frac{\partial L}{\partial h_t}",
     "tested"),
    (r"\frac{\partial L}{\partial h_{t-1}} = \operatorname{diag}(1 - h_t \circ h_t) W \frac{\partial L}{\partial h_t}",
     "refuted"),
])
def test_backprop_through_time_chain_rule(display: str, expected: str) -> None:
    assert verdict(RNN + "  c: vector N\n", display, extra=READOUT) == expected


def test_a_variable_alone_is_no_recurrence_member() -> None:
    """h_{t-1} as a derivative's variable may be h_0: t = 1..T+1 alone, not cut to 2..T+1 as a
    value h_{t-1} would be (the recurrence defines h_1 on)."""
    symbols = RNN + "  c: vector N\n"
    assert verdict(symbols, r"\frac{\partial (c^T c)}{\partial h_{t-1}} = 0", extra=READOUT) == "proved"
    assert verdict(symbols, r"\frac{d (c^T c)}{d h_{t-1}} = 0", extra=READOUT) == "proved"  # d-form too
    # written as a value too (in the numerator), h_{t-1} must be one the recurrence defines
    found, text = verdicts(symbols, r"\frac{\partial (c^T h_{t-1})}{\partial h_{t-1}} = c", extra=READOUT)[0]
    assert found == "error" and "t = 2..T + 1" in text, text
    found, text = verdicts(symbols, r"c^T h_{t-1} = h_{t-1}^T c", extra=READOUT)[0]
    assert found == "error" and "t = 2..T + 1" in text, text


def test_a_transposed_jacobian_is_refuted_at_size_two_with_a_certified_counterexample() -> None:
    text = f"---\nsymbols:\n{ARRAYS}---\n\n$$ \\frac{{\\partial (W x)}}{{\\partial x}} = W^T $$\n"
    (step,) = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert step.verdict.value == "refuted"
    assert dict(step.counterexample.sizes)["N"] >= 2
    assert step.counterexample.lhs_value != step.counterexample.rhs_value


RNN_PAST_TWO = RNN.replace("0..T", "0..T+1").replace("1..T", "1..T+1")  # h_2 exists at every size


@pytest.mark.parametrize("display, expected", [
    # the chain rule of Jacobians: the later step's Jacobian on the left
    (r"\frac{\partial h_2}{\partial h_0} = \frac{\partial h_2}{\partial h_1} \frac{\partial h_1}{\partial h_0}", "proved"),
    (r"\frac{\partial h_2}{\partial h_0} = \frac{\partial h_1}{\partial h_0} \frac{\partial h_2}{\partial h_1}", "refuted"),
    (r"\frac{\partial h_2}{\partial h_0} = \operatorname{diag}(1 - h_2 \circ h_2) W \operatorname{diag}(1 - h_1 \circ h_1) W",
     "proved"),
    (r"\frac{\partial h_2}{\partial h_0} = \operatorname{diag}(1 - h_1 \circ h_1) W \operatorname{diag}(1 - h_2 \circ h_2) W",
     "refuted"),
    # a \prod of Jacobians has an order no \prod says: an error
    (r"\frac{\partial h_T}{\partial h_0} = \prod_{k=1}^{T} \frac{\partial h_k}{\partial h_{k-1}}", "error"),
])
def test_jacobians_through_two_steps(display: str, expected: str) -> None:
    assert verdict(RNN_PAST_TWO, display, extra=RECURRENCE) == expected

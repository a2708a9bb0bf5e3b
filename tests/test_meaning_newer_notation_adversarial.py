"""Adversarial cases of the newer notation (docs/format.md): gradients of functions at a point,
subscripted names, index arithmetic, families, inverses, determinants, traces, Kronecker and
Hadamard products, matrix literals.

Each case is one a reader sees one way; the verdict asserted is the one that reading gives.
The property tests compare with an independent reference (SymPy matrices at small sizes,
1 included, singular ones included).
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions

FUNCTIONS = """  x: vector N
  y: vector N
  x_0: vector N
  A: matrix M x N
  S: matrix N x N
  X: matrix N x N
  c: scalar
  f: function
  g: function
"""


def verdicts(symbols: str, *displays: str, extra: str = "") -> list[tuple[str, str]]:
    text = f"---\nsymbols:\n{symbols}{extra}---\n\n" + "".join(f"$$\n{d}\n$$\n\n" for d in displays)
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return [(s.verdict.value, s.message) for s in result.steps]


def verdict(symbols: str, display: str, extra: str = "") -> str:
    ((found, _),) = verdicts(symbols, display, extra=extra)
    return found


def is_error_saying(symbols: str, display: str, *words: str) -> bool:
    ((found, message),) = verdicts(symbols, display)
    return found == "error" and all(w in message for w in words)


# -- \nabla f(E): the gradient of f at the point E ---------------------------------------------
@pytest.mark.parametrize("display, expected", [
    # the chain rule as every optimisation text writes it
    (r"\nabla_x f(2x) = 2 \nabla f(2x)", "proved"),
    (r"\nabla_x f(2x) = \nabla f(2x)", "refuted"),  # was proved: \nabla f(2x) read as \nabla_x [f(2x)]
    (r"\nabla_x f(c x) = c \nabla f(c x)", "proved"),
    (r"\nabla_x f(c x) = \nabla f(c x)", "refuted"),
    (r"\nabla_x f(A x) = A^T \nabla f(A x)", "proved"),
    (r"\frac{\partial f(A x)}{\partial x} = A^T \nabla f(A x)", "proved"),
    (r"\nabla_x g(S x) = S \nabla g(S x)", "refuted"),
    (r"\nabla_x f(x + y) = \nabla f(x + y)", "proved"),
    (r"\nabla f(x + y) = \nabla f(y + x)", "proved"),
    # at the variable itself both readings agree
    (r"\nabla_x f(x) = \nabla f(x)", "proved"),
    (r"\frac{\partial f(x)}{\partial x_k} = [\nabla f(x)]_k", "proved"),
    (r"\nabla f(x) = \nabla f(2x)", "refuted"),
    (r"\nabla f(x_0) = 0", "refuted"),
    (r"\nabla_X f(X^T) = (\nabla f(X^T))^T", "proved"),
    (r"\nabla_X f(X^T) = \nabla f(X^T)", "refuted"),
    # a bracket says the operator applies to the expression
    (r"\nabla (f(2x)) = 2 \nabla f(2x)", "proved"),
    # a transpose or an entry written after the call is the gradient's (a scalar has neither)
    (r"\nabla_x f(2x)^T = 2 \nabla f(2x)^T", "proved"),
    (r"\frac{\partial f(2x)}{\partial x_k} = 2 \nabla f(2x)_k", "proved"),
    (r"\frac{\partial f(2x)}{\partial x_k} = \nabla f(2x)_k", "refuted"),
    (r"\nabla f(2c) = \frac{\partial f(2c)}{\partial c}", "refuted"),
    # the product rule and sums are unchanged
    (r"\nabla_x (f(x) g(x)) = g(x) \nabla f(x) + f(x) \nabla g(x)", "proved"),
])
def test_the_gradient_of_a_function_at_a_point(display: str, expected: str) -> None:
    assert verdict(FUNCTIONS, display) == expected


@pytest.mark.parametrize("display", [r"\nabla_x f(x_0) = 0", r"\nabla_x f(y) = 0", r"\nabla_x f(2 y) = 0"])
def test_a_gradient_by_a_variable_its_point_does_not_use_reads_two_ways(display: str) -> None:
    assert is_error_saying(FUNCTIONS, display, "reads two ways", "which is 0")


def test_the_gradient_at_a_defined_point_is_backpropagation_s() -> None:
    symbols = "  W: matrix M x N\n  x: vector N\n  f: function\n"
    extra = "definitions:\n  - Y = W x\n  - L = f(Y)\n"
    found = verdicts(symbols, r"\nabla_x L = W^T \nabla f(Y)", r"\nabla_x L = W \nabla f(Y)", r"\nabla_x L = \nabla f(Y)",
                     extra=extra)
    assert [v for v, _ in found] == ["proved", "error", "error"]  # shapes: W (M x N) by a vector M, M against N


@pytest.mark.parametrize("display, expected", [
    (r"\frac{\partial L}{\partial W} = \nabla f(Y) x^T", "proved"),  # was an error asking for brackets
    (r"\frac{\partial L}{\partial W} = \nabla f(Y) x^T W^T W", "refuted"),
    (r"\nabla_W L = \nabla f(W x) x^T", "proved"),
    (r"\nabla_x f(x)^T x = x^T \nabla f(x)", "proved"),
    (r"\nabla f(Y)^T W x = x^T W^T \nabla f(Y)", "proved"),
])
def test_a_factor_after_a_gradient_at_a_point(display: str, expected: str) -> None:
    symbols = "  W: matrix M x N\n  x: vector N\n  f: function\n"
    assert verdict(symbols, display, extra="definitions:\n  - Y = W x\n  - L = f(Y)\n") == expected


@pytest.mark.parametrize("display", [r"\nabla w(v) c = c v", r"\nabla_w c w^T w = 2 c w", r"\nabla_w w^T v c = c v"])
def test_a_factor_after_any_other_gradient_asks_for_brackets(display: str) -> None:
    assert is_error_saying("  w: vector N\n  v: vector N\n  c: scalar\n", display, "bracket its argument")


def test_a_partial_by_a_variable_the_argument_does_not_use_is_0() -> None:
    assert verdict(FUNCTIONS, r"\frac{\partial f(y)}{\partial x} = 0") == "proved"


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(-2, 2), min_size=4, max_size=4))
def test_the_chain_rule_through_a_literal_agrees_with_its_transpose(cells: list[int]) -> None:
    """``\\nabla_u f(M u) = M^T \\nabla f(M u)``, and ``M`` in place of ``M^T`` only for a symmetric ``M``."""
    a, b, c, d = cells
    literal = rf"\begin{{pmatrix}}{a}&{b}\\{c}&{d}\end{{pmatrix}}"
    symbols = "  u: vector 2\n  f: function\n"
    right = verdict(symbols, rf"\nabla_u f({literal} u) = {literal}^T \nabla f({literal} u)")
    assert right in ("proved", "tested")
    wrong = verdict(symbols, rf"\nabla_u f({literal} u) = {literal} \nabla f({literal} u)")
    assert (wrong in ("proved", "tested")) == (b == c), wrong


# -- W^{[2]} and W^{(2)}: labels, not powers ---------------------------------------------------
LABELS = """  W: matrix N x N
  x: vector N
  c: scalar
  "b^{(2)}": vector N
  "V^{[2]}": matrix N x N
"""


@pytest.mark.parametrize("display", [
    r"W^{[2]} = W W",  # was proved: the layer-2 weights read as W squared
    r"c^{[2]} = c^2",  # was proved
    r"W^{(2)} = W W",  # was proved: Goodfellow's W^{(2)} is a layer's matrix
    r"W^{[2]} x = W W x",
    r"c^{(2)} = c^2",  # was proved: \alpha^{(1)}, \alpha^{(2)} are iterates in optimisation notes
    r"c^{(1)} = c",
])
def test_a_bracketed_superscript_of_an_undeclared_name_is_never_a_power(display: str) -> None:
    assert is_error_saying(LABELS, display, "not a power")


@pytest.mark.parametrize("display, expected", [
    (r"V^{[2]} = V^{[2]}", "proved"),
    (r"V^{[2]} x = V^{[2]T} x", "refuted"),
    (r"b^{(2)}_i = [b^{(2)}]_i", "proved"),
    (r"W^{2} = W W", "proved"),
])
def test_declared_labels_and_plain_powers_are_unchanged(display: str, expected: str) -> None:
    assert verdict(LABELS, display) == expected


def test_a_scalar_power_by_a_name_is_written_with_parentheses() -> None:
    assert [v for v, _ in verdicts("  a: scalar\n  k: positive integer\n", r"a^{(k)} a = a^{(k+1)}", r"a^{(k)} = a")] == [
        "proved", "refuted"]


def test_a_matrix_power_by_a_horizon_is_written_with_parentheses() -> None:
    symbols = "  h: vector H, for t in 0..T\n  A: matrix H x H\n"
    extra = "indices:\n  t: T\ndefinitions:\n  - h_t = A h_{t-1}\n"
    assert [v for v, _ in verdicts(symbols, r"h_T = A^{(T)} h_0", r"h_T = A^{(T-1)} h_0", r"h_T = A^T h_0",
                                   extra=extra)] == ["tested", "refuted", "refuted"]


# -- f_\theta(x): a function whose script names the variable ------------------------------------
MODELS = """  x: vector N
  h: vector N
  theta: vector P
  w: vector N
  "f_\\\\theta": function
  g_w: function
  q_w: elementwise function
  W_x: matrix N x N
  W_h: matrix N x N
  b_h: vector N
  c: scalar
"""


@pytest.mark.parametrize("display", [
    r"\frac{\partial f_\theta(x)}{\partial \theta} = 0",  # was proved: the model's gradient by its parameters
    r"\frac{\partial}{\partial \theta_k} f_\theta(x) = 0",
    r"\nabla_\theta f_\theta(x) = 0",
    r"\frac{\partial g_w(x)}{\partial w_k} = 0",
    r"\frac{\partial}{\partial w_k} \sum_i q_w(x_i) = 0",
])
def test_a_derivative_by_a_function_s_parameter_is_an_error(display: str) -> None:
    assert is_error_saying(MODELS, display, "in its script", "deriv has no function of two arguments")


@pytest.mark.parametrize("display, expected", [
    # an array's script is a label: the weights for x, for h
    (r"\frac{\partial [W_x x]_i}{\partial x_j} = [W_x]_{i,j}", "proved"),
    (r"\frac{\partial [W_x x + W_h h + b_h]_i}{\partial h_j} = [W_h]_{i,j}", "proved"),
    (r"\frac{\partial [W_x x + W_h h + b_h]_i}{\partial h_j} = [W_x]_{i,j}", "refuted"),
    # another variable than the script's
    (r"\frac{\partial f_\theta(c x)}{\partial c} = x^T \nabla f_\theta(c x)", "proved"),
])
def test_labels_and_other_variables_are_unchanged(display: str, expected: str) -> None:
    assert verdict(MODELS, display) == expected


# -- L(w) with L defined from w ----------------------------------------------------------------
@pytest.mark.parametrize("display, definition", [
    (r"L(c) = c L", "L = c^2"),  # was proved: L times c, where a reader sees L at c, which is L
    (r"L(c) = c^2", "L = c^2"),  # was refuted
    (r"L(2) = 4", "L = c^2"),
    (r"L(2c) = 4 c^2", "L = c^2"),
    (r"E(w) = w^T w", "E = w^T w"),
    (r"Q(c) = Q", "Q = P^2\n  - P = c + 1"),  # through another definition
])
def test_a_defined_name_applied_to_what_it_is_defined_from_reads_two_ways(display: str, definition: str) -> None:
    symbols = "  c: scalar\n  w: vector N\n  a: scalar\n"
    text = f"---\nsymbols:\n{symbols}definitions:\n  - {definition}\n---\n\n$$\n{display}\n$$\n"
    ((step,),) = [deriv.check_text(text, options=CheckOptions(isolate=False)).steps]
    assert step.verdict.value == "error" and "reads two ways" in step.message


def test_a_bracket_of_other_names_after_a_defined_name_is_a_product() -> None:
    symbols = "  c: scalar\n  a: scalar\n  w: vector N\n"
    found = verdicts(symbols, r"L(a) = a w^T w", r"L (a + 1) = a L + L", r"L(a) = L", extra="definitions:\n  - L = w^T w\n")
    assert [v for v, _ in found] == ["proved", "proved", "refuted"]


def test_a_defined_matrix_before_a_bracket_of_what_it_uses_is_a_product() -> None:
    extra = "definitions:\n  - \\mu = \\frac{1}{N} X^T \\mathbf{1}_N\n  - S = X^T X - \\mu \\mu^T\n"
    assert verdict("  X: matrix N x M\n  w: vector M\n", r"S(w - \mu) = S w - S \mu", extra=extra) == "proved"


# -- explicit matrices against SymPy: inverses, determinants, traces, Kronecker, Hadamard -------
def _number(value: sympy.Rational) -> str:
    value = sympy.Rational(value)
    if value.q == 1:
        return str(value.p)
    return rf"{'-' if value < 0 else ''}\frac{{{abs(value.p)}}}{{{value.q}}}"


def _literal(matrix: sympy.Matrix) -> str:
    rows = r"\\".join("&".join(_number(v) for v in matrix.row(i)) for i in range(matrix.rows))
    return rf"\begin{{pmatrix}}{rows}\end{{pmatrix}}"


class _Draw:
    """A random ``n x n`` expression of literals and its SymPy value; ``singular`` when an inverse of a
    singular matrix was written (its value is then no reference)."""

    def __init__(self, data) -> None:
        self.data, self.singular = data, False

    def literal(self, n: int) -> tuple[str, sympy.Matrix]:
        cells = self.data.draw(st.lists(st.integers(-2, 2), min_size=n * n, max_size=n * n))
        matrix = sympy.Matrix(n, n, cells)
        return _literal(matrix), matrix

    def expression(self, n: int, depth: int) -> tuple[str, sympy.Matrix]:
        op = self.data.draw(st.sampled_from(["literal"] if depth == 0 else
                                            ["literal", "add", "product", "hadamard", "transpose", "inverse",
                                             "scaled", "kronecker"]))
        if op == "literal" or (op == "kronecker" and n not in (1, 4)):
            return self.literal(n)
        if op in ("add", "product", "hadamard"):
            (a, x), (b, y) = self.expression(n, depth - 1), self.expression(n, depth - 1)
            return {"add": (f"({a} + {b})", x + y), "product": (f"{a} {b}", x * y),
                    "hadamard": (rf"({a} \circ {b})", x.multiply_elementwise(y))}[op]
        if op == "kronecker":
            m = 2 if n == 4 else 1
            (a, x), (b, y) = self.expression(m, depth - 1), self.expression(m, depth - 1)
            return rf"({a} \otimes {b})", sympy.kronecker_product(x, y)
        a, x = self.expression(n, depth - 1)
        if op == "transpose":
            return f"({a})^T", x.T
        if op == "inverse":
            self.singular |= x.det() == 0
            return f"({a})^{{-1}}", x if x.det() == 0 else x.inv()
        b, y = self.expression(n, depth - 1)
        use_det = self.data.draw(st.booleans())
        return (rf"\det({b}) {a}", y.det() * x) if use_det else (rf"\operatorname{{tr}}({b}) {a}", y.trace() * x)


@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.sampled_from([1, 2, 2, 3, 4]), st.data())
def test_expressions_of_literals_agree_with_sympy(n: int, data) -> None:
    draw = _Draw(data)
    latex, value = draw.expression(n, 3)
    right = verdict("  c: scalar\n", f"{latex} = {_literal(value)}")
    wrong_value = sympy.Matrix(value)
    wrong_value[data.draw(st.integers(0, value.rows - 1)), data.draw(st.integers(0, value.cols - 1))] += 1
    wrong = verdict("  c: scalar\n", f"{latex} = {_literal(wrong_value)}")
    if draw.singular:  # the inverse of a singular literal: never tested; proved only where it cancels
        assert right != "tested" and wrong not in ("proved", "tested"), (latex, right, wrong)  # (strict xfail below)
    else:
        assert right in ("proved", "tested") and wrong == "refuted", (latex, right, wrong)


def test_a_singular_literal_s_inverse_times_zero_is_not_proved() -> None:
    """SymPy cancels the product before building sees the inverse; its invertibility is recorded (advp's fix)."""
    assert verdict("  c: scalar\n", r"\begin{pmatrix}0&0\\0&1\end{pmatrix}^{-1} \begin{pmatrix}0&0\\0&0\end{pmatrix}"
                   r" = \begin{pmatrix}0&0\\0&0\end{pmatrix}") == "refuted"


# -- sizes the grid keeps apart ---------------------------------------------------------------
def test_a_step_false_only_where_two_sizes_are_equal_past_1_is_refuted() -> None:
    """The grid keeps sizes pairwise distinct and meets them equal only at 1; a step whose value
    is no polynomial in the sizes is also tried with them all equal at 2 (a square ``C``)."""
    symbols = "  C: matrix N x M\n"
    display = r"\det(C C^T) \det(C^T C) (\det(C C^T) - \operatorname{tr}(C C^T)^N) = 0"  # was tested
    assert verdict(symbols, display) == "refuted"
    assert verdict(symbols, r"\det(C C^T) \det(C^T C) (\det(C C^T) - \operatorname{tr}(C C^T)^N)^2 \geq 0") == "tested"


# -- index arithmetic in sums against a reference ------------------------------------------------
def _upper(offset: int) -> str:
    return "N" if offset == 0 else (f"N-{offset}" if offset > 0 else f"N+{-offset}")


def _shifted(c: int) -> str:
    return "i" if c == 0 else (f"i+{c}" if c > 0 else f"i-{-c}")


def _inside(a: int, b: int, c: int) -> bool:
    """Whether ``x_{i+c}`` for ``i`` from ``a`` to ``N-b`` stays in ``x`` at every size where the sum has terms."""
    return all(not (a <= n - b) or (a + c >= 1 and n - b + c <= n) for n in range(1, 16))


def _same_terms(a: int, b: int, c: int, a2: int, b2: int) -> bool:
    return all([i + c for i in range(a, n - b + 1)] == list(range(a2, n - b2 + 1)) for n in range(1, 16))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 3), st.integers(-1, 3), st.integers(-3, 3), st.sampled_from([-1, 0, 0, 1]))
def test_a_shifted_sum_is_proved_refuted_or_out_of_range_as_a_reference_says(a: int, b: int, c: int, slip: int) -> None:
    """``\\sum_{i=a}^{N-b} x_{i+c} = \\sum_{i=a+c}^{N-b+c} x_i`` (its lower bound slipped by ``slip``): an entry
    outside ``x`` at some size is an error, never a wrap or a zero; otherwise the verdict is the truth."""
    a2, b2 = a + c + slip, b - c
    display = rf"\sum_{{i={a}}}^{{{_upper(b)}}} x_{{{_shifted(c)}}} = \sum_{{i={a2}}}^{{{_upper(b2)}}} x_i"
    found = verdict("  x: vector N\n", display)
    if not (_inside(a, b, c) and _inside(a2, b2, 0)):
        expected = {"error"}
    else:
        expected = {"proved", "tested"} if _same_terms(a, b, c, a2, b2) else {"refuted"}
    assert found in expected, display

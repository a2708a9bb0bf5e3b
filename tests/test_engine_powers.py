"""Engine, powers: matrix powers, Hadamard powers and Hadamard division (docs/format.md), end to end and unit level."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings, strategies as st

import deriv
from deriv.errors import DerivError
from deriv.latex import ast
from deriv.latex.parser import parse_display

HEAD = """---
symbols:
  A: matrix N x N
  B: matrix N x N
  X: matrix N x N
  Y: matrix N x N
  C: matrix N x M
  I: identity N
  x: vector N
  v: vector N
  s: scalar
  t: scalar
---

"""


def verdict(display: str, head: str = HEAD) -> tuple[str, str]:
    result = deriv.check_text(head + f"$$ {display} $$\n")
    assert result.error is None, result.error
    (step,) = result.steps
    return step.verdict.value, step.message


MATRIX_POWERS = [
    (r"A^2 = A A", "proved"),
    (r"A^3 = A A A", "proved"),
    (r"A^3 = A^2 A", "proved"),
    (r"A^3 = A A^2", "proved"),
    (r"A^1 = A", "proved"),
    (r"A^{1} = A", "proved"),
    (r"A^0 = I", "proved"),  # the convention: A^0 is the identity for every square A
    (r"A^0 A = A", "proved"),
    (r"A^0 = A", "refuted"),
    (r"[A^2]_{i,j} = \sum_k A_{i,k} A_{k,j}", "proved"),
    (r"[A^2]_{i,j} = A_{i,j}^2", "refuted"),  # a matrix power is not the entrywise square
    (r"(A B)^2 = A B A B", "proved"),
    (r"(A B)^2 = A^2 B^2", "refuted"),  # A, B do not commute
    (r"(A + B)^2 = A^2 + A B + B A + B^2", "proved"),
    (r"(A + B)^2 = A^2 + 2 A B + B^2", "refuted"),
    (r"(A^T)^2 = (A^2)^T", "proved"),
    (r"(A^T)^2 = A^2", "refuted"),
    (r"A^2 + A = A (A + I)", "proved"),
    (r"(x x^T)^2 = (x^T x) x x^T", "proved"),  # x x^T x x^T
    (r"(x x^T)^2 = x x^T", "refuted"),
    (r"(x^T x)^2 = x^T x x^T x", "proved"),  # a 1 x 1 product is a scalar: its square
    (r"(x^T A x)^2 = x^T A x x^T A x", "proved"),
    (r"\operatorname{tr}(A^2) = \sum_i \sum_k A_{i,k} A_{k,i}", "proved"),
    (r"\operatorname{tr}(A B A B) = \operatorname{tr}((A B)^2)", "proved"),
    (r"\operatorname{tr}(A^3) = \operatorname{tr}(A^2 A)", "proved"),
    (r"\operatorname{tr}(A^2) = \operatorname{tr}(A)^2", "refuted"),
    (r"\operatorname{tr}(A^2) = \operatorname{tr}(A^T A)", "refuted"),
    (r"\frac{\partial \operatorname{tr}(X^2)}{\partial X} = 2 X^T", "proved"),
    (r"\frac{\partial \operatorname{tr}(X^2)}{\partial X} = 2 X", "refuted"),  # the transpose is needed
    (r"\frac{\partial \operatorname{tr}(X^3)}{\partial X} = 3 (X^2)^T", "proved"),
    (r"\frac{\partial \operatorname{tr}(X^3)}{\partial X} = 3 X^2", "refuted"),
    (r"\frac{\partial \operatorname{tr}(X^3)}{\partial X} = 3 (X^T)^2", "proved"),
    (r"\frac{\partial \operatorname{tr}(X^4)}{\partial X} = 4 (X^3)^T", "proved"),
    (r"\frac{\partial \operatorname{tr}(X^4)}{\partial X_{i,j}} = 4 [X^3]_{j,i}", "proved"),
    (r"\frac{\partial [X^2]_{a,b}}{\partial X_{i,j}} = \delta_{a,i} X_{j,b} + X_{a,i} \delta_{j,b}", "proved"),
    (r"\frac{\partial [X^2]_{a,b}}{\partial X_{i,j}} = 2 \delta_{a,i} X_{j,b}", "refuted"),
    (r"\frac{\partial x^T A^2 x}{\partial x} = (A^2 + (A^2)^T) x", "proved"),
    (r"\frac{\partial x^T A^2 x}{\partial x} = 2 A^2 x", "refuted"),
    (r"s^2 = s s", "proved"),  # scalar powers are unchanged
    (r"s^3 = s^2 s", "proved"),
]


@pytest.mark.parametrize(("display", "expected"), MATRIX_POWERS)
def test_matrix_powers_are_matrix_products(display, expected):
    found, message = verdict(display)
    assert found == expected, message


def test_trace_of_square_against_square_of_trace_fails_past_size_one():
    # At N = 1 the two sides agree (a 1 x 1 matrix is its trace); the counterexample is at N >= 2.
    result = deriv.check_text(HEAD + r"$$ \operatorname{tr}(A^2) = \operatorname{tr}(A)^2 $$" + "\n")
    (step,) = result.steps
    assert step.verdict.value == "refuted"
    assert dict(step.counterexample.sizes)["N"] >= 2, step.counterexample


ERRORS = [
    (r"C^2 = C", "square matrix"),  # a non-square matrix has no power
    (r"v^2 = v", "powers of v"),  # a vector's square is ambiguous (v^T v? v \circ v?)
    (r"A^{-2} = A", "negative powers"),
    (r"A^s = A", "whole-number exponent"),  # a power by a scalar symbol
    (r"A^{1/2} = A", "whole-number exponent"),
    (r"A^{65} = A", "too large"),
    (r"A^{x} = A", "not a scalar"),  # a vector exponent
    (r"A^2_{i,j} = A_{i,j}", "reads two ways"),  # [A^2]_{i,j} or (A_{i,j})^2?
    (r"X^{\circ} = X", r"X^{\circ n}"),
    (r"X \oslash C = X", "shapes differ"),
]


@pytest.mark.parametrize(("display", "message"), ERRORS)
def test_powers_that_mean_nothing_are_errors(display, message):
    found, text = verdict(display)
    assert found == "error", text
    assert message in text


def test_entry_squared_after_the_subscript_is_the_square_of_the_entry():
    assert verdict(r"A_{i,j}^2 = A_{i,j} A_{i,j}")[0] == "proved"
    assert verdict(r"x^2_i = x_i x_i")[0] == "proved"  # a vector has no power: the entry's square


HADAMARD = [
    (r"X^{\circ 2} = X \circ X", "proved"),
    (r"[X^{\circ 2}]_{i,j} = X_{i,j}^2", "proved"),
    (r"X^{\circ 3} = X \circ X \circ X", "proved"),
    (r"X^{\circ 2} = X^2", "refuted"),  # entrywise square is not the matrix square
    (r"\operatorname{tr}(X^{\circ 2}) = \operatorname{tr}(X^2)", "refuted"),
    (r"x^{\circ 2} = x \circ x", "proved"),  # of a vector, unlike x^2
    (r"C^{\circ 2} = C \circ C", "proved"),  # of any shape
    (r"s^{\circ 2} = s^2", "proved"),
    (r"X^{\odot 2} = X \odot X", "proved"),
    (r"(X \circ Y)^{\circ 2} = X^{\circ 2} \circ Y^{\circ 2}", "proved"),
    (r"\frac{\partial \sum_i \sum_j [X^{\circ 2}]_{i,j}}{\partial X} = 2 X", "proved"),
    (r"\frac{\partial \sum_i \sum_j [X^{\circ 2}]_{i,j}}{\partial X} = 2 X^T", "refuted"),
    (r"[X \oslash Y]_{i,j} = \frac{X_{i,j}}{Y_{i,j}}", "proved"),
    (r"X \oslash Y = Y \oslash X", "refuted"),
    (r"X^{\circ -1} = I \oslash X", "refuted"),  # I has zeros off the diagonal
    # Y's entries cancel, but the left side is undefined where an entry of Y is 0 (x y / y = x is too)
    (r"X \oslash Y \circ Y = X", "refuted"),
    (r"X \oslash Y \circ Y = X \oslash Y \circ Y", "proved"),
    (r"\frac{\partial [X \oslash Y]_{i,j}}{\partial Y_{i,j}} = -\frac{X_{i,j}}{Y_{i,j}^2}", "proved"),
    (r"\frac{\partial [X \oslash Y]_{i,j}}{\partial Y_{i,j}} = \frac{X_{i,j}}{Y_{i,j}^2}", "refuted"),
    (r"X \oslash (Y \circ Y) = (X \oslash Y) \oslash Y", "proved"),
    (r"X \oslash Y \oslash Y = X \oslash (Y \oslash Y)", "refuted"),  # left to right, like a quotient
]


@pytest.mark.parametrize(("display", "expected"), HADAMARD)
def test_hadamard_powers_and_division(display, expected):
    found, message = verdict(display)
    assert found == expected, message


HALF_HEAD = HEAD.replace("  s: scalar\n", "  s: scalar\n  P: positive matrix N x N\n")


def test_hadamard_division_has_the_domain_of_a_quotient():
    # An entry of the denominator is never 0 in a random draw; a positive one is never 0 at all.
    assert verdict(r"P \oslash P = P^{\circ 0}", HALF_HEAD)[0] == "proved"
    assert verdict(r"[X^{\circ 1/2}]_{i,j} = \sqrt{X_{i,j}}", HALF_HEAD)[0] == "proved"


# -- unit level: the reading ---------------------------------------------------------------


def _member(latex: str):
    return parse_display(latex)[0].members[0]


def test_circ_opening_a_superscript_is_a_hadamard_exponent():
    node = _member(r"X^{\circ 2}")
    assert isinstance(node, ast.Scripted) and isinstance(node.sup, ast.Entrywise)
    assert node.sup.body == ast.Number("2", column=node.sup.body.column)
    negative = _member(r"X^{\circ -1}")
    assert isinstance(negative.sup, ast.Entrywise) and isinstance(negative.sup.body, ast.Neg)


def test_circ_elsewhere_is_still_the_hadamard_product():
    node = _member(r"X^{2} \circ Y")
    assert isinstance(node, ast.Hadamard) and not node.divide
    assert _member(r"X \oslash Y").divide


def test_the_order_of_scripts_is_kept():
    assert _member(r"A^2_{i,j}").power_first
    assert not _member(r"A_{i,j}^2").power_first


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=3))
def test_powers_multiply_like_an_independent_reference(p, q):
    # A^p A^q = A^{p+q}, and a wrong exponent is refuted (A = 0 and A = I are never drawn).
    assert verdict(f"A^{{{p}}} A^{{{q}}} = A^{{{p + q}}}")[0] == "proved"
    wrong = p + q + 1 if p + q < 6 else p + q - 1
    assert verdict(f"A^{{{p}}} A^{{{q}}} = A^{{{wrong}}}")[0] == "refuted"


def test_matrix_power_entries_equal_sympy_matrix_power():
    # An independent reference: SymPy's own matrix power of a symbolic 3 x 3 matrix.
    from deriv.meaning import values as V
    from deriv.meaning.powers import matrix_power

    n = 3
    a = sympy.Matrix(n, n, lambda i, j: sympy.Symbol(f"a{i}{j}"))
    value = V.matrix(sympy.Symbol("N", integer=True, positive=True), sympy.Symbol("N", integer=True, positive=True),
                     lambda i, j: sympy.Function("A")(i, j), "A")
    cube = matrix_power(value, V.scalar(3, "3"))
    reference = a**3
    for i in range(n):
        for j in range(n):
            entry = cube.entry(i, j).replace(
                lambda e: isinstance(e, sympy.Sum), lambda e: e
            )
            concrete = entry.subs(sympy.Symbol("N", integer=True, positive=True), n).doit()
            concrete = concrete.replace(sympy.Function("A"), lambda r, c: sympy.Symbol(f"a{r}{c}"))
            assert sympy.expand(concrete - reference[i, j]) == 0


def test_a_power_of_a_non_square_matrix_is_a_shape_error():
    from deriv.errors import ShapeError
    from deriv.meaning import values as V
    from deriv.meaning.powers import matrix_power

    value = V.matrix(sympy.Symbol("R", positive=True), sympy.Symbol("C", positive=True), lambda i, j: i + j, "C")
    with pytest.raises(ShapeError):
        matrix_power(value, V.scalar(2, "2"))
    assert issubclass(ShapeError, DerivError)


# -- powers by sizes: A^K (the MatrixPower node) --------------------------------------------

K_HEAD = HEAD.replace("  t: scalar\n", "  t: scalar\n  z: vector K\n  H: symmetric matrix N x N\n")

SYMBOLIC_POWERS = [
    (r"A^K = A^K", "proved"),
    (r"A^K A = A^{K+1}", "proved"),
    (r"A A^K = A^{K+1}", "proved"),
    (r"A^K A = A A^K", "proved"),
    (r"A^K A^2 = A^{K+2}", "proved"),
    (r"A^{2K} = A^K A^K", "proved"),
    (r"A^{10} A^3 = A^{13}", "proved"),  # past 6 factors a literal power is the same node
    (r"A^{10} A^3 = A^{12}", "refuted"),
    (r"\frac{\partial \operatorname{tr}(X^{8})}{\partial X} = 8 (X^7)^T", "proved"),
    (r"A^{K-1} A = A^K", "proved"),  # A^0 = I at K = 1
    (r"\operatorname{tr}(A^K B) = \operatorname{tr}(B A^K)", "proved"),
    (r"\frac{\partial \operatorname{tr}(X^K)}{\partial X} = K (X^{K-1})^T", "proved"),
    (r"\frac{\partial \operatorname{tr}(X^K)}{\partial X_{i,j}} = K [X^{K-1}]_{j,i}", "proved"),
    (r"\frac{\partial x^T A^K x}{\partial x} = (A^K + (A^K)^T) x", "proved"),
    (r"(A^K)^T = (A^T)^K", "proved"),  # a power of A^T is the transposed power of A
    (r"(A^T)^K A^T = (A^T)^{K+1}", "proved"),
    (r"\frac{\partial \operatorname{tr}(X^K)}{\partial X} = K (X^T)^{K-1}", "proved"),
    (r"(H^K)^T = H^K", "proved"),  # a power of a symmetric matrix is symmetric
    (r"(A^K)^T = A^K", "refuted"),
    (r"[A^K]_{i,j} = [A^K]_{j,i}", "refuted"),
    (r"A^K = A^{K+1}", "refuted"),
    (r"A^K = A^N", "refuted"),
    (r"(A B)^K = A^K B^K", "refuted"),
    (r"\operatorname{tr}(A^K) = \operatorname{tr}(A)^K", "refuted"),  # equal at K = 1 and at N = 1
    (r"\frac{\partial \operatorname{tr}(X^K)}{\partial X} = K X^{K-1}", "refuted"),  # the transpose is needed
    (r"\frac{\partial \operatorname{tr}(X^K)}{\partial X} = K (X^K)^T", "refuted"),
    (r"\frac{\partial \operatorname{tr}(X^K)}{\partial X} = (X^{K-1})^T", "refuted"),
]


@pytest.mark.parametrize(("display", "expected"), SYMBOLIC_POWERS)
def test_powers_by_sizes(display, expected):
    found, message = verdict(display, K_HEAD)
    assert found == expected, message


def test_a_trace_power_identity_true_at_small_sizes_is_refuted_past_them():
    result = deriv.check_text(K_HEAD + r"$$ \operatorname{tr}(A^K) = \operatorname{tr}(A)^K $$" + "\n")
    (step,) = result.steps
    sizes = dict(step.counterexample.sizes)
    assert sizes["N"] >= 2 and sizes["K"] >= 2, step.counterexample


@pytest.mark.parametrize(("display", "message"), [
    (r"A^{K-2} = A", "never negative"),  # A^{-1} at K = 1
    (r"A^{K/2} = A", "whole-number exponent"),
    (r"C^K = C", "square matrix"),
    (r"v^K = v", "powers of v"),
])
def test_powers_by_sizes_that_mean_nothing_are_errors(display, message):
    found, text = verdict(display, K_HEAD)
    assert found == "error", text
    assert message in text


@settings(max_examples=8, deadline=None)
@given(st.tuples(*[st.integers(min_value=0, max_value=2)] * 4))
def test_powers_by_sizes_add_their_exponents(coefficients):
    a, b, c, d = coefficients
    exponent = lambda k, n: "0" if k == n == 0 else (f"{k}K + {n}" if k else str(n))  # noqa: E731
    left = f"A^{{{exponent(a, b)}}} A^{{{exponent(c, d)}}}"
    assert verdict(f"{left} = A^{{{exponent(a + c, b + d)}}}", K_HEAD)[0] == "proved"
    assert verdict(f"{left} = A^{{{exponent(a + c, b + d + 1)}}}", K_HEAD)[0] == "refuted"


def test_powers_merge_only_over_an_index_nothing_else_uses():
    from deriv.engine.matrix_powers import merged_powers
    from deriv.ir import MatrixArg, MatrixPower, entry, index, size

    n, k = size("N"), size("K")
    u, s, v = index("u"), index("s"), index("v")
    arg = MatrixArg.from_entry(lambda r, c: entry("A", r, c), n, n)
    left, right = MatrixPower(arg, k, u, s), entry("A", s, v)
    bound = {s: n}
    merged = merged_powers({left: sympy.S.One, right: sympy.S.One}, bound)
    assert merged == {MatrixPower(arg, k + 1, u, v): 1} and not bound
    # s also in x_s: the sum does not close over the two powers alone
    kept = {left: sympy.S.One, right: sympy.S.One, entry("x", s): sympy.S.One}
    assert merged_powers(dict(kept), {s: n}) == kept
    # s not summed, or summed over another range: nothing merges
    assert merged_powers({left: sympy.S.One, right: sympy.S.One}, {}) == {left: 1, right: 1}
    assert merged_powers({left: sympy.S.One, right: sympy.S.One}, {s: size("M")}) == {left: 1, right: 1}
    # a squared entry is not two factors joined by s
    assert merged_powers({left: sympy.S(2)}, {s: n}) == {left: 2}
    # s also in an exponent: the sum over s is not the product's inner index alone
    in_exponent = {MatrixPower(arg, s, u, s): sympy.S.One, right: sympy.S.One}
    assert merged_powers(dict(in_exponent), {s: n}) == in_exponent


class _PowerEvaluator:
    """What a compiled matrix power asks of an evaluator, around one drawn matrix."""

    def __init__(self, table: list, n: int) -> None:
        self.table, self.bindings = table, {}
        self.compiler = type("C", (), {"matrix": staticmethod(lambda arg: (0, ()))})()
        self.instance = type("I", (), {"size": staticmethod(lambda extent: n)})()

    def tabulate(self, arg):
        return self.table

    def remember(self, key, compute):
        return compute()


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=9), st.data())
def test_a_compiled_power_equals_sympys_matrix_power(n, k, data):
    # An independent reference: SymPy's Matrix ** k on the same integer matrix (also singular ones, k = 0).
    from deriv.engine.matrix_powers import compiled_matrix_power
    from deriv.ir import MatrixArg, MatrixPower, entry, index, size

    values = data.draw(st.lists(st.integers(min_value=-3, max_value=3), min_size=n * n, max_size=n * n))
    extent = size("N")
    i, j = index("i"), index("j")
    node = MatrixPower(MatrixArg.from_entry(lambda r, c: entry("A", r, c), extent, extent), sympy.Integer(k), i, j)
    ev = _PowerEvaluator(values, n)

    def compiled_of(expr):
        return lambda e: e.bindings[expr] if expr in (i, j) else int(expr)

    closure = compiled_matrix_power(compiled_of, node)
    reference = sympy.Matrix(n, n, values) ** k
    for row in range(n):
        for col in range(n):
            ev.bindings = {i: row, j: col}
            assert closure(ev) == reference[row, col]

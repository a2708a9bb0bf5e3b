"""Jacobians and Hessians against SymPy: each pair of a function and a candidate derivative is
checked by deriv (for every size) and by SymPy's own ``jacobian`` / ``hessian`` on explicit
matrices of symbols at sizes 1, 2 and 3.  deriv must prove exactly the pairs SymPy finds equal at
every size tried and refute the others -- a candidate equal at size 1 only (``W`` against ``W^T``)
included.  Independent of deriv's engine: SymPy differentiates explicit entries.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sympy
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions

SYMBOLS = """  x: vector N
  a: vector N
  W: matrix N x N
  A: matrix N x N
"""
Arrays = dict[str, sympy.Matrix]
Build = Callable[[Arrays], sympy.Matrix]


def arrays(n: int) -> Arrays:
    return {"x": sympy.Matrix(n, 1, lambda i, _: sympy.Symbol(f"x{i}")),
            "a": sympy.Matrix(n, 1, lambda i, _: sympy.Symbol(f"a{i}")),
            "W": sympy.Matrix(n, n, lambda i, j: sympy.Symbol(f"W{i}{j}")),
            "A": sympy.Matrix(n, n, lambda i, j: sympy.Symbol(f"A{i}{j}"))}


def _diag(v: sympy.Matrix) -> sympy.Matrix:
    return sympy.diag(*v)


def _tanh(v: sympy.Matrix) -> sympy.Matrix:
    return v.applyfunc(sympy.tanh)


def _sigma(z: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-z))


def _scalar(m: sympy.Matrix) -> sympy.Expr:
    return m[0, 0]


FUNCTIONS: dict[str, Build] = {
    r"W x": lambda s: s["W"] * s["x"],
    r"\tanh(W x)": lambda s: _tanh(s["W"] * s["x"]),
    r"(x^T x) x": lambda s: _scalar(s["x"].T * s["x"]) * s["x"],
    r"A x \circ x": lambda s: (s["A"] * s["x"]).multiply_elementwise(s["x"]),
}
JACOBIANS: dict[str, Build] = {
    r"W": lambda s: s["W"],
    r"W^T": lambda s: s["W"].T,
    r"\operatorname{diag}(1 - \tanh(W x) \circ \tanh(W x)) W":
        lambda s: _diag(sympy.ones(s["x"].rows, 1) - _tanh(s["W"] * s["x"]).applyfunc(lambda e: e ** 2)) * s["W"],
    r"W^T \operatorname{diag}(1 - \tanh(W x) \circ \tanh(W x))":
        lambda s: s["W"].T * _diag(sympy.ones(s["x"].rows, 1) - _tanh(s["W"] * s["x"]).applyfunc(lambda e: e ** 2)),
    r"(x^T x) I_N + 2 x x^T": lambda s: _scalar(s["x"].T * s["x"]) * sympy.eye(s["x"].rows) + 2 * s["x"] * s["x"].T,
    r"\operatorname{diag}(x) A + \operatorname{diag}(A x)": lambda s: _diag(s["x"]) * s["A"] + _diag(s["A"] * s["x"]),
    r"A \operatorname{diag}(x) + \operatorname{diag}(A x)": lambda s: s["A"] * _diag(s["x"]) + _diag(s["A"] * s["x"]),
}
SCALARS: dict[str, Callable[[Arrays], sympy.Expr]] = {
    r"x^T A x": lambda s: _scalar(s["x"].T * s["A"] * s["x"]),
    r"(x^T x)^2": lambda s: _scalar(s["x"].T * s["x"]) ** 2,
    r"\log(1 + \exp(a^T x))": lambda s: sympy.log(1 + sympy.exp(_scalar(s["a"].T * s["x"]))),
    r"\sum_i \exp(x_i)": lambda s: sum((sympy.exp(e) for e in s["x"]), sympy.S.Zero),
}
HESSIANS: dict[str, Build] = {
    r"A + A^T": lambda s: s["A"] + s["A"].T,
    r"2 A": lambda s: 2 * s["A"],
    r"4 (x^T x) I_N + 8 x x^T": lambda s: 4 * _scalar(s["x"].T * s["x"]) * sympy.eye(s["x"].rows) + 8 * s["x"] * s["x"].T,
    r"\sigma(a^T x) (1 - \sigma(a^T x)) a a^T":
        lambda s: _sigma(_scalar(s["a"].T * s["x"])) * (1 - _sigma(_scalar(s["a"].T * s["x"]))) * s["a"] * s["a"].T,
    r"\operatorname{diag}(\exp(x))": lambda s: _diag(s["x"].applyfunc(sympy.exp)),
}


def _zero(m: sympy.Matrix) -> bool:
    return all(sympy.simplify(sympy.expand(e.rewrite(sympy.exp))) == 0 for e in m)


def sympy_equal(derivative: Callable[[Arrays], sympy.Matrix], candidate: Build) -> bool:
    return all(_zero(derivative(arrays(n)) - candidate(arrays(n))) for n in (1, 2, 3))


def deriv_verdict(display: str) -> str:
    text = f"---\nsymbols:\n{SYMBOLS}---\n\n$$\n{display}\n$$\n"
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    ((step),) = result.steps
    return step.verdict.value


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
@pytest.mark.parametrize("candidate", sorted(JACOBIANS))
def test_jacobian_agrees_with_sympy(function: str, candidate: str) -> None:
    equal = sympy_equal(lambda s: FUNCTIONS[function](s).jacobian(s["x"]), JACOBIANS[candidate])
    found = deriv_verdict(rf"\frac{{\partial ({function})}}{{\partial x}} = {candidate}")
    assert found == ("proved" if equal else "refuted")


@pytest.mark.parametrize("function", sorted(SCALARS))
@pytest.mark.parametrize("candidate", sorted(HESSIANS))
def test_hessian_agrees_with_sympy(function: str, candidate: str) -> None:
    equal = sympy_equal(lambda s: sympy.hessian(SCALARS[function](s), list(s["x"])), HESSIANS[candidate])
    found = deriv_verdict(rf"\nabla_x^2 \left({function}\right) = {candidate}")
    assert found == ("proved" if equal else "refuted")


# -- products of matrices: every word is equal to every other at size 1 ------------------------------
LETTERS = {"A": lambda s: s["A"], "W": lambda s: s["W"], "A^T": lambda s: s["A"].T, "W^T": lambda s: s["W"].T}


def _word(letters: list[str]) -> tuple[str, Build]:
    def build(s: Arrays) -> sympy.Matrix:
        product = sympy.eye(s["x"].rows)
        for letter in letters:
            product = product * LETTERS[letter](s)
        return product
    return " ".join(letters), build


@settings(max_examples=25, deadline=None, phases=[Phase.generate], derandomize=True)
@given(st.lists(st.sampled_from(sorted(LETTERS)), min_size=1, max_size=3),
       st.lists(st.sampled_from(sorted(LETTERS)), min_size=1, max_size=3))
def test_jacobian_of_a_linear_map_agrees_with_sympy(left: list[str], right: list[str]) -> None:
    """``\\frac{\\partial (P x)}{\\partial x} = Q`` for words P, Q in A, W and their transposes: all equal
    at size 1 (numbers commute), so only a proof for every size, or a counterexample at size 2 or
    more, gets it right."""
    (p_text, p), (q_text, q) = _word(left), _word(right)
    equal = sympy_equal(lambda s: (p(s) * s["x"]).jacobian(s["x"]), q)
    assert deriv_verdict(rf"\frac{{\partial ({p_text} x)}}{{\partial x}} = {q_text}") == ("proved" if equal else "refuted")


@settings(max_examples=20, deadline=None, phases=[Phase.generate], derandomize=True)
@given(st.lists(st.sampled_from(sorted(LETTERS)), min_size=1, max_size=2),
       st.lists(st.sampled_from(sorted(LETTERS)), min_size=1, max_size=2), st.booleans())
def test_hessian_of_a_quadratic_form_agrees_with_sympy(form: list[str], candidate: list[str], symmetrised: bool) -> None:
    """``\\nabla_x^2 (x^T P x) = Q`` (or ``Q + Q^T``): SymPy's ``hessian`` on explicit entries decides."""
    (p_text, p), (q_text, q) = _word(form), _word(candidate)
    rhs_text = f"{q_text} + ({q_text})^T" if symmetrised else q_text

    def rhs(s: Arrays) -> sympy.Matrix:
        return q(s) + q(s).T if symmetrised else q(s)

    equal = sympy_equal(lambda s: sympy.hessian(_scalar(s["x"].T * p(s) * s["x"]), list(s["x"])), rhs)
    assert deriv_verdict(rf"\nabla_x^2 \left(x^T {p_text} x\right) = {rhs_text}") == ("proved" if equal else "refuted")

"""Meaning, notation beyond the core: constants, roots, primes, derivatives, norms, inner products (docs/format.md).

Each construct has a proved and a refuted example, asserted exactly, and
the half-understood neighbours of each are errors that name the problem.
"""

from __future__ import annotations

import pytest
from helpers import front_matter

import deriv
from deriv.results import Verdict

PROVED, REFUTED, ERROR, TESTED = Verdict.PROVED, Verdict.REFUTED, Verdict.ERROR, Verdict.TESTED

SYMBOLS = {
    "x": "scalar", "a": "scalar", "y": "scalar", "p": "positive scalar",
    "w": "vector N", "v": "vector N", "X": "matrix N x M", "A": "matrix N x N", "B": "matrix N x N",
    "f": "elementwise function", "h": "elementwise function", "g": "function", "L": "scalar",
}


def document(body: str, symbols: dict[str, str] | None = None, definitions: tuple[str, ...] = ()) -> str:
    return front_matter(SYMBOLS if symbols is None else symbols, definitions, quoted=True) + body + "\n"


def steps(body: str, symbols: dict[str, str] | None = None, definitions: tuple[str, ...] = ()) -> list:
    result = deriv.check_text(document(body, symbols, definitions))
    assert result.error is None, result.error
    return [(s.verdict, s.message or "") for s in result.steps]


def check(math: str, expected: Verdict, fragment: str | None = None, **kwargs) -> None:
    seen = steps(f"$$ {math} $$", **kwargs)
    assert [v for v, _ in seen] == [expected], seen
    if fragment is not None:
        assert fragment in seen[0][1], seen


# -- constants, roots, powers of functions, primes -------------------------------
FUNCTIONS = [
    (r"e^{x} = \exp(x)", PROVED, None),
    (r"e^{x} e^{y} = e^{x+y}", PROVED, None),
    (r"e^{x} = \exp(2x)", REFUTED, None),
    (r"\log e = 1", PROVED, None),
    (r"e = 3", REFUTED, None),
    (r"\pi w = w \pi", PROVED, None),
    (r"\pi = 3", REFUTED, None),
    (r"\sqrt[2]{x} = \sqrt{x}", PROVED, None),
    (r"\sqrt[3]{p^3} = p", PROVED, None),
    (r"\sqrt[3]{p^3} = p^2", REFUTED, None),
    (r"\sqrt[4]{x^4} = x", REFUTED, None),
    (r"\sqrt[3]{a^3} = a", ERROR, "odd root of a value that may be negative"),
    (r"\sqrt[0]{x} = x", ERROR, "whole number n >= 2"),
    (r"\sqrt[3] x = x", ERROR, "unexpected 'x'"),
    (r"\tanh^2(a) = \tanh(a)\tanh(a)", PROVED, None),
    (r"\tanh^2 a = (\tanh a)^2", PROVED, None),
    (r"\tanh^2(a) = \tanh(a)", REFUTED, None),
    (r"\log^2 p = \log(p) \log(p)", PROVED, None),
    (r"\tanh^{-1}(a) = a", ERROR, "positive whole power"),
    (r"\tanh^T(a) = a", ERROR, "positive whole power"),
    (r"f''(x) = f''(x)", PROVED, None),
    (r"f''(x) = f'(x)", REFUTED, None),
    (r"\frac{\partial f''(x)}{\partial x} = f'''(x)", PROVED, None),
    (r"\frac{\partial f''(x)}{\partial x} = f''(x)", REFUTED, None),
    (r"\frac{\partial f(h(a))}{\partial a} = f'(h(a)) h'(a)", PROVED, None),
    (r"f'(h(a)) = f'(a)", REFUTED, None),
    (r"f'' = f''", ERROR, "f'' must be applied"),
    (r"a''(x) = x", ERROR, "a is not a declared function"),
]


@pytest.mark.parametrize(("math", "expected", "fragment"), FUNCTIONS)
def test_constants_roots_and_primes(math: str, expected: Verdict, fragment: str | None) -> None:
    check(math, expected, fragment)


def test_declared_e_and_pi_are_the_declared_names() -> None:
    symbols = {"e": "scalar", "pi": "scalar", "x": "scalar"}
    check(r"e \pi = \pi e", PROVED, symbols=symbols)
    check(r"e = \exp(1)", REFUTED, symbols=symbols)
    check(r"\pi = 3", REFUTED, symbols=symbols)


# -- derivatives: d, orders, gradients --------------------------------------------
DERIVATIVES = [
    (r"\frac{d}{dx} x^2 = 2x", PROVED, None),
    (r"\frac{d}{dx} x^2 = x", REFUTED, None),
    (r"\frac{d x^3}{dx} = 3 x^2", PROVED, None),
    (r"\frac{dL}{dw_k} = \frac{\partial L}{\partial w_k}", PROVED, None),
    (r"\frac{d (w^T v)}{dw_k} = v_k", PROVED, None),
    (r"\frac{d (w^T v)}{dw_k} = w_k", REFUTED, None),
    (r"\frac{\mathrm{d} (w^T v)}{\mathrm{d} w} = v", PROVED, None),
    (r"\frac{\mathrm{d} (w^T v)}{\mathrm{d} w} = w", REFUTED, None),
    (r"\frac{d^2 x^3}{dx^2} = 6x", PROVED, None),
    (r"\frac{d^2 x^3}{dx^2} = 3x", REFUTED, None),
    (r"\frac{\partial^2 x^3}{\partial x^2} = 6x", PROVED, None),
    (r"\frac{\partial^2 x^3}{\partial x^2} = 6", REFUTED, None),
    (r"\frac{\partial^2}{\partial x^2} x^3 = 6x", PROVED, None),
    (r"\frac{\partial^2 (w^T A w)}{\partial w_k \partial w_l} = A_{k,l} + A_{l,k}", PROVED, None),
    (r"\frac{\partial^2 (w^T A w)}{\partial w_k \partial w_l} = 2 A_{k,l}", REFUTED, None),
    (r"\frac{\partial^2 x}{\partial x} = 1", ERROR, "order 2 needs 2 variables"),
    (r"\frac{d^2 x}{dx} = 1", ERROR, "order 2 needs 2 variables"),
    (r"\frac{\partial^{-1} x}{\partial x} = 1", ERROR, "whole order"),
    # by one whole vector twice: the Hessian, a matrix (docs/format.md, "Jacobians and Hessians")
    (r"\frac{\partial^2 (w^T w)}{\partial w \partial w} = 2", ERROR, "does not match the chain's N x N matrix"),
    (r"\frac{\partial^2 (w^T w)}{\partial w \partial w} = 2 I_N", PROVED, None),
    (r"\nabla_w (w^T v) = v", PROVED, None),
    (r"\nabla_w (w^T v) = w", REFUTED, None),
    (r"\nabla_w (w^T A w) = (A + A^T) w", PROVED, None),
    (r"\nabla_w (w^T A w) = 2 A w", REFUTED, None),
    (r"\nabla_w (w^T v) = \frac{\partial (w^T v)}{\partial w}", PROVED, None),
    (r"\nabla (w^T w) = 2 w", PROVED, None),
    (r"\nabla (w^T w) = w", REFUTED, None),
    (r"\nabla (w^T v) = v", ERROR, "\\nabla without a subscript is ambiguous here"),
    (r"\nabla 3 = 0", ERROR, "no declared variable"),
    (r"\nabla_{w,v} L = 0", ERROR, "one variable"),
]


@pytest.mark.parametrize(("math", "expected", "fragment"), DERIVATIVES)
def test_derivative_notation(math: str, expected: Verdict, fragment: str | None) -> None:
    check(math, expected, fragment)


def test_nabla_sees_through_definitions() -> None:
    symbols = {"w": "vector N", "A": "matrix N x N"}
    check(r"\nabla L = 2 w", PROVED, symbols=symbols, definitions=("L = w^T w",))
    check(r"\nabla L = w", REFUTED, symbols=symbols, definitions=("L = w^T w",))
    check(r"\nabla L = 2 A w", ERROR, "L depends on A, w", symbols=symbols, definitions=("L = w^T A w",))


def test_a_declared_d_is_not_a_differential() -> None:
    symbols = {"d": "scalar", "x": "scalar", "L": "scalar"}
    check(r"\frac{dL}{dx} = \frac{L d}{x d}", PROVED, symbols=symbols)  # d times L over d times x
    check(r"\frac{dL}{dx} = \frac{L}{x}", REFUTED, symbols=symbols)  # the left is undefined at d = 0
    check(r"\frac{dL}{dx} = 0", REFUTED, symbols=symbols)
    check(r"\frac{\mathrm{d} (x^2)}{\mathrm{d} x} = 2 x", PROVED, symbols=symbols)
    check(r"\frac{d x}{x} = \frac{x d}{x}", PROVED, symbols=symbols)


# -- absolute values, norms, inner products, diag ----------------------------------
NORMS = [
    (r"|a| = a", REFUTED, None),
    (r"|p| = p", PROVED, None),
    (r"\lvert a \rvert = \left| a \right|", PROVED, None),
    (r"|a x| = |a| |x|", TESTED, None),
    (r"|a + x| = |a| + |x|", REFUTED, None),
    (r"|a|x|| = 1", ERROR, "unmatched"),  # crossed bars (|| read as a norm's closing bar)
    (r"\|w\|_2 = \|w\|", PROVED, None),
    (r"\|w\|_2^2 = \sum_i w_i^2", PROVED, None),
    (r"\|w\|_2^2 = \sum_i w_i", REFUTED, None),
    (r"\|X\|_F^2 = \sum_{i,j} X_{i,j}^2", PROVED, None),
    (r"\|X\|_F^2 = \sum_{i,j} X_{i,j}", REFUTED, None),
    (r"\|X\|_F = \sqrt{\operatorname{tr}(X^T X)}", PROVED, None),
    (r"\|X\|_2 = 1", ERROR, "spectral norm"),
    (r"\|w\|_1 = 1", ERROR, "must be 2 (vectors) or F"),
    (r"\langle w, v \rangle = w^T v", PROVED, None),
    (r"\langle w, v \rangle = w^T w", REFUTED, None),
    (r"\langle A, B \rangle = \operatorname{tr}(A^T B)", PROVED, None),
    (r"\langle A, B \rangle = \operatorname{tr}(A B)", REFUTED, None),
    (r"\langle A, w \rangle = 1", ERROR, "shapes differ"),
    (r"\operatorname{diag}(w)_{i,j} = \delta_{i,j} w_i", PROVED, None),
    (r"\operatorname{diag}(w) v = w \circ v", PROVED, None),
    (r"\operatorname{diag}(w) v = w", REFUTED, None),
    (r"\mathrm{diag}(A) = A", ERROR, "only of a vector"),
]


@pytest.mark.parametrize(("math", "expected", "fragment"), NORMS)
def test_norms_and_products(math: str, expected: Verdict, fragment: str | None) -> None:
    check(math, expected, fragment)

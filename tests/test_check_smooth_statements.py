"""Statements about derivatives of smooth bodies (``\\nabla_x^2 (x^T A^T A x) \\succeq 0``) are decided.

Every derivative is recorded as a kink; a statement about every point used to be
undecided because of it ("the statement is undefined where ... kink 0 fails"), even
for a polynomial.  A kink of a body smooth where defined (:mod:`deriv.meaning.smoothness`)
now says nothing, while a body through ``|u|``, relu, a norm or a fractional power keeps it.
"""

from __future__ import annotations

import pytest
import sympy
from helpers import displays, front_matter, verdict_values

import deriv
from deriv.check.options import CheckOptions
from deriv.ir import Partial, ReluStep
from deriv.meaning.smoothness import smooth_where_defined

SYMBOLS = {"A": "matrix N x N", "x": "vector N", "c": "scalar"}


def verdicts(*maths: str) -> list[str]:
    result = deriv.check_text(front_matter(SYMBOLS) + displays(*maths), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return verdict_values(result.steps)


@pytest.mark.parametrize(("statement", "verdict"), [
    (r"\nabla_x^2 \left( x^T A^T A x \right) \succeq 0", "tested"),
    (r"\nabla_x^2 \left( x^T A^T A x \right) \succ 0", "refuted"),  # A = 0, or any singular A
    (r"\nabla_x^2 \left( -x^T A^T A x \right) \succeq 0", "refuted"),
    (r"\nabla_x^2 \left( \sum_i \exp(x_i) \right) \succ 0", "tested"),
    (r"\nabla_x^2 \left( -\sum_i \exp(x_i) \right) \succeq 0", "refuted"),
    (r"\nabla_x^2 \left( \sum_i x_i^4 \right) \succeq 0", "tested"),
    (r"\nabla_x^2 \left( \sum_i x_i^4 \right) \succ 0", "refuted"),  # 0 at x = 0
    (r"\nabla_x^2 \left( \sum_i x_i^3 \right) \succeq 0", "refuted"),
    (r"\nabla_x^2 \left( \log \sum_i \exp(x_i) \right) \succ 0", "refuted"),  # singular along (1, ..., 1)
])
def test_a_hessian_of_a_smooth_function_is_decided(statement, verdict):
    assert verdicts(statement) == [verdict]


@pytest.mark.parametrize("statement", [
    r"\nabla_x^2 \|x\|_2 \succeq 0",  # undefined at x = 0
    r"\nabla_x^2 \left( \sum_i |x_i|^3 \right) \succeq 0",
    r"\nabla_x^2 \left( \sum_i \operatorname{relu}(x_i)^2 \right) \succeq 0",
])
def test_a_hessian_through_a_kink_is_not_accepted(statement):
    # Each is undefined (or of unknown value) somewhere; deriv does not decide a statement about
    # every point there: never proved or tested on the points it happened to draw.
    assert verdicts(statement)[0] not in ("proved", "tested")


@pytest.mark.parametrize("expr", [
    lambda x, y: x ** 3 * y - 2 * y,
    lambda x, y: sympy.exp(x * y) / (1 + y ** 2),
    lambda x, y: sympy.log(x) + sympy.tanh(y) * sympy.cos(x),
    lambda x, y: 2 ** x * y ** -2,
    lambda x, y: Partial(x ** 2 * sympy.sin(y), x),
])
def test_smooth_bodies_are_smooth(expr):
    x, y = sympy.symbols("x y", real=True)
    assert smooth_where_defined(expr(x, y))


@pytest.mark.parametrize("expr", [
    lambda x, y: sympy.Abs(x) * y,
    lambda x, y: sympy.sqrt(x ** 2 + y ** 2),
    lambda x, y: x ** sympy.Rational(1, 3),
    lambda x, y: x ** y,
    lambda x, y: sympy.Max(x, y),
    lambda x, y: ReluStep(x) * y,
    lambda x, y: sympy.sign(x),
    lambda x, y: Partial(sympy.Abs(x) * x, x),  # nested: the inner body decides
    lambda x, y: sympy.Piecewise((x, x > 0), (0, True)),
    lambda x, y: sympy.floor(x),
])
def test_bodies_through_a_kink_or_unknown_are_not_smooth(expr):
    x, y = sympy.symbols("x y", real=True)
    assert not smooth_where_defined(expr(x, y))


def defined_verdicts(definitions: list[str], *maths: str) -> list[str]:
    result = deriv.check_text(front_matter(SYMBOLS, definitions) + displays(*maths), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return verdict_values(result.steps)


@pytest.mark.parametrize("definition", [
    r"f = \sum_i |x_i|^3",
    r"f = \sum_i \operatorname{relu}(x_i)^2",
    r"f = \|x\|_2",
    r"f = s^2 + x^T x",  # through another defined name: s = \sum_i |x_i| below
])
def test_a_defined_name_s_kink_is_followed(definition):
    # The derivative's body writes the name, not its value: the value decides (this was tested).
    found = defined_verdicts([r"s = \sum_i |x_i|", definition], r"\nabla_x^2 f \succeq 0")
    assert found[0] not in ("proved", "tested")


def test_a_defined_smooth_name_is_decided():
    assert defined_verdicts([r"f = x^T A^T A x"], r"\nabla_x^2 f \succeq 0", r"\nabla_x^2 f \succ 0") == ["tested", "refuted"]


def test_a_declared_function_is_smooth_and_arbitrary():
    # an elementwise sigma and an opaque g are any smooth functions: decided, and not convex
    symbols = {**SYMBOLS, "sigma": "elementwise function", "g": "function"}
    result = deriv.check_text(front_matter(symbols) + displays(
        r"\nabla_x^2 \left( \sum_i \sigma(x_i) \right) \succeq 0", r"\nabla_x^2 g(A x) \succeq 0"),
        options=CheckOptions(isolate=False))
    assert verdict_values(result.steps) == ["refuted", "refuted"]

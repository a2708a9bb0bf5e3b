"""The random tester can not be fooled: one table, every case asserted exactly.

Each row is one equality of SymPy expressions decided by
:func:`deriv.decide` under declared kinds.  A false equality must come out
exactly ``refuted``; a true one ``proved`` or ``tested`` (never
``refuted``); ``undecided`` appears only where a row says so.  The rows are
grouped by the classes of failure the tester had: tolerance, domains,
opaque functions fitted by their form, too few sizes, nested derivatives,
constants.  A proved row must also have passed the tester (its method says
so).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from sympy import (
    Abs,
    Derivative,
    E,
    Function,
    IndexedBase,
    KroneckerDelta,
    Rational,
    Sum,
    binomial,
    exp,
    log,
    pi,
    sqrt,
    symbols,
    tanh,
)

import deriv
from deriv.results import Verdict

PROVED, TESTED, REFUTED, UNDECIDED = Verdict.PROVED, Verdict.TESTED, Verdict.REFUTED, Verdict.UNDECIDED
TRUE = frozenset({PROVED, TESTED})
FALSE = frozenset({REFUTED})

x, y, a, b, c = symbols("x y a b c")
i, j, k, l = symbols("i j k l")
N, M = symbols("N M")
f, g = Function("f"), Function("g")
A, v, w = IndexedBase("A"), IndexedBase("v"), IndexedBase("w")

SCALARS = {"x": "scalar", "y": "scalar", "a": "scalar", "b": "scalar", "c": "scalar"}
FUNCTIONS = {**SCALARS, "f": "elementwise function", "g": "elementwise function"}
POSITIVE = {"a": "positive scalar", "b": "positive scalar", "c": "positive scalar", "x": "scalar"}
ONE_SIZE = {**SCALARS, "v": "vector N"}
TWO_SIZES = {"A": "matrix N x M", "v": "vector N", "w": "vector M"}
SQUARE = {"A": "matrix N x N", "v": "vector N", "f": "elementwise function"}


class Row(NamedTuple):
    lhs: object
    rhs: object
    symbols: dict
    expected: frozenset


def row(id_: str, lhs, rhs, symbols_: dict, expected) -> pytest.param:
    expected = frozenset({expected}) if isinstance(expected, Verdict) else expected
    return pytest.param(Row(lhs, rhs, symbols_, expected), id=id_)


def sigmoid(t):
    return 1 / (1 + exp(-t))


def finite_difference(order: int):
    """``sum_r (-1)^r C(order, r) f(x + r)``: zero for every polynomial of degree < order."""
    return sum((-1) ** r * binomial(order, r) * f(x + r) for r in range(order + 1))


TOLERANCE = [
    row("exp(-300) is not 0", exp(-300), 0, SCALARS, FALSE),
    row("exp(-300-x^2) is not 0", exp(-300 - x**2), 0, SCALARS, FALSE),
    row("40-digit sqrt(3)", sqrt(3), Rational("1.7320508075688772935274463415058723669428"), SCALARS, FALSE),
    row("20-digit sqrt(2)", sqrt(2), Rational(14142135623730950488, 10**19), SCALARS, FALSE),
    row("30-digit log(2)", log(2), Rational("0.693147180559945309417232121458"), SCALARS, FALSE),
    row("exp(300) swallows x", exp(300) + x, exp(300), SCALARS, FALSE),
    row("tanh(800x) vs tanh(900x)", tanh(800 * x), tanh(900 * x), SCALARS, FALSE),
    row("tanh saturates but is not 1", tanh(50 + x**2), 1, SCALARS, FALSE),
    row("log(1 + 1e-70 x^2) is not 0", log(1 + Rational(1, 10**70) * x**2), 0, SCALARS, FALSE),
    row("x(1 + 1e-45) is not x", x, x * (1 + Rational(1, 10**45)), SCALARS, FALSE),
    row("exp(x)(1 + 1e-45) is not exp(x)", exp(x) * (1 + Rational(1, 10**45)), exp(x), SCALARS, FALSE),
    row("exp(x) + 1e-60 is not exp(x)", exp(x) + Rational(1, 10**60), exp(x), SCALARS, FALSE),
    row("exp(x)(1 + 1e-90) from two small constants", exp(x) * (1 + Rational(1, 10**45) * Rational(1, 10**45)), exp(x), SCALARS, FALSE),
    row("sqrt(x^2+1) off by 1e-50", sqrt(x**2 + 1), sqrt(x**2 + 1) + Rational(1, 10**50) * x, SCALARS, FALSE),
    row("exp(exp(y)) exp(y) = exp(exp(y) + y)", exp(exp(y)) * exp(y), exp(exp(y) + y), SCALARS, TRUE),
    row("sigmoid two ways", sigmoid(x), exp(x) / (1 + exp(x)), SCALARS, TRUE),
    row("sigmoid derivative rearranged", sigmoid(x) * (1 - sigmoid(x)), exp(-x) / (1 + exp(-x)) ** 2, SCALARS, TRUE),
    row("tanh through the sigmoid", tanh(x), 2 * sigmoid(2 * x) - 1, SCALARS, TRUE),
    row("tanh through exp", tanh(x), (exp(x) - exp(-x)) / (exp(x) + exp(-x)), SCALARS, TRUE),
    row("exp(2x) = exp(x)^2", exp(2 * x), exp(x) ** 2, SCALARS, TRUE),
    row("exp(x+y) = exp(x) exp(y)", exp(x + y), exp(x) * exp(y), SCALARS, TRUE),
    row("cancellation around exp(300)", exp(300) + x - exp(300) * (1 + x**2) + exp(300) * x**2, x, SCALARS, TRUE),
    row("exp(-300) (exp(300) + x)", exp(-300) * (exp(300) + x), 1 + x * exp(-300), SCALARS, TRUE),
    row("log of a product of positives", log(x**2 + 1) + log(y**2 + 1), log((x**2 + 1) * (y**2 + 1)), SCALARS, TRUE),
    row("log(exp(x)) = x", log(exp(x)), x, SCALARS, TRUE),
    row("sqrt(x^2+1)^2 = x^2+1", sqrt(x**2 + 1) ** 2 * sqrt(y**2 + 2), (x**2 + 1) * sqrt(y**2 + 2), SCALARS, TRUE),
]

DOMAINS = [
    row("sqrt(a^2) is not a", sqrt(a**2), a, SCALARS, FALSE),
    row("sqrt(a^2 c) is not a sqrt(c)", sqrt(a**2 * c), a * sqrt(c), SCALARS, FALSE),
    row("log(ab) is not log a + log b", log(a * b), log(a) + log(b), SCALARS, FALSE),
    row("log(a^2) is not 2 log a", log(a**2), 2 * log(a), SCALARS, FALSE),
    row("sqrt(a) sqrt(b) is not sqrt(ab)", sqrt(a) * sqrt(b), sqrt(a * b), SCALARS, FALSE),
    row("(a^2)^(N/2) is not a^N", (a**2) ** (N / 2), a**N, ONE_SIZE, FALSE),
    row("sqrt(-1 - a^2) is defined nowhere", sqrt(-1 - a**2), 0, SCALARS, FALSE),
    row("log(-a^2 - 1) is defined nowhere", log(-(a**2) - 1), a, SCALARS, FALSE),
    row("sqrt(a^2) = |a|", sqrt(a**2), Abs(a), SCALARS, TRUE),
    row("|a b| = |a| |b|", Abs(a * b), Abs(a) * Abs(b), SCALARS, TRUE),
    row("positive: sqrt(a^2) = a", sqrt(a**2), a, POSITIVE, TRUE),
    row("positive: log(ab) = log a + log b", log(a * b), log(a) + log(b), POSITIVE, TRUE),
    row("positive: sqrt(a^2 c) = a sqrt(c)", sqrt(a**2 * c), a * sqrt(c), POSITIVE, TRUE),
    row("positive does not make x positive", sqrt(x**2), x, POSITIVE, FALSE),
]

OPAQUE = [
    row("order-9 finite difference of f is not 0", finite_difference(9), 0, FUNCTIONS, FALSE),
    row("order-12 finite difference of f is not 0", finite_difference(12), 0, FUNCTIONS, FALSE),
    row("f has no constant step", f(x + 1) - f(x), f(x + 2) - f(x + 1), FUNCTIONS, FALSE),
    row("f is not linear", f(2 * x), 2 * f(x), FUNCTIONS, FALSE),
    row("f(x)^2 is not f(x^2)", f(x) ** 2, f(x**2), FUNCTIONS, FALSE),
    row("f at two points", f(x), f(y), FUNCTIONS, FALSE),
    row("f' is not a difference quotient", Derivative(f(x), x), f(x + 1) - f(x), FUNCTIONS, FALSE),
    row("f and g differ", f(x), g(x), FUNCTIONS, FALSE),
    row("f(g(x)) is not g(f(x))", f(g(x)), g(f(x)), FUNCTIONS, FALSE),
    row("f(x) + f(y) - f(x) = f(y)", f(x) + f(y) - f(x), f(y), FUNCTIONS, TRUE),
    row("f(x+y) = f(y+x)", f(x + y) * f(y), f(y + x) * f(y), FUNCTIONS, TRUE),
    row("f at equal points reached two ways", f((x + 1) ** 2), f(x**2 + 2 * x + 1), FUNCTIONS, TRUE),
    row("(f^2/2)' = f f'", Derivative(f(x) ** 2 / 2, x), f(x) * Derivative(f(x), x), FUNCTIONS, TRUE),
    row("product rule with f and g", Derivative(f(x) * g(x), x), Derivative(f(x), x) * g(x) + f(x) * Derivative(g(x), x), FUNCTIONS, TRUE),
    row("f applied entrywise, summed", Sum(f(A[i, j]), (i, 0, N - 1)), Sum(f(A[k, j]), (k, 0, N - 1)), SQUARE, TRUE),
    row("f entrywise is not f of the transpose", f(A[i, j]), f(A[j, i]), SQUARE, FALSE),
]

SIZES = [
    row("N(N-2)(N-3)(N-4) is not 0", N * (N - 2) * (N - 3) * (N - 4) * v[i], 0, ONE_SIZE, FALSE),
    row("(N-2)(N-3)(N-4)(N-5)(N-6) is not 0", (N - 2) * (N - 3) * (N - 4) * (N - 5) * (N - 6), 0, ONE_SIZE, FALSE),
    row("M - N - 1 is not 0", (M - N - 1) * A[i, j], 0, TWO_SIZES, FALSE),
    row("M is not N + 1", Sum(w[k] ** 0, (k, 0, M - 1)), N + 1, TWO_SIZES, FALSE),
    row("a double sum of ones is not N^2", Sum(1, (i, 0, N - 1), (k, 0, M - 1)), N**2, TWO_SIZES, FALSE),
    row("a double sum of ones is not N(N+1)", Sum(1, (i, 0, N - 1), (k, 0, M - 1)), N * (N + 1), TWO_SIZES, FALSE),
    row("sum of squares is not N^3/3", Sum(i**2, (i, 0, N - 1)), N**3 / 3, ONE_SIZE, FALSE),
    row("trace of the identity is not N(N-1)", Sum(KroneckerDelta(i, i), (i, 0, N - 1)), N * (N - 1) - N + 2, ONE_SIZE, FALSE),
    row("a double sum of ones is N M", Sum(1, (i, 0, N - 1), (k, 0, M - 1)), N * M, TWO_SIZES, TRUE),
    row("sum of i is N(N-1)/2", Sum(i, (i, 0, N - 1)), N * (N - 1) / 2, ONE_SIZE, TRUE),
    row("sum of squares", Sum(i**2, (i, 0, N - 1)), N * (N - 1) * (2 * N - 1) / 6, ONE_SIZE, TRUE),
    row("sum of cubes", Sum(i**3, (i, 0, N - 1)), (N * (N - 1) / 2) ** 2, ONE_SIZE, TRUE),
    row("trace of the identity is N", Sum(KroneckerDelta(i, i), (i, 0, N - 1)), N, ONE_SIZE, TRUE),
    row("sum of a delta matrix is N", Sum(KroneckerDelta(i, k), (i, 0, N - 1), (k, 0, N - 1)), N, ONE_SIZE, TRUE),
]

NESTED = [
    row("(x^3)'' = 6x", Derivative(x**3, x, 2), 6 * x, SCALARS, TRUE),
    row("(x^3)'' is not 3x^2", Derivative(x**3, x, 2), 3 * x**2, SCALARS, FALSE),
    row("mixed partial of x^2 y^3", Derivative(x**2 * y**3, x, y), 6 * x * y**2, SCALARS, TRUE),
    row("mixed partial of x^2 y^3 is not 6xy", Derivative(x**2 * y**3, x, y), 6 * x * y, SCALARS, FALSE),
    row("(f^2)'' by the product rule", Derivative(f(x) ** 2, x, 2), 2 * Derivative(f(x), x) ** 2 + 2 * f(x) * Derivative(f(x), x, 2), FUNCTIONS, TRUE),
    row("(f^2)'' missing a term", Derivative(f(x) ** 2, x, 2), 2 * f(x) * Derivative(f(x), x, 2), FUNCTIONS, FALSE),
    row("tanh''", Derivative(tanh(x), x, 2), -2 * tanh(x) * (1 - tanh(x) ** 2), SCALARS, TRUE),
    row("tanh'' is not -2 tanh", Derivative(tanh(x), x, 2), -2 * tanh(x), SCALARS, FALSE),
    row("f''' is not f''", Derivative(f(x), x, 3), Derivative(f(x), x, 2), FUNCTIONS, FALSE),
    row(
        "Hessian of a quadratic form",
        Derivative(Sum(v[i] * A[i, j] * v[j], (i, 0, N - 1), (j, 0, N - 1)), v[k], v[l]),
        A[k, l] + A[l, k],
        SQUARE,
        TRUE,
    ),
    row(
        "Hessian of a quadratic form is not 2A (A not symmetric)",
        Derivative(Sum(v[i] * A[i, j] * v[j], (i, 0, N - 1), (j, 0, N - 1)), v[k], v[l]),
        2 * A[k, l],
        SQUARE,
        FALSE,
    ),
    row(
        "Hessian of sum of f(v_i) is diagonal",
        Derivative(Sum(f(v[i]), (i, 0, N - 1)), v[k], v[l]),
        KroneckerDelta(k, l) * Derivative(f(v[k]), v[k], 2),
        SQUARE,
        TRUE,
    ),
]

CONSTANTS = [
    row("pi is not 3", pi, 3, SCALARS, FALSE),
    row("pi^2 is not 9.8696", pi**2, Rational("9.8696"), SCALARS, FALSE),
    row("e is exp(1)", E * exp(x), exp(1 + x), SCALARS, TRUE),
    row("e is not 2.718281828", E, Rational("2.718281828"), SCALARS, FALSE),
    row("exp(1)^2 = exp(2)", exp(1) ** 2 * x, exp(2) * x, SCALARS, TRUE),
    row("sqrt(2) sqrt(3) = sqrt(6)", sqrt(2) * sqrt(3) * x, sqrt(6) * x, SCALARS, TRUE),
    row("sqrt(2) sqrt(3) is not sqrt(5)", sqrt(2) * sqrt(3), sqrt(5), SCALARS, FALSE),
    row("x^(3/2) = x sqrt(x)", x ** Rational(3, 2), x * sqrt(x), SCALARS, TRUE),
    row("8^(1/3) = 2", Rational(8) ** Rational(1, 3) * x, 2 * x, SCALARS, TRUE),
    row("2^(1/3) is not 1.26", Rational(2) ** Rational(1, 3), Rational("1.26"), SCALARS, FALSE),
    row("4 pi is not 12 + 1/7", 4 * pi * x, 12 * x + Rational(1, 7) * x, SCALARS, FALSE),
]

TABLE = TOLERANCE + DOMAINS + OPAQUE + SIZES + NESTED + CONSTANTS


def test_the_table_is_large_enough():
    assert len(TABLE) >= 60
    false_rows = [p for p in TABLE if p.values[0].expected == FALSE]
    assert len(false_rows) >= 30


@pytest.mark.parametrize("case", TABLE)
def test_verdict(case: Row):
    decision = deriv.decide(case.lhs, case.rhs, case.symbols)
    assert decision.verdict in case.expected, (decision.verdict, decision.method, decision.message)
    if decision.verdict is REFUTED:
        assert decision.counterexample is not None or decision.method.startswith("symbolic")
        assert "nan" not in decision.message
    if decision.verdict is PROVED:
        # Every proof also passed the tester; the method says which arithmetic.
        assert decision.method in ("symbolic+exact", "symbolic+certified"), decision.method
    if decision.verdict is TESTED:
        assert decision.method in ("exact", "certified"), decision.method

"""Where the two sides of a claim meet, in one scalar with the others fixed.

Random values almost never land where ``lhs = rhs`` (``x^2 + 1 > 2x`` fails
only at 1, ``x^2 \\neq 2`` only at ``\\sqrt 2``, ``e^x \\neq 2`` only at
``\\log 2``).  With every other name at an instance's exact values, the
difference ``d`` becomes an exact SymPy expression in one declared scalar
(:func:`univariate`, sums written out at the instance's sizes).  Then:

* a rational function: the real roots of its numerator, exactly -- a
  rational root is a point to test; an irrational one (a root of an
  irreducible factor of degree >= 2, isolated in an interval with rational
  ends) is where ``d`` is *exactly* 0 (the factor divides the numerator),
  provided ``d`` is certified defined there;
* any other expression of continuous functions: a certified sign change of
  ``d`` on a grid, narrowed by bisection; ``d`` enclosed over the whole
  interval (a finite ball, every division and logarithm certified defined)
  is continuous there, so it has a zero inside (intermediate value theorem).

The points near a root (the ends of its interval) and small rationals
(``0, \\pm 1, \\pm 2, \\pm 1/2``) are returned as exact points for the tester.
A zero inside an interval refutes ``\\neq``, ``<`` and ``>`` only when the
assumptions that mention the scalar are certified on the whole interval.
Nothing here is rounded: endpoints are exact rationals, values are balls.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import sympy
from flint import arb, fmpq, fmpq_poly
from sympy import Expr, Indexed, Poly, Rational, Symbol

from deriv.errors import swallowed
from deriv.context import Constraint
from deriv.engine import certified
from deriv.engine.angles import angle_zeros
from deriv.engine.univariate import (BITS, VARIABLE, Target, Unknown, enclose, interval, sign_on, univariate,
                                     write_out)
from deriv.ir import base_name

#: Small values every scalar of a claim is also tried at (0 is a boundary instance).
SMALL = (fmpq(1), fmpq(-1), fmpq(2), fmpq(-2), fmpq(1, 2), fmpq(-1, 2))
#: The grid a sign change of a non-rational difference is looked for on.
GRID = tuple(sorted({fmpq(s * n, d) for s in (1, -1) for n, d in
                     ((0, 1), (1, 8), (1, 4), (1, 2), (1, 1), (3, 2), (2, 1), (3, 1), (5, 1), (10, 1), (100, 1))}))
#: Bisections of a sign change (the interval shrinks by 2 ** this).
BISECTIONS = 40
#: Numerator degrees whose roots are isolated exactly, at most.
MAX_DEGREE = 24
# -- zeros --------------------------------------------------------------------------
@dataclass(frozen=True)
class Zero:
    """``d`` is 0 somewhere in ``[low, high]`` (exactly at a root of ``factor``, or by a sign change)."""

    low: fmpq
    high: fmpq
    factor: fmpq_poly | None  # the irreducible factor whose root it is; None for a sign change
    point: Expr | None = None  # the exact point (pi/2) where d is exactly 0, when it is one


def zeros(d: Expr) -> tuple[list[fmpq], list[Zero]]:
    """Exact rational roots of ``d``, and intervals that may hold a zero (an irrational root,
    or a sign change: :func:`vanishes` says whether one certainly does).  Only ever more
    points to try: a form this does not handle has none."""
    try:
        fraction = _rational_function(d)
        if fraction is not None:
            return _algebraic(*fraction)
        return _inner_points(d), list(_sign_changes(d)) + _angles(d)
    except Exception:  # noqa: BLE001 - a form the polynomial algebra does not take
        swallowed("the meeting points")
        return [], []


def _angles(d: Expr) -> list[Zero]:
    """Exact zeros at multiples of pi (``\\sin x - 1`` at ``\\pi/2``: :mod:`deriv.engine.angles`)."""
    return [Zero(_exact(ball.lower()), _exact(ball.upper()), None, point) for point, ball in angle_zeros(d, VARIABLE)]


def _inner_points(d: Expr) -> list[fmpq]:
    """Where an argument of ``|.|``, a root, ``\\exp`` or ``\\log`` is 0 (exact roots, ends of
    intervals): ``|x - 1/3| > 0`` and ``\\exp(x - 1/3) > x + 2/3`` fail only there, touching 0."""
    points: list[fmpq] = []
    for node in sympy.preorder_traversal(d):
        if isinstance(node, sympy.Pow) and not node.exp.is_Integer:
            inner = node.base
        elif isinstance(node, sympy.Function) or isinstance(node, sympy.Abs):
            inner = node.args[0]
        else:
            continue
        fraction = _rational_function(inner)
        if fraction is not None:
            rational, intervals = _algebraic(*fraction)
            points += [*rational, *(end for zero in intervals for end in (zero.low, zero.high))]
    return points


def polynomial_zeros(polynomial: fmpq_poly) -> tuple[list[fmpq], list[Zero]]:
    """:func:`zeros` of a polynomial given as one."""
    try:
        return _algebraic(polynomial, fmpq_poly([1]))
    except Exception:  # noqa: BLE001 - only ever more points to try
        swallowed("the meeting points")
        return [], []


def through(xs: tuple[fmpq, ...], ys: list[fmpq]) -> fmpq_poly:
    """The polynomial of degree < len(xs) through the points (Lagrange, exact)."""
    total = fmpq_poly([0])
    for i, (x, y) in enumerate(zip(xs, ys)):
        term = fmpq_poly([y])
        for j, other in enumerate(xs):
            if j != i:
                term = term * fmpq_poly([-other, 1]) / (x - other)
        total = total + term
    return total


def _rational_function(expr: Expr) -> tuple[fmpq_poly, fmpq_poly] | None:
    """``(numerator, denominator)`` of ``expr`` in lowest terms (python-flint, exact); None
    when ``expr`` is not a rational function of the variable with rational coefficients."""
    if expr is VARIABLE:
        return fmpq_poly([0, 1]), fmpq_poly([1])
    if expr.is_Rational:
        return fmpq_poly([fmpq(int(expr.p), int(expr.q))]), fmpq_poly([1])
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        parts = [_rational_function(a) for a in expr.args]
        if any(p is None for p in parts):
            return None
        total = parts[0]
        for top, bottom in parts[1:]:
            if isinstance(expr, sympy.Add):
                total = _lowest(total[0] * bottom + top * total[1], total[1] * bottom)
            else:
                total = _lowest(total[0] * top, total[1] * bottom)
        return total
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
        base = _rational_function(expr.base)
        n = int(expr.exp)
        if base is None or abs(n) * max(base[0].degree(), base[1].degree(), 0) > MAX_DEGREE or (n < 0 and base[0] == 0):
            return None
        top, bottom = base if n >= 0 else base[::-1]
        return top ** abs(n), bottom ** abs(n)
    return None


def _lowest(top: fmpq_poly, bottom: fmpq_poly) -> tuple[fmpq_poly, fmpq_poly]:
    if max(top.degree(), bottom.degree()) > 4 * MAX_DEGREE:
        raise Unknown("degree too high")
    common = top.gcd(bottom)
    return (top, bottom) if common.degree() < 1 else (top // common, bottom // common)


def _algebraic(top: fmpq_poly, bottom: fmpq_poly) -> tuple[list[fmpq], list[Zero]]:
    """The rational roots of the numerator, and an interval (ends of opposite sign) around each
    irrational real root of its irreducible factors -- none of them a root of the denominator."""
    if top == 0 or top.degree() > MAX_DEGREE:
        return [], []
    rational: list[fmpq] = []
    irrational: list[Zero] = []
    for factor, _ in top.factor()[1]:
        if factor.degree() < 1 or factor.gcd(bottom).degree() > 0:
            continue  # a root shared with the denominator: d is undefined there, not 0
        if factor.degree() == 1:
            b, a = factor.coeffs()
            rational.append(-b / a)
            continue
        for root, _ in factor.numer().complex_roots():
            if root.imag.is_zero():
                zero = _bracket(factor, root.real)
                if zero is not None:
                    irrational.append(zero)
    return rational, irrational


def _bracket(factor: fmpq_poly, ball: arb) -> Zero | None:
    """Rational ends of opposite sign around the root in ``ball`` (checked exactly), narrowed
    to ``2^-BISECTIONS``: an assumption such as x > 1 is certified on it, and its ends are
    test points close to the root."""
    middle, radius = _exact(ball.mid()), _exact(ball.rad()) + fmpq(1, 2 ** (2 * BISECTIONS))
    low, high = middle - 2 * radius, middle + 2 * radius
    at_low = factor(low)
    if at_low * factor(high) >= 0:
        return None
    while high - low > fmpq(1, 2 ** BISECTIONS):
        middle = (low + high) / 2
        value = factor(middle)
        if value == 0:
            return None  # a rational root of an irreducible factor of degree >= 2: never
        low, high = (middle, high) if (value > 0) == (at_low > 0) else (low, middle)
    low, high = _simpler(low, high, lambda x: (factor(x) > 0) - (factor(x) < 0))
    return Zero(low, high, factor)


def _simpler(low: fmpq, high: fmpq, sign) -> tuple[fmpq, fmpq]:
    """Ends with short fractions, at most the interval's width further out, where ``sign``
    is still what it was at each end (a reader sees 1393/985, not a 150-bit fraction)."""
    width = high - low
    ends = []
    for end, outer in ((low, low - width), (high, high + width)):
        simple = _simplest(min(end, outer), max(end, outer))
        ends.append(simple if sign(simple) == sign(end) != 0 else end)
    return ends[0], ends[1]


def _simplest(a: fmpq, b: fmpq) -> fmpq:
    """The fraction with the smallest denominator in ``[a, b]`` (continued fractions)."""
    whole = fmpq(int(a.floor()))
    if whole == a:
        return a
    if whole + 1 <= b:
        return whole + 1
    return whole + 1 / _simplest(1 / (b - whole), 1 / (a - whole))


def _exact(x: arb) -> fmpq:
    """An exact ``arb`` (a midpoint or radius) as a fraction."""
    mantissa, exponent = x.man_exp()
    return fmpq(int(mantissa)) * 2 ** int(exponent) if exponent >= 0 else fmpq(int(mantissa), 2 ** -int(exponent))


def _sign_changes(d: Expr) -> Iterator[Zero]:
    signs = [(x, sign_on(d, interval(x, x))) for x in GRID]
    # A zero right on the grid is no sign change between neighbours (|t + 1/2| - 2 at 3/2): it is a point.
    yield from (Zero(x, x, None, Rational(int(x.p), int(x.q))) for x, sign in signs if sign == 0)
    for (a, sa), (b, sb) in itertools.pairwise(signs):
        if sa is None or sb is None or sa * sb >= 0:
            continue
        for _ in range(BISECTIONS):
            middle = (a + b) / 2
            sm = sign_on(d, interval(middle, middle))
            if sm is None or sm == 0:
                break
            a, b = (middle, b) if sm == sa else (a, middle)
        yield Zero(*_simpler(a, b, lambda x: sign_on(d, interval(x, x))), None)


def vanishes(d: Expr, zero: Zero) -> bool:
    """Whether ``d`` certainly is 0 somewhere in the zero's interval: defined on all of it
    (continuous, so a sign change holds a zero) or, at an algebraic root, defined there."""
    try:
        return _vanishes(d, zero)
    except Exception:  # noqa: BLE001 - not shown is not shown
        swallowed("the meeting points")
        return False


def _vanishes(d: Expr, zero: Zero) -> bool:
    if zero.point is not None:
        return d.xreplace({VARIABLE: zero.point}) is sympy.S.Zero
    if zero.factor is not None:
        return _defined_at_root(d, zero)
    ends = sign_on(d, interval(zero.low, zero.low)), sign_on(d, interval(zero.high, zero.high))
    if None in ends or ends[0] * ends[1] >= 0:
        return False
    try:
        with certified.precision(BITS):
            enclose(d, interval(zero.low, zero.high))
    except (Unknown, ZeroDivisionError, ValueError):
        return False
    return True


def _defined_at_root(d: Expr, zero: Zero) -> bool:
    """``d`` has a finite enclosure on a narrow interval around the root (no division by
    a value that may be 0 there): then the factor's root is a zero of ``d`` itself."""
    factor = zero.factor
    low, high = zero.low, zero.high
    at_low = factor(low)
    for _ in range(BISECTIONS):
        try:
            with certified.precision(BITS):
                enclose(d, interval(low, high))
            return True
        except (Unknown, ZeroDivisionError, ValueError):
            pass
        middle = (low + high) / 2
        value = factor(middle)
        if value == 0:
            return False
        low, high = (middle, high) if (value > 0) == (at_low > 0) else (low, middle)
    return False


def holds_between(fact: Constraint, target: Target, values: dict, sizes: dict, zero: Zero) -> bool:
    """Whether a fact holds, certified, for every value of ``target`` in the interval: a
    scalar inequality, or ``x \\neq 0`` for the target's own array."""
    if fact.relation == "nonzero" and target.key is not None and isinstance(fact.expr, Indexed) and base_name(fact.expr) == target.name:
        others = not target.every and any(v != 0 for k, v in values[target.name].items() if k != target.key)
        return others or zero.low > 0 or zero.high < 0
    if fact.free or fact.over is not None or fact.relation not in (">", ">=", "<", "<=", "!="):
        return False
    body = write_out(fact.expr, sizes, {})
    g = univariate(body, target, values) if body is not None else None
    if g is None:
        return False
    sign = sign_on(g, interval(zero.low, zero.high))
    return sign is not None and {">": sign > 0, ">=": sign >= 0, "<": sign < 0, "<=": sign <= 0, "!=": sign != 0}[fact.relation]


def describe(target: Target, zero: Zero) -> str:
    where = _shown(zero)
    if zero.point is not None:
        return f"{target} = {sympy.sstr(zero.point)} in {where} (exact: the difference is 0 there)"
    if zero.factor is not None:
        coefficients = [Rational(int(c.p), int(c.q)) for c in reversed(zero.factor.coeffs())]
        polynomial = sympy.sstr(Poly(coefficients, Symbol(str(target))).as_expr())
        return f"{target} = the root of {polynomial} in {where} (exact: that factor divides the difference)"
    return f"{target} somewhere in {where} (certified sign change of the continuous difference)"


def _shown(zero: Zero) -> str:
    """The interval as written, or as a ball that holds it when its ends are long fractions."""
    if max(zero.low.q, zero.high.q) <= 1000:
        return f"[{zero.low}, {zero.high}]"
    return interval(zero.low, zero.high).str(12, radius=True)


def enclosure(expr: Expr, zero: Zero) -> str:
    try:
        with certified.precision(BITS):
            return str(enclose(expr, interval(zero.low, zero.high)).str(10, radius=True))
    except (Unknown, ZeroDivisionError, ValueError):
        return "defined"


__all__ = ["SMALL", "Zero", "describe", "enclosure", "holds_between", "polynomial_zeros", "through", "vanishes", "zeros"]

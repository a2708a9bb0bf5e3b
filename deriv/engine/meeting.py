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
from flint import arb, fmpq
from sympy import Expr, Indexed, Poly, Rational, Symbol

from deriv.context import Constraint, Context, names_in
from deriv.engine import certified
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
#: Operations a difference may have before it is not written out.
MAX_OPS = 600
#: Working precision of the enclosures.
BITS = 256
#: Functions continuous wherever their enclosure is finite (domains are checked separately).
_CONTINUOUS = {sympy.exp: "exp", sympy.sin: "sin", sympy.cos: "cos", sympy.tanh: "tanh",
               sympy.sinh: "sinh", sympy.cosh: "cosh", sympy.atan: "atan"}
_VARIABLE = Symbol("_meet")


class Unknown(Exception):
    """A form the enclosure does not know, or a domain it can not certify."""


@dataclass(frozen=True)
class Zero:
    """``d`` is 0 somewhere in ``[low, high]`` (exactly at a root of ``factor``, or by a sign change)."""

    low: fmpq
    high: fmpq
    factor: Expr | None  # the irreducible factor whose root it is; None for a sign change


def reached(expr: Expr, context: Context) -> set[str]:
    """Every name ``expr`` mentions, directly or through definitions."""
    names = names_in(expr)
    return names.union(*(context.dependencies(n) for n in names))


def univariate(expr: Expr, name: str, values: dict, sizes: dict, binding: dict) -> Expr | None:
    """``expr`` with every name but ``name`` at ``values`` (sums written out): an
    exact expression in :data:`_VARIABLE` alone, or None when it is not one."""
    try:  # any form SymPy can not write out is no univariate expression
        body = expr.xreplace({**{s: sympy.Integer(v) for s, v in sizes.items()},
                              **{s: sympy.Integer(v) for s, v in binding.items()}})
        if sympy.count_ops(body) > MAX_OPS:
            return None
        body = body.doit()
        body = body.xreplace({e: _entry(e, values) for e in body.atoms(Indexed)})
        body = body.xreplace({s: _VARIABLE if s.name == name else _scalar(values.get(s.name))
                              for s in body.free_symbols if isinstance(s, Symbol)})
    except Exception:  # noqa: BLE001
        return None
    if body.free_symbols - {_VARIABLE} or not _known(body):
        return None
    return body


def _entry(e: Indexed, values: dict) -> Expr:
    table = values.get(base_name(e))
    if not isinstance(table, dict):
        raise Unknown(base_name(e))
    key = tuple(int(i) for i in e.indices)
    value = table.get(key, table.get(key[:1]) if len(key) == 2 and key[1] == 0 else None)
    return _scalar(value)


def _scalar(value) -> Expr:
    if value is None or not certified.is_exact(value):
        raise Unknown("no exact value")
    q = fmpq(value)
    return Rational(int(q.p), int(q.q))


def _known(expr: Expr) -> bool:
    """Only numbers, the variable, + * powers and the continuous functions."""
    for node in sympy.preorder_traversal(expr):
        if node.is_Number or node.is_NumberSymbol or node is _VARIABLE or isinstance(node, (sympy.Add, sympy.Mul, sympy.Pow, sympy.Abs, sympy.log)):
            continue
        if type(node) in _CONTINUOUS:
            continue
        return False
    return True


# -- certified enclosures ---------------------------------------------------------
def enclose(expr: Expr, at: arb) -> arb:
    """A ball holding ``expr`` at every point of ``at``; raises :class:`Unknown` when
    some point of ``at`` may be outside a domain (a division by a ball holding 0)."""
    if expr is _VARIABLE:
        return at
    if expr.is_Rational:
        return arb(fmpq(int(expr.p), int(expr.q)))
    if expr is sympy.E:
        return arb.const_e()
    if expr is sympy.pi:
        return arb.pi()
    args = [enclose(a, at) for a in expr.args] if not isinstance(expr, sympy.Pow) else []
    if isinstance(expr, sympy.Add):
        return _fold(args, lambda a, b: a + b)
    if isinstance(expr, sympy.Mul):
        return _fold(args, lambda a, b: a * b)
    if isinstance(expr, sympy.Pow):
        return _power(enclose(expr.base, at), expr.exp)
    if isinstance(expr, sympy.Abs):
        return abs(args[0])
    if isinstance(expr, sympy.log):
        return _positive(args[0]).log()
    method = _CONTINUOUS.get(type(expr))
    if method is None or len(args) != 1:
        raise Unknown(type(expr).__name__)
    return _finite(getattr(args[0], method)())


def _fold(args: list[arb], op) -> arb:
    total = args[0]
    for a in args[1:]:
        total = op(total, a)
    return _finite(total)


def _power(base: arb, exponent: Expr) -> arb:
    if exponent.is_Integer:
        n = int(exponent)
        if n < 0:
            if base.contains(0):
                raise Unknown("a division by a value that may be 0")
            return _finite(1 / base ** (-n))
        return _finite(base ** n)
    if exponent.is_Rational:
        return _finite((arb(fmpq(int(exponent.p), int(exponent.q))) * _positive(base).log()).exp())
    raise Unknown("a power with a non-rational exponent")


def _positive(x: arb) -> arb:
    if not x > 0:
        raise Unknown("a root or logarithm of a value that may not be positive")
    return x


def _finite(x: arb) -> arb:
    if not x.is_finite():
        raise Unknown("not finite")
    return x


def sign_on(expr: Expr, at: arb) -> int | None:
    """The certified sign of ``expr`` on all of ``at``; None when it is not certain."""
    try:
        with certified.precision(BITS):
            value = enclose(expr, at)
    except (Unknown, ZeroDivisionError, ValueError):
        return None
    return 1 if value > 0 else -1 if value < 0 else 0 if value == 0 else None


def enclose_at(expr: Expr, x: fmpq) -> arb:
    """``expr`` enclosed at the exact point ``x``."""
    with certified.precision(BITS):
        return enclose(expr, arb(x))


def interval(low: fmpq, high: fmpq) -> arb:
    with certified.precision(BITS):
        return arb(low).union(arb(high))


# -- zeros --------------------------------------------------------------------------
def zeros(d: Expr) -> tuple[list[fmpq], list[Zero]]:
    """Exact rational roots of ``d``, and intervals that may hold a zero (an irrational root,
    or a sign change: :func:`vanishes` says whether one certainly does).  Only ever more
    points to try: a form this does not handle has none."""
    try:
        if d.is_rational_function(_VARIABLE):
            found = _algebraic(d)
            if found is not None:
                return found
        return [], list(_sign_changes(d))
    except Exception:  # noqa: BLE001 - SymPy's polynomial algebra on a form it does not take
        return [], []


def _algebraic(d: Expr) -> tuple[list[fmpq], list[Zero]] | None:
    numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(d)))
    try:
        top, bottom = Poly(numerator, _VARIABLE), Poly(denominator, _VARIABLE)
    except sympy.PolynomialError:
        return None
    if not (top.domain.is_QQ or top.domain.is_ZZ) or top.is_zero or top.degree() > MAX_DEGREE:
        return None
    rational: list[fmpq] = []
    irrational: list[Zero] = []
    for factor, _ in top.factor_list()[1]:
        if factor.degree() < 1 or bottom.gcd(factor).degree() > 0:
            continue  # a root shared with the denominator: d is undefined there, not 0
        if factor.degree() == 1:
            a, b = factor.all_coeffs()
            root = -Rational(b) / Rational(a)
            rational.append(fmpq(int(root.p), int(root.q)))
            continue
        # Narrow (2^-40): an assumption such as x > 1 is certified on it, and its ends are test points close to the root.
        for (low, high), _ in factor.intervals(eps=Rational(1, 2 ** BISECTIONS)):
            low, high = fmpq(int(low.p), int(low.q)), fmpq(int(high.p), int(high.q))
            irrational.append(Zero(low, high, factor.as_expr()))
    return rational, irrational


def _sign_changes(d: Expr) -> Iterator[Zero]:
    signs = [(x, sign_on(d, interval(x, x))) for x in GRID]
    for (a, sa), (b, sb) in itertools.pairwise(signs):
        if sa is None or sb is None or sa * sb >= 0:
            continue
        for _ in range(BISECTIONS):
            middle = (a + b) / 2
            sm = sign_on(d, interval(middle, middle))
            if sm is None or sm == 0:
                break
            a, b = (middle, b) if sm == sa else (a, middle)
        yield Zero(a, b, None)


def vanishes(d: Expr, zero: Zero) -> bool:
    """Whether ``d`` certainly is 0 somewhere in the zero's interval: defined on all of it
    (continuous, so a sign change holds a zero) or, at an algebraic root, defined there."""
    try:
        return _vanishes(d, zero)
    except Exception:  # noqa: BLE001 - not shown is not shown
        return False


def _vanishes(d: Expr, zero: Zero) -> bool:
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
    factor = Poly(zero.factor, _VARIABLE)
    low, high = zero.low, zero.high
    for _ in range(BISECTIONS):
        try:
            with certified.precision(BITS):
                enclose(d, interval(low, high))
            return True
        except (Unknown, ZeroDivisionError, ValueError):
            pass
        middle = (low + high) / 2
        value = factor.eval(Rational(int(middle.p), int(middle.q)))
        if value == 0:
            return False
        at_low = factor.eval(Rational(int(low.p), int(low.q)))
        low, high = (middle, high) if (value > 0) == (at_low > 0) else (low, middle)
    return False


def holds_between(fact: Constraint, name: str, values: dict, sizes: dict, zero: Zero) -> bool:
    """Whether a scalar fact holds, certified, for every value of ``name`` in the interval."""
    if fact.free or fact.over is not None or fact.relation not in (">", ">=", "<", "<=", "!="):
        return False
    g = univariate(fact.expr, name, values, sizes, {})
    if g is None:
        return False
    sign = sign_on(g, interval(zero.low, zero.high))
    return sign is not None and {">": sign > 0, ">=": sign >= 0, "<": sign < 0, "<=": sign <= 0, "!=": sign != 0}[fact.relation]


def describe(name: str, zero: Zero) -> str:
    where = _shown(zero)
    if zero.factor is not None:
        polynomial = sympy.sstr(zero.factor.subs(_VARIABLE, Symbol(name)))
        return f"{name} = the root of {polynomial} in {where} (exact: that factor divides the difference)"
    return f"{name} somewhere in {where} (certified sign change of the continuous difference)"


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


__all__ = ["SMALL", "Unknown", "Zero", "describe", "enclose", "enclose_at", "enclosure", "holds_between", "reached", "univariate", "vanishes", "zeros"]

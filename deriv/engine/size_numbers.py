r"""A function of sizes (and scalars) as a Python float function, to scan for where it is 0.

The size search (:mod:`deriv.engine.size_lines`) evaluates a claim's difference at thousands of
size assignments; SymPy's own evaluation is far too slow for that, and nothing here may turn
the expression into source text to run.  So the SymPy tree is walked once into nested closures
over Python floats.  Floats only point the search somewhere: nothing is ever concluded from
them (the certified tester decides at the sizes they suggest).  A form it does not know
(an entry, a sum, an opaque function) gives no function at all, and a value that is not a
finite real number (a pole, the root of a negative number) is ``nan``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import sympy
from sympy import Expr, Symbol

#: A float function of named values.
Numeric = Callable[[Mapping[Symbol, float]], float]
NAN = float("nan")

_UNARY: dict[type, Callable[[float], float]] = {
    sympy.exp: math.exp, sympy.log: math.log, sympy.sin: math.sin, sympy.cos: math.cos,
    sympy.tan: math.tan, sympy.atan: math.atan, sympy.sinh: math.sinh, sympy.cosh: math.cosh,
    sympy.tanh: math.tanh, sympy.Abs: abs, sympy.floor: math.floor, sympy.ceiling: math.ceil,
    sympy.sign: lambda v: float((v > 0) - (v < 0)),
}


def _safe(f: Callable[..., float]) -> Callable[..., float]:
    """``f`` with every arithmetic failure (a pole, a complex value, an overflow) as ``nan``."""
    def call(*values: float) -> float:
        try:
            result = float(f(*values))
        except (ArithmeticError, ValueError, TypeError):  # TypeError: a complex value
            return NAN
        return result if math.isfinite(result) else NAN
    return call


def _power(base: float, exponent: float) -> float:
    if base < 0 and exponent != int(exponent):
        return NAN  # no real value (the tester says the same)
    return float(base ** exponent)


def _folded(parts: list[Numeric], join: Callable[[float, float], float], start: float) -> Numeric:
    def value(at: Mapping[Symbol, float]) -> float:
        total = start
        for part in parts:
            total = join(total, part(at))
        return total
    return value


def numeric(expr: Expr) -> Numeric | None:
    """``expr`` as a float function of its free symbols, or None where a form is not known."""
    try:
        return _compile(expr)
    except (_Unknown, RecursionError):
        return None


class _Unknown(Exception):
    """A form the float walk does not know."""


def _compile(expr: Expr) -> Numeric:
    if expr.is_Number:
        constant = float(expr)
        return lambda at: constant
    if expr in (sympy.pi, sympy.E):
        constant = float(expr)
        return lambda at: constant
    if isinstance(expr, Symbol):
        return lambda at: at[expr]
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        parts = [_compile(a) for a in expr.args]
        join = _safe((lambda a, b: a + b) if isinstance(expr, sympy.Add) else (lambda a, b: a * b))
        return _folded(parts, join, 0.0 if isinstance(expr, sympy.Add) else 1.0)
    if isinstance(expr, sympy.Pow):
        base, exponent = (_compile(a) for a in expr.args)
        power = _safe(_power)
        return lambda at: power(base(at), exponent(at))
    if isinstance(expr, (sympy.Min, sympy.Max)):
        parts = [_compile(a) for a in expr.args]
        pick = min if isinstance(expr, sympy.Min) else max
        return lambda at: pick(part(at) for part in parts)
    unary = _UNARY.get(type(expr)) if len(expr.args) == 1 else None
    if unary is None:
        raise _Unknown(type(expr).__name__)
    inner, safe = _compile(expr.args[0]), _safe(unary)
    return lambda at: safe(inner(at))

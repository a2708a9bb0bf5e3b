"""Exact numbers for random testing, and the dual numbers that differentiate.

Values are ``Fraction`` while everything stays rational; ``\\exp``, ``\\log``
and friends switch to 50-digit mpmath floats, which :func:`close` compares
with a stated tolerance.  A :class:`Dual` ``a + b eps`` (``eps^2 = 0``)
carries one derivative through any of these operations, so a partial
derivative is computed by perturbing one entry, never by a chain rule the
symbolic side also uses.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Union

import mpmath

MP = mpmath.MPContext()
MP.dps = 50
#: Relative tolerance for comparisons once a value is inexact.
TOLERANCE = MP.mpf("1e-30")
#: Below this, a difference is rounding noise around zero.
ZERO_FLOOR = MP.mpf("1e-45")
TOLERANCE_TEXT = "1e-30 relative, 50 digits"


class DomainError(ArithmeticError):
    """The random instance left the domain (log of a negative, division by 0)."""


Real = Union[Fraction, "mpmath.mpf"]


class Dual:
    """``value + slope * eps`` with ``eps**2 == 0``."""

    __slots__ = ("value", "slope")

    def __init__(self, value, slope) -> None:
        self.value = value
        self.slope = slope

    def __add__(self, other):
        if isinstance(other, Dual):
            return Dual(self.value + other.value, self.slope + other.slope)
        return Dual(self.value + other, self.slope)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.value, -self.slope)

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, Dual):
            return Dual(self.value * other.value, self.value * other.slope + self.slope * other.value)
        return Dual(self.value * other, self.slope * other)

    __rmul__ = __mul__

    def reciprocal(self) -> "Dual":
        inverse = reciprocal(self.value)
        return Dual(inverse, -self.slope * inverse * inverse)

    def __truediv__(self, other):
        return self * (other.reciprocal() if isinstance(other, Dual) else reciprocal(other))

    def __rtruediv__(self, other):
        return other * self.reciprocal()

    def __repr__(self) -> str:
        return f"Dual({self.value!r}, {self.slope!r})"


def slope_of(x) -> Real:
    """The derivative part; 0 for a value that did not depend on the variable."""
    return x.slope if isinstance(x, Dual) else 0


def reciprocal(x):
    """``1 / x``, exact where possible (``1 / 3`` on ints would be a float)."""
    if isinstance(x, Dual):
        return x.reciprocal()
    if x == 0:
        raise DomainError("division by zero")
    return Fraction(1, x) if isinstance(x, int) else 1 / x


def to_mp(x: Real):
    """An mpmath float for an exact or inexact real."""
    if isinstance(x, Fraction):
        return MP.mpf(x.numerator) / x.denominator
    return MP.mpf(x)  # int or mpf


def power(base, exponent: Fraction):
    """``base ** exponent`` for a rational exponent (integers stay exact)."""
    if exponent.denominator == 1:
        n = int(exponent)
        if n < 0:
            return power(reciprocal(base), Fraction(-n))
        result = 1
        for _ in range(n):
            result = result * base
        return result
    if exponent == Fraction(1, 2):
        return sqrt(base)
    return exp(log(base) * exponent)


def sqrt(x):
    if isinstance(x, Dual):
        root = sqrt(x.value)
        return Dual(root, x.slope * reciprocal(2 * root))
    if x < 0:
        raise DomainError("square root of a negative number")
    if isinstance(x, (int, Fraction)):
        x = Fraction(x)
        num, den = math.isqrt(x.numerator), math.isqrt(x.denominator)
        if num * num == x.numerator and den * den == x.denominator:
            return Fraction(num, den)
    return MP.sqrt(to_mp(x))


def exp(x):
    if isinstance(x, Dual):
        value = exp(x.value)
        return Dual(value, x.slope * value)
    if x == 0:
        return 1
    return MP.exp(to_mp(x))


def log(x):
    if isinstance(x, Dual):
        return Dual(log(x.value), x.slope * reciprocal(x.value))
    if x <= 0:
        raise DomainError("logarithm of a non-positive number")
    if x == 1:
        return 0
    return MP.log(to_mp(x))


def tanh(x):
    if isinstance(x, Dual):
        value = tanh(x.value)
        return Dual(value, x.slope * (1 - value * value))
    if x == 0:
        return 0
    return MP.tanh(to_mp(x))


def is_exact(x) -> bool:
    return isinstance(x, (Fraction, int))


def close(a: Real, b: Real) -> bool:
    """Equal exactly, or within :data:`TOLERANCE` once either is inexact.

    The tolerance is relative to the larger value, so two tiny values that
    differ (``1e-2000`` and ``2e-2000``) are different; only a difference
    below :data:`ZERO_FLOOR` counts as rounding noise around zero.
    """
    if is_exact(a) and is_exact(b):
        return a == b
    a, b = to_mp(a), to_mp(b)
    difference = abs(a - b)
    return difference <= TOLERANCE * max(abs(a), abs(b)) or difference <= ZERO_FLOOR


#: Exact values longer than this are shown rounded.
SHOW_DIGITS = 60


def show(x: Real) -> str:
    """A value as a reader wants to see it (huge exact values rounded)."""
    if isinstance(x, (int, Fraction)):
        x = Fraction(x)
        if max(x.numerator.bit_length(), x.denominator.bit_length()) < SHOW_DIGITS * 3:
            return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
        return "about " + MP.nstr(to_mp(x), 20)
    return MP.nstr(x, 20)

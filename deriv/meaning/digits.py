"""The two digits of a composite index.

A row of ``A \\otimes B`` (``A`` of ``M`` rows, ``B`` of ``P``) is a pair: row
``i`` of ``A`` and row ``k`` of ``B``, numbered ``P i + k`` (0-based).  An entry
of the product at a row ``r`` is therefore read at the row :class:`Quotient`
``(r, P)`` of ``A`` (``r // P``) and :class:`Remainder` ``(r, P)`` of ``B``
(``r % P``); ``\\operatorname{vec}`` likewise.  Both are SymPy functions whose
``eval`` only applies identities true for every integer ``r`` and every
positive ``P``:

* a term that is ``P`` times an integer expression passes whole into the
  quotient (``(P i + k) // P = i + k // P``) and out of the remainder;
* ``x // 1 = x`` and ``x % 1 = 0``; integers are computed;
* ``(x // a) // b = x // (a b)``, ``(x % (a b)) % b = x % b`` and
  ``(x % (a b)) // a = (x // a) % b``, so that ``(A \\otimes B) \\otimes C`` and
  ``A \\otimes (B \\otimes C)`` read their entries at the same positions.

Which range an index has is not known here: the engine removes a digit of an
index whose range is short enough, and splits a sum over a composite index
into two (:mod:`deriv.engine.digits`).  The tester computes them exactly.
"""

from __future__ import annotations

import sympy
from sympy import Expr

from deriv.meaning.positions import never_negative


def _multiple(term: Expr, divisor: Expr) -> Expr | None:
    """``term / divisor`` when that is an integer expression (``P i`` by ``P``), else None."""
    ratio = sympy.cancel(term / divisor) if divisor != 1 else term
    if ratio.is_integer and not ratio.has(sympy.Pow) or ratio.is_Integer:
        return ratio
    return None


def _split(x: Expr, divisor: Expr) -> tuple[Expr, Expr]:
    """``(whole, rest)`` with ``x = divisor * whole + rest``: the terms of ``x`` that are
    multiples of ``divisor`` go to ``whole``."""
    whole, rest = [], []
    for term in sympy.Add.make_args(x):
        ratio = _multiple(term, divisor)
        (rest if ratio is None else whole).append(term if ratio is None else ratio)
    return sympy.Add(*whole), sympy.Add(*rest)


def _sizes_only(expr: Expr) -> frozenset | None:
    """The sizes ``expr`` is written in, or None when it holds anything else (an index)."""
    symbols = frozenset(expr.free_symbols)
    return symbols if all(s.is_integer and s.is_positive for s in symbols) else None


def _settled(whole: Expr, rest: Expr, divisor: Expr) -> tuple[Expr, Expr] | None:
    """``(q, r)`` with ``x = divisor q + r`` and ``0 <= r < divisor`` at every size, when
    ``rest`` (or ``rest + divisor``: ``P - 1`` is ``P`` less 1) is written in sizes only
    (``[A \\otimes B]_{P,1}``, the last entry ``MP``)."""
    for quotient, remainder in ((whole, rest), (whole - 1, rest + divisor)):
        sizes = _sizes_only(remainder + divisor)
        if sizes is not None and never_negative(remainder, sizes) and never_negative(divisor - 1 - remainder, sizes):
            return quotient, remainder
    return None


def factor_of(larger: Expr, divisor: Expr) -> Expr | None:
    """``larger / divisor`` when ``divisor`` divides ``larger`` (a product of sizes), else None."""
    if larger == divisor:
        return sympy.S.One
    ratio = sympy.cancel(larger / divisor)
    return ratio if ratio.is_integer and ratio.is_positive and not ratio.has(sympy.Pow) else None


class Quotient(sympy.Function):
    """``x // d`` (floor division) of an integer ``x`` by a positive integer ``d``."""

    nargs = 2
    is_integer = True

    @classmethod
    def eval(cls, x: Expr, divisor: Expr) -> Expr | None:
        if divisor == 1 or x == 0:
            return x
        if isinstance(x, sympy.Symbol) and x != divisor:  # most calls: an index (nothing to split)
            return None
        if x.is_Integer and divisor.is_Integer:
            return sympy.Integer(int(x) // int(divisor))
        if isinstance(x, Quotient):  # (y // a) // d = y // (a d)
            return cls(x.args[0], x.args[1] * divisor)
        if isinstance(x, Remainder) and (factor := factor_of(x.args[1], divisor)) is not None:
            return Remainder(cls(x.args[0], divisor), factor)  # (y % (d b)) // d = (y // d) % b
        whole, rest = _split(x, divisor)
        settled = _settled(whole, rest, divisor)
        if settled is not None:
            return settled[0]
        if whole == 0:
            return None
        return whole if rest == 0 else whole + cls(rest, divisor)


class Remainder(sympy.Function):
    """``x % d`` (in ``0 .. d - 1``) of an integer ``x`` by a positive integer ``d``."""

    nargs = 2
    is_integer = True

    @classmethod
    def eval(cls, x: Expr, divisor: Expr) -> Expr | None:
        if divisor == 1 or x == 0:
            return sympy.S.Zero
        if isinstance(x, sympy.Symbol) and x != divisor:
            return None
        if x.is_Integer and divisor.is_Integer:
            return sympy.Integer(int(x) % int(divisor))
        if isinstance(x, Remainder) and factor_of(x.args[1], divisor) is not None:
            return cls(x.args[0], divisor)  # (y % (d b)) % d = y % d
        whole, rest = _split(x, divisor)
        settled = _settled(whole, rest, divisor)
        if settled is not None:
            return settled[1]
        if whole == 0:
            return None
        return cls(rest, divisor)

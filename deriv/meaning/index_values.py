"""A summed index used as a number: ``\\sum_{k=1}^{N} k``, ``\\sum_i i x_i``, ``(i - 1) w_i``.

In: the dummy a ``\\sum`` binds its index to.  Out: the index's value as a
scalar.  Dummies count from 0 (positions are 0-based, :mod:`deriv.meaning.positions`),
so the value the author means is the dummy plus one: ``\\sum_{k=1}^{N} k`` is
``N(N+1)/2``.  Only an index a ``\\sum`` (or ``\\prod``) around it binds is a
number; any other undeclared name stays an error, never taken for an index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy
from sympy import Expr, Symbol

from deriv.ir import sum_of
from deriv.meaning import values as V
from deriv.meaning.positions import never_negative


def index_value(dummy: Symbol, written: str) -> V.Value:
    """The 1-based value of the summed index ``written`` bound to ``dummy``."""
    return V.scalar(dummy + 1, written)


def closed_sum(body: Expr, limits: Sequence[tuple[Symbol, Expr, Expr]]) -> Expr:
    """``\\sum`` of ``body`` over ``limits``: in closed form where ``body`` is a polynomial in
    each summed index (``\\sum_{k=1}^{N} k^2 = N(N+1)(2N+1)/6``, Faulhaber's formulas through
    :func:`sympy.summation`), else the sum itself.  SymPy's closed form of a sum whose upper
    bound is below its lower one is not 0 (Karr's convention), so a sum is closed only where it
    provably has at least 0 terms at every size and outer index (the count is never negative)."""
    closed = body
    for dummy, lower, upper in limits:
        if not (closed.is_polynomial(dummy) and _never_empty_past_one(upper - lower + 1)):
            return sum_of(body, *limits)
        closed = sympy.expand(sympy.summation(closed, (dummy, lower, upper)))
    return closed


def _never_empty_past_one(count: Expr) -> bool:
    """Whether ``count`` (terms of a sum) is at least 0 at every size >= 1 and dummy index >= 0."""
    sizes = frozenset(s for s in count.free_symbols if s.is_integer and s.is_positive)
    dummies = frozenset(s for s in count.free_symbols - sizes if s.is_integer and s.name.startswith("_"))
    return never_negative(count, sizes, dummies)

"""An index used as a number: ``\\sum_{k=1}^{N} k``, ``\\sum_i i x_i``, ``(i - 1) w_i``, ``2 j x_j``.

In: the dummy a ``\\sum`` binds its index to.  Out: the index's value as a
scalar.  Dummies count from 0 (positions are 0-based, :mod:`deriv.meaning.positions`),
so the value the author means is the dummy plus one: ``\\sum_{k=1}^{N} k`` is
``N(N+1)/2``.  A free index is a number too where the member writes it in a
subscript as well (``2 j x_j``: ``j`` is an index there) and an entry gives it
its range; any other undeclared name stays an error, never taken for an index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy
from sympy import Expr, Symbol

from deriv.ir import index, sum_of
from deriv.latex import ast
from deriv.meaning import values as V
from deriv.meaning.positions import never_negative
from deriv.names import GREEK


def index_value(dummy: Symbol, written: str) -> V.Value:
    """The 1-based value of the summed index ``written`` bound to ``dummy``."""
    return V.scalar(dummy + 1, written)


def closed_sum(body: Expr, limits: Sequence[tuple[Symbol, Expr, Expr]],
               lows: Mapping[Symbol, Expr] | None = None) -> Expr:
    """``\\sum`` of ``body`` over ``limits``: in closed form where ``body`` is a polynomial in
    each summed index (``\\sum_{k=1}^{N} k^2 = N(N+1)(2N+1)/6``, Faulhaber's formulas through
    :func:`sympy.summation`), else the sum itself.  SymPy's closed form of a sum whose upper
    bound is below its lower one is not 0 (Karr's convention), so a sum is closed only where it
    provably has at least 0 terms at every size and value of the outer sums' indices, each at
    least its sum's lower limit (``lows``, 0-based: ``\\sum_{j=0}^{N}`` starts at -1)."""
    closed = body
    for dummy, lower, upper in limits:
        if not (closed.is_polynomial(dummy) and never_empty(upper - lower + 1, lows or {})):
            return sum_of(body, *limits)
        closed = sympy.expand(sympy.summation(closed, (dummy, lower, upper)))
    return closed


def never_empty(count: Expr, lows: Mapping[Symbol, Expr]) -> bool:
    """Whether ``count`` (terms of a sum) is at least 0 at every size >= 1 and every value of the
    outer indices it names, each written as its lower limit (``lows``) plus a counter >= 0; an
    index without a known lower limit (a free one) is not shown."""
    counters: set[Symbol] = set()
    for _ in range(16):  # lower limits may name further outer indices
        sizes = frozenset(s for s in count.free_symbols if s.is_integer and s.is_positive)
        indices = count.free_symbols - sizes - counters
        if not indices:
            return never_negative(count, sizes, frozenset(counters))
        if any(i not in lows for i in indices):
            return False
        fresh = {i: Symbol(f"_above{i.name}", integer=True) for i in indices}
        counters |= set(fresh.values())
        count = sympy.expand(count.xreplace({i: lows[i] + fresh[i] for i in indices}))
    return False


def subscript_names(node: object) -> frozenset[str]:
    """The names written inside a subscript anywhere in the syntax tree ``node`` (``x_j``,
    ``A_{ik}``, ``x_{i+1}``): the only undeclared names that may be free indices used as numbers."""
    found: set[str] = set()
    stack: list[tuple[object, bool]] = [(node, False)]
    while stack:
        item, inside = stack.pop()
        if isinstance(item, tuple):
            stack.extend((child, inside) for child in item)
        elif isinstance(item, ast.Name) and inside:
            found.add(item.name)
        elif isinstance(item, ast.Scripted):
            stack.append((item.base, inside))
            stack.append((item.sub, True))
            stack.append((item.sup, inside))
        elif hasattr(item, "__dataclass_fields__"):
            stack.extend((child, inside) for child in vars(item).values())
    return frozenset(found)


def free_index_value(name: str, subscripted: frozenset[str]) -> V.Value | None:
    """A free index used as a number (``2 j x_j``): an undeclared single letter or Greek name
    that the member also writes in a subscript; its range must then be known (:func:`unranged`)."""
    if name not in subscripted or not (len(name) == 1 or name in GREEK):
        return None
    return V.scalar(index(name) + 1, name)


def unranged(valued: set[str], ranges: Mapping[str, Expr]) -> str | None:
    """Why a name read as a free index's number is not one: no entry gives it a range."""
    missing = sorted(name for name in valued if name not in ranges)
    if not missing:
        return None
    return f"unknown name {missing[0]}: declare it under symbols: or define it"

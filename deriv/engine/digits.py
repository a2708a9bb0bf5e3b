"""Composite indices in the normal form: Kronecker products and ``vec``.

An entry of ``A \\otimes B`` or of ``\\operatorname{vec}(X)`` is read at the digits
of its row, ``r // P`` and ``r % P`` (:mod:`deriv.meaning.digits`).  Three rules,
each an identity for every size, let the normal form see through them:

* a digit of an index whose range is no longer than the divisor is the index
  itself (``k % P = k``, ``k // P = 0`` for ``0 <= k < P``);
* a sum over ``r`` from 0 to ``n d - 1`` that reads a digit ``r // d`` or
  ``r % d`` is the double sum over ``a < n`` and ``b < d`` of its body at
  ``r = d a + b`` (one term for each ``r``), whose digits are then ``a`` and ``b``;
* a digit ranges over ``0 .. n - 1`` for ``r // d`` (``r`` below ``n d``), and over
  ``0 .. d - 1`` for ``r % d``, so a delta with a summed index contracts it.

A digit the rules can not remove stays an atom: the step is then tested.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import Expr, Sum, Symbol

from deriv.ir import contains, delta, fresh_index, substituted, text
from deriv.meaning.digits import Quotient, Remainder, factor_of
from deriv.meaning.positions import never_negative

Extent = Callable[[Expr], Expr | None]
DIGITS = (Quotient, Remainder)
#: Why a step reading such an entry is no polynomial in the sizes.
DIGIT_ENTRY = "an entry of a Kronecker product or of a vec, which moves with the sizes"


def has_digits(expr: Expr) -> bool:
    """Whether ``expr`` reads a digit anywhere."""
    return contains(expr, *DIGITS)


def reads_digits(expr: Expr) -> bool:
    """Whether an entry or a delta is read at a digit: which entry that is depends on the
    sizes (``r // P`` moves as ``P`` does), so its value is no polynomial in them."""
    return any(not isinstance(a, Symbol) and a.has(*DIGITS) for a in expr.args[1 if isinstance(expr, sympy.Indexed) else 0:])


def _digits(expr: Expr) -> list[Expr]:
    """The digits in ``expr`` outside the sums it holds (a sum's own are read with its ranges)."""
    found: list[Expr] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, DIGITS):
            found.append(node)
        if not isinstance(node, Sum):
            stack.extend(a for a in node.args if isinstance(a, sympy.Basic))
    return found


def _within(extent: Expr, divisor: Expr) -> bool:
    """Whether every index below ``extent`` is below ``divisor``, at every size."""
    if extent == divisor:
        return True
    sizes = frozenset(s for s in (extent - divisor).free_symbols if s.is_positive and s.is_integer)
    return sizes == (extent - divisor).free_symbols and never_negative(divisor - extent, sizes)


def within_ranges(expr: Expr, extent_of: Extent) -> Expr:
    """``expr`` with each digit of an index no longer than its divisor removed."""
    mapping: dict[Expr, Expr] = {}
    for digit in _digits(expr):
        x, divisor = digit.args
        extent = extent_of(x) if isinstance(x, Symbol) else None
        if extent is not None and _within(extent, divisor):
            mapping[digit] = sympy.S.Zero if isinstance(digit, Quotient) else x
    return substituted(expr, mapping) if mapping else expr


def _divisor(body: Expr, var: Symbol, extent: Expr) -> tuple[Expr, Expr] | None:
    """The divisor to split the sum over ``var`` by, and the count of its quotients: the
    largest of the digits of ``var`` itself that divides the extent."""
    candidates = []
    for digit in body.atoms(*DIGITS):  # inside inner sums too: they bind other indices
        x, divisor = digit.args
        count = factor_of(extent, divisor) if x == var else None
        if count is not None and count != 1:
            candidates.append((sympy.Poly(divisor).total_degree() if divisor.free_symbols else 0, text(divisor), divisor, count))
    if not candidates:
        return None
    _, _, divisor, count = max(candidates, key=lambda c: (c[0], c[1]))
    return divisor, count


def split_sums(body: Expr, bound: list[tuple[Symbol, Expr]]) -> tuple[Expr, list[tuple[Symbol, Expr]]]:
    """The body and summed indices with every sum over a composite index that reads its
    digits written as two sums (over the quotient, then the remainder)."""
    done: list[tuple[Symbol, Expr]] = []
    pending = list(bound)
    while pending:
        var, extent = pending.pop(0)
        split = _divisor(body, var, extent)
        if split is None:
            done.append((var, extent))
            continue
        divisor, count = split
        high, low = fresh_index("a"), fresh_index("b")
        body = substituted(body, {var: divisor * high + low})
        pending[:0] = [(high, count), (low, divisor)]
    return body, done


def joined_deltas(factors: dict[Expr, Expr]) -> dict[Expr, Expr]:
    """``delta(r // d, s // d) delta(r % d, s % d)`` is ``delta(r, s)``: two integers with the
    same quotient and remainder are one (``[I_N \\otimes I_P]_{r,s} = \\delta_{r,s}``)."""
    found: dict[tuple, dict[type, Expr]] = {}
    for atom, exponent in factors.items():
        if not (isinstance(atom, sympy.KroneckerDelta) and exponent == 1):
            continue
        first, second = atom.args[:2]
        if type(first) is type(second) and isinstance(first, DIGITS) and first.args[1] == second.args[1]:
            ends = frozenset((first.args[0], second.args[0]))
            found.setdefault((ends, first.args[1]), {})[type(first)] = atom
    joined = dict(factors)
    for (ends, _), pair in found.items():
        if len(pair) == 2 and len(ends) == 2:
            for atom in pair.values():
                del joined[atom]
            one = delta(*sorted(ends, key=text))
            joined[one] = joined.get(one, sympy.S.Zero) + 1
    return joined


def digit_extent(index: Expr, extent_of: Extent) -> Expr | None:
    """The range of a digit: ``d`` for ``x % d``, ``n`` for ``x // d`` of an ``x`` below ``n d``."""
    if isinstance(index, Remainder):
        return index.args[1]
    if isinstance(index, Quotient) and isinstance(index.args[0], Symbol):
        extent = extent_of(index.args[0])
        return None if extent is None else factor_of(extent, index.args[1])
    return None

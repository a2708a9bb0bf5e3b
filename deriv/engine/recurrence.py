"""Members of a family defined by a recurrence, symbolically.

``h_t = \\tanh(W h_{t-1} + U x_t)`` defines every member after the first
(:mod:`deriv.meaning.recurrences`); the array kept for ``h`` has the member's
row first, ``h_0`` at row 0.  The random tester computes members by
unrolling (:meth:`~deriv.engine.instances.Evaluator.recurrent_entry`).  Here:

- :func:`unrolled`: a member whose row is at least 1 at every value of its
  indices is replaced by its definition, again and again (``h_2`` down to
  ``h_0``; ``h_t`` once, to ``h_{t-1}``, whose row may be 0).  A member left
  alone stands for any value, so an identity shown with it holds for the
  members the recurrence gives too: a proof stays a proof.
- :func:`member_slope`: the derivative of a member.  By a member ``k`` steps
  before it (``k`` a number), the recurrence is applied ``k`` times; by
  anything else it reaches, only a member at a numbered row is unrolled (to
  ``h_0``, which depends on nothing).  Anything else (``h_T`` by ``W``, back
  propagation through time) is left to the tester: an
  :class:`~deriv.errors.UnsupportedError`, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import sympy
from sympy import Expr, Indexed, Sum, Symbol

from deriv.meaning.message_text import message_latex
from deriv.context import Context, Definition
from deriv.errors import UnsupportedError
from deriv.ir import MatrixArg, Partial, base_name, delta_product, fresh_index, substituted, sum_of

if TYPE_CHECKING:  # the differentiator calls member_slope
    from deriv.engine.differentiate import Differentiator

#: Members unrolled inside one member at most (``h_{40}`` is left as it is beyond).
MAX_UNROLL = 12


def lowest(expr: Expr, lows: Mapping[Symbol, Expr | None], sizes: frozenset[Symbol]) -> Expr | None:
    """A lower bound of an integer affine ``expr``: sizes are at least 1, a summed index at
    least its sum's lower limit, any other index at least 0; None when none is known."""
    expr = sympy.expand(expr)
    total = expr.as_coeff_add()[0]
    for term in sympy.Add.make_args(expr):
        if term.is_Number:
            continue
        coefficient, rest = term.as_coeff_Mul()
        if not (isinstance(rest, Symbol) and coefficient.is_Integer and coefficient > 0):
            return None
        if rest in sizes:
            low: Expr | None = sympy.S.One
        elif rest in lows:
            bound = lows[rest]
            low = None if bound is None else lowest(bound, {k: v for k, v in lows.items() if k != rest}, sizes)
        else:
            low = sympy.S.Zero
        if low is None:
            return None
        total += coefficient * low
    return total


def unrolled(expr: Expr, context: Context) -> Expr:
    """``expr`` with every member of a recurrence family that is certainly defined by its
    recurrence (row at least 1) replaced by its definition, :data:`MAX_UNROLL` deep."""
    if not context.recurrences:
        return expr
    return _Unroller(context).walk(expr, {}, MAX_UNROLL)


class _Unroller:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.sizes = frozenset(context.sizes)

    def walk(self, expr: Expr, lows: dict[Symbol, Expr | None], depth: int) -> Expr:
        if not expr.args or isinstance(expr, Partial):  # a derivative's variable is no value to unroll
            return expr
        if isinstance(expr, Indexed):
            return self._member(expr, lows, depth)
        if isinstance(expr, Sum):
            inner = dict(lows)
            for limit in expr.limits:
                var, low = limit[0], limit[1]
                inner[var] = None if var in inner else low  # one symbol bound twice: no bound known
            return sum_of(self.walk(expr.function, inner, depth), *expr.limits)
        if isinstance(expr, MatrixArg):
            # Through fresh symbols: a member unrolled inside may bring an argument numbered like this one.
            row, col = fresh_index("r"), fresh_index("c")
            body = self.walk(expr.entry(row, col), {**lows, row: sympy.S.Zero, col: sympy.S.Zero}, depth)
            return MatrixArg.from_entry(lambda r, c: substituted(body, {row: r, col: c}), expr.rows, expr.cols)
        args = tuple(self.walk(a, lows, depth) for a in expr.args)
        return expr if all(a is b for a, b in zip(args, expr.args)) else expr.func(*args)

    def _member(self, expr: Indexed, lows: dict[Symbol, Expr | None], depth: int) -> Expr:
        recurrence = self.context.recurrences.get(base_name(expr))
        if recurrence is None or depth <= 0:
            return expr
        low = lowest(expr.indices[0], lows, self.sizes)
        if low is None or not low.is_number or low < 1:
            return expr
        return self.walk(applied(recurrence, expr), lows, depth - 1)


def applied(recurrence: Definition, member: Indexed) -> Expr:
    """The recurrence's right side for ``member``, its summed indices fresh (unrolled into
    itself, the sums would otherwise share one index)."""
    return _fresh_sums(recurrence.at(*member.indices))


def _fresh_sums(expr: Expr) -> Expr:
    if isinstance(expr, Sum):
        renaming = {limit[0]: fresh_index(str(limit[0]).lstrip("_").rstrip("0123456789") or "k") for limit in expr.limits}
        body = _fresh_sums(substituted(expr.function, renaming))
        return sum_of(body, *[(renaming[v], lo, hi) for v, lo, hi in expr.limits])
    if isinstance(expr, MatrixArg) and expr.body.has(Sum):
        return MatrixArg.from_entry(lambda r, c: _fresh_sums(expr.entry(r, c)), expr.rows, expr.cols)
    if not expr.args or isinstance(expr, (Indexed, MatrixArg)):
        return expr
    args = tuple(_fresh_sums(a) for a in expr.args)
    return expr if all(a is b for a, b in zip(args, expr.args)) else expr.func(*args)


def member_slope(differentiator: "Differentiator", expr: Indexed) -> Expr:
    """``d expr / d var`` for ``expr`` an entry of a member of a recurrence family."""
    context = differentiator.context
    name = base_name(expr)
    recurrence = context.recurrences[name]
    row = expr.indices[0]
    var = differentiator.var
    if differentiator.var_name == name:
        if not isinstance(var, Indexed) or len(var.indices) != len(expr.indices):
            raise UnsupportedError(f"{message_latex(var)} and {message_latex(expr)} index {name} differently")
        gap = sympy.expand(row - var.indices[0])
        if gap == 0:
            return delta_product(zip(expr.indices[1:], var.indices[1:]))
        if not gap.is_Integer:
            raise UnsupportedError(_LEFT_TO_TESTS)
        if gap < 0:
            return sympy.S.Zero  # a member depends on earlier members only
        # The variable is a member gap >= 1 steps before: every row down to it is defined.
        return differentiator.d(applied(recurrence, expr))
    if row.is_Integer:
        return sympy.S.Zero if row < 1 else differentiator.d(applied(recurrence, expr))
    raise UnsupportedError(_LEFT_TO_TESTS)


_LEFT_TO_TESTS = ("a derivative through a recurrence at a step that is not a number is left to the random tests: "
                  "symbolically it would unroll down to the first member")

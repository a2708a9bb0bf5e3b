"""Numeric sizes in the symbolic proof: entry by entry, sums written out.

A ``vector 2``, a ``matrix 2 x 3`` or a matrix literal gives an index a
range that is a number.  A step about such an array is a statement about
finitely many entries, and a literal's entries are cells weighted by deltas
(:mod:`deriv.meaning.literals`), which the normal form of a general entry
can not match against ``A_{i,1} v_1 + A_{i,2} v_2``.  So when the general
normal forms differ, the proof is tried again for each value of every free
index whose range is a number (up to :data:`MAX_POINTS` entries), with every
sum over a numeric range written out term by term (up to :data:`MAX_TERMS`
terms): equal normal forms at every one of those entries prove the step.

What ``proved`` means then: for the numeric sizes as written, and for
every value of the sizes that are names.  Nothing is claimed for other
numbers (a ``vector 2`` is not a ``vector 3``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping

import sympy
from sympy import Expr, Indexed, Integer, Sum, Symbol

from deriv.context import Context
from deriv.engine.normal import difference as normal_difference
from deriv.errors import UnsupportedError
from deriv.ir import base_name, contains, substituted

#: The most entries the proof is split into (a 8 x 8 matrix).
MAX_POINTS = 64
#: The longest sum written out term by term.
MAX_TERMS = 16


def numeric_free(ranges: Mapping[Symbol, Expr]) -> tuple[Symbol, ...]:
    """The free indices whose range is a number, in a stable order."""
    return tuple(sorted((s for s, r in ranges.items() if _number(r) > 0), key=str))


def _number(extent: Expr | int) -> int:
    """A range that is a number (a caller may give a plain int), else 0."""
    return int(extent) if isinstance(extent, int) or getattr(extent, "is_Integer", False) else 0


def _numeric_bounds(limit: tuple) -> bool:
    _, low, high = limit
    return bool(low.is_Integer and high.is_Integer and 0 <= high - low + 1 <= MAX_TERMS)


def written_out(expr: Expr) -> Expr:
    """``expr`` with every sum over a numeric range (of at most :data:`MAX_TERMS` terms)
    written out as the sum of its terms, outermost first: an inner sum whose bounds name
    the outer index (``\\sum_{j=1}^{i}``) has numeric bounds once that index is a number."""
    if not isinstance(expr, sympy.Basic) or not expr.args:
        return expr
    if isinstance(expr, Sum):
        *inner, outer = expr.limits  # the last limit is the outermost sum
        rest = sympy.Sum(expr.function, *inner) if inner else expr.function
        if not _numeric_bounds(tuple(outer)):
            return sympy.Sum(written_out(rest), outer)
        k, low, high = outer
        return sympy.Add(*(written_out(substituted(rest, {k: Integer(v)})) for v in range(int(low), int(high) + 1)))
    args = tuple(written_out(a) for a in expr.args)
    return expr if args == expr.args else expr.func(*args)


def has_numeric_sum(expr: Expr) -> bool:
    """Whether ``expr`` holds a sum :func:`written_out` would write out."""
    if not contains(expr, Sum):  # known without a walk (ir.node_types)
        return False
    return any(_numeric_bounds(tuple(limit)) for s in expr.atoms(Sum) for limit in s.limits)


def entrywise_difference(lhs: Expr, rhs: Expr, ranges: Mapping[Symbol, Expr], form: Callable[[Expr, Mapping[Symbol, Expr]], Mapping]) -> dict:
    """The difference of the two sides' normal forms (``form``: an expression's under
    ranges); where it is not empty, or the general forms can not be made (a sum whose
    bounds depend on another index), and the step has numeric ranges: empty when the
    forms agree at every entry of the numeric free indices with numeric sums written
    out.  Otherwise the general difference (or its error)."""

    def difference(a: Expr, b: Expr, under: Mapping[Symbol, Expr]) -> dict:
        return normal_difference(form(a, under), form(b, under))

    try:
        found, failure = difference(lhs, rhs, ranges), None
    except UnsupportedError as error:
        found, failure = {}, error
    if failure is None and not found:
        return found  # proved by the general forms: nothing to split
    free = numeric_free(ranges)
    applies = bool(free) or has_numeric_sum(lhs) or has_numeric_sum(rhs)
    extents = [_number(ranges[s]) for s in free]
    if not applies or math.prod(extents) > MAX_POINTS:
        if failure is not None:
            raise failure
        return found
    rest = {s: r for s, r in ranges.items() if s not in free}
    lhs, rhs = written_out(lhs), written_out(rhs)
    for point in itertools.product(*(range(e) for e in extents)):
        at = {s: Integer(v) for s, v in zip(free, point)}
        if not _shown_equal(written_out(substituted(lhs, at)), written_out(substituted(rhs, at)), rest, difference):
            if failure is not None:
                raise failure
            return found
    return {}


def _shown_equal(lhs: Expr, rhs: Expr, ranges: Mapping[Symbol, Expr], difference: Callable) -> bool:
    """Whether the normal forms of one entry agree (a form that can not be made: not shown)."""
    try:
        return not difference(lhs, rhs, ranges)
    except UnsupportedError:
        return False


def numeric_sizes(exprs: tuple[Expr, ...], ranges: Mapping[Symbol, Expr], context: Context) -> tuple[list[str], bool]:
    """The numeric sizes a step is about (its free indices' numeric ranges and the numeric
    extents of the declared arrays it names, past 1: a scalar's 1 is no size), and
    whether it also names a size."""
    if not _any_number(ranges.values()) and not _declares_numbers(context):
        return [], False  # no number can be among the extents: the walk below would find none
    extents: set[Expr | int] = set(ranges.values())
    for expr in exprs:
        extents.update(e for atom in expr.atoms(Indexed) for e in context.shape_of(base_name(atom)) or ())
        extents.update(expr.free_symbols & set(context.sizes))
    numbers = sorted(n for n in map(_number, extents) if n > 1)
    named = any(not _number(e) for e in extents)
    return [str(n) for n in numbers], named


def _any_number(extents) -> bool:
    return any(_number(e) > 1 for e in extents)


def _declares_numbers(context: Context) -> bool:
    """Whether any declared or defined array has a numeric extent past 1 (the only
    place, besides the ranges, :func:`numeric_sizes` finds numbers)."""
    return (any(_any_number(declared.shape) for declared in context.declared.values())
            or any(_any_number(defined.shape) for defined in context.definitions.values()))


def numeric_note(message: str, lhs: Expr, rhs: Expr, ranges: Mapping[Symbol, Expr], context: Context) -> str:
    """A proof's message, with what it covers when the step has numeric sizes."""
    sizes, named = numeric_sizes((lhs, rhs), ranges, context)
    if not sizes:
        return message
    note = (f"for the numeric size{'s' if len(sizes) > 1 else ''} {', '.join(sizes)} as written"
            f"{' and every value of the named sizes' if named else ''}: a numeric size is that size only")
    return f"{message}; {note}" if message else note

"""How many size assignments a step needs, and which.

A side's value, at fixed random entries, is a polynomial in the sizes whose
degree can be bounded from the expression: a ``Sum`` adds the degree of its
body in the summed index plus one; a size (or an index) used as a value adds
its power; entries and deltas add nothing; a transcendental or opaque
function of a size-dependent argument has no finite bound (:data:`CAP` is
used).  Two sides that differ by a nonzero polynomial of per-size degrees
``d_k`` and total degree ``D`` can not agree on the whole *lower set*
``{alpha : alpha_k <= d_k, |alpha| <= D}`` of a grid with distinct nodes per
size (such a set is unisolvent for the polynomials with those monomials).
Size ``k`` (of ``n``) takes the nodes ``2 + k + (n | 1) a``, so the sizes of every
assignment are pairwise distinct, every size takes both parities, and no
transposed result can pass.  Which assignments a step is then tested at, beyond
this grid, is :mod:`deriv.engine.plan`'s.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import sympy
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy import Expr, Indexed, Sum, Symbol
from sympy.core.function import AppliedUndef

from deriv.context import Context
from deriv.engine.digits import DIGIT_ENTRY, reads_digits
from deriv.ir import MATRIX_FUNCTIONS, MatrixArg, MatrixPower, OpaqueCall, OpaqueGrad, Partial, base_name
from deriv.meaning.message_text import message_latex
from deriv.meaning.positions import SUM_BOUNDS, counts_terms

#: Key of the total degree in a degree table.
TOTAL = "*"
#: Per-size and total degree assumed where no finite bound exists.
CAP = 2
#: More assignments than this and a step is not tested (too costly).
MAX_ASSIGNMENTS = 12
#: Assignments of the grid, at least.
MIN_UNPROVED = 3

Degrees = dict  # Symbol | TOTAL -> int; None stands for "no finite bound"


def _combine(tables: list, join) -> Degrees | None:
    """Merge degree tables key by key with ``join`` (max for sums, + for products)."""
    if any(t is None for t in tables):
        return None
    result: Degrees = {}
    for table in tables:
        for key, value in table.items():
            result[key] = join(result[key], value) if key in result else value
    return result


def _combine_max(tables: list) -> Degrees | None:
    return _combine(tables, max)


def _combine_sum(tables: list) -> Degrees | None:
    return _combine(tables, lambda a, b: a + b)


class DegreeBound:
    """Degree bounds in the sizes for the expressions of one context."""

    def __init__(self, context: Context, ranges: Mapping[Symbol, Expr]) -> None:
        self.context = context
        self.ranges = ranges
        self.sizes = frozenset(context.sizes)
        self._defined: dict[str, Degrees | None] = {}
        #: The first part found whose value is not a polynomial in the sizes.
        self.unbounded: Expr | str | None = None

    def _origin(self, part: Expr | str, table: Degrees | None) -> Degrees | None:
        """``table``, noting ``part`` as the cause when it is the first without a bound."""
        if table is None and self.unbounded is None:
            self.unbounded = part
        return table

    def of(self, expr: Expr) -> Degrees | None:
        """The degree table of ``expr`` (sizes and free summation variables)."""
        if isinstance(expr, (sympy.KroneckerDelta, Indexed)) and reads_digits(expr):
            return self._origin(DIGIT_ENTRY, None)
        if expr.is_Number or isinstance(expr, (sympy.NumberSymbol, sympy.KroneckerDelta)):
            return {}
        if isinstance(expr, Symbol):
            return self._symbol(expr)
        if isinstance(expr, Indexed):
            name = base_name(expr)
            if name in self.context.recurrences:  # h_T is A^T h_0: T applications, no polynomial in T
                return self._origin(f"{name}, a family defined by a recurrence", None)
            return self._definition(name) if self.context.is_defined(name) else {}
        if isinstance(expr, sympy.Add):
            return _combine_max([self.of(a) for a in expr.args])
        if isinstance(expr, sympy.Mul):
            return _combine_sum([self.of(a) for a in expr.args])
        if isinstance(expr, sympy.Pow):
            return self._power(expr)
        if isinstance(expr, Sum):
            return self._sum(expr)
        if isinstance(expr, (sympy.Product, MatrixPower)):  # N factors: a degree that grows with N
            return self._origin(expr, None)
        if isinstance(expr, Partial):
            return self.of(expr.body)
        if isinstance(expr, MATRIX_FUNCTIONS) and expr.arg.rows.free_symbols:
            return self._origin(expr, None)  # an inverse or determinant of a sized matrix: no polynomial in the size
        if isinstance(expr, (OpaqueCall, OpaqueGrad)):
            return self._origin(expr, self._constant_argument(expr.arg.body))
        if isinstance(expr, MatrixArg):
            return self.of(expr.body)
        if isinstance(expr, (AppliedUndef, sympy.Function)):
            return self._origin(expr, _combine_max([self._constant_argument(a) for a in expr.args]))
        return _combine_max([self.of(a) for a in expr.args if isinstance(a, Expr)])

    def _constant_argument(self, arg: Expr) -> Degrees | None:
        table = self.of(arg)
        return {} if table is not None and not table.get(TOTAL) else None

    def _symbol(self, symbol: Symbol) -> Degrees | None:
        if symbol in self.sizes:
            return {symbol: 1, TOTAL: 1}
        if symbol.is_integer:
            if symbol in self.ranges:  # a free index: at most its size
                return self.of(self.ranges[symbol])
            return {symbol: 1, TOTAL: 1}  # a summation (or definition) variable
        if self.context.is_defined(symbol.name):
            return self._definition(symbol.name)
        return {}

    def _definition(self, name: str) -> Degrees | None:
        if name not in self._defined:
            self._defined[name] = None  # a cycle has no bound
            definition = self.context.definitions[name]
            table = self.of(definition.body)
            if table is not None:
                # parameters used as values range up to the defined shape
                shape_table = _combine_max([self.of(s) for s in definition.shape])
                for param in definition.params:
                    if param in table:
                        power = table.pop(param)
                        table = _combine_sum([table, {k: v * power for k, v in (shape_table or {}).items()}])
                        assert table is not None  # the sum of two tables (neither None) is a table
                        table[TOTAL] = table.get(TOTAL, 0) - power
            self._defined[name] = table
        return self._defined[name]

    def _power(self, expr: sympy.Pow) -> Degrees | None:
        base, exponent = expr.args
        table = self.of(base)
        if table is None:
            return None
        if exponent.is_Integer and exponent >= 0:
            return {k: v * int(exponent) for k, v in table.items()}
        exponent_table = self.of(exponent)
        if not table.get(TOTAL) and exponent_table is not None and not exponent_table.get(TOTAL):
            return {}
        return self._origin(expr, None)

    def _sum(self, expr: Sum) -> Degrees | None:
        table = self.of(expr.function)
        for var, lo, hi in expr.limits:
            if table is None:
                return None
            if not counts_terms(hi - lo + 1):
                return self._origin(SUM_BOUNDS, None)  # empty past some sizes: not one polynomial
            power = table.pop(var, 0)
            table[TOTAL] = table.get(TOTAL, 0) - power
            extent = _combine_max([self.of(lo), self.of(hi)])
            if extent is None:
                return None
            table = _combine_sum([table, {k: v * (power + 1) for k, v in extent.items()}])
        return table


@dataclass(frozen=True)
class Bound:
    """Per-size and total degrees bounding both sides of a step (capped where unbounded)."""

    per_size: dict
    total: int
    #: Why the degrees bound nothing ("" when they do), naming the part of the step responsible.
    unbounded: str = ""


def step_bound(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr]) -> Bound:
    """The degrees of both sides; a side without a bound gets :data:`CAP` in every
    size it involves, and the reason."""
    bound = DegreeBound(context, ranges)
    per_size: dict = {}
    total, why = 0, ""
    for side in (lhs, rhs):
        side = _sympify(side)
        table = bound.of(side)
        if table is None:
            part = bound.unbounded
            why = why or "its value is not a polynomial in the sizes" + (f" (at {_shown(part)})" if part is not None else "")
            table = {s: CAP for s in involved_sizes(side, context, ranges)}
            table[TOTAL] = CAP
        for s in context.sizes:
            if table.get(s):
                per_size[s] = max(per_size.get(s, 0), table[s])
        total = max(total, table.get(TOTAL, 0))
    return Bound(per_size, total, why)


def step_degrees(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr]) -> tuple[dict, int]:
    """Per-size degrees and total degree bounding both sides (capped where unbounded)."""
    bound = step_bound(lhs, rhs, context, ranges)
    return bound.per_size, bound.total


def _shown(part: Expr | str) -> str:
    return part if isinstance(part, str) else message_latex(part)


def involved_sizes(expr: Expr, context: Context, ranges: Mapping[Symbol, Expr], memo: dict | None = None) -> frozenset[Symbol]:
    """The sizes ``expr``'s value can depend on at all: written, or the range of a
    free index, or in a definition it reaches (its body or its shape).  ``memo``
    remembers each definition's and each expression's (one dict per context)."""
    memo = {} if memo is None else memo
    key = (expr, tuple(ranges.items()))
    if key not in memo:
        memo[key] = _involved(expr, context, ranges, memo)
    return memo[key]


def _involved(expr: Expr, context: Context, ranges: Mapping[Symbol, Expr], memo: dict) -> frozenset[Symbol]:
    sizes = frozenset(context.sizes)
    atoms = expr.atoms(Symbol, Indexed)  # bound symbols too (never sizes): faster than free_symbols
    symbols = {a for a in atoms if isinstance(a, Symbol)}
    found = set(symbols & sizes)
    for symbol in symbols & set(ranges):
        found |= _sympify(ranges[symbol]).free_symbols & sizes
    names = {base_name(a) for a in atoms if isinstance(a, Indexed)} | {s.name for s in symbols}
    for name in names:
        if context.is_defined(name) or name in context.recurrences:
            if name not in memo:
                memo[name] = _definition_sizes(name, context, sizes)
            found |= memo[name]
    return frozenset(found)


def _definition_sizes(name: str, context: Context, sizes: frozenset[Symbol]) -> frozenset[Symbol]:
    found: set[Symbol] = set()
    for reached in (name, *context.dependencies(name)):
        definition = context.definitions.get(reached) or context.recurrences.get(reached)
        if definition is not None:
            found |= definition.body.free_symbols & sizes
            for extent in definition.shape:
                found |= _sympify(extent).free_symbols & sizes
    return frozenset(found)


def node(position: int, count: int, level: int) -> int:
    """Size number ``position`` of ``count`` at grid level ``level``: the levels step
    by an odd number, so every size takes both parities (``(-1)^N`` is 1 or -1)."""
    return 2 + position + (count | 1) * level


def assignment(sizes: tuple[Symbol, ...], levels: Mapping[Symbol, int],
               least: Mapping[Symbol, int] | None = None) -> dict[Symbol, int]:
    """Each size at its node of ``levels``; a size with a least value (``w_2``: K >= 2)
    has its levels counted from the first node at or above it, so the grid keeps its
    distinct nodes, pairwise distinct sizes and both parities."""
    least = least or {}
    return {s: node(k, len(sizes), levels.get(s, 0) + _first_level(k, len(sizes), least.get(s, 1)))
            for k, s in enumerate(sizes)}


def _first_level(position: int, count: int, least: int) -> int:
    """The lowest level whose node is at least ``least``."""
    return max(0, -(-(least - node(position, count, 0)) // (count | 1)))


def grid_levels(sizes: tuple[Symbol, ...], per_size: Mapping[Symbol, int], total: int,
                minimum: int = MIN_UNPROVED) -> tuple[list[dict], bool]:
    """The lower set of the degrees (lowest levels first), padded to ``minimum``
    (at least :data:`MIN_UNPROVED`) by raising every size one level at a time; and whether
    it is whole (False: it has more than :data:`MAX_ASSIGNMENTS`, and only the
    base is kept)."""
    varying = [s for s in sizes if per_size.get(s)]
    alphas = list(itertools.islice(_lower_set([per_size[s] for s in varying], total), MAX_ASSIGNMENTS + 1))
    if len(alphas) > MAX_ASSIGNMENTS:  # too many to show anything: the base, and sizes sampled
        return [{}], False
    levels = [dict(zip(varying, alpha)) for alpha in sorted(alphas, key=lambda a: (sum(a), a))]
    top = max((max(a.values(), default=0) for a in levels), default=0)
    while len(levels) < max(minimum, MIN_UNPROVED):
        top += 1
        levels.append({s: top for s in sizes})
    return levels, True


def assignments(sizes: tuple[Symbol, ...], per_size: Mapping[Symbol, int], total: int, *,
                proved: bool = False) -> list[dict[Symbol, int]] | None:
    """The grid's assignments, the all-base one first; None when the lower set is too
    large.  ``proved``: the base and a rotation of it (every size changes).  What a
    step is tested at is :func:`deriv.engine.plan.step_plan`'s; this is for callers
    that want the grid alone."""
    if proved:
        base = assignment(sizes, {})
        values = [base[s] for s in sizes]
        rotated = values[1:] + values[:1] if len(values) > 1 else [v + 1 for v in values]
        return [base, dict(zip(sizes, rotated))]
    levels, whole = grid_levels(sizes, per_size, total)
    return [assignment(sizes, a) for a in levels] if whole else None


def _lower_set(bounds: list[int], total: int):
    """Every ``alpha`` with ``alpha_k <= bounds[k]`` and ``|alpha| <= total``, lazily
    (the caller stops early: the set can be astronomically large)."""
    if not bounds:
        yield ()
        return
    for first in range(min(bounds[0], total) + 1):
        for rest in _lower_set(bounds[1:], total - first):
            yield (first, *rest)

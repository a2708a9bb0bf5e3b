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
assignment are pairwise distinct and no transposed result can pass.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import sympy
from sympy import Expr, Indexed, Sum, Symbol
from sympy.core.function import AppliedUndef

from deriv.context import Context
from deriv.ir import MatrixArg, OpaqueCall, OpaqueGrad, Partial, base_name

#: Key of the total degree in a degree table.
TOTAL = "*"
#: Per-size and total degree assumed where no finite bound exists.
CAP = 2
#: More assignments than this and a step is not tested (too costly).
MAX_ASSIGNMENTS = 12
#: Assignments tried for a step that is not proved, at least.
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

    def of(self, expr: Expr) -> Degrees | None:
        """The degree table of ``expr`` (sizes and free summation variables)."""
        if expr.is_Number or isinstance(expr, (sympy.NumberSymbol, sympy.KroneckerDelta)):
            return {}
        if isinstance(expr, Symbol):
            return self._symbol(expr)
        if isinstance(expr, Indexed):
            name = base_name(expr)
            return self._definition(name) if self.context.is_defined(name) else {}
        if isinstance(expr, sympy.Add):
            return _combine_max([self.of(a) for a in expr.args])
        if isinstance(expr, sympy.Mul):
            return _combine_sum([self.of(a) for a in expr.args])
        if isinstance(expr, sympy.Pow):
            return self._power(expr)
        if isinstance(expr, Sum):
            return self._sum(expr)
        if isinstance(expr, Partial):
            return self.of(expr.body)
        if isinstance(expr, (OpaqueCall, OpaqueGrad)):
            return self._constant_argument(expr.arg.body)
        if isinstance(expr, MatrixArg):
            return self.of(expr.body)
        if isinstance(expr, (AppliedUndef, sympy.Function)):
            return _combine_max([self._constant_argument(a) for a in expr.args])
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
                        if table is not None:
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
        return None

    def _sum(self, expr: Sum) -> Degrees | None:
        table = self.of(expr.function)
        for var, lo, hi in expr.limits:
            if table is None:
                return None
            power = table.pop(var, 0)
            table[TOTAL] = table.get(TOTAL, 0) - power
            extent = _combine_max([self.of(lo), self.of(hi)])
            if extent is None:
                return None
            table = _combine_sum([table, {k: v * (power + 1) for k, v in extent.items()}])
        return table


def step_degrees(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr]) -> tuple[dict, int]:
    """Per-size degrees and total degree bounding both sides (capped where unbounded)."""
    bound = DegreeBound(context, ranges)
    per_size: dict = {}
    total = 0
    for side in (lhs, rhs):
        table = bound.of(sympy.sympify(side))
        if table is None:
            table = {s: CAP for s in context.sizes}
            table[TOTAL] = CAP
        for s in context.sizes:
            if table.get(s):
                per_size[s] = max(per_size.get(s, 0), table[s])
        total = max(total, table.get(TOTAL, 0))
    return per_size, total


def node(position: int, count: int, level: int) -> int:
    """Size number ``position`` of ``count`` at grid level ``level``: the levels step
    by an odd number, so every size takes both parities (``(-1)^N`` is 1 or -1)."""
    return 2 + position + (count | 1) * level


def assignment(sizes: tuple[Symbol, ...], levels: Mapping[Symbol, int]) -> dict[Symbol, int]:
    return {s: node(k, len(sizes), levels.get(s, 0)) for k, s in enumerate(sizes)}


def assignments(sizes: tuple[Symbol, ...], per_size: Mapping[Symbol, int], total: int, *, proved: bool,
                minimum: int = MIN_UNPROVED) -> list[dict[Symbol, int]] | None:
    """Size assignments to test at, the all-base one first; None when too many are needed.

    A proved step gets two, the second a rotation of the first (every size
    changes, the cost stays that of the smallest sizes); otherwise the
    lower set of the degrees, padded to ``minimum`` (at least :data:`MIN_UNPROVED`)
    by raising every size one level at a time.
    """
    if proved:
        base = assignment(sizes, {})
        values = [base[s] for s in sizes]
        rotated = values[1:] + values[:1] if len(values) > 1 else [v + 1 for v in values]
        return [base, dict(zip(sizes, rotated))]
    varying = [s for s in sizes if per_size.get(s)]
    levels: list[dict] = []
    ranges = [range(per_size[s] + 1) for s in varying]
    for alpha in sorted(itertools.product(*ranges), key=lambda a: (sum(a), a)):
        if sum(alpha) <= total:
            levels.append(dict(zip(varying, alpha)))
    if len(levels) > MAX_ASSIGNMENTS:
        return None
    top = max((max(a.values(), default=0) for a in levels), default=0)
    while len(levels) < max(minimum, MIN_UNPROVED):
        top += 1
        levels.append({s: top for s in sizes})
    return [assignment(sizes, a) for a in levels]

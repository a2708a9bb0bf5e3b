"""Entries and sum bounds: what a subscript selects, and over what a sum runs.

A mixin of :class:`~deriv.meaning.builder.Builder`.  A subscript item that
is a plain index name (``x_i``, ``A_{ik}``) selects by that index and fixes
its range; any other item is a position (:mod:`deriv.meaning.positions`):
``x_{i+k-1}``, ``w_1``, ``x_{N}``, checked against the array's length once
the ranges are known.  A sum from 1 to a size expression gives its index
that range; any other bounds (``\\sum_{k=2}^{K}``, ``\\sum_{j=1}^{i}``) give it
an interval, and every entry it selects is a position.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy
from sympy import Expr, Symbol

from deriv.context import ONE
from deriv.errors import MeaningError, UnsupportedError
from deriv.ir import index
from deriv.latex import ast
from deriv.latex.render import render
from deriv.meaning import values as V
from deriv.meaning.positions import (
    Access,
    Interval,
    access_problem,
    check_affine,
    least_size,
    least_sizes,
    shown_affine,
    written_position,
    zero_based,
)
from deriv.meaning.family_ranges import member_row
from deriv.meaning.ranges import range_placeholder
from deriv.meaning.subscripts import subscript_indices
from deriv.names import GREEK, Family, Kind
from deriv.meaning.builder_base import BuilderBase

_COMMA = "write the indices with a comma, as in A_{i,1}"


class Entries(BuilderBase):
    """Uses the builder's ``context``, ``uses``, ``scope`` and ``check_index_name``."""


    #: Entries selected at a position, to check once ranges are known.
    accesses: list[Access]
    #: The values of each index whose sum has bounds other than 1 to a size.
    intervals: dict[Symbol, Interval]
    #: Indices whose sum's bounds, 1 to a size, fix their range: an entry they select
    #: need only lie inside its array (\sum_{k=1}^{K} x_k with x longer than K).
    bounded: set[Symbol]
    #: The limits of each sum's and product's dummy (set by the builder).
    sum_limits: dict[Symbol, tuple[Symbol, Expr, Expr]]
    #: Whether a number past 1 on a length that is one size (w_2) makes the step hold for
    #: that size at least (a chain's members; the engine reads the least sizes off the
    #: entries: :mod:`deriv.engine.minimums`), rather than an error (definitions, assumptions).
    least_allowed: bool = False

    def _plain_symbols(self, items: tuple[ast.Node, ...]) -> list[Symbol]:
        symbols = subscript_indices(items)
        for symbol in symbols:
            self.check_index_name(symbol.name)
        return [self.scope.get(s.name, s) for s in symbols]

    def index_symbols(self, items: tuple[ast.Node, ...]) -> list[Symbol]:
        """The index symbols a subscript writes, a summed name as its sum's dummy (an index
        with an interval only selects entries: a delta or a slice needs its whole range)."""
        found = self._plain_symbols(items)
        for symbol in found:
            if symbol in self.intervals:
                raise MeaningError(f"{self.uses.shown(symbol.name)} runs over part of a range (its \\sum has bounds): "
                                   f"here it may only select an entry, as in x_{{{self.uses.shown(symbol.name)}}}")
        return found

    # -- subscripts ---------------------------------------------------------------------
    def _index_or_size(self, name: str) -> Symbol:
        """A name inside a position: a size, or an index (a summed one as its dummy)."""
        size_symbol = self._size_symbol(name)
        if size_symbol is not None:
            return size_symbol
        self.check_index_name(name)
        if not (len(name) == 1 or name in GREEK):
            raise MeaningError(f"{name} can not be an index: indices are single letters or Greek letters")
        symbol = self.scope.get(name, index(name))
        self.uses.mentioned.add(symbol.name)
        return symbol

    def _written(self, item: ast.Node) -> Expr:
        """An item's 1-based position, in index and size symbols."""
        if isinstance(item, ast.Product) and any(isinstance(f, ast.Number) for f in item.factors):
            factors = item.factors
            if not (len(factors) == 2 and isinstance(factors[0], ast.Number) and isinstance(factors[1], ast.Name)
                    and factors[0].text not in ("0", "1") and not any(item.ops)):
                raise MeaningError(f"a subscript mixes numbers and names: {_COMMA}")
        written = written_position(item, self._index_or_size)
        check_affine(written, self._shown(written))
        return written

    def _shown(self, expr: Expr) -> str:
        return shown_affine(expr.xreplace({s: Symbol(self.uses.shown(s.name)) for s in expr.free_symbols}))

    def _is_plain(self, item: ast.Node) -> bool:
        names = ast.juxtaposed_names(item)
        if not names:
            return False
        # x_N, and [A \otimes B]_{MP,NQ}: a size, or a product of sizes, is a position
        return not all(self._size_symbol(n.name) is not None for n in names)

    def select_entry(self, value: V.Value, items: tuple[ast.Node, ...]) -> V.Value:
        """The entry ``items`` of ``value``: its plain indices' uses recorded, its positions
        kept to check."""
        if value.rows != ONE and value.cols != ONE and len(items) == 1 and isinstance(items[0], ast.Number):
            raise MeaningError(f"{value.text}_{{{items[0].text}}} names one position of a matrix: {_COMMA}")
        parts: list[Symbol | Expr] = []
        texts: list[str] = []
        for item in items:
            plain = self._is_plain(item)
            found = self._plain_symbols((item,)) if plain else [self._written(item)]
            parts.extend(found)
            texts.extend([self.uses.shown(p.name) for p in found] if plain else [render(item)])
        sizes = frozenset(self.context.sizes)
        positions = tuple(p if isinstance(p, Symbol) and p not in sizes else
                          zero_based(p, frozenset(p.free_symbols - sizes)) for p in parts)
        expr = V.entry_of(value, positions)
        extents = V.index_extents(value, len(positions))
        where = f"{value.text}_{{{','.join(texts)}}}"
        order: list[Symbol] = []
        for part, position, extent in zip(parts, positions, extents):
            if isinstance(part, Symbol) and part not in sizes and not self._ranged_elsewhere(part):
                self.uses.use(part.name, extent, where)
            else:
                self.accesses.append(Access(where, value.text, part, position, extent))
            order.extend(s for s in sorted(part.free_symbols - sizes, key=str) if s not in order)
        return V.scalar(expr, where, tuple(order))

    def _ranged_elsewhere(self, symbol: Symbol) -> bool:
        """Whether a plain index's range is fixed by its sum's bounds or by ``indices:`` (a free
        index): an entry it selects need only lie inside its array (h_t beside h_{t+1})."""
        return symbol in self.intervals or symbol in self.bounded or symbol.name in self.context.index_ranges

    # -- families ----------------------------------------------------------------------
    def family_of(self, name: str) -> Family | None:
        declared = self.context.declared.get(name)
        return declared.family if declared is not None else None

    def family_text(self, name: str) -> str:
        family = self.family_of(name)
        assert family is not None
        return f"{name} is a family, {name}_{{{family.first}}} to {name}_{{{family.last}}}"

    def member(self, name: str, items: tuple[ast.Node, ...]) -> V.Value:
        """``h_{t-1}`` of ``h: vector H, for t in 0..T``: the row it names of the array kept for
        ``h``, checked to lie between ``h_0`` and ``h_T``.  A plain ``x_t`` of a family from 1
        fixes ``t``'s range, as an entry does."""
        declared = self.context.declared[name]
        family = declared.family
        assert family is not None
        if len(items) != 1:
            raise MeaningError(self.family_text(name) + f": a member takes one subscript, as in {name}_{{{family.index}}}; "
                               f"an entry of a member is written (h_{{{family.index}}})_i")
        (item,) = items
        plain = self._is_plain(item) and isinstance(item, ast.Name)
        written = self._plain_symbols(items)[0] if plain else self._written(item)
        sizes = frozenset(self.context.sizes)
        row = member_row(written, family.first, sizes)
        count = declared.shape[0]
        where = f"{name}_{{{self.uses.shown(written.name) if plain else render(item)}}}"
        if plain and family.first != 1 and self._unbounded_sum(written):
            raise MeaningError(self._whole_family(name, written.name))
        if plain and family.first == 1 and not self._ranged_elsewhere(written):
            self.uses.use(written.name, count, where)
        else:
            self.accesses.append(Access(where, name, written, row, count, family.first))
        order = tuple(sorted(written.free_symbols - sizes, key=str))
        if family.member == Kind.SCALAR:
            return V.scalar(declared.entry(row, sympy.S.Zero), where, order)
        return V.matrix(declared.shape[1], ONE, lambda r, c: declared.entry(row, r), where)

    def _unbounded_sum(self, symbol: Symbol) -> bool:
        """Whether ``symbol`` is the index of a ``\\sum`` written without bounds."""
        return symbol in self.sum_limits and symbol not in self.intervals and symbol not in self.bounded

    def _whole_family(self, name: str, dummy: str) -> str:
        """The error for ``\\sum_t h_t`` over a family from ``h_0``: all its members, or ``t``'s range
        (``indices: t: T`` is ``1..T``, leaving ``h_0`` out)?"""
        family = self.family_of(name)
        assert family is not None
        t = self.uses.shown(dummy)
        return (f"\\sum_{t} {name}_{t}: {self.family_text(name)}, and a sum without bounds runs over {t}'s range, "
                f"which starts at 1: write its bounds, \\sum_{{{t}={family.first}}}^{{{family.last}}} for every member")

    # -- sum bounds ---------------------------------------------------------------------
    def sum_limit(self, spec: ast.SumIndex, dummy: Symbol) -> tuple[Symbol, Expr, Expr]:
        """The limits of the sum over ``dummy``: its whole range, or the bounds written."""
        limit = self._sum_limit(spec, dummy)
        self.sum_limits[dummy] = limit
        return limit

    def _sum_limit(self, spec: ast.SumIndex, dummy: Symbol) -> tuple[Symbol, Expr, Expr]:
        self.uses.bind(dummy.name, spec.name)
        if spec.lower is None and spec.upper is None:
            return (dummy, sympy.S.Zero, range_placeholder(dummy.name) - 1)
        if spec.lower is None or spec.upper is None:
            raise UnsupportedError(f"give \\sum over {spec.name} both bounds, as in "
                                   f"\\sum_{{{spec.name}=1}}^{{N}}, or leave them out")
        lower, upper = self._written(spec.lower), self._written(spec.upper)
        sizes = frozenset(self.context.sizes)
        if lower == 1 and upper in sizes:  # the whole range, as before: it fixes the index's range
            self.uses.use(dummy.name, upper, f"\\sum bound {upper}")
            self.bounded.add(dummy)
            return (dummy, sympy.S.Zero, range_placeholder(dummy.name) - 1)
        interval = Interval(zero_based(lower, frozenset(lower.free_symbols - sizes)),
                            zero_based(upper, frozenset(upper.free_symbols - sizes)))
        self.intervals[dummy] = interval
        return (dummy, interval.low, interval.high)

    def check_positions(self, ranges: Mapping[str, Expr], built: Expr) -> None:
        """Every entry selected at a position lies inside its array, or an error says where not;
        a number past 1 on one size (w_2, where allowed) is still in the ``built`` member."""
        intervals = {index(name): Interval(sympy.S.Zero, extent - 1) for name, extent in ranges.items()}
        intervals.update(self.intervals)
        sizes = frozenset(self.context.sizes)
        for interval in self.intervals.values():
            self._known(interval.low + interval.high, intervals, "a \\sum bound")
        for access in self.accesses:
            self._known(access.position, intervals, access.where)
            needs = least_size(access, sizes) if self.least_allowed else None
            if needs is not None:
                self._kept(access, needs, built)
                continue
            problem = access_problem(access, intervals, sizes, self.uses.shown)
            if problem:
                raise MeaningError(problem)

    def _kept(self, access: Access, needs: tuple[Symbol, int], built: Expr) -> None:
        """The step is read for sizes at least ``needs`` because the member holds the entry
        (:func:`least_sizes`): one that cancels (w_2 - w_2) would leave the step read at 1."""
        size_symbol, value = needs
        if least_sizes([built], self.context).get(size_symbol, 1) < value:
            raise MeaningError(f"{access.where} cancels out of this member, so nothing says the step is about "
                               f"{size_symbol} >= {value}, which {access.where} needs: write the member without it")

    def _known(self, expr: Expr, intervals: Mapping[Symbol, Interval], where: str) -> None:
        unknown = sorted(self.uses.shown(s.name) for s in expr.free_symbols
                         if s not in intervals and s not in self.context.sizes)
        if unknown:
            raise MeaningError(f"cannot tell the range of {', '.join(unknown)} in {where}: it is neither a declared "
                               f"size nor an index used in an entry such as x_{{{unknown[0]}}}; give it under "
                               f"indices: ({unknown[0]}: T for {unknown[0]} = 1..T)")

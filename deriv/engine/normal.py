"""A normal form for index expressions, valid for every size.

An expression becomes a sum of *terms*; a term is a coefficient (free of
indices), a product of atoms with exponents, and the indices summed over
with their ranges.  Kronecker deltas are contracted over known ranges,
summed indices are renamed canonically, and equal terms are collected.
Two expressions with the same normal form are equal for every size; when
they differ, nothing is concluded (the random tester decides).  Whenever a
rule's side condition can not be shown, the term is left as it is.
Exponentials, reciprocals and logarithms are made canonical, and a
difference is put over its positive denominators, by
:mod:`deriv.engine.quotients`.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Mapping

import sympy
from sympy import Expr, Indexed, KroneckerDelta, Sum, Symbol

from deriv.engine.inverse_rules import contract_inverse, contracted_sum, oriented, symmetric_entry, transposed
from deriv.engine.pythagorean import angle_sum, reduced, reduced_terms
from deriv.engine.quotients import exponential, logarithm, reciprocal, vanishes
from deriv.engine.terms import (
    MAX_EXPANDED_POWER,
    ONE_TERM,
    Factors,
    Key,
    Term,
    is_coefficient,
    merge_factors,
    rebuilt,
    rename_bound,
    slot,
)
from deriv.errors import UnsupportedError
from deriv.engine.peeling import whole_range
from deriv.engine.matrix_powers import canonical_power, merged_powers
from deriv.engine.products import product_terms
from deriv.engine.digits import digit_extent, has_digits, joined_deltas, split_sums, within_ranges
from deriv.meaning.positions import SUM_BOUNDS, counts_terms, never_negative
from deriv.ir import (
    MATRIX_FUNCTIONS,
    Delta,
    InverseEntry,
    MatrixArg,
    MatrixPower,
    OpaqueCall,
    OpaqueGrad,
    base_name,
    contains,
    fresh_index,
    is_index_symbol,
    substituted,
    text,
)

__all__ = ["Factors", "Key", "Normalizer", "Term", "constant_difference", "difference", "is_coefficient",
           "is_zero", "merge_factors", "rename_bound"]

#: Above this many terms an expansion is abandoned (then only testing decides).
MAX_TERMS = 4000
#: Above this many renamings per term, canonical naming is not searched.
MAX_RENAMINGS = 720

#: Coefficients larger than this (in operations) are not put over a common
#: denominator: the step is left to the tester rather than risk a long stall.
MAX_CANCEL_OPS = 300


@functools.lru_cache(maxsize=1 << 12)
def is_zero(coefficient: Expr) -> bool:
    """Whether an index-free coefficient is zero; False means *not shown*.

    Remembered: a chain's members share their coefficients, and each step
    asks again of the collected terms and of their differences (the answer
    depends on the expression alone).

    Only bounded rewrites: expansion, then one common denominator with the
    common factors cancelled.  ``sympy.simplify`` is not used: it has no
    bound on its running time (trigsimp factors over algebraic extensions),
    and every step it could prove is still tested.
    """
    if coefficient == 0:
        return True
    if coefficient.is_Number:  # a nonzero number (most coefficients): nothing to expand
        return False
    expanded = reduced(sympy.expand(coefficient))  # sin^2 u + cos^2 u is 1
    if expanded == 0:
        return True
    if sympy.count_ops(expanded) > MAX_CANCEL_OPS:
        return False
    return sympy.cancel(sympy.together(expanded)) == 0


class Normalizer:
    """Turns index expressions into collected canonical terms.

    ``ranges`` gives the range of every free index; ``symmetric`` names the
    symmetric matrices (whose two indices may be swapped).  ``matrices``, when
    given, remembers canonical matrix arguments across normalizers of one
    document (``g(Y)`` recurs in every member of a chain); it must only be
    shared by normalizers with the same ``symmetric`` and no ``least``.  ``least``: the
    least value of each size the step is read at (``w_2``: K >= 2,
    :mod:`deriv.engine.minimums`), so ``\\sum_k \\delta_{k,2} w_k`` is ``w_2``.
    """

    def __init__(self, ranges: Mapping[Symbol, Expr], symmetric: frozenset[str] = frozenset(),
                 matrices: dict | None = None, least: Mapping[Symbol, int] | None = None) -> None:
        self.ranges: dict[Symbol, Expr] = dict(ranges)
        self.free = frozenset(ranges)
        self.symmetric = symmetric
        self.least = least or {}
        self.matrices = None if self.least else matrices  # what it remembers holds at every size
        self.digits = False  # whether an expression read digits of a composite index (A \otimes B, vec)
        #: Arguments whose inverse is symmetric (:func:`~deriv.engine.inverse_rules.oriented` found them).
        self.symmetric_inverses: set[MatrixArg] = set()

    # -- expansion into terms -------------------------------------------------
    def terms(self, expr: Expr, level: int = 0) -> list[Term]:
        """``expr`` as a list of terms (not yet contracted or collected)."""
        if isinstance(expr, sympy.Product):
            return product_terms(self, expr, level)
        if is_coefficient(expr):
            return [Term(expr, (), ())]
        if isinstance(expr, sympy.Add):
            return [t for a in expr.args for t in self.terms(a, level)]
        if isinstance(expr, sympy.Mul):
            product = [ONE_TERM]
            for factor in expr.args:
                product = self.multiply(product, self.terms(factor, level))
            return product
        if isinstance(expr, sympy.exp):
            return exponential(self, expr.args[0], level)
        if isinstance(expr, sympy.log):
            return logarithm(self, expr.args[0], level)
        if isinstance(expr, sympy.Pow):
            if isinstance(expr.base, sympy.exp) and expr.exp.is_Rational:
                return exponential(self, expr.base.args[0] * expr.exp, level)  # real argument: exp(u)^q = exp(qu)
            return self._power(expr, level)
        if isinstance(expr, Sum):
            return self._sum(expr, level)
        split = angle_sum(expr)  # sin(a + b), cos(2u) by the addition formulas
        if split is not None:
            return self.terms(split, level)
        atom = self.atom(expr, level)
        return [Term(sympy.S.One, ((atom, sympy.S.One),), ())] if atom != 0 else []  # det of the zero matrix

    def multiply(self, left: list[Term], right: list[Term]) -> list[Term]:
        if len(left) * len(right) > MAX_TERMS:
            raise UnsupportedError("expression too large to expand symbolically")
        return [a.times(b) for a in left for b in right]

    def _power(self, expr: sympy.Pow, level: int) -> list[Term]:
        base, exponent = expr.args
        if exponent.is_Integer and 1 <= exponent <= MAX_EXPANDED_POWER:
            base_terms = self.terms(base, level)
            product = [ONE_TERM]
            for _ in range(int(exponent)):
                product = self.multiply(product, [rename_bound(t) for t in base_terms])
            return product
        if exponent.is_Integer:
            base_terms = self.terms(base, level)
            if len(base_terms) == 1 and not base_terms[0].bound:
                (single,) = base_terms
                return [Term(single.coeff**exponent, tuple((a, e * exponent) for a, e in single.factors), ())]
        if exponent.is_Integer and exponent < 0:
            return reciprocal(self, base, exponent, level)
        atom = sympy.Pow(self.canonical_expr(base, level + 1), exponent, evaluate=False)
        return [Term(sympy.S.One, ((atom, sympy.S.One),), ())]

    def _sum(self, expr: Sum, level: int) -> list[Term]:
        if contains(expr, InverseEntry):
            made = contracted_sum(expr, lambda a, b: self.canonical_matrix(a, level + 1) == self.canonical_matrix(b, level + 1))
            if made is not None:
                return self.terms(made, level)
        whole = whole_range(expr, self._inside)  # \sum_{k=2}^{K} w_k: the whole sum less w_1
        if whole is not None:
            return self.terms(whole, level)
        body = expr.function
        bound: list[tuple[Symbol, Expr]] = []
        for var, lower, upper in expr.limits:
            extent = upper - lower + 1
            if any(is_index_symbol(s) for s in extent.free_symbols):
                raise UnsupportedError(SUM_BOUNDS)  # j <= i: its terms' count depends on i
            if lower == 0 and var not in self.ranges:
                new = var  # first use of this name: nothing to capture, keep it
            else:
                new = fresh_index(str(var).lstrip("_")[:1] or "k")
                body = substituted(body, {var: new + lower} if lower != 0 else {var: new})
            self.ranges[new] = extent
            bound.append((new, extent))
        if self.digits:
            body, bound = split_sums(body, bound)
            self.ranges.update(bound)
            body = within_ranges(body, self.ranges.get)
        return [Term(t.coeff, t.factors, tuple(bound) + t.bound) for t in self.terms(body, level)]

    def atom(self, expr: Expr, level: int) -> Expr:
        """An indivisible factor, with any sums inside it in canonical form."""
        if isinstance(expr, KroneckerDelta) and not isinstance(expr, Delta):
            return Delta(*expr.args[:2])  # one class, so a user's deltas meet ours
        if isinstance(expr, (Indexed, KroneckerDelta, Symbol)) or not contains(expr, Sum, MatrixArg):
            return expr
        if isinstance(expr, (OpaqueCall, OpaqueGrad)):
            arg = expr.arg
            return expr.func(expr.args[0], self.canonical_matrix(arg, level + 1), *expr.args[2:])
        if isinstance(expr, MatrixPower):
            return canonical_power(self, expr, level)
        if isinstance(expr, MATRIX_FUNCTIONS):
            canonical = functools.partial(self.canonical_matrix, level=level + 1)
            found = oriented(expr, canonical)
            if isinstance(found, InverseEntry) and canonical(transposed(found.arg)) == found.arg:
                self.symmetric_inverses.add(found.arg)  # its positions sorted again once renamed
            return found
        return expr.func(*(self.canonical_expr(a, level + 1) for a in expr.args))

    def canonical_matrix(self, arg: MatrixArg, level: int) -> MatrixArg:
        """The same matrix argument with its entry in canonical form.

        The form depends only on the argument, the level and the ranges of
        the indices its entry uses besides its row and column (what the
        ranges of other names decide is the naming of summed indices, which
        the canonical form renames away), so it is remembered under those.
        """
        if self.matrices is None:
            return self._canonical_matrix(arg, level)
        # The symbols an argument's entry uses are a property of the argument
        # alone: found once, not on every one of its (many) recurrences.
        outer = self.matrices.get(arg)
        if outer is None:
            outer = self.matrices[arg] = sorted(arg.body.free_symbols - {arg.row, arg.col}, key=text)
        key = (arg, level, tuple((s, self.ranges.get(s)) for s in outer))
        found = self.matrices.get(key)
        if found is None:
            found = self.matrices[key] = self._canonical_matrix(arg, level)
        return found

    def _canonical_matrix(self, arg: MatrixArg, level: int) -> MatrixArg:
        saved = {s: self.ranges.get(s) for s in (arg.row, arg.col)}
        self.ranges[arg.row], self.ranges[arg.col] = arg.rows, arg.cols
        try:
            body = self.canonical_expr(arg.body, level)
        finally:
            for symbol, extent in saved.items():
                if extent is None:
                    self.ranges.pop(symbol, None)
                else:
                    self.ranges[symbol] = extent
        return MatrixArg(body, *arg.args[1:])

    # -- contraction ----------------------------------------------------------
    def _extent(self, index: Expr, bound: Mapping[Symbol, Expr]) -> Expr | None:
        if index in bound:
            return bound[index]
        if isinstance(index, Symbol):
            return self.ranges.get(index)
        return digit_extent(index, lambda s: bound.get(s, self.ranges.get(s))) if self.digits else None

    def contract(self, term: Term) -> Term | None:
        """Sum out deltas over summed indices; None when the term is zero."""
        coeff, factors, bound = term.coeff, dict(term.factors), dict(term.bound)
        if self.digits:
            factors = joined_deltas(factors)
        for _ in range(64):
            step = self._contract_once(factors, bound)
            if step is None:
                break
            factors = step
            if any(a == 0 for a in factors):
                return None
        factors = merged_powers(factors, bound)
        factors = self._identify_free_deltas(factors, bound)
        if bound:  # what no factor mentions sums to its range (nothing to find when nothing is summed)
            mentioned = set().union(*(a.free_symbols for a in factors)) if factors else set()
            for var in [v for v in bound if v not in mentioned]:
                if not counts_terms(bound[var]):
                    raise UnsupportedError(SUM_BOUNDS)  # N-K+1 terms: none, not a negative count, past K = N+1
                coeff *= bound.pop(var)
        if coeff == 0:
            return None
        return Term(coeff, tuple(factors.items()), tuple(bound.items()))

    def _contract_once(self, factors: dict[Expr, Expr], bound: dict[Symbol, Expr]):
        for atom, exponent in factors.items():
            if not isinstance(atom, KroneckerDelta) or not (exponent.is_Integer and exponent > 0):
                continue
            a, b = atom.args
            for summed, other in ((a, b), (b, a)):
                if summed in bound and (bound[summed] == self._extent(other, bound) or self._inside(other, bound[summed])):
                    del bound[summed]
                    rest = ((substituted(x, {summed: other}), e) for x, e in factors.items() if x != atom)
                    return dict(merge_factors((x, e) for x, e in rest if x != 1))
        return contract_inverse(factors, bound, self.orient)

    def _inside(self, position: Expr, extent: Expr) -> bool:
        """Whether a fixed 0-based ``position`` is below ``extent`` at every size read
        (a size is at least 1, or its least value): ``w_2``, ``w_K``."""
        sizes = frozenset(s for s in position.free_symbols | extent.free_symbols if s.is_positive and s.is_integer)
        if position.free_symbols - sizes or extent.free_symbols - sizes:
            return False  # an index, or a name that is no size
        shift = {s: s + self.least.get(s, 1) - 1 for s in sizes}  # each size from its least value
        position, extent = position.xreplace(shift), extent.xreplace(shift)
        return never_negative(position, sizes) and never_negative(extent - 1 - position, sizes)

    def _identify_free_deltas(self, factors: dict[Expr, Expr], bound: Mapping[Symbol, Expr]) -> dict[Expr, Expr]:
        """Under ``delta(i, k)`` with both free and of one range, write ``k`` as ``i``."""
        for atom in list(factors):
            if not isinstance(atom, KroneckerDelta) or atom not in factors:
                continue
            a, b = atom.args
            if a in bound or b in bound or not (is_index_symbol(a) and is_index_symbol(b)):
                continue
            if self.ranges.get(a) is None or self.ranges.get(a) != self.ranges.get(b):
                continue
            keep, drop = sorted((a, b), key=text)
            others = [(substituted(x, {drop: keep}), e) for x, e in factors.items() if x != atom]
            factors = dict(merge_factors(others + [(atom, factors[atom])]))
        return factors

    # -- canonical naming -------------------------------------------------------
    def orient(self, atom: Expr) -> Expr:
        """Put the two indices of a delta or a symmetric matrix in sorted order."""
        if isinstance(atom, KroneckerDelta):
            a, b = sorted(atom.args, key=text)
            return Delta(a, b, evaluate=False)
        if isinstance(atom, Indexed) and base_name(atom) in self.symmetric and len(atom.indices) == 2:
            return Indexed(atom.base, *sorted(atom.indices, key=text))
        if isinstance(atom, InverseEntry) and atom.arg in self.symmetric_inverses:
            return symmetric_entry(atom)
        return atom

    def canonical(self, term: Term, level: int) -> tuple[Key, Expr]:
        """The term's key under the least renaming of its summed indices."""
        groups: dict[str, list[Symbol]] = {}
        extents: dict[str, Expr] = {}
        for var, extent in term.bound:
            groups.setdefault(text(extent), []).append(var)
            extents[text(extent)] = extent
        order = sorted(groups)
        names = iter(slot(level, n) for n in itertools.count())
        slots = [[next(names) for _ in groups[g]] for g in order]
        for g, group_slots in zip(order, slots):
            for name in group_slots:
                self.ranges[name] = extents[g]
        count = math.prod(math.factorial(len(groups[g])) for g in order)
        choices: Iterator[tuple[tuple[str, ...], ...]]
        if count <= MAX_RENAMINGS:
            choices = itertools.product(*(itertools.permutations(groups[g]) for g in order))
        else:
            choices = iter([tuple(tuple(groups[g]) for g in order)])
        best: tuple[tuple[str, ...], Factors] | None = None
        for choice in choices:
            renaming = {v: s for vs, ss in zip(choice, slots) for v, s in zip(vs, ss)}
            renamed = [(self.orient(substituted(a, renaming)), e) for a, e in term.factors]
            renamed.sort(key=lambda pair: (text(pair[0]), text(pair[1])))
            spelled = tuple(f"{text(a)}^{text(e)}" for a, e in renamed)
            if best is None or spelled < best[0]:
                best = (spelled, tuple(renamed))
        assert best is not None
        extents_in_order = tuple(extents[g] for g, group_slots in zip(order, slots) for _ in group_slots)
        return (best[1], extents_in_order), term.coeff

    # -- the whole normal form ------------------------------------------------
    def normal_form(self, expr: Expr, level: int = 0) -> dict[Key, Expr]:
        """Collected canonical terms of ``expr``: key -> coefficient."""
        if level == 0:
            self.digits = self.digits or has_digits(expr)
        if self.digits:
            expr = within_ranges(expr, self.ranges.get)
        return self.collected(self.terms(expr, level), level)

    def collected(self, terms: list[Term], level: int) -> dict[Key, Expr]:
        """``terms`` contracted, canonically named and collected: key -> coefficient."""
        collected: dict[Key, Expr] = {}
        for term in terms:
            contracted = self.contract(term)
            if contracted is None:
                continue
            for piece in reduced_terms(contracted):  # sin^2 u + cos^2 u is 1
                kept = piece if piece is contracted else self.contract(piece)  # a sum left with nothing to sum
                if kept is None:
                    continue
                key, coeff = self.canonical(kept, level)
                collected[key] = collected.get(key, sympy.S.Zero) + coeff
        return {k: c for k, c in collected.items() if not is_zero(c)}

    def canonical_expr(self, expr: Expr, level: int) -> Expr:
        """``expr`` rebuilt from its normal form: equal inputs, equal outputs."""
        if is_coefficient(expr):
            return expr
        return rebuilt(self.normal_form(expr, level), level)


def difference(left: Mapping[Key, Expr], right: Mapping[Key, Expr]) -> dict[Key, Expr]:
    """The terms where two top-level normal forms disagree, with ``left - right``.

    Empty also when the terms cancel once put over their common positive
    denominators (``sigma(u)(1 - sigma(u))`` and ``sigma'(u)``): see
    :func:`~deriv.engine.quotients.vanishes`.
    """
    result = {}
    for key in set(left) | set(right):
        coefficient = left.get(key, sympy.S.Zero) - right.get(key, sympy.S.Zero)
        if not is_zero(coefficient):
            result[key] = coefficient
    if result and vanishes(Normalizer({}), result):
        return {}
    return result


def constant_difference(terms: Mapping[Key, Expr]) -> Expr | None:
    """``c`` when a difference of normal forms is exactly a nonzero number ``c``.

    Every rewriting of the normal form is an identity, so then the two sides
    differ by ``c`` at every point: a refutation that needs no sampling (and
    one that 50-digit sampling can miss, as in ``e^{200} + 1 = e^{200}``).
    """
    if len(terms) != 1:
        return None
    ((factors, extents), coefficient), = terms.items()
    if factors or extents or not coefficient.is_Number or coefficient == 0:
        return None
    return coefficient

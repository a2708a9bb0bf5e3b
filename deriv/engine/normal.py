"""A normal form for index expressions, valid for every size.

An expression becomes a sum of *terms*; a term is a coefficient (free of
indices), a product of atoms with exponents, and the indices summed over
with their ranges.  Kronecker deltas are contracted over known ranges,
summed indices are renamed canonically, and equal terms are collected.
Two expressions with the same normal form are equal for every size; when
they differ, nothing is concluded (the random tester decides).  Whenever a
rule's side condition can not be shown, the term is left as it is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import sympy
from sympy import Expr, Indexed, KroneckerDelta, Sum, Symbol
from sympy.core.function import AppliedUndef

from deriv.errors import UnsupportedError
from deriv.ir import (
    Delta,
    MatrixArg,
    OpaqueCall,
    OpaqueGrad,
    Partial,
    base_name,
    fresh_index,
    is_index_symbol,
    substituted,
    sum_of,
    text,
)

#: Above this many terms an expansion is abandoned (then only testing decides).
MAX_TERMS = 4000
#: Above this many renamings per term, canonical naming is not searched.
MAX_RENAMINGS = 720
#: Integer powers up to this are multiplied out.
MAX_EXPANDED_POWER = 8

_STRUCTURAL = (Indexed, Sum, KroneckerDelta, OpaqueCall, OpaqueGrad, Partial, MatrixArg, AppliedUndef)

Factors = tuple[tuple[Expr, Expr], ...]
Key = tuple[Factors, tuple[Expr, ...]]


@dataclass(frozen=True)
class Term:
    """``coeff * prod(atom**exp) `` summed over ``bound`` (index, range) pairs."""

    coeff: Expr
    factors: Factors
    bound: tuple[tuple[Symbol, Expr], ...]

    def times(self, other: "Term") -> "Term":
        return Term(self.coeff * other.coeff, merge_factors(self.factors + other.factors), self.bound + other.bound)


ONE_TERM = Term(sympy.S.One, (), ())


def merge_factors(pairs) -> Factors:
    """Combine equal atoms by adding exponents; drop exponent-zero atoms."""
    exponents: dict[Expr, Expr] = {}
    for atom, exponent in pairs:
        previous = exponents.get(atom)
        exponents[atom] = exponent if previous is None else previous + exponent
    return tuple((a, e) for a, e in exponents.items() if e != 0)


def is_coefficient(expr: Expr) -> bool:
    """True when ``expr`` involves no index, entry, sum or function of entries."""
    if expr.is_Number:
        return True
    if isinstance(expr, _STRUCTURAL):  # what has() would find first, without its cache lookup
        return False
    if type(expr) is Symbol:
        return not is_index_symbol(expr)
    if expr.has(*_STRUCTURAL):
        return False
    return not any(is_index_symbol(s) for s in expr.free_symbols)


def rename_bound(term: Term) -> Term:
    """The same term with fresh names for its summed indices."""
    if not term.bound:
        return term
    renaming = {v: fresh_index() for v, _ in term.bound}
    return Term(
        term.coeff,
        tuple((substituted(a, renaming), e) for a, e in term.factors),
        tuple((renaming[v], r) for v, r in term.bound),
    )


#: Coefficients larger than this (in operations) are not put over a common
#: denominator: the step is left to the tester rather than risk a long stall.
MAX_CANCEL_OPS = 300


def is_zero(coefficient: Expr) -> bool:
    """Whether an index-free coefficient is zero; False means *not shown*.

    Only bounded rewrites: expansion, then one common denominator with the
    common factors cancelled.  ``sympy.simplify`` is not used: it has no
    bound on its running time (trigsimp factors over algebraic extensions),
    and every step it could prove is still tested.
    """
    if coefficient == 0:
        return True
    if coefficient.is_Number:  # a nonzero number (most coefficients): nothing to expand
        return False
    expanded = sympy.expand(coefficient)
    if expanded == 0:
        return True
    if sympy.count_ops(expanded) > MAX_CANCEL_OPS:
        return False
    return sympy.cancel(sympy.together(expanded)) == 0


def slot(level: int, n: int) -> Symbol:
    """The canonical name of the ``n``-th summed index of a term at ``level``."""
    return Symbol(f"_c{level}_{n}", integer=True)


def _shifted(form: dict[Key, Expr], level: int) -> tuple[dict[Key, Expr], Factors]:
    """``form`` divided by the exponentials common to all its terms, and those.

    An exponential counts only when it uses no summed index of the level
    (then it is the same positive number in every term).  Each is taken out
    at its least exponent (absent: 0), so what is left has no exponential
    common to all terms and none at a negative power.
    """
    candidates = {a for factors, _ in form for a, _ in factors if isinstance(a, sympy.exp) and not _uses_slots(a, level)}
    shift = {}
    for atom in candidates:
        exponents = [dict(factors).get(atom, sympy.S.Zero) for factors, _ in form]
        least = min(exponents) if all(e.is_Rational for e in exponents) else sympy.S.Zero
        if least != 0:
            shift[atom] = least
    if not shift:
        return form, ()
    out = tuple((a, -e) for a, e in shift.items())
    return {(merge_factors(factors + out), extents): c for (factors, extents), c in form.items()}, tuple(shift.items())


def _monic(form: dict[Key, Expr]) -> tuple[dict[Key, Expr], Expr]:
    """``form`` divided by the rational factor of its first term's coefficient, and that factor."""
    first = min(form, key=text)
    rational, _ = form[first].as_coeff_Mul()
    if not rational.is_Rational or rational == 0 or rational == 1:
        return form, sympy.S.One
    return {key: c / rational for key, c in form.items()}, rational


def is_positive(expr: Expr) -> bool:
    """Whether ``expr`` is certainly positive (False: not shown).

    Numbers, exponentials (of real arguments: every entry is real), names
    declared positive, sizes, and sums, products, sums over an index (never
    empty) and real powers of those.
    """
    if expr.is_Number or expr.is_NumberSymbol:
        return expr.is_positive is True
    if isinstance(expr, sympy.exp):
        return True
    if isinstance(expr, (Symbol, Indexed)):
        return expr.is_positive is True
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        return all(is_positive(a) for a in expr.args)
    if isinstance(expr, sympy.Pow):
        return expr.exp.is_Rational is True and is_positive(expr.base)
    if isinstance(expr, Sum):
        nonempty = all((upper - lower + 1).is_positive is True for _, lower, upper in expr.limits)
        return nonempty and is_positive(expr.function)
    return False


#: A denominator is cleared only up to this power (its expansion grows with it).
MAX_CLEARED_POWER = 4


def _denominators(form: Mapping[Key, Expr], eligible) -> dict[Expr, int]:
    """The positive sums at a negative power in ``form`` (``eligible`` ones), each at its highest."""
    powers: dict[Expr, int] = {}
    for factors, _ in form:
        for atom, exponent in factors:
            if (exponent.is_Integer and exponent < 0 and isinstance(atom, (sympy.Add, Sum))
                    and eligible(atom) and is_positive(atom)):
                powers[atom] = max(powers.get(atom, 0), int(-exponent))
    if any(p > MAX_CLEARED_POWER for p in powers.values()):
        return {}
    return powers


def _expandable(atom: Expr, exponent: Expr) -> bool:
    """A sum-atom at a positive whole power that may be multiplied out."""
    return isinstance(atom, (sympy.Add, Sum)) and exponent.is_Integer and 0 < exponent <= MAX_EXPANDED_POWER


def _by_ranges(form: Mapping[Key, Expr]) -> dict[tuple[Expr, ...], dict[Key, Expr]]:
    """The terms of ``form`` grouped by the ranges of their summed indices."""
    groups: dict[tuple[Expr, ...], dict[Key, Expr]] = {}
    for key, c in form.items():
        groups.setdefault(key[1], {})[key] = c
    return groups


#: Above this many swaps of summed indices, a summand is not cleared.
MAX_SWAPS = 24


def _swaps(names: list[Symbol], extents: tuple[Expr, ...]) -> list[dict[Symbol, Symbol]] | None:
    """Every permutation of ``names`` that keeps each one's range (None: too many)."""
    groups: dict[Expr, list[Symbol]] = {}
    for name, extent in zip(names, extents):
        groups.setdefault(extent, []).append(name)
    if math.prod(math.factorial(len(g)) for g in groups.values()) > MAX_SWAPS:
        return None
    swaps = []
    for images in itertools.product(*(itertools.permutations(g) for g in groups.values())):
        swaps.append({a: b for g, image in zip(groups.values(), images) for a, b in zip(g, image)})
    return swaps


def _uses_slots(atom: Expr, level: int) -> bool:
    """Whether ``atom`` uses a summed index of a term at ``level`` (canonically named)."""
    prefix = f"_c{level}_"
    return any(s.name.startswith(prefix) for s in atom.free_symbols)


def _term_of(key: Key, coeff: Expr, level: int) -> Term:
    """The term a normal form's entry stands for, its summed indices named canonically."""
    factors, extents = key
    return Term(coeff, factors, tuple((slot(level, n), r) for n, r in enumerate(extents)))


class Normalizer:
    """Turns index expressions into collected canonical terms.

    ``ranges`` gives the range of every free index; ``symmetric`` names the
    symmetric matrices (whose two indices may be swapped).  ``matrices``, when
    given, remembers canonical matrix arguments across normalizers of one
    document (``g(Y)`` recurs in every member of a chain); it must only be
    shared by normalizers with the same ``symmetric``.
    """

    def __init__(self, ranges: Mapping[Symbol, Expr], symmetric: frozenset[str] = frozenset(),
                 matrices: dict | None = None) -> None:
        self.ranges: dict[Symbol, Expr] = dict(ranges)
        self.free = frozenset(ranges)
        self.symmetric = symmetric
        self.matrices = matrices

    # -- expansion into terms -------------------------------------------------
    def terms(self, expr: Expr, level: int = 0) -> list[Term]:
        """``expr`` as a list of terms (not yet contracted or collected)."""
        if is_coefficient(expr):
            return [Term(expr, (), ())]
        if isinstance(expr, sympy.Add):
            return [t for a in expr.args for t in self.terms(a, level)]
        if isinstance(expr, sympy.Mul):
            product = [ONE_TERM]
            for factor in expr.args:
                product = self._multiply(product, self.terms(factor, level))
            return product
        if isinstance(expr, sympy.exp):
            return self._exponential(expr.args[0], level)
        if isinstance(expr, sympy.Pow):
            if isinstance(expr.base, sympy.exp) and expr.exp.is_Rational:
                return self._exponential(expr.base.args[0] * expr.exp, level)  # real argument: exp(u)^q = exp(qu)
            return self._power(expr, level)
        if isinstance(expr, Sum):
            return self._sum(expr, level)
        return [Term(sympy.S.One, ((self.atom(expr, level), sympy.S.One),), ())]

    def _multiply(self, left: list[Term], right: list[Term]) -> list[Term]:
        if len(left) * len(right) > MAX_TERMS:
            raise UnsupportedError("expression too large to expand symbolically")
        return [a.times(b) for a in left for b in right]

    def _power(self, expr: sympy.Pow, level: int) -> list[Term]:
        base, exponent = expr.args
        if exponent.is_Integer and 1 <= exponent <= MAX_EXPANDED_POWER:
            base_terms = self.terms(base, level)
            product = [ONE_TERM]
            for _ in range(int(exponent)):
                product = self._multiply(product, [rename_bound(t) for t in base_terms])
            return product
        if exponent.is_Integer:
            base_terms = self.terms(base, level)
            if len(base_terms) == 1 and not base_terms[0].bound:
                (single,) = base_terms
                return [Term(single.coeff**exponent, tuple((a, e * exponent) for a, e in single.factors), ())]
        if exponent.is_Integer and exponent < 0:
            return self._reciprocal(base, exponent, level)
        atom = sympy.Pow(self.canonical_expr(base, level + 1), exponent, evaluate=False)
        return [Term(sympy.S.One, ((atom, sympy.S.One),), ())]

    def _exponential(self, argument: Expr, level: int) -> list[Term]:
        """``exp(argument)`` as a product of exponentials of single terms.

        ``exp(a + b) = exp(a) exp(b)`` and ``exp(q t) = exp(t)^q`` for a
        rational ``q`` (the argument is real), so ``exp(-u)`` meets
        ``1/exp(u)`` and ``exp(z_i) exp(z_j)`` meets ``exp(z_i + z_j)``.
        """
        product = [Term(sympy.S.One, (), ())]
        for key, coefficient in self.normal_form(argument, level + 1).items():
            for monomial in sympy.Add.make_args(sympy.expand(coefficient)):
                rational, rest = monomial.as_coeff_Mul()
                if not rational.is_Rational:
                    rational, rest = sympy.S.One, monomial
                power = sympy.exp(self._rebuilt_term(key, rest, level + 1))
                if is_coefficient(power):
                    product = [Term(t.coeff * power**rational, t.factors, t.bound) for t in product]
                elif isinstance(power, sympy.exp):
                    product = [t.times(Term(sympy.S.One, ((power, rational),), ())) for t in product]
                else:  # exp(log(v)) is v: SymPy evaluated it
                    product = self._multiply(product, self.terms(power**rational, level))
        return product

    def _reciprocal(self, base: Expr, exponent: Expr, level: int) -> list[Term]:
        """``base**exponent`` for a negative whole exponent, with the base made canonical.

        A base over positive denominators is turned over (``1/(1 - s/D) =
        D/(D - s)``: ``D > 0``, so both sides are defined together); then the
        exponentials common to all its terms and its leading rational
        coefficient are taken out (``1 + exp(-u) = exp(-u) (1 + exp(u))``,
        ``-2 - 2x = -2(1 + x)``; both are nonzero).  What is left is one atom
        for every way of writing it, so ``1/(1 + exp(-u))`` meets ``exp(u)/(1
        + exp(u))``, ``1/(1 - sigma(u))`` meets ``1 + exp(u)`` and ``1/S``
        meets ``S**-2`` in ``(1/S)**2``.
        """
        form = self.normal_form(base, level + 1)
        denominators = _denominators(form, lambda atom: not _uses_slots(atom, level + 1))
        if denominators:  # base = form / prod(atom**power)
            form = self.cleared_form(form, denominators, level + 1)
        if not form:  # a division by zero stays as it was written
            return [Term(sympy.S.One, ((self.canonical_expr(base, level + 1), exponent),), ())]
        product = self._reciprocal_of(form, exponent, level)
        for atom, power in denominators.items():  # kept as atoms, so that D/D meets 1
            product = self._multiply(product, self._relevelled(atom, -power * exponent, level))
        return product

    def _reciprocal_of(self, form: dict[Key, Expr], exponent: Expr, level: int) -> list[Term]:
        """The ``exponent``-th power of a nonzero normal form at ``level + 1``, as terms at ``level``."""
        form, shift = _shifted(form, level + 1)
        form, content = _monic(form)
        if len(form) == 1 and not next(iter(form))[1]:  # one term, no sum: a product of powers
            ((factors, _), coefficient), = form.items()
            powers = factors + shift
            product = [Term((content * coefficient) ** exponent, (), ())]
        else:
            powers = shift
            product = [Term(content**exponent, ((self._rebuilt(form, level + 1), exponent),), ())]
        for atom, power in powers:
            product = self._multiply(product, self._relevelled(atom, power * exponent, level))
        return product

    def _relevelled(self, atom: Expr, power: Expr, level: int) -> list[Term]:
        """``atom**power`` for an atom of a normal form at ``level + 1``, as terms at ``level``
        (whose sums inside are named for that level)."""
        if isinstance(atom, sympy.exp):
            return self._exponential(atom.args[0] * power, level)
        if isinstance(atom, (sympy.Add, Sum)) and power.is_Integer:  # a denominator, or one turned over
            inverse = self._reciprocal(atom, -abs(power), level)
            if power < 0:
                return inverse
            if len(inverse) == 1 and not inverse[0].bound:  # a product of powers: turned over
                (term,) = inverse
                return [Term(1 / term.coeff, tuple((a, -e) for a, e in term.factors), ())]
            return self.terms(sympy.Pow(atom, power), level)
        return [Term(sympy.S.One, ((self.atom(atom, level), power),), ())]

    def _sum(self, expr: Sum, level: int) -> list[Term]:
        body = expr.function
        bound: list[tuple[Symbol, Expr]] = []
        for var, lower, upper in expr.limits:
            extent = upper - lower + 1
            if lower == 0 and var not in self.ranges:
                new = var  # first use of this name: nothing to capture, keep it
            else:
                new = fresh_index(str(var).lstrip("_")[:1] or "k")
                body = substituted(body, {var: new + lower} if lower != 0 else {var: new})
            self.ranges[new] = extent
            bound.append((new, extent))
        return [Term(t.coeff, t.factors, tuple(bound) + t.bound) for t in self.terms(body, level)]

    def atom(self, expr: Expr, level: int) -> Expr:
        """An indivisible factor, with any sums inside it in canonical form."""
        if isinstance(expr, KroneckerDelta) and not isinstance(expr, Delta):
            return Delta(*expr.args[:2])  # one class, so a user's deltas meet ours
        if isinstance(expr, (Indexed, KroneckerDelta, Symbol)) or not expr.has(Sum, MatrixArg):
            return expr
        if isinstance(expr, (OpaqueCall, OpaqueGrad)):
            arg = expr.arg
            return expr.func(expr.args[0], self.canonical_matrix(arg, level + 1), *expr.args[2:])
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
        return None

    def contract(self, term: Term) -> Term | None:
        """Sum out deltas over summed indices; None when the term is zero."""
        coeff, factors, bound = term.coeff, dict(term.factors), dict(term.bound)
        for _ in range(64):
            step = self._contract_once(factors, bound)
            if step is None:
                break
            factors = step
            if any(a == 0 for a in factors):
                return None
        factors = self._identify_free_deltas(factors, bound)
        if bound:  # what no factor mentions sums to its range (nothing to find when nothing is summed)
            mentioned = set().union(*(a.free_symbols for a in factors)) if factors else set()
            for var in [v for v in bound if v not in mentioned]:
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
                if summed in bound and bound[summed] == self._extent(other, bound):
                    del bound[summed]
                    rest = ((substituted(x, {summed: other}), e) for x, e in factors.items() if x != atom)
                    return dict(merge_factors((x, e) for x, e in rest if x != 1))
        return None

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
        return self.collected(self.terms(expr, level), level)

    def collected(self, terms: list[Term], level: int) -> dict[Key, Expr]:
        """``terms`` contracted, canonically named and collected: key -> coefficient."""
        collected: dict[Key, Expr] = {}
        for term in terms:
            contracted = self.contract(term)
            if contracted is None:
                continue
            key, coeff = self.canonical(contracted, level)
            collected[key] = collected.get(key, sympy.S.Zero) + coeff
        return {k: c for k, c in collected.items() if not is_zero(c)}

    # -- common denominators ---------------------------------------------------
    def vanishes(self, form: Mapping[Key, Expr], level: int = 0) -> bool:
        """Whether the terms of ``form`` sum to zero over a common denominator.

        Only denominators that are positive (sums of exponentials, of
        positive names and numbers) are cleared: ``D f = 0`` with ``D > 0``
        gives ``f = 0``, so nothing is divided by what may vanish.  Terms
        summed over the same ranges are tried alone first (their summand
        cleared, see :meth:`_summand_vanishes`); what is left is multiplied
        as a whole by its denominators that use no summed index (``sum_i
        p_i = 1`` with ``p_i = exp(z_i) / sum_k exp(z_k)``) and tried again.
        """
        try:
            rest: dict[Key, Expr] = {}
            for extents, group in _by_ranges(form).items():
                if not self._summand_vanishes(group, extents, level):
                    rest.update(group)
            outside = _denominators(rest, lambda atom: not _uses_slots(atom, level))
            if not (outside or any(_expandable(a, e) for factors, _ in rest for a, e in factors)):
                return not rest
            rest = self.cleared_form(rest, outside, level)
            return all(self._summand_vanishes(group, extents, level) for extents, group in _by_ranges(rest).items())
        except UnsupportedError:  # too large to multiply out: not shown
            return False

    def _summand_vanishes(self, group: Mapping[Key, Expr], extents: tuple[Expr, ...], level: int) -> bool:
        """Whether terms summed over the same ranges cancel once the summand is cleared.

        ``sum_s f(s) = sum_s g(s)/M(s)`` for ``g = M f`` and ``M > 0``; with ``M``
        unchanged by swapping summed indices of one range, that is 0 when the
        swaps of ``g`` cancel, which is what collecting ``sum_s g(s)`` under
        canonical renaming shows.  So ``M`` is the product of the summand's
        positive denominators and all their swaps.
        """
        names = [fresh_index("s") for _ in extents]
        renaming = {slot(level, n): name for n, name in enumerate(names)}
        terms = [Term(c, tuple((substituted(a, renaming), e) for a, e in factors), ()) for (factors, _), c in group.items()]
        inside = _denominators({(t.factors, ()): t.coeff for t in terms}, lambda atom: True)
        swaps = _swaps(names, extents)
        expandable = any(_expandable(a, e) for t in terms for a, e in t.factors)
        if not (inside or expandable) or swaps is None:
            return False
        symmetric: dict[Expr, int] = {}
        for atom, power in inside.items():
            for swap in swaps:
                image = substituted(atom, swap)
                symmetric[image] = max(symmetric.get(image, 0), power)
        bound = tuple(zip(names, extents))
        cleared = [t for term in terms for t in self._cleared(term, symmetric, level)]
        return not self.collected([Term(t.coeff, t.factors, bound + t.bound) for t in cleared], level)

    def cleared_form(self, form: Mapping[Key, Expr], powers: Mapping[Expr, int], level: int) -> dict[Key, Expr]:
        """The normal form of ``form`` times ``atom**power`` for each of ``powers``
        (atoms that use no summed index of the level)."""
        terms = [rename_bound(_term_of(key, c, level)) for key, c in form.items()]
        return self.collected([t for term in terms for t in self._cleared(term, powers, level)], level)

    def _cleared(self, term: Term, powers: Mapping[Expr, int], level: int) -> list[Term]:
        """``term`` times ``atom**power`` for each of ``powers``, with every sum-atom
        at a positive power (a denominator cleared or turned over) multiplied out."""
        exponents = dict(term.factors)
        for atom, power in powers.items():
            exponents[atom] = exponents.get(atom, sympy.S.Zero) + power
        kept = tuple((a, e) for a, e in exponents.items() if e != 0 and not _expandable(a, e))
        product = [Term(term.coeff, kept, term.bound)]
        for atom, exponent in exponents.items():
            if _expandable(atom, exponent):
                expansion = self.terms(atom, level)
                for _ in range(int(exponent)):
                    product = self._multiply(product, [rename_bound(t) for t in expansion])
        return product

    def canonical_expr(self, expr: Expr, level: int) -> Expr:
        """``expr`` rebuilt from its normal form: equal inputs, equal outputs."""
        if is_coefficient(expr):
            return expr
        return self._rebuilt(self.normal_form(expr, level), level)

    @staticmethod
    def _rebuilt(form: Mapping[Key, Expr], level: int) -> Expr:
        return sympy.Add(*(Normalizer._rebuilt_term(key, coeff, level) for key, coeff in sorted(form.items(), key=lambda kv: text(kv[0]))))

    @staticmethod
    def _rebuilt_term(key: Key, coeff: Expr, level: int) -> Expr:
        factors, extents = key
        body = coeff * sympy.Mul(*(sympy.Pow(a, e) for a, e in factors))
        limits = [(slot(level, n), 0, r - 1) for n, r in enumerate(extents)]
        return sum_of(body, *limits) if limits else body


def difference(left: Mapping[Key, Expr], right: Mapping[Key, Expr]) -> dict[Key, Expr]:
    """The terms where two top-level normal forms disagree, with ``left - right``.

    Empty also when the terms cancel once put over their common positive
    denominators (``sigma(u)(1 - sigma(u))`` and ``sigma'(u)``): see
    :meth:`Normalizer.vanishes`.
    """
    result = {}
    for key in set(left) | set(right):
        coefficient = left.get(key, sympy.S.Zero) - right.get(key, sympy.S.Zero)
        if not is_zero(coefficient):
            result[key] = coefficient
    if result and Normalizer({}).vanishes(result):
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

"""The terms of a normal form, and a normal form written as an expression again.

A term is a coefficient (free of indices), a product of atoms with
exponents, and the indices summed over with their ranges; a normal form
maps a term's *key* (its factors, and the ranges of its summed indices,
which are named canonically ``_c{level}_{n}``) to its coefficient.
:mod:`deriv.engine.normal` builds them; :mod:`deriv.engine.quotients`
puts them over common denominators.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy
from sympy import Expr, Indexed, KroneckerDelta, Sum, Symbol
from sympy.core.function import AppliedUndef

from deriv.ir import (MATRIX_FUNCTIONS, MatrixArg, OpaqueCall, OpaqueGrad, Partial, contains, fresh_index, is_index_symbol,
                      substituted, sum_of, text)

#: Integer powers up to this are multiplied out.
MAX_EXPANDED_POWER = 8

_STRUCTURAL = (Indexed, Sum, KroneckerDelta, OpaqueCall, OpaqueGrad, Partial, MatrixArg, AppliedUndef, *MATRIX_FUNCTIONS)

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
    known = _COEFFICIENTS.get(expr)
    if known is None:
        if len(_COEFFICIENTS) >= COEFFICIENTS_REMEMBERED:
            _COEFFICIENTS.clear()
        known = _COEFFICIENTS[expr] = not contains(expr, *_STRUCTURAL) and not any(
            is_index_symbol(s) for s in expr.free_symbols)
    return known


#: :func:`is_coefficient` of the expressions asked about, remembered: the normal form asks
#: it of every node on its way down, and each answer walks the node's whole subtree.
_COEFFICIENTS: dict[Expr, bool] = {}
COEFFICIENTS_REMEMBERED = 1 << 14


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


def slot(level: int, n: int) -> Symbol:
    """The canonical name of the ``n``-th summed index of a term at ``level``."""
    return Symbol(f"_c{level}_{n}", integer=True)


def term_of(key: Key, coeff: Expr, level: int) -> Term:
    """The term a normal form's entry stands for, its summed indices named canonically."""
    factors, extents = key
    return Term(coeff, factors, tuple((slot(level, n), r) for n, r in enumerate(extents)))


def by_ranges(form: Mapping[Key, Expr]) -> dict[tuple[Expr, ...], dict[Key, Expr]]:
    """The terms of ``form`` grouped by the ranges of their summed indices."""
    groups: dict[tuple[Expr, ...], dict[Key, Expr]] = {}
    for key, c in form.items():
        groups.setdefault(key[1], {})[key] = c
    return groups


def rebuilt(form: Mapping[Key, Expr], level: int) -> Expr:
    """A normal form at ``level`` as an expression (its terms in a fixed order)."""
    return sympy.Add(*(rebuilt_term(key, coeff, level) for key, coeff in sorted(form.items(), key=lambda kv: text(kv[0]))))


def rebuilt_term(key: Key, coeff: Expr, level: int) -> Expr:
    """One entry of a normal form at ``level`` as an expression."""
    factors, extents = key
    body = coeff * sympy.Mul(*(sympy.Pow(a, e) for a, e in factors))
    limits = [(slot(level, n), 0, r - 1) for n, r in enumerate(extents)]
    return sum_of(body, *limits) if limits else body

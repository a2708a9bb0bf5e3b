"""Sizes where a difference of normal forms that depends on the sizes alone is not 0.

The tester covers every size only where the sides' degree in the sizes is small
enough for a grid (:mod:`deriv.engine.sizes`); past it, a step is tested at a few
sampled sizes, and a polynomial in ``N`` that vanishes at exactly those sizes
(``\\sum_{i=1}^{N} i^2 = \\frac{N(N+1)(2N+1)}{6} + (N-1)(N-2) \\cdots (N-25)``)
would pass.  When the normal forms' difference has a term whose coefficient is a
function of the sizes alone (or a factor in the sizes times other scalars, or a
polynomial in other scalars with such coefficients), that coefficient is evaluated
exactly at a bounded set of small size assignments -- past three sizes, or where the
least few hundred of three all miss, chosen one size at a time (:func:`_chosen`); one where it is not 0 is where the sides differ
for some entries, and the tester is sent there
(:func:`deriv.engine.decide.decide_equal`): a refutation still needs the tester
to find the two sides different, so nothing is concluded from SymPy alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

import sympy
from sympy import Expr, Symbol

#: Size values tried per size, from its least value (a nonzero polynomial of degree below this
#: in one size is nonzero at one of them).
VALUES_PER_SIZE = 48
#: The most sizes searched on a grid (48^3 assignments sorted); more are chosen one at a time.
GRID_SIZES = 3
#: Assignments evaluated at most (several sizes).
MAX_POINTS = 400


def _coefficients(terms: Mapping, sizes: frozenset[Symbol]) -> list[Expr]:
    """The coefficients of the difference that depend on the sizes and on nothing else, also
    those of a polynomial in other scalars (``(N-1) \\cdots (N-7) (M-1) a``: ``(N-1) \\cdots (M-1)``)."""
    found: list[Expr] = []
    for coefficient in terms.values():
        if coefficient.has(sympy.Sum, sympy.Product):
            continue
        found.extend(c for c in _size_parts(coefficient, sizes) if c.free_symbols and c.free_symbols <= sizes)
    return found


def _size_parts(coefficient: Expr, sizes: frozenset[Symbol]) -> list[Expr]:
    """The coefficient itself; or its factor in the sizes when it is a product with a function of other
    symbols (``(N-1) \\cdots (N-7) \\sin a``); or, a sum polynomial in the others, its coefficients in
    them.  Only where to send the tester: it still has to find the sides differ there."""
    others = sorted(coefficient.free_symbols - sizes, key=str)
    if not others:
        return [coefficient]
    sized, rest = coefficient.as_independent(*others, as_Add=False)
    if not rest.is_Add:
        return [sized]
    if not coefficient.is_polynomial(*others):
        return []
    polynomial = sympy.Poly(coefficient, *others)
    return [polynomial.coeff_monomial(monomial) for monomial in polynomial.monoms()]


def _assignments(sizes: tuple[Symbol, ...], least: Mapping[Symbol, int]) -> Iterator[dict[Symbol, int]]:
    """Small assignments of three sizes or fewer, lowest total first, pairwise distinct where there are
    several (more sizes are left to :func:`_chosen`: the grid grows as 48 to the number of sizes)."""
    if len(sizes) > GRID_SIZES:
        return
    ranges = [range(least.get(s, 1), least.get(s, 1) + VALUES_PER_SIZE) for s in sizes]
    ordered = sorted(itertools.product(*ranges), key=lambda values: (sum(values), values))
    count = 0
    for values in ordered:
        if len(set(values)) != len(values):
            continue
        yield dict(zip(sizes, values))
        count += 1
        if count >= MAX_POINTS:
            return


def _chosen(coefficient: Expr, sizes: tuple[Symbol, ...], least: Mapping[Symbol, int]) -> dict[Symbol, int] | None:
    """Sizes chosen one at a time, each the least value (distinct from those chosen) that leaves the
    coefficient not identically 0 in the rest: a polynomial of degree d in a size is identically 0 at
    d values of it at most, so this reaches a nonzero point that a grid capped at a few hundred
    points misses ((N-1)...(N-7)(M-1)(K-1)(L-1) is 0 at the 400 least assignments of four sizes)."""
    if not coefficient.is_polynomial(*sizes):
        return None  # 2^{2^N}: evaluated past the least sizes it may not fit in memory
    at: dict[Symbol, int] = {}
    rest = coefficient
    for size in sizes:
        start = least.get(size, 1)
        value = next((v for v in range(start, start + VALUES_PER_SIZE)
                      if v not in at.values() and _not_identically_zero(rest.xreplace({size: sympy.Integer(v)}))), None)
        if value is None:
            return None
        at[size] = value
        rest = rest.xreplace({size: sympy.Integer(value)})
    return at


#: Values the sizes not chosen yet take to show a polynomial in them is not identically 0 (distinct
#: primes: a polynomial vanishing there and not identically 0 is only skipped, never concluded from).
_WITNESS_VALUES = (101, 103, 107, 109, 113, 127, 131, 137)


def _not_identically_zero(polynomial: Expr) -> bool:
    """Whether the polynomial in the sizes left is shown not identically 0 by its value at
    :data:`_WITNESS_VALUES` (no expansion: (N + M + K)^{200} expanded has a million terms)."""
    left = sorted(polynomial.free_symbols, key=str)
    value = polynomial.xreplace({s: sympy.Integer(v) for s, v in zip(left, itertools.cycle(_WITNESS_VALUES))})
    return value.is_Rational is True and value != 0


def _nonzero(coefficient: Expr, at: dict[Symbol, int]) -> bool:
    value = coefficient.xreplace({s: sympy.Integer(v) for s, v in at.items()})
    return value.is_Rational and value != 0


def nonzero_sizes(terms: Mapping, sizes: tuple[Symbol, ...], least: Mapping[Symbol, int]) -> dict[Symbol, int] | None:
    """A size assignment where a coefficient of ``terms`` (a difference of normal forms) that
    depends on the sizes alone is a nonzero number, or None."""
    coefficients = _coefficients(terms, frozenset(sizes))
    if not coefficients:
        return None
    involved = tuple(s for s in sizes if any(s in c.free_symbols for c in coefficients))
    at = next((at for at in _assignments(involved, least) if any(_nonzero(c, at) for c in coefficients)), None)
    if at is None and len(involved) > 2:  # also three: the grid's 400 least points may all miss
        at = next((found for c in coefficients if (found := _chosen(c, involved, least)) is not None
                   and _nonzero(c, found)), None)
    if at is None:
        return None
    others = {s: least.get(s, 1) for s in sizes if s not in at}
    return {**others, **at}

"""Sizes where a difference of normal forms that depends on the sizes alone is not 0.

The tester covers every size only where the sides' degree in the sizes is small
enough for a grid (:mod:`deriv.engine.sizes`); past it, a step is tested at a few
sampled sizes, and a polynomial in ``N`` that vanishes at exactly those sizes
(``\\sum_{i=1}^{N} i^2 = \\frac{N(N+1)(2N+1)}{6} + (N-1)(N-2) \\cdots (N-25)``)
would pass.  When the normal forms' difference has a term whose coefficient is a
function of the sizes alone, that coefficient is evaluated exactly at a bounded
set of small size assignments; one where it is not 0 is where the sides differ
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
#: Assignments evaluated at most (several sizes).
MAX_POINTS = 400


def _coefficients(terms: Mapping, sizes: frozenset[Symbol]) -> list[Expr]:
    """The coefficients of the difference that depend on the sizes and on nothing else."""
    found = []
    for coefficient in terms.values():
        symbols = coefficient.free_symbols
        if symbols and symbols <= sizes and not coefficient.has(sympy.Sum, sympy.Product):
            found.append(coefficient)
    return found


def _assignments(sizes: tuple[Symbol, ...], least: Mapping[Symbol, int]) -> Iterator[dict[Symbol, int]]:
    """Small assignments of the sizes, lowest total first, pairwise distinct where there are several."""
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
    for at in _assignments(involved, least):
        if any(_nonzero(c, at) for c in coefficients):
            others = {s: least.get(s, 1) for s in sizes if s not in at}
            return {**others, **at}
    return None

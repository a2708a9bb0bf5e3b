r"""A product of roots of exact values evaluated as one root: ``\sqrt{12} \sqrt{3}`` is exactly 6.

SymPy builds ``\sqrt{N M}`` as ``\sqrt{N} \sqrt{M}`` (sizes are positive), and the tester evaluates
each root alone: at ``N = 12, M = 3`` two balls whose product contains 6 but never certifies it,
so ``\sqrt{N M} \neq 6`` could not be refuted there.  For bases that are exact and positive,
``\prod_i b_i^{p_i / q_i}`` is ``(\prod_i b_i^{p_i L / q_i})^{1 / L}`` with ``L`` the least common
multiple of the ``q_i`` -- the same real number -- and an exact root of an exact value is exact
(:func:`deriv.engine.certified.rational_power`).  Any other base (0, negative, a ball, a jet) is
evaluated factor by factor as before, so where a factor is undefined the product still is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy
from flint import fmpq
from sympy import Expr

from deriv.engine import certified
from deriv.engine.instances import Compiled, Evaluator

#: The largest power ``|p_i| L / q_i`` a base is raised to before the common root is taken.
MAX_MERGED_POWER = 12


def is_radical(expr: Expr) -> bool:
    """Whether ``expr`` is a power by a number that is not whole (``\\sqrt{N}``, ``x^{-1/3}``)."""
    return isinstance(expr, sympy.Pow) and expr.exp.is_Rational and expr.exp.q != 1


def merged(exponents: Sequence[fmpq]) -> tuple[int, list[int]] | None:
    """The common root ``L`` and each base's whole power, or None when a power would be too large."""
    common = math.lcm(*(int(r.q) for r in exponents))
    powers = [int(r.p) * (common // int(r.q)) for r in exponents]
    return (common, powers) if max(abs(p) for p in powers) <= MAX_MERGED_POWER else None


def radical_product(bases: Sequence[Compiled], exponents: Sequence[fmpq], separately: Compiled) -> Compiled:
    """The product of ``base ** exponent``: one exact root where every base is exact and positive,
    else ``separately`` (each power alone)."""
    found = merged(exponents)
    if found is None:
        return separately
    common, powers = found
    root = fmpq(1, common)

    def product(ev: Evaluator):
        values = [base(ev) for base in bases]
        if not all(isinstance(v, certified.EXACT_TYPES) and v > 0 for v in values):
            return separately(ev)
        inner: object = certified.ONE
        for value, power in zip(values, powers):
            inner = inner * certified.integer_power(value, power)
        return certified.rational_power(inner, root)  # type: ignore[arg-type]

    return product

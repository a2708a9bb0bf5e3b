"""Where a power by an expression is undefined and a merged one is not (a negative base).

SymPy merges ``x^s x^s`` into ``x^{2s}``, which is defined at ``x = -1``, ``s = 1/2`` where
``x^s`` is not; random draws of ``s`` seldom make ``2s`` whole.  For a step whose sides differ
in a power's *valued* condition (:mod:`deriv.meaning.power_domains`), the domain search also
tries each base's names at -1 with the exponent's scalars at ``1/2``, ``1/3``, ``1/4`` (all at
once, then each alone), the assumptions imposed (kept only where the values survive them); a
negative number's power (``((-1)^s)^2 = (-1)^{2s}``) has no base to set, its exponent's are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sympy
from flint import fmpq

from deriv.engine.assumptions import impose
from deriv.engine.instances import Instance
from deriv.engine.zero_points import ZERO_TRIAL, is_zero, zero, zeroable_names
from deriv.errors import UnsupportedError
from deriv.meaning.domains import NONZERO, Condition

#: The exponent values tried: a whole multiple of each is whole at 2, 3, 4.
FRACTIONS = (fmpq(1, 2), fmpq(1, 3), fmpq(1, 4))
NEGATIVE = fmpq(-1)


def _powers(conditions: Iterable[Condition]) -> list[sympy.Pow]:
    return [c.expr for c in conditions if c.valued and c.relation == NONZERO and isinstance(c.expr, sympy.Pow)]


def _names(exprs: Iterable[sympy.Expr], allowed: list[str]) -> list[str]:
    found = {str(s) for e in exprs for s in e.free_symbols} | {
        str(e.base.label) for expr in exprs for e in expr.atoms(sympy.Indexed)}
    return [n for n in allowed if n in found]


def _assignments(bases: list[str], exponents: list[str]) -> Iterator[dict[str, fmpq]]:
    for value in FRACTIONS:
        yield {**dict.fromkeys(bases, NEGATIVE), **dict.fromkeys(exponents, value)}
        if len(exponents) > 1:
            for name in exponents:
                yield {**dict.fromkeys(bases, NEGATIVE), name: value}


def power_instances(session, sizes: dict, differing: Iterable[Condition]) -> Iterator[tuple[str, Instance]]:
    """Instances with the differing powers' bases at -1 and their exponents' scalars at small
    fractions (the names that are neither declared positive nor a base's)."""
    powers = _powers(differing)
    if not powers:
        return
    allowed = zeroable_names(session.context)
    bases = _names([p.base for p in powers], allowed)
    exponents = [n for n in _names([p.exp for p in powers], allowed) if n not in bases]
    if not exponents or not bases and not any(p.base.is_negative for p in powers):  # (-1)^s: no base to set
        return
    for values in _assignments(bases, exponents):
        instance = Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0)
        try:
            for name, value in values.items():
                instance.arrays[name] = zero(instance.arrays[name], value)
            impose(instance, session.compiler)
        except (UnsupportedError, ArithmeticError, ValueError):
            continue
        if all(is_zero(instance.arrays[name], value) for name, value in values.items()):
            session.keep(instance)
            yield ", ".join(f"{n} = {v}" for n, v in values.items()), instance

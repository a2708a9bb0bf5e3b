"""Least sizes: ``w_2`` on ``w: vector K`` means the step is about ``K >= 2``.

A fixed entry past 1 of an array whose length is one size name (``w_2``,
``A_{1,2}`` with ``A: matrix N x N``) is read by the meaning stage
(:mod:`deriv.meaning.positions`) as saying that the step holds for that size
at least the position.  The fact is read off the step's expressions here --
each ``Indexed`` with a number for an index, in a dimension whose extent is
a size -- so every tester of the step (the plan, the shrinker, a claim's
tester, a repair's candidates) draws only sizes at or above it.  Per step:
another step of the same document may still be tested at size 1.

An assumption that bounds one size from below (``N > 2``, ``k \\geq 3``) raises that
size's least value for every step of the document the same way: otherwise every size
assignment below the bound violated it and every step was ``undecided``.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

import sympy
from sympy import Basic, Expr, Symbol

from deriv.context import Constraint, Context
from deriv.ir import text
from deriv.meaning.positions import least_sizes as entries_least
from deriv.results import Verdict

Least = Mapping[Symbol, int]
__all__ = ["Least", "least_sizes", "least_text", "respecting", "stating_least"]
Decide = TypeVar("Decide", bound=Callable[..., Any])
#: The largest lower bound an assumption may raise a size to.
MAX_LEAST = 1024
#: Verdicts whose message says the sizes the step was read at.
_STATED = (Verdict.PROVED, Verdict.TESTED, Verdict.REFUTED)


def least_sizes(exprs: Iterable[Expr], context: Context) -> dict[Symbol, int]:
    """The least value of each size: what the fixed entries of ``exprs`` need, raised to
    the lower bounds the assumptions set (:func:`assumed_least`)."""
    found = entries_least(exprs, context)
    for size, value in assumed_least(context).items():
        found[size] = max(found.get(size, 1), value)
    return found


def assumed_least(context: Context) -> dict[Symbol, int]:
    """The lower bounds above 1 that assumptions about one size alone set (``N > 2``: 3)."""
    found: dict[Symbol, int] = {}
    for fact in context.assumptions:
        bound = _size_bound(fact, frozenset(context.sizes))
        if bound is not None and bound[1] > found.get(bound[0], 1):
            found[bound[0]] = bound[1]
    return found


def _size_bound(fact: Constraint, sizes: frozenset) -> tuple[Symbol, int] | None:
    """``(N, m)`` when ``fact`` says ``N >= m`` (an affine fact in one size, no indices), else None."""
    if fact.free or fact.over is not None or fact.relation not in (">", ">=", "<", "<="):
        return None
    symbols = fact.expr.free_symbols
    if len(symbols) != 1 or not symbols <= sizes:
        return None
    (size,) = symbols
    poly = sympy.Poly(fact.expr, size)
    if poly.degree() != 1 or not all(c.is_Rational for c in poly.all_coeffs()):
        return None
    slope, offset = poly.all_coeffs()
    if (slope > 0) != (fact.relation in (">", ">=")):
        return None  # an upper bound: the plan's sizes are not lowered to meet it
    edge = -offset / slope  # size relation edge, the relation turned to ">" or ">="
    strict = fact.relation in (">", "<")
    least = int(sympy.floor(edge) + 1 if strict else sympy.ceiling(edge))
    # Past MAX_LEAST no instance is evaluated in a step's budget (N >= 10^{30} crashed the tester):
    # the bound is not met by the plan, and every instance that violates it leaves the step undecided.
    return (size, least) if least <= MAX_LEAST else None


def respecting(values: Mapping[Symbol, int], least: Least) -> dict[Symbol, int]:
    """``values`` with every size at least its least value, raised as little as keeps
    each two sizes that differ in the same order (so sizes that were pairwise
    distinct stay so: ``N = 1, M = 3`` with ``N >= 3`` becomes ``N = 3, M = 4``).
    Sizes that were equal are raised each on its own (every size 1: ``N = 3, M = 1``)."""
    if not any(values.get(s, v) < v for s, v in least.items()):
        return dict(values)
    raised: dict[Symbol, int] = {}
    floor = 1
    for value in sorted(set(values.values())):
        group = [s for s in values if values[s] == value]
        for s in group:
            raised[s] = max(value, least.get(s, 1), floor)
        floor = max(raised[s] for s in group) + 1
    return {s: raised[s] for s in values}


def least_text(least: Least) -> str:
    """``K >= 2, N >= 3`` for a message ("" without least sizes)."""
    return ", ".join(f"{text(s)} >= {v}" for s, v in sorted(least.items(), key=lambda p: text(p[0])))


def stating_least(decide: Decide) -> Decide:
    """``decide`` (with parameters ``lhs``, ``rhs``, ``context``), its decision's message
    saying the least sizes the step was read at: ``for K >= 2``, proved or refuted there."""
    signature = inspect.signature(decide)

    @functools.wraps(decide)
    def decided(*args: Any, **kwargs: Any) -> Any:
        decision = decide(*args, **kwargs)
        given = signature.bind(*args, **kwargs).arguments
        sides = [s for s in (given["lhs"], given["rhs"]) if isinstance(s, Basic)]
        least = entries_least(sides, given["context"]) if decision.verdict in _STATED else {}
        if not least:
            return decision
        note = f"for {least_text(least)} (the sizes its fixed entries need)"
        return dataclasses.replace(decision, message=f"{decision.message}; {note}" if decision.message else note)

    return cast(Decide, decided)

"""Equalities with a ``\\prod`` and a division, tried where a name is 0.

Random draws are never 0, so ``\\frac{\\partial}{\\partial x_j} \\prod_i x_i =
\\frac{\\prod_i x_i}{x_j}`` agrees on every random instance, yet the right
side is undefined at ``x_j = 0`` where the left (``\\prod_{i \\neq j} x_i``) is
not: sides defined on different sets are not equal.  For a step that holds
a product over an index and divides by something that is not a number, the
tester therefore also tries the instances where each declared name, then
all of them, is exactly 0 (as the claims' :func:`~deriv.engine.structured.boundary_instances`
do), at the first size assignments of the step's plan.

Only such steps: a division of scalars elsewhere keeps the behaviour the
README describes (``(x^2 - y^2)/(x - y) = x + y`` stays ``tested``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import sympy
from flint import fmpq
from sympy import Expr

from deriv.context import Context
from deriv.engine.assumptions import SPECIAL_TRIALS, impose
from deriv.engine.compare import InstanceResult, counterexample_of
from deriv.engine.instances import Instance
from deriv.errors import UnsupportedError
from deriv.names import Kind
from deriv.results import Counterexample
from deriv.ir import contains

#: Size assignments of the plan tried with zeros (the first is the smallest distinct sizes).
ZERO_ASSIGNMENTS = 2
#: The value a name is set to (a domain's search sets -1 too: engine/domains.py).
ZERO_VALUE = fmpq(0)
#: The trial of those instances (a special trial: the assumptions keep the zero it sets).
ZERO_TRIAL = SPECIAL_TRIALS


def zeroable_names(context: Context) -> list[str]:
    """The declared arrays and scalars that may be 0 (not ``positive``, not ``I`` or ``\\mathbf{1}``)."""
    return [name for name, declared in context.declared.items()
            if declared.is_array and not declared.positive and declared.kind not in (Kind.IDENTITY, Kind.ONES)]


def zero(table: object, value: fmpq = ZERO_VALUE) -> object:
    """A drawn value or table of values, every entry ``value`` (0 unless told)."""
    return {k: value for k in table} if isinstance(table, dict) else value


def is_zero(table: object, value: fmpq = ZERO_VALUE) -> bool:
    """Whether every entry is ``value`` (0 unless told)."""
    return all(v == value for v in table.values()) if isinstance(table, dict) else table == value


def _divides(expr: Expr) -> bool:
    return any(isinstance(node, sympy.Pow) and node.exp.is_negative and not node.base.is_number
               for node in sympy.preorder_traversal(expr))


def applies(lhs: Expr, rhs: Expr) -> bool:
    """Whether the step holds a ``\\prod`` and a division by something that may be 0."""
    return (contains(lhs, sympy.Product) or contains(rhs, sympy.Product)) and (_divides(lhs) or _divides(rhs))


def zeroed(session, sizes: dict, value: fmpq = ZERO_VALUE,
           among: frozenset[str] | None = None) -> Iterator[tuple[str, Instance]]:
    """Instances with each name (of ``among``, if given), then all of them, 0 (or ``value``),
    the assumptions then imposed (kept only where the zeros survive them)."""
    names = [n for n in zeroable_names(session.context) if among is None or n in among]
    for group in [[name] for name in names] + ([names] if len(names) > 1 else []):
        instance = Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0)
        try:
            for name in group:
                instance.arrays[name] = zero(instance.arrays[name], value)
            impose(instance, session.compiler)
        except (UnsupportedError, ArithmeticError, ValueError):
            continue
        if all(is_zero(instance.arrays[name], value) for name in group):
            session.keep(instance)
            yield " = ".join(group) + f" = {value}", instance


def zero_refutation(session, lhs: Expr, rhs: Expr, assignments: list[dict], free: tuple,
                    judge: Callable[[Instance], InstanceResult]) -> Counterexample | None:
    """A counterexample where a name is 0, or None (also when the step is not such a step)."""
    if not applies(lhs, rhs):
        return None
    for sizes in assignments[:ZERO_ASSIGNMENTS]:
        for label, instance in zeroed(session, sizes):
            result = judge(instance)
            if result.kind == "refuted":
                found = counterexample_of(result, instance, free)
                return replace(found, note=f"where {label}" + (f": {found.note}" if found.note else ""))
    return None

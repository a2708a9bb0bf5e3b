"""Equalities with a ``\\prod`` and a division, tried where a name is 0 (issue 20, item 3).

Random draws are never 0, so ``\\frac{\\partial}{\\partial x_j} \\prod_i x_i =
\\frac{\\prod_i x_i}{x_j}`` agrees on every random instance, yet the right
side is undefined at ``x_j = 0`` where the left (``\\prod_{i \\neq j} x_i``) is
not: sides defined on different sets are not equal.  For a step that holds
a product over an index and divides by something that is not a number, the
tester therefore also tries the instances where each declared name, then
all of them, is exactly 0 (:func:`~deriv.engine.structured.boundary_instances`,
the claims' own), at the first size assignments of the step's plan.

Only such steps: a division of scalars elsewhere keeps the behaviour the
README describes (``(x^2 - y^2)/(x - y) = x + y`` stays ``tested``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import sympy
from sympy import Expr

from deriv.engine.compare import InstanceResult, counterexample_of
from deriv.engine.instances import Instance
from deriv.engine.structured import boundary_instances
from deriv.results import Counterexample

#: Size assignments of the plan tried with zeros (the first is the smallest distinct sizes).
ZERO_ASSIGNMENTS = 2


def _divides(expr: Expr) -> bool:
    return any(isinstance(node, sympy.Pow) and node.exp.is_negative and not node.base.is_number
               for node in sympy.preorder_traversal(expr))


def applies(lhs: Expr, rhs: Expr) -> bool:
    """Whether the step holds a ``\\prod`` and a division by something that may be 0."""
    return (lhs.has(sympy.Product) or rhs.has(sympy.Product)) and (_divides(lhs) or _divides(rhs))


def zero_refutation(session, lhs: Expr, rhs: Expr, assignments: list[dict], free: tuple,
                    judge: Callable[[Instance], InstanceResult]) -> Counterexample | None:
    """A counterexample where a name is 0, or None (also when the step is not such a step)."""
    if not applies(lhs, rhs):
        return None
    for sizes in assignments[:ZERO_ASSIGNMENTS]:
        for label, instance in boundary_instances(session, sizes):
            session.keep(instance)
            result = judge(instance)
            if result.kind == "refuted":
                found = counterexample_of(result, instance, free)
                return replace(found, note=f"where {label}" + (f": {found.note}" if found.note else ""))
    return None

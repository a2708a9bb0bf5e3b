"""Where a side is undefined for a special function: the zero function, a constant -1.

A random function is never 0 at a drawn point, so ``\\frac{f(x)}{f(x)} = 1`` agrees on every
random instance, yet its left side is undefined wherever ``f(x) = 0`` -- for the zero function
everywhere -- as ``\\frac{x}{x} = 1`` is at ``x = 0``; ``\\sqrt{f(x)}`` likewise where
``f(x) < 0``.  For a step whose sides differ in a condition that calls a declared function, the
domain search (:mod:`deriv.engine.domains`) also tries every function the zero function, then
the constant -1 (each an arbitrary smooth function's jets at finitely many points, as the claim
tester's structures are: :mod:`deriv.engine.structured`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flint import fmpq
from sympy.core.function import AppliedUndef

from deriv.engine.assumptions import impose
from deriv.engine.functions import EVERY_ORDER, Shape
from deriv.engine.instances import Instance
from deriv.engine.zero_points import ZERO_TRIAL
from deriv.errors import UnsupportedError
from deriv.ir import OpaqueCall
from deriv.meaning.domains import Condition

#: The functions tried, with their labels.
SHAPES = (("every function is 0", Shape(zero_orders=EVERY_ORDER)), ("every function is -1", Shape(value=fmpq(-1))))


def _calls(condition: Condition) -> bool:
    return condition.expr.has(OpaqueCall) or bool(condition.expr.atoms(AppliedUndef))


def function_instances(session, sizes: dict, differing: Iterable[Condition]) -> Iterator[tuple[str, Instance]]:
    """Instances with every function special (the other names as drawn, the assumptions
    imposed), where a differing condition calls a function."""
    if not any(_calls(c) for c in differing):
        return
    for label, shape in SHAPES:
        instance = Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0)
        instance.functions = shape
        try:
            impose(instance, session.compiler)
        except (UnsupportedError, ArithmeticError, ValueError):
            continue
        session.keep(instance)
        yield label, instance

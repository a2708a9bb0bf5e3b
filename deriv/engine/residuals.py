"""An equation assumption's exact value on an instance, and setting one drawn entry.

What both ways of imposing equations need (:mod:`deriv.engine.assumptions`, entry by
entry; :mod:`deriv.engine.linear_facts`, a whole array at once): the points of an
equation, its residual there as an exact rational, and the entries of an instance.
"""

from __future__ import annotations

import itertools

from flint import fmpq

from deriv.context import Constraint
from deriv.engine import certified
from deriv.errors import UnsupportedError
from deriv.names import Kind


class Unsatisfied(UnsupportedError):
    """This instance violates a fact: draw another one."""


def points(instance, constraint: Constraint) -> list[tuple[int, ...]]:
    """Every value of the constraint's free indices at the instance's sizes."""
    return list(itertools.product(*(range(instance.size(r)) for _, r in constraint.ranges)))


def value_at(instance, compiler, expr, free, point, bits: int = certified.START_PRECISION):
    """The exact (or certified) value of ``expr`` with ``free`` at ``point``."""
    from deriv.engine.instances import Evaluator  # instances imports the compiler

    with certified.precision(bits):
        evaluator = Evaluator(instance, compiler, bits)
        evaluator.bindings = dict(zip(free, point))
        return compiler.compile(expr)(evaluator)


def exact(value, constraint: Constraint):
    """``value`` as an exact rational, or :class:`UnsupportedError` (an assumption is imposed exactly or not at all)."""
    if isinstance(value, Exception) or not certified.is_exact(value):
        raise UnsupportedError(f"assumption {constraint.latex} has no exact value on the random instances, so it can not be imposed")
    return fmpq(value) if isinstance(value, int) else value


def residual(instance, compiler, equation: Constraint, point):
    """The equation's exact value (left side minus right side) at ``point``; :class:`Unsatisfied`
    when it is undefined on this instance (a zero denominator: another draw may do)."""
    try:
        return exact(value_at(instance, compiler, equation.expr, equation.free, point), equation)
    except (certified.DomainError, ZeroDivisionError) as error:
        raise Unsatisfied(f"assumption {equation.latex} is undefined on this instance ({error})") from None


def residuals(instance, compiler, equation: Constraint, at: list[tuple[int, ...]]) -> list:
    """:func:`residual` at every point of ``at``, with one evaluator (what no index changes is computed once)."""
    from deriv.engine.instances import Evaluator  # instances imports the compiler

    compiled = compiler.compile(equation.expr)
    try:
        with certified.precision(certified.START_PRECISION):
            evaluator = Evaluator(instance, compiler, certified.START_PRECISION)
            values = []
            for point in at:
                evaluator.bindings = dict(zip(equation.free, point))
                values.append(exact(compiled(evaluator), equation))
            return values
    except (certified.DomainError, ZeroDivisionError) as error:
        raise Unsatisfied(f"assumption {equation.latex} is undefined on this instance ({error})") from None
    except certified.PrecisionError:  # exp of a large draw: no exact value either
        raise UnsupportedError(f"assumption {equation.latex} has no exact value on the random instances, so it can not be imposed") from None


def set_entry(instance, name: str, idx: tuple[int, ...], value) -> None:
    """Entry ``idx`` of ``name`` (a scalar when ``idx`` is ``()``); a symmetric matrix's mirror too."""
    table = instance.arrays[name]
    if not isinstance(table, dict):
        instance.arrays[name] = value
        return
    table[idx] = value
    if instance.context.declared[name].kind == Kind.SYMMETRIC:
        table[idx[::-1]] = value


def get_entry(instance, name: str, idx: tuple[int, ...]):
    table = instance.arrays[name]
    return table if not isinstance(table, dict) else table[idx]


def setter(instance, compiler, constraint: Constraint, point, name: str, idx):
    """``u -> residual`` with entry ``name[idx]`` set to ``u``."""
    def f(u):
        set_entry(instance, name, idx, u)
        return residual(instance, compiler, constraint, point)
    return f


def line(f):
    """``(root, slope)`` of ``f`` when it is affine (checked at 0, 1, 2); None otherwise."""
    f0, f1, f2 = f(fmpq(0)), f(fmpq(1)), f(fmpq(2))
    slope = f1 - f0
    return None if slope == 0 or f2 - f0 != 2 * slope else (-f0 / slope, slope)


__all__ = ["Unsatisfied", "exact", "get_entry", "line", "points", "residual", "residuals", "set_entry", "setter", "value_at"]

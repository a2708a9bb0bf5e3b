"""Where the two sides of a claim meet at an irrational value of its opaque functions.

The claim tester's structured instances give every function one exact rational
value (:func:`~deriv.engine.meeting_points.value_structures`), but ``g(u)^2 \\neq 2``
fails only where ``g(u) = \\sqrt 2``.  With every opaque and elementwise
function constant at one value ``v`` (an arbitrary function may be constant),
the difference, written out with the other names at a drawn instance's exact
values, is an exact expression in ``v``; a root of an irreducible factor of its
numerator (or a certified sign change) is where the claim certainly fails, as for a
scalar in :func:`~deriv.engine.meeting_points.certain_zero`.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator

from flint import fmpq
from sympy import Expr
from sympy.core.function import AppliedUndef

from deriv.engine import meeting
from deriv.engine.certified import to_arb
from deriv.engine.functions import DRAWN, Shape
from deriv.engine.instances import Instance
from deriv.engine.meeting_points import BASE_DRAWS, BASES, STRUCTURE_TRIAL, pinned, unchanged, written_differences
from deriv.engine.univariate import BITS, VARIABLE, Target, Unknown, enclose_at, univariate
from deriv.errors import UnsupportedError, swallowed
from deriv.ir import OpaqueCall
from deriv.names import Kind


def _opaque_calls(body: Expr, context) -> dict | None:
    """Every opaque function's value in ``body`` mapped to the variable (None when there is
    none): with every such function constant, the difference depends on that value alone."""
    calls = [c for c in body.atoms(OpaqueCall) if _arbitrary(context, c.name, Kind.FUNCTION)]
    calls += [c for c in body.atoms(AppliedUndef) if _arbitrary(context, c.func.__name__, Kind.ELEMENTWISE)]
    return {c: VARIABLE for c in calls} or None


def _arbitrary(context, name: str, kind: Kind) -> bool:
    declared = context.declared.get(name)
    return declared is not None and declared.kind == kind


def function_zero(session, sizes: dict, difference: Expr, ranges: dict):
    """``(target, zero, base, binding, d)`` as :func:`~deriv.engine.meeting_points.certain_zero`
    gives, with every opaque function constant at one value (the target, named after one of
    them) and the two sides certainly equal at an irrational value (``g(u)^2 \\neq 2`` at
    ``\\sqrt 2``): the functions are arbitrary, so a constant one with that value is one of
    them.  Only when every assumption that mentions a function is a scalar inequality
    certified on the whole interval, and the difference has no derivative of one (the
    variable must be the only thing left that is not a number); else None."""
    context = session.context
    facts = _facts_about_functions(session)
    if facts is None:
        return None
    written = [(binding, body, _opaque_calls(body, context))
               for binding, body in written_differences(session, sizes, difference, ranges)]
    for base, (binding, body, calls) in itertools.product(_constant_bases(session, sizes), written):
        if calls is None:
            continue
        target = Target(min(_function_name(c) for c in calls))  # the value every function takes
        g = univariate(body.xreplace(calls), target, base.arrays)
        if g is None:
            continue
        for zero in meeting.zeros(g)[1]:
            if (meeting.vanishes(g, zero) and all(meeting.holds_between(f, target, base.arrays, sizes, zero) for f in facts)
                    and _agrees_constant(session, base, difference, binding, g, zero)):
                return target, zero, base, binding, g
    return None


def _constant_bases(session, sizes: dict) -> Iterator[Instance]:
    """The first :data:`BASES` draws that satisfy the assumptions with the functions drawn or
    constant at 1 or -1 (an assumption ``g(u) > 0`` fails on about half the draws; the functions'
    values there do not matter, only the other names': ``h(x)^2 \\neq x`` needs an ``x > 0``)."""
    found = 0
    for attempt in range(1, 1 + BASE_DRAWS):
        made = next(filter(None, (pinned(session, sizes, STRUCTURE_TRIAL, attempt, unchanged, lambda i: True, shape)
                                  for shape in (DRAWN, Shape(value=fmpq(1)), Shape(value=fmpq(-1))))), None)
        if made is not None:
            yield made[0]
            found += 1
            if found == BASES:
                return


def _function_name(call: Expr) -> str:
    return call.name if isinstance(call, OpaqueCall) else call.func.__name__


def _facts_about_functions(session) -> list | None:
    """The assumptions that mention an opaque function, each with every function's value the
    variable (as :func:`_facts_about`); None when there is no such function, or when one of
    them is not a scalar inequality."""
    from deriv.engine.decide import symbolic_form

    context = session.context
    functions = {n for n, d in context.declared.items() if d.kind in (Kind.FUNCTION, Kind.ELEMENTWISE)}
    if not functions:
        return None
    found = []
    for fact in context.assumptions:
        if not context.reached(fact.expr) & functions:
            continue
        if fact.free or fact.over is not None or fact.relation not in (">", ">=", "<", "<=", "!="):
            return None
        try:
            expr = symbolic_form(fact.expr, context)
        except Exception:  # noqa: BLE001 - a fact that can not be expanded can not be certified
            swallowed("certifying a fact")
            return None
        found.append(dataclasses.replace(fact, expr=expr.xreplace(_opaque_calls(expr, context) or {})))
    return found


def _agrees_constant(session, base: Instance, difference: Expr, binding: dict, g: Expr, zero) -> bool:
    """:func:`_agrees` for :func:`function_zero`: the engine's value with every function's value
    the interval's low end overlaps ``g``'s enclosure there."""
    from deriv.engine.assumptions import value_at

    made = pinned(session, base.sizes, base.trial, base.attempt, unchanged, lambda i: True, Shape(value=zero.low))
    if made is None:
        return False
    try:
        value = value_at(made[0], session.compiler, difference, tuple(binding), tuple(binding.values()), BITS)
        ours = enclose_at(g, zero.low)
    except (UnsupportedError, ArithmeticError, ValueError, Unknown):
        return False
    return not isinstance(value, Exception) and to_arb(value).overlaps(ours)


__all__ = ["function_zero"]

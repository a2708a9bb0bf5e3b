r"""``relu'`` at 0: any value in ``[0, 1]``, and a step must hold for every one of them.

relu is not differentiable at 0; its subgradient there is the interval
``[0, 1]``, and frameworks pick a value in it (most 0).  deriv takes
``relu'(0)`` to be an unspecified value ``c`` in ``[0, 1]`` (docs/deciding.md):
a step holds when it holds for every choice.  ``\operatorname{relu}'(x) x =
\operatorname{relu}(x)`` does (``c \cdot 0 = 0``); ``\operatorname{relu}'(x) +
\operatorname{relu}'(-x) = 1`` does not (``c = 0`` gives 0).

The symbolic engine treats ``relu'(u)`` as one unknown function of ``u``, so
normal forms that agree agree for every ``c``.  The tester judges an instance
where some ``relu'`` is exactly at 0 (``relu'(x_k - x_1)`` at ``k = 1``) at
each value of :func:`choices` (:func:`every_choice`): refuted by one, agreed
only when all agree.  Random draws are never exactly at a kink, so this module
also tries the points where an argument of ``relu'`` is 0 -- each name it
reads 0, then the scalar solved for (:func:`kink_refutation`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import sympy
from flint import fmpq
from sympy import Expr

from deriv.engine.compare import InstanceResult, counterexample_of, shown_values
from deriv.engine.compiler import STEP_UNCHOSEN
from deriv.engine.domain_points import solved_points
from deriv.engine.domains import rooted
from deriv.engine.instances import Instance
from deriv.engine.kink_choices import choices, taking, with_step_value
from deriv.engine.one_sided import KinkUndefined
from deriv.engine.zero_points import ZERO_ASSIGNMENTS, ZERO_VALUE, zeroed
from deriv.ir import Partial, contains
from deriv.meaning.domains import NONZERO, Condition
from deriv.results import Counterexample

#: More values of ``relu'(0)`` to judge on an instance, and why it is undecided should they all agree.
More = Callable[[Instance], tuple[list[fmpq], str]]


def every_choice(session, judge: Callable[[Instance], InstanceResult],
                 more: More | None = None) -> Callable[[Instance], InstanceResult]:
    """``judge``, with an instance that meets a ``relu'`` exactly at 0 judged at every value
    of :func:`choices` there, then at those ``more`` gives (where a claim's sides meet,
    :mod:`deriv.engine.kink_values`): refuted by one (the reason says which), agreed when all agree."""
    def judged(instance: Instance) -> InstanceResult:
        result = judge(instance)
        if result.kind != "redraw" or result.reason != STEP_UNCHOSEN or instance.step_at_zero is not None:
            return result
        result = _judged_at(session, judge, instance, choices(instance))
        if result.kind != "agreed" or more is None:
            return result
        values, undecided = more(instance)
        result = _judged_at(session, judge, instance, values)
        return InstanceResult("undecided", reason=undecided) if result.kind == "agreed" and undecided else result
    return judged


def _judged_at(session, judge: Callable[[Instance], InstanceResult], instance: Instance, values) -> InstanceResult:
    """The first verdict other than agreement at the values of ``relu'(0)``, else the last agreement."""
    result = InstanceResult("agreed")
    for value in values:
        result = judge(with_step_value(session, instance, value))
        if result.kind == "refuted":
            return replace(result, reason=taking(value) + (f": {result.reason}" if result.reason else ""))
        if result.kind != "agreed":
            return result
    return result


def step_arguments(expr: Expr) -> set[Expr]:
    """The arguments ``u`` of every ``relu'(u)`` (SymPy's ``Heaviside``) in ``expr`` that are not numbers."""
    if not contains(expr, sympy.Heaviside):  # most steps: known without a walk (ir.node_types)
        return set()
    return {node.args[0] for node in expr.atoms(sympy.Heaviside) if not node.args[0].is_number}


def derivative_kinks(expr: Expr) -> set[Expr]:
    """The arguments of relu and ``|.|`` under a derivative: a second derivative of ``relu(2x - 3)``
    does not exist at ``x = 3/2``, which no draw meets (:mod:`deriv.engine.one_sided` certifies it)."""
    if not contains(expr, Partial):
        return set()
    arguments: set[Expr] = set()
    for partial in expr.atoms(Partial):
        body = partial.body
        kinks = [n.args[0] for n in body.atoms(sympy.Abs)]
        kinks += [a for n in body.atoms(sympy.Max) if len(n.args) == 2 and sympy.S.Zero in n.args
                  for a in n.args if a != 0]
        arguments |= {u for u in kinks if not u.is_number}
    return arguments


def kink_points(session, sizes: dict, arguments: set[Expr], ranges=None) -> Iterator[tuple[str, Instance]]:
    """Instances where an argument of ``relu'`` is 0: each name it reads 0, a scalar solved for, then
    an entry of an array solved for (``relu'(v^T v - 1)`` at ``v = e_1``, :mod:`.domain_points`)."""
    names = frozenset().union(*(session.context.reached(u) for u in arguments))
    yield from zeroed(session, sizes, ZERO_VALUE, names)
    for u in sorted(arguments, key=sympy.default_sort_key):
        yield from rooted(session, sizes, Condition(NONZERO, u))
    for u in sorted(arguments, key=sympy.default_sort_key):
        if u.has(sympy.Indexed):
            yield from solved_points(session, sizes, Condition(NONZERO, u), ranges or {})


def kink_refutation(session, lhs: Expr, rhs: Expr, assignments: list[dict], free: tuple,
                    judge: Callable[[Instance], InstanceResult], ranges=None) -> Counterexample | None:
    """A counterexample at a point where some ``relu'`` is at 0, for one value of it, or where a
    derivative certainly does not exist at a kink (:func:`derivative_kinks`), or None.
    It shows the values of the names there: a label names the one set or solved for, never the rest."""
    steps = step_arguments(lhs) | step_arguments(rhs)
    kinks = derivative_kinks(lhs) | derivative_kinks(rhs)
    if not steps and not kinks:
        return None
    names = set(session.context.reached(lhs) | session.context.reached(rhs))
    for sizes in assignments[:ZERO_ASSIGNMENTS]:
        for label, instance in kink_points(session, sizes, steps, ranges) if steps else ():
            for value in choices(instance):
                chosen = with_step_value(session, instance, value)
                result = judge(chosen)
                if result.kind == "refuted":
                    found = counterexample_of(result, chosen, free)
                    # A derivative that does not exist there does not for any value of relu'(0).
                    unchosen = _kink_undefined(result) and not any(getattr(v, "chosen", False) for v in (result.left, result.right))
                    note = f"where {label}" + ("" if unchosen else f", {taking(value)}")
                    return replace(found, note=note + (f": {found.note}" if found.note else ""),
                                   values=shown_values(chosen, None, names))
        undefined = _undefined_derivative(session, sizes, kinks, free, judge, ranges, names) if kinks else None
        if undefined is not None:
            return undefined
    return None


def _undefined_derivative(session, sizes: dict, kinks: set[Expr], free: tuple, judge: Callable[[Instance], InstanceResult],
                          ranges, names: set[str]) -> Counterexample | None:
    """A counterexample where a side's derivative certainly does not exist at a kink and the other
    side is defined; only that: a value of the first derivative of relu there is the convention's
    (``\\frac{d}{dx}(\\operatorname{relu}(x) - \\operatorname{relu}(-x)) = 1`` is not refuted here)."""
    for label, instance in kink_points(session, sizes, kinks, ranges):
        result = judge(instance)
        if result.kind == "refuted" and _kink_undefined(result):
            found = counterexample_of(result, instance, free)
            note = f"where {label}" + (f", {found.note}" if found.note.startswith("taking") else f": {found.note}")
            return replace(found, note=note, values=shown_values(instance, None, names))
    return None


def _kink_undefined(result: InstanceResult) -> bool:
    """Whether a side of the result is a derivative certified not to exist at a kink (:mod:`.one_sided`)."""
    return any(isinstance(v, KinkUndefined) for v in (result.left, result.right))

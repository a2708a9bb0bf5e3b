"""Instances at the points where a claim's two sides meet (:mod:`deriv.engine.meeting` finds them).

A *target* is one value of the claim: a declared scalar, or the first entry
of a vector or matrix.  On a few *bases* -- drawn instances that satisfy the
assumptions: two sign patterns, and one where every other value that may be
0 is 0 (``x^2 + y^2 \\neq 2`` meets at ``y = 0``, ``\\|v\\|^2 \\neq 2`` at
``v = \\sqrt 2 e_1``) -- the difference is written as an expression in the
target alone.  Its exact rational roots and the ends of the intervals
around its other zeros, and the small values ``\\pm 1, \\pm 2, \\pm 1/2``,
become structured instances (each pinned to the base it was found on, the
assumptions imposed again).  :func:`certain_zero` finds an irrational
point where the two sides are certainly equal and every assumption holds.

This module also holds :func:`pinned`, how every structured instance is made.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sympy
from sympy.core.sympify import _sympify  # strict: never parses a string
from flint import fmpq
from sympy import Expr

from deriv.budget import PartTimeout, time_budget
from deriv.engine import certified, meeting, scales
from deriv.engine.assumptions import SPECIAL_TRIALS, impose
from deriv.engine.certified import to_arb
from deriv.engine.functions import DRAWN, Shape
from deriv.engine.instances import Instance
from deriv.engine.univariate import BITS, Target, Unknown, enclose_at, univariate, write_out
from deriv.errors import UnsupportedError, swallowed
from deriv.ir import base_name
from deriv.names import Kind

#: Trial number of the structured instances (the boundary ones have their own).
STRUCTURE_TRIAL = SPECIAL_TRIALS + 100  # special: imposed plainly, as the boundary trials
#: Attempts of a structured instance whose drawn values violate an assumption.
STRUCTURE_ATTEMPTS = 3
#: Index points of an entry claim that the meeting points are looked for at.
MEETING_POINTS = 3
#: Entries read at a fixed position that are targets too, at most.
MAX_FIXED_ENTRIES = 4
#: Seconds the meeting points of one claim may take to find (SymPy writes the difference out).
MEETING_SECONDS = 3.0

Change = Callable[[Instance], None]


@dataclass(frozen=True)
class Structure:
    """One structured instance: ``change`` made to drawn values, ``check`` whether it survived
    the assumptions, at the first of ``attempts`` that satisfies them."""

    label: str
    change: Change
    check: Callable[[Instance], bool]
    attempts: tuple[int, ...] = tuple(range(1, 1 + STRUCTURE_ATTEMPTS))
    #: How every opaque function is shaped.
    functions: Shape = DRAWN


def pinned(session, sizes: dict, trial: int, attempt: int, change: Change, check: Callable[[Instance], bool],
           functions: Shape = DRAWN) -> tuple[Instance, bool] | None:
    """A drawn instance changed by ``change``, then the assumptions imposed; with whether
    ``check`` (the structure) still holds.  None when no such instance satisfies them."""
    instance = Instance(session.context, session.seed, trial, sizes, attempt)
    instance.functions = functions
    try:
        change(instance)
        impose(instance, session.compiler)
    except (UnsupportedError, ArithmeticError, ValueError):
        return None
    session.keep(instance)
    return instance, check(instance)


def unchanged(instance: Instance) -> None:
    """No change: the drawn values."""


def targets(context, names: set[str], difference: Expr | None = None) -> list[Target]:
    """The scalars of the claim, the first entry of each of its vectors and matrices, and each entry
    it reads at a fixed position (``x_2 \neq 1``, ``A_{1,2} \neq 3``: only ``x_2`` meets the other side)."""
    found = []
    for name, declared in context.declared.items():
        if name not in names:
            continue
        if declared.kind == Kind.SCALAR:
            found.append(Target(name))
        elif declared.kind in (Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC):
            found.append(Target(name, (0,) if declared.kind == Kind.VECTOR else (0, 0)))
    every = [Target(t.name, (), every=True) for t in found if t.key is not None]
    return found + [t for t in fixed_entries(context, difference) if t not in found][:MAX_FIXED_ENTRIES] + every


def fixed_entries(context, expr: Expr | None) -> list[Target]:
    """The entries of declared arrays ``expr`` reads at numbers only (``x_2``, ``A_{1,2}``), in a fixed order."""
    if expr is None:
        return []
    found = {Target(base_name(a), tuple(int(i) for i in a.indices)) for a in expr.atoms(sympy.Indexed)
             if all(i.is_Integer for i in a.indices) and base_name(a) in context.declared}
    return sorted(found, key=lambda t: (t.name, t.key))


def _get(instance: Instance, target: Target):
    table = instance.arrays[target.name]
    if target.every:  # the one value every entry has, else None
        values = set(map(fmpq, table.values()))
        return values.pop() if len(values) == 1 else None
    return table if target.key is None else table[target.key]


def _put(instance: Instance, target: Target, value) -> None:
    if target.key is None:
        instance.arrays[target.name] = value
        return
    if target.every:
        instance.arrays[target.name] = dict.fromkeys(instance.arrays[target.name], value)
        return
    table = instance.arrays[target.name] = dict(instance.arrays[target.name])
    table[target.key] = table[target.key[::-1]] = value  # a symmetric matrix's diagonal entry is its own mirror


def _others_zero(target: Target) -> Change:
    """Every scalar that may be 0 set to 0, and the target's other entries."""
    def change(instance: Instance) -> None:
        for name, declared in instance.context.declared.items():
            if declared.kind == Kind.SCALAR and not declared.positive and name != target.name:
                instance.arrays[name] = fmpq(0)
        if target.key is not None and not instance.context.declared[target.name].positive:
            instance.arrays[target.name] = {k: (v if k == target.key else fmpq(0)) for k, v in instance.arrays[target.name].items()}

    return change


#: Drawn bases a target's meeting points are looked for on (besides the one with the others 0 and
#: those with the other scalars at each magnitude of ``SCALES``), and
#: the draws tried for them: a fact about other names (``z^T A z > 0``) fails on about half the draws.
BASES, BASE_DRAWS = 2, 8


def _bases(session, sizes: dict, target: Target, drawn: dict, scaled: bool) -> Iterator[tuple[int, Change, Instance]]:
    """The instances (assumptions imposed) the target's meeting points are looked for on
    (``drawn`` keeps the ones every target shares); ``scaled``: those at other scales instead."""
    if scaled:
        if _facts_about(session, target) is None:
            return  # an equation ties the target to other values: the assumptions would move it again
        for attempt, change in enumerate(scales.bases(target.name), start=BASE_DRAWS + 2):
            made = pinned(session, sizes, STRUCTURE_TRIAL, attempt, change, lambda i: True)
            if made is not None:
                yield attempt, change, made[0]
        return
    found = 0
    for attempt in range(1, 1 + BASE_DRAWS):
        if attempt not in drawn:
            drawn[attempt] = pinned(session, sizes, STRUCTURE_TRIAL, attempt, unchanged, lambda i: True)
        if drawn[attempt] is not None:
            yield attempt, unchanged, drawn[attempt][0]
            found += 1
            if found == BASES:
                break
    zero = _others_zero(target)
    made = pinned(session, sizes, STRUCTURE_TRIAL, BASE_DRAWS + 1, zero, lambda i: True)
    if made is not None:
        yield BASE_DRAWS + 1, zero, made[0]


def written_differences(session, sizes: dict, difference: Expr, ranges: dict) -> list[tuple[dict, Expr]]:
    """The difference with derivatives evaluated, definitions expanded and sums written out, at a
    few index points (the same on every base: only the values differ)."""
    from deriv.engine.decide import symbolic_form  # decide imports the claims that import this

    try:
        d = symbolic_form(difference, session.context)
    except UnsupportedError:  # a derivative the rules do not take (of relu'): nothing written out
        return []
    except Exception:  # noqa: BLE001 - a form that can not be expanded has no meeting points
        swallowed("the meeting points")
        return []
    free = list(ranges)
    extents = [int(_sympify(ranges[s]).xreplace({k: sympy.Integer(v) for k, v in sizes.items()})) for s in free]
    points = itertools.product(*(range(n) for n in extents))
    found = []
    for point in itertools.islice(points, MEETING_POINTS):
        binding = dict(zip(free, point))
        body = write_out(d, sizes, binding)
        if body is not None:
            found.append((binding, body))
    return found


def _univariates(session, sizes, difference, ranges, chosen: list[Target]):
    """``(target, attempt, prepare, base, binding, g)``: the difference in one target, the rest at a base's values."""
    if not chosen:
        return
    written = written_differences(session, sizes, difference, ranges)
    drawn: dict = {}
    # Every target on the drawn bases first: a time budget that runs out cuts the other scales.
    for target, scaled in ((t, s) for s in (False, True) for t in chosen):
        for attempt, prepare, base in _bases(session, sizes, target, drawn, scaled):
            for binding, body in written:
                g = univariate(body, target, base.arrays)
                if g is not None:
                    yield target, attempt, prepare, base, binding, g


def meeting_structures(session, sizes, difference, ranges, names: set[str]) -> list[Structure]:
    """Each target at small values and where the two sides meet (the rest as on the base it was found on)."""
    chosen = targets(session.context, names, difference)
    found = [Structure(f"{target} = {value}", *_set(target, value))
             for target in chosen for value in meeting.SMALL if _fits(session, target, value)]
    try:
        with time_budget(MEETING_SECONDS, PartTimeout):
            for target, attempt, prepare, base, _, g in _univariates(session, sizes, difference, ranges, chosen):
                values = _ends(g)
                found += [Structure(f"{target} = {value}, where the two sides meet", *_set(target, value, prepare),
                                    attempts=(attempt,)) for value in dict.fromkeys(values) if _fits(session, target, value)]
                edges = _edges(session, sizes, target, base)
                found += [Structure(f"{target} = {value}, between where the two sides meet", *_set(target, value, prepare),
                                    attempts=(attempt,)) for value in between([*values, *edges]) if _fits(session, target, value)]
    except PartTimeout:
        pass  # the points found so far
    return found


def between(values: list[fmpq]) -> list[fmpq]:
    """One point inside every interval the meeting points cut the line into, and one past each
    end: the difference keeps one sign on each (``t^2 + 3t + 2 \\geq 0`` fails only between -2 and -1)."""
    ordered = sorted(set(values))
    if not ordered:
        return []
    inside = [(a + b) / 2 for a, b in zip(ordered, ordered[1:])]
    # Past an end towards 0 too: a bound no assumption writes may keep the value on one side of 0
    # (``\lambda > 0`` from ``H x = \lambda x``, ``H \succ 0``), where ``end - 1`` is never allowed
    # (``\lambda \geq 1/1000`` fails at 1/2000; it was tested).
    toward = [end / 2 for end in {ordered[0], ordered[-1]} if end != 0 and (end > 0) == (ordered[0] > 0) == (ordered[-1] > 0)]
    return [ordered[0] - 1, *inside, ordered[-1] + 1, *toward]


def _ends(g: Expr) -> list[fmpq]:
    """The exact rational zeros of ``g`` and the ends of the intervals around its other zeros."""
    return _points(*meeting.zeros(g))


def _points(rational: list[fmpq], intervals: list) -> list[fmpq]:
    return [*rational, *(end for zero in intervals for end in (zero.low, zero.high))]


def _edges(session, sizes: dict, target: Target, base: Instance) -> list[fmpq]:
    """Where the target's allowed line ends: 0 for a positive name, and where an assumption about it
    changes sign (on ``base``).  The two sides may part between an edge and the first meeting point:
    ``\\lambda \\in (0, |x| - x^2)`` in ``(x y / (x^2 + \\lambda))^2 \\leq y^2``, and ``(1, 1 + |x| - x^2)``
    when ``\\lambda > 1`` is assumed and the claim has ``\\lambda - 1`` in its place."""
    edges = [fmpq(0)] if session.context.declared[target.name].positive else []
    for fact in _facts_about(session, target) or ():
        body = None if fact.relation == "nonzero" else write_out(fact.expr, sizes, {})
        g = univariate(body, target, base.arrays) if body is not None else None
        edges += _ends(g) if g is not None else []
    return edges


def _fits(session, target: Target, value: fmpq) -> bool:
    """A value the declaration allows (a positive name is never <= 0)."""
    return value > 0 or not session.context.declared[target.name].positive


def _set(target: Target, value: fmpq, prepare: Change = unchanged) -> tuple[Change, Callable[[Instance], bool]]:
    def change(instance):
        prepare(instance)
        _put(instance, target, value)

    return change, lambda instance: _get(instance, target) == value


# -- the value of every function ----------------------------------------------------
#: Values every function is given at every point; the last checks the polynomial through the others.
VALUE_SAMPLES = tuple(fmpq(k) for k in (0, 1, -1, 2, -2, 3, -3, 5))


def value_structures(session, sizes: dict, difference: Expr, ranges: dict) -> list[Structure]:
    """Every function with the values (or first partials) where the two sides meet, when the
    difference is a polynomial in them (``g(u) \\neq 1/7``: a drawn value is never 1/7).  The
    polynomial only suggests the points: each is then an instance the tester certifies as any other."""
    return [s for order in (0, 1) for s in _order_structures(session, sizes, difference, ranges, order)]


def _order_structures(session, sizes: dict, difference: Expr, ranges: dict, order: int) -> list[Structure]:
    from deriv.engine.assumptions import value_at

    point = (0,) * len(ranges)
    found = []
    for value in VALUE_SAMPLES:
        made = pinned(session, sizes, STRUCTURE_TRIAL, 1, unchanged, lambda i: True, Shape(value=value, order=order))
        if made is None:
            return []
        try:
            found.append(value_at(made[0], session.compiler, difference, tuple(ranges), point))
        except (UnsupportedError, ArithmeticError, ValueError):
            return []
    if not all(certified.is_exact(v) for v in found):
        return []
    polynomial = meeting.through(VALUE_SAMPLES[:-1], [fmpq(v) for v in found[:-1]])
    if polynomial(VALUE_SAMPLES[-1]) != fmpq(found[-1]):
        return []  # not a polynomial of low degree in the value
    values = dict.fromkeys(_points(*meeting.polynomial_zeros(polynomial)))
    what = "value" if order == 0 else "first partial"
    return [Structure(f"every function's {what} {value}, where the two sides meet", unchanged, lambda i: True,
                      attempts=(1,), functions=Shape(value=value, order=order)) for value in values]


# -- a zero at an irrational point -------------------------------------------------
def certain_zero(session, sizes: dict, difference: Expr, ranges: dict):
    """``(target, zero, base, binding, d)``: the two sides are certainly equal at a value of
    ``target`` inside ``zero``'s interval (the rest at ``base``'s values, the free indices at
    ``binding``), every assumption holding there; else None."""
    context = session.context
    chosen = targets(context, context.reached(difference), difference)
    facts = {target: _facts_about(session, target) for target in chosen}
    usable = [target for target in chosen if facts[target] is not None]
    for target, _, _, base, binding, g in _univariates(session, sizes, difference, ranges, usable):
        for zero in meeting.zeros(g)[1]:
            if ((context.declared[target.name].positive and zero.low <= 0) or not meeting.vanishes(g, zero)
                    or not all(meeting.holds_between(f, target, base.arrays, sizes, zero) for f in facts[target])
                    or not _agrees(session, base, difference, binding, target, g, zero)):
                continue
            return target, zero, base, binding, g
    return None


def _facts_about(session, target: Target):
    """The assumptions that mention the target's name (definitions expanded); None when one
    of them is neither a scalar inequality nor ``x \\neq 0`` (an equation ties the name to
    other values)."""
    from deriv.engine.decide import symbolic_form

    context = session.context
    found = []
    for fact in context.assumptions:
        if target.name not in context.reached(fact.expr):
            continue
        if fact.relation == "nonzero":
            found.append(fact)
            continue
        if fact.free or fact.over is not None or fact.relation not in (">", ">=", "<", "<=", "!="):
            return None
        try:
            found.append(dataclasses.replace(fact, expr=symbolic_form(fact.expr, context)))
        except Exception:  # noqa: BLE001 - a fact that can not be expanded can not be certified
            swallowed("the meeting points")
            return None
    return found


def _agrees(session, base: Instance, difference: Expr, binding: dict, target: Target, g: Expr, zero) -> bool:
    """The engine's value of the difference at the interval's low end overlaps the enclosure of
    ``g`` there: ``g`` is the difference the engine means (guards the translation)."""
    from deriv.engine.assumptions import value_at

    probe = Instance(session.context, session.seed, base.trial, base.sizes, base.attempt)
    probe.arrays = {k: dict(v) if isinstance(v, dict) else v for k, v in base.arrays.items()}
    _put(probe, target, zero.low)
    session.keep(probe)
    try:
        value = value_at(probe, session.compiler, difference, tuple(binding), tuple(binding.values()), BITS)
        ours = enclose_at(g, zero.low)
    except (UnsupportedError, ArithmeticError, ValueError, Unknown):
        return False
    return not isinstance(value, Exception) and to_arb(value).overlaps(ours)


__all__ = ["STRUCTURE_TRIAL", "Structure", "certain_zero", "meeting_structures", "pinned", "targets", "unchanged", "value_structures"]

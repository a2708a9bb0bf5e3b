"""Structured instances for claims: where counterexamples live, not where random draws land.

Random values are never 0, never equal, never parallel, and a random
function never has a vanishing derivative.  Besides the random instances the
claim tester (:mod:`deriv.engine.claims`) therefore tries:

* every declared array, then all of them, exactly 0 (:func:`boundary_instances`);
* every scalar of the claim at ``\\pm 1, \\pm 2, \\pm 1/2`` and where the two
  sides meet (:mod:`deriv.engine.meeting`), the other names as drawn;
  two scalars equal or opposite;
* vectors of one shape equal, opposite, parallel (twice) or orthogonal to
  each other, with one entry 0, or a unit vector;
* every function the zero function, or with every first derivative 0.

Each instance is made from a drawn one and must still satisfy every
assumption exactly (:func:`~deriv.engine.assumptions.impose`); one that a
structure violates (``x \\neq 0`` with ``x = 0``) is skipped, and one the
assumptions change again is labelled so.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from collections.abc import Callable, Iterator

from flint import fmpq
from sympy import Expr

from deriv.engine import meeting
from deriv.engine.assumptions import impose
from deriv.engine.certified import to_arb
from deriv.engine.functions import EVERY_ORDER
from deriv.engine.instances import Instance
from deriv.errors import UnsupportedError
from deriv.names import FUNCTION_KINDS, KNOWN_FUNCTION_KINDS, Kind

#: Trial number of the instances where one name is 0 (apart from the random ones).
BOUNDARY_TRIAL = 1000
#: Trial number of the other structured instances.
STRUCTURE_TRIAL = 1100
#: Attempts (sign patterns of the other scalars) per name set to 0.
BOUNDARY_ATTEMPTS = 3
#: Attempts of a structured instance whose drawn values violate an assumption.
STRUCTURE_ATTEMPTS = 3
#: Index points of an entry claim that the meeting points are looked for at.
MEETING_POINTS = 3

Change = Callable[[Instance], None]


def pinned(session, sizes: dict, trial: int, attempt: int, change: Change, check: Callable[[Instance], bool],
           zero_orders: frozenset[int] = frozenset()) -> tuple[Instance, bool] | None:
    """A drawn instance changed by ``change``, the assumptions imposed again; with whether
    ``check`` (the structure) still holds.  None when no such instance satisfies them."""
    instance = Instance(session.context, session.seed, trial, sizes, attempt)
    instance.zero_orders = zero_orders
    try:
        change(instance)
        impose(instance, session.compiler)
    except (UnsupportedError, ArithmeticError, ValueError):
        return None
    session.keep(instance)
    return instance, check(instance)


def _zero(table: object) -> object:
    return {k: fmpq(0) for k in table} if isinstance(table, dict) else fmpq(0)


def _is_zero(table: object) -> bool:
    return all(v == 0 for v in table.values()) if isinstance(table, dict) else table == 0


def boundary_instances(session, sizes: dict) -> Iterator[tuple[str, Instance]]:
    """Instances where one declared, not positive, scalar or array is exactly 0 (then all of them)."""
    context = session.context
    names = [name for name, declared in context.declared.items()
             if declared.is_array and not declared.positive and declared.kind not in (Kind.IDENTITY, Kind.ONES)]
    groups = [[name] for name in names] + ([names] if len(names) > 1 else [])
    for group in groups:
        label = " = ".join(group) + " = 0"

        def change(instance, group=group):
            for name in group:
                instance.arrays[name] = _zero(instance.arrays[name])

        for attempt in range(BOUNDARY_ATTEMPTS):
            made = pinned(session, sizes, BOUNDARY_TRIAL, attempt, change,
                          lambda i, group=group: all(_is_zero(i.arrays[n]) for n in group))
            if made is not None:
                yield (label if made[1] else f"{label}, then the assumptions imposed"), made[0]


@dataclass(frozen=True)
class Structure:
    """One structured instance: ``change`` made to drawn values, ``check`` whether it survived
    the assumptions, at the first of ``attempts`` that satisfies them."""

    label: str
    change: Change
    check: Callable[[Instance], bool]
    attempts: tuple[int, ...] = tuple(range(1, 1 + STRUCTURE_ATTEMPTS))
    zero_orders: frozenset[int] = frozenset()


def structured_instances(session, sizes: dict, difference: Expr, ranges: dict) -> Iterator[tuple[str, Instance]]:
    """The structured instances for a claim whose two sides differ by ``difference``."""
    yield from boundary_instances(session, sizes)
    names = meeting.reached(difference, session.context)
    declared = {n: d for n, d in session.context.declared.items() if n in names}
    scalars = [n for n, d in declared.items() if d.kind == Kind.SCALAR]
    vectors = [n for n, d in declared.items() if d.kind == Kind.VECTOR and not d.positive]
    functions = any(d.kind in FUNCTION_KINDS - KNOWN_FUNCTION_KINDS for d in declared.values())
    structures = [*_scalar_values(session, sizes, difference, ranges, scalars), *_pairs(scalars, declared),
                  *_vector_structures(vectors, declared)]
    if functions:
        structures += [Structure(label, _unchanged, lambda i: True, zero_orders=orders) for label, orders in (
            ("every function is 0", EVERY_ORDER), ("every first derivative is 0", frozenset({1})),
            ("every first and second derivative is 0", frozenset({1, 2})))]
    for structure in structures:
        for attempt in structure.attempts:
            made = pinned(session, sizes, STRUCTURE_TRIAL, attempt, structure.change, structure.check, structure.zero_orders)
            if made is not None:
                yield (structure.label if made[1] else f"{structure.label}, then the assumptions imposed"), made[0]
                break


def _unchanged(instance: Instance) -> None:
    pass


def _zero_scalars(instance: Instance) -> None:
    """Every scalar that may be 0 set to 0 (the others' meeting points are then simplest)."""
    for name, declared in instance.context.declared.items():
        if declared.kind == Kind.SCALAR and not declared.positive:
            instance.arrays[name] = fmpq(0)


#: How the instances the meeting points are found on are made: drawn (two sign
#: patterns), and drawn with every other scalar 0 (``x^2 + y^2 \\neq 2`` meets at y = 0).
_PREPARE: tuple[tuple[int, Change], ...] = ((1, _unchanged), (2, _unchanged), (3, _zero_scalars))


def meeting_bases(session, sizes: dict) -> Iterator[tuple[int, Change, Instance]]:
    """The instances (assumptions imposed) meeting points are looked for on, and how each is made."""
    for attempt, prepare in _PREPARE:
        made = pinned(session, sizes, STRUCTURE_TRIAL, attempt, prepare, lambda i: True)
        if made is not None:
            yield attempt, prepare, made[0]


def _univariates(session, sizes, difference, ranges, scalars):
    """``(name, attempt, prepare, base, binding, g)``: the difference in one scalar, the others at a base's values."""
    if not scalars:
        return
    for attempt, prepare, base in meeting_bases(session, sizes):
        forms = meeting_forms(session, base, sizes, difference, ranges)
        for name in scalars:
            for binding, d in forms:
                g = meeting.univariate(d, name, base.arrays, sizes, binding)
                if g is not None:
                    yield name, attempt, prepare, base, binding, g


def _scalar_values(session, sizes, difference, ranges, scalars) -> list[Structure]:
    """Each scalar at small values and where the two sides meet (the others as on the base it was found on)."""
    found = [Structure(f"{name} = {value}", *_set(name, value))
             for name in scalars for value in meeting.SMALL if _fits(session, name, value)]
    for name, attempt, prepare, _, _, g in _univariates(session, sizes, difference, ranges, scalars):
        rational, intervals = meeting.zeros(g)
        values = [*rational, *(end for zero in intervals for end in (zero.low, zero.high))]
        found += [Structure(f"{name} = {value}, where the two sides meet", *_set(name, value, prepare), attempts=(attempt,))
                  for value in dict.fromkeys(values) if _fits(session, name, value)]
    return found


def _fits(session, name: str, value: fmpq) -> bool:
    """A value the declaration allows (a positive scalar is never <= 0)."""
    return value > 0 or not session.context.declared[name].positive


def _set(name: str, value: fmpq, prepare: Change = _unchanged) -> tuple[Change, Callable[[Instance], bool]]:
    def change(instance):
        prepare(instance)
        instance.arrays[name] = value

    return change, lambda instance: instance.arrays[name] == value


def meeting_forms(session, base, sizes, difference, ranges) -> list[tuple[dict, Expr]]:
    """The difference with derivatives evaluated and definitions expanded, at a few index points."""
    from deriv.engine.decide import symbolic_form  # decide imports the claims that import this

    d = symbolic_form(difference, session.context)
    free = list(ranges)
    points = itertools.product(*(range(base.size(ranges[s])) for s in free))
    return [(dict(zip(free, p)), d) for p in itertools.islice(points, MEETING_POINTS)]


def _pairs(scalars, declared):
    """Two scalars equal or opposite."""
    for a, b in itertools.permutations(scalars, 2):
        if declared[b].positive:
            continue
        for sign, word in ((1, "= "), (-1, "= -")):
            def change(instance, a=a, b=b, sign=sign):
                instance.arrays[b] = sign * fmpq(instance.arrays[a])

            yield Structure(f"{b} {word}{a}", change, lambda i, a=a, b=b, sign=sign: i.arrays[b] == sign * fmpq(i.arrays[a]))


def _vector_structures(vectors, declared):
    """Vectors with a zero entry, unit vectors, and pairs equal, opposite, parallel, orthogonal."""
    for name in vectors:
        yield Structure(f"{name}_1 = 0", *_entries(name, lambda t: {**t, (0,): fmpq(0)}))
        yield Structure(f"{name} = e_1", *_entries(name, lambda t: {k: fmpq(int(k == (0,))) for k in t}))
    for a, b in itertools.permutations(vectors, 2):
        if declared[a].shape != declared[b].shape:
            continue
        for factor, word in ((1, "="), (-1, "= -"), (2, "= 2")):
            yield Structure(f"{b} {word} {a}", *_from(a, b, lambda u, v, f=factor: {k: f * u[k] for k in u}))
        yield Structure(f"{b} orthogonal to {a}", *_from(a, b, _orthogonal))


def _entries(name: str, make: Callable[[dict], dict]):
    def change(instance):
        instance.arrays[name] = make(dict(instance.arrays[name]))

    def check(instance):
        return instance.arrays[name] == make(dict(instance.arrays[name]))

    return change, check


def _from(a: str, b: str, make: Callable[[dict, dict], dict]):
    def change(instance):
        instance.arrays[b] = make(instance.arrays[a], instance.arrays[b])

    def check(instance):
        return instance.arrays[b] == make(instance.arrays[a], instance.arrays[b])

    return change, check


def _orthogonal(u: dict, v: dict) -> dict:
    """``v`` minus its projection on ``u`` (exact): orthogonal to ``u``."""
    norm = sum((fmpq(x) ** 2 for x in u.values()), fmpq(0))
    if norm == 0:
        return dict(v)
    along = sum((fmpq(u[k]) * fmpq(v[k]) for k in u), fmpq(0)) / norm
    return {k: fmpq(v[k]) - along * fmpq(u[k]) for k in u}


# -- a zero at an irrational point -------------------------------------------------
def certain_zero(session, sizes: dict, difference: Expr, ranges: dict):
    """``(name, zero, base, binding, d)``: the two sides are certainly equal at a value of
    scalar ``name`` inside ``zero``'s interval (the other names at ``base``'s values, the
    free indices at ``binding``), every assumption holding there; else None."""
    context = session.context
    names = meeting.reached(difference, context)
    scalars = [n for n, d in context.declared.items() if n in names and d.kind == Kind.SCALAR]
    facts = {name: _facts_about(session, name) for name in scalars}
    usable = [name for name in scalars if facts[name] is not None]
    for name, _, _, base, binding, g in _univariates(session, sizes, difference, ranges, usable):
        for zero in meeting.zeros(g)[1]:
            if ((context.declared[name].positive and zero.low <= 0) or not meeting.vanishes(g, zero)
                    or not all(meeting.holds_between(f, name, base.arrays, sizes, zero) for f in facts[name])
                    or not _agrees(session, base, difference, binding, name, g, zero)):
                continue
            return name, zero, base, binding, g
    return None


def _facts_about(session, name: str):
    """The assumptions that mention scalar ``name`` (definitions expanded); None when one of
    them is not a scalar inequality (an equation may tie ``name`` to other values)."""
    from deriv.engine.decide import symbolic_form

    context = session.context
    found = []
    for fact in context.assumptions:
        if name not in meeting.reached(fact.expr, context):
            continue
        if fact.free or fact.over is not None or fact.relation not in (">", ">=", "<", "<=", "!="):
            return None
        found.append(dataclasses.replace(fact, expr=symbolic_form(fact.expr, context)))
    return found


def _agrees(session, base: Instance, difference: Expr, binding: dict, name: str, g: Expr, zero) -> bool:
    """The engine's value of the difference at the interval's low end overlaps the enclosure of
    ``g`` there: ``g`` is the difference the engine means (guards the translation)."""
    from deriv.engine.assumptions import value_at

    probe = Instance(session.context, session.seed, base.trial, base.sizes, base.attempt)
    probe.arrays = {k: dict(v) if isinstance(v, dict) else v for k, v in base.arrays.items()}
    probe.arrays[name] = zero.low
    session.keep(probe)
    try:
        value = value_at(probe, session.compiler, difference, tuple(binding), tuple(binding.values()), meeting.BITS)
        ours = meeting.enclose_at(g, zero.low)
    except (UnsupportedError, ArithmeticError, ValueError, meeting.Unknown):
        return False
    return not isinstance(value, Exception) and to_arb(value).overlaps(ours)


__all__ = ["BOUNDARY_TRIAL", "certain_zero", "boundary_instances", "pinned", "structured_instances"]

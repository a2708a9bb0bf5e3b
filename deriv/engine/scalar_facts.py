"""Scalars, and entries of one array, set so that a violated fact about them alone holds (``a > 1``, ``x_i \\geq 0``).

A fact about one scalar that fails on the draw sets the scalar: past the boundary
of an affine fact by the draw's own size (for ``\\geq`` on even trials on the boundary,
for ``\\neq`` one past it), else the drawn value halved or doubled until the fact
holds -- a value that still varies from draw to draw, so a fact such as ``|x| < 1``
or ``a > 0`` is not tested at one point alone.
Facts are checked again after (:func:`deriv.engine.assumptions.impose`).
"""

from __future__ import annotations

from collections.abc import Callable

from flint import fmpq
from sympy import Indexed

from deriv.context import Constraint
from deriv.errors import UnsupportedError
from deriv.engine import certified
from deriv.engine.residuals import Unsatisfied, get_entry, line, points, set_entry, setter, value_at
from deriv.ir import base_name
from deriv.names import Kind

#: :func:`deriv.engine.assumptions.holds`, which checks a fact on an instance.
Holds = Callable[..., bool]

def meet_scalar_facts(instance, compiler, facts: list[Constraint], fixed: frozenset[str], holds: Holds) -> None:
    """A violated fact about one scalar alone (``a > 1``) sets it: past the boundary (:func:`_distance`),
    else a structured instance (``t`` where a claim's sides
    meet) is lost whenever the unrelated fact fails on the draw.  Facts are checked after."""
    for fact in (f for f in facts if f.relation in _OFFSETS and not f.free and f.over is None):
        names = instance.context.reached(fact.expr) - instance.context.definitions.keys()
        declared = instance.context.declared.get(next(iter(names))) if len(names) == 1 else None
        if declared is None or declared.kind != Kind.SCALAR or declared.name in fixed:
            continue
        try:
            if holds(instance, compiler, fact):
                continue
            value = _past_boundary(instance, compiler, fact, declared.name)
            if value is None or (declared.positive and value <= 0):
                value = _rescaled(instance, compiler, fact, declared.name, holds)
        except UnsupportedError:
            continue
        if value is not None:
            set_entry(instance, declared.name, (), value)
    meet_relations(instance, compiler, facts, fixed, holds)


#: Rounds of :func:`meet_relations` over the facts (a chain ``a \\leq b``, ``b < c`` needs one).
_ROUNDS = 3


def meet_relations(instance, compiler, facts: list[Constraint], fixed: frozenset[str], holds: Holds) -> None:
    """A violated fact between declared scalars (``a \\leq b``, ``a + b < c``) sets one of them past its
    boundary: the last by name whose new value keeps every scalar fact that held (``a < c`` and ``b < c``:
    ``c`` for the first, ``b`` for the second).  Otherwise both held by chance alone, and two such facts
    left most trials without an instance."""
    scalar = [f for f in facts if f.relation in _OFFSETS and not f.free and f.over is None]
    relating = [(f, names) for f in scalar if len(names := _scalars(instance.context, f, fixed)) > 1]
    for _ in range(_ROUNDS if relating else 0):
        for fact, names in relating:
            if _holds(instance, compiler, fact, holds):
                continue
            held = [g for g in scalar if g is not fact and _holds(instance, compiler, g, holds)]
            for name in reversed(names):
                if _moved(instance, compiler, (fact, *held), name, holds):
                    break


def _scalars(context, fact: Constraint, fixed: frozenset[str]) -> list[str]:
    """The declared scalars a fact reads, by name, when it reads nothing else (and none is fixed)."""
    names = context.reached(fact.expr)
    if names & (context.definitions.keys() | fixed):
        return []
    kinds = [context.declared.get(n) for n in sorted(names)]
    return sorted(names) if all(d is not None and d.kind == Kind.SCALAR for d in kinds) else []


def _holds(instance, compiler, fact: Constraint, holds: Holds) -> bool:
    try:
        return holds(instance, compiler, fact)
    except (Unsatisfied, UnsupportedError, ArithmeticError):
        return False


def _moved(instance, compiler, keep: tuple[Constraint, ...], name: str, holds: Holds) -> bool:
    """Scalar ``name`` set past the boundary of ``keep[0]``, kept only when every fact of ``keep`` holds then."""
    old = get_entry(instance, name, ())
    try:
        value = _past_boundary(instance, compiler, keep[0], name)
    except (Unsatisfied, UnsupportedError, ArithmeticError):
        return False
    if value is None or (instance.context.declared[name].positive and value <= 0):
        return False
    set_entry(instance, name, (), value)
    if all(_holds(instance, compiler, g, holds) for g in keep):
        return True
    set_entry(instance, name, (), old)
    return False


#: A violated scalar fact's scalar is set to its boundary plus this many times the slope's sign
#: times a distance (:func:`_distance`).
_OFFSETS = {">": 1, "<": -1, ">=": 1, "<=": -1, "!=": 1}


def meet_entry_facts(instance, compiler, facts: list[Constraint], fixed: frozenset[str]) -> None:
    """A violated fact about the entries of one array alone, written at the fact's own indices
    (``x_i \\geq 0``, ``A_{i,j} > 0``), sets each violating entry past the boundary as for a scalar:
    otherwise every entry of every draw had to meet it by chance, and no instance ever did."""
    for fact in (f for f in facts if f.relation in _OFFSETS and f.free and f.over is None):
        found = _entry_fact_array(instance.context, fact, fixed)
        if found is None:
            continue
        name, where = found
        for point in points(instance, fact):
            entry = where(point)
            try:
                sign = sign_of_value(value_at(instance, compiler, fact.expr, fact.free, point))
                if sign is not None and _RELATION_HOLDS[fact.relation](sign):
                    continue
                value = _past_boundary(instance, compiler, fact, name, point, entry)
            except (Unsatisfied, UnsupportedError, ArithmeticError):
                continue
            if value is not None and not (instance.context.declared[name].positive and value <= 0):
                set_entry(instance, name, entry, value)


#: Whether a relation holds of a difference of the given sign.
_RELATION_HOLDS = {">": lambda s: s > 0, ">=": lambda s: s >= 0, "<": lambda s: s < 0, "<=": lambda s: s <= 0,
                   "!=": lambda s: s != 0}


def sign_of_value(value) -> int | None:
    """-1, 0 or 1 of an exact value; None for anything else (a ball: the fact is left to the check)."""
    return (value > 0) - (value < 0) if certified.is_exact(value) else None


def _entry_fact_array(context, fact: Constraint, fixed: frozenset[str]):
    """``(array, point -> its entry)`` for the first array (by name) the fact reads at one entry
    whose indices are the fact's free indices, each once (``x_i`` of ``x_i \\geq y_i``, ``A_{j,i}``)
    or one of them twice (``A_{i,i}``): a different entry at every point.  Other names the fact
    reads stay as drawn (``y_i``); None when there is no such array, or a definition is read."""
    names = context.reached(fact.expr)
    if names & context.definitions.keys():
        return None
    for name in sorted(names - fixed):
        declared = context.declared.get(name)
        if declared is None or declared.kind not in (Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC):
            continue
        entries = {a for a in fact.expr.atoms(Indexed) if base_name(a) == name}
        where = _entry_of(next(iter(entries)).indices, tuple(fact.free)) if len(entries) == 1 else None
        if where is not None:
            return name, where
    return None


def _entry_of(indices: tuple, free: tuple):
    """``point -> entry`` when every index is a free index and every free index is used (so
    distinct points read distinct entries), else None."""
    if set(indices) != set(free) or not all(i in free for i in indices):
        return None
    positions = [free.index(i) for i in indices]
    return lambda point: tuple(point[p] for p in positions)


def _past_boundary(instance, compiler, fact: Constraint, name: str, point: tuple = (), entry: tuple = ()):
    """The value of scalar ``name`` (of its ``entry``, for an entry fact at ``point``) at the boundary of an
    affine fact (offset by :data:`_OFFSETS`), or None.
    Affine also at -1 and 1/2: ``|x| - 1`` is affine at 0, 1, 2, and setting every violating draw to
    its "boundary" 0 would test ``|x| < 1`` at 0 alone (``\\sin x = x`` passes there)."""
    old = get_entry(instance, name, entry)
    try:
        f = setter(instance, compiler, fact, point, name, entry)
        found = line(f)
        if found is not None and any(f(u) - f(fmpq(0)) != u * found[1] for u in (fmpq(-1), fmpq(1, 2))):
            found = None
    except Unsatisfied:  # undefined at one of the points (a logarithm of x): not affine
        found = None
    finally:
        set_entry(instance, name, entry, old)
    if found is None:
        return None
    return found[0] + _OFFSETS[fact.relation] * _distance(fact.relation, old, instance.trial) * (1 if found[1] > 0 else -1)


def _distance(relation: str, drawn, trial: int) -> fmpq:
    """How far past the boundary a violating draw is set: the draw's own size, so the value still
    varies (one fixed point for every violating draw made ``\\sin(\\pi a) = 0`` pass under ``a > 0``:
    ``a = 1`` there, and the other draws were whole numbers too); for ``\\geq`` on even trials 0, the
    boundary itself; 1 for ``\\neq``."""
    if relation == "!=":
        return fmpq(1)
    if relation in (">=", "<=") and trial % 2 == 0:
        return fmpq(0)
    return abs(fmpq(drawn))


#: Powers of 2 a violating draw of a scalar is scaled by, each way, to meet a fact that is not affine.
_SCALES = 24


def _rescaled(instance, compiler, fact: Constraint, name: str, holds: Holds):
    """The drawn value of scalar ``name`` halved or doubled until the fact holds (``|x| < 1``,
    ``x^2 > 4``: still a random value, not one fixed point), or None when no such value does."""
    drawn = fmpq(get_entry(instance, name, ()))
    positive = instance.context.declared[name].positive
    for k in range(1, _SCALES + 1):
        for value in (drawn / 2**k, drawn * 2**k):
            set_entry(instance, name, (), value)
            try:
                if holds(instance, compiler, fact) and not (positive and value <= 0):
                    return value
            except (Unsatisfied, UnsupportedError):
                pass
    set_entry(instance, name, (), drawn)
    return None

"""Structured instances for claims: where counterexamples live, not where random draws land.

Random values are never 0, never equal, never parallel, and a random
function never has a vanishing derivative.  Besides the random instances the
claim tester (:mod:`deriv.engine.claims`) therefore tries:

* every declared array, then all of them, exactly 0 (:func:`boundary_instances`);
* every scalar of the claim, and the first entry of each array, at
  ``\\pm 1, \\pm 2, \\pm 1/2`` and where the two sides meet
  (:mod:`deriv.engine.meeting_points`); two scalars equal or opposite;
* vectors of one shape equal, opposite, parallel (twice) or orthogonal to
  each other, with one entry 0, or a unit vector; a vector in the kernel of a
  singular square matrix (:mod:`deriv.engine.kernel_points`);
* whole instances at a scale (:mod:`deriv.engine.scales`): every positive
  scalar at 1/8, 1/100 or 100, every other value at that magnitude or 1/2;
* with an inverse or a determinant, every declared square matrix the claim reaches upper
  triangular, a scaled cyclic permutation or nearly singular (:mod:`deriv.engine.square_boundaries`);
* every function the zero function, with every first (and second) derivative 0,
  a drawn one times a factor far larger than any number the claim writes, or
  with the values where the two sides meet (:func:`~deriv.engine.meeting_points.value_structures`).

Each instance is made from a drawn one and must still satisfy every
assumption exactly (:func:`~deriv.engine.assumptions.impose`); one that a
structure violates (``x \\neq 0`` with ``x = 0``) is skipped, and one the
assumptions change again is labelled so.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator

from flint import fmpq
from sympy import Expr

from deriv.engine import scales
from deriv.engine.ascent_points import ascent_structures
from deriv.engine.assumptions import SPECIAL_TRIALS
from deriv.engine.functions import EVERY_ORDER, Shape
from deriv.engine.instances import Instance
from deriv.engine.square_boundaries import (STRUCTURES, alone_structured, involves_matrix_functions, made_structured,
                                           square_names)
from deriv.engine.kernel_points import kernel_structures
from deriv.engine.supports import support_structures
from deriv.engine.zero_points import is_zero, zero, zeroable_names
from deriv.engine.meeting_points import (STRUCTURE_TRIAL, Structure, certain_zero, meeting_structures, pinned, unchanged,
                                         value_structures)
from deriv.names import FUNCTION_KINDS, KNOWN_FUNCTION_KINDS, Kind

#: Trial number of the instances where one name is 0 (apart from the random ones): a
#: special trial, which the assumptions impose plainly (it keeps the zero it sets).
BOUNDARY_TRIAL = SPECIAL_TRIALS
#: Attempts (sign patterns of the other scalars) per name set to 0.
BOUNDARY_ATTEMPTS = 3
#: Draws tried for those instances at most.
BOUNDARY_DRAWS = 9
#: Ordered pairs of scalars (and of vectors) made equal, opposite, ..., at most: a claim
#: with many names would otherwise try hundreds of instances.
MAX_PAIRS = 20
#: What a function may be made: the zero function, or one whose first (and second) derivatives vanish.
FUNCTION_STRUCTURES = (("every function is 0", EVERY_ORDER), ("every first derivative is 0", frozenset({1})),
                       ("every first and second derivative is 0", frozenset({1, 2})))


def boundary_instances(session, sizes: dict) -> Iterator[tuple[str, Instance]]:
    """Instances where one declared, not positive, scalar or array is exactly 0 (then all of them)."""
    names = zeroable_names(session.context)
    groups = [[name] for name in names] + ([names] if len(names) > 1 else [])
    for group in groups:
        label = " = ".join(group) + " = 0"

        def change(instance, group=group):
            for name in group:
                instance.arrays[name] = zero(instance.arrays[name])

        made_count = 0
        # A fact about other names (z^T A z > 0) fails on about half the draws: more draws than
        # instances wanted, so a zero is not lost to an unrelated fact.
        for attempt in range(BOUNDARY_DRAWS):
            made = pinned(session, sizes, BOUNDARY_TRIAL, attempt, change,
                          lambda i, group=group: all(is_zero(i.arrays[n]) for n in group))
            if made is not None:
                yield (label if made[1] else f"{label}, then the assumptions imposed"), made[0]
                made_count += 1
                if made_count == BOUNDARY_ATTEMPTS:
                    break


def structured_instances(session, sizes: dict, difference: Expr, ranges: dict) -> Iterator[tuple[str, Instance]]:
    """The structured instances for a claim whose two sides differ by ``difference``."""
    yield from boundary_instances(session, sizes)
    names = session.context.reached(difference)
    declared = {n: d for n, d in session.context.declared.items() if n in names}
    scalars = [n for n, d in declared.items() if d.kind == Kind.SCALAR]
    vectors = [n for n, d in declared.items() if d.kind == Kind.VECTOR and not d.positive]
    functions = any(d.kind in FUNCTION_KINDS - KNOWN_FUNCTION_KINDS for d in declared.values())
    structures = [*meeting_structures(session, sizes, difference, ranges, names), *_pairs(scalars, declared),
                  *_vector_structures(vectors, declared), *kernel_structures(session.context, names),
                  *support_structures(session.context, names),
                  *_identity_structures(declared), *_scale_structures(), *_square_structures(session.context, difference),
                  *ascent_structures(session, sizes, difference, ranges)]
    if functions:
        structures += [*_function_structures(session, difference), *value_structures(session, sizes, difference, ranges)]
    for structure in structures:
        for attempt in structure.attempts:
            made = pinned(session, sizes, STRUCTURE_TRIAL, attempt, structure.change, structure.check, structure.functions)
            if made is not None:
                yield (structure.label if made[1] else f"{structure.label}, then the assumptions imposed"), made[0]
                break


def _square_structures(context, difference: Expr) -> list[Structure]:
    """With an inverse or a determinant, every declared square matrix the claim reaches upper
    triangular, a scaled cyclic permutation or nearly singular (:mod:`deriv.engine.square_boundaries`):
    a random inverse has no zero entry and no zero trace, these do (``[X^{-1}]_{i,j} \\neq 0``,
    ``\\operatorname{tr}(X^{-1}) \\neq 0`` fail there); with several, each one so and the others the identity
    (``\\operatorname{tr}((A B)^{-1}) \\neq 0`` fails where ``A`` is a permutation and ``B = I``)."""
    reached = context.reached(difference)
    names = [name for name in square_names(context) if name in reached]
    if not names or not involves_matrix_functions((difference,), context):
        return []
    alike = [Structure(f"{', '.join(names)} {label}", functools.partial(made_structured, names, make), lambda i: True)
             for label, make in STRUCTURES]
    alone = [Structure(f"{name} {label}, {', '.join(n for n in names if n != name)} the identity",
                       functools.partial(alone_structured, names, name, make), lambda i: True)
             for name in (names if len(names) > 1 else []) for label, make in STRUCTURES]
    return alike + alone


def _function_structures(session, difference: Expr) -> list[Structure]:
    """Every function 0, with vanishing derivatives, or far larger than any number the claim
    (or a definition) writes -- either sign, on two draws (a drawn coefficient may be 0)."""
    written = [abs(c) for c in session.constants(difference) | session.definition_constants()]
    large = 4 * (1 + max((max(abs(int(c.p)), int(c.q)) for c in written), default=1)) ** 2
    shaped = [Structure(label, unchanged, lambda i: True, functions=Shape(zero_orders=orders)) for label, orders in FUNCTION_STRUCTURES]
    for scale, word in ((large, "large"), (large << 64, "huge")):
        for attempt, sign in itertools.product((1, 2), (1, -1)):
            shaped.append(Structure(f"every function {word} ({'-' if sign < 0 else ''}{scale} times a drawn one)", unchanged,
                                    lambda i: True, attempts=(attempt,), functions=Shape(scale=sign * scale)))
    return shaped


def _scale_structures() -> list[Structure]:
    """Whole instances at a scale: every positive scalar small or large, the rest at one magnitude."""
    return [Structure(scales.label(p, o), scales.scaled(p, o), lambda i: True) for p, o in scales.PAIRS]


def _pairs(scalars, declared):
    """Two scalars equal or opposite."""
    for a, b in itertools.islice(itertools.permutations(scalars, 2), MAX_PAIRS):
        if declared[b].positive:
            continue
        for sign, word in ((1, "= "), (-1, "= -")):
            def change(instance, a=a, b=b, sign=sign):
                instance.arrays[b] = sign * fmpq(instance.arrays[a])

            yield Structure(f"{b} {word}{a}", change, lambda i, a=a, b=b, sign=sign: i.arrays[b] == sign * fmpq(i.arrays[a]))


def _identity_structures(declared):
    """Each square matrix the identity (``\\operatorname{tr} H \\neq N`` under ``H \\succ 0`` fails there)."""
    for name, d in declared.items():
        if d.kind in (Kind.MATRIX, Kind.SYMMETRIC) and d.shape[0] == d.shape[1] and not d.positive:
            yield Structure(f"{name} = I", *_entries(name, lambda t: {k: fmpq(int(k[0] == k[1])) for k in t}))


def _vector_structures(vectors, declared):
    """Vectors with a zero entry, unit vectors, and pairs equal, opposite, parallel, orthogonal."""
    for name in vectors:
        yield Structure(f"{name}_1 = 0", *_entries(name, lambda t: {**t, (0,): fmpq(0)}))
        yield Structure(f"{name} = e_1", *_entries(name, _one_hot))
    for a, b in itertools.islice(itertools.permutations(vectors, 2), MAX_PAIRS):
        if declared[a].shape != declared[b].shape:
            continue
        for factor, word in ((1, "="), (-1, "= -"), (2, "= 2")):
            yield Structure(f"{b} {word} {a}", *_from(a, b, lambda u, v, f=factor: {k: f * u[k] for k in u}))
            # The same with a = e_1: norms are then rational, so ||a + b|| = ||a|| + ||b|| is certified exactly.
            yield Structure(f"{a} = e_1, {b} {word} {a}", *_from(a, b, lambda u, v, f=factor: {k: f * u[k] for k in u}, _unit(a)))
        yield Structure(f"{b} orthogonal to {a}", *_from(a, b, _orthogonal))


def _entries(name: str, make: Callable[[dict], dict]):
    def change(instance):
        instance.arrays[name] = make(dict(instance.arrays[name]))

    def check(instance):
        return instance.arrays[name] == make(dict(instance.arrays[name]))

    return change, check


def _from(a: str, b: str, make: Callable[[dict, dict], dict], first: Callable[[Instance], None] | None = None):
    """``b`` made from ``a`` (and itself), after ``first`` changed the instance."""
    def change(instance):
        if first is not None:
            first(instance)
        instance.arrays[b] = make(instance.arrays[a], instance.arrays[b])

    def check(instance):
        return instance.arrays[b] == make(instance.arrays[a], instance.arrays[b])

    return change, check


def _unit(name: str) -> Callable[[Instance], None]:
    def change(instance):
        instance.arrays[name] = _one_hot(instance.arrays[name])

    return change


def _one_hot(table: dict) -> dict:
    return {k: fmpq(int(k == (0,))) for k in table}


def _orthogonal(u: dict, v: dict) -> dict:
    """``v`` minus its projection on ``u`` (exact): orthogonal to ``u``."""
    norm = sum((fmpq(x) ** 2 for x in u.values()), fmpq(0))
    if norm == 0:
        return dict(v)
    along = sum((fmpq(u[k]) * fmpq(v[k]) for k in u), fmpq(0)) / norm
    return {k: fmpq(v[k]) - along * fmpq(u[k]) for k in u}


__all__ = ["BOUNDARY_TRIAL", "boundary_instances", "certain_zero", "structured_instances"]

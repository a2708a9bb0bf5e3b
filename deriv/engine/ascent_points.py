"""Claims under a bound on a whole array, tried where the claim's difference grows fastest.

Under ``x^T x \\leq 1`` a claim such as ``2 x_1 + 3 x_2 + x_3 < 37/10`` fails only on a
small cap of the sphere around ``(2, 3, 1) / \\sqrt{14}``; no random direction lands there,
and the points where the two sides meet in one entry lie outside the ball (moved back
inside along their own direction, they miss the cap too).  So for each array that a bound
fact is about (:func:`deriv.engine.ball_points.bounded_array`) the claim is also tried with
the array moved by steps of gradient ascent, then descent, of its difference in that array's entries
(exact central differences, exact for a claim of degree 2; for a quadratic form power iteration
towards its largest, then smallest, direction), which the assumptions then move just inside the
bound along that direction, or onto a rational point of a sphere next to it (``x^T x = 1``;
:mod:`deriv.engine.ball_points`).  Like every structured instance, it counts only where it
satisfies every assumption exactly.
"""

from __future__ import annotations

from flint import fmpq
from sympy import Expr

from deriv.engine import certified
from deriv.engine.ball_points import bounded_array
from deriv.engine.instances import Instance
from deriv.engine.meeting_points import STRUCTURE_TRIAL, Structure
from deriv.engine.residuals import value_at

#: Entries of an array whose gradient is computed, at most (two evaluations each).
MAX_ENTRIES = 36
#: Facts and equations about one array whose claims are tried so (``x^T x \\leq 1``, ``x^T x = 1``).
_RELATIONS = (">", ">=", "<", "<=", "=")
#: The grid a direction is rounded to.
_GRID = 2**20
#: Steps of gradient ascent (descent) from the drawn point.
ROUNDS = 10


def ascent_structures(session, sizes: dict, difference: Expr, ranges: dict) -> list[Structure]:
    """For each array a bound fact is about and the claim reads: the array set to ``\\pm`` the
    gradient of ``difference`` at a drawn instance (at the first value of each free index)."""
    context = session.context
    reached = context.reached(difference)
    arrays = sorted({name for fact in context.assumptions
                     if (name := bounded_array(context, fact, frozenset(), _RELATIONS)) is not None and name in reached})
    found = []
    for name, sign in ((name, sign) for name in arrays for sign in (1, -1)):
        table = _ascended(session, sizes, difference, ranges, name, sign)
        if table is not None:
            found.append(Structure(f"{name} along {'+' if sign > 0 else '-'}the gradient of the difference",
                                   _setter(name, table), lambda instance: True))
    return found


def _setter(name: str, table: dict):
    def change(instance: Instance) -> None:
        instance.arrays[name] = dict(table)
    return change


def _ascended(session, sizes: dict, difference: Expr, ranges: dict, name: str, sign: int) -> dict | None:
    """From the drawn point, :data:`ROUNDS` steps ``u <- u + sign g(u)`` (each scaled to entries at most
    1): gradient ascent (descent), for a quadratic form power iteration on ``I + sign M`` -- towards the
    direction where the difference is largest (smallest), also when ``M``'s extreme eigenvalues are
    opposite (``x_1 x_2 + x_2 x_3``, where plain power iteration would swing between them)."""
    instance = Instance(session.context, session.seed, STRUCTURE_TRIAL, sizes, 0)
    table = instance.arrays.get(name)
    if not isinstance(table, dict) or len(table) > MAX_ENTRIES:
        return None
    table = _unit({k: fmpq(v) for k, v in table.items()})
    for _ in range(ROUNDS):
        gradient = _gradient(session, instance, difference, ranges, name, table)
        if gradient is None or not any(gradient.values()):
            return None if _ == 0 else table
        step = _unit(gradient)
        table = _unit({k: table[k] + sign * step[k] for k in table}) or table
    return table


def _unit(table: dict) -> dict:
    """``table`` scaled to entries at most 1, rounded to multiples of ``2^{-20}`` (a direction needs no
    more, and exact sums of quotients would grow their digits from step to step); empty when it is 0."""
    largest = max(abs(v) for v in table.values())
    if not largest:
        return {}
    return {k: fmpq(int(((v / largest) * _GRID).floor()), _GRID) for k, v in table.items()}


def _gradient(session, instance: Instance, difference: Expr, ranges: dict, name: str, table: dict) -> dict | None:
    """``(f(u + e_k) - f(u - e_k)) / 2`` for each entry ``k`` of ``name`` at ``u = table``, exactly;
    None where not exact."""
    free = tuple(sorted(ranges, key=str))
    point = tuple(0 for _ in free)
    gradient = {}
    try:
        for key, value in table.items():
            sides = []
            for step in (1, -1):
                instance.arrays[name] = {**table, key: fmpq(value) + step}
                sides.append(value_at(instance, session.compiler, difference, free, point))
            instance.arrays[name] = table
            if not all(certified.is_exact(v) and not isinstance(v, Exception) for v in sides):
                return None
            gradient[key] = (fmpq(sides[0]) - fmpq(sides[1])) / 2
    except (ArithmeticError, ValueError, TypeError, KeyError):
        return None
    return gradient

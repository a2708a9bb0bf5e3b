r"""The values of ``relu'(0)`` in ``[0, 1]`` where a claim's two sides meet.

A claim holds when it holds for every value ``c`` that ``relu'(0)`` may take
(:mod:`deriv.engine.kinks`); the fixed choices ``0, 1, 1/2, 1/3`` and one
generic value never meet ``\operatorname{relu}'(x) \neq 1/4`` at ``c = 1/4``.
On an instance where some ``relu'`` is exactly at 0, the difference of the two
sides is therefore written as a function of ``c``: evaluated exactly at the
four fixed choices, it is the polynomial of degree at most 3 through them
when it also passes through the generic value (else nothing is suggested),
and its rational roots in ``[0, 1]``, and the ends of the isolating intervals
of its other roots there, are judged as any other choice.  The polynomial only
suggests the values: each is then judged, certified, by the claim's own judge.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from flint import fmpq
from sympy import Expr

from deriv.engine import certified, meeting
from deriv.engine.instances import Instance
from deriv.engine.kink_choices import CHOICES, choices, with_step_value
from deriv.engine.residuals import value_at
from deriv.errors import UnsupportedError

#: Free-index points of an entry claim at which the difference is written out, at most.
MAX_POINTS = 16
#: Where the difference is evaluated besides the choices: with them, a polynomial of degree up to 7
#: is found (``(4 c - 1)^4 \neq 0`` touches 0 at ``c = 1/4`` without crossing).
EXTRA_SAMPLES = (fmpq(2, 3), fmpq(1, 5), fmpq(4, 5), fmpq(1, 7))
#: Why a ``\neq`` claim whose sides cross between two choices is undecided.
CROSSING = ("its two sides cross as relu'(0) runs over [0, 1] (any value in it may be relu'(0)), at a point "
            "deriv can not pin down exactly")


def meeting_choices(session, instance: Instance, difference: Expr, free: tuple, ranges: dict) -> tuple[list[fmpq], str]:
    """The values of ``relu'(0)`` in ``[0, 1]`` to judge besides the fixed choices (where ``difference``
    is 0, and :data:`EXTRA_SAMPLES`), and why the claim is undecided should they all agree (its sides
    cross between two values at a root that is not exact), else ``""``."""
    drawn = choices(instance)
    samples = (*drawn[:-1], *EXTRA_SAMPLES, drawn[-1])
    found: dict[fmpq, None] = {}
    crossing = ""
    for point in itertools.islice(_points(instance, free, ranges), MAX_POINTS):
        values = [_value(session, instance, difference, free, point, c) for c in samples]
        zeros = _exact_zeros(samples, values)
        if zeros is None and _crosses(values):
            crossing = CROSSING
        found.update(dict.fromkeys(z for z in zeros or () if 0 <= z <= 1 and z not in CHOICES))
    return [*found, *EXTRA_SAMPLES], crossing


def _exact_zeros(samples: tuple[fmpq, ...], values: list) -> list[fmpq] | None:
    """The rational roots and the ends of the other roots' intervals of the polynomial through
    the exact ``values`` (the last one checks it); None when they are not exact or not such a polynomial."""
    if not all(v is not None and certified.is_exact(v) for v in values):
        return None
    polynomial = meeting.through(samples[:-1], [fmpq(v) for v in values[:-1]])
    if polynomial(samples[-1]) != fmpq(values[-1]):
        return None
    rational, intervals = meeting.polynomial_zeros(polynomial)
    return [*rational, *(end for zero in intervals for end in (zero.low, zero.high))]


def _crosses(values: list) -> bool:
    """Whether two of the values are certainly of opposite signs."""
    signs = {_sign(v) for v in values if v is not None}
    return {-1, 1} <= signs


def _sign(value) -> int | None:
    if certified.is_exact(value):
        return (value > 0) - (value < 0)
    try:
        ball = certified.to_arb(value)
    except (TypeError, ValueError):  # a jet, not a value
        return None
    return 1 if ball > 0 else -1 if ball < 0 else None


def _points(instance: Instance, free: tuple, ranges: dict) -> Iterator[tuple[int, ...]]:
    return itertools.product(*(range(instance.size(ranges[index])) for index in free))


def _value(session, instance: Instance, difference: Expr, free: tuple, point: tuple, c: fmpq):
    """The certified difference (exact or a ball) with ``relu'(0) = c``, or None."""
    try:
        return value_at(with_step_value(session, instance, c), session.compiler, difference, free, point)
    except (UnsupportedError, ArithmeticError, ValueError, TypeError):
        return None


__all__ = ["CROSSING", "meeting_choices"]

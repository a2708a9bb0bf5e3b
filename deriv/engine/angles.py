"""Where a claim's difference is exactly 0 at a rational multiple of pi (issue 20, item 4).

``\\sin x < 1`` fails only at ``x = \\pi/2 + 2 k \\pi``, where the difference
touches 0 without changing sign: no rational draw lands there and no sign
change brackets it.  For each sine and cosine in the difference (one exact
expression in the variable, :mod:`deriv.engine.univariate`) whose argument is
``a v + b`` with ``a`` rational and ``b`` a rational multiple of pi or a
rational, the points where that argument is a multiple of ``\\pi/12`` (up to
``2\\pi`` either way) are tried: SymPy's exact values of ``\\sin(k\\pi/12)``
(``1``, ``\\sqrt 3/2``, ...) put the difference at each, and one that is
exactly 0 -- SymPy's automatic evaluation only applies identities, nothing is
rounded -- is a meeting point, with a certified ball around it for the checks
that follow (assumptions, the engine's own value).

In: the difference and its variable.  Out: ``(point, ball)`` pairs.
"""

from __future__ import annotations

import sympy
from flint import arb
from sympy import Expr, Symbol

from deriv.engine import certified
from deriv.engine.univariate import BITS, Unknown, enclose

#: Multiples of pi/12 tried each way: two full turns.
TURNS = 24
#: Candidate points tried per difference, at most (each puts the whole difference there).
MAX_CANDIDATES = 150
#: Zeros returned, at most.
MAX_FOUND = 4


def linear_offset(argument: Expr, variable: Symbol) -> tuple[Expr, Expr] | None:
    """``(a, b)`` for an argument ``a v + b`` with ``a`` a nonzero rational and ``b`` a
    rational or a rational multiple of pi; None otherwise."""
    slope = sympy.diff(argument, variable)
    if not (slope.is_Rational and slope != 0):
        return None
    rest = sympy.expand(argument - slope * variable)
    if not (rest.is_Rational or (rest / sympy.pi).is_Rational):
        return None
    return slope, rest


def _candidates(d: Expr, variable: Symbol) -> list[Expr]:
    """The points where some sine's or cosine's argument is a multiple of pi/12, nearest turns first."""
    lines = [found for atom in d.atoms(sympy.sin, sympy.cos) if (found := linear_offset(atom.args[0], variable))]
    points: dict[Expr, None] = {}
    for k in sorted(range(-TURNS, TURNS + 1), key=abs):
        for slope, rest in lines:
            points[(k * sympy.pi / 12 - rest) / slope] = None
            if len(points) >= MAX_CANDIDATES:
                return list(points)
    return list(points)


def angle_zeros(d: Expr, variable: Symbol) -> list[tuple[Expr, arb]]:
    """Points where ``d`` is exactly 0, each with a ball holding it."""
    found = []
    for point in _candidates(d, variable):
        if point.is_Rational:
            continue  # a rational point is the tester's (and the exact roots') business
        try:
            if d.xreplace({variable: point}) is not sympy.S.Zero:
                continue
            with certified.precision(BITS):
                ball = enclose(point, arb(0))
        except (Unknown, ValueError, TypeError, ZeroDivisionError):
            continue
        found.append((point, ball))
        if len(found) >= MAX_FOUND:
            break
    return found

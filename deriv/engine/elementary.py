"""Certified Taylor coefficients of the trigonometric, hyperbolic, inverse and error functions.

Each ``*_series(a, order)`` gives ``f^(k)(a) / k!`` for ``k <= order``, as
:func:`~deriv.engine.jets.compose` wants them: exact where the value is
(``sin 0 = 0``, ``cos 0 = 1``), otherwise ``arb`` balls
(:func:`~deriv.engine.certified.applied`), for ``\\arctan``, ``\\arcsin``,
``\\arccos``, ``\\operatorname{arctanh}`` and ``\\operatorname{erf}`` from
python-flint's ``arb_series`` (rigorous power series at a ball).

Domains: ``\\arcsin`` and ``\\arccos`` are defined on ``[-1, 1]`` and their
derivatives on ``(-1, 1)``; ``\\operatorname{arctanh}`` on ``(-1, 1)``.  An
argument certainly outside is a :class:`~deriv.engine.certified.DomainError`
(the side is undefined there, as ``\\log`` of a negative number); a ball that
can not be told from the boundary is a precision problem, never a guess.

Saturation: as for ``\\tanh``, where a function flattens out the step can
express a difference far below the value's magnitude (``\\arctan(10^{9} x)``
is ``\\pi/2`` less ``10^{-9}/x``, ``\\operatorname{erf}(20)`` is 1 less
``10^{-176}``); the distance to the asymptote is recorded, so agreement must be
certified that finely.
"""

from __future__ import annotations

import math
from typing import Any

from flint import arb, arb_series, fmpq

from deriv.engine import certified
from deriv.engine.certified import ONE, ZERO, DomainError, PrecisionError

#: Bits of ``1 - erf(u)`` per unit of ``u^2`` (``erfc(u) < e^{-u^2}`` for ``u >= 1``).
ERF_BITS = 1.0 / math.log(2.0)


def _reciprocal_factorials(order: int) -> list[fmpq]:
    result, factorial = [], 1
    for k in range(order + 1):
        factorial *= max(k, 1)
        result.append(fmpq(1, factorial))
    return result


def _periodic(cycle: tuple, order: int) -> list:
    """``cycle[k % len(cycle)] / k!`` for ``k <= order``: the derivatives repeat."""
    return [cycle[k % len(cycle)] * scale if k else cycle[0] for k, scale in enumerate(_reciprocal_factorials(order))]


def _values(a, order: int, methods: tuple, at_zero: tuple) -> list[Any]:
    """Each method of ``a`` (past the first only when ``order`` asks for derivatives); ``at_zero``
    at an exact 0, so that ``\\sin 0`` is exactly 0."""
    if certified.is_exact_zero(a):
        return list(at_zero)
    return [certified.applied(a, method) if k == 0 or order else ZERO for k, method in enumerate(methods)]


def sin_series(a, order: int) -> list:
    s, c = _values(a, order, (arb.sin, arb.cos), (ZERO, ONE))
    return _periodic((s, c, -s, -c), order)


def cos_series(a, order: int) -> list:
    c, s = _values(a, order, (arb.cos, arb.sin), (ONE, ZERO))
    return _periodic((c, -s, -c, s), order)


def sinh_series(a, order: int) -> list:
    return _periodic(tuple(_values(a, order, (arb.sinh, arb.cosh), (ZERO, ONE))), order)


def cosh_series(a, order: int) -> list:
    return _periodic(tuple(_values(a, order, (arb.cosh, arb.sinh), (ONE, ZERO))), order)


def _from_arb_series(a, order: int, value, series, odd: bool = True) -> list:
    """The value (``value`` of an arb; exactly 0 at an exact 0 for an ``odd`` function) and,
    past order 0, the coefficients ``series`` gives of ``a + t``."""
    if order == 0:
        return [ZERO if odd and certified.is_exact_zero(a) else certified.applied(a, value)]
    coefficients = series(arb_series([certified.to_arb(a), 1], prec=order + 1)).coeffs()
    coefficients += [arb(0)] * (order + 1 - len(coefficients))
    return [ZERO if c.is_zero() else certified.recorded(c) for c in coefficients[: order + 1]]


def _magnitude(x) -> int | None:
    """About ``log2 |x|`` (None for 0)."""
    if certified.is_exact(x):
        return certified.exact_magnitude(x)
    return certified.ball_magnitude(certified.to_arb(x))


def _inside_unit(a, closed: bool, what: str) -> None:
    """That ``|a| <= 1`` (``closed``) or ``|a| < 1``: else a domain error, or a precision
    problem when a ball can not be told from the boundary; the distance to the boundary
    is recorded (``\\arcsin`` near 1 is ``\\pi/2`` less its square root)."""
    where = "[-1, 1]" if closed else "(-1, 1)"
    if certified.is_exact(a):
        gap = 1 - abs(fmpq(a))
        if gap < 0 or (gap == 0 and not closed):
            raise DomainError(f"{what} of {a}, outside {where}")
        found = certified.exact_magnitude(gap)
    else:
        ball = 1 - abs(certified.to_arb(a))
        if ball < 0:
            raise DomainError(f"{what} of a number outside {where}")
        if not ball > 0:
            raise PrecisionError(f"cannot tell whether the argument of {what} is inside {where}")
        found = certified.ball_magnitude(ball)
    if found is not None:
        certified.STATE.recorder.note(found)


def atan_series(a, order: int) -> list:
    found = _magnitude(a)
    if found is not None and found > 0:
        certified.STATE.recorder.note(-found - 1)  # pi/2 - |arctan a| is about 1/|a|
    return _from_arb_series(a, order, arb.atan, arb_series.atan)


def asin_series(a, order: int) -> list:
    _inside_unit(a, order == 0, "arcsin" if order == 0 else "the derivative of arcsin")
    return _from_arb_series(a, order, arb.asin, arb_series.asin)


def acos_series(a, order: int) -> list:
    _inside_unit(a, order == 0, "arccos" if order == 0 else "the derivative of arccos")
    return _from_arb_series(a, order, arb.acos, arb_series.acos, odd=False)


def atanh_series(a, order: int) -> list:
    _inside_unit(a, False, "arctanh")
    return _from_arb_series(a, order, arb.atanh, lambda s: ((1 + s).log() - (1 - s).log()) / 2)


def erf_series(a, order: int) -> list:
    u = abs(certified.to_arb(a)).upper()
    if u > 1:
        bits = ERF_BITS * float(u) ** 2
        if bits > certified.MAX_MAGNITUDE:
            raise PrecisionError("erf saturates beyond what can be evaluated", redraw=True)
        certified.STATE.recorder.note(-int(bits) - 2)
    return _from_arb_series(a, order, arb.erf, arb_series.erf)

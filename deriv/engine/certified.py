"""Exact rationals and certified balls: the tester's arithmetic, with no tolerance.

Values are ``flint.fmpq`` while everything stays rational (exact, and faster
than ``Fraction``).  Anything transcendental is a :class:`Ball`, a thin
wrapper around an ``arb`` ball whose radius is a rigorous error bound.  Every
operation in which a ball takes part records the binary magnitude of its
operands and result in the current :class:`Recorder`; the comparison takes
from it how small a difference must be certified before it counts as zero
(see :mod:`deriv.engine.compare`).

Errors: :class:`DomainError` -- the value is certainly undefined over the reals
(log of a number certainly <= 0, division by an exact zero); :class:`PrecisionError`
-- the ball is too wide to tell (a ball straddling 0 under a log), or the
values are too large to evaluate (then a smaller instance is drawn).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Union

import flint
from flint import arb, fmpq, fmpz

#: Precision every instance is first evaluated at (bits).
START_PRECISION = 128
#: Highest precision tried before giving up on an instance (bits).
MAX_PRECISION = 16384
#: Balls beyond 2**MAX_MAGNITUDE (or below its reciprocal) are not evaluated.
MAX_MAGNITUDE = 1 << 16
#: Bits of ``1 - tanh(u)`` per unit of ``|u|``: ``2 / ln 2``.
TANH_BITS = 2.0 / math.log(2.0)

#: Exact zero and one (Python ints: the fastest exact values; fmpq otherwise).
ZERO = 0
ONE = 1


class DomainError(ArithmeticError):
    """The value is certainly undefined over the reals (the message says why)."""


class NotDifferentiable(DomainError):
    """A jet met a kink (``|u|`` at ``u = 0``, a tie of ``\\max``): the derivative this
    evaluation asked for may still exist (``x |x|`` at 0), so it is unknown, never a
    point where the side is undefined."""


class PrecisionError(ArithmeticError):
    """Undetermined at this precision; ``redraw`` when smaller values are needed."""

    def __init__(self, message: str, redraw: bool = False) -> None:
        super().__init__(message)
        self.redraw = redraw


class Recorder:
    """Smallest and largest binary magnitudes met while evaluating one value,
    and whether two inexact arguments of a function were assumed equal."""

    __slots__ = ("lo", "hi", "overlap")

    def __init__(self) -> None:
        self.lo: int | None = None
        self.hi: int | None = None
        self.overlap = False

    def note(self, magnitude: int) -> None:
        if self.lo is None or magnitude < self.lo:
            self.lo = magnitude
        if self.hi is None or magnitude > self.hi:
            self.hi = magnitude

    def merge(self, other: "Recorder") -> None:
        if other.lo is not None:
            self.note(other.lo)
            self.note(other.hi)  # type: ignore[arg-type]
        self.overlap = self.overlap or other.overlap


class _State(threading.local):
    """The recorder values are noted into: one per thread, so that two threads deciding at once
    never note into (or lose an overlap to) each other's -- a lost overlap or magnitude would
    count two sides as agreeing at an instance where they were not told apart."""

    def __init__(self) -> None:
        self.recorder = Recorder()


STATE = _State()


@contextmanager
def recording(recorder: Recorder) -> Iterator[Recorder]:
    """Record into ``recorder`` for the block, then add it to the enclosing one."""
    saved = STATE.recorder
    STATE.recorder = recorder
    try:
        yield recorder
    finally:
        STATE.recorder = saved
        saved.merge(recorder)


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Evaluate at ``bits`` of working precision, restoring the global setting."""
    saved = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec = saved


def exact_magnitude(x: fmpq | int) -> int | None:
    """About ``log2 |x|`` of an exact nonzero value (None for 0)."""
    x = fmpq(x)
    if x == 0:
        return None
    return x.p.bit_length() - x.q.bit_length()


def ball_magnitude(b: arb) -> int | None:
    """About ``log2 |b|`` of a ball that excludes 0 (None when it contains 0)."""
    if b.contains(0):
        return None
    man, exp = b.mid().man_exp()
    return int(exp) + fmpz(man).bit_length()


#: A ball's magnitude not worked out yet.
_UNKNOWN = object()


def _note(x: object) -> None:
    if isinstance(x, Ball):
        m = x.magnitude()
    elif isinstance(x, (fmpq, int, fmpz)):
        m = exact_magnitude(x)
    else:
        return
    if m is not None:
        STATE.recorder.note(m)


def _wrap(b: arb) -> "Ball":
    if not b.is_finite():
        raise PrecisionError("values too large to evaluate", redraw=True)
    m = ball_magnitude(b)
    if m is not None:
        if abs(m) > MAX_MAGNITUDE:
            raise PrecisionError("values too large to evaluate", redraw=True)
        STATE.recorder.note(m)
    return Ball(b, m)


def _operand(x: object):
    if isinstance(x, Ball):
        return x.b
    if isinstance(x, (fmpq, int, fmpz)):
        return x
    return None


class Ball:
    """A certified enclosure of a real number (an ``arb``), recording magnitudes."""

    __slots__ = ("b", "_magnitude")

    def __init__(self, b: arb, magnitude: int | None | object = _UNKNOWN) -> None:
        self.b = b
        self._magnitude = magnitude

    def magnitude(self) -> int | None:
        """:func:`ball_magnitude` of the ball, remembered: a ball is an operand many times
        (every entry of a derivative's jets), and its magnitude is recorded each time."""
        if self._magnitude is _UNKNOWN:
            self._magnitude = ball_magnitude(self.b)
        return self._magnitude  # type: ignore[return-value]

    def _binary(self, other, op):
        o = _operand(other)
        if o is None:
            return NotImplemented
        _note(self)
        _note(other)
        return _wrap(op(self.b, o))

    def __add__(self, other):
        return self._binary(other, lambda a, b: a + b)

    def __radd__(self, other):
        return self._binary(other, lambda a, b: b + a)

    def __sub__(self, other):
        return self._binary(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return self._binary(other, lambda a, b: b - a)

    def __mul__(self, other):
        return self._binary(other, lambda a, b: a * b)

    def __rmul__(self, other):
        return self._binary(other, lambda a, b: b * a)

    def __truediv__(self, other):
        if _operand(other) is None:
            return NotImplemented
        return self * reciprocal(other)

    def __rtruediv__(self, other):
        if _operand(other) is None:
            return NotImplemented
        return reciprocal(self) * other

    def __neg__(self) -> "Ball":
        return Ball(-self.b)

    def __repr__(self) -> str:
        return f"Ball({self.b.str(20)})"


Real = Union[fmpq, Ball]


#: The exact values (everything else is a ball or a jet).
EXACT_TYPES = (fmpq, int, fmpz)


def is_exact(x: object) -> bool:
    return isinstance(x, EXACT_TYPES)


def certainly_nonzero(value) -> bool:
    """An exact value other than 0, or a ball that excludes 0."""
    return value != 0 if is_exact(value) else not to_arb(value).contains(0)


def is_exact_zero(x: object) -> bool:
    return isinstance(x, EXACT_TYPES) and x == 0


def to_arb(x: Real) -> arb:
    return x.b if isinstance(x, Ball) else arb(fmpq(x))


def sign(x: Real, what: str) -> int:
    """-1, 0 or 1, certified; a ball around 0 is a precision problem."""
    if isinstance(x, Ball):
        if x.b > 0:
            return 1
        if x.b < 0:
            return -1
        raise PrecisionError(f"cannot tell the sign of the argument of {what}")
    return (x > 0) - (x < 0)


def reciprocal(x: Real) -> Real:
    if isinstance(x, Ball):
        sign(x, "a division")
        _note(x)
        return _wrap(1 / x.b)
    if x == 0:
        raise DomainError("division by zero")
    return 1 / fmpq(x)


def exact_root(x: fmpq, q: int) -> fmpq | None:
    """The exact ``q``-th root of a nonnegative rational, when it is one."""
    p_root, q_root = x.p.root(q), x.q.root(q)
    if p_root**q == x.p and q_root**q == x.q:
        return fmpq(p_root, q_root)
    return None


def integer_power(base, n: int):
    """``base ** n`` by squaring (any value with ``*``; n may be negative)."""
    if n < 0:
        return integer_power(reciprocal_any(base), -n)
    result, square = ONE, base
    while n:
        if n & 1:
            result = result * square
        n >>= 1
        if n:
            square = square * square
    return result


def reciprocal_any(x):
    """``1 / x`` for a plain value or a jet."""
    if isinstance(x, (Ball, fmpq, int, fmpz)):
        return reciprocal(x)
    return x.reciprocal()


def rational_power(x: Real, r: fmpq) -> Real:
    """``x ** r`` for a plain value and a non-integer rational ``r`` (real only for x >= 0)."""
    s = sign(x, "a power")
    if s < 0:
        raise DomainError(f"power {r} of a negative number")
    if s == 0:
        if r < 0:
            raise DomainError("division by zero (negative power of 0)")
        return ZERO
    if not isinstance(x, Ball):
        root = exact_root(fmpq(x), int(r.q))
        if root is not None:
            return integer_power(root, int(r.p))
    _note(x)
    return _wrap(to_arb(x) ** arb(r))


def sqrt(x: Real) -> Real:
    return rational_power(x, fmpq(1, 2))


def exp(x: Real) -> Real:
    if is_exact_zero(x):
        return ONE
    _note(x)
    return _wrap(to_arb(x).exp())


def log(x: Real) -> Real:
    if sign(x, "a logarithm") <= 0:
        raise DomainError("logarithm of a number <= 0")
    if not isinstance(x, Ball) and x == 1:
        return ZERO
    _note(x)
    return _wrap(to_arb(x).log())


def tanh(x: Real) -> Real:
    if is_exact_zero(x):
        return ZERO
    _note(x)
    # 1 - |tanh u| is about 2^(1 - 2.89 |u|): the step can express that much.
    u = abs(to_arb(x))
    if u.upper() < 2 * MAX_MAGNITUDE:
        STATE.recorder.note(-int(TANH_BITS * float(u.upper())) - 2)
    else:
        raise PrecisionError("tanh saturates beyond what can be evaluated", redraw=True)
    return _wrap(to_arb(x).tanh())


def applied(x: Real, method) -> Ball:
    """``method`` (an ``arb`` to an ``arb``) at ``x``, as a ball: both magnitudes recorded,
    an infinite result (a function evaluated past what the precision can tell) redrawn."""
    _note(x)
    return _wrap(method(to_arb(x)))


def recorded(b: arb) -> Ball:
    """An ``arb`` computed elsewhere (a series coefficient) as a ball, its magnitude recorded."""
    return _wrap(b)


def const_e() -> Ball:
    return _wrap(arb.const_e())


def const_pi() -> Ball:
    return _wrap(arb.pi())


def show(x: object) -> str:
    """A value as a reader wants to see it: an exact rational, or certified digits."""
    if isinstance(x, (fmpq, int, fmpz)):
        x = fmpq(x)
        if max(x.p.bit_length(), x.q.bit_length()) < 180:
            return str(x)
        return "about " + arb(x).str(20, radius=False)
    if isinstance(x, Ball):
        return x.b.str(20)
    return str(x)

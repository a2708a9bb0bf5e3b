"""Time budgets, enforced with a real-time interval timer.

Steps run SymPy, which can be slow on unlucky input; a budget stops the
step (or one part of it: the symbolic proof), not the run.  Budgets nest:
an inner budget never outlives the one around it, and when it ends the
outer one resumes with the time it had left.  The timer only works in the
main thread (signals), so elsewhere a budget is not enforced (documented in
docs/deciding.md).
"""

from __future__ import annotations

import _signal
import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class StepTimeout(BaseException):
    """The step's budget ran out.

    A ``BaseException`` so that no ``except Exception`` inside SymPy or the
    engine can swallow it.
    """


class PartTimeout(StepTimeout):
    """The budget of one part of a step (the symbolic proof) ran out."""


class _Expired:
    """How many budgets of a part of a step ran out in this process (in the main thread, the only
    one where budgets run): a step decided while one did may be decided otherwise by a faster run."""

    parts = 0


EXPIRED = _Expired()


#: The longest budget the timer is set to (a year): a budget of 1e300 s overflowed the timer.
LONGEST = 365 * 24 * 3600.0


def budget_seconds(value: object, what: str = "timeout", optional: bool = True) -> float | None:
    """A budget a caller gave: a finite number of seconds above 0, or None (no budget) when
    ``optional``; else a :class:`TypeError` or :class:`ValueError` naming ``what`` (NaN,
    infinity, 0 and negative budgets are refused, as the command line refuses them)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} is a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        either = " (or None)" if optional else ""
        raise ValueError(f"{what} must be a finite number of seconds greater than 0{either}, not {value!r}")
    return float(value)


def seed_number(value: object) -> int:
    """A random seed a caller gave: a whole number from 0, as on the command line (``--seed``); else a
    :class:`TypeError` (a string, a float, a bool) or :class:`ValueError` (a negative number).  The seed
    is part of a result's cache key and of a counterexample's reproduce line: ``"3"`` or ``3.0`` would
    draw as something else than the ``--seed 3`` the report tells the reader to rerun with."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"seed is a whole number, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"seed must be 0 or more, not {value}")
    return value


def budgets_work() -> bool:
    """Whether a budget can be enforced here (POSIX timer, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None, expired: type[StepTimeout] = StepTimeout) -> Iterator[None]:
    """Raise ``expired`` in the block once ``seconds`` have passed.

    Inside another budget that ends sooner, the outer one stays in charge
    (its exception is the one raised).
    """
    if seconds is None or seconds <= 0 or not budgets_work():
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left <= seconds:
        yield
        return

    def expire(_signum, _frame):  # a signal handler's signature
        if expired is not StepTimeout:
            EXPIRED.parts += 1
        raise expired()

    seconds = min(seconds, LONGEST)
    started = time.monotonic()
    # The C function under signal.signal, whose wrapper turns every handler into an enum for ten
    # times the cost of the call (several budgets a step); the handler put back is the one read.
    previous = _signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _signal.signal(signal.SIGALRM, previous)
        if outer_left:
            # The outer budget resumes with what it had left (at least a
            # moment, so an overdue one still fires).
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 1e-4))

"""A time budget for one step, enforced with a real-time interval timer.

Steps run SymPy, which can be slow on unlucky input; the budget stops the
step, not the run.  The timer only works in the main thread (signals), so
elsewhere the budget is not enforced (documented in the README).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class StepTimeout(BaseException):
    """The step's budget ran out.

    A ``BaseException`` so that no ``except Exception`` inside SymPy or the
    engine can swallow it.
    """


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`StepTimeout` in the block once ``seconds`` have passed."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):  # noqa: ARG001 - signal handler signature
        raise StepTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

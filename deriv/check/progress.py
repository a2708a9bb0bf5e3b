"""Where the checking of a document is, for a parent that may kill it.

The worker process writes its position (display, phase, member) into
shared memory before each phase that may take long; the supervising parent
(:mod:`deriv.check.isolate`) reads it when it has to kill the worker, and
tells the next worker which phase to skip (a :class:`Stop`).  In-process
checking uses :class:`Progress` without shared memory: it costs nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from deriv.errors import DerivError
from deriv.results import Verdict

#: Phases; REPAIR is the search for verified repairs of a failing step, RESTATE
#: the search for a verified matrix form of a chain's end.
READ, CONTEXT, PARSE, BUILD, DECIDE, REPAIR, RESTATE = range(7)
#: How far apart the members of two results of one display are numbered.
PART = 10_000


@dataclass(frozen=True)
class Stop:
    """A phase not to run again (it was killed or crashed): its verdict instead."""

    kind: int
    member: int
    verdict: Verdict
    message: str


class StoppedError(DerivError):
    """A member that is not built: the verdict its step gets (timeout, error)."""

    def __init__(self, message: str, verdict: Verdict = Verdict.TIMEOUT) -> None:
        super().__init__(message)
        self.verdict = verdict


class Progress:
    """Position and limits of one document's checking.

    ``shared`` is a 4-slot integer array (display, phase, member, tick) in
    memory the parent can read; ``stops`` maps a display index to the phase
    of it not to run; displays before ``replay_until`` are only rebuilt (a
    restarted worker recovering the chain state), not decided or reported.
    """

    def __init__(self, shared=None, stops: dict[int, Stop] | None = None, replay_until: int = 0,
                 deadline: float | None = None, document_timeout: float | None = None) -> None:
        self.shared = shared
        self.stops = stops or {}
        self.replay_until = replay_until
        self.deadline = deadline
        self.document_timeout = document_timeout
        #: Which result of a display with several is being checked (0: the first, or the only one).
        self.part = 0

    def at(self, display: int, kind: int, member: int = 0) -> Stop | None:
        """Record the position; the stop for it, if it must not run.  Members
        of the display's result ``part`` (:mod:`deriv.check.several`) are
        numbered apart, so that a stop in one result never stops another."""
        member += self.part * PART
        shared = self.shared
        if shared is not None:
            shared[0], shared[1], shared[2] = display, kind, member
            shared[3] += 1
        stop = self.stops.get(display)
        if stop is not None and stop.kind == kind and (
            stop.member == member or (kind == PARSE and stop.member // PART == self.part)
        ):
            return stop
        return None

    def left(self) -> float | None:
        """Seconds left of the document's budget (None: unlimited)."""
        return None if self.deadline is None else self.deadline - time.monotonic()

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def expired_message(self) -> str:
        return f"not checked: the document's budget of {self.document_timeout:g} s ran out"


def budget(step: float | None, progress: Progress) -> float | None:
    """A step's budget, never past the document's."""
    left = progress.left()
    if left is None:
        return step
    left = max(left, 1e-3)
    return left if step is None or step <= 0 else min(step, left)

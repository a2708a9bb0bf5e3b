"""How to check: the options every part of the check stage reads.

Its own module so that the run over files (:mod:`deriv.check.checker`) and
the chain checker (:mod:`deriv.check.chains`) can both import it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckOptions:
    """How to check: the random seed, the per-step budget, parallel jobs.

    ``document_timeout`` bounds a whole document (steps past it are reported
    ``timeout``); ``isolate`` checks in a worker process that is killed when a
    budget runs out (budgets then hold in any thread and against C code).
    """

    seed: int = 0
    timeout: float = 10.0
    jobs: int = 1
    document_timeout: float | None = 60.0
    isolate: bool = True

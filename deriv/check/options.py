"""How to check: the options every part of the check stage reads.

Its own module so that the run over files (:mod:`deriv.check.checker`) and
the chain checker (:mod:`deriv.check.chains`) can both import it without
importing each other.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

from deriv.budget import budget_seconds, seed_number

#: Allocations between collections of a checking process's youngest generation
#: (Python's default is 700): see :func:`collect_rarely`.
YOUNG_COLLECTION = 50_000


def collect_rarely() -> None:
    """For a process that only checks (the program, a worker): SymPy's and deriv's imports
    and the check allocate objects by the hundred thousand, nearly all of them kept to the
    end (modules, remembered forms and values) or freed by reference counting, so the
    cycle collector's young collections found little and cost about 4% of checking
    ``derivations/`` and some 40 ms of importing (benchmarks/README.md)."""
    gc.set_threshold(YOUNG_COLLECTION, 10, 10)


@dataclass(frozen=True)
class CheckOptions:
    """How to check: the random seed, the per-step budget, parallel jobs.

    ``decide=False`` reads and builds everything but decides no step: each
    step that would be decided comes back ``skipped`` ("not decided"), every
    other result (errors, skips) is as in a full check.  That is a
    document's plan: its steps in order, cheaply (the pytest plugin collects
    one item per step from it).

    ``document_timeout`` bounds a whole document (steps past it are reported
    ``timeout``); ``isolate`` checks in a worker process that is killed when a
    budget runs out (budgets then hold in any thread and against C code).
    ``suggest`` searches small repairs of a failing step's later member
    (:mod:`deriv.check.repair`) and reports those the engine verifies.
    """

    seed: int = 0
    timeout: float = 10.0
    jobs: int = 1
    decide: bool = True
    document_timeout: float | None = 60.0
    isolate: bool = True
    #: Search verified repairs for refuted steps and shape or index errors.
    suggest: bool = True
    #: The text is generated (a batch item): the ``given`` declarations are its problem, and a
    #: text that changes it (:mod:`deriv.read.generated`) is a file error -- found in the worker,
    #: under the item's budget.
    generated: bool = False
    #: The quantity a ``generated`` text's problem asks for (LaTeX, read with the given declarations):
    #: each final answer is then checked as the step ``quantity = answer`` (:mod:`deriv.check.quantity`).
    quantity: str | None = None

    def __post_init__(self) -> None:
        seed_number(self.seed)
        if self.quantity is not None and not isinstance(self.quantity, str):
            raise TypeError(f"quantity is LaTeX (a string), not {type(self.quantity).__name__}")
        if self.quantity is not None and not self.generated:
            raise ValueError("quantity is what a generated text's final answer must equal: it needs generated=True")
        budget_seconds(self.timeout, "timeout", optional=False)
        budget_seconds(self.document_timeout, "document_timeout")

"""Steps decided while a part of their search ran out of its own seconds: their message says so.

In: a decision and the count of part budgets run out (:data:`deriv.budget.EXPIRED`) before it
was made.  Out: the decision, its message noting the cut when a part ran out meanwhile and the
verdict is one a faster run could change (``tested``, ``undecided``; a proof or a certified
counterexample holds however it was found).  The search for the points where two sides meet
stops silently after its few seconds: on a loaded machine a step it would refute is tested.
The note says so to the reader, and makes the result cache (:mod:`deriv.cache`) keep no such
result: a later, faster run must not be answered with it.
"""

from __future__ import annotations

from dataclasses import replace

from deriv.budget import EXPIRED
from deriv.engine.decide import Decision
from deriv.results import Verdict

#: What the note says; "ran out" is what the cache looks for.
NOTE = "a part of the search ran out of its own seconds: a faster run may decide more"


def clock_mark() -> int:
    """The count to compare with once the step is decided."""
    return EXPIRED.parts


def noted(decision: Decision, mark: int) -> Decision:
    if EXPIRED.parts == mark or decision.verdict not in (Verdict.TESTED, Verdict.UNDECIDED) or "ran out" in decision.message:
        return decision
    message = f"{decision.message} ({NOTE})" if decision.message else NOTE
    return replace(decision, message=message)

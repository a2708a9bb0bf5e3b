"""Verified repair suggestions for a failing step.

In: the syntax tree of the member that made a step fail (refuted, or an
error because its shape or free indices disagree with the chain), the
member before it, the chain's free indices and the counterexample.  Out:
:class:`~deriv.results.Suggestion` objects, best first.

Candidates come from :func:`deriv.latex.repairs.repairs` (cheapest first).
Each is rendered to LaTeX, and that LaTeX -- exactly what the author would
paste -- is parsed, built and decided like the step's member by the chain
checker (``attempt``).  Only ``proved`` and ``tested`` are kept: a
suggestion is a claim the engine backs, never a guess.  The search is
bounded: a number of candidates, a few found, and a time budget per step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from deriv.budget import StepTimeout, time_budget
from deriv.context import Context
from deriv.errors import DerivError
from deriv.latex.ast import Node
from deriv.latex.lexicon import PLAIN, Lexicon
from deriv.latex.parser import parse_display
from deriv.latex.repairs import free_names, repairs
from deriv.meaning.builder import Builder
from deriv.results import Counterexample, Suggestion, Verdict

#: Seconds the whole search of one step may take.
REPAIR_SECONDS = 8.0
#: Seconds one candidate may take to be built and decided.
CANDIDATE_SECONDS = 3.0
#: Candidates tried per step, at most.
MAX_CANDIDATES = 48
#: Suggestions reported per step, at most.
MAX_SUGGESTIONS = 3
#: The only verdicts a suggestion may carry.
HOLDS = frozenset({Verdict.PROVED, Verdict.TESTED})


#: A document's repair searches take at most this share of its budget ...
DOCUMENT_SHARE = 0.25
#: ... and this many seconds, over at most this many steps: a document of
#: many wrong steps is still checked in full before its budget runs out.
DOCUMENT_SECONDS = 60.0
MAX_REPAIRED_STEPS = 100


class Allowance:
    """What is left of one document's time and steps for repair searches."""

    def __init__(self, document_timeout: float | None) -> None:
        share = DOCUMENT_SHARE * document_timeout if document_timeout else DOCUMENT_SECONDS
        self.seconds = min(DOCUMENT_SECONDS, share)
        self.steps = MAX_REPAIRED_STEPS


@dataclass(frozen=True)
class Failure:
    """What the search starts from."""

    node: Node  # the failing member's syntax tree
    previous: Node | None  # the member before it
    free: tuple[str, ...]  # the chain's free indices, in order
    ratio: Fraction | None  # left side / right side where the tests saw them differ
    #: The lexicon the member was read with (declared words, macros): a repair
    #: renders a word as ``\mathrm{lr}``, and must read back as it.
    lexicon: Lexicon = PLAIN
    #: The document's declarations: which subexpressions are scalars (a repair never transposes one).
    context: Context | None = None


def ratio_of(counterexample: Counterexample | None) -> Fraction | None:
    """The exact ratio of the two sides' values, when both are exact nonzero rationals."""
    if counterexample is None or counterexample.precision != "exact" or counterexample.note:
        return None
    try:
        left, right = Fraction(counterexample.lhs_value), Fraction(counterexample.rhs_value)
    except (ValueError, ZeroDivisionError):
        return None
    return left / right if left and right else None


def scalar_test(context: Context | None) -> Callable[[Node], bool]:
    """Whether a subexpression builds to a scalar in ``context`` (not built, or no context: no)."""
    known: dict[Node, bool] = {}

    def scalar(node: Node) -> bool:
        if context is None:
            return False
        try:
            return known[node]
        except KeyError:
            pass
        except TypeError:  # an unhashable tree: asked again
            return _builds_to_scalar(node, context)
        known[node] = _builds_to_scalar(node, context)
        return known[node]

    return scalar


def _builds_to_scalar(node: Node, context: Context) -> bool:
    try:
        return Builder(context).build(node).is_scalar
    except (Exception, RecursionError):  # noqa: BLE001 - a piece that does not build is not known to be a scalar
        return False


def member_of(latex: str, lexicon: Lexicon = PLAIN) -> Node | None:
    """The one member ``latex`` parses to (None: it does not read back as one)."""
    try:
        syntax, _ = parse_display(latex, lexicon)
    except DerivError:
        return None
    return syntax.members[0] if syntax.leading is None and len(syntax.members) == 1 else None


def search(failure: Failure, attempt: Callable[[Node, str], Verdict], going: Callable[[], bool],
           allowance: Allowance | None = None, session=None) -> tuple[Suggestion, ...]:
    """The repairs ``attempt`` finds to hold, cheapest first.

    ``attempt(node, latex)`` builds and decides the step with ``node``
    (parsed from ``latex``, the text shown) as its member; ``going()`` is
    False once the checker must stop (its budget).  ``allowance`` is the
    document's, and is charged for the time taken.  The engine ``session``
    the candidates are decided in does not shrink their counterexamples
    (only a verdict is wanted).
    """
    allowance = allowance or Allowance(None)
    if allowance.steps <= 0 or allowance.seconds <= 0:
        return ()
    allowance.steps -= 1
    started = time.monotonic()
    shrinking = session is not None and session.shrink
    if session is not None:
        session.shrink = False
    try:
        return _search(failure, attempt, going, started + min(REPAIR_SECONDS, allowance.seconds))
    except (Exception, RecursionError):  # noqa: BLE001 - a failed search must never cost the step its verdict
        return ()
    finally:
        allowance.seconds -= time.monotonic() - started
        if session is not None:
            session.shrink = shrinking


def _search(failure: Failure, attempt: Callable[[Node, str], Verdict], going: Callable[[], bool],
            deadline: float) -> tuple[Suggestion, ...]:
    extra = tuple(n for n in free_names(failure.node) if n not in failure.free)
    found: list[Suggestion] = []
    done: set[tuple[str, str]] = set()  # (kind, detail) already suggested: one rendering each
    candidates = repairs(failure.node, free=failure.free, extra=extra, previous=failure.previous,
                         ratio=failure.ratio, scalar=scalar_test(failure.context))
    for count, candidate in enumerate(candidates):
        left = deadline - time.monotonic()
        if count >= MAX_CANDIDATES or len(found) >= MAX_SUGGESTIONS or left <= 0 or not going():
            break
        if (candidate.kind, candidate.detail) in done:
            continue
        node = member_of(candidate.latex, failure.lexicon)  # what is shown is what is decided
        if node is None:
            continue
        try:
            with time_budget(min(CANDIDATE_SECONDS, left)):
                verdict = attempt(node, candidate.latex)
        except StepTimeout:
            continue
        if verdict in HOLDS:
            done.add((candidate.kind, candidate.detail))
            found.append(Suggestion(candidate.kind, candidate.latex, verdict, candidate.detail))
    return tuple(found)

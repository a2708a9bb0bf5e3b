"""What a document has established so far, for the claims after it.

A step that is ``proved`` becomes a fact: an equality ``a = b`` is ``a - b =
0``, a claim ``a > b`` is ``a - b > 0``.  Along a chain whose steps are all
proved equalities, the first member equals every later one, so ``x^T H x =
x^T \\lambda x = \\lambda \\|x\\|^2`` also establishes ``x^T H x = \\lambda
\\|x\\|^2``.  Only proved steps count (never ``tested``, never an
``expect-fail`` display), and facts are used only by the sign reasoning of
later claims (:mod:`deriv.engine.signs`), whose proofs the tester still checks.

A local assumption (``<!-- deriv: assume ... -->``) is built here into the
same index form as a front-matter one.
"""

from __future__ import annotations

import dataclasses

from sympy import Expr, Symbol

from deriv.budget import StepTimeout, time_budget
from deriv.check.chain_state import Step
from deriv.check.options import CheckOptions
from deriv.check.progress import Progress, budget
from deriv.context import Constraint, Context
from deriv.errors import DerivError
from deriv.ir import text
from deriv.meaning.assumptions import build_constraint
from deriv.read.directives import Directive
from deriv.read.document import Display
from deriv.results import Verdict


class Established:
    """Proved steps, as facts, in document order."""

    def __init__(self) -> None:
        self._facts: list[Constraint] = []
        #: Steps recorded but not yet made into facts: only a later claim reads
        #: them, and ``a - b`` of two members is a costly SymPy sum to build on
        #: every proved step of a document that makes no claim.
        self._pending: list[tuple] = []
        #: The first member of a run of proved equalities, and the member it has reached.
        self.anchor: tuple[Expr, str] | None = None
        self.last: tuple[Expr, str] | None = None

    @property
    def facts(self) -> list[Constraint]:
        """The facts in document order (the list itself: a statement appends to it)."""
        if self._pending:
            made = [_fact(*step) for step in self._pending]  # all or none, should one fail
            self._pending = []
            self._facts.extend(made)
        return self._facts

    def start(self, expr: Expr | None, source: str) -> None:
        """A new chain starts at this member."""
        self.anchor = self.last = (expr, source) if expr is not None else None

    def record(self, relation: str, left, right, ranges: dict[Symbol, Expr], verdict: Verdict, line: int) -> None:
        """One decided step (members with ``expr`` and ``source``)."""
        lhs, rhs = (left.expr, left.source), (right.expr, right.source)
        if verdict is not Verdict.PROVED:
            self.anchor = self.last = None
            return
        self._add(relation, lhs, rhs, ranges, line)
        if relation != "=":
            self.anchor = self.last = None
            return
        # Only a step that starts where the run of proved equalities ended
        # extends it (after a `continue` or an expect-fail display, the chain
        # goes on from elsewhere): then the first member equals this one too.
        if self.anchor is not None and self.last is not None and self.last[0] == lhs[0]:
            if self.anchor[0] != lhs[0]:
                self._add("=", self.anchor, rhs, ranges, line)
        else:
            self.anchor = lhs
        self.last = rhs

    def _add(self, relation: str, lhs: tuple[Expr, str], rhs: tuple[Expr, str], ranges, line: int) -> None:
        self._pending.append((relation, lhs, rhs, dict(ranges), line))


def _fact(relation: str, lhs: tuple[Expr, str], rhs: tuple[Expr, str], ranges, line: int) -> Constraint:
    free = tuple(sorted(ranges, key=text))
    relation = relation if relation != "==" else "="
    return Constraint(f"{lhs[1]} {_LATEX.get(relation, relation)} {rhs[1]}", relation,
                      lhs[0] - rhs[0], free, tuple((s, ranges[s]) for s in free), line)


_LATEX = {">=": "\\geq", "<=": "\\leq", "!=": "\\neq"}


def assume(context: Context, display: Display, directive: Directive, options: CheckOptions,
           progress: Progress) -> tuple[Context, Step | None]:
    """``<!-- deriv: assume ... -->``: the context from here on, in which every step is decided under
    it too, and the error to report when it can not be read (None when it was)."""
    try:
        with time_budget(budget(options.timeout, progress)):
            return with_assumption(context, directive.argument, directive.line), None
    except (DerivError, StepTimeout) as error:
        message = error.message if isinstance(error, DerivError) else "building it ran out of time"
        verdict = Verdict.ERROR if isinstance(error, DerivError) else Verdict.TIMEOUT  # not the text's fault
    # Located at the directive's line (its column unknown: the line's start), not the display's.
    failed = Step(dataclasses.replace(display, line=directive.line, text="", column=1), None, "assume", "", directive.argument,
                  verdict, message=f"assumption: {message}")
    # Checked without it, a later step could be refuted (or proved) although the author
    # meant it to hold only under it: from here on nothing is decided.
    where = f"{directive.argument} (line {directive.line})" if directive.line else directive.argument
    return dataclasses.replace(context, unread=(*context.unread, where)), failed


#: The verdicts a step after an unreadable assumption can not have.
DECIDED = frozenset({Verdict.PROVED, Verdict.TESTED, Verdict.REFUTED})


def unread(context: Context) -> str | None:
    """Why nothing is decided under ``context`` (an assumption before could not be read), or None."""
    if not context.unread:
        return None
    which = "; ".join(context.unread)
    return f"not decided: it comes after the assumption {which}, which could not be read (see the error there)"


def with_assumption(context: Context, latex: str, line: int) -> Context:
    """``context`` with one more assumption; raises :class:`~deriv.errors.DerivError` when it is not one."""
    constraint = build_constraint(latex, context, line)
    return dataclasses.replace(context, assumptions=[*context.assumptions, constraint])

"""Decide one equality of index expressions, twice over.

First a symbolic proof valid for every size (derivatives by rule,
definitions expanded, deltas contracted, summed indices renamed
canonically).  Then exact random tests at pairwise distinct sizes, with
derivatives taken numerically.  A proof gives ``proved``; a concrete
mismatch gives ``refuted`` with a counterexample -- even against a proof,
since a counterexample is checkable and a proof engine can have bugs;
agreement on tests alone gives the weaker ``tested``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import sympy
from sympy import Expr, Symbol

from deriv.context import Context
from deriv.engine import numbers
from deriv.engine.compiler import Compiler
from deriv.engine.differentiate import evaluate_partials, expand_definitions
from deriv.engine.instances import ATTEMPTS, Evaluator, Instance
from deriv.engine.normal import Normalizer, constant_difference, difference
from deriv.errors import UnsupportedError
from deriv.results import Counterexample, Verdict

#: Random trials, each at its own pairwise distinct sizes.
TRIALS = 3
#: Free-index values a proved step is still tested at.
SANITY_POINTS = 6


@dataclass(frozen=True)
class Decision:
    """The engine's answer for one equality."""

    verdict: Verdict
    method: str
    message: str = ""
    counterexample: Counterexample | None = None


@dataclass(frozen=True)
class TestOutcome:
    """What random testing found: agreement, a counterexample, or nothing usable."""

    agreed: bool
    counterexample: Counterexample | None = None
    inexact: bool = False
    unsupported: str | None = None


def as_expr(value: object) -> Expr:
    """A SymPy expression for an expression or a plain number (never a string)."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, (int, Fraction)):
        return sympy.Rational(value.numerator, value.denominator) if isinstance(value, Fraction) else sympy.Integer(value)
    raise TypeError(f"expected a SymPy expression or a number, not {type(value).__name__}")


def symbolic_form(expr: Expr, context: Context) -> Expr:
    """Derivatives evaluated and definitions expanded."""
    return expand_definitions(evaluate_partials(expr, context), context)


class Session:
    """What the steps of one document share: compiled closures, normal forms,
    random instances and the values members take there.

    Each member of a chain is compared twice (with the member before and
    the member after), so remembering its normal form and its values
    halves the work.
    """

    def __init__(self, context: Context, seed: int = 0) -> None:
        self.context = context
        self.seed = seed
        self.compiler = Compiler(context)
        self._forms: dict[object, object] = {}
        self._tables: dict[object, dict] = {}
        self._evaluators: dict[tuple[int, bool], Evaluator] = {}

    def normal_form(self, expr: Expr, ranges: Mapping[Symbol, Expr]):
        key = (expr, tuple(sorted(ranges.items(), key=str)))
        if key not in self._forms:
            normalizer = Normalizer(ranges, self.context.symmetric_names())
            self._forms[key] = normalizer.normal_form(symbolic_form(expr, self.context))
        return self._forms[key]

    def evaluator(self, trial: int, attempt: int) -> Evaluator:
        key = (trial, attempt)
        if key not in self._evaluators:
            self._evaluators[key] = Evaluator(Instance(self.context, self.seed, trial, attempt), self.compiler)
        return self._evaluators[key]

    def points(self, trial: int, attempt: int, free: tuple[Symbol, ...], ranges, limit: int | None = None) -> list:
        """Free-index values to compare at: all of them, or ``limit`` spread evenly."""
        instance = self.evaluator(trial, attempt).instance
        every = list(itertools.product(*(range(instance.size(ranges[i])) for i in free)))
        if limit is None or len(every) <= limit:
            return every
        step = (len(every) - 1) / (limit - 1)
        return [every[round(k * step)] for k in range(limit)]

    def values(self, expr: Expr, trial: int, attempt: int, free: tuple[Symbol, ...], points: list) -> list:
        """The values of ``expr`` at the given free-index values."""
        table = self._tables.setdefault((expr, trial, attempt, free), {})
        missing = [p for p in points if p not in table]
        if missing:
            compiled = self.compiler.compile(expr)
            evaluator = self.evaluator(trial, attempt)
            for point in missing:
                evaluator.bindings = dict(zip(free, point))
                table[point] = compiled(evaluator)
        return [table[p] for p in points]


def symbolic_difference(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr], session: Session | None = None) -> dict:
    """The terms where the normal forms of the two sides disagree (empty: proved)."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context)
    return difference(session.normal_form(lhs, ranges), session.normal_form(rhs, ranges))


def prove_equal(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr], session: Session | None = None) -> bool:
    """True when the two are equal for every size; False means *not shown*."""
    return not symbolic_difference(lhs, rhs, context, ranges, session)


def test_equal(
    lhs: Expr,
    rhs: Expr,
    context: Context,
    ranges: Mapping[Symbol, Expr],
    *,
    trials: int = TRIALS,
    limit: int | None = None,
    session: Session | None = None,
) -> TestOutcome:
    """Compare the two at every free-index value of random instances."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context)
    free = tuple(sorted(ranges, key=str))
    inexact = False
    for trial in range(trials):
        outcome = None
        for attempt in range(ATTEMPTS):
            try:
                points = session.points(trial, attempt, free, ranges, limit)
                left = session.values(lhs, trial, attempt, free, points)
                right = session.values(rhs, trial, attempt, free, points)
            except (numbers.DomainError, ZeroDivisionError):
                continue
            except UnsupportedError as error:
                return TestOutcome(False, unsupported=error.message)
            except RecursionError:
                return TestOutcome(False, unsupported="expression nested too deeply to test")
            except (OverflowError, ValueError, MemoryError):
                return TestOutcome(False, unsupported="values too large to test")
            outcome = _compare(points, left, right, session.evaluator(trial, attempt).instance, free)
            break
        if outcome is None:
            return TestOutcome(False, unsupported="no random instance stayed inside the functions' domains")
        if isinstance(outcome, Counterexample):
            return TestOutcome(False, counterexample=outcome)
        inexact = inexact or outcome
    return TestOutcome(True, inexact=inexact)


def _compare(points: list, left: list, right: list, instance: Instance, free) -> Counterexample | bool:
    """A counterexample, or whether any compared value was inexact."""
    inexact = False
    for point, a, b in zip(points, left, right):
        if not numbers.close(a, b):
            return _counterexample(instance, free, point, a, b)
        inexact = inexact or not (numbers.is_exact(a) and numbers.is_exact(b))
    return inexact


def _counterexample(instance: Instance, free, point, a, b) -> Counterexample:
    """The two sides' values at one point of one instance, for a reader."""
    return Counterexample(
        sizes=tuple((str(s), v) for s, v in instance.sizes.items()),
        indices=tuple((str(i), v + 1) for i, v in zip(free, point)),
        lhs_value=numbers.show(a),
        rhs_value=numbers.show(b),
        seed=instance.seed,
        trial=instance.trial,
        tolerance=None if numbers.is_exact(a) and numbers.is_exact(b) else numbers.TOLERANCE_TEXT,
    )


def _first_values(lhs: Expr, rhs: Expr, ranges, session: Session) -> Counterexample | None:
    """Both sides at the first random point, to show alongside a symbolic refutation."""
    free = tuple(sorted(ranges, key=str))
    try:
        points = session.points(0, 0, free, ranges, 1)
        (a,), (b,) = session.values(lhs, 0, 0, free, points), session.values(rhs, 0, 0, free, points)
    except Exception:  # noqa: BLE001 - the refutation stands without the illustration
        return None
    return _counterexample(session.evaluator(0, 0).instance, free, points[0], a, b)


def decide_equal(
    lhs: Expr,
    rhs: Expr,
    context: Context,
    ranges: Mapping[Symbol, Expr],
    *,
    seed: int = 0,
    session: Session | None = None,
) -> Decision:
    """``proved``, ``tested``, ``refuted`` or ``undecided`` for ``lhs = rhs``."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context, seed)
    offset = None
    try:
        remaining = symbolic_difference(lhs, rhs, context, ranges, session)
        proved, why_not = not remaining, ""
        offset = constant_difference(remaining)
    except UnsupportedError as error:
        proved, why_not = False, error.message
    except RecursionError:
        proved, why_not = False, "expression nested too deeply for the symbolic engine"
    # After a proof, one trial at a few index values is a sanity check on the
    # proof engine; without a proof, testing is the evidence: every trial,
    # every index value.
    if proved:
        outcome = test_equal(lhs, rhs, context, ranges, trials=1, limit=SANITY_POINTS, session=session)
    else:
        outcome = test_equal(lhs, rhs, context, ranges, session=session)
    if outcome.counterexample is not None:
        message = "the two sides differ"
        if proved:
            message += " (although the symbolic engine found them equal: please report this)"
        return Decision(Verdict.REFUTED, "random", message, outcome.counterexample)
    if proved:
        return Decision(Verdict.PROVED, "symbolic")
    if offset is not None:
        example = _first_values(lhs, rhs, ranges, session)
        return Decision(Verdict.REFUTED, "symbolic", f"the two sides differ by exactly {offset} everywhere", example)
    if outcome.agreed:
        note = " (to 50 digits)" if outcome.inexact else " exactly"
        message = f"equal{note} at {TRIALS} random instances with distinct sizes; not proved symbolically"
        if why_not:
            message += f" ({why_not})"
        return Decision(Verdict.TESTED, "random", message)
    reasons = "; ".join(r for r in (why_not, outcome.unsupported) if r)
    return Decision(Verdict.UNDECIDED, "none", f"could not decide: {reasons or 'no method applied'}")

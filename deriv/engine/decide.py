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

import functools
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import sympy
from sympy import Expr, Symbol

from deriv.budget import PartTimeout, time_budget
from deriv.context import Context
from deriv.engine import certified
from deriv.engine.compare import (
    Evaluated,
    InstanceResult,
    compare_points,
    counterexample_of,
    evaluate,
    margin_of,
    next_precision,
    shown_values,
)
from deriv.engine.assumptions import Unsatisfied, assumed_names, impose, presupposed
from deriv.engine.compiler import Compiler
from deriv.engine.rules import Rewriting, rewrite, rewriting
from deriv.engine.differentiate import evaluate_partials, expand_definitions
from deriv.engine.recurrence import unrolled
from deriv.engine.instances import ATTEMPTS, Evaluator, Instance
from deriv.engine.matrix_values import SINGULAR
from deriv.engine.minimums import least_sizes, stating_least
from deriv.engine.patterns import sign_trials
from deriv.engine.shrink import shrink
from deriv.engine.size_meetings import meeting_sizes
from deriv.engine.size_points import nonzero_sizes
from deriv.engine.zero_points import zero_refutation
from deriv.engine.kinks import every_choice, kink_refutation
from deriv.engine.domains import NO_DOMAINS, Domains, angle_point, domain_refutation, gap_message, guarded, presupposing
from deriv.engine.square_boundaries import boundary_counterexample
from deriv.engine.plan import base_assignment, sizes_text, spread, step_plan
from deriv.engine.node_kinds import rationals
from deriv.engine.normal import Normalizer, constant_difference
from deriv.engine.numeric_ranges import entrywise_difference, numeric_note
from deriv.errors import UnsupportedError, swallowed
from deriv.names import Kind
from deriv.results import Counterexample, Verdict
from deriv.ir import text

#: The symbolic proof's share of a step's time: past it, the step is left to
#: the random tests (which are bounded by their sizes and precision).  Wall-clock
#: time: 5 s leaves twice the time the heaviest bundled proof takes (a GRU gate,
#: about 2.4 s on a loaded host), so load does not turn it into ``tested``.
SYMBOLIC_SECONDS = 5.0
#: The trial number of the instance drawn where the sizes alone make the sides differ
#: (its own draws; below the special trials of :mod:`deriv.engine.assumptions`).
SIZE_POINT_TRIAL = 500


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
    #: How many instances agreed, at which size assignments, at what precision.
    instances: int = 0
    sizes: str = ""
    precision: int = 0
    #: Why agreement at those sizes does not cover every size ("" when it does).
    uncovered: str = ""


def as_expr(value: object) -> Expr:
    """A SymPy expression for an expression or a plain number (never a string)."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, (int, Fraction)):
        return sympy.Rational(value.numerator, value.denominator) if isinstance(value, Fraction) else sympy.Integer(value)
    raise TypeError(f"expected a SymPy expression or a number, not {type(value).__name__}")


def symbolic_form(expr: Expr, context: Context, memo: tuple[dict, dict] | None = None) -> Expr:
    """Derivatives evaluated and definitions expanded (``memo``: two dicts that
    remember both, for one context)."""
    partials, expanded = memo if memo is not None else ({}, {})
    return unrolled(expand_definitions(evaluate_partials(expr, context, partials), context, expanded), context)


class Session:
    """What the steps of one document share: compiled closures, normal forms,
    random instances and the values members take there.

    Each member of a chain is compared twice (with the member before and
    the member after), so remembering its normal form and its values
    halves the work.  Instances are keyed by trial, sizes and attempt;
    evaluators additionally by precision.
    """

    def __init__(self, context: Context, seed: int = 0) -> None:
        self.context = context
        self.seed = seed
        self.compiler = Compiler(context)
        self._forms: dict[object, tuple[Any, list]] = {}
        #: Shared by a chain's members, which share most subexpressions: derivatives evaluated
        #: and definitions expanded, canonical matrix arguments, constants written.
        self._symbolic: tuple[dict, dict] = ({}, {})
        self._matrices: dict = {}
        self._tables: dict[object, dict] = {}
        self._instances: dict[tuple, Instance] = {}
        self._evaluators: dict[tuple, Evaluator] = {}
        self._constants: frozenset | None = None
        self._written: dict[Expr, frozenset] = {}
        self._rules: Rewriting | None = None
        #: The sizes each definition and member involves (:func:`~deriv.engine.sizes.involved_sizes`).
        self.involved: dict[object, frozenset] = {}
        #: Which side conditions the sign prover showed (:func:`~deriv.engine.domain_gaps.domains_of`).
        self.domain_proofs: dict = {}
        #: Assumptions a symbolic rewrite used (for the report).
        self.used: set[str] = set()
        #: Counterexamples shrunk so far (:data:`deriv.engine.shrink.MAX_SHRINKS` a document),
        #: and whether to shrink at all (not for the candidates of a repair search).
        self.shrinks = 0
        self.shrink = True

    def normal_form(self, expr: Expr, ranges: Mapping[Symbol, Expr], least: Mapping[Symbol, int] | None = None):
        key = (expr, tuple(sorted(ranges.items(), key=text)), tuple(sorted((least or {}).items(), key=text)))
        if key not in self._forms:
            symmetric = self.context.symmetric_names()
            normalizer = Normalizer(ranges, symmetric, self._matrices, least)
            rewriting = self.rules()
            expanded, used = rewriting.substitution.apply(symbolic_form(expr, self.context, self._symbolic))
            form = normalizer.normal_form(expanded)
            if rewriting.rules:
                form, applied = rewrite(form, rewriting.rules, lambda e: Normalizer(ranges, symmetric).normal_form(e))
                used = list(dict.fromkeys(used + applied))
            self._forms[key] = (form, used)
        form, used = self._forms[key]
        self.used.update(used)
        return form

    def rules(self) -> Rewriting:
        """The document's equation assumptions as substitutions and rewrite rules (those that make one)."""
        if self._rules is None:
            equations = [c for c in self.context.assumptions if c.relation == "="]
            scalars = {n: d.positive for n, d in self.context.declared.items() if d.kind == Kind.SCALAR}
            self._rules = rewriting(equations, lambda e: symbolic_form(e, self.context), Normalizer,
                                    self.context.symmetric_names(), scalars)
        return self._rules

    def instance(self, trial: int, sizes: dict[Symbol, int], attempt: int) -> Instance:
        key = (trial, tuple(sizes.items()), attempt)
        if key not in self._instances:
            instance = Instance(self.context, self.seed, trial, sizes, attempt)
            if self.context.assumptions:
                try:
                    impose(instance, self.compiler)
                except UnsupportedError as error:
                    instance.unsatisfied = error
            self._instances[key] = instance
        instance = self._instances[key]
        if instance.unsatisfied is not None:
            raise instance.unsatisfied
        return instance

    def keep(self, instance: Instance) -> None:
        """Hold an instance made outside :meth:`instance`: evaluators are keyed by its id."""
        self._instances[("kept", id(instance))] = instance

    def evaluator(self, instance: Instance, bits: int) -> Evaluator:
        key = (id(instance), bits)
        if key not in self._evaluators:
            self._evaluators[key] = Evaluator(instance, self.compiler, bits)
        return self._evaluators[key]

    def constants(self, expr: Expr) -> frozenset:
        """The rational numbers written in ``expr`` (their bits set the margin)."""
        found = self._written.get(expr)
        if found is None:
            found = self._written[expr] = rationals(expr)  # remembered per subtree: members share most of theirs
        return found

    def definition_constants(self) -> frozenset:
        if self._constants is None:
            self._constants = frozenset().union(*(self.constants(d.body) for d in self.context.definitions.values()))
        return self._constants

    @staticmethod
    def points(instance: Instance, free: tuple[Symbol, ...], ranges, limit: int | None = None) -> list:
        """Free-index values to compare at: all of them, or ``limit`` of them (:func:`spread`)."""
        every = list(itertools.product(*(range(instance.size(ranges[i])) for i in free)))
        return every if limit is None else spread(every, limit)

    def values(self, expr: Expr, evaluator: Evaluator, free: tuple[Symbol, ...], points: list) -> list[Evaluated]:
        """The values of ``expr`` at the given free-index values (errors as values)."""
        table = self._tables.setdefault((expr, id(evaluator), free), {})
        missing = [p for p in points if p not in table]
        if missing:
            compiled = self.compiler.compile(expr)
            for point in missing:
                evaluator.bindings = dict(zip(free, point))
                table[point] = evaluate(compiled, evaluator)
        return [table[p] for p in points]


def symbolic_difference(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr], session: Session | None = None) -> dict:
    """The terms where the normal forms of the two sides disagree (empty: proved)."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context)
    least = least_sizes((lhs, rhs), context)  # the sizes the step is read at: w_2 needs K >= 2
    return entrywise_difference(lhs, rhs, ranges, lambda e, r: session.normal_form(e, r, least))  # numeric sizes


def prove_equal(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr], session: Session | None = None) -> bool:
    """True when the two are equal for every size; False means *not shown*."""
    return not symbolic_difference(lhs, rhs, context, ranges, session)


def test_equal(
    lhs: Expr,
    rhs: Expr,
    context: Context,
    ranges: Mapping[Symbol, Expr],
    *,
    proved: bool = False,
    session: Session | None = None,
    conditions: tuple = NO_DOMAINS.conditions,
) -> TestOutcome:
    """Compare the two at random instances, at the size assignments of
    :func:`~deriv.engine.sizes.plan` (as many after a proof, fewer index values); each side
    undefined where one of its ``conditions`` fails, so a counterexample is never a point
    where SymPy cancelled a side's undefined part away (:mod:`deriv.engine.domains`)."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context)
    free = tuple(sorted(ranges, key=text))
    signs = sign_trials((lhs, rhs), context)
    schedule = step_plan(lhs, rhs, context, ranges, proved=proved, seed=session.seed, memo=session.involved,
                         minimum=signs, signed=bool(signs))
    constants = session.constants(lhs) | session.constants(rhs) | session.definition_constants()
    margin = margin_of(constants)
    inexact, bits_used, tested = False, 0, []
    for trial in schedule.trials:
        judge = every_choice(session, functools.partial(_compare_instance, session, lhs, rhs, free=free, ranges=ranges,
                                                        limit=trial.limit, margin=margin, conditions=conditions))
        instance, result = drawn_instance(session, trial.number, trial.sizes, judge)
        if result.kind == "refuted" and instance is not None:
            return TestOutcome(False, counterexample=_with_values(counterexample_of(result, instance, free), instance, lhs, rhs))
        if instance is None and result.kind == "redraw" and trial.extra:
            continue  # nothing evaluable at these sizes (both sides undefined at size 1, say): the grid decides
        if instance is None or result.kind == "undecided":
            return TestOutcome(False, unsupported=result.reason)
        inexact = inexact or result.inexact
        bits_used = max(bits_used, result.precision)
        tested.append(trial.sizes)
    judge = every_choice(session, equality_judge(session, lhs, rhs, ranges, conditions, margin))
    found = zero_refutation(session, lhs, rhs, [t.sizes for t in schedule.trials], free, judge)
    if found is None:
        found = kink_refutation(session, lhs, rhs, [t.sizes for t in schedule.trials], free, judge, ranges)
    if found is None:
        found = boundary_counterexample(session, lhs, rhs, tested, judge, lambda r, i: counterexample_of(r, i, free))
    if found is not None:
        return TestOutcome(False, counterexample=found)
    return TestOutcome(True, inexact=inexact, instances=len(tested), sizes=sizes_text(tested), precision=bits_used,
                       uncovered=schedule.why)


def equality_judge(session: Session, lhs: Expr, rhs: Expr, ranges, conditions: tuple = NO_DOMAINS.conditions,
                   margin: int | None = None) -> Callable[[Instance], InstanceResult]:
    """How one instance is judged for ``lhs = rhs`` at every free-index value (:func:`_compare_instance`)."""
    if margin is None:
        margin = margin_of(session.constants(lhs) | session.constants(rhs) | session.definition_constants())
    return functools.partial(_compare_instance, session, lhs, rhs, free=tuple(sorted(ranges, key=text)), ranges=ranges,
                             limit=None, margin=margin, conditions=conditions)


def differ_message(context: Context, note: str = "") -> str:
    """The message of a refuted equality: on an instance that satisfies the assumptions, where."""
    message = "the two sides differ"
    if context.assumptions:
        message += " on an instance that satisfies the assumptions " + "; ".join(c.latex for c in context.assumptions) + " exactly"
    return f"{message}: {note}" if note else message


def _with_values(example: Counterexample, instance: Instance, lhs: Expr, rhs: Expr) -> Counterexample:
    """The counterexample with the values of the names the step reaches, so that one the
    shrinker can not make smaller still shows where the sides differ, not only its seed."""
    names = instance.context.reached(lhs) | instance.context.reached(rhs) | assumed_names(instance.context)
    return replace(example, values=shown_values(instance, None, names))


def drawn_instance(
    session: Session, trial: int, sizes: dict, judge: Callable[[Instance], InstanceResult]
) -> tuple[Instance | None, InstanceResult]:
    """The instance of ``trial`` at ``sizes`` that ``judge`` could use, and its result.

    Attempts are redrawn while the assumptions can not be satisfied or
    ``judge`` asks for a redraw.  ``(None, result)`` means no instance was
    usable (``result.kind`` is ``redraw`` when every attempt was redrawn), or
    testing does not apply; ``result.reason`` says why.
    """
    reasons: list[str] = []
    for attempt in range(ATTEMPTS):
        try:
            instance = session.instance(trial, sizes, attempt)
        except Unsatisfied as error:
            reasons.append(error.message)
            continue
        except UnsupportedError as error:
            return None, InstanceResult("undecided", reason=error.message)
        try:
            result = judge(instance)
        except UnsupportedError as error:
            return None, InstanceResult("undecided", reason=error.message)
        except RecursionError:
            return None, InstanceResult("undecided", reason="expression nested too deeply to test")
        except (OverflowError, ValueError, MemoryError):
            return None, InstanceResult("undecided", reason="values too large to test")
        if result.kind != "redraw":
            return instance, result
        reasons.append(result.reason)
    why = reasons[-1] if reasons else "no instance"
    return None, InstanceResult("redraw", reason=f"no random instance could be evaluated ({why})")


def _compare_instance(session: Session, lhs: Expr, rhs: Expr, instance: Instance, free, ranges, limit, margin: int,
                      conditions: tuple = NO_DOMAINS.conditions) -> InstanceResult:
    """Raise the precision until every point is decided, or give up on the instance.  A
    refutation is judged again with each side undefined where one of its ``conditions``
    fails (costly: only then), so it never stands at a point outside a side's domain; an inverse's
    condition at every instance (:func:`~deriv.engine.domains.presupposing`)."""
    outcome = _compared(session, lhs, rhs, instance, free, ranges, limit, margin, presupposing(conditions))
    if outcome.kind == "refuted" and any(conditions):
        return _compared(session, lhs, rhs, instance, free, ranges, limit, margin, conditions)
    return outcome


def _compared(session: Session, lhs: Expr, rhs: Expr, instance: Instance, free, ranges, limit, margin: int,
              conditions: tuple) -> InstanceResult:
    points = session.points(instance, free, ranges, limit)
    bits = certified.START_PRECISION
    while True:
        with certified.precision(bits):
            evaluator = session.evaluator(instance, bits)
            left, right = presupposed(instance, guarded(session, lhs, conditions[0], evaluator, free, points),
                                      guarded(session, rhs, conditions[1], evaluator, free, points))
            outcome = compare_points(points, left, right, margin, bits)
        if isinstance(outcome, InstanceResult):
            return outcome
        following = next_precision(bits, outcome)
        if following > certified.MAX_PRECISION:
            if outcome > certified.MAX_PRECISION:
                return InstanceResult("redraw", reason=f"it needs more than {certified.MAX_PRECISION} bits")
            return InstanceResult("undecided", reason=f"not decided at {bits} bits of precision")
        bits = following


def _refuted(lhs: Expr, rhs: Expr, ranges, session: Session, found: Counterexample, domains: Domains,
             method: str, proved: bool) -> Decision:
    """The refutation the tester found, its counterexample shrunk."""
    context = session.context
    counterexample = shrink(lhs, rhs, context, ranges, session, found, domains.conditions) or found
    message = differ_message(context, counterexample.note)
    if proved:
        message += _disagreement(counterexample)
    return Decision(Verdict.REFUTED, method, message, counterexample)


def _where_sizes_differ(lhs: Expr, rhs: Expr, ranges, session: Session, remaining: dict,
                        domains: Domains) -> TestOutcome | None:
    """A refutation at sizes where the difference, a function of the sizes there, is not 0
    (:mod:`deriv.engine.size_points`), found by the tester; None elsewhere."""
    context = session.context
    sizes = nonzero_sizes(remaining, tuple(context.sizes), least_sizes((lhs, rhs), context))
    if sizes is None:
        return None
    free = tuple(sorted(ranges, key=text))
    try:
        instance, result = drawn_instance(session, SIZE_POINT_TRIAL, sizes,
                                          equality_judge(session, lhs, rhs, ranges, domains.conditions))
    except (UnsupportedError, ArithmeticError, ValueError):
        return None
    if result.kind != "refuted" or instance is None:
        return None
    return TestOutcome(False, counterexample=_with_values(counterexample_of(result, instance, free), instance, lhs, rhs))


def _where_sides_part(lhs: Expr, rhs: Expr, ranges, session: Session, domains: Domains) -> TestOutcome | None:
    """A refutation at sizes where a scan of the sides' difference, read from sizes, finds it may
    not be 0 (``\\operatorname{relu}(1 - |N - 97|) = 0`` at N = 97: :mod:`deriv.engine.size_meetings`),
    found by the tester; None elsewhere."""
    context = session.context
    least = least_sizes((lhs, rhs), context)
    try:
        with time_budget(SYMBOLIC_SECONDS, PartTimeout):
            tried = meeting_sizes(lhs - rhs, base_assignment(tuple(context.sizes), least), least, "=")
    except PartTimeout:
        return None
    judge, free = equality_judge(session, lhs, rhs, ranges, domains.conditions), tuple(sorted(ranges, key=text))
    for candidate in tried:
        try:
            instance, result = drawn_instance(session, SIZE_POINT_TRIAL, candidate, judge)
        except (UnsupportedError, ArithmeticError, ValueError):
            continue
        if result.kind == "refuted" and instance is not None:
            return TestOutcome(False, counterexample=_with_values(counterexample_of(result, instance, free), instance, lhs, rhs))
    return None


def _disagreement(example: Counterexample) -> str:
    """What a proof refuted by the tester means: an engine bug, unless a side's inverse is singular
    there -- the proof holds wherever every inverse exists, and the random draw (generic, never
    singular by chance) found one that exists nowhere at these sizes (``(x x^T)^{-1}`` past N = 1)."""
    if SINGULAR in example.lhs_value or SINGULAR in example.rhs_value:
        return " (the symbolic engine found them equal wherever the inverse exists; here it does not exist)"
    return " (although the symbolic engine found them equal: please report this)"


def _first_values(lhs: Expr, rhs: Expr, context: Context, ranges, session: Session) -> Counterexample | None:
    """Both sides at the first random point, to show alongside a symbolic refutation."""
    free = tuple(sorted(ranges, key=text))
    try:
        instance = session.instance(0, base_assignment(tuple(context.sizes), least_sizes((lhs, rhs), context)), 0)
        points = session.points(instance, free, ranges, 1)
        with certified.precision(certified.START_PRECISION):
            evaluator = session.evaluator(instance, certified.START_PRECISION)
            (a,), (b,) = session.values(lhs, evaluator, free, points), session.values(rhs, evaluator, free, points)
    except UnsupportedError:  # no instance satisfies the assumptions (or can be drawn): nothing to show
        return None
    except Exception:  # noqa: BLE001 - the refutation stands without the illustration
        swallowed("illustrating a refutation")
        return None
    inexact = not (certified.is_exact(a.value) and certified.is_exact(b.value))
    result = InstanceResult("refuted", points[0], a.value, b.value, inexact=inexact, precision=certified.START_PRECISION)
    return counterexample_of(result, instance, free)


def _domain_point(session: Session, lhs: Expr, rhs: Expr, domains: Domains, ranges) -> Decision | None:
    """Refuted at a point where one side is defined and the other not (at the step's
    least sizes), or None."""
    context = session.context
    sizes = base_assignment(tuple(context.sizes), least_sizes((lhs, rhs), context))
    margin = margin_of(session.constants(lhs) | session.constants(rhs) | session.definition_constants())
    found = domain_refutation(session, (lhs, rhs), domains, sizes, tuple(sorted(ranges, key=text)), ranges, margin)
    if found is None:
        return None
    method = "exact" if found.precision == "exact" else "certified"
    return Decision(Verdict.REFUTED, method, f"the two sides differ: {found.note}", found)


def _angle_point(session: Session, lhs: Expr, rhs: Expr, domains: Domains, ranges) -> Decision | None:
    """Refuted where a side is undefined at an irrational angle (``\\tan c`` at ``c = \\pi/2``) and the
    other is defined, or None."""
    sizes = base_assignment(tuple(session.context.sizes), least_sizes((lhs, rhs), session.context))
    found = angle_point(session, (lhs, rhs), domains, sizes, tuple(sorted(ranges, key=text)))
    return None if found is None else Decision(Verdict.REFUTED, "certified", f"the two sides differ: {found.note}", found)


def _symbolic(lhs: Expr, rhs: Expr, context: Context, ranges, session: Session) -> tuple[bool, str, Expr | None, dict]:
    """Whether the normal forms agree, why not when that is not known, the
    sides' constant difference when there is one, and the difference's terms."""
    offset, remaining = None, {}
    try:
        with time_budget(SYMBOLIC_SECONDS, PartTimeout):
            remaining = symbolic_difference(lhs, rhs, context, ranges, session)
        proved, why_not = not remaining, ""
        offset = constant_difference(remaining)
    except PartTimeout:
        proved, why_not = False, f"the symbolic engine ran out of its {SYMBOLIC_SECONDS:g} s"
    except UnsupportedError as error:
        proved, why_not = False, error.message
    except RecursionError:
        proved, why_not = False, "expression nested too deeply for the symbolic engine"
    except OverflowError:
        # SymPy's assumptions evaluate numbers such as exp(exp(exp(exp(100)))) with mpmath.
        proved, why_not = False, "a number too large for the symbolic engine"
    if offset is not None and not offset.is_finite:
        offset, why_not = None, "a division by zero in the symbolic difference"
    return proved, why_not, offset, remaining


@stating_least
def decide_equal(
    lhs: Expr,
    rhs: Expr,
    context: Context,
    ranges: Mapping[Symbol, Expr],
    *,
    seed: int = 0,
    session: Session | None = None,
    domains: Domains = NO_DOMAINS,
) -> Decision:
    """``proved``, ``tested``, ``refuted`` or ``undecided`` for ``lhs = rhs``; ``domains``
    says where each side is defined (:mod:`deriv.engine.domains`)."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context, seed)
    session.used = set()
    proved, why_not, offset, remaining = _symbolic(lhs, rhs, context, ranges, session)
    if domains.differ:  # defined on different sets: never proved (engine/domains.py)
        proved, why_not = False, gap_message(domains.differing)
        refuted = _domain_point(session, lhs, rhs, domains, ranges)  # at the least sizes: cheap, before the tests
        if refuted is not None:
            return refuted
    # After a proof the test is a check on the proof engine, as thorough as the
    # test without one (the same size assignments; fewer index values past the first).
    outcome = test_equal(lhs, rhs, context, ranges, proved=proved, session=session, conditions=domains.conditions)
    if outcome.agreed and outcome.uncovered:
        outcome = ((_where_sizes_differ(lhs, rhs, ranges, session, remaining, domains) if remaining else None)
                   or _where_sides_part(lhs, rhs, ranges, session, domains) or outcome)
    method = "certified" if outcome.inexact or (outcome.counterexample and outcome.counterexample.precision != "exact") else "exact"
    if outcome.counterexample is not None:
        return _refuted(lhs, rhs, ranges, session, outcome.counterexample, domains, method, proved)
    if proved:
        if outcome.agreed:
            using = f"using the assumption {'; '.join(sorted(session.used))}" if session.used else ""
            return Decision(Verdict.PROVED, f"symbolic+{method}", numeric_note(using, lhs, rhs, ranges, context))
        return Decision(Verdict.UNDECIDED, "symbolic", f"proved symbolically, but the random tester could not check it: {outcome.unsupported}")
    if offset is not None:
        example = _first_values(lhs, rhs, context, ranges, session)
        example = (example and shrink(lhs, rhs, context, ranges, session, example, domains.conditions)) or example
        if example is None and context.assumptions:  # no point satisfies them: nothing is refuted (docs/deciding.md)
            return Decision(Verdict.UNDECIDED, "none", f"the two sides differ by exactly {offset}, but no instance that satisfies "
                            "the assumptions could be drawn and evaluated (they may contradict each other: "
                            f"{outcome.unsupported or 'none was drawn'})")
        return Decision(Verdict.REFUTED, "symbolic", f"the two sides differ by exactly {offset} everywhere", example)
    refuted = _angle_point(session, lhs, rhs, domains, ranges) if outcome.agreed and domains.differ else None
    return refuted or _untold(outcome, method, why_not)


def _untold(outcome: TestOutcome, method: str, why_not: str) -> Decision:
    """``tested`` when the random tests agreed (saying at which sizes, and why not proved), else ``undecided``."""
    if outcome.agreed:
        how = f"certified to {outcome.precision} bits" if outcome.inexact else "exactly"
        at = f" at sizes {outcome.sizes}" if outcome.sizes else ""
        message = f"equal {how} at {outcome.instances} random instances{at}; not proved symbolically"
        if why_not:
            message += f" ({why_not})"
        if outcome.uncovered:
            message += f"; other sizes are not covered: {outcome.uncovered}"
        return Decision(Verdict.TESTED, method, message)
    reasons = "; ".join(r for r in (why_not, outcome.unsupported) if r)
    return Decision(Verdict.UNDECIDED, "none", f"could not decide: {reasons or 'no method applied'}")

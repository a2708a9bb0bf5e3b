"""Steps whose sides are defined on different sets: never ``proved``, refuted where found.

The builder records where each side is defined before SymPy cancels
(:mod:`deriv.meaning.domains`): ``\\frac{x y}{x}`` is built as ``y`` but keeps
``x != 0``.  A condition one side has and the other does not, unless the sign
prover shows it holds everywhere (``x^2 + 1 != 0``, ``\\exp(x) != 0``, a
``positive`` name), means the sides may be defined on different sets
(``\\frac{x y}{x} = y`` at ``x = 0``), so the step is not proved however equal
the normal forms are.  The tester then tries the points where a condition
fails: each declared name, then all of them, exactly 0 (a denominator) or -1
(a radicand), then each scalar name of a condition solved for (degree 1 or 2,
a rational root, the other names drawn: ``x - 1``, ``x^2 - y^2``), then, for a
condition on entries of arrays or under equation assumptions, each entry solved
for with the assumptions imposed (:mod:`deriv.engine.domain_points`: ``x^T y`` at
``y = -x`` or orthogonal vectors, ``a`` under ``a = x``), with every
side undefined wherever one of its own conditions fails.  One side undefined where the other is defined refutes the step;
finding none leaves it ``tested``, with a message that says why.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import sympy

from flint import fmpq
from sympy import Expr, Symbol

from deriv.engine import certified
from deriv.engine.certified import DomainError, PrecisionError
from deriv.engine.compare import Evaluated, InstanceResult, compare_points, counterexample_of, shown_values
from deriv.engine.angle_domains import angle_refutation
from deriv.engine.domain_points import solved_points
from deriv.engine.assumptions import impose, is_singular, singular_on_both
from deriv.engine.function_domains import function_instances
from deriv.engine.functions import DRAWN
from deriv.engine.compiler import STEP_UNCHOSEN
from deriv.engine.instances import Instance
from deriv.engine.kink_choices import choices, taking, with_step_value
from deriv.engine.minimums import least_sizes
from deriv.engine.one_sided import KinkUndefined
from deriv.engine.size_domains import failing_sizes, power_failing_sizes
from deriv.engine.power_points import power_instances
from deriv.engine.univariate import exact_rational
from deriv.engine.zero_points import ZERO_TRIAL, zeroed
from deriv.errors import UnsupportedError, swallowed
from deriv.meaning.domains import INVERTIBLE, NONNEGATIVE, Condition
from deriv.results import Counterexample

Conditions = frozenset[Condition]
#: The values a name takes where a condition may fail: 0 for a denominator, -1 for a radicand.
FAILING = {"!=": fmpq(0), NONNEGATIVE: fmpq(-1)}
#: The values each name then takes where a radicand or logarithm's argument may be negative on
#: an interval that holds neither 0 nor -1 (``\\sqrt{x^3 + 10}``, ``\\sqrt{\\cos x - 1/2}``).
SWEEP = tuple(fmpq(v) for v in (2, -2, 3, -3, 10, -10, 100, -100)) + (fmpq(1, 2), fmpq(-1, 2))
#: Conditions are solved for a name only where they are polynomials of at most this degree in it.
MAX_DEGREE = 2


@dataclass(frozen=True)
class Domains:
    """Where each side is defined, and each side's conditions the other lacks that the
    sign prover could not show (:func:`deriv.engine.domain_gaps.gaps`)."""

    conditions: tuple[Conditions, Conditions] = (frozenset(), frozenset())
    differing: tuple[list[Condition], list[Condition]] = ([], [])

    @property
    def differ(self) -> bool:
        return any(self.differing)


#: No conditions on either side (a step not built by the chain's builder).
NO_DOMAINS = Domains()


def gap_message(found: tuple[list[Condition], list[Condition]]) -> str:
    """Why the step is not proved: the sides' domains differ."""
    parts = [f"{', '.join(c.text() for c in side)} on the {name} only"
             for name, side in zip(("left", "right"), found) if side]
    return ("the sides may be defined on different sets (" + "; ".join(parts)
            + ") and no point where one is defined and the other is not was found")


def _failed(condition: Condition, guard: DomainError) -> ArithmeticError:
    """The value of a side where ``condition`` fails (its ``guard`` undefined): undefined, or unknown
    for a soft condition (a derivative that may not exist there: that instance is redrawn, never a
    counterexample); an inverse's as the inverse itself would be (singular: presupposed where the
    assumptions or the search make it so; or its argument undefined, ``(\\log(y^2) A)^{-1}`` at 0)."""
    if condition.soft:
        return PrecisionError(f"{condition.text()} fails: maybe not differentiable here", redraw=True)
    if condition.relation == INVERTIBLE:
        return guard
    return DomainError(f"{condition.text()} fails")


def _undefined_where(value: Evaluated, condition: Condition, guard: Evaluated) -> Evaluated:
    """``value``, undefined where ``condition``'s guard is; a failure that is no singular inverse
    wins over one that is (a side undefined whatever is presupposed is undefined)."""
    if not isinstance(guard.value, DomainError):
        return value
    failure = _failed(condition, guard.value)
    if isinstance(value.value, DomainError) and (not is_singular(value.value) or is_singular(failure)):
        return value
    return Evaluated(failure, value.recorder)


def presupposing(conditions: tuple[Conditions, Conditions]) -> tuple[Conditions, Conditions]:
    """Each side's :data:`~deriv.meaning.domains.INVERTIBLE` conditions: judged at every instance, as
    the inverses they were written for would be -- SymPy may have cancelled them away (``A^{-1} -
    A^{-1}`` is 0), and a singular one (``(v v^T)^{-1}`` past size 1, ``A = 0`` assumed) has no value;
    not a recurrence's at every row (soft: more than its members need)."""
    left, right = (frozenset(c for c in side if c.relation == INVERTIBLE and not c.soft) for side in conditions)
    return left, right


def guarded(session, expr: Expr, conditions: Conditions, evaluator, free, points) -> list[Evaluated]:
    """The side's values, undefined wherever one of its conditions fails."""
    values = session.values(expr, evaluator, free, points)
    for condition in sorted(conditions, key=Condition.text):
        try:
            guards = session.values(condition.guard, evaluator, free, points)
        except UnsupportedError:  # (\\log(-2) A)^{-1}: SymPy's I; unknown, never a side taken as defined
            unknown = PrecisionError(f"{condition.text()} could not be evaluated", redraw=True)
            values = [v if isinstance(v.value, (DomainError, PrecisionError)) else Evaluated(unknown, v.recorder)
                      for v in values]
            continue
        values = [_undefined_where(v, condition, g) for v, g in zip(values, guards)]
    return values


def guarded_sides(session, sides, conditions, instance, free, ranges) -> tuple[list, list[Evaluated], list[Evaluated]]:
    """Every free-index value of ``instance`` and both sides' guarded values there (first
    precision).  The search made the instance (a name 0, solved for), so an inverse it makes
    singular is no counterexample: writing it presupposes it invertible (docs/deciding.md;
    ``(v v^T + \\lambda I)^{-1} v`` at ``\\lambda = 0``), undefined on both sides there."""
    points = session.points(instance, free, ranges)
    with certified.precision(certified.START_PRECISION):
        evaluator = session.evaluator(instance, certified.START_PRECISION)
        left = guarded(session, sides[0], conditions[0], evaluator, free, points)
        right = guarded(session, sides[1], conditions[1], evaluator, free, points)
    return (points, *singular_on_both(left, right))


def _judge(session, sides, conditions, instance, free, ranges, margin: int) -> InstanceResult | None:
    points, left, right = guarded_sides(session, sides, conditions, instance, free, ranges)
    left, right = _later(left), _later(right)
    with certified.precision(certified.START_PRECISION):
        outcome = compare_points(points, left, right, margin, certified.START_PRECISION)
    return outcome if isinstance(outcome, InstanceResult) else None


def _later(values: list[Evaluated]) -> list[Evaluated]:
    """The values, a derivative certified not to exist at a kink (:mod:`.one_sided`) left for after
    the random tests (:func:`deriv.engine.kinks.kink_refutation`): a wrong derivative is better shown
    where both sides are defined (``\\frac{d}{dx} |x| = 1`` at ``x = -1``, not at 0)."""
    return [Evaluated(PrecisionError(str(v.value), redraw=True), v.recorder) if isinstance(v.value, KinkUndefined) else v
            for v in values]


def _judge_choosing(session, sides, conditions, instance: Instance, free, ranges,
                    margin: int) -> tuple[InstanceResult | None, Instance]:
    """:func:`_judge`, and where the point meets ``relu'(0)`` (a written ``relu'``, a derivative of
    ``relu`` at its kink) at each value it may take (:mod:`.kink_choices`): ``\\frac{d}{dx} relu(x)`` is
    defined at 0 whichever it is, ``relu(x) / x`` is not."""
    result = _judge(session, sides, conditions, instance, free, ranges, margin)
    if result is None or result.kind != "redraw" or result.reason != STEP_UNCHOSEN or instance.step_at_zero is not None:
        return result, instance
    for value in choices(instance):
        chosen = with_step_value(session, instance, value)
        result = _judge(session, sides, conditions, chosen, free, ranges, margin)
        if result is not None and result.kind == "refuted":
            return replace(result, reason=taking(value) + (f": {result.reason}" if result.reason else "")), chosen
    return None, instance


def _root(expr: Expr, unknown: Symbol) -> list[Expr]:
    """The rational roots of ``expr``, a polynomial of degree 1 or 2 in ``unknown`` (else none)."""
    try:
        poly = sympy.Poly(expr, unknown, domain="QQ")
    except (sympy.PolynomialError, sympy.CoercionFailed, sympy.GeneratorsNeeded, ValueError, TypeError):
        return []
    if not 1 <= poly.degree() <= MAX_DEGREE:
        return []
    return sorted((r for r in sympy.roots(poly) if r.is_Rational), key=abs)


def impose_kept(session, instance: Instance) -> Instance | None:
    """The instance with the assumptions imposed, kept by the session (None if they can not be)."""
    try:
        impose(instance, session.compiler)
    except (UnsupportedError, ArithmeticError, ValueError):
        return None
    session.keep(instance)
    return instance


def _flipped(instance: Instance, flip: bool) -> Instance:
    """The instance, with every drawn scalar made nonnegative when ``flip``."""
    if flip:
        instance.arrays.update({n: abs(v) for n, v in instance.arrays.items() if isinstance(v, (fmpq, int))})
    return instance


def _solved(session, sizes: dict, condition: Condition, name: str, flip: bool) -> Iterator[tuple[str, Instance]]:
    """Instances where ``condition`` fails with ``name`` solved for and the other scalars as
    drawn (``flip``: their absolute values, so ``\\sqrt{x}`` beside a factor in ``y`` is defined)."""
    names = {str(s): s for s in condition.expr.free_symbols}
    drawn = _flipped(Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0), flip)
    others = {names[n]: exact_rational(drawn.arrays[n]) for n in names if n != name}
    target = sympy.Integer(int(FAILING[condition.relation]))
    for root in _root(condition.expr.xreplace(others) - target, names[name]):
        value = fmpq(int(root.p), int(root.q))
        if session.context.declared[name].positive and value <= 0:
            continue
        instance = _flipped(Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0), flip)
        try:
            instance.arrays[name] = value
            impose(instance, session.compiler)
        except (UnsupportedError, ArithmeticError, ValueError):
            continue
        if instance.arrays[name] == value:
            session.keep(instance)
            yield f"{name} = {root}", instance


def rooted(session, sizes: dict, condition: Condition) -> Iterator[tuple[str, Instance]]:
    """Instances where ``condition`` fails: a scalar name of it solved for (its expression
    0, or -1 for a radicand) with the other names drawn, then positive, exact rationals only."""
    names = {str(s) for s in condition.expr.free_symbols}
    if condition.limits or not names or condition.expr.has(sympy.Indexed):
        return
    drawn = Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0)
    if not all(n in drawn.arrays and not isinstance(drawn.arrays[n], dict) for n in names):
        return  # a name that is not a drawn scalar (a size): not solved for
    for flip in (False, True):
        for name in sorted(names):
            yield from _solved(session, sizes, condition, name, flip)


def step_names(context, sides: tuple[Expr, Expr], domains: Domains) -> frozenset[str]:
    """The names a step and its sides' conditions use (a cancelled factor's too)."""
    return frozenset(context.reached(sides[0]) | context.reached(sides[1])).union(
        *(context.reached(c.expr) for side in domains.conditions for c in side))


def failing_instances(session, sizes: dict, domains: Domains, sides: tuple[Expr, Expr],
                      ranges: Mapping | None = None) -> Iterator[tuple[str, Instance]]:
    """Where a differing condition may fail: names of the step set to 0 / -1, a scalar name solved
    for, a radicand's names swept over :data:`SWEEP`, a power's base at -1 (:mod:`.power_points`),
    every function special (:mod:`.function_domains`), then an entry of an array solved for or
    the assumptions imposed (:mod:`.domain_points`)."""
    differing = [c for side in domains.differing for c in side]
    used = step_names(session.context, sides, domains)
    if any(c.expr.is_number for c in differing):  # fails everywhere (\\sqrt{-1})
        instance = impose_kept(session, Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0))
        if instance is not None:
            yield "the names take any value", instance
    yield from _set_names(session, sizes, differing, used)
    yield from power_instances(session, sizes, differing)
    yield from function_instances(session, sizes, differing)
    for condition in differing:
        if not _rooted_alone(session.context, condition):
            yield from solved_points(session, sizes, condition, ranges or {})


def _set_names(session, sizes: dict, differing: list[Condition], used: frozenset[str]) -> Iterator[tuple[str, Instance]]:
    """The step's names at 0 / -1, each scalar of a condition solved for, then a radicand's names
    at :data:`SWEEP` (a radicand negative on an interval away from 0 and -1: ``\\sqrt{10 - x^4}``)."""
    relations = {c.relation for c in differing}
    for relation in sorted(relations):
        yield from zeroed(session, sizes, FAILING[relation], used)
    for condition in differing:
        yield from rooted(session, sizes, condition)
    if NONNEGATIVE in relations:
        for value in SWEEP:
            yield from zeroed(session, sizes, value, used)


def _rooted_alone(context, condition: Condition) -> bool:
    """Whether :func:`rooted` already solved ``condition`` as well as the entry solver would: a
    condition in declared scalars alone, no equation assumption coupling them to others."""
    if condition.limits or condition.expr.has(sympy.Indexed) or any(c.relation == "=" for c in context.assumptions):
        return False
    return all(str(s) in context.declared and not context.declared[str(s)].is_function
               for s in condition.expr.free_symbols)


def shown_at(example: Counterexample, label: str, reason: str, instance: Instance,
             names: frozenset[str]) -> Counterexample:
    """A counterexample where a domain condition fails, with the values of the step's names there."""
    return replace(example, note=f"where {label}: {reason}" if reason else f"where {label}", values=shown_values(instance, None, set(names)))


def size_instances(session, sizes: dict, domains: Domains, sides: tuple[Expr, Expr]) -> Iterator[tuple[str, Instance]]:
    """Drawn instances at the sizes where a differing condition on sizes fails, then where a power's
    exponent read from sizes is negative or not whole, also with the step's names at 0 and -1
    (:mod:`.size_domains`)."""
    least = least_sizes(sides, session.context)
    differing = [c for side in domains.differing for c in side]
    for label, at in failing_sizes(differing, sizes, least):
        instance = impose_kept(session, Instance(session.context, session.seed, ZERO_TRIAL, at, 0))
        if instance is not None:
            yield label, instance
    used = step_names(session.context, sides, domains)
    for label, at in power_failing_sizes(differing, sizes, least):
        drawn = impose_kept(session, Instance(session.context, session.seed, ZERO_TRIAL, at, 0))
        if drawn is not None:  # (-1)^{1/N}: no name to set
            yield label, drawn
        for value in FAILING.values():
            yield from ((f"{label}, {named}", instance) for named, instance in zeroed(session, at, value, used))


def domain_refutation(session, sides: tuple[Expr, Expr], domains: Domains, sizes: dict, free: tuple,
                      ranges, margin: int) -> Counterexample | None:
    """A point where one side is undefined and the other defined, or None."""
    found = itertools.chain(failing_instances(session, sizes, domains, sides, ranges),
                            size_instances(session, sizes, domains, sides))
    for label, instance in found:
        try:
            result, instance = _judge_choosing(session, sides, domains.conditions, instance, free, ranges, margin)
        except (UnsupportedError, ArithmeticError, ValueError, RecursionError):
            continue
        except Exception:  # noqa: BLE001 - a point not evaluated refutes nothing
            swallowed("evaluating a side where its domain condition fails")
            continue
        if result is not None and result.kind == "refuted":
            names = step_names(session.context, sides, domains)
            label = _named(session.context, domains, instance, label)
            return shown_at(counterexample_of(result, instance, free), label, result.reason, instance, names)
    return None


def angle_point(session, sides: tuple[Expr, Expr], domains: Domains, sizes: dict, free: tuple) -> Counterexample | None:
    """Where a side is undefined at an irrational angle (:mod:`deriv.engine.angle_domains`), the
    other scalars at the domain search's draws; asked only once the random tests agree, so a
    wrong step keeps the counterexample where both sides are defined."""
    drawn = Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0).arrays
    return angle_refutation(session, sides, domains, sizes, free, drawn)


def _named(context, domains: Domains, instance: Instance, label: str) -> str:
    """The label of a point by the scalars its differing conditions read, with their values there:
    the search sets names one at a time, and the one it set (``x = -1``) need not be the one whose
    drawn value makes a condition fail (``a``, in ``x + \\sqrt{a}^2 = x + a``); with the search's
    own label where it made every function special (:mod:`deriv.engine.function_domains`)."""
    read = set().union(*(context.reached(c.expr) for side in domains.differing for c in side))
    values = {n: instance.arrays[n] for n in sorted(read) if n in instance.arrays}
    if not values or any(isinstance(v, dict) for v in values.values()):
        return label  # an array's entries are shown below the message; its label is the search's
    sizes = {s for side in domains.differing for c in side for s in c.expr.free_symbols if s in instance.sizes}
    named = ", ".join([*(f"{s} = {instance.sizes[s]}" for s in sorted(sizes, key=str)),  # x^{N-2} at N = 1
                       *(f"{n} = {certified.show(v)}" for n, v in values.items())])
    return f"{named}, {label}" if instance.functions != DRAWN else named

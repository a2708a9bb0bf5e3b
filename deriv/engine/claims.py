"""Decide a claim ``lhs R rhs`` with ``R`` one of ``<``, ``>``, ``<=``, ``>=``, ``!=``.

A sign proof from the facts (:mod:`deriv.engine.signs`) that the random
tester confirms is ``proved``, and names the facts it used.  The tester: the two sides are
evaluated at every free-index value of several random instances that
satisfy the document's assumptions, and the sign of ``d = lhs - rhs`` is
certified at each point -- exactly when both values are exact, else from a
ball that excludes 0.  A point where the relation certainly fails is a
counterexample (``refuted``); the relation certainly holding at every point
of every instance is ``tested``.  A ball that still contains 0 at
:data:`~certified.MAX_PRECISION` (the sign can not be told: a boundary
point, or a value too close to it), or a side undefined at a point, leaves
the claim ``undecided`` with that reason.  Nothing is accepted on a sign
that is not certain.  Random values are never 0, equal, parallel or where
the two sides meet, so the tester also tries structured instances that
still satisfy the assumptions (:mod:`deriv.engine.structured`): ``x^2 > 0``
is refuted at ``x = 0``, ``x^2 + 1 > 2x`` at ``x = 1``; and a strict claim
whose sides meet only at an irrational point is refuted there when the
zero is certified (:mod:`deriv.engine.meeting`): ``x^2 \\neq 2``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from flint import fmpq
from sympy import Expr, Symbol

from deriv.budget import PartTimeout, time_budget
from deriv.context import Constraint, Context
from deriv.engine import certified, meeting
from deriv.engine.kink_values import CROSSING, meeting_choices
from deriv.engine.kinks import derivative_kinks, every_choice, kink_points, step_arguments
from deriv.engine.assumptions import relation_holds
from deriv.engine.certified import DomainError, PrecisionError
from deriv.engine.one_sided import KinkUndefined
from deriv.engine.claim_domains import domain_refuted
from deriv.engine.compare import InstanceResult, counterexample_of, next_precision, shown_values
from deriv.engine.domains import NO_DOMAINS, Conditions, Domains, gap_message, guarded
from deriv.engine.function_values import function_zero
from deriv.engine.instances import Instance
from deriv.engine.minimums import least_sizes, stating_least
from deriv.engine.decide import SIZE_POINT_TRIAL, SYMBOLIC_SECONDS, Decision, Session, as_expr, drawn_instance
from deriv.engine.shrink import shrink
from deriv.engine.signs import prove
from deriv.engine.size_meetings import exact_difference, meeting_sizes

from deriv.engine.patterns import sign_trials
from deriv.engine.plan import sizes_text, step_plan
from deriv.engine.structured import boundary_instances, certain_zero, structured_instances
from deriv.errors import UnsupportedError
from deriv.names import Kind
from deriv.results import Counterexample, Verdict
from deriv.ir import text

#: Relations a claim may have, and how each reads in a message.
RELATIONS = {"<": "<", ">": ">", "<=": "\\leq", ">=": "\\geq", "!=": "\\neq"}
#: Random instances every claim is tested at (at least; more if the sizes ask).
TRIALS = 8
#: How the tester's reason begins where the sign of the difference could not be certified.
UNCERTIFIED = "the sign of the difference of the two sides could not be certified"
#: Seconds an exact comparison of two sides read from sizes may take.
EXACT_SECONDS = 1.0


def _sign(a, b) -> int | None:
    """The certified sign of ``a - b``; None when it can not be told at this precision."""
    if certified.is_exact(a) and certified.is_exact(b):
        d = fmpq(a) - fmpq(b)
        return (d > 0) - (d < 0)
    ball = certified.to_arb(a) - certified.to_arb(b)
    if ball > 0:
        return 1
    if ball < 0:
        return -1
    return None


def _instance(session: Session, relation: str, lhs: Expr, rhs: Expr, instance, free, ranges,
              limit: int | None = None, conditions: tuple[Conditions, Conditions] = NO_DOMAINS.conditions) -> InstanceResult:
    """``agreed``, ``refuted`` (with the point), ``redraw`` or ``undecided`` for one instance
    (at every free-index value, or ``limit`` of them); each side undefined where one of its
    ``conditions`` fails (:mod:`deriv.engine.claim_domains`)."""
    points = session.points(instance, free, ranges, limit)
    bits = certified.START_PRECISION
    while True:
        unsure = None
        with certified.precision(bits):
            evaluator = session.evaluator(instance, bits)
            left = guarded(session, lhs, conditions[0], evaluator, free, points)
            right = guarded(session, rhs, conditions[1], evaluator, free, points)
            for point, l, r in zip(points, left, right):
                a, b = l.value, r.value
                for v in (a, b):
                    if isinstance(v, PrecisionError):
                        if v.redraw:
                            return InstanceResult("redraw", reason=str(v))
                        unsure = unsure or point
                if isinstance(a, PrecisionError) or isinstance(b, PrecisionError):
                    continue
                if isinstance(a, DomainError) or isinstance(b, DomainError):
                    side = "left" if isinstance(a, DomainError) else "right"
                    why = a if isinstance(a, DomainError) else b
                    return InstanceResult("undecided", point, a, b, f"the {side} side is undefined at a random point ({why})")
                sign = _sign(a, b)
                if sign is None:
                    unsure = unsure or point
                    continue
                if not relation_holds(relation, sign):
                    inexact = not (certified.is_exact(a) and certified.is_exact(b))
                    return InstanceResult("refuted", point, a, b, inexact=inexact, precision=bits if inexact else 0)
        if unsure is None:
            return InstanceResult("agreed", precision=bits)
        following = next_precision(bits, 2 * bits)
        if following > certified.MAX_PRECISION:
            where = ", ".join(f"{i}={v + 1}" for i, v in zip(free, unsure))
            at = f" (at {where})" if where else ""
            return InstanceResult("undecided", reason=(
                f"{UNCERTIFIED} at {bits} bits{at}: "
                "the two sides may be equal there, or too close to tell"))
        bits = following


@stating_least
def decide_claim(
    relation: str,
    lhs: Expr,
    rhs: Expr,
    context: Context,
    ranges: Mapping[Symbol, Expr],
    *,
    seed: int = 0,
    session: Session | None = None,
    facts: Sequence[Constraint] = (),
    domains: Domains = NO_DOMAINS,
) -> Decision:
    """``proved``, ``tested``, ``refuted`` or ``undecided`` for ``lhs relation rhs``.

    ``facts`` are what the document has established before this claim
    (equalities and claims it proved); the assumptions are facts too.
    ``proved`` needs both a sign proof (:mod:`deriv.engine.signs`) and the
    tester's agreement, as an equality's proof does; ``domains`` says where each side
    is defined (:mod:`deriv.engine.claim_domains`): sides that may differ there are never proved.
    """
    if relation not in RELATIONS:
        return Decision(Verdict.UNDECIDED, "none", f"claims with {relation} are not decided")
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context, seed)
    if domains.differ:  # defined on different sets: never proved (engine/claim_domains.py)
        proof, why_not = None, gap_message(domains.differing)
    else:
        proof, why_not = _sign_proof(relation, lhs - rhs, context, [*context.assumptions, *facts], ranges)
    tested = _test_claim(relation, lhs, rhs, context, ranges, session, domains.conditions)
    if tested.verdict in (Verdict.TESTED, Verdict.UNDECIDED):  # undecided: a side undefined at a draw (1/d, d >= 0)
        tested = domain_refuted(session, RELATIONS[relation], (lhs, rhs), domains, ranges) or tested
    if tested.verdict is Verdict.REFUTED:
        if proof is not None:
            return Decision(Verdict.REFUTED, tested.method, tested.message + " (although the sign reasoning proved it: please report this)",
                            tested.counterexample)
        return tested
    if proof is not None:
        if tested.verdict is not Verdict.TESTED:
            return Decision(Verdict.UNDECIDED, "symbolic", f"proved by signs, but the random tester could not check it: {tested.message}")
        used = "; ".join(proof.used)
        return Decision(Verdict.PROVED, "symbolic+certified", f"proved by signs from {used}" if used else "proved by signs")
    if tested.verdict is Verdict.TESTED and why_not:
        return replace(tested, message=f"{tested.message} ({why_not})")
    return tested


def _sign_proof(relation: str, difference: Expr, context: Context, facts: list[Constraint], ranges):
    """The sign reasoning's proof of ``difference relation 0`` (or None), and why not."""
    try:
        with time_budget(SYMBOLIC_SECONDS, PartTimeout):
            proof = prove(difference, relation, context, facts, ranges)
        return proof, "" if proof is not None else "the signs of its parts do not show it"
    except PartTimeout:
        return None, f"the sign reasoning ran out of its {SYMBOLIC_SECONDS:g} s"
    except (UnsupportedError, RecursionError) as error:
        return None, getattr(error, "message", "expression nested too deeply")
    except (TypeError, ValueError, ArithmeticError) as error:  # a form the sign reasoning does not know
        return None, f"the sign reasoning could not read it ({type(error).__name__})"


def _test_claim(relation: str, lhs: Expr, rhs: Expr, context: Context, ranges, session: Session,
                conditions: tuple[Conditions, Conditions] = NO_DOMAINS.conditions) -> Decision:
    """The certified random tester's verdict: ``tested``, ``refuted`` or ``undecided``."""
    free = tuple(sorted(ranges, key=text))
    schedule = step_plan(lhs, rhs, context, ranges, seed=session.seed, claim=True,
                         signed=bool(sign_trials((lhs, rhs), context)))
    plan = [t.sizes for t in schedule.trials]
    bits_used, tested = 0, []

    def judge(instance, limit=None):
        # A relu' exactly at 0 is judged at each value it may take there (engine/kinks.py).
        result = every_choice(session, lambda chosen: _instance(session, relation, lhs, rhs, chosen, free, ranges, limit,
                                                                conditions),
                              lambda chosen: meeting_choices(session, chosen, lhs - rhs, free, ranges))(instance)
        return _exactly(relation, lhs, rhs, instance, result)

    for trial in schedule.schedule(TRIALS):
        instance, result = drawn_instance(session, trial.number, trial.sizes, functools.partial(judge, limit=trial.limit))
        if instance is None and result.kind == "redraw" and trial.extra:
            continue  # nothing evaluable at these sizes: the grid decides
        if instance is None or result.kind == "undecided":
            return _structured_refutation(relation, lhs, rhs, session, plan, ranges, judge) or Decision(
                Verdict.UNDECIDED, "none", f"could not decide: {result.reason}")
        if result.kind == "refuted":
            found = _refuted(relation, context, result, instance, free)
            return _shrunk(found, relation, lhs, rhs, ranges, session, conditions, instance)
        bits_used = max(bits_used, result.precision)
        tested.append(trial.sizes)
    trials = len(tested)
    boundary = _searched(relation, lhs, rhs, session, plan, ranges, judge)
    if isinstance(boundary, Decision):
        return boundary
    at_zero = f" and at {boundary} structured instances (names 0, equal, parallel, orthogonal, where the sides meet)" if boundary else ""
    message = (f"holds (sign of the difference certified at every point, up to {bits_used} bits) at {trials} random "
               f"instances{at_zero}; testing only, not proved")
    if schedule.why:
        message += f"; sizes tested {sizes_text(tested)}, other sizes are not covered: {schedule.why}"
    return Decision(Verdict.TESTED, "certified", message)


def _shrunk(found: Decision, relation: str, lhs: Expr, rhs: Expr, ranges, session: Session,
            conditions: tuple[Conditions, Conditions], instance: Instance) -> Decision:
    """A random point's refutation with the simplest counterexample that still fails the claim
    (:func:`deriv.engine.shrink.shrink`): small sizes and entries 0, 1, -1, 2, shown with their
    values (``c^2 \\geq 1`` fails at ``c = 0``, where the drawn ``c = 5/11`` was not even shown);
    where none is found (``c^2 \\geq 9`` under ``c > 2``), the drawn values are shown."""
    example = found.counterexample
    if example is None:
        return found
    smaller = shrink(lhs, rhs, session.context, ranges, session, example, conditions,
                     functools.partial(_certainly_fails, relation))
    if smaller is None:
        context = session.context
        names = context.reached(lhs - rhs).union(*(context.reached(c.expr) for c in context.assumptions))
        smaller = replace(example, values=example.values or shown_values(instance, None, names))
    return replace(found, counterexample=smaller)


def _certainly_fails(relation: str, a: object, b: object) -> bool:
    """Whether ``a R b`` certainly fails (its sign certified at the current precision)."""
    if isinstance(a, Exception) or isinstance(b, Exception):
        return False
    sign = _sign(a, b)
    return sign is not None and not relation_holds(relation, sign)


def _structured(relation: str, lhs: Expr, rhs: Expr, session: Session, plan: list[dict], ranges,
                judge) -> Decision | int:
    """The claim judged at the structured instances: refuted (or undecided) at one, else how many agreed;
    then where a kink under a derivative is, refuted only by a side certified undefined there."""
    context, free = session.context, tuple(sorted(ranges, key=text))
    boundary = 0
    tried = structured_sizes(plan, bool(context.assumptions)) if _has_arrays(lhs - rhs, context) else plan[:1]
    for name, instance in (found for sizes in tried for found in _points(session, sizes, lhs, rhs, ranges)):
        try:
            result = judge(instance)
        except (UnsupportedError, RecursionError, ArithmeticError, ValueError):  # a structure too large to evaluate
            continue
        if result.kind == "refuted":
            return _refuted(relation, context, result, instance, free, _about(name, lhs - rhs, context), lhs - rhs)
        undefined = _kink_undefined(result)
        if undefined is not None:
            return _refuted(relation, context, undefined, instance, free, name, lhs - rhs)
        if result.kind == "undecided" and result.reason == CROSSING:  # a \neq that may fail between two choices
            return Decision(Verdict.UNDECIDED, "none", f"could not decide: at a structured point ({name}) {CROSSING}")
        boundary += result.kind == "agreed"
    found = _kink_refutation(relation, lhs, rhs, session, tried, ranges, judge)
    return boundary if found is None else found


def _kink_refutation(relation: str, lhs: Expr, rhs: Expr, session: Session, tried: list[dict], ranges,
                     judge) -> Decision | None:
    """Refuted where an argument of relu or ``|.|`` under a derivative is 0 and that derivative is
    certified not to exist there (``\\frac{\\partial^2 \\operatorname{relu}(2c - 3)}{\\partial c^2} \\geq 0``
    at ``c = 3/2``); never by a value of relu's first derivative there, which is its convention's."""
    kinks = derivative_kinks(lhs) | derivative_kinks(rhs)
    if not kinks:
        return None
    free = tuple(sorted(ranges, key=text))
    for name, instance in (found for sizes in tried for found in kink_points(session, sizes, kinks, ranges)):
        try:
            undefined = _kink_undefined(judge(instance))
        except (UnsupportedError, RecursionError, ArithmeticError, ValueError):
            continue
        if undefined is not None:
            return _refuted(relation, session.context, undefined, instance, free, name, lhs - rhs)
    return None


def _kink_undefined(result: InstanceResult) -> InstanceResult | None:
    """A refutation where one side is a derivative certified not to exist at a kink and the other is
    defined (:mod:`deriv.engine.one_sided`: ``\\frac{\\partial^2 \\operatorname{relu}(c)}{\\partial c^2}
    \\geq 0`` at ``c = 0``), as a side undefined where the other is not refutes a claim; else None."""
    if result.kind != "undecided":
        return None
    a, b = result.left, result.right
    if isinstance(a, KinkUndefined) and not isinstance(b, DomainError) and b is not None:
        return InstanceResult("refuted", result.point, a, b, f"the left side is undefined here ({a}) and the other is not")
    if isinstance(b, KinkUndefined) and not isinstance(a, DomainError) and a is not None:
        return InstanceResult("refuted", result.point, a, b, f"the right side is undefined here ({b}) and the other is not")
    return None


def _points(session, sizes: dict, lhs: Expr, rhs: Expr, ranges) -> Iterator[tuple[str, Instance]]:
    """The structured instances, then where an argument of ``relu'`` is 0 (none is ever drawn there:
    ``\\operatorname{relu}'(x y - 2) \\neq 1/4`` fails at ``x y = 2``, taking ``relu'(0) = 1/4``)."""
    yield from structured_instances(session, sizes, lhs - rhs, ranges)
    arguments = step_arguments(lhs) | step_arguments(rhs)
    if arguments:
        yield from kink_points(session, sizes, arguments, ranges)


def _searched(relation: str, lhs: Expr, rhs: Expr, session: Session, plan: list[dict], ranges, judge) -> Decision | int:
    """The claim at the points a search finds, where random ones may never be: the structured
    instances, the sizes where the sides meet, a scalar where they meet; refuted (or undecided) at
    one, else how many structured instances agreed."""
    boundary = _structured(relation, lhs, rhs, session, plan, ranges, judge)
    if isinstance(boundary, Decision):
        return boundary
    sized = _size_meeting(relation, lhs, rhs, session, plan[0], tuple(sorted(ranges, key=text)), judge)
    if sized is not None:
        return sized
    if relation in ("!=", "<", ">"):
        meets = _meeting(relation, lhs, rhs, session.context, plan[0], session, ranges)
        if meets is not None:
            return meets
    return boundary


def _size_meeting(relation: str, lhs: Expr, rhs: Expr, session: Session, sizes: dict, free, judge) -> Decision | None:
    """Refuted at a size where the sides meet, as a function of that size (``N \\neq 9`` at N = 9,
    which no sampled size need be: :mod:`deriv.engine.size_meetings`), or of two or three sizes
    together (``\\sqrt{N} + \\sqrt{M} \\neq 5`` at N = 9, M = 4); None elsewhere.  Where the tester can
    not tell the sign there (irrational sides that may be equal), the sides with the sizes put in
    are compared exactly (:func:`~deriv.engine.size_meetings.exact_difference`); failing that, the
    claim is ``undecided``: the sizes where it may fail are known, so it is not ``tested``."""
    context = session.context
    try:
        with time_budget(SYMBOLIC_SECONDS, PartTimeout):
            tried = meeting_sizes(lhs - rhs, sizes, least_sizes((lhs, rhs), context), relation)
    except PartTimeout:
        return None
    unsure: dict | None = None
    for candidate in tried:
        instance, result = drawn_instance(session, SIZE_POINT_TRIAL, candidate, judge)
        if instance is None:
            continue
        if result.kind == "refuted":
            return _refuted(relation, context, result, instance, free, "a size where the sides meet", lhs - rhs)
        if result.kind == "undecided" and result.reason.startswith(UNCERTIFIED):
            unsure = unsure or candidate
    if unsure is None:
        return None
    where = ", ".join(f"{s}={v}" for s, v in unsure.items())
    return Decision(Verdict.UNDECIDED, "none", f"could not decide: the sides may meet at the sizes {where}, "
                    "where the sign of their difference could not be certified")


def _exactly(relation: str, lhs: Expr, rhs: Expr, instance, result: InstanceResult) -> InstanceResult:
    """``result``, or where it is a sign the balls could not certify and the sides read sizes
    alone, their exact comparison (:func:`~deriv.engine.size_meetings.exact_difference`): equal
    sides (``\\sqrt{N} + \\sqrt{M}`` and ``\\sqrt{50}`` at N = 2, M = 32) agree with a relation
    that allows it and refute one that does not."""
    if result.kind != "undecided" or not result.reason.startswith(UNCERTIFIED):
        return result
    try:
        with time_budget(EXACT_SECONDS, PartTimeout):
            found = exact_difference(lhs, rhs, instance.sizes)
    except PartTimeout:
        return result
    if found is None:
        return result
    left, right, sign = found
    if relation_holds(relation, sign):
        return InstanceResult("agreed")
    return InstanceResult("refuted", (), left, right, reason="the two sides are exactly equal at these sizes")


def _about(label: str, difference: Expr, context: Context) -> str:
    """A structured point's label where it names something the claim reads, else "" (a random point):
    ``x = 0`` is no part of a counterexample to a claim in ``c`` alone, whose ``c`` was drawn."""
    reached = context.reached(difference)
    return label if any(word in reached for word in re.findall(r"[A-Za-z]\w*", label)) else ""


def _structured_refutation(relation: str, lhs: Expr, rhs: Expr, session: Session, plan: list[dict], ranges,
                           judge) -> Decision | None:
    """Where no random instance can be judged (no draw meets ``x^T x \\leq 1``), a structured one that
    satisfies the assumptions may still refute the claim (``x = e_1``); nothing else is concluded."""
    found = _structured(relation, lhs, rhs, session, plan, ranges, judge)
    return found if isinstance(found, Decision) and found.verdict is Verdict.REFUTED else None


def structured_sizes(plan: list[dict], constrained: bool = False) -> list[dict]:
    """The size assignments structured instances are tried at: the plan's first, and every size 1
    when the plan has it (``\\sum_i (x_i - a)^2 > 0`` fails where ``x = a``: at ``N = 1`` the
    meeting point of ``x_1`` alone)."""
    ones = next((sizes for sizes in plan if sizes and all(v == 1 for v in sizes.values())), None)
    tried = [plan[0]] + ([ones] if ones is not None and ones != plan[0] else [])
    # Under assumptions, the plan's next sizes too: a point where the sides meet may satisfy them only
    # at a larger size (\sum_i x_i < 2 under x^T x < 2 meets at x = (2/3, 2/3, 2/3), not at N = 2).
    return tried + [s for s in plan[1:2] if s not in tried] if constrained else tried


def _has_arrays(expr: Expr, context: Context) -> bool:
    """Whether ``expr`` (through definitions) names a declared vector or matrix."""
    return any(context.declared[n].kind in (Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC)
               for n in context.reached(expr) if n in context.declared)


def _meeting(relation: str, lhs: Expr, rhs: Expr, context: Context, sizes: dict, session: Session, ranges) -> Decision | None:
    """Refuted where the two sides are certainly equal at an irrational value of a scalar
    (``x^2 \\neq 2`` at ``\\sqrt 2``): a strict claim fails there."""
    try:
        with time_budget(SYMBOLIC_SECONDS, PartTimeout):
            found = (certain_zero(session, sizes, lhs - rhs, ranges)
                     or function_zero(session, sizes, lhs - rhs, ranges))
    except PartTimeout:
        return None
    if found is None:
        return None
    target, zero, base, binding, d = found
    algebraic = zero.factor is not None or zero.point is not None  # exact, not a sign change
    example = Counterexample(
        sizes=tuple((str(s), v) for s, v in base.sizes.items()),
        indices=tuple((str(i), v + 1) for i, v in binding.items()),
        lhs_value=f"the right side + {meeting.enclosure(d, zero)}", rhs_value="the right side",
        seed=base.seed, trial=base.trial, precision="exact" if algebraic else "certified by a sign change",
        note=meeting.describe(target, zero), values=shown_values(base, target, context.reached(lhs - rhs)))
    message = f"the claim {RELATIONS[relation]} fails where the two sides meet: {meeting.describe(target, zero)}"
    if _functions_named(target, context):
        message += " (every function of the claim constant at that value: an opaque function may be any function)"
    if context.assumptions:
        message += ", which satisfies the assumptions " + "; ".join(c.latex for c in context.assumptions)
    return Decision(Verdict.REFUTED, "exact" if algebraic else "certified", message, example)


def _functions_named(target, context: Context) -> bool:
    """Whether the target is the common value of opaque functions (not a declared value)."""
    declared = context.declared.get(target.name)
    return declared is not None and declared.kind in (Kind.FUNCTION, Kind.ELEMENTWISE)


def _refuted(relation: str, context: Context, result, instance, free, where: str = "", difference: Expr | None = None) -> Decision:
    example = counterexample_of(result, instance, free)
    if difference is not None:  # a structured point: its values are not the seed's draws, so show them
        names = context.reached(difference).union(*(context.reached(c.expr) for c in context.assumptions))
        example = replace(example, values=shown_values(instance, None, names))
    method = "certified" if result.inexact else "exact"
    at = f" ({where})" if where else ""
    kind = " random" if not where else " boundary" if where.split(",")[0].endswith("= 0") else " structured"
    message = f"the claim {RELATIONS[relation]} fails at a{kind} point{at}"
    if result.reason:  # a value chosen there: relu'(0) (engine/kinks.py)
        message += f", {result.reason}"
    if context.assumptions:
        message += " of an instance that satisfies the assumptions " + "; ".join(c.latex for c in context.assumptions) + " exactly"
    return Decision(Verdict.REFUTED, method, message, example)


__all__ = ["RELATIONS", "TRIALS", "boundary_instances", "decide_claim"]

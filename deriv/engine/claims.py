"""Decide a claim ``lhs R rhs`` with ``R`` one of ``<``, ``>``, ``<=``, ``>=``, ``!=``.

By the certified random tester only (never ``proved``): the two sides are
evaluated at every free-index value of several random instances that
satisfy the document's assumptions, and the sign of ``d = lhs - rhs`` is
certified at each point -- exactly when both values are exact, else from a
ball that excludes 0.  A point where the relation certainly fails is a
counterexample (``refuted``); the relation certainly holding at every point
of every instance is ``tested``.  A ball that still contains 0 at
:data:`~certified.MAX_PRECISION` (the sign can not be told: a boundary
point, or a value too close to it), or a side undefined at a point, leaves
the claim ``undecided`` with that reason.  Nothing is accepted on a sign
that is not certain.
"""

from __future__ import annotations

from collections.abc import Mapping

from flint import fmpq
from sympy import Expr, Symbol

from deriv.context import Context
from deriv.engine import certified
from deriv.engine.assumptions import relation_holds
from deriv.engine.certified import DomainError, PrecisionError
from deriv.engine.compare import InstanceResult, next_precision
from deriv.engine.decide import Decision, Session, as_expr, counterexample_of, drawn_instance
from deriv.engine.sizes import MAX_ASSIGNMENTS, assignments, step_degrees
from deriv.results import Verdict
from deriv.ir import text

#: Relations a claim may have, and how each reads in a message.
RELATIONS = {"<": "<", ">": ">", "<=": "\\leq", ">=": "\\geq", "!=": "\\neq"}
#: Random instances every claim is tested at (at least; more if the sizes ask).
TRIALS = 8


def _sign(a, b) -> int | None:
    """The certified sign of ``a - b``; None when it can not be told at this precision."""
    if certified.is_exact(a) and certified.is_exact(b):
        d = fmpq(a) - fmpq(b)
        return (d > 0) - (d < 0)
    d = certified.to_arb(a) - certified.to_arb(b)
    if d > 0:
        return 1
    if d < 0:
        return -1
    return None


def _instance(session: Session, relation: str, lhs: Expr, rhs: Expr, instance, free, ranges) -> InstanceResult:
    """``agreed``, ``refuted`` (with the point), ``redraw`` or ``undecided`` for one instance."""
    points = session.points(instance, free, ranges)
    bits = certified.START_PRECISION
    while True:
        unsure = None
        with certified.precision(bits):
            evaluator = session.evaluator(instance, bits)
            left = session.values(lhs, evaluator, free, points)
            right = session.values(rhs, evaluator, free, points)
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
                f"the sign of the difference of the two sides could not be certified at {bits} bits{at}: "
                "the two sides may be equal there, or too close to tell"))
        bits = following


def decide_claim(
    relation: str,
    lhs: Expr,
    rhs: Expr,
    context: Context,
    ranges: Mapping[Symbol, Expr],
    *,
    seed: int = 0,
    session: Session | None = None,
) -> Decision:
    """``tested``, ``refuted`` or ``undecided`` for ``lhs relation rhs`` (never ``proved``)."""
    if relation not in RELATIONS:
        return Decision(Verdict.UNDECIDED, "none", f"claims with {relation} are not decided")
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context, seed)
    free = tuple(sorted(ranges, key=text))
    per_size, total = step_degrees(lhs, rhs, context, ranges)
    plan = assignments(tuple(context.sizes), per_size, total, proved=False)
    if plan is None:
        return Decision(Verdict.UNDECIDED, "none", f"could not decide: its degree in the sizes needs more than {MAX_ASSIGNMENTS} size assignments")
    trials = max(TRIALS, len(plan))
    bits_used = 0
    for trial in range(trials):
        sizes = plan[trial % len(plan)]
        instance, result = drawn_instance(
            session, trial, sizes, lambda instance: _instance(session, relation, lhs, rhs, instance, free, ranges))
        if instance is None:
            return Decision(Verdict.UNDECIDED, "none", f"could not decide: {result.reason}")
        if result.kind == "undecided":
            return Decision(Verdict.UNDECIDED, "none", f"could not decide: {result.reason}")
        if result.kind == "refuted":
            example = counterexample_of(result, instance, free)
            method = "certified" if result.inexact else "exact"
            message = f"the claim {RELATIONS[relation]} fails at a random point"
            if context.assumptions:
                message += " of an instance that satisfies the assumptions " + "; ".join(c.latex for c in context.assumptions) + " exactly"
            return Decision(Verdict.REFUTED, method, message, example)
        bits_used = max(bits_used, result.precision)
    message = (f"holds (sign of the difference certified at every point, up to {bits_used} bits) at {trials} random "
               "instances; testing only, not proved")
    return Decision(Verdict.TESTED, "certified", message)

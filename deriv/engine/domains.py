"""Steps whose sides are defined on different sets: never ``proved``, refuted where found.

The builder records where each side is defined before SymPy cancels
(:mod:`deriv.meaning.domains`): ``\\frac{x y}{x}`` is built as ``y`` but keeps
``x != 0``.  A condition one side has and the other does not, unless the sign
prover shows it holds everywhere (``x^2 + 1 != 0``, ``\\exp(x) != 0``, a
``positive`` name), means the sides may be defined on different sets
(``\\frac{x y}{x} = y`` at ``x = 0``), so the step is not proved however equal
the normal forms are.  The tester then tries the points where a condition
fails: each declared name, then all of them, exactly 0 (a denominator) or -1
(a radicand), with every side undefined wherever one of its own conditions
fails.  One side undefined where the other is defined refutes the step;
finding none leaves it ``tested``, with a message that says why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flint import fmpq
from sympy import Expr

from deriv.engine import certified
from deriv.engine.certified import DomainError
from deriv.engine.compare import Evaluated, InstanceResult, compare_points, counterexample_of
from deriv.engine.zero_points import zeroed
from deriv.errors import UnsupportedError, swallowed
from deriv.meaning.domains import NONNEGATIVE, Condition
from deriv.results import Counterexample

Conditions = frozenset[Condition]
#: The values a name takes where a condition may fail: 0 for a denominator, -1 for a radicand.
FAILING = {"!=": fmpq(0), NONNEGATIVE: fmpq(-1)}


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


def _guarded(session, expr: Expr, conditions: Conditions, evaluator, free, points) -> list[Evaluated]:
    """The side's values, undefined wherever one of its conditions fails."""
    values = session.values(expr, evaluator, free, points)
    for condition in sorted(conditions, key=Condition.text):
        guards = session.values(condition.guard, evaluator, free, points)
        values = [Evaluated(DomainError(f"{condition.text()} fails"), v.recorder)
                  if isinstance(g.value, DomainError) and not isinstance(v.value, DomainError) else v
                  for v, g in zip(values, guards)]
    return values


def _judge(session, sides, conditions, instance, free, ranges, margin: int) -> InstanceResult | None:
    points = session.points(instance, free, ranges)
    bits = certified.START_PRECISION
    with certified.precision(bits):
        evaluator = session.evaluator(instance, bits)
        left = _guarded(session, sides[0], conditions[0], evaluator, free, points)
        right = _guarded(session, sides[1], conditions[1], evaluator, free, points)
        outcome = compare_points(points, left, right, margin, bits)
    return outcome if isinstance(outcome, InstanceResult) else None


def domain_refutation(session, sides: tuple[Expr, Expr], domains: Domains, sizes: dict, free: tuple,
                      ranges, margin: int) -> Counterexample | None:
    """A point where one side is undefined and the other defined, or None."""
    conditions = domains.conditions
    relations = {c.relation for side in domains.differing for c in side}
    for relation in sorted(relations):
        for label, instance in zeroed(session, sizes, FAILING[relation]):
            try:
                result = _judge(session, sides, conditions, instance, free, ranges, margin)
            except (UnsupportedError, ArithmeticError, ValueError, RecursionError):
                continue
            except Exception:  # noqa: BLE001 - a point not evaluated refutes nothing
                swallowed("evaluating a side where its domain condition fails")
                continue
            if result is not None and result.kind == "refuted":
                return replace(counterexample_of(result, instance, free), note=f"where {label}: {result.reason}")
    return None

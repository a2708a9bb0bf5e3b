"""Claims whose sides are defined on different sets: never ``proved``, refuted where found.

The rule equalities follow (:mod:`deriv.engine.domains`), for ``<``, ``>``,
``\\leq``, ``\\geq`` and ``\\neq``.  SymPy cancels while a member is built
(``\\frac{x^2}{x}`` is ``x``, ``(\\sqrt{x})^2`` is ``x``), so a claim's sides
carry the conditions recorded before (:mod:`deriv.meaning.domains`).  The
claim tester evaluates each side undefined wherever one of its own conditions
fails (:func:`~deriv.engine.domains.guarded`: a random point where a side is
undefined leaves the claim ``undecided``, as a visible ``\\log x`` does); where
the sides' conditions differ, no sign proof is used, and the points where a
differing condition fails are tried: a side undefined there where the other
is defined refutes the claim (``\\frac{x^2}{x} > x - 1`` at ``x = 0``).
"""

from __future__ import annotations

import itertools

from sympy import Expr

from deriv.engine.certified import DomainError, NotDifferentiable, PrecisionError
from deriv.engine.compare import InstanceResult, counterexample_of
from deriv.engine.decide import Decision, Session
from deriv.engine.domains import (Conditions, Domains, angle_point, failing_instances, guarded_sides, shown_at,
                                  size_instances, step_names)
from deriv.engine.minimums import least_sizes
from deriv.engine.plan import base_assignment
from deriv.errors import UnsupportedError, swallowed
from deriv.ir import text
from deriv.results import Counterexample, Verdict


def _one_side_undefined(session: Session, sides: tuple[Expr, Expr], conditions: tuple[Conditions, Conditions],
                        instance, free: tuple, ranges) -> InstanceResult | None:
    """The first point of ``instance`` where exactly one side is certainly undefined, or None."""
    points, left, right = guarded_sides(session, sides, conditions, instance, free, ranges)
    for point, l, r in zip(points, left, right):
        a, b = l.value, r.value
        if any(isinstance(value, (PrecisionError, NotDifferentiable)) for value in (a, b)):
            continue  # not known to be defined, or to be undefined
        if isinstance(a, DomainError) != isinstance(b, DomainError):
            side, why = ("left", a) if isinstance(a, DomainError) else ("right", b)
            return InstanceResult("refuted", point, a, b, f"the {side} side is undefined here ({why}) and the other is not")
    return None


def _refutation(session: Session, sides: tuple[Expr, Expr], domains: Domains, ranges) -> Counterexample | None:
    """A point where one side is undefined and the other defined (at the claim's least sizes), or None."""
    context = session.context
    sizes = base_assignment(tuple(context.sizes), least_sizes(sides, context))
    free = tuple(sorted(ranges, key=text))
    # Then the sizes where a condition on sizes fails (\frac{1}{N - 9} \neq 0 at N = 9, as
    # \frac{1}{x} \neq 0 at x = 0): they were tried for equalities only.
    points = itertools.chain(failing_instances(session, sizes, domains, sides, ranges),
                             size_instances(session, sizes, domains, sides))
    for label, instance in points:
        try:
            found = _one_side_undefined(session, sides, domains.conditions, instance, free, ranges)
        except (UnsupportedError, ArithmeticError, ValueError, RecursionError):
            continue
        except Exception:  # noqa: BLE001 - a point not evaluated refutes nothing
            swallowed("evaluating a claim's side where its domain condition fails")
            continue
        if found is not None:
            names = step_names(context, sides, domains)
            return shown_at(counterexample_of(found, instance, free), label, found.reason, instance, names)
    return angle_point(session, sides, domains, sizes, free)  # \tan c at c = pi/2


def domain_refuted(session: Session, relation_text: str, sides: tuple[Expr, Expr], domains: Domains,
                   ranges) -> Decision | None:
    """``refuted`` where one side of a claim whose sides' domains differ is undefined and the other
    is not, or None (also when the domains do not differ)."""
    if not domains.differ:
        return None
    found = _refutation(session, sides, domains, ranges)
    if found is None:
        return None
    method = "exact" if found.precision == "exact" else "certified"
    return Decision(Verdict.REFUTED, method, f"the claim {relation_text} fails: {found.note}", found)

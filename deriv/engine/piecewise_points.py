"""Equalities with a piecewise part, also tried where the claims look for counterexamples.

``|a - 1| = a - 1`` with ``a`` positive, and ``\\sqrt{(a - 2)^2} = a - 2`` under ``a > 1``,
agreed at every random instance: a scalar's draws seldom land in the bounded interval
where the two sides part (``(0, 1)``, ``(1, 2)``), and a draw that violates a fact about
one scalar is set just past the fact's boundary (:mod:`deriv.engine.scalar_facts`).  Two
analytic sides that agree at random points mostly agree everywhere; sides with a kink or
a branch (``|u|``, ``\\max``/``\\min``, relu, the step, a root) need not.  A step with such a
part that testing alone would call ``tested`` is therefore also judged at the claims'
structured instances of its difference (:func:`~deriv.engine.structured.structured_instances`:
names 0, each scalar at small values, where the two sides meet and between those points,
whole instances at a scale), each still satisfying the assumptions exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import sympy
from sympy import Expr

from deriv.context import Context
from deriv.engine.compare import InstanceResult, counterexample_of, shown_values
from deriv.engine.decide import Decision, Session, as_expr, decide_equal, differ_message, equality_judge
from deriv.engine.domains import NO_DOMAINS, Domains
from deriv.engine.instances import Instance
from deriv.engine.minimums import least_sizes
from deriv.engine.plan import base_assignment
from deriv.engine.structured import structured_instances
from deriv.errors import UnsupportedError
from deriv.ir import text
from deriv.results import Counterexample, Verdict

#: Functions whose value is given piece by piece (relu is ``Max(0, u)``).
PIECEWISE = (sympy.Abs, sympy.Max, sympy.Min, sympy.Heaviside, sympy.sign)


def decide_equality(lhs: Expr, rhs: Expr, context: Context, ranges, *, seed: int = 0, session: Session | None = None,
                    domains: Domains = NO_DOMAINS) -> Decision:
    """:func:`~deriv.engine.decide.decide_equal`, then a ``tested`` step with a piecewise part
    judged at the structured instances of its difference (at the step's least sizes)."""
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    session = session or Session(context, seed)
    decision = decide_equal(lhs, rhs, context, ranges, seed=seed, session=session, domains=domains)
    if decision.verdict is not Verdict.TESTED or not has_piecewise((lhs, rhs), context):
        return decision
    sizes = base_assignment(tuple(context.sizes), least_sizes((lhs, rhs), context))
    judge = equality_judge(session, lhs, rhs, ranges, domains.conditions)
    found = structured_refutation(session, sizes, lhs, rhs, ranges, tuple(sorted(ranges, key=text)), judge)
    if found is None:
        return decision
    method = "exact" if found.precision == "exact" else "certified"
    return Decision(Verdict.REFUTED, method, differ_message(context, found.note), found)


def _is_piecewise(node: sympy.Basic) -> bool:
    """A kink or a branch: a piecewise function, or a root (a power by a fraction)."""
    if isinstance(node, PIECEWISE):
        return True
    return isinstance(node, sympy.Pow) and node.exp.is_Rational is True and not node.exp.is_Integer


def has_piecewise(exprs: tuple[Expr, ...], context: Context) -> bool:
    """Whether any of ``exprs``, or a definition they reach, has a piecewise part."""
    bodies = [*exprs]
    for expr in exprs:
        bodies += [context.definitions[n].body for n in context.reached(expr) if n in context.definitions]
    return any(_is_piecewise(node) for body in bodies for node in sympy.preorder_traversal(body))


def structured_refutation(session, sizes: dict, lhs: Expr, rhs: Expr, ranges, free: tuple,
                          judge: Callable[[Instance], InstanceResult]) -> Counterexample | None:
    """The counterexample at the first structured instance where ``judge`` refutes the step,
    its note naming the structure, with the values of the step's names (not the seed's draws)."""
    difference = lhs - rhs
    for label, instance in structured_instances(session, sizes, difference, ranges):
        try:
            result = judge(instance)
        except (UnsupportedError, RecursionError, ArithmeticError, ValueError):  # too large to evaluate there
            continue
        if result.kind == "refuted":
            context = session.context
            names = context.reached(difference).union(*(context.reached(c.expr) for c in context.assumptions))
            example = counterexample_of(result, instance, free)
            return replace(example, values=shown_values(instance, None, names), note=_structured_note(label, context, names))
    return None


def _structured_note(label: str, context: Context, names: set[str]) -> str:
    """The note of a structured counterexample: its structure's label, unless that names a name
    the step does not reach (``x = 0`` beside ``|b^2 - 3b + 2|``: the drawn ``b`` refutes, shown below)."""
    named = set(re.findall(r"[A-Za-z]\w*", label)) & set(context.declared)
    return f"at a structured point ({label})" if named <= names else "at a structured point"

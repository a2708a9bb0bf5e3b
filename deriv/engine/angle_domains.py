"""Steps undefined at an irrational angle: ``\\tan c \\cos c = \\sin c`` where ``c = \\pi/2``.

The domain search (:mod:`deriv.engine.domains`) tries rational points, and a
cosine of ``a c + b`` (``a``, ``b`` rational) vanishes only where ``c`` is
irrational, so a step whose side divides by one (``\\tan``, ``\\sec``, ``\\cot``
of a shifted argument) but whose other side does not was left ``tested``.  For
a step of declared scalars only, each condition ``!= 0`` that one side has
and the other lacks, holding a sine or cosine of such an argument, is tried
where that argument is a multiple of ``\\pi/2`` (up to a turn each way), the
other scalars at their draws: SymPy evaluates the condition there exactly (its
automatic evaluation only applies identities, ``\\cos(\\pi/2)`` is 0, nothing
is rounded), and exactly 0 means that side is undefined.  The other side must
be certainly defined there -- each of its conditions a ball that excludes the
failing values, its value a finite ball (:func:`~deriv.engine.univariate.enclose`)
-- for the point to refute the step.
"""

from __future__ import annotations

from collections.abc import Iterator

import sympy
from flint import arb
from sympy import Expr, Symbol

from deriv.engine import certified
from deriv.engine.angles import linear_offset
from deriv.engine.univariate import BITS, Unknown, enclose, exact_rational
from deriv.meaning.domains import NONNEGATIVE, NONZERO, Condition
from deriv.names import Kind
from deriv.results import Counterexample

#: Multiples of pi/2 tried each way: one full turn.
QUARTERS = 4

Point = dict[Symbol, Expr]


def _scalars(context, exprs: list[Expr]) -> list[Symbol] | None:
    """The declared scalars ``exprs`` read, or None when they read anything else."""
    found: set[Symbol] = set()
    for expr in exprs:
        if expr.has(sympy.Indexed, sympy.Sum, sympy.Product):
            return None
        found |= expr.free_symbols
    if any(not (str(s) in context.declared and context.declared[str(s)].kind == Kind.SCALAR) for s in found):
        return None
    return sorted(found, key=str)


def _angles(expr: Expr, name: Symbol) -> Iterator[Expr]:
    """Values of ``name`` where a sine's or cosine's argument in ``expr`` (``name`` its only
    symbol) is a multiple of pi/2, nearest first."""
    for atom in sorted(expr.atoms(sympy.sin, sympy.cos), key=sympy.default_sort_key):
        if atom.args[0].free_symbols != {name}:
            continue
        for unit in (sympy.S.One, sympy.pi):  # a c + b, or pi (a c + b): cos(pi c) is 0 at c = 1/2
            line = linear_offset(atom.args[0] / unit, name)
            if line is not None:
                slope, rest = line
                yield from ((k * sympy.pi / 2 / unit - rest) / slope
                            for k in sorted(range(-QUARTERS, QUARTERS + 1), key=lambda k: (abs(k), k < 0)))
                break


def _expanded(expr: Expr, context) -> Expr:
    """``expr`` with each defined scalar written as its definition (``t`` for ``t = \\tan c``),
    so that the sides read declared scalars only; a few rounds (a definition may use another)."""
    for _ in range(8):
        defined = {s: context.definitions[str(s)].body for s in expr.free_symbols
                   if str(s) in context.definitions and not context.definitions[str(s)].params}
        if not defined:
            break
        expr = expr.xreplace(defined)
    return expr


def _certainly(condition: Condition, point: Point) -> bool:
    """Whether ``condition`` certainly holds at ``point`` (a ball away from where it fails)."""
    value = condition.expr.xreplace(point)
    if condition.relation == NONNEGATIVE and value is sympy.S.Zero:
        return True
    if condition.relation not in (NONZERO, NONNEGATIVE):
        return False  # a kink: not judged here
    ball = enclose(value, arb(0))
    return bool(ball > 0) if condition.relation == NONNEGATIVE else not ball.contains(0)


def _defined_value(side: Expr, conditions, point: Point) -> arb | None:
    """``side``'s value at ``point`` when it is certainly defined there, else None."""
    try:
        with certified.precision(BITS):
            if not all(_certainly(c, point) for c in conditions):
                return None
            value = enclose(side.xreplace(point), arb(0))
    except (Unknown, ValueError, TypeError, ZeroDivisionError):
        return None
    return value if value.is_finite() else None


def _shown(point: Point) -> tuple:
    return tuple((str(s), ((sympy.sstr(v),),)) for s, v in sorted(point.items(), key=lambda item: str(item[0])))


def _allowed(context, name: Symbol, value: Expr) -> bool:
    """Whether ``name`` may take ``value``: a ``positive`` name only a positive one."""
    return not context.declared[str(name)].positive or bool(value.is_positive)


def _failing_points(context, condition: Condition, names: list[Symbol], drawn: dict) -> Iterator[tuple[Symbol, Expr, Point]]:
    """Points where ``condition``'s expression is exactly 0: one name at a multiple of pi/2 of a
    sine's or cosine's argument, the others at their draws (``cos(c r)`` is ``cos(r_0 c)``)."""
    for name in names:
        others: Point = {n: exact_rational(drawn[str(n)]) for n in names if n != name}
        fixed = condition.expr.xreplace(others)
        for value in _angles(fixed, name):
            if _allowed(context, name, value) and fixed.xreplace({name: value}) is sympy.S.Zero:
                yield name, value, {**others, name: value}


def angle_refutation(session, sides: tuple[Expr, Expr], domains, sizes: dict, free: tuple,
                     drawn: dict) -> Counterexample | None:
    """A multiple of pi/2 where one side is undefined and the other certainly defined, or None.
    ``drawn`` holds the other scalars' exact values (a domain-search instance's draws)."""
    sides = (_expanded(sides[0], session.context), _expanded(sides[1], session.context))
    exprs = list(sides) + [c.expr for side in domains.conditions for c in side]
    names = _scalars(session.context, exprs)
    if free or not names or session.context.assumptions:
        return None  # an assumption may exclude the point: the random tests judge such a step
    for s, side in enumerate(domains.differing):
        for condition in (c for c in side if c.relation == NONZERO and not c.soft):
            for name, value, point in _failing_points(session.context, condition, names, drawn):
                other = _defined_value(sides[1 - s], domains.conditions[1 - s], point)
                if other is not None:
                    return _counterexample(s, condition, point, other, sizes, session.seed, name, value)
    return None


def _counterexample(s: int, condition: Condition, point: Point, other: arb, sizes: dict, seed: int,
                    name: Symbol, value: Expr) -> Counterexample:
    undefined = f"undefined ({condition.text()} fails)"
    shown = certified.show(certified.Ball(other))
    where = "left" if s == 0 else "right"
    return Counterexample(
        sizes=tuple((str(k), v) for k, v in sizes.items()), indices=(),
        lhs_value=undefined if s == 0 else shown, rhs_value=shown if s == 0 else undefined,
        seed=seed, precision=f"certified at {BITS} bits",
        note=f"where {name} = {sympy.sstr(value)}: the {where} side is undefined here ({condition.text()} fails) "
             "and the other is not",
        values=_shown(point))

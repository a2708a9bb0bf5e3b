"""A whole array set so that a violated fact about it alone holds (``x^T x \\leq 1``, ``\\|A\\|_F < 2``).

Draws lie in ``[1/12, 40]``, so a fact that bounds a norm is met by chance almost
never: every claim under it was ``undecided`` ("no random instance"), however
false.  Here the drawn array ``u`` gives a direction, and the array is set to a
point of that ray, or of the line through a point of the fact's boundary:

- on the boundary, exactly, on even trials of a non-strict fact (``\\leq``,
  ``\\geq``), where it has a rational point: ``p_0 = t e_1`` or ``t \\mathbf{1}``
  with ``t`` a rational root of the fact along that ray, then the second rational
  root ``s`` of the fact along ``p_0 + s u`` (a quadratic fact vanishes at
  ``s = 0``, so the other root is rational: a point of the unit sphere in the
  direction the draw gives), else ``p_0`` itself;
- otherwise inside, ``t u`` with ``t`` a rational found by bisection between
  ``0`` (or a power of 2 where the fact holds) and 1, taken a number of halvings
  from the boundary that grows with the trial (so the draws approach it).

The array is set only where the fact then holds exactly (certified), and every
assumption is checked again after (:func:`deriv.engine.assumptions.impose`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sympy
from flint import fmpq

from deriv.context import Constraint
from deriv.engine import certified
from deriv.engine.residuals import Unsatisfied, value_at
from deriv.errors import UnsupportedError
from deriv.names import Kind

#: :func:`deriv.engine.assumptions.holds`.
Holds = Callable[..., bool]
#: Relations of the facts met here.
_BOUNDS = (">", ">=", "<", "<=")
#: Samples of a fact along a ray or line: fitted, then checked.
_SAMPLES = tuple(fmpq(k) for k in (1, 2, 3, 4, 5, 6))
_FIT = 4
#: Powers of 2 tried for a first point inside, each way.
_POWERS = 40
_S = sympy.Symbol("s")


def meet_array_facts(instance, compiler, facts: list[Constraint], fixed: frozenset[str], holds: Holds,
                     random: bool = True) -> None:
    """Each violated fact about one declared vector or matrix alone sets it (see the module doc); on a
    ``random`` instance's boundary trial also one that holds (a small draw, at ``N = 1``), never on a
    structured one (its point is the structure: ``x = 0``)."""
    for fact in facts:
        name = _array_of(instance.context, fact, fixed)
        if name is None:
            continue
        try:
            boundary = _boundary_trial(instance, fact)
            if _holds(instance, compiler, fact, holds) and not (boundary and random):
                continue
            table = _on_boundary(instance, compiler, fact, name, holds) if boundary else None
            table = table or (None if _holds(instance, compiler, fact, holds) else _inside(instance, compiler, fact, name, holds))
        except (Unsatisfied, UnsupportedError, ArithmeticError, ValueError, TypeError):
            continue
        if table is not None:
            instance.arrays[name] = table


def _array_of(context, fact: Constraint, fixed: frozenset[str]) -> str | None:
    """The one declared array a scalar fact reads (through definitions), None otherwise."""
    if fact.relation not in _BOUNDS or fact.free or fact.over is not None:
        return None
    names = context.reached(fact.expr)
    if len(names) != 1 or names & context.definitions.keys():
        return None
    (name,) = names
    declared = context.declared.get(name)
    if name in fixed or declared is None or declared.positive or declared.is_function:
        return None
    return name if declared.kind in (Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC) else None


def _boundary_trial(instance, fact: Constraint) -> bool:
    return fact.relation in (">=", "<=") and instance.trial % 2 == 0


def _holds(instance, compiler, fact: Constraint, holds: Holds) -> bool:
    try:
        return holds(instance, compiler, fact)
    except (Unsatisfied, UnsupportedError, ArithmeticError, ValueError, TypeError):
        return False


def _scaled(table: dict, t: fmpq) -> dict:
    return {k: fmpq(v) * t for k, v in table.items()}


def _moved(base: dict, direction: dict, s: fmpq) -> dict:
    return {k: fmpq(base[k]) + s * fmpq(direction[k]) for k in base}


def _value(instance, compiler, fact: Constraint, name: str, table: dict) -> fmpq | None:
    """The fact's expression with ``name`` set to ``table``, exactly (None when it is not exact)."""
    old = instance.arrays[name]
    instance.arrays[name] = table
    try:
        value = value_at(instance, compiler, fact.expr, (), ())
    finally:
        instance.arrays[name] = old
    return fmpq(value) if certified.is_exact(value) and not isinstance(value, Exception) else None


def _rational_roots(values: list[tuple[fmpq, fmpq | None]], known_zero: bool = False) -> list[fmpq]:
    """The nonzero rational roots of the polynomial through the samples (fitted on :data:`_FIT`, the rest
    checked; with ``known_zero`` the point 0 is a root too), largest first; [] when they fit none."""
    points = [(sympy.Rational(int(a.p), int(a.q)), sympy.Rational(int(v.p), int(v.q))) for a, v in values if v is not None]
    if known_zero:
        points = [(sympy.Integer(0), sympy.Integer(0)), *points]
    if len(points) < _FIT + 1:
        return []
    poly = sympy.Poly(sympy.interpolate(points[:_FIT], _S), _S, domain="QQ")
    if poly.degree() < 1 or any(poly.eval(a) != v for a, v in points[_FIT:]):
        return []
    roots = [r for r in sympy.roots(poly) if r.is_Rational and r != 0]
    return [fmpq(int(r.p), int(r.q)) for r in sorted(roots, key=abs, reverse=True)]


def _anchors(table: dict) -> Iterator[dict]:
    """``e_1`` (``e_1 e_1^T``) and every entry 1: rays that often meet a norm's boundary rationally."""
    first = min(table)
    yield {k: fmpq(1) if k == first else fmpq(0) for k in table}
    yield {k: fmpq(1) for k in table}


def _on_boundary(instance, compiler, fact: Constraint, name: str, holds: Holds) -> dict | None:
    """A rational point where the fact's expression is exactly 0, in the draw's direction where it can."""
    drawn = instance.arrays[name]
    for anchor in _anchors(drawn):
        along = [(t, _value(instance, compiler, fact, name, _scaled(anchor, t))) for t in _SAMPLES]
        for t in _rational_roots(along):
            start = _scaled(anchor, t)
            line = [(s, _value(instance, compiler, fact, name, _moved(start, drawn, s))) for s in _SAMPLES]
            for point in [_moved(start, drawn, s) for s in _rational_roots(line, known_zero=True)] + [start]:
                if _value(instance, compiler, fact, name, point) == 0 and _kept(instance, compiler, fact, name, point, holds):
                    return point
    return None


def _kept(instance, compiler, fact: Constraint, name: str, table: dict, holds: Holds) -> bool:
    old = instance.arrays[name]
    instance.arrays[name] = table
    found = _holds(instance, compiler, fact, holds)
    instance.arrays[name] = old
    return found


def _inside(instance, compiler, fact: Constraint, name: str, holds: Holds) -> dict | None:
    """``t u`` with the fact holding, ``t`` bisected towards where it stops holding (the drawn ``u`` at
    ``t = 1`` violates it) for a number of steps that grows with the trial."""
    drawn = instance.arrays[name]
    inside = next((t for t in _powers() if _kept(instance, compiler, fact, name, _scaled(drawn, t), holds)), None)
    if inside is None:
        return None
    outside = fmpq(1)
    for _ in range(2 + 3 * (instance.trial % 8)):
        middle = (inside + outside) / 2
        if _kept(instance, compiler, fact, name, _scaled(drawn, middle), holds):
            inside = middle
        else:
            outside = middle
    return _scaled(drawn, inside)


def _powers() -> Iterator[fmpq]:
    """``0``, then ``1/2, 2, 1/4, 4, ...``: a fact that holds near 0 (a ball) or far out (outside one)."""
    yield fmpq(0)
    for k in range(1, _POWERS):
        yield fmpq(1, 2**k)
        yield fmpq(2**k)

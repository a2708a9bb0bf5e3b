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

A fact may also read declared scalars (``x^T x \\leq a``): they stay as drawn.
The array is set only where the fact then holds exactly (certified), and every
assumption is checked again after (:func:`deriv.engine.assumptions.impose`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flint import fmpq, fmpq_poly

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
#: Halvings a structured instance is moved in by, towards the boundary (within 2^-30 of it).
_STRUCTURED_STEPS = 30
#: Powers of 2 tried for a first point inside, each way.
_POWERS = 40


def meet_array_facts(instance, compiler, facts: list[Constraint], fixed: frozenset[str], holds: Holds,
                     random: bool = True) -> None:
    """Each violated fact about one declared vector or matrix alone sets it (see the module doc); on a
    ``random`` instance's boundary trial also one that holds (a small draw, at ``N = 1``), never on a
    structured one (its point is the structure: ``x = 0``)."""
    for fact in facts:
        name = bounded_array(instance.context, fact, fixed)
        if name is None:
            continue
        try:
            # On the boundary only from a random draw: a structured instance keeps its direction
            # (x = t e_1, every entry alike) and is moved inside when it violates the fact.
            boundary = random and _boundary_trial(instance, fact)
            if _holds(instance, compiler, fact, holds) and not boundary:
                continue
            table = _on_boundary(instance, compiler, fact, name, holds) if boundary else None
            table = table or (None if _holds(instance, compiler, fact, holds) else _inside(instance, compiler, fact, name, holds, random))
        except (Unsatisfied, UnsupportedError, ArithmeticError, ValueError, TypeError):
            continue
        if table is not None:
            instance.arrays[name] = table


def meet_array_equations(instance, compiler, equations: list[Constraint], fixed: frozenset[str]) -> list[Constraint]:
    """Each equation about one declared array alone (``x^T x = 1``, ``\\|A\\|_F = 2``: not linear in any
    entry, so the solver can not meet it) met by a rational point of its zero set (:func:`_on_boundary`);
    the equations so met (every equation is checked exactly after)."""
    met = []
    for equation in equations:
        name = bounded_array(instance.context, equation, fixed, relations=("=",))
        if name is None:
            continue
        try:
            if _value(instance, compiler, equation, name, instance.arrays[name]) == 0:
                met.append(equation)
                continue
            table = _on_boundary(instance, compiler, equation, name, lambda *_: True)
        except (Unsatisfied, UnsupportedError, ArithmeticError, ValueError, TypeError):
            continue
        if table is not None:
            instance.arrays[name] = table
            met.append(equation)
    return met


def bounded_array(context, fact: Constraint, fixed: frozenset[str], relations: tuple[str, ...] = _BOUNDS) -> str | None:
    """The one declared array a scalar fact reads (through definitions), beside declared scalars
    alone (``x^T x \\leq a``: ``a`` stays as drawn), None otherwise."""
    if fact.relation not in relations or fact.free or fact.over is not None:
        return None
    names = context.reached(fact.expr)
    if names & context.definitions.keys() or not all(n in context.declared for n in names):
        return None
    arrays = [n for n in names if context.declared[n].kind in (Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC)]
    if len(arrays) != 1 or any(context.declared[n].kind != Kind.SCALAR for n in names if n not in arrays):
        return None
    declared = context.declared[arrays[0]]
    return None if arrays[0] in fixed or declared.positive else arrays[0]


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
    points = [(a, v) for a, v in values if v is not None]
    if known_zero:
        points = [(fmpq(0), fmpq(0)), *points]
    if len(points) < _FIT + 1:
        return []
    poly = _interpolated(points[:_FIT])
    if poly.degree() < 1 or any(poly(a) != v for a, v in points[_FIT:]):
        return []
    roots = [fmpq(r) for r, _ in poly.roots() if r != 0]
    return sorted(roots, key=abs, reverse=True)


def _interpolated(points: list[tuple[fmpq, fmpq]]) -> fmpq_poly:
    """Lagrange's polynomial through the points, exactly."""
    total = fmpq_poly([0])
    for i, (a, v) in enumerate(points):
        term = fmpq_poly([v])
        for j, (b, _) in enumerate(points):
            if j != i:
                term = term * fmpq_poly([-b, 1]) / (a - b)
        total += term
    return total


#: First entries of the rays tried for a rational boundary point (the rest 0): their squares sum to
#: 1, 2, 3, 4, 5, 6, 9, ..., so ``x^T x \\leq c`` meets one rationally for most small ``c`` (every
#: positive rational is a sum of four rational squares, but no search finds them all).
_PATTERNS = ((1,), (1, 1), (1, 1, 1), (1, 1, 1, 1), (1, 2), (1, 1, 2), (1, 2, 2), (2, 3, 6), (1, 3), (1, 1, 3))


def _anchors(table: dict) -> Iterator[dict]:
    """Every entry 1, then :data:`_PATTERNS` on the first entries (``e_1`` first): rays that often meet a
    norm's boundary at a rational point."""
    yield {k: fmpq(1) for k in table}
    keys = sorted(table)
    for pattern in _PATTERNS:
        if len(pattern) <= len(keys):
            values = dict(zip(keys, pattern))
            yield {k: fmpq(values.get(k, 0)) for k in keys}


def _on_boundary(instance, compiler, fact: Constraint, name: str, holds: Holds) -> dict | None:
    """A rational point where the fact's expression is exactly 0, near the draw's direction: the second
    point where the line from an anchor's boundary point towards the draw, moved next to the boundary
    (:func:`_aim`), meets it (for a sphere, close to the draw's direction)."""
    drawn = instance.arrays[name]
    aim = _aim(instance, compiler, fact, name, drawn) or drawn
    for anchor in _anchors(drawn):
        along = [(t, _value(instance, compiler, fact, name, _scaled(anchor, t))) for t in _SAMPLES]
        for t in _rational_roots(along):
            start = _scaled(anchor, t)
            towards = {k: fmpq(aim[k]) - start[k] for k in start}
            line = [(s, _value(instance, compiler, fact, name, _moved(start, towards, s))) for s in _SAMPLES]
            for point in [_moved(start, towards, s) for s in _rational_roots(line, known_zero=True)] + [start]:
                if _value(instance, compiler, fact, name, point) == 0 and _kept(instance, compiler, fact, name, point, holds):
                    return point
    return None


def _aim(instance, compiler, fact: Constraint, name: str, drawn: dict) -> dict | None:
    """``t u`` for the drawn ``u`` with ``t`` within ``2^{-30}`` of where the fact's expression changes
    sign along the ray (bisected exactly), or None where it does not change sign there."""
    def sign(t: fmpq) -> int | None:
        value = _value(instance, compiler, fact, name, _scaled(drawn, t))
        return None if value is None else (value > 0) - (value < 0)
    low, low_sign = fmpq(0), sign(fmpq(0))
    high = next((t for t in _powers() if t > 0 and sign(t) not in (None, low_sign)), None)
    if low_sign in (None, 0) or high is None:
        return None
    for _ in range(_STRUCTURED_STEPS):
        middle = (low + high) / 2
        if sign(middle) == low_sign:
            low = middle
        else:
            high = middle
    return _scaled(drawn, low)


def _kept(instance, compiler, fact: Constraint, name: str, table: dict, holds: Holds) -> bool:
    old = instance.arrays[name]
    instance.arrays[name] = table
    found = _holds(instance, compiler, fact, holds)
    instance.arrays[name] = old
    return found


def _steps(instance, random: bool) -> int:
    """Halvings towards the boundary: more from trial to trial for a random draw, many for a structured
    instance (its direction is the structure: ``x`` along a gradient meets a small cap near the boundary)."""
    return 2 + 3 * (instance.trial % 8) if random else _STRUCTURED_STEPS


def _inside(instance, compiler, fact: Constraint, name: str, holds: Holds, random: bool) -> dict | None:
    """``t u`` with the fact holding, ``t`` bisected towards where it stops holding (the drawn ``u`` at
    ``t = 1`` violates it) for :func:`_steps` steps."""
    drawn = instance.arrays[name]
    inside = next((t for t in _powers() if _kept(instance, compiler, fact, name, _scaled(drawn, t), holds)), None)
    if inside is None:
        return None
    outside = fmpq(1)
    for _ in range(_steps(instance, random)):
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

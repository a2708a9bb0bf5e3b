"""Points where a domain condition on entries of arrays fails: one entry solved for.

Random entries never make ``x^T y`` zero or negative on purpose, and setting
whole names to 0 or -1 (:mod:`deriv.engine.domains`) misses a condition such
as ``x^T y \\geq 0`` (it fails where ``y = -x``) or ``x^T y \\neq 0`` (where
``x \\perp y``).  For a differing condition the search therefore reads it as a
polynomial in one drawn entry (or scalar) at a time, the others as drawn: it
evaluates the condition exactly with that entry at a few rational values, after
the document's equation assumptions are imposed (``a = x`` makes ``a``'s
condition a polynomial in ``x``), fits a polynomial of degree at most 2 (else 4)
and checks it at more values, then takes a rational root (``!=``), or for a radicand
(``>=``) a value where it is -1, its vertex or a value far out where it is
negative.  Bases besides the drawn values: each pair of arrays of one kind and
shape equal and opposite (``y = x``, ``y = -x``: ``x^T x - y^T y`` at a rational
root).  A point is kept only where the condition fails exactly and the
assumptions hold exactly (:func:`~deriv.engine.assumptions.satisfied`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping

import sympy
from flint import fmpq, fmpz
from sympy import Symbol
from sympy.core.sympify import _sympify  # strict: never parses a string

from deriv.engine import certified
from deriv.engine.assumptions import impose, satisfied
from deriv.engine.compare import evaluate
from deriv.engine.instances import Evaluator, Instance
from deriv.engine.plan import spread
from deriv.engine.zero_points import ZERO_TRIAL
from deriv.errors import UnsupportedError
from deriv.meaning.domains import NONNEGATIVE, NONZERO, Condition
from deriv.names import Kind

#: Entries (or scalars) solved for per condition and base, at most.
MAX_UNKNOWNS = 12
#: Values of a condition's indices tried, at most.
MAX_POINTS = 4
#: The values an unknown takes to read the condition as a polynomial in it (3 fit, the rest check).
PROBES = (0, 1, 2, 3, -1, -2, 5, 7, -3, 4)
#: Values fitted (a polynomial of degree at most 2, then 4), and values checked after them.
FITS, CHECKS = (3, 5), 2
#: Values tried where a radicand's polynomial falls below 0 far out (its roots irrational).
FAR = (1, -1, 10, -10, 100, -100, 10**4, -10**4)
#: Candidate values per unknown, at most.
MAX_CANDIDATES = 3
X = Symbol("domain_unknown")

Unknown = tuple[str, tuple[int, ...] | None]
Base = tuple[str, Callable[[dict], None]]


def _set(instance: Instance, unknown: Unknown, value: fmpq) -> None:
    """Set one drawn scalar or entry (and its mirror in a symmetric matrix)."""
    name, key = unknown
    if key is None:
        instance.arrays[name] = value
        return
    table = instance.arrays[name]
    table[key] = value
    if instance.context.declared[name].kind == Kind.SYMMETRIC:
        table[tuple(reversed(key))] = value


def _solvable(context, name: str) -> bool:
    declared = context.declared.get(name)
    return declared is not None and declared.is_array and not declared.is_function and \
        declared.kind not in (Kind.IDENTITY, Kind.ONES)


def unknowns(context, drawn: dict, names: set[str]) -> list[Unknown]:
    """The drawn scalars and entries of ``names`` (a symmetric matrix's upper triangle), at most
    :data:`MAX_UNKNOWNS`, spread over the names."""
    per_name = []
    for name in sorted(n for n in names if n in drawn and _solvable(context, n)):
        table = drawn[name]
        if not isinstance(table, dict):
            per_name.append([(name, None)])
            continue
        symmetric = context.declared[name].kind == Kind.SYMMETRIC
        per_name.append([(name, k) for k in sorted(table) if not symmetric or list(k) == sorted(k)])
    found = [u for group in itertools.zip_longest(*per_name) for u in group if u is not None]
    return found[:MAX_UNKNOWNS]


def _pair_bases(context, names: set[str]) -> list[Base]:
    """Each pair of arrays of one kind and shape (not positive) equal, then opposite."""
    arrays = sorted(n for n in names if _solvable(context, n) and not context.declared[n].positive
                    and context.declared[n].kind in (Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC))
    bases: list[Base] = []
    for p, q in itertools.combinations(arrays, 2):
        if (context.declared[p].kind, context.declared[p].shape) != (context.declared[q].kind, context.declared[q].shape):
            continue
        for sign, text in ((1, ""), (-1, "-")):
            bases.append((f"{q} = {text}{p}", _copier(p, q, sign)))
    return bases


def _copier(p: str, q: str, sign: int) -> Callable[[dict], None]:
    def copy(arrays: dict) -> None:
        arrays[q] = {k: sign * v for k, v in arrays[p].items()}
    return copy


def _flip(arrays: dict) -> None:
    """Every drawn scalar nonnegative (``\\sqrt{x}`` beside a factor in ``y`` stays defined)."""
    arrays.update({n: abs(v) for n, v in arrays.items() if isinstance(v, (fmpq, int))})


def _zeroer(name: str) -> Callable[[dict], None]:
    def clear(arrays: dict) -> None:
        arrays[name] = {k: fmpq(0) for k in arrays[name]}
    return clear


def _zero_bases(context, names: set[str]) -> list[Base]:
    """Each array (not positive) 0, an entry of it then solved for: a rational point of
    ``x^T x = 1`` is a unit vector, rarely one with the other entries drawn."""
    return [(f"{n} = 0", _zeroer(n)) for n in sorted(names) if _solvable(context, n)
            and not context.declared[n].positive and context.declared[n].kind != Kind.SCALAR]


def bases(context, names: set[str], drawn: dict) -> list[Base]:
    """The drawn values, every scalar nonnegative (when one is negative), pairs equal and opposite,
    each array 0."""
    flipped: list[Base] = [("", _flip)] if any(isinstance(v, (fmpq, int)) and v < 0 for v in drawn.values()) else []
    return [("", lambda arrays: None), *flipped] + _pair_bases(context, names) + _zero_bases(context, names)


def fresh(session, sizes: dict, base: Base) -> Instance:
    instance = Instance(session.context, session.seed, ZERO_TRIAL, sizes, 0)
    base[1](instance.arrays)
    return instance


def condition_value(session, instance: Instance, condition: Condition, binding: dict) -> fmpq | None:
    """The condition's expression at ``binding``, exactly (None where it is not exact or not defined)."""
    with certified.precision(certified.START_PRECISION):
        evaluator = Evaluator(instance, session.compiler, certified.START_PRECISION)
        evaluator.bindings = dict(binding)
        value = evaluate(session.compiler.compile(condition.expr), evaluator).value
    return fmpq(value) if isinstance(value, (int, fmpz, fmpq)) else None


def fails(relation: str, value: fmpq | None) -> bool:
    return value is not None and (value == 0 if relation == NONZERO else value < 0)


def _imposed(session, sizes: dict, base: Base, unknown: Unknown, value: fmpq) -> Instance | None:
    instance = fresh(session, sizes, base)
    _set(instance, unknown, value)
    try:
        impose(instance, session.compiler)
    except (UnsupportedError, ArithmeticError, ValueError, KeyError, TypeError):
        return None
    return instance


def polynomial(session, sizes: dict, base: Base, unknown: Unknown, condition: Condition,
               binding: dict) -> sympy.Poly | None:
    """The condition as a polynomial of degree 1 to 4 in ``unknown`` (the assumptions imposed at each
    value), or None: fitted at 3 values and checked at 2 more, else (``(x^T y)^3``) at 5 and 2."""
    samples: list[tuple[sympy.Integer, sympy.Rational]] = []
    for v in PROBES:
        instance = _imposed(session, sizes, base, unknown, fmpq(v))
        value = None if instance is None else _value(session, instance, condition, binding)
        if value is not None:
            samples.append((sympy.Integer(v), sympy.Rational(int(value.p), int(value.q))))
        for fit in FITS:
            if len(samples) == fit + CHECKS:
                fitted = _fitted(samples, fit)
                if fitted is not None or fit == FITS[-1]:
                    return fitted
    return None


def _fitted(samples: list, fit: int) -> sympy.Poly | None:
    """The polynomial through the first ``fit`` samples, if it meets the rest and is not constant."""
    fitted = sympy.Poly(sympy.interpolate(samples[:fit], X), X, domain="QQ")
    if fitted.degree() < 1 or any(fitted.eval(v) != f for v, f in samples[fit:]):
        return None
    return fitted


def _value(session, instance: Instance, condition: Condition, binding: dict) -> fmpq | None:
    try:
        return condition_value(session, instance, condition, binding)
    except (UnsupportedError, ArithmeticError, ValueError, KeyError, TypeError):
        return None


def candidates(poly: sympy.Poly, relation: str) -> list[sympy.Rational]:
    """Rational values where the polynomial makes the condition fail: a root (``!=``); for a radicand
    a root of ``poly + 1``, the vertex, or a value far out where it is negative."""
    if relation == NONZERO:
        found = [r for r in sympy.roots(poly) if r.is_Rational]
    else:
        found = [r for r in sympy.roots(poly + 1) if r.is_Rational]
        if poly.degree() == 2:
            a, b, _ = poly.all_coeffs()
            found.append(-b / (2 * a))
        found += [sympy.Integer(v) for v in FAR]
        found = [r for r in found if poly.eval(r) < 0]
    return sorted(set(found), key=lambda r: (abs(r), r))[:MAX_CANDIDATES]


def bindings(instance: Instance, condition: Condition, ranges: Mapping) -> list[dict]:
    """Values of the condition's indices (the step's free ones, and its own limits', whose bounds
    may read a free one: rows ``1..t``), at most :data:`MAX_POINTS`; none where they can not be told."""
    bounds = [_sympify(b) for _, low, high in condition.limits for b in (low, high)]
    used = condition.expr.free_symbols.union(*(b.free_symbols for b in bounds))
    free = [s for s in sorted(used, key=str) if s in ranges]
    found: list[dict] = []
    try:
        for point in itertools.product(*(range(instance.size(ranges[s])) for s in free)):
            binding = dict(zip(free, point))
            found += [{**binding, **inner} for inner in _limit_points(instance, condition.limits, binding)]
    except (TypeError, ValueError, KeyError):
        return []  # a bound that is not a number here
    return spread(found, MAX_POINTS)


def _limit_points(instance: Instance, limits, binding: dict) -> list[dict]:
    axes = [(index, range(instance.size(_sympify(low).xreplace(binding)),
                          instance.size(_sympify(high).xreplace(binding)) + 1)) for index, low, high in limits]
    return [dict(zip((index for index, _ in axes), point)) for point in itertools.product(*(r for _, r in axes))]


def _label(base: Base, unknown: Unknown, value: sympy.Rational) -> str:
    name, key = unknown
    entry = name if key is None else f"{name}_{{{','.join(str(k + 1) for k in key)}}}"
    return ", ".join(part for part in (base[0], f"{entry} = {value}") if part)


def solved_points(session, sizes: dict, condition: Condition, ranges: Mapping) -> Iterator[tuple[str, Instance]]:
    """Instances where ``condition`` fails, one entry or scalar solved for, the assumptions holding
    (none past a point that can not be made: the search finds fewer, it never fails the step)."""
    if condition.relation not in (NONZERO, NONNEGATIVE):
        return
    try:
        yield from _solved_points(session, sizes, condition, ranges)
    except (UnsupportedError, ArithmeticError, ValueError, TypeError, KeyError, RecursionError):
        return


def _solved_points(session, sizes: dict, condition: Condition, ranges: Mapping) -> Iterator[tuple[str, Instance]]:
    context = session.context
    names = context.reached(condition.expr)
    if any(c.relation == "=" for c in context.assumptions):
        names = names.union(*(context.reached(c.expr) for c in context.assumptions if c.relation == "="))
    drawn = Instance(context, session.seed, ZERO_TRIAL, sizes, 0)
    every = [(base, binding) for base in bases(context, names, drawn.arrays) for binding in bindings(drawn, condition, ranges)]
    for base, binding in every:  # the bases themselves first: ``y = -x`` is a plainer point than a solved entry
        kept = _kept(session, fresh(session, sizes, base), condition, binding, impose_first=True)
        if kept is not None:  # also a condition that fails everywhere (\sqrt{\sum_i 0 - 1}): as drawn
            yield base[0] or "the values drawn", kept
    among = unknowns(context, drawn.arrays, names)
    for base, binding in every:
        yield from _at_base(session, sizes, base, condition, binding, among)


def _at_base(session, sizes: dict, base: Base, condition: Condition, binding: dict,
             among: list[Unknown]) -> Iterator[tuple[str, Instance]]:
    for unknown in among:
        poly = polynomial(session, sizes, base, unknown, condition, binding)
        for root in [] if poly is None else candidates(poly, condition.relation):
            if context_forbids(session.context, unknown, root):
                continue
            instance = _imposed(session, sizes, base, unknown, fmpq(int(root.p), int(root.q)))
            kept = None if instance is None else _kept(session, instance, condition, binding)
            if kept is not None:
                yield _label(base, unknown, root), kept


def context_forbids(context, unknown: Unknown, value: sympy.Rational) -> bool:
    """A ``positive`` name never takes a value <= 0."""
    return bool(context.declared[unknown[0]].positive) and value <= 0


def _kept(session, instance: Instance, condition: Condition, binding: dict,
          impose_first: bool = False) -> Instance | None:
    """The instance, kept by the session, if the condition fails there and the assumptions hold."""
    if impose_first:
        try:
            impose(instance, session.compiler)
        except (UnsupportedError, ArithmeticError, ValueError, KeyError, TypeError):
            return None
    if not fails(condition.relation, _value(session, instance, condition, binding)):
        return None
    if not satisfied(instance, session.compiler):
        return None
    session.keep(instance)
    return instance

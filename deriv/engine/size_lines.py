r"""Whole-number sizes near where a function of up to three sizes is 0, found by scanning lines.

A claim false only where two or three sizes meet a condition together (``\sqrt{N} + \sqrt{M}
\neq 5`` at ``N = 9, M = 4``; ``N K \neq 2 M + 1000``) holds at every size the plan draws, and
solving in one size with the others held at one assignment (:mod:`deriv.engine.size_meetings`)
finds only a point of the zero set that happens to be whole there.  So every size in turn runs
along a line -- each whole number to :data:`DENSE`, then geometrically to
:data:`~deriv.engine.size_meetings.MAX_SIZE` -- with the other sizes at each small value
(:data:`OTHERS`), the difference evaluated in floats (:mod:`deriv.engine.size_numbers`; a drawn
scalar at a fixed value no draw is special at); a change of sign between two scanned sizes is
narrowed by bisection to two whole numbers next to each other.  The whole numbers where the
difference is 0 (to float accuracy), and those either side of a change of sign, are kept where
the claim's relation may fail there, smallest first.  They are only places to send the tester:
floats conclude nothing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping

import sympy
from sympy import Expr, Symbol

from deriv.engine.size_numbers import Numeric, numeric

#: Every whole number up to this is scanned; past it, sizes grow by :data:`RATIO`.
DENSE = 32
RATIO = 1.25
#: How far the other sizes run (from their least value) when a line is scanned, by how many
#: sizes the function reads: 16 x 16 lines of two sizes, 4 x 4 of three.
OTHERS = {1: 1, 2: 16, 3: 4}
#: At most this many assignments are returned (each costs the tester an instance).
MAX_CANDIDATES = 8
#: A value this small, against the size of the terms, is taken for 0 (floats only point).
TOLERANCE = 1e-9
#: Values a drawn scalar is held at: no whole-number relation among them or with sizes.
HELD = (0.7071067811865476, 1.3247179572447458, 0.5772156649015329, 2.718281828459045)


#: Whether a relation to 0 holds, by the sign of the difference.
_HOLDS = {">": lambda s: s > 0, ">=": lambda s: s >= 0, "<": lambda s: s < 0, "<=": lambda s: s <= 0,
          "!=": lambda s: s != 0}


class _Scan:
    """The float function of a difference, and how it is judged at one assignment."""

    def __init__(self, function: Numeric, terms: list[Numeric], relation: str) -> None:
        self.function, self.terms, self.relation = function, terms, relation

    def near_zero(self, at: Mapping[Symbol, float], value: float) -> bool:
        if not abs(value) <= 1e-3:  # also nan
            return False
        scale = sum(abs(t(at)) for t in self.terms)
        return abs(value) <= TOLERANCE * (1.0 + scale) if math.isfinite(scale) else False

    def may_fail(self, at: Mapping[Symbol, float]) -> bool:
        """Whether the relation may fail here: the value is 0 to float accuracy, or its sign breaks it."""
        value = self.function(at)
        if math.isnan(value):
            return False
        return self.near_zero(at, value) or not _HOLDS[self.relation]((value > 0) - (value < 0))


def line_sizes(largest: int) -> list[int]:
    """The sizes a line runs through: every one to :data:`DENSE`, then growing by :data:`RATIO`."""
    values = list(range(1, min(DENSE, largest) + 1))
    while values[-1] < largest:
        values.append(min(largest, max(values[-1] + 1, int(values[-1] * RATIO))))
    return values


def _sign(value: float) -> int:
    return 0 if math.isnan(value) else (value > 0) - (value < 0)


def _crossing(scan: _Scan, at: dict[Symbol, float], size: Symbol, low: int, high: int) -> tuple[int, int]:
    """Two whole numbers next to each other between which the difference changes sign (from a
    change between ``low`` and ``high``), by bisection; where it is undefined, as far as it got."""
    below = _sign(scan.function({**at, size: float(low)}))
    while high - low > 1:
        middle = (low + high) // 2
        sign = _sign(scan.function({**at, size: float(middle)}))
        if sign == 0:
            return middle, middle
        if sign == below:
            low = middle
        else:
            high = middle
    return low, high


def _lowest(scan: _Scan, at: dict[Symbol, float], size: Symbol, low: int, high: int) -> int:
    """The whole number between ``low`` and ``high`` where ``|difference|`` is least, by ternary
    search (where it dips towards 0 without changing sign: ``(N - 100)^2 \\neq 0``)."""
    def size_of(n: int) -> float:
        value = abs(scan.function({**at, size: float(n)}))
        return math.inf if math.isnan(value) else value

    while high - low > 2:
        first, second = low + (high - low) // 3, high - (high - low) // 3
        if size_of(first) <= size_of(second):
            high = second
        else:
            low = first
    return min(range(low, high + 1), key=size_of)


def _line(scan: _Scan, at: dict[Symbol, float], size: Symbol, values: list[int]) -> Iterator[int]:
    """Whole numbers of ``size`` on one line where the difference is 0, changes sign, or dips
    towards 0 between two scanned sizes."""
    seen: list[tuple[int, float]] = []
    for n in values:
        value = scan.function({**at, size: float(n)})
        if scan.near_zero({**at, size: float(n)}, value):
            yield from (n - 1, n, n + 1)  # a claim N \\leq 29 fails just past its zero
        if seen and _sign(seen[-1][1]) * _sign(value) < 0:
            low, high = _crossing(scan, at, size, seen[-1][0], n)
            yield from (low - 1, low, high, high + 1)
        if len(seen) > 1 and n - seen[-2][0] > 2 and abs(seen[-1][1]) < min(abs(seen[-2][1]), abs(value)):
            yield _lowest(scan, at, size, seen[-2][0], n)
        seen.append((n, value))


def near_zero_sizes(difference: Expr, relation: str, sizes: Mapping[Symbol, int], least: Mapping[Symbol, int],
                    largest: int) -> list[dict[Symbol, int]]:
    """Assignments, from ``sizes``, of at most three sizes ``difference`` reads, where it is 0 or
    changes sign and ``difference relation 0`` may fail, the smallest first (none when the
    difference reads an entry, a sum or a form the float walk does not know)."""
    read = sorted((s for s in difference.free_symbols if s in sizes), key=str)[:3]
    scan = _scan(difference, relation)
    if not read or scan is None:
        return []
    held = {s: float(v) for s, v in sizes.items()}
    held.update(zip(sorted(difference.free_symbols - set(sizes), key=str), itertools.cycle(HELD)))
    found: set[tuple[int, ...]] = set()
    for size in read:
        others = [s for s in read if s != size]
        low = max(least.get(size, 1), 1)
        line = [n for n in line_sizes(largest) if n >= low]
        for values in _others(others, least):
            at = {**held, **{s: float(v) for s, v in zip(others, values)}}
            for n in _line(scan, at, size, line):
                if low <= n <= largest:
                    found.add(tuple(n if s == size else int(at[s]) for s in read))
    return _kept(scan, found, read, held, sizes)


def _scan(difference: Expr, relation: str) -> _Scan | None:
    if any(not isinstance(s, Symbol) for s in difference.free_symbols):
        return None
    function = numeric(difference)
    terms = [numeric(t) for t in sympy.Add.make_args(difference)]
    if function is None or any(t is None for t in terms):
        return None
    return _Scan(function, [t for t in terms if t is not None], relation)


def _others(others: list[Symbol], least: Mapping[Symbol, int]) -> Iterator[tuple[int, ...]]:
    ranges = [range(max(least.get(s, 1), 1), max(least.get(s, 1), 1) + OTHERS[len(others) + 1]) for s in others]
    return itertools.product(*ranges)


def _kept(scan: _Scan, found: set[tuple[int, ...]], read: list[Symbol], held: dict[Symbol, float],
          sizes: Mapping[Symbol, int]) -> list[dict[Symbol, int]]:
    """The assignments where the relation may fail, smallest first, at most :data:`MAX_CANDIDATES`."""
    kept: list[dict[Symbol, int]] = []
    for values in sorted(found, key=lambda v: (sum(v), v)):
        at = {**held, **{s: float(v) for s, v in zip(read, values)}}
        candidate = {**sizes, **dict(zip(read, values))}
        if candidate != dict(sizes) and scan.may_fail(at):
            kept.append(candidate)
            if len(kept) == MAX_CANDIDATES:
                break
    return kept

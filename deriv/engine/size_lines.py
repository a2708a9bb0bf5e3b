r"""Whole-number sizes near where a function of up to three sizes is 0, found by scanning lines.

A claim false only at a few sizes, or where two or three sizes meet a condition together
(``\sqrt{N} + \sqrt{M} \neq 5`` at ``N = 9, M = 4``; ``N K \neq 2 M + 1000``), holds at every size the
plan draws.  So every size in turn runs along a line -- each whole number to :data:`DENSE`, then
growing by :data:`RATIO` to the largest size -- with the other sizes at each small value
(:data:`OTHERS`, the smallest first, as far as :data:`MAX_WORK` allows), the difference evaluated
in floats (:mod:`deriv.engine.size_numbers`; a drawn scalar held at a value no draw is special
at).  A change of sign between two scanned sizes is narrowed by bisection to two whole numbers
next to each other, a dip towards 0 between them by ternary search to its least one, and of a
run of sizes where the difference is 0 to float accuracy (for an equality: where it is not)
the ends are kept.  The argument of each kink or step (``|u|``, ``\max``, a sign) is scanned the
same way, for its zeros: ``\operatorname{relu}(1 - |N - 97|)`` is 0 on both sides of 97 and 1 there.
Of the sizes found, those where floats say the relation fails come first, then those where the
difference is 0 to float accuracy, each smallest first.  They are only places to send the
tester: floats conclude nothing.
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
#: Evaluations times the expression's nodes a scan may do (a line of a small difference costs
#: about a thousandth of it); lines past it, those with the largest other sizes, are not scanned,
#: and the same lines are scanned on every run: no clock decides it.
MAX_WORK = 200_000
#: Values a drawn scalar is held at: no whole-number relation among them or with sizes.
HELD = (0.7071067811865476, 1.3247179572447458, 0.5772156649015329, 2.718281828459045)


#: Whether a relation to 0 holds, by the sign of the difference.
_HOLDS = {">": lambda s: s > 0, ">=": lambda s: s >= 0, "<": lambda s: s < 0, "<=": lambda s: s <= 0,
          "!=": lambda s: s != 0, "=": lambda s: s == 0}
#: Kink arguments scanned besides the difference, at most.
MAX_KINKS = 4


class _Scan:
    """The float function of a difference, and how it is judged at one assignment."""

    def __init__(self, function: Numeric, terms: list[Numeric], relation: str, nodes: int) -> None:
        self.terms, self.relation, self.nodes = terms, relation, nodes
        self._function, self.calls = function, 0

    def function(self, at: Mapping[Symbol, float]) -> float:
        self.calls += 1
        return self._function(at)

    def spent(self) -> bool:
        """Whether the scan has done its :data:`MAX_WORK`."""
        return self.calls * self.nodes > MAX_WORK

    def near_zero(self, at: Mapping[Symbol, float], value: float) -> bool:
        if not abs(value) <= 1e-3:  # also nan
            return False
        scale = sum(abs(t(at)) for t in self.terms)
        return abs(value) <= TOLERANCE * (1.0 + scale) if math.isfinite(scale) else False

    def failing(self, at: Mapping[Symbol, float]) -> int | None:
        """0 where floats say the relation fails here, 1 where the value is 0 to float accuracy and
        the relation is not an equality (which such a value is taken to keep), else None."""
        value = self.function(at)
        if math.isnan(value):
            return None
        if self.near_zero(at, value):
            return None if self.relation == "=" else 1
        return None if _HOLDS[self.relation]((value > 0) - (value < 0)) else 0


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


def _marked(scan: _Scan, at: dict[Symbol, float], value: float) -> bool:
    """Whether a scanned size is one to try: the difference 0 there to float accuracy, or for an
    equality, not 0 (its sides differ there)."""
    if math.isnan(value):
        return False
    near = scan.near_zero(at, value)
    return not near if scan.relation == "=" else near


def _line(scan: _Scan, at: dict[Symbol, float], size: Symbol, values: list[int]) -> Iterator[int]:
    """Whole numbers of ``size`` on one line where the difference is 0 (for an equality, not 0),
    changes sign, or dips towards 0 between two scanned sizes.  Of a run of such sizes only its
    ends are given (a claim ``N \\leq 29`` fails just past its zero; a difference 0 everywhere has
    a single run)."""
    seen: list[tuple[int, float]] = []
    was_marked = False
    for n in values:
        value = scan.function({**at, size: float(n)})
        marked = _marked(scan, {**at, size: float(n)}, value)
        if marked and not was_marked:
            yield from (n - 1, n, n + 1)
        elif was_marked and not marked:
            yield from (seen[-1][0], n)
        was_marked = marked
        if seen and _sign(seen[-1][1]) * _sign(value) < 0:
            low, high = _crossing(scan, at, size, seen[-1][0], n)
            yield from (low - 1, low, high, high + 1)
        if len(seen) > 1 and n - seen[-2][0] > 2 and abs(seen[-1][1]) < min(abs(seen[-2][1]), abs(value)):
            yield _lowest(scan, at, size, seen[-2][0], n)
        seen.append((n, value))


def near_zero_sizes(difference: Expr, relation: str, sizes: Mapping[Symbol, int], least: Mapping[Symbol, int],
                    largest: int) -> list[dict[Symbol, int]]:
    """Assignments, from ``sizes``, of at most three sizes ``difference`` reads, where it -- or the
    argument of a kink in it (:func:`_kinks`) -- is 0 or changes sign and ``difference relation 0``
    may fail, the smallest first (none when the difference reads an entry, a sum or a form the
    float walk does not know)."""
    read = sorted((s for s in difference.free_symbols if s in sizes), key=str)[:3]
    judged = _scan(difference, relation) if read else None
    if judged is None:
        return []
    held = {s: float(v) for s, v in sizes.items()}
    held.update(zip(sorted(difference.free_symbols - set(sizes), key=str), itertools.cycle(HELD)))
    found: set[tuple[int, ...]] = set()
    for target in (difference, *_kinks(difference, read)):
        scan = judged if target is difference else _scan(target, "!=")
        if scan is not None:
            found |= _scanned(scan, read, held, least, largest)
    return _kept(judged, found, read, held, sizes)


def _kinks(difference: Expr, read: list[Symbol]) -> list[Expr]:
    """The arguments where a kink or step of ``difference`` sits (``|N - 97|``, ``\\max(0, u)``, a
    floor), at most :data:`MAX_KINKS`: a difference 0 on both sides of one size and not at it
    (``\\operatorname{relu}(1 - |N - 97|)``) shows no change of sign, only its arguments do."""
    found: list[Expr] = []
    for node in sympy.preorder_traversal(difference):
        if isinstance(node, (sympy.Min, sympy.Max)) and len(node.args) == 2:
            argument = node.args[0] - node.args[1]
        elif isinstance(node, (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.floor, sympy.ceiling)):
            argument = node.args[0]
        else:
            continue
        if argument.free_symbols & set(read) and argument not in found:
            found.append(argument)
    return found[:MAX_KINKS]


def _scanned(scan: _Scan, read: list[Symbol], held: dict[Symbol, float], least: Mapping[Symbol, int],
             largest: int) -> set[tuple[int, ...]]:
    """The values of ``read`` on the lines where ``scan``'s function is 0 or changes sign."""
    found: set[tuple[int, ...]] = set()
    for size, values in _lines(read, least):
        if scan.spent():
            break
        others = [s for s in read if s != size]
        low = max(least.get(size, 1), 1)
        at = {**held, **{s: float(v) for s, v in zip(others, values)}}
        for n in _line(scan, at, size, [n for n in line_sizes(largest) if n >= low]):
            if low <= n <= largest:
                found.add(tuple(n if s == size else int(at[s]) for s in read))
    return found


def _scan(difference: Expr, relation: str) -> _Scan | None:
    if any(not isinstance(s, Symbol) for s in difference.free_symbols):
        return None
    function = numeric(difference)
    terms = [numeric(t) for t in sympy.Add.make_args(difference)]
    if function is None or any(t is None for t in terms):
        return None
    nodes = sum(1 for _ in sympy.preorder_traversal(difference))
    return _Scan(function, [t for t in terms if t is not None], relation, nodes)


def _lines(read: list[Symbol], least: Mapping[Symbol, int]) -> list[tuple[Symbol, tuple[int, ...]]]:
    """Each size to run along, with values of the others, the smallest others first."""
    lines = []
    for size in read:
        others = [s for s in read if s != size]
        ranges = [range(max(least.get(s, 1), 1), max(least.get(s, 1), 1) + OTHERS[len(read)]) for s in others]
        lines += [(size, values) for values in itertools.product(*ranges)]
    return sorted(lines, key=lambda line: sum(line[1]))


def _kept(scan: _Scan, found: set[tuple[int, ...]], read: list[Symbol], held: dict[Symbol, float],
          sizes: Mapping[Symbol, int]) -> list[dict[Symbol, int]]:
    """The assignments where the relation may fail, at most :data:`MAX_CANDIDATES`: first where
    floats say it fails, then where the difference is 0 to float accuracy, each smallest first."""
    ranked: list[tuple[int, int, tuple[int, ...]]] = []
    for values in found:
        rank = scan.failing({**held, **{s: float(v) for s, v in zip(read, values)}})
        if rank is not None and {**sizes, **dict(zip(read, values))} != dict(sizes):
            ranked.append((rank, sum(values), values))
    return [{**sizes, **dict(zip(read, values))} for _, _, values in sorted(ranked)[:MAX_CANDIDATES]]

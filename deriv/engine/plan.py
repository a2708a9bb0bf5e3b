"""Which size assignments, and which free-index values, a step is tested at.

Without a proof: the grid of :mod:`deriv.engine.sizes` (the lower set of the
step's degrees in the sizes, pairwise distinct sizes: no polynomial identity
in the sizes passes by accident), every free-index value; then where the grid
never looks -- the step's sizes at their smallest distinct values, every
size 1, each size 1 in turn, the sizes in the opposite order, all equal at 2 when the
grid does not cover the step (``N > 1``,
``\\sqrt{(N-2)^2} = N - 2`` and ``X^T X \\succ 0`` for ``X`` with fewer rows than
columns fail only there) -- and, when the grid does not cover the step (its
value is not a polynomial in the sizes, or the lower set is too large), sizes
drawn wide.  Agreement at a grid that covers the step is evidence for every
size; otherwise the plan's ``why`` says why not, and a message names the
sizes tested.  After a proof: every free-index value at the smallest sizes,
some spread at sizes where each changes and every two are in the other
order, and at size 1 -- so a wrong proof is caught.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass

from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy import Expr, Symbol

from deriv.context import Context
from deriv.engine.minimums import Least, least_sizes, respecting
from deriv.engine.patterns import pattern_sign
from deriv.engine.sizes import (
    MAX_ASSIGNMENTS,
    MIN_UNPROVED,
    Bound,
    assignment,
    grid_levels,
    involved_sizes,
    step_bound,
)
from deriv.ir import text

#: Trial numbers of the assignments added to the grid start here (apart from the
#: grid's and from a claim's repeated ones, at most :data:`MAX_ASSIGNMENTS`).
EXTRA_TRIAL = 100
#: Ranges the wide sizes are drawn from, one assignment each (cycled).
WIDE_RANGES = ((5, 8), (9, 14), (15, 24))
#: The other sizes of a wide assignment are drawn from 1 to this.
SMALL = 4
#: A claim's sizes each run through 1 to this, one at a time.
RUN = 8
#: Trial numbers of the assignments added for the sizes' parities start here (a
#: multiple of 4: the residue of a trial number mod 4 is its sign pattern's class).
PARITY_TRIAL = 200
#: The parities of at most this many of a step's sizes are covered (2 ** 3 combinations).
PARITY_SIZES = 3
#: Free-index values compared at an assignment where not every one is.
SPREAD_POINTS = 8
#: Free-index values compared at a grid assignment past the base when the grid covers nothing.
GRID_POINTS = 1024
#: The same after a proof, past the first assignment (the step's cost stays that of
#: its smallest sizes: benchmarks/bench_check.py's per-step median).
PROVED_SPREAD = 4


def small_base(sizes: tuple[Symbol, ...], varying: list[Symbol], least: Least | None = None) -> dict[Symbol, int]:
    """The base, but the varying sizes at the smallest distinct nodes among themselves
    (the base gives every size of the document its own node); each at its least value
    or above (:mod:`deriv.engine.minimums`)."""
    return {**assignment(sizes, {}, least), **assignment(tuple(varying), {}, least)}


def small_assignments(sizes: tuple[Symbol, ...], varying: list[Symbol],
                      least: Least | None = None) -> list[dict[Symbol, int]]:
    """Where the grid never looks: every size 1; each varying size 1 in turn (the
    others at their base); the base sizes in the opposite order (so any two
    sizes meet in both orders: ``X^T X`` for ``X`` with fewer rows than columns).
    A size with a least value takes it for 1 (:func:`_with_extras`)."""
    base = assignment(sizes, {}, least)
    found = [{s: 1 for s in sizes}]
    if len(varying) > 1:
        found += [{**base, s: 1} for s in varying]
    ranked = sorted(sizes, key=lambda s: base[s])  # the base need not rise in declaration order
    found.append(dict(zip(ranked, reversed([base[s] for s in ranked]))))
    return found


def wide_assignments(sizes: tuple[Symbol, ...], varying: list[Symbol], seed: int,
                     least: Least | None = None) -> list[dict[Symbol, int]]:
    """For a step the grid does not cover (its value is not a polynomial in the
    sizes, so it can agree at the grid's few small nodes only): one varying
    size at a time drawn from :data:`WIDE_RANGES`, the others small (1 to
    :data:`SMALL`, in any order), all drawn from ``seed``.  One size wide at a
    time keeps the cost that of one large size."""
    base = assignment(sizes, {}, least)
    found = []
    rng = random.Random(f"deriv:sizes:{seed}")
    offset = rng.randrange(len(varying)) if varying else 0
    for k in range(max(len(WIDE_RANGES), len(varying)) if varying else 0):
        lo, hi = WIDE_RANGES[k % len(WIDE_RANGES)]
        wide = varying[(k + offset) % len(varying)]
        found.append({**base, **{s: rng.randint(1, SMALL) for s in varying}, wide: rng.randint(lo, hi)})
    return found


def equal_assignments(sizes: tuple[Symbol, ...], varying: list[Symbol],
                      least: Least | None = None) -> list[dict[Symbol, int]]:
    """For a step the grid does not cover: every varying size 2, the others at their base.
    The grid keeps sizes apart and meets them equal only at 1, where a square and a
    rectangular matrix can not differ: ``\\det(C C^T)\\det(C^T C)(\\det(C C^T) - \\operatorname{tr}(C C^T)^N) = 0``
    for ``C: matrix N x M`` holds at every size but ``N = M >= 2``."""
    if len(varying) < 2:
        return []
    return [{**assignment(sizes, {}, least), **{s: 2 for s in varying}}]


@dataclass(frozen=True)
class Trial:
    """One size assignment of a plan: its trial number, and at how many free-index
    values (None: every one).  An ``extra`` one that can not be evaluated is left
    out (the message names the sizes that were tested), never the reason for ``undecided``."""

    number: int
    sizes: dict
    limit: int | None = None
    extra: bool = False


@dataclass(frozen=True)
class Plan:
    """The trials a step is tested at, the grid first; ``why`` says why agreement
    there does not cover every size ("" when the grid covers the step's degree)."""

    trials: tuple[Trial, ...]
    grid: int
    why: str = ""

    def schedule(self, minimum: int = 0) -> list[Trial]:
        """The trials, the grid's repeated (with new trial numbers) until it has ``minimum``."""
        grid, extras = list(self.trials[: self.grid]), list(self.trials[self.grid:])
        for number in range(len(grid), minimum):
            again = grid[number % self.grid]
            grid.append(Trial(number, again.sizes, again.limit))
        return grid + extras


def plan(sizes: tuple[Symbol, ...], bound: Bound, *, seed: int = 0, minimum: int = MIN_UNPROVED,
         claim: bool = False, signed: bool = False, least: Least | None = None) -> Plan:
    """The size assignments to test a step without a proof at.

    The grid (the lower set of the degrees, at pairwise distinct sizes; its
    base alone when the lower set is too large) at every free-index value;
    then the step's sizes at the smallest distinct values, size 1, the other
    order and, when the grid does not cover the step (no degree bound, or
    too many assignments), sizes drawn wide at :data:`SPREAD_POINTS`
    free-index values each.  A ``claim`` is never covered (a polynomial's sign
    between two sizes tested says nothing about the sizes between): each size
    also runs through 1 to :data:`RUN`, the others at their base.  A ``signed``
    step (one with a scalar that may be negative) also gets :func:`parity_trials`.
    Every assignment has each size at its ``least`` value or above.
    """
    levels, whole = grid_levels(sizes, bound.per_size, bound.total, minimum)
    why = bound.unbounded or ("" if whole else f"its degree in the sizes needs more than {MAX_ASSIGNMENTS} size assignments")
    varying = [s for s in sizes if bound.per_size.get(s)]
    if claim and varying:
        why = why or "the sign of a difference at some sizes does not fix it at others"
    least = least or {}
    # Past its base the grid covers nothing when the value is no polynomial in the sizes:
    # there, as many free-index values as an ordinary step has, not the square of a
    # product of sizes (a Kronecker product's entries).
    limit = GRID_POINTS if why else None
    grid = [Trial(k, assignment(sizes, a, least), limit if k else None) for k, a in enumerate(levels)]
    extra: list[tuple[dict, int | None]] = [(small_base(sizes, varying, least), None)]
    extra += [(a, None) for a in small_assignments(sizes, varying, least)]
    if claim:
        base = assignment(sizes, {}, least)
        extra += [({**base, s: n}, SPREAD_POINTS) for s in varying for n in range(1, RUN + 1)]
    if why:
        extra += [(a, SPREAD_POINTS) for a in wide_assignments(sizes, varying, seed, least)]
        extra += [(a, SPREAD_POINTS) for a in equal_assignments(sizes, varying, least)]
    trials = _with_extras(grid, extra, least)
    if signed:
        trials += parity_trials(trials, sizes, varying, least)
    return Plan(trials, len(grid), why)


def _parities(sizes: Mapping[Symbol, int], which: list[Symbol]) -> tuple[int, ...]:
    return tuple(sizes[s] % 2 for s in which)


def _negative_everywhere(numbers: set[int]) -> bool:
    """Whether the sign patterns of these trial numbers make each declared scalar
    negative in at least one of them (pattern 0 is all positive; in pattern ``k``
    every scalar but one class mod 4 is negative, so two classes suffice)."""
    return all(any(pattern_sign(n, k) < 0 for k in numbers if k) for n in range(4))


def parity_trials(trials: tuple[Trial, ...], sizes: tuple[Symbol, ...], varying: list[Symbol],
                  least: Least | None = None) -> tuple[Trial, ...]:
    """Trials added so that, for every combination of parities of the step's sizes
    (the first :data:`PARITY_SIZES`), each scalar that may be negative is negative
    in some instance: a power by a product or sum of sizes is odd at one
    combination only (``\\sqrt{x^{2MN}} = x^{MN}`` fails only at M, N both odd), and
    the patterns, which follow the trial number, need not meet it there otherwise.
    Each missing combination gets its smallest assignment near the base, at trial
    numbers whose patterns complete the cover (bounded: two per combination)."""
    which = varying[:PARITY_SIZES]
    base = small_base(sizes, varying, least)  # raised by at most 1 below: still at least ``least``
    added: list[Trial] = []
    for index, combo in enumerate(itertools.product((0, 1), repeat=len(which))):
        numbers = {t.number for t in trials if _parities(t.sizes, which) == combo}
        if not which or _negative_everywhere(numbers):
            continue
        at = {**base, **{s: base[s] + (base[s] % 2 != p) for s, p in zip(which, combo)}}
        for r in (1, 2, 3):
            number = PARITY_TRIAL + 4 * index + r
            if not _negative_everywhere(numbers):
                numbers.add(number)
                added.append(Trial(number, at, SPREAD_POINTS, extra=True))
    return tuple(added)


def proved_plan(sizes: tuple[Symbol, ...], involved: frozenset[Symbol], least: Least | None = None) -> Plan:
    """The size assignments to test a proved step at (a check on the proof engine):
    every free-index value at the smallest distinct values of the sizes the step
    involves; :data:`PROVED_SPREAD` where each of them changes and every two are
    in the other order; and size 1.  Involved sizes, not degrees: a chain's
    members share them, and so the instances and the values there.  Each size at its
    ``least`` value or above ("size 1" is that value)."""
    least = least or {}
    varying = [s for s in sizes if s in involved] or list(sizes)
    first = small_base(sizes, varying, least)
    # Reversed; with a middle size that reversing leaves in place, one down (so the
    # sizes stay small: 3, 2, 1 after 2, 3, 4), or up for a lone size.
    shift = 0 if len(varying) % 2 == 0 else -1 if len(varying) > 1 else 1
    ranked = sorted(varying, key=lambda s: first[s])  # declaration order, unless a least value moved one
    other = {**first, **dict(zip(ranked, [first[s] + shift for s in reversed(ranked)]))}
    # Numbered 0, 1, 2 and kept even when equal (no sizes): lone scalars run
    # through sign patterns by trial number (sqrt(a^2) = a fails at the second).
    other, ones = respecting(other, least), respecting({s: 1 for s in sizes}, least)
    return Plan((Trial(0, first), Trial(1, other, PROVED_SPREAD, extra=True), Trial(2, ones, PROVED_SPREAD, extra=True)), 1)


def step_plan(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr], *,
              proved: bool = False, seed: int = 0, memo: dict | None = None, minimum: int = MIN_UNPROVED,
              claim: bool = False, signed: bool = False) -> Plan:
    """The plan for one step: :func:`proved_plan` after a proof, else :func:`plan`
    (``memo``: see :func:`involved_sizes`; ``minimum``: grid assignments, at least),
    at the least sizes its fixed entries need (:func:`least_sizes`)."""
    sizes = tuple(context.sizes)
    least = least_sizes((_sympify(lhs), _sympify(rhs)), context)
    if proved:
        involved = (involved_sizes(_sympify(lhs), context, ranges, memo)
                    | involved_sizes(_sympify(rhs), context, ranges, memo))
        return proved_plan(sizes, involved, least)
    return plan(sizes, step_bound(lhs, rhs, context, ranges), seed=seed, minimum=minimum, claim=claim, signed=signed,
                least=least)


def _with_extras(grid: list[Trial], extra: list[tuple[dict, int | None]], least: Least | None = None) -> tuple[Trial, ...]:
    """The grid's trials, then each extra assignment not already tried (each size raised
    to its ``least`` value: :func:`respecting`), numbered by kind."""
    trials, seen = list(grid), [t.sizes for t in grid]
    for k, (a, limit) in enumerate(extra):
        a = respecting(a, least or {})
        if a not in seen:  # numbered by kind, not position: a chain's members share instances
            seen.append(a)
            trials.append(Trial(EXTRA_TRIAL + k, a, limit, extra=True))
    return tuple(trials)


def sizes_to_try(sizes: tuple[Symbol, ...]) -> list[dict[Symbol, int]]:
    """Size assignments for a caller that tests at sizes of its own choosing (a
    statement about a matrix): the grid's three, every size 1, each size 1 in turn,
    the sizes in the opposite order."""
    grid = [Trial(k, assignment(sizes, a)) for k, a in enumerate(grid_levels(sizes, {}, 0)[0])]
    extra: list[tuple[dict, int | None]] = [(a, None) for a in small_assignments(sizes, list(sizes))]
    return [t.sizes for t in _with_extras(grid, extra)]


def base_assignment(sizes: tuple[Symbol, ...], least: Least | None = None) -> dict[Symbol, int]:
    """Every size at its first node (pairwise distinct, in declaration order), at its
    ``least`` value or above."""
    return assignment(sizes, {}, least)


def spread(points: list, limit: int) -> list:
    """``limit`` of ``points``: half evenly spaced (the first and last among them),
    half a fixed random draw from the rest -- evenly spaced points of a cube of
    free-index values lie on its diagonal, where every index is equal."""
    if len(points) <= limit:
        return points
    even = max(2, limit // 2)
    step = (len(points) - 1) / (even - 1)
    chosen = {round(k * step) for k in range(even)}
    rest = [k for k in range(len(points)) if k not in chosen]
    chosen.update(random.Random(len(points)).sample(rest, min(len(rest), limit - len(chosen))))
    return [points[k] for k in sorted(chosen)]


def sizes_text(tested: list[dict[Symbol, int]]) -> str:
    """``N=2, M=3; N=1, M=1`` for a message (assignments without sizes left out)."""
    return "; ".join(", ".join(f"{text(s)}={v}" for s, v in a.items()) for a in tested if a)

"""``H \\succ 0 \\implies \\lambda(H) > 0`` on random rational matrices, each certified exactly.

Matrices of sizes 1 to 30 (every size in turn), of four families:

* ``B B^T + I`` with ``B`` square, small entries (well conditioned);
* ``B B^T + 10^{-3} I`` with ``B`` of rank ``n - 1``: nearly singular, its
  smallest eigenvalue exactly ``10^{-3}``, condition numbers ``10^5`` to ``10^7``;
* ``B B^T + I`` with ``B`` of two columns (a low-rank bump);
* the Hilbert matrix ``1/(i + j - 1)`` (condition number ``10^{42}`` at 30).

A rational matrix is scaled by a positive integer to an integer one (which
changes no sign), then certified by two exact computations, never by
floating point:

* **positive definite** by its pivots: the fraction-free LU (Bareiss,
  ``fmpz_mat.fflu``) without row exchanges has the leading principal
  minors ``M_k`` on its diagonal, and the pivots ``M_k / M_{k-1}`` are all
  ``> 0``;
* **every eigenvalue positive** by the exact characteristic polynomial
  (``fmpz_mat.charpoly``): its coefficients alternate strictly in sign, so
  by Descartes' rule it has no root ``<= 0`` -- exact, because a symmetric
  matrix's characteristic polynomial is real-rooted.

The smallest eigenvalue seen is reported as a certified lower bound: for
positive roots, ``1/\\lambda_{min} <= \\sum 1/\\lambda_i = e_{n-1}/e_n``, so
``\\lambda_{min} >= e_n / e_{n-1}`` (within a factor ``n`` of the truth).
The semi-definite twin draws ``B B^T`` with ``B`` of rank below ``n``
(certified positive semi-definite by that exact factor) and checks the
coefficients alternate weakly: no root ``< 0``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from flint import fmpq, fmpz, fmpz_mat

#: Matrices the claim is checked on, and their largest size.
COUNT = 10_000
MAX_SIZE = 30
#: The family of each block of ``MAX_SIZE`` matrices (sizes 1..30) after the first, Hilbert, block.
SCHEDULE = ("well-conditioned", "low rank + I", "nearly singular", "well-conditioned", "low rank + I")
#: Matrices between two calls of a ``tick`` (a sign of life for a supervisor).
TICK = 250
#: Nearly singular matrices are B B^T + I / RIDGE.
RIDGE = 10**3


@dataclass
class RandomCheck:
    """Counts and the smallest eigenvalue seen; ``failure`` describes a matrix that failed."""

    count: int = 0
    sizes: tuple[int, int] = (0, 0)
    families: dict[str, int] = field(default_factory=dict)
    smallest: fmpq | None = None
    failure: str | None = None

    def describe(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in self.families.items())
        bound = f"; smallest eigenvalue >= {float(self.smallest):.3g} (certified)" if self.smallest is not None else ""
        return f"{self.count} random matrices of sizes {self.sizes[0]} to {self.sizes[1]} ({kinds}){bound}"


_IDENTITY: dict[int, fmpz_mat] = {}


def _identity(n: int) -> fmpz_mat:
    if n not in _IDENTITY:
        _IDENTITY[n] = fmpz_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])
    return _IDENTITY[n]


#: Base matrices per shape; each drawn ``B`` is the sum or difference of two of them.
POOL = 24


class _Draws:
    """Random integer matrices from a seeded generator (FLINT's own can not be seeded).

    Building a matrix from Python integers costs a third of certifying it,
    so each shape gets :data:`POOL` base matrices with entries 0 or 1, and a
    draw is ``A_i - A_j`` for random ``i != j``: entries -1, 0, 1 (small
    entries keep the exact arithmetic fast), ``POOL (POOL - 1)`` distinct
    matrices per shape, each made in C.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pools: dict[tuple[int, int], list[fmpz_mat]] = {}

    def __call__(self, rows: int, cols: int) -> fmpz_mat:
        rng = self.rng
        pool = self.pools.get((rows, cols))
        if pool is None:
            pool = self.pools[rows, cols] = [
                fmpz_mat(rows, cols, [b & 1 for b in rng.randbytes(rows * cols)]) for _ in range(POOL)]
        i, j = rng.sample(range(POOL), 2)
        return pool[i] - pool[j]


def _matrix(family: str, n: int, draw: _Draws) -> tuple[fmpz_mat, int]:
    """An integer matrix ``S H`` and the scale ``S`` of the rational ``H``."""
    if family == "Hilbert":
        scale = math.lcm(*range(1, 2 * n))
        return fmpz_mat(n, n, [scale // (i + j + 1) for i in range(n) for j in range(n)]), scale
    if family == "nearly singular":
        b = draw(n, n - 1) if n > 1 else fmpz_mat(1, 1, [0])
        return b * b.transpose() * fmpz(RIDGE) + _identity(n), RIDGE
    b = draw(n, n if family == "well-conditioned" else min(2, n))
    return b * b.transpose() + _identity(n), 1


def positive_pivots(h: fmpz_mat) -> bool:
    """Exact: every leading principal minor (so every pivot of ``L D L^T``) is positive."""
    n = h.nrows()
    p, _, _, u = h.fflu()
    if p != _identity(n):
        return False  # a row exchange: some leading minor is 0
    return all(u[k, k] > 0 for k in range(n))


def alternating(h: fmpz_mat, strict: bool = True) -> tuple[bool, list]:
    """Whether ``det(tI - H)``'s coefficients alternate (strictly) in sign; the coefficients."""
    coefficients = h.charpoly().coeffs()  # constant term first
    n = len(coefficients) - 1
    for k, c in enumerate(coefficients):
        signed = c if (n - k) % 2 == 0 else -c
        if signed < 0 or (strict and signed == 0):
            return False, coefficients
    return True, coefficients


def check_random(count: int = COUNT, seed: int = 0, strict: bool = True, max_size: int = MAX_SIZE,
                 processes: int = 1, tick: Callable[[], object] | None = None) -> RandomCheck:
    """Check ``H \\succ 0 \\implies`` every eigenvalue ``> 0`` (``\\succeq``, ``>= 0``) on ``count`` matrices.

    Matrix ``k`` has size ``1 + k % max_size``; ``processes > 1`` splits the
    ``k`` into that many forked processes (same matrices, same result);
    ``tick`` (one process only) is called every :data:`TICK` matrices.
    """
    if processes <= 1:
        return _check_range(0, count, seed, strict, max_size, tick)
    import multiprocessing

    bounds = [count * p // processes for p in range(processes + 1)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.starmap(_check_range, [(a, b, seed, strict, max_size) for a, b in zip(bounds, bounds[1:])])
    total = RandomCheck(sizes=(1, max_size))
    for part in parts:
        total.count += part.count
        for family, n in part.families.items():
            total.families[family] = total.families.get(family, 0) + n
        if part.smallest is not None and (total.smallest is None or part.smallest < total.smallest):
            total.smallest = part.smallest
        total.failure = total.failure or part.failure
    return total


def _check_range(start: int, stop: int, seed: int, strict: bool, max_size: int,
                 tick: Callable[[], object] | None = None) -> RandomCheck:
    draw = _Draws(random.Random(f"deriv:spectrum:{seed}:{start}"))
    result = RandomCheck(sizes=(1, max_size))
    for k in range(start, stop):
        if tick is not None and k % TICK == 0:
            tick()
        n = 1 + k % max_size
        block = k // max_size
        family = "Hilbert" if block == 0 else SCHEDULE[block % len(SCHEDULE)]
        if strict:
            h, scale = _matrix(family, n, draw)
            if not positive_pivots(h):
                result.failure = f"a drawn {family} {n}x{n} matrix has a pivot <= 0"
                return result
        else:
            family = "B B^T, rank < n"
            b = draw(n, max(n - 1, 1))
            h, scale = b * b.transpose(), 1  # positive semi-definite by this exact factor
        ok, coefficients = alternating(h, strict)
        if not ok:
            result.failure = f"a {family} {n}x{n} matrix has a characteristic polynomial that does not alternate"
            return result
        result.families[family] = result.families.get(family, 0) + 1
        result.count += 1
        if strict and coefficients[1] != 0:
            bound = fmpq(abs(int(coefficients[0])), abs(int(coefficients[1])) * scale)
            if result.smallest is None or bound < result.smallest:
                result.smallest = bound
    return result

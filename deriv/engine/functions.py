"""Opaque and elementwise functions as arbitrary smooth functions.

At each distinct argument point a function gets independent random Taylor
coefficients (a random jet), drawn lazily and remembered: for a multivariate
``g`` the coefficient of ``prod_e (v_e - a_e)^alpha_e`` is keyed by the point
and the sorted multi-index of entries, so mixed partials are symmetric.  By
Hermite interpolation some smooth function has exactly these jets at these
finitely many distinct points, so an identity true for every smooth function
holds here and a mismatch here is a genuine counterexample; no fixed family
(polynomials of one degree) can be fitted by a step's form.

Points are compared exactly.  An inexact (ball) argument is the same point
as an earlier one it overlaps -- sound for refutation, since jets at distinct
points are independent anyway -- and the :class:`~certified.Recorder` notes
the assumption, so agreement built on it does not count as evidence.  A ball
overlapping two distinct known points is a precision problem.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass

from flint import fmpq

from deriv.engine import certified, jets
from deriv.engine.certified import Ball, PrecisionError


#: Every Taylor order a step can reach: with these all 0, a function is the zero function.
EVERY_ORDER = frozenset(range(64))


@dataclass(frozen=True)
class Shape:
    """How the claim tester's structured instances shape every opaque and elementwise function
    (the drawn ones are never 0, never flat and never larger than 9): the Taylor orders whose
    coefficients are all 0 (:data:`EVERY_ORDER`: the zero function; ``{1}``: every first
    derivative vanishes at every point), a factor on every coefficient, and one value for
    every coefficient of one order (0: the value at every point; 1: every first partial).
    Each is still an arbitrary smooth function's jets at finitely many points."""

    zero_orders: frozenset[int] = frozenset()
    scale: int = 1
    value: fmpq | None = None
    order: int = 0


#: The drawn functions, unshaped.
DRAWN = Shape()


def _overlaps(a: object, b: object) -> bool:
    if isinstance(a, Ball):
        return a.b.overlaps(b.b) if isinstance(b, Ball) else a.b.contains(b)
    if isinstance(b, Ball):
        return b.b.contains(a)
    return a == b


class _Table:
    """The jets of one function: exact points in a dict, inexact ones in a list."""

    def __init__(self) -> None:
        self.exact: dict[tuple, dict] = {}
        self.inexact: list[tuple[tuple, dict]] = []
        self.by_origin: dict[object, dict] = {}

    def lookup(self, point: tuple, origin: object = None) -> dict:
        """The jet at ``point``; ``origin`` (the argument expression and its index
        values) identifies an inexact point computed before as the same real number."""
        if origin is not None and origin in self.by_origin:
            return self.by_origin[origin]
        jet = self._lookup(point)
        if origin is not None:
            self.by_origin[origin] = jet
        return jet

    def _lookup(self, point: tuple) -> dict:
        exact = all(certified.is_exact(v) for v in point)
        if exact and point in self.exact:
            return self.exact[point]
        candidates = [jet for p, jet in self.inexact if all(map(_overlaps, p, point))]
        if not exact:
            candidates += [jet for p, jet in self.exact.items() if all(map(_overlaps, p, point))]
        if len(candidates) > 1:
            raise PrecisionError("a function's argument can not be told apart from two known points")
        if candidates:
            certified.STATE.recorder.overlap = True
            return candidates[0]
        jet: dict = {}
        if exact:
            self.exact[point] = jet
        else:
            self.inexact.append((point, jet))
        return jet


class RandomFunctions:
    """The random jets of every function of one instance (at one precision)."""

    def __init__(self, rng: random.Random, shape: Shape = DRAWN) -> None:
        self._rng = rng
        self._tables: dict[str, _Table] = {}
        self._shape = shape

    def _coefficient(self, jet: dict, multi_index: tuple[int, ...]) -> fmpq:
        """The Taylor coefficient for ``multi_index`` (sorted entry positions)."""
        if multi_index not in jet:
            jet[multi_index] = self._draw(len(multi_index))
        return jet[multi_index]

    def _draw(self, order: int) -> fmpq:
        shape = self._shape
        if order in shape.zero_orders:
            return fmpq(0)
        if order == shape.order and shape.value is not None:
            return shape.value
        return fmpq(self._rng.randint(-9, 9), self._rng.randint(1, 4)) * shape.scale

    def _table(self, name: str) -> _Table:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = _Table()
        return table

    def _jet(self, name: str, point: tuple, origin: object) -> dict:
        return self._table(name).lookup(point, origin)

    def elementwise(self, name: str, x: object, order: int = 0, origin: object = None) -> object:
        """``h^(order)(x)`` for elementwise ``h``; ``x`` may be a jet."""
        a = jets.value_of(x)
        jet = self._jet(name, (a,), origin)

        def series(_a, k_max: int) -> list:
            # h^(order)(a + n) = sum_k h^(order + k)(a) / k! n^k, h^(m)(a) = m! c_m
            return [
                self._coefficient(jet, (0,) * (order + k)) * (math.factorial(order + k) // math.factorial(k))
                for k in range(k_max + 1)
            ]

        return jets.compose(x, series)

    def opaque(self, name: str, values: list, position: int | None = None, origin: object = None) -> object:
        """``g(values)``, or its partial by entry ``position``; entries may be jets."""
        table = self._table(name)
        # The point only matters for an argument not met before (the lookup by origin comes first).
        jet = table.by_origin.get(origin) if origin is not None else None
        if jet is None:
            jet = table.lookup(tuple([v.value if isinstance(v, jets.Jet) else v for v in values]), origin)
        active = [e for e, v in enumerate(values) if isinstance(v, jets.Jet)]
        tags: set[int] = set()
        for e in active:
            tags |= values[e].tags()
        extra = () if position is None else (position,)
        total = self._coefficient(jet, extra)
        nilpotent = {e: values[e].nilpotent() for e in active}
        for order in range(1, len(tags) + 1):
            for combo in itertools.combinations_with_replacement(active, order):
                product: object = certified.ONE
                for e in combo:
                    product = product * nilpotent[e]
                    if certified.is_exact_zero(product):
                        break
                if certified.is_exact_zero(product):
                    continue
                full = tuple(sorted(combo + extra))
                # g(a + n) = sum_alpha T_alpha n^alpha, so the partial by entry p is
                # sum_beta T_(beta + p) (beta_p + 1) n^beta.
                weight = 1 if position is None else combo.count(position) + 1
                total = total + self._coefficient(jet, full) * weight * product
        return total


"""Opaque and elementwise functions as arbitrary smooth functions.

At each distinct argument point a function gets independent random Taylor
coefficients (a random jet): for a multivariate ``g`` the coefficient of
``prod_e (v_e - a_e)^alpha_e`` is keyed by the point and the sorted
multi-index of entries, so mixed partials are symmetric.  A coefficient is a
hash of the instance, the function, the point and the multi-index -- never
the next number of a shared generator -- so a function's value at a point
does not depend on what was evaluated before it, nor on the precision (an
assumption checked on its own and a claim see the same function).  An
opaque function's point includes its argument's shape: a column and the row
with the same entries are different arguments.  By
Hermite interpolation some smooth function has exactly these jets at these
finitely many distinct points, so an identity true for every smooth function
holds here and a mismatch here is a genuine counterexample; no fixed family
(polynomials of one degree) can be fitted by a step's form.

Points are compared exactly.  An inexact (ball) argument is keyed by the
expression it was computed from (with its index values), and is the same point
as an earlier one it overlaps -- sound for refutation, since jets at distinct
points are independent anyway -- and the :class:`~certified.Recorder` notes
the assumption, so agreement built on it does not count as evidence.  A ball
overlapping two distinct known points is a precision problem.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Callable
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

    def applied(self, drawn: fmpq, order: int) -> fmpq:
        """The coefficient of this order once shaped."""
        if order in self.zero_orders:
            return fmpq(0)
        if order == self.order and self.value is not None:
            return self.value
        return drawn * self.scale


#: The drawn functions, unshaped.
DRAWN = Shape()


def _overlaps(a: object, b: object) -> bool:
    if isinstance(a, Ball):
        return a.b.overlaps(b.b) if isinstance(b, Ball) else a.b.contains(b)
    if isinstance(b, Ball):
        return b.b.contains(a)
    return a == b


class _Jet:
    """The Taylor coefficients at one point, drawn from ``key`` on first use."""

    __slots__ = ("key", "coefficients", "shape")

    def __init__(self, key: bytes, shape: Shape = DRAWN) -> None:
        self.key, self.shape = key, shape
        self.coefficients: dict[tuple[int, ...], fmpq] = {}

    def coefficient(self, multi_index: tuple[int, ...]) -> fmpq:
        """The coefficient for ``multi_index`` (sorted entry positions): in -9..9 over 1..4."""
        found = self.coefficients.get(multi_index)
        if found is None:
            digest = hashlib.blake2b(repr(multi_index).encode(), key=self.key, digest_size=8).digest()
            drawn = fmpq(digest[0] % 19 - 9, digest[1] % 4 + 1)
            found = self.coefficients[multi_index] = self.shape.applied(drawn, len(multi_index))
        return found


def _key(*parts: object) -> bytes:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=32).digest()


class _Table:
    """The jets of one function: exact points in a dict, inexact ones in a list."""

    def __init__(self, key: str, describe: Callable[[object], str], exact: dict[tuple, _Jet],
                 shape: Shape = DRAWN) -> None:
        self.key = key  # the instance and the function
        self.shape = shape
        self.describe = describe
        self.exact = exact  # shared by every evaluator of the instance (see RandomFunctions)
        self.inexact: list[tuple[tuple, _Jet]] = []
        self.by_origin: dict[object, _Jet] = {}

    def lookup(self, point: tuple, origin: object = None) -> _Jet:
        """The jet at ``point``; ``origin`` (the argument expression and its index
        values) identifies an inexact point computed before as the same real number,
        and keys a new inexact point's coefficients."""
        if origin is not None and origin in self.by_origin:
            return self.by_origin[origin]
        jet = self._lookup(point, origin)
        if origin is not None:
            self.by_origin[origin] = jet
        return jet

    def _lookup(self, point: tuple, origin: object) -> _Jet:
        exact = all(certified.is_exact(v) for v in point)
        # This evaluator's balls first: within one evaluator a point is one point, even
        # where another evaluator met the exact point before this one met the ball.
        candidates = [jet for p, jet in self.inexact if all(map(_overlaps, p, point))] if self.inexact else []
        if exact and not candidates and point in self.exact:
            return self.exact[point]
        if not exact:
            candidates += [jet for p, jet in self.exact.items() if all(map(_overlaps, p, point))]
        if len(candidates) > 1:
            raise PrecisionError("a function's argument can not be told apart from two known points")
        if candidates:
            certified.STATE.recorder.overlap = True
            return candidates[0]
        if exact:
            jet = self.exact[point] = _Jet(_key(self.key, "at", *point), self.shape)
        else:
            jet = _Jet(_key(self.key, "from", self.describe(origin)), self.shape)
            self.inexact.append((point, jet))
        return jet


class RandomFunctions:
    """The random jets of every function of one instance, for one evaluator
    (``identity``: the seed, trial and attempt that make it; ``describe``: an
    origin as text).

    ``exact`` (function name -> exact point -> jet) is the instance's, shared by
    all its evaluators: an inexact argument is then the same point as an exact
    one met anywhere on the instance before (an assumption's ``g(x)`` checked on
    its own, then ``g((\\sqrt{2}+1)(\\sqrt{2}-1) x)`` in a claim).  Inexact points
    and origins stay with the evaluator: its arrays may have changed since.
    """

    def __init__(self, identity: str, describe: Callable[[object], str] = str,
                 exact: dict[str, dict[tuple, _Jet]] | None = None, shape: Shape = DRAWN) -> None:
        self._identity, self._describe, self._shape = identity, describe, shape
        self._exact = {} if exact is None else exact
        self._tables: dict[str, _Table] = {}

    def _table(self, name: str) -> _Table:
        table = self._tables.get(name)
        if table is None:
            points = self._exact.setdefault(name, {})
            table = self._tables[name] = _Table(f"{self._identity}|{name}", self._describe, points, self._shape)
        return table

    def _jet(self, name: str, point: tuple, origin: object) -> _Jet:
        return self._table(name).lookup(point, origin)

    def elementwise(self, name: str, x: object, order: int = 0, origin: object = None) -> object:
        """``h^(order)(x)`` for elementwise ``h``; ``x`` may be a jet."""
        a = jets.value_of(x)
        jet = self._jet(name, (a,), origin)

        def series(_a, k_max: int) -> list:
            # h^(order)(a + n) = sum_k h^(order + k)(a) / k! n^k, h^(m)(a) = m! c_m
            return [
                jet.coefficient((0,) * (order + k)) * (math.factorial(order + k) // math.factorial(k))
                for k in range(k_max + 1)
            ]

        return jets.compose(x, series)

    def opaque(self, name: str, values: list, shape: tuple[int, int], position: int | None = None,
               origin: object = None) -> object:
        """``g`` at the ``shape`` matrix of row-major ``values``, or its partial by entry
        ``position``; entries may be jets."""
        table = self._table(name)
        # The point only matters for an argument not met before (the lookup by origin comes first).
        jet = table.by_origin.get(origin) if origin is not None else None
        if jet is None:
            point = shape + tuple([v.value if isinstance(v, jets.Jet) else v for v in values])
            jet = table.lookup(point, origin)
        active = [e for e, v in enumerate(values) if isinstance(v, jets.Jet)]
        tags: set[int] = set()
        for e in active:
            tags |= values[e].tags()
        extra = () if position is None else (position,)
        total = jet.coefficient(extra)
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
                total = total + jet.coefficient(full) * weight * product
        return total

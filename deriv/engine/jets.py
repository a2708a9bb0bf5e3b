"""Multi-tag nilpotent jets: derivatives of any order without a chain rule.

A :class:`Jet` is ``sum_S c_S eps^S`` over sets ``S`` of tags, where every tag
``eps_t`` has ``eps_t ** 2 == 0`` but distinct tags multiply freely.  A
partial derivative perturbs one entry by a fresh tag and reads the
coefficient of that tag (:func:`coefficient`); a nested partial perturbs with
another tag, so ``d/da d/da`` uses two distinct tags on the same entry and the
coefficient of ``eps_1 eps_2`` is ``f''``.  A function of a jet expands by its
Taylor coefficients at the jet's value (:func:`compose`), up to the number of
tags present -- higher powers of the nilpotent part vanish.

Coefficients are anything with ``+`` and ``*`` (``fmpq`` or certified balls).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from deriv.engine import certified

EMPTY: frozenset[int] = frozenset()
Series = Callable[[object, int], Sequence[object]]
_EXACT = certified.EXACT_TYPES


def _is_zero(c: object) -> bool:
    return certified.is_exact_zero(c)


def make(terms: dict) -> object:
    """A jet, or the plain value when no tag is left."""
    # certified.is_exact_zero inline: jets are made at every operation on a derivative's values.
    terms = {k: c for k, c in terms.items() if not (isinstance(c, _EXACT) and c == 0)}
    if not terms:
        return certified.ZERO
    if len(terms) == 1 and EMPTY in terms:
        return terms[EMPTY]
    return Jet(terms)


def variable(value: object, tag: int) -> "Jet":
    """``value + eps_tag`` (``value`` may itself be a jet in other tags)."""
    terms = dict(value.terms) if isinstance(value, Jet) else {EMPTY: value}
    key = frozenset({tag})
    terms[key] = terms.get(key, certified.ZERO) + 1
    return Jet(terms)


class Jet:
    """``sum_S terms[S] * eps^S``; ``terms[EMPTY]`` is the value."""

    __slots__ = ("terms",)

    def __init__(self, terms: dict) -> None:
        self.terms = terms

    @property
    def value(self) -> object:
        return self.terms.get(EMPTY, certified.ZERO)

    def tags(self) -> frozenset[int]:
        result: set[int] = set()
        for key in self.terms:
            result |= key
        return frozenset(result)

    def nilpotent(self) -> object:
        return make({k: c for k, c in self.terms.items() if k})

    def __add__(self, other):
        terms = dict(self.terms)
        if isinstance(other, Jet):
            for k, c in other.terms.items():
                terms[k] = terms[k] + c if k in terms else c
        else:
            terms[EMPTY] = terms[EMPTY] + other if EMPTY in terms else other
        return make(terms)

    __radd__ = __add__

    def __neg__(self):
        return Jet({k: -c for k, c in self.terms.items()})

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if not isinstance(other, Jet):
            if isinstance(other, _EXACT) and other == 0:
                return certified.ZERO
            return make({k: c * other for k, c in self.terms.items()})
        terms: dict = {}
        for k1, c1 in self.terms.items():
            for k2, c2 in other.terms.items():
                if k1 & k2:
                    continue
                key = k1 | k2
                product = c1 * c2
                terms[key] = terms[key] + product if key in terms else product
        return make(terms)

    __rmul__ = __mul__

    def reciprocal(self):
        return compose(self, reciprocal_series)

    def __truediv__(self, other):
        return self * certified.reciprocal_any(other)

    def __rtruediv__(self, other):
        return other * self.reciprocal()

    def __repr__(self) -> str:
        return f"Jet({self.terms!r})"


def coefficient(x: object, tag: int) -> object:
    """``d x / d eps_tag``: the terms containing the tag, with the tag removed."""
    if not isinstance(x, Jet):
        return certified.ZERO
    return make({k - {tag}: c for k, c in x.terms.items() if tag in k})


def compose(x: object, series: Series) -> object:
    """``f(x)`` from ``series(a, K)`` = the Taylor coefficients ``f^(k)(a) / k!``, k <= K."""
    if not isinstance(x, Jet):
        return series(x, 0)[0]
    order = len(x.tags())
    coefficients = series(x.value, order)
    n = x.nilpotent()
    result = coefficients[0]
    power: object = certified.ONE
    for k in range(1, order + 1):
        power = power * n
        if _is_zero(power):
            break
        if not _is_zero(coefficients[k]):
            result = result + coefficients[k] * power
    return result


def value_of(x: object) -> object:
    return x.value if isinstance(x, Jet) else x


# -- Taylor coefficients of the functions the tester knows ----------------------------


def reciprocal_series(a, order: int) -> list:
    inverse = certified.reciprocal(a)
    result, term = [], inverse
    for _ in range(order + 1):
        result.append(term)
        term = -term * inverse
    return result


def exp_series(a, order: int) -> list:
    value = certified.exp(a)
    result, factorial = [], 1
    for k in range(order + 1):
        result.append(value * certified.fmpq(1, factorial) if k else value)
        factorial *= k + 1
    return result


def log_series(a, order: int) -> list:
    result = [certified.log(a)]
    if order:
        inverse = certified.reciprocal(a)
        power = inverse
        for k in range(1, order + 1):
            result.append(power * certified.fmpq((-1) ** (k - 1), k))
            power = power * inverse
    return result


def power_series(r: certified.fmpq) -> Series:
    """Taylor coefficients of ``x ** r``: ``binom(r, k) a^(r - k)``."""

    def series(a, order: int) -> list:
        value = certified.rational_power(a, r) if r.q != 1 else certified.integer_power(a, int(r.p))
        result = [value]
        if order:
            inverse = certified.reciprocal(a)
            binomial, term = certified.ONE, value
            for k in range(1, order + 1):
                binomial = binomial * (r - (k - 1)) / k
                term = term * inverse
                result.append(binomial * term)
        return result

    return series


def tanh_series(a, order: int) -> list:
    """``P_k(t) / k!`` with ``t = tanh a``, ``P_0 = t``, ``P_{k+1} = P_k'(t) (1 - t^2)``."""
    t = certified.tanh(a)
    result = [t]
    poly = [certified.ZERO, certified.ONE]  # coefficients of P_k in t
    factorial = 1
    for k in range(1, order + 1):
        derivative = [poly[i] * i for i in range(1, len(poly))]
        poly = [certified.ZERO] * (len(derivative) + 2)
        for i, c in enumerate(derivative):
            poly[i] += c
            poly[i + 2] -= c
        factorial *= k
        total: object = certified.ZERO
        for c in reversed(poly):
            total = total * t + c
        result.append(total * certified.fmpq(1, factorial))
    return result

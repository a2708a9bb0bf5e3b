"""Second-order conditions (``\\text{local minimum} \\implies \\nabla^2 f \\succeq 0``), checked on polynomials.

A statement ``HYPOTHESES \\implies CONCLUSION`` is about every smooth ``f`` at
a point; deriv can not prove such a theorem of analysis.  It checks it on
polynomials at ``0``, where each property has an exact certificate either
way (or is left unknown, never guessed):

* ``critical``: the linear coefficients are 0;
* ``pd`` / ``psd``: the Hessian (from the quadratic coefficients) is
  certified by its exact characteristic polynomial (Descartes, symmetric);
* ``strict-minimum`` / ``minimum`` **true**: in one variable, the lowest
  nonzero term ``c_m t^m`` has ``m`` even and ``c_m > 0``, and it dominates
  the rest for ``0 < |t| < min(1, c_m / \\sum_{k>m} |c_k|)``; in several, a
  critical point with a positive-definite Hessian: ``f(x) - f(0) >=
  \\|x\\|^2 (\\lambda/2 - C \\|x\\|)`` with ``\\lambda`` a certified lower bound on
  the smallest eigenvalue (``e_n / e_{n-1}``) and ``C`` the sum of the
  absolute coefficients of degree 3 and more;
* ``minimum`` **false**: along a direction ``v`` the lowest nonzero term of
  ``f(t v) - f(0)`` is negative for small ``t`` of some sign (same bound);
  ``strict-minimum`` false also when ``f(t v) = f(0)`` along a line.

A statement is ``refuted`` by a candidate (``x^4``, ``-x^2``, ``x^3``, ``0``,
...) whose hypotheses are certified and whose conclusion is certified
false -- ``x^4`` at ``0`` is a strict minimum with Hessian ``0``, so *at a
local minimum the Hessian is positive definite* is false.  Otherwise it is
``tested`` on random polynomials of degree at most 4 in 1 to 3 variables,
each instance certified exactly (or ``undecided`` when too few could be).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from flint import fmpq, fmpq_mat

from deriv.engine.definiteness import definite, negative_direction

Poly = dict[tuple[int, ...], fmpq]  # exponents -> coefficient
NAMES = {"minimum": "a local minimum", "strict-minimum": "a strict local minimum", "critical": "a critical point",
         "pd": "Hessian positive definite", "psd": "Hessian positive semi-definite"}
#: Random polynomials per statement, and how many must have been decided.
SAMPLES = 300
NEEDED = 100


@dataclass(frozen=True)
class Verdict:
    kind: str  # refuted, tested, undecided
    message: str


def _poly(terms: dict[tuple[int, ...], int]) -> Poly:
    return {m: fmpq(c) for m, c in terms.items() if c}


CANDIDATES: tuple[tuple[str, Poly], ...] = (
    ("x^4", _poly({(4,): 1})), ("-x^4", _poly({(4,): -1})), ("x^3", _poly({(3,): 1})),
    ("x^2", _poly({(2,): 1})), ("-x^2", _poly({(2,): -1})), ("0", {}), ("x", _poly({(1,): 1})),
    ("x^2 - y^2", _poly({(2, 0): 1, (0, 2): -1})), ("x^2 + y^4", _poly({(2, 0): 1, (0, 4): 1})),
)


def _along(f: Poly, v: tuple) -> list[fmpq]:
    """Coefficients (by degree) of ``t -> f(t v) - f(0)``."""
    out: dict[int, fmpq] = {}
    for m, c in f.items():
        d = sum(m)
        if d == 0:
            continue
        value = c
        for e, x in zip(m, v):
            value *= fmpq(x) ** e
        out[d] = out.get(d, fmpq(0)) + value
    top = max(out, default=0)
    return [out.get(k, fmpq(0)) for k in range(top + 1)]


def _lowest(coeffs: list[fmpq]) -> tuple[int, fmpq] | None:
    return next(((k, c) for k, c in enumerate(coeffs) if c != 0), None)


def _hessian(f: Poly, n: int) -> list[list[fmpq]]:
    h = [[fmpq(0)] * n for _ in range(n)]
    for m, c in f.items():
        if sum(m) != 2:
            continue
        idx = [i for i, e in enumerate(m) for _ in range(e)]
        i, j = idx
        if i == j:
            h[i][i] = 2 * c
        else:
            h[i][j] = h[j][i] = c
    return h


def _directions(n: int):
    units = [tuple(int(i == a) for i in range(n)) for a in range(n)]
    yield from units
    for a, b in itertools.combinations(range(n), 2):
        yield tuple(int(i in (a, b)) for i in range(n))
        yield tuple(1 if i == a else (-1 if i == b else 0) for i in range(n))


def _not_minimum(f: Poly, n: int, strict: bool, h) -> str | None:
    """A certified reason why 0 is not a (strict) local minimum, or None."""
    directions = list(_directions(n))
    if h is not None:
        witness = negative_direction(h)
        if witness is not None:
            directions.insert(0, witness)
    for v in directions:
        coeffs = _along(f, v)
        low = _lowest(coeffs)
        if low is None:
            if strict:
                return f"f(t v) = f(0) for every t along v = {_vector(v)}"
            continue
        m, c = low
        if m % 2 == 1 or c < 0:
            return (f"along v = {_vector(v)}, f(t v) - f(0) = {_term(c, m).replace('x', 't')} + ... is negative for small t "
                    f"{'of one sign' if m % 2 else '!= 0'}")
    return None


def _strict_minimum(f: Poly, n: int, h) -> str | None:
    """A certified reason why 0 is a strict local minimum, or None."""
    if n == 1:
        low = _lowest(_along(f, (1,)))
        if low is None or low[0] % 2 or low[1] <= 0:
            return None
        m, c = low
        rest = sum((abs(x) for x in _along(f, (1,))[m + 1:]), fmpq(0))
        if not rest:
            return f"f(x) - f(0) = {_term(c, m)} > 0 for every x != 0 (a strict global minimum)"
        return f"f(x) - f(0) = {_term(c, m)} + ... > 0 for 0 < |x| < {min(fmpq(1), c / rest)}"
    if any(sum(m) == 1 for m in f) or not definite(h, strict=True):
        return None
    coefficients = fmpq_mat(n, n, [x for row in h for x in row]).charpoly().coeffs()
    bound = abs(coefficients[0]) / abs(coefficients[1])  # lambda_min >= e_n / e_(n-1)
    cubic = sum((abs(c) for m, c in f.items() if sum(m) >= 3), fmpq(0))
    radius = min(fmpq(1), bound / (2 * cubic)) if cubic else fmpq(1)
    return f"f(x) - f(0) >= |x|^2 ({bound}/2 - {cubic} |x|) > 0 for 0 < |x| < {radius}"


def _vector(v) -> str:
    return "(" + ", ".join(map(str, v)) + ")"


def _term(c: fmpq, m: int) -> str:
    return f"{'' if c == 1 else '-' if c == -1 else c}x^{m}"


def _matrix_text(h) -> str:
    return "[" + "; ".join(", ".join(str(x) for x in row) for row in h) + "]"


def properties(f: Poly, n: int) -> dict[str, tuple[bool | None, str]]:
    """Each property at 0: certified True / False, or None (unknown), with the reason."""
    h = _hessian(f, n)
    critical = not any(sum(m) == 1 for m in f)
    pd, psd = definite(h, strict=True), definite(h, strict=False)
    strict = _strict_minimum(f, n, h) if critical or n == 1 else None
    not_min = _not_minimum(f, n, False, h)
    not_strict = not_min or _not_minimum(f, n, True, h)
    shown = _matrix_text(h)
    return {
        "critical": (critical, "the gradient at 0 is " + ("0" if critical else "not 0")),
        "pd": (pd, f"the Hessian {shown} is {'' if pd else 'not '}positive definite" + ("" if pd else " (a zero or negative pivot: x^T H x <= 0 at some x != 0)")),
        "psd": (psd, f"the Hessian {shown} is {'' if psd else 'not '}positive semi-definite"),
        "strict-minimum": (True, strict) if strict else ((False, not_strict) if not_strict else (None, "")),
        "minimum": (True, strict) if strict else ((False, not_min) if not_min else (None, "")),
    }


def _random_poly(rng: random.Random, n: int, family: int) -> Poly:
    monomials = [m for d in range(1, 5) for m in itertools.product(range(5), repeat=n) if sum(m) == d]
    f = {m: fmpq(rng.randint(-4, 4), rng.randint(1, 3)) for m in monomials if rng.random() < 0.5}
    if family >= 1:  # a critical point
        f = {m: c for m, c in f.items() if sum(m) != 1}
    if family == 2:  # with a positive-definite Hessian: H = B B^T + I
        f = {m: c for m, c in f.items() if sum(m) != 2}
        b = [[rng.randint(-2, 2) for _ in range(n)] for _ in range(n)]
        for i in range(n):
            for j in range(i, n):
                hij = sum(b[i][k] * b[j][k] for k in range(n)) + (i == j)
                m = tuple((i == k) + (j == k) for k in range(n))
                f[m] = fmpq(hij, 2) if i == j else fmpq(hij)
    return {m: c for m, c in f.items() if c != 0}


def decide(hypotheses: tuple[str, ...], conclusion: str, seed: int = 0) -> Verdict:
    """``refuted`` with a certified counterexample, else ``tested`` on random polynomials."""
    said = f"{' and '.join(NAMES[h] for h in hypotheses)} implies {NAMES[conclusion]}"
    for name, f in CANDIDATES:
        n = max((len(m) for m in f), default=1)
        props = properties(f, n)
        if all(props[h][0] is True for h in hypotheses) and props[conclusion][0] is False:
            reasons = "; ".join(props[h][1] for h in dict.fromkeys((*hypotheses, "critical")) if props[h][0])
            return Verdict("refuted", f"'{said}' is false: f(x) = {name} at x = 0: {reasons}; but {props[conclusion][1]}")
    rng = random.Random(f"deriv:second-order:{seed}")
    held = vacuous = unknown = 0
    for k in range(SAMPLES):
        n, family = 1 + k % 3, (k // 3) % 3
        f = _random_poly(rng, n, family)
        props = properties(f, n)
        values = [props[h][0] for h in hypotheses]
        if False in values:
            vacuous += 1
        elif None in values:
            unknown += 1
        elif props[conclusion][0] is True:
            held += 1
        elif props[conclusion][0] is False:
            return Verdict("refuted", f"'{said}' is false: f = {_show(f)} at 0: {props[conclusion][1]}")
        else:
            unknown += 1
    if held + vacuous < NEEDED:
        return Verdict("undecided", f"could not decide '{said}': only {held + vacuous} of {SAMPLES} random polynomials were certified")
    return Verdict("tested", (
        f"'{said}' holds at 0 for {held + vacuous} of {SAMPLES} random polynomials of degree <= 4 in 1 to 3 variables "
        f"({held} meet the hypotheses and are certified to meet the conclusion, {vacuous} certified to fail a hypothesis, "
        f"{unknown} not certified either way) and for {len(CANDIDATES)} chosen ones; a theorem about every smooth "
        "function, which deriv can only test"))


def _show(f: Poly) -> str:
    names = "xyz"
    return " + ".join(f"{c}" + "".join(f"{names[i]}^{e}" for i, e in enumerate(m) if e) for m, c in f.items()) or "0"

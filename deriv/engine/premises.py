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

import functools
import itertools
import math
import random
from dataclasses import dataclass

from flint import fmpq, fmpq_mat

from deriv.engine.definiteness import definite, negative_direction
from deriv.meaning.statements import Condition

Poly = dict[tuple[int, ...], fmpq]  # exponents -> coefficient
NAMES = {"minimum": "a local minimum", "strict-minimum": "a strict local minimum", "critical": "a critical point",
         "pd": "Hessian positive definite", "psd": "Hessian positive semi-definite"}
#: Functions (and points) a statement may name: the candidates are tried in every combination.
MAX_FUNCTIONS = 3
#: Kinds of random polynomial (any; critical at 0; with a definite Hessian; with a variable unused).
FAMILIES = 4
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
    ("x^2 in (x, y)", _poly({(2, 0): 1, (0, 1): 0})),  # a minimum along a line: not strict
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
        "minimum": (True, strict) if strict else ((False, not_min) if not_min else _weak_minimum(f, n)),
    }


def _weak_minimum(f: Poly, n: int) -> tuple[bool | None, str]:
    """A local minimum that need not be strict: ``f - f(0)`` is 0, or a strict minimum in the variables it uses."""
    g = {m: c for m, c in f.items() if sum(m) > 0}
    if not g:
        return True, "f(x) = f(0) near 0 (a constant): a local minimum, not a strict one"
    used = [i for i in range(n) if any(m[i] for m in g)]
    if len(used) == n:
        return None, ""
    restricted = {tuple(m[i] for i in used): c for m, c in g.items()}
    strict = _strict_minimum(restricted, len(used), _hessian(restricted, len(used)))
    if strict is None:
        return None, ""
    names = ", ".join(f"x_{i + 1}" for i in used)
    return True, f"f depends only on {names}, where {strict}: a local minimum, not a strict one"


def _random_poly(rng: random.Random, n: int, family: int) -> Poly:
    monomials = [m for d in range(1, 5) for m in itertools.product(range(5), repeat=n) if sum(m) == d]
    f = {m: fmpq(rng.randint(-4, 4), rng.randint(1, 3)) for m in monomials if rng.random() < 0.5}
    if family == 3 and n > 1:  # a non-strict minimum when the rest is one: the last variable unused
        f = {m: c for m, c in f.items() if not m[-1]}
    if family == 3:
        family = rng.choice((1, 0))
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


Reading = tuple[tuple[str, str, int], ...]  # (kind, function, point number) per condition, conclusion last


def decide(hypotheses: tuple[Condition, ...], conclusion: Condition, seed: int = 0) -> Verdict:
    """``refuted`` with a certified counterexample, else ``tested`` on random polynomials.

    Each side talks about the function and point it names; a side that names
    none means the one the others name.  When the others name several, every
    reading is decided: all refuted is ``refuted``, else ``undecided``.
    """
    readings, functions, points = _readings((*hypotheses, conclusion))
    if len(functions) > MAX_FUNCTIONS or len(points) > MAX_FUNCTIONS:
        return Verdict("undecided", f"could not decide: more than {MAX_FUNCTIONS} functions or points")
    results = [_decide(reading, functions, points, seed) for reading in readings]
    if len(results) == 1 or all(r.kind == "refuted" for r in results):
        return results[0] if len(results) == 1 else Verdict("refuted", "whichever function and point the sides that name "
                                                            "none mean, it is false: " + " / ".join(r.message for r in results))
    return Verdict("undecided", (f"could not decide: a side names no {'function' if len(functions) > 1 else 'point'} while "
                                 f"the others name {', '.join(functions if len(functions) > 1 else points)}: say which "
                                 f"({sum(r.kind == 'refuted' for r in results)} of {len(results)} readings are refuted)"))


def _readings(conditions: tuple[Condition, ...]) -> tuple[list[Reading], list[str], list[str]]:
    functions = list(dict.fromkeys(c.function for c in conditions if c.function)) or ["f"]
    points = list(dict.fromkeys(c.point for c in conditions if c.point)) or ["the point"]
    choices = [[(c.kind, f, p) for f in ([c.function] if c.function else functions)
                for p in ([points.index(c.point)] if c.point else range(len(points)))] for c in conditions]
    return [tuple(r) for r in itertools.product(*choices)], functions, points


def _said(reading: Reading, functions: list[str], points: list[str]) -> str:
    plain = len(functions) == 1 and len(points) == 1

    def one(kind: str, f: str, p: int) -> str:
        return NAMES[kind] if plain else f"{NAMES[kind]} ({f} at {points[p]})"

    *hypotheses, conclusion = reading
    return f"{' and '.join(one(*h) for h in hypotheses)} implies {one(*conclusion)}"


def _decide(reading: Reading, functions: list[str], points: list[str], seed: int) -> Verdict:
    said = _said(reading, functions, points)
    *hypotheses, conclusion = reading
    for chosen in itertools.product(CANDIDATES, repeat=len(functions)):
        polys = {f: (poly, max((len(m) for m in poly), default=1)) for f, (_, poly) in zip(functions, chosen)}
        props = _at(polys, reading)
        if all(props[h][0] is True for h in hypotheses) and props[conclusion][0] is False:
            shown = dict.fromkeys((*hypotheses, ("critical", *hypotheses[0][1:])))  # a critical point is worth saying
            reasons = "; ".join(_reason(props, h, points, said) for h in shown if props[h][0])
            where = _where(functions, points, [name for name, _ in chosen])
            return Verdict("refuted", f"'{said}' is false: {where}: {reasons}; but {_reason(props, conclusion, points, said)}")
    rng = random.Random(f"deriv:second-order:{seed}")
    held = vacuous = unknown = 0
    for k in range(SAMPLES):
        polys = {f: (_random_poly(rng, 1 + (k + j) % 3, (k // 3) % FAMILIES), 1 + (k + j) % 3) for j, f in enumerate(functions)}
        props = _at(polys, reading)
        values = [props[h][0] for h in hypotheses]
        if False in values:
            vacuous += 1
        elif None in values:
            unknown += 1
        elif props[conclusion][0] is True:
            held += 1
        elif props[conclusion][0] is False:
            values_text = ", ".join(f"{f} = {_show(poly)}" for f, (poly, _) in polys.items())
            return Verdict("refuted", f"'{said}' is false: {values_text} at {_where(functions, points, None)}: "
                                      f"{_reason(props, conclusion, points, said)}")
        else:
            unknown += 1
    if held + vacuous < NEEDED:
        return Verdict("undecided", f"could not decide '{said}': only {held + vacuous} of {SAMPLES} random polynomials were certified")
    return Verdict("tested", (
        f"'{said}' holds for {held + vacuous} of {SAMPLES} random polynomials of degree <= 4 in 1 to 3 variables "
        f"({held} meet the hypotheses and are certified to meet the conclusion, {vacuous} certified to fail a hypothesis, "
        f"{unknown} not certified either way) and for {len(CANDIDATES) ** len(functions)} chosen ones; a theorem about every "
        "smooth function, which deriv can only test"))


def _at(polys: dict, reading: Reading) -> dict:
    """Each condition's certified value: the property of its function at its point (point ``p`` is ``x = p e_1``)."""
    cache: dict[tuple[str, int], dict] = {}
    out = {}
    for _, f, p in reading:
        if (f, p) not in cache:
            poly, n = polys[f]
            cache[f, p] = _properties_at(tuple(sorted(poly.items())), n, p)
            out.update({(kind, f, p): value for kind, value in cache[f, p].items()})
    return out


@functools.lru_cache(maxsize=1024)  # the candidates recur in every product of them
def _properties_at(poly: tuple, n: int, p: int) -> dict[str, tuple[bool | None, str]]:
    return properties(_shift(dict(poly), n, p), n)


def _reason(props: dict, condition: tuple[str, str, int], points: list[str], said: str) -> str:
    """Why a condition holds or fails; with several functions or points, which one and where (moved to 0)."""
    _, f, p = condition
    reason = props[condition][1]
    return reason if "(" not in said else f"[{f} at {points[p]}{', moved to 0' if p else ''}] {reason}"


def _shift(f: Poly, n: int, p: int) -> Poly:
    """``x -> f(x + p e_1)``, exactly."""
    if p == 0:
        return f
    out: dict[tuple[int, ...], fmpq] = {}
    for m, c in f.items():
        m = m + (0,) * (n - len(m))
        for j in range(m[0] + 1):
            key = (j, *m[1:])
            out[key] = out.get(key, fmpq(0)) + c * math.comb(m[0], j) * fmpq(p) ** (m[0] - j)
    return {m: c for m, c in out.items() if c != 0}


def _where(functions: list[str], points: list[str], names: list[str] | None) -> str:
    chosen = ", ".join(f"{f}(x) = {name}" for f, name in zip(functions, names)) if names else ""
    at = "x = 0" if len(points) == 1 else ", ".join(f"{p} at x = {k}" for k, p in enumerate(points))
    return f"{chosen} at {at}" if chosen else at


def _show(f: Poly) -> str:
    names = "xyz"
    return " + ".join(f"{c}" + "".join(f"{names[i]}^{e}" for i, e in enumerate(m) if e) for m, c in f.items()) or "0"

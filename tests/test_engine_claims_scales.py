"""Claims that fail only where a parameter is small or large, or in a narrow band of a second value.

Random draws lie in [1/12, 40]: ``(x y / (x^2 + \\lambda))^2 \\leq y^2`` fails only for
``\\lambda < 1/4`` near ``|x| = 1/2`` and was once ``tested``.  The examples are refuted
with a counterexample checked here exactly (and the assumption it must satisfy); the
property test generates claims ``P(x, \\lambda) R Q(x, \\lambda)`` and compares with an
independent exact reference (SymPy's real-root isolation of the difference's numerator
and denominator in each variable at a grid of exact values of the other, and the points
between those roots): where the reference finds a counterexample deriv must refute, and
every refutation deriv gives must certainly violate the claim (no false refutation).
``DERIV_SCALES_CASES=N`` runs N generated claims (default 40).
"""

from __future__ import annotations

import os
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import Rational

import deriv

X, LAM, Y = sympy.symbols("x lambda y")
HEAD = "---\nsymbols:\n  lambda: positive scalar\n  x: scalar\n  y: scalar\n---\n\n"
RIDGE = """---
symbols:
  X: matrix N x M
  w: vector M
  y: vector N
  lambda: positive scalar
assumptions:
  - X^T (X w - y) + \\lambda w = 0
---

"""
HOLDS = {"<": lambda d: d < 0, "<=": lambda d: d <= 0, ">": lambda d: d > 0, ">=": lambda d: d >= 0}
LATEX = {"<": "<", "<=": "\\leq", ">": ">", ">=": "\\geq"}


def step_of(document: str):
    (step,) = deriv.check_text(document).steps
    return step


def values_of(example) -> dict[str, sympy.Matrix | Rational]:
    """The counterexample's values, exact; a column for a vector, a matrix for a matrix."""
    found: dict[str, sympy.Matrix | Rational] = {}
    for name, rows in example.values:
        cells = [[Rational(str(Fraction(v))) for v in row] for row in rows]
        found[name] = cells[0][0] if len(cells) == 1 and len(cells[0]) == 1 else sympy.Matrix(cells)
    return found


def test_the_small_parameter_example_is_refuted_exactly():
    step = step_of(HEAD + "$$ \\left(\\frac{x y}{x^2+\\lambda}\\right)^2 \\leq y^2 $$\n")
    assert step.verdict.value == "refuted", step.message
    v = values_of(step.counterexample)
    assert v["lambda"] > 0
    left = (v["x"] * v["y"] / (v["x"] ** 2 + v["lambda"])) ** 2
    assert left > v["y"] ** 2
    assert Rational(str(Fraction(step.counterexample.lhs_value))) == left


@pytest.mark.parametrize("sizes", ["N x M", "N x N", "M x N"])
def test_the_ridge_example_is_refuted_exactly(sizes):
    rows, columns = sizes.split(" x ")
    head = RIDGE.replace("matrix N x M", f"matrix {sizes}").replace("vector M", f"vector {columns}")
    head = head.replace("y: vector N", f"y: vector {rows}")
    step = step_of(head + "$$ w^T w \\leq y^T y $$\n")
    assert step.verdict.value == "refuted", step.message
    v = values_of(step.counterexample)
    as_column = {k: (m if isinstance(m, sympy.Matrix) else sympy.Matrix([[m]])) for k, m in v.items()}
    Xm, w, y, lam = as_column["X"], as_column["w"], as_column["y"], v["lambda"]
    assert lam > 0
    assert Xm.T * (Xm * w - y) + lam * w == sympy.zeros(w.shape[0], 1)  # the assumption holds exactly
    assert (w.T * w)[0, 0] > (y.T * y)[0, 0]


@pytest.mark.parametrize("display", [r"\left(\frac{x y}{x^2+\lambda}\right)^2 \leq y^2 + \frac{y^2}{4 \lambda}",
                                     r"\frac{x^2}{(x^2 + \lambda)^2} \leq \frac{1}{4 \lambda}",
                                     r"x^2 + \lambda \geq 2 \sqrt{\lambda} x"])
def test_true_claims_of_the_class_are_not_refuted(display):
    step = step_of(HEAD + f"$$ {display} $$\n")
    assert step.verdict.value in ("proved", "tested"), step.message


# -- the generated family ----------------------------------------------------------------
#: Exact values the reference fixes one variable at (the other is isolated exactly).
GRID_LAMBDA = tuple(Rational(p, q) for p, q in ((1, 1000), (1, 100), (1, 10), (1, 8), (1, 5), (1, 4), (1, 3), (1, 2),
                                                (3, 4), (1, 1), (2, 1), (3, 1), (10, 1), (100, 1), (1000, 1)))
GRID_X = (Rational(0), *GRID_LAMBDA, *(-g for g in GRID_LAMBDA))
MONOMIALS = ((0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2))  # powers of (x, lambda)


def _latex_poly(coefficients: tuple[int, ...]) -> str:
    words = {(0, 0): "", (1, 0): "x", (0, 1): "\\lambda", (2, 0): "x^2", (1, 1): "x \\lambda", (0, 2): "\\lambda^2"}
    terms = []
    for c, m in zip(coefficients, MONOMIALS):
        if c == 0:
            continue
        word = words[m]
        magnitude = "" if abs(c) == 1 and word else str(abs(c))
        terms.append(("-" if c < 0 else "+") + f" {magnitude} {word}".rstrip())
    text = " ".join(terms) or "0"
    return text[2:] if text.startswith("+ ") else text


def _poly(coefficients: tuple[int, ...]) -> sympy.Expr:
    return sum((c * X ** i * LAM ** j for c, (i, j) in zip(coefficients, MONOMIALS)), sympy.Integer(0))


COEFFICIENTS = st.tuples(*(st.integers(-3, 3) for _ in MONOMIALS))


def band(a: int, u: int, c: int, delta: Rational, relation: str) -> tuple[str, sympy.Expr, str]:
    """``(a x / (x^2 + u \\lambda))^2 R c + e / \\lambda``: its supremum over ``x`` is ``a^2 / (4 u \\lambda)``, so
    ``\\leq`` holds iff ``c >= 0`` and ``e = a^2 / (4 u) + delta >= a^2 / (4 u)``; with ``delta < 0`` it fails only
    for a small ``\\lambda`` and ``x`` near ``\\sqrt{u \\lambda}`` (the old tester called all of these tested)."""
    e = Rational(a * a, 4 * u) + delta
    lam = "\\lambda" if u == 1 else f"{u} \\lambda"
    display = (f"\\left(\\frac{{{a} x}}{{x^2 + {lam}}}\\right)^2 {LATEX[relation]} {c} + "
               f"\\frac{{{e.p}}}{{{e.q} \\lambda}}")
    return display, (a * X / (X ** 2 + u * LAM)) ** 2 - c - e / LAM, relation


@st.composite
def bands(draw):
    delta = draw(st.sampled_from((Rational(-1, 10), Rational(-1, 100), Rational(-1, 1000), 0, Rational(1, 100))))
    return band(draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.sampled_from((0, 1, 2, 10))), delta,
                draw(st.sampled_from(("<=", "<"))))


@st.composite
def polynomials(draw):
    """``P R Q`` with ``P`` a polynomial over ``(x^2 + u \\lambda + v)^k`` (never 0 for lambda > 0) and ``Q`` a polynomial."""
    top, right = draw(COEFFICIENTS), draw(COEFFICIENTS)
    u, v = draw(st.sampled_from(((1, 0), (0, 1), (1, 1), (2, 0), (1, 4), (0, 0))))
    power = draw(st.sampled_from((1, 2)))
    relation = draw(st.sampled_from(tuple(HOLDS)))
    below = X ** 2 + u * LAM + v
    if (u, v) == (0, 0):
        left_latex, left = f"{_latex_poly(top)}", _poly(top)
    else:
        denominator = "x^2" + (f" + {u if u > 1 else ''} \\lambda" if u else "") + (f" + {v}" if v else "")
        fraction = f"\\frac{{{_latex_poly(top)}}}{{{denominator}}}"
        left_latex = f"\\left({fraction}\\right)^2" if power == 2 else fraction
        left = (_poly(top) / below) ** power
    return f"{left_latex} {LATEX[relation]} {_latex_poly(right)}", left - _poly(right), relation


def _points(d: sympy.Expr, var: sympy.Symbol, positive: bool) -> list[Rational]:
    """Rational points on each side of every real root of ``d``'s numerator and denominator in ``var``."""
    numerator, denominator = sympy.fraction(sympy.together(d))
    cuts: set[Rational] = {Rational(0)} if positive else set()
    for part in (numerator, denominator):
        poly = sympy.Poly(part, var)
        if poly.degree() > 0:
            for (a, b), _ in poly.intervals():
                cuts |= {Rational(a), Rational(b)}
    ordered = sorted(cuts)
    if not ordered:
        return [Rational(1)]
    points = [ordered[0] - 1, *((a + b) / 2 for a, b in zip(ordered, ordered[1:])), ordered[-1] + 1, *ordered]
    return [p for p in points if p > 0] if positive else points


def reference_counterexample(d: sympy.Expr, relation: str) -> tuple[Rational, Rational] | None:
    """``(x, lambda)`` with ``lambda > 0`` where the relation certainly fails, found exactly; else None."""
    for lam in GRID_LAMBDA:
        for x in _points(d.subs(LAM, lam), X, positive=False):
            if _fails(d, relation, x, lam):
                return x, lam
    for x in GRID_X:
        for lam in _points(d.subs(X, x), LAM, positive=True):
            if _fails(d, relation, x, lam):
                return x, lam
    return None


def _fails(d: sympy.Expr, relation: str, x: Rational, lam: Rational) -> bool:
    value = d.subs({X: x, LAM: lam})
    return value.is_Rational and not HOLDS[relation](value)


SETTINGS = settings(max_examples=int(os.environ.get("DERIV_SCALES_CASES", "40")), deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


@st.composite
def far(draw):
    """``s x / (\\lambda x^2 + 1) \\leq c``: false for every ``s \\neq 0`` (the supremum is ``|s| / (2 \\sqrt\\lambda)``),
    but only for ``\\lambda < s^2 / (4 c^2)`` and ``x`` of the sign of ``s`` near ``1 / \\sqrt\\lambda``."""
    s, c = draw(st.sampled_from((1, -1, 3, -3))), draw(st.sampled_from((1, 10, 30)))
    display = f"\\frac{{{s} x}}{{\\lambda x^2 + 1}} \\leq {c}"
    return display, s * X / (LAM * X ** 2 + 1) - c, "<="


claims = st.one_of(polynomials(), bands(), far())


@pytest.mark.parametrize("a, u, c", [(1, 1, 1), (1, 3, 10), (3, 1, 10), (3, 3, 1)])
@pytest.mark.parametrize("delta", [Rational(-1, 10), Rational(-1, 1000), Rational(0)])
def test_a_band_at_a_small_parameter_is_refuted_and_its_edge_is_not(a, u, c, delta):
    display, d, relation = band(a, u, c, delta, "<=")
    step = step_of(HEAD + f"$$ {display} $$\n")
    assert (reference_counterexample(d, relation) is not None) == (delta < 0)  # the reference knows the answer
    assert step.verdict.value == ("refuted" if delta < 0 else "tested"), (display, step.message)
    if delta < 0:
        assert _certainly_violated(step, d, relation), step.counterexample


@SETTINGS
@given(claims)
def test_generated_claims_agree_with_the_exact_reference(claim):
    display, d, relation = claim
    step = step_of(HEAD + f"$$ {display} $$\n")
    found = reference_counterexample(d, relation)
    if found is not None:
        assert step.verdict.value == "refuted", (display, found, step.verdict.value, step.message)
    else:
        assert step.verdict.value != "refuted" or _certainly_violated(step, d, relation), (display, step.message)
    if step.verdict.value == "refuted":
        assert _certainly_violated(step, d, relation), (display, step.counterexample)


def _certainly_violated(step, d: sympy.Expr, relation: str) -> bool:
    """The refutation's point violates the claim, checked here: exactly at its values, or (a strict
    claim refuted where the sides meet at an irrational value ``r``) a real zero of the difference there."""
    example = step.counterexample
    rows = dict(example.values)
    if not rows:  # a random point: its values are the seed's draws, not shown; the sides' exact values are
        return (example.precision == "exact" and not HOLDS[relation](Fraction(example.lhs_value) - Fraction(example.rhs_value)))
    shown = {name: rows[name][0][0] for name in rows}
    root = [name for name, v in shown.items() if v == "r"]
    known = {sympy.Symbol(n): Rational(str(Fraction(v))) for n, v in shown.items() if v != "r"}
    if not root:
        value = d.subs(known)
        return value.is_Rational and not HOLDS[relation](value)
    var = sympy.Symbol(root[0])
    numerator, _ = sympy.fraction(sympy.together(d.subs(known)))
    zeros = [z for z in sympy.Poly(numerator, var).real_roots() if var != LAM or z > 0]
    return relation in ("<", ">") and bool(zeros)


@pytest.mark.parametrize("k", ["2", "\\frac{1}{3}", "10"])
def test_a_band_past_an_assumed_bound_is_refuted(k):
    """``\\lambda > k`` assumed: the sides part between ``k`` (where the line of ``\\lambda`` starts) and
    the first meeting point, which the points between the meeting points alone never reached."""
    head = f"---\nsymbols:\n  lambda: scalar\n  x: scalar\n  y: scalar\nassumptions:\n  - \\lambda > {k}\n---\n\n"
    step = step_of(head + f"$$ \\left(\\frac{{x y}}{{x^2+\\lambda - {k}}}\\right)^2 \\leq y^2 $$\n")
    assert step.verdict.value == "refuted", step.message
    v = values_of(step.counterexample)
    shift = Rational(1, 3) if "frac" in k else Rational(k)
    assert v["lambda"] > shift
    assert (v["x"] * v["y"] / (v["x"] ** 2 + v["lambda"] - shift)) ** 2 > v["y"] ** 2


def test_the_same_claim_past_a_bound_that_makes_it_true_is_not_refuted():
    head = "---\nsymbols:\n  lambda: scalar\n  x: scalar\n  y: scalar\nassumptions:\n  - \\lambda > \\frac{9}{4}\n---\n\n"
    step = step_of(head + "$$ \\left(\\frac{x y}{x^2+\\lambda - 2}\\right)^2 \\leq y^2 $$\n")
    assert step.verdict.value == "tested", step.message


MU = sympy.Symbol("mu")
#: Claims false only at a small or large parameter with another value far from the draws, and
#: their difference (left - right) for the exact check; each ``\leq`` or ``\geq`` as written.
FAR = [
    (r"\frac{-x}{x^2 \lambda + 1} \leq 10", -X / (X ** 2 * LAM + 1) - 10, "<="),  # needs x < -10, lambda < 1/400
    (r"\frac{x y}{x^2 \lambda + y^2} \leq 10", X * Y / (X ** 2 * LAM + Y ** 2) - 10, "<="),  # needs x / y > 10
    (r"\frac{\lambda x^2}{1000 + \lambda x^4} \leq 1", LAM * X ** 2 / (1000 + LAM * X ** 4) - 1, "<="),  # lambda > 4000
    (r"\frac{x^2}{(x^2 + \lambda \mu)^2} \leq \frac{1}{4 \lambda}", X ** 2 / (X ** 2 + LAM * MU) ** 2 - 1 / (4 * LAM), "<="),
    (r"\left(\frac{x y}{x^2+\lambda + \mu}\right)^2 \leq y^2", (X * Y / (X ** 2 + LAM + MU)) ** 2 - Y ** 2, "<="),
    (r"\lambda x - x^2 \leq 100", LAM * X - X ** 2 - 100, "<="),  # lambda > 20
]
HEAD_TWO = "---\nsymbols:\n  lambda: positive scalar\n  mu: positive scalar\n  x: scalar\n  y: scalar\n---\n\n"


@pytest.mark.parametrize(("display", "d", "relation"), FAR)
def test_a_claim_false_only_far_from_the_draws_is_refuted_exactly(display, d, relation):
    step = step_of(HEAD_TWO + f"$$ {display} $$\n")
    assert step.verdict.value == "refuted", step.message
    v = {sympy.Symbol(n): value for n, value in values_of(step.counterexample).items()}
    assert v[LAM] > 0 and v.get(MU, 1) > 0
    assert not HOLDS[relation](d.subs(v))

"""Engine, claims: adversarial claims and quantified statements (docs/deciding.md), exact verdicts.

Each class has true claims that must stay proved or tested, and false ones
that must be refuted -- never proved, never tested.
"""

from __future__ import annotations

import os

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv

#: Scalars x, y, a and a positive b; ``extra`` declares more and adds assumptions.
HEAD = "---\nsymbols:\n" + "".join(f"  {n}: scalar\n" for n in "xya") + "  b: positive scalar\n{extra}---\n\n"


def verdicts(*displays: str, extra: str = "") -> list[tuple[str, str]]:
    text = HEAD.format(extra=extra) + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return [(s.verdict.value, s.message) for s in deriv.check_text(text).steps]


def verdict(display: str, extra: str = "") -> str:
    ((found, _),) = verdicts(display, extra=extra)
    return found


# -- item 3: sign reasoning is exact ---------------------------------------------------
@pytest.mark.parametrize("display", [r"0.99999999999999999999 x > 1", r"\frac{99999999999999999999}{100000000000000000000} x > 1",
                                     r"x - 0.00000000000000000001 > 1"])
def test_a_coefficient_just_below_one_is_not_proved_from_the_fact(display):
    found, message = verdicts(display, extra="assumptions:\n  - x > 1\n")[0]
    assert found == "refuted", message


@pytest.mark.parametrize("display", [r"1.00000000000000000001 x > 1", r"2 x > 2", r"x + 0.00000000000000000001 > 1",
                                     r"-0.5 x < -0.5"])
def test_exact_consequences_of_the_fact_stay_proved(display):
    found, message = verdicts(display, extra="assumptions:\n  - x > 1\n")[0]
    assert found == "proved", message


def test_the_ratio_of_a_fact_is_exact():
    from sympy import Rational, Symbol

    from deriv.engine.signs import _ratio

    k = ((Symbol("x"),), ())
    assert _ratio({k: Rational(10**20 - 1, 10**20)}, {k: 1}) == Rational(10**20 - 1, 10**20)


def test_a_float_never_has_a_sign():
    from sympy import Float

    from deriv.engine.signs import ALL, SignProver

    class _Context:
        declared: dict = {}
        assumptions: list = []
        recurrences: dict = {}

        @staticmethod
        def symmetric_names():
            return frozenset()

    assert SignProver(_Context(), [], {}).sign(Float("0.5")).sign == ALL


# -- item 4: "for every x" uses no fact about x ---------------------------------------
GRAM = """  B: matrix N x N
  A: matrix N x N
  u: vector N
  v: vector N
  lambda: scalar
definitions:
  - s = u^T B^T B u
  - t = s + 1
  - r = u^T A u
"""


@pytest.mark.parametrize(("assumption", "statement"), [
    ("s > 0", r"u^T B^T B u > 0 \quad \forall u \neq 0"),
    ("t > 1", r"u^T B^T B u > 0 \quad \forall u \neq 0"),
    ("r > 0", r"u^T A u > 0 \quad \forall u \neq 0"),
    ("u^T A u > 0", r"u^T A u > 0 \quad \forall u \neq 0"),
    ("r > 0", r"v^T A v > 0 \quad \forall v \neq 0"),
])
def test_a_fact_about_the_documents_vector_does_not_prove_a_statement_for_every_vector(assumption, statement):
    found, message = verdicts(statement, extra=GRAM + f"assumptions:\n  - {assumption}\n")[0]
    assert found != "proved", message


@pytest.mark.parametrize(("assumption", "statement"), [
    (r"\lambda > 0", r"\lambda u^T u > 0 \quad \forall u \neq 0"),
    (r"v \neq 0", r"u^T u > 0 \quad \forall u \neq 0"),
])
def test_facts_about_other_objects_still_prove_it(assumption, statement):
    found, message = verdicts(statement, extra=GRAM + f"assumptions:\n  - {assumption}\n")[0]
    assert found == "proved", message


def test_a_wrongly_quantified_statement_does_not_prove_later_claims():
    steps = verdicts(r"u^T B^T B u > 0 \quad \forall u \neq 0", r"v^T B^T B v > 0",
                     extra=GRAM + "assumptions:\n  - s > 0\n  - v \\neq 0\n")
    assert steps[0][0] != "proved", steps[0][1]
    assert steps[1][0] != "proved", steps[1][1]


# -- item 6: scalar claims fail where the two sides meet ---------------------------------
@pytest.mark.parametrize("display", [
    r"x^2 + 1 > 2 x", r"x^2 \neq 2", r"\exp(x) \neq 2", r"x^2 - 4 x + 4 > 0", r"(x^2 - 2)^2 > 0", r"x^3 \neq 3",
    r"\exp(x) > x + 1", r"\frac{x^2 - 2}{x^2 + 1} \neq 0", r"x \neq \frac{1}{3}", r"x^2 + y^2 > 2 x y",
    r"|x + y| < |x| + |y|", r"x^2 > x", r"\log(x^2 + 1) \neq 1", r"x^2 \neq b", r"x^2 < 2", r"x^3 - 2 x < 0",
    r"(x^2 - 3)^2 (x - y)^2 > 0", r"x^4 - 10 x^2 + 1 \neq 0", r"x^2 + y^2 \neq 2", r"x y \neq 1", r"\frac{1}{x} \neq 2",
    r"|x - \frac{1}{3}| > 0", r"\exp(x - \frac{1}{3}) > x + \frac{2}{3}", r"\sqrt{(x - \frac{1}{3})^2} > 0",
    r"\sqrt{x^2 + 1} \neq 2", r"\log(x^2) \neq 1", r"\exp(x) + \exp(-x) > 2",
])
def test_a_false_scalar_claim_is_refuted(display):
    found, message = verdicts(display)[0]
    assert found == "refuted", message


@pytest.mark.parametrize(("display", "assumption"), [
    (r"x^2 \neq 3", "x > 1"), (r"0.99999999999999999999 x > 1", "x > 1"), (r"x^2 - 5 \neq 0", "x > 1"), (r"x^2 - 3 x + 2 \neq 0", "x > 1"),
    (r"\exp(x) \neq 3", "x > 1"), (r"x^2 \neq 2", "x < 0"), (r"x^2 \neq 2", r"\exp(x) > 3"),
])
def test_a_false_claim_under_an_assumption_is_refuted_where_it_holds(display, assumption):
    found, message = verdicts(display, extra=f"assumptions:\n  - {assumption}\n")[0]
    assert found == "refuted", message


@pytest.mark.parametrize(("display", "assumption"), [
    (r"x^2 \neq \frac{1}{2}", "x > 1"), (r"x^2 \neq 1", "x > 1"), (r"\exp(x) \neq 2", "x > 1"),
    (r"x^2 > 1", "x > 1"), (r"\log(x) \neq 0", "x > 1"), (r"x^3 \neq -2", "x > 1"),
])
def test_a_true_claim_whose_sides_meet_only_outside_the_assumption_is_not_refuted(display, assumption):
    found, message = verdicts(display, extra=f"assumptions:\n  - {assumption}\n")[0]
    assert found in ("proved", "tested"), message


@pytest.mark.parametrize("display", [
    r"x^2 + 1 > x", r"x^2 - 2 x + 1 \geq 0", r"\exp(x) \geq x + 1", r"(x^2 - 2)^2 \geq 0", r"x^2 + y^2 \geq 2 x y",
    r"|x + y| \leq |x| + |y|", r"x^2 \neq -1", r"|x - \frac{1}{3}| \geq 0", r"\exp(x - \frac{1}{3}) \geq x + \frac{2}{3}",
    r"\sqrt{x^2 + 1} \neq \frac{1}{2}", r"\exp(x) \neq 0", r"x^4 + 1 > x^2 - 1", r"\exp(x) + \exp(-x) \geq 2",
])
def test_a_true_scalar_claim_stays_proved_or_tested(display):
    found, message = verdicts(display)[0]
    assert found in ("proved", "tested"), message


@pytest.mark.parametrize(("display", "assumption"), [
    (r"x^2 \neq 2", "x^2 > 3"), (r"\exp(x) \neq 2", r"\exp(x) > 3"), (r"x^2 \neq 2", r"\exp(x) > 5"),
])
def test_a_meeting_point_the_assumption_excludes_refutes_nothing(display, assumption):
    # The sides meet at sqrt 2 or log 2, where the assumption fails: nothing may be refuted
    # there (an inexact fact, exp(x) > 3, was once a TypeError).
    found, message = verdicts(display, extra=f"assumptions:\n  - {assumption}\n")[0]
    assert found not in ("refuted", "error"), message


# -- item 7: parallel, orthogonal, equal, opposite vectors and zero entries ----------------
VECTORS = """  u: vector N
  v: vector N
assumptions:
  - u \\neq 0
  - v \\neq 0
"""


@pytest.mark.parametrize("display", [
    r"(u^T v)^2 < \|u\|^2 \|v\|^2", r"u^T v \neq 0", r"\|u - v\|^2 > 0", r"\|u + v\|^2 > 0",
    r"u^T v > -\|u\|^2", r"(u^T v)^2 \neq \|u\|^2 \|v\|^2", r"u_i^2 > 0", r"u_i^2 < \|u\|^2",
    r"u^T v < \|u\|^2 + \|v\|^2 - \|u - v\|^2 + 1 - 1", r"u_i v_i \neq 0", r"\|u + v\| < \|u\| + \|v\|",
    r"\|u\| \neq \|v\|", r"\|u - v\| > 0", r"\|u + v\| > 0", r"\|u\| \|v\| > |u^T v|",
])
def test_a_false_vector_claim_is_refuted(display):
    found, message = verdicts(display, extra=VECTORS)[0]
    assert found == "refuted", message


@pytest.mark.parametrize("display", [
    r"\|u\|^2 \neq 2", r"u^T v \neq 1", r"\|u\|^2 > 1", r"\exp(u^T v) \neq 2", r"\|u\|^2 + x^2 \neq 5",
    r"(u^T u - 3)^2 > 0", r"u_i^2 \neq 3",
])
def test_a_vector_claim_fails_where_the_sides_meet_in_one_entry(display):
    found, message = verdicts(display, extra=VECTORS)[0]
    assert found == "refuted", message


@pytest.mark.parametrize("display", [
    r"(u^T v)^2 \leq \|u\|^2 \|v\|^2", r"\|u\|^2 > 0", r"\|u - v\|^2 \geq 0", r"\|u + v\|^2 + \|u - v\|^2 > 0",
    r"u_i^2 \leq \|u\|^2", r"2 u^T v \leq \|u\|^2 + \|v\|^2", r"\|u\|^2 \neq -1", r"\|u + v\| \leq \|u\| + \|v\|",
    r"\|u\| \|v\| \geq |u^T v|", r"\exp(u^T v) \neq 0",
])
def test_a_true_vector_claim_stays_proved_or_tested(display):
    found, message = verdicts(display, extra=VECTORS)[0]
    assert found in ("proved", "tested"), message


# -- item 10: the zero function and vanishing derivatives ---------------------------------
FUNCTIONS = """  u: vector N
  g: function
  h: elementwise function
"""


@pytest.mark.parametrize("display", [
    r"\sum_i \left(\frac{\partial g(u)}{\partial u_i}\right)^2 > 0", r"g(u)^2 > 0", r"g(u) \neq 0", r"\exp(g(u)) > 1",
    r"h'(x) \neq 0", r"h(x)^2 + h'(x)^2 > 0", r"\frac{\partial g(u)}{\partial u_i} \neq 0",
    # Drawn Taylor coefficients are at most 9 in size: a bound is no theorem.
    r"g(u)^2 < 100", r"g(u) < 10", r"h(x) > -10", r"h'(x) < 20", r"\log(1 + g(u)^2) < 5",
    r"\sum_i \left(\frac{\partial g(u)}{\partial u_i}\right)^2 < 1000", r"g(u) < 10^{30}",
    # Drawn values are k/m with m <= 4: never 1/7.
    r"g(u) \neq \frac{1}{7}", r"3 g(u) \neq 1", r"h(x) \neq \frac{2}{11}", r"g(u)^2 - g(u) \neq \frac{3}{4}",
    r"(g(u) - \frac{1}{7})^2 > 0", r"\frac{\partial g(u)}{\partial u_i} \neq \frac{1}{7}", r"h'(x) \neq \frac{5}{13}",
])
def test_a_claim_false_for_the_zero_function_is_refuted(display):
    found, message = verdicts(display, extra=FUNCTIONS)[0]
    assert found == "refuted", message


@pytest.mark.parametrize("display", [
    r"\sum_i \left(\frac{\partial g(u)}{\partial u_i}\right)^2 \geq 0", r"\exp(g(u)) > 0", r"g(u)^2 + 1 > 0",
    r"h'(x)^2 \geq 0", r"\tanh(h(x)) < 1", r"\exp(-h(x)^2) \leq 1", r"\exp(h(x)) \neq 0",
])
def test_a_claim_true_for_every_function_stays_proved_or_tested(display):
    found, message = verdicts(display, extra=FUNCTIONS)[0]
    assert found in ("proved", "tested"), message


# -- a function's value where the two sides meet is irrational ----------------------------
FUNCTION_VALUES = FUNCTIONS + "  w: vector N\n"


@pytest.mark.parametrize(("display", "assumption"), [
    (r"g(u)^2 \neq 2", ""), (r"h(x)^2 \neq 2", ""), (r"g(u)^2 - 3 \neq 0", ""), (r"h(x) \neq 3 - h(x)^3", ""),
    (r"g(u)^2 + h(x)^2 \neq 5", ""), (r"g(u) g(w) \neq 7", ""), (r"h(x)^2 \neq x", ""), (r"\exp(g(u)) \neq 2", ""),
    (r"g(u)^2 \neq 2", "  - g(u) > 0\n"), (r"g(u)^2 + 2 g(u) \neq 1", "  - g(u) > 0\n"), (r"g(u)^3 \neq -3", "  - g(u) < 0\n"),
])
def test_a_claim_whose_sides_meet_at_an_irrational_function_value_is_refuted(display, assumption):
    found, message = verdicts(display, extra=FUNCTION_VALUES + ("assumptions:\n" + assumption if assumption else ""))[0]
    assert found == "refuted", message


def test_the_irrational_function_value_is_named_with_its_polynomial():
    found, message = verdicts(r"g(u)^2 \neq 2", extra=FUNCTION_VALUES)[0]
    assert (found, message) == ("refuted", r"the claim \neq fails where the two sides meet: g = the root of g**2 - 2 in "
                                "[-1.41421356237 +/- 3.10e-12] (exact: that factor divides the difference) (every function of "
                                "the claim constant at that value: an opaque function may be any function)")


@pytest.mark.parametrize(("display", "assumption"), [
    (r"g(u)^3 \neq -2", "  - g(u) > 0\n"), (r"g(u)^2 \neq -2", ""), (r"h(x)^2 + h'(x)^2 \neq -1", ""),
    (r"\exp(g(u)) \neq 0", ""), (r"g(u)^2 + 1 > 0", ""),
])
def test_a_claim_true_for_every_function_value_is_not_refuted(display, assumption):
    found, message = verdicts(display, extra=FUNCTION_VALUES + ("assumptions:\n" + assumption if assumption else ""))[0]
    assert found in ("proved", "tested"), message


# -- property: polynomial claims in one scalar, against an exact reference ----------------
CASES = int(os.environ.get("DERIV_CLAIM_CASES", "60"))
SETTINGS = settings(max_examples=CASES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
_x = sympy.Symbol("x")
FACTORS = st.one_of(
    st.tuples(st.integers(1, 3), st.integers(-4, 4)).map(lambda qp: qp[0] * _x - qp[1]),  # rational root p/q
    st.sampled_from([2, 3, 5, 6]).map(lambda k: _x**2 - k),  # irrational roots
    st.integers(1, 3).map(lambda k: _x**2 + k),  # no real root
)
POLYNOMIALS = st.tuples(st.sampled_from([1, -1, 2, -3]),
                        st.lists(st.tuples(FACTORS, st.integers(1, 2)), min_size=0, max_size=3))


def _truth(p: sympy.Poly, relation: str) -> bool:
    """Whether ``p relation 0`` for every real x (sympy's exact real-root counts; none of deriv)."""
    root = p.count_roots() > 0
    change = any(f.count_roots() > 0 for f, m in p.sqf_list()[1] if m % 2)
    lc = p.LC() > 0
    return {">": not root and lc, "<": not root and not lc, "!=": not root,
            ">=": not change and lc, "<=": not change and not lc}[relation]


def _latex(terms: dict) -> str:
    parts = [f"{c} x^{{{n}}}" if n else f"{c}" for n, c in sorted(terms.items(), reverse=True) if c]
    return " + ".join(parts) or "0"


@SETTINGS
@given(POLYNOMIALS, st.sampled_from([">", "<", ">=", "<=", "!="]))
def test_a_polynomial_claim_is_refuted_exactly_when_it_is_false(drawn, relation):
    constant, factors = drawn
    p = sympy.Poly(constant * sympy.Mul(*(f**m for f, m in factors)), _x)
    # Positive terms on the left, the others on the right: the two sides meet at the roots.
    left = {n: c for (n,), c in p.terms() if c > 0}
    right = {n: -c for (n,), c in p.terms() if c < 0}
    claim = f"{_latex(left)} {LATEX[relation]} {_latex(right)}"
    found, message = verdicts(claim)[0]
    if _truth(p, relation):
        assert found in ("proved", "tested"), (claim, message)
    else:
        assert found == "refuted", (claim, message)


LATEX = {">": ">", "<": "<", ">=": "\\geq", "<=": "\\leq", "!=": "\\neq"}


@pytest.mark.parametrize(("display", "expected"), [
    (r"x > 0.99999999999999999999", "proved"), (r"x > 1.00000000000000000001", "refuted"),
    (r"0.00000000000000000001 x > 0", "proved"), (r"x^2 > 0.99999999999999999999 x^2", "proved"),
    (r"0.99999999999999999999 x^2 > x", "refuted"),
])
def test_tiny_margins_are_exact(display, expected):
    found, message = verdicts(display, extra="assumptions:\n  - x > 1\n")[0]
    assert found == expected, message


# -- the root finding itself, against SymPy's exact real roots ------------------------------
@SETTINGS
@given(POLYNOMIALS)
def test_every_root_interval_holds_a_root_and_rational_roots_are_roots(drawn):
    from flint import fmpq

    from deriv.engine.meeting import zeros
    from deriv.engine.univariate import VARIABLE

    constant, factors = drawn
    p = sympy.Poly(constant * sympy.Mul(*(f**m for f, m in factors)), _x)
    rational, intervals = zeros(p.as_expr().subs(_x, VARIABLE))
    roots = set(sympy.Poly(p).real_roots())
    for r in rational:
        assert sympy.Rational(int(r.p), int(r.q)) in roots
    for zero in intervals:
        low, high = (sympy.Rational(int(e.p), int(e.q)) for e in (zero.low, zero.high))
        assert p.count_roots(low, high) >= 1 and zero.factor(zero.low) * zero.factor(zero.high) < 0
    found = len(set(rational)) + len(intervals)
    assert found == len(set(roots)), (p, rational, intervals)
    assert all(isinstance(r, fmpq) for r in rational)


@pytest.mark.parametrize("c", ["2", "3", "1/3", "7/2", "50"])
def test_a_sign_change_of_exp_holds_the_logarithm(c):
    from flint import arb, fmpq

    from deriv.engine.meeting import vanishes, zeros
    from deriv.engine.univariate import VARIABLE

    g = sympy.exp(VARIABLE) - sympy.Rational(c)
    _, intervals = zeros(g)
    assert len(intervals) == 1 and vanishes(g, intervals[0])
    low, high = intervals[0].low, intervals[0].high
    assert arb(fmpq(*map(int, c.split("/"))) if "/" in c else fmpq(int(c))).log().overlaps(arb(low).union(arb(high)))


# -- structured instances are not lost to an unrelated fact ---------------------------------
LOST_HEAD = ("---\nsymbols:\n  t: scalar\n  a: scalar\n  c: scalar\n  b: positive scalar\n  u: vector N\n"
             "assumptions:\n  - a > 1\n  - c \\geq 0\n  - b < 3\n---\n\n")


@pytest.mark.parametrize("seed", [0, 20, 120, 779])
@pytest.mark.parametrize("claim", [r"t^2 + 1 > 2 t", r"-t^2 + \frac{5}{2} t + 6 \neq \frac{1}{2} t + 3",
                                   r"\|u\|^2 > 0", r"c > 0", r"a > \frac{3}{2}", r"b + \frac{1}{b} > 2"])
def test_a_fact_about_another_scalar_does_not_lose_the_structured_point(claim: str, seed: int) -> None:
    """``a > 1`` fails on about half the draws of ``a``: the instance that puts ``t`` where the two
    sides meet must meet that fact by setting ``a`` (on its boundary or one past it), not be lost."""
    (step,) = deriv.check_text(LOST_HEAD + f"$$ {claim} $$\n", "lost.md", deriv.CheckOptions(seed=seed)).steps
    assert step.verdict.value == "refuted", step.message


@pytest.mark.parametrize(("claim", "verdict"), [
    (r"t^2 + 3 t + 2 \geq 0", "refuted"),  # negative only strictly between -2 and -1
    (r"-t^4 + \frac{1}{4} t^2 \leq 0", "refuted"),  # positive only for 0 < |t| < 1/2
    (r"(t - 1)(t - 2)(t - 3) \leq 0 \cdot t + 6", "refuted"),
    (r"t^2 + 3 t + 3 > 0", "tested"),  # no real root: true
    (r"(t - 1)^2 (t - 2)^2 \geq 0", "proved"),
])
def test_points_between_where_the_sides_meet_are_tried(claim: str, verdict: str) -> None:
    (step,) = deriv.check_text("---\nsymbols:\n  t: scalar\n---\n\n$$ " + claim + " $$\n", "between.md").steps
    assert step.verdict.value == verdict, step.message


# -- a fact about one array's norm: draws moved into its ball (engine/ball_points.py) -------------------
@pytest.mark.parametrize(("assumption", "display", "expected"), [
    (r"z^T z \leq 1", r"1 - z^T z \geq 0", "proved"),  # by signs; it was undecided: no draw met the fact
    (r"z^T z \leq 1", r"1 - z^T z > 0", "refuted"),  # z = e_1
    (r"z^T z \leq 1", r"z_1^2 \leq 1", "tested"),  # was undecided
    (r"z^T z \leq 1", r"z_1 < 1", "refuted"),
    (r"z^T z > 100", r"z_1^2 > 100", "refuted"),
    (r"\|M\|_F < 1", r"M_{1,1} < 1", "tested"),  # was undecided
    (r"\|M\|_F < 1", r"\operatorname{tr}(M) < 1", "refuted"),
])
def test_a_norm_fact_is_met_by_scaling(assumption, display, expected):
    extra = "  z: vector N\n  M: matrix N x N\nassumptions:\n" + f"  - {assumption}\n"
    assert verdict(display, extra) == expected


# -- a positive array is positive on every draw; it may still be singular ------------------------------
POSITIVE = "  P: positive matrix N x N\n  p: positive vector N\n"


@pytest.mark.parametrize(("display", "expected"), [
    (r"\operatorname{tr}(P) > 0", "proved"),  # refuted at a draw whose last row was negated for the determinant
    (r"\sum_{i,j} P_{i,j} > 0", "proved"),
    (r"\det(P) \neq 0", "refuted"),  # every entry 1: rank 1
    (r"\det(P^T P) > 0", "refuted"),
])
def test_a_positive_matrix_claim(display, expected):
    assert verdict(display, POSITIVE) == expected


def test_every_entry_of_a_positive_matrix_is_drawn_positive():
    from deriv.engine.instances import Instance
    from deriv.meaning.declarations import build_context
    from deriv.read.document import parse_document

    context = build_context(parse_document("---\nsymbols:\n" + POSITIVE + "---\n").front)
    n = next(iter(context.sizes))
    for trial in range(40):
        for size in (1, 2, 3, 7):
            instance = Instance(context, 0, trial, {n: size})
            assert all(v > 0 for v in instance.arrays["P"].values()), (trial, size)


# -- where the sides meet with every entry of a vector alike ------------------------------------------
@pytest.mark.parametrize(("assumption", "display", "expected"), [
    (r"z^T z < 2", r"\sum_i z_i < 2", "refuted"),  # z = (2/3, 2/3, 2/3): no one entry reaches it
    (r"z^T z < 2", r"z_1 + z_2 < 2", "tested"),
    (r"z^T z \leq 2", r"z_1 + z_2 < 2", "refuted"),  # z = (1, 1)
    (r"z^T z \leq 2", r"z_1 < 2", "tested"),
])
def test_the_sides_meet_with_every_entry_alike(assumption, display, expected):
    assert verdict(display, "  z: vector N\nassumptions:\n" + f"  - {assumption}\n") == expected

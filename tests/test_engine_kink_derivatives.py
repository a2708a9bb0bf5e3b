r"""Engine: derivatives at a kink (docs/deciding.md, "relu is not differentiable at 0"; engine/one_sided.py).

A derivative whose pieces on the two sides of a kink differ does not exist there: ``\frac{d}{dc}
\operatorname{relu}'(c)``, ``\frac{\partial^2 |c|}{\partial c^2}`` and ``\frac{\partial^2
\operatorname{relu}(c)}{\partial c^2}`` at ``c = 0`` (all three ``= 0`` were ``tested``), so a step
equating one to a side defined there is refuted, with the left side undefined.  One that exists
(``x |x|``, ``\operatorname{relu}(x)^2``, ``|x|^3``, ``\operatorname{relu}(x^2)``, kinks that cancel)
is never refuted there.

The differential harness draws functions of one scalar made of polynomials, ``|p|``,
``\operatorname{relu}(p)`` and ``\operatorname{relu}'(p)`` (``p`` a polynomial with rational roots,
simple, double or triple), sums, products and powers of them, ``\exp``, ``\sin``, ``\cos`` of them, and a step ``F^{(k)} = G`` (``k`` 1 or 2)
whose right side ``G`` is SymPy's derivative off the kinks, written with ``\operatorname{sign}(u) = 2
\operatorname{relu}'(u) - 1`` and the delta dropped: defined everywhere and equal to the left side
wherever no kink is, so random draws agree and only the kinks decide.  The independent reference
(SymPy polynomials and exact rationals, none of deriv's code) replaces each kink by its branch on
each side of every root of its argument -- the sign of the lowest Taylor coefficient of ``p`` there
times the side to its order -- and compares the two polynomials' derivatives up to ``k`` at the root:

* a difference at some order up to ``k`` means ``F^{(k)}`` does not exist there (whatever value
  ``relu'(0)`` is given; a first derivative of relu is left out, which deriv defines by its
  convention): the step is never ``proved`` or ``tested``;
* so does a first derivative where ``F`` at the root, for some value of ``relu'(0)``, is not the
  branches' common value (``\operatorname{relu}'(x) + \operatorname{relu}'(-x)`` is ``2 relu'(0)`` at 0);
* where the branches agree up to ``k``, ``F`` is continuous at the root for every choice of
  ``relu'(0)``, and ``G`` there equals the branches' ``k``-th derivative for every choice, the step
  is true: never ``refuted``.

``DERIV_KINK_CASES`` steps (default 48) in documents of ``BATCH``; hypothesis derandomized.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import deriv
from helpers import displays, front_matter, verdict_values, verdicts_with_messages

X = sp.Symbol("x", real=True)
Y = sp.Symbol("y")
CHOICES = (Fraction(0), Fraction(1), Fraction(1, 2), Fraction(1, 3))
#: Kink arguments: rational roots, simple (x - 1), double (x^2) and triple (x^3), two at once (x^2 - 1).
ARGUMENTS = (X, -X, X - 1, 1 - X, 2 * X - 1, X + 2, X**2 - 1, X**2, X**3, X**2 - 2 * X, 3 * X + 1, -X**3)
KINKS = ("abs", "relu", "step")
CASES = int(os.environ.get("DERIV_KINK_CASES", "48"))
BATCH = 8
#: The order of a kink's argument at a root from which deriv no longer reads its side (the seventh).
SEEN_ORDER = 7
HEAD = front_matter({"x": "scalar"})
STEP_PRIME = r"\operatorname{relu}'"


# -- the functions, built in SymPy and written in LaTeX by this file's own printer ----------------

def kink(name: str, argument: sp.Expr) -> sp.Expr:
    return {"abs": sp.Abs, "relu": lambda u: sp.Max(0, u), "step": sp.Heaviside}[name](argument)


def cancelling(rng: random.Random) -> sp.Expr:
    """A function whose kinks cancel or are smoothed, in part: differentiable more often than not."""
    p = rng.choice(ARGUMENTS)
    return rng.choice((
        sp.Max(0, p) - sp.Max(0, -p), sp.Max(0, p) + sp.Max(0, -p) - sp.Abs(p), p * sp.Abs(p),
        sp.Max(0, p)**2, sp.Abs(p)**3, sp.Max(0, p)**3, X**2 * sp.Heaviside(p), p**2 * sp.Heaviside(p),
        sp.Heaviside(p) - sp.Heaviside(p**3), sp.Max(0, p) * p,
    ))


def function(rng: random.Random, depth: int = 2) -> sp.Expr:
    """A random function of ``x``: polynomials, kinks of polynomials, sums, products and powers."""
    roll = rng.random()
    if depth == 0 or roll < 0.15:
        return rng.choice((X, X**2, sp.Integer(rng.choice((-2, -1, 1, 2, 3))), X - 1))
    if roll < 0.45:
        return kink(rng.choice(KINKS), rng.choice(ARGUMENTS))
    if roll < 0.55:
        return cancelling(rng)
    if roll < 0.75:
        return function(rng, depth - 1) + function(rng, depth - 1)
    if roll < 0.88:
        return function(rng, depth - 1) * function(rng, depth - 1)
    if roll < 0.94:  # a smooth function of a kink: certified balls, not exact rationals, in the tester
        return rng.choice((sp.exp, sp.sin, sp.cos))(function(rng, depth - 1))
    return function(rng, depth - 1) ** rng.choice((2, 3))


class Unprintable(Exception):
    pass


def latex(e: sp.Expr) -> str:
    """Fully bracketed LaTeX of ``e`` (never SymPy's printer: deriv must read it as meant)."""
    if e == X:
        return "x"
    if e.is_Integer:
        return str(e) if e >= 0 else rf"\left({e}\right)"
    if e.is_Rational:
        body = rf"\frac{{{abs(e.p)}}}{{{e.q}}}"
        return body if e > 0 else rf"\left(-{body}\right)"
    if isinstance(e, sp.Add):
        return r"\left(" + " + ".join(latex(a) for a in e.args) + r"\right)"
    if isinstance(e, sp.Mul):
        return r"\left(" + r" \cdot ".join(latex(a) for a in e.args) + r"\right)"
    if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp > 0:
        return rf"\left({latex(e.base)}\right)^{{{e.exp}}}"
    if isinstance(e, sp.Abs):
        return rf"\left|{latex(e.args[0])}\right|"
    if isinstance(e, sp.Max) and len(e.args) == 2 and sp.S.Zero in e.args:
        (u,) = (a for a in e.args if a != 0)
        return rf"\operatorname{{relu}}\left({latex(u)}\right)"
    if isinstance(e, sp.Heaviside):
        return rf"{STEP_PRIME}\left({latex(e.args[0])}\right)"
    if e == sp.E:
        return r"\exp\left(1\right)"
    if isinstance(e, (sp.exp, sp.sin, sp.cos)):
        return rf"\{type(e).__name__}\left({latex(e.args[0])}\right)"
    raise Unprintable(str(e))


def derivative(f: sp.Expr, k: int) -> sp.Expr:
    """SymPy's ``k``-th derivative off the kinks, defined everywhere: the delta dropped, ``sign(u)``
    written ``2 relu'(u) - 1`` (any value at 0 is fine: the left side there is what is judged)."""
    g = sp.diff(f, X, k)
    g = g.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)
    return g.replace(lambda e: isinstance(e, sp.sign), lambda e: 2 * sp.Heaviside(e.args[0]) - 1)


def chosen_at_kink(rng: random.Random, f: sp.Expr, g: sp.Expr) -> sp.Expr:
    """``g``, or ``g`` changed only where some ``p`` is 0, by a value ``relu'(0)`` decides there
    (``\\operatorname{relu}'(p^2)`` is 1 off the root, ``relu'(0)`` at it): equal off the roots, so only the
    kinks decide, and true there only where it is the derivative for every value of ``relu'(0)``."""
    roll = rng.random()
    if roll < 0.25:
        return g
    nodes = kink_nodes(f)
    p = argument_of(rng.choice(nodes)) if nodes and rng.random() < 0.8 else rng.choice(ARGUMENTS)
    a = sp.Integer(rng.choice((-1, 1, 2)))
    if roll < 0.5 and sp.degree(p, X) == 1:  # deriv solves for roots of degree 2 at most (engine/kinks.py)
        return g * sp.Heaviside(p**2) ** rng.choice((1, 2))
    if roll < 0.5:
        return g * (sp.Heaviside(p) + sp.Heaviside(-p)) ** rng.choice((1, 2))
    if roll < 0.75:
        return g + a * (sp.Heaviside(p) + sp.Heaviside(-p) - 1)
    if roll < 0.9:
        return g + a * (sp.Heaviside(p) ** 2 - sp.Heaviside(p))
    return g * (sp.Heaviside(p) + sp.Heaviside(-p))


# -- the reference: branches on each side of a root, exact --------------------------------------

def kink_nodes(e: sp.Expr) -> list[sp.Expr]:
    return [n for n in sp.preorder_traversal(e) if isinstance(n, (sp.Abs, sp.Max, sp.Heaviside, sp.sign))]


def argument_of(node: sp.Expr) -> sp.Expr:
    return next(a for a in node.args if a != 0) if isinstance(node, sp.Max) else node.args[0]


def roots(*es: sp.Expr) -> list[sp.Rational]:
    found: set[sp.Rational] = set()
    for node in (n for e in es for n in kink_nodes(e)):
        found |= {r for r in sp.roots(sp.Poly(argument_of(node), X)) if r.is_Rational}
    return sorted(found)


def side_sign(p: sp.Expr, x0: sp.Rational, side: int) -> int:
    """The sign of ``p(x0 + side t)`` for small ``t > 0``: the lowest nonzero Taylor coefficient's."""
    coefficients = sp.Poly(sp.expand(p.subs(X, x0 + Y)), Y).all_coeffs()[::-1]
    order, c = next((m, c) for m, c in enumerate(coefficients) if c != 0)
    return int(sp.sign(c)) * side**order


def branch(f: sp.Expr, x0: sp.Rational, side: int) -> sp.Expr:
    """``f`` near ``x0`` on one side: each kink replaced by its branch there (a polynomial)."""
    def piece(node: sp.Expr) -> sp.Expr:
        u = argument_of(node)
        s = side_sign(u, x0, side) if u.subs(X, x0) == 0 else int(sp.sign(u.subs(X, x0)))
        if isinstance(node, sp.Abs):
            return s * u
        if isinstance(node, sp.Max):
            return u if s > 0 else sp.S.Zero
        return sp.S.One if s > 0 else sp.S.Zero
    return f.replace(lambda e: isinstance(e, (sp.Abs, sp.Max, sp.Heaviside)), piece)


def value_at(e: sp.Expr, x0: sp.Rational, choice: Fraction) -> sp.Expr:
    """``e`` at ``x0``, each step at 0 there taking ``choice`` (SymPy's own would be 1/2)."""
    a = sp.Rational(choice.numerator, choice.denominator)
    chosen = e.replace(lambda n: isinstance(n, sp.Heaviside) and n.args[0].subs(X, x0) == 0, lambda n: a)
    return chosen.subs(X, x0)


@dataclass(frozen=True)
class Judged:
    kind: str  # "undefined", "exists" or "unclear"
    value: sp.Expr | None = None


def reference(f: sp.Expr, g: sp.Expr, k: int, x0: sp.Rational) -> Judged:
    """Whether ``f^{(k)}`` exists at the root ``x0``, and whether ``g`` equals it there."""
    right, left = branch(f, x0, 1), branch(f, x0, -1)
    for order in range(k + 1):
        same = equal(sp.diff(right, X, order).subs(X, x0), sp.diff(left, X, order).subs(X, x0))
        if same is None:
            return Judged("unclear")
        if not same:
            convention = k == 1 and order == 1 and f.has(sp.Max)  # relu' at 0 is any value in [0, 1]
            return Judged("unclear" if convention else "undefined")
    limit = right.subs(X, x0)
    continuous = [equal(value_at(f, x0, a), limit) for a in CHOICES]
    if k == 1 and False in continuous:
        return Judged("undefined")  # relu'(x) + relu'(-x): continuous at relu'(0) = 1/2 only
    if not all(continuous):
        return Judged("unclear")  # F' at the point, for k = 2, may be relu's convention
    value = sp.diff(right, X, k).subs(X, x0)
    agree = [equal(value_at(g, x0, a), value) for a in CHOICES]
    if False in agree and not kinked_at(f, x0, (sp.Max, sp.Abs)) and seen_at(f, x0):
        return Judged("differs", value)  # F^{(k)} exists there, and G is not it for some relu'(0)
    if not all(agree):
        return Judged("unclear")  # a derivative of relu at its kink is relu'(0) there by convention
    return Judged("exists", value)


def seen_at(f: sp.Expr, x0: sp.Rational) -> bool:
    """Whether every kink's argument in ``f`` that is 0 at ``x0`` vanishes there to an order below
    :data:`SEEN_ORDER`: deriv reads the side of a higher one from no jet (``x^9``), and leaves it unknown."""
    for node in kink_nodes(f):
        u = argument_of(node)
        if u.subs(X, x0) == 0:
            coefficients = sp.Poly(sp.expand(u.subs(X, x0 + Y)), Y).all_coeffs()[::-1]
            if next(m for m, c in enumerate(coefficients) if c != 0) >= SEEN_ORDER:
                return False
    return True


def kinked_at(f: sp.Expr, x0: sp.Rational, kinds: tuple) -> bool:
    """Whether a relu (deriv takes its first derivative at its kink by convention) or ``|u|`` in ``f``
    has its kink at ``x0``: the tester leaves a derivative there unjudged (a soft condition, ``u != 0``)."""
    return any(isinstance(n, kinds) and argument_of(n).subs(X, x0) == 0 for n in kink_nodes(f))


def equal(a: sp.Expr, b: sp.Expr) -> bool | None:
    """Whether two exact constants are equal (rationals at once; else SymPy's ``equals``), None if unknown."""
    if a.is_Rational and b.is_Rational:
        return bool(a == b)
    return sp.simplify(a - b).equals(0)


@dataclass(frozen=True)
class Case:
    f: sp.Expr
    g: sp.Expr
    k: int
    step: str
    expected: str  # "undefined" (never proved/tested), "true" (never refuted) or "unclear"


def case(rng: random.Random) -> Case | None:
    f = function(rng)
    if not kink_nodes(f) or f.has(sp.Piecewise):
        return None
    k = rng.choice((1, 2))
    g = chosen_at_kink(rng, f, derivative(f, k))
    try:
        lhs = rf"\frac{{d}}{{dx}}{latex(f)}" if k == 1 else rf"\frac{{\partial^2 {latex(f)}}}{{\partial x^2}}"
        step = f"{lhs} = {latex(g)}"
    except Unprintable:
        return None
    if len(step) > 600:
        return None
    judged = [reference(f, g, k, x0) for x0 in roots(f, g)]
    kinds = {j.kind for j in judged}
    expected = "undefined" if kinds & {"undefined", "differs"} else "true" if kinds == {"exists"} else "unclear"
    return Case(f, g, k, step, expected)


def batch(seed: int) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    while len(cases) < BATCH:
        found = case(rng)
        if found is not None:
            cases.append(found)
    return cases


def misjudged(cases: list[Case], verdicts: list[str]) -> list[tuple[Case, str]]:
    bad = []
    for c, verdict in zip(cases, verdicts, strict=True):
        if c.expected == "undefined" and verdict in ("proved", "tested"):
            bad.append((c, verdict))
        if c.expected == "true" and verdict in ("refuted", "error"):
            bad.append((c, verdict))
        if verdict == "error":
            bad.append((c, verdict))
    return bad


SETTINGS = settings(max_examples=max(1, CASES // BATCH), deadline=None, derandomize=True, database=None,
                    phases=[Phase.generate], suppress_health_check=list(HealthCheck))


@SETTINGS
@given(st.integers(0, 2**32 - 1))
def test_a_derivative_at_a_kink_agrees_with_the_branches_on_each_side(seed: int) -> None:
    cases = batch(seed)
    report = deriv.check_text(HEAD + displays(*(c.step for c in cases)))
    assert report.error is None, report.error
    bad = misjudged(cases, verdict_values(report.steps))
    messages = {c.step: s.message for c, s in zip(cases, report.steps)}
    assert not bad, "\n\n".join(f"{c.expected} -> {v}: F = {c.f}, k = {c.k}\n$$ {c.step} $$\n{messages[c.step]}"
                                for c, v in bad[:4])


def test_the_harness_draws_both_kinds() -> None:
    """The generator is no tautology: it draws derivatives that exist and ones that do not."""
    drawn = [c.expected for seed in range(12) for c in batch(seed)]
    assert drawn.count("undefined") >= 10 and drawn.count("true") >= 10, drawn


def test_the_harness_draws_right_sides_that_relu_prime_at_0_decides() -> None:
    """Some drawn steps are false only at a kink, for some value of relu'(0) on the right."""
    drawn = [c for seed in range(12) for c in batch(seed)]
    differs = [c for c in drawn if any(reference(c.f, c.g, c.k, x0).kind == "differs"
                                       for x0 in roots(c.f, c.g))]
    assert len(differs) >= 5, len(differs)


def test_the_reference_knows_the_named_cases() -> None:
    c = sp.Integer(0)
    assert reference(sp.Max(0, X), sp.Integer(0), 2, c).kind == "undefined"
    assert reference(sp.Heaviside(X), sp.Integer(0), 1, c).kind == "undefined"
    assert reference(sp.Abs(X), sp.Integer(0), 2, c).kind == "undefined"
    assert reference(sp.Heaviside(X**3), sp.Integer(0), 1, c).kind == "undefined"
    assert reference(X * sp.Abs(X), 2 * sp.Abs(X), 1, c) == Judged("exists", sp.Integer(0))
    assert reference(sp.Max(0, X)**2, 2 * sp.Max(0, X), 1, c) == Judged("exists", sp.Integer(0))
    assert reference(sp.Max(0, X) - sp.Max(0, -X), sp.Integer(0), 2, c) == Judged("exists", sp.Integer(0))
    assert reference(sp.Max(0, X) + sp.Max(0, -X), sp.Integer(0), 1, c).kind == "unclear"  # the convention
    step = sp.Heaviside(X**2)
    assert reference(X * step, step**2, 1, c) == Judged("differs", sp.Integer(1))  # c^2 at 0, not 1
    assert reference(X * step, sp.Integer(1), 1, c) == Judged("exists", sp.Integer(1))
    assert reference(X**2 * step, 2 * X * step + sp.Heaviside(X) ** 2 - sp.Heaviside(X), 1, c).kind == "differs"


# -- named cases ------------------------------------------------------------------------------

UNDEFINED_AT_THE_KINK = [
    # All three were tested: a jet meeting the kink was an unknown value, never an undefined one.
    (r"\frac{\partial^2 \operatorname{relu}(c)}{\partial c^2} = 0", "c = 0"),
    (r"\frac{d}{dc}\operatorname{relu}'(c) = 0", "c = 0"),
    (r"\frac{\partial^2 |c|}{\partial c^2} = 0", "c = 0"),
    (r"\frac{\partial^2 \operatorname{relu}'(c)}{\partial c^2} = 0", "c = 0"),
    (r"\frac{\partial^2 (c |c|)}{\partial c^2} = 4 \operatorname{relu}'(c) - 2", "c = 0"),  # 2 sign(c) off 0
    (r"\frac{\partial^2 \operatorname{relu}(c)^2}{\partial c^2} = 2 \operatorname{relu}'(c)", "c = 0"),
    (r"\frac{\partial^2 (\operatorname{relu}(c) + \operatorname{relu}(-c))}{\partial c^2} = 0", "c = 0"),
    (r"\frac{\partial^2 \operatorname{relu}(2c - 3)}{\partial c^2} = 0", "c = 3/2"),
    (r"\frac{\partial^2 |3c - 5|}{\partial c^2} = 0", "c = 5/3"),
    (r"\frac{d}{dc}\operatorname{relu}'(c^3) = 0", "c = 0"),  # the jet of c^3 vanishes at second order
    (r"\frac{d}{dc}\left(c \frac{d}{dc}\operatorname{relu}'(c)\right) = 0", "c = 0"),
    (r"\frac{\partial^2 \exp(|c|)}{\partial c^2} = \exp(|c|)", "c = 0"),
]


@pytest.mark.parametrize(("step", "where"), UNDEFINED_AT_THE_KINK)
def test_a_derivative_that_does_not_exist_at_a_kink_is_refuted_there(step: str, where: str) -> None:
    ((verdict, message),) = verdicts_with_messages(front_matter({"c": "scalar"}) + displays(step))
    assert verdict is deriv.Verdict.REFUTED, message
    assert f"where {where}" in message and "does not exist here" in message, message


JUMPS_AT_THE_KINK = [
    # Both were tested: the branches agree (1 on both sides), the value at 0 is relu'(0) (twice it).
    r"\frac{d}{dx} \operatorname{relu}'(x^2) = 0",
    r"\frac{d}{dx}(\operatorname{relu}'(x) + \operatorname{relu}'(-x)) = 0",
]


@pytest.mark.parametrize("step", JUMPS_AT_THE_KINK)
def test_a_written_step_whose_value_at_the_kink_is_not_its_limit_is_refuted_for_that_value(step: str) -> None:
    ((verdict, message),) = verdicts_with_messages(front_matter({"x": "scalar"}) + displays(step))
    assert verdict is deriv.Verdict.REFUTED, message
    assert "where x = 0, taking relu'(0) = 0" in message and "tends to 1 on both sides" in message, message


EXISTS_AT_THE_KINK = [
    r"\frac{d}{dx}(x |x|) = 2|x|",
    r"\frac{d}{dx} (\operatorname{relu}(x))^2 = 2 \operatorname{relu}(x)",
    r"\frac{\partial^2 |x|^3}{\partial x^2} = 6|x|",
    r"\frac{\partial^2 (\operatorname{relu}(x))^3}{\partial x^2} = 6 \operatorname{relu}(x)",
    r"\frac{\partial^2 \operatorname{relu}(x^2)}{\partial x^2} = 2",
    r"\frac{\partial^2 (\operatorname{relu}(x) - \operatorname{relu}(-x))}{\partial x^2} = 0",
    r"\frac{d}{dx}(\operatorname{relu}(x) - \operatorname{relu}(-x)) = 1",
    r"\frac{\partial^2 (\operatorname{relu}(x) + \operatorname{relu}(-x) - |x|)}{\partial x^2} = 0",
    r"\frac{\partial^2 \cos(|x|)}{\partial x^2} = -\cos(x)",
    r"\frac{d}{dx}(x^2 \operatorname{relu}'(x)) = 2 x \operatorname{relu}'(x)",
    r"\frac{d}{dx}(x^4 \operatorname{relu}'(x^3)) = 4 x^3 \operatorname{relu}'(x^3)",
    r"\frac{d}{dx}(\operatorname{relu}'(x^3) - \operatorname{relu}'(x)) = 0",
    r"\frac{d}{dx}\left(x \frac{d}{dx} (x |x|)\right) = 4 |x|",
    r"\frac{\partial^2 |x^3|}{\partial x^2} = 6 |x|",
    r"\frac{d}{dx}(x \operatorname{relu}'(y)) = \operatorname{relu}'(y)",
    r"\frac{d}{dx}(x \operatorname{relu}'(x^2)) = 1",  # x relu'(x^2) is x near 0 and 0 at 0: continuous
    r"\frac{\partial^2 (x^2 \operatorname{relu}'(x^2))}{\partial x^2} = 2",
    r"\frac{d}{dx}(\sin(x) \operatorname{relu}'(x^2)) = \cos(x)",
    r"\frac{d}{dx}(x^2 \operatorname{relu}'(x)) = 2x \operatorname{relu}'(x) + \operatorname{relu}'(x)^3 - \operatorname{relu}'(x)^3",
    # relu met to first order at the kink: its convention, not the branches' common slope, is the value
    r"\frac{d}{dx}(\operatorname{relu}(x) - \operatorname{relu}(-x) + x|x|) = \operatorname{relu}'(x) + \operatorname{relu}'(-x) + 2|x|",
]


@pytest.mark.parametrize("step", EXISTS_AT_THE_KINK)
def test_a_derivative_that_exists_at_a_kink_is_never_refuted(step: str) -> None:
    ((verdict, message),) = verdicts_with_messages(front_matter({"x": "scalar", "y": "scalar"}) + displays(step))
    assert verdict in (deriv.Verdict.PROVED, deriv.Verdict.TESTED), message


FALSE_ONLY_AT_THE_KINK = [
    # All were tested: the derivative exists at 0 (the pieces meet in value and slope, and the body's
    # value there is theirs), but was an unknown value there, and the right side is not it for some relu'(0).
    (r"\frac{d}{dx} \left( x \operatorname{relu}'(x^2) \right) = \operatorname{relu}'(x^2)^2", "relu'(0) = 0"),
    (r"\frac{d}{dx}(x^2 \operatorname{relu}'(x)) = 2x \operatorname{relu}'(x) + \operatorname{relu}'(x) - \operatorname{relu}'(x)^2",
     "relu'(0) = 1/2"),
    (r"\frac{\partial^2 (x^2 \operatorname{relu}'(x^2))}{\partial x^2} = 2 \operatorname{relu}'(x^2)", "relu'(0) = 0"),
    (r"\frac{d}{dx}(\sin(x) \operatorname{relu}'(x^2)) = \cos(x) \operatorname{relu}'(x^2)", "relu'(0) = 0"),
    (r"\frac{d}{dx}\left(x \frac{d}{dx}\left(x \operatorname{relu}'(x^2)\right)\right) = \operatorname{relu}'(x^2)^2",
     "relu'(0) = 0"),  # the inner derivative at 0 is the outer body's value there: 1
]


@pytest.mark.parametrize(("step", "taking"), FALSE_ONLY_AT_THE_KINK)
def test_a_derivative_that_exists_at_a_kink_is_compared_there(step: str, taking: str) -> None:
    ((verdict, message),) = verdicts_with_messages(front_matter({"x": "scalar"}) + displays(step))
    assert verdict is deriv.Verdict.REFUTED, message
    assert f"where x = 0, taking {taking}" in message, message


def test_a_claim_false_only_where_a_derivative_at_a_kink_exists_is_refuted_there() -> None:
    claim = r"\frac{d}{dx} \left( x \operatorname{relu}'(x^2) \right) \leq \operatorname{relu}'(x^2)"  # 1 <= relu'(0)
    ((verdict, message),) = verdicts_with_messages(front_matter({"x": "scalar"}) + displays(claim))
    assert verdict is deriv.Verdict.REFUTED, message
    assert "(x = 0), taking relu'(0) = 0" in message, message


ELEMENTWISE = [
    # relu' entry by entry: its Jacobian does not exist where an entry is 0 (was tested).
    (r"\frac{\partial \operatorname{relu}'(v_i)}{\partial v_j} = 0", "refuted"),
    (r"\frac{\partial h'(v_i)}{\partial v_j} = 0", "refuted"),
    (r"\frac{\partial^2 h(v_i)}{\partial v_j \partial v_k} = 0", "refuted"),
    (r"\frac{\partial^2 \operatorname{relu}(v^T v - 1)}{\partial v_i \partial v_i} = 2 \operatorname{relu}'(v^T v - 1)",
     "refuted"),
    (r"\frac{\partial h(v_i)}{\partial v_j} = h'(v_i) \delta_{i,j}", "proved"),
    (r"\frac{\partial (h(v_i) v_i)}{\partial v_j} = (h'(v_i) v_i + h(v_i)) \delta_{i,j}", "proved"),
]


@pytest.mark.parametrize(("step", "verdict"), ELEMENTWISE)
def test_elementwise_relu_derivatives_at_a_zero_entry(step: str, verdict: str) -> None:
    text = front_matter({"v": "vector N", "h": "relu"}) + displays(step)
    ((found, message),) = verdicts_with_messages(text)
    assert found.value == verdict, message


CLAIMS = [
    # Both were tested: a side that does not exist at the kink, where the other does, refutes a claim too.
    (r"\frac{\partial^2 \operatorname{relu}(c)}{\partial c^2} \geq 0", "refuted"),
    (r"\frac{d}{dc}\operatorname{relu}'(c) \neq 1", "refuted"),
    (r"\frac{\partial^2 \operatorname{relu}(2c - 3)}{\partial c^2} \geq 0", "refuted"),  # c = 3/2: no structured point
    (r"\frac{\partial^2 (c |c|)}{\partial c^2} \leq 2", "refuted"),
    (r"\frac{\partial^2 |c|^3}{\partial c^2} \geq 0", "tested"),
    (r"\frac{\partial^2 \operatorname{relu}(c)^3}{\partial c^2} \geq 0", "tested"),
]


@pytest.mark.parametrize(("claim", "verdict"), CLAIMS)
def test_a_claim_about_a_derivative_at_a_kink(claim: str, verdict: str) -> None:
    ((found, message),) = verdicts_with_messages(front_matter({"c": "scalar"}) + displays(claim))
    assert found.value == verdict, message
    assert verdict != "refuted" or "does not exist here" in message, message


MIXED = [
    # A kink whose argument moves along the outer variable is judged from each side of it, the inner
    # derivative by the other variable taken on each side's branch.
    (r"\frac{\partial^2 |x + y|}{\partial x \partial y} = 0", "refuted"),
    (r"\frac{\partial^2 \operatorname{relu}(x + y)^2}{\partial x \partial y} = 2 \operatorname{relu}'(x + y)", "refuted"),
    (r"\frac{\partial^2 |x + y|^3}{\partial x \partial y} = 6|x + y|", "tested"),
    (r"\frac{\partial^2 \operatorname{relu}(x - y)^3}{\partial x \partial y} = -6 \operatorname{relu}(x - y)", "tested"),
    (r"\frac{\partial^2 (\operatorname{relu}(x + y) - \operatorname{relu}(-x - y))}{\partial x \partial y} = 0", "tested"),
    (r"\frac{\partial^2 \operatorname{relu}(x) \operatorname{relu}(y)}{\partial x \partial y} = "
     r"\operatorname{relu}'(x) \operatorname{relu}'(y)", "proved"),
]


@pytest.mark.parametrize(("step", "verdict"), MIXED)
def test_a_mixed_derivative_at_a_kink(step: str, verdict: str) -> None:
    ((found, message),) = verdicts_with_messages(front_matter({"x": "scalar", "y": "scalar"}) + displays(step))
    assert found.value == verdict, message
    assert verdict != "refuted" or "does not exist here" in message, message

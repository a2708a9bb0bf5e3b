"""Property: a step proved under an assumption holds at every instance that satisfies it.

Random equation assumptions (vector and scalar, with symbolic coefficients that
may vanish) and random scalar steps, many of them the assumption's two sides
under one context (so the rules fire).  Whenever the symbolic engine alone proves
a step (:func:`deriv.engine.decide.prove_equal`, no tester behind it), the step
must hold exactly at instances drawn by an independent reference: explicit SymPy
matrices of rationals at N = 1, 2, 3, the assumption solved for its unknowns in
a random order (so scalars first -- ``a = b`` -- as often as entries), with
entries from {-2, ..., 2} and sometimes a whole array zero (``x = 0``).  No code
of deriv's tester is used.  ``DERIV_RULES_EXAMPLES`` raises the number of cases.
"""

from __future__ import annotations

import os
import random
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable

import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import deriv
from deriv.engine.decide import Session, prove_equal
from deriv.errors import DerivError
from deriv.latex.parser import parse_display
from deriv.meaning.builder import Builder
from deriv.meaning.declarations import build_context
from deriv.read.document import parse_document

EXAMPLES = int(os.environ.get("DERIV_RULES_EXAMPLES", "150"))
SIZES = (1, 2, 3)
VALUES = (-2, -1, 0, 1, 2, sympy.Rational(1, 2), sympy.Rational(-3, 2))

HEAD = """---
symbols:
  A: matrix N x N
  x: vector N
  y: vector N
  a: scalar
  b: scalar
assumptions:
  - '{assumption}'
---

$$ {lhs} = {rhs} $$
"""

Env = dict


@dataclass(frozen=True)
class Term:
    """LaTeX and its value on an explicit environment (a Matrix for a vector)."""

    latex: str
    value: Callable[[Env], object]


def scalar(t: object) -> object:
    return t[0, 0] if isinstance(t, sympy.MatrixBase) else t


COEFFICIENTS = [
    Term("", lambda e: 1), Term("2", lambda e: 2), Term("-", lambda e: -1), Term("a", lambda e: e["a"]),
    Term("b", lambda e: e["b"]), Term("(a - b)", lambda e: e["a"] - e["b"]), Term("(a + 1)", lambda e: e["a"] + 1),
    Term("a b", lambda e: e["a"] * e["b"]), Term("a^2", lambda e: e["a"] ** 2),
]
VECTORS = [
    Term("x", lambda e: e["x"]), Term("y", lambda e: e["y"]), Term("A x", lambda e: e["A"] * e["x"]),
    Term("A y", lambda e: e["A"] * e["y"]),
]
SCALARS = [
    Term("a", lambda e: e["a"]), Term("b", lambda e: e["b"]), Term("1", lambda e: 1), Term("(2 b + 1)", lambda e: 2 * e["b"] + 1),
    Term("x^T y", lambda e: scalar(e["x"].T * e["y"])), Term("x^T x", lambda e: scalar(e["x"].T * e["x"])),
    Term("y^T A x", lambda e: scalar(e["y"].T * e["A"] * e["x"])),
    Term(r"\sum_j A_{j,j} x_j", lambda e: sum(e["A"][j, j] * e["x"][j] for j in range(e["N"]))),
    Term(r"\sum_i \sum_j A_{i,j} x_j", lambda e: sum(e["A"][i, j] * e["x"][j] for i in range(e["N"]) for j in range(e["N"]))),
    Term(r"\sum_k x_k", lambda e: sum(e["x"])), Term(r"\sum_k y_k x_k", lambda e: scalar(e["y"].T * e["x"])),
]
#: Scalars made of a vector side: (LaTeX, value).
FUNCTIONALS = [
    (lambda v: f"y^T ({v})", lambda f: (lambda e: scalar(e["y"].T * f(e)))),
    (lambda v: f"x^T ({v})", lambda f: (lambda e: scalar(e["x"].T * f(e)))),
    (lambda v: f"({v})^T ({v})", lambda f: (lambda e: scalar(f(e).T * f(e)))),
    (lambda v: f"({v})^T A x", lambda f: (lambda e: scalar(f(e).T * e["A"] * e["x"]))),
]


def scaled(coefficient: Term, term: Term) -> Term:
    return Term(f"{coefficient.latex} {term.latex}".strip(),
                lambda e, c=coefficient, t=term: c.value(e) * t.value(e))


def plus(left: Term, right: Term) -> Term:
    return Term(f"{left.latex} + {right.latex}", lambda e, l=left, r=right: l.value(e) + r.value(e))


@st.composite
def sides(draw, atoms: list[Term]) -> Term:
    first = scaled(draw(st.sampled_from(COEFFICIENTS)), draw(st.sampled_from(atoms)))
    if draw(st.booleans()):
        return first
    return plus(first, scaled(draw(st.sampled_from(COEFFICIENTS[:5])), draw(st.sampled_from(atoms))))


@dataclass(frozen=True)
class Assumption:
    left: Term
    right: Term
    vector: bool

    @property
    def latex(self) -> str:
        return f"{self.left.latex} = {self.right.latex}"

    def residuals(self, env: Env) -> list:
        difference = self.left.value(env) - self.right.value(env)
        return list(difference) if isinstance(difference, sympy.MatrixBase) else [difference]


@st.composite
def assumptions(draw) -> Assumption:
    vector = draw(st.booleans())
    atoms = VECTORS if vector else SCALARS[:4] + SCALARS[4:7]
    left, right = draw(sides(atoms)), draw(sides(atoms))
    assume(left.latex != right.latex)
    return Assumption(left, right, vector)


@st.composite
def wrappers(draw) -> Callable[[Term], Term]:
    """``F``: one of a few polynomial contexts around a scalar, the same for both sides."""
    other = draw(st.sampled_from(SCALARS))
    shapes = [
        ("{u}", lambda u, s: u),
        ("({u})^2", lambda u, s: u ** 2),
        ("({u}) {s}", lambda u, s: u * s),
        ("{s} + {u}", lambda u, s: s + u),
        ("2 ({u}) - {s}", lambda u, s: 2 * u - s),
        ("({u}) (({u}) + {s})", lambda u, s: u * (u + s)),
    ]
    written, value = draw(st.sampled_from(shapes))

    def wrap(inner: Term) -> Term:
        return Term(written.format(u=inner.latex, s=other.latex), lambda e: value(inner.value(e), other.value(e)))

    return wrap


@st.composite
def steps(draw, assumption: Assumption) -> tuple[Term, Term]:
    """Mostly ``F(phi(L)) = F(phi(R'))``, ``R'`` the right side or another term; else two unrelated ones."""
    if draw(st.integers(0, 3)) == 0:
        return draw(sides(SCALARS)), draw(sides(SCALARS))
    if assumption.vector:
        write, value = draw(st.sampled_from(FUNCTIONALS))
        phi = lambda t: Term(write(t.latex), value(t.value))  # noqa: E731
        others = VECTORS
    else:
        phi = lambda t: Term(f"({t.latex})", t.value)  # noqa: E731
        others = SCALARS
    right = draw(st.sampled_from([assumption.right] * 3 + others))
    wrap = draw(wrappers())
    left, right = wrap(phi(assumption.left)), wrap(phi(right))
    return (right, left) if draw(st.booleans()) else (left, right)


# -- the independent reference -----------------------------------------------------------
def unknowns(n: int) -> Env:
    return {
        "N": n, "a": sympy.Symbol("a"), "b": sympy.Symbol("b"),
        "x": sympy.Matrix(n, 1, sympy.symbols(f"x0:{n}")), "y": sympy.Matrix(n, 1, sympy.symbols(f"y0:{n}")),
        "A": sympy.Matrix(n, n, sympy.symbols(f"A0:{n * n}")),
    }


def solutions(assumption: Assumption, n: int, rng: random.Random, count: int = 4) -> list[Env]:
    """Environments at size ``n`` where the assumption holds exactly, degenerate ones included."""
    symbolic = unknowns(n)
    equations = [sympy.expand(r) for r in assumption.residuals(symbolic)]
    variables = sorted(set().union(*(sympy.Matrix([v]).free_symbols for k, v in symbolic.items() if k != "N")), key=str)
    found = []
    for _ in range(8 * count):
        values = {v: rng.choice(VALUES) for v in variables}
        if rng.random() < 0.3:
            for v in rng.choice([symbolic["x"], symbolic["y"], symbolic["A"]]):
                values[v] = 0
        order = variables[:]
        rng.shuffle(order)
        for _ in range(3):
            for equation in equations:
                _solve_one(equation, values, order)
        if all(equation.xreplace(values) == 0 for equation in equations):
            found.append(_numeric(symbolic, values))
            if len(found) == count:
                break
    return found


def _solve_one(equation, values: dict, order: list) -> None:
    if equation.xreplace(values) == 0:
        return
    for v in order:
        single = sympy.expand(equation.xreplace({w: values[w] for w in values if w != v}))
        if single.free_symbols != {v} or sympy.degree(single, v) != 1:
            continue
        slope = single.coeff(v, 1)
        if slope != 0:
            values[v] = -single.coeff(v, 0) / slope
            return


def _numeric(symbolic: Env, values: dict) -> Env:
    return {k: (v.xreplace(values) if isinstance(v, (sympy.Basic, sympy.MatrixBase)) else v) for k, v in symbolic.items()}


def holds(lhs: Term, rhs: Term, env: Env) -> bool:
    return sympy.simplify(sympy.sympify(evaluate(lhs, env)) - sympy.sympify(evaluate(rhs, env))) == 0


def evaluate(term: Term, env: Env) -> object:
    return scalar(term.value(env))


# -- deriv's side ---------------------------------------------------------------------------
def proved_symbolically(text: str) -> bool | None:
    """Whether the engine's symbolic proof (no tester) proves the document's one step; None when
    the document is not one deriv reads."""
    try:
        document = parse_document(text, "t.md")
        context = build_context(document.front, "t.md", nullcontext)
        chain, _ = parse_display(document.displays[-1].text)
        members = []
        for node in chain.members:
            builder = Builder(context)
            value = builder.build(node)
            members.append(builder.finish(value.expr, {})[0])
    except DerivError:
        return None
    try:
        return prove_equal(members[0], members[1], context, {}, Session(context))
    except DerivError:
        return False


# -- the property ---------------------------------------------------------------------------
def check_case(assumption: Assumption, lhs: Term, rhs: Term, seed: int) -> bool:
    """True when the engine proved the step (then it held at every reference instance)."""
    text = HEAD.format(assumption=assumption.latex, lhs=lhs.latex, rhs=rhs.latex)
    proved = proved_symbolically(text)
    if not proved:
        return False
    rng = random.Random(seed)
    for n in SIZES:
        for env in solutions(assumption, n, rng):
            assert holds(lhs, rhs, env), (
                f"proved under {assumption.latex}, but {lhs.latex} = {rhs.latex} fails at N={n}: "
                f"a={env['a']}, b={env['b']}, x={list(env['x'])}, y={list(env['y'])}, A={env['A'].tolist()}")
    return True


@st.composite
def cases(draw):
    assumption = draw(assumptions())
    lhs, rhs = draw(steps(assumption))
    return assumption, lhs, rhs


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases(), st.integers(0, 2**16))
def test_a_step_proved_under_an_assumption_holds_where_the_assumption_does(case, seed):
    check_case(*case, seed)


def test_the_generator_reaches_proofs_that_use_the_assumption():
    """The property is not vacuous: some generated steps are proved, by the rules."""
    left = Term("(a - b) x", lambda e: (e["a"] - e["b"]) * e["x"])
    right = Term("(a - b) y", lambda e: (e["a"] - e["b"]) * e["y"])
    assumption = Assumption(left, right, True)
    lhs = Term("y^T ((a - b) x)", lambda e: scalar(e["y"].T * left.value(e)))
    rhs = Term("y^T ((a - b) y)", lambda e: scalar(e["y"].T * right.value(e)))
    assert check_case(assumption, lhs, rhs, 0)
    eta = Assumption(Term("a", lambda e: e["a"]), Term("(2 b + 1)", lambda e: 2 * e["b"] + 1), False)
    assert check_case(eta, Term("(a)^2", lambda e: e["a"] ** 2), Term("((2 b + 1))^2", lambda e: (2 * e["b"] + 1) ** 2), 0)


def test_the_reference_draws_degenerate_solutions():
    """lambda x = mu x: both lambda = mu with x free and x = 0 with lambda != mu."""
    assumption = Assumption(Term("a x", lambda e: e["a"] * e["x"]), Term("b x", lambda e: e["b"] * e["x"]), True)
    found = solutions(assumption, 2, random.Random(1), count=30)
    assert any(e["a"] == e["b"] and any(v != 0 for v in e["x"]) for e in found)
    assert any(e["a"] != e["b"] and all(v == 0 for v in e["x"]) for e in found)


def test_the_old_wrong_rules_are_caught_by_the_reference():
    """What the rules once proved fails at a reference instance: the property bites."""
    assumption = Assumption(Term("a x", lambda e: e["a"] * e["x"]), Term("b x", lambda e: e["b"] * e["x"]), True)
    norm = Term("x^T x", lambda e: scalar(e["x"].T * e["x"]))
    zero = Term("0", lambda e: 0)
    rng = random.Random(0)
    assert any(not holds(norm, zero, env) for env in solutions(assumption, 2, rng, count=20))
    assert not check_case(assumption, norm, zero, 0)


def test_end_to_end_a_proved_step_under_an_assumption_holds():
    """The same through deriv.check_text, on a few fixed cases of each class."""
    vector = Assumption(Term("A x", lambda e: e["A"] * e["x"]), Term("a x", lambda e: e["a"] * e["x"]), True)
    lhs = Term("y^T (A x)", lambda e: scalar(e["y"].T * e["A"] * e["x"]))
    rhs = Term("y^T (a x)", lambda e: e["a"] * scalar(e["y"].T * e["x"]))
    text = HEAD.format(assumption=vector.latex, lhs=lhs.latex, rhs=rhs.latex)
    (step,) = deriv.check_text(text).steps
    assert step.verdict.value == "proved"
    rng = random.Random(3)
    assert all(holds(lhs, rhs, env) for n in SIZES for env in solutions(vector, n, rng))

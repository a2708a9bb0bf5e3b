"""Engine, domains (docs/deciding.md, "sides defined on different sets are not equal"): SymPy
cancels factors while a member is built (``\\frac{x y}{x}`` is ``y``), so the builder records each
denominator and radicand first (``deriv/meaning/domains.py``) and a step whose sides' conditions
differ is never proved; a point where one side is undefined and the other is not refutes it
(``deriv/engine/domains.py``)."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.ir import Partial
from deriv.meaning.domains import own as _written, visible

SYMBOLS = """---
symbols:
  x: scalar
  y: scalar
  a: scalar
  b: positive scalar
  t: positive scalar
  v: vector N
  w: vector N
  X: matrix N x N
---

"""


def verdict(latex: str) -> deriv.StepResult:
    report = deriv.check_text(SYMBOLS + "$$\n" + latex + "\n$$\n")
    (step,) = report.steps
    return step


REFUTED = [
    r"\frac{x y}{x} = y",
    r"\frac{x^2 - y^2}{x - y} = x + y",
    r"(\sqrt{x})^2 = x",
    r"\sqrt{x}\sqrt{x} = x",
    r"X^{\circ 2} \oslash X = X",
    r"\frac{v_i^2}{v_i} = v_i",
    r"\frac{x}{x} = 1",
    r"x \cdot \frac{1}{x} = 1",
    # adversarial: a nested fraction, a cancelled factor inside a sum, on one entry of a vector
    r"\frac{1}{\frac{1}{x}} = x",
    r"\frac{x y}{x} + v_i = y + v_i",
    r"\frac{x y}{x y} = 1",
    r"x y / x = y",
    r"\frac{v_i w_i}{v_i} = w_i",
    r"y = \frac{x y}{x}",
    r"\sum_i \frac{v_i w_i}{v_i} = \sum_i w_i",
    r"\frac{v_2 w_2}{v_2} = w_2",
    r"\frac{d}{dx} \frac{x y}{x} = 0",
    r"\frac{x^3}{x} = x^2",
    r"X \oslash X = \mathbf{1}_N \mathbf{1}_N^T",
    r"\sqrt{x} \sqrt{x} y = x y",
    r"x^{-1} x = 1",
    r"x^{1/2} x^{1/2} = x",
    r"\frac{x}{y} \frac{y}{x} = 1",
    r"\frac{\tanh(x)}{\tanh(x)} = 1",
    r"\|v\| \frac{1}{\|v\|} = 1",
    r"\sqrt{v} \circ \sqrt{v} = v",
    r"X^{\circ -1} \circ X = \mathbf{1}_N \mathbf{1}_N^T",
    r"[X^{\circ 2} \oslash X]_{i,j} = X_{i,j}",
]


@pytest.mark.parametrize("latex", REFUTED)
def test_a_side_that_lost_where_it_is_undefined_is_refuted(latex: str) -> None:
    step = verdict(latex)
    assert step.verdict == "refuted", (step.verdict, step.message)
    assert "undefined" in step.message


STAYS_PROVED = [
    r"\frac{x}{x^2 + 1} (x^2+1) = x",
    r"\frac{\exp(x)}{\exp(x)} = 1",
    r"\frac{a}{b} b = a",
    r"\sqrt{t}^2 = t",
    r"\frac{x y}{x} = \frac{y x}{x}",
    r"\frac{1}{x^2} x = \frac{1}{x}",
    r"\frac{d}{dx} \frac{1}{x} = -\frac{1}{x^2}",
    r"\frac{x}{2} 2 = x",
    r"\frac{d}{dx} \log(1 + x^2) = \frac{2x}{1 + x^2}",
    r"\frac{1}{N} \sum_i N v_i = \sum_i v_i",
    r"\frac{x}{\sqrt{x^2+1}} \sqrt{x^2+1} = x",
    r"\frac{1}{\sigma(x)} \sigma(x) = 1",
    r"\frac{\cosh(x)}{\cosh(x)} = 1",
    r"\sum_i \frac{v_i w_i}{v_i} = \sum_i \frac{w_i v_i}{v_i}",
    r"[X \oslash X]_{i,j} = \frac{X_{i,j}}{X_{i,j}}",  # the entry read, not every entry
    r"\frac{\sigma(x)}{\sigma(x)} (1 - \sigma(x)) = \frac{1 - \sigma(x)}{1 - \sigma(x)} \sigma(-x)",
]


@pytest.mark.parametrize("latex", STAYS_PROVED)
def test_conditions_that_always_hold_or_are_on_both_sides_stay_proved(latex: str) -> None:
    step = verdict(latex)
    assert step.verdict == "proved", (step.verdict, step.message)


def test_no_point_found_leaves_it_tested_with_the_reason() -> None:
    # x^2 - 2 = 0 has no rational root: never proved, tested with the reason
    step = verdict(r"\frac{x}{x^2 - 2} (x^2 - 2) = x")
    assert step.verdict == "tested", (step.verdict, step.message)
    assert "defined on different sets (x^{2} - 2 != 0 on the left only)" in step.message


SOLVED = {
    r"\frac{x}{x - 1} (x - 1) = x": "where x = 1",
    r"\sqrt{x + 3}^2 = x + 3": "where x = -4",
    r"\sqrt{x + 100}^2 = x + 100": "where x = -101",  # past any random draw
    r"\frac{x (x - y)}{x - y} = x": "where x = ",
    r"\frac{(x^2 - 4) y}{x^2 - 4} = y": "where x = -2",
    r"\frac{(2 x + 1) y}{2 x + 1} = y": "where x = -1/2",
}


@pytest.mark.parametrize("latex", SOLVED)
def test_a_condition_is_solved_for_a_name_where_no_name_is_zero(latex: str) -> None:
    step = verdict(latex)
    assert step.verdict == "refuted", (step.verdict, step.message)
    assert SOLVED[latex] in step.message, step.message


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=1, max_size=3), st.sampled_from(["x", "y", "v_i"]))
def test_a_cancelled_factor_is_never_proved(coefficients: list[int], name: str) -> None:
    # reference: p(z) z / z is undefined at z = 0, where p(z) is defined
    p = " + ".join(f"({c}) {name}^{k}" for k, c in enumerate(coefficients))
    step = verdict(rf"\frac{{({p}) {name}}}{{{name}}} = {p}")
    assert step.verdict == "refuted", (step.verdict, step.message)


def test_a_defined_positive_name_in_a_denominator_stays_proved() -> None:
    # p = softmax(z) is positive once its definition is expanded
    report = deriv.check_text("---\nsymbols:\n  z: vector N\n  softmax: softmax\ndefinitions:\n"
                              "  - p = \\operatorname{softmax}(z)\n---\n\n$$\n\\frac{p_i z_i}{p_i} = z_i\n$$\n")
    (step,) = report.steps
    assert step.verdict == "proved", step.message


# -- the builder's walk for written conditions (meaning/domains.visible) skips what it saw --

_u, _z = sympy.symbols("u z")


@st.composite
def _written_expr(draw, depth: int = 0):
    if depth > 3 or draw(st.booleans()):
        return draw(st.sampled_from([_u, _z, _u + 1, sympy.Integer(2)]))
    a, b = draw(_written_expr(depth + 1)), draw(_written_expr(depth + 1))
    op = draw(st.sampled_from(["quotient", "root", "log", "partial", "add", "mul"]))
    return {"quotient": lambda: a / b, "root": lambda: sympy.sqrt(a) * b, "log": lambda: sympy.log(a) + b,
            "partial": lambda: Partial(sympy.sqrt(a * _u), _u), "add": lambda: a + b, "mul": lambda: a * b}[op]()


def _every_node(expr) -> set:
    """The conditions of every node, as SymPy's preorder walk meets them (the reference)."""
    return set().union(*(_written(node) for node in sympy.preorder_traversal(expr) if isinstance(node, sympy.Basic)))


@settings(max_examples=150, deadline=None)
@given(st.lists(_written_expr(), min_size=1, max_size=5))
def test_conditions_noted_with_a_shared_walk_are_every_nodes(exprs):
    """The builder notes each node it builds, sharing what it has walked: the conditions
    gathered are those of a full walk of every node, not fewer."""
    seen: set = set()
    noted = set().union(*(visible(e, seen) for e in exprs))
    assert noted == set().union(*(_every_node(e) for e in exprs))
    assert all(visible(e) == _every_node(e) for e in exprs)


def test_remembered_sign_proofs_give_the_answers_proved_afresh() -> None:
    from deriv.engine.domain_gaps import domains_of
    from deriv.meaning.adopt import context_from_symbols
    from deriv.meaning.domains import NONZERO, Condition

    context = context_from_symbols({"x": "scalar", "y": "positive scalar"})
    x, y = sympy.Symbol("x"), sympy.Symbol("y", positive=True)
    sides = (frozenset({Condition(NONZERO, x), Condition(NONZERO, y + 1), Condition(NONZERO, x * x + 1)}), frozenset())
    afresh = domains_of(sides, context, {})
    memo: dict = {}
    first, again = domains_of(sides, context, {}, memo=memo), domains_of(sides, context, {}, memo=memo)
    assert afresh == first == again and Condition(NONZERO, x) in afresh.differing[0]
    assert Condition(NONZERO, x * x + 1) not in afresh.differing[0]  # shown: not imposed
    assert len(memo) == 3 and all(shown == (key[0] not in afresh.differing[0]) for key, shown in memo.items())

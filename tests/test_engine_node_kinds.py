"""The remembered node classes (deriv/ir.py) and atoms (deriv/engine/node_kinds.py) of an expression are
SymPy's own ``has`` and ``atoms``, for new trees and for trees sharing subtrees."""

from __future__ import annotations

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Heaviside, Indexed, IndexedBase, Product, Rational, Sum, Symbol

from deriv.engine.node_kinds import atoms, rationals
from deriv.ir import MATRIX_FUNCTIONS, contains, node_types

i, j = Symbol("i", integer=True), Symbol("j", integer=True)
x, y = Symbol("x"), Symbol("y")
X = IndexedBase("X")
LEAVES = [x, y, X[i, j], X[j, i], sympy.Integer(2), Rational(1, 3), sympy.Integer(-1), sympy.Integer(0)]


def _combine(draw_pair):
    kind, a, b = draw_pair
    if kind == "add":
        return a + b
    if kind == "mul":
        return a * b
    if kind == "pow":
        return a ** 2 / (b + 3)
    if kind == "step":
        return Heaviside(a - b)
    if kind == "abs":
        return sympy.Abs(a) + b
    if kind == "sum":
        return Sum(a * X[i, j], (i, 0, Symbol("N") - 1))
    return Product(a + b, (j, 1, 3))


EXPRS = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.tuples(st.sampled_from(["add", "mul", "pow", "step", "abs", "sum", "prod"]), inner, inner).map(_combine),
    max_leaves=12,
)
CLASSES = [Heaviside, Product, Sum, sympy.Abs, sympy.Pow, Indexed, *MATRIX_FUNCTIONS]


@settings(max_examples=200, deadline=None)
@given(EXPRS, st.sampled_from(CLASSES))
def test_holds_is_has(expr, cls):
    assert contains(expr, cls) == expr.has(cls)
    assert node_types(expr) == frozenset(type(n) for n in sympy.preorder_traversal(expr))


@settings(max_examples=200, deadline=None)
@given(EXPRS)
def test_atoms_are_sympys(expr):
    assert rationals(expr) == expr.atoms(Rational)
    assert atoms(expr, Symbol, Indexed) == expr.atoms(Symbol, Indexed)


def test_equal_trees_built_apart_give_the_same_answers():
    """Remembered by equality: a tree built again (not the same object) is answered alike."""
    def build():
        return Sum(Heaviside(X[i, j] - x) * Rational(2, 7), (i, 0, 4)) + y ** 3
    first, second = build(), build()
    for expr in (first, second):
        assert contains(expr, Heaviside) and not contains(expr, Product)
        assert rationals(expr) == expr.atoms(Rational)


def test_a_tree_past_the_recursion_limit_is_walked_by_sympy():
    """A tree nested deeper than the recursion limit: SymPy's walk decides (as before)."""
    expr = x
    for k in range(3000):
        expr = sympy.Add(sympy.Mul(expr, y, evaluate=False), Rational(1, k + 2), evaluate=False)
    try:
        expected = expr.has(Heaviside)
    except RecursionError:
        return  # SymPy's own walk fails too: nothing to compare
    assert contains(expr, Heaviside) == expected

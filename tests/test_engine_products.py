"""Engine, products: \\prod (docs/format.md) -- reading, normal form, derivative, exact value, and the zeros where
a quotient form of the derivative is undefined."""

from __future__ import annotations

import contextlib
import math

import pytest
import sympy
from hypothesis import given, settings, strategies as st

import deriv
from deriv.engine.products import compiled_product, product_slot
from deriv.latex import ast
from deriv.latex.parser import parse_display

HEAD = """---
symbols:
  x: vector N
  v: vector N
  z: vector K
  P: positive vector N
  X: matrix N x N
  s: scalar
---

"""


def verdict(display: str) -> tuple[str, str]:
    result = deriv.check_text(HEAD + f"$$ {display} $$\n")
    assert result.error is None, result.error
    (step,) = result.steps
    return step.verdict.value, step.message


PRODUCTS = [
    (r"\prod_{i=1}^{N} x_i = \prod_i x_i", "proved"),
    (r"\prod_i x_i = \prod_k x_k", "proved"),
    (r"(\prod_i x_i)(\prod_k v_k) = \prod_i x_i v_i", "proved"),
    (r"\prod_i 2 x_i = 2^N \prod_i x_i", "proved"),
    (r"\prod_i s x_i = s^N \prod_i x_i", "proved"),
    (r"\prod_i x_i^2 = (\prod_i x_i)^2", "proved"),
    (r"\prod_i 2 x_i = 2 \prod_i x_i", "refuted"),  # the factor 2 is taken N times
    (r"\prod_i (x_i + v_i) = \prod_i x_i + \prod_i v_i", "refuted"),
    # A factor without the index after the terms: inside (to the N-th power) or after? An error (product_scope).
    (r"\prod_i x_i \prod_k v_k = (\prod_i x_i)(\prod_k v_k)", "error"),
    (r"\prod_{i \neq j} x_i = x_j", "refuted"),
    (r"\prod_i x_i = \sum_i x_i", "refuted"),
    (r"\frac{\partial}{\partial x_j} \prod_i x_i = \prod_{i \neq j} x_i", "proved"),
    (r"\frac{\partial}{\partial x_j} \prod_{i=1}^{N} x_i^2 = 2 x_j \prod_{i \neq j} x_i^2", "proved"),
    (r"\frac{\partial}{\partial z_m} \prod_{l=1}^{K} z_l = \prod_{l \neq m} z_l", "proved"),
    (r"\frac{\partial}{\partial x_j} \prod_i x_i = \prod_i x_i", "refuted"),
    (r"\frac{\partial}{\partial x_j} \prod_i x_i = \prod_{i \neq j} x_j", "refuted"),
    (r"\frac{\partial}{\partial s} \prod_i s x_i = N s^{N-1} \prod_i x_i", "tested"),  # true; not shown symbolically
    (r"\frac{\partial}{\partial s} \prod_i s x_i = N s^{N} \prod_i x_i", "refuted"),
    (r"\frac{\partial}{\partial P_j} \prod_i P_i = \frac{\prod_i P_i}{P_j}", "tested"),  # P is never 0
]


@pytest.mark.parametrize(("display", "expected"), PRODUCTS)
def test_products(display, expected):
    found, message = verdict(display)
    assert found == expected, message


@pytest.mark.parametrize("display", [
    r"\frac{\partial}{\partial x_j} \prod_i x_i = \frac{\prod_i x_i}{x_j}",
    r"\frac{\partial}{\partial x_j} \prod_{i=1}^{N} x_i^2 = 2 \frac{\prod_i x_i^2}{x_j}",
    r"\prod_{i \neq j} x_i = \frac{\prod_i x_i}{x_j}",
])
def test_dividing_the_product_by_the_left_out_factor_is_refuted_at_zero(display):
    # Random draws are never 0; the quotient is undefined at x_j = 0 where the product without x_j is not.
    found, message = verdict(display)
    assert found == "refuted", message
    assert "x = 0" in message and "undefined" in message


@pytest.mark.parametrize(("display", "message"), [
    (r"\prod_i X = X", "only of scalars"),
    (r"\sum_{i \neq j} x_i = x_j", "summation index"),  # left out only from products
])
def test_products_that_mean_nothing_are_errors(display, message):
    found, text = verdict(display)
    assert found == "error", text
    assert message in text


def test_prod_reads_like_sum_with_its_exclusion():
    chain, _ = parse_display(r"\prod_{i \neq j} x_i")
    (node,) = chain.members
    assert isinstance(node, ast.BigSum) and node.product
    (spec,) = node.indices
    assert spec.name == "i" and spec.excluded == ast.Name("j", column=spec.excluded.column)
    summed, _ = parse_display(r"\sum_{i=1}^{N} x_i")
    assert not summed.members[0].product


class _Evaluator:
    """What a compiled product needs of an evaluator: bindings, bound for a loop."""

    def __init__(self) -> None:
        self.bindings: dict = {}

    @contextlib.contextmanager
    def bound(self, values):
        saved = dict(self.bindings)
        self.bindings.update(values)
        try:
            yield
        finally:
            self.bindings = saved


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-5, max_value=5), min_size=1, max_size=8))
def test_a_compiled_product_multiplies_every_factor(values):
    i = sympy.Symbol("i", integer=True)
    base = sympy.IndexedBase("x")
    expr = sympy.Product(base[i], (i, 0, len(values) - 1))

    def compiled_of(e):
        if e == base[i]:
            return lambda ev: values[ev.bindings[i]]
        return lambda ev, n=int(e): n

    assert compiled_product(compiled_of, expr)(_Evaluator()) == math.prod(values)


def test_the_product_slot_sorts_before_every_index_name():
    # So the body's form keeps its own index under a delta, whatever the other index is named.
    for name in ("a", "A", "_k0", "_l2", "0"):
        assert str(product_slot(0)) < name


@pytest.mark.parametrize(("display", "expected"), [
    (r"\prod_{i=2}^{N} x_i = \prod_{k=2}^{N} x_k", "proved"),
    (r"\prod_{i=3}^{N} 2 = 2^{N-2}", "refuted"),  # empty at N = 1 (the product is 1), not 2^{-1}
    (r"\prod_{i=1}^{N} x_i = x_1 \prod_{i=2}^{N} x_i", "tested"),
])
def test_products_over_part_of_a_range(display, expected):
    found, message = verdict(display)
    assert found == expected, message

"""``\\prod`` in the engine: its normal form, derivative and value.

* **Normal form.**  A product's index is renamed to one name per level
  (``#p<level>``) before its body is put in normal form, so two products
  that differ only in their index's name are one atom.  A body that is one
  term splits: ``\\prod_i c f_i g_i = c^N (\\prod_i f_i)(\\prod_i g_i)`` and a
  factor free of the index is raised to the count (``\\prod_i s = s^N``) --
  identities of finite products of commuting factors; a factor with a
  power that is not whole stays in one product (``\\prod \\sqrt{f_i}`` is not
  ``\\sqrt{\\prod f_i}`` where an ``f_i`` is negative).
* **Derivative.**  ``d \\prod_i f_i = \\sum_l (d f_l) \\prod_i (\\delta_{i,l} + (1
  - \\delta_{i,l}) f_i)``: the factor at ``i = l`` is left out exactly, never
  divided out, so the rule holds where some ``f_i`` is 0.
* **Value.**  The factors multiplied in turn, every one evaluated (a later
  factor undefined where an earlier one is 0 still makes the product undefined).
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Expr, Symbol

from deriv.engine.terms import Term, merge_factors, rebuilt
from deriv.errors import UnsupportedError
from deriv.ir import fresh_index, substituted, sum_of
from deriv.meaning.positions import SUM_BOUNDS, counts_terms
from deriv.meaning.products import left_out


def _single(expr: sympy.Product) -> tuple[Expr, Symbol, Expr, Expr]:
    if len(expr.limits) != 1:
        raise UnsupportedError("a product over several indices at once")
    (var, lower, upper), = expr.limits
    return expr.function, var, lower, upper


def product_slot(level: int) -> Symbol:
    """The name a product's index takes in a normal form at ``level``: one that sorts
    before every index name, so that under ``\\delta_{i,j}`` with ``j`` free the body
    keeps ``x_i`` whatever ``j`` is called (the form must not depend on ``j``'s name,
    which a contraction outside may still change)."""
    return Symbol(f"#p{level}", integer=True)


def product_terms(normalizer: Any, expr: sympy.Product, level: int) -> list[Term]:
    """``expr`` as terms of a :class:`~deriv.engine.normal.Normalizer`."""
    body, var, lower, upper = _single(expr)
    extent = upper - lower + 1
    if not counts_terms(extent):  # \prod_{i=3}^{N} at N = 1 is empty (1), not c^{-1}
        raise UnsupportedError(SUM_BOUNDS)
    name = product_slot(level)
    saved = normalizer.ranges.get(name)
    normalizer.ranges[name] = extent
    try:
        form = normalizer.normal_form(substituted(body, {var: name + lower} if lower != 0 else {var: name}), level + 1)
    finally:
        if saved is None:
            normalizer.ranges.pop(name, None)
        else:
            normalizer.ranges[name] = saved
    if not form:  # 0 for a range that is not empty: the tester decides
        raise UnsupportedError("a product of zeros")
    if len(form) == 1:
        ((factors, extents), coeff), = form.items()
        if not extents:
            return [_split(coeff, factors, name, extent)]
    return [_atom_term(sympy.Product(rebuilt(form, level + 1), (name, 0, extent - 1)))]


def _atom_term(atom: Expr) -> Term:
    return Term(sympy.S.One, ((atom, sympy.S.One),), ())


def _split(coeff: Expr, factors, name: Symbol, extent: Expr) -> Term:
    """``\\prod_name coeff * prod(atom^e)`` as a coefficient times separate products."""
    outside, inside, kept = [], [], []
    for atom, exponent in factors:
        if name not in atom.free_symbols:
            outside.append((atom, exponent * extent))
        elif exponent.is_Integer:
            inside.append((sympy.Product(atom, (name, 0, extent - 1)), exponent))
        else:
            kept.append(sympy.Pow(atom, exponent))
    if kept:
        inside.append((sympy.Product(sympy.Mul(*kept), (name, 0, extent - 1)), sympy.S.One))
    return Term(coeff**extent, merge_factors(outside + inside), ())


def product_slope(differentiator: Any, expr: sympy.Product) -> Expr:
    """``d expr`` by the rule above (``differentiator`` is a
    :class:`~deriv.engine.differentiate.Differentiator`)."""
    body, var, lower, upper = _single(expr)
    left = fresh_index("l")
    slope = differentiator.d(substituted(body, {var: left}))
    if slope == 0:
        return sympy.S.Zero
    rest = sympy.Product(left_out(body, var, left), (var, lower, upper))
    return sum_of(slope * rest, (left, lower, upper))


def compiled_product(compiled_of: Any, expr: sympy.Product) -> Any:
    """A closure for ``expr`` over an :class:`~deriv.engine.instances.Evaluator`."""
    body_expr, var, lower, upper = _single(expr)
    body, low, high = compiled_of(body_expr), compiled_of(lower), compiled_of(upper)

    def evaluate(ev):
        result = 1
        with ev.bound({var: 0}):
            bindings = ev.bindings
            for value in range(int(low(ev)), int(high(ev)) + 1):
                bindings[var] = value
                result = result * body(ev)
        return result

    return evaluate


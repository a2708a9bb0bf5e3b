"""Rewrites of the syntax tree that LaTeX's printing conventions call for.

Kept apart from the builder: they change the shape of the tree, not its
meaning, and need nothing but the tree.
"""

from __future__ import annotations

from deriv.latex import ast


def extend_braced_sums(node: ast.Product) -> ast.Product:
    """``{\\sum_j a} b`` is ``\\sum_j a b``: braces are invisible in print.

    So a sum inside a brace group (what ``\\underbrace{\\sum_j a}_{...}``
    leaves behind) still binds the product after it, as docs/format.md says a sum
    does.
    """
    for position, factor in enumerate(node.factors[:-1]):
        if isinstance(factor, ast.Group) and factor.bracket == "{" and _ends_in_sum(factor.body):
            rest = node.factors[position + 1 :]
            rest_ops = node.ops[position + 1 :]
            if any(op == "/" for op in node.ops[position:]):
                return node
            extended = _append_to_sum(factor.body, rest, rest_ops)
            factors = node.factors[:position] + (extended,)
            if len(factors) == 1:
                return ast.Product(factors, (), node.column)
            return ast.Product(factors, node.ops[:position], node.column)
    return node


def _ends_in_sum(node: ast.Node) -> bool:
    if isinstance(node, ast.BigSum):
        return True
    return isinstance(node, ast.Product) and isinstance(node.factors[-1], ast.BigSum)


def _append_to_sum(node: ast.Node, rest: tuple, rest_ops: tuple) -> ast.Node:
    """``node`` with ``rest`` multiplied into the body of its trailing sum."""
    if isinstance(node, ast.Product):
        return ast.Product(node.factors[:-1] + (_append_to_sum(node.factors[-1], rest, rest_ops),), node.ops, node.column)
    assert isinstance(node, ast.BigSum)
    body = node.body
    if _ends_in_sum(body):
        return ast.BigSum(node.indices, _append_to_sum(body, rest, rest_ops), node.column)
    factors = (body.factors if isinstance(body, ast.Product) else (body,)) + tuple(rest)
    ops = (body.ops if isinstance(body, ast.Product) else ()) + ("",) + tuple(rest_ops)
    return ast.BigSum(node.indices, ast.Product(factors, ops, node.column), node.column)

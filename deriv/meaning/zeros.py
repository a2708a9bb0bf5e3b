"""Zeros: ``0``, ``\\mathbf{0}`` and the sized ``\\mathbf{0}_N``, ``0_{N \\times M}``.

The lexer reads ``\\mathbf{0}`` (``\\boldsymbol{0}``, ``\\bm 0``) as the
number ``0``, so a bold zero and a plain one mean the same here:

* a *whole* member of a chain, or a whole side of an assumption ``=``, that
  is a bare zero (``\\nabla_w f = 0``, ``X^T(Xw - y) = \\mathbf{0}``) is the
  zero of the shape of the chain (of the other side) -- :func:`bare_zero`;
* a zero with written sizes (``\\mathbf{0}_N``, ``0_{N \\times M}``,
  ``\\mathbf{0}_{N,M}``, ``N``, ``M`` declared sizes or ``1``) is the zero
  array of that shape, so it must agree with the chain (a wrong size is an
  error) -- :func:`sized_zero`;
* a zero inside an expression (``A + 0``) stays the number.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Expr, Rational, Symbol

from deriv.context import ONE
from deriv.errors import MeaningError
from deriv.latex import ast
from deriv.meaning import values as V

_WRITE = "write \\mathbf{0}_N or \\mathbf{0}_{N \\times M} with declared sizes"


def is_zero_number(node: object) -> bool:
    return isinstance(node, ast.Number) and Rational(node.text) == 0


def bare_zero(node: object) -> bool:
    """``0``, ``\\mathbf{0}``, ``(0)`` or ``\\mathbf{0}^T`` written alone: no size of its own."""
    while isinstance(node, ast.Group) or (
        isinstance(node, ast.Scripted) and node.sub is None and node.sup is None and node.transpose
    ):
        node = node.body if isinstance(node, ast.Group) else node.base
    return is_zero_number(node)


def written_zero(node: object) -> bool:
    """A bare zero or a sized one (``\\mathbf{0}_N``)."""
    return bare_zero(node) or (isinstance(node, ast.Scripted) and is_zero_number(node.base) and node.sub is not None)


def sized_zero(node: ast.Scripted, size_symbol: Callable[[str], Symbol | None]) -> V.Value | None:
    """The zero array ``\\mathbf{0}_N`` / ``0_{N \\times M}`` (transposed with ``^T``); None when
    ``node`` is not a zero with a subscript.  A subscript that is not one or two sizes is an error."""
    if not is_zero_number(node.base) or node.sub is None:
        return None
    rows, cols = _shape(node.sub, size_symbol)
    value = zeros(rows, cols)
    return V.transpose(value) if node.transpose else value


def zeros(rows: Expr, cols: Expr) -> V.Value:
    return V.matrix(rows, cols, lambda i, j: Rational(0), "\\mathbf{0}")


def zero_like(value: V.Value) -> V.Value:
    """The zero of ``value``'s shape."""
    return zeros(value.rows, value.cols)


def _shape(items: tuple[ast.Node, ...], size_symbol: Callable[[str], Symbol | None]) -> tuple[Expr, Expr]:
    if len(items) == 1 and isinstance(items[0], ast.Product) and items[0].ops == ("*",):
        items = items[0].factors  # N \times M
    sizes = [_size(item, size_symbol) for item in items]
    if len(sizes) == 1:
        return sizes[0], ONE
    if len(sizes) == 2:
        return sizes[0], sizes[1]
    raise MeaningError(f"a zero's subscript gives its size: {_WRITE}")


def _size(item: ast.Node, size_symbol: Callable[[str], Symbol | None]) -> Expr:
    if isinstance(item, ast.Number) and item.text == "1":
        return ONE
    size = size_symbol(item.name) if isinstance(item, ast.Name) else None
    if size is None:
        raise MeaningError(f"a zero's subscript gives its size, and this one is not a declared size: {_WRITE}")
    return size


__all__ = ["bare_zero", "is_zero_number", "sized_zero", "written_zero", "zero_like", "zeros"]

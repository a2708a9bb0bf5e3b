"""Matrix literals: ``\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}``.

A mixin of :class:`~deriv.meaning.builder.Builder`.  A literal is a value of
numeric shape (rows x columns as written) whose cells are any scalar
expressions.  Its entry at a position is the cell there when the position
is a number, and otherwise the sum over its cells of ``delta(i, r) delta(j, c)``
times the cell: an index expression like any other, which the engine
contracts against the sums of products (a literal times a ``vector 2``) and
splits entry by entry where a free index runs over a number
(:mod:`deriv.engine.numeric_ranges`).

``pmatrix``, ``bmatrix``, ``Bmatrix`` and ``matrix`` are the same matrix;
``vmatrix`` is its determinant, expanded (a polynomial in the cells) for a
square literal of 2 x 2 up to :data:`MAX_DETERMINANT` rows; a ``1 x 1``
``vmatrix`` is an error (``|a|`` is the absolute value to a reader).
"""

from __future__ import annotations

import sympy
from sympy import Expr, Integer

from deriv.errors import MeaningError, ShapeError, UnsupportedError
from deriv.ir import delta
from deriv.latex import ast
from deriv.latex.ast import visits
from deriv.meaning import values as V
from deriv.meaning.builder_base import BuilderBase

#: Cells a literal may have: past this it is not a worked example but a table.
MAX_CELLS = 400

#: Rows of the largest ``vmatrix`` expanded: 4! = 24 products of cells.
MAX_DETERMINANT = 4


def literal_entry(cells: tuple[tuple[Expr, ...], ...], i: Expr, j: Expr) -> Expr:
    """The ``(i, j)`` entry (0-based) of the matrix with these cells: the cell itself at
    numbers, else the cells weighted by deltas on the indices."""
    # A vector's other index has one value (the chain may name it: a column's COL).
    i = Integer(0) if len(cells) == 1 else i
    j = Integer(0) if len(cells[0]) == 1 else j
    for position, count, what in ((i, len(cells), "rows"), (j, len(cells[0]), "columns")):
        if position.is_Integer and not 0 <= int(position) < count:
            raise MeaningError(f"entry {int(position) + 1} is outside the {count} {what} of a "
                               f"{len(cells)} x {len(cells[0])} matrix literal (entries are numbered from 1)")
    if i.is_Integer and j.is_Integer:
        return cells[int(i)][int(j)]
    total: Expr = sympy.S.Zero
    for r, row in enumerate(cells):
        at_row = delta(i, Integer(r))
        if at_row == 0:
            continue
        for c, cell in enumerate(row):
            total += at_row * delta(j, Integer(c)) * cell
    return total


def literal_value(cells: tuple[tuple[Expr, ...], ...], text: str) -> V.Value:
    """The value of a literal with these (scalar) cells."""
    frozen = tuple(tuple(row) for row in cells)
    return V.matrix(Integer(len(frozen)), Integer(len(frozen[0])), lambda i, j: literal_entry(frozen, i, j), text)


def literal_determinant(cells: tuple[tuple[Expr, ...], ...], column: int | None = None) -> V.Value:
    """``\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}``: the determinant of the square literal, expanded."""
    rows, cols = len(cells), len(cells[0])
    if rows != cols:
        raise ShapeError(f"a vmatrix is a determinant, of a square matrix, not of {rows} x {cols} entries",
                         column=column or None)
    if rows == 1:
        raise MeaningError("a 1 x 1 vmatrix is the absolute value to some readers and the determinant (the entry "
                           "itself) to others: write |a| or \\det(a)", column=column or None)
    if rows > MAX_DETERMINANT:
        raise UnsupportedError(f"the determinant of a literal of more than {MAX_DETERMINANT} x {MAX_DETERMINANT} "
                               "entries is not supported", column=column or None)
    return V.scalar(sympy.expand(sympy.Matrix(cells).det(method="berkowitz")), f"{rows} x {cols} determinant")


#: Operations the cells of a numeric-size matrix may hold in all for ``\\det`` to be written out.
MAX_DETERMINANT_OPS = 64


def written_out_determinant(value: V.Value) -> Expr | None:
    """``\\det`` of a matrix of numeric size (a literal, ``matrix 2 x 2``, a product of them) as the
    polynomial in its entries, so that it is proved at that size; None past 4 x 4, for a size
    written from names, or for entries too large to expand (the determinant stays a node)."""
    rows = value.rows
    if not (rows.is_Integer and rows == value.cols and 2 <= int(rows) <= MAX_DETERMINANT):
        return None
    cells = [[value.entry(Integer(r), Integer(c)) for c in range(int(rows))] for r in range(int(rows))]
    if sum(sympy.count_ops(cell) for row in cells for cell in row) > MAX_DETERMINANT_OPS:
        return None
    return sympy.expand(sympy.Matrix(cells).det(method="berkowitz"))


def one_cell_in_bars(node: ast.Builtin) -> MeaningError | None:
    """``|\\begin{pmatrix} a \\end{pmatrix}|``: bars around a ``1 x 1`` literal are its determinant to
    a reader who sees a matrix and the absolute value to one who sees a number (as a ``1 x 1``
    ``vmatrix``): an error, never one of them silently (the literal itself is the scalar ``a``)."""
    arg = node.arg
    while isinstance(arg, ast.Group):
        arg = arg.body
    if node.func != "abs" or not isinstance(arg, ast.Literal) or len(arg.rows) != 1 or len(arg.rows[0].cells) != 1:
        return None
    return MeaningError("bars around a 1 x 1 matrix literal are its determinant to some readers and the absolute "
                        "value to others: write \\det(a) or |a|", column=node.column or None)


class Literals(BuilderBase):
    """Uses the builder's ``build``."""

    @visits(ast.Literal)
    def _build_literal(self, node: ast.Literal) -> V.Value:
        widths = [len(row.cells) for row in node.rows]
        if len(set(widths)) > 1:
            counts = ", ".join(f"row {k + 1} has {w}" for k, w in enumerate(widths))
            raise ShapeError(f"the rows of a matrix literal must have the same number of entries, "
                             f"but {counts}", column=node.column or None)
        if len(widths) * widths[0] > MAX_CELLS:
            raise UnsupportedError(f"a matrix literal of more than {MAX_CELLS} entries is not supported")
        cells = tuple(tuple(self._cell(cell, r, c) for c, cell in enumerate(row.cells))
                      for r, row in enumerate(node.rows))
        text = f"{len(widths)} x {widths[0]} literal"
        if node.environment == "vmatrix":
            return literal_determinant(cells, node.column)
        if len(widths) == 1 and widths[0] == 1:
            return V.scalar(cells[0][0], text)
        return literal_value(cells, text)

    def _cell(self, cell: ast.Node, r: int, c: int) -> Expr:
        value = self.build(cell)
        if not value.is_scalar:
            raise MeaningError(f"entry ({r + 1}, {c + 1}) of a matrix literal is {value.describe()}: "
                               f"each entry must be a scalar (block matrices are not supported)")
        return value.expr


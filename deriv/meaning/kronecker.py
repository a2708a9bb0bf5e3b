"""The Kronecker product and ``\\operatorname{vec}`` of built values.

``A \\otimes B`` of ``A`` (``M x N``) and ``B`` (``P x Q``) is ``M P x N Q``, its
entry at row ``P i + k`` and column ``Q j + l`` (0-based) ``A_{i,j} B_{k,l}``;
``\\operatorname{vec}(X)`` of ``X`` (``M x N``) stacks the columns: the vector of
``M N`` whose entry ``M j + i`` is ``X_{i,j}``.  An entry at any row is read
through the row's digits (:mod:`deriv.meaning.digits`), so every member is
still one index expression; a scalar factor is a scalar multiple.
"""

from __future__ import annotations

from sympy import Expr

from deriv.context import ONE
from deriv.meaning import values as V
from deriv.meaning.digits import Quotient, Remainder

ZERO = V.ZERO


def kronecker(a: V.Value, b: V.Value) -> V.Value:
    """``a \\otimes b``, of any shapes."""
    text = f"{a.text} \\otimes {b.text}"
    if a.is_scalar or b.is_scalar:
        return V.multiply(a, b).with_text(text)
    rows, cols = b.rows, b.cols

    def entry(i: Expr, j: Expr) -> Expr:
        # A vector's other index is 0 (its entry function may ignore it, or not).
        row = ZERO if a.rows == ONE else Quotient(i, rows)
        col = ZERO if a.cols == ONE else Quotient(j, cols)
        return a.entry(row, col) * b.entry(Remainder(i, rows), Remainder(j, cols))

    return V.matrix(a.rows * rows, a.cols * cols, entry, text)


def vectorized(a: V.Value) -> V.Value:
    """``\\operatorname{vec}(a)``: the columns of ``a`` one under the other."""
    text = f"vec({a.text})"
    if a.cols == ONE:
        return a.with_text(text)  # a column is its own vec (its entry function may ignore the column)
    rows = a.rows
    return V.matrix(rows * a.cols, ONE, lambda i, j: a.entry(Remainder(i, rows), Quotient(i, rows)), text)

"""Matrix algebra on built values, with the shape checks SymPy does not do.

A :class:`Value` is a ``rows x cols`` object given by its entry function;
a scalar is ``1 x 1``.  Products, sums, transposes and Hadamard products
are entrywise index expressions (a matrix product is a ``Sum`` over a fresh
index), so every member ends as one SymPy index expression.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy import Expr, Sum, Symbol

from deriv.context import ONE, shape_text
from deriv.errors import MeaningError, ShapeError
from deriv.ir import fresh_index, sum_of

ZERO = sympy.S.Zero
EntryFunction = Callable[[Expr, Expr], Expr]


@dataclass(frozen=True)
class Value:
    """A built (sub)expression: its shape, its entries, and what it is.

    ``order`` lists a scalar's free indices in the order the author fixed
    them (``[E]_{m,n}``, ``\\partial W_{m,n}``), when they did.
    ``elementwise_of`` names the matrix an elementwise function was
    applied to, for ``\\partial h(X) / \\partial X``.
    """

    rows: Expr
    cols: Expr
    entry_function: EntryFunction
    text: str = ""
    order: tuple[Symbol, ...] = ()
    elementwise_of: str | None = None

    @property
    def shape(self) -> tuple[Expr, Expr]:
        return (self.rows, self.cols)

    @property
    def is_scalar(self) -> bool:
        return self.rows == ONE and self.cols == ONE

    def entry(self, i: Expr, j: Expr) -> Expr:
        return self.entry_function(i, j)

    @property
    def expr(self) -> Expr:
        """The scalar's index expression."""
        return self.entry_function(ZERO, ZERO)

    def describe(self) -> str:
        label = f"{self.text} " if self.text else ""
        return f"{label}({shape_text(self.shape)})"

    def with_text(self, text: str) -> "Value":
        return replace(self, text=text)


def scalar(expr: Expr, text: str = "", order: tuple[Symbol, ...] = ()) -> Value:
    """A ``1 x 1`` value."""
    expr = _sympify(expr)
    return Value(ONE, ONE, lambda i, j: expr, text, order)


def matrix(rows: Expr, cols: Expr, entry: EntryFunction, text: str = "", elementwise_of: str | None = None) -> Value:
    """A ``rows x cols`` value; a ``1 x 1`` result collapses to a scalar."""
    if rows == ONE and cols == ONE:
        return scalar(entry(ZERO, ZERO), text)
    return Value(rows, cols, entry, text, elementwise_of=elementwise_of)


def _joined(a: Value, op: str, b: Value) -> str:
    return f"{a.text} {op} {b.text}".strip()


def _orders(a: Value, b: Value) -> tuple[Symbol, ...]:
    """The free indices both operands fixed, in the order written.

    Kept even when the sum cancels them: ``C_{m,n} - C_{m,n}`` is still
    about entry ``(m, n)``.
    """
    return a.order + tuple(i for i in b.order if i not in a.order)


def multiply(a: Value, b: Value) -> Value:
    """Matrix product, or scaling when either side is a scalar."""
    text = f"{a.text} {b.text}".strip()
    if a.is_scalar and b.is_scalar:
        return scalar(a.expr * b.expr, text, _orders(a, b))
    if a.is_scalar:
        s = a.expr
        return matrix(b.rows, b.cols, lambda i, j: s * b.entry(i, j), text)
    if b.is_scalar:
        s = b.expr
        return matrix(a.rows, a.cols, lambda i, j: a.entry(i, j) * s, text)
    if a.cols != b.rows:
        raise ShapeError(
            f"cannot multiply {a.describe()} by {b.describe()}: "
            f"{a.cols} columns against {b.rows} rows{_vectors_hint(a, b)}"
        )
    inner = a.cols

    def entry(i: Expr, j: Expr) -> Expr:
        if inner == ONE:
            return a.entry(i, ZERO) * b.entry(ZERO, j)
        k = fresh_index("k")
        return sum_of(a.entry(i, k) * b.entry(k, j), (k, 0, inner - 1))

    return matrix(a.rows, b.cols, entry, text)


def _vectors_hint(a: Value, b: Value) -> str:
    """Two column vectors side by side (``x y``, ``x \\cdot y``) are most often meant as the dot product."""
    if a.cols == ONE and b.cols == ONE and a.rows == b.rows and a.text and b.text:
        return f" (for the inner product write {a.text}^T {b.text}, for the outer one {a.text} {b.text}^T)"
    return ""


def add(a: Value, b: Value, sign: int = 1) -> Value:
    """``a + b`` (or ``a - b``); shapes must agree."""
    if a.shape != b.shape:
        raise ShapeError(f"cannot add {a.describe()} and {b.describe()}: their shapes differ")
    text = _joined(a, "+" if sign > 0 else "-", b)
    if a.is_scalar:
        return scalar(a.expr + sign * b.expr, text, _orders(a, b))
    return matrix(a.rows, a.cols, lambda i, j: a.entry(i, j) + sign * b.entry(i, j), text)


def negate(a: Value) -> Value:
    if a.is_scalar:
        return scalar(-a.expr, f"-{a.text}", a.order)
    return matrix(a.rows, a.cols, lambda i, j: -a.entry(i, j), f"-{a.text}")


def transpose(a: Value) -> Value:
    if a.is_scalar:
        return a
    return matrix(a.cols, a.rows, lambda i, j: a.entry(j, i), f"{a.text}^T")


def hadamard(a: Value, b: Value) -> Value:
    """Entrywise product; shapes must agree."""
    if a.shape != b.shape:
        raise ShapeError(f"Hadamard product of {a.describe()} and {b.describe()}: shapes differ")
    text = _joined(a, "\\circ", b)
    if a.is_scalar:
        return scalar(a.expr * b.expr, text, _orders(a, b))
    return matrix(a.rows, a.cols, lambda i, j: a.entry(i, j) * b.entry(i, j), text)


def divide(a: Value, b: Value) -> Value:
    """``a / b`` for a scalar ``b``."""
    if not b.is_scalar:
        raise MeaningError(f"cannot divide by {b.describe()}: only by scalars")
    return multiply(a, scalar(1 / b.expr, b.text)).with_text(f"{a.text} / {b.text}")


def trace(a: Value) -> Value:
    if a.rows != a.cols:
        raise MeaningError(f"trace of {a.describe()}: not square")
    if a.is_scalar:
        return a
    k = fresh_index("k")
    return scalar(Sum(a.entry(k, k), (k, 0, a.rows - 1)), f"tr({a.text})")


def norm(a: Value) -> Value:
    """Euclidean norm of a vector."""
    if a.cols == ONE:
        length, entry = a.rows, (lambda k: a.entry(k, ZERO))
    elif a.rows == ONE:
        length, entry = a.cols, (lambda k: a.entry(ZERO, k))
    else:
        raise MeaningError(f"norm of {a.describe()}: only vector norms are supported")
    if length == ONE:
        return scalar(sympy.sqrt(entry(ZERO) ** 2), f"||{a.text}||")
    k = fresh_index("k")
    return scalar(sympy.sqrt(Sum(entry(k) ** 2, (k, 0, length - 1))), f"||{a.text}||")


def apply_scalar_function(function, a: Value, name: str) -> Value:
    """``\\exp``, ``\\log``, ... of a scalar."""
    if not a.is_scalar:
        raise MeaningError(f"\\{name} of {a.describe()}: only of scalars")
    return scalar(function(a.expr), f"\\{name}({a.text})", a.order)


def entry_of(a: Value, indices: tuple[Expr, ...]) -> Expr:
    """The entry a subscript selects: two indices for a matrix, one for a vector."""
    if a.is_scalar:
        raise MeaningError(f"{a.describe()} is a scalar: it has no entries to select")
    if len(indices) == 2 and a.rows != ONE and a.cols != ONE:
        return a.entry(*indices)
    if len(indices) == 1 and a.cols == ONE:
        return a.entry(indices[0], ZERO)
    if len(indices) == 1 and a.rows == ONE:
        return a.entry(ZERO, indices[0])
    raise MeaningError(f"{a.describe()} takes {'one index' if ONE in a.shape else 'two indices'}, not {len(indices)}")


def index_extents(a: Value, count: int) -> tuple[Expr, ...]:
    """The ranges of the indices that select an entry of ``a``."""
    if count == 2:
        return (a.rows, a.cols)
    return (a.rows,) if a.cols == ONE else (a.cols,)

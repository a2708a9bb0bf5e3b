"""Powers of arrays: ``A^k``, ``X^{\\circ k}`` and ``X \\oslash Y``.

In: built values (:mod:`deriv.meaning.values`) and an exponent's value.
Out: values whose entries are index expressions, like every other product.

* ``A^k`` of a square matrix ``A`` with a whole-number literal ``k >= 1`` is
  the ``k``-fold matrix product ``A A ... A`` (a sum over a fresh index per
  factor); ``A^1`` is ``A``; ``A^0`` is the identity ``I`` for *every*
  square ``A``, also a singular or zero one (the convention of linear
  algebra, as ``0^0 = 1`` is for scalars here), defined where ``A`` is
  (``(A^{-1})^0`` is undefined where ``A`` is singular, as ``A^{-1}`` is).  Past 6 factors the power is
  the node below, as for ``A^K``; past 64 an error, as for scalars.
  A non-square matrix has no power (an error that says so); a vector's
  ``v^2`` is ambiguous (``v^T v``? ``v \\circ v``?) and stays an error.
* A negative power is the inverse's business (``A^{-1}``): negative
  exponents go to :func:`negative_matrix_power`, the one place an inverse's
  support plugs in; until then it is an error naming the exponent.
* A power by an exponent written from sizes (``A^K``, ``A^{K-1}``; whole and
  never negative at any size) is the node :class:`~deriv.ir.MatrixPower`, whose
  number of factors the engine does not know (``engine/matrix_powers.py``); a
  power by a scalar (``A^s``) or one that may be negative (``A^{K-2}``) is an error.
* ``X^{\\circ k}`` (Hadamard power) raises each entry to ``k``, with the
  checks a power of a scalar has; ``X \\oslash Y`` divides entry by entry,
  each entry a quotient of scalars with the domain such a quotient has
  (``Y_{i,j} \\neq 0``).
"""

from __future__ import annotations

import sympy
from sympy import Expr

from deriv.context import ONE
from deriv.errors import MeaningError, ShapeError, UnsupportedError
from deriv.ir import MatrixArg, MatrixPower, delta
from deriv.latex import ast
from deriv.meaning import values as V
from deriv.meaning.magnitude import MAX_EXPONENT
from deriv.meaning.positions import never_negative

#: Literal exponents expanded into products, at most: ``A^6`` sums over five
#: indices already, and the normal form tries every order of a product's summed
#: indices of one range (6! of them past ``A^7``); a larger one is a
#: :class:`~deriv.ir.MatrixPower` like ``A^K``.
MAX_LITERAL_MATRIX_POWER = 6


def matrix_power(value: V.Value, exponent: V.Value) -> V.Value:
    """``value^exponent`` for a value that is not a scalar."""
    shown = f"{value.text}^{{{exponent.text}}}"
    if value.cols == ONE or value.rows == ONE:
        raise UnsupportedError(
            f"powers of {value.describe()} are not supported; only of scalars and square matrices "
            f"(for a vector write v^T v or v \\circ v)"
        )
    if value.rows != value.cols:
        raise ShapeError(f"{shown}: a power of a matrix is a product of the matrix with itself, "
                         f"so it needs a square matrix, not {value.describe()}")
    power = exponent.expr if exponent.is_scalar else None
    if power is not None and not power.is_Integer and _counts_factors(power):
        return symbolic_matrix_power(value, power, shown)
    if power is None or not power.is_Integer:
        raise UnsupportedError(
            f"{shown}: a power of a matrix needs a whole-number exponent: a number (A^2, A^3) "
            f"or written from sizes (A^K, A^{{K-1}}), never negative"
        )
    n = int(power)
    if n < 0:
        return negative_matrix_power(value, n, shown)
    if n > MAX_EXPONENT:
        raise UnsupportedError(f"{shown}: the exponent is too large (at most {MAX_EXPONENT})")
    if n > MAX_LITERAL_MATRIX_POWER:
        return symbolic_matrix_power(value, power, shown)
    if n == 0:
        return _identity_of(value, shown)
    result = value
    for _ in range(n - 1):
        result = V.multiply(result, value)
    return result.with_text(shown)


def _identity_of(value: V.Value, shown: str) -> V.Value:
    """``A^0``: the identity, with ``A`` read all the same, so the builder records where it is
    defined (``(A^{-1})^0`` is undefined where ``A`` is singular)."""
    def identity(i: Expr, j: Expr) -> Expr:
        value.entry(i, j)
        return delta(i, j)

    return V.matrix(value.rows, value.cols, identity, shown)


def _counts_factors(power: Expr) -> bool:
    """Whether ``power`` is written from sizes only, whole and at least 0 at every size."""
    sizes = frozenset(s for s in power.free_symbols if s.is_integer and s.is_positive)
    return bool(sizes) and power.free_symbols == sizes and power.is_integer is True and never_negative(power, sizes)


def symbolic_matrix_power(value: V.Value, power: Expr, shown: str) -> V.Value:
    """``A^K`` (or ``A^{12}``): entries :class:`~deriv.ir.MatrixPower` of the whole matrix ``A``."""
    arg = MatrixArg.from_entry(value.entry, value.rows, value.cols)
    return V.matrix(value.rows, value.cols, lambda i, j: MatrixPower(arg, power, i, j), shown)


def negative_matrix_power(value: V.Value, n: int, shown: str) -> V.Value:
    """``A^{n}`` for ``n < 0``: the ``|n|``-th power of the inverse, which is not read here."""
    raise UnsupportedError(f"{shown}: negative powers of a matrix (its inverse) are not supported")


def hadamard_power(value: V.Value, power: Expr, text: str) -> V.Value:
    """``X^{\\circ k}``: each entry to the power ``power`` (already checked as a scalar's exponent)."""
    shown = f"{value.text}^{{\\circ {text}}}"
    if value.is_scalar:
        return V.scalar(value.expr**power, shown, value.order)
    return V.matrix(value.rows, value.cols, lambda i, j: value.entry(i, j) ** power, shown)


def hadamard_quotient(a: V.Value, b: V.Value) -> V.Value:
    """``A \\oslash B``: entrywise quotient; shapes must agree."""
    if a.shape != b.shape:
        raise ShapeError(f"Hadamard division of {a.describe()} by {b.describe()}: shapes differ")
    text = f"{a.text} \\oslash {b.text}"
    if a.is_scalar:
        return V.scalar(a.expr / b.expr, text, a.order + tuple(i for i in b.order if i not in a.order))
    return V.matrix(a.rows, a.cols, lambda i, j: a.entry(i, j) * sympy.Pow(b.entry(i, j), -1), text)


def exponent_needs_scalar(value: V.Value, exponent: V.Value) -> None:
    """An exponent is a scalar (a matrix exponent is meaningless here)."""
    if not exponent.is_scalar:
        raise MeaningError(f"the exponent {exponent.describe()} of {value.text} is not a scalar")


def check_power_before_entry(node: ast.Scripted, base: V.Value) -> None:
    """``A^2_{i,j}`` of a matrix reads two ways: entry ``(i, j)`` of ``A^2`` (as
    ``W^T_{k,j}`` is an entry of ``W^T``) or the square of ``A_{i,j}``; an error."""
    if node.power_first and node.sup is not None and base.rows != ONE and base.cols != ONE:
        raise MeaningError(
            f"{base.text}^..._{{...}} reads two ways: an entry of the matrix power, or a power of "
            f"the entry; write [{base.text}^2]_{{i,j}} for the first, {base.text}_{{i,j}}^2 for the second"
        )


def check_label_superscript(base: V.Value, sup: ast.Node) -> None:
    """``W^{[2]}`` is a layer's label in ML notes, never a power; ``W^{(2)}``, ``\\alpha^{(1)}`` are
    labels there too (a layer's, an iterate's) more often than ``W^2``, which needs no brackets:
    both are errors asking to declare the name.  ``a^{(T)}`` by a name stays the power
    (docs/format.md), the one way to write it where ``a^T`` may be a transpose."""
    if not isinstance(sup, ast.Group) or sup.bracket not in "[(":
        return
    if sup.bracket == "(" and not isinstance(sup.body, ast.Number):
        return
    written = f"{base.text}^{{{sup.bracket}...{']' if sup.bracket == '[' else ')'}}}"
    raise MeaningError(f"{written} is a name (a layer's or an iterate's label), not a power of {base.text}: "
                       f"declare it as a name with its script (\"W^{{[2]}}\": matrix N x M), or write "
                       f"{base.text}^2 for the power")

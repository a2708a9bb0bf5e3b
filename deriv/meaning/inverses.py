"""Inverses and determinants of square matrix expressions.

``X^{-1}``, ``X^{-T}`` (the inverse of the transpose, also ``(X^T)^{-1}``),
``\\det X``, ``|X|`` of a square matrix: each is a node of
:mod:`deriv.ir` on a :class:`~deriv.ir.MatrixArg`, so the argument may be
any square matrix expression (``(X^T X + \\lambda I)^{-1}``).  Of a scalar,
``x^{-1}`` stays a power and ``|x|`` an absolute value; of a matrix that is
not square both are errors that say so.  The superscripts of a matrix that
mean something else (``A^2``) are not read here.
"""

from __future__ import annotations

from deriv.errors import MeaningError
from deriv.ir import Determinant, InverseEntry, MatrixArg
from deriv.latex import ast
from deriv.meaning import values as V
from deriv.meaning.literals import written_out_determinant


def inverse_superscript(sup: ast.Node | None) -> str | None:
    """``"inverse"`` for ``^{-1}``, ``"inverse transpose"`` for ``^{-T}``, else None."""
    if not isinstance(sup, ast.Neg):
        return None
    body = sup.body
    if isinstance(body, ast.Group) and body.bracket == "{":
        body = body.body
    if isinstance(body, ast.Number) and body.text == "1":
        return "inverse"
    if isinstance(body, ast.Name) and body.name == "T" and body.font in (None, "mathsf", "mathrm"):
        return "inverse transpose"
    return None


def _square(value: V.Value, what: str) -> MatrixArg:
    if value.rows != value.cols:
        raise MeaningError(f"{what} of {value.describe()}: only of a square matrix "
                           f"({value.rows} rows against {value.cols} columns)")
    return MatrixArg.from_entry(value.entry, value.rows, value.cols)


def inverse(value: V.Value, transposed: bool = False) -> V.Value:
    """``value^{-1}`` (``value^{-T}`` when ``transposed``) of a square matrix."""
    arg = _square(value, "the inverse")
    if arg.body == 0:  # a product with it would be 0 as soon as it is built: never silently defined
        raise MeaningError(f"{value.text} is the zero matrix: it has no inverse")
    if transposed:
        return V.matrix(value.rows, value.cols, lambda i, j: InverseEntry(arg, j, i), f"{value.text}^{{-T}}")
    return V.matrix(value.rows, value.cols, lambda i, j: InverseEntry(arg, i, j), f"{value.text}^{{-1}}")


def matrix_superscript(value: V.Value, sup: ast.Node | None, t_is_a_name: bool = False) -> V.Value | None:
    """The inverse a superscript asks of a matrix, or None (a scalar's power, or no inverse).

    With a scalar or size named ``T`` (a horizon), the letter in ``X^{-T}`` could be it:
    an error then, as ``a^T`` of a scalar is; ``X^{-\\top}`` is never a power."""
    kind = inverse_superscript(sup)
    if kind is None or value.is_scalar:
        return None
    if kind == "inverse transpose" and t_is_a_name and isinstance(sup, ast.Neg) and _letter_t(sup.body):
        raise MeaningError(f"{value.text}^{{-T}}: T is also a declared name or size here, so this could be a power; "
                           f"write {value.text}^{{-\\top}} for the inverse of the transpose")
    return inverse(value, transposed=kind == "inverse transpose")


def _letter_t(node: ast.Node) -> bool:
    if isinstance(node, ast.Group):
        node = node.body
    return isinstance(node, ast.Name) and node.font is None


def determinant(value: V.Value) -> V.Value:
    """``\\det`` of a square matrix (of a scalar: the scalar, a ``1 x 1`` matrix)."""
    if value.is_scalar:
        return value.with_text(f"\\det({value.text})")
    arg = _square(value, "\\det")
    written = written_out_determinant(value)
    return V.scalar(Determinant(arg) if written is None else written, f"\\det({value.text})")

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

from deriv.context import ONE
from deriv.errors import MeaningError
from deriv.ir import Determinant, InverseEntry, MatrixArg
from deriv.latex import ast
from deriv.latex.render import render
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


def matrix_superscript(value: V.Value, sup: ast.Node | None, t_is_a_name: bool = False,
                       entry_first: bool = False) -> V.Value | None:
    """The inverse a superscript asks of a matrix, or None (a scalar's power, or no inverse; nor
    ``x_i^{-1}``, ``entry_first`` of a vector: the entry's reciprocal, a vector having no inverse).

    With a scalar or size named ``T`` (a horizon), the letter in ``X^{-T}`` could be it:
    an error then, as ``a^T`` of a scalar is; ``X^{-\\top}`` is never a power."""
    kind = inverse_superscript(sup)
    if kind is None or value.is_scalar or entry_first and kind == "inverse" and ONE in (value.rows, value.cols):
        return None
    if kind == "inverse transpose" and t_is_a_name and isinstance(sup, ast.Neg) and _letter_t(sup.body):
        raise MeaningError(f"{value.text}^{{-T}}: T is also a declared name or size here, so this could be a power; "
                           f"write {value.text}^{{-\\top}} for the inverse of the transpose")
    return inverse(value, transposed=kind == "inverse transpose")


def check_inverse_after_entry(node: ast.Scripted, inverse_text: str) -> None:
    """``A_{i,j}^{-1}``, the subscript written first, reads two ways: the reciprocal of the entry
    (as ``A_{i,j}^2`` is the entry squared) or an entry of the inverse (as ``A^{-1}_{i,j}``
    is, the superscript first): an error that shows both spellings (``inverse_text``: ``A^{-1}``)."""
    if node.sub is None or node.power_first:
        return
    entry = render(ast.Scripted(node.base, sub=node.sub))
    at = ",".join(render(s) for s in node.sub)
    raise MeaningError(f"{entry}^{{{render(node.sup) if node.sup else ''}}} reads two ways: a power of the entry "
                       f"{entry} (as {entry}^2 is its square), or an entry of {inverse_text}: write "
                       f"\\frac{{1}}{{{entry}}} for the first, [{inverse_text}]_{{{at}}} for the second")


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

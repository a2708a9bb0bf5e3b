"""Whole-vector derivatives with a matrix value: the Jacobian and the Hessian.

``\\frac{\\partial h_t}{\\partial h_{t-1}}`` of a column vector by a column vector is
the Jacobian in numerator layout: entry ``(i, j)`` is ``\\partial (h_t)_i / \\partial
(h_{t-1})_j``, rows as long as the numerator, columns as the variable (so
``\\frac{\\partial (W x)}{\\partial x} = W``, and ``\\operatorname{diag}(h'(x))`` for an
elementwise ``h``).  A scalar by a vector stays the gradient, a column
(``\\frac{\\partial x^T A x}{\\partial x} = (A + A^T) x``): the mixed layout of
machine-learning texts, in which ``(\\partial h_t / \\partial h_{t-1})^T
\\partial L / \\partial h_t`` is the chain rule (docs/format.md, "Jacobians and
Hessians").  A row vector, a matrix, or a vector whose entries carry a further
free index is no Jacobian: an error.

``\\nabla^2 E`` / ``\\nabla_x^2 E`` is the Hessian of a scalar ``E`` of the vector
``x``: entry ``(i, j)`` is ``\\partial^2 E / \\partial x_i \\partial x_j``.
"""

from __future__ import annotations

from collections.abc import Collection

from sympy import Indexed, Symbol

from deriv.context import ONE
from deriv.errors import MeaningError
from deriv.ir import Partial, base_name, free_indices, fresh_index
from deriv.meaning import values as V

ZERO = V.ZERO


def carried_indices(value: V.Value) -> frozenset[Symbol]:
    """The free indices a value's entries carry besides their own position (``t`` of ``h_t``)."""
    row, col = fresh_index("r"), fresh_index("c")
    return free_indices(value.entry(row, col)) - {row, col}


def is_column(value: V.Value) -> bool:
    return value.cols == ONE and value.rows != ONE


def member_steps(value: V.Value, families: Collection[str]) -> frozenset[Symbol]:
    """The indices a value's entries carry only as the step of a family's member (``t`` of
    ``h_t``): a parameter of the step, not an index of the derivative."""
    entry = value.entry(fresh_index("r"), fresh_index("c"))
    members = [a for a in entry.atoms(Indexed) if base_name(a) in families]
    steps = frozenset(s for a in members for s in free_indices(a.indices[0]))
    elsewhere = free_indices(entry.xreplace({a: Symbol(f"_member{n}") for n, a in enumerate(members)}))
    return steps - elsewhere


def jacobian(body: V.Value, var: V.Value, name: str, families: Collection[str] = ()) -> V.Value | None:
    """The Jacobian of column ``body`` by column ``var`` (numerator layout), or None when
    ``body`` is not a column vector; an error when ``var`` is not one or ``body``'s entries
    carry an index other than ``var``'s or a family member's step."""
    if body.rows == ONE and body.cols != ONE and is_column(var):
        raise MeaningError(f"the derivative of the row vector {body.describe()} by {var.describe()}: a Jacobian "
                           f"is of a column vector (numerator layout, rows as the numerator); write the "
                           f"derivative of its transpose")
    if not is_column(body):
        return None
    if not is_column(var):
        raise MeaningError(f"the derivative of the vector {body.describe()} by the whole of {var.describe()} "
                           f"is no matrix: a Jacobian is of a column vector by a column vector; differentiate "
                           f"an entry by an entry")
    extra = carried_indices(body) - carried_indices(var) - member_steps(body, families)
    if extra:
        raise MeaningError(f"the derivative of {body.text}, whose entries carry the index "
                           f"{', '.join(sorted(s.name for s in extra))}, by the whole of {name} would have more "
                           f"than two indices; differentiate an entry by an entry")
    return V.matrix(body.rows, var.rows, lambda i, j: Partial(body.entry(i, ZERO), var.entry(j, ZERO)),
                    f"d{body.text}/d{name}")


def hessian(body: V.Value, var: V.Value, name: str) -> V.Value:
    """``\\nabla_x^2 E``: entry ``(i, j)`` is ``\\partial^2 E / \\partial x_i \\partial x_j``; only of a scalar
    ``E`` by a column vector ``x`` (a scalar variable: the second derivative)."""
    if not body.is_scalar:
        raise MeaningError(f"\\nabla^2 of {body.describe()}: a Hessian is of a scalar; for a vector's "
                           f"derivatives write the entries, \\frac{{\\partial^2 E_k}}{{\\partial x_i \\partial x_j}}")
    if var.is_scalar:
        return V.scalar(Partial(Partial(body.expr, var.expr), var.expr), f"d2{body.text}/d{name}2", body.order)
    if not is_column(var):
        raise MeaningError(f"\\nabla^2 by {var.describe()}: a Hessian is by a column vector (by a matrix it "
                           f"would have four indices); write its entries, \\frac{{\\partial^2 E}}"
                           f"{{\\partial X_{{i,j}} \\partial X_{{k,l}}}}")
    if free_indices(body.expr) - carried_indices(var):
        raise MeaningError(f"the Hessian of {body.text}, which carries indices, would have more than two "
                           f"indices; differentiate by entries")
    return V.matrix(var.rows, var.rows,
                    lambda i, j: Partial(Partial(body.expr, var.entry(i, ZERO)), var.entry(j, ZERO)),
                    f"d2{body.text}/d{name}2")


def vector_gradient_checked(body: V.Value, gradient: V.Value) -> V.Value:
    """``\\nabla_x`` of a vector by a whole vector is an error: texts take it for the Jacobian or for
    its transpose (the gradient of each entry as a column); ``\\frac{\\partial}{\\partial x}`` is read in
    numerator layout."""
    if not body.is_scalar and gradient.shape != body.shape:
        raise MeaningError(f"\\nabla of the vector {body.describe()} by a whole vector reads two ways: the "
                           f"Jacobian, or its transpose (each entry's gradient as a column): write "
                           f"\\frac{{\\partial {body.text}}}{{\\partial x}}, the Jacobian in numerator layout, or "
                           f"its transpose")
    return gradient


def transposed_variable() -> MeaningError:
    """The error for ``\\frac{\\partial y}{\\partial x^T}``."""
    return MeaningError("a derivative by a transpose (\\partial x^T) is not read: write \\frac{\\partial y}{\\partial x}, "
                        "which is the Jacobian in numerator layout (entry (i, j) is \\partial y_i / \\partial x_j), "
                        "or the gradient, a column, for a scalar y")

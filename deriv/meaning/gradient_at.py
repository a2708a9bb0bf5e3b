"""The gradient of an opaque function at a point: ``\\nabla f(E)`` is ``(\\nabla f)(E)``.

Every optimisation text writes ``\\nabla f(x_k - \\eta g)`` for the gradient of
``f`` evaluated at that point, so ``\\nabla_x f(2x) = 2 \\nabla f(2x)`` is the
chain rule and ``\\nabla_x f(2x) = \\nabla f(2x)`` drops its factor.  Read as
"the gradient of the expression ``f(2x)`` by its one variable" instead, the
first would be refuted and the second proved.  Where the point is a declared
variable itself (``\\nabla f(x)``) the two readings agree.

``\\nabla_w f(E)`` with ``E`` free of ``w`` reads two ways as well: the gradient
of ``f`` by its argument, evaluated at ``E`` (``\\nabla_x f(x_0)`` in lecture
notes), or the derivative of ``f(E)`` by ``w``, which is 0.  It is an error.
"""

from __future__ import annotations

from sympy import Symbol

from deriv.context import Context
from deriv.errors import MeaningError
from deriv.ir import MatrixArg, OpaqueGrad
from deriv.latex import ast
from deriv.meaning import values as V
from deriv.names import Kind


def opaque_call(node: ast.Node, context: Context) -> tuple[ast.Call, ast.Scripted | None] | None:
    """The call of a declared opaque ``function`` that ``node`` is (``f(2x)``), with the transpose
    or subscript written after it (``f(2x)^T``, ``f(2x)_k``: a scalar has neither, so they are the
    gradient's), else None.

    A bracketed ``\\nabla (f(2x))`` says the operator applies to the expression, so it is
    no call here."""
    scripted = node if isinstance(node, ast.Scripted) and node.sup is None else None
    call = scripted.base if scripted is not None else node
    if not isinstance(call, ast.Call):
        return None
    declared = context.declared.get(call.func.name)
    return (call, scripted) if declared is not None and declared.kind == Kind.FUNCTION else None


def gradient_at(name: str, arg: V.Value) -> V.Value:
    """``(\\nabla f)(E)``: entry ``(i, j)`` is the partial of ``f`` by entry ``(i, j)`` of its
    argument, at ``E``; the shape of ``E``."""
    argument = MatrixArg.from_entry(arg.entry, arg.rows, arg.cols)
    function = Symbol(name)
    text = f"\\nabla {name}({arg.text})"
    if arg.is_scalar:
        return V.scalar(OpaqueGrad(function, argument, 0, 0), text, arg.order)
    return V.matrix(arg.rows, arg.cols, lambda i, j: OpaqueGrad(function, argument, i, j), text)


def point_free_of_variable(name: str, variable: str, point: str) -> MeaningError:
    """The error for ``\\nabla_w f(E)`` where ``E`` does not depend on ``w``."""
    return MeaningError(
        f"\\nabla_{{{variable}}} {name}({point}) reads two ways: the gradient of {name} evaluated at {point} "
        f"(write \\nabla {name}({point})), or the derivative of {name}({point}) by {variable}, which is 0 since "
        f"{point} does not depend on {variable} (write \\frac{{\\partial {name}({point})}}{{\\partial {variable}}})")

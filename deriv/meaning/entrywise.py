"""Scalar builtins of arrays, as ML writes them.

``\\tanh(W x + b)``, ``\\exp(z)``, ``\\log(p)``, ``\\sqrt{v}``, ``\\sin(v)`` of a vector or
a matrix are applied entry by entry: ``[\\tanh(W x + b)]_i = \\tanh([W x + b]_i)``.
``\\exp``, ``\\log``, ``\\sqrt``, the trigonometric and hyperbolic functions and
their inverses (:data:`~deriv.names.MATRIX_BUILTINS`) of a *square* matrix are an
error: they may be the matrix exponential, logarithm, sine, ... which are other
things (and not supported) -- unless the document declares the function
``elementwise function`` (``exp: elementwise function``; ``log`` for ``\\log_2`` and
``\\log_{10}`` too).  ``\\tanh`` and ``\\operatorname{erf}`` have no such reading in ML
texts and are entry by entry on every shape.  A non-square matrix (``matrix N x M``:
two size names) or a vector has only the entrywise reading.

In: the builtin's name, its built argument and the document's context.
Out: a :class:`~deriv.meaning.values.Value` of the argument's shape.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Dummy, Expr, diff

from deriv.context import Context
from deriv.errors import MeaningError, UnsupportedError
from deriv.meaning import values as V
from deriv.meaning.elementary import FUNCTIONS, keeps_domain
from deriv.names import MATRIX_BUILTINS, Kind, builtin_family, shown_builtin

#: What each of :data:`~deriv.names.MATRIX_BUILTINS` is as a function of a square matrix.
MATRIX_READINGS = {"exp": "the matrix exponential", "log": "the matrix logarithm", "sqrt": "the matrix square root"}


#: Builtins defined at every real number, whose derivatives (``\\tanh'(u)``) deriv reads: a derivative
#: of another (``\\log'``, ``\\sqrt'``) would lose the builtin's domain.
DIFFERENTIATED = frozenset({"exp", "tanh", "sin", "cos", "sinh", "cosh", "arctan", "erf"})


def apply_builtin(func: str, arg: V.Value, context: Context) -> V.Value:
    """``\\func(arg)`` for a builtin scalar function (``exp``, ``log``, ``tanh``, ``sin``, ...)."""
    shown = shown_builtin(func)

    def function(u: Expr) -> Expr:
        return keeps_domain(u, FUNCTIONS[func](u), f"{shown}({arg.text})")

    return _entrywise(func, shown, function, arg, context)


def apply_builtin_derivative(written: str, arg: V.Value, context: Context) -> V.Value:
    """``\\tanh'(arg)``, ``\\exp''(arg)``: the derivative of a builtin defined everywhere, at ``arg``."""
    func = written.rstrip("'")
    order = len(written) - len(func)
    if func not in DIFFERENTIATED:
        raise UnsupportedError(f"{shown_builtin(func)}{chr(39) * order} is not read (deriv reads the derivative of a "
                               "builtin defined at every real number only, as \\tanh'): write the derivative itself")
    u = Dummy("u")
    derivative = diff(FUNCTIONS[func](u), u, order)
    return _entrywise(func, shown_builtin(func) + "'" * order, lambda e: derivative.subs(u, e), arg, context)


def _entrywise(func: str, shown: str, function: Callable[[Expr], Expr], arg: V.Value, context: Context) -> V.Value:
    """``function`` of a scalar, or of each entry of an array (never of a square matrix a document may
    mean as a matrix function)."""
    if arg.is_scalar:
        return V.scalar(function(arg.expr), f"{shown}({arg.text})", arg.order)
    family = builtin_family(func)
    if arg.rows == arg.cols and family in MATRIX_BUILTINS and not declared_entrywise(family, context):
        reading = MATRIX_READINGS.get(family, f"the matrix function {shown_builtin(family)}")
        raise MeaningError(
            f"{shown} of {arg.describe()}, a square matrix: this may be {reading} "
            f"(not supported) or {shown} of each entry; for each entry declare "
            f"'{family}: elementwise function' under symbols:"
        )
    return V.matrix(arg.rows, arg.cols, lambda i, j: function(arg.entry(i, j)), f"{shown}({arg.text})")


def declared_entrywise(func: str, context: Context) -> bool:
    """Whether the document declares the builtin ``func`` an elementwise function."""
    declared = context.declared.get(func)
    return declared is not None and declared.kind == Kind.ELEMENTWISE

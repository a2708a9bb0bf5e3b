"""Scalar builtins of arrays, as ML writes them.

``\\tanh(W x + b)``, ``\\exp(z)``, ``\\log(p)``, ``\\sqrt{v}`` of a vector or
a matrix are applied entry by entry: ``[\\tanh(W x + b)]_i = \\tanh([W x + b]_i)``.
``\\exp``, ``\\log`` and ``\\sqrt`` of a *square* matrix are an error: they
may be the matrix exponential, logarithm or square root, which are other
things (and not supported) -- unless the document declares the function
``elementwise function`` (``exp: elementwise function``).  ``\\tanh`` has
no such reading in ML texts and is entry by entry on every shape.  A
non-square matrix (``matrix N x M``: two size names) or a vector has only
the entrywise reading.

In: the builtin's name, its built argument and the document's context.
Out: a :class:`~deriv.meaning.values.Value` of the argument's shape.
"""

from __future__ import annotations

import sympy

from deriv.context import Context
from deriv.errors import MeaningError
from deriv.meaning import values as V
from deriv.names import MATRIX_BUILTINS, Kind

#: What each of :data:`~deriv.names.MATRIX_BUILTINS` is as a function of a square matrix.
MATRIX_READINGS = {"exp": "the matrix exponential", "log": "the matrix logarithm", "sqrt": "the matrix square root"}
assert set(MATRIX_READINGS) == MATRIX_BUILTINS


def apply_builtin(func: str, arg: V.Value, context: Context) -> V.Value:
    """``\\func(arg)`` for a builtin scalar function (``exp``, ``log``, ``tanh``, ``sqrt``)."""
    function = getattr(sympy, func)
    if arg.is_scalar:
        return V.apply_scalar_function(function, arg, func)
    if arg.rows == arg.cols and func in MATRIX_READINGS and not declared_entrywise(func, context):
        raise MeaningError(
            f"\\{func} of {arg.describe()}, a square matrix: this may be {MATRIX_READINGS[func]} "
            f"(not supported) or \\{func} of each entry; for each entry declare "
            f"'{func}: elementwise function' under symbols:"
        )
    return V.matrix(arg.rows, arg.cols, lambda i, j: function(arg.entry(i, j)), f"\\{func}({arg.text})")


def declared_entrywise(func: str, context: Context) -> bool:
    """Whether the document declares the builtin ``func`` an elementwise function."""
    declared = context.declared.get(func)
    return declared is not None and declared.kind == Kind.ELEMENTWISE

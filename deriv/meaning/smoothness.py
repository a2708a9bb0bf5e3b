"""Whether a derivative's body is smooth wherever it is defined: its :data:`~deriv.meaning.domains.KINK` says nothing.

Every derivative is recorded as a kink (:mod:`deriv.meaning.domains`), since one
written through relu or ``|u|`` may not exist at some points.  For a body built
only of operations smooth on their domain -- sums, products, whole powers,
``\\exp``, ``\\log``, the trigonometric and hyperbolic functions, declared functions
and elementwise functions and their derivatives (arbitrary smooth functions,
docs/deciding.md), entries of inverses, determinants and nested derivatives of such
bodies -- the derivative exists wherever the body
is defined, and the points where it is not are conditions of their own
(denominators, radicands).  A statement about every point (``\\nabla_x^2 (x^T A^T A x)
\\succeq 0``) was undecided because of such a kink.  Anything not on this list
(``|u|``, ``\\max``, relu and its step, a fractional power, a function this module
does not know) keeps its kink: the answer is "not known smooth", never a guess.
"""

from __future__ import annotations

import sympy
from sympy import Basic
from sympy.core.function import AppliedUndef

from deriv.context import Context
from deriv.ir import (
    Delta, Determinant, InverseEntry, MatrixArg, MatrixPower, OpaqueCall, OpaqueGrad, Partial, base_name,
    split_elementwise_name,
)
from deriv.names import Kind

#: Functions smooth on their whole domain (where SymPy's real function has a value).
_SMOOTH_FUNCTIONS: tuple[type, ...] = (
    sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.sinh, sympy.cosh, sympy.tanh,
)
#: Nodes that are smooth in their arguments, or leaves.
_SMOOTH_NODES: tuple[type, ...] = (
    sympy.Add, sympy.Mul, sympy.Symbol, sympy.Number, sympy.NumberSymbol, sympy.Indexed, sympy.IndexedBase,
    sympy.Idx, sympy.Sum, sympy.Tuple, MatrixArg, OpaqueCall, OpaqueGrad, InverseEntry, Determinant,
    MatrixPower, Partial, Delta,
)


def smooth_where_defined(expr: Basic, context: Context | None = None, seen: frozenset[str] = frozenset()) -> bool:
    """Whether every node of ``expr`` is smooth on its domain (the list above), and the value of
    every name it writes that ``context`` defines (``f`` of ``f = \\sum_i |x_i|``, a derivative's
    body writes the name); False when unsure."""
    for node in sympy.preorder_traversal(expr):
        name = node.name if isinstance(node, sympy.Symbol) else base_name(node) if isinstance(node, sympy.Indexed) else None
        if name is not None and context is not None and name not in seen:
            definition = context.definitions.get(name) or context.recurrences.get(name)
            if definition is not None and not smooth_where_defined(definition.body, context, seen | {name}):
                return False
        if isinstance(node, sympy.Pow):
            if not (node.exp.is_Integer or (node.base.is_number and node.base.is_positive)):
                return False  # u^{1/3}, u^{3/2}, u^s: not differentiable where u = 0, or unsure
        elif not isinstance(node, _SMOOTH_NODES + _SMOOTH_FUNCTIONS) and not _declared_function(node, context):
            return False
    return True


def _declared_function(node: Basic, context: Context | None) -> bool:
    """A declared function or elementwise function (or a derivative ``h'``): arbitrary smooth functions."""
    if context is None or not isinstance(node, AppliedUndef):
        return False
    declared = context.declared.get(split_elementwise_name(type(node).__name__)[0])
    return declared is not None and declared.kind in (Kind.FUNCTION, Kind.ELEMENTWISE)

"""A defined name written as applied to what it is defined from: ``L(w)`` with ``L = w^T w``.

A reader takes ``L(w)`` for ``L`` as a function of ``w`` (``L(2w)``: at ``2w``); deriv, which has no
functions but declared ones, would read the product ``L \\cdot w``, so ``L(c) = c L`` was proved.
When the bracket holds a name the definition uses (through other definitions too), or is a number
(``L(2)``), the display is an error showing both readings; a bracket of other names (``a (b + c)``
with ``a`` defined from ``x``) stays a product, and so does a defined matrix before any bracket
(``S(w - \\mu)``: no reader takes a matrix for a function there).
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Expr, Symbol

from deriv.context import ONE, Context
from deriv.errors import MeaningError
from deriv.latex import ast
from deriv.meaning.defined_names import names_in


def check_applied_definition(node: ast.Call, context: Context, depends_on: Callable[[list[Expr]], set[str]]) -> None:
    """The error for ``L(w)`` where ``L`` is defined from ``w`` (:mod:`deriv.meaning.applied_names`)."""
    name = node.func.name
    definition = context.definitions.get(name)
    if definition is None or ONE not in definition.shape:
        return  # a matrix before a bracket, S(w - \\mu), is a product to every reader
    uses = depends_on([Symbol(name)]) - {name}
    variables = sorted(n for n in uses if n in context.declared or n in context.definitions)
    shared = [n for n in variables if n in names_in(node.arg)]
    if not shared and not (isinstance(node.arg, ast.Number) and variables):  # L(2): L at 2?
        return
    raise MeaningError(
        f"{name}(...) reads two ways: {name} as a function of {(shared or variables)[0]}, which its definition "
        f"uses, evaluated there, or {name} times the bracket; deriv has functions only when declared: write "
        f"{name} for the first, {name} \\cdot (...) for the second")

"""Subscripts as index symbols: ``_{i,k}``, ``_{ik}``, ``_j``.

In: the items of a subscript (syntax tree nodes).  Out: index symbols
(:func:`deriv.ir.index`).  Shared by the builder, the derivative rules and
the definitions of entries in the front matter.
"""

from __future__ import annotations

from sympy import Symbol

from deriv.errors import UnsupportedError
from deriv.ir import index
from deriv.latex import ast
from deriv.names import GREEK


def subscript_indices(items: tuple[ast.Node, ...]) -> list[Symbol]:
    """Index symbols of a subscript: ``{i,k}``, ``{ik}``, ``j``."""
    names: list[str] = []
    for item in items:
        written = ast.juxtaposed_names(item)
        if written is None:
            raise UnsupportedError("subscripts must be index names such as i, j or {i,k}")
        names.extend(name.name for name in written)
    for name in names:
        if not (len(name) == 1 or name in GREEK):
            raise UnsupportedError(f"{name} can not be an index: indices are single letters or Greek letters")
    return [index(n) for n in names]

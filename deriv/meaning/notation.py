"""Notation beyond the core grammar: constants, roots, primes (issue 9, "read far more").

A mixin of :class:`~deriv.meaning.builder.Builder`, kept apart so each
module stays small.  Every construct here is either understood exactly or
an error that names it -- never a guess.

* ``e`` is Euler's number and ``\\pi`` is pi, unless the document declares
  or defines a name ``e`` / ``pi`` (then it is that name); ``e^{x}`` is
  therefore ``\\exp(x)``.
* ``\\sqrt[n]{x}`` is ``x^{1/n}`` for a whole ``n >= 2``; an odd root of a
  value that may be negative is an error (SymPy's ``x^{1/3}`` is the
  principal complex root, not the real one a reader means).
"""

from __future__ import annotations

import sympy
from sympy import Rational

from deriv.context import Context
from deriv.errors import MeaningError, UnsupportedError
from deriv.latex import ast
from deriv.meaning import values as V

#: Names that are constants when the document does not declare them.
CONSTANTS = {"e": sympy.E, "pi": sympy.pi}


class NotationRules:
    """Constants and roots; uses the builder's ``build`` and ``context``."""

    context: Context

    def build(self, node: ast.Node) -> V.Value:
        raise NotImplementedError

    def constant(self, node: ast.Name) -> V.Value | None:
        """``e`` or ``\\pi`` when not declared, defined or a size, else None."""
        name = node.name
        if name not in CONSTANTS or node.font not in (None, "mathrm"):
            return None
        if name in self.context.declared or name in self.context.definitions:
            return None
        if any(s.name == name for s in self.context.sizes):
            return None
        return V.scalar(CONSTANTS[name], "e" if name == "e" else "\\pi")

    def _build_root(self, node: ast.Root) -> V.Value:
        degree = node.degree
        if not (isinstance(degree, ast.Number) and degree.text.isdigit() and int(degree.text) >= 2):
            raise MeaningError("\\sqrt[n]{x} needs a whole number n >= 2, as in \\sqrt[3]{x}")
        n = int(degree.text)
        if n > 64:
            raise UnsupportedError(f"\\sqrt[{n}] is too large a root (at most 64)")
        arg = self.build(node.arg)
        if not arg.is_scalar:
            raise MeaningError(f"\\sqrt[{n}] of {arg.describe()}: only of scalars")
        if n % 2 and not arg.expr.is_nonnegative:
            raise UnsupportedError(
                f"\\sqrt[{n}]{{{arg.text}}}: an odd root of a value that may be negative is not "
                "supported (declare its entries positive, or write the power)"
            )
        return V.scalar(arg.expr ** Rational(1, n), f"\\sqrt[{n}]{{{arg.text}}}", arg.order)

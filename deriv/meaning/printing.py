r"""SymPy index expressions written as the LaTeX deriv reads: for derivations built in Python.

A member given to :class:`deriv.Derivation` as a SymPy expression is
written out in the dialect of a document, so it is read, checked and
reported exactly as if the author had typed it.  Entries are
``IndexedBase("X")[i, k]`` or a ``MatrixSymbol``'s ``W[j, k]``; sums run
from 0, SymPy's way, and are written 1-based, the document's way:

>>> from sympy import IndexedBase, KroneckerDelta, MatrixSymbol, Sum, symbols
>>> X = IndexedBase("X"); W = MatrixSymbol("W", symbols("N"), symbols("M"))
>>> i, j, k, M = symbols("i j k M")
>>> to_deriv_latex(Sum(X[i, k] * W[j, k] * KroneckerDelta(j, k), (k, 0, M - 1)))
'\\sum_{k=1}^{M} \\delta_{j,k} X_{i,k} W_{j,k}'
"""

from __future__ import annotations

import sympy
from sympy.printing.latex import LatexPrinter


class DerivLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer, with entries, deltas and sums as documents write them."""

    printmethod = "_deriv_latex"

    def _print_Indexed(self, expr: sympy.Indexed) -> str:
        return self._entry(str(expr.base.label), expr.indices)

    def _print_MatrixElement(self, expr: sympy.Expr) -> str:
        return self._entry(str(expr.parent), (expr.i, expr.j))

    def _print_MatrixSymbol(self, expr: sympy.MatrixSymbol) -> str:
        return self._name(str(expr.name))

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        return self._name(expr.name)

    def _print_Pi(self, expr: sympy.Expr) -> str:  # SymPy's own goes through _print_Symbol: \text{\Pi}
        return "\\pi"

    def _print_KroneckerDelta(self, expr: sympy.KroneckerDelta, exp: object = None) -> str:
        text = self._entry("\\delta", expr.args)
        return f"{text}^{{{self._print(exp)}}}" if exp is not None else text

    def _print_Sum(self, expr: sympy.Sum) -> str:
        heads = []
        for index, low, high in expr.limits:
            # SymPy counts from 0, a document from 1: index values shift by one.
            heads.append(rf"\sum_{{{self._print(index)}={self._print(low + 1)}}}^{{{self._print(high + 1)}}}")
        body = self._print(expr.function)
        if isinstance(expr.function, sympy.Add):
            body = rf"\left({body}\right)"  # a sum binds only up to the next + or -
        return " ".join(heads) + " " + body

    def _entry(self, name: str, indices: tuple[sympy.Expr, ...]) -> str:
        return f"{self._name(name)}_{{{','.join(self._print(i) for i in indices)}}}"

    def _name(self, name: str) -> str:
        # A Greek name is its command (lambda -> \lambda), as in the front matter.
        return super()._print_Symbol(sympy.Symbol(name)) if name.isalpha() else name


def to_deriv_latex(expr: sympy.Basic) -> str:
    """The LaTeX of a SymPy index expression, as a document would write it."""
    return DerivLatexPrinter({"mul_symbol": None}).doprint(expr)

r"""An expression the engine made, quoted in a message in the document's notation.

A message may name part of a step (the part whose value is not a
polynomial in the sizes, a condition a side lacks).  SymPy's own printing
shows the engine's internal names -- ``det(Sum(X[_k2, _col1]*X[_k2, _row1],
(_k2, 0, N - 1)))`` -- which the author never wrote; this prints deriv's
LaTeX instead (:mod:`deriv.meaning.printing`), with the engine's bound
indices given short names the expression does not use:

>>> from deriv.ir import Determinant, MatrixArg, fresh_index
>>> from sympy import IndexedBase, Sum, symbols
>>> X, N = IndexedBase("X"), symbols("N")
>>> k = fresh_index()
>>> arg = MatrixArg.from_entry(lambda r, c: Sum(X[k, r] * X[k, c], (k, 0, N - 1)), N, N)
>>> message_latex(Determinant(arg))
'\\det\\left(\\left[\\sum_{k=1}^{N} X_{k,c} X_{k,r}\\right]_{r,c}\\right)'
"""

from __future__ import annotations

import itertools

import sympy

from deriv.ir import Determinant, InverseEntry, MatrixArg, OpaqueCall, Partial, ReluStep
from deriv.meaning.printing import DerivLatexPrinter

#: Names tried, in order, for an internal index whose own hint is taken.
SPARE = "klmpqstuvw"


class MessagePrinter(DerivLatexPrinter):
    """deriv's LaTeX, with the engine's whole-matrix arguments written as matrices."""

    def _print_ReluStep(self, expr: ReluStep) -> str:
        return rf"\operatorname{{relu}}'\left({self._print(expr.args[0])}\right)"

    def _print_Determinant(self, expr: Determinant) -> str:
        body = expr.arg.body
        if isinstance(body, sympy.Indexed) and set(body.indices) == {expr.arg.row, expr.arg.col}:
            return rf"\det({self._name(str(body.base.label))})"  # \det X^T is \det X, as the author wrote it
        return rf"\det\left({self._matrix(expr.arg)}\right)"

    def _print_OpaqueCall(self, expr: OpaqueCall) -> str:
        arg = expr.arg
        whole = arg.body.has(arg.row) or arg.body.has(arg.col)  # else a scalar argument
        inner = self._matrix(arg) if whole else self._print(arg.body)
        return rf"{self._name(expr.name)}\left({inner}\right)"

    def _print_Partial(self, expr: Partial) -> str:
        return rf"\frac{{\partial}}{{\partial {self._print(expr.var)}}} \left({self._print(expr.body)}\right)"

    def _print_InverseEntry(self, expr: InverseEntry) -> str:
        i, j = expr.position
        return rf"\left({self._matrix(expr.arg)}^{{-1}}\right)_{{{self._print(i)},{self._print(j)}}}"

    def _matrix(self, arg: MatrixArg) -> str:
        body = arg.body
        if isinstance(body, sympy.Indexed) and len(body.indices) == 2:
            if body.indices == (arg.row, arg.col):
                return self._name(str(body.base.label))
            if body.indices == (arg.col, arg.row):
                return self._name(str(body.base.label)) + "^{T}"
        if isinstance(body, InverseEntry) and body.position == (arg.row, arg.col):
            return f"{self._matrix(body.arg)}^{{-1}}"
        return rf"\left[{self._print(body)}\right]_{{{self._print(arg.row)},{self._print(arg.col)}}}"


def _hint(name: str) -> str:
    """The letter an internal name suggests: ``_row1`` -> r, ``_col2`` -> c, ``_k17`` -> k."""
    stem = name.lstrip("_").rstrip("0123456789")
    return {"row": "r", "col": "c", "bound": "k"}.get(stem, stem[:1] or "k")


def readable(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with each internal symbol (``_k2``, ``_row1``) renamed to a letter it does not use."""
    symbols = expr.atoms(sympy.Symbol)
    taken = {s.name for s in symbols if not s.name.startswith("_")}
    renamed: dict = {}
    for s in sorted((s for s in symbols if s.name.startswith("_")), key=lambda s: s.name):
        choice = next(n for n in itertools.chain((_hint(s.name), *SPARE), (f"k{d}" for d in itertools.count(1)))
                      if n not in taken)
        taken.add(choice)
        renamed[s] = sympy.Symbol(choice, integer=True)
    return expr.xreplace(renamed)


def message_latex(expr: sympy.Basic) -> str:
    """The LaTeX of an engine expression, as a message quotes it."""
    return MessagePrinter({"mul_symbol": None}).doprint(readable(expr))

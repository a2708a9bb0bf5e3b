"""The builtin scalar functions as SymPy expressions (issue 20, item 4).

``\\exp``, ``\\log``, ``\\tanh``, ``\\sqrt`` and the trigonometric, hyperbolic,
inverse and error functions, each by its builtin name
(:data:`~deriv.names.SCALAR_FUNCTIONS`).  What a function *is* decides its
domain, so a reading never widens one:

* ``\\tan``, ``\\cot``, ``\\sec``, ``\\csc`` are quotients of ``\\sin`` and
  ``\\cos`` -- defined exactly where those quotients are -- and ``\\log_2 x``,
  ``\\log_{10} x`` are ``\\log x / \\log 2``, ``\\log x / \\log 10``;
* ``\\arcsin``, ``\\arccos`` (on ``[-1, 1]``, their derivatives on ``(-1, 1)``) and
  ``\\operatorname{arctanh}`` (on ``(-1, 1)``) are classes of our own, not SymPy's
  ``asin``, ``acos``, ``atanh``: SymPy turns ``sin(asin(x))`` into ``x`` for
  every ``x``, where the left side is undefined past 1, and the tester would
  then never see the ``\\arcsin``;
* ``\\sin``, ``\\cos``, ``\\sinh``, ``\\cosh``, ``\\arctan``, ``\\operatorname{erf}``
  are SymPy's, defined everywhere (what SymPy evaluates of them --
  ``sin(-x) = -sin(x)``, ``cos(atan(x)) = 1/sqrt(1 + x^2)`` -- holds on the reals).

In: a builtin's name.  Out: the function that builds it of one SymPy argument.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import Expr

from deriv.errors import MeaningError
from deriv.names import SCALAR_FUNCTIONS


class _Odd(sympy.Function):
    """A one-argument function with ``f(0) = 0`` and ``f(-u) = -f(u)`` (nothing else evaluated)."""

    nargs = 1

    @classmethod
    def eval(cls, u: Expr) -> Expr | None:
        if u is sympy.S.Zero:
            return sympy.S.Zero
        if u.could_extract_minus_sign():
            return -cls(-u)
        return None


class arcsin(_Odd):
    """``arcsin``: defined on ``[-1, 1]``, differentiable inside."""

    def fdiff(self, argindex: int = 1) -> Expr:
        return 1 / sympy.sqrt(1 - self.args[0] ** 2)


class arctanh(_Odd):
    """``arctanh``: defined on ``(-1, 1)``."""

    def fdiff(self, argindex: int = 1) -> Expr:
        return 1 / (1 - self.args[0] ** 2)


class arccos(sympy.Function):
    """``arccos``: defined on ``[-1, 1]``, differentiable inside."""

    nargs = 1

    @classmethod
    def eval(cls, u: Expr) -> Expr | None:
        if u is sympy.S.Zero:
            return sympy.pi / 2
        if u.could_extract_minus_sign():
            return sympy.pi - cls(-u)
        return None

    def fdiff(self, argindex: int = 1) -> Expr:
        return -1 / sympy.sqrt(1 - self.args[0] ** 2)


def _quotient(top: Callable[[Expr], Expr] | None, bottom: Callable[[Expr], Expr]) -> Callable[[Expr], Expr]:
    """``top(u) / bottom(u)`` (``1 / bottom(u)`` without a top)."""
    return lambda u: (top(u) if top is not None else sympy.S.One) / bottom(u)


def _log_to(base: int) -> Callable[[Expr], Expr]:
    return lambda u: sympy.log(u) / sympy.log(base)


#: Builtin name -> its SymPy form of one argument.
FUNCTIONS: dict[str, Callable[[Expr], Expr]] = {
    "exp": sympy.exp, "log": sympy.log, "tanh": sympy.tanh, "sqrt": sympy.sqrt,
    "sin": sympy.sin, "cos": sympy.cos, "sinh": sympy.sinh, "cosh": sympy.cosh,
    "tan": _quotient(sympy.sin, sympy.cos), "cot": _quotient(sympy.cos, sympy.sin),
    "sec": _quotient(None, sympy.cos), "csc": _quotient(None, sympy.sin),
    "arctan": sympy.atan, "arcsin": arcsin, "arccos": arccos, "arctanh": arctanh, "erf": sympy.erf,
    "log2": _log_to(2), "log10": _log_to(10),
}
assert set(FUNCTIONS) == SCALAR_FUNCTIONS

#: Our own classes (the engine evaluates them by their Taylor series).
OWN_CLASSES = (arcsin, arccos, arctanh)


def keeps_domain(written: Expr, built: Expr, shown: str) -> Expr:
    """``built`` (SymPy's value of ``written``), unless SymPy evaluated a logarithm away whose
    argument is not known positive: ``exp(log(u))`` is ``u`` and ``e^{2 \\log u}`` is ``u^2`` for
    every ``u`` there, where the written value is undefined at ``u <= 0`` -- a silent widening
    the tester would never see.  Then an error that says so."""
    for log in written.atoms(sympy.log) - built.atoms(sympy.log):
        if not _positive(log.args[0]):
            raise MeaningError(
                f"{shown} is defined only where the argument of its logarithm, {log.args[0]}, is positive, "
                "which it may not be; declare what it is made of positive (such as 'x: positive scalar')"
            )
    return built


def _positive(u: Expr) -> bool:
    """Whether SymPy shows ``u > 0`` with every name and entry in it real (``x^2 + 1``,
    ``1 + exp(x)``; a name declared positive stays positive)."""
    names = [a for a in u.atoms(sympy.Symbol, sympy.Indexed) if not (isinstance(a, sympy.Symbol) and a.is_integer)]
    real = {a: sympy.Dummy(real=True, positive=True if a.is_positive else None) for a in names}
    return u.xreplace(real).is_positive is True

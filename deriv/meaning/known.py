"""Functions declared by kind (``sigma: logistic``), expanded to their definitions.

In: the kind of a declared function, the number of primes written on it
and the built argument.  Out: a :class:`~deriv.meaning.values.Value` whose
entries are the SymPy definition, so the symbolic side and the certified
tester both know the function (and its derivatives) without being told:

* ``logistic``: ``1/(1 + exp(-x))``; ``softplus``: ``log(1 + exp(x))``;
  ``tanh``: ``tanh(x)``; each entry by entry;
* ``relu``: ``Max(0, x)``.  It is not differentiable at 0: its derivative is
  taken to be the Heaviside step (any value at 0 would do; the tester's
  draws are never exactly 0, and a ball straddling 0 is reported as a
  precision problem, never guessed);
* ``softmax``: a vector to a vector, ``softmax(z)_i = exp(z_i) / sum_j exp(z_j)``;
  ``softmax over rows`` (``over columns``): a matrix whose every row (column)
  is the softmax of the argument's, as attention writes ``softmax(Q K^T / sqrt(d))``.
  Primes on them are an error (write the Jacobian as a partial derivative).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import Expr, Sum

from deriv.context import ONE
from deriv.errors import MeaningError
from deriv.ir import ReluStep, fresh_index
from deriv.meaning import values as V
from deriv.names import SOFTMAX_KINDS, Kind

_X = sympy.Symbol("_known_x", real=True)

_DEFINITIONS: dict[Kind, Expr] = {
    Kind.LOGISTIC: 1 / (1 + sympy.exp(-_X)),
    Kind.SOFTPLUS: sympy.log(1 + sympy.exp(_X)),
    Kind.TANH: sympy.tanh(_X),
    Kind.RELU: sympy.Max(0, _X),
}

#: Derivatives beyond this many primes are not expanded (they grow quickly).
MAX_PRIMES = 4


def scalar_function(kind: Kind, primes: int) -> Callable[[Expr], Expr]:
    """The entrywise function ``kind`` differentiated ``primes`` times."""
    if primes > MAX_PRIMES:
        raise MeaningError(f"at most {MAX_PRIMES} primes on a declared {kind} function")
    body = _DEFINITIONS[kind]
    for _ in range(primes):
        body = _relu_derivative(body) if kind == Kind.RELU else sympy.diff(body, _X)
    if kind == Kind.RELU and primes:
        return _step_at(body)
    return lambda x: body.subs(_X, x)


def _step_at(body: Expr) -> Callable[[Expr], Expr]:
    def step(x: Expr) -> Expr:
        if x.is_number:  # SymPy's Heaviside(0) is 1/2: a convention, not a fact
            raise MeaningError(f"relu' at the number {x}: relu is not differentiable at 0 "
                               "and its derivative is only used at a variable")
        return body.subs(_X, x)
    return step


def _relu_derivative(body: Expr) -> Expr:
    # d/dx Max(0, x) is the Heaviside step; its derivative is zero off 0
    # (the DiracDelta at 0 is a point the draws never hit, and is refused).
    if body == _DEFINITIONS[Kind.RELU]:
        return ReluStep(_X)
    raise MeaningError("relu'' is not defined: relu' is a step, whose derivative is zero except at 0")


def apply(kind: Kind, name: str, primes: int, arg: V.Value) -> V.Value:
    """``name(arg)`` (``name'(arg)`` for ``primes`` = 1) for ``name`` declared as ``kind``."""
    written = f"{name}{chr(39) * primes}({arg.text})"
    if kind in SOFTMAX_KINDS:
        return _softmax(kind, name, primes, arg, written)
    function = scalar_function(kind, primes)
    if arg.is_scalar:
        return V.scalar(function(arg.expr), written, arg.order)
    return V.matrix(arg.rows, arg.cols, lambda i, j: function(arg.entry(i, j)), written)


def _softmax(kind: Kind, name: str, primes: int, arg: V.Value, written: str) -> V.Value:
    if primes:
        raise MeaningError(
            f"{written}: {name} maps a vector to a vector; write its Jacobian as "
            f"\\frac{{\\partial {name}(z)_i}}{{\\partial z_j}}"
        )
    over_rows = _softmax_axis(kind, name, arg)
    k = fresh_index("k")

    def total(i: Expr, j: Expr) -> Expr:  # along the row of (i, j), or down its column
        if over_rows:
            return Sum(sympy.exp(arg.entry(i, k)), (k, 0, arg.cols - 1))
        return Sum(sympy.exp(arg.entry(k, j)), (k, 0, arg.rows - 1))

    return V.matrix(arg.rows, arg.cols, lambda i, j: sympy.exp(arg.entry(i, j)) / total(i, j), written)


def _softmax_axis(kind: Kind, name: str, arg: V.Value) -> bool:
    """Whether ``name(arg)`` normalises each row (else each column); an error
    when the declaration does not say which way, or says a way that would
    make every entry 1 (each row of a column vector is one entry)."""
    if arg.is_scalar:
        raise MeaningError(f"{name} (softmax) of {arg.describe()}: only of a vector or a matrix")
    vector = ONE in arg.shape
    if kind == Kind.SOFTMAX:
        if arg.cols == ONE:
            return False
        row = "a row vector" if vector else "a matrix"
        raise MeaningError(
            f"{name} (softmax) of {arg.describe()}, {row}: declare which way it normalises, "
            f"'{name}: softmax over rows' (each row sums to 1, as attention's) or '{name}: softmax over columns'"
        )
    over_rows = kind == Kind.SOFTMAX_ROWS
    if vector and (arg.cols == ONE) == over_rows:
        what = "column" if arg.cols == ONE else "row"
        raise MeaningError(
            f"{name} ({kind}) of {arg.describe()}, a {what} vector: each of its "
            f"{'rows' if over_rows else 'columns'} is one entry, so every entry would be 1; "
            f"declare a softmax over the vector ('softmax' or 'softmax over {'columns' if over_rows else 'rows'}')"
        )
    return over_rows

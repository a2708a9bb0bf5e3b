"""Symbolic partial derivatives of index expressions, by rule.

``d(E)/d(W[m, n])`` of an entry ``W[i, k]`` is ``delta(i, m) delta(k, n)``;
sums, products, powers, elementwise and opaque functions follow the usual
rules.  A defined name is differentiated through its definition unless it
is itself the variable: then, as in backpropagation, it is the variable
and everything else is held fixed.  The random tester never uses this code.
"""

from __future__ import annotations

import sympy
from sympy import Expr, Indexed, Sum, Symbol
from sympy.core.function import AppliedUndef

from deriv.meaning.message_text import message_latex
from deriv.context import Context
from deriv.errors import UnsupportedError
from deriv.engine.matrix_powers import matrix_power_slope
from deriv.engine.products import product_slope
from deriv.engine.recurrence import member_slope
from deriv.engine.inverse_rules import determinant_slope, inverse_slope
from deriv.ir import (
    Determinant,
    InverseEntry,
    base_name,
    contains,
    MatrixArg,
    MatrixPower,
    OpaqueCall,
    OpaqueGrad,
    Partial,
    ReluStep,
    delta_product,
    elementwise,
    fresh_index,
    split_elementwise_name,
    substituted,
    sum_of,
)

ZERO = sympy.S.Zero


def variable_name(var: Expr) -> str:
    """The declared or defined name a differentiation variable belongs to."""
    if isinstance(var, Indexed):
        return base_name(var)
    if isinstance(var, Symbol):
        return var.name
    raise UnsupportedError(f"cannot differentiate with respect to {var}")


class Differentiator:
    """Differentiates with respect to one variable under a context's definitions."""

    def __init__(self, context: Context, var: Expr) -> None:
        self.context = context
        self.var = var
        self.var_name = variable_name(var)
        self._reaches: dict[str, bool] = {}

    def reaches(self, name: str) -> bool:
        """Whether ``name`` depends on the variable's name (through definitions)."""
        if name == self.var_name:
            return True
        if name not in self._reaches:
            self._reaches[name] = self.var_name in self.context.dependencies(name)
        return self._reaches[name]

    def mentions_variable(self, expr: Expr) -> bool:
        from deriv.context import names_in

        return any(self.reaches(n) for n in names_in(expr))

    def d(self, expr: Expr) -> Expr:
        """The partial derivative of ``expr``."""
        if not self.mentions_variable(expr):
            return ZERO
        if isinstance(expr, Indexed):
            return self._entry(expr)
        if isinstance(expr, Symbol):
            return self._scalar(expr)
        if isinstance(expr, sympy.Add):
            return sympy.Add(*(self.d(a) for a in expr.args))
        if isinstance(expr, sympy.Mul):
            return self._product(expr.args)
        if isinstance(expr, sympy.Pow):
            return self._power(expr)
        if isinstance(expr, Sum):
            return self._sum(expr)
        if isinstance(expr, sympy.Product):
            return product_slope(self, expr)
        if isinstance(expr, MatrixPower):
            return matrix_power_slope(self, expr)
        if isinstance(expr, OpaqueCall):
            return self._opaque(expr)
        if isinstance(expr, AppliedUndef):
            return self._elementwise(expr)
        if isinstance(expr, InverseEntry):
            return inverse_slope(expr, self.d)
        if isinstance(expr, Determinant):
            return determinant_slope(expr, self.d)
        if isinstance(expr, OpaqueGrad):
            raise UnsupportedError("second derivatives of an opaque function are not supported")
        if isinstance(expr, Partial):
            raise UnsupportedError("nested derivatives are not supported")
        if isinstance(expr, sympy.Max) and len(expr.args) == 2 and sympy.S.Zero in expr.args:
            # relu: the step (at u = 0 any value in [0, 1], the subgradient: engine/kinks.py)
            (u,) = (a for a in expr.args if a != 0)
            return ReluStep(u) * self.d(u)
        if isinstance(expr, sympy.Function) and len(expr.args) == 1:
            return expr.fdiff(1) * self.d(expr.args[0])
        raise UnsupportedError(f"cannot differentiate {message_latex(expr)}")

    def _entry(self, expr: Indexed) -> Expr:
        name = base_name(expr)
        if name in self.context.recurrences:
            return member_slope(self, expr)
        if name == self.var_name:
            if not isinstance(self.var, Indexed) or len(self.var.indices) != len(expr.indices):
                raise UnsupportedError(f"{message_latex(self.var)} and {message_latex(expr)} index {name} differently")
            return delta_product(zip(expr.indices, self.var.indices))
        definition = self.context.definitions.get(name)
        if definition is None:
            return ZERO
        return self.d(definition.at(*expr.indices))

    def _scalar(self, expr: Symbol) -> Expr:
        if expr.name == self.var_name:
            return sympy.S.One
        definition = self.context.definitions.get(expr.name)
        return ZERO if definition is None else self.d(definition.body)

    def _product(self, factors: tuple[Expr, ...]) -> Expr:
        terms = []
        for k, factor in enumerate(factors):
            slope = self.d(factor)
            if slope != 0:
                terms.append(sympy.Mul(*factors[:k], slope, *factors[k + 1 :]))
        return sympy.Add(*terms)

    def _power(self, expr: sympy.Pow) -> Expr:
        base, exponent = expr.args
        if self.mentions_variable(exponent):
            return expr * (self.d(exponent) * sympy.log(base) + exponent * self.d(base) / base)
        return exponent * base ** (exponent - 1) * self.d(base)

    def _sum(self, expr: Sum) -> Expr:
        # Rename bound indices first: the variable's own indices (m, n) must
        # never be captured by a sum over an index of the same name.
        renaming = {limit[0]: fresh_index(str(limit[0]).lstrip("_")) for limit in expr.limits}
        body = substituted(expr.function, renaming)
        limits = [(renaming[v], lo, hi) for v, lo, hi in expr.limits]
        slope = self.d(body)
        return ZERO if slope == 0 else sum_of(slope, *limits)

    def _opaque(self, expr: OpaqueCall) -> Expr:
        arg: MatrixArg = expr.arg
        row, col = fresh_index("r"), fresh_index("c")
        i = row if arg.rows != 1 else sympy.S.Zero
        j = col if arg.cols != 1 else sympy.S.Zero
        slope = self.d(arg.entry(i, j))
        if slope == 0:
            return ZERO
        term = OpaqueGrad(Symbol(expr.name), arg, i, j) * slope
        limits = [(v, 0, n - 1) for v, n in ((row, arg.rows), (col, arg.cols)) if n != 1]
        return sum_of(term, *limits) if limits else term

    def _elementwise(self, expr: AppliedUndef) -> Expr:
        if len(expr.args) != 1:
            raise UnsupportedError(f"{expr.func} takes one argument")
        name, order = split_elementwise_name(expr.func.__name__)
        return elementwise(name, order + 1)(expr.args[0]) * self.d(expr.args[0])


def differentiate(expr: Expr, var: Expr, context: Context) -> Expr:
    """``d expr / d var`` under the context's definitions."""
    return Differentiator(context, var).d(expr)


def evaluate_partials(expr: Expr, context: Context, memo: dict | None = None) -> Expr:
    """Replace every :class:`Partial` by its derivative, innermost first.

    ``memo`` (expression -> result, for one context) lets the members of a
    chain, which share most of their subexpressions, share this work: a
    remembered result differs from a recomputed one at most in the names of
    its fresh summed indices.
    """
    return _remembered(_evaluate_partials, expr, context, {} if memo is None else memo)


def _evaluate_partials(expr: Expr, context: Context, memo: dict) -> Expr:
    # A node without a derivative inside is returned as it is, without walking it:
    # :func:`~deriv.ir.contains` remembers what each subtree holds.
    if not contains(expr, Partial):
        return expr
    if isinstance(expr, Partial):
        body = evaluate_partials(expr.body, context, memo)
        return differentiate(body, expr.var, context)
    if isinstance(expr, MatrixArg):
        body = evaluate_partials(expr.body, context, memo)
        return expr if body is expr.body or body == expr.body else expr.func(body, *expr.args[1:])
    if not expr.args:
        return expr
    args = tuple(evaluate_partials(a, context, memo) for a in expr.args)
    if all(new is old or new == old for new, old in zip(args, expr.args)):
        return expr  # (equal: an equal subtree built apart, remembered first)
    return _rebuilt(expr, args)


def expand_definitions(expr: Expr, context: Context, memo: dict | None = None) -> Expr:
    """Replace defined names by their definitions, everywhere.

    Run after :func:`evaluate_partials`: once no derivative is left, a
    defined name is only an abbreviation, also inside the argument of an
    opaque function (``g(Y)`` and ``g(h(X))`` are one thing when ``Y = h(X)``).
    ``memo`` (expression -> result, for one context) shares the work between
    calls.
    """
    return _remembered(_expand_definitions, expr, context, {} if memo is None else memo)


def _remembered(compute, expr: Expr, context: Context, memo: dict) -> Expr:
    found = memo.get(expr)
    if found is None:
        found = memo[expr] = compute(expr, context, memo)
    return found


def _expand_definitions(expr: Expr, context: Context, memo: dict) -> Expr:
    if isinstance(expr, Indexed):
        definition = context.definitions.get(base_name(expr))
        if definition is not None:
            return expand_definitions(definition.at(*expr.indices), context, memo)
        return expr
    if isinstance(expr, Symbol):
        definition = context.definitions.get(expr.name)
        if definition is not None and not definition.params:
            return expand_definitions(definition.body, context, memo)
        return expr
    if isinstance(expr, MatrixArg):
        body = expand_definitions(expr.body, context, memo)
        # Rebuilt, not patched: the expanded body may nest arguments of its own.
        return MatrixArg.from_entry(lambda r, c: substituted(body, {expr.row: r, expr.col: c}), expr.rows, expr.cols)
    if not expr.args:
        return expr
    args = tuple(expand_definitions(a, context, memo) for a in expr.args)
    if all(new is old for new, old in zip(args, expr.args)):
        return expr  # nothing defined inside: not rebuilt (SymPy's constructors are slow)
    return _rebuilt(expr, args)


def _rebuilt(expr: Expr, args: tuple) -> Expr:
    """``expr.func(*args)``; a sum through :func:`~deriv.ir.sum_of` (the same object, cheaper)."""
    if type(expr) is Sum:
        return sum_of(*args)
    return expr.func(*args)

"""How large the exact numbers in an expression can get, estimated before they are built.

SymPy computes ``(10^{64})^{64}`` exactly, and a tower of such powers (or a
chain of definitions each squaring the one before) has more digits than
memory holds; the multiplication runs in C, where no time budget can stop
it.  So a power is refused *before* it is built when its result would be
too large, and every member and definition is refused when the exact
numbers in it (defined names counted at their definitions' size) pass the
limit.  The limit stays below Python's 4300-digit limit on printing an
integer, so every number deriv accepts can also be shown.
"""

from __future__ import annotations

import math

from sympy import Add, Expr, Indexed, Mul, Pow, Rational, Symbol

from deriv.context import Context
from deriv.errors import UnsupportedError
from deriv.ir import base_name

MAX_DIGITS = 4000
MAX_BITS = int(MAX_DIGITS * math.log2(10))
#: The largest exponent a power may have (literal or through definitions).
MAX_EXPONENT = 64


class Magnitudes:
    """Bit sizes of the exact numbers expressions hold, under a context's definitions."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def bits(self, expr: Expr) -> int:
        """An upper bound on the bits of the exact numbers ``expr`` evaluates to.

        Symbols that are not defined count as small (their values are drawn
        by the tester, which has its own limits).
        """
        if isinstance(expr, Rational):
            return max(abs(expr.p).bit_length(), expr.q.bit_length(), 1)
        if isinstance(expr, Symbol):
            return self._definition_bits(expr.name) if not expr.is_integer else 1
        if isinstance(expr, Indexed):
            return self._definition_bits(base_name(expr))
        if isinstance(expr, Pow):
            base, exponent = expr.args
            value = self.exponent_value(exponent)
            if value is None:
                return self.bits(base) + self.bits(exponent)
            size, scale = self.bits(base), abs(value)
            return max(1, -(-size * scale.p // scale.q))
        if isinstance(expr, Mul):
            return sum(self.bits(a) for a in expr.args)
        if isinstance(expr, Add):
            return max(self.bits(a) for a in expr.args) + len(expr.args).bit_length()
        return max((self.bits(a) for a in expr.args if isinstance(a, Expr)), default=1)

    def exponent_value(self, exponent: Expr) -> Rational | None:
        """The exponent's number, also through defined scalars; None if it is not one."""
        seen = 0
        while isinstance(exponent, Symbol) and not exponent.is_integer and seen < len(self.context.definitions) + 1:
            definition = self.context.definitions.get(exponent.name)
            if definition is None or definition.params:
                return None
            exponent, seen = definition.body, seen + 1
        return exponent if isinstance(exponent, Rational) else None

    def _definition_bits(self, name: str) -> int:
        # Each definition's size was estimated once, when it was built.
        definition = self.context.definitions.get(name)
        return 1 if definition is None else definition.bits

    def check(self, expr: Expr, what: str = "this expression") -> int:
        """The bits of ``expr``; raises when they pass the limit."""
        bits = self.bits(expr)
        if bits > MAX_BITS:
            raise UnsupportedError(f"the exact numbers in {what} would have more than {MAX_DIGITS} digits")
        return bits

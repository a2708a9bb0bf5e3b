"""Names as authors spell them: primes, accents, ``T``, words (issue 9).

A mixin of :class:`~deriv.meaning.builder.Builder`.  ``y'``, ``\\hat{y}``,
``\\mathrm{lr}`` are names of their own, declared under ``symbols:`` as
written; an undeclared one is an error naming it, never the plain ``y``.
A declared ``T`` is a name wherever ``^T`` is not the transpose.
"""

from __future__ import annotations

from deriv.context import Context
from deriv.errors import MeaningError
from deriv.latex import ast
from deriv.meaning import values as V
from deriv.names import Kind


class SpelledNames:
    """Uses the builder's ``context`` and ``name_value``."""

    context: Context

    def name_value(self, node: ast.Name) -> V.Value:
        raise NotImplementedError

    def _check_scalar_transpose(self, value: V.Value) -> None:
        """With a declared scalar ``T``, ``a^T`` of a scalar ``a`` could be the
        power: an error rather than the (no-op) transpose."""
        declared = self.context.declared.get("T")
        if value.is_scalar and declared is not None and declared.kind == Kind.SCALAR:
            raise MeaningError(f"{value.text}^T: {value.text} is a scalar and T a declared scalar, so this may be "
                               f"a power; write {value.text}^{{(T)}} for the power")

    def _names_an_array(self, name: str) -> bool:
        """Whether ``name`` (``y'``) is itself declared or defined, not as a function."""
        declared = self.context.declared.get(name)
        return name in self.context.definitions or (declared is not None and not declared.is_function)

    def _build_prime(self, node: ast.Prime) -> V.Value:
        """``y'`` is a name of its own when declared (never ``y``); ``h'`` of a
        declared function must be applied."""
        primes = "'" * node.order
        name = f"{node.base.name}{primes}"
        if self._names_an_array(name):
            return self.name_value(ast.Name(name, node.column, node.base.font))
        declared = self.context.declared.get(node.base.name)
        if declared is None or not declared.is_function:
            raise MeaningError(f"unknown name {name}: declare it under symbols: or define it "
                               f"({name} is a name of its own, not {node.base.name})")
        raise MeaningError(f"{name} must be applied, as in {name}(x)")

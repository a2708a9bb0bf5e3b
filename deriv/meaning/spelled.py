"""Names as authors spell them: primes, accents, ``T``, words.

A mixin of :class:`~deriv.meaning.builder.Builder`.  ``y'``, ``\\hat{y}``,
``\\mathrm{lr}`` are names of their own, declared under ``symbols:`` as
written; an undeclared one is an error naming it, never the plain ``y``.
A declared ``T`` is a name wherever ``^T`` is not the transpose.
"""

from __future__ import annotations

import dataclasses

from deriv.context import ONE
from deriv.errors import MeaningError
from deriv.ir import delta
from deriv.latex import ast
from deriv.latex.ast import visits
from deriv.latex.render import render
from deriv.meaning import values as V
from deriv.names import Kind
from deriv.meaning.builder_base import BuilderBase


class SpelledNames(BuilderBase):
    """Uses the builder's ``context`` and ``name_value``."""

    def _check_scalar_transpose(self, value: V.Value, node: ast.Scripted | None = None) -> None:
        """With a scalar or a size named ``T`` (a horizon), ``a^T`` of a scalar
        ``a`` could be the power (``\\gamma^T``): an error rather than the
        (no-op) transpose.  ``^\\top`` is never a power.  So is ``x_i^T`` (``node``,
        an entry of a vector ``x``: ``\\sum_i x_i^T`` is a sum of powers to a
        reader), while a matrix's ``W_{k,j}^T`` stays an entry of ``W^T``."""
        entry = node is not None and node.sub is not None
        if not (value.is_scalar or entry and ONE in (value.rows, value.cols)):
            return
        what = self._what_t_names()
        if what is None:
            return
        text = render(ast.Scripted(node.base, sub=node.sub)) if entry and node is not None else value.text
        raise MeaningError(f"{text}^T: {text} is a scalar and T {what}, so this may be "
                           f"a power; write {text}^{{(T)}} for the power, or {text}^\\top for the transpose")

    def _what_t_names(self) -> str | None:
        """``a declared scalar`` or ``a size`` where ``T`` is one, else None."""
        declared = self.context.declared.get("T")
        if declared is not None and declared.kind == Kind.SCALAR:
            return "a declared scalar"
        return "a size" if any(s.name == "T" for s in self.context.sizes) else None

    def names_t(self) -> bool:
        """Whether ``T`` names a declared scalar, a definition or a size (``X^{-T}`` may then be a power)."""
        declared = self.context.declared.get("T")
        return ((declared is not None and declared.kind == Kind.SCALAR) or "T" in self.context.definitions
                or any(s.name == "T" for s in self.context.sizes))

    def _names_an_array(self, name: str) -> bool:
        """Whether ``name`` (``y'``) is itself declared or defined, not as a function."""
        declared = self.context.declared.get(name)
        return name in self.context.definitions or (declared is not None and not declared.is_function)

    def primed_as_name(self, node: ast.Node) -> ast.Node:
        """``y'`` (or ``y'_k``) as the name ``y'`` when ``y'`` is declared or defined."""
        base = node.base if isinstance(node, ast.Scripted) else node
        if not isinstance(base, ast.Prime):
            return node
        name = base.base.name + "'" * base.order
        if not self._names_an_array(name):
            return node
        named = ast.Name(name, base.column, base.base.font)
        return dataclasses.replace(node, base=named) if isinstance(node, ast.Scripted) else named

    @visits(ast.Prime)
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

    def _slice(self, name: str, items: tuple[ast.Node, ...]) -> V.Value:
        """``y_i`` for ``y: rows of Y``: row ``i`` of ``Y`` as a column vector."""
        declared = self.context.declared[name]
        assert declared.of is not None  # a slice kind names the array it is a slice of
        indices = self.index_symbols(items)
        if len(indices) != 1:
            raise MeaningError(f"{name} ({declared.kind} of {declared.of}) takes one index, as in {name}_i")
        (i,) = indices
        target = self.name_value(ast.Name(declared.of))
        where = f"{name}_{{{self.uses.shown(i.name)}}}"
        if declared.kind == Kind.ROWS:
            self.uses.use(i.name, target.rows, where)
            return V.matrix(target.cols, ONE, lambda r, c: target.entry(i, r), where)
        self.uses.use(i.name, target.cols, where)
        return V.matrix(target.rows, ONE, lambda r, c: target.entry(r, i), where)

    def _delta(self, node: ast.Scripted) -> V.Value:
        indices = self.index_symbols(node.sub or ())
        if len(indices) != 2:
            raise MeaningError("\\delta takes two indices, as in \\delta_{j,m}")
        a, b = indices
        where = f"\\delta_{{{self.uses.shown(a.name)},{self.uses.shown(b.name)}}}"
        self.uses.link(a.name, b.name, where)
        return V.scalar(delta(a, b), where, (a, b))

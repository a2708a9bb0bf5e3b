"""What the parts of the builder may use of one another.

:class:`~deriv.meaning.builder.Builder` is assembled from mixins (entries,
literals, implicit shapes, spelled names, derivatives, differentials,
notation, broadcasts), each of which calls methods another one defines.
They all derive from :class:`BuilderBase`, which states that shared state
and those methods once, so a type checker knows what ``self`` has in every
mixin.  Being the last of the builder's bases, its stubs shadow nothing:
every call reaches the mixin or the builder that defines the method.
"""

from __future__ import annotations

from sympy import Symbol

from deriv.context import Context
from deriv.latex import ast
from deriv.latex.ast import Visitor
from deriv.meaning import values as V
from deriv.meaning.ranges import IndexUses
from deriv.names import Family


class BuilderBase(Visitor[V.Value]):
    """The builder's state and the methods its mixins call across one another."""

    context: Context
    #: Where each index is used, to infer the ranges of free and summed indices.
    uses: IndexUses
    #: The dummy each summed index name stands for in the sum being built.
    scope: dict[str, Symbol]

    def build(self, node: ast.Node) -> V.Value:
        """The value of a syntax tree node (:class:`~deriv.meaning.builder.Builder`)."""
        raise NotImplementedError

    def name_value(self, node: ast.Name) -> V.Value:
        raise NotImplementedError

    def quotient(self, a: V.Value, b: V.Value) -> V.Value:
        raise NotImplementedError

    def product_value(self, node: ast.Product) -> V.Value:
        raise NotImplementedError

    def _size_symbol(self, name: str) -> Symbol | None:
        raise NotImplementedError

    def check_index_name(self, name: str) -> None:
        raise NotImplementedError

    # -- entries (:class:`~deriv.meaning.entries.Entries`) -------------------------------
    def select_entry(self, value: V.Value, items: tuple[ast.Node, ...]) -> V.Value:
        raise NotImplementedError

    def index_symbols(self, items: tuple[ast.Node, ...]) -> list[Symbol]:
        raise NotImplementedError

    def family_of(self, name: str) -> Family | None:
        raise NotImplementedError

    # -- derivatives (:mod:`deriv.meaning.derivatives`, :mod:`deriv.meaning.differentials`)
    def derivative(self, body: V.Value, den: ast.Node | None, den_node: ast.Node) -> V.Value:
        raise NotImplementedError

    def derivative_request(self, node: ast.Node) -> tuple[ast.Node | None, list[ast.Node]] | None:
        raise NotImplementedError

    def opaque_by_argument(self, num: ast.Node, den: ast.Node | None) -> V.Value | None:
        raise NotImplementedError

    def primed_as_name(self, node: ast.Node) -> ast.Node:
        raise NotImplementedError

    def variable_value(self, name_node: ast.Name) -> V.Value:
        raise NotImplementedError

    # -- shapes (:class:`~deriv.meaning.implicit.ImplicitShapes`) ------------------------
    def shaped_operands(self, nodes: list[ast.Node]) -> list[V.Value]:
        raise NotImplementedError

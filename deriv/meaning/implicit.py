"""The ones vector and the identity, sized by what is around them.

A mixin of :class:`~deriv.meaning.builder.Builder`.  ``\\mathbf{1}`` is the
all-ones column vector, ``I`` (also ``\\mathbf{I}``) the identity, when
``I`` is not declared, defined or a size.  Their size is read, never
guessed:

* written: ``\\mathbf{1}_N``, ``I_N`` (``N`` a declared size); ``I_{i,j}``
  is ``\\delta_{i,j}``;
* from a neighbour in a product: ``X \\mathbf{1}`` (the columns of ``X``),
  ``\\mathbf{1}^T x`` (the length of ``x``), ``A I``, ``I A``;
* from the other operand of ``+``, ``-``, ``\\circ`` and ``\\langle , \\rangle``:
  ``x - \\mathbf{1}``, ``A + \\lambda I`` (the term is built once the other
  terms' shape is known);
* at the outer edge of a product whose neighbours do not size it, from the
  matrix shape the other terms give the product: ``X W^T + \\mathbf{1} b^T``,
  ``X - \\mathbf{1} \\mu^T``, ``X + b \\mathbf{1}^T``, ``X + \\mathbf{1}\\mathbf{1}^T``.
  A column ``\\mathbf{1}`` first among the product's arrays is as long as the
  product has rows, a ``\\mathbf{1}^T`` last among them as the product has
  columns: exactly one length fits.  The product must then have the other
  terms' shape exactly (``X + \\mathbf{1} b^T c`` is a vector, broadcast to
  rows or columns: two lengths would fit, so it is an error).

A chain member after one with a shape is given that shape as its ``hint``
(:mod:`deriv.check.chains`: ``A^{-1} A = I``, ``2 I``).  Anywhere else (``\\mathbf{1}^T
\\mathbf{1}``, ``\\mathbf{1}`` alone as a first member, an
identity that would not be square) it is an error that says to write the
size.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Expr, Integer, Symbol

from deriv.context import ONE, shape_text
from deriv.errors import MeaningError
from deriv.ir import delta
from deriv.latex import ast
from deriv.latex.ast import visits
from deriv.meaning import values as V
from deriv.meaning.zeros import sized_zero
from deriv.names import ONES_NAME
from deriv.meaning.builder_base import BuilderBase

Shape = tuple


def _edge_length(transposed: bool, left: V.Value | None, right: V.Value | None, hint: Shape | None) -> Expr | None:
    """The length of a ones vector at the outer edge of a product that ``hint``, a
    matrix shape, gives: a column first among the arrays (``\\mathbf{1} b^T``) has the
    product's rows, a row last among them (``b \\mathbf{1}^T``) its columns.  None elsewhere,
    and where nothing beside it is an array (``X + 2 \\mathbf{1}``: not an outer product)."""
    if hint is None or ONE in hint:
        return None
    near, far = (right, left) if transposed else (left, right)
    if near is not None and not near.is_scalar:
        return None  # not at the edge
    if far is None or far.is_scalar:
        return None  # nothing to form an outer product with (the next factor may be a \mathbf{1}^T)
    # the far neighbour must meet a vector's 1: a row after a column, a column before a row
    if (far.cols if transposed else far.rows) != ONE:
        return None
    return hint[1] if transposed else hint[0]


#: Stands for a ``\\mathbf{1}^T`` not yet sized, as the neighbour of an implicit
#: factor only: it never enters a built value.
_UNSIZED_ROW = V.matrix(ONE, Symbol("_unsized"), lambda i, j: ONE, "\\mathbf{1}^T")


class ImplicitShape(MeaningError):
    """An implicit ones vector or identity whose size is not known here."""


class ImplicitShapes(BuilderBase):
    """Uses the builder's ``context``, ``build``, ``derivative_request`` and sizes
    (:class:`~deriv.meaning.builder_base.BuilderBase`)."""

    #: The shape the node being built must have, when its surroundings say
    #: (the other terms of a sum); None elsewhere.
    hint: Shape | None = None
    #: Whether the product being built sized a \mathbf{1} at its edge from ``hint``.
    edge_sized: bool = False

    # -- what is implicit ----------------------------------------------------------
    def implicit(self, node: ast.Node) -> tuple[str, bool] | None:
        """``("ones" | "identity", transposed)`` for a bare ``\\mathbf{1}``, ``I``
        (or their ``^T``), else None."""
        transposed = False
        if isinstance(node, ast.Scripted) and node.sub is None and node.sup is None and node.transpose:
            node, transposed = node.base, True
        if not isinstance(node, ast.Name):
            return None
        if node.name == ONES_NAME:
            return "ones", transposed
        if self.free_identity(node.name):
            return "identity", transposed
        return None

    def free_identity(self, name: str) -> bool:
        """``I`` is the identity unless the document gives ``I`` a meaning."""
        return name == "I" and name not in self.context.declared and name not in self.context.definitions \
            and self._size_symbol(name) is None

    def implicit_value(self, kind: str, transposed: bool, n) -> V.Value:
        if kind == "identity":
            return V.matrix(n, n, lambda i, j: delta(i, j), "I")
        ones = V.matrix(n, ONE, lambda i, j: ONE, "\\mathbf{1}")
        return V.transpose(ones) if transposed else ones

    def implicit_error(self, kind: str, extra: str = "") -> ImplicitShape:
        if kind == "identity":
            return ImplicitShape(f"the size of the identity I is not clear here{extra}: write I_N (N a declared size)")
        return ImplicitShape(f"the length of \\mathbf{{1}} is not clear here{extra}: write \\mathbf{{1}}_N (N a declared size)")

    def implicit_from_hint(self, kind: str, transposed: bool, hint: Shape | None) -> V.Value:
        """The implicit operand with the shape ``hint`` (that of the other terms)."""
        if hint is None:
            raise self.implicit_error(kind)
        rows, cols = hint
        if kind == "identity" and rows == cols and rows != ONE:
            return self.implicit_value(kind, transposed, rows)
        if kind == "ones" and not transposed and cols == ONE and rows != ONE:
            return self.implicit_value(kind, transposed, rows)
        if kind == "ones" and transposed and rows == ONE and cols != ONE:
            return self.implicit_value(kind, transposed, cols)
        shown = "square" if kind == "identity" else ("a row vector" if transposed else "a column vector")
        raise self.implicit_error(kind, f" (the other operand is {shape_text(hint)}, not {shown})")

    # -- written sizes ---------------------------------------------------------------
    def sized_implicit(self, node: ast.Scripted) -> V.Value | None:
        """``\\mathbf{1}_N``, ``I_N`` (``N`` a size), ``I_{i,j}`` (a delta); None
        when ``node`` is none of these.  ``\\mathbf{0}_N`` is the zero vector (:mod:`.zeros`)."""
        zero = sized_zero(node, self._size_symbol)
        if zero is not None:
            return zero
        base = node.base
        if not isinstance(base, ast.Name) or node.sub is None:
            return None
        kind = "ones" if base.name == ONES_NAME else "identity" if self.free_identity(base.name) else None
        if kind is None:
            return None
        size = self._written_size(node.sub)
        if size is not None:
            return self.implicit_value(kind, node.transpose, size)
        if kind == "ones":
            raise MeaningError("\\mathbf{1}_{...} takes a declared size, as in \\mathbf{1}_N (its entries are all 1)")
        return None  # I_{i,j}: the builder reads it as \delta_{i,j}

    def _written_size(self, items: tuple[ast.Node, ...]) -> Expr | None:
        if len(items) == 1 and isinstance(items[0], ast.Name):
            return self._size_symbol(items[0].name)
        if len(items) == 1 and isinstance(items[0], ast.Number) and items[0].text.isdigit() and int(items[0].text) > 1:
            return Integer(int(items[0].text))  # I_2, \mathbf{1}_3: a numeric size
        return None

    # -- sums and products -------------------------------------------------------------
    def shaped_operands(self, nodes: list[ast.Node]) -> list[V.Value]:
        """Build operands that must share one shape (terms of a sum, the two
        sides of ``\\circ`` or ``\\langle , \\rangle``): an implicit one is built
        once the others' shape is known."""
        outer = self.hint
        values: list[V.Value | None] = []
        deferred: list[tuple[int, ImplicitShape]] = []
        for k, node in enumerate(nodes):
            try:
                values.append(self.build(node))
            except ImplicitShape as error:
                values.append(None)
                deferred.append((k, error))
        if deferred:
            # the most dimensions: a broadcast sum (c - z + \mathbf{1}) has its largest term's shape
            shapes = [v.shape for v in values if v is not None]
            known = max(shapes, key=lambda shape: (shape[0] != ONE) + (shape[1] != ONE)) if shapes else outer
            if known is None:
                raise deferred[0][1]
            self.hint = known
            try:
                for k, _ in deferred:
                    values[k] = self.build(nodes[k])
            finally:
                self.hint = outer
        return [v for v in values if v is not None]

    @visits(ast.Product)
    def _build_product(self, node: ast.Product) -> V.Value:
        return self.edge_checked(lambda: self.product_value(node))

    def edge_checked(self, product: Callable[[], V.Value]) -> V.Value:
        """A product, built by ``product``; one that sized a \\mathbf{1} at its edge
        must have the hinted shape."""
        hint, outer = self.hint, self.edge_sized
        self.edge_sized = False
        try:
            value = product()
            if self.edge_sized and value.shape != hint:
                raise self.implicit_error("ones", f" (the product is {shape_text(value.shape)}, "
                                                  f"the other terms {shape_text(hint) if hint is not None else 'unsized'})")
            return value
        finally:
            self.edge_sized = outer

    def implicit_factor(self, kind: str, transposed: bool, left: V.Value | None,
                        right: V.Value | None, hint: Shape | None) -> V.Value:
        """An implicit factor of a product, sized by the product so far (``left``)
        or the next factor (``right``), else by the whole product's ``hint``."""
        size = None
        if (kind == "identity" or not transposed) and left is not None and not left.is_scalar:
            size = left.cols  # its rows meet the left's columns
        elif (kind == "identity" or transposed) and right is not None and not right.is_scalar:
            size = right.rows  # its columns meet the right's rows
        elif kind == "ones" and (edge := _edge_length(transposed, left, right, hint)) is not None:
            size, self.edge_sized = edge, True
        if size == ONE:  # y I, x 1: well defined, but surely not what was meant
            raise self.implicit_error(kind, " (its neighbour would make it 1 x 1)")
        if size is not None:
            return self.implicit_value(kind, transposed, size)
        if (left is None or left.is_scalar) and (right is None or right.is_scalar):
            return self.implicit_from_hint(kind, transposed, hint)
        raise self.implicit_error(kind)

    def juxtaposed(self, name: ast.Name, right: V.Value) -> V.Value:
        """``name (...)`` that applies no function: the product of the name and
        the bracket (``I (x + y)``: the identity sized by the bracket; ``\\mathbf{1}(b + c)^T``
        in a sum: sized by the sum, as ``\\mathbf{1} b^T`` is)."""
        implicit = self.implicit(name)
        if implicit is not None:
            return self.edge_checked(lambda: V.multiply(self.implicit_factor(*implicit, None, right, self.hint), right))
        return V.multiply(self.name_value(name), right)

    def _ahead(self, node: ast.Product, position: int, ahead: dict[int, V.Value]) -> V.Value | None:
        """The factor at ``position``, built now (None if it is an operator or implicit
        too; a row of ones of unknown length for a ``\\mathbf{1}^T``, to size a
        ``\\mathbf{1}`` before it at the product's edge)."""
        if position >= len(node.factors):
            return None
        factor = node.factors[position]
        if self.implicit(factor) == ("ones", True):
            return _UNSIZED_ROW
        if self.implicit(factor) is not None or self.derivative_request(factor) is not None:
            return None
        ahead[position] = self.build(factor)
        return ahead[position]

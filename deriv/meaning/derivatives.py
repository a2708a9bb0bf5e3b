"""Derivatives written in a display: ``\\frac{\\partial E}{\\partial x}`` to unevaluated partials.

In: the built numerator (a :class:`~deriv.meaning.values.Value`) and the
denominator's syntax tree.  Out: a ``Value`` whose entries are
:class:`~deriv.ir.Partial` (or :class:`~deriv.ir.OpaqueGrad`) nodes; which
variable is meant (an entry, a scalar, a whole array, a row of a matrix) and
whether the result has a shape is settled here, the differentiating itself
is the engine's.
"""

from __future__ import annotations

from dataclasses import replace

from sympy import Expr, Symbol

from deriv.context import ONE
from deriv.errors import MeaningError, UnsupportedError
from deriv.ir import MatrixArg, OpaqueGrad, Partial, free_indices
from deriv.latex import ast
from deriv.meaning import values as V
from deriv.names import FUNCTION_KINDS, SLICE_KINDS, Kind
from deriv.meaning.builder_base import BuilderBase
from deriv.meaning.positions import Access
from deriv.meaning.jacobians import carried_indices, jacobian, transposed_variable


def _unbracketed(den: ast.Node) -> ast.Node:
    """``[W_1]_{i,j}`` and ``(W)_{ij}`` as the variable ``W_{i,j}`` is: an
    entry of the bracketed name (how a scripted name's entries are written)."""
    if isinstance(den, ast.Scripted) and isinstance(den.base, ast.Group) and den.base.bracket in "([":
        body = den.base.body
        if isinstance(body, ast.Name):
            return ast.Scripted(body, den.sub, den.sup, den.transpose, column=den.column)
    return den


class DerivativeRules(BuilderBase):
    """The derivative half of :class:`~deriv.meaning.builder.Builder`.

    A mixin: it builds operands with the builder's ``build``, ``name_value``
    and ``select_entry``, which every builder has.
    """

    #: Entries selected at a position (:class:`~deriv.meaning.entries.Entries` owns them).
    accesses: list[Access]

    def derivative(self, body: V.Value, den: ast.Node | None, den_node: ast.Node) -> V.Value:
        """``\\partial body / \\partial den``: an entry, a scalar, or a whole array."""
        if den is None:
            raise MeaningError("the denominator must name a variable: \\partial W_{m,n}, \\partial x or \\partial W")
        den = _unbracketed(self.primed_as_name(den))  # \partial y'_k for a declared y'
        if isinstance(den, ast.Scripted) and isinstance(den.base, ast.Name) and (
                self.context.kind_of(den.base.name) in SLICE_KINDS or self.family_of(den.base.name)):  # y_i, h_{t-1}
            return self._by_array(body, self._variable_member(den), den.base.name)
        if (member_entry := self._member_entry(den)) is not None:  # [h_{t-1}]_j: an entry of a family's member
            var = self.select_entry(self._variable_member(member_entry[0]), member_entry[1])
            return self._by_entry(body, var.expr, var.order)
        if isinstance(den, ast.Scripted) and isinstance(den.base, ast.Name) and den.sub and not den.transpose and den.sup is None:
            var_value = self.variable_value(den.base)
            var = self.select_entry(var_value, den.sub)
            return self._by_entry(body, var.expr, var.order)
        if isinstance(den, ast.Name):
            var_value = self.variable_value(den)
            if var_value.is_scalar:
                return self._by_entry(body, var_value.expr, ())
            return self._by_array(body, var_value, den.name)
        if isinstance(den, ast.Scripted) and den.transpose and den.sub is None and den.sup is None:
            raise transposed_variable()  # \partial x^T: a layout marker, not read
        raise UnsupportedError("derivatives are taken with respect to a declared or defined name or one of its entries")

    def _variable_member(self, node: ast.Node) -> V.Value:
        """A member (``h_{t-1}``) built as a derivative's variable: its access says so, for the range of
        ``t`` (:mod:`deriv.meaning.family_ranges`)."""
        count = len(self.accesses)
        value = self.build(node)
        self.accesses[count:] = [replace(a, variable=True) for a in self.accesses[count:]]
        return value

    def _families(self) -> set[str]:
        return {n for n, d in self.context.declared.items() if d.family is not None}

    def _member_entry(self, den: ast.Node) -> tuple[ast.Node, tuple[ast.Node, ...]] | None:
        """The member and the subscript when ``den`` is ``[h_{t-1}]_j`` or ``(h_{t-1})_j``,
        ``h`` a family; else None."""
        if not (isinstance(den, ast.Scripted) and den.sub and den.sup is None and not den.transpose
                and isinstance(den.base, ast.Group) and den.base.bracket in "(["):
            return None
        member = den.base.body
        is_member = (isinstance(member, ast.Scripted) and isinstance(member.base, ast.Name) and member.sup is None
                     and not member.transpose and bool(self.family_of(member.base.name)))
        return (member, den.sub) if is_member else None

    def opaque_by_argument(self, num: ast.Node, den: ast.Node | None) -> V.Value | None:
        """``\\partial g(A) / \\partial A_{i,j}``: the partial of opaque ``g`` by an
        entry of its own argument ``A``, an expression rather than a name.

        The seed writes ``\\frac{\\partial g(h(X))_{i,j}}{\\partial h(X)_{i,j}}``;
        the subscript on the numerator, if any, must repeat the denominator's.
        """
        den = _unbracketed(den) if den is not None else None
        call = num.base if isinstance(num, ast.Scripted) and num.sup is None and not num.transpose else num
        if not isinstance(call, ast.Call) or not isinstance(den, ast.Scripted) or not den.sub:
            return None
        declared = self.context.declared.get(call.func.name)
        if declared is None or declared.kind != Kind.FUNCTION or isinstance(den.base, ast.Name) or den.transpose:
            return None
        arg, wrt = self.build(call.arg), self._variable_member(den.base)
        indices = tuple(self.index_symbols(den.sub))
        if isinstance(num, ast.Scripted) and num.sub is not None and tuple(self.index_symbols(num.sub)) != indices:
            raise MeaningError("the subscripts of numerator and denominator differ")
        argument = MatrixArg.from_entry(arg.entry, arg.rows, arg.cols)
        if wrt.shape != arg.shape or MatrixArg.from_entry(wrt.entry, wrt.rows, wrt.cols) != argument:
            raise MeaningError(
                f"{call.func.name} is differentiated by an entry of {wrt.describe()}, "
                f"which is not its argument {arg.describe()}"
            )
        self.select_entry(wrt, den.sub)
        position = indices if len(indices) == 2 else ((indices[0], 0) if arg.cols == ONE else (0, indices[0]))
        return V.scalar(OpaqueGrad(Symbol(call.func.name), argument, *position), f"d{call.func.name}/d({wrt.text})", indices)

    def variable_value(self, name_node: ast.Name) -> V.Value:
        kind = self.context.kind_of(name_node.name)
        if kind is None and any(s.name == name_node.name for s in self.context.sizes):
            raise MeaningError(f"cannot differentiate with respect to {name_node.name}: it is a size, not a variable")
        if kind in (Kind.IDENTITY, Kind.ONES) or kind in FUNCTION_KINDS:
            raise MeaningError(f"cannot differentiate with respect to {name_node.name}, a {kind}")
        if kind == Kind.SYMMETRIC:
            raise UnsupportedError("derivatives with respect to a symmetric matrix are not supported")
        return self.name_value(name_node)

    def _by_entry(self, body: V.Value, var: Expr, var_order: tuple[Symbol, ...]) -> V.Value:
        if body.is_scalar:
            order = var_order + tuple(i for i in body.order if i not in var_order)
            return V.scalar(Partial(body.expr, var), body.text, order)
        return V.matrix(body.rows, body.cols, lambda i, j: Partial(body.entry(i, j), var), body.text)

    def _by_array(self, body: V.Value, var: V.Value, name: str) -> V.Value:
        if body.is_scalar:
            if free_indices(body.expr) - carried_indices(var):  # h_{t-1}'s own t is no extra index
                raise MeaningError(
                    f"the derivative of {body.text}, which carries indices, by the whole of {name} "
                    f"would have more than two indices; differentiate by an entry of {name}"
                )
            return V.matrix(var.rows, var.cols, lambda i, j: Partial(body.expr, var.entry(i, j)), f"d{body.text}/d{name}")
        if (by_vector := jacobian(body, var, name, self._families())) is not None:  # numerator layout: meaning/jacobians.py
            return by_vector
        if body.elementwise_of == name and body.shape == var.shape:
            return V.matrix(var.rows, var.cols, lambda i, j: Partial(body.entry(i, j), var.entry(i, j)), f"d{body.text}/d{name}")
        raise MeaningError(
            f"the derivative of {body.describe()} by the whole of {var.describe()} is not a matrix; "
            f"differentiate an entry by an entry"
        )


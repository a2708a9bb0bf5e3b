"""How a derivative is written: ``\\partial``, ``d``, orders, ``\\nabla``.

A mixin of :class:`~deriv.meaning.builder.Builder` that reads the spelling of
a derivative into what it differentiates and the variables, innermost last;
:class:`~deriv.meaning.derivatives.DerivativeRules` then builds each partial.

* ``\\frac{\\partial E}{\\partial x}``, ``\\frac{\\partial^2 E}{\\partial w_k
  \\partial w_l}``, ``\\frac{\\partial^2 E}{\\partial x^2}`` (``x`` twice);
* ``\\frac{dE}{dx}``, ``\\frac{d^2 E}{dx^2}``, ``\\frac{\\mathrm{d} E}{\\mathrm{d} x}``
  -- a plain ``d`` is the differential only when the document does not
  declare or define ``d`` (then ``d`` is that name, as for ``e``);
* the operator forms ``\\frac{\\partial}{\\partial x} E``, ``\\frac{d}{dx} E``;
* ``\\nabla_w E`` is ``\\frac{\\partial E}{\\partial w}``; ``\\nabla E`` names no
  variable, so it is allowed only when ``E`` depends on exactly one declared
  array (through definitions too), else an error saying so.

The order written (``\\partial^2``, ``d^2``) must equal the number of
variables in the denominator.
"""

from __future__ import annotations

from sympy import Expr, Indexed, Symbol
from sympy.core.function import AppliedUndef

from deriv.errors import MeaningError
from deriv.latex import ast
from deriv.latex.ast import visits
from deriv.latex.render import render
from deriv.latex.reductions import NABLA_SCOPE
from deriv.meaning import values as V
from deriv.names import ARRAY_KINDS, Kind
from deriv.ir import base_name, split_elementwise_name
from deriv.meaning.builder_base import BuilderBase
from deriv.meaning.defined_names import names_in
from deriv.meaning.scripted import differentiated_label, named_after, parameterised_by, parameterised_error
from deriv.meaning.jacobians import hessian, vector_gradient_checked
from deriv.meaning.gradient_at import gradient_at, opaque_call, point_free_of_variable

#: A derivative: what it differentiates (None for an operator) and its variables.
Request = tuple["ast.Node | None", list[ast.Node]]
_CONSTANT_KINDS = (Kind.IDENTITY, Kind.ONES)


def _whole(text: str) -> int | None:
    return int(text) if text.isdigit() else None


class DifferentialRules(BuilderBase):
    """Reading derivative notation; uses the builder's ``build`` and ``derivative``."""

    # -- reading the spelling -----------------------------------------------------
    def derivative_request(self, node: ast.Node) -> Request | None:
        """The derivative ``node`` writes, or None when it is no derivative."""
        if not isinstance(node, ast.Frac):
            return None
        num, den = node.num, node.den
        num_partial = isinstance(num, ast.Partial)
        den_partial = isinstance(den, (ast.Partial, ast.Partials))
        if isinstance(num, ast.Partial) and isinstance(den, (ast.Partial, ast.Partials)):
            parts = den.parts if isinstance(den, ast.Partials) else (den,)
            variables: list[ast.Node] = []
            for part in parts:
                if part.power != 1 or part.body is None:
                    raise MeaningError("each \\partial of a denominator names one variable, as in "
                                       "\\partial w_k \\partial w_l or \\partial x^2")
                variables += self._repeated(part.body)
            return num.body, self._ordered(num.power, variables)
        if num_partial:
            raise MeaningError(
                "the denominator of this derivative has no \\partial: write \\frac{\\partial E}{\\partial x}, "
                "not \\frac{\\partial E}{x}"
            )
        if den_partial:
            raise MeaningError("the numerator of this derivative has no \\partial: write \\frac{\\partial E}{\\partial x}")
        return self._d_request(node)

    def check_operator_scope(self, node: ast.Add) -> None:
        """``\\frac{d}{da} a^2 + a``: an operator's body ends at the ``+``, so this is ``2a + a``, but to
        readers who take the operator to apply to the rest it is ``2a + 1``; any term after one that
        applies an operator (``\\frac{\\partial}{\\partial a}``, ``\\frac{d}{da}``) is an error asking
        for brackets.  A derivative written as a fraction (``\\frac{\\partial L}{\\partial a}``) ends
        where it shows."""
        for _, term in node.terms[:-1]:
            term = term.body if isinstance(term, ast.Neg) else term
            factors = term.factors[:-1] if isinstance(term, ast.Product) else ()
            operator = next((f for f in factors if isinstance(f, ast.Frac) and self._is_operator(f)), None)
            if operator is not None:
                raise MeaningError(
                    "a derivative operator's body ends at the next + or -, and readers disagree on whether the "
                    "terms after it are differentiated too: bracket what it applies to, as in "
                    "\\frac{d}{da}\\left(a^2 + a\\right), or put the other terms first")

    def _is_operator(self, node: ast.Frac) -> bool:
        try:
            request = self.derivative_request(node)
        except MeaningError:
            return False
        return request is not None and request[0] is None

    def _ordered(self, order: int, variables: list[ast.Node]) -> list[ast.Node]:
        if order != len(variables):
            raise MeaningError(f"a derivative of order {order} needs {order} variables in its "
                               f"denominator, not {len(variables)}")
        return variables

    @staticmethod
    def _repeated(var: ast.Node) -> list[ast.Node]:
        """``x^2`` in a denominator is ``x`` twice."""
        if isinstance(var, ast.Scripted) and var.sup is not None:
            times = _whole(var.sup.text) if isinstance(var.sup, ast.Number) else None
            if times is None or not 1 <= times <= 8:
                raise MeaningError("a power in a derivative's denominator must be a whole order, as in \\partial x^2")
            bare = var.base if var.sub is None and not var.transpose else ast.Scripted(
                var.base, var.sub, None, var.transpose, var.column)
            return [bare] * times
        return [var]

    def _is_d(self, node: ast.Node) -> bool:
        """A differential ``d``: ``\\mathrm{d}``, or a plain undeclared ``d``."""
        if not isinstance(node, ast.Name) or node.name != "d" or node.font not in (None, "mathrm"):
            return False
        if node.font == "mathrm":
            return True
        return not ("d" in self.context.declared or "d" in self.context.definitions
                    or any(s.name == "d" for s in self.context.sizes))

    def _d_order(self, node: ast.Node) -> int | None:
        """1 for ``d``, n for ``d^n``, None for anything else."""
        if self._is_d(node):
            return 1
        if isinstance(node, ast.Scripted) and node.sub is None and not node.transpose and self._is_d(node.base):
            return _whole(node.sup.text) if isinstance(node.sup, ast.Number) else None
        return None

    def _d_request(self, node: ast.Frac) -> Request | None:
        num = node.num.factors if isinstance(node.num, ast.Product) else (node.num,)
        if isinstance(num[0], ast.Call) and self._is_d(num[0].func):  # d(w^T v)
            num = (num[0].func, ast.Group(num[0].arg, "(", num[0].column)) + tuple(num[1:])
        den = node.den.factors if isinstance(node.den, ast.Product) else (node.den,)
        if isinstance(node.num, ast.Product) and any(node.num.ops) or isinstance(node.den, ast.Product) and any(node.den.ops):
            return None
        order = self._d_order(num[0])
        if order is None or len(den) < 2 or len(den) % 2 or any(self._d_order(d) != 1 for d in den[0::2]):
            return None
        variables = [v for var in den[1::2] for v in self._repeated(var)]
        body = None if len(num) == 1 else (num[1] if len(num) == 2 else ast.Product(num[1:], ("",) * (len(num) - 2), num[1].column))
        return body, self._ordered(order, variables)

    # -- building -------------------------------------------------------------------
    def differentiate(self, value: V.Value, variables: list[ast.Node]) -> V.Value:
        """``value`` differentiated by each variable, the last written first.  By two different whole
        arrays (``\\partial x \\partial v``) it is an error: texts lay that matrix out both ways."""
        wholes: list[str] = []
        for var in reversed(variables):
            before = value.shape
            value = self._by(value, var)
            if value.shape != before:  # by a whole array: a gradient, a Jacobian
                wholes.append(render(var))
        if len(set(wholes)) > 1:
            first, second = wholes[1], wholes[0]
            raise MeaningError(
                f"a second derivative by two whole vectors, {first} and {second}, is a matrix that texts lay out "
                f"both ways (entry (i, j) by {first}_i and {second}_j, or the reverse): write its entries, "
                f"\\frac{{\\partial^2 E}}{{\\partial {first}_i \\partial {second}_j}}")
        return value

    def _by(self, value: V.Value, var: ast.Node) -> V.Value:
        """``value`` differentiated by ``var``, after :meth:`_check_parameterised`."""
        self._check_parameterised(value, var)
        return self.derivative(value, var, var)

    def _check_parameterised(self, value: V.Value, var: ast.Node) -> None:
        """A derivative by ``\\theta`` of a declared function whose script names it (``f_\\theta(x)``):
        an error (:func:`deriv.meaning.scripted.parameterised_by`)."""
        variable = var.base if isinstance(var, ast.Scripted) else var
        variable = variable.body if isinstance(variable, ast.Group) else variable
        if not isinstance(variable, ast.Name) or not any(named_after(n, variable.name, self.context)
                                                          for n in self.context.declared):
            return  # no declared name names the variable (the walk below costs a step's build)
        probe = value.entry(Symbol("_r"), Symbol("_c"))
        names = self._depends_on([probe]) | {split_elementwise_name(type(f).__name__)[0] for f in probe.atoms(AppliedUndef)}
        hidden = parameterised_by(names, variable.name, self.context) or differentiated_label(probe, variable.name,
                                                                                               self.context)
        if hidden is not None:
            raise MeaningError(parameterised_error(hidden, variable.name, self.context))

    @visits(ast.Frac)
    def _build_frac(self, node: ast.Frac) -> V.Value:
        request = self.derivative_request(node)
        if request is None:
            return self.quotient(self.build(node.num), self.build(node.den))
        body, variables = request
        if body is None:
            raise MeaningError("\\frac{\\partial}{\\partial ...} must be followed by what it differentiates")
        if len(variables) == 1:
            by_argument = self.opaque_by_argument(body, variables[0])
            if by_argument is not None:
                return by_argument
        return self.differentiate(self.build(body), variables)

    @visits(ast.Nabla)
    def _build_nabla(self, node: ast.Nabla) -> V.Value:
        if node.order == 2:
            return self._hessian(node)
        at = opaque_call(node.body, self.context)
        if at is None and node.followed:
            raise MeaningError(NABLA_SCOPE)  # \\nabla w(Y) x^T with w an array: w times (Y)
        if at is None:
            body = self.build(node.body)
            var = node.var if node.var is not None else self._only_variable(body)
            return vector_gradient_checked(body, self._by(body, var))
        call, scripted = at
        if node.var is None:
            value = gradient_at(call.func.name, self.build(call.arg))  # the gradient of f at a point
        else:
            built = self.build(call)
            self._check_parameterised(built, node.var)  # before the point's check: f_\\theta(x)
            self._check_point_depends(call, node.var)
            value = self.derivative(built, node.var, node.var)
        return self._scripts_after(value, scripted)

    def _hessian(self, node: ast.Nabla) -> V.Value:
        """``\\nabla_x^2 E`` (:mod:`deriv.meaning.jacobians`); ``\\nabla^2 f(E)`` of a declared function
        only at a declared variable (``f(x)``), where its two readings, the Hessian of ``f`` at ``E``
        and the Hessian of ``f(E)`` by its variable, agree."""
        at = opaque_call(node.body, self.context)
        if node.followed and at is None:
            raise MeaningError(NABLA_SCOPE)  # after a call (\\nabla^2 f(x) v) the argument ends where it shows
        if at is not None and at[1] is not None:
            raise MeaningError("\\nabla^2 of a function's value has no transpose or entry: bracket the Hessian, "
                               "as in [\\nabla^2 f(x)]_{i,j}")
        if at is not None and node.var is None and not isinstance(at[0].arg, ast.Name):
            raise MeaningError(f"\\nabla^2 {at[0].func.name}(...) at a point that is no variable reads two ways: "
                               f"the Hessian of {at[0].func.name} evaluated there, or the Hessian of the value by "
                               f"the variable (the chain rule's factors): write \\nabla_x^2 for the second")
        body = self.build(node.body)
        var = node.var if node.var is not None else (at[0].arg if at is not None else self._only_variable(body))
        if at is not None and node.var is not None:
            self._check_parameterised(body, node.var)  # before the point's check, as for \\nabla_w f(E)
            self._check_point_depends(at[0], node.var)  # \\nabla_x^2 f(x_0): f's Hessian at x_0, or 0?
        if not isinstance(var, ast.Name):
            raise MeaningError("\\nabla^2 is taken by a declared vector or scalar, as in \\nabla_x^2 E")
        self._check_parameterised(body, var)
        return hessian(body, self.variable_value(var), var.name)

    def _scripts_after(self, value: V.Value, scripted: ast.Scripted | None) -> V.Value:
        """``\\nabla f(x)^T``, ``\\nabla f(x)_k``: a scalar ``f(x)`` has no transpose or entry, so they are
        the gradient's."""
        if scripted is not None and scripted.transpose:
            value = V.transpose(value)
        if scripted is not None and scripted.sub:
            value = self.select_entry(value, scripted.sub)
        return value

    def _check_point_depends(self, call: ast.Call, var: ast.Node) -> None:
        """``\\nabla_w f(E)`` with ``E`` written free of ``w`` is an error (:mod:`deriv.meaning.gradient_at`);
        written, not built: ``\\nabla_u f(0 u)`` is the chain rule, though SymPy makes its point 0."""
        written = self._depends_on([Symbol(name) for name in names_in(call.arg)])
        if names_in(var).isdisjoint(written):
            raise point_free_of_variable(call.func.name, self.build(var).text or "w", self.build(call.arg).text)

    def _only_variable(self, body: V.Value) -> ast.Name:
        names = self._depends_on([body.entry(Symbol("_r"), Symbol("_c"))])
        variables = sorted(n for n in names if (d := self.context.declared.get(n)) is not None
                           and d.kind in ARRAY_KINDS and d.kind not in _CONSTANT_KINDS)
        if len(variables) != 1:
            which = ", ".join(variables) if variables else "no declared variable"
            raise MeaningError(f"\\nabla without a subscript is ambiguous here ({body.text} depends on {which}): "
                               "write \\nabla_w for the variable meant")
        return ast.Name(variables[0])

    def _depends_on(self, exprs: list[Expr]) -> set[str]:
        """Every declared or defined name the expressions use, through definitions."""
        seen: set[str] = set()
        todo = list(exprs)
        while todo:
            expr = todo.pop()
            names = {base_name(a) for a in expr.atoms(Indexed)} | {s.name for s in expr.atoms(Symbol)}
            for name in names - seen:
                seen.add(name)
                if name in self.context.definitions:
                    todo.append(self.context.definitions[name].body)
        return seen

"""Notation beyond the core grammar: constants, roots, primes.

A mixin of :class:`~deriv.meaning.builder.Builder`, kept apart so each
module stays small.  Every construct here is either understood exactly or
an error that names it -- never a guess.

* ``e`` is Euler's number and ``\\pi`` is pi, unless the document declares
  or defines a name ``e`` / ``pi`` (then it is that name); ``e^{x}`` is
  therefore ``\\exp(x)``.
* ``|a|`` is ``sympy.Abs``; ``\\|x\\|_2`` the Euclidean norm of a vector,
  ``\\|X\\|_F`` the Frobenius norm; ``\\langle a, b \\rangle`` the sum of
  entrywise products; ``\\operatorname{diag}(v)`` the matrix ``delta_ij v_i``.
* ``\\sqrt[n]{x}`` is ``x^{1/n}`` for a whole ``n >= 2``; an odd root of a
  value that may be negative is an error (SymPy's ``x^{1/3}`` is the
  principal complex root, not the real one a reader means).
"""

from __future__ import annotations

import sympy
from sympy import Rational, Sum

from deriv.context import ONE
from deriv.errors import MeaningError, UnsupportedError
from deriv.ir import delta, free_indices, fresh_index
from deriv.meaning.elementary import keeps_domain
from deriv.meaning.entrywise import apply_builtin
from deriv.meaning.magnitude import MAX_BITS, MAX_DIGITS, MAX_EXPONENT, Magnitudes
from deriv.latex import ast
from deriv.latex.ast import visits
from deriv.meaning import values as V
from deriv.meaning.powers import check_label_superscript, exponent_needs_scalar, hadamard_power, matrix_power
from deriv.meaning.builder_base import BuilderBase

ZERO = sympy.S.Zero

#: A number's power is a number (10^{-70} is an exact constant), so it may
#: go further than a symbol's, as long as the result stays small enough.
MAX_NUMBER_EXPONENT = 1000
#: Names that are constants when the document does not declare them.
CONSTANTS = {"e": sympy.E, "pi": sympy.pi}


class NotationRules(BuilderBase):
    """Constants and roots; uses the builder's ``build`` and ``context``."""

    magnitudes: Magnitudes

    def power(self, value: V.Value, sup: ast.Node) -> V.Value:
        check_label_superscript(value, sup)
        if isinstance(sup, ast.Entrywise):  # X^{\circ 2}: each entry's power
            exponent = self.build(sup.body)
            exponent_needs_scalar(value, exponent)
            probe = value.entry(fresh_index("i"), fresh_index("j")) if not value.is_scalar else value.expr
            power = self.scalar_exponent(V.scalar(probe, value.text), exponent)
            return hadamard_power(value, power, exponent.text)
        exponent = self.build(sup)
        if value.is_scalar and value.expr == sympy.E and not exponent.is_scalar:
            # e^{x} of a vector: each entry's, as \exp(x) is (a square matrix's may be the matrix exponential).
            return apply_builtin("exp", exponent, self.context)
        exponent_needs_scalar(value, exponent)
        if not value.is_scalar:
            return matrix_power(value, exponent)
        if value.expr == sympy.E and free_indices(exponent.expr):
            return apply_builtin("exp", exponent, self.context)  # e^{-z_i}: \exp(-z_i), as written
        power = self.scalar_exponent(value, exponent)
        built = keeps_domain(power, value.expr**power, f"{value.text}^{{{exponent.text}}}")
        return V.scalar(built, f"{value.text}^{exponent.text}", value.order)

    def scalar_exponent(self, value: V.Value, exponent: V.Value) -> sympy.Expr:
        """The exponent of a scalar's power, refused when it carries indices or is too large."""
        power = exponent.expr
        if free_indices(power):
            raise UnsupportedError("exponents may not carry indices")
        # Sizes are estimated before SymPy builds the power: a tower of them
        # has more digits than memory holds.
        known = self.magnitudes.exponent_value(power)
        limit = MAX_NUMBER_EXPONENT if value.expr.is_Number else MAX_EXPONENT
        if known is not None and abs(known) > limit:
            raise UnsupportedError(f"exponent {exponent.text} is too large (at most {limit})")
        if known is None and self.magnitudes.bits(power) > MAX_EXPONENT.bit_length():
            raise UnsupportedError(f"exponent {exponent.text} may be too large (at most {MAX_EXPONENT})")
        result_bits = self.magnitudes.bits(value.expr) * max(abs(known), 1) if known is not None else 0
        if result_bits > MAX_BITS:
            raise UnsupportedError(f"{value.text}^{exponent.text} would have more than {MAX_DIGITS} digits")
        return power

    def constant(self, node: ast.Name) -> V.Value | None:
        """``e`` or ``\\pi`` when not declared, defined or a size, else None."""
        name = node.name
        if name not in CONSTANTS or node.font not in (None, "mathrm"):
            return None
        if name in self.context.declared or name in self.context.definitions:
            return None
        if any(s.name == name for s in self.context.sizes):
            return None
        return V.scalar(CONSTANTS[name], "e" if name == "e" else "\\pi")

    @visits(ast.Root)
    def _build_root(self, node: ast.Root) -> V.Value:
        degree = node.degree
        if not (isinstance(degree, ast.Number) and degree.text.isdigit() and int(degree.text) >= 2):
            raise MeaningError("\\sqrt[n]{x} needs a whole number n >= 2, as in \\sqrt[3]{x}")
        n = int(degree.text)
        if n > 64:
            raise UnsupportedError(f"\\sqrt[{n}] is too large a root (at most 64)")
        arg = self.build(node.arg)
        if not arg.is_scalar:
            raise MeaningError(f"\\sqrt[{n}] of {arg.describe()}: only of scalars")
        if n % 2 and not arg.expr.is_nonnegative:
            raise UnsupportedError(
                f"\\sqrt[{n}]{{{arg.text}}}: an odd root of a value that may be negative is not "
                "supported (declare its entries positive, or write the power)"
            )
        return V.scalar(arg.expr ** Rational(1, n), f"\\sqrt[{n}]{{{arg.text}}}", arg.order)

    @visits(ast.Inner)
    def _build_inner(self, node: ast.Inner) -> V.Value:
        return inner_product(*self.shaped_operands([node.left, node.right]))

    def builtin_value(self, func: str, arg: V.Value) -> V.Value | None:
        """``|a|`` (``sympy.Abs``, entrywise on a scalar) and ``\\operatorname{diag}(v)``."""
        if func == "abs":
            return V.apply_scalar_function(sympy.Abs, arg, "abs").with_text(f"|{arg.text}|")
        if func == "diag":
            if arg.cols != ONE or arg.is_scalar:
                raise MeaningError(f"\\operatorname{{diag}} of {arg.describe()}: only of a vector "
                                   "(the diagonal matrix with its entries)")
            return V.matrix(arg.rows, arg.rows, lambda i, j: delta(i, j) * arg.entry(i, ZERO),
                            f"diag({arg.text})")
        return None

    def scripted_norm(self, node: ast.Scripted) -> V.Value | None:
        """``\\|x\\|_2`` (a vector's Euclidean norm) and ``\\|X\\|_F`` (Frobenius,
        any array); any other subscript on a norm is an error."""
        base = node.base
        if not (isinstance(base, ast.Builtin) and base.func == "norm" and node.sub is not None):
            return None
        if node.transpose:
            raise MeaningError("a norm is a scalar: it has no transpose")
        sub = node.sub[0] if len(node.sub) == 1 else None
        arg = self.build(base.arg)
        if isinstance(sub, ast.Number) and sub.text == "2":
            if arg.cols != ONE and arg.rows != ONE:
                raise UnsupportedError(f"\\|{arg.text}\\|_2 of a matrix (the spectral norm) is not "
                                       "supported; write \\|X\\|_F for the Frobenius norm")
            value = V.norm(arg)
        elif isinstance(sub, ast.Name) and sub.name == "F" and sub.font in (None, "mathrm"):
            value = frobenius(arg)
        else:
            raise UnsupportedError("a norm's subscript must be 2 (vectors) or F (Frobenius)")
        return value if node.sup is None else self.power(value, node.sup)


def frobenius(a: V.Value) -> V.Value:
    """``sqrt(sum of squares of the entries)``."""
    if a.is_scalar:
        return V.scalar(sympy.sqrt(a.expr**2), f"||{a.text}||_F")
    i, j = fresh_index("i"), fresh_index("j")
    total = Sum(a.entry(i, j) ** 2, (i, 0, a.rows - 1), (j, 0, a.cols - 1)) if a.cols != ONE \
        else Sum(a.entry(i, ZERO) ** 2, (i, 0, a.rows - 1))
    return V.scalar(sympy.sqrt(total), f"||{a.text}||_F")


def inner_product(a: V.Value, b: V.Value) -> V.Value:
    """``\\langle a, b \\rangle``: the sum of the entrywise products (vectors, or Frobenius)."""
    if a.shape != b.shape:
        raise MeaningError(f"\\langle {a.describe()}, {b.describe()} \\rangle: shapes differ")
    if a.is_scalar:
        return V.scalar(a.expr * b.expr, f"<{a.text}, {b.text}>")
    i, j = fresh_index("i"), fresh_index("j")
    if a.cols == ONE:
        total = Sum(a.entry(i, ZERO) * b.entry(i, ZERO), (i, 0, a.rows - 1))
    else:
        total = Sum(a.entry(i, j) * b.entry(i, j), (i, 0, a.rows - 1), (j, 0, a.cols - 1))
    return V.scalar(total, f"<{a.text}, {b.text}>")

"""Index expressions compiled to Python closures over an :class:`Evaluator`.

Compiling once and evaluating at every index value of every trial is what
keeps exact random testing fast enough to run on every step.
"""

from __future__ import annotations

import sympy
from flint import fmpq
from sympy import Expr, Indexed, KroneckerDelta, Sum, Symbol
from sympy.core.function import AppliedUndef

from deriv.context import Context
from deriv.engine import certified, elementary, jets, matrix_values
from deriv.engine.one_sided import Direction, side_of, vanished_step
from deriv.engine.differentiate import variable_name
from deriv.engine.matrix_powers import compiled_matrix_power
from deriv.engine.products import compiled_product
from deriv.engine.radicals import is_radical, radical_product
from deriv.engine.instances import MAX_POWER, Compiled, Evaluator
from deriv.errors import UnsupportedError
from deriv.meaning.digits import Quotient, Remainder
from deriv.ir import (Determinant, InverseEntry, MatrixArg, MatrixPower, OpaqueCall, OpaqueGrad, Partial, base_name,
                      split_elementwise_name, text)
from deriv.meaning.elementary import arccos, arcsin, arctanh

#: The functions the builtins are made of (deriv/meaning/elementary.py), each by its
#: Taylor series at a point; ``sqrt`` is a power (``Pow(x, 1/2)``) in SymPy, ``\tan`` a
#: quotient, ``\log_2`` a logarithm over a number.
_SERIES = {
    sympy.exp: jets.exp_series, sympy.log: jets.log_series, sympy.tanh: jets.tanh_series,
    sympy.sin: elementary.sin_series, sympy.cos: elementary.cos_series,
    sympy.sinh: elementary.sinh_series, sympy.cosh: elementary.cosh_series,
    sympy.atan: elementary.atan_series, sympy.erf: elementary.erf_series,
    arcsin: elementary.asin_series, arccos: elementary.acos_series, arctanh: elementary.atanh_series,
}
_CONSTANTS = {sympy.E: certified.const_e, sympy.pi: certified.const_pi}
_EXACT = certified.EXACT_TYPES


class Compiler:
    """Compiles (and remembers) closures for one context's expressions."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self._compiled: dict[Expr, Compiled] = {}
        self._sums = 0  # sums compiled: each one's number in the evaluator's memory
        self._partial_numbers: dict[Expr, int] = {}
        #: id -> (the variable, held so the id stays its own; what is remembered of it).
        self._variables: dict[int, tuple[Expr, str]] = {}
        self._variable_indices: dict[int, tuple[Expr, tuple[Compiled, ...]]] = {}
        self._matrix_numbers: dict[MatrixArg, int] = {}
        self._matrix_outer: list[tuple[Symbol, ...]] = []
        self._matrix_texts: list[str] = []
        #: id -> (the argument, held so the id stays its own; number; outer indices; direct entry).
        self._matrices: dict[int, tuple[MatrixArg, int, tuple[Symbol, ...], tuple[str, str] | None]] = {}

    def compile(self, expr: Expr) -> Compiled:
        compiled = self._compiled.get(expr)
        if compiled is None:
            compiled = self._compile(expr)
            self._compiled[expr] = compiled
        return compiled

    def matrix(self, arg: MatrixArg) -> tuple[int, tuple[Symbol, ...]]:
        """A number for ``arg``, shared by equal arguments, and the index symbols its
        entry uses besides its own row and column (in one order for all of them)."""
        found = self._matrices.get(id(arg))
        if found is None:
            number = self._matrix_numbers.get(arg)
            if number is None:
                number = self._matrix_numbers[arg] = len(self._matrix_outer)
                self._matrix_outer.append(_outer_indices(arg))
                self._matrix_texts.append(str(arg))
            found = self._matrices[id(arg)] = (arg, number, self._matrix_outer[number], self._direct(arg))
        return found[1], found[2]

    def matrix_text(self, number: int) -> str:
        """The argument numbered ``number`` as text: the same in every session, where
        the number depends on the order arguments were met in."""
        return self._matrix_texts[number]

    def direct_entry(self, arg: MatrixArg) -> tuple[str, str] | None:
        """``(method, name)`` when the entry of ``arg`` is the entry of an array or
        definition at its row and column, as the compiled entry reads it."""
        self.matrix(arg)
        return self._matrices[id(arg)][3]

    def _direct(self, arg: MatrixArg) -> tuple[str, str] | None:
        body = arg.body
        if not (isinstance(body, Indexed) and tuple(body.indices) == (arg.row, arg.col)):
            return None
        name = base_name(body)
        if self.context.is_defined(name):
            return "defined_entry", name
        return (self._reading(name), name) if name in self.context.declared else None

    def _reading(self, name: str) -> str:
        """The evaluator's method that reads a declared name's entries."""
        return "recurrent_entry" if name in self.context.recurrences else "declared_entry"

    # A derivative's variable is looked up at every point: its name and index closures once.
    def variable(self, var: Expr) -> str:
        """The name of the array or definition ``var`` is an entry of."""
        found = self._variables.get(id(var))
        if found is None:
            found = self._variables[id(var)] = (var, variable_name(var))
        return found[1]

    def indices(self, var: Expr, ev: Evaluator) -> tuple[int, ...]:
        """The values of the indices of the entry ``var`` (none for a scalar)."""
        found = self._variable_indices.get(id(var))
        if found is not None:
            return tuple([int(index(ev)) for index in found[1]])
        # The first time, each index compiled and evaluated in turn: the error is the first one's.
        values = tuple(int(self.compile(i)(ev)) for i in var.indices) if isinstance(var, Indexed) else ()
        self._variable_indices[id(var)] = (var, tuple(self.compile(i) for i in var.indices) if isinstance(var, Indexed) else ())
        return values

    def _undefined_somewhere(self, expr: Expr) -> bool:
        """Whether ``expr`` writes a member of a recurrence with domain conditions."""
        recurrences = self.context.recurrences
        return bool(recurrences) and any(recurrences[name].conditions for name in
                                         {base_name(e) for e in expr.atoms(Indexed)} if name in recurrences)

    def _compile(self, expr: Expr) -> Compiled:
        if expr.is_Rational:
            constant = int(expr.p) if expr.q == 1 else fmpq(int(expr.p), int(expr.q))
            return lambda ev: constant
        if expr in _CONSTANTS:
            make = _CONSTANTS[expr]
            return lambda ev: make()
        if expr is sympy.zoo or expr is sympy.nan:  # SymPy's 1/0, log(0), tan(pi/2): no real number
            return _undefined
        if isinstance(expr, Symbol):
            return self._symbol(expr)
        if isinstance(expr, Indexed):
            return self._indexed(expr)
        if isinstance(expr, sympy.Add):
            return _added(*self._leading_constant(expr, 0))
        if isinstance(expr, sympy.Mul):
            return self._product(expr)
        if isinstance(expr, sympy.Pow):
            return self._power(expr)
        if isinstance(expr, Sum):
            return self._sum(expr)
        if isinstance(expr, sympy.Product):
            return compiled_product(self.compile, expr)
        if isinstance(expr, MatrixPower):
            return compiled_matrix_power(self.compile, expr)
        if isinstance(expr, KroneckerDelta):
            return self._delta(expr)
        if isinstance(expr, OpaqueCall):
            name, arg = expr.name, expr.arg
            return lambda ev: ev.opaque(name, arg)
        if isinstance(expr, OpaqueGrad):
            name, arg = expr.name, expr.arg
            i, j = (self.compile(x) for x in expr.position)
            return lambda ev: ev.opaque_gradient(name, arg, int(i(ev)), int(j(ev)))
        if isinstance(expr, InverseEntry):
            arg = expr.arg
            i, j = (self.compile(x) for x in expr.position)
            return lambda ev: matrix_values.inverse_entry(ev, arg, int(i(ev)), int(j(ev)))
        if isinstance(expr, Determinant):
            arg = expr.arg
            return lambda ev: matrix_values.determinant(ev, arg)
        if isinstance(expr, Partial):
            body, var = self.compile(expr.body), expr.var
            # The same partial recurs at every free-index value of a step;
            # its value depends only on the indices it mentions.
            # Keyed by a number equal partials share: hashing and comparing the tree at every lookup costs more.
            # Only symbols are ever bound: an entry's own is_integer would be a full assumption query.
            key_symbols = tuple(sorted((s for s in expr.free_symbols if isinstance(s, Symbol) and s.is_integer), key=text))
            number = self._partial_numbers.setdefault(expr, len(self._partial_numbers))
            # Evaluator.partial's remembered branch in place: one call and one closure less per evaluation.
            return lambda ev: ev.remember(("partial", (number, tuple([ev.bindings.get(s) for s in key_symbols]))),
                                          ev.differentiated, body, var)
        if isinstance(expr, AppliedUndef):
            return self._elementwise(expr)
        if isinstance(expr, (Quotient, Remainder)):  # a digit of a Kronecker product's row or of vec's
            x, d = (self.compile(a) for a in expr.args)
            if isinstance(expr, Quotient):
                return lambda ev: int(x(ev)) // int(d(ev))
            return lambda ev: int(x(ev)) % int(d(ev))
        if isinstance(expr, sympy.Abs):
            arg = self.compile(expr.args[0])
            return lambda ev: _absolute(arg(ev), ev.direction)
        if isinstance(expr, sympy.Max) and len(expr.args) == 2:
            return self._max(expr)
        if isinstance(expr, sympy.Heaviside):
            arg = self.compile(expr.args[0])
            return lambda ev: _step(arg(ev), ev, arg)
        series = _SERIES.get(type(expr))
        if series is not None:
            arg = self.compile(expr.args[0])
            return lambda ev: jets.compose(arg(ev), series)
        raise UnsupportedError(f"cannot evaluate {type(expr).__name__} in random tests")

    def _leading_constant(self, expr: Expr, identity: int) -> tuple[object, list[Compiled]]:
        """A sum's or product's written number (SymPy puts it first) as the value to start
        from, and the other terms compiled: starting at ``0 + c`` or ``1 * c`` is starting at
        ``c``, the same exact value, without a call per evaluation."""
        first = expr.args[0]
        if first.is_Rational and first != 0:  # a product by a written 0 still evaluates nothing else
            start = int(first.p) if first.q == 1 else fmpq(int(first.p), int(first.q))
            return start, [self.compile(a) for a in expr.args[1:]]
        return identity, [self.compile(a) for a in expr.args]

    def _product(self, expr: sympy.Mul) -> Compiled:
        # 0 times the inverse of a singular matrix, or a member a recurrence leaves undefined, is undefined, not 0
        if expr.has(InverseEntry) or self._undefined_somewhere(expr):
            every = [self.compile(a) for a in expr.args]
            return lambda ev: matrix_values.product_of(every, ev)
        if sum(map(is_radical, expr.args)) > 1:
            return self._with_radicals(expr)
        return _multiplied(*self._leading_constant(expr, 1))

    def _with_radicals(self, expr: sympy.Mul) -> Compiled:
        """A product with two or more roots (``\\sqrt{N} \\sqrt{M}``, SymPy's ``\\sqrt{N M}``): the roots
        evaluated as one, exact where their product is a whole power (:mod:`deriv.engine.radicals`)."""
        roots = [a for a in expr.args if is_radical(a)]
        rest = sympy.Mul(*(a for a in expr.args if not is_radical(a)), evaluate=False)
        exponents = [fmpq(int(a.exp.p), int(a.exp.q)) for a in roots]
        separately = _multiplied(1, [self.compile(a) for a in roots])
        joined = radical_product([self.compile(a.base) for a in roots], exponents, separately)
        if rest == 1:
            return joined
        start, others = self._leading_constant(rest, 1) if isinstance(rest, sympy.Mul) else (1, [self.compile(rest)])
        return _multiplied(start, [*others, joined])

    def _delta(self, expr: KroneckerDelta) -> Compiled:
        first, second = expr.args
        if not all(isinstance(s, Symbol) and s.is_integer for s in expr.args):
            a, b = self.compile(first), self.compile(second)
            return lambda ev: int(a(ev) == b(ev))

        def delta(ev: Evaluator):  # two index symbols read in place, as the entries' closures do
            bindings = ev.bindings
            i, j = bindings.get(first), bindings.get(second)
            if i is None or j is None:  # a size, or no value (the first such symbol's error)
                i, j = ev.bound_value(first), ev.bound_value(second)
            return int(i == j)

        return delta

    def _symbol(self, symbol: Symbol) -> Compiled:
        if symbol.is_integer:

            def index(ev: Evaluator):  # read in place, as the entries' closures do (one call less)
                value = ev.bindings.get(symbol)
                return ev.bound_value(symbol) if value is None else value

            return index
        name = symbol.name
        if self.context.is_defined(name):
            return lambda ev: ev.defined_entry(name, ())
        return lambda ev: ev.declared_entry(name, ())

    def _indexed(self, expr: Indexed) -> Compiled:
        name = base_name(expr)
        indices = [self.compile(i) for i in expr.indices]
        # By name, so an evaluator's own override is called (shrink's notes what it reads).
        if self.context.is_defined(name):
            read = "defined_entry"
        elif name in self.context.declared:
            read = self._reading(name)
        else:
            raise UnsupportedError(f"{name} is neither declared nor defined")
        # Entries are read at every index value of every instance: no generator for the common shapes,
        # and a plain index symbol read from the bindings in place (one call less per index).
        symbols = expr.indices
        if len(indices) == 2 and all(isinstance(s, Symbol) and s.is_integer for s in symbols):
            row, col = symbols

            def entry(ev: Evaluator):
                bindings = ev.bindings
                i = bindings.get(row)
                if i is None:
                    i = ev.bound_value(row)
                j = bindings.get(col)
                if j is None:
                    j = ev.bound_value(col)
                return getattr(ev, read)(name, (int(i), int(j)))

            return entry
        if len(indices) == 1 and isinstance(symbols[0], Symbol) and symbols[0].is_integer:
            (row,) = symbols

            def vector_entry(ev: Evaluator):
                i = ev.bindings.get(row)
                if i is None:
                    i = ev.bound_value(row)
                return getattr(ev, read)(name, (int(i),))

            return vector_entry
        if len(indices) == 1:
            (first,) = indices
            return lambda ev: getattr(ev, read)(name, (int(first(ev)),))
        if len(indices) == 2:
            first, second = indices
            return lambda ev: getattr(ev, read)(name, (int(first(ev)), int(second(ev))))
        return lambda ev: getattr(ev, read)(name, tuple(int(i(ev)) for i in indices))

    def _power(self, expr: sympy.Pow) -> Compiled:
        base, exponent = expr.args
        base_f = self.compile(base)
        if exponent.is_Rational:
            if abs(exponent) > MAX_POWER:
                raise UnsupportedError(f"exponent {exponent} is too large to test")
            rational = fmpq(int(exponent.p), int(exponent.q))
            if rational.q == 1:
                n = int(rational.p)
                return lambda ev: certified.integer_power(base_f(ev), n)
            series = jets.power_series(rational)
            return lambda ev: jets.compose(base_f(ev), series)
        exponent_f = self.compile(exponent)
        return lambda ev: _general_power(base_f(ev), exponent_f(ev))

    def _sum(self, expr: Sum) -> Compiled:
        body = self.compile(expr.function)
        compiled = body
        for var, lo, hi in expr.limits:  # the first limit is the innermost (SymPy)
            compiled = _summed(var, self.compile(lo), self.compile(hi), compiled)
        sizes = set(self.context.sizes)
        indices = tuple(sorted((s for s in expr.free_symbols if isinstance(s, Symbol) and s.is_integer
                                and s not in sizes), key=text))
        self._sums += 1
        return _reused(compiled, indices, self._sums)

    def _max(self, expr: sympy.Max) -> Compiled:
        """``max(a, b)``; relu (``max(0, u)``) with its derivative at 0 the instance's ``relu'(0)``."""
        if sympy.S.Zero in expr.args:
            u = self.compile(next(x for x in expr.args if x != 0))
            return lambda ev: _relu(u(ev), ev)
        a, b = (self.compile(x) for x in expr.args)
        return lambda ev: _larger(a(ev), b(ev), ev.direction)

    def _elementwise(self, expr: AppliedUndef) -> Compiled:
        name, order = split_elementwise_name(expr.func.__name__)
        if len(expr.args) != 1:
            raise UnsupportedError(f"{name} takes one argument")
        argument = expr.args[0]
        arg = self.compile(argument)
        symbols = tuple(sorted((s for s in argument.free_symbols if isinstance(s, Symbol) and s.is_integer), key=text))
        return lambda ev: ev.elementwise(name, arg(ev), order, (argument, tuple(ev.bindings.get(s) for s in symbols)))


def _outer_indices(arg: MatrixArg) -> tuple[Symbol, ...]:
    return tuple(sorted((s for s in arg.body.free_symbols
                         if isinstance(s, Symbol) and s.is_integer and s not in (arg.row, arg.col)), key=str))


def _undefined(ev: Evaluator):
    raise certified.DomainError("division by zero (or the logarithm of 0)")


def _absolute(value, direction: Direction | None = None):
    """``|value|``: the value times its certified sign (a jet keeps its derivatives).

    At a sign that can not be certified (a ball around 0) this is a
    precision problem, never a guess; at an exact 0 the derivative of
    ``|u|`` does not exist, which only matters when a jet asks for it
    (then the piece on the side a derivative at the kink is judged from, :mod:`.one_sided`).
    """
    plain = value.value if isinstance(value, jets.Jet) else value
    s = certified.sign(plain, "an absolute value")
    if s == 0 and isinstance(value, jets.Jet):
        s = side_of(value, direction, "the absolute value")
    return value if s >= 0 else -value


def _larger(a, b, direction: Direction | None = None):
    """``max(a, b)`` (``relu`` is ``Max(0, x)``), by the certified sign of
    ``a - b``: a ball around 0 is a precision problem, never a guess, and at
    an exact tie a jet (a derivative) does not exist (but has a side, :mod:`.one_sided`)."""
    difference = a - b
    plain = difference.value if isinstance(difference, jets.Jet) else difference
    s = certified.sign(plain, "a maximum (relu)")
    if s == 0 and isinstance(difference, jets.Jet):
        s = side_of(difference, direction, "the maximum (relu)")
    return a if s >= 0 else b


#: Why an instance that chose no value of ``relu'(0)`` met one (:func:`deriv.engine.kinks.every_choice`).
STEP_UNCHOSEN = "relu' at 0, where it may be any value in [0, 1]"


def _relu(value, ev: Evaluator):
    """``relu(value)``; at an exact 0 a jet's first-order part is ``relu'(0)`` times the argument's
    (the value the instance chose in [0, 1], :mod:`deriv.engine.kinks`, as the symbolic rule's
    ``relu'(u) u'`` takes it: ``\\frac{d}{dx} relu(x)`` is defined at 0); a second-order part there
    (``relu''(0)``) does not exist, but has a piece on each side (:mod:`.one_sided`).  A first-order
    one met while a derivative is judged from a side is taken by its branch, then by its convention
    (``relu(c) + relu(-c) - |c|`` is 0: only both parting certify, :func:`.one_sided.judged`)."""
    if not isinstance(value, jets.Jet) or certified.sign(value.value, "a maximum (relu)") != 0:
        return _larger(value, 0)
    moved = value.nilpotent()
    direction = ev.direction
    if not certified.is_exact_zero(moved * moved):
        return value if side_of(value, direction, "the maximum (relu)") > 0 else 0
    if direction is not None:
        direction.convention = True
        if direction.honest:
            return value if side_of(value, direction, "the maximum (relu)") > 0 else 0
    at_zero = ev.instance.step_at_zero
    if at_zero is None:
        raise certified.PrecisionError(STEP_UNCHOSEN, redraw=True)
    ev.conventions += 1
    return at_zero * moved


def _step(value, ev: Evaluator, argument: Compiled):
    """The Heaviside step (``relu'``): 1 above 0, 0 below, and at 0 the value the instance
    chose in [0, 1] (:mod:`deriv.engine.kinks`); without one, the instance is redrawn --
    never a guess, never a counterexample.  A derivative of it at 0 does not exist (its
    pieces, 1 and 0, differ: :mod:`.one_sided`), also where the argument's jet vanished (``x^3``)."""
    plain = value.value if isinstance(value, jets.Jet) else value
    s = certified.sign(plain, "a step (relu')")
    if s:
        return 1 if s > 0 else 0
    if isinstance(value, jets.Jet):
        return 1 if side_of(value, ev.direction, "the step relu'") > 0 else 0
    piece = vanished_step(ev, argument) if ev.targets else None
    if piece is not None:
        return piece
    at_zero = ev.instance.step_at_zero
    if at_zero is None:
        raise certified.PrecisionError(STEP_UNCHOSEN, redraw=True)
    return at_zero


def _reused(compiled: Compiled, indices: tuple[Symbol, ...], number: int) -> Compiled:
    """A sum remembered by the values of the indices it depends on, when an index it does not
    depend on is bound too: inside a loop over that index (a whole matrix tabulated for its
    determinant or inverse, every row of a product) it is computed once per value of its own
    indices, not once per point -- ``\\det(A^{-1} B^{-1} A B A^{-1})`` read its nested sums
    N^6 times at N = 17, past any step's budget."""
    key = ("sum", number)
    width = len(indices)

    def evaluate(ev: Evaluator):
        bindings = ev.bindings
        # Its indices' values (None: unbound, as a matrix argument's own row inside it is).
        values = tuple([bindings.get(s) for s in indices])
        if len(bindings) <= width - values.count(None):  # every bound index is its own: nothing to reuse
            return compiled(ev)
        return ev.remember((key, values), compiled, ev)

    return evaluate


def _summed(var: Symbol, lo: Compiled, hi: Compiled, inner: Compiled) -> Compiled:
    """One limit of a sum: ``inner`` added up over ``var`` from ``lo`` to ``hi``."""

    def evaluate(ev: Evaluator):
        values = range(int(lo(ev)), int(hi(ev)) + 1)
        total = 0
        # Set per value, then what it shadowed put back (as ev.bound would, without its objects).
        bindings = ev.bindings
        shadowed = bindings.get(var)
        try:
            for value in values:
                bindings[var] = value
                total = total + inner(ev)
        finally:
            if shadowed is None:
                bindings.pop(var, None)
            else:
                bindings[var] = shadowed
        return total

    return evaluate


def _added(start: object, parts: list[Compiled]) -> Compiled:
    """A sum of ``parts`` from ``start``, added in order (each addition is made, even to
    a start of 0: a ball records its magnitudes, a jet is normalised); two or three terms,
    the common case, without a loop or a second call."""
    if len(parts) == 2:
        a, b = parts
        return lambda ev: start + a(ev) + b(ev)
    if len(parts) == 3:
        a, b, c = parts
        return lambda ev: start + a(ev) + b(ev) + c(ev)
    return lambda ev: _added_values(start, parts, ev)


def _added_values(start: object, parts: list[Compiled], ev: Evaluator):
    total = start
    for part in parts:
        total = total + part(ev)
    return total


def _multiplied(start: object, parts: list[Compiled]) -> Compiled:
    """A product of ``parts`` from ``start``, multiplied in order, stopping at an exact 0
    (what is left unevaluated may be undefined there); two factors without a loop or a second call."""
    if len(parts) == 2:
        a, b = parts

        def product(ev: Evaluator):
            result = start * a(ev)
            if isinstance(result, _EXACT) and result == 0:  # certified.is_exact_zero, inline
                return result
            return result * b(ev)

        return product
    return lambda ev: _product_values(start, parts, ev)


def _product_values(start: object, parts: list[Compiled], ev: Evaluator):
    result = start
    for part in parts:
        result = result * part(ev)
        if isinstance(result, _EXACT) and result == 0:  # certified.is_exact_zero, inline
            return result
    return result


#: Bits an exact power with a computed exponent may reach (``x^{MN}``, ``x^s``).
MAX_POWER_BITS = 1 << 15


def _general_power(base, exponent):
    """``base ** exponent`` for a computed exponent: an exact integer or rational
    exponent is a power (defined for negative bases when integer), else
    ``exp(exponent log(base))``.  An exact power past :data:`MAX_POWER_BITS`
    asks for smaller values (the first instance's large integers), not for no
    verdict; a ball's is bounded by its magnitude."""
    if certified.is_exact(exponent):
        exponent = fmpq(exponent)
        if exponent.q == 1:
            n = int(exponent.p)
            plain = jets.value_of(base)
            if abs(n) > MAX_POWER and certified.is_exact(plain):
                value = fmpq(plain)
                if max(int(value.p).bit_length(), int(value.q).bit_length()) * abs(n) > MAX_POWER_BITS:
                    raise certified.PrecisionError(f"exponent {n} is too large to evaluate", redraw=True)
            return certified.integer_power(base, n)
        return jets.compose(base, jets.power_series(exponent))
    return jets.compose(jets.compose(base, jets.log_series) * exponent, jets.exp_series)

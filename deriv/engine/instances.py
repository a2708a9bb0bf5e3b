"""Random concrete instances, and exact evaluation of index expressions on them.

An :class:`Instance` fixes pairwise distinct sizes, a random rational for
every entry of every declared array (one value per entry, shared by every
occurrence), and a random polynomial for every function.  An
:class:`Evaluator` computes an expression's value there: sums are loops,
defined names are computed from their definitions, and a partial
derivative is the slope after perturbing one entry by a dual ``eps``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

import sympy
from sympy import Expr, Indexed, Symbol

from deriv.context import Context
from deriv.engine import numbers
from deriv.engine.differentiate import variable_name
from deriv.engine.numbers import Dual
from deriv.errors import UnsupportedError
from deriv.ir import MatrixArg

if TYPE_CHECKING:  # the compiler imports this module
    from deriv.engine.compiler import Compiler

Compiled = Callable[["Evaluator"], object]
#: Numerators of random entries are drawn from [-VALUE_RANGE, VALUE_RANGE].
VALUE_RANGE = 9999
#: Numerators of the small fractions of later trials.
SMALL_RANGE = 40
#: Random instances tried per trial before giving up on a function's domain.
ATTEMPTS = 6
MAX_POWER = 64
#: Degree of the random polynomials that stand for functions.
DEGREE = 7


def trial_sizes(sizes: tuple[Symbol, ...], trial: int) -> dict[Symbol, int]:
    """Pairwise distinct sizes, different in every trial: 2, 3, 4, ... plus the trial."""
    # Growing by one each trial changes every size, keeps them distinct, and
    # makes no trial a permutation of another (so S + M + N differs too).
    return {s: 2 + k + trial for k, s in enumerate(sizes)}


class RandomPolynomial:
    """A random polynomial in ``n`` inputs: every quadratic term, plus a random
    univariate polynomial of degree :data:`DEGREE` in each input.

    An identity that holds for every polynomial of that degree would pass;
    high degree makes such coincidences (finite differences) unlikely.
    """

    def __init__(self, rng: random.Random, inputs: int) -> None:
        draw = lambda: rng.randint(-9, 9)
        self.constant = draw()
        self.diagonal = [RandomScalarPolynomial(rng) for _ in range(inputs)]
        self.quadratic = {(k, l): draw() for k in range(inputs) for l in range(k + 1, inputs)}

    def value(self, v: list):
        total = self.constant
        for k, x in enumerate(v):
            total = total + self.diagonal[k].evaluate(x)
        for (k, l), c in self.quadratic.items():
            total = total + c * v[k] * v[l]
        return total

    def gradient(self, v: list) -> list:
        grad = [self.diagonal[k].evaluate(x, 1) for k, x in enumerate(v)]
        for (k, l), c in self.quadratic.items():
            grad[k] = grad[k] + c * v[l]
            grad[l] = grad[l] + c * v[k]
        return grad


class RandomScalarPolynomial:
    """A random polynomial of degree :data:`DEGREE` in one variable, with
    exact derivatives of any order."""

    def __init__(self, rng: random.Random) -> None:
        self.coefficients = [rng.randint(-9, 9) for _ in range(DEGREE + 1)]
        if self.coefficients[DEGREE] == 0:
            self.coefficients[DEGREE] = 1

    def evaluate(self, x, order: int = 0):
        coefficients = list(self.coefficients)
        for _ in range(order):
            coefficients = [k * c for k, c in enumerate(coefficients)][1:]
        total = 0
        for c in reversed(coefficients):
            total = total * x + c
        return total


class Instance:
    """Sizes, entry values and function polynomials for one random trial."""

    def __init__(self, context: Context, seed: int, trial: int, attempt: int = 0) -> None:
        self.context = context
        self.seed, self.trial, self.attempt = seed, trial, attempt
        # The last attempt (after domain errors: log of a negative, ...) draws
        # positive values only; earlier ones mix signs.
        self.positive = attempt == ATTEMPTS - 1
        self.sizes = trial_sizes(context.sizes, trial)
        self._rng = random.Random(f"deriv:{seed}:{trial}:{attempt}")
        self._scalars_drawn = 0
        self.arrays: dict[str, object] = {}
        for name, declared in context.declared.items():
            if declared.is_array:
                self.arrays[name] = self._array(declared.kind, declared.shape)
        self._polynomials: dict[tuple[str, int], object] = {}

    def size(self, extent: Expr) -> int:
        """A size expression (``N``, ``1``, ``N - 1``) at this instance's sizes."""
        extent = sympy.sympify(extent)
        if extent.is_Integer:
            return int(extent)
        return int(extent.xreplace({s: sympy.Integer(v) for s, v in self.sizes.items()}))

    def _draw(self, sign: int | None = None) -> int | Fraction:
        """A random nonzero value.

        Trial 0 draws large integers (exact and fast, good for polynomial
        identities); later trials draw small fractions, where ``\\exp`` and
        ``\\tanh`` do not saturate and a wrong transcendental step shows.
        """
        if self.trial == 0:
            value: int | Fraction = self._rng.randint(1, VALUE_RANGE)
        else:
            value = Fraction(self._rng.randint(1, SMALL_RANGE), self._rng.randint(1, 12))
        if sign is None:
            sign = 1 if self.positive or self._rng.random() < 0.5 else -1
        return value if sign > 0 else -value

    def _array(self, kind: str, shape) -> object:
        if kind == "scalar":
            return self._draw(self._scalar_sign())
        rows, cols = self.size(shape[0]), self.size(shape[1])
        cells = list(itertools.product(range(rows), range(cols)))
        if kind == "identity":
            return {(i, j): int(i == j) for i, j in cells}
        if kind == "ones":
            return {(i,): 1 for i in range(rows)}
        if kind == "vector":
            return {(i,): self._draw() for i in range(rows)}
        values = {cell: self._draw() for cell in cells}
        if kind == "symmetric":
            values = {(i, j): values[min(i, j), max(i, j)] for i, j in cells}
        return values

    def _scalar_sign(self) -> int | None:
        # A lone scalar gets opposite signs in the first two trials, so a
        # step true only for positive scalars (|lambda x| = lambda |x|) fails.
        if self.positive or self.attempt:
            return None
        self._scalars_drawn += 1
        return 1 if (self.trial + self._scalars_drawn) % 2 else -1

    def polynomial(self, name: str, inputs: int | None = None):
        """The random polynomial standing for function ``name``."""
        key = (name, inputs or 0)
        if key not in self._polynomials:
            rng = random.Random(f"deriv:{self.seed}:{self.trial}:{name}:{inputs}")
            self._polynomials[key] = RandomScalarPolynomial(rng) if inputs is None else RandomPolynomial(rng, inputs)
        return self._polynomials[key]


class Evaluator:
    """Evaluates compiled expressions on one instance, index values bound by name."""

    def __init__(self, instance: Instance, compiler: "Compiler") -> None:
        self.instance = instance
        self.compiler = compiler
        self.context = instance.context
        self.bindings: dict[Symbol, int] = {}
        self.arrays = instance.arrays
        self.cache: dict[object, object] = {}
        self.perturbing = False

    def bound_value(self, symbol: Symbol) -> int:
        if symbol in self.bindings:
            return self.bindings[symbol]
        if symbol in self.instance.sizes:
            return self.instance.sizes[symbol]
        raise UnsupportedError(f"index {symbol} has no value here")

    def declared_entry(self, name: str, indices: tuple[int, ...]):
        table = self.arrays[name]
        if not isinstance(table, dict):
            return table
        try:
            return table[indices]
        except KeyError:
            raise UnsupportedError(f"entry {name}{list(i + 1 for i in indices)} is out of range") from None

    def defined_entry(self, name: str, indices: tuple[int, ...]):
        key = (name, indices)
        if key not in self.cache:
            definition = self.context.definitions[name]
            body = self.compiler.compile(definition.body)
            with self.bound(dict(zip(definition.params, indices))):
                self.cache[key] = body(self)
        return self.cache[key]

    def bound(self, values: dict[Symbol, int]) -> "_Bindings":
        return _Bindings(self, values)

    def tabulate(self, arg: MatrixArg) -> list:
        """Row-major values of a whole matrix argument."""
        free = tuple(sorted((s, self.bindings[s]) for s in arg.body.free_symbols if s in self.bindings and s not in (arg.row, arg.col)))
        key = ("arg", arg, free)
        if key not in self.cache:
            body = self.compiler.compile(arg.body)
            rows, cols = self.instance.size(arg.rows), self.instance.size(arg.cols)
            values = []
            for i, j in itertools.product(range(rows), range(cols)):
                with self.bound({arg.row: i, arg.col: j}):
                    values.append(body(self))
            self.cache[key] = values
        return self.cache[key]

    def opaque(self, name: str, arg: MatrixArg):
        values = self.tabulate(arg)
        return self.instance.polynomial(name, len(values)).value(values)

    def opaque_gradient(self, name: str, arg: MatrixArg, i: int, j: int):
        values = self.tabulate(arg)
        key = ("grad", name, id(values))
        if key not in self.cache:
            self.cache[key] = (values, self.instance.polynomial(name, len(values)).gradient(values))
        cols = self.instance.size(arg.cols)
        return self.cache[key][1][i * cols + j]

    def partial(self, body: Compiled, var: Expr, key: object = None):
        """Slope of ``body`` when the entry ``var`` is perturbed by ``eps``."""
        if key is not None and ("partial", key) in self.cache:
            return self.cache["partial", key]
        if self.perturbing:
            raise UnsupportedError("nested derivatives are not tested")
        name = variable_name(var)
        if self.context.kind_of(name) == "symmetric":
            raise UnsupportedError("derivatives with respect to a symmetric matrix are not supported")
        indices = tuple(int(self.compiler.compile(i)(self)) for i in var.indices) if isinstance(var, Indexed) else ()
        saved = (self.arrays, self.cache)
        self.perturbing = True
        try:
            if self.context.is_defined(name):
                value = self.defined_entry(name, indices)
                self.cache = {(name, indices): Dual(value, 1)}
            else:
                arrays = dict(self.arrays)
                table = arrays[name]
                if isinstance(table, dict):
                    table = dict(table)
                    table[indices] = Dual(table[indices], 1)
                else:
                    table = Dual(table, 1)
                arrays[name] = table
                self.arrays, self.cache = arrays, {}
            slope = numbers.slope_of(body(self))
        finally:
            self.arrays, self.cache = saved
            self.perturbing = False
        if key is not None:
            self.cache["partial", key] = slope
        return slope


class _Bindings:
    """Binds index symbols for a block, restoring what they shadowed."""

    def __init__(self, evaluator: Evaluator, values: dict[Symbol, int]) -> None:
        self.evaluator, self.values, self.saved = evaluator, values, {}

    def __enter__(self) -> None:
        bindings = self.evaluator.bindings
        self.saved = {s: bindings.get(s) for s in self.values}
        bindings.update(self.values)

    def __exit__(self, *exc) -> None:
        bindings = self.evaluator.bindings
        for symbol, old in self.saved.items():
            if old is None:
                bindings.pop(symbol, None)
            else:
                bindings[symbol] = old

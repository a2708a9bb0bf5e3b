"""Random concrete instances, and certified evaluation of index expressions on them.

An :class:`Instance` fixes pairwise distinct sizes and an exact random
rational (``int`` or ``fmpq``, of either sign) for every entry of every declared array,
one value per entry, shared by every occurrence.  An :class:`Evaluator`
computes an expression's value there at one working precision: sums are
loops, defined names are computed from their definitions, functions are
random jets (:mod:`deriv.engine.functions`), and a partial derivative is the
coefficient of a fresh nilpotent tag after perturbing one entry
(:mod:`deriv.engine.jets`) -- never a chain rule the symbolic side also uses.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Any, Protocol, cast

import sympy
from sympy.core.sympify import _sympify  # strict: never parses a string
from flint import fmpq
from sympy import Expr, Symbol

from deriv.context import Context, Definition
from deriv.engine import certified, jets, one_sided
from deriv.engine.certified import Recorder
from deriv.engine.instance_cells import check_cells
from deriv.engine.functions import DRAWN, RandomFunctions, Shape
from deriv.engine.matrix_values import determinant_signed
from deriv.engine.patterns import pattern, pattern_sign, scalar_kind, scalar_numbers
from deriv.errors import UnsupportedError
from deriv.ir import MatrixArg

Compiled = Callable[["Evaluator"], object]


class Compiling(Protocol):
    """What an evaluator asks of the compiler (:class:`deriv.engine.compiler.Compiler`, which
    imports this module): compiled bodies, numbered matrix arguments, names of variables."""

    def compile(self, expr: Expr) -> Compiled: ...

    def matrix(self, arg: MatrixArg) -> tuple[int, tuple[Symbol, ...]]: ...

    def matrix_text(self, number: int) -> str: ...

    def direct_entry(self, arg: MatrixArg) -> tuple[str, str] | None: ...

    def variable(self, var: Expr) -> str: ...

    def indices(self, var: Expr, ev: Evaluator) -> tuple[int, ...]: ...

#: Numerators of the large integers of the first instance.
VALUE_RANGE = 9999
#: Random instances tried per size assignment (domains, precision).
ATTEMPTS = 10
#: Attempts from this one on (reached only when every earlier one was redrawn) draw every value inside (-1, 1).
UNIT_ATTEMPT = 8
MAX_POWER = 64


class Instance:
    """Sizes and entry values for one random trial (one attempt of it)."""

    #: How every opaque and elementwise function is shaped (set by the claim tester).
    functions: Shape = DRAWN
    #: Why the assumptions could not be imposed on this instance (set by the decider), if so.
    unsatisfied: Exception | None = None
    #: Whether equation assumptions set some of its values (solved for, or zero): they may have
    #: made a matrix singular (:func:`deriv.engine.assumptions.presupposed`).
    imposed: bool = False
    #: The value ``relu'(0)`` takes here, any in [0, 1] (set on the copies :mod:`deriv.engine.kinks`
    #: makes); None: a ``relu'`` exactly at 0 asks for another instance.
    step_at_zero: object = None

    def __init__(self, context: Context, seed: int, trial: int, sizes: dict[Symbol, int], attempt: int = 0) -> None:
        self.context = context
        self.seed, self.trial, self.attempt = seed, trial, attempt
        self.sizes = dict(sizes)
        key = ",".join(f"{s}={v}" for s, v in self.sizes.items())
        self._rng = random.Random(f"deriv:{seed}:{trial}:{key}:{attempt}")
        self._arrays_drawn = 0  # arrays drawn so far: the next one's number in the sign patterns
        self._extents: dict[object, int] = {}  # size expression -> its value here
        # name -> a number (fmpq, or a ball) or a table of entries {index tuple: number}: Any,
        # as the engine reads both kinds by the declaration, not by an isinstance test.
        self.arrays: dict[str, Any] = {}
        numbers = scalar_numbers(context)
        check_cells((d.shape[:2] for n, d in context.declared.items() if d.is_array and n not in numbers), self.size,
                    ", ".join(f"{s} = {v}" for s, v in self.sizes.items()))
        for name, declared in context.declared.items():
            if name in numbers:
                self.arrays[name] = self._scalar(numbers[name], declared.positive)
            elif declared.is_array:
                self.arrays[name] = self._array(declared.kind, declared.shape, declared.positive)

    def size(self, extent: Expr) -> int:
        """A size expression (``N``, ``1``, ``N - 1``) at this instance's sizes (remembered:
        every tabulated matrix asks for its two)."""
        extents = self.__dict__.setdefault("_extents", {})  # also for subclasses that set their own fields
        found = extents.get(extent)
        if found is None:
            found = extents[extent] = self._size(_sympify(extent))
        return found

    def _size(self, extent: Expr) -> int:
        if extent.is_Integer:
            return int(extent)
        return int(extent.xreplace({s: sympy.Integer(v) for s, v in self.sizes.items()}))

    def _draw(self, sign: int | None = None) -> int | fmpq:
        """A random nonzero value.

        The first instance draws large integers (exact and fast, good for
        polynomial identities); later ones small fractions, where ``\\exp``
        and ``\\tanh`` do not saturate; attempts after a precision failure
        smaller ones still, and two more after those (when every one was
        redrawn: the sides undefined everywhere, say) values inside ``(-1, 1)``, the domain of ``\\arcsin``
        and ``\\operatorname{arctanh}``, for every entry of a vector at once.
        """
        rng = self._rng
        if self.trial == 0 and self.attempt == 0:
            value: int | fmpq = rng.randint(1, VALUE_RANGE)
        elif self.attempt < 3:
            value = fmpq(rng.randint(1, 40), rng.randint(1, 12))
        elif self.attempt < UNIT_ATTEMPT:
            value = fmpq(rng.randint(1, 6), rng.randint(1, 6))
        else:
            denominator = rng.randint(2, 12)
            value = fmpq(rng.randint(1, denominator - 1), denominator)
        if sign is None:
            sign = 1 if rng.random() < 0.5 else -1
        return value if sign > 0 else -value

    def _array(self, base: str, shape, positive: bool = False) -> object:
        rows, cols = self.size(shape[0]), self.size(shape[1])
        cells = list(itertools.product(range(rows), range(cols)))
        if base == "identity":
            return {(i, j): int(i == j) for i, j in cells}
        if base == "ones":
            return {(i,): 1 for i in range(rows)}
        # The first entry follows the sign pattern (the others are random): some entry is
        # negative where a power by a size is odd (``v_i^N``, ``\\sqrt{v_i^{2N}}``).
        first = 1 if positive else self._array_sign()
        sign = 1 if positive else None
        if base == "vector":
            return {(i,): self._draw(first if i == 0 else sign) for i in range(rows)}
        values = {cell: self._draw(first if cell == (0, 0) else sign) for cell in cells}
        if base == "symmetric":
            values = {(i, j): values[min(i, j), max(i, j)] for i, j in cells}
        if shape[0] == shape[1] and not positive:  # a square matrix's determinant follows the sign pattern too
            # (never a positive one's: a negated row broke its declaration, and refuted tr(P) > 0)
            values = determinant_signed(values, rows, first, base == "symmetric")
        return values

    def _scalar(self, number: int, positive: bool) -> int | fmpq:
        k = pattern(self.trial, self.attempt)
        sign = 1 if positive else pattern_sign(number, k)
        kind = None if k == 0 or self.attempt >= 3 else scalar_kind(number, k)
        if kind == "even":
            return sign * 2 * self._rng.randint(1, 3)
        if kind == "fraction":
            # A denominator prime to 2 and 3: twice or an even multiple of it is no integer either.
            q = self._rng.choice((5, 7, 11))
            p = self._rng.randint(1, 40)
            return fmpq(sign * (p + (p % q == 0)), q)
        return self._draw(sign)

    def _array_sign(self) -> int:
        sign = pattern_sign(self._arrays_drawn, pattern(self.trial, self.attempt))
        self._arrays_drawn += 1
        return sign


#: Tags a vanished argument of the step is moved by again (:meth:`Evaluator.probed`): a polynomial
#: argument up to this degree shows its lowest nonzero Taylor coefficient.
PROBE_TAGS = 6


class Evaluator:
    """Evaluates compiled expressions on one instance at one precision.

    Remembered values (defined entries, whole matrix arguments, partials)
    carry the magnitudes recorded while computing them, so every later use
    records them too.
    """

    def __init__(self, instance: Instance, compiler: Compiling, precision: int = certified.START_PRECISION) -> None:
        self.instance = instance
        self.compiler = compiler
        self.context = instance.context
        self.precision = precision
        self.bindings: dict[Symbol, int] = {}
        self.arrays = instance.arrays
        #: key -> (value, magnitudes recorded, entries read): what was read
        #: decides what a derivative's perturbation leaves valid.
        self.cache: dict[object, tuple[object, Recorder, frozenset]] | _Unaffected = {}
        self._reads: set = set()
        #: What ``_reads`` is outside every remembered computation: read by no one, so a
        #: remembered value's reads are not added to it (a whole matrix's entries, at every hit).
        self._unread = self._reads
        #: Entries of defined names held at a perturbed value (derivatives by them).
        self.pinned: dict[tuple[str, tuple[int, ...]], object] = {}
        # Not the precision: a function is the same function at every precision.
        self.functions = RandomFunctions(f"deriv:{instance.seed}:{instance.trial}:{instance.attempt}", self._origin_text,
                                         instance.__dict__.setdefault("_function_points", {}), instance.functions)
        self._tags = itertools.count()
        #: The side kinks are taken on while a derivative at one is judged (:mod:`.one_sided`).
        self.direction: one_sided.Direction | None = None
        #: The entries derivatives are being taken by, outermost first: a kink is judged at the outermost.
        self.targets: list[tuple] = []
        #: How many derivatives of relu at 0 took its convention, ``relu'(0)`` times the argument's.
        self.conventions = 0

    def remember(self, key: object, compute: Callable[..., object], *args: object) -> object:
        """The value remembered under ``key``, else ``compute(*args)`` (remembered with
        the magnitudes it recorded and the entries it read)."""
        hit = self.cache.get(key)
        if hit is not None:
            value, recorder, reads = hit
            if recorder.lo is not None or recorder.overlap:
                certified.STATE.recorder.merge(recorder)
            if self._reads is not self._unread:
                self._reads |= reads
            return value
        state = certified.STATE
        saved, recorder = state.recorder, Recorder()
        outer_reads, self._reads = self._reads, set()
        state.recorder = recorder
        try:
            value = compute(*args)
        finally:
            state.recorder = saved
            reads, self._reads = frozenset(self._reads), outer_reads
            if outer_reads is not self._unread:
                outer_reads |= reads
        if recorder.lo is not None or recorder.overlap:
            saved.merge(recorder)
        self.cache[key] = (value, recorder, reads)
        return value

    def bound_value(self, symbol: Symbol) -> int:
        value = self.bindings.get(symbol)  # one lookup: hashing a SymPy symbol is a Python call
        if value is None:
            value = self.instance.sizes.get(symbol)
            if value is None:
                raise UnsupportedError(f"index {symbol} has no value here")
        return value

    def declared_entry(self, name: str, indices: tuple[int, ...]):
        self._reads.add((name, indices))
        table = self.arrays[name]
        if not isinstance(table, dict):
            return table
        try:
            return table[indices]
        except KeyError:
            raise UnsupportedError(f"entry {name}{list(i + 1 for i in indices)} is out of range") from None

    def defined_entry(self, name: str, indices: tuple[int, ...], definition: Definition | None = None):
        """An entry of a defined name (of ``definition``, a recurrence's, when given)."""
        key = (name, indices)
        self._reads.add(key)
        if self.pinned:
            pinned = self.pinned.get(key)
            if pinned is not None:
                return pinned
        return self.remember(key, self._define, name, indices, definition)

    def recurrent_entry(self, name: str, indices: tuple[int, ...]):
        """An entry of a family with a recurrence: the first member drawn, the others computed
        from earlier ones (unrolled, remembered like a defined entry)."""
        if indices[0] < 1:
            return self.declared_entry(name, indices)
        if indices[0] >= self.instance.size(self.context.declared[name].shape[0]):
            raise UnsupportedError(f"member {indices[0]} of {name} is out of range")
        recurrence = self.context.recurrences[name]
        if recurrence.conditions:  # undefined where its right side was before SymPy cancelled it
            self.remember(("defined", name, indices), self._check_defined, recurrence, indices)
        return self.defined_entry(name, indices, recurrence)

    def _check_defined(self, recurrence: Definition, indices: tuple[int, ...]) -> bool:
        """Raises where one of the recurrence's conditions fails at the member's row and entry
        (a soft one: the value there is unknown, so the instance is redrawn)."""
        outer = self.bindings
        self.bindings = {**outer, **dict(zip(recurrence.params, indices))}
        try:
            for condition in recurrence.conditions:
                try:
                    self.compiler.compile(condition.guard)(self)
                except certified.DomainError:
                    if not condition.soft:
                        raise
                    raise certified.PrecisionError(f"{condition.text()} fails: maybe not differentiable here",
                                                   redraw=True) from None
        finally:
            self.bindings = outer
        return True

    def _computed(self, name: str, indices: tuple[int, ...]) -> bool:
        """Whether the entry is computed (a defined name's, a recurrence's member after the first)."""
        return self.context.is_defined(name) or (name in self.context.recurrences and indices[0] >= 1)

    def _define(self, name: str, indices: tuple[int, ...], definition: Definition | None = None):
        definition = definition or self.context.definitions[name]
        body = self.compiler.compile(definition.body)
        # A copy with the parameters bound, put back afterwards: copying a dict reuses its
        # keys' hashes, where saving and restoring each shadowed symbol hashes it again.
        outer = self.bindings
        self.bindings = {**outer, **dict(zip(definition.params, indices))}
        try:
            return body(self)
        finally:
            self.bindings = outer

    def bound(self, values: dict[Symbol, int]) -> "_Bindings":
        return _Bindings(self, values)

    def arg_key(self, arg: MatrixArg) -> tuple:
        # By the compiler's number for the argument: equal arguments built apart would
        # otherwise be compared tree by tree at every lookup.
        number, outer = self.compiler.matrix(arg)
        bindings = self.bindings
        return ("arg", number, tuple([bindings.get(s) for s in outer]))

    def tabulate(self, arg: MatrixArg, key: tuple | None = None) -> list:
        """Row-major values of a whole matrix argument (``key``: its :meth:`arg_key`)."""

        def compute():
            body = self.compiler.compile(arg.body)
            rows, cols = self.instance.size(arg.rows), self.instance.size(arg.cols)
            values = []
            row, col = arg.row, arg.col
            direct = self.compiler.direct_entry(arg)
            with self.bound({row: 0, col: 0}):
                bindings = self.bindings
                if direct is not None:
                    # The entry of a name at the row and column (g(Y)): read it as ``body`` would.
                    read, name = getattr(self, direct[0]), direct[1]
                    for i, j in itertools.product(range(rows), range(cols)):
                        bindings[row], bindings[col] = i, j
                        values.append(read(name, (i, j)))
                    return values
                for i, j in itertools.product(range(rows), range(cols)):
                    bindings[row], bindings[col] = i, j
                    values.append(body(self))
            return values

        return cast(list, self.remember(key or self.arg_key(arg), compute))  # what compute returns

    def _origin_text(self, origin: object) -> str:
        """What an origin stands for, the same in every session (keys an inexact point)."""
        if isinstance(origin, tuple) and origin and origin[0] == "arg":
            return f"{self.compiler.matrix_text(origin[1])}@{origin[2]}"
        return str(origin)

    # The value parts of an argument do not depend on perturbations, so the
    # argument expression and its index values identify the point.
    def opaque(self, name: str, arg: MatrixArg):
        origin = self.arg_key(arg)
        return self.remember(("call", name, origin), lambda: self._opaque(name, arg, origin, None))

    def opaque_gradient(self, name: str, arg: MatrixArg, i: int, j: int):
        origin = self.arg_key(arg)
        position = i * self.instance.size(arg.cols) + j
        return self.remember(("grad", name, origin, position), lambda: self._opaque(name, arg, origin, position))

    def _opaque(self, name: str, arg: MatrixArg, origin: tuple, position: int | None):
        shape = (self.instance.size(arg.rows), self.instance.size(arg.cols))
        return self.functions.opaque(name, self.tabulate(arg, origin), shape, position, origin)

    def elementwise(self, name: str, x: object, order: int, origin: object = None):
        return self.functions.elementwise(name, x, order, origin)

    def partial(self, body: Compiled, var: Expr, key: object = None):
        """``d body / d var``: the coefficient of a fresh tag added to the entry ``var``."""
        if key is not None:
            return self.remember(("partial", key), lambda: self.differentiated(body, var))
        return self.differentiated(body, var)

    def differentiated(self, body: Compiled, var: Expr):
        """``d body / d var`` computed now (not remembered): the coefficient of a fresh tag.
        Where the outermost derivative meets a kink, it is judged there (:mod:`.one_sided`): it does
        not exist, is unknown, or is the pieces' common slope where it certainly exists."""
        if self.targets or self.direction is not None:
            tag, value = self._perturbed(body, var)
            return jets.coefficient(value, tag)
        try:
            tag, value = self._perturbed(body, var)
        except certified.NotDifferentiable as unknown:
            # No enclosing derivative here: the value it returns is a plain number.
            return one_sided.judged(self, self._perturbed, body, var, unknown)
        return jets.coefficient(value, tag)

    def _perturbed(self, body: Compiled, var: Expr) -> tuple[int, object]:
        """A fresh tag and ``body``'s value (a jet in it) with ``var`` perturbed by the tag."""
        name = self.compiler.variable(var)
        if self.context.kind_of(name) == "symmetric":
            raise UnsupportedError("derivatives with respect to a symmetric matrix are not supported")
        return self._moved(body, (name, self.compiler.indices(var, self)))

    def probed(self, compiled: Compiled, target: tuple) -> object:
        """``compiled``'s value with ``target`` moved by :data:`PROBE_TAGS` more fresh tags: the
        Taylor coefficients along it that a vanished jet no longer shows (``x^3`` to second order)."""
        def moved(depth: int) -> Compiled:
            if depth == 0:
                return compiled
            inner = moved(depth - 1)
            return lambda ev: ev._moved(inner, target, record=False)[1]
        return moved(PROBE_TAGS)(self)

    def _moved(self, body: Compiled, target: tuple, record: bool = True) -> tuple[int, object]:
        """A fresh tag and ``body``'s value with the entry ``target`` (name, indices) moved by it."""
        name, indices = target
        tag = next(self._tags)
        saved = (self.arrays, self.cache, self.pinned)
        if self.direction is not None:
            self.direction.target = self.direction.target or target
            if self.direction.target == target:
                self.direction.tags.add(tag)
        self.targets.append(target)
        try:
            if self._computed(name, indices):
                value = self.defined_entry(name, indices) if self.context.is_defined(name) else self.recurrent_entry(name, indices)
                self.pinned = {**self.pinned, target: jets.variable(value, tag)}
            else:
                arrays = dict(self.arrays)
                table = arrays[name]
                if isinstance(table, dict):
                    table = dict(table)
                    table[indices] = jets.variable(table[indices], tag)
                else:
                    table = jets.variable(table, tag)
                arrays[name] = table
                self.arrays = arrays
            self.cache = _Unaffected(self.cache, target)
            value = body(self)
            if record and self.direction is not None and tag in self.direction.tags:
                self.direction.records.append((tag, value))
            return tag, value
        finally:
            self.arrays, self.cache, self.pinned = saved
            self.targets.pop()


class _Unaffected:
    """The remembered values of ``base`` that did not read ``entry`` (still valid
    once it is perturbed), plus those remembered while it is that read it: a
    view, so a derivative does not copy everything remembered so far.  Nested
    perturbations nest views; the evaluator puts ``base`` back afterwards."""

    __slots__ = ("base", "entry", "own")

    def __init__(self, base: "dict | _Unaffected", entry: tuple) -> None:
        self.base, self.entry = base, entry
        self.own: dict[object, tuple] = {}

    def get(self, key: object):
        hit = self.own.get(key)
        if hit is None:
            hit = self.base.get(key)
            if hit is not None and self.entry in hit[2]:
                return None
        return hit

    def __setitem__(self, key: object, value: tuple) -> None:
        # A value that did not read the perturbed entry is also the value without the
        # perturbation: kept in the base, the derivatives at the other points use it
        # too.  Not one that assumed two function arguments equal: evaluated again it
        # would not note that (the function remembers the point by then).
        if self.entry in value[2] or value[1].overlap:
            self.own[key] = value
        else:
            self.base[key] = value


class _Bindings:
    """Binds index symbols for a block, restoring what they shadowed."""

    def __init__(self, evaluator: Evaluator, values: dict[Symbol, int]) -> None:
        self.evaluator, self.values = evaluator, values
        self.saved: dict[Symbol, int | None] = {}

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

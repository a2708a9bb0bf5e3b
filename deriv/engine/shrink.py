"""Counterexamples a person can check by hand: shrinking a refutation.

In: a refuted equality (its two sides, the context, the free indices'
ranges) and the random counterexample the tester found.  Out: a
:class:`~deriv.results.Counterexample` at the smallest sizes (1 to 3) with
the simplest entries (0, 1, -1, 2, in that order of preference) and the
simplest functions (an opaque ``g`` as one entry of its argument, or its
square; an elementwise ``h`` as ``x``, ``x^2`` or ``x^3``) that still show
the failure -- or ``None``, and the caller keeps the original.

Like hypothesis: find a failing instance among small ones (sizes in
increasing order, a few deterministic draws each), then simplify one entry
at a time while it still fails.  The result is certified the same way as
any other: both sides are evaluated on it and differ exactly, or (an
``\\exp`` or a root of simple entries) by a ball that excludes 0.  A
counterexample where a side is undefined is not shrunk.
A specific function is a valid counterexample because the step is claimed
for every function.  The search is bounded by a count of evaluations, not
by time, so a seed always shrinks to the same values (``deriv check
--seed N`` shows them again); a time limit far above its usual cost only
guards the step's own budget (past it, the drawn counterexample stays).  Under assumptions, a
smaller instance is a counterexample only where it satisfies every one of them exactly
(:func:`deriv.engine.assumptions.satisfied`); assumptions about a declared function are
not shrunk under (the simple functions tried here are not the ones they were imposed with).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping

import sympy
from flint import fmpq
from sympy import Expr, Indexed, Symbol
from sympy.core.function import AppliedUndef

from deriv.errors import swallowed
from deriv.budget import PartTimeout, StepTimeout, time_budget
from deriv.context import Context
from deriv.engine import certified, jets
from deriv.engine.assumptions import about_functions, assumed_names, impose, satisfied
from deriv.engine.compare import evaluate
from deriv.engine.instances import Evaluator, Instance
from deriv.engine.minimums import Least, least_sizes
from deriv.ir import (
    MatrixArg,
    OpaqueCall,
    OpaqueGrad,
    base_name,
    split_elementwise_name,
    text,
)
from deriv.names import DUMMY_NAMES, fresh
from deriv.results import Counterexample

#: Whether two values of a step's sides certainly fail it.
Fails = Callable[[object, object], bool]
#: Entry values, simplest first.
SIMPLE = (0, 1, -1, 2)
POSITIVE = (1, 2)
#: Largest size tried.
MAX_SIZE = 3
#: Size assignments tried, at most.
MAX_ASSIGNMENTS = 27
#: Random draws of entries per size assignment (after the patterns).
DRAWS = 6
#: Evaluations of both sides at one point, at most, for the whole search.
MAX_EVALUATIONS = 1500
#: Seconds a shrink may take (on a loaded machine; it normally takes milliseconds).
SHRINK_SECONDS = 3.0
#: Counterexamples shrunk per document, at most.
MAX_SHRINKS = 200
#: Simple functions an opaque function is tried as: (kind, entry position).
OPAQUE_FAMILY = tuple(("entry", p) for p in range(4)) + (("square", 0), ("square", 1), ("product", 0), ("rows", 0))
#: An elementwise function is tried as x^d.
ELEMENTWISE_FAMILY = (1, 2, 3)


class GivenInstance(Instance):
    """An instance with given sizes and entry values (not drawn)."""

    def __init__(self, context: Context, sizes: dict[Symbol, int], arrays: dict[str, object],
                 seed: int = 0, trial: int = 0) -> None:
        self.context = context
        self.seed, self.trial, self.attempt = seed, trial, 0
        self.sizes = dict(sizes)
        self.arrays = arrays


class SimpleEvaluator(Evaluator):
    """Evaluates with chosen simple functions, and notes the declared arrays read."""

    def __init__(self, instance: Instance, compiler, opaque: dict[str, tuple[str, int]],
                 elementwise: dict[str, int]) -> None:
        super().__init__(instance, compiler, certified.START_PRECISION)
        self.choice, self.powers = opaque, elementwise
        self.read: set[str] = set()
        self.applied: set[str] = set()  # elementwise functions called
        self.shapes: dict[str, tuple[int, int, str]] = {}  # function -> argument rows, cols, name

    def declared_entry(self, name: str, indices: tuple[int, ...]):
        self.read.add(name)
        return super().declared_entry(name, indices)

    def _entries(self, name: str, arg: MatrixArg) -> tuple[list, list[int]]:
        values = self.tabulate(arg)
        kind, p = self.choice.get(name, ("entry", 0))
        body = arg.body
        shown = base_name(body) if isinstance(body, Indexed) and tuple(body.indices) == (arg.row, arg.col) else ""
        if self.shapes.get(name, (0, 0, shown))[2] != shown:
            shown = ""  # g(A) and g(A^T): the argument is no one array, so the dummy is named afresh
        self.shapes[name] = (self.instance.size(arg.rows), self.instance.size(arg.cols), shown)
        n = len(values)
        if kind == "product":
            return values, [0, 1 % n]
        if kind == "rows":
            return values, []
        return values, [p % n] * (2 if kind == "square" else 1)

    def opaque(self, name: str, arg: MatrixArg):
        values, used = self._entries(name, arg)
        if self.choice.get(name, ("entry", 0))[0] == "rows":
            # Constant in the entries, but not the same for a column and its row (g(v) = g(v^T)).
            return self.shapes[name][0]
        result: object = certified.ONE
        for position in used:
            result = result * values[position]
        return result

    def opaque_gradient(self, name: str, arg: MatrixArg, i: int, j: int):
        values, used = self._entries(name, arg)
        position = i * self.instance.size(arg.cols) + j
        if position not in used:
            return 0
        if len(used) == 1:
            return 1
        if used[0] == used[1]:
            return 2 * values[position]
        return values[used[1] if position == used[0] else used[0]]

    def elementwise(self, name: str, x: object, order: int, origin: object = None):
        d = self.powers.get(name, 1)
        self.applied.add(name)

        def series(a, k_max: int) -> list:
            # h = x^d: h^(m)(a) = d!/(d-m)! a^(d-m); the k-th coefficient is h^(order+k)(a)/k!
            out = []
            for k in range(k_max + 1):
                m = order + k
                out.append(0 if m > d else fmpq(math.factorial(d) // math.factorial(d - m)) * a ** (d - m)
                           / math.factorial(k))
            return out

        return jets.compose(x, series)


def _functions(exprs: list[Expr], context: Context) -> tuple[list[str], list[str]]:
    """The opaque and the elementwise functions the step (and the definitions) apply."""
    opaque: set[str] = set()
    elementwise: set[str] = set()
    bodies = list(exprs) + [d.body for d in context.definitions.values()]
    for body in bodies:
        for node in sympy.preorder_traversal(body):
            if isinstance(node, (OpaqueCall, OpaqueGrad)):
                opaque.add(node.name)
            elif isinstance(node, AppliedUndef):
                elementwise.add(split_elementwise_name(node.func.__name__)[0])
    return sorted(opaque), sorted(elementwise)


def _cells(kind: str, rows: int, cols: int) -> list[tuple[int, ...]]:
    if kind == "vector":
        return [(i,) for i in range(rows)]
    if kind == "symmetric":
        return [(i, j) for i in range(rows) for j in range(i, cols)]
    return [(i, j) for i in range(rows) for j in range(cols)]


class _Search:
    """One shrinking search: small instances, their evaluations, the budget."""

    def __init__(self, lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr], compiler,
                 seed: int, guards: tuple[Expr, ...] = (), fails: Fails | None = None) -> None:
        self.context, self.ranges, self.compiler = context, ranges, compiler
        #: Whether two values of the sides are a certain failure (an equality's: they differ).
        self.fails = fails or _certainly_differ
        self.free = tuple(sorted(ranges, key=text))
        self.sides = (compiler.compile(lhs), compiler.compile(rhs))
        # where a side is defined (meaning/domains.py): no counterexample where one fails
        self.guards = tuple(compiler.compile(g) for g in guards)
        self.least = least_sizes((lhs, rhs), context)  # no instance below a fixed entry's size
        self.opaque, self.elementwise = _functions([lhs, rhs], context)
        self.rng = random.Random(f"deriv:shrink:{seed}")
        self.left = MAX_EVALUATIONS
        self.arrays = {n: d for n, d in context.declared.items() if d.is_array}
        # Names a dummy argument must not be (it would read as the document's object).
        self.taken = context.names_used(lhs, rhs, *(d.body for d in context.definitions.values()))

    # values: name -> {cell: value} (scalars under the cell ())
    def draw(self, sizes: dict[Symbol, int], pick) -> dict[str, dict]:
        values: dict[str, dict] = {}
        for name, declared in self.arrays.items():
            if declared.kind in ("identity", "ones"):
                continue
            pool = POSITIVE if declared.positive else SIMPLE
            if declared.kind == "scalar":
                values[name] = {(): pick(pool)}
                continue
            size = GivenInstance(self.context, sizes, {})
            rows, cols = size.size(declared.shape[0]), size.size(declared.shape[1])
            if name in self.context.recurrences:
                rows = 1  # only the first member is free; the recurrence computes the others
            values[name] = {cell: pick(pool) for cell in _cells(declared.kind, rows, cols)}
        return values

    def patterns(self, sizes: dict[Symbol, int]):
        """Entries to try, simplest first: all 0, all 1, all 2, a single 1 among 0s, then random
        small ones; under assumptions, each also with the assumptions imposed on it."""
        for values in self._simple(sizes):
            yield values
            if self.context.assumptions:
                imposed = self.imposed(sizes, values)
                if imposed is not None and imposed != values:
                    yield imposed

    def _simple(self, sizes: dict[Symbol, int]):
        zeros = self.draw(sizes, lambda pool: pool[0])
        yield zeros
        yield self.draw(sizes, lambda pool: pool[1] if len(pool) > 2 else pool[0])
        yield self.draw(sizes, lambda pool: pool[-1])  # all 2: where 0, 1 and -1 are fixed points (a^2 = a)
        for name, table in zeros.items():
            if not self.arrays[name].positive:
                for cell in table:
                    yield {**zeros, name: {**table, cell: 1}}
        for _ in range(DRAWS):
            yield self.draw(sizes, self.rng.choice)

    def imposed(self, sizes: dict[Symbol, int], values: dict[str, dict]) -> dict[str, dict] | None:
        """``values`` with the assumptions imposed as the tester imposes them (an entry solved
        for, a matrix made definite), read back as values; None where they can not be."""
        drawn = Instance(self.context, 0, 0, sizes)  # for its random source; its draws are replaced
        drawn.arrays = self.instance(sizes, values).arrays
        try:
            impose(drawn, self.compiler)
        except Exception:  # noqa: BLE001 - no imposed candidate, only the simple ones
            return None
        read = {name: {cell: drawn.arrays[name] if cell == () else drawn.arrays[name][cell] for cell in table}
                for name, table in values.items()}
        return read if all(certified.is_exact(v) for table in read.values() for v in table.values()) else None

    def instance(self, sizes: dict[Symbol, int], values: dict[str, dict]) -> GivenInstance:
        arrays: dict[str, object] = {}
        probe = GivenInstance(self.context, sizes, {})
        for name, declared in self.arrays.items():
            rows, cols = (probe.size(declared.shape[0]), probe.size(declared.shape[1])) if declared.shape else (1, 1)
            if declared.kind == "identity":
                arrays[name] = {(i, j): int(i == j) for i in range(rows) for j in range(cols)}
            elif declared.kind == "ones":
                arrays[name] = {(i,): 1 for i in range(rows)}
            elif declared.kind == "scalar":
                arrays[name] = values[name][()]
            elif declared.kind == "symmetric":
                table = values[name]
                arrays[name] = {(i, j): table[min(i, j), max(i, j)] for i in range(rows) for j in range(cols)}
            else:
                arrays[name] = dict(values[name])
        return GivenInstance(self.context, sizes, arrays)

    def failing(self, sizes, values, functions) -> tuple | None:
        """(point, left, right, evaluator) at the first point where the sides certainly differ."""
        instance = self.instance(sizes, values)
        if self.context.assumptions:  # a counterexample satisfies them, exactly
            self.left -= 1
            if not satisfied(instance, self.compiler):
                return None
        opaque, powers = functions
        evaluator = SimpleEvaluator(instance, self.compiler, opaque, powers)
        extents = [instance.size(self.ranges[i]) for i in self.free]
        for point in itertools.product(*(range(n) for n in extents)):
            if self.left <= 0:
                return None
            self.left -= 1
            evaluator.bindings = dict(zip(self.free, point))
            with certified.precision(certified.START_PRECISION):
                a, b = (evaluate(side, evaluator).value for side in self.sides)
                defined = all(not isinstance(evaluate(g, evaluator).value, Exception) for g in self.guards)
            if defined and self.fails(a, b):
                return point, a, b, evaluator
        return None

    def function_choices(self):
        families = [OPAQUE_FAMILY] * len(self.opaque) + [ELEMENTWISE_FAMILY] * len(self.elementwise)
        for combo in itertools.islice(itertools.product(*families), 24):
            yield (dict(zip(self.opaque, combo[: len(self.opaque)])), dict(zip(self.elementwise, combo[len(self.opaque):])))


def _assignments(sizes: tuple[Symbol, ...], least: Least) -> list[dict[Symbol, int]]:
    """Small sizes, smallest first: each from its least value (``w_3``: K from 3), up to
    :data:`MAX_SIZE` values each, and every size up to one past the largest least value
    (so the other sizes meet such a size in both orders: ``K < M`` with ``K >= 3``)."""
    firsts = [least.get(s, 1) for s in sizes]
    top = max([MAX_SIZE, *(v + 1 for v in least.values())])
    every = itertools.product(*(range(first, max(first + MAX_SIZE, top + 1)) for first in firsts))
    ordered = sorted(every, key=lambda a: (max(a, default=0), sum(a), a))[:MAX_ASSIGNMENTS]
    return [dict(zip(sizes, a)) for a in ordered]


def _certainly_differ(a: object, b: object) -> bool:
    """Two values (not errors) that differ exactly, or whose certified difference excludes 0
    (softmax, log-sum-exp: the simple entries still give transcendental values)."""
    if isinstance(a, Exception) or isinstance(b, Exception):
        return False
    if certified.is_exact(a) and certified.is_exact(b):
        return a != b
    return not (certified.to_arb(a) - certified.to_arb(b)).contains(0)


def _simpler(value: object, pool: tuple) -> list:
    rank = pool.index(value) if value in pool else len(pool)
    return list(pool[:rank])


def shrink(lhs: Expr, rhs: Expr, context: Context, ranges: Mapping[Symbol, Expr], session,
           original: Counterexample, conditions: tuple = ((), ()), fails: Fails | None = None) -> Counterexample | None:
    """A simpler certified counterexample than ``original``, or None; never where one of the
    sides' ``conditions`` fails (a point outside a side's domain is no counterexample).
    ``fails``: whether two values of the sides certainly fail the step (an equality's, by
    default: they differ; a claim's: its relation certainly fails, :mod:`deriv.engine.claims`).

    ``session`` (the document's :class:`~deriv.engine.decide.Session`) lends
    its compiler and counts the shrinks: past :data:`MAX_SHRINKS` a document's
    counterexamples stay as drawn (a count, so a seed still reproduces them).
    """
    undefined = "undefined" in original.lhs_value or "undefined" in original.rhs_value
    if about_functions(context) or undefined or not session.shrink or session.shrinks >= MAX_SHRINKS:
        return None
    session.shrinks += 1
    try:
        with time_budget(SHRINK_SECONDS, PartTimeout):
            guards = tuple(c.guard for side in conditions for c in side)
            return _shrink(_Search(lhs, rhs, context, ranges, session.compiler, original.seed, guards, fails), original)
    except StepTimeout:
        # Out of its own time, or of the step's: the refutation stands, as drawn.
        return None
    except (certified.PrecisionError, ArithmeticError, KeyError, ValueError, TypeError, RecursionError):
        return None
    except Exception:  # noqa: BLE001 - the original counterexample stands whatever goes wrong here
        swallowed("shrinking a counterexample")
        return None


def _shrink(search: _Search, original: Counterexample) -> Counterexample | None:
    for sizes in _assignments(tuple(search.context.sizes), search.least):
        for values in search.patterns(sizes):
            for functions in search.function_choices():
                found = search.failing(sizes, values, functions)
                if found is not None:
                    return _minimized(search, sizes, values, functions, found, original)
                if search.left <= 0:
                    return None
    return None


def _minimized(search: _Search, sizes, values, functions, found, original: Counterexample) -> Counterexample | None:
    """One entry at a time, the simplest value that still fails."""
    changed = True
    while changed and search.left > 0:
        changed = False
        for name, table in values.items():
            declared = search.arrays[name]
            pool = POSITIVE if declared.positive else SIMPLE
            for cell in list(table):
                for value in _simpler(table[cell], pool):
                    trial = {**values, name: {**table, cell: value}}
                    again = search.failing(sizes, trial, functions)
                    if again is not None:
                        values, table, found, changed = trial, trial[name], again, True
                        break
    point, left, right, evaluator = found
    return _counterexample(search, sizes, evaluator, point, left, right, original)


def _counterexample(search: _Search, sizes, evaluator: SimpleEvaluator, point, left, right,
                    original: Counterexample) -> Counterexample | None:
    # The failing point once more, on a fresh evaluator (nothing remembered):
    # the certificate, and what it read.
    evaluator = SimpleEvaluator(evaluator.instance, search.compiler, evaluator.choice, evaluator.powers)
    evaluator.bindings = dict(zip(search.free, point))
    with certified.precision(certified.START_PRECISION):
        again = [evaluate(side, evaluator).value for side in search.sides]
        for guard in search.guards:  # what makes a side defined there is shown too (y of x / (y - 1) at x = 0)
            evaluate(guard, evaluator)
    exact = all(certified.is_exact(v) for v in again if not isinstance(v, Exception))
    if not search.fails(*again) or (exact and again != [left, right]):
        return None
    shown: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
    for name in sorted(evaluator.read | (assumed_names(search.context) & set(evaluator.instance.arrays))):
        table = evaluator.instance.arrays[name]
        if not isinstance(table, dict):
            shown.append((name, ((certified.show(table),),)))
            continue
        rows = max(c[0] for c in table) + 1
        cols = max((c[1] for c in table if len(c) > 1), default=0) + 1
        grid = tuple(tuple(certified.show(table[(i, j)] if (i, j) in table else table[(i,)])
                           for j in range(cols)) for i in range(rows))
        shown.extend(_members(name, grid, search.context.declared.get(name)))
    variable = fresh(DUMMY_NAMES["scalar"], search.taken)
    functions = tuple(_describe_function(evaluator, name, search.taken) for name in sorted(evaluator.shapes)) + tuple(
        (name, f"{name}({variable}) = {variable}" + (f"^{d}" if d > 1 else ""))
        for name, d in sorted(evaluator.powers.items()) if name in evaluator.applied)
    return Counterexample(
        sizes=tuple((str(s), v) for s, v in sizes.items()),
        indices=tuple((str(i), v + 1) for i, v in zip(search.free, point)),
        lhs_value=certified.show(left), rhs_value=certified.show(right),
        seed=original.seed, trial=original.trial, values=tuple(shown), functions=functions, shrunk=True,
        precision="exact" if exact else f"certified at {certified.START_PRECISION} bits",
        note="" if exact else f"their difference is {(certified.to_arb(again[0]) - certified.to_arb(again[1])).str(10)}",
    )


def _members(name: str, grid: tuple[tuple[str, ...], ...], declared) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    """A family's values as its members (``h_0``, ``h_1``: columns), never the array kept for it."""
    family = declared.family if declared is not None else None
    if family is None:
        return [(name, grid)]
    return [(f"{name}_{{{family.first + k}}}", tuple((v,) for v in row)) for k, row in enumerate(grid)]


def _describe_function(evaluator: SimpleEvaluator, name: str, taken: set[str]) -> tuple[str, str]:
    rows, cols, argument = evaluator.shapes[name]
    kind, p = evaluator.choice.get(name, ("entry", 0))
    var = argument or fresh(DUMMY_NAMES["vector" if cols == 1 else "matrix"], taken)
    if kind == "rows":
        return name, f"{name}({var}) = the number of rows of {var}"
    n = rows * cols
    positions = [0, 1 % n] if kind == "product" else [p % n] * (2 if kind == "square" else 1)

    def entry(q: int) -> str:
        return f"{var}_{{{q // cols + 1},{q % cols + 1}}}" if cols > 1 else f"{var}_{{{q + 1}}}"

    body = entry(positions[0]) + "^2" if kind == "square" else " ".join(entry(q) for q in positions)
    return name, f"{name}({var}) = {body}"

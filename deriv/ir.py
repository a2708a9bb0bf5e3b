"""The index-notation expressions every step is turned into.

Members of a chain become ordinary SymPy expressions -- ``Indexed`` entries,
``Sum`` over ``(k, 0, N - 1)``, ``KroneckerDelta``, ``exp``/``log`` and
applied undefined functions for elementwise functions -- plus the five
nodes SymPy has no word for, defined here:

* :class:`MatrixArg` -- a whole matrix given by its entry, the argument of
  an opaque function such as ``g(Y)``;
* :class:`OpaqueCall` -- ``g`` applied to such an argument (a scalar);
* :class:`OpaqueGrad` -- the partial of ``g`` with respect to one entry of
  its argument, evaluated at the argument;
* :class:`Partial` -- an unevaluated ``\\partial body / \\partial var``;
* :class:`MatrixPower` -- an entry of ``A^k`` for an exponent that is not a number.

The symbolic engine evaluates ``Partial`` by rules; the random tester
evaluates it numerically with dual numbers, so the two never share a
chain rule.  Indices are 0-based integer symbols.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable

import sympy
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy import Basic, Expr, Indexed, IndexedBase, KroneckerDelta, Sum, Symbol, Tuple
from sympy.core.parameters import global_parameters

from deriv.objects import indexed, indexed_base

_fresh_counter = itertools.count()


@functools.lru_cache(maxsize=1 << 16)
def text(expr: Basic) -> str:
    """``str(expr)``, remembered: SymPy's printer is slow, and canonical
    ordering (sort keys) prints the same expressions again and again."""
    return str(expr)


def contains(expr: Basic, *types: type) -> bool:
    """``expr.has(*types)`` for types (a node of one of them), from :func:`node_types`: the
    engine asks it of every node on its way down and of every sum it builds, and SymPy's
    ``has`` walks the whole subtree each time."""
    return _any_subclass(node_types(expr), types)


#: :func:`node_types` of the subtrees asked about (emptied when full).
_NODE_TYPES: dict[Basic, frozenset[type]] = {}
NODE_TYPES_REMEMBERED = 1 << 15


def node_types(expr: Basic) -> frozenset[type]:
    """The types of the nodes of ``expr`` (itself and every argument, as ``has`` walks them),
    remembered per subtree: a tree made of remembered subtrees costs a lookup per new node."""
    if not expr.args:
        return _leaf_types(type(expr))
    found = _NODE_TYPES.get(expr)
    if found is not None:
        return found
    if len(_NODE_TYPES) >= NODE_TYPES_REMEMBERED:
        _NODE_TYPES.clear()
    pending = [expr]  # bottom up without recursion: a node once its arguments are known
    while pending:
        node = pending[-1]
        missing = [a for a in node.args if a.args and a not in _NODE_TYPES]
        if missing:
            pending.extend(missing)
            continue
        pending.pop()
        _NODE_TYPES[node] = frozenset({type(node)}).union(
            *(_NODE_TYPES[a] if a.args else _leaf_types(type(a)) for a in node.args))
    return _NODE_TYPES[expr]


_LEAF_TYPES: dict[type, frozenset[type]] = {}


def _leaf_types(kind: type) -> frozenset[type]:
    """``{kind}``, one frozen set per leaf type (a leaf's answer is asked at every node above it)."""
    found = _LEAF_TYPES.get(kind)
    if found is None:
        found = _LEAF_TYPES[kind] = frozenset({kind})
    return found


@functools.lru_cache(maxsize=1 << 12)
def _any_subclass(types: frozenset[type], wanted: tuple[type, ...]) -> bool:
    return any(issubclass(t, wanted) for t in types)


def base_name(entry: Indexed | IndexedBase) -> str:
    """The name of an entry's (or a base's) array, without printing it."""
    base = entry.base if isinstance(entry, Indexed) else entry
    label = base.label
    return label.name if isinstance(label, Symbol) else str(label)


def index(name: str) -> Symbol:
    """The index symbol written ``name`` in the mathematics."""
    return Symbol(name, integer=True)


def size(name: str) -> Symbol:
    """The size symbol ``name``: a positive integer."""
    return Symbol(name, integer=True, positive=True)


def fresh_index(hint: str = "k") -> Symbol:
    """A bound index that can not clash with anything the user wrote.

    Made by SymPy's uncached constructor (the one its ``Dummy`` uses), the same
    object ``Symbol(name, integer=True)`` makes: a fresh name is never asked for
    again, so SymPy's cache would only hold it in place of an entry worth keeping
    (``tests/test_meaning_ir_construction.py`` compares the two)."""
    return Symbol.__xnew__(Symbol, f"_{hint}{next(_fresh_counter)}", integer=True)


def elementwise(name: str, derivative_order: int = 0) -> sympy.FunctionClass:
    """The SymPy function for elementwise ``name`` (``h``) or its derivative (``h'``)."""
    return sympy.Function(name + "'" * derivative_order)


def split_elementwise_name(func_name: str) -> tuple[str, int]:
    """``"h''"`` -> ``("h", 2)``."""
    stripped = func_name.rstrip("'")
    return stripped, len(func_name) - len(stripped)


def _matrix_arg_symbols(depth: int) -> tuple[Symbol, Symbol]:
    # Depth-numbered so a MatrixArg nested in another's body never captures
    # the outer one's row and column symbols.
    return Symbol(f"_row{depth}", integer=True), Symbol(f"_col{depth}", integer=True)


def _matrix_arg_depth(expr: Basic) -> int:
    return max((a.depth for a in expr.atoms(MatrixArg)), default=0)


class MatrixArg(Basic):
    """A whole ``rows x cols`` matrix given by its entry ``body(row, col)``.

    Built with :meth:`from_entry`, which fixes the row and column symbols,
    so two arguments with the same entries are the same SymPy object.
    """

    @classmethod
    def from_entry(cls, entry, rows: Expr, cols: Expr) -> "MatrixArg":
        """The matrix whose ``(r, c)`` entry is ``entry(r, c)``."""
        probe_row, probe_col = fresh_index("r"), fresh_index("c")
        probe = entry(probe_row, probe_col)
        row, col = _matrix_arg_symbols(_matrix_arg_depth(probe) + 1)
        body = substituted(probe, {probe_row: row, probe_col: col})
        return cls(body, row, col, _sympify(rows), _sympify(cols))

    @property
    def body(self) -> Expr:
        return self.args[0]

    @property
    def row(self) -> Symbol:
        return self.args[1]

    @property
    def col(self) -> Symbol:
        return self.args[2]

    @property
    def rows(self) -> Expr:
        return self.args[3]

    @property
    def cols(self) -> Expr:
        return self.args[4]

    @property
    def depth(self) -> int:
        return int(str(self.row)[len("_row"):])

    def entry(self, i: Expr, j: Expr) -> Expr:
        """The ``(i, j)`` entry."""
        return substituted(self.body, {self.row: i, self.col: j})


def _name(symbol: Basic) -> str:
    # What str() prints for a plain symbol, without SymPy's printer.
    return symbol.name if type(symbol) is Symbol else str(symbol)


class OpaqueCall(Expr):
    """``g(A)``: opaque scalar function ``g`` at the matrix argument ``A``."""

    is_commutative = True

    def __new__(cls, name: Symbol, arg: MatrixArg):
        return Expr.__new__(cls, name, arg)

    @property
    def name(self) -> str:
        return _name(self.args[0])

    @property
    def arg(self) -> MatrixArg:
        return self.args[1]

    def _sympystr(self, printer) -> str:
        return f"{self.name}({printer._print(self.arg.body)})"


class OpaqueGrad(Expr):
    """``dg/dA_{i,j}`` at ``A``: the partial of opaque ``g`` by one entry."""

    is_commutative = True

    def __new__(cls, name: Symbol, arg: MatrixArg, i: Expr, j: Expr):
        return Expr.__new__(cls, name, arg, _sympify(i), _sympify(j))

    @property
    def name(self) -> str:
        return _name(self.args[0])

    @property
    def arg(self) -> MatrixArg:
        return self.args[1]

    @property
    def position(self) -> tuple[Expr, Expr]:
        return self.args[2], self.args[3]

    def _sympystr(self, printer) -> str:
        i, j = self.position
        return f"D{self.name}[{printer._print(self.arg.body)}]({i}, {j})"


class MatrixPower(Expr):
    """``[A^k]_{i,j}``: entry ``(i, j)`` of the ``k``-th power of the square matrix
    ``A`` (a :class:`MatrixArg`), for a whole ``k >= 0`` that is not a number while
    building (``A^K`` with ``K`` a size; ``A^0`` is the identity).  Literal powers
    are products and never reach this node (:mod:`deriv.meaning.powers`)."""

    is_commutative = True

    def __new__(cls, arg: MatrixArg, exponent: Expr, i: Expr, j: Expr):
        return Expr.__new__(cls, arg, _sympify(exponent), _sympify(i), _sympify(j))

    @property
    def arg(self) -> MatrixArg:
        return self.args[0]

    @property
    def exponent(self) -> Expr:
        return self.args[1]

    @property
    def position(self) -> tuple[Expr, Expr]:
        return self.args[2], self.args[3]

    def _sympystr(self, printer) -> str:
        i, j = self.position
        return f"[({printer._print(self.arg.body)})^{printer._print(self.exponent)}]({i}, {j})"


class Partial(Expr):
    """Unevaluated ``d body / d var``; ``var`` is an entry or a scalar symbol."""

    is_commutative = True

    def __new__(cls, body: Expr, var: Expr):
        return Expr.__new__(cls, _sympify(body), var)

    @property
    def body(self) -> Expr:
        return self.args[0]

    @property
    def var(self) -> Expr:
        return self.args[1]

    def _sympystr(self, printer) -> str:
        return f"Partial({printer._print(self.body)}, {printer._print(self.var)})"


class Delta(KroneckerDelta):
    """SymPy's ``KroneckerDelta`` with a structural ``eval``.

    SymPy decides ``delta(i, j)`` by asking the assumption system whether
    ``i - j`` is zero, which dominates the cost of building and rewriting
    index expressions.  Here: equal arguments give 1, two different integers
    or two positions a whole number apart (``t + 1``, ``t``) give 0, anything else stays a delta (in SymPy's canonical order).  It is
    still a ``KroneckerDelta`` for every ``isinstance`` check.
    """

    @classmethod
    def eval(cls, i, j, delta_range=None):
        if delta_range is not None:
            return super().eval(i, j, delta_range)
        if i == j:
            return sympy.S.One
        if i.is_Integer and j.is_Integer:
            return sympy.S.Zero
        if not (type(i) is Symbol and type(j) is Symbol) and (i - j).is_Integer:
            return sympy.S.One if i - j == 0 else sympy.S.Zero  # positions t + 1 and t: never equal
        if type(i) is Symbol and type(j) is Symbol:
            # Symbol.sort_key is (class key, (1, (name,)), 1, 1): for two plain
            # symbols it orders by name alone, without building either key.
            return cls(j, i) if j.name < i.name else None
        if sympy.default_sort_key(j) < sympy.default_sort_key(i):
            return cls(j, i)
        return None


#: What Application.__new__ gives every delta: the argument counts its eval takes.
_DELTA_NARGS = Delta(Symbol("_p", integer=True), Symbol("_q", integer=True)).nargs


def delta(a: Expr, b: Expr) -> Expr:
    """The Kronecker delta of two indices."""
    if type(a) is Symbol and type(b) is Symbol and global_parameters.evaluate:
        # What Delta(a, b) makes of two plain symbols (Delta.eval, then the
        # object with its nargs; no evalf for symbols), without SymPy's
        # function machinery, which builds a FiniteSet for every new delta.
        if a is b or a == b:
            return sympy.S.One
        if b.name < a.name:
            a, b = b, a
        made = Basic.__new__(Delta, a, b)
        made.nargs = _DELTA_NARGS
        return made
    return Delta(a, b)


def entry(name: str, *indices: Expr) -> Indexed:
    """``X[i, j]``: the entry of the declared or defined name."""
    return indexed(indexed_base(name), tuple(map(_sympify, indices)))  # strict: never parses a string


def is_index_symbol(expr: Basic) -> bool:
    """True for the integer symbols used as indices (not sizes)."""
    return isinstance(expr, Symbol) and expr.is_integer is True and expr.is_positive is not True


def free_indices(expr: Basic) -> frozenset[Symbol]:
    """Index symbols not bound by a ``Sum`` or a ``MatrixArg``."""
    if isinstance(expr, Symbol):
        return frozenset({expr}) if is_index_symbol(expr) else frozenset()
    if isinstance(expr, (Sum, sympy.Product)):
        bound = {limit[0] for limit in expr.limits}
        inner = free_indices(expr.function)
        for limit in expr.limits:
            for bound_expr in limit[1:]:
                inner |= free_indices(bound_expr)
        return frozenset(inner - bound)
    if isinstance(expr, MatrixArg):
        return free_indices(expr.body) - {expr.row, expr.col}
    if isinstance(expr, IndexedBase):
        return frozenset()
    result: set[Symbol] = set()
    for arg in expr.args:
        result |= free_indices(arg)
    return frozenset(result)


def index_order(expr: Basic) -> list[Symbol]:
    """Free indices in order of first appearance (a stable, readable order)."""
    seen: list[Symbol] = []
    free = free_indices(expr)
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, Symbol) and node in free and node not in seen:
            seen.append(node)
    return seen


def sum_of(body: Expr, *limits) -> Expr:
    """``Sum(body, *limits)``, built without SymPy's general-purpose preprocessing
    when that would change nothing.

    ``Sum`` folds ``Piecewise`` bodies, splits equations, reorients limits
    and turns sets into ranges, and walks the body for all of it; building
    one costs tens of microseconds, and the engine builds hundreds per
    document.  For a plain body (no ``Piecewise``, no equation, not itself a
    ``Sum``) and limits ``(symbol, lower, upper)`` that is all a no-op, so the
    object is made directly -- equal, with the same hash, to what ``Sum``
    returns (a test compares them).  Anything else goes through ``Sum``.
    """
    made = [Tuple(*limit) if not isinstance(limit, Tuple) else limit for limit in limits]
    plain = (
        made
        and isinstance(body, Expr)
        and type(body) is not Sum
        and body is not sympy.S.NaN
        and all(len(t) == 3 and isinstance(t[0], Symbol) and t[1] is not None and t[2] is not None for t in made)
        and not contains(body, sympy.Piecewise, sympy.Eq)
    )
    if not plain:
        return Sum(body, *limits)
    made_sum = Basic.__new__(Sum, body, *made)
    made_sum.is_commutative = body.is_commutative  # what ExprWithLimits sets
    return made_sum


def substituted(expr: Basic, mapping: dict) -> Basic:
    """``expr.xreplace(mapping)``, with sums rebuilt by :func:`sum_of` (the same objects, cheaper)."""
    if not isinstance(expr, Basic):  # xreplace leaves what is not SymPy's as it is
        return expr
    found = mapping.get(expr)
    if found is not None:
        return found
    old = expr.args
    if not old:
        return expr
    # The engine's hottest walk: a leaf argument (most of them) is looked up
    # here rather than in a call of its own.
    args = []
    for a in old:
        if isinstance(a, Basic) and not a.args:
            found = mapping.get(a)
            args.append(a if found is None else found)
        else:
            args.append(substituted(a, mapping))
    for new, was in zip(args, old):
        if new is not was:
            kind = type(expr)
            if kind is Sum:
                return sum_of(*args)
            if kind is Indexed and isinstance(args[0], IndexedBase):
                return indexed(args[0], tuple(args[1:]))
            if kind is Delta and len(args) == 2:
                return delta(*args)
            return expr.func(*args)
    return expr


def delta_product(pairs: Iterable[tuple[Expr, Expr]]) -> Expr:
    """Product of ``KroneckerDelta(a, b)`` over the pairs."""
    # One Mul of all the factors: the same product as multiplying them in
    # turn (Mul flattens and sorts), built once.
    return sympy.Mul(*(delta(a, b) for a, b in pairs))


class InverseEntry(Expr):
    """``[A^{-1}]_{i,j}``: an entry of the inverse of the square matrix argument ``A``.

    Defined only where ``A`` is invertible (the tester's domain); the symbolic
    engine differentiates it by ``d[A^{-1}]_{k,l} = -[A^{-1}]_{k,r} dA_{r,c} [A^{-1}]_{c,l}``.
    """

    is_commutative = True

    def __new__(cls, arg: MatrixArg, i: Expr, j: Expr):
        return Expr.__new__(cls, arg, _sympify(i), _sympify(j))

    @property
    def arg(self) -> MatrixArg:
        return self.args[0]

    @property
    def position(self) -> tuple[Expr, Expr]:
        return self.args[1], self.args[2]

    def _sympystr(self, printer) -> str:
        i, j = self.position
        return f"inv[{printer._print(self.arg.body)}]({printer._print(i)}, {printer._print(j)})"


class Determinant(Expr):
    """``\\det A`` of the square matrix argument ``A`` (a scalar)."""

    is_commutative = True

    def __new__(cls, arg: MatrixArg):
        return Expr.__new__(cls, arg)

    @property
    def arg(self) -> MatrixArg:
        return self.args[0]

    def _sympystr(self, printer) -> str:
        return f"det({printer._print(self.arg.body)})"


class ReluStep(sympy.Heaviside):
    """``relu'(u)``: SymPy's Heaviside step, except that at ``u = 0`` it stays unevaluated.

    SymPy makes ``Heaviside(0)`` its convention ``1/2``; relu'(0) is any value in [0, 1]
    (docs/deciding.md), so a substitution that reaches 0 (``\\delta_{k,j}`` contracted into
    ``relu'(x_k - x_j)``) leaves an unknown the normal form can not equate with a number.
    """

    def __new__(cls, arg, H0=sympy.S.Half, **options):
        # Heaviside.__new__ calls super(cls, cls), which recurses for a subclass.
        return sympy.Function.__new__(cls, arg, H0, **options)

    @classmethod
    def eval(cls, arg, H0=sympy.S.Half):
        if arg.is_zero:
            return None
        return super().eval(arg, H0)


#: The nodes that are functions of a whole square matrix argument, known to the engine.
MATRIX_FUNCTIONS = (InverseEntry, Determinant)

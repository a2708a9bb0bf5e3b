"""Users' own SymPy expressions in deriv's conventions (for :func:`deriv.decide`).

In: SymPy expressions written with ``IndexedBase`` (or ``MatrixSymbol`` entries), ``KroneckerDelta``,
``Sum`` and ``Derivative``, and symbols declared in the front matter's kind
language.  Out: a :class:`~deriv.context.Context` and index expressions in
the conventions of :mod:`deriv.ir`, with the ranges of their indices.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy
from sympy import Derivative, Expr, Indexed, KroneckerDelta, Sum, Symbol
from sympy.matrices.expressions.matexpr import MatrixElement

from deriv.context import Context, Declared
from deriv.errors import MeaningError
from deriv.ir import Partial, base_name, delta, entry, fresh_index, index, size
from deriv.names import Kind
from deriv.meaning.caller_symbols import check_entry_index, check_index_count, check_index_extent, check_index_name
from deriv.meaning.declarations import add_size_names, declared_shape
from deriv.meaning.domains import Condition, own
from deriv.meaning.ranges import IndexUses
from deriv.read.frontmatter import Declaration
from deriv.read.kinds import parse_positive_kind


def context_from_symbols(symbols: Mapping[str, str]) -> Context:
    """A context from ``{"X": "matrix S x M", ...}`` (front matter syntax)."""
    context = Context()
    size_names: list[str] = []
    for name, kind_text in symbols.items():
        try:
            kind, sizes, positive = parse_positive_kind(kind_text)
        except ValueError as error:
            raise MeaningError(f"{name}: {error}") from None
        if kind == Kind.COUNT:  # ``k: positive integer`` is a size only, as in a front matter
            add_size_names(size_names, (name,))
            continue
        declaration = Declaration(name, kind, sizes, 0, positive=positive)
        context.declared[name] = Declared(name, kind, declared_shape(declaration), positive=positive)
        add_size_names(size_names, sizes)
    both = [s for s in size_names if s in context.declared]
    if both:  # as a front matter says: N a scalar and the size of A is two things with one name
        raise MeaningError(f"size name '{both[0]}' is also declared as a symbol; use another name for the size")
    context.sizes = tuple(size(s) for s in size_names)
    return context


class Adopter:
    """Rewrites a user's SymPy expression into deriv's conventions.

    Index symbols become integer symbols, size names become size symbols,
    ``Derivative`` becomes :class:`~deriv.ir.Partial`, and every index's
    range is inferred from where it is used.
    """

    def __init__(self, context: Context) -> None:
        self.context = context
        self.sizes = {s.name: s for s in context.sizes}
        self.uses = IndexUses()
        #: The dummy each summed index name stands for in the sum being adopted.
        self.scope: dict[str, Symbol] = {}
        #: Where the expressions adopted are defined, recorded before SymPy re-evaluates them
        #: (an unevaluated ``Mul(x, y, 1/x, evaluate=False)`` keeps ``x != 0``: meaning/domains.py),
        #: and the limits of every sum adopted, by its dummy.
        self.conditions: set[Condition] = set()
        self.sum_limits: dict[Symbol, tuple[Symbol, Expr, Expr]] = {}

    def index(self, expr: Expr) -> Expr:
        if isinstance(expr, (Symbol, sympy.Idx)):
            name = str(expr.label if isinstance(expr, sympy.Idx) else expr.name)
            if name in self.scope:
                return self.scope[name]
            check_index_name(name, self.context)
            return index(name)
        return self.adopt(expr)

    def symbol(self, name: str) -> Expr:
        """A summed index used as a value, a declared scalar, a size, or a free index's value."""
        if name in self.scope:
            return self.scope[name]
        declared = self.context.declared.get(name)
        if declared is not None and declared.kind == "scalar":
            return declared.entry(sympy.S.One, sympy.S.One)
        # Else an integer symbol (``_named`` let no other through): the index of that name, whose
        # value it is -- the same symbol its entries use (a plain Symbol(name) was a name with no range).
        return self.sizes.get(name, index(name))

    def _named(self, symbol: Symbol) -> Expr:
        """A plain symbol: known (:meth:`symbol`), or an index (an integer symbol), else an error."""
        name = symbol.name
        if symbol.is_integer is not True and not (name in self.scope or name in self.context.declared or name in self.sizes):
            raise MeaningError(f"unknown name {name}: pass it in symbols")
        return self.symbol(name)

    def adopt(self, expr: Expr) -> Expr:
        if isinstance(expr, MatrixElement):  # W[j, k] of a MatrixSymbol W: the same entry as IndexedBase's
            return self.adopt(sympy.IndexedBase(str(expr.parent))[expr.i, expr.j])
        if isinstance(expr, Indexed):
            name = base_name(expr)
            declared = self.context.declared.get(name)
            if declared is None:
                raise MeaningError(f"unknown name {name}: pass it in symbols")
            check_index_count(name, declared, len(expr.indices))
            indices = [self.index(i) for i in expr.indices]
            extents = declared.shape if len(indices) == 2 else declared.shape[:1]
            for given, i, extent in zip(expr.indices, indices, extents):
                check_index_extent(given, extent, f"{name}{list(expr.indices)}")
                check_entry_index(i, extent, f"{name}{list(expr.indices)}")
                if isinstance(i, Symbol):
                    self.uses.use(i.name, extent, f"{name}{list(expr.indices)}")
            if declared.positive:
                return declared.entry(*(indices + [sympy.S.One])[:2])
            return entry(name, *indices)
        if isinstance(expr, KroneckerDelta):
            a, b = (self.index(x) for x in expr.args[:2])
            if isinstance(a, Symbol) and isinstance(b, Symbol):
                self.uses.link(a.name, b.name, str(expr))
            return delta(a, b)
        if isinstance(expr, Sum):
            # Each sum binds its own dummy, with its own range (as the builder does).
            outer, limits = dict(self.scope), []
            try:
                for limit in expr.limits:
                    lower, upper = (_whole(self.adopt(x), limit) for x in limit[1:])
                    name = str(limit[0].label if isinstance(limit[0], sympy.Idx) else limit[0])
                    var = fresh_index(name)
                    self.uses.bind(var.name, name)
                    self.uses.use(var.name, upper - lower + 1, str(limit))
                    self.scope[name] = var
                    limits.append((var, lower, upper))
                    self.sum_limits[var] = (var, lower, upper)
                return Sum(self.adopt(expr.function), *limits)
            finally:
                self.scope = outer
        if isinstance(expr, Derivative):
            result = self.adopt(expr.expr)
            for var, count in expr.variable_count:
                for _ in range(count):
                    result = Partial(result, self.adopt(var))
            return result
        if isinstance(expr, Symbol):
            return self._named(expr)
        if not expr.args:
            return expr
        args = tuple(self.adopt(a) for a in expr.args)
        self.conditions |= _own_conditions(expr, args)
        return expr.func(*args)


def _whole(bound: Expr, limit: tuple) -> Expr:
    """A sum's limit, which must be a whole number for every size and index: SymPy sums
    ``(i, 0, 1/2)`` over ``i = 0, 1, 3/2``... (3x/2 for x), deriv's loops to the floor."""
    if bound.is_integer is not True:
        raise MeaningError(f"a sum's limits are whole numbers, written from sizes and indices: not {bound} in {limit}")
    return bound


def _own_conditions(expr: Expr, args: tuple) -> set[Condition]:
    """The conditions of ``expr`` with its arguments adopted, before SymPy evaluates it."""
    try:
        return own(expr.func(*args, evaluate=False))
    except TypeError:  # a node that takes no evaluate flag: as it evaluates
        return own(expr.func(*args))

"""Library entry points beyond checking files.

* :func:`decide` -- one equality of two SymPy index expressions under
  declared shapes, no LaTeX involved;
* :class:`Derivation` -- a derivation assembled in Python from LaTeX
  strings, checked exactly as a document would be.

>>> from sympy import IndexedBase, Sum, KroneckerDelta, symbols
>>> A = IndexedBase("A"); i, j, k = symbols("i j k"); N = symbols("N")
>>> decide(Sum(KroneckerDelta(i, k) * A[k, j], (k, 0, N - 1)), A[i, j], {"A": "matrix N x N"}).verdict.value
'proved'
>>> decide(Sum(KroneckerDelta(i, k) * A[j, k], (k, 0, N - 1)), A[i, j], {"A": "matrix N x N"}).verdict.value
'refuted'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy
from sympy import Derivative, Expr, Indexed, KroneckerDelta, Sum, Symbol

from deriv.context import Context, Declared
from deriv.engine.decide import Decision, decide_equal
from deriv.errors import MeaningError
from deriv.read.frontmatter import Declaration, parse_kind
from deriv.ir import Partial, delta, entry, index, size
from deriv.meaning.ranges import IndexUses
from deriv.results import FileResult


def context_from_symbols(symbols: Mapping[str, str]) -> Context:
    """A context from ``{"X": "matrix S x M", ...}`` (front matter syntax)."""
    from deriv.meaning.declarations import declared_shape

    context = Context()
    size_names: list[str] = []
    for name, kind_text in symbols.items():
        try:
            kind, sizes = parse_kind(kind_text)
        except ValueError as error:
            raise MeaningError(f"{name}: {error}") from None
        declaration = Declaration(name, kind, sizes, 0)
        context.declared[name] = Declared(name, kind, declared_shape(declaration))
        size_names.extend(s for s in sizes if s not in size_names)
    context.sizes = tuple(size(s) for s in size_names)
    return context


class _Adopter:
    """Rewrites a user's SymPy expression into deriv's conventions.

    Index symbols become integer symbols, size names become size symbols,
    ``Derivative`` becomes :class:`~deriv.ir.Partial`, and every index's
    range is inferred from where it is used.
    """

    def __init__(self, context: Context) -> None:
        self.context = context
        self.sizes = {s.name: s for s in context.sizes}
        self.uses = IndexUses()

    def index(self, expr: Expr) -> Expr:
        if isinstance(expr, (Symbol, sympy.Idx)):
            return index(str(expr.label if isinstance(expr, sympy.Idx) else expr.name))
        return self.adopt(expr)

    def adopt(self, expr: Expr) -> Expr:
        if isinstance(expr, Indexed):
            name = str(expr.base.label)
            declared = self.context.declared.get(name)
            if declared is None:
                raise MeaningError(f"unknown name {name}: pass it in symbols")
            indices = [self.index(i) for i in expr.indices]
            extents = declared.shape if len(indices) == 2 else declared.shape[:1]
            for i, extent in zip(indices, extents):
                if isinstance(i, Symbol):
                    self.uses.use(i.name, extent, f"{name}{list(expr.indices)}")
            return entry(name, *indices)
        if isinstance(expr, KroneckerDelta):
            a, b = (self.index(x) for x in expr.args[:2])
            if isinstance(a, Symbol) and isinstance(b, Symbol):
                self.uses.link(a.name, b.name, str(expr))
            return delta(a, b)
        if isinstance(expr, Sum):
            limits = []
            for limit in expr.limits:
                var = self.index(limit[0])
                lower, upper = (self.adopt(x) for x in limit[1:])
                self.uses.use(var.name, upper - lower + 1, str(limit))
                limits.append((var, lower, upper))
            return Sum(self.adopt(expr.function), *limits)
        if isinstance(expr, Derivative):
            result = self.adopt(expr.expr)
            for var, count in expr.variable_count:
                for _ in range(count):
                    result = Partial(result, self.adopt(var))
            return result
        if isinstance(expr, Symbol):
            return self.sizes.get(expr.name, Symbol(expr.name))
        if not expr.args:
            return expr
        return expr.func(*(self.adopt(a) for a in expr.args))


def decide(lhs: Expr, rhs: Expr, symbols: Mapping[str, str], *, seed: int = 0) -> Decision:
    """Decide ``lhs = rhs`` for SymPy index expressions under declared shapes.

    ``symbols`` uses the front matter's kinds: ``{"X": "matrix S x M"}``.
    Entries are ``IndexedBase(name)[i, j]``; sums run from 0 to ``N - 1``.
    """
    context = context_from_symbols(symbols)
    adopter = _Adopter(context)
    left, right = adopter.adopt(sympy.sympify(lhs)), adopter.adopt(sympy.sympify(rhs))
    ranges = adopter.uses.resolve({})
    from deriv.ir import free_indices

    free = free_indices(left) | free_indices(right)
    return decide_equal(left, right, context, {s: ranges[s.name] for s in free}, seed=seed)


@dataclass
class Derivation:
    """A derivation built in Python from LaTeX strings.

    >>> d = Derivation({"X": "matrix S x M", "W": "matrix N x M"})
    >>> d.chain(r"\\left[X W^T\\right]_{i,j}", r"\\sum_k X_{i,k} W^T_{k,j}", r"\\sum_k X_{i,k} W_{j,k}")
    >>> [s.verdict.value for s in d.check().steps]
    ['proved', 'proved']
    """

    symbols: Mapping[str, str]
    definitions: list[str] = field(default_factory=list)
    title: str = "derivation"
    _displays: list[str] = field(default_factory=list)

    def chain(self, *members: str) -> None:
        """Add a chain ``members[0] = members[1] = ...``."""
        self._displays.append("$$ " + " = ".join(members) + " $$")

    def then(self, member: str) -> None:
        """Continue the last chain with ``= member``."""
        self._displays.append(f"$$ = {member} $$")

    def to_markdown(self) -> str:
        """The equivalent Markdown document."""
        lines = ["---", f"title: {_yaml_quote(self.title)}", "symbols:"]
        lines += [f"  {name}: {kind}" for name, kind in self.symbols.items()]
        if self.definitions:
            lines.append("definitions:")
            lines += [f"  - {_yaml_quote(d)}" for d in self.definitions]
        lines.append("---")
        lines += ["", *(d + "\n" for d in self._displays)]
        return "\n".join(lines)

    def check(self, *, seed: int = 0, timeout: float = 10.0) -> FileResult:
        from deriv.check.checker import check_text
        from deriv.check.options import CheckOptions

        return check_text(self.to_markdown(), f"<{self.title}>", CheckOptions(seed=seed, timeout=timeout))


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"



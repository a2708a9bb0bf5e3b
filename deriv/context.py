"""What a document declares: names, their shapes, sizes, definitions.

A :class:`Context` is the engine's whole view of a document's front matter,
already in SymPy terms: sizes are positive integer symbols, shapes are
``(rows, cols)`` pairs (a vector is ``(N, 1)``, a scalar ``(1, 1)``), and
definitions are index expressions in their parameters.  It holds no LaTeX.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from sympy import Expr, IndexedBase, Integer, Symbol
from sympy.core.function import AppliedUndef

from deriv.ir import OpaqueCall, OpaqueGrad, base_name, delta, entry, split_elementwise_name, substituted
from deriv.names import ARRAY_KINDS, FUNCTION_KINDS, Family, Kind

ONE = Integer(1)
Shape = tuple[Expr, Expr]



@dataclass(frozen=True)
class Declared:
    """A declared name: its kind and shape (functions have shape ``(1, 1)``)."""

    name: str
    kind: Kind
    shape: Shape
    line: int | None = None
    #: For ``rows``/``columns`` kinds: the matrix they slice.
    of: str | None = None
    #: Declared ``positive``: entries are positive symbols and drawn positive.
    positive: bool = False
    #: Not declared: a function every ML text uses, known by its name
    #: (:mod:`deriv.meaning.conventions`).
    conventional: bool = False
    #: A family's members (``h_0`` to ``h_T``) are rows of this array.
    family: Family | None = None

    @property
    def is_array(self) -> bool:
        """Whether random tests draw values for it."""
        return self.kind in ARRAY_KINDS

    @property
    def is_function(self) -> bool:
        return self.kind in FUNCTION_KINDS

    def entry(self, i: Expr, j: Expr) -> Expr:
        """The ``(i, j)`` entry as an index expression (``b[i]`` for vectors)."""
        if self.positive:
            return self._positive_entry(i, j)
        if self.kind == Kind.SCALAR:
            return Symbol(self.name)
        if self.kind == Kind.IDENTITY:
            return delta(i, j)
        if self.kind == Kind.ONES:
            return ONE
        if self.kind == Kind.VECTOR:
            return entry(self.name, i)
        return entry(self.name, i, j)

    def _positive_entry(self, i: Expr, j: Expr) -> Expr:
        """SymPy's ``positive=True`` on the symbol, so ``sqrt(a**2)`` is ``a``."""
        if self.kind == Kind.SCALAR:
            return Symbol(self.name, positive=True)
        base = IndexedBase(self.name, positive=True)
        return base[i] if self.kind == Kind.VECTOR else base[i, j]


@dataclass(frozen=True)
class Definition:
    """``name`` (or ``name_{params}``) equals ``body``.

    ``params`` are the row and column symbols of a matrix or vector
    definition (``()`` for a scalar); ``body`` is the entry in them.
    """

    name: str
    params: tuple[Symbol, ...]
    body: Expr
    shape: Shape
    line: int | None = None
    #: An upper bound on the bits of the exact numbers in its value.
    bits: int = 1
    #: Where the value is defined (:class:`deriv.meaning.domains.Condition` s, in ``params``),
    #: recorded before SymPy cancelled it: a member that writes the name carries them.
    conditions: frozenset = frozenset()
    #: How its right side was read where that is not literal (a broadcast), for the steps that use it.
    notes: tuple[str, ...] = ()

    def at(self, *indices: Expr) -> Expr:
        """The body with the parameters replaced by ``indices``."""
        return substituted(self.body, dict(zip(self.params, indices)))


def definition_params(count: int) -> tuple[Symbol, ...]:
    """Parameter symbols for a definition body; never written by a user."""
    return tuple(Symbol(f"_def{k}", integer=True) for k in range(count))


@dataclass
class Context:
    """Declarations and definitions of one document, in SymPy terms."""

    declared: dict[str, Declared] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    sizes: tuple[Symbol, ...] = ()
    #: Ranges the front matter fixes for index names (``indices:``).
    index_ranges: dict[str, Symbol] = field(default_factory=dict)
    #: Assumptions (front matter ``assumptions:``) in index form.
    assumptions: list["Constraint"] = field(default_factory=list)
    #: Recurrences (``h_t = \\tanh(W h_{t-1} + U x_t)``): a family's members after its first,
    #: each computed from earlier ones (:mod:`deriv.meaning.recurrences`).  Keyed by the
    #: family; ``params`` are the row (1 for the second member) and, for vectors, the entry.
    recurrences: dict[str, Definition] = field(default_factory=dict)
    #: Local assumptions that could not be read, as ``latex (line n)``: what holds after
    #: one is unknown, so nothing after it is decided (:func:`deriv.check.facts.unread`).
    unread: tuple[str, ...] = ()

    def shape_of(self, name: str) -> Shape | None:
        """Shape of a declared or defined array name, None if unknown."""
        if name in self.definitions:
            return self.definitions[name].shape
        if name in self.declared:
            return self.declared[name].shape
        return None

    def is_defined(self, name: str) -> bool:
        return name in self.definitions

    def kind_of(self, name: str) -> str | None:
        if name in self.declared:
            return self.declared[name].kind
        if name in self.definitions:
            return "defined"
        return None

    def symmetric_names(self) -> frozenset[str]:
        return frozenset(n for n, d in self.declared.items() if d.kind == Kind.SYMMETRIC)

    def reached(self, expr: Expr) -> set[str]:
        """Every name ``expr`` mentions, directly or through definitions (the defined names too)."""
        names = names_in(expr)
        return names.union(*(self.dependencies(n) for n in names))

    def names_used(self, *exprs: Expr) -> set[str]:
        """Every name the document declares or defines, its sizes, and every name and index
        (bound ones too) ``exprs`` write: what a made-up name must differ from."""
        used = set(self.declared) | set(self.definitions) | set(self.index_ranges)
        used |= {s.name for s in self.sizes}
        for expr in exprs:
            symbols = {s.name for s in expr.atoms(Symbol)}
            # a bound index is renamed _i3 (ir.fresh_index): its hint is the name written
            used |= names_in(expr) | symbols | {n[1:].rstrip("0123456789") for n in symbols if n.startswith("_")}
        return used

    def dependencies(self, name: str) -> frozenset[str]:
        """Every name ``name``'s definition reaches, transitively (not itself)."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            definition = self.definitions.get(current) or self.recurrences.get(current)
            if definition is None:
                continue
            for used in names_in(definition.body):
                if used not in seen and used != name:
                    seen.add(used)
                    todo.append(used)
        return frozenset(seen)


def definition_notes(expr: Expr, context: "Context") -> tuple[str, ...]:
    """The notes of every definition ``expr`` reaches (``y = 1 - z`` read as a broadcast), in name order."""
    if not any(d.notes for d in (*context.definitions.values(), *context.recurrences.values())):
        return ()  # none to find: finding the names reached walks every definition's body
    found = (context.definitions.get(name) or context.recurrences.get(name) for name in sorted(context.reached(expr)))
    return tuple(note for definition in found if definition is not None for note in definition.notes)


def names_in(expr: Expr) -> set[str]:
    """Declared/defined names an expression mentions (entries, scalars, calls)."""
    return set(_names_in(expr))


@functools.lru_cache(maxsize=1 << 14)
def _names_in(expr: Expr) -> frozenset[str]:
    """:func:`names_in`, remembered: a derivative asks it of every subtree it differentiates,
    and every step of the definitions' bodies."""
    names: set[str] = set()
    for node in _walk(expr):
        if isinstance(node, IndexedBase):
            names.add(base_name(node))
        elif isinstance(node, Symbol) and not node.is_integer:
            names.add(node.name)
        elif isinstance(node, (OpaqueCall, OpaqueGrad)):
            names.add(node.name)
        elif isinstance(node, AppliedUndef):
            names.add(split_elementwise_name(node.func.__name__)[0])
    return frozenset(names)


def _walk(expr):
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.args)


def shape_text(shape: Shape) -> str:
    """``S x N``, ``N`` for a column vector, ``scalar`` for 1 x 1."""
    rows, cols = (str(extent).replace("**", "^") for extent in shape)  # P^2: the rows of F \otimes F
    if shape == (ONE, ONE):
        return "scalar"
    if shape[1] == ONE:
        return f"vector {rows}"
    return f"{rows} x {cols}"




@dataclass(frozen=True)
class Constraint:
    """An assumption in index form: ``expr relation 0`` at every value of ``free``.

    ``relation`` is ``=``, ``>``, ``>=``, ``<``, ``<=``, ``!=`` (``expr`` is
    left side minus right side), or ``pd`` / ``psd`` (``expr`` is then the
    entry of a square matrix in ``free``, which is positive (semi-)definite),
    or ``nonzero`` (``expr`` is the entry of an array, not all zero: ``x \\neq 0``).
    """

    latex: str
    relation: str
    expr: Expr
    free: tuple[Symbol, ...]
    ranges: tuple[tuple[Symbol, Expr], ...]
    line: int | None = None
    #: For a quantified premise (``q > 0 \\quad \\forall x \\neq 0``): the vector ``x``.
    over: str | None = None
    #: Where ``expr`` is defined (:class:`deriv.meaning.domains.Condition` s), recorded before
    #: SymPy cancelled it: a statement is not decided for every ``x`` where it is undefined somewhere.
    conditions: frozenset = frozenset()

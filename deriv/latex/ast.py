"""The syntax tree of one display, before it means anything.

The parser (``deriv.latex.parser``) produces these nodes from LaTeX; the
builder (``deriv.meaning.builder``) gives them meaning under the declarations
of a document.  Nodes know nothing about shapes or SymPy.

``column`` fields are 1-based offsets into the display's math text as the
parser saw it (after decoration was stripped); they locate errors.

Walking a tree has one way, here: :func:`children` (a node's child nodes, read
from its fields), :func:`with_children` and :func:`mapped` (a node rebuilt
with other children), :func:`walk` (every node, outer first), and
:class:`Visitor` (a method per node class, marked ``@visits``, looked up in a
table built once per class) -- the builder is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, Generic, TypeVar, Union, get_args


@dataclass(frozen=True)
class Name:
    """A single-letter name (``X``), or a Greek one without its backslash
    (``lambda``, ``delta``).  ``font`` is the stripped font command, if any
    (``mathbf`` for ``\\mathbf{x}``), kept only for messages."""

    name: str
    column: int = 0
    font: str | None = None


@dataclass(frozen=True)
class Number:
    """A literal number as written: ``2``, ``0.5``."""

    text: str
    column: int = 0


@dataclass(frozen=True)
class Group:
    """Bracketed sub-expression.  ``bracket`` is ``(``, ``[`` or ``{``."""

    body: "Node"
    bracket: str
    column: int = 0


@dataclass(frozen=True)
class Call:
    """``g(Y)``: a single-letter or Greek name directly followed by ``(...)``.

    Whether this is an application or a product (``X(A+B)``) is for the
    builder to decide from the declarations.
    """

    func: Name
    arg: "Node"
    column: int = 0


@dataclass(frozen=True)
class Builtin:
    """A named operator applied to its argument.

    ``func`` is one of ``exp``, ``log`` (also for ``\\ln``), ``sqrt``,
    ``tanh``, ``tr`` (``\\operatorname{tr}``, ``\\mathrm{tr}``) and ``norm``
    (``\\|x\\|``).
    """

    func: str
    arg: "Node"
    column: int = 0
    #: Written without brackets (``\\log x``): its argument ends at the first factor.
    bare: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Inner:
    """``\\langle left, right \\rangle``."""

    left: "Node"
    right: "Node"
    column: int = 0


@dataclass(frozen=True)
class Literal:
    """``\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}``: its rows of cells, as written
    (ragged rows are the builder's to refuse).  ``environment`` is ``pmatrix``,
    ``bmatrix``, ``vmatrix``, ..."""

    environment: str
    rows: tuple["LiteralRow", ...]
    column: int = 0


@dataclass(frozen=True)
class LiteralRow:
    """One row of a :class:`Literal`: its cells."""

    cells: tuple["Node", ...]
    column: int = 0


@dataclass(frozen=True)
class Root:
    """``\\sqrt[degree]{arg}``: the ``degree``-th root."""

    degree: "Node"
    arg: "Node"
    column: int = 0


@dataclass(frozen=True)
class Scripted:
    """A base with a subscript and/or superscript: ``X_{i,k}``, ``W^T_{k,j}``,
    ``x^2``, ``h(X)_{i,j}``.

    ``sub`` holds the comma-separated items of the subscript, each parsed as
    an expression (``ik`` comes as a ``Product`` of two names; ``k=1`` as a
    ``Relation``).  ``sup`` is any other superscript expression (``2``,
    ``-1``).  A transpose superscript (``^T``, ``^{T}``, ``^\\top``,
    ``^{\\top}``, ``^{\\mathsf{T}}``) sets ``transpose=True`` instead, in
    either order with the subscript: ``W^T_{k,j}`` and ``W_{k,j}^{T}`` both
    give ``Scripted(W, sub=(k, j), transpose=True)``, the entry of ``W^T``.
    """

    base: "Node"
    sub: tuple["Node", ...] | None = None
    sup: "Node | None" = None
    transpose: bool = False
    column: int = 0
    #: The transpose was written with the letter ``T`` (not ``\\top``): a power
    #: where ``T`` is a size or a scalar of the document.
    letter_t: bool = field(default=False, compare=False)
    #: The power was written before the subscript (``A^2_{i,j}``, not ``A_{i,j}^2``).
    power_first: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Entrywise:
    """The exponent of a Hadamard power, ``^{\\circ n}``: ``body`` is ``n``.
    Only ever a :class:`Scripted` node's ``sup``."""

    body: "Node"
    column: int = 0


@dataclass(frozen=True)
class Prime:
    """``h'``, ``h''``: a derivative of a function name (``order`` primes)."""

    base: Name
    order: int = 1
    column: int = 0


@dataclass(frozen=True)
class Partial:
    """``\\partial E`` inside a fraction; ``body`` is None for the bare
    operator ``\\frac{\\partial}{\\partial x}``; ``power`` is ``n`` in
    ``\\partial^n``."""

    body: "Node | None"
    power: int = 1
    column: int = 0


@dataclass(frozen=True)
class Partials:
    """A denominator of several partials: ``\\partial w_k \\partial w_l``."""

    parts: tuple[Partial, ...]
    column: int = 0


@dataclass(frozen=True)
class Nabla:
    """``\\nabla_w L`` (``var`` is the subscript) or ``\\nabla L`` (``var`` None); ``followed``: another
    factor comes right after it (``\\nabla f(Y) x^T``), which only a function's call may have."""

    var: "Node | None"
    body: "Node"
    column: int = 0
    followed: bool = False
    #: 2 for ``\\nabla^2`` (the Hessian, :mod:`deriv.meaning.jacobians`).
    order: int = 1


@dataclass(frozen=True)
class Frac:
    """``\\frac{num}{den}``.  A derivative when ``num`` and ``den`` are
    :class:`Partial`."""

    num: "Node"
    den: "Node"
    column: int = 0


@dataclass(frozen=True)
class Product:
    """Juxtaposition, ``\\cdot`` and ``\\times``, left to right.

    ``ops`` has one entry per factor after the first: ``""`` for
    juxtaposition, ``"*"`` for ``\\cdot``/``\\times``, ``"/"`` for ``/``.
    """

    factors: tuple["Node", ...]
    ops: tuple[str, ...]
    column: int = 0


@dataclass(frozen=True)
class Hadamard:
    """``A \\circ B`` or ``A \\odot B`` (binds looser than juxtaposition)."""

    left: "Node"
    right: "Node"
    column: int = 0
    #: ``A \\oslash B``: the entrywise quotient instead of the product.
    divide: bool = False


@dataclass(frozen=True)
class Kronecker:
    """``A \\otimes B`` (binds looser than juxtaposition, as ``\\circ`` does)."""

    left: "Node"
    right: "Node"
    column: int = 0


@dataclass(frozen=True)
class SumIndex:
    """One index of ``\\sum``: ``k`` alone, or ``k=1`` with upper ``M``."""

    name: str
    lower: "Node | None" = None
    upper: "Node | None" = None
    column: int = 0
    #: ``\\prod_{i \\neq j}``: the index left out.
    excluded: "Node | None" = None


@dataclass(frozen=True)
class BigSum:
    """``\\sum_{i,j} body``; ``\\sum_i \\sum_j`` nests two of these.

    The body is everything up to the next ``+`` or ``-`` at the same level.
    """

    indices: tuple[SumIndex, ...]
    body: "Node"
    column: int = 0
    #: ``\\prod`` rather than ``\\sum``: the same binding, the terms multiplied.
    product: bool = False


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    body: "Node"
    column: int = 0


@dataclass(frozen=True)
class Add:
    """``a + b - c``: terms with their signs (``+1`` or ``-1``)."""

    terms: tuple[tuple[int, "Node"], ...]
    column: int = 0


@dataclass(frozen=True)
class Relation:
    """``left REL right`` inside a subscript (``k=1``)."""

    left: "Node"
    relation: str
    right: "Node"
    column: int = 0


Node = Union[
    Name, Number, Group, Call, Builtin, Inner, Literal, LiteralRow, Root, Scripted, Entrywise, Prime, Partial, Partials,
    Nabla, Frac,
    Product, Hadamard, Kronecker, BigSum, SumIndex, Neg, Add, Relation,
]


@dataclass(frozen=True)
class ChainSyntax:
    """A whole display: ``[REL] member (REL member)*``.

    ``leading`` is the relation a continuation display starts with
    (``= ...``), else None.  ``relations[k]`` sits between
    ``members[k]`` and ``members[k+1]``.  Relations are normalised to
    ``=``, ``<``, ``>``, ``<=``, ``>=``, ``!=``.
    ``sources`` holds each member's LaTeX text as written (for reports);
    ``bounds`` each member's extent in the prepared math (``PreparedDisplay.math``;
    its ``origin`` places them in the display).
    """

    leading: str | None
    members: tuple[Node, ...]
    relations: tuple[str, ...]
    sources: tuple[str, ...]
    bounds: tuple[tuple[int, int], ...] = field(default=(), compare=False)


_NODE_CLASSES: tuple[type, ...] = get_args(Node)
N = TypeVar("N", bound=Node)
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])


def _is_node(value: object) -> bool:
    return isinstance(value, _NODE_CLASSES)


def _child_fields(node_class: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(node_class) if f.name != "column")


_FIELDS = {node_class: _child_fields(node_class) for node_class in _NODE_CLASSES}


def _nodes_of(value: object) -> Iterator[Node]:
    """The nodes a field holds: a node, a tuple of nodes, or ``Add``'s (sign, node) terms."""
    if _is_node(value):
        yield value  # type: ignore[misc]
    elif isinstance(value, tuple):
        for item in value:
            yield from _nodes_of(item[1] if isinstance(item, tuple) else item)


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly inside ``node``, in the order of its fields (writing order)."""
    return tuple(child for name in _FIELDS[type(node)] for child in _nodes_of(getattr(node, name)))


def _refilled(value: object, new: Iterator[Node]) -> object:
    if _is_node(value):
        return next(new)
    if isinstance(value, tuple):
        return tuple((item[0], next(new)) if isinstance(item, tuple) else _refilled(item, new) for item in value)
    return value


def with_children(node: N, new: tuple[Node, ...]) -> N:
    """``node`` with its :func:`children` replaced, in order, by ``new`` (``node`` itself when
    every one is the same object)."""
    old = children(node)
    if len(old) != len(new):
        raise ValueError(f"{type(node).__name__} has {len(old)} children, not {len(new)}")
    if all(a is b for a, b in zip(old, new)):
        return node
    fill = iter(new)
    changes: dict[str, Any] = {name: _refilled(getattr(node, name), fill) for name in _FIELDS[type(node)]}
    return replace(node, **changes)


def mapped(node: N, edit: Callable[[Node], Node]) -> N:
    """``node`` with ``edit`` applied to each of its children."""
    return with_children(node, tuple(edit(child) for child in children(node)))


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every node inside it, outer before inner, left to right."""
    yield node
    for child in children(node):
        yield from walk(child)


def juxtaposed_names(node: Node) -> tuple[Name, ...] | None:
    """The names of ``i`` or ``ik`` (a name, or names written side by side), else None."""
    if isinstance(node, Name):
        return (node,)
    if isinstance(node, Product) and not any(node.ops):
        names = tuple(f for f in node.factors if isinstance(f, Name))
        return names if len(names) == len(node.factors) else None
    return None


def visits(*node_classes: type) -> Callable[[F], F]:
    """Mark a :class:`Visitor` method as the one for nodes of ``node_classes``."""
    def mark(method: F) -> F:
        method.__visits__ = node_classes  # type: ignore[attr-defined]
        return method
    return mark


class Visitor(Generic[R]):
    """Dispatch by node class: :meth:`visit` calls the method marked ``@visits(NodeClass)``
    for the node's class (the table is built once per subclass, through its bases and
    mixins), and :meth:`unvisited` for a class no method is marked for."""

    _methods: ClassVar[dict[type, Callable[..., Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        methods: dict[type, Callable[..., Any]] = {}
        for name in dir(cls):
            method = getattr(cls, name, None)
            for node_class in getattr(method, "__visits__", ()):
                if methods.setdefault(node_class, method) is not method:  # type: ignore[arg-type]
                    raise TypeError(f"two methods of {cls.__name__} visit {node_class.__name__}")
        cls._methods = methods

    def visitor_of(self, node: Node) -> Callable[[Node], R] | None:
        """The bound method for ``node``'s class, if any."""
        method = self._methods.get(type(node))
        return None if method is None else method.__get__(self)

    def visit(self, node: Node) -> R:
        method = self.visitor_of(node)
        return self.unvisited(node) if method is None else method(node)

    def unvisited(self, node: Node) -> R:
        raise TypeError(f"{type(self).__name__} has no method for {type(node).__name__}")

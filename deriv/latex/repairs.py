"""Small repairs of a chain member's syntax tree, cheapest first.

In: the syntax tree of the member that made a step fail, what the chain
knows about indices (its free indices, the ones the member has in excess),
the member before it, and the ratio of the two sides the random tests saw.
Out: :class:`Candidate` trees, each one edit away from the member, in the
order a checker should try them.  Nothing here knows whether a repair is
right: every candidate is rendered (:mod:`deriv.latex.render`), rebuilt and
decided like a step by the chain checker, and shown only when it holds.

Kinds (the ``kind`` of a suggestion): ``rename-index`` (one index renamed
to another, everywhere it is free, or at one place), ``transpose`` (the
member), ``swap-indices`` (two free indices), ``sign`` (of the member or of
one term), ``factor`` (a constant factor), ``layout`` (a derivative factor
transposed: the other layout convention), ``transpose-factor``, ``delta``
(one Kronecker delta's index changed), ``entry`` (``W X_{j,k}`` meant as
``W_{j,k}``), ``drop-term``, ``add-term`` (a term of the member before,
added back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import combinations

from deriv.latex.ast import (
    Add,
    BigSum,
    Builtin,
    Frac,
    Group,
    Hadamard,
    Nabla,
    Name,
    Neg,
    Node,
    Number,
    Partial,
    Product,
    Relation,
    Scripted,
    children,
    mapped,
    with_children,
)
from deriv.latex.render import Unrenderable, grouped, render

#: Where a node is in a tree: its position among its parent's children, from the root down.
Path = tuple[int, ...]
#: Whether a subexpression is a scalar (the caller knows the shapes; syntax alone does not).
ScalarTest = Callable[[Node], bool]


def _never(node: Node) -> bool:
    return False


@dataclass(frozen=True)
class Candidate:
    """One repaired member: its kind, tree, LaTeX and what was changed."""

    kind: str
    node: Node
    latex: str
    detail: str


@dataclass(frozen=True)
class Occurrence:
    """An index name written in a subscript: which one (in writing order) and where."""

    number: int
    name: str
    bound: frozenset[str]  # indices a sum around it binds
    delta: bool  # a subscript of \delta


# -- walking trees ----------------------------------------------------------------
def nodes(node: Node, path: Path = ()) -> Iterator[tuple[Path, Node]]:
    """Every node with its path from the root (each step a position among
    :func:`~deriv.latex.ast.children`), outer before inner, left to right."""
    yield path, node
    for position, child in enumerate(children(node)):
        yield from nodes(child, path + (position,))


def replaced(node: Node, path: Path, new: Node) -> Node:
    """``node`` with the node at ``path`` replaced by ``new``."""
    if not path:
        return new
    kids = list(children(node))
    kids[path[0]] = replaced(kids[path[0]], path[1:], new)
    return with_children(node, tuple(kids))


def _edit_indices(node: Node, choose: Callable[[Occurrence], str], bound: frozenset[str] = frozenset(),
                  in_sub: bool = False, delta: bool = False, counter: list[int] | None = None) -> Node:
    """Each index name in a subscript replaced by ``choose(occurrence)``, in writing order."""
    counter = counter if counter is not None else [0]
    if isinstance(node, Name):
        if not in_sub:
            return node
        occurrence = Occurrence(counter[0], node.name, bound, delta)
        counter[0] += 1
        new = choose(occurrence)
        return node if new == node.name else replace(node, name=new)
    if isinstance(node, BigSum):
        inner = bound | {i.name for i in node.indices}
        return replace(node, body=_edit_indices(node.body, choose, inner, in_sub, delta, counter))
    if isinstance(node, Scripted):
        base = _edit_indices(node.base, choose, bound, in_sub, delta, counter)
        if node.sub is None or isinstance(node.base, Builtin):  # \|x\|_2, \|X\|_F: not indices
            return replace(node, base=base)
        is_delta = isinstance(node.base, Name) and node.base.name == "delta"
        sub = tuple(_edit_indices(item, choose, bound, True, is_delta, counter) for item in node.sub)
        return replace(node, base=base, sub=sub)
    if isinstance(node, Relation):  # k=1 in a subscript: only its left side is an index
        return replace(node, left=_edit_indices(node.left, choose, bound, in_sub, delta, counter))
    return mapped(node, lambda child: _edit_indices(child, choose, bound, in_sub, delta, counter))


def occurrences(node: Node) -> list[Occurrence]:
    """The index names the member writes in subscripts, in writing order."""
    found: list[Occurrence] = []

    def record(occurrence: Occurrence) -> str:
        found.append(occurrence)
        return occurrence.name

    _edit_indices(node, record)
    return found


def free_names(node: Node) -> list[str]:
    """Index names written in subscripts that no sum around them binds, in writing order."""
    return list(dict.fromkeys(o.name for o in occurrences(node) if o.name not in o.bound))


# -- transposes -------------------------------------------------------------------
def _is_coefficient(node: Node) -> bool:
    return isinstance(node, Number) or isinstance(node, Frac) and all(
        isinstance(part, Number) for part in (node.num, node.den))


def _is_derivative(node: Node) -> bool:
    if isinstance(node, Group):
        return _is_derivative(node.body)
    return isinstance(node, Nabla) or isinstance(node, Frac) and isinstance(node.num, Partial)


def transposed(node: Node, scalar: ScalarTest = _never) -> Node | None:
    """The transpose of a matrix expression, written as an author would (``(A B)^T`` as ``B^T A^T``);
    a scalar is its own transpose, left as written (never ``a^T``)."""
    if scalar(node):
        return node
    if isinstance(node, Scripted):
        if node.sub is not None:
            return None  # an entry: a number
        if node.transpose:
            base = node.base
            return base.body if isinstance(base, Group) else base
        return Scripted(grouped(node), transpose=True)
    if isinstance(node, Group) and node.bracket != "{":
        inner = transposed(node.body, scalar)
        return None if inner is None else (grouped(inner) if not isinstance(inner, (Name, Scripted)) else inner)
    if isinstance(node, Product) and all(op == "" for op in node.ops):
        coefficients = [f for f in node.factors if _is_coefficient(f)]
        written = [transposed(f, scalar) for f in reversed(node.factors) if not _is_coefficient(f)]
        matrices = [m for m in written if m is not None]
        if len(matrices) != len(written) or not matrices:
            return None
        factors = tuple(coefficients) + tuple(matrices)
        return Product(factors, ("",) * (len(factors) - 1)) if len(factors) > 1 else factors[0]
    if isinstance(node, Add):
        terms = [(sign, transposed(term, scalar)) for sign, term in node.terms]
        kept = tuple((sign, term) for sign, term in terms if term is not None)
        return None if len(kept) != len(terms) else Add(kept)
    if isinstance(node, Neg):
        inner = transposed(node.body, scalar)
        return None if inner is None else Neg(inner)
    if isinstance(node, Hadamard):
        left, right = transposed(node.left, scalar), transposed(node.right, scalar)
        return None if left is None or right is None else Hadamard(left, right)
    if isinstance(node, (Name, Frac, Nabla, Group)) or hasattr(node, "func"):
        return Scripted(node, transpose=True)
    return None


# -- the search -------------------------------------------------------------------
def _coefficient(ratio: Fraction) -> Node:
    if ratio.denominator == 1:
        return Number(str(ratio.numerator))
    return Frac(Number(str(ratio.numerator)), Number(str(ratio.denominator)))


def scaled(node: Node, ratio: Fraction) -> Node:
    """``ratio`` times ``node``, folding into a leading number (``2 x`` times 2 is ``4 x``)."""
    if ratio < 0:
        return Neg(scaled(node, -ratio))
    if isinstance(node, Product) and isinstance(node.factors[0], Number) and node.ops[0] == "":
        try:
            value = Fraction(node.factors[0].text) * ratio
        except ValueError:
            value = None
        if value is not None:
            rest = node.factors[1:]
            if value == 1:
                return rest[0] if len(rest) == 1 else Product(rest, node.ops[1:])
            return Product((_coefficient(value),) + rest, node.ops)
    body = grouped(node) if isinstance(node, (Add, Hadamard, Neg, BigSum)) else node
    return Product((_coefficient(ratio), body), ("",))


def _without_term(add: Add, position: int) -> Node:
    terms = add.terms[:position] + add.terms[position + 1:]
    if len(terms) == 1:
        sign, term = terms[0]
        return term if sign > 0 else Neg(term)
    return Add(terms)


def _flipped(add: Add, position: int) -> Add:
    terms = list(add.terms)
    sign, term = terms[position]
    terms[position] = (-sign, term)
    return Add(tuple(terms))


def _terms(node: Node) -> tuple[tuple[int, Node], ...]:
    return node.terms if isinstance(node, Add) else ((1, node),)


def _shown(node: Node) -> str:
    try:
        return render(node)
    except Unrenderable:
        return "?"


def _renamed(node: Node, old: str, new: str) -> Node:
    return _edit_indices(node, lambda o: new if o.name == old and old not in o.bound else o.name)


def _swapping(swap: dict[str, str]) -> Callable[[Occurrence], str]:
    """The choice that swaps the free indices as ``swap`` says."""
    return lambda o: swap.get(o.name, o.name) if o.name not in o.bound else o.name


def _renaming_one(number: int, new: str) -> Callable[[Occurrence], str]:
    """The choice that renames the index written ``number``-th (from 0) to ``new``."""
    return lambda o: new if o.number == number else o.name


def _tries(member: Node, free: Sequence[str], extra: Sequence[str], previous: Node | None,
           ratio: Fraction | None, scalar: ScalarTest = _never) -> Iterator[tuple[str, Node | None, str]]:
    """(kind, tree, detail) in the order to try them; a tree may be None (no such repair)."""
    written = free_names(member)
    others = [n for n in dict.fromkeys(list(free) + [o.name for o in occurrences(member)])]
    for old in extra:
        for new in free:
            if new not in written:
                yield "rename-index", _renamed(member, old, new), f"rename {old} to {new}"
    whole = transposed(member, scalar)
    kind = "layout" if _is_derivative(member) else "transpose"
    yield kind, whole, "transpose the member"
    yield kind, None if scalar(member) else Scripted(grouped(member), transpose=True), "transpose the member"
    for a, b in combinations([n for n in free if n in written], 2):
        yield "swap-indices", _edit_indices(member, _swapping({a: b, b: a})), f"swap {a} and {b}"
    yield "sign", member.body if isinstance(member, Neg) else Neg(member), "flip the sign"
    if ratio is not None and ratio not in (0, 1, -1):
        yield "factor", scaled(member, ratio), f"multiply by {_shown(_coefficient(ratio))}"
    for path, node in list(nodes(member)):
        if isinstance(node, Product) and all(op == "" for op in node.ops) or isinstance(node, Hadamard):
            parts = list(enumerate(node.factors)) if isinstance(node, Product) else [(0, node.left), (1, node.right)]
            for position, factor in parts:
                if _is_coefficient(factor) or scalar(factor):
                    continue  # a scalar is its own transpose
                flipped = transposed(factor, scalar)
                kind = "layout" if _is_derivative(factor) else "transpose-factor"
                what = "the other layout convention: transpose" if kind == "layout" else "transpose"
                yield kind, None if flipped is None else replaced(member, path + (position,), flipped), f"{what} {_shown(factor)}"
    for path, node in list(nodes(member)):  # W X_{j,k} meant as W_{j,k}: a matrix written for its entry
        if isinstance(node, Product):
            for position, (left, right) in enumerate(zip(node.factors, node.factors[1:])):
                if isinstance(left, Name) and isinstance(right, Scripted) and right.sub and isinstance(right.base, Name):
                    entry = Scripted(left, sub=right.sub)
                    factors = node.factors[:position] + (entry,) + node.factors[position + 2:]
                    ops = node.ops[:position] + node.ops[position + 1:]
                    merged = factors[0] if len(factors) == 1 else Product(factors, ops)
                    yield "entry", replaced(member, path, merged), f"{_shown(entry)} for {_shown(left)} {_shown(right)}"
    for occurrence in occurrences(member):
        if occurrence.delta:
            for new in others:
                if new != occurrence.name:
                    yield "delta", _edit_indices(member, _renaming_one(occurrence.number, new)), \
                        f"change {occurrence.name} to {new} in a delta"
    for path, node in list(nodes(member)):
        if isinstance(node, Add):
            for position, (_, term) in enumerate(node.terms):
                yield "drop-term", replaced(member, path, _without_term(node, position)), f"drop {_shown(term)}"
    if previous is not None and len(_terms(previous)) > 1:
        have = {_shown(t) for _, t in _terms(member)}
        for sign, term in _terms(previous):
            if _shown(term) not in have:
                body = member if isinstance(member, Add) else Add(((1, member),))
                yield "add-term", Add(body.terms + ((sign, term),)), f"add back {_shown(term)}"
    for path, node in list(nodes(member)):
        if isinstance(node, Add):
            for position, (_, term) in enumerate(node.terms):
                yield "sign", replaced(member, path, _flipped(node, position)), f"flip the sign of {_shown(term)}"
    for occurrence in occurrences(member):
        for new in others:
            if new != occurrence.name and not occurrence.delta:
                yield "rename-index", _edit_indices(member, _renaming_one(occurrence.number, new)), \
                    f"rename one {occurrence.name} to {new}"


def without_scalar_transposes(node: Node, scalar: ScalarTest) -> Node:
    """``node`` with every ``a^T`` of a scalar ``a`` written ``a`` (the author's too: a repair never shows one)."""
    if isinstance(node, Scripted) and node.transpose and node.sub is None and node.sup is None and scalar(node.base):
        return without_scalar_transposes(node.base, scalar)
    return mapped(node, lambda child: without_scalar_transposes(child, scalar))


def repairs(member: Node, *, free: Sequence[str] = (), extra: Sequence[str] = (), previous: Node | None = None,
            ratio: Fraction | None = None, scalar: ScalarTest = _never) -> Iterator[Candidate]:
    """Distinct repaired members, cheapest first (the member itself never); ``scalar`` tells
    which subexpressions are scalars, whose transposes are left out."""
    try:
        seen = {render(member)}
    except Unrenderable:
        return
    for kind, node, detail in _tries(member, free, extra, previous, ratio, scalar):
        if node is None:
            continue
        node = without_scalar_transposes(node, scalar)
        try:
            latex = render(node)
        except Unrenderable:
            continue
        if latex not in seen:
            seen.add(latex)
            yield Candidate(kind, node, latex, detail)

"""Syntax trees back to LaTeX that deriv reads as the same mathematics.

In: a node of :mod:`deriv.latex.ast` (as parsed, or edited by
:mod:`deriv.latex.repairs`).  Out: LaTeX an author can paste into the
document, which :func:`deriv.latex.parser.parse_display` reads back to a
tree of the same meaning (brackets are added only where the tree's
structure needs them: a sum inside a product, a product under a
transpose).  A node this module does not know raises :class:`Unrenderable`,
so a caller never shows text that might mean something else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deriv.latex.ast import (
    Add,
    BigSum,
    Builtin,
    Call,
    Frac,
    Group,
    Hadamard,
    Kronecker,
    Inner,
    Literal,
    Nabla,
    Name,
    Neg,
    Node,
    Number,
    Partial,
    Partials,
    Prime,
    Product,
    Relation,
    Root,
    Scripted,
    SumIndex,
)
from deriv.names import GREEK, shown_builtin, split_scripted

#: Binding strength of a node's outermost operator (higher binds tighter).
ADD, HADAMARD, PRODUCT, ATOM = range(4)
_BRACKETS = {"(": (r"\left(", r"\right)"), "[": (r"\left[", r"\right]"), "{": ("{", "}")}
_OPS = {"": " ", "*": r" \cdot ", "/": " / "}


class Unrenderable(Exception):
    """A node with no LaTeX here (a newer syntax node, say)."""


def render(node: Node) -> str:
    """The LaTeX of ``node``."""
    method = _RENDERERS.get(type(node))
    if method is None:
        raise Unrenderable(type(node).__name__)
    return method(node)


def level(node: Node) -> int:
    """How tightly ``node`` binds, for deciding where brackets are needed."""
    if isinstance(node, Add):
        return ADD
    if isinstance(node, (Hadamard, Kronecker)):
        return HADAMARD
    if isinstance(node, (Product, BigSum, Neg)):
        return PRODUCT
    return ATOM


def grouped(node: Node) -> Group:
    """``node`` in round brackets (the parser's Group node)."""
    return node if isinstance(node, Group) and node.bracket == "(" else Group(node, "(")


def _at_least(node: Node, wanted: int) -> str:
    return render(node) if level(node) >= wanted else render(Group(node, "("))


def _name(node: Name) -> str:
    text = node.name
    primes = len(text) - len(text.rstrip("'"))
    stem = text[: len(text) - primes]
    if stem.startswith("\\") or split_scripted(stem) is not None:
        pass  # spelled as written: \hat{y}, the ones vector \mathbf{1}, W_1, h_{t-1}
    elif stem in GREEK:
        stem = "\\" + stem
    elif len(stem) > 1:
        stem = rf"\mathrm{{{stem}}}"  # a declared word such as lr
    if node.font and len(node.name) == 1 or node.font and node.name in GREEK:
        stem = rf"\{node.font}{{{stem}}}"
    return stem + "'" * primes


def _group(node: Group) -> str:
    left, right = _BRACKETS.get(node.bracket, _BRACKETS["("])
    return f"{left}{render(node.body)}{right}"


def _call(node: Call) -> str:
    return f"{_name(node.func)}({render(node.arg)})"


def _builtin(node: Builtin) -> str:
    if node.func == "norm":
        return rf"\|{render(node.arg)}\|"
    if node.func == "abs":
        return rf"\lvert {render(node.arg)} \rvert"
    if node.func == "sqrt":
        return rf"\sqrt{{{render(node.arg)}}}"
    if node.func in ("tr", "diag", "vec"):
        return rf"\operatorname{{{node.func}}}({render(node.arg)})"
    return rf"{shown_builtin(node.func)}\left({render(node.arg)}\right)"


def _scripted(node: Scripted) -> str:
    base = node.base
    if isinstance(base, Name) and split_scripted(base.name) is not None and (node.sub is not None or node.sup is not None):
        text = render(Group(base, "["))  # an entry of W_1 is [W_1]_{i,j}, never W_1_{i,j}
    elif level(base) < ATOM or isinstance(base, (Frac, Scripted, Nabla)):
        text = render(Group(base, "("))
    else:
        text = render(base)
    if node.sub is not None:
        text += "_{" + ",".join(render(item) for item in node.sub) + "}"
    if node.transpose:
        text += "^{T}"
    elif node.sup is not None:
        text += "^{" + render(node.sup) + "}"
    return text


def _partial(node: Partial) -> str:
    head = r"\partial" if node.power == 1 else rf"\partial^{{{node.power}}}"
    return head if node.body is None else f"{head} {render(node.body)}"


def _product(node: Product) -> str:
    last = len(node.factors) - 1
    parts = []
    for position, factor in enumerate(node.factors):
        # A sum's body runs to the next + or -, so a sum before other factors
        # would swallow them; a minus after the first factor is a subtraction.
        needs = isinstance(factor, BigSum) and position < last or isinstance(factor, Neg) and position > 0
        text = render(Group(factor, "(")) if needs else _at_least(factor, PRODUCT)
        if position:
            parts.append(_OPS.get(node.ops[position - 1], " "))
        parts.append(text)
    return "".join(parts)


def _hadamard(node: Hadamard | Kronecker) -> str:
    left = node.left
    # a Kronecker product beside a Hadamard one is bracketed (the parser refuses them mixed)
    mixed = isinstance(left, (Hadamard, Kronecker)) and type(left) is not type(node)
    left_text = render(Group(left, "(")) if isinstance(left, (BigSum, Neg)) or mixed else _at_least(left, HADAMARD)
    right_text = _at_least(node.right, PRODUCT)
    operator = r"\otimes" if isinstance(node, Kronecker) else r"\circ"
    return f"{left_text} {operator} {right_text}"


def _sum_index(index: SumIndex) -> str:
    return index.name if index.lower is None else f"{index.name}={render(index.lower)}"


def _bigsum(node: BigSum) -> str:
    indices = ",".join(_sum_index(i) for i in node.indices)
    uppers = [i.upper for i in node.indices if i.upper is not None]
    upper = "^{" + render(uppers[0]) + "}" if len(uppers) == 1 and len(node.indices) == 1 else ""
    if uppers and not upper:
        raise Unrenderable("a multiple sum with upper limits")
    return rf"\sum_{{{indices}}}{upper} {_at_least(node.body, HADAMARD)}"


def _neg(node: Neg) -> str:
    return "-" + _at_least(node.body, PRODUCT)


def _add(node: Add) -> str:
    parts: list[str] = []
    for position, (sign, term) in enumerate(node.terms):
        if isinstance(term, Neg):
            sign, term = -sign, term.body
        text = render(term) if level(term) > ADD else render(Group(term, "("))
        if position == 0:
            parts.append(text if sign > 0 else "-" + text)
        else:
            parts.append((" + " if sign > 0 else " - ") + text)
    return "".join(parts)


def _literal(node: Literal) -> str:
    rows = r" \\ ".join(" & ".join(render(cell) for cell in row.cells) for row in node.rows)
    return rf"\begin{{{node.environment}}} {rows} \end{{{node.environment}}}"


_RENDERERS: dict[type[Node], Callable[[Any], str]] = {
    Literal: _literal,
    Name: _name,
    Number: lambda n: n.text,
    Group: _group,
    Call: _call,
    Builtin: _builtin,
    Inner: lambda n: rf"\langle {render(n.left)}, {render(n.right)} \rangle",
    Root: lambda n: rf"\sqrt[{render(n.degree)}]{{{render(n.arg)}}}",
    Scripted: _scripted,
    Prime: lambda n: _name(n.base) + "'" * n.order,
    Partial: _partial,
    Partials: lambda n: " ".join(_partial(p) for p in n.parts),
    Nabla: lambda n: (rf"\nabla_{{{render(n.var)}}} " if n.var is not None else r"\nabla ") + _at_least(n.body, ATOM),
    Frac: lambda n: rf"\frac{{{render(n.num)}}}{{{render(n.den)}}}",
    Product: _product,
    Hadamard: _hadamard,
    Kronecker: _hadamard,
    BigSum: _bigsum,
    Neg: _neg,
    Add: _add,
    Relation: lambda n: f"{render(n.left)} {n.relation} {render(n.right)}",
}

"""An index expression written as an entry of a bracketed matrix expression, read as that expression.

``2 \\left[ (X^T X + \\lambda I) w - X^T y \\right]_m`` with free index ``m``
is the entry ``m`` of ``2 ((X^T X + \\lambda I) w - X^T y)``: the author
wrote the matrix form already, and proposing it first keeps it as written
(a reading as chains would multiply it out).  Only (a number times) one
bracket of a product or sum whose subscripts are the free indices in
order is read (``[(X^T)^{-1}]_{i,j}`` is left to the chains: ``X^{-T}``); the
proposal is decided like any other (docs/cli.md, "Matrix forms").
"""

from __future__ import annotations

from collections.abc import Sequence

from deriv.latex.ast import Add, Frac, Group, Neg, Node, Number, Product, Scripted
from deriv.latex.render import Unrenderable, render


def bracketed_form(node: Node, indices: Sequence[str]) -> str | None:
    """The LaTeX of the matrix expression whose entry ``indices`` is ``node``, or None."""
    sign, numbers, entry = _peeled(node)
    if not (entry is not None and isinstance(entry, Scripted) and isinstance(entry.base, Group) and entry.base.bracket == "["
            and entry.sup is None and not entry.transpose and _names(entry.sub) == list(indices)
            and isinstance(entry.base.body, (Product, Add, Neg))):
        return None
    try:
        body = render(entry.base.body).replace("^{T}", "^T")  # the same to TeX; as the other forms print it
        scale = " ".join(render(n) for n in numbers)
    except (Unrenderable, ValueError):
        return None
    if scale and isinstance(entry.base.body, (Add, Neg)):
        body = rf"\left({body}\right)"
    return sign + " ".join(t for t in (scale, body) if t)


def _peeled(node: Node) -> tuple[str, list, Node | None]:
    """``-\\frac{1}{2} [M]_m`` as its sign, its numbers and the entry ``[M]_m``."""
    sign = ""
    if isinstance(node, Neg):
        sign, node = "-", node.body
    numbers: list = []
    if isinstance(node, Product) and all(op in ("", "*") for op in node.ops):
        *numbers, node = node.factors
        if not all(_numeric(n) for n in numbers):
            return sign, [], None  # not a number times the entry
    return sign, numbers, node


def _numeric(node: Node) -> bool:
    return isinstance(node, Number) or (isinstance(node, Frac) and _numeric(node.num) and _numeric(node.den))


def _names(sub: tuple | None) -> list[str]:
    """The subscripts as plain index names ([] when one is anything else)."""
    names = [getattr(s, "name", None) for s in sub or ()]
    return [n for n in names if isinstance(n, str)] if all(isinstance(n, str) for n in names) else []

"""Where a ``\\prod``'s body ends: a factor after its terms that does not use its index is ambiguous.

Likewise where any sum's body ends, at the next ``+``/``-``: a term after it that uses the summed
index (``\\sum_i x_i + y_i``) is ``(\\sum_i x_i) + y_i`` by that rule and ``\\sum_i (x_i + y_i)`` to
readers who take the index to run on; an error asking for brackets.

A ``\\sum`` binds the product after it up to the next ``+``/``-`` (docs/format.md, Mathematics),
and for a sum that is harmless: ``\\sum_i x_i c`` is ``c \\sum_i x_i`` whether or not ``c`` is
inside.  A ``\\prod`` is not linear: ``\\prod_i x_i \\prod_j y_j`` is ``(\\prod_i x_i)(\\prod_j y_j)``
to a reader but ``\\prod_i (x_i \\prod_j y_j)``, with ``\\prod_j y_j`` raised to the ``N``-th
power, if the body runs on.  So a factor that does not use the product's index, written after
one that does, is an error asking for brackets; a leading constant (``\\prod_i 2 x_i``, each
term doubled) is read as written.
"""

from __future__ import annotations

from deriv.latex.ast import BigSum, Name, Node, Product, SumIndex, children


def mentions(node: Node, index: str) -> bool:
    """Whether ``node`` writes ``index`` where no sum or product inside it binds it again."""
    if isinstance(node, Name):
        return node.name == index
    if isinstance(node, BigSum) and any(i.name == index for i in node.indices):
        return any(mentions(bound, index) for i in node.indices for bound in (i.lower, i.upper)
                   if bound is not None)
    return any(mentions(child, index) for child in children(node))


def stray_factor(indices: tuple[SumIndex, ...], body: Node) -> Node | None:
    """The first factor of a product's ``body`` that uses none of ``indices`` but follows one that
    does (``\\prod_j y_j`` in ``\\prod_i x_i \\prod_j y_j``), else None."""
    if not isinstance(body, Product):
        return None
    names = [i.name for i in indices]
    seen_index = False
    for factor in body.factors:
        uses = any(mentions(factor, name) for name in names)
        if seen_index and not uses:
            return factor
        seen_index = seen_index or uses
    return None


def _trailing_sum(term: Node) -> BigSum | None:
    """The sum a term ends with (``\\sum_i x_i``, ``2 \\sum_i x_i``), whose body the next ``+`` ends."""
    if isinstance(term, Product):
        term = term.factors[-1]
    return term if isinstance(term, BigSum) else None


def index_past_its_sum(terms: list[Node]) -> tuple[str, Node] | None:
    """The first summed index used again in a later term of the same sum of ``terms`` (``i`` and
    ``y_i`` in ``\\sum_i x_i + y_i``), else None."""
    summed: list[str] = []
    for term in terms:
        used = next((name for name in summed if mentions(term, name)), None)
        if used is not None:
            return used, term
        found = _trailing_sum(term)
        if found is not None:
            summed += [i.name for i in found.indices]
    return None

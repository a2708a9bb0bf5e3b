"""The range of a free index written only in a family's members: ``t`` of ``h_t`` and ``h_{t-1}``.

``h: vector N, for t in 0..T`` with ``h_t = \\tanh(W h_{t-1} + U x_t)`` under
``definitions:``; a step ``\\frac{\\partial (h_t)_i}{\\partial (h_{t-1})_j} = ...`` writes
``t`` nowhere else.  A careful reader takes ``t`` to run over every value at which
each member written exists (``h_{t-1}``: ``t >= 1``; ``h_t``: ``t <= T``) and, for a
family defined by a recurrence, at which its latest member written as a value (not
as a derivative's variable, ``\\partial h_{t-1}``) is one the recurrence defines
(``h_t`` alone: ``t = 1..T``, not ``h_0``, the free start).  The step is checked at
every such ``t``: the range is the largest one the members allow, so no value at
which the step says something is left out.

The members of a whole display are read first (:func:`display_family_ranges`), as a
reader reads ``\\frac{\\partial L}{\\partial h_{t-1}} = (\\frac{\\partial h_t}{\\partial
h_{t-1}})^T \\frac{\\partial L}{\\partial h_t}`` (``t = 1..T``, though the left side alone
allows ``1..T+1``); an index written anywhere else in the display (an entry ``v_t``,
``\\delta_{t,1}``, a ``\\sum`` over ``t``) is left to each member, which then infers
its range alone (:func:`infer_family_ranges`) or says it has none.

deriv's free indices run from 1, so the range must be ``1..E`` with ``E`` at least 1
at every size; any other (``h_{t+1}`` beside ``h_t`` from ``h_0``: ``t = 0..T-1``;
``h_{t+1}`` beside ``h_{t-1}``: ``1..T-1``, empty at ``T = 1``) is an error saying so,
and an index used anywhere else (an entry ``x_t``, ``indices:``, an earlier member
of the chain) keeps the range that gives it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import sympy
from sympy import Expr, Symbol

from deriv.context import Context
from deriv.errors import MeaningError
from deriv.ir import index
from deriv.latex import ast
from deriv.latex.ast import children
from deriv.latex.render import render
from deriv.meaning.index_values import subscript_names
from deriv.meaning.positions import Access, written_position, zero_based


def _offset(access: Access, symbol: Symbol) -> Expr | None:
    """``c`` of a row ``symbol + c`` (0-based), or None for any other position."""
    offset = sympy.expand(access.position - symbol)
    return offset if offset.is_Integer else None


def _lowest(uppers: list[Expr]) -> Expr | None:
    """The upper bound below every other at every size, or None when they cross."""
    for candidate in uppers:
        gaps = [sympy.expand(other - candidate) for other in uppers]
        if all(gap.is_Integer and gap >= 0 for gap in gaps):
            return candidate
    return None


def _always_positive(extent: Expr, sizes: frozenset[Symbol]) -> bool:
    """Whether ``extent`` is at least 1 at every size (each size at least 1): with every size
    written ``s + 1``, a constant at least 1 and no negative coefficient."""
    if not extent.free_symbols <= sizes:
        return False
    shifted = sympy.expand(extent.xreplace({s: s + 1 for s in extent.free_symbols}))
    constant, rest = shifted.as_coeff_Add()
    if rest == 0:
        return bool(constant >= 1)
    return bool(constant >= 1) and all(c >= 0 for c in sympy.Poly(rest, *sorted(rest.free_symbols, key=str)).coeffs())


def _candidates(accesses: Iterable[Access], skip: Collection[str], sizes: frozenset[Symbol]) -> set[Symbol]:
    found: set[Symbol] = set()
    for access in accesses:
        if access.first is not None:
            found |= {s for s in access.position.free_symbols - sizes if s.name not in skip}
    return found


def family_range(symbol: Symbol, accesses: list[Access], recurrent: Collection[str],
                 sizes: frozenset[Symbol], shown: str) -> tuple[Expr, str] | None:
    """The extent ``E`` of ``symbol`` (written ``1..E``) and where it comes from, when ``symbol``
    is written only as ``h_{t+c}`` of families; None when it is written otherwise."""
    uses = [a for a in accesses if symbol in a.position.free_symbols]
    offsets = [_offset(a, symbol) if a.first is not None else None for a in uses]
    if not uses or any(o is None for o in offsets):
        return None
    known = [(a, o) for a, o in zip(uses, offsets) if o is not None]
    lows = [-o for _, o in known]
    for name in {a.array for a in uses if not a.variable} & set(recurrent):  # the latest valued member is defined
        lows.append(1 - max(o for a, o in known if a.array == name and not a.variable))
    high = _lowest([sympy.expand(a.length - 1 - o) for a, o in known])
    members = ", ".join(dict.fromkeys(a.where for a in uses))
    if high is None:
        raise MeaningError(f"cannot tell the range of {shown}: {members} are of families of unrelated lengths; "
                           f"give it under indices: ({shown}: T for {shown} = 1..T)")
    low = max(lows)
    extent = sympy.expand(high + 1)
    if low != 0 or not _always_positive(extent, sizes):
        first, last = sympy.expand(low + 1), sympy.expand(high + 1)
        raise MeaningError(
            f"{shown} is given no range, and {members} exist for {shown} = {first}..{last}"
            f": deriv takes a free index from 1 to a length at least 1 at every size; "
            f"write the step with an index that runs so (as h_{{{shown}}} and h_{{{shown}-1}} for {shown} = 1..T), "
            f"or give its range under indices: ({shown}: T for {shown} = 1..T)")
    return extent, f"{members}, where {shown} = 1..{extent}"


def infer_family_ranges(accesses: list[Access], skip: Collection[str], recurrent: Collection[str],
                        sizes: frozenset[Symbol], shown_of: dict[str, str]) -> dict[str, tuple[Expr, str]]:
    """Each free index written only in families' members, with the range it takes
    (:mod:`deriv.meaning.family_ranges`); ``skip`` are indices whose range is known otherwise."""
    found: dict[str, tuple[Expr, str]] = {}
    for symbol in sorted(_candidates(accesses, skip, sizes), key=str):
        extent = family_range(symbol, accesses, recurrent, sizes, shown_of.get(symbol.name, symbol.name))
        if extent is not None:
            found[symbol.name] = extent
    return found


def member_row(written: Expr, first: int, sizes: frozenset[Symbol]) -> Expr:
    """The 0-based row of the array kept for a family from ``h_first`` that member ``h_{written}`` is."""
    return sympy.expand(zero_based(written, frozenset(written.free_symbols - sizes)) + 1 - first)


def _d_form(den: ast.Node) -> bool:
    """Whether a denominator is written ``d x`` or ``d x \\, d y`` (taken as variables: the wider range)."""
    factors = den.factors if isinstance(den, ast.Product) else ()
    return len(factors) >= 2 and len(factors) % 2 == 0 and all(
        isinstance(f, ast.Name) and f.name == "d" for f in factors[0::2])


class _DisplayScan:
    """The family members a display writes, and the indices written anywhere else."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.sizes = frozenset(context.sizes)
        self.accesses: list[Access] = []
        self.elsewhere: set[str] = set(context.index_ranges) | set(context.declared) | set(context.definitions)

    def scan(self, node: ast.Node) -> None:
        todo: list[tuple[ast.Node, bool]] = [(node, False)]
        while todo:
            item, variable = todo.pop()
            if isinstance(item, ast.BigSum):
                self.elsewhere.update(spec.name for spec in item.indices)
            if isinstance(item, ast.Frac) and (isinstance(item.den, (ast.Partial, ast.Partials)) or _d_form(item.den)):
                todo += [(item.num, variable), (item.den, True)]  # a derivative's variables
            elif isinstance(item, ast.Nabla):
                todo += [(item.body, variable)] + ([(item.var, True)] if item.var is not None else [])
            elif isinstance(item, ast.Scripted) and item.sub:
                self._scripted(item, variable)
                todo += [(item.base, variable)] + ([(item.sup, variable)] if item.sup is not None else [])
            else:
                todo += [(child, variable) for child in children(item)]

    def _scripted(self, node: ast.Scripted, variable: bool) -> None:
        access = self._member(node, variable)
        if access is None:
            self.elsewhere |= subscript_names(node.sub)
        else:
            self.accesses.append(access)

    def _member(self, node: ast.Scripted, variable: bool) -> Access | None:
        name = node.base.name if isinstance(node.base, ast.Name) else ""
        declared = self.context.declared.get(name)
        family = declared.family if declared is not None else None
        if declared is None or family is None or node.sup is not None or node.transpose or len(node.sub or ()) != 1:
            return None
        sizes = {s.name: s for s in self.sizes}
        try:
            written = written_position((node.sub or ())[0], lambda n: sizes.get(n) or index(n))
        except MeaningError:
            return None
        return Access(render(node), name, written, member_row(written, family.first, self.sizes),
                      declared.shape[0], family.first, variable)


def display_family_ranges(members: Sequence[ast.Node], context: Context) -> dict[str, tuple[Expr, str]]:
    """The range of each free index a display writes only in families' members, read from all its
    members together (:mod:`deriv.meaning.family_ranges`); none where that reading fails (each member
    then reads alone)."""
    if not any(d.family is not None for d in context.declared.values()):
        return {}
    scan = _DisplayScan(context)
    for member in members:
        scan.scan(member)
    try:
        return infer_family_ranges(scan.accesses, scan.elsewhere, set(context.recurrences), scan.sizes, {})
    except MeaningError:
        return {}

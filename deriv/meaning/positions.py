"""Entry positions: subscripts that are integer affine expressions.

``x_{i+k-1}``, ``y_{t+1}``, ``w_1``, ``A_{1,2}``, ``x_{2i}``, ``x_{N}``: a
subscript may be an integer affine expression of indices and sizes.  The
author counts from 1 and index symbols count from 0, so the position kept is
the written one with every index ``i`` read as ``i + 1``, less 1.

A plain index (``x_i``) fixes its index's range, as it always did.  Any other
position is an :class:`Access`, checked once the ranges are known
(:func:`access_problem`): it must lie in ``1..length`` at every value of its
indices and at every size (sizes are at least 1).  What can not be shown is an
error naming the case -- an entry past the end is never read as some value.

Sum bounds other than ``1`` to a size (``\\sum_{k=2}^{K}``, ``\\sum_{j=1}^{i}``,
``\\sum_{i=1}^{N-K+1}``) give their index an :class:`Interval` instead of a
range; its entries are accesses too.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import sympy
from sympy import Expr, Indexed, Integer, Symbol

from deriv.context import Context
from deriv.errors import MeaningError
from deriv.ir import base_name, size
from deriv.latex import ast

#: Sizes tried, each from 1 to this, to show a case where a position leaves its array.
SEARCH = 6
#: At most this many sizes are searched together (6 ** 4 cases).
SEARCH_SIZES = 4

#: Why a sum whose bounds depend on another index, or that may be empty, is only tested.
SUM_BOUNDS = "a sum whose bounds depend on another index or whose terms may run out at some sizes"
AFFINE = ("subscripts are integer affine expressions of indices and sizes, as in x_{i+k-1}, w_1 or A_{i,1} "
          "(an index may be scaled by sizes, as in [A \\otimes B]_{(i-1)P+k,j})")


@dataclass(frozen=True)
class Interval:
    """An index's values, 0-based and inclusive; the bounds may name outer indices."""

    low: Expr
    high: Expr


@dataclass(frozen=True)
class Access:
    """An entry read at a position other than a plain index.

    ``position`` is 0-based, in index and size symbols; ``written`` is the
    author's (1-based) subscript, ``where`` the entry as written."""

    where: str
    array: str
    written: Expr
    position: Expr
    length: Expr
    #: The first member of a family (``h_0``): its members are named, not numbered from 1.
    first: int | None = None
    #: A family's member written as a derivative's variable (``\\partial h_{t-1}``), not a value.
    variable: bool = False


def written_position(node: ast.Node, symbol_of: Callable[[str], Symbol]) -> Expr:
    """The author's subscript expression: numbers, names (via ``symbol_of``), + - and products."""
    if isinstance(node, ast.Number):
        if not node.text.isdigit():
            raise MeaningError(f"{node.text} can not be a subscript: {AFFINE}")
        return Integer(int(node.text))
    if isinstance(node, ast.Name) and not node.font:
        return symbol_of(node.name)
    if isinstance(node, ast.Group) and node.bracket in "({":
        return written_position(node.body, symbol_of)
    if isinstance(node, ast.Neg):
        return -written_position(node.body, symbol_of)
    if isinstance(node, ast.Add):
        return sympy.Add(*(sign * written_position(term, symbol_of) for sign, term in node.terms))
    if isinstance(node, ast.Product) and all(op in ("", "\\cdot") for op in node.ops):
        return sympy.Mul(*(written_position(f, symbol_of) for f in node.factors))
    raise MeaningError(AFFINE)


def check_affine(expr: Expr, shown: str) -> None:
    """``expr`` must be affine in the indices with integer coefficients, each a whole number
    times a product of sizes (``2i``, ``N-K+1``, ``(i-1)P + k``, the row of a Kronecker
    product; not ``ik``, ``i/2``, ``(N-K)i``, whose sign no size fixes)."""
    symbols = sorted(expr.free_symbols, key=str)
    if not symbols:
        if not expr.is_Integer:
            raise MeaningError(f"{shown} can not be a subscript: {AFFINE}")
        return
    poly = sympy.Poly(expr, *symbols)
    indices = {n for n, s in enumerate(symbols) if not (s.is_integer and s.is_positive)}
    slopes: dict[int, int] = {}
    for monomial, coefficient in poly.terms():
        index = [n for n in indices if monomial[n]]
        if not coefficient.is_Integer or sum(monomial[n] for n in index) > 1:
            raise MeaningError(f"{shown} can not be a subscript: {AFFINE}")
        if index:
            slopes[index[0]] = slopes.get(index[0], 0) + 1
    if any(count > 1 for count in slopes.values()):  # (N - K) i: its sign is no size's
        raise MeaningError(f"{shown} can not be a subscript: {AFFINE}")


def written_length(text: str) -> Expr:
    """A declared length (``'M+K-1'``, ``'2N'``, ``'N'``) in size symbols; the read stage
    checked its form (:data:`deriv.read.kinds.SIZE_EXPRESSION`)."""
    total: Expr = sympy.S.Zero
    for sign, count, names in re.findall(r"([+-]?)(\d*)((?:[A-Za-z][A-Za-z0-9_]*\*?)*)", text.replace(" ", "")):
        if not count and not names:
            continue
        term = Integer(int(count)) if count else sympy.S.One
        for name in filter(None, names.split("*")):  # N*Q: a product of sizes
            term *= size(name)
        total += -term if sign == "-" else term
    return total


def length_problem(length: Expr) -> str | None:
    """Why a declared length may be below 1 at some sizes (sizes are independent, each >= 1)."""
    sizes = frozenset(length.free_symbols)
    if never_negative(length - 1, sizes):
        return None
    case = counterexample(length - 1, sizes)
    at = f" (at {', '.join(f'{s} = {v}' for s, v in case.items())} it is {length.xreplace(case)})" if case else ""
    return (f"a length must be at least 1 at every size, and {shown_affine(length)} is not{at}: sizes are "
            f"independent, so name the shorter length and write the longer from it, as in "
            f"'y: vector M' and 'x: vector M+K-1'")


def shown_affine(expr: Expr) -> str:
    """An affine expression as an author writes it: ``N - K + 1``, ``2N``, ``1 - K``."""
    expr = sympy.expand(expr)
    constant, terms = expr.as_coeff_add()
    ordered = sorted(terms, key=lambda t: (not t.could_extract_minus_sign(), str(t)), reverse=True)
    pieces = [str(t).replace("**", "^").replace("*", "") for t in ordered]
    if constant > 0 and pieces and pieces[0].startswith("-"):
        pieces.insert(0, str(constant))  # 1 - K, not -K + 1
    elif constant or not pieces:
        pieces.append(str(constant))
    text = pieces[0]
    for piece in pieces[1:]:
        text += f" - {piece[1:]}" if piece.startswith("-") else f" + {piece}"
    return text


def zero_based(written: Expr, indices: frozenset[Symbol]) -> Expr:
    """The 0-based position of a written (1-based) one: each index ``i`` is ``i + 1``, less 1."""
    return sympy.expand(written.xreplace({s: s + 1 for s in written.free_symbols if s in indices}) - 1)


def one_based(position: Expr, indices: frozenset[Symbol]) -> Expr:
    """The inverse of :func:`zero_based`, for messages."""
    return sympy.expand(position.xreplace({s: s - 1 for s in position.free_symbols if s in indices}) + 1)


def never_negative(expr: Expr, sizes: frozenset[Symbol], counters: frozenset[Symbol] = frozenset()) -> bool:
    """Whether the polynomial ``expr`` is at least 0 at every size >= 1 and counter >= 0.

    Sufficient, not necessary: every coefficient after writing each size as
    ``1 + s`` is at least 0.  Anything else (a non-polynomial) is not shown."""
    shifted = sympy.expand(expr.xreplace({s: s + 1 for s in sizes}))
    symbols = sorted(shifted.free_symbols, key=str)
    if not set(symbols) <= sizes | counters:
        return False
    if not symbols:
        return bool(shifted.is_Rational and shifted >= 0)
    poly = sympy.Poly(shifted, *symbols)
    return all(c.is_Rational and c >= 0 for c in poly.coeffs())


@functools.lru_cache(maxsize=1 << 12)
def counts_terms(extent: Expr) -> bool:
    """Whether a sum with ``extent`` terms (upper - lower + 1) has that many at every
    size: a polynomial in the sizes only, never negative (``K - 1``, not ``N - K + 1``
    or ``i + 1``)."""
    if isinstance(extent, Symbol) or extent.is_Integer:
        return bool(extent.is_positive or extent.is_zero)
    sizes = frozenset(s for s in extent.free_symbols if s.is_integer and s.is_positive)
    return never_negative(extent, sizes)


def extreme(position: Expr, intervals: Mapping[Symbol, Interval], largest: bool) -> tuple[Expr, dict[Symbol, Expr]]:
    """The largest (or smallest) value of an affine ``position`` over its indices' intervals,
    and the index values where it is reached.

    An inner index (whose interval no other remaining index's bounds name) is
    eliminated first, so a bound ``j <= i`` is followed through ``i``."""
    values: dict[Symbol, Expr] = {}
    for _ in range(64):
        remaining = [s for s in position.free_symbols if s in intervals]
        if not remaining:
            break
        inner = [s for s in remaining if not any(
            s in (intervals[t].low.free_symbols | intervals[t].high.free_symbols) for t in remaining if t != s)]
        symbol = sorted(inner or remaining, key=str)[0]
        slope = sympy.diff(position, symbol)
        interval = intervals[symbol]
        value = interval.high if (slope >= 0) == largest else interval.low
        values = {s: v.xreplace({symbol: value}) for s, v in values.items()}
        values[symbol] = value
        position = sympy.expand(position.xreplace({symbol: value}))
    return position, values


def counterexample(expr: Expr, sizes: frozenset[Symbol]) -> dict[Symbol, int] | None:
    """Small sizes where ``expr`` is negative, if a search of 1..SEARCH finds any."""
    symbols = sorted(expr.free_symbols & sizes, key=str)
    if len(symbols) > SEARCH_SIZES or expr.free_symbols - sizes:
        return None
    for values in itertools.product(range(1, SEARCH + 1), repeat=len(symbols)):
        case = dict(zip(symbols, values))
        if expr.xreplace({s: Integer(v) for s, v in case.items()}) < 0:
            return case
    return None


def _named(access: Access, value: Expr, largest: bool, indices: frozenset[Symbol]) -> tuple[str, str]:
    """What the extreme position names, and which end of the array it passes."""
    if access.first is not None:  # a family's member: h_{T+1}, past h_T
        member, last = (shown_affine(e + access.first) for e in (value, access.length - 1))
        side = f"past the last member {access.array}_{{{last}}}" if largest else \
            f"before the first member {access.array}_{{{access.first}}}"
        return f"{access.array}_{{{member}}}", side
    side = f"past {access.array}'s length {shown_affine(access.length)}" if largest else \
        "before its first entry (entries are numbered from 1)"
    return f"entry {shown_affine(one_based(value, indices))} of {access.array}", side


def least_size(access: Access, sizes: frozenset[Symbol]) -> tuple[Symbol, int] | None:
    """The size a number past 1 needs in a dimension whose length is one size name
    (``w_2`` on ``w: vector K``: K >= 2), or None.  A length written from sizes
    (``vector N+1``) or a position with an index keeps the rule of :func:`access_problem`."""
    if access.position.free_symbols or access.length not in sizes or access.first not in (None, 1):
        return None
    needed = int(access.position) + 1
    return (access.length, needed) if needed >= 2 else None


def access_problem(access: Access, intervals: Mapping[Symbol, Interval], sizes: frozenset[Symbol],
                   shown: Callable[[str], str]) -> str | None:
    """Why ``access`` may leave its array, or None when it provably never does."""
    indices = frozenset(intervals)
    for largest in (False, True):
        value, at = extreme(access.position, intervals, largest)
        slack = access.length - 1 - value if largest else value
        if never_negative(slack, sizes):
            continue
        entry, side = _named(access, value, largest, indices)
        place = ", ".join(f"{shown(s.name)} = {shown_affine(one_based(v, indices))}"
                          for s, v in sorted(at.items(), key=lambda p: str(p[0])))
        when = ""
        if slack.free_symbols:
            case = counterexample(slack, sizes)
            when = (" when " + ", ".join(f"{s} = {v}" for s, v in case.items()) if case
                    else " (it can not be shown to stay inside at every size)")
        named = "" if entry == access.where else f" is {entry},"
        return (f"{access.where}{' at ' + place if place else ''}{named} "
                f"{side}{when}: a subscript must stay inside its array for every size and every index in range")
    return None


def least_sizes(exprs: Iterable[Expr], context: Context) -> dict[Symbol, int]:
    """The least value of each size the fixed entries of ``exprs`` need (only sizes
    above 1: the rest may be 1): each entry with a number for an index, in a
    dimension whose extent is a size.  The engine reads a step's least sizes here
    (:mod:`deriv.engine.minimums`); a member that names such an entry must keep it
    (:meth:`~deriv.meaning.entries.Entries.check_positions`)."""
    sizes = frozenset(context.sizes)
    found: dict[Symbol, int] = {}
    for expr in exprs:
        for name, dimension, needed in _fixed_entries(expr):
            extent = (context.shape_of(name) or ())[dimension:dimension + 1]
            if extent and extent[0] in sizes and needed > found.get(extent[0], 1):
                found[extent[0]] = needed
    return found


@functools.lru_cache(maxsize=1 << 12)
def _fixed_entries(expr: Expr) -> tuple[tuple[str, int, int], ...]:
    """Each entry of ``expr`` with a number past 1 (1-based) for an index: its array, the
    dimension and the number (remembered: a chain's members are read by every step)."""
    return tuple((base_name(atom), dimension, int(position) + 1) for atom in expr.atoms(Indexed)
                 for dimension, position in enumerate(atom.indices) if position.is_Integer and position > 0)

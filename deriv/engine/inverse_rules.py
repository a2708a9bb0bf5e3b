"""The symbolic rules of inverses and determinants.

* Derivatives: ``d[A^{-1}]_{k,l} = -\\sum_{r,c} [A^{-1}]_{k,r} dA_{r,c} [A^{-1}]_{c,l}``
  and ``d \\det A = \\det A \\sum_{r,c} [A^{-1}]_{c,r} dA_{r,c}`` (Jacobi), through
  the argument's entry, so the argument may be any square matrix expression.
* Contraction, in a term of the normal form: ``\\sum_k A_{i,k} [A^{-1}]_{k,j}``
  is ``\\delta_{i,j}`` and ``\\sum_k [A^{-1}]_{i,k} A_{k,j}`` too, where the
  argument's entry is one atom (``X``, ``X^T``, a symmetric ``S``).  Only when
  ``k`` appears in no other factor: then the sum over ``k`` is exactly that product.
* Orientation: ``[A^{-1}]_{i,j} = [(A^T)^{-1}]_{j,i}`` and ``\\det A = \\det A^T``,
  so of an argument and its transpose one (the one printed first) is kept;
  the determinant of the zero matrix is 0 (every size is at least 1).

Each is an identity wherever the inverse exists, which is where the tester
evaluates it; nothing here depends on a size.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import Expr, Indexed, Symbol

from deriv.ir import Determinant, InverseEntry, MatrixArg, delta, free_indices, fresh_index, substituted, sum_of, text

ZERO = sympy.S.Zero


def _over_entries(arg: MatrixArg, slope_of: Callable[[Expr], Expr], make: Callable[[Symbol, Symbol], Expr]) -> Expr:
    """``\\sum_{r,c} make(r, c) d A_{r,c}``, or 0 when the argument does not change."""
    r, c = fresh_index("r"), fresh_index("c")
    slope = slope_of(arg.entry(r, c))
    if slope == 0:
        return ZERO
    return sum_of(make(r, c) * slope, (r, 0, arg.rows - 1), (c, 0, arg.cols - 1))


def inverse_slope(expr: InverseEntry, slope_of: Callable[[Expr], Expr]) -> Expr:
    """The derivative of ``[A^{-1}]_{k,l}``, given how to differentiate an entry of ``A``."""
    arg, (k, l) = expr.arg, expr.position
    return -_over_entries(arg, slope_of, lambda r, c: InverseEntry(arg, k, r) * InverseEntry(arg, c, l))


def determinant_slope(expr: Determinant, slope_of: Callable[[Expr], Expr]) -> Expr:
    """The derivative of ``\\det A`` (Jacobi's formula)."""
    arg = expr.arg
    return expr * _over_entries(arg, slope_of, lambda r, c: InverseEntry(arg, c, r))


def transposed(arg: MatrixArg) -> MatrixArg:
    """The argument's transpose, as :meth:`MatrixArg.from_entry` would build it."""
    return MatrixArg(substituted(arg.body, {arg.row: arg.col, arg.col: arg.row}), *arg.args[1:3], arg.cols, arg.rows)


def oriented(expr: Expr, canonical: Callable[[MatrixArg], MatrixArg]) -> Expr:
    """Of an inverse entry or determinant and the same of the transposed argument, one
    form (``canonical`` puts an argument in canonical form): the argument printed first;
    a symmetric argument's inverse entry with its two positions in sorted order."""
    arg = canonical(expr.arg)
    flipped = canonical(transposed(arg))
    if isinstance(expr, Determinant):
        return ZERO if arg.body == 0 else Determinant(min(arg, flipped, key=text))  # a size is >= 1
    i, j = expr.position
    if flipped == arg:
        return symmetric_entry(InverseEntry(arg, i, j))
    return InverseEntry(arg, i, j) if text(arg) <= text(flipped) else InverseEntry(flipped, j, i)


def symmetric_entry(entry: InverseEntry) -> InverseEntry:
    """An entry of a symmetric argument's inverse with its two positions in sorted order (the
    inverse of a symmetric matrix is symmetric): again after summed indices are renamed."""
    return InverseEntry(entry.arg, *sorted(entry.position, key=text))


def _partner(arg: MatrixArg, atom: Expr, k: Symbol, left: bool, orient: Callable[[Expr], Expr]) -> Expr | None:
    """The index ``i`` with ``atom == A_{i,k}`` (``left``) or ``atom == A_{k,i}``, if any."""
    body = arg.body
    if not isinstance(atom, Indexed) or not isinstance(body, Indexed) or atom.base != body.base:
        return None
    for i in atom.indices:
        if i == k:
            continue
        candidate = arg.entry(i, k) if left else arg.entry(k, i)
        if orient(candidate) == orient(atom):
            return i
    return None


def contract_inverse(factors: dict[Expr, Expr], bound: dict[Symbol, Expr], orient: Callable[[Expr], Expr]):
    """One product ``A [A^{-1}]`` or ``[A^{-1}] A`` over a summed index made a delta, or None."""
    for atom, exponent in factors.items():
        if not isinstance(atom, InverseEntry) or exponent != 1:
            continue
        p, q = atom.position
        for k, other, left in ((p, q, True), (q, p, False)):
            if k not in bound or bound[k] != atom.arg.rows:
                continue
            users = [x for x in factors if x != atom and k in x.free_symbols]
            if len(users) != 1 or factors[users[0]] != 1 or k in other.free_symbols:
                continue
            i = _partner(atom.arg, users[0], k, left, orient)
            if i is None:
                continue
            del bound[k]
            rest = {x: e for x, e in factors.items() if x not in (atom, users[0])}
            made = delta(i, other) if left else delta(other, i)
            rest[made] = rest.get(made, ZERO) + 1
            return {x: e for x, e in rest.items() if x != 1 and e != 0}
    return None


def _flattened(expr: Expr, inverse: InverseEntry) -> tuple[list[Expr], list[tuple]] | None:
    """A product of factors and of the sums (from 0) that hold ``inverse``, as one product
    over all their limits, or None when a summed index of one factor also appears in
    another (never captured).  Sums without it stay whole factors: ``(AA)_{k,j}``."""
    if isinstance(expr, sympy.Sum) and expr.has(inverse) and all(
            lower == 0 and not free_indices(upper) for _, lower, upper in expr.limits):
        inner = _flattened(expr.function, inverse)
        return None if inner is None else (inner[0], list(expr.limits) + inner[1])
    if not isinstance(expr, sympy.Mul):
        return [expr], []
    factors: list[Expr] = []
    limits: list[tuple] = []
    for n, arg in enumerate(expr.args):
        part = _flattened(arg, inverse)
        others = [a for m, a in enumerate(expr.args) if m != n]
        if part is None or any(v in a.free_symbols for v, *_ in part[1] for a in others):
            return None
        factors += part[0]
        limits += part[1]
    return factors, limits


def _matrix_of(entry: Expr, i: Expr, k: Symbol, left: bool, like: MatrixArg) -> MatrixArg:
    """The matrix whose entry ``(i, k)`` (``left``; else ``(k, i)``) is ``entry``."""
    def at(r: Expr, c: Expr) -> Expr:
        return substituted(entry, {i: r, k: c} if left else {k: r, i: c})

    return MatrixArg.from_entry(at, like.rows, like.cols)


def contracted_sum(expr: sympy.Sum, same: Callable[[MatrixArg, MatrixArg], bool]) -> Expr | None:
    """``\\sum_k A_{i,k} [A^{-1}]_{k,j} R`` as ``\\delta_{i,j} R`` (and ``[A^{-1}] A`` likewise),
    for any square argument ``A`` (``same`` compares two arguments' canonical forms), or None."""
    for inverse in sorted(expr.atoms(InverseEntry), key=text):
        flat = _flattened(expr, inverse)
        if flat is not None:
            made = _contracted(inverse, *flat, same)
            if made is not None:
                return made
    return None


def _contracted(inverse: InverseEntry, factors: list[Expr], limits: list[tuple],
                same: Callable[[MatrixArg, MatrixArg], bool]) -> Expr | None:
    if inverse not in factors:
        return None
    n = factors.index(inverse)
    ends = {v: upper for v, _, upper in limits}
    p, q = inverse.position
    for k, other, left in ((p, q, True), (q, p, False)):
        if ends.get(k) != inverse.arg.rows - 1 or k in other.free_symbols:
            continue
        users = [m for m, g in enumerate(factors) if m != n and k in g.free_symbols]
        if len(users) != 1:
            continue
        # The argument's entry, or it times the factors without an index (2 A, \\lambda A: SymPy
        # pulls such factors out of the sum).
        scalars = [m for m, g in enumerate(factors) if m != n and not free_indices(g)]
        for taken in ([users[0]], [users[0], *scalars]):
            entry = sympy.Mul(*(factors[m] for m in taken))
            for i in sorted(free_indices(entry) - {k}, key=text):
                if same(_matrix_of(entry, i, k, left, inverse.arg), inverse.arg):
                    rest = [g for m, g in enumerate(factors) if m != n and m not in taken]
                    body = sympy.Mul(*rest, delta(i, other) if left else delta(other, i))
                    remaining = [limit for limit in limits if limit[0] != k]
                    return sum_of(body, *remaining) if remaining else body
    return None

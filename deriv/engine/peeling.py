r"""Sums over all but a few ends of a range, written as the whole sum less those ends.

``\\sum_{k=2}^{K} w_k`` is ``\\sum_{k=1}^{K} w_k - w_1``, and ``\\sum_{k=1}^{K-1}
w_{k+1}`` is the same sum: the normal form (:mod:`deriv.engine.normal`) writes
a sum whose index, shifted by a constant, runs from ``L`` to ``S - U`` of a size
``S`` (every entry it selects at the shifted index itself) as the sum over all
of ``0 .. S-1`` less the ``L`` first and ``U`` last terms (a sum of several
parts part by part: ``\sum_{k=1}^{N-1} (x_{k+1} - x_k) = x_N - x_1``).  Valid only where
the range has no negative count (``S >= L + U``: the caller's ``inside``,
which knows the sizes the step is read at); a formal identity otherwise, so
terms past an array's end cancel before anything is evaluated.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import Expr, Indexed, Integer, Sum, Symbol

from deriv.ir import fresh_index, substituted

#: At most this many terms are peeled from each end.
MAX_PEELED = 4


def _shift(body: Expr, var: Symbol) -> int | None:
    """The constant ``s`` with every use of ``var`` in ``body`` an entry's position
    ``var + s``; None when some use is anything else."""
    shifts = set()
    entries = [a for a in body.atoms(Indexed) if var in a.free_symbols]
    for atom in entries:
        for position in atom.indices:
            if var in position.free_symbols:
                offset = sympy.expand(position - var)
                if var in offset.free_symbols or not offset.is_Integer:
                    return None
                shifts.add(int(offset))
    rest = body.xreplace({a: Integer(0) for a in entries})
    if len(shifts) != 1 or var in rest.free_symbols:
        return None
    return shifts.pop()


def whole_range(expr: Sum, inside: Callable[[Expr, Expr], bool]) -> Expr | None:
    """``expr`` as the sum over a size's whole range less its ends, or None.

    ``inside(position, extent)``: whether ``0 <= position < extent`` at every size."""
    if len(expr.limits) != 1:
        return None
    _, lower, upper = expr.limits[0]
    if lower == 0 and isinstance(upper + 1, Symbol):
        return None  # the whole range already (the common case: nothing to look at)
    if isinstance(expr.function, sympy.Add):  # telescoping: each part peeled on its own
        parts = [Sum(part, *expr.limits) for part in expr.function.args]
        return sympy.Add(*parts) if any(whole_range(p, inside) is not None for p in parts) else None
    var, lower, upper = expr.limits[0]
    shift = _shift(expr.function, var)
    if shift is None:
        return None
    first, end = sympy.expand(lower + shift), sympy.expand(upper + shift + 1)
    sizes = [s for s in end.free_symbols if s.is_positive and s.is_integer]
    if not first.is_Integer or len(sizes) != 1 or not (end - sizes[0]).is_Integer:
        return None
    (size,) = sizes
    low, high = int(first), int(size - end)
    if not (0 <= low <= MAX_PEELED and 0 <= high <= MAX_PEELED) or low + high == 0:
        return None
    if not inside(Integer(low + high - 1), size):
        return None  # S < L + U somewhere: the range may have a negative count
    j = fresh_index("k")
    term = substituted(expr.function, {var: j - shift})
    ends = [substituted(term, {j: Integer(p)}) for p in range(low)]
    ends += [substituted(term, {j: size - u}) for u in range(1, high + 1)]
    return Sum(term, (j, 0, size - 1)) - sympy.Add(*ends)

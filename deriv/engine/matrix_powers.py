"""``A^K`` for an exponent written from sizes (:class:`~deriv.ir.MatrixPower`), in the engine.

* **Derivative** (the product rule over the ``k`` factors):
  ``d[A^k]_{a,b} = \\sum_{r=0}^{k-1} \\sum_{c,d} [A^r]_{a,c} (dA_{c,d}) [A^{k-1-r}]_{d,b}``.
* **Normal form.**  The argument is made canonical like an opaque function's (a
  power of ``A^T`` is the transposed power of ``A``, a symmetric matrix's power is
  symmetric), and
  two powers of one matrix joined by a summed index that nothing else uses
  merge: ``\\sum_s [A^p]_{u,s} [A^q]_{s,v} = [A^{p+q}]_{u,v}`` (``p, q >= 0``
  whole: the power is associative), also with a plain entry ``A_{u,s}`` as
  ``[A^1]_{u,s}``.  So ``\\partial \\operatorname{tr}(X^K) / \\partial X_{i,j}``
  becomes ``\\sum_r [X^{K-1}]_{j,i}``, which is ``K [X^{K-1}]_{j,i}``.
  Every rewrite is an identity for every ``K`` and size; what they do not
  reach stays unproved, for the tester.
* **Value.**  The exponent is a number in an instance: the power is computed
  exactly from the matrix's entries (by squaring), ``A^0 = I``.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Expr, Indexed, Symbol

from deriv.errors import UnsupportedError
from deriv.ir import MatrixArg, MatrixPower, base_name, fresh_index, sum_of, text


def matrix_power_slope(differentiator: Any, expr: MatrixPower) -> Expr:
    """``d expr`` (``differentiator`` is a :class:`~deriv.engine.differentiate.Differentiator`)."""
    arg, k = expr.arg, expr.exponent
    a, b = expr.position
    r, c, d = fresh_index("r"), fresh_index("c"), fresh_index("d")
    slope = differentiator.d(arg.entry(c, d))
    if slope == 0:
        return sympy.S.Zero
    term = MatrixPower(arg, r, a, c) * slope * MatrixPower(arg, k - 1 - r, d, b)
    return sum_of(term, (c, 0, arg.rows - 1), (d, 0, arg.cols - 1), (r, 0, k - 1))


def canonical_power(normalizer: Any, expr: MatrixPower, level: int) -> MatrixPower:
    """``expr`` with its argument in canonical form; a power of a transposed matrix as the
    transposed power (``[(A^T)^k]_{i,j} = [A^k]_{j,i}``), and of a symmetric one with its
    position in sorted order (a power of a symmetric matrix is symmetric)."""
    arg = normalizer.canonical_matrix(expr.arg, level + 1)
    (i, j), body = expr.position, arg.body
    if isinstance(body, Indexed) and tuple(body.indices) == (arg.col, arg.row) and arg.rows == arg.cols:
        arg, (i, j) = MatrixArg(Indexed(body.base, arg.row, arg.col), *arg.args[1:]), (j, i)
        body = arg.body
    if isinstance(body, Indexed) and base_name(body) in normalizer.symmetric:
        i, j = sorted((i, j), key=text)
    return MatrixPower(arg, expr.exponent, i, j)


def _as_power(atom: Expr, exponent: Expr, args: frozenset) -> tuple[MatrixArg, Expr, Expr, Expr] | None:
    """``(arg, k, row, col)`` for a factor ``[A^k]_{row,col}`` or an entry of one of ``args``."""
    if exponent != 1:
        return None
    if isinstance(atom, MatrixPower):
        return (atom.arg, atom.exponent, *atom.position)
    if isinstance(atom, Indexed) and len(atom.indices) == 2:
        for arg in args:
            body = arg.body
            if isinstance(body, Indexed) and body.base == atom.base and tuple(body.indices) == (arg.row, arg.col):
                return (arg, sympy.S.One, *atom.indices)
    return None


def merged_powers(factors: dict[Expr, Expr], bound: dict[Symbol, Expr]) -> dict[Expr, Expr]:
    """``factors`` with powers of one matrix joined over a summed index merged
    (the index is removed from ``bound``)."""
    while True:
        step = _merge_once(factors, bound)
        if step is None:
            return factors
        factors = step


def _merge_once(factors: dict[Expr, Expr], bound: dict[Symbol, Expr]) -> dict[Expr, Expr] | None:
    args = frozenset(a.arg for a in factors if isinstance(a, MatrixPower))
    if not args:
        return None
    powers = {atom: p for atom, e in factors.items() if (p := _as_power(atom, e, args)) is not None}
    for left, (arg, p, u, s) in powers.items():
        if s not in bound or u == s or bound[s] != arg.cols or s in p.free_symbols:
            continue
        for right, (other, q, t, v) in powers.items():
            if right is left or other != arg or t != s or v == s or s in q.free_symbols:
                continue
            if any(s in atom.free_symbols for atom in factors if atom is not left and atom is not right):
                continue
            del bound[s]
            merged = {a: e for a, e in factors.items() if a is not left and a is not right}
            joined = MatrixPower(arg, p + q, u, v)
            merged[joined] = merged.get(joined, sympy.S.Zero) + 1
            return merged
    return None


def compiled_matrix_power(compiled_of: Any, expr: MatrixPower) -> Any:
    """A closure for ``expr`` over an :class:`~deriv.engine.instances.Evaluator`."""
    arg = expr.arg
    power, row, col = compiled_of(expr.exponent), compiled_of(expr.position[0]), compiled_of(expr.position[1])

    def evaluate(ev):
        k = int(power(ev))
        n = ev.instance.size(arg.rows)
        return _power_table(ev, arg, k, n)[int(row(ev)) * n + int(col(ev))]

    return evaluate


def _power_table(ev: Any, arg: MatrixArg, k: int, n: int) -> list:
    """Row-major entries of ``arg^k`` (remembered like the argument's own table)."""
    if k < 0:
        raise UnsupportedError(f"a negative matrix power ({k}) in random tests")
    number, outer = ev.compiler.matrix(arg)
    key = ("matrix power", number, tuple(ev.bindings.get(s) for s in outer), k)

    def compute():
        result = [int(i == j) for i in range(n) for j in range(n)]
        square, left = ev.tabulate(arg), k
        while left:
            if left & 1:
                result = _times(result, square, n)
            left >>= 1
            if left:
                square = _times(square, square, n)
        return result

    return ev.remember(key, compute)


def _times(a: list, b: list, n: int) -> list:
    """Row-major ``n x n`` product."""
    out = []
    for i in range(n):
        row = a[i * n:(i + 1) * n]
        for j in range(n):
            total = 0
            for t in range(n):
                total = total + row[t] * b[t * n + j]
            out.append(total)
    return out


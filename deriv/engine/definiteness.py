"""Exact definiteness of a rational matrix (its symmetric part), and a witness when it is not.

``x^T A x`` depends only on the symmetric part ``S = (A + A^T) / 2``, whose
characteristic polynomial is real-rooted; its roots are all ``> 0`` iff its
coefficients alternate strictly in sign (Descartes), all ``>= 0`` iff they
alternate weakly.  A witness ``x`` with ``x^T S x <= 0`` comes from the first
pivot of ``L D L^T`` that is not positive.
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import arb, fmpq, fmpq_mat

from deriv.engine import certified


def definite(matrix, strict: bool = True) -> bool:
    """Exact: is ``x^T A x > 0`` (``>= 0``) for every real ``x \\neq 0``?  (Symmetric part of ``A``.)"""
    n = len(matrix)
    if n == 0:
        return True
    sym = fmpq_mat(n, n, [(fmpq(matrix[i][j]) + fmpq(matrix[j][i])) / 2 for i in range(n) for j in range(n)])
    coefficients = [fmpq(c) for c in sym.charpoly().coeffs()]  # constant term first
    # A real-rooted polynomial's roots are all > 0 iff its coefficients alternate
    # strictly in sign (Descartes); all >= 0 iff they alternate weakly.
    for k, c in enumerate(coefficients):
        expected = 1 if (n - k) % 2 == 0 else -1
        if strict and c * expected <= 0:
            return False
        if not strict and c * expected < 0:
            return False
    return True


def negative_direction(h) -> tuple | None:
    """An exact ``v`` with ``v^T H v < 0`` from an ``L D L^T`` pivot, if one shows."""
    n = len(h)
    a = [row[:] for row in h]
    for k in range(n):
        if a[k][k] < 0:
            e = [fmpq(0)] * n
            e[k] = fmpq(1)
            lower = fmpq_mat(n, n, [fmpq(int(i == j)) for i in range(n) for j in range(n)])
            for j in range(k):
                for i in range(j + 1, n):
                    lower[i, j] = a[i][j]
            v = fmpq_mat(n, n, [lower[j, i] for i in range(n) for j in range(n)]).solve(fmpq_mat(n, 1, e))
            return tuple(v[i, 0] for i in range(n))
        if a[k][k] == 0:
            return None
        for i in range(k + 1, n):
            factor = a[i][k] / a[k][k]
            for j in range(k + 1, n):
                a[i][j] -= factor * a[k][j]
            a[i][k] = factor
    return None


# -- certified: exact entries or arb balls ------------------------------------------
@dataclass(frozen=True)
class Certified:
    """``holds`` / ``fails`` (certified either way) or ``unsure``; a failure's witness ``x`` and ``x^T M x``."""

    kind: str
    witness: tuple = ()
    value: object = None


def certify(matrix, strict: bool = True) -> Certified:
    """Definiteness of a matrix of exact values or balls (:class:`~deriv.engine.certified.Ball`), certified.

    Exact: :func:`definite`.  With balls: the pivots of ``L D L^T`` of the
    symmetric part in ball arithmetic enclose the true pivots, so all of them
    ``> 0`` certifies positive definiteness (and semi-definiteness); a
    failure needs a vector ``x`` (from the midpoints, exact) with ``x^T M x``
    certainly ``< 0``.  A (nearly) singular matrix of balls is ``unsure``.
    """
    n = len(matrix)
    if all(certified.is_exact(v) for row in matrix for v in row):
        exact = [[fmpq(v) for v in row] for row in matrix]
        if definite(exact, strict):
            return Certified("holds")
        witness = negative_direction(_symmetric(exact)) or _probe(exact, strict)
        value = _form(exact, witness) if witness is not None else None
        return Certified("fails", witness or (), value)
    balls = [[certified.to_arb(v) for v in row] for row in matrix]
    symmetric = [[(balls[i][j] + balls[j][i]) / 2 for j in range(n)] for i in range(n)]
    if _pivots_positive(symmetric):
        return Certified("holds")
    middle = [[_midpoint(b) for b in row] for row in symmetric]
    witness = negative_direction(middle) or _probe(middle, True)
    if witness is not None:
        value = _form(symmetric, witness)
        if value < 0:
            return Certified("fails", witness, value)
    return Certified("unsure")


def _symmetric(matrix) -> list[list[fmpq]]:
    n = len(matrix)
    return [[(matrix[i][j] + matrix[j][i]) / 2 for j in range(n)] for i in range(n)]


def _form(matrix, x) -> object:
    n = len(matrix)
    return sum((x[i] * matrix[i][j] * x[j] for i in range(n) for j in range(n)), fmpq(0))


def _probe(matrix, strict: bool) -> tuple | None:
    """A unit or ``e_i \\pm e_j`` vector with ``x^T M x < 0`` (``<= 0`` when strict), if one exists."""
    n = len(matrix)
    units = [tuple(fmpq(int(k == a)) for k in range(n)) for a in range(n)]
    pairs = [tuple(u + s * v for u, v in zip(units[a], units[b])) for a in range(n) for b in range(a + 1, n) for s in (1, -1)]
    for x in units + pairs:
        value = _form(matrix, x)
        if value < 0 or (strict and value == 0):
            return x
    return None


def _pivots_positive(a) -> bool:
    """Every pivot of ``L D L^T`` certainly ``> 0`` (ball arithmetic; Sylvester)."""
    n = len(a)
    a = [row[:] for row in a]
    for k in range(n):
        if not a[k][k] > 0:
            return False
        for i in range(k + 1, n):
            factor = a[i][k] / a[k][k]
            for j in range(k + 1, n):
                a[i][j] -= factor * a[k][j]
    return True


def _midpoint(ball: arb) -> fmpq:
    mantissa, exponent = ball.mid().man_exp()
    return fmpq(int(mantissa)) * fmpq(2) ** int(exponent)

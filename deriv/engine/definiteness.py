"""Exact definiteness of a rational matrix (its symmetric part), and a witness when it is not.

``x^T A x`` depends only on the symmetric part ``S = (A + A^T) / 2``, whose
characteristic polynomial is real-rooted; its roots are all ``> 0`` iff its
coefficients alternate strictly in sign (Descartes), all ``>= 0`` iff they
alternate weakly.  A witness ``x`` with ``x^T S x <= 0`` comes from the first
pivot of ``L D L^T`` that is not positive.
"""

from __future__ import annotations

from flint import fmpq, fmpq_mat


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

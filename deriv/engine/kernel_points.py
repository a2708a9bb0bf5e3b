"""Claims tried with a vector in the kernel of a singular (or wide) matrix.

``H \\succeq 0`` with ``H_{1,1} > 0`` and ``z \\neq 0`` do not give ``z^T H z > 0``: a
singular ``H`` (``diag(1, 0)``) is 0 along its kernel.  The assumptions draw such an
``H`` (rank ``n - 1``, :func:`~deriv.engine.eigen.construct_definite`), but a random
``z`` is never in its kernel, nor is ``e_1`` or a vector orthogonal to another.  For
each vector of a claim and each square matrix of its length, a structured instance
therefore sets the vector to an exact kernel vector of the matrix as the assumptions
draw it (the construction is deterministic in the instance, so imposing them again
keeps that matrix); it is skipped where the matrix has no kernel.  A wide ``X`` (fewer
rows than columns) always has one: ``z^T X^T X z > 0`` fails there.
"""

from __future__ import annotations

import itertools

from flint import fmpq, fmpq_mat

from deriv.engine.eigen import construct_definite
from deriv.engine.meeting_points import Structure
from deriv.names import Kind

#: Pairs (vector, matrix) tried at most.
MAX_KERNEL_PAIRS = 8
#: Attempts per pair: a definite matrix's draw changes family every second attempt
#: (:func:`~deriv.engine.eigen.construct_definite`), and only some families are singular.
KERNEL_ATTEMPTS = tuple(range(1, 9))


def kernel_vector(rows: list[list[fmpq]]) -> list[fmpq] | None:
    """A nonzero exact ``v`` with ``M v = 0`` for the matrix ``M`` given by rows, or None."""
    m, n = len(rows), len(rows[0]) if rows else 0
    if n == 0:
        return None
    reduced, rank = fmpq_mat(m, n, [fmpq(v) for row in rows for v in row]).rref()
    if rank == n:
        return None
    pivots = [next(j for j in range(n) if reduced[i, j] != 0) for i in range(rank)]
    free = next(j for j in range(n) if j not in pivots)
    vector = [fmpq(0)] * n
    vector[free] = fmpq(1)
    for i, j in enumerate(pivots):
        vector[j] = -reduced[i, free]
    return vector


def kernel_structures(context, names: set[str]) -> list[Structure]:
    """For each vector and matrix the claim names, with as many columns (rows) as the vector has
    entries: the vector in the matrix's kernel (its transpose's), the matrix made singular first
    (:func:`_singular`) where it is not."""
    declared = {n: d for n, d in context.declared.items() if n in names}
    vectors = [n for n, d in declared.items() if d.kind == Kind.VECTOR and not d.positive]
    matrices = [n for n, d in declared.items() if d.kind in (Kind.MATRIX, Kind.SYMMETRIC) and not d.positive]
    scalars = [n for n, d in declared.items() if d.kind == Kind.SCALAR and not d.positive]
    found = []
    for v, m in itertools.product(vectors, matrices):
        for side, word in ((1, ""), (0, "^T")):
            if declared[v].shape[0] == declared[m].shape[side]:
                change, check = _in_kernel(v, m, side == 0)
                found.append(Structure(f"{v} in the kernel of {m}{word}", change, check, attempts=KERNEL_ATTEMPTS))
                if scalars:  # z^T X^T X z + \lambda z^T z > 0 fails at \lambda = 0 with z in the kernel
                    both = _with_zero_scalars(change, scalars)
                    found.append(Structure(f"{v} in the kernel of {m}{word}, {' = '.join(scalars)} = 0", both, check,
                                           attempts=KERNEL_ATTEMPTS))
    return found[:2 * MAX_KERNEL_PAIRS]


def _with_zero_scalars(change, scalars: list[str]):
    """``change``, then every scalar listed 0 (the assumptions move those they exclude)."""
    def changed(instance):
        change(instance)
        for name in scalars:
            instance.arrays[name] = fmpq(0)

    return changed


def _rows(instance, matrix: str, transposed: bool) -> list[list[fmpq]]:
    table, shape = instance.arrays[matrix], instance.context.declared[matrix].shape
    rows, cols = instance.size(shape[0]), instance.size(shape[1])
    entries = [[fmpq(table[i, j]) for j in range(cols)] for i in range(rows)]
    return [list(column) for column in zip(*entries)] if transposed else entries


def _singular(instance, matrix: str, transposed: bool) -> None:
    """The matrix with its last column 0 (last row, for its transpose's kernel; both for a symmetric
    one): ``e_n`` is then in the kernel."""
    declared = instance.context.declared[matrix]
    rows, cols = instance.size(declared.shape[0]), instance.size(declared.shape[1])
    table = dict(instance.arrays[matrix])
    for (i, j) in table:
        if (i == rows - 1 if transposed else j == cols - 1) or (declared.kind == Kind.SYMMETRIC and max(i, j) == rows - 1):
            table[i, j] = fmpq(0)
    instance.arrays[matrix] = table


def _in_kernel(vector: str, matrix: str, transposed: bool):
    def change(instance):
        facts = [c for c in instance.context.assumptions if c.relation != "="]
        construct_definite(instance, facts, frozenset())  # the matrix as imposing the assumptions draws it
        if kernel_vector(_rows(instance, matrix, transposed)) is None:
            _singular(instance, matrix, transposed)
        found = kernel_vector(_rows(instance, matrix, transposed))
        if found is None:
            raise ValueError(f"{matrix} has no kernel on this draw")
        instance.arrays[vector] = {(k,): value for k, value in enumerate(found)}

    def check(instance):
        rows, v = _rows(instance, matrix, transposed), [fmpq(instance.arrays[vector][(k,)]) for k in range(len(instance.arrays[vector]))]
        return any(x != 0 for x in v) and all(sum((a * b for a, b in zip(row, v)), fmpq(0)) == 0 for row in rows)

    return change, check

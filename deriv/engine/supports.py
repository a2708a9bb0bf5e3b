r"""Claims and statements tried where matrices live on separate coordinates: a kernel or a range two share.

Two positive semi-definite matrices, each nonzero, can have orthogonal ranges
(``A = e_1 e_1^T``, ``B = e_2 e_2^T``: ``\operatorname{tr}(A B) > 0`` fails), and
two matrices can share a kernel vector (``H = diag(1, 0)`` and ``A`` with its
last column 0 give ``z^T (H + A^T A) z = 0`` at ``z = e_2``).  Random draws and
:mod:`deriv.engine.kernel_points` (one matrix at a time) never meet these
points: it takes every matrix made sparse together.  So two structured instances:

* *separate coordinates*: the ``k``-th square matrix of the claim keeps only its
  entry ``(k, k)`` (``k`` taken round the size), every other entry 0;
* *one coordinate*: every matrix of the claim keeps only its entry ``(1, 1)``, and
  every vector of the claim is the last unit vector ``e_n`` (in every kernel);
* every square matrix kept to its entry ``(1, 1)``, then to ``(2, 2)``, the rest as drawn
  (``H_{2,2} > 0`` under ``H \succeq 0, H \neq 0`` fails at ``H = e_1 e_1^T``).

A kept entry is made non-negative (a diagonal entry of a semi-definite matrix is),
and every assumption is imposed again exactly on the result, as for every
structured instance: one that the structure violates (``A \neq 0`` with ``A = 0``)
is skipped, never believed.
"""

from __future__ import annotations

from flint import fmpq

from deriv.engine.instances import Instance
from deriv.engine.meeting_points import Structure
from deriv.names import Kind


def support_structures(context, names: set[str]) -> list[Structure]:
    """The structures above for the declared, not positive, matrices (and vectors) ``names`` holds."""
    declared = {n: d for n, d in context.declared.items() if n in names and not d.positive}
    matrices = [n for n, d in declared.items() if d.kind in (Kind.MATRIX, Kind.SYMMETRIC)]
    squares = [n for n in matrices if declared[n].shape[0] == declared[n].shape[1]]
    vectors = [n for n, d in declared.items() if d.kind == Kind.VECTOR]
    found = []
    if len(squares) > 1:
        found.append(Structure(f"{', '.join(squares)} on separate coordinates", _separate(squares), _always))
    if matrices and vectors:
        found.append(Structure(f"{', '.join(matrices)} on the first coordinate, {', '.join(vectors)} = e_n",
                               _first_coordinate(matrices, vectors), _always))
    for k in (0, 1):  # alone: a nonzero semi-definite H with H_{2,2} = 0 (and H_{1,1} = 0)
        found += [Structure(f"{', '.join(squares)} {Kept(k).label}", _all_kept(squares, k), _always)] if squares else []
    return found


def _all_kept(squares: list[str], k: int):
    def change(instance: Instance) -> None:
        for name in squares:
            instance.arrays[name] = Kept(k)(instance.arrays[name])

    return change


def _always(instance: Instance) -> bool:
    return True


class Kept:
    """The edit that keeps a matrix's diagonal entry ``(k, k)`` (``k`` taken round its rows), made
    non-negative (1 where it was 0), and makes every other entry 0."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.label = f"kept to its entry ({k + 1}, {k + 1})" if k else "kept to its entry (1, 1)"

    def __call__(self, table: dict) -> dict:
        rows = 1 + max(i for i, _ in table)
        entry = (self.k % rows, self.k % rows)
        value = abs(fmpq(table[entry])) or fmpq(1)
        return {key: (value if key == entry else fmpq(0)) for key in table}


def separate_edits(squares: list[str]) -> dict[str, Kept]:
    """The ``k``-th square matrix kept to its entry ``(k, k)``."""
    return {name: Kept(k) for k, name in enumerate(squares)}


def _separate(squares: list[str]):
    def change(instance: Instance) -> None:
        for name, edit in separate_edits(squares).items():
            instance.arrays[name] = edit(instance.arrays[name])

    return change


def _first_coordinate(matrices: list[str], vectors: list[str]):
    def change(instance: Instance) -> None:
        for name in matrices:
            instance.arrays[name] = Kept(0)(instance.arrays[name])
        for name in vectors:
            table = instance.arrays[name]
            last = max(table)
            instance.arrays[name] = {key: fmpq(int(key == last)) for key in table}

    return change


__all__ = ["Kept", "separate_edits", "support_structures"]

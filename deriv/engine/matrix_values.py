"""Values of inverses and determinants on a concrete instance.

An argument's entries are exact rationals (then python-flint's ``fmpq_mat``
inverts it and takes its determinant exactly), or certified balls or jets
(a derivative's perturbation): then Gaussian elimination in their own
arithmetic, with a pivot whose value is certainly nonzero.  A singular
matrix has a determinant (0) but no inverse: its inverse is a
:class:`~deriv.engine.certified.DomainError`, undefined like the logarithm
of a negative number; a pivot that can not be told from 0 is a precision
problem, never a guess.
"""

from __future__ import annotations

from flint import fmpq, fmpq_mat

from deriv.engine import certified, jets
from deriv.ir import MatrixArg

#: What a singular argument's inverse says.
SINGULAR = "the inverse of a singular matrix"


def _square(values: list) -> int:
    n = int(round(len(values) ** 0.5))
    if n * n != len(values):
        raise certified.DomainError("the inverse or determinant of a matrix that is not square at these sizes")
    return n


def _pivot(rows: list[list], column: int) -> int | None:
    """A row at or below ``column`` whose entry there is certainly nonzero; None when
    all are exactly 0; a precision problem when some can not be told from 0."""
    unsure = False
    for r in range(column, len(rows)):
        value = jets.value_of(rows[r][column])
        if certified.is_exact(value):
            if value != 0:
                return r
        elif certified.certainly_nonzero(value):
            return r
        else:
            unsure = True
    if unsure:
        raise certified.PrecisionError("cannot tell whether a pivot of a matrix is 0")
    return None


def _eliminated(values: list, n: int, inverse: bool) -> tuple[object, list | None]:
    """Gauss-Jordan on the ``n x n`` row-major ``values``: the determinant, and the inverse
    (row-major) when asked for and it exists."""
    rows = [list(values[r * n:(r + 1) * n]) + ([int(r == c) for c in range(n)] if inverse else []) for r in range(n)]
    determinant: object = 1
    for column in range(n):
        found = _pivot(rows, column)
        if found is None:
            if inverse:
                raise certified.DomainError(SINGULAR)
            if not all(certified.is_exact(x) for row in rows[column:] for x in row[column:n]):
                # A jet's determinant at a singular value has a derivative elimination can not give.
                raise certified.PrecisionError("a derivative of a determinant at a singular matrix", redraw=True)
            return 0, None
        if found != column:
            rows[column], rows[found] = rows[found], rows[column]
            determinant = -determinant
        pivot = rows[column][column]
        determinant = determinant * pivot
        scale = 1 / pivot if not certified.is_exact(pivot) else fmpq(1) / fmpq(pivot)
        rows[column] = [x * scale for x in rows[column]]
        for r in range(n):
            factor = rows[r][column]
            if r != column and not certified.is_exact_zero(factor):
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[column])]
    return determinant, ([x for row in rows for x in row[n:]] if inverse else None)


def _exact(values: list) -> bool:
    return all(certified.is_exact(v) for v in values)


def inverse_table(values: list) -> list:
    """The inverse of a square matrix given row-major, row-major."""
    n = _square(values)
    if _exact(values):
        m = fmpq_mat(n, n, [fmpq(v) for v in values])
        if m.det() == 0:
            raise certified.DomainError(SINGULAR)
        return m.inv().entries()
    return _eliminated(values, n, inverse=True)[1] or []


def determinant_value(values: list) -> object:
    """The determinant of a square matrix given row-major."""
    n = _square(values)
    if _exact(values):
        return fmpq_mat(n, n, [fmpq(v) for v in values]).det()
    return _eliminated(values, n, inverse=False)[0]


def product_of(parts: list, ev) -> object:
    """The product of every part's value, each evaluated (no stop at a factor 0), so an
    undefined inverse is undefined in any product."""
    result: object = 1
    for part in parts:
        result = result * part(ev)
    return result


def inverse_entry(ev, arg: MatrixArg, i: int, j: int):
    """``[A^{-1}]_{i,j}`` on the evaluator's instance (the whole inverse remembered)."""
    origin = ev.arg_key(arg)
    table = ev.remember(("inverse", origin), lambda: inverse_table(ev.tabulate(arg, origin)))
    n = ev.instance.size(arg.cols)
    return table[i * n + j]


def determinant(ev, arg: MatrixArg):
    """``\\det A`` on the evaluator's instance."""
    origin = ev.arg_key(arg)
    return ev.remember(("determinant", origin), lambda: determinant_value(ev.tabulate(arg, origin)))


def determinant_signed(values: dict, n: int, sign: int, symmetric: bool = False) -> dict:
    """A drawn square matrix with its determinant of sign ``sign`` (at size 1 the one entry
    already has it): so a determinant takes both signs as a scalar does (``\\log\\det X`` is
    undefined at some draws).  The last row is negated; of a symmetric matrix, the last
    diagonal entry moved so the determinant (affine in it) changes sign."""
    if n < 2:
        return values
    det = fmpq_mat(n, n, [fmpq(values[i, j]) for i in range(n) for j in range(n)]).det()
    if det == 0 or (det > 0) == (sign > 0):
        return values
    if not symmetric:
        return {(i, j): -v if i == n - 1 else v for (i, j), v in values.items()}
    minor = fmpq_mat(n - 1, n - 1, [fmpq(values[i, j]) for i in range(n - 1) for j in range(n - 1)]).det()
    if minor == 0:
        return values
    return {**values, (n - 1, n - 1): fmpq(values[n - 1, n - 1]) - 2 * det / minor}

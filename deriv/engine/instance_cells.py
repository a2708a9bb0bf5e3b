"""The entries an instance would draw, counted before any is drawn.

A size is bounded by nothing the author writes: ``x_{1000000}`` on ``x: vector N``
reads the step at ``N >= 1000000``, a length may be ``N + 10^{20}``, numeric sizes
reach 9999 (``matrix 9999 x 9999``).  Drawing such an instance allocates its table
in one C call (``itertools.product``), which no step budget can stop, and would
exhaust memory or overflow; and no exact test at such sizes finishes in a step's
budget.  So an instance of more than :data:`MAX_CELLS` entries is not drawn: the
tester says so and the step is ``undecided`` (unless proved symbolically), never
a crash, a hang or a pass ([safety](../../docs/safety.md)).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sympy import Expr

from deriv.errors import UnsupportedError

#: The most entries one instance's arrays may have together (a 512 x 512 matrix).
MAX_CELLS = 1 << 18


class TooLargeError(UnsupportedError, ValueError):
    """An instance whose sizes are too large to draw: :class:`UnsupportedError` for the
    testers (undecided, with the reason), a :class:`ValueError` for a best-effort search,
    which gives up on it as on any value it can not use."""


def check_cells(shapes: Iterable[tuple[Expr, Expr]], size: Callable[[Expr], int], shown: str) -> None:
    """Raise :class:`TooLargeError` when the arrays of ``shapes`` (each extent read by
    ``size``) have more than :data:`MAX_CELLS` entries together; ``shown`` names the sizes."""
    total = 0
    for rows, cols in shapes:
        total += max(size(rows), 0) * max(size(cols), 0)
        if total > MAX_CELLS:
            where = f"at {shown}" if shown else "of the declared sizes"
            raise TooLargeError(f"an instance {where} has more than {MAX_CELLS} entries: too large to test")

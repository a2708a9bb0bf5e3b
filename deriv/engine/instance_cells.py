"""The entries an instance would draw, counted before any is drawn.

A size is bounded by nothing the author writes: ``x_{1000000}`` on ``x: vector N``
reads the step at ``N >= 1000000``, a length may be ``N + 10^{20}``, numeric sizes
reach 9999 (``matrix 9999 x 9999``).  Drawing such an instance allocates its table
in one C call (``itertools.product``), which no step budget can stop, and would
exhaust memory or overflow; and no exact test at such sizes finishes in a step's
budget.  So an instance of more than :data:`MAX_CELLS` entries is not drawn: the
tester says so and the step is ``undecided`` (unless proved symbolically), never
a crash, a hang or a pass ([safety](../../docs/safety.md)).

An instance draws every declared array, so one large declaration the step never
writes (``W: matrix 784 x 784`` beside ``a + b = b + a``) would leave every step
undecided: a document whose numeric shapes alone pass the bound has each step
decided in a context :func:`narrowed` to the arrays it reaches.  Only then: the
draws of a document that fits stay the ones its seed has always given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from sympy import Expr

from deriv.context import Context
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


def numeric_cells(context: Context) -> int:
    """The entries of the declared arrays whose extents are numbers (``matrix 784 x 784``):
    what every instance of the document draws, whatever its sizes."""
    total = 0
    for declared in context.declared.values():
        rows, cols = declared.shape[:2]
        if declared.is_array and rows.is_Integer and cols.is_Integer:
            total += int(rows) * int(cols)
    return total


def narrowed(context: Context, exprs: Iterable[Expr]) -> Context | None:
    """``context`` with only the arrays ``exprs`` and the assumptions reach (and the
    definitions they reach), when its numeric arrays are too many to draw; None when they fit."""
    if numeric_cells(context) <= MAX_CELLS:
        return None
    reached: set[str] = set()
    for expr in (*exprs, *(c.expr for c in context.assumptions)):
        reached |= context.reached(expr)
    reached |= {d.of for n, d in context.declared.items() if n in reached and d.of}
    return dataclasses.replace(
        context,
        declared={n: d for n, d in context.declared.items() if n in reached or not d.is_array},
        definitions={n: d for n, d in context.definitions.items() if n in reached},
        recurrences={n: d for n, d in context.recurrences.items() if n in reached},
    )

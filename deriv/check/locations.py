"""Where a counterexample is, in the words of the step.

In: a decision (its counterexample) for a chain of matrices or vectors, which the
chain checker compares entry by entry at its own indices ``row`` and
``col``; the chain's shape; the step's two sides.  Out: the same
counterexample located as a reader would: a column or row vector's entry
``at i=2`` (``i`` a name the step and the document do not use), a
matrix's ``at row=1, col=2`` (row first).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from sympy import Expr, Integer

from deriv.check.members import written_names
from deriv.context import Context
from deriv.engine.decide import Decision
from deriv.names import DUMMY_NAMES, fresh
from deriv.results import Counterexample

ROW, COL = "row", "col"


class Side(Protocol):
    @property
    def expr(self) -> Expr: ...  # as decided (bound indices renamed)

    @property
    def node(self) -> object: ...  # as written


def located(decision: Decision, shape: tuple[Expr, Expr] | None, context: Context, *sides: Side) -> Decision:
    """``decision`` with its counterexample located (:func:`placed`)."""
    if decision.counterexample is None or shape is None:
        return decision
    return replace(decision, counterexample=placed(decision.counterexample, shape, context, *sides))


def placed(counterexample: Counterexample, shape: tuple[Expr, Expr], context: Context,
           *sides: Side) -> Counterexample:
    """``counterexample`` with a vector's entry named ``i`` and a matrix's row before its column."""
    at = dict(counterexample.indices)
    if ROW not in at or COL not in at:
        return counterexample
    rest = tuple((k, v) for k, v in counterexample.indices if k not in (ROW, COL))
    rows, cols = shape
    if Integer(1) in (rows, cols):
        taken = context.names_used(*(side.expr for side in sides)) | {k for k, _ in rest}
        entry = fresh(DUMMY_NAMES["index"], taken.union(*(written_names(side.node) for side in sides)))
        place: tuple[tuple[str, int], ...] = ((entry, at[ROW] if cols == 1 else at[COL]),)
    else:
        place = ((ROW, at[ROW]), (COL, at[COL]))
    return replace(counterexample, indices=place + rest)

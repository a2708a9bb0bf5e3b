"""The values the chain walk (:class:`deriv.check.chains.ChainChecker`) passes around.

The walk owns its state; the helpers of :mod:`deriv.check` take what they
read (a :class:`ChainState`, a :class:`Situation`) and return what changed --
a :class:`Step` to report, a new context, a fact, a suggestion -- which the
walk alone applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sympy import Expr, Symbol

from deriv.check.options import CheckOptions
from deriv.check.progress import Progress
from deriv.context import Context
from deriv.engine.decide import Session
from deriv.ir import index
from deriv.latex.ast import Node
from deriv.read.document import Display
from deriv.results import Counterexample, Verdict

ROW, COL = index("row"), index("col")


@dataclass(frozen=True)
class Member:
    """A well-formed chain member: its index expression and LaTeX."""

    expr: Expr
    source: str
    node: Node | None = None  # its syntax tree (a repair may add back one of its terms)
    notes: tuple[str, ...] = ()  # how it was read where that is not literal (a broadcast)
    conditions: frozenset = frozenset()  # where it is defined (meaning/domains.py)


@dataclass
class ChainState:
    """What later members are compared with and aligned to."""

    free: tuple[Symbol, ...] | None = None
    matrix_shape: tuple[Expr, Expr] | None = None
    ranges: dict[str, tuple[Expr, str]] = field(default_factory=dict)
    last: Member | None = None
    first: Member | None = None  # the member the chain starts from

    def copy(self) -> ChainState:
        return ChainState(self.free, self.matrix_shape, dict(self.ranges), self.last, self.first)

    def step_ranges(self) -> dict[Symbol, Expr]:
        free = {s: self.ranges[s.name][0] for s in self.free or ()}  # a matrix chain's too (W h_{t-1})
        return free if self.matrix_shape is None else {ROW: self.matrix_shape[0], COL: self.matrix_shape[1], **free}


@dataclass(frozen=True)
class Step:
    """One line of the report, before the walk records it (:meth:`ChainChecker.emit`)."""

    display: Display
    label: str | None
    relation: str
    lhs: str
    rhs: str
    verdict: Verdict
    message: str = ""
    method: str = ""
    justification: str | None = None
    counterexample: Counterexample | None = None
    started: float | None = None
    expect_fail: bool = False
    suggestion: tuple = ()
    #: Decided again under its justification's condition (deriv/check/worded_conditions.py): a
    #: refutation then stands.
    conditioned: bool = False


@dataclass(frozen=True)
class Situation:
    """Where the walk is, read-only for a helper: the display's number, the
    context and session it is decided in, and how."""

    options: CheckOptions
    progress: Progress
    index: int
    replaying: bool
    context: Context
    session: Session

"""A chain that ends in index form, restated in matrix form.

When the chain checker leaves a display whose chain the next display does
not continue, and the chain's last member is an index expression with one
or two free indices (``\\sum_i X_{i,n} [\\partial L/\\partial Y]_{i,m}``,
free ``m, n``), the display's step that ended on that member gets a
:class:`~deriv.results.Suggestion` of kind ``matrix-form``
(``(\\partial L/\\partial Y)^T X``): the form
:func:`deriv.diagnose.matrix_form.matrix_form` found and the engine
verified (``proved`` or ``tested``, as marked).  Only a step that holds gets
one: a restatement of a wrong step would be a claim about nothing.  A chain
that starts from an entry of that very form (``[X W^T]_{i,j} = \\sum_k
X_{i,k} W_{j,k}``) gets none: it would only repeat the chain's first line.

It runs in the checker, while the chain's state is at hand and in the same
process (a worker's parsers and decisions are warm): reading the document a
second time to find the chain ends cost as much as checking it.
"""

from __future__ import annotations

from collections.abc import Sequence

from deriv.budget import StepTimeout, time_budget
from deriv.check.chain_state import ChainState, Member, Situation
from deriv.check.parsing import DisplayParser
from deriv.check.progress import RESTATE, budget
from deriv.diagnose.matrix_form import matrix_form
from deriv.errors import DerivError
from deriv.latex.ast import Group, Scripted
from deriv.latex.parser import parse_display
from deriv.latex.render import Unrenderable, render
from deriv.meaning.builder import Builder
from deriv.read.document import Display
from deriv.results import StepResult, Suggestion, Verdict

#: The kind of the suggestion a restated chain end carries.
KIND = "matrix-form"
HOLDS = frozenset({Verdict.PROVED, Verdict.TESTED})


def restate_chain_end(situation: Situation, state: ChainState, results: Sequence[StepResult], mark: int,
                      following: Display | None, parser: DisplayParser) -> tuple[int, Suggestion] | None:
    """The matrix form of the step of the display just checked (its results from ``mark`` on) that
    ends its chain, with that step's position in ``results``; None when there is none.  ``following``
    is the next display, read by the walk's ``parser``."""
    options = situation.options
    if not (options.decide and options.suggest) or situation.replaying:
        return None
    last, free = state.last, state.free
    if state.matrix_shape is not None or last is None or not free or len(free) > 2:
        return None
    at = next((n for n in range(len(results) - 1, mark - 1, -1)
               if results[n].rhs == last.source and results[n].verdict in HOLDS), None)
    if at is None or situation.progress.at(situation.index, RESTATE) is not None or situation.progress.expired():
        return None  # nothing to restate, or killed here before: the report stands without it
    try:
        with time_budget(budget(options.timeout, situation.progress)):
            if _continued(following, parser) or last.node is None or not Builder(situation.context).build(last.node).is_scalar:
                return None  # the chain goes on, or already ends in a matrix expression
            form = matrix_form(last.source, tuple(s.name for s in free), situation.context,
                               seed=options.seed, session=situation.session, node=last.node)
    except (Exception, RecursionError, StepTimeout):  # noqa: BLE001 - a restatement is extra: the report stands without it
        return None
    if form is not None and form.verdict in HOLDS and not _starts_from(state.first, form.latex):
        return at, Suggestion(KIND, form.latex, form.verdict, "in matrix form")
    return None


def _starts_from(first: Member | None, form: str) -> bool:
    """Whether the chain starts from an entry of this very form (``[X W^T]_{i,j} = ...``): nothing to restate."""
    node = first.node if first is not None else None
    if not (isinstance(node, Scripted) and isinstance(node.base, Group) and node.sub and node.sup is None
            and not node.transpose):
        return False
    try:
        (written,) = parse_display(form)[0].members
        return render(node.base.body) == render(written)
    except (DerivError, Unrenderable, ValueError):
        return False


def _continued(display: Display | None, parser: DisplayParser) -> bool:
    """Whether the next display exists and continues the chain (``= ...``, no ``continue`` directive)."""
    if display is None:
        return False
    if display.directive is not None and display.directive.kind == "continue":
        return False
    try:
        syntax, _ = parser.parse(display.text, display.line)
    except DerivError:
        return display.text.strip()[:1] == "="
    return syntax.leading is not None

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

from dataclasses import replace
from typing import TYPE_CHECKING

from deriv.budget import StepTimeout, time_budget
from deriv.check.progress import RESTATE, budget
from deriv.diagnose.matrix_form import matrix_form
from deriv.errors import DerivError
from deriv.latex.ast import Group, Scripted
from deriv.latex.parser import parse_display
from deriv.latex.render import Unrenderable, render
from deriv.meaning.builder import Builder
from deriv.results import Suggestion, Verdict

if TYPE_CHECKING:
    from deriv.check.chains import ChainChecker, Member

#: The kind of the suggestion a restated chain end carries.
KIND = "matrix-form"
HOLDS = frozenset({Verdict.PROVED, Verdict.TESTED})


def restate_chain_end(checker: ChainChecker, number: int, mark: int) -> None:
    """Give the step of display ``number`` (results from ``mark`` on) that ends its chain a matrix form."""
    options, state = checker.options, checker.state
    if not (options.decide and options.suggest) or checker.replaying:
        return
    last, free = state.last, state.free
    if state.matrix_shape is not None or last is None or not free or len(free) > 2:
        return
    results = checker.results
    at = next((n for n in range(len(results) - 1, mark - 1, -1)
               if results[n].rhs == last.source and results[n].verdict in HOLDS), None)
    if at is None or checker.progress.at(number, RESTATE) is not None or checker.progress.expired():
        return  # nothing to restate, or killed here before: the report stands without it
    try:
        with time_budget(budget(options.timeout, checker.progress)):
            if _continued(checker, number + 1) or not Builder(checker.context).build(last.node).is_scalar:
                return  # the chain goes on, or already ends in a matrix expression
            form = matrix_form(last.source, tuple(s.name for s in free), checker.context,
                               seed=options.seed, session=checker.session, node=last.node)
    except (Exception, RecursionError, StepTimeout):  # noqa: BLE001 - a restatement is extra: the report stands without it
        return
    if form is not None and form.verdict in HOLDS and not _starts_from(state.first, form.latex):
        step = results[at]
        results[at] = replace(step, suggestion=step.suggestion + (
            Suggestion(KIND, form.latex, form.verdict, "in matrix form"),))


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


def _continued(checker: ChainChecker, number: int) -> bool:
    """Whether display ``number`` exists and continues the chain (``= ...``, no ``continue`` directive)."""
    displays = checker.document.displays
    if number >= len(displays):
        return False
    display = displays[number]
    if display.directive is not None and display.directive.kind == "continue":
        return False
    try:
        syntax, _ = checker.parser.parse(display.text, display.line)
    except DerivError:
        return display.text.strip()[:1] == "="
    return syntax.leading is not None

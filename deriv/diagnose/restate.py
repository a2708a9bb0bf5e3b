"""A chain that ends in index form, restated in matrix form (issue 12).

In: a checked :class:`~deriv.results.FileResult` and the options it was
checked with.  Out: the same result, where the last step of each chain
whose last member is an index expression with one or two free indices
(``\\sum_i X_{i,n} [\\partial L/\\partial Y]_{i,m}``, free ``m, n``)
carries a :class:`~deriv.results.Suggestion` of kind ``matrix-form``
(``(\\partial L/\\partial Y)^T X``): the form
:func:`deriv.diagnose.matrix_form.matrix_form` found and the engine
verified (``proved`` or ``tested``, as marked).  Only steps that hold get
one: a restatement of a wrong step would be a claim about nothing.

The chains are found again by walking the document with the chain checker
in plan mode (built, nothing decided), which gives each display's chain
state: its free indices and its last well-formed member.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace

from deriv.check.chains import ChainChecker
from deriv.check.local import load
from deriv.check.options import CheckOptions
from deriv.diagnose.matrix_form import matrix_form
from deriv.errors import DerivError
from deriv.latex.parser import parse_display
from deriv.meaning.builder import Builder
from deriv.meaning.declarations import build_context
from deriv.results import FileResult, RunResult, Suggestion, Verdict

#: The kind of the suggestion a restated chain end carries.
KIND = "matrix-form"
HOLDS = frozenset({Verdict.PROVED, Verdict.TESTED})


def restated_run(run: RunResult, options: CheckOptions) -> RunResult:
    """Every file of ``run`` with its chain ends restated."""
    return RunResult(tuple(restated(f, options) for f in run.files))


def restated(result: FileResult, options: CheckOptions) -> FileResult:
    """``result`` with a verified matrix form on each chain that ends in index form."""
    if result.error or not any(s.verdict in HOLDS for s in result.steps):
        return result
    try:
        ends = _chain_ends(result.path, options)
    except (Exception, RecursionError):  # noqa: BLE001 - a restatement is extra: the report stands without it
        return result
    steps = list(result.steps)
    for line, source, free, context in ends:
        at = next((n for n, s in enumerate(steps) if s.line == line and s.rhs == source and s.verdict in HOLDS
                   and not any(x.kind == KIND for x in s.suggestion)), None)
        if at is None:
            continue
        try:
            form = matrix_form(source, free, context, seed=options.seed)
        except (Exception, RecursionError):  # noqa: BLE001, S112 - as above
            continue
        if form is not None and form.verdict in HOLDS:
            step = steps[at]
            steps[at] = replace(step, suggestion=step.suggestion + (
                Suggestion(KIND, form.latex, form.verdict, "in matrix form"),))
    return replace(result, steps=tuple(steps))


def _chain_ends(path: str, options: CheckOptions) -> list[tuple[int, str, tuple[str, ...], object]]:
    """(line, last member's LaTeX, free indices, context) of each chain that ends in index form."""
    document = load(path, True, path)
    if isinstance(document, FileResult) or document.front is None:
        return []
    context = build_context(document.front, document.path, nullcontext)
    plan = replace(options, decide=False, suggest=False, isolate=False)
    checker = ChainChecker(document, context, plan)
    states: dict[int, tuple] = {}
    checker.on_display = lambda number, _results: states.__setitem__(
        number, (checker.state.free, checker.state.matrix_shape, checker.state.last))
    checker.run()
    displays = document.displays
    ends = []
    for number, (free, shape, last) in states.items():
        if number + 1 < len(displays) and _continues(displays[number + 1]):
            continue
        if shape is not None or last is None or not free or len(free) > 2:
            continue
        try:
            if not Builder(context).build(last.node).is_scalar:
                continue  # already a matrix expression
        except DerivError:
            continue
        ends.append((displays[number].line, last.source, tuple(s.name for s in free), context))
    return ends


def _continues(display) -> bool:
    """Whether this display continues the chain before it (``= ...``, no ``continue`` directive)."""
    if display.directive is not None and display.directive.kind == "continue":
        return False
    try:
        syntax, _ = parse_display(display.text)
    except DerivError:
        return display.text.strip()[:1] == "="
    return syntax.leading is not None

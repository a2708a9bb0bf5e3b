"""Displays -> chains -> steps, each step decided.

A display starting with a relation continues the current chain; any other
display starts a new one.  Each member is built, aligned with the chain's
first member (same free indices, or a matrix standing for the entry those
indices select) and compared with the last well-formed member before it.
Directives (``expect-fail``, ``skip``, ``continue``) are applied here.

:class:`ChainChecker` is the walk and the one owner of its state (the chain,
the context, the results, the facts established): the helpers it calls
(:mod:`~deriv.check.facts`, :mod:`~deriv.check.members`,
:mod:`~deriv.check.statements`, :mod:`~deriv.check.several`,
:mod:`~deriv.check.restate`) return what changed, and the walk applies it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from sympy import Expr, Symbol

from deriv.check.brace_claims import brace_claims
from deriv.check.reason_claims import justified_answers, reason_claims
from deriv.check.chain_state import COL, ROW, ChainState, Member, Situation, Step
from deriv.check.concluding import AGREES, Conclusion, ambiguous, defined_names, underived
from deriv.check.options import CheckOptions
from deriv.check.quantity import (UNPLACED, Quantity, answer_members, as_extra, definition_values, no_answer, restated,
                                  shape_problem, text_names, unconcluded)
from deriv.context import ONE, Context, Shape, definition_notes, shape_text
from deriv.read.directives import Directive
from deriv.read.document import Display, Document
from deriv.engine.claims import decide_claim
from deriv.engine.decide import Decision, Session
from deriv.engine.piecewise_points import decide_equality
from deriv.engine.domain_gaps import domains_of
from deriv.engine.instance_cells import TooLargeError, narrowed
from deriv.errors import DerivError, MeaningError, ShapeError
from deriv.ir import free_indices, index_order, text
from deriv.check.facts import DECIDED, Established, assume, unread
from deriv.check.members import unparsable
from deriv.check.clock_notes import clock_mark, noted
from deriv.check.prose_values import by_name, fixed_by_prose, varied
from deriv.check.statements import run_statement
from deriv.meaning.statements import Statement, recognise
from deriv.meaning.builder import Builder
from deriv.meaning.implicit import ImplicitShape
from deriv.meaning.assumptions import build_constraint
from deriv.meaning.domains import KINK, Condition, member_conditions, written_definitions
from deriv.meaning.recurrence_domains import written_recurrences
from deriv.meaning.family_ranges import display_family_ranges
from deriv.meaning.ranges import unranged_message
from deriv.check.parsing import DisplayParser
from deriv.meaning.values import ZERO, Value
from deriv.meaning.zeros import bare_zero
from deriv.results import StepResult, Verdict
from deriv.budget import StepTimeout, time_budget
from deriv.check.progress import BUILD, DECIDE, PARSE, PART, REPAIR, Progress, StoppedError, budget
from deriv.check.restate import restate_chain_end
from deriv.check.several import continuation_problem, results_of
from deriv.check.worded_conditions import stated_relation, unimposed, with_condition, worded_condition
from deriv.check.repair import Allowance, Failure, ratio_of, search
from deriv.check.locations import located
from deriv.check.members import expected as _expected, noted as _noted, remember as _remember
from deriv.check.members import broken_verdict as _broken_verdict, shape_mismatch as _shape_mismatch
from deriv.check.members import verdict_of as _verdict, written_names as _written_names

__all__ = ["ChainChecker", "ChainState", "Member"]

#: Where the members of an answer's steps against the quantity are numbered (:class:`~deriv.check.progress.Progress`):
#: past any display's own, within its result's numbers.
QUANTITY_MEMBERS = PART - 100


@dataclass(frozen=True)
class _Shown:
    """What holds for every step of one display: where it is reported, and its directive."""

    display: Display
    label: str | None
    justification: str | None
    expect_fail: bool
    skip_reason: str | None  # None unless skipped ("" when no reason is given)
    defines: bool = False  # its first step gives a name its value: no claim, no step
    #: A final answer that defines (``$$ g = \\boxed{E} $$``): the value the chain before it ended
    #: with, which the defined value must equal (docs/library.md, "Generated derivations in bulk").
    answered: Member | None = None

    def step(self, relation: str, lhs: str, rhs: str, verdict: Verdict, **details) -> Step:
        return Step(self.display, self.label, relation, lhs, rhs, verdict, justification=self.justification,
                    **details)


class ChainChecker:
    """Walks a document's displays, producing one result per step."""

    def __init__(self, document: Document, context: Context, options: CheckOptions,
                 progress: Progress | None = None, on_display=None, quantity: Quantity | None = None) -> None:
        self.document = document
        #: What the problem asks for: each final answer is checked as ``quantity = answer`` (:mod:`deriv.check.quantity`).
        self.quantity = quantity
        self.answers = 0  # final answers met (with a quantity: none at all is reported)
        self._values: dict[str, object] | None = None  # the definitions' values, read when an answer needs them
        # Values the prose gives declared names; in generated text the declarations are the caller's
        # and a refutation stays one (a text must not move its first wrong step by a sentence).
        self.prose_values = {} if options.generated else by_name(document.prose_values)
        self.progress = progress or Progress()
        self.on_display = on_display  # called with (index, results) after each display
        self.index = 0
        self.replaying = False
        # Identical displays, members and steps are decided once.
        self.parser = DisplayParser(document, context)
        self._members: dict[tuple, tuple] = {}
        self._decisions: dict[tuple, Decision] = {}
        self.context = context
        self.options = options
        self.session = Session(context, options.seed)
        self.repairs = Allowance(options.document_timeout)  # the document's time for repair searches
        self.state = ChainState()
        self.labelled: dict[str, ChainState] = {}
        self.results: list[StepResult] = []
        self.established = Established()
        self.several: tuple[int, tuple[Display, ...]] | None = None  # the last display with several results
        self.early: list[Display] = []  # a generated text's answers before any chain: checked at its end
        self.conclusion = Conclusion(defined_names(e.latex for e in document.front.definitions)
                                     if document.front is not None else frozenset())

    def run(self) -> list[StepResult]:
        progress, last = self.progress, len(self.document.displays) - 1
        for number, display in enumerate(self.document.displays):
            self.index = number
            self.replaying = number < progress.replay_until
            mark = len(self.results)
            if progress.expired() and not self.replaying:
                self.emit(Step(display, display.label, "=", "", display.text.strip(), Verdict.TIMEOUT,
                               message=progress.expired_message()))
            else:
                self._guarded(display, side_claims=True)
                self._restate(mark)
            if number == last:
                self._early_answers()  # reported with the last display: a report per display index, once
            if self.on_display is not None and not self.replaying:
                self.on_display(number, self.results[mark:])
        if self.quantity is not None and not self.answers:
            displays = self.document.displays
            self.results.append(no_answer(self.quantity.latex, displays[-1].end_line if displays else 1))
        return self.results

    def _guarded(self, display: Display, side_claims: bool) -> None:
        """One display's steps (and its side claims); a bug on it is its error, not the document's end."""
        try:
            self.display(display)
            if side_claims:
                self._side_claims(display)
        except Exception as error:  # noqa: BLE001 - a bug on one display must not drop the displays after it
            self.emit(Step(display, display.label, "=", "", display.text.strip(), Verdict.ERROR,
                           message=f"internal error: {type(error).__name__}: {error}"))

    def _early_answers(self) -> None:
        """A generated text's answer given before any chain (``The answer is $\\boxed{2Ax}$``, then the
        derivation) continues the last chain of the text, as a reader compares them."""
        if not self.early or self.state.last is None:
            return
        for display in self.early:
            self._guarded(display, side_claims=False)

    def situation(self) -> Situation:
        """Where the walk is, for a helper that decides something."""
        return Situation(self.options, self.progress, self.index, self.replaying, self.context, self.session)

    # -- one display --------------------------------------------------------------
    def display(self, display: Display) -> None:
        for assumption in display.assumes:
            self._assume(display, assumption)
        self.answers += display.answer
        if not display.problem and (statement := recognise(display.text)) is not None:
            self._statement(display, statement)
            if display.answer and self.quantity is not None:  # no value to compare: never an unchecked answer
                self.emit(Step(display, None, "=", self.quantity.latex, display.text.strip(), Verdict.ERROR,
                               message="the final answer is a statement, not a value of the quantity the problem "
                                       "asks for (given beside the text)"))
            return None
        if display.problem:
            return self.emit(Step(display, display.label, "=", "", "", Verdict.ERROR, message=display.problem))
        pieces = results_of(display, lambda piece: self.parser.parse(piece, display.line))
        if pieces is not None:
            return self._several(pieces)
        if not self._continue_from(display):
            return None
        stop = self.progress.at(self.index, PARSE)
        try:
            if stop is not None:
                raise StoppedError(stop.message, stop.verdict)
            syntax, prepared = self.parser.parse(display.text, display.line)
        except DerivError as syntax_error:
            step, new_chain = unparsable(display, syntax_error, self.state.last)
            self.emit(step)
            if new_chain:
                self.state = ChainState(ranges={})
            return None
        return self._chain(display, syntax, prepared)

    def _side_claims(self, display: Display) -> None:
        """A generated text's ``\\underbrace{X}_{= Y}`` and ``\\quad \\text{since } X = Y``: ``X = Y`` is a
        chain of its own, beside the display's."""
        if not self.options.generated or display.problem:
            return
        justification = self._justification(display)
        answers = justified_answers(display.text, justification)
        if self.quantity is not None:  # an answer, checked against the quantity: no step from the display's chain
            answers = [answer.removeprefix("=").strip() for answer in answers]
        claims = [*brace_claims(display.text), *reason_claims(justification), *display.claims]
        for claim, answer in [*((c, False) for c in claims), *((a, self.quantity is not None) for a in answers)]:
            state, several, conclusion = self.state, self.several, replace(self.conclusion)
            self.display(replace(display, text=claim, label=None, directive=None, assumes=(), answer=answer,
                                 defines=None))
            self.state, self.several, self.conclusion = state, several, conclusion

    def _justification(self, display: Display) -> str | None:
        """The display's justification, when it parses (parses are remembered: no second parse)."""
        if "\\text" not in display.text and "\\mbox" not in display.text:
            return None
        try:
            return self.parser.parse(display.text, display.line)[1].justification
        except DerivError:
            return None

    def _assume(self, display: Display, directive: Directive) -> None:
        self.context, failed = assume(self.context, display, directive, self.options, self.progress)
        if failed is None:
            self.restart_session()
        else:
            self.emit(failed)

    def _statement(self, display: Display, statement: Statement) -> None:
        self.state = ChainState(ranges={})
        self.established.start(None, "")
        step, fact = run_statement(display, statement, self.situation(), self.established)
        if fact is not None:
            self.established.facts.append(fact)
        self.emit(step)

    def _several(self, pieces: tuple[Display, ...]) -> None:
        """Each result of a display holding several, checked as a display of its own."""
        try:
            for part, piece in enumerate(pieces):
                self.progress.part = part
                self.display(piece)
        finally:
            self.progress.part = 0
        self.several = (self.index, pieces)

    def _continue_from(self, display: Display) -> bool:
        """A ``continue`` directive: the chain goes on from the display it names; False when there is none."""
        directive = display.directive
        if directive is None or directive.kind != "continue":
            return True
        saved = self.labelled.get(directive.argument)
        if saved is None:
            self.emit(Step(display, display.label, "=", "", display.text.strip(), Verdict.ERROR,
                           message=f"continue {directive.argument}: no earlier display is labelled ({directive.argument})"))
            return False
        self.state = saved.copy()
        return True

    def _chain(self, display: Display, syntax, prepared) -> None:
        """The steps of a display that parsed."""
        label, directive = prepared.tag or display.label, display.directive
        several = self.several
        if syntax.leading is not None and several is not None and (
                problem := continuation_problem(several, self.index, directive)):
            self.several = (self.index, several[1])  # the error carries over to the next continuation
            return self.emit(Step(display, label, syntax.leading, "", display.text.strip(), Verdict.ERROR,
                                  message=problem))
        if self._answered_elsewhere(display, syntax, prepared):
            return None
        shown = _Shown(display, label, prepared.justification,
                       directive is not None and directive.kind == "expect-fail",
                       directive.argument if directive is not None and directive.kind == "skip" else None,
                       display.defines is not None,
                       self.state.last if display.answer and display.defines is not None else None)
        if display.answer and display.defines is not None and self.state.last is None and self.options.generated:
            # An answer that defines before any chain (`g = \\boxed{2Ax}`): its value against the text's last chain.
            self.early.append(replace(display, text="= " + display.defines.split("=", 1)[1], defines=None, claims=()))
        before = self.state.copy()
        leading = syntax.leading
        if leading is None and display.answer and len(syntax.members) == 1 and self.state.last is not None:
            leading = "="  # a final answer alone continues the chain it answers
        elif leading is None and display.answer and len(syntax.members) == 1 and self.options.generated:
            self.early.append(display)  # an answer before its derivation: checked against it at the end
            return None
        if leading is None:  # a family's index written only in members: read from the whole display
            self.state = ChainState(ranges=display_family_ranges(syntax.members, self.context))
        relations = (leading, *syntax.relations)
        broken_first: tuple[str, DerivError] | None = None
        count = len(syntax.members)
        for position, (node, source) in enumerate(zip(syntax.members, syntax.sources)):
            relation = relations[position] if position < len(relations) else None
            ahead = syntax.members[1] if relation is None and count > 1 else None
            broken_first = self._member_step(shown, position, node, source, relation, broken_first,
                                             position + 1 == count, ahead)
        if shown.expect_fail:
            # The author says this display is wrong: the next line continues
            # from before it, not from the wrong member.
            self.state = before
        if label:
            self.labelled[label] = self.state.copy()
        return None

    def _answer_quantity(self, display: Display, syntax, prepared) -> None:
        """A final answer where the problem's quantity is given: the display's own steps, as any display's
        (none for a bare ``\\boxed{E}``), then the extra step ``quantity = answer``, whichever chain
        :mod:`deriv.check.concluding` would pick."""
        if syntax.leading is not None or len(syntax.members) > 1:
            self._chain(replace(display, answer=False), syntax, prepared)
        answers = answer_members(syntax, prepared)
        if len(answers) > (PART - QUANTITY_MEMBERS) // 2:  # each is a step to decide: never some left unchecked
            return self.emit(Step(display, None, "=", "", display.text.strip(), Verdict.ERROR,
                                  message=f"{len(answers)} boxed answers in one display: box one"))
        for count, at in enumerate(answers):
            self._against_quantity(display, syntax.members[at], syntax.sources[at], QUANTITY_MEMBERS + 2 * count)
        if not answers and not justified_answers(display.text, prepared.justification):
            self.emit(Step(display, None, "=", self.quantity.latex if self.quantity else "", display.text.strip(),
                           Verdict.ERROR, message=UNPLACED))

    def _against_quantity(self, display: Display, node, source: str, position: int) -> None:
        """The step ``quantity = answer``, as a chain of its own (the text's chain goes on untouched); its
        members numbered from ``position``, apart from the display's own (a killed worker's stop is one member's)."""
        assert self.quantity is not None
        asked, _ = self.parser.parse(self.quantity.latex, 0)  # read before the walk (quantity_problem)
        conclusion = replace(self.conclusion, found=list(self.conclusion.found),
                             definitions=list(self.conclusion.definitions))
        saved = (self.state, self.several, conclusion, self.established.anchor, self.established.last)
        mark, shown = len(self.results), _Shown(display, None, None, False, None)
        self.state = ChainState(ranges=display_family_ranges((asked.members[0], node), self.context))
        try:
            broken = self._member_step(shown, position, asked.members[0], asked.sources[0], None, None, False, node)
            self._member_step(shown, position + 1, node, source, "=", broken, True)
        finally:
            self.state, self.several, self.conclusion, self.established.anchor, self.established.last = saved
        why = restated((asked.members[0], asked.sources[0]), (node, source), *self._quantity_names())
        self.results[mark:] = [unconcluded(as_extra(result), why) if why else as_extra(result)
                               for result in self.results[mark:]]

    def _quantity_names(self) -> tuple[dict[str, object], frozenset[str]]:
        """The value (syntax) of each name the text defines, and the declared and defined names: what tells
        an answer that restates the quantity (:func:`~deriv.check.quantity.restated`).  A name the problem
        defines is the problem's to use (``v = \\frac{d x}{d t}`` in ``2 x v``): its value is not followed."""
        if self._values is None:
            front, given = self.document.front, self.quantity.given if self.quantity is not None else frozenset()
            equations = [(e.latex, e.line) for e in front.definitions] if front is not None else []
            values = definition_values(equations, self.parser.parse)
            self._values = {name: value for name, value in values.items() if name not in given}
        return self._values, frozenset(self.context.declared) | frozenset(self.context.definitions)

    def quantity_problem(self) -> str | None:
        """Why the quantity the problem asks for can not be read (the item's error), or None: it is one
        expression of the given names (never one the text declares or defines), and it builds."""
        if self.quantity is None:
            return None
        try:
            syntax, prepared = self.parser.parse(self.quantity.latex, 0)  # line 0: none of the text's macros
        except DerivError as unread_error:
            return f"the quantity can not be read: {unread_error.message}"
        if (why := shape_problem(syntax, prepared)) is not None:
            return f"the quantity is not one expression: {why}"
        self.quantity = replace(self.quantity, given=self.quantity.given | self._given_definitions(self.quantity))
        known = {n for n, d in self.context.declared.items() if not d.conventional} | set(self.context.definitions)
        if names := text_names(_written_names(syntax.members[0]), known, self.quantity):
            return (f"the quantity names {names[0]}, which the problem does not give (the text declares or defines "
                    f"it): declare it beside the text (the item's or the shared declarations)")
        return self._unbuilt(syntax)

    def _given_definitions(self, quantity: Quantity) -> frozenset[str]:
        """The names the problem's definitions define, read as the document reads them (line 0)."""
        values = definition_values(((latex, 0) for latex in quantity.definitions), self.parser.parse)
        return frozenset(values)

    def _unbuilt(self, syntax) -> str | None:
        """Why the quantity (parsed) does not build, in a chain of its own, or None."""
        saved, self.state = self.state, ChainState(ranges=display_family_ranges(syntax.members, self.context))
        try:
            _, broken = self._member(syntax.members[0], syntax.sources[0], QUANTITY_MEMBERS)  # not a display's member
        finally:
            self.state = saved
        if broken is None or isinstance(broken, (StoppedError, ImplicitShape)):  # out of time: the steps say so
            return None
        return f"the quantity can not be read: {broken.message}"

    def _answered_elsewhere(self, display: Display, syntax, prepared) -> bool:
        """Whether a generated text's final answer was checked by :meth:`_concluded_answer`: after a
        closed-form chain, beside other quantities, or after a definition only -- or, where the problem's
        quantity is given, by :meth:`_answer_quantity`."""
        if display.answer and self.quantity is not None:
            self._answer_quantity(display, syntax, prepared)
            return True
        if not (display.answer and self.options.generated) or self.conclusion.busy:
            return False
        found = self.conclusion.answered(self.state)
        if found is self.state and not self.conclusion.several(found) and not self.conclusion.bare(found):
            return False
        self._concluded_answer(display, syntax, prepared, found)
        return True

    def _concluded_answer(self, display: Display, syntax, prepared, found: ChainState) -> None:
        """A final answer after a chain from a closed form, or in a text that found several quantities:
        checked against the chain that ``found`` the last quantity (docs/library.md); where it contradicts
        that chain but agrees with the closed-form one after it (a text may assemble its result so), or the
        text found another quantity it may combine, which the answer concludes is not known: undecided."""
        mark, last, agrees, bare = len(self.results), self.state, self.conclusion.several(found), self.conclusion.bare(found)
        self.conclusion.busy = True
        try:
            if found is not last and not agrees:
                self._chain(display, syntax, prepared)
                agrees = all(result.verdict in AGREES for result in self.results[mark:])
                del self.results[mark:]
            self.state = found
            self._chain(display, syntax, prepared)
        finally:
            self.conclusion.busy = False
        if bare:
            self.results[mark:] = [underived(result) for result in self.results[mark:]]
        elif agrees:
            self.results[mark:] = [ambiguous(result) for result in self.results[mark:]]

    def _member_step(self, shown: _Shown, position: int, node, source: str, relation: str | None,
                     broken_first: tuple[str, DerivError] | None, last: bool, ahead=None) -> tuple[str, DerivError] | None:
        """Build one member and decide the step to it; returns the chain's broken first member, if any."""
        lhs = self.state.last
        snapshot = self.state.copy()  # what a repair is built in
        started = time.perf_counter()
        member, error = self._member(node, source, position)
        if isinstance(error, ImplicitShape) and ahead is not None and (shape := self._shape_of(ahead)) is not None:
            # A first member I or \mathbf{1} (I = A A^{-1}) takes the shape of the member after it.
            member, error = self._member(node, source, position, shape)
        if relation is None:
            return self._first(shown, member, error, source, started, last)
        if shown.defines and position == 1 and member is not None:
            if shown.answered is not None:
                self.emit(self._decided(shown, relation, node, source, shown.answered, member, snapshot, position,
                                        started))
            self.state.last = member  # the definition itself: the chain goes on from its value
            self.conclusion.definition_only(self.state)  # nothing derived from it yet
            return broken_first
        if shown.skip_reason is not None:
            self.emit(shown.step(relation, lhs.source if lhs else "", source, Verdict.SKIPPED,
                                 message=shown.skip_reason or "skipped"))
        elif error is not None or lhs is None or member is None:
            self.emit(self._broken(shown, relation, node, source, lhs, error, broken_first, snapshot, position,
                                   started))
        else:
            self.emit(self._decided(shown, relation, node, source, lhs, member, snapshot, position, started))
        if member is not None:
            self.state.last = member
        return broken_first

    def _first(self, shown: _Shown, member: Member | None, error: DerivError | None, source: str,
               started: float, last: bool) -> tuple[str, DerivError] | None:
        """The chain's first member: its start; when it is broken, reported once, on the step that needed it."""
        self.established.start(member.expr if member else None, source)
        if member is not None:
            self.state.last = self.state.first = member
            self.conclusion.started(self.state, source)
        elif error is not None and shown.skip_reason is None:
            if not last:
                return source, error
            self.emit(shown.step("=", "", source, _verdict(error), message=error.message, started=started,
                                 expect_fail=shown.expect_fail))
        return None

    def _broken(self, shown: _Shown, relation: str, node, source: str, lhs: Member | None,
                error: DerivError | None, broken_first: tuple[str, DerivError] | None,
                snapshot: ChainState, position: int, started: float) -> Step:
        """A step one of whose sides is not well-formed."""
        lhs_source = lhs.source if lhs else ""
        if error is not None and broken_first is not None:
            lhs_source = broken_first[0]
            message = f"left side: {broken_first[1].message}; right side: {error.message}"
        elif error is not None:
            message = error.message
        elif broken_first is not None:
            lhs_source, message = broken_first[0], f"left side: {broken_first[1].message}"
        else:
            message = "nothing well-formed before this to compare with"
        repairable = isinstance(error, ShapeError) and relation == "=" and not broken_first
        suggestion = self._suggest(node, lhs, snapshot, position) if repairable and lhs is not None else ()
        return shown.step(relation, lhs_source, source, _broken_verdict(error, broken_first), message=message,
                          started=started, expect_fail=shown.expect_fail, suggestion=suggestion)

    def _decided(self, shown: _Shown, relation: str, node, source: str, lhs: Member, member: Member,
                 snapshot: ChainState, position: int, started: float) -> Step:
        """A step between two well-formed members, decided (and a proved one established)."""
        decision = self._decide(relation, lhs, member, position)
        conditioned = (self._refuted_under(shown.justification, lhs, member, relation)
                       if decision.verdict is Verdict.REFUTED else None)
        if conditioned is not None:
            decision = conditioned
        refuted = decision.verdict is Verdict.REFUTED and relation == "="
        suggestion = self._suggest(node, lhs, snapshot, position, decision.counterexample) if refuted else ()
        if not shown.expect_fail:  # a proved step is a fact for later claims
            self.established.record(relation, lhs, member, self.state.step_ranges(), decision.verdict,
                                    shown.display.line)
        return shown.step(relation, lhs.source, source, decision.verdict, method=decision.method,
                          message=_noted(decision.message, lhs.notes + member.notes),
                          counterexample=decision.counterexample, started=started, expect_fail=shown.expect_fail,
                          suggestion=suggestion, conditioned=conditioned is not None)

    def _refuted_under(self, justification: str | None, lhs: Member, rhs: Member, relation: str) -> Decision | None:
        """The step refuted again with its justification's condition assumed, or None (the
        refutation as written then stays unimposed: deriv/check/worded_conditions.py)."""
        condition = worded_condition(justification, f"{lhs.source} {rhs.source}", self.context)
        stated = stated_relation(condition) if condition is not None else None
        if stated is None or self.progress.expired():
            return None
        try:
            context = with_condition(self.context, build_constraint(stated, self.context))
        except DerivError:
            return None
        again = self._decide_now(lhs, rhs, self.state.step_ranges(), relation, context)
        if again.verdict is not Verdict.REFUTED:
            return None
        if relation != "=":
            return replace(again, message=f"{again.message}, also where {stated} (the step's own condition)")
        example = again.counterexample
        note = f": {example.note}" if example is not None and example.note else ""
        return replace(again, message=f"the two sides differ, also where {stated} (the step's own condition){note}")

    def _restate(self, mark: int) -> None:
        """The step that ends the display's chain, restated in matrix form (:mod:`deriv.check.restate`)."""
        displays = self.document.displays
        following = displays[self.index + 1] if self.index + 1 < len(displays) else None
        found = restate_chain_end(self.situation(), self.state, self.results, mark, following, self.parser)
        if found is not None:
            at, suggestion = found
            step = self.results[at]
            self.results[at] = replace(step, suggestion=step.suggestion + (suggestion,))

    def restart_session(self) -> None:
        """After a new assumption: nothing decided before it is reused."""
        self.session = Session(self.context, self.options.seed)
        self._decisions.clear()

    # -- members --------------------------------------------------------------------
    def _shape_of(self, node) -> Shape | None:
        """The shape of ``node`` built alone (None for a scalar or when it can not be built): the
        hint of a first member that only the member after it sizes."""
        builder = Builder(self.context, least_allowed=True)
        try:
            with time_budget(budget(self.options.timeout, self.progress)):
                value = builder.build(node)
        except (DerivError, StepTimeout, RecursionError):
            return None
        return None if value.is_scalar else value.shape

    def _member(self, node, source: str, position: int = 0, hint: Shape | None = None
                ) -> tuple[Member | None, DerivError | None]:
        stop = self.progress.at(self.index, BUILD, position)
        if stop is not None:
            return None, StoppedError(stop.message, stop.verdict)
        if self.progress.expired() and not self.replaying:
            return None, StoppedError(self.progress.expired_message())
        state = self.state
        written = (source, node, state.free, state.matrix_shape, tuple(state.ranges.items()), hint)
        key: tuple | None = written
        try:
            known = self._members.get(written)
        except TypeError:  # an unhashable syntax tree: not cached
            key, known = None, None
        if known is not None:
            member, error, after = known
            self.state.free, self.state.matrix_shape, self.state.ranges = after.free, after.matrix_shape, dict(after.ranges)
            return member, error
        member, error = self._build(node, source, hint)
        if key is not None and not isinstance(error, StoppedError):
            _remember(self._members, key, (member, error, self.state.copy()))
        return member, error

    def _build(self, node, source: str, hint: Shape | None = None) -> tuple[Member | None, DerivError | None]:
        if bare_zero(node):  # 0, \mathbf{0} alone: the zero of the chain's shape, whatever it is
            return Member(ZERO, source, node), None
        builder = Builder(self.context, least_allowed=True)
        # A member must have the chain's shape: an I or \mathbf{1} nothing else sizes takes it (A^{-1} A = I, 2 I).
        builder.hint = hint or self.state.matrix_shape
        try:
            with time_budget(budget(self.options.timeout, self.progress)):
                value = builder.build(node)
                expr = self._align(value, builder)
                known = {n: (r, "front matter") for n, r in self.context.index_ranges.items()}
                known.update(self.state.ranges)
                expr, ranges = builder.finish(expr, known)
                recorded = builder.conditions | written_definitions(expr, self.context.definitions)
                conditions = member_conditions(recorded | written_recurrences(expr, self.context), expr, builder.sum_limits,
                                               builder.walked())
                self._adopt(value, expr, ranges, source, _written_names(node), _condition_indices(conditions))
        except DerivError as error:
            return None, error
        except StepTimeout:
            if self.progress.expired():
                return None, StoppedError(self.progress.expired_message())
            return None, StoppedError("building this member ran out of time")  # timeout: not the text's fault
        except RecursionError:
            return None, DerivError("expression nested too deeply")
        except Exception as error:  # noqa: BLE001 - one member must never abort the document
            return None, DerivError(f"internal error while building: {type(error).__name__}: {error}")
        return Member(expr, source, node, builder.broadcasts + definition_notes(expr, self.context), conditions), None

    def _align(self, value: Value, builder: Builder) -> Expr:
        """The member's index expression, in the chain's indices."""
        state = self.state
        if state.free is None and state.matrix_shape is None:
            if value.is_scalar:
                return value.expr
            for symbol, extent in ((ROW, value.rows), (COL, value.cols)):
                builder.uses.use(symbol.name, extent, "entry of the chain's matrix")
            return value.entry(ROW, COL)
        if state.matrix_shape is not None:
            if value.shape != state.matrix_shape:
                raise ShapeError(
                    f"{value.describe()} does not match the chain's {shape_text(state.matrix_shape)} matrix"
                )
            return value.entry(ROW, COL)
        if value.is_scalar:
            return value.expr
        free = state.free or ()
        wanted = tuple(state.ranges[s.name][0] for s in free)
        if len(free) == 2 and value.shape == wanted:
            return value.entry(*free)
        if len(free) == 1 and value.cols == ONE and value.rows == wanted[0]:
            return value.entry(free[0], 0)
        if len(free) == 1 and value.rows == ONE and value.cols == wanted[0]:
            return value.entry(0, free[0])
        raise ShapeError(_shape_mismatch(value, free, wanted))

    def _adopt(self, value: Value, expr: Expr, ranges: dict[str, Expr], source: str,
               written: tuple[str, ...] = (), in_conditions: frozenset[Symbol] = frozenset()) -> None:
        """Check the member's free indices against the chain, then record them."""
        state = self.state
        # The free indices are those written, also when they cancel (C_{m,n} - C_{m,n}), or when
        # only the member's domain keeps them (\sum_j \frac{v_i - v_j}{v_i - v_j} is N, undefined at j = i).
        free = free_indices(expr) | set(value.order if value.is_scalar else ()) | in_conditions
        unknown = sorted(str(i) for i in free if i.name not in ranges and i.name not in state.ranges)
        if unknown:
            raise MeaningError(unranged_message(unknown))
        if state.free is None and state.matrix_shape is None:
            if value.is_scalar:
                # positional: the order the author fixed, else the order written
                # (never SymPy's argument order, which sorts names)
                ordered = list(dict.fromkeys(value.order))
                by_name = {s.name: s for s in free}
                ordered += [by_name[n] for n in written if n in by_name and by_name[n] not in ordered]
                ordered += [s for s in index_order(expr) if s not in ordered]
                state.free = tuple(ordered)
            else:
                state.matrix_shape = value.shape
                state.free = tuple(sorted(free - {ROW, COL}, key=str)) or None
        elif state.matrix_shape is None:
            # A member may lose a free index it does not depend on
            # (dY_{i,j}/db_k = delta_{j,k} for every i): testing varies it
            # anyway.  A new free index, though, changes what is meant.
            extra = sorted(map(str, free - set(state.free or ())))
            if extra:
                raise ShapeError(
                    f"free index {', '.join(extra)} appears here but not in the chain's first member "
                    f"(whose free indices are {', '.join(map(str, state.free or ())) or 'none'})"
                )
        for name, extent in ranges.items():
            state.ranges.setdefault(name, (extent, source))

    # -- repairs --------------------------------------------------------------------
    def _suggest(self, node, lhs: Member, snapshot: ChainState, position: int, counterexample=None) -> tuple:
        """Repairs of the member that the engine decides make the step hold (:mod:`deriv.check.repair`)."""
        if not (self.options.decide and self.options.suggest) or self.replaying:
            return ()
        current, free = self.state, tuple(s.name for s in snapshot.free or ())

        def attempt(candidate, latex: str) -> Verdict:  # built and decided exactly like the member
            self.state = snapshot.copy()
            member, _ = self._build(candidate, latex)
            return Verdict.ERROR if member is None else self._decide_now(lhs, member, self.state.step_ranges()).verdict

        def going() -> bool:  # also the tick a supervising parent watches
            return self.progress.at(self.index, REPAIR, position) is None and not self.progress.expired()

        try:
            lexicon = self.parser.lexicon(self.document.displays[self.index].line)  # as the member was read
            failure = Failure(node, lhs.node, free, ratio_of(counterexample), lexicon, self.context)
            return search(failure, attempt, going, self.repairs, self.session)
        finally:
            self.state = current

    # -- deciding -----------------------------------------------------------------
    def _decide(self, relation: str, lhs: Member, rhs: Member, position: int = 0) -> Decision:
        if not self.options.decide:
            return Decision(Verdict.SKIPPED, "none", "not decided")
        if relation != "=" and self.state.matrix_shape is not None:
            return Decision(Verdict.UNDECIDED, "none", f"claims with {relation} between vectors or matrices are not decided")
        if self.replaying:
            return Decision(Verdict.SKIPPED, "none", "")
        if (why := unread(self.context)) is not None:
            return Decision(Verdict.UNDECIDED, "none", why)
        stop = self.progress.at(self.index, DECIDE, position)
        if stop is not None:
            return Decision(stop.verdict, "none", stop.message)
        if self.progress.expired():
            return Decision(Verdict.TIMEOUT, "none", self.progress.expired_message())
        ranges = self.state.step_ranges()
        # a later claim knows more; so does a step with domain conditions (a proved M \succ 0 is invertible)
        facts = len(self.established.facts) if relation != "=" or lhs.conditions or rhs.conditions else 0
        key = (relation, lhs.expr, rhs.expr, tuple(sorted(ranges.items(), key=text)), facts, lhs.conditions, rhs.conditions)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decide_now(lhs, rhs, ranges, relation)
            if decision.verdict is not Verdict.TIMEOUT:
                _remember(self._decisions, key, decision)
        return located(decision, self.state.matrix_shape, self.context, lhs, rhs)

    def _decide_now(self, lhs: Member, rhs: Member, ranges, relation: str = "=",
                    context: Context | None = None) -> Decision:
        """The step decided in the document's context (or in ``context``, one step's own: then in a
        session of its own)."""
        session, context = self._session_for(lhs, rhs, context)
        mark = clock_mark()
        try:
            with time_budget(budget(self.options.timeout, self.progress)):
                # the facts only where a condition may need them: making them is a SymPy difference per proved step
                facts = self.established.facts if lhs.conditions or rhs.conditions else ()
                domains = domains_of((lhs.conditions, rhs.conditions), context, ranges, facts, session.domain_proofs)
                if relation != "=":
                    return noted(decide_claim(relation, lhs.expr, rhs.expr, context, ranges, seed=self.options.seed,
                                              session=session, facts=self.established.facts, domains=domains), mark)
                return noted(decide_equality(lhs.expr, rhs.expr, context, ranges, seed=self.options.seed,
                                             session=session, domains=domains), mark)
        except StepTimeout:
            if self.progress.expired():
                return Decision(Verdict.TIMEOUT, "none", self.progress.expired_message())
            return Decision(Verdict.TIMEOUT, "none", f"ran out of its {self.options.timeout:g} s budget")
        except TooLargeError as error:  # a search that draws its own instances meets it outside the testers
            return Decision(Verdict.UNDECIDED, "none", f"could not decide: {error}")
        except RecursionError:
            return Decision(Verdict.ERROR, "none", "expression nested too deeply to decide")
        except Exception as error:  # noqa: BLE001 - one step must never abort the document
            return Decision(Verdict.ERROR, "none", f"internal error while deciding: {type(error).__name__}: {error}")

    def _session_for(self, lhs: Member, rhs: Member, context: Context | None) -> tuple[Session, Context]:
        """The document's session, or one of the step's own: for its own context, or for the
        arrays it reaches when the document's are too many to draw (:func:`narrowed`)."""
        written = (lhs.expr, rhs.expr, *(c.expr for c in lhs.conditions | rhs.conditions))
        narrow = narrowed(context or self.context, written)
        if narrow is not None:
            return Session(narrow, self.options.seed), narrow
        if context is not None:
            return Session(context, self.options.seed), context
        return self.session, self.context

    def emit(self, step: Step) -> None:
        """Record one step (nothing while replaying what a killed worker already reported)."""
        if self.replaying:
            return
        verdict, message, method = step.verdict, step.message, step.method
        counterexample, suggestion = step.counterexample, step.suggestion
        if verdict in DECIDED and (why := unread(self.context)) is not None:  # statements too
            verdict, message, method, counterexample, suggestion = Verdict.UNDECIDED, why, "none", None, ()
        if verdict is Verdict.REFUTED and not step.conditioned and (condition := worded_condition(
                step.justification, f"{step.lhs} {step.rhs}", self.context)) is not None:
            verdict, message, method, counterexample, suggestion = (
                Verdict.UNDECIDED, unimposed(condition, message), "none", None, ())
        if verdict is Verdict.REFUTED and (value := varied(counterexample, f"{step.lhs} {step.rhs}",
                                                            self.prose_values)) is not None:
            verdict, message, method, counterexample, suggestion = (
                Verdict.UNDECIDED, fixed_by_prose(message, value), "none", None, ())
        if step.expect_fail:
            verdict, message = _expected(verdict, message)
        seconds = time.perf_counter() - step.started if step.started is not None else 0.0
        self.results.append(StepResult(
            line=step.display.line, column=step.display.math_column, label=step.label, relation=step.relation, lhs=step.lhs, rhs=step.rhs,
            verdict=verdict, method=method, message=message, justification=step.justification,
            counterexample=counterexample, suggestion=suggestion, seconds=seconds,
            expect_tested=step.display.directive is not None and step.display.directive.kind == "expect-tested",
        ))


def _condition_indices(conditions: frozenset[Condition]) -> frozenset[Symbol]:
    """The written free indices of a member's domain conditions (those their limits do not bind;
    not the builder's own dummies, which a derivative's differentiability condition keeps)."""
    found: frozenset[Symbol] = frozenset()
    for condition in conditions:
        if condition.relation != KINK:
            found |= {i for i in free_indices(condition.guard) if not i.name.startswith("_")}
    return found

"""Displays -> chains -> steps, each step decided.

A display starting with a relation continues the current chain; any other
display starts a new one.  Each member is built, aligned with the chain's
first member (same free indices, or a matrix standing for the entry those
indices select) and compared with the last well-formed member before it.
Directives (``expect-fail``, ``skip``, ``continue``) are applied here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sympy import Expr, Symbol

from deriv.check.options import CheckOptions
from deriv.context import ONE, Context, shape_text
from deriv.read.document import Display, Document
from deriv.engine.claims import decide_claim
from deriv.engine.decide import Decision, Session, decide_equal
from deriv.errors import DerivError, MeaningError, ShapeError
from deriv.ir import free_indices, index, index_order, text
from deriv.check.facts import DECIDED, Established, assume, unread
from deriv.check.members import unparsable
from deriv.check.statements import run_statement
from deriv.meaning.statements import recognise
from deriv.meaning.builder import Builder
from deriv.check.parsing import DisplayParser
from deriv.meaning.values import ZERO, Value
from deriv.meaning.zeros import bare_zero
from deriv.results import StepResult, Verdict
from deriv.budget import StepTimeout, time_budget
from deriv.check.progress import BUILD, DECIDE, PARSE, REPAIR, Progress, StoppedError, budget
from deriv.check.restate import restate_chain_end
from deriv.check.several import continuation_problem, run_results
from deriv.check.repair import Allowance, Failure, ratio_of, search
from deriv.check.locations import located
from deriv.check.members import expected as _expected, noted as _noted, remember as _remember
from deriv.check.members import shape_mismatch as _shape_mismatch, verdict_of as _verdict, written_names as _written_names

ROW, COL = index("row"), index("col")


@dataclass(frozen=True)
class Member:
    """A well-formed chain member: its index expression and LaTeX."""

    expr: Expr
    source: str
    node: object = None  # its syntax tree (a repair may add back one of its terms)
    notes: tuple[str, ...] = ()  # how it was read where that is not literal (a broadcast)


@dataclass
class ChainState:
    """What later members are compared with and aligned to."""

    free: tuple[Symbol, ...] | None = None
    matrix_shape: tuple[Expr, Expr] | None = None
    ranges: dict[str, tuple[Expr, str]] = field(default_factory=dict)
    last: Member | None = None
    first: Member | None = None  # the member the chain starts from

    def copy(self) -> "ChainState":
        return ChainState(self.free, self.matrix_shape, dict(self.ranges), self.last, self.first)

    def step_ranges(self) -> dict[Symbol, Expr]:
        free = {s: self.ranges[s.name][0] for s in self.free or ()}  # a matrix chain's too (W h_{t-1})
        return free if self.matrix_shape is None else {ROW: self.matrix_shape[0], COL: self.matrix_shape[1], **free}


class ChainChecker:
    """Walks a document's displays, producing one result per step."""

    def __init__(self, document: Document, context: Context, options: CheckOptions,
                 progress: Progress | None = None, on_display=None) -> None:
        self.document = document
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

    def run(self) -> list[StepResult]:
        progress = self.progress
        for number, display in enumerate(self.document.displays):
            self.index = number
            self.replaying = number < progress.replay_until
            mark = len(self.results)
            if progress.expired() and not self.replaying:
                self.emit(display, display.label, "=", "", display.text.strip(), Verdict.TIMEOUT,
                          message=progress.expired_message())
            else:
                self.display(display)
                restate_chain_end(self, number, mark)
            if self.on_display is not None and not self.replaying:
                self.on_display(number, self.results[mark:])
        return self.results

    # -- one display --------------------------------------------------------------
    def display(self, display: Display) -> None:
        for assumption in display.assumes:
            assume(self, display, assumption)
        directive = display.directive
        if not display.problem and (statement := recognise(display.text)) is not None:
            return run_statement(self, display, statement)
        if display.problem:
            self.emit(display, display.label, "=", "", "", Verdict.ERROR, message=display.problem)
            return
        if run_results(self, display):
            return
        if directive is not None and directive.kind == "continue":
            saved = self.labelled.get(directive.argument)
            if saved is None:
                self.emit(display, display.label, "=", "", display.text.strip(), Verdict.ERROR,
                          message=f"continue {directive.argument}: no earlier display is labelled ({directive.argument})")
                return
            self.state = saved.copy()
        stop = self.progress.at(self.index, PARSE)
        try:
            if stop is not None:
                raise StoppedError(stop.message, stop.verdict)
            syntax, prepared = self.parser.parse(display.text, display.line)
        except DerivError as syntax_error:
            unparsable(self, display, syntax_error)
            return
        label = prepared.tag or display.label
        if syntax.leading is not None and (problem := continuation_problem(self, directive)):
            return self.emit(display, label, syntax.leading, "", display.text.strip(), Verdict.ERROR, message=problem)
        expect_fail = directive is not None and directive.kind == "expect-fail"
        skip_reason = directive.argument if directive is not None and directive.kind == "skip" else None
        before = self.state.copy()
        if syntax.leading is None:
            self.state = ChainState(ranges={})
        previous_relation = syntax.leading
        broken_first: tuple[str, DerivError] | None = None
        for position, (node, source) in enumerate(zip(syntax.members, syntax.sources)):
            relation = previous_relation
            previous_relation = syntax.relations[position] if position < len(syntax.relations) else None
            lhs = self.state.last
            snapshot = self.state.copy() if relation is not None else None  # what a repair is built in
            started = time.perf_counter()
            member, error = self._member(node, source, position)
            if relation is None:
                self.established.start(member.expr if member else None, source)
                if member is not None:
                    self.state.last = self.state.first = member
                elif error is not None and skip_reason is None:
                    if position + 1 < len(syntax.members):
                        # Reported once, on the step that needed this member.
                        broken_first = (source, error)
                    else:
                        self.emit(display, label, "=", "", source, _verdict(error), message=error.message,
                                  justification=prepared.justification, started=started,
                                  expect_fail=expect_fail)
                continue
            lhs_source = lhs.source if lhs else ""
            if skip_reason is not None:
                self.emit(display, label, relation, lhs_source, source, Verdict.SKIPPED,
                          message=skip_reason or "skipped", justification=prepared.justification)
            elif error is not None or lhs is None or member is None:
                if error is not None and broken_first is not None:
                    lhs_source = broken_first[0]
                    message = f"left side: {broken_first[1].message}; right side: {error.message}"
                elif error is not None:
                    message = error.message
                elif broken_first is not None:
                    lhs_source, message = broken_first[0], f"left side: {broken_first[1].message}"
                else:
                    message = "nothing well-formed before this to compare with"
                repairable = isinstance(error, ShapeError) and relation == "=" and lhs is not None and not broken_first
                suggestion = self._suggest(node, lhs, snapshot, position) if repairable else ()
                self.emit(display, label, relation, lhs_source, source, _verdict(error), message=message,
                          justification=prepared.justification, started=started, expect_fail=expect_fail,
                          suggestion=suggestion)
            else:
                decision = self._decide(relation, lhs, member, position)
                refuted = decision.verdict is Verdict.REFUTED and relation == "="
                suggestion = self._suggest(node, lhs, snapshot, position, decision.counterexample) if refuted else ()
                if not expect_fail:  # a proved step is a fact for later claims
                    self.established.record(relation, lhs, member, self.state.step_ranges(), decision.verdict, display.line)
                self.emit(display, label, relation, lhs_source, source, decision.verdict, method=decision.method,
                          message=_noted(decision.message, lhs.notes + member.notes),
                          justification=prepared.justification, counterexample=decision.counterexample,
                          started=started, expect_fail=expect_fail, suggestion=suggestion)
            if member is not None:
                self.state.last = member
        if expect_fail:
            # The author says this display is wrong: the next line continues
            # from before it, not from the wrong member.
            self.state = before
        if label:
            self.labelled[label] = self.state.copy()

    def restart_session(self) -> None:
        """After a new assumption: nothing decided before it is reused."""
        self.session = Session(self.context, self.options.seed)
        self._decisions.clear()

    # -- members --------------------------------------------------------------------
    def _member(self, node, source: str, position: int = 0) -> tuple[Member | None, DerivError | None]:
        stop = self.progress.at(self.index, BUILD, position)
        if stop is not None:
            return None, StoppedError(stop.message, stop.verdict)
        if self.progress.expired() and not self.replaying:
            return None, StoppedError(self.progress.expired_message())
        state = self.state
        key = (source, node, state.free, state.matrix_shape, tuple(state.ranges.items()))
        try:
            known = self._members.get(key)
        except TypeError:  # an unhashable syntax tree: not cached
            key, known = None, None
        if known is not None:
            member, error, after = known
            self.state.free, self.state.matrix_shape, self.state.ranges = after.free, after.matrix_shape, dict(after.ranges)
            return member, error
        member, error = self._build(node, source)
        if key is not None and not isinstance(error, StoppedError):
            _remember(self._members, key, (member, error, self.state.copy()))
        return member, error

    def _build(self, node, source: str) -> tuple[Member | None, DerivError | None]:
        if bare_zero(node):  # 0, \mathbf{0} alone: the zero of the chain's shape, whatever it is
            return Member(ZERO, source, node), None
        builder = Builder(self.context, least_allowed=True)
        try:
            with time_budget(budget(self.options.timeout, self.progress)):
                value = builder.build(node)
                expr = self._align(value, builder)
                known = {n: (r, "front matter") for n, r in self.context.index_ranges.items()}
                known.update(self.state.ranges)
                expr, ranges = builder.finish(expr, known)
                self._adopt(value, expr, ranges, source, _written_names(node))
        except DerivError as error:
            return None, error
        except StepTimeout:
            if self.progress.expired():
                return None, StoppedError(self.progress.expired_message())
            return None, DerivError("building this member ran out of time")
        except RecursionError:
            return None, DerivError("expression nested too deeply")
        except Exception as error:  # noqa: BLE001 - one member must never abort the document
            return None, DerivError(f"internal error while building: {type(error).__name__}: {error}")
        return Member(expr, source, node, builder.broadcasts), None

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
               written: tuple[str, ...] = ()) -> None:
        """Check the member's free indices against the chain, then record them."""
        state = self.state
        # The free indices are those written, also when they cancel (C_{m,n} - C_{m,n}).
        free = free_indices(expr) | set(value.order if value.is_scalar else ())
        unknown = sorted(str(i) for i in free if i.name not in ranges and i.name not in state.ranges)
        if unknown:
            raise MeaningError(
                f"cannot tell the range of index {', '.join(unknown)}: use it in an entry such as X_{{{unknown[0]},j}}"
            )
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
        facts = len(self.established.facts) if relation != "=" else 0  # a later claim knows more
        key = (relation, lhs.expr, rhs.expr, tuple(sorted(ranges.items(), key=text)), facts)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decide_now(lhs, rhs, ranges, relation)
            if decision.verdict is not Verdict.TIMEOUT:
                _remember(self._decisions, key, decision)
        return located(decision, self.state.matrix_shape, self.context, lhs, rhs)

    def _decide_now(self, lhs: Member, rhs: Member, ranges, relation: str = "=") -> Decision:
        try:
            with time_budget(budget(self.options.timeout, self.progress)):
                if relation != "=":
                    return decide_claim(relation, lhs.expr, rhs.expr, self.context, ranges, seed=self.options.seed,
                                        session=self.session, facts=self.established.facts)
                return decide_equal(lhs.expr, rhs.expr, self.context, ranges,
                                    seed=self.options.seed, session=self.session)
        except StepTimeout:
            if self.progress.expired():
                return Decision(Verdict.TIMEOUT, "none", self.progress.expired_message())
            return Decision(Verdict.TIMEOUT, "none", f"ran out of its {self.options.timeout:g} s budget")
        except RecursionError:
            return Decision(Verdict.ERROR, "none", "expression nested too deeply to decide")
        except Exception as error:  # noqa: BLE001 - one step must never abort the document
            return Decision(Verdict.ERROR, "none", f"internal error while deciding: {type(error).__name__}: {error}")

    def emit(self, display: Display, label, relation, lhs, rhs, verdict: Verdict, *, message: str = "",
             method: str = "", justification=None, counterexample=None, started: float | None = None,
             expect_fail: bool = False, suggestion: tuple = ()) -> None:
        if self.replaying:
            return
        if verdict in DECIDED and (why := unread(self.context)) is not None:  # statements too
            verdict, message, method, counterexample, suggestion = Verdict.UNDECIDED, why, "none", None, ()
        if expect_fail:
            verdict, message = _expected(verdict, message)
        seconds = time.perf_counter() - started if started is not None else 0.0
        self.results.append(StepResult(
            line=display.line, label=label, relation=relation, lhs=lhs, rhs=rhs, verdict=verdict,
            method=method, message=message, justification=justification, counterexample=counterexample,
            suggestion=suggestion, seconds=seconds,
        ))

"""The chain walk owns its state: its helpers take what they read and return what changed.

Unit level: :func:`deriv.check.members.unparsable`, :func:`deriv.check.several.continuation_problem`
and :func:`deriv.check.facts.assume` return a step, a verdict on continuing, a new context,
never touching a checker.  End to end: directives that move the walk's state (``expect-fail``,
``continue``, an unparsable display, a statement, a bad assumption) keep their exact verdicts.
"""

from __future__ import annotations

import deriv
from deriv.check.chain_state import ChainState, Member
from deriv.check.facts import assume
from deriv.check.members import unparsable
from deriv.check.options import CheckOptions
from deriv.check.progress import Progress
from deriv.check.several import continuation_problem
from deriv.errors import DerivError
from deriv.meaning.declarations import build_context
from deriv.read.directives import Directive
from deriv.read.document import Display, parse_document
from deriv.results import Verdict

HEADER = "---\nsymbols:\n  a: scalar\n  b: scalar\n  c: scalar\n  A: matrix n x n\n---\n\n"


def display(text: str, directive: Directive | None = None, label: str | None = None) -> Display:
    return Display(text, 7, 7, label, directive, "$$")


def verdicts(body: str) -> list[str]:
    result = deriv.check_text(HEADER + body, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return [step.verdict.value for step in result.steps]


def test_an_unparsable_display_returns_its_step_and_whether_a_chain_starts() -> None:
    last = Member(expr=None, source="a + b")  # type: ignore[arg-type]
    step, new_chain = unparsable(display("= a +"), DerivError("unexpected end of display"), last)
    # the echo is the chain's last member, the display's relation, then its text as written
    assert (step.lhs, step.relation, step.rhs, step.verdict, new_chain) == ("a + b", "=", "a +", Verdict.ERROR, False)
    step, new_chain = unparsable(display("a +"), DerivError("unexpected end of display"), last)
    assert (step.lhs, new_chain) == ("", True)
    skipped, new_chain = unparsable(display("a +", Directive("skip", "later", 6)), DerivError("x"), last)
    assert (skipped.verdict, skipped.message, new_chain) == (Verdict.SKIPPED, "later", False)
    expected, _ = unparsable(display("a +", Directive("expect-fail", "", 6)), DerivError("x"), None)
    assert expected.expect_fail and expected.lhs == ""


def test_a_continuation_problem_is_told_from_what_the_walk_passes() -> None:
    pieces = (display("a = b", label="3a"), display("b = a", label="3b"))
    assert continuation_problem(None, 4, None) is None
    assert continuation_problem((2, pieces), 4, None) is None  # not the display just before
    assert continuation_problem((3, pieces), 4, Directive("continue", "3a", 8)) is None
    problem = continuation_problem((3, pieces), 4, None)
    assert problem is not None and "holds 2 results (3a, 3b)" in problem


def test_an_assumption_returns_the_new_context_or_the_error_and_a_context_that_decides_nothing() -> None:
    document = parse_document(HEADER + "$$ a = a $$\n", "doc.md")
    context = build_context(document.declarations(), "doc.md")
    options = CheckOptions(isolate=False)
    read, failed = assume(context, display("a = a"), Directive("assume", "a > 0", 6), options, Progress())
    assert failed is None and len(read.assumptions) == len(context.assumptions) + 1 and not read.unread
    unread, failed = assume(context, display("a = a"), Directive("assume", "Q > ", 6), options, Progress())
    assert failed is not None and failed.verdict is Verdict.ERROR and failed.display.line == 6
    assert failed.message.startswith("assumption: ") and unread.unread == ("Q >  (line 6)",)
    assert context.unread == ()  # the context passed in is left as it was


def test_the_state_a_helper_reads_is_a_copy_the_walk_owns() -> None:
    state = ChainState(ranges={"i": (None, "x")})  # type: ignore[dict-item]
    copied = state.copy()
    copied.ranges["j"] = (None, "y")  # type: ignore[assignment]
    assert "j" not in state.ranges


def test_expect_fail_then_a_continuation_goes_on_from_before_the_wrong_member() -> None:
    body = "$$ a + b = b + a $$\n\n<!-- deriv: expect-fail -->\n$$ = 2 a $$\n\n$$ = a + b $$\n"
    assert verdicts(body) == ["proved", "expected-fail", "proved"]


def test_continue_a_label_and_a_missing_label() -> None:
    body = ("$$ a (b + 1) = a b + a \\tag{1} $$\n\n$$ c = 1 $$\n\n<!-- deriv: continue 1 -->\n$$ = a + a b $$\n\n"
            "<!-- deriv: continue 9 -->\n$$ = a $$\n")
    assert verdicts(body)[0] == "proved" and verdicts(body)[2:] == ["proved", "error"]


def test_an_unparsable_continuation_keeps_the_chain_and_a_statement_ends_it() -> None:
    body = "$$ a + b = b + a $$\n\n$$ = a + $$\n\n$$ = a + b $$\n\n$$ A^T A \\succeq 0 $$\n\n$$ = a $$\n"
    assert verdicts(body) == ["proved", "error", "proved", "proved", "error"]


def test_after_an_unreadable_assumption_nothing_is_decided() -> None:
    body = "<!-- deriv: assume Q > 0 -->\n$$ a + b = b + a $$\n"
    assert verdicts(body) == ["error", "undecided"]

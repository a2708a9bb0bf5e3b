r"""A justification that limits where a step is claimed makes a refutation without it ``undecided``
(docs/format.md, "Errors, never dropped"), whether it states the condition with a relation the
tester knows (``\geq``), with another relation (``\in [0, 1]``, ``\gg``, ``\to``) or in words
(``for positive a``): the counterexample may be one it excludes (``a = -1``), a false refutation.
A reason (``by (2)``), a quantifier over every value (``for all a``) or a condition on a name the
step does not reach excludes nothing: the refutation stands.
"""

from __future__ import annotations

import pytest

import deriv
from deriv.results import Verdict

FRONT = "---\nsymbols:\n  a: scalar\n  b: scalar\n---\n"
STEP = r"\sqrt{a^2} = a"


def verdicts(math: str) -> list[Verdict]:
    return [s.verdict for s in deriv.check_text(FRONT + f"$$ {math} $$\n").steps]


# Each undecided one was refuted at a = -1 with the message "the two sides differ", no word of the condition.
CONDITIONS = {
    Verdict.UNDECIDED: [r"\text{for } a \in [0, 1]", r"\text{for } a \in (0, \infty)", r"\text{for } a \gg 1",
                        r"\text{for } a \nless 0", r"\text{as } a \to \infty", r"\text{for positive } a",
                        r"\text{for nonnegative } a", r"\text{when } a \text{ is nonnegative}",
                        r"\text{for } a \text{ non-negative}", r"\text{(} a \text{ positive)}", r"\text{for large } a",
                        r"\text{assuming positivity}"],
    Verdict.REFUTED: [r"\text{for all } a", r"\text{for every real } a", r"\text{by (2)}", r"\text{using the chain rule}"],
}


@pytest.mark.parametrize(("condition", "expected"), [(c, v) for v, cs in CONDITIONS.items() for c in cs])
def test_a_condition_leaves_a_refutation_undecided_and_a_reason_does_not(condition: str, expected: Verdict) -> None:
    assert verdicts(f"{STEP} \\quad {condition}") == [expected]


def test_a_condition_on_a_name_the_step_does_not_reach_excludes_nothing() -> None:
    assert verdicts(r"a + a = 3a \quad \text{since } b \text{ is positive}") == [Verdict.REFUTED]


@pytest.mark.parametrize(("math", "expected"), [
    (r"a^2 = a \quad \text{since } a \geq 0", Verdict.REFUTED),  # refuted under it too, at a = 2
    (r"\sqrt{a^2} = a \quad \text{if } a = b", Verdict.REFUTED),  # a = b = -1 satisfies it
    (r"\sqrt{a^2} = a \quad \text{for } a \geq 0", Verdict.UNDECIDED),  # never proved under its own words
    (r"a = 2 \quad \text{for } a > 5, a < 3", Verdict.UNDECIDED),  # contradictory: nothing to refute under
    (r"a^2 < a \quad \text{for } 0 < a < 1", Verdict.UNDECIDED),
])
def test_a_condition_read_as_an_assumption_is_decided_again_under_it(math: str, expected: Verdict) -> None:
    assert verdicts(math) == [expected]


def test_a_condition_on_a_name_a_recurrence_keeps_from_before_it_cancelled_is_reached() -> None:
    # x_t = a x_{t-1} / a is built as x_{t-1} but undefined at a = 0: the step was refuted at a = 0,
    # which its own condition excludes (a was not seen as reached: recurrences were not followed).
    head = ("---\nsymbols:\n  x: scalar, for t in 0..T\n  a: scalar\nindices:\n  t: T\n"
            "definitions:\n  - x_t = \\frac{a x_{t-1}}{a}\n---\n")
    (step,) = deriv.check_text(head + "$$ x_t = x_{t-1} \\quad \\text{for } a \\neq 0 $$\n").steps
    assert step.verdict is Verdict.UNDECIDED and "a \\neq 0" in step.message
    (plain,) = deriv.check_text(head + "$$ x_t = x_{t-1} $$\n").steps
    assert plain.verdict is Verdict.REFUTED and "a = 0" in plain.message

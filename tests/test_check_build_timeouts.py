"""A member, an assumption or a definition whose build runs out of its step budget is a
``timeout`` (the checker could not say), never an ``error`` of the text: the reward is
``None`` for it, not 0.0 (docs/library.md, ``reward``)."""

from __future__ import annotations

import deriv
from deriv.check.options import CheckOptions
from deriv.results import Verdict

HEAD = "---\nsymbols:\n  x: scalar\n---\n\n"
#: Building this sum takes far longer than the 0.3 s budgets below.
SLOW = " + ".join(["x"] * 4000)


def _steps(text: str) -> list[tuple[int, str]]:
    result = deriv.check_text(text, "t.md", CheckOptions(timeout=0.3))
    assert result.error is None, result.error
    return [(s.line, s.verdict.value) for s in result.steps]


def test_a_first_member_that_runs_out_of_time_is_a_timeout() -> None:
    assert _steps(HEAD + "$$ " + SLOW + " = x $$\n\n$$ x = x $$\n") == [(6, "timeout"), (8, "proved")]


def test_a_later_member_that_runs_out_of_time_is_a_timeout() -> None:
    assert _steps(HEAD + "$$ x = " + SLOW + " $$\n") == [(6, "timeout")]


def test_a_malformed_side_beside_a_slow_one_is_still_an_error() -> None:
    assert _steps(HEAD + "$$ " + SLOW + " = \\frac{x}{ $$\n")[0][1] == "error"


def test_a_definition_that_runs_out_of_time_is_a_timeout_on_its_line() -> None:
    text = "---\nsymbols:\n  x: scalar\ndefinitions:\n  - s = " + SLOW + "\n---\n\n$$ s = x $$\n"
    assert _steps(text) == [(5, "timeout")]


def test_the_reward_of_a_member_that_ran_out_of_time_is_none() -> None:
    assert deriv.reward("$$ " + SLOW + " = x $$", symbols={"x": "scalar"}, timeout=0.3) is None
    assert deriv.reward("$$ x = " + SLOW + " $$", symbols={"x": "scalar"}, timeout=0.3) is None


def test_a_timeout_verdict_is_not_wrong() -> None:
    assert Verdict.TIMEOUT not in deriv.results.WRONG

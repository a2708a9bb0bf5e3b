r"""Engine: a claim false at one size only is refuted there (``engine/size_meetings.py``).

Found by the claims harness past its default cases: ``3 \neq \sqrt{N}`` was ``tested`` (false at
N = 9), as were ``N \neq 9`` and ``N^2 \neq 81``; sampled sizes never hit the one that fails.
The reference here is arithmetic on whole numbers: the claim fails exactly where it is written to.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

import deriv
from deriv.check.options import CheckOptions
from helpers import displays, verdict_values

HEAD = "---\nsymbols:\n  x: vector N\n  A: matrix M x N\n---\n"


def verdicts(*maths: str) -> list[str]:
    result = deriv.check_text(HEAD + displays(*maths), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return verdict_values(result.steps)


@pytest.mark.parametrize(("display", "expected"), [
    (r"3 \neq \sqrt{N}", "refuted"), (r"N \neq 9", "refuted"), (r"N^2 \neq 81", "refuted"),
    (r"\sqrt{N} \neq 4", "refuted"), (r"M \neq 40", "refuted"), (r"N - M \neq 7", "refuted"),
    (r"\sqrt{N} < 3", "refuted"), (r"N < 30", "refuted"), (r"N \leq 29", "refuted"),
    (r"2 N \neq 9", "tested"), (r"N^2 \neq 2", "tested"), (r"N > 0", "held"), (r"N \geq 1", "held"),
])
def test_a_claim_false_at_one_size_is_refuted_there(display: str, expected: str) -> None:
    [found] = verdicts(display)
    assert found in (("proved", "tested") if expected == "held" else (expected,)), (display, found)


@settings(max_examples=10, deadline=None)
@given(k=st.integers(11, 400))
def test_claims_about_one_size_fail_exactly_where_written(k: int) -> None:
    false, true = verdicts(rf"N \neq {k}", rf"2 N \neq {2 * k + 1}")
    assert (false, true) == ("refuted", "tested"), k

"""Engine, claims: a meeting point that falls right on the sign-change grid (:mod:`deriv.engine.meeting`).

``|t + 1/2| \\neq 2`` under ``t > 0`` was *tested*: its only admissible zero, ``t = 3/2``,
is a grid point, where the difference is exactly 0 -- no sign change between two
neighbours, so the scan passed it by (the other zero, ``-5/2``, is excluded by the
assumption).  A grid point where the difference is exactly 0 is now a point to try.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.engine.meeting import GRID


def verdict(claim: str, assumption: str = "t > 0") -> str:
    [step] = deriv.check_text(f"---\nsymbols:\n  t: scalar\nassumptions:\n  - {assumption}\n---\n$$ {claim} $$\n").steps
    return step.verdict.value


def latex(q: Fraction) -> str:
    return f"{q.numerator}" if q.denominator == 1 else f"\\frac{{{q.numerator}}}{{{q.denominator}}}"


@pytest.mark.parametrize("claim", [r"|t + 1/2| \neq 2", r"|2t + 1| \neq 4", r"e^{t - 3/2} \neq 1",
                                   r"|t - 1/4| \neq 1/4"])
def test_a_zero_on_the_grid_refutes(claim: str) -> None:
    assert verdict(claim) == "refuted"


_ROOTS = sorted(Fraction(int(x.p), int(x.q)) for x in GRID if x > 0)


@settings(max_examples=25, deadline=None)
@given(root=st.sampled_from(_ROOTS), shift=st.sampled_from([Fraction(n, d) for n in range(-3, 4) for d in (1, 2, 4)]))
def test_the_one_admissible_meeting_point_of_an_absolute_value_is_found(root: Fraction, shift: Fraction) -> None:
    """``|t + a| \\neq c`` with ``c = root + a > 0`` fails at ``t = root > 0``, wherever the grid puts it."""
    c = root + shift
    if c <= 0:
        return
    inner = f"t + {latex(shift)}" if shift >= 0 else f"t - {latex(-shift)}"
    assert verdict(f"|{inner}| \\neq {latex(c)}") == "refuted"

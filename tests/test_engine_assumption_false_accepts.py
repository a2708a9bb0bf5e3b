r"""False accepts through assumptions that no random draw reaches the boundary of (docs/deciding.md).

Each case asserts the exact verdict; the comment says what it was.
"""

from __future__ import annotations

import pytest
from helpers import assumed_verdicts as verdicts

from deriv.results import Verdict

EIGEN = {"H": "symmetric matrix N x N", "x": "vector N", "l": "scalar"}


@pytest.mark.parametrize(("assumptions", "claim", "verdict"), [
    # H \succ 0 keeps l > 0 although no assumption writes it: l - 1 is never allowed, and the draws
    # never reach below 1/12 -- tested; now also tried halfway to 0 from where the sides meet.
    ([r"H x = l x", r"H \succ 0", r"x \neq 0"], r"l \geq 1/1000", Verdict.REFUTED),
    ([r"H x = l x", r"H \succ 0", r"x \neq 0"], r"l > 0", Verdict.TESTED),
    ([r"H x = l x", r"H \succeq 0"], r"l \geq 0", Verdict.REFUTED),  # x = 0: any l
])
def test_an_eigenvalue_bound_is_tried_below_where_the_sides_meet(assumptions, claim, verdict) -> None:
    assert verdicts(EIGEN, assumptions, claim) == [verdict]


def test_a_statement_follows_its_assumption_to_the_names_it_relates() -> None:
    # S \succ 0 under S \succeq A^T A: its structured instances set S alone to 0 (then redrawn), never A.
    symbols = {"A": "matrix N x N", "S": "symmetric matrix N x N"}
    assert verdicts(symbols, [r"S \succeq A^T A"], r"S \succ 0") == [Verdict.REFUTED]


@pytest.mark.parametrize("claim", [
    # H \succ 0 is drawn with its smallest eigenvalue at 1/1000 at least, and the sides met at
    # H_{1,1} = 10^{-6} with nothing tried below (tested); now also halfway to 0
    r"x^T H x \geq \frac{1}{2000} x^T x",
    r"x^T H x \geq 10^{-6} x^T x",
    r"H_{1,1} \geq 10^{-6}",
    r"\operatorname{tr}(H) \geq 10^{-6}",
])
def test_a_small_positive_lower_bound_under_definiteness_is_refuted(claim: str) -> None:
    assert verdicts(EIGEN, [r"H \succ 0"], claim) == [Verdict.REFUTED]


def test_a_statement_about_a_matrix_an_equation_defines_fails_where_the_others_vanish() -> None:
    # S = A^T A + c^2 I_N: S \succ 0 fails only at A singular and c = 0; the statement's structured
    # instances set only S's own names (S), which the equation then redrew -- tested
    symbols = {"A": "matrix N x N", "S": "symmetric matrix N x N", "c": "scalar"}
    assert verdicts(symbols, [r"S = A^T A + c^2 I_N"], r"S \succ 0", r"S \succeq 0") == [Verdict.REFUTED, Verdict.TESTED]

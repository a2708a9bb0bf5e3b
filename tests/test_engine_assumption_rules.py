"""Proofs under assumptions are sound: every rewrite an assumption makes is an identity under it.

Adversarial documents for each way the rules once broke (docs/deciding.md), with
exact verdicts; the property test over random assumptions is in
tests/test_engine_assumption_rules_property.py.
"""

from __future__ import annotations

import pytest

import deriv

SYMBOLS = """---
symbols:
  W: matrix N x N
  A: matrix N x N
  H: matrix N x N
  x: vector N
  y: vector N
  z: vector N
  w: vector N
  c: vector N
  a: scalar
  b: scalar
  eta: scalar
  lambda: scalar
  mu: scalar
  rho: positive scalar
assumptions:
"""


def verdicts(assumptions: list[str], *displays: str, local: str = "") -> list[tuple[str, str]]:
    head = SYMBOLS + "".join(f"  - {a}\n" for a in assumptions) + "---\n\n"
    if local:
        head += f"<!-- deriv: assume {local} -->\n"
    result = deriv.check_text(head + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n")
    assert result.error is None, result.error
    return [(s.verdict.value, s.message) for s in result.steps]


def only(found: list[tuple[str, str]]) -> list[str]:
    return [v for v, _ in found]


# -- a scalar equation is a substitution, never an empty pattern ------------------------
def test_a_scalar_equation_does_not_prove_unrelated_steps():
    found = verdicts([r"\eta = 1"], r"\frac{\partial W_{i,j}}{\partial W_{m,n}} = \delta_{i,m}", "a = b", r"\eta = 2")
    assert only(found) == ["refuted", "refuted", "refuted"]
    assert not any("please report" in m for _, m in found)


def test_a_scalar_equation_is_used_by_substitution():
    found = verdicts([r"\eta = 1"], r"\eta^2 = 1", r"2 \eta x_i = x_i + \eta x_i", r"\frac{\partial (\eta^2)}{\partial \eta} = 2")
    assert only(found) == ["proved"] * 3
    assert all(m == r"using the assumption \eta = 1" for _, m in found)


def test_an_equation_between_two_scalars():
    found = verdicts(["a = b"], "a^2 = b^2", "a - b = 0", "a = 0", "a + 1 = b + 2")
    assert only(found) == ["proved", "proved", "refuted", "refuted"]


def test_a_local_scalar_assumption():
    found = verdicts([r"\mu > 0"], "a = b", "a x_i = b x_i", "a = 2 b", local="a = b")
    assert only(found) == ["proved", "proved", "refuted"]


def test_scalar_equations_solved_together_name_every_assumption_used():
    found = verdicts(["a = b", "b = 1"], "a = 1", "a x_i = x_i", "a = 2")
    assert only(found) == ["proved", "proved", "refuted"]
    assert found[0][1] == "using the assumption a = b; b = 1"


def test_a_scalar_equation_that_can_not_be_solved_linearly_proves_nothing():
    assert only(verdicts(["a b = 1"], r"a = \frac{1}{b}", "a = b")) == ["tested", "refuted"]
    # a^2 = 1 has no linear solution and no instance can be drawn: never proved
    assert only(verdicts(["a^2 = 1"], "a = 1", "a^2 + 1 = 2")) == ["undecided", "undecided"]


@pytest.mark.parametrize("assumptions", [["a = 1", "a = 2"], [r"\rho = a", "a = -1"], [r"\rho = -1"]])
def test_contradictory_assumptions_prove_and_refute_nothing(assumptions):
    found = verdicts(assumptions, "a = 1", "a = 3", r"\rho = 2")
    assert only(found) == ["undecided"] * 3


# -- never divide by a coefficient that may vanish ---------------------------------------
def test_a_symbolic_coefficient_is_not_divided_out():
    found = verdicts([r"\lambda x = \mu x"], r"\|x\|_2^2 = 0", "x_i = 0", r"\lambda = \mu", r"\lambda x_i = \mu x_i")
    assert only(found) == ["refuted", "refuted", "refuted", "tested"]
    assert not any("please report" in m for _, m in found)


def test_a_common_factor_is_not_cancelled():
    found = verdicts([r"(a - b) x = (a - b) y"], "x^T x = y^T x", "x_i = y_i", "(a - b) x^T x = (a - b) y^T x", "a = b")
    assert only(found) == ["refuted", "refuted", "proved", "refuted"]


def test_a_term_is_rewritten_only_when_its_coefficient_is_a_multiple():
    found = verdicts(["a^2 x = a y"], "a x_i = y_i", "a^2 x_i = a y_i", "a^3 x_i = a^2 y_i")
    assert only(found) == ["refuted", "proved", "proved"]


def test_a_coefficient_with_a_denominator():
    # 1/a in the assumption itself says a \neq 0: x = a y follows
    assert only(verdicts([r"\frac{1}{a} x = y"], "x_i = a y_i", "x_i = y_i")) == ["proved", "refuted"]


# -- capture-free rules -----------------------------------------------------------------
def test_a_free_index_never_binds_to_the_index_the_rules_sum_takes():
    found = verdicts(["A x = c"], r"(\sum_j A_{j,j} x_j)^2 = \sum_j c_j A_{j,j} x_j",
                     r"\sum_i \sum_j A_{i,j} x_j = \sum_i c_i", r"\sum_i y_i \sum_j A_{i,j} x_j = y^T c")
    assert only(found) == ["refuted", "proved", "proved"]
    assert "please report" not in found[0][1]


def test_a_replacement_with_its_own_sum_captures_nothing():
    found = verdicts([r"x \odot y \odot z = A w"], r"\sum_i x_i y_i z_i = \sum_i \sum_j A_{i,j} w_j",
                     r"\sum_i x_i y_i z_i = \sum_i A_{i,i} w_i")
    assert only(found) == ["proved", "refuted"]


def test_a_summed_index_inside_a_function_is_matched_for_what_it_is():
    found = verdicts([r"\sum_k |x_k| y_k = 1"], r"(\sum_k |x_k|) (\sum_k y_k) = N",
                     r"\sum_k |x_k| y_k + 2 = 3", r"\sum_j y_j \sum_k |x_k| y_k = \sum_j y_j")
    assert only(found) == ["refuted", "proved", "proved"]
    assert "please report" not in found[0][1]


def test_a_factor_with_another_exponent_stays_in_the_term():
    found = verdicts([r"H x = \lambda x"], r"\frac{\sum_j H_{i,j} x_j}{x_i} = \lambda x_i",
                     r"\frac{\sum_j H_{i,j} x_j}{x_i} = \lambda")
    # The second holds only where x_i != 0: at the degenerate instance x = 0 its left side is
    # undefined and the right is not, so it is refuted (the normal form cancels x_i / x_i without
    # knowing x_i != 0, and the thorough test after a proof catches that: "please report").
    assert only(found) == ["refuted", "refuted"]
    assert "please report" not in found[0][1]
    assert "undefined" in found[1][1]


# -- instances cover the degenerate solutions ---------------------------------------------
def test_instances_include_the_zero_solution_of_a_homogeneous_equation():
    found = verdicts([r"H x = \lambda x"], r"\lambda = \frac{x^T H x}{x^T x}", r"x^T H x = \lambda x^T x")
    assert only(found) == ["refuted", "proved"]
    assert "undefined" in found[0][1]
    assert only(verdicts([r"H x = \lambda x", r"x \neq 0"], r"\lambda = \frac{x^T H x}{x^T x}")) == ["tested"]


def test_an_eigenvector_may_be_zero_unless_assumed_otherwise():
    assert only(verdicts([r"H x = \lambda x", r"H \succ 0"], r"\lambda > 0")) == ["refuted"]
    assert only(verdicts([r"H x = \lambda x", r"H \succ 0", r"x \neq 0"], r"\lambda > 0")) in (["tested"], ["proved"])


def _instance_values(assumptions: list[str], trial: int) -> dict:
    from sympy import Symbol

    from deriv.engine.decide import Session
    from deriv.meaning.declarations import build_context
    from deriv.read.document import parse_document
    from contextlib import nullcontext

    text = SYMBOLS + "".join(f"  - {a}\n" for a in assumptions) + "---\n"
    context = build_context(parse_document(text, "t.md").front, "t.md", nullcontext)
    session = Session(context)
    instance = session.instance(trial, {Symbol("N", integer=True, positive=True): 3}, 0)
    return instance.arrays


@pytest.mark.parametrize("trial, expected", [(1, "scalars"), (2, "zero"), (5, "zero")])
def test_the_first_attempt_of_some_trials_draws_a_degenerate_solution(trial, expected):
    from deriv.engine.assumptions import mode_of

    class Drawn:
        attempt = 0

    Drawn.trial = trial
    assert mode_of(Drawn()) == expected
    Drawn.attempt = 1
    assert mode_of(Drawn()) == "plain"


def test_the_boundary_instances_of_claims_keep_their_own_zeros():
    from deriv.engine.assumptions import mode_of
    from deriv.engine.meeting_points import STRUCTURE_TRIAL
    from deriv.engine.structured import BOUNDARY_TRIAL

    for special in (BOUNDARY_TRIAL, STRUCTURE_TRIAL):
        class Boundary:
            trial, attempt = special, 0

        assert mode_of(Boundary()) == "plain"


def test_degenerate_solutions_of_a_linear_system():
    zero = {2: [], 5: []}
    for trial in zero:
        arrays = _instance_values(["A x = c"], trial)
        zero[trial] = sorted(n for n in ("A", "c", "x") if all(v == 0 for v in arrays[n].values()))
    # no single zero array satisfies A x = c: one in turn is zero and the rest solved
    # (A = 0 forces c = 0; c = 0 makes A singular with x in its kernel)
    assert zero == {2: ["A", "c"], 5: ["c"]}
    eigen = _instance_values([r"H x = \lambda x"], 2)
    assert all(v == 0 for v in eigen["x"].values())
    assert _instance_values([r"\lambda x = \mu x"], 1)["lambda"] == _instance_values([r"\lambda x = \mu x"], 1)["mu"]

"""Engine, tester: which sizes and index values the tester tries (docs/deciding.md).

A proved step is re-tested as thoroughly as an unproved one, so a wrong proof
is refuted ("please report"); sizes include 1 and both orders of two sizes;
a step whose value is not a polynomial in the sizes is tried at sizes drawn
wide; and a step whose degree in the sizes has no bound (softmax, attention,
log-sum-exp, a Frobenius gradient) is refuted by one counterexample, or tested
with the sizes named -- never left undecided for want of a degree bound.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.engine import decide
from deriv.engine.plan import PROVED_SPREAD, SPREAD_POINTS, plan, proved_plan, sizes_to_try, spread
from deriv.engine.sizes import Bound
from deriv.ir import size


def check(head: str, *displays: str):
    text = head + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return deriv.check_text(text, options=CheckOptions(isolate=False)).steps


def one(head: str, display: str):
    (step,) = check(head, display)
    return step


def verdict(head: str, display: str) -> str:
    step = one(head, display)
    return step.verdict.value


# -- item 2: the test after a proof -------------------------------------------------
VECTORS = """---
symbols:
  x: vector N
  y: vector N
  A: matrix N x N
  B: matrix M x N
  a: scalar
indices:
  i: N
  j: N
  k: N
---

"""

#: Steps that are false, but only somewhere the old post-proof test (three
#: evenly spaced index values at two assignments) never looked.
WRONG_WHERE_A_PROOF_WAS_TRUSTED = [
    # equal on the diagonal i = j = k only
    r"\delta_{i,j} x_k = \delta_{j,k} x_i",
    r"\delta_{i,j} \delta_{j,k} = \delta_{i,k}",
    r"A_{i,j} x_k = A_{i,k} x_j",
    # equal where i = j only
    r"A_{i,j} = A_{j,i}",
    # false at size 1 only
    r"\sqrt{(N - 2)^2} = N - 2",
    # false in one order of the sizes only
    r"\sqrt{(M - N)^2} = M - N",
    r"\sqrt{(N - M)^2} = N - M",
]


@pytest.mark.parametrize("display", WRONG_WHERE_A_PROOF_WAS_TRUSTED)
def test_a_wrong_proof_is_refuted_with_please_report(monkeypatch, display):
    monkeypatch.setattr(decide, "symbolic_difference", lambda *args, **kwargs: {})
    step = one(VECTORS, display)
    assert step.verdict.value == "refuted", step.message
    assert "please report" in step.message


#: The issue's case: three free indices of one range that is 3 at the first
#: assignment -- three evenly spaced index values are the diagonal only.
THREE_AT_THREE = """---
symbols:
  w: vector M
  x: vector N
indices:
  i: N
  j: N
  k: N
---

"""


@pytest.mark.parametrize("display", [r"\delta_{i,k} x_j = \delta_{i,j} x_k", r"\delta_{i,k} x_j = \delta_{i,k} x_i",
                                     r"\delta_{j,k} x_i x_j = \delta_{j,k} x_i x_k + \delta_{i,j} - \delta_{i,k}"])
def test_a_wrong_proof_that_agrees_on_the_diagonal_is_refuted(monkeypatch, display):
    monkeypatch.setattr(decide, "symbolic_difference", lambda *args, **kwargs: {})
    step = one(THREE_AT_THREE, display)
    assert step.verdict.value == "refuted", step.message
    assert "please report" in step.message


@pytest.mark.parametrize("display", [r"\delta_{i,j} x_k = \delta_{j,i} x_k", r"\sqrt{(N - 1)^2} = N - 1",
                                     r"\sum_i \sum_j A_{i,j} = \sum_j \sum_i A_{i,j}", r"\sqrt{a^2} = |a|"])
def test_a_true_step_with_a_trusted_proof_stays_proved(monkeypatch, display):
    monkeypatch.setattr(decide, "symbolic_difference", lambda *args, **kwargs: {})
    step = one(VECTORS, display)
    assert step.verdict.value == "proved", step.message


def test_a_wrong_proof_of_a_scalar_step_meets_a_negative_scalar(monkeypatch):
    # No sizes at all: the post-proof trials still run through sign patterns.
    monkeypatch.setattr(decide, "symbolic_difference", lambda *args, **kwargs: {})
    step = one(VECTORS, r"\sqrt{a^2} = a")
    assert step.verdict.value == "refuted" and "please report" in step.message


def test_the_proved_plan_tries_every_index_value_at_small_sizes_then_other_orders_and_size_one():
    S, M, N = size("S"), size("M"), size("N")
    first, other, ones = proved_plan((S, M, N), frozenset({M, N})).trials
    assert first.limit is None and first.sizes[M] == 2 and first.sizes[N] == 3
    assert other.limit == PROVED_SPREAD and other.sizes[M] > other.sizes[N]
    assert all(other.sizes[s] != first.sizes[s] for s in (M, N))
    assert set(ones.sizes.values()) == {1}


def test_spread_points_are_not_only_the_diagonal():
    cube = list(itertools.product(range(3), repeat=3))
    chosen = spread(cube, PROVED_SPREAD)
    assert len(chosen) == PROVED_SPREAD and len(set(chosen)) == PROVED_SPREAD
    assert any(len(set(p)) > 1 for p in chosen)
    assert cube[0] in chosen and cube[-1] in chosen
    assert spread(cube, 100) == cube


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 400), st.integers(2, 12))
def test_spread_is_a_fixed_subset_of_the_requested_size(count, limit):
    points = list(range(count))
    chosen = spread(points, limit)
    assert chosen == spread(points, limit)
    assert chosen == sorted(set(chosen)) and set(chosen) <= set(points)
    assert len(chosen) == min(count, limit)


# -- item 8: size 1, and both orders of two sizes --------------------------------------
def test_plans_keep_the_grid_and_add_size_one_and_the_other_order():
    R, C = size("R"), size("C")
    for per_size, total in (({}, 0), ({R: 1, C: 1}, 2), ({R: 2}, 2)):
        schedule = plan((R, C), Bound(per_size, total))
        grid = [t.sizes for t in schedule.trials[: schedule.grid]]
        assert all(a[R] != a[C] for a in grid)  # the grid's guarantee stands
        tried = [t.sizes for t in schedule.trials]
        assert {R: 1, C: 1} in tried
        assert any(a[R] > a[C] for a in tried) and any(a[R] < a[C] for a in tried)
    schedule = plan((R, C), Bound({R: 1, C: 1}, 2))
    tried = [t.sizes for t in schedule.trials]
    assert any(a[R] == 1 and a[C] > 1 for a in tried) and any(a[C] == 1 and a[R] > 1 for a in tried)


def test_sizes_to_try_for_a_caller_without_degrees_include_size_one_and_the_other_order():
    R, C = size("R"), size("C")
    tried = sizes_to_try((R, C))
    assert tried[0] == {R: 2, C: 3} and len(tried) == len({tuple(a.items()) for a in tried})
    assert {R: 1, C: 1} in tried and {R: 1, C: 3} in tried and {R: 2, C: 1} in tried
    assert any(a[R] > a[C] for a in tried)


SIZES = """---
symbols:
  x: vector N
  y: vector M
  X: matrix R x C
indices:
  k: N
---

"""


@pytest.mark.parametrize(
    "display",
    [r"N > 1", r"N \geq 2", r"\sqrt{N} > 1", r"\frac{1}{N} < 1", r"M N > M + N - 1", r"N - 1 \neq 0",
     r"x_i^2 < \sum_k x_k^2"],
)
def test_claims_false_at_size_one_are_refuted(display):
    step = one(SIZES, display)
    assert step.verdict.value == "refuted", step.message


@pytest.mark.parametrize(
    "display",
    [r"\sqrt{(N-2)^2} = N - 2", r"|N - 2| = N - 2", r"\sqrt{(M-2)^2} (N - 1) = (M - 2)(N - 1)",
     r"\sqrt{(R - C)^2} = R - C", r"\sqrt{(C - R)^2} = C - R", r"|R - C| + |R - C| = 2 (R - C)"],
)
def test_equalities_false_at_size_one_or_in_one_order_are_refuted(display):
    step = one(SIZES, display)
    assert step.verdict.value == "refuted", step.message


@pytest.mark.parametrize(
    "display",
    [r"N \geq 1", r"\sqrt{N} \geq 1", r"\frac{1}{N} \leq 1", r"M N \geq M + N - 1", r"x_i^2 \leq \sum_k x_k^2"],
)
def test_claims_true_at_every_size_are_not_refuted(display):
    step = one(SIZES, display)
    assert step.verdict.value in ("proved", "tested"), step.message


@pytest.mark.parametrize(
    "display",
    [r"\sqrt{(N-1)^2} = N - 1", r"|N - 1| = N - 1", r"\sqrt{N^2} = N", r"\sqrt{(R - C)^2} = |C - R|",
     r"|R - C| (R + C) = |R^2 - C^2|"],
)
def test_equalities_true_at_every_size_are_not_refuted(display):
    step = one(SIZES, display)
    assert step.verdict.value in ("proved", "tested"), step.message


@pytest.mark.parametrize("declared", ["R x C", "C x R"])
@pytest.mark.parametrize("display", [r"X^T X \succ 0", r"X X^T \succ 0"])
def test_a_gram_matrix_of_a_wide_matrix_is_refuted_in_either_declaration_order(declared, display):
    head = SIZES.replace("X: matrix R x C", f"X: matrix {declared}")
    step = one(head, display)
    assert step.verdict.value == "refuted", step.message


# -- item 12: dependence on the sizes that is not polynomial ---------------------------
ONE_SIZE = """---
symbols:
  x: vector N
indices:
  i: N
  j: N
---

"""


@pytest.mark.parametrize(
    "display",
    [r"\sqrt{(N-2)(N-3)(N-4)} = 0",
     r"|(N-1)(N-2)(N-3)(N-4)| = 0",  # zero at 1 to 4: only a wide size shows it
     r"\sqrt{((N-1)(N-2)(N-3)(N-4))^2} = 0",
     r"\exp(|(N-2)(N-3)(N-4)|) = 1",
     r"|(N-2)(N-3)(N-4)| \leq 0",
     r"\exp(\sum_i 1) = \exp(2 N - 2)",
     r"\sqrt{\sum_i 1} = \sum_i 1"],
)
def test_non_polynomial_dependence_on_the_size_is_refuted(display):
    step = one(ONE_SIZE, display)
    assert step.verdict.value == "refuted", step.message


@pytest.mark.parametrize(
    "display",
    [r"\exp(\sum_i 1) = \exp(N)", r"\sqrt{\sum_i \sum_j 1} = N", r"|(N-1)(N-2)| = (N-1)(N-2)",
     r"\log(\exp(N)) = N", r"|(N-2)(N-3)| \geq 0"],
)
def test_true_non_polynomial_steps_are_not_refuted(display):
    step = one(ONE_SIZE, display)
    assert step.verdict.value in ("proved", "tested"), step.message


def test_a_tested_step_that_is_not_polynomial_in_the_sizes_says_which_sizes():
    step = one(ONE_SIZE, r"|(N-2)(N-3)| = \sqrt{((N-2)(N-3))^2}")
    if step.verdict.value == "tested":
        assert "other sizes are not covered" in step.message
        assert "not a polynomial in the sizes" in step.message
        assert "N=1" in step.message


# -- item 14: steps without a degree bound are refuted or tested ------------------------
ATTENTION = """---
symbols:
  z: vector n
  y: vector n
  Q: matrix n x d
  K: matrix m x d
  V: matrix m x e
definitions:
  - p_i = \\frac{\\exp(z_i)}{\\sum_k \\exp(z_k)}
  - s_{i,j} = \\frac{1}{\\sqrt{d}} \\sum_k Q_{i,k} K_{j,k}
  - t_{i,j} = \\sum_k Q_{i,k} K_{j,k}
  - P_{i,j} = \\frac{\\exp(s_{i,j})}{\\sum_l \\exp(s_{i,l})}
  - O_{i,a} = \\sum_j P_{i,j} V_{j,a}
---

"""

FROBENIUS = """---
symbols:
  A: matrix R x S
  X: matrix S x T
  B: matrix T x U
  C: matrix R x U
definitions:
  - E = A X B - C
---

"""

#: Mistakes from lecture notes on softmax, attention and least squares.
WRONG_WITHOUT_A_DEGREE_BOUND = [
    (ATTENTION, r"\frac{\partial p_i}{\partial z_j} = p_i (p_j - \delta_{i,j})"),  # sign error
    (ATTENTION, r"\frac{\partial p_i}{\partial z_j} = p_i \delta_{i,j} - p_j"),
    (ATTENTION, r"\frac{\partial p_i}{\partial z_j} = p_j (\delta_{i,j} - p_i) + p_i"),
    (ATTENTION, r"\frac{\partial}{\partial z_j} \log\left(\sum_k \exp(z_k)\right) = \exp(z_j)"),
    (ATTENTION, r"\frac{\partial}{\partial z_j} \log\left(\sum_k \exp(z_k)\right) = -p_j"),
    (ATTENTION, r"\frac{\partial}{\partial z_j} \left(-\sum_i y_i \log(p_i)\right) = p_j - y_j"),  # needs sum y = 1
    (ATTENTION, r"s_{i,j} = \sum_k Q_{i,k} K_{j,k}"),  # missing 1/sqrt(d)
    (ATTENTION, r"P_{i,j} = \frac{\exp(t_{i,j})}{\sum_l \exp(t_{i,l})}"),  # the same, inside softmax
    (ATTENTION, r"\frac{\partial O_{i,a}}{\partial V_{j,b}} = P_{i,j}"),  # the delta forgotten
    (ATTENTION, r"\sum_j P_{i,j} = n"),
    (FROBENIUS, r"\frac{\partial}{\partial X_{a,b}} \sum_{i,j} E_{i,j}^2 = \sum_{i,j} E_{i,j} A_{i,a} B_{b,j}"),  # missing 2
    (FROBENIUS, r"\frac{\partial}{\partial X_{a,b}} \sum_{i,j} E_{i,j}^2 = -2 \sum_{i,j} E_{i,j} A_{i,a} B_{b,j}"),
]

TRUE_WITHOUT_A_DEGREE_BOUND = [
    (ATTENTION, r"\frac{\partial p_i}{\partial z_j} = p_i (\delta_{i,j} - p_j)"),
    (ATTENTION, r"\frac{\partial}{\partial z_j} \log\left(\sum_k \exp(z_k)\right) = p_j"),
    (ATTENTION, r"\frac{\partial}{\partial z_j} \left(-\sum_i y_i \log(p_i)\right) = p_j \sum_i y_i - y_j"),
    (ATTENTION, r"\sum_j P_{i,j} = 1"),
    (ATTENTION, r"\frac{\partial O_{i,a}}{\partial V_{j,b}} = P_{i,j} \delta_{a,b}"),
    (ATTENTION, r"P_{i,j} = \frac{\exp(t_{i,j} / \sqrt{d})}{\sum_l \exp(t_{i,l} / \sqrt{d})}"),
    (FROBENIUS, r"\frac{\partial}{\partial X_{a,b}} \sum_{i,j} E_{i,j}^2 = 2 \sum_{i,j} E_{i,j} A_{i,a} B_{b,j}"),
]


@pytest.mark.parametrize(("head", "display"), WRONG_WITHOUT_A_DEGREE_BOUND)
def test_a_wrong_step_without_a_degree_bound_is_refuted(head, display):
    step = one(head, display)
    assert step.verdict.value == "refuted", step.message
    assert step.counterexample is not None and step.counterexample.shrunk, step.counterexample


@pytest.mark.parametrize(("head", "display"), TRUE_WITHOUT_A_DEGREE_BOUND)
def test_a_true_step_without_a_degree_bound_is_proved_or_tested_with_its_sizes(head, display):
    step = one(head, display)
    assert step.verdict.value in ("proved", "tested"), step.message
    if step.verdict.value == "tested":
        assert "other sizes are not covered" in step.message and " at sizes " in step.message


def test_an_unproved_softmax_step_is_tested_with_the_sizes_named(monkeypatch):
    # The symbolic side gives up: the tester alone decides, and says what it covered.
    monkeypatch.setattr(decide, "symbolic_difference", lambda *a, **k: (_ for _ in ()).throw(decide.PartTimeout()))
    step = one(ATTENTION, r"\frac{\partial p_i}{\partial z_j} = p_i (\delta_{i,j} - p_j)")
    assert step.verdict.value == "tested", step.message
    assert "other sizes are not covered: its value is not a polynomial in the sizes" in step.message
    assert "n=1" in step.message


def test_the_old_message_about_twelve_assignments_is_gone():
    for head, display in WRONG_WITHOUT_A_DEGREE_BOUND[:2]:
        assert "size assignments" not in one(head, display).message


def test_a_step_that_can_not_be_evaluated_anywhere_is_undecided_with_the_reason():
    step = one(ATTENTION, r"\log(-\exp(z_i)^2) = \log(-\exp(2 z_i))")
    assert step.verdict.value == "undecided", step.message
    assert "undefined at every point" in step.message and "logarithm of a number <= 0" in step.message


def test_wide_sizes_vary_one_size_at_a_time_and_come_from_the_seed():
    n, d, e = size("n"), size("d"), size("e")
    schedule = plan((n, d, e), Bound({n: 2, d: 2, e: 2}, 2, "its value is not a polynomial in the sizes"), seed=3)
    wide = [t for t in schedule.trials if max(t.sizes.values()) >= 5 and t.limit == SPREAD_POINTS]
    assert len(wide) >= 3
    assert {max(t.sizes, key=t.sizes.get) for t in wide} == {n, d, e}
    again = plan((n, d, e), Bound({n: 2, d: 2, e: 2}, 2, "x"), seed=3)
    assert [t.sizes for t in again.trials] == [t.sizes for t in schedule.trials]


# -- a property: polynomials in a size with chosen roots, against a direct reference ----------
def _product(roots: list[int]) -> str:
    return "".join(f"(N - {r})" if r else "N" for r in roots)


def _values(roots: list[int], sizes) -> list[int]:
    values = []
    for n in sizes:
        value = 1
        for r in roots:
            value *= n - r
        values.append(value)
    return values


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=1, max_size=4))
def test_a_size_under_sqrt_or_abs_against_a_direct_reference(roots):
    """Past the largest root every factor is positive, so sizes 1 to 9 decide the reference
    for every size; a counterexample among 1 to 4 (always tried) must be found, one that
    needs a larger size may be missed (then ``tested``, sizes named), a true step is never refuted."""
    p = _product(roots)
    small, every = _values(roots, range(1, 5)), _values(roots, range(1, 10))
    for display, holds_at in ((rf"\sqrt{{({p})^2}} = {p}", lambda v: v >= 0), (rf"{p} \geq 0", lambda v: v >= 0),
                              (rf"|{p}| = 0", lambda v: v == 0)):
        step = one(ONE_SIZE, display)
        if all(holds_at(v) for v in every):
            assert step.verdict.value in ("proved", "tested"), (display, step.message)
        elif not all(holds_at(v) for v in small):
            assert step.verdict.value == "refuted", (display, step.message)
        else:
            assert step.verdict.value in ("refuted", "tested"), (display, step.message)
            if step.verdict.value == "tested":
                assert "other sizes are not covered" in step.message
        if step.verdict.value == "refuted":
            (_, n), = step.counterexample.sizes
            assert not holds_at(_values(roots, [n])[0]), (display, step.counterexample)


# A power by a product or sum of sizes is odd at one parity combination of the
# sizes only; a scalar that may be negative must be negative there in some
# instance, whichever class (mod 4) of the sign patterns it falls in.
def _parity_head(before: int, declared: str) -> str:
    others = "".join(f"  {name}: scalar\n" for name in "abc"[:before])
    return f"---\nsymbols:\n{others}  x: scalar\n{declared}---\n\n"


PARITY_DECLARED = ("  v: vector M\n  w: vector N\n", "  A: matrix N x M\n  u: vector K\n")


@pytest.mark.parametrize("before", range(4))
@pytest.mark.parametrize("declared", PARITY_DECLARED)
@pytest.mark.parametrize("display", [
    r"\sqrt{x^{2MN}} = x^{MN}", r"(x^{M})^{N} = |x|^{MN}", r"|x|^{MN} = x^{MN}",
    r"\sqrt{x^{2(M+N)}} = x^{M+N}", r"(-1)^{MN} = 1", r"x^{M N} = |x|^{MN}", r"\sqrt{x^{2 M N}} = x^{N M}",
    r"x^{MN} \geq 0", r"x^{M+N} + |x|^{M+N} \neq 0",
])
def test_a_power_odd_at_one_parity_combination_meets_a_negative_scalar(before, declared, display):
    assert verdict(_parity_head(before, declared), display) == "refuted"


@pytest.mark.parametrize("before", range(4))
@pytest.mark.parametrize("display", [r"(x^2)^{MN} = x^{2MN}", r"\sqrt{x^{2MN}} = |x|^{MN}", r"(x^{M})^{N} = x^{MN}"])
def test_true_powers_by_products_of_sizes_are_not_refuted(before, display):
    assert verdict(_parity_head(before, PARITY_DECLARED[0]), display) in {"proved", "tested"}


def _negative_in_pattern(number: int, k: int) -> bool:
    """The patterns' rule, written out again: pattern 0 is all positive; pattern k
    leaves positive only the scalars numbered (k + 2) mod 4."""
    return k != 0 and number % 4 != (k + 2) % 4


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=1, max_size=4), st.integers(0, 6), st.booleans())
def test_a_signed_plan_has_every_scalar_negative_at_every_parity_combination(degrees, total, claim):
    sizes = tuple(size(name) for name in "KLMN"[: len(degrees)])
    unbounded = "" if all(d is not None for d in degrees) else "exp of a size"
    per_size = {s: (2 if d is None else d) for s, d in zip(sizes, degrees)}
    schedule = plan(sizes, Bound(per_size, max(total, 2 if unbounded else total), unbounded), claim=claim, signed=True)
    varying = [s for s in sizes if per_size[s]][:3]
    for combo in itertools.product((0, 1), repeat=len(varying)):
        numbers = [t.number for t in schedule.trials if tuple(t.sizes[s] % 2 for s in varying) == combo]
        for scalar in range(4):
            assert any(_negative_in_pattern(scalar, k) for k in numbers), (combo, scalar, numbers)

"""Engine, assumptions and claims: adversarial cases (docs/deciding.md), exact verdicts end to end.

Steps false only on a bounded interval of a constrained scalar (``|a - 1| = a - 1`` with
``a`` positive: false on ``(0, 1)``), which random draws and a fact's boundary value miss;
contradictory assumptions; an assumption about one name leaking to another.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from helpers import displays, front_matter, verdict_values
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.engine.piecewise_points import has_piecewise


def check(symbols: dict[str, str], *maths: str, assumptions: tuple[str, ...] = ()) -> list:
    extra = "assumptions:\n" + "".join(f"  - {a}\n" for a in assumptions) if assumptions else ""
    result = deriv.check_text(front_matter(symbols, extra=extra) + displays(*maths), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return result.steps


# -- a step false only on a bounded interval the draws miss -------------------------------------
@pytest.mark.parametrize(("kind", "assumptions", "step", "verdict"), [
    ("positive scalar", (), r"\sqrt{(a - 1)^2} = a - 1", "refuted"),  # a = 1/2
    ("positive scalar", (), r"|a - 1| = a - 1", "refuted"),
    ("positive scalar", (), r"\sqrt{(a - 2)^2} = a - 2", "refuted"),
    ("scalar", (r"a > 0",), r"\sqrt{(a - 1)^2} = a - 1", "refuted"),  # a violating draw is set to 1
    ("scalar", (r"a > 0",), r"|a - 1| = a - 1", "refuted"),
    ("scalar", (r"a > 1",), r"\sqrt{(a - 2)^2} = a - 2", "refuted"),  # a = 3/2
    ("scalar", (r"a > 1",), r"|(a - 3)(a - 5)| = (a - 3)(a - 5)", "refuted"),  # a = 4
    ("scalar", (), r"|(a - 3)(a - 5)| = (a - 3)(a - 5)", "refuted"),
    ("scalar", (), r"\mathrm{relu}(a - 3) + \mathrm{relu}(5 - a) = |a - 4| + 1", "refuted"),  # a in (3, 5)
    # true ones stay tested
    ("scalar", (r"a > 1",), r"|a - 1| = a - 1", "tested"),
    ("scalar", (r"a > 1",), r"\sqrt{(a - 1)^2} = a - 1", "tested"),
    ("scalar", (r"a \geq 0",), r"\sqrt{(a + 1)^2} = a + 1", "tested"),
    ("positive scalar", (), r"|a| = a", "proved"),
])
def test_a_step_false_on_a_bounded_interval_is_refuted_there(kind, assumptions, step, verdict):
    (result,) = check({"a": kind}, step, assumptions=assumptions)
    assert result.verdict.value == verdict, result.message


def test_the_structured_counterexample_shows_its_value_and_satisfies_the_assumption():
    (result,) = check({"a": "scalar"}, r"\sqrt{(a - 2)^2} = a - 2", assumptions=(r"a > 1",))
    assert result.verdict.value == "refuted"
    assert "structured point" in result.message
    example = result.counterexample
    assert (example.lhs_value, example.rhs_value) == ("1/2", "-1/2")
    assert example.values == (("a", (("3/2",),)),)


@settings(max_examples=12, deadline=None)
@given(st.integers(-3, 3), st.integers(-3, 3), st.sampled_from([">", r"\geq"]))
def test_a_root_of_a_square_below_a_bound_property(c, d, relation):
    """``\\sqrt{(a - d)^2} = a - d`` under ``a > c`` (``\\geq``) holds iff no allowed ``a`` is below
    ``d``: iff ``d <= c`` -- the exact reference."""
    (result,) = check({"a": "scalar"}, rf"\sqrt{{(a - ({d}))^2}} = a - ({d})", assumptions=(rf"a {relation} {c}",))
    assert result.verdict.value == ("tested" if d <= c else "refuted"), result.message


def test_piecewise_parts_are_seen_through_definitions():
    import sympy
    from deriv.context import Context

    a = sympy.Symbol("a")
    assert has_piecewise((sympy.Abs(a - 1),), Context())
    assert has_piecewise((sympy.sqrt(a),), Context())
    assert has_piecewise((sympy.Max(0, a),), Context())
    assert not has_piecewise((a**2 + sympy.exp(a), 1 / a), Context())


def test_a_defined_absolute_value_is_tried_at_structured_points_too():
    text = (front_matter({"a": "positive scalar"}, ["y = |a - 1|"]) + displays(r"y = a - 1"))
    (result,) = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert result.verdict.value == "refuted", result.message


# -- contradictory assumptions: nothing is tested or proved under them ---------------------------
@pytest.mark.parametrize("assumptions", [
    (r"a > 0", r"a < 0"),
    (r"a > 1", r"a < 1"),
    (r"a^2 < 0",),
    (r"a \geq 1", r"a \leq 0"),
])
def test_under_contradictory_assumptions_every_step_is_undecided(assumptions):
    steps = check({"a": "scalar", "b": "scalar"}, r"a > 5", r"a^2 < 0", r"a + a = 2a", r"\sqrt{a^2} = a",
                  r"a = a + 1", r"b = b + 1", r"0 = 1", assumptions=assumptions)  # a constant difference too
    assert verdict_values(steps) == ["undecided"] * 7, [s.message for s in steps]


@pytest.mark.parametrize("assumptions", [(r"a = 1", r"a = 2"), (r"a > b", r"b > a")])
def test_a_constant_difference_is_not_refuted_where_no_instance_satisfies_the_assumptions(assumptions):
    steps = check({"a": "scalar", "b": "scalar"}, r"a = a + 1", r"b = b - 2", assumptions=assumptions)
    assert verdict_values(steps) == ["undecided"] * 2, [s.message for s in steps]
    assert "may contradict each other" in steps[0].message


def test_a_constant_difference_under_assumptions_an_instance_satisfies_is_refuted():
    steps = check({"a": "scalar", "b": "scalar"}, r"a = a + 1", r"a = 2", assumptions=(r"a = 1",))
    assert verdict_values(steps) == ["refuted"] * 2, [s.message for s in steps]


def test_a_positive_name_assumed_negative_decides_nothing():
    steps = check({"a": "positive scalar"}, r"a > 5", r"a = 3", assumptions=(r"a < 0",))
    assert verdict_values(steps) == ["undecided"] * 2


# -- an assumption about one name says nothing about another -------------------------------------
def test_an_assumption_about_a_does_not_leak_to_b():
    steps = check({"a": "scalar", "b": "scalar"}, r"\sqrt{b^2} = b", r"|b| = b", r"b \geq 0", r"a b > 0",
                  assumptions=(r"a > 0",))
    assert verdict_values(steps) == ["refuted"] * 4


def test_an_assumption_about_one_entry_does_not_leak_to_the_others():
    steps = check({"x": "vector N"}, r"\sqrt{x_i^2} = x_i", r"x_2 > 0", r"\sum_i x_i > 0",
                  assumptions=(r"x_1 > 0",))
    assert verdict_values(steps) == ["refuted"] * 3



# -- an assumption that bounds a size from below: the plan's sizes start there -------------------
@pytest.mark.parametrize(("kind", "assumption", "maths", "verdicts"), [
    ("vector N", r"N > 2", (r"N - 2 > 0", r"\sum_i x_i = x_1", r"\sum_{i=3}^{N} 1 = N - 2"),
     ["proved", "refuted", "tested"]),  # a sum from 3 to N: tested, not proved
    ("vector N", r"N \geq 3", (r"\sqrt{(N - 2)^2} = N - 2", r"(N - 3)(N - 4) \geq 0", r"(N - 3)(N - 4) > 0"),
     ["tested", "tested", "refuted"]),  # N = 3 meets the bound
    ("vector N", r"2 N > 9", (r"N \geq 5", r"N > 5"), ["tested", "refuted"]),  # N >= 5: whole sizes
])
def test_a_size_bounded_below_by_an_assumption_is_tested_from_the_bound(kind, assumption, maths, verdicts):
    steps = check({"x": kind}, *maths, assumptions=(assumption,))
    assert verdict_values(steps) == verdicts, [s.message for s in steps]


def test_a_count_bounded_below_is_tested_from_the_bound_and_refuted_at_it():
    steps = check({"k": "positive integer"}, r"k > 2", r"(k - 2)(k - 3) > 0", assumptions=(r"k > 2",))
    assert verdict_values(steps) == ["proved", "refuted"]
    assert steps[1].counterexample.sizes == (("k", 3),)


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 6), st.sampled_from([">", r"\geq"]))
def test_a_lower_bound_on_a_size_property(c, relation):
    """``N R c`` assumed; the claim ``N > m`` with ``m`` the least size allowed is refuted exactly
    there (the reference: the least size is ``c + 1`` for ``>``, ``c`` for ``\\geq``, at least 1)."""
    least = max(1, c + 1 if relation == ">" else c)
    steps = check({"x": "vector N"}, rf"N > {least}", rf"N \geq {least}", assumptions=(rf"N {relation} {c}",))
    assert verdict_values(steps)[0] == "refuted", steps[0].message
    assert steps[0].counterexample.sizes == (("N", least),)
    assert verdict_values(steps)[1] in ("proved", "tested"), steps[1].message


def test_a_bound_between_two_sizes_is_not_met_and_decides_nothing():
    """``N > M`` is not a bound on one size: the sizes that violate it are not skipped, so no step is
    decided (never tested on sizes the assumption excludes)."""
    steps = check({"x": "vector N", "y": "vector M"}, r"\sum_i x_i = x_1", assumptions=(r"N > M",))
    assert verdict_values(steps) == ["undecided"]


# -- the eigenvalue statement under assumptions about its matrix ----------------------------------
@pytest.mark.parametrize(("kind", "assumptions", "statement", "verdict"), [
    ("matrix N x N", (r"H = H^T",), r"H \succ 0 \implies \lambda(H) > 0", "proved"),  # symmetric by assumption
    ("matrix N x N", (r"H^T = H",), r"H \succ 0 \implies \lambda(H) > 0", "proved"),
    ("matrix N x N", (r"H_{i,j} = H_{j,i}",), r"H \succeq 0 \implies \lambda(H) \geq 0", "proved"),
    ("matrix N x N", (r"H = H^T",), r"H \succeq 0 \implies \lambda(H) > 0", "refuted"),  # H = [0] is symmetric
    ("matrix N x N", (), r"H \succ 0 \implies \lambda(H) > 0", "refuted"),  # [1, -5; 5, 1]
    ("matrix N x N", (r"H_{1,1} > 0",), r"H \succ 0 \implies \lambda(H) > 0", "undecided"),
    ("matrix N x N", (r"H = -H^T",), r"H \succ 0 \implies \lambda(H) > 0", "undecided"),  # skew: not symmetric
    ("matrix N x N", (r"H = \frac{1}{2} (A + A^T)",), r"H \succ 0 \implies \lambda(H) > 0", "undecided"),  # symmetric
    # the statement's own hypothesis is what it is about: [0] refutes it whatever is assumed
    ("symmetric matrix N x N", (r"H \succ 0",), r"H \succeq 0 \implies \lambda(H) > 0", "refuted"),
    ("symmetric matrix N x N", (r"a > 0",), r"H \succeq 0 \implies \lambda(H) > 0", "refuted"),  # not about H
])
def test_the_eigenvalue_statement_is_refuted_only_by_a_matrix_the_assumptions_allow(kind, assumptions, statement, verdict):
    (step,) = check({"H": kind, "A": "matrix N x N", "a": "scalar"}, statement, assumptions=assumptions)
    assert step.verdict.value == verdict, step.message
    if verdict == "undecided":
        assert "may violate the assumptions about H" in step.message


def test_symmetry_is_read_from_an_assumption_only_when_it_says_so():
    from deriv.meaning.adopt import context_from_symbols
    from deriv.meaning.assumed_symmetry import says_symmetric
    from deriv.meaning.assumptions import build_constraint

    context = context_from_symbols({"H": "matrix N x N", "G": "matrix N x N"})
    said = {latex: says_symmetric(build_constraint(latex, context), "H")
            for latex in (r"H = H^T", r"H^T = H", r"H_{i,j} = H_{j,i}", r"2 H = 2 H^T", r"H = -H^T", r"H = G^T",
                          r"H = H^T + G", r"H_{i,j} = H_{i,j}")}
    assert said == {r"H = H^T": True, r"H^T = H": True, r"H_{i,j} = H_{j,i}": True, r"2 H = 2 H^T": True,
                    r"H = -H^T": False, r"H = G^T": False, r"H = H^T + G": False, r"H_{i,j} = H_{i,j}": False}


# -- a statement writing a defined name carries its definition's conditions -----------------------
DEFINED = ("B = \\frac{c}{c} X", "s = \\frac{c}{c}", "t = s", "D = \\frac{c^2}{c} c I_N")


@pytest.mark.parametrize("statement", [
    r"s X^T X \succeq 0",  # was proved: s is 1 after SymPy cancels, undefined at c = 0
    r"z^T X^T X z \cdot s \geq 0 \quad \forall z \neq 0",  # was proved from the one above
    r"t X^T X \succeq 0",  # through a second definition
    r"B^T B \succeq 0",  # a defined matrix
    r"z^T B^T B z \geq 0 \quad \forall z \neq 0",
    r"D \succeq 0",
])
def test_a_statement_through_a_definition_undefined_somewhere_is_undecided(statement):
    text = front_matter({"X": "matrix M x N", "z": "vector N", "c": "scalar"}, DEFINED) + displays(statement)
    (step,) = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert step.verdict.value == "undecided", step.message
    assert "undefined where c != 0 fails" in step.message


def test_a_statement_through_a_definition_defined_everywhere_is_still_proved():
    text = front_matter({"X": "matrix M x N", "c": "scalar"}, ["s = c^2 + 1", "B = s X"]) + displays(
        r"s X^T X \succeq 0", r"B^T B \succeq 0")
    steps = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert verdict_values(steps) == ["proved", "proved"], [s.message for s in steps]


# -- strict claims on semi-definite and singular matrices: a vector in the kernel ----------------
KERNEL = {"X": "matrix M x N", "A": "matrix N x N", "H": "symmetric matrix N x N", "z": "vector N", "y": "vector M"}
BESIDE = (r"H \succeq 0", r"z \neq 0", r"y \neq 0", r"H_{1,1} > 0", r"X_{1,1} > 0", r"A_{1,1} > 0")  # no zero matrix


@pytest.mark.parametrize(("claim", "verdict"), [
    (r"z^T H z > 0", "refuted"),  # H = diag(1, 0), z = e_2: was tested
    (r"z^T X^T X z > 0", "refuted"),  # X wide
    (r"z^T A^T A z > 0", "refuted"),  # A singular
    (r"y^T X X^T y > 0", "refuted"),  # X tall: y in the kernel of X^T
    (r"z^T H z \geq 0", "proved"),
    (r"z^T X^T X z \geq 0", "tested"),
])
def test_a_strict_claim_fails_in_the_kernel_of_a_singular_matrix(claim, verdict):
    (step,) = check(KERNEL, claim, assumptions=BESIDE)
    assert step.verdict.value == verdict, step.message
    if verdict == "refuted":
        assert "in the kernel of" in step.message


def test_semi_definite_and_nonzero_do_not_make_definite():
    """``H \\succeq 0`` and ``H \\neq 0``: was undecided (one family of draws is the zero matrix on every
    attempt of a trial); a singular nonzero ``H`` refutes it."""
    steps = check({"H": "symmetric matrix N x N", "z": "vector N"}, r"H \succ 0", r"z^T H z > 0",
                  assumptions=(r"H \succeq 0", r"H \neq 0", r"z \neq 0"))
    assert verdict_values(steps) == ["refuted", "refuted"], [s.message for s in steps]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_kernel_vector_property(rows, cols, data):
    """An exact kernel vector, independently checked: nonzero, ``M v = 0``; None only at full column rank
    (the reference rank from SymPy's exact rank)."""
    import sympy
    from flint import fmpq

    from deriv.engine.kernel_points import kernel_vector

    entries = [[fmpq(data.draw(st.integers(-2, 2))) for _ in range(cols)] for _ in range(rows)]
    found = kernel_vector(entries)
    rank = sympy.Matrix([[int(v) for v in row] for row in entries]).rank()
    if rank == cols:
        assert found is None
    else:
        assert found is not None and any(v != 0 for v in found)
        assert all(sum((a * b for a, b in zip(row, found)), fmpq(0)) == 0 for row in entries)


def test_a_strict_fact_beside_a_weak_one_is_drawn_definite():
    """``H \\succ 0`` and ``H \\succeq 0`` together: the draw is definite with its smallest eigenvalue
    towards 0 (it was drawn singular for the weak fact, violating the strict one: no instance, and
    then, redrawn, only well-conditioned ones: ``tr H > N`` was tested)."""
    steps = check({"H": "symmetric matrix N x N"}, r"\operatorname{tr}(H) > N", r"\operatorname{tr}(H) > 0",
                  assumptions=(r"H \succ 0", r"H \succeq 0"))
    assert verdict_values(steps) == ["refuted", "tested"], [s.message for s in steps]


# -- a violated fact about one scalar sets it to a value that still varies -----------------------
@pytest.mark.parametrize("assumption", [r"a > 0", r"a > 1", r"a \geq 0", r"a < 0", r"a \leq -1"])
@pytest.mark.parametrize("step", [r"\sin(\pi a) = 0", r"\cos(2 \pi a) = 1"])
def test_a_step_true_at_whole_numbers_only_is_refuted_under_a_scalar_fact(assumption, step):
    """Every violating draw was set to one point (``a = 1`` under ``a > 0``) and the others were whole
    numbers: a step true at whole numbers only was tested."""
    (result,) = check({"a": "scalar"}, step, assumptions=(assumption,))
    assert result.verdict.value == "refuted", result.message


@pytest.mark.parametrize(("assumption", "step"), [
    (r"a \geq 0", r"\sqrt{a} \sqrt{a} = a"),
    (r"a > 0", r"\log(a^2) = 2 \log a"),
    (r"a \geq 1", r"\sqrt{(a - 1)^2} = a - 1"),
])
def test_true_steps_under_a_scalar_fact_stay_tested(assumption, step):
    (result,) = check({"a": "scalar"}, step, assumptions=(assumption,))
    assert result.verdict.value in ("tested", "proved"), result.message


# -- where the sides meet only when every entry does: structured instances at size 1 too ---------
@pytest.mark.parametrize(("claim", "verdict"), [
    (r"\sum_i (x_i - a)^2 > 0", "refuted"),  # x = a 1: at N = 1, x_1 = a
    (r"\sum_i (x_i - a)^2 \geq 0", "proved"),
    (r"\sum_i (x_i + a)^2 > 0", "refuted"),  # x = -a 1 with x \neq 0
])
def test_a_claim_whose_sides_meet_where_every_entry_is_set_is_refuted_at_size_one(claim, verdict):
    (step,) = check({"x": "vector N", "a": "scalar"}, claim, assumptions=(r"x \neq 0", r"a > 0"))
    assert step.verdict.value == verdict, step.message


def test_a_definite_matrix_is_tried_at_the_identity():
    """``tr H \\neq N`` under ``H \\succ 0`` fails at ``H = I``; a structured matrix that already satisfies
    the definiteness fact is kept (it was drawn again by the construction, losing the structure)."""
    steps = check({"H": "symmetric matrix N x N"}, r"\operatorname{tr}(H) \neq N", r"H_{1,1} \neq 1",
                  assumptions=(r"H \succ 0",))
    assert verdict_values(steps) == ["refuted", "refuted"], [s.message for s in steps]


def test_a_strict_claim_fails_in_a_kernel_two_matrices_share():
    """H = diag(h, 0), A = diag(a, 0), z = e_2 (engine/supports.py)."""
    (step,) = check(KERNEL, r"z^T (H + A^T A) z > 0", assumptions=BESIDE)
    assert step.verdict.value == "refuted", step.message
    assert "on the first coordinate" in step.message


@pytest.mark.parametrize(("claim", "verdict"), [
    (r"z^T X^T X z + \lambda z^T z > 0", "refuted"),  # lambda = 0 and z in the kernel of X, together
    (r"z^T X^T X z + \lambda z^T z \geq 0", "tested"),
    (r"\sum_i w_i z_i^2 + \lambda > 0", "proved"),
])
def test_a_kernel_vector_with_the_scalars_zero(claim, verdict):
    symbols = {"X": "matrix M x N", "z": "vector N", "lambda": "scalar", "w": "positive vector N"}
    (step,) = check(symbols, claim, assumptions=(r"\lambda \geq 0", r"X_{1,1} > 0", r"z \neq 0"))
    assert step.verdict.value == verdict, step.message


# Found: N \geq 10^{30} raised the least size past what a C index holds (an internal OverflowError),
# N \geq 10^{6} ran the tester out of its budget. Past engine/minimums.MAX_LEAST the bound is not met by
# the plan: every instance violates it, so the step is undecided, never tested below the bound.
@pytest.mark.parametrize("bound", [r"N \geq 10^{30}", r"N > 10^{6}", r"2 N > 10^{9}"])
def test_a_size_bound_past_the_testable_sizes_leaves_the_step_undecided(bound):
    steps = check({"x": "vector N"}, r"\sum_i x_i = \sum_i x_i", r"\sum_i x_i^2 \geq 0", r"N > 5",
                  assumptions=(bound,))
    assert verdict_values(steps) == ["undecided"] * 3, [s.message for s in steps]
    assert all("violates" in s.message for s in steps)


# Found: x \neq y between arrays was imposed entry by entry (every entry differs), so x_1 \neq y_1 and
# A_{1,1} \neq B_{1,1} were tested; two arrays differ where some entry does (meaning/assumptions.py).
@pytest.mark.parametrize(("symbols", "assumption", "claim", "verdict"), [
    ({"x": "vector N", "y": "vector N"}, r"x \neq y", r"x_1 \neq y_1", "refuted"),
    ({"x": "vector N", "y": "vector N"}, r"x \neq y", r"x_i \neq y_i", "refuted"),
    ({"A": "matrix N x N", "B": "matrix N x N"}, r"A \neq B", r"A_{1,1} \neq B_{1,1}", "refuted"),
    ({"x": "vector N", "y": "vector N"}, r"x \neq y", r"(x - y)^T (x - y) > 0", "tested"),
    ({"x": "vector N", "y": "vector N"}, r"x_i \neq y_i", r"x_1 \neq y_1", "tested"),  # written entrywise: every entry
])
def test_two_arrays_assumed_different_differ_somewhere(symbols, assumption, claim, verdict):
    (step,) = check(symbols, claim, assumptions=(assumption,))
    assert step.verdict.value == verdict, step.message
    if verdict == "refuted":  # independently: the arrays differ, and not at the entry the claim reads
        values = {name: [Fraction(v) for row in rows for v in row] for name, rows in step.counterexample.values}
        first, second = sorted(values)
        read = [0] if "_1" in claim or "_{1,1}" in claim else range(len(values[first]))  # x_i: any entry
        assert values[first] != values[second] and any(values[first][k] == values[second][k] for k in read)


# Found: tested. The sides meet where an entry read at a fixed position takes one value, and the meeting
# points only moved each array's first entry (engine/meeting_points.fixed_entries).
@pytest.mark.parametrize(("symbols", "claim", "entry", "value"), [
    ({"x": "vector N"}, r"x_2 \neq 1", "x", ((1,), 1)),
    ({"A": "matrix N x N"}, r"A_{1,2} \neq 3", "A", ((0, 1), 3)),
    ({"x": "vector N", "a": "scalar"}, r"x_3 - a \neq x_1 - a + 2", "x", None),
    ({"H": "symmetric matrix N x N"}, r"H_{2,1} \neq -\frac{1}{2}", "H", ((1, 0), Fraction(-1, 2))),
])
def test_a_claim_about_an_entry_at_a_fixed_position_is_refuted_where_it_meets(symbols, claim, entry, value):
    (step,) = check(symbols, claim)
    assert step.verdict.value == "refuted", step.message
    rows = dict(step.counterexample.values)[entry]
    table = {(i, j) if len(row) > 1 else (i,): Fraction(v) for i, row in enumerate(rows) for j, v in enumerate(row)}
    if value is not None:  # independently: the entry the claim reads is the value it is compared with
        assert table[value[0]] == value[1]
    else:
        assert table[(2,)] == table[(0,)] + 2


# Found: undecided, not wrong -- an entry fact (x_i \geq 0, A_{i,j} > 0) was met only by chance, so no
# instance satisfied it and every step was undecided; a violating entry is now set past the boundary as a
# scalar's is (engine/scalar_facts.meet_entry_facts). The verdicts that follow, each with a witness.
@pytest.mark.parametrize(("symbols", "assumptions", "claim", "verdict"), [
    ({"x": "vector N"}, (r"x_i \geq 0", r"x \neq 0"), r"x_2 > 0", "refuted"),  # x = e_1
    ({"x": "vector N", "A": "matrix N x N"}, (r"A_{i,j} > 0", r"x \neq 0"), r"x^T A x > 0", "refuted"),
    ({"x": "vector N", "A": "matrix N x N"}, (r"A_{i,j} \geq 0", r"x_i \geq 0"), r"x^T A x \geq 0", "tested"),
    ({"x": "vector N", "y": "vector N"}, (r"x_i \geq 0", r"x \neq 0", r"y_i > 0"), r"\sum_i x_i y_i > 0", "tested"),
    ({"x": "vector N"}, (r"x_i > 1",), r"\sum_i x_i > N", "tested"),
    ({"x": "vector N"}, (r"x_i \geq 1",), r"\sum_i x_i > N", "refuted"),  # every entry 1
])
def test_facts_about_every_entry_are_met(symbols, assumptions, claim, verdict):
    (step,) = check(symbols, claim, assumptions=assumptions)
    assert step.verdict.value == verdict, step.message
    if verdict == "refuted" and step.counterexample.values:  # independently: the witness meets the facts
        values = {n: [[Fraction(v) for v in row] for row in rows] for n, rows in step.counterexample.values}
        if "x" in values and r"x_i \geq 0" in assumptions:
            assert all(r[0] >= 0 for r in values["x"]) and any(r[0] != 0 for r in values["x"])
        if "A" in values:
            assert all(v > 0 for row in values["A"] for v in row)


# -- a fact about the entries of one array beside another, or about a diagonal, is met -------------
ENTRIES = {"x": "vector N", "y": "vector N", "A": "matrix N x N", "S": "symmetric matrix N x N", "p": "positive vector N"}


@pytest.mark.parametrize(("assumption", "step", "verdict"), [
    (r"x_i \geq y_i", r"\sum_i x_i \geq \sum_i y_i", "tested"),  # no instance met it by chance: undecided
    (r"x_i \geq y_i", r"\sum_i x_i > \sum_i y_i", "refuted"),  # x = y, on the boundary
    (r"x_i > y_i", r"x_1 > y_1", "tested"),
    (r"x_i > y_i", r"x_1 > y_2", "refuted"),
    (r"x_i > 1 + y_i^2", r"x_1 > 1", "tested"),
    (r"x_i > 1 + y_i^2", r"x_1 > 2", "refuted"),
    (r"p_i > y_i", r"y_1 > 0", "refuted"),
    (r"A_{i,i} > 0", r"\operatorname{tr}(A) > 0", "tested"),  # the diagonal: a different entry at every i
    (r"A_{i,i} > 0", r"\det(A) > 0", "refuted"),
    (r"S_{i,i} < 0", r"\operatorname{tr}(S) < 0", "tested"),
    (r"S_{i,i} < 0", r"x^T S x < 0", "refuted"),
    (r"A_{j,i} > 0", r"A_{1,2} > 0", "tested"),
])
def test_an_entry_fact_beside_another_array_or_on_a_diagonal_is_met(assumption, step, verdict):
    (found,) = check(ENTRIES, step, assumptions=(assumption,))
    assert found.verdict.value == verdict, found.message


def test_an_entry_fact_is_set_at_distinct_entries_only():
    from sympy import Symbol

    from deriv.engine.scalar_facts import _entry_of

    i, j = Symbol("i"), Symbol("j")
    assert _entry_of((i, i), (i,))((3,)) == (3, 3)
    assert _entry_of((j, i), (i, j))((1, 2)) == (2, 1)
    assert _entry_of((i, 0), (i,)) is None  # a fixed index: not read so
    assert _entry_of((i,), (i, j)) is None  # j unused: one entry for many points


# -- facts between scalars are met, not left to chance ---------------------------------------------
@pytest.mark.parametrize(("assumptions", "step", "verdict"), [
    ((r"a \leq b", r"b < c"), r"a < c", "tested"),  # two such facts left most trials without an instance
    ((r"a \leq b", r"b < c"), r"a < b", "refuted"),  # a = b, on the boundary
    ((r"a \leq b",), r"|b - a| = b - a", "tested"),
    ((r"a \leq b",), r"a^2 \leq b^2", "refuted"),
    ((r"a < c", r"b < c"), r"a + b < 2 c", "tested"),
    ((r"a < c", r"b < c"), r"a < b", "refuted"),
    ((r"a > 0", r"a < b"), r"\log(b) > \log(a)", "tested"),
    ((r"a > 0", r"a < b"), r"b > 1", "refuted"),
    ((r"a + b > 1", r"a - b > 1"), r"a > 1", "tested"),
    ((r"a + b > 1", r"a - b > 1"), r"b > 0", "refuted"),
])
def test_facts_between_scalars_are_met(assumptions, step, verdict):
    (found,) = check({"a": "scalar", "b": "scalar", "c": "scalar"}, step, assumptions=assumptions)
    assert found.verdict.value == verdict, found.message


@given(st.permutations(["a", "b", "c"]), st.lists(st.sampled_from(["<", r"\leq"]), min_size=2, max_size=2),
       st.booleans())
@settings(max_examples=12, deadline=None)
def test_a_consistent_order_of_scalars_is_met_and_decides(order, relations, reversed_pairs):
    # Facts that order three scalars (consistent by construction) leave an instance: what follows from
    # them is tested, its opposite refuted -- never undecided for want of an instance.
    first, middle, last = order
    geq, leq = "\\geq", "\\leq"
    facts = [f"{first} {relations[0]} {middle}", f"{middle} {relations[1]} {last}"]
    if reversed_pairs:
        facts = [f"{middle} {'>' if relations[0] == '<' else geq} {first}", facts[1]]
    strict = "<" in relations
    follows, opposite = f"{first} {'<' if strict else leq} {last}", f"{first} > {last}"
    steps = check({"a": "scalar", "b": "scalar", "c": "scalar"}, follows, opposite, assumptions=tuple(facts))
    assert verdict_values(steps) == ["tested", "refuted"], [s.message for s in steps]

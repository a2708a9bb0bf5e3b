"""Meaning, zeros (docs/format.md): ``0`` / ``\\mathbf{0}`` / ``\\mathbf{0}_N`` as vector and matrix
members and assumption sides, and vector equation assumptions imposed as one exact linear
system (``deriv/meaning/zeros.py``, ``deriv/engine/linear_facts.py``)."""

from __future__ import annotations

from contextlib import nullcontext

import pytest
import sympy
from flint import fmpq
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Symbol

import deriv
from deriv.engine.linear_facts import solution_space

SHAPES = """---
symbols:
  X: matrix N x M
  w: vector M
  v: vector M
  y: vector N
  a: scalar
---

"""

RIDGE = """---
symbols:
  X: matrix N x M
  w: vector M
  y: vector N
  lambda: scalar
assumptions:
  - X^T (X w - y) + \\lambda w = 0
---

"""


def steps(head: str, *displays: str):
    result = deriv.check_text(head + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n")
    assert result.error is None, result.error
    return result.steps


def verdicts(head: str, *displays: str) -> list[str]:
    return [s.verdict.value for s in steps(head, *displays)]


# -- zero members ---------------------------------------------------------------------
@pytest.mark.parametrize("display, verdict", [
    (r"X^T (X w - X w) = \mathbf{0}", "proved"),  # the example (was a shape error)
    (r"X^T (X w - X w) = 0", "proved"),
    (r"X^T (X w - X w) = \boldsymbol{0}", "proved"),
    (r"X^T (X w - X w) = \bm 0", "proved"),
    (r"X^T (X w - X w) = \vec{0}", "proved"),
    (r"X^T (X w - X w) = \vec 0_M", "proved"),
    (r"0 = X^T (X w - X w)", "proved"),  # a zero first takes the shape of what follows
    (r"X^T (X w - X w) = \mathbf{0}_M", "proved"),
    (r"X^T (X w - X w) = 0_{M \times 1}", "proved"),
    (r"X - X = 0_{N \times M}", "proved"),
    (r"X^T - X^T = \mathbf{0}_{N,M}^T", "proved"),
    (r"w^T - w^T = \mathbf{0}_M^T", "proved"),
    (r"\nabla_w (v^T v) = 0", "proved"),
    (r"\nabla_w (w^T v) = \mathbf{0}", "refuted"),
    (r"X^T (X w - y) = 0", "refuted"),
    (r"0 = X^T (X w - y)", "refuted"),
    (r"w = \mathbf{0}_M", "refuted"),
    (r"a - a = 0", "proved"),
    (r"0 = 0", "proved"),
])
def test_a_zero_member_is_the_zero_of_the_chains_shape(display, verdict):
    assert verdicts(SHAPES, display) == [verdict]


@pytest.mark.parametrize("display, words", [
    (r"X^T (X w - X w) = \mathbf{0}_N", "vector N"),  # a written size must agree
    (r"X - X = 0_{M \times N}", "M x N"),
    (r"w^T - w^T = \mathbf{0}_M", "1 x M"),
    (r"X w = \mathbf{0}_{i}", "declared size"),
    (r"X w = \mathbf{0}_{K}", "declared size"),
    (r"0 = X w - X w = a - a", "does not match"),  # the zero does not make the chain scalar
])
def test_a_zero_of_the_wrong_size_is_an_error(display, words):
    (*_, last) = steps(SHAPES, display)
    assert last.verdict.value == "error" and words in last.message, last.message


def test_a_zero_inside_an_expression_stays_the_number():
    assert verdicts(SHAPES, r"a + 0 = a", r"0 a = 0", r"w^T v + 0 = v^T w") == ["proved"] * 3


SQUARE = SHAPES.replace("  a: scalar\n", "  a: scalar\n  A: matrix N x N\n  B: matrix N x N\n")


@pytest.mark.parametrize("display, verdict", [
    (r"X w + 0 = X w", "proved"),
    (r"X w - \mathbf{0} = X w", "proved"),
    (r"0 + X = X", "proved"),
    (r"0 - X = -X", "proved"),
    (r"w^T + 0 = w^T", "proved"),
    (r"A + 0 = A", "proved"),  # square: 0 I and the zero ones matrix are one matrix, no ambiguity
    (r"(A + 0 + 0)_{i,j} = A_{i,j}", "proved"),
    (r"A - 0.0 = A", "proved"),
    (r"A + 0 = 2 A", "refuted"),
    (r"A + 0 = A + B", "refuted"),
    (r"X w + 0 = X w + 1", "refuted"),  # a one is not a zero: broadcast, and differs
])
def test_a_zero_added_to_an_array_is_that_arrays_zero(display, verdict):
    (step,) = steps(SQUARE, display)
    assert step.verdict.value == verdict, step.message
    if "1" not in display:
        assert "broadcast" not in step.message  # adding zero changes nothing: no note


def test_a_nonzero_scalar_added_to_a_square_matrix_is_still_ambiguous():
    (step,) = steps(SQUARE, r"A + a = A")
    assert step.verdict.value == "error" and "ambiguous" in step.message


def test_a_zero_side_of_an_assumption_takes_the_other_sides_shape():
    for side in ("0", "\\mathbf{0}", "\\mathbf{0}_M"):
        head = RIDGE.replace("+ \\lambda w = 0", "+ \\lambda w = " + side)
        assert verdicts(head, r"X^T X w = X^T y - \lambda w") == ["proved"], side
    head = RIDGE.replace("  - X^T (X w - y) + \\lambda w = 0", "  - 0 = X^T (X w - y) + \\lambda w")
    assert verdicts(head, r"X^T X w = X^T y - \lambda w") == ["proved"]


def test_an_assumption_with_a_zero_of_the_wrong_size_is_an_error():
    head = RIDGE.replace("+ \\lambda w = 0", "+ \\lambda w = \\mathbf{0}_N")
    result = deriv.check_text(head + "$$ w = w $$\n")
    assert result.error is not None and "different shapes" in result.error


# -- stationarity assumptions -------------------------------------------------------------
def test_ridge_normal_equations_prove_and_refute():
    found = steps(RIDGE, r"w^T X^T (X w - y) = -\lambda w^T w", r"w^T X^T (X w - y) = \lambda w^T w",
                  r"\lambda w^T w = w^T X^T y - \|X w\|^2", r"X w = y")
    assert [s.verdict.value for s in found] == ["proved", "refuted", "proved", "refuted"], [s.message for s in found]
    assert "satisfies the assumptions X^T (X w - y) + \\lambda w = 0 exactly" in found[1].message


def test_the_tester_alone_agrees_under_the_normal_equations():
    # Not provable by the rules (a product of the assumption with itself): tested on the instances.
    found = steps(RIDGE, r"\|X^T X w - X^T y\|^2 = \lambda^2 w^T w", r"\|X^T X w - X^T y\|^2 = \lambda w^T w")
    assert [s.verdict.value for s in found][1] == "refuted"
    assert found[0].verdict.value in ("proved", "tested"), found[0].message


def test_a_gradient_set_to_zero_with_the_loss_defined():
    head = RIDGE.replace("assumptions:\n  - X^T (X w - y) + \\lambda w = 0", "definitions:\n"
                         "  - L = \\frac{1}{2} \\|X w - y\\|^2 + \\frac{\\lambda}{2} \\|w\\|^2\n"
                         "assumptions:\n  - \\nabla_w L = 0")
    assert verdicts(head, r"w^T X^T (X w - y) = -\lambda w^T w", r"w^T X^T (X w - y) = \lambda w^T w",
                    r"\frac{\partial L}{\partial w} = \mathbf{0}") == ["proved", "refuted", "proved"]


LEAST_SQUARES = """---
symbols:
  A: matrix N x K
  B: matrix K x M
  w: vector M
  y: vector N
definitions:
  - X = A B
assumptions:
  - X^T (X w - y) = \\mathbf{0}_M
---

"""


def test_rank_deficient_least_squares():
    # X = A B has rank <= K, so X^T X is singular whenever K < M: the solver samples the
    # solution space; X w = y is false for N > K (y is not in the range of X).
    assert verdicts(LEAST_SQUARES, r"\|X w\|^2 = w^T X^T y", r"\|X w - y\|^2 = \|y\|^2 - \|X w\|^2",
                    r"X w = y", r"w^T w = 0", r"\|X w - y\|^2 = \|y\|^2 + \|X w\|^2") == [
        "proved", "proved", "refuted", "refuted", "refuted"]


def test_lambda_zero():
    head = RIDGE.replace("+ \\lambda w = 0\n", "+ \\lambda w = 0\n  - \\lambda = 0\n")
    assert verdicts(head, r"w^T X^T (X w - y) = 0", r"X w = y", r"\lambda w^T w = 0") == ["proved", "refuted", "proved"]


def test_a_homogeneous_system_is_not_solved_by_zero():
    # Solved for x, A x = 0 would give x = 0 on every instance (a random A is invertible)
    # and x^T x = 0 would pass: A is solved for (entry by entry, or as the larger solution space).
    head = "---\nsymbols:\n  A: matrix N x N\n  x: vector N\nassumptions:\n  - A x = 0\n---\n\n"
    assert verdicts(head, r"x^T x = 0", r"x^T A^T A x = 0", r"A = 0") == ["refuted", "proved", "refuted"]


def test_an_assumption_not_linear_in_any_vector_is_as_before():
    head = "---\nsymbols:\n  w: vector M\nassumptions:\n  - \\|w\\|^2 w = w\n---\n\n"
    found = steps(head, r"w^T w = 1", r"(w^T w - 1) w^T w = 0")
    assert all(s.verdict.value == "undecided" and "not linear" in s.message for s in found), [s.message for s in found]


def test_a_system_without_solutions_is_undecided_never_tested():
    head = "---\nsymbols:\n  w: vector M\n  v: vector M\nassumptions:\n  - w - w = v - v + \\mathbf{1}_M\n---\n\n"
    found = steps(head, r"w^T w = 5", r"w^T w = w^T w")
    assert found[0].verdict.value == "undecided", found[0].message
    assert found[1].verdict.value in ("proved", "undecided")


# -- the instances --------------------------------------------------------------------------
def _instances(front: str, sizes: dict[str, int], trials=range(9)):
    from deriv.engine.decide import Session
    from deriv.meaning.declarations import build_context
    from deriv.read.document import parse_document

    context = build_context(parse_document(front, "t.md").front, "t.md", nullcontext)
    session = Session(context)
    symbols = {Symbol(k, integer=True, positive=True): v for k, v in sizes.items()}
    return [session.instance(t, symbols, 0).arrays for t in trials]


@pytest.mark.parametrize("n, m", [(1, 1), (1, 3), (3, 1), (2, 2), (4, 2), (2, 5)])
def test_ridge_instances_satisfy_the_normal_equations_exactly(n, m):
    # An independent check in SymPy of every instance drawn, at sizes where X^T X is singular too.
    for arrays in _instances(RIDGE.replace("---\n\n", "---\n"), {"N": n, "M": m}):
        x = sympy.Matrix(n, m, lambda i, j: sympy.Rational(str(arrays["X"][(i, j)])))
        w = sympy.Matrix(m, 1, lambda i, j: sympy.Rational(str(arrays["w"][(i,)])))
        y = sympy.Matrix(n, 1, lambda i, j: sympy.Rational(str(arrays["y"][(i,)])))
        lam = sympy.Rational(str(arrays["lambda"]))
        assert x.T * (x * w - y) + lam * w == sympy.zeros(m, 1)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 4), st.data())
def test_solution_space_against_sympy(rows, cols, rank, data):
    # A of at most the given rank (a product), b in its range or not: the particular solution and
    # every direction are checked exactly, and "no solution" against SymPy's ranks.
    entry = st.integers(-3, 3)
    left = sympy.Matrix(rows, rank, data.draw(st.lists(entry, min_size=rows * rank, max_size=rows * rank)))
    right = sympy.Matrix(rank, cols, data.draw(st.lists(entry, min_size=rank * cols, max_size=rank * cols)))
    a = left * right if rank else sympy.zeros(rows, cols)
    b = sympy.Matrix(rows, 1, data.draw(st.lists(entry, min_size=rows, max_size=rows)))
    found = solution_space([[fmpq(int(a[i, j])) for j in range(cols)] for i in range(rows)], [fmpq(int(v)) for v in b])
    solvable = a.rank() == a.row_join(b).rank()
    assert (found is not None) == solvable
    if found is None:
        return
    particular, directions = found
    assert len(directions) == cols - a.rank()
    as_sympy = lambda u: sympy.Matrix([sympy.Rational(int(v.p), int(v.q)) for v in u])  # noqa: E731
    assert a * as_sympy(particular) + b == sympy.zeros(rows, 1)
    for direction in directions:
        assert a * as_sympy(direction) == sympy.zeros(rows, 1)
    if directions:
        assert sympy.Matrix.hstack(*(as_sympy(d) for d in directions)).rank() == len(directions)


def test_the_instances_cover_more_than_one_array_solved_for():
    # N > M: y has the larger solution space (w, X, lambda stay random); N < M: w.
    import deriv.engine.assumptions as assumptions

    chosen: list[tuple] = []
    original = assumptions.solve_systems

    def spy(*args):
        found = original(*args)
        chosen.append(tuple(found.values()))
        return found

    assumptions.solve_systems = spy
    try:
        _instances(RIDGE.replace("---\n\n", "---\n"), {"N": 4, "M": 2}, trials=[0, 3])
        _instances(RIDGE.replace("---\n\n", "---\n"), {"N": 2, "M": 4}, trials=[0, 3])
    finally:
        assumptions.solve_systems = original
    assert ("y",) in chosen and ("w",) in chosen, chosen



def test_a_scalar_degenerate_solution_of_a_coupled_system():
    # lambda A x = mu A x holds for every A, x when lambda = mu: the instances must include that
    # (the scalars mode solves the system for lambda), else A x = 0 would pass.
    head = ("---\nsymbols:\n  A: matrix N x N\n  x: vector N\n  lambda: scalar\n  mu: scalar\n"
            "assumptions:\n  - \\lambda A x = \\mu A x\n---\n\n")
    assert verdicts(head, r"A x = 0", r"\lambda = \mu", r"(\lambda - \mu) x^T A x = 0") == ["refuted", "refuted", "proved"]


def test_matrix_unknowns():
    multi = ("---\nsymbols:\n  X: matrix N x M\n  W: matrix M x K\n  Y: matrix N x K\n"
             "assumptions:\n  - X^T (X W - Y) = 0\n---\n\n")
    assert verdicts(multi, r"\operatorname{tr}(W^T X^T X W) = \operatorname{tr}(W^T X^T Y)", r"X W = Y") == ["proved", "refuted"]
    product = "---\nsymbols:\n  A: matrix N x N\n  X: matrix N x M\n  B: matrix N x M\nassumptions:\n  - A X = B\n---\n\n"
    assert verdicts(product, r"\operatorname{tr}(X^T A^T B) = \|B\|_F^2", r"\operatorname{tr}(X^T A^T B) = \|X\|_F^2") == [
        "proved", "refuted"]


def test_coupled_rows():
    from deriv.engine.linear_facts import coupled
    from deriv.meaning.declarations import build_context
    from deriv.read.document import parse_document

    def constraint(head: str):
        return build_context(parse_document(head, "t.md").front, "t.md", nullcontext).assumptions[0]

    context = build_context(parse_document(RIDGE, "t.md").front, "t.md", nullcontext)
    assert coupled(constraint(RIDGE), context)
    for head in ("---\nsymbols:\n  x: vector N\n  a: scalar\n  b: scalar\nassumptions:\n  - a x = b x\n---\n",
                 "---\nsymbols:\n  A: matrix N x N\n  X: matrix N x M\n  B: matrix N x M\nassumptions:\n  - A X = B\n---\n",
                 "---\nsymbols:\n  y: vector N\nassumptions:\n  - \\sum_k y_k = 1\n---\n"):
        # each row reads one row or column of an array (or there are no rows): entry by entry first
        assert not coupled(constraint(head), build_context(parse_document(head, "t.md").front, "t.md", nullcontext))


def test_nonzero_against_a_sized_zero_is_some_entry_nonzero():
    # x \neq \mathbf{0}_N means x is not the zero vector (some entry nonzero), as x \neq 0 does --
    # never every entry nonzero.
    from deriv.meaning.assumptions import build_constraint
    from deriv.meaning.declarations import build_context
    from deriv.read.document import parse_document

    context = build_context(parse_document(SHAPES, "t.md").front, "t.md", nullcontext)
    for written in (r"w \neq \mathbf{0}_M", r"w \neq 0", r"w \neq \mathbf{0}"):
        assert build_constraint(written, context).relation == "nonzero", written
    with pytest.raises(deriv.errors.MeaningError, match="different shapes"):
        build_constraint(r"w \neq \mathbf{0}_N", context)
    head = SHAPES.replace("---\n\n", "assumptions:\n  - w \\neq \\mathbf{0}_M\n---\n\n")
    assert verdicts(head, r"w^T w > 0") == ["proved"]


def test_another_equation_on_a_name_of_the_system():
    # With sum y = 1 as well, the normal equations are solved for w, leaving y to the other equation.
    head = RIDGE.replace("+ \\lambda w = 0\n", "+ \\lambda w = 0\n  - \\sum_i y_i = 1\n")
    assert verdicts(head, r"w^T X^T (X w - y) = -\lambda w^T w", r"\sum_i y_i = 2", r"X w = y") == [
        "proved", "refuted", "refuted"]


def test_a_residual_through_a_definition():
    head = RIDGE.replace("assumptions:\n  - X^T (X w - y) + \\lambda w = 0",
                         "definitions:\n  - r = X w - y\nassumptions:\n  - X^T r + \\lambda w = 0")
    assert verdicts(head, r"w^T X^T r = -\lambda w^T w", r"r^T X w = \lambda w^T w") == ["proved", "refuted"]


def test_a_stationarity_condition_that_is_not_linear_stays_undecided():
    # Logistic regression: the gradient is not affine in any array, and has no exact values.
    head = RIDGE.replace("  lambda: scalar\nassumptions:\n  - X^T (X w - y) + \\lambda w = 0",
                         "definitions:\n  - L = \\sum_i \\log(1 + \\exp(-y_i [X w]_i))\nassumptions:\n  - \\nabla_w L = 0")
    (step,) = steps(head, r"w = w")
    assert step.verdict.value == "undecided" and "can not be imposed" in step.message, step.message


def test_a_claim_under_the_normal_equations_is_tested():
    # w^T X^T y = w^T (X^T X + lambda I) w >= 0 for lambda > 0: no sign rule shows it, the instances do;
    # > 0 fails at y = 0 (then w = 0).
    head = RIDGE.replace("+ \\lambda w = 0\n", "+ \\lambda w = 0\n  - \\lambda > 0\n")
    assert verdicts(head, r"w^T X^T y \geq 0", r"w^T X^T y > 0") == ["tested", "refuted"]


@pytest.mark.parametrize("n, k, m", [(3, 1, 2), (2, 1, 3), (4, 2, 3), (1, 1, 1)])
def test_rank_deficient_instances_satisfy_the_normal_equations_exactly(n, k, m):
    # X = A B has rank <= K < M: X^T X is singular, and w must still satisfy X^T (X w - y) = 0
    # exactly (checked in SymPy), with a part in the null space of X when it has one (the free
    # unknowns are drawn, not set to 0).
    outside = False
    for arrays in _instances(LEAST_SQUARES.replace("---\n\n", "---\n"), {"N": n, "K": k, "M": m}):
        def matrix(name: str, rows: int, cols: int) -> sympy.Matrix:
            table = arrays[name]
            return sympy.Matrix(rows, cols, lambda i, j: sympy.Rational(str(table[(i, j)] if (i, j) in table else table[(i,)])))

        x = matrix("A", n, k) * matrix("B", k, m)
        w, y = matrix("w", m, 1), matrix("y", n, 1)
        assert x.T * (x * w - y) == sympy.zeros(m, 1)
        assert (x.T * x).rank() < m or k >= m
        outside = outside or (x.rank() < m and (w - x.pinv() * x * w) != sympy.zeros(m, 1))
    assert outside or min(k, n) >= m


# -- singular matrices the assumptions make ----------------------------------------------------

SAME_IMAGE = "---\nsymbols:\n  A: matrix N x N\n  x: vector N\n  c: vector N\nassumptions:\n  - A x = A c\n---\n\n"


def test_a_matrix_the_assumptions_make_singular_is_no_counterexample_to_its_inverse():
    # A x = A c is solved for A (x - c in its kernel) or made A = 0: A^{-1} was undefined there and
    # refuted A^{-1} A x = x.  Writing A^{-1} presupposes A invertible, and then x = c.
    assert verdicts(SAME_IMAGE, r"A^{-1} A x = x", r"A^{-1} A x = c", r"x = c", r"A^{-1} A x = 2 c") == [
        "proved", "tested", "refuted", "refuted"]


def test_the_ridge_closed_form_with_lambda_of_either_sign():
    # lambda = 0 (a degenerate instance) with N < M makes X^T X + lambda I singular: no counterexample
    found = steps(RIDGE, r"w = (X^T X + \lambda I)^{-1} X^T y", r"w = (X^T X + \lambda I)^{-1} X^T (y + y)")
    assert [s.verdict.value for s in found] == ["tested", "refuted"], [s.message for s in found]


POSITIVE = "---\nsymbols:\n  A: positive matrix N x N\n  x: vector N\n  c: vector N\nassumptions:\n  - {}\n---\n\n"


@pytest.mark.parametrize("assumption, display, verdict", [
    # A random positive A is invertible, so solving for x gave x = 0 (resp. A x = c) on every
    # instance and these false steps were tested; a positive A of rank one is a counterexample.
    (r"A x = \mathbf{0}", r"c^T x = 0", "refuted"),
    (r"A x = \mathbf{0}", r"x = 0", "refuted"),
    (r"A^T A x = A^T c", r"A x = c", "refuted"),
    (r"A x = \mathbf{0}", r"c^T A x = 0", "proved"),
    (r"A^T A x = A^T c", r"x^T A^T A x = x^T A^T c", "proved"),
])
def test_a_positive_matrix_in_a_linear_assumption_is_also_singular_somewhere(assumption, display, verdict):
    assert verdicts(POSITIVE.format(assumption), display) == [verdict]

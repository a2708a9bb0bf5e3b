r"""The Loewner order as an assumption: ``S \succ T``, ``S \succeq T``, ``T \prec S``, ``S - T \succ 0``.

Each is the definiteness of the difference (docs/deciding.md).  It was not an assumption form:
an error in the front matter and the directive, and a sentence 'We assume $S \succ T$' was not read.
An instance is drawn by setting the one matrix the difference is affine in (``S = T + D``,
:mod:`deriv.engine.order_draws`), on the boundary too (``S = T`` for ``\succeq``), with a skew part
when the matrices are not symmetric -- so the claims it makes are tested where they fail.
"""

from __future__ import annotations

import pytest
from helpers import assumed_verdicts, displays, front_matter, verdicts_with_messages

import deriv
from deriv.results import Verdict

SYMMETRIC = {"S": "symmetric matrix N x N", "T": "symmetric matrix N x N", "x": "vector N", "a": "scalar"}


def verdicts(assumptions: list[str], *maths: str, symbols: dict[str, str] = SYMMETRIC) -> list[deriv.Verdict]:
    return assumed_verdicts(symbols, assumptions, *maths)


@pytest.mark.parametrize("order", [r"S \succ T", r"T \prec S", r"S - T \succ 0", r"0 \prec S - T"])
def test_a_strict_order_is_read_and_used_by_the_sign_reasoning(order: str) -> None:
    assert verdicts([order, r"x \neq 0"], r"x^T S x > x^T T x", r"S - T \succeq 0") == [Verdict.PROVED] * 2


@pytest.mark.parametrize("order", [r"S \succeq T", r"T \preceq S", r"S - T \succeq 0"])
def test_a_non_strict_order_is_met_on_its_boundary(order: str) -> None:
    # S = T satisfies it: strictness, a determinant or a trace gap fail there.
    found = verdicts([order], r"x^T S x \geq x^T T x", r"S - T \succ 0", r"\det(S - T) > 0",
                     r"\operatorname{tr}(S) > \operatorname{tr}(T)", r"\operatorname{tr}(S) \geq \operatorname{tr}(T)")
    assert found == [Verdict.PROVED, Verdict.REFUTED, Verdict.REFUTED, Verdict.REFUTED, Verdict.TESTED]


def test_the_order_does_not_make_either_matrix_definite() -> None:
    assert verdicts([r"S \succ T"], r"S \succ 0", r"S_{1,1} > T_{1,1}") == [Verdict.REFUTED, Verdict.TESTED]


def test_the_difference_of_matrices_not_declared_symmetric_is_not_made_symmetric() -> None:
    symbols = {"S": "matrix N x N", "T": "matrix N x N", "x": "vector N"}
    found = verdicts([r"S \succ T"], r"S_{1,2} - T_{1,2} = S_{2,1} - T_{2,1}", r"x^T S x \geq x^T T x", symbols=symbols)
    assert found == [Verdict.REFUTED, Verdict.PROVED]


def test_a_bound_by_a_gram_matrix_fails_where_that_matrix_is_singular() -> None:
    # The structured instances of a statement follow the assumption to A (A = 0): S = A^T A there.
    symbols = {"A": "matrix N x N", "S": "symmetric matrix N x N", "x": "vector N"}
    found = verdicts([r"S \succeq A^T A"], r"S \succeq 0", r"S \succ 0", symbols=symbols)
    assert found[1] is Verdict.REFUTED and found[0] in (Verdict.PROVED, Verdict.TESTED)


def test_a_scaled_identity_on_the_smaller_side_takes_its_size_from_the_other() -> None:
    found = verdicts([r"S \succ a I"], r"x^T S x \geq a x^T x", r"S_{1,1} > a", r"S_{1,1} \geq a + 1")
    assert found == [Verdict.PROVED, Verdict.TESTED, Verdict.REFUTED]


@pytest.mark.parametrize(("order", "words"), [
    (r"S \succ T \succ 0", "one relation"),
    (r"X \succ 0", "needs a square matrix"),
    (r"a \succ 0", "needs a square matrix"),
    (r"S \succ X", "shapes differ"),
    (r"S \succ", "a matrix on each side"),
])
def test_an_order_that_is_no_assumption_is_a_clear_error(order: str, words: str) -> None:
    symbols = {**SYMMETRIC, "X": "matrix N x M"}
    text = front_matter(symbols, extra=f"assumptions:\n  - '{order}'\n") + displays(r"x^T S x \geq 0")
    result = deriv.check_text(text)
    assert result.error is not None and words in str(result.error), result.error


@pytest.mark.parametrize("where", ["We assume ${order}$.", "<!-- deriv: assume {order} -->"])
@pytest.mark.parametrize("order", [r"S \succ T", r"S - T \succeq 0", r"T \preceq S"])
def test_the_order_in_the_text_is_read_as_in_the_front_matter(where: str, order: str) -> None:
    text = front_matter(SYMMETRIC) + where.format(order=order) + "\n\n$$ x^T S x \\geq x^T T x $$\n\n$$ T - S \\succeq 0 $$\n"
    assert [v for v, _ in verdicts_with_messages(text)] == [Verdict.PROVED, Verdict.REFUTED]


def test_a_definiteness_of_a_defined_difference_is_drawn_as_the_difference() -> None:
    # M = S - T with M \succ 0 assumed: no instance met it (undecided); S is set from T as for S \succ T
    symbols = {"S": "symmetric matrix N x N", "T": "symmetric matrix N x N", "x": "vector N"}
    text = front_matter(symbols, ["M = S - T"], extra="assumptions:\n  - 'M \\succ 0'\n") + displays(
        r"x^T S x \geq x^T T x", r"S \succ 0", r"\operatorname{tr}(S) > \operatorname{tr}(T)")
    assert [v for v, _ in verdicts_with_messages(text)] == [Verdict.PROVED, Verdict.REFUTED, Verdict.TESTED]

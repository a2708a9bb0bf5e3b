"""Meaning, an unsized ``\\mathbf{1}`` in an outer product, sized by the sum around it (docs/format.md).

``Y = X W^T + \\mathbf{1} b^T``: the ones vector is as long as the matrix the
other terms give has rows (``b \\mathbf{1}^T``: columns); exactly one length
fits, and the product must then have that matrix's shape exactly, otherwise
the error asks for the size.  Checked end to end with ``deriv.check_text``.
"""

from __future__ import annotations

import itertools

import pytest

import deriv

HEAD = """---
symbols:
  X: matrix S x M
  W: matrix N x M
  b: vector N
  A: matrix N x N
  mu: vector M
  nu: vector S
  w: vector M
  C: matrix N x P
  Z: matrix S x P
  c: scalar
---

"""
NOT_CLEAR = "the length of \\mathbf{1} is not clear here"


def steps(*displays: str, head: str = HEAD):
    return deriv.check_text(head + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n").steps


def verdicts(*displays: str, head: str = HEAD) -> list[str]:
    return [s.verdict.value for s in steps(*displays, head=head)]


# -- the example, as a definition, in prose and in a step -------------------------
LAYER = HEAD.replace("---\n\n", "definitions:\n  - Y = X W^T + \\mathbf{1} b^T\n---\n\n")
PROSE = r"""Let $X \in \mathbb{R}^{S\times M}$, $W \in \mathbb{R}^{N\times M}$, $b \in \mathbb{R}^N$.
The layer computes $Y = X W^T + \mathbf{1} b^T$.

"""
GOOD = r"Y_{i,j} = \sum_k X_{i,k} W_{j,k} + b_j"
SWAPPED = r"Y_{i,j} = \sum_k X_{i,k} W_{j,k} + b_i"


@pytest.mark.parametrize("head", [LAYER, PROSE], ids=["front matter", "prose"])
def test_the_layer_definition_is_read_and_its_entries_proved(head):
    good, swapped = steps(GOOD, SWAPPED, head=head)
    assert good.verdict.value == "proved", good.message
    assert swapped.verdict.value == "error" and "index i is used at two sizes: S" in swapped.message


def test_the_layer_as_a_step():
    assert verdicts(r"X W^T + \mathbf{1} b^T = X W^T + \mathbf{1}_S b^T",
                    r"(X W^T + \mathbf{1} b^T)_{i,j} = \sum_k X_{i,k} W_{j,k} + b_j",
                    r"X W^T + \mathbf{1} b^T = X W^T + \mathbf{1}_S \mu^T W^T",
                    r"(X W^T + \mathbf{1} b^T)^T = W X^T + b \mathbf{1}^T") == ["proved", "proved", "refuted", "proved"]


@pytest.mark.parametrize("spelling", [r"\mathbf{1}", r"\mathbf 1", r"\boldsymbol{1}", r"\bm{1}", r"\vec{1}", r"\vec 1"])
def test_every_spelling_of_the_ones_vector(spelling):
    assert verdicts(f"X W^T + {spelling} b^T = X W^T + \\mathbf{{1}}_S b^T") == ["proved"]


@pytest.mark.parametrize("display, verdict", [
    (r"X \vec{1}_M = X \mathbf{1}_M", "proved"),
    (r"\vec 1^T X = \mathbf{1}_S^T X", "proved"),
    (r"\vec{10} = 10", "error"),  # only the digit 1 is the ones vector
    (r"\vec 12 = 12", "error"),
])
def test_vec_one_is_the_ones_vector(display, verdict):
    (step,) = steps(display)
    assert step.verdict.value == verdict, step.message


def test_a_plain_one_is_still_the_number():
    # 1 b^T is the row b^T, broadcast to each row: the same matrix, and a note says so
    (step,) = steps(r"X W^T + 1 b^T = X W^T + \mathbf{1}_S b^T")
    assert step.verdict.value == "proved" and "(broadcast)" in step.message


# -- centring, and the ones vector on the right --------------------------------------------
@pytest.mark.parametrize("display, verdict", [
    (r"(X - \mathbf{1}\mu^T)_{i,j} = X_{i,j} - \mu_j", "proved"),
    (r"(X - \mathbf{1}\mu^T)_{i,j} = X_{i,j} - \mu_i", "error"),  # i at S and at M
    (r"(X + \nu \mathbf{1}^T)_{i,j} = X_{i,j} + \nu_i", "proved"),
    (r"(X + \nu \mathbf{1}^T)_{i,j} = X_{i,j} + \nu_j", "error"),
    (r"(X + c \mathbf{1} \mu^T)_{i,j} = X_{i,j} + c \mu_j", "proved"),  # a scalar before it
    (r"(X + \mathbf{1} \mu^T / 2)_{i,j} = X_{i,j} + \mu_j / 2", "proved"),
    (r"\mathbf{1}^T X = \mathbf{1}_S^T X", "proved"),  # its neighbour sizes it, as before
    (r"X \mathbf{1} = X \mathbf{1}_M", "proved"),
])
def test_centring_and_column_sums(display, verdict):
    (step,) = steps(display)
    assert step.verdict.value == verdict, step.message


def test_a_bracket_after_the_ones_vector():
    assert verdicts(r"(X W^T + \mathbf{1}(b + b)^T)_{i,j} = \sum_k X_{i,k} W_{j,k} + 2 b_j",
                    r"(X W^T + \mathbf{1}(b + b)^T)_{i,j} = \sum_k X_{i,k} W_{j,k} + 2 b_i",
                    r"X + \mathbf{1}(\mu^T w) = X",  # a vector: two lengths would fit
                    r"\mathbf{1}(b + b)^T = 2 \mathbf{1}_S b^T",  # a first member takes the next one's shape
                    r"\mathbf{1}(b + b)^T = 2 \mathbf{1}_S b") == ["proved", "error", "error", "proved", "error"]


# -- square matrices and sizes that coincide -------------------------------------------
def test_a_square_matrix_fits_one_length_only():
    good, bad, other = steps(r"(A + \mathbf{1} b^T)_{i,j} = A_{i,j} + b_j", r"(A + \mathbf{1} b^T)_{i,j} = A_{i,j} + b_i",
                             r"A + \mathbf{1} b^T = A + b \mathbf{1}^T")
    assert (good.verdict.value, bad.verdict.value, other.verdict.value) == ("proved", "refuted", "refuted")
    assert bad.counterexample is not None and other.counterexample is not None


@pytest.mark.parametrize("rows, cols", list(itertools.product(["N", "M", "K"], repeat=2)))
def test_outer_products_for_every_way_the_sizes_can_coincide(rows, cols):
    """P (rows x cols) plus an outer product with a ones vector, for sizes equal or not by name."""
    head = f"---\nsymbols:\n  P: matrix {rows} x {cols}\n  u: vector {rows}\n  v: vector {cols}\n---\n\n"
    got = verdicts(r"(P + \mathbf{1} v^T)_{i,j} = P_{i,j} + v_j", r"(P + u \mathbf{1}^T)_{i,j} = P_{i,j} + u_i",
                   r"(P - \mathbf{1}\mathbf{1}^T)_{i,j} = P_{i,j} - 1", r"(P + \mathbf{1} v^T)_{i,j} = P_{i,j} + v_i",
                   r"(P + u \mathbf{1}^T)_{i,j} = P_{i,j} + u_j", head=head)
    wrong = "refuted" if rows == cols else "error"  # a swapped index: a counterexample, or two sizes
    assert got == ["proved"] * 3 + [wrong] * 2


# -- three factors, two ones vectors ---------------------------------------------------
def test_three_factors():
    assert verdicts(r"(Z + \mathbf{1} b^T C)_{i,j} = Z_{i,j} + \sum_k b_k C_{k,j}",
                    r"(Z + \mathbf{1} b^T C)_{i,j} = Z_{i,j} + \sum_k b_k C_{k,i}",
                    r"(X W^T + A \mathbf{1} b^T)^T = W X^T + b \mathbf{1}^T A^T") == ["proved", "error", "error"]


def test_a_product_that_is_not_the_sums_shape_is_an_error():
    # \mathbf{1} (\mu^T w) is a vector: broadcast along rows or columns, two lengths fit
    for display in (r"X + \mathbf{1} \mu^T w = X", r"X + \mathbf{1}\mathbf{1}^T \mathbf{1} = X", r"X + 2 \mathbf{1} = X"):
        (step,) = steps(display)
        assert step.verdict.value == "error" and NOT_CLEAR in step.message, (display, step.message)


def test_ones_times_ones_in_a_sum():
    assert verdicts(r"X + \mathbf{1}\mathbf{1}^T = X + 1",  # non-square: 1_S 1_M^T
                    r"A + \mathbf{1}\mathbf{1}^T = A + \mathbf{1}_N \mathbf{1}_N^T",
                    r"X + \mathbf{1}\mathbf{1}^T = X + \mathbf{1}\mathbf{1}^T X^T X",  # 1_S 1_M^T X^T X
                    r"X + \mathbf{1}\mathbf{1}^T X = X + S \mathbf{1}\mathbf{1}^T X") == [
        "proved", "proved", "refuted", "refuted"]


@pytest.mark.parametrize("display", [
    r"\mathbf{1} b^T = 2 \mathbf{1} b^T",  # no sum, no sized member: nothing gives the length
    r"X + \mathbf{1}^T\mathbf{1} = X",
    r"w + \mathbf{1} b^T = w",  # a vector, not a matrix, around it
    r"[\mathbf{1} b^T]_{i,j} = b_j",
])
def test_where_nothing_fixes_the_length_it_stays_an_error(display):
    (step,) = steps(display)
    assert step.verdict.value == "error" and NOT_CLEAR in step.message, step.message

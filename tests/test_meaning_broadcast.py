"""Meaning, broadcasting written loosely (docs/format.md): ``1 - z``, ``z - \\mu``, ``X - \\mu``, ``X + b``.

A sum of two shapes is read as the one broadcast the shapes allow, the step's
message says so, and anything with two readings (a square matrix) or none is
an error that says what to write.  Sizes are compared by name: a vector ``S``
with an ``S x M`` matrix goes down the columns also at ``S = M``.
"""

from __future__ import annotations

import itertools

import pytest
from sympy import IndexedBase, Symbol

import deriv
from deriv.context import ONE
from deriv.errors import MeaningError, ShapeError
from deriv.ir import free_indices, index, size
from deriv.meaning import values as V
from deriv.meaning.broadcast import Broadcasts
from deriv.render.json import file_to_json

HEAD = """---
symbols:
  z: vector H
  a: vector H
  X: matrix S x M
  mu: vector M
  nu: vector S
  w: vector M
  A: matrix N x N
  b: vector N
  c: scalar
  W: matrix N x M
  "h_{t-1}": vector N
  Y: matrix S x N
  B: matrix S x N
---

"""


def steps(*displays: str, head: str = HEAD):
    result = deriv.check_text(head + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n")
    assert result.error is None, result.error
    return result.steps


def one(display: str, head: str = HEAD):
    (step,) = steps(display, head=head)
    return step


# -- proved, and the message says how it was read ------------------------------------
@pytest.mark.parametrize("display, note", [
    (r"(1 - z)_i = 1 - z_i", r"read 1 - z as \mathbf{1}_H - z (broadcast)"),
    (r"(z - c)_i = z_i - c", r"read z - c as z - c \mathbf{1}_H (broadcast)"),
    (r"(X - \mu)_{i,j} = X_{i,j} - \mu_j", r"read X - \mu as X - \mathbf{1}_S \mu^T (broadcast)"),
    (r"(X - \nu)_{i,j} = X_{i,j} - \nu_i", r"read X - \nu as X - \nu \mathbf{1}_M^T (broadcast)"),
    (r"(X + w^T)_{i,j} = X_{i,j} + w_j", r"read X + w^T as X + \mathbf{1}_S w^T (broadcast)"),
    (r"(c + X)_{i,j} = c + X_{i,j}", r"read c + X as c \mathbf{1}_S \mathbf{1}_M^T + X (broadcast)"),
    (r"(A + b^T)_{i,j} = A_{i,j} + b_j", r"read A + b^T as A + \mathbf{1}_N b^T (broadcast)"),
    (r"1 - z = \mathbf{1}_H - z", r"read 1 - z as \mathbf{1}_H - z (broadcast)"),
    (r"X - \mu = X - \mathbf{1}_S \mu^T", r"read X - \mu as X - \mathbf{1}_S \mu^T (broadcast)"),
    (r"X - \nu = X - \nu \mathbf{1}_M^T", r"read X - \nu as X - \nu \mathbf{1}_M^T (broadcast)"),
    (r"[X W^T + b]_{i,j} = \sum_k X_{i,k} W_{j,k} + b_j", r"read X W^T + b as X W^T + \mathbf{1}_S b^T (broadcast)"),
    (r"(z - a^T z)_i = z_i - \sum_k a_k z_k", r"read z - a^T z as z - a^T z \mathbf{1}_H (broadcast)"),
    (r"(2 - 3 z)_i = 2 - 3 z_i", r"read 2 - 3 z as 2 \mathbf{1}_H - 3 z (broadcast)"),
])
def test_a_forced_broadcast_is_proved_and_named_in_the_message(display, note):
    step = one(display)
    assert step.verdict.value == "proved", step.message
    assert note in step.message


def test_the_note_reaches_the_json():
    result = deriv.check_text(HEAD + "$$ (1 - z)_i = 1 - z_i $$\n")
    (step,) = file_to_json(result)["steps"]
    assert step["message"].startswith(r"read 1 - z as \mathbf{1}_H - z (broadcast)")


def test_a_step_without_a_broadcast_keeps_its_message():
    step = one(r"(z - a)_i = z_i - a_i")
    assert step.verdict.value == "proved" and "broadcast" not in step.message


def test_each_member_of_a_chain_notes_its_own_broadcast():
    first, second, third = steps(r"(1 - z)_i = -(z - 1)_i", r"= 1 - z_i", r"= (1 - z)_i")
    assert first.verdict.value == second.verdict.value == third.verdict.value == "proved"
    assert first.message.startswith(r"read 1 - z as \mathbf{1}_H - z (broadcast); read z - 1 as z - \mathbf{1}_H")
    assert r"read z - 1 as z - \mathbf{1}_H (broadcast)" in second.message  # its left side
    assert "1 - z as" not in second.message
    assert r"read 1 - z as \mathbf{1}_H - z (broadcast)" in third.message


# -- derivatives through broadcasts; definitions and assumptions read the same way ----
@pytest.mark.parametrize("display", [
    r"\frac{\partial}{\partial z_j} a^T (1 - z) = -a_j",
    r"\frac{\partial}{\partial z_j} \sum_i (1 - z_i) a_i = -a_j",
    r"\frac{\partial}{\partial \mu_k} \sum_i \sum_j (X - \mu)_{i,j} = -S",
    r"\frac{\partial}{\partial \mu} \sum_i \sum_j (X - \mu)_{i,j} = -S \mathbf{1}_M",
    r"\frac{\partial}{\partial \nu_k} \sum_i \sum_j (X - \nu)_{i,j}^2 = -2 \sum_j (X_{k,j} - \nu_k)",
    r"\frac{\partial}{\partial c} \sum_i (z - c)_i = -H",
    r"\frac{\partial}{\partial c} (z - c)^T (z - c) = -2 \sum_i (z_i - c)",
    r"\| z - c \|^2 = \sum_i (z_i - c)^2",
    r"\nabla_z (a^T (1 - z)) = -a",
])
def test_derivatives_through_a_broadcast(display):
    step = one(display)
    assert step.verdict.value == "proved", step.message


@pytest.mark.parametrize("display", [
    r"\frac{\partial}{\partial z_j} a^T (1 - z) = a_j",
    r"\frac{\partial}{\partial \mu_k} \sum_i \sum_j (X - \mu)_{i,j} = -M",
    r"\frac{\partial}{\partial c} \sum_i (z - c)_i = -1",
])
def test_wrong_derivatives_through_a_broadcast_are_refuted(display):
    assert one(display).verdict.value == "refuted"


def test_a_definition_reads_the_broadcast():
    head = HEAD.replace("---\n\n", "definitions:\n  - D = X - \\mu\n  - q = 1 - z\n---\n\n")
    good, bad, vector = steps(r"D_{i,j} = X_{i,j} - \mu_j", r"D_{i,j} = X_{i,j} + \mu_j", r"q_i = 1 - z_i", head=head)
    assert (good.verdict.value, bad.verdict.value, vector.verdict.value) == ("proved", "refuted", "proved")


def test_an_assumption_reads_the_broadcast():
    head = HEAD.replace("---\n\n", "assumptions:\n  - z - c = a\n---\n\n")
    good, bad = steps(r"z_i = a_i + c", r"z_i = a_i - c", head=head)
    assert good.verdict.value in ("proved", "tested") and bad.verdict.value == "refuted"


# -- refuted ----------------------------------------------------------------------------
@pytest.mark.parametrize("display", [
    r"(1 - z)_i = 1 + z_i",
    r"(1 - z)_i = z_i - 1",
    r"(X - \mu)_{i,j} = X_{i,j} + \mu_j",
    r"(A + b^T)_{i,j} = A_{i,j} + b_i",  # an explicit row goes along the rows, not down the columns
    r"(c + X)_{i,j} = X_{i,j}",
    r"1 - z = z - \mathbf{1}_H",
])
def test_a_wrong_entry_of_a_broadcast_is_refuted(display):
    step = one(display)
    assert step.verdict.value == "refuted", step.message
    assert "(broadcast)" in step.message


@pytest.mark.parametrize("display", [
    r"(X - \nu)_{i,j} = X_{i,j} - \nu_j",  # the column broadcast's index is the row index
    r"(X - \mu)_{i,j} = X_{i,j} - \mu_i",
])
def test_the_wrong_axis_of_a_non_square_matrix_is_an_index_error(display):
    step = one(display)
    assert step.verdict.value == "error" and "two sizes" in step.message


# -- errors: two readings, or none ------------------------------------------------------
@pytest.mark.parametrize("display, fragments", [
    (r"A + b = A", [r"A + b \mathbf{1}_N^T (in each column)", r"A + \mathbf{1}_N b^T (in each row)"]),
    (r"c + A = A", [r"c \mathbf{1}_N \mathbf{1}_N^T + A (in every entry)", "c I + A (on the diagonal)"]),
    (r"1 - A = A", [r"\mathbf{1}_N \mathbf{1}_N^T - A (in every entry)", "I - A (on the diagonal)"]),
    (r"A + W w = A", [r"A + W w \mathbf{1}_N^T (in each column)", r"A + \mathbf{1}_N (W w)^T (in each row)"]),
    (r"A - h_{t-1} = A", [r"A - h_{t-1} \mathbf{1}_N^T", r"A - \mathbf{1}_N h_{t-1}^T"]),
    (r"A + \sum_k a_k z_k = A", [r"A + (\sum a_{k} z_{k}) I (on the diagonal)", "in every entry"]),
])
def test_a_square_matrix_with_a_vector_or_scalar_is_ambiguous(display, fragments):
    step = one(display)
    assert step.verdict.value == "error"
    assert "is ambiguous" in step.message
    for fragment in fragments:
        assert fragment in step.message


@pytest.mark.parametrize("member, entry", [
    (r"A + b \mathbf{1}_N^T", r"A_{i,j} + b_i"),
    (r"A + \mathbf{1}_N b^T", r"A_{i,j} + b_j"),
    (r"c \mathbf{1}_N \mathbf{1}_N^T + A", r"c + A_{i,j}"),
    (r"c I + A", r"c \delta_{i,j} + A_{i,j}"),
    (r"A + \mathbf{1}_N (W w)^T", r"A_{i,j} + \sum_k W_{j,k} w_k"),
    (r"A + W w \mathbf{1}_N^T", r"A_{i,j} + \sum_k W_{i,k} w_k"),
    (r"A + \mathbf{1}_N h_{t-1}^T", r"A_{i,j} + [h_{t-1}]_j"),
])
def test_what_the_ambiguity_error_says_to_write_means_what_it_says(member, entry):
    step = one(rf"[{member}]_{{i,j}} = {entry}")
    assert step.verdict.value == "proved", step.message


@pytest.mark.parametrize("display, fragment", [
    (r"w^T + w = w", "cannot add w^T (1 x M) and w (vector M)"),  # a row and a column: no outer sum
    (r"\mathbf{1}_S^T X + \mu = \mu", "cannot add"),  # a 1 x M product and a vector M
    (r"X + z = X", "cannot add X (S x M) and z (vector H)"),  # fits neither side
    (r"X + \nu^T = X", "a row vector is added to each row of a matrix (transpose it)"),
    (r"z + a^T = z", "cannot add"),
    (r"c \circ z = z", "Hadamard product"),  # \circ never broadcasts
    (r"X \circ \mu = X", "Hadamard product"),
])
def test_shapes_that_allow_no_broadcast_stay_an_error(display, fragment):
    step = one(display)
    assert step.verdict.value == "error"
    assert fragment in step.message


@pytest.mark.parametrize("display", [
    r"\frac{\partial Y_{i,j}}{\partial b_k} = \frac{\partial}{\partial b_k} \left( \underbrace{XW^T}_{i,j} + B_{i,j} \right)",
    r"(X W^T + B_{i,j})_{i,j} = Y_{i,j}",
    r"\sum_i (z - a_i) = z",
])
def test_an_entry_is_not_broadcast_against_a_whole_array(display):
    """An entry next to the whole matrix is the seed notes' mistake: an error, not ``B_{i,j}`` in every entry."""
    step = one(display)
    assert step.verdict.value == "error", step.message
    assert "cannot add" in step.message


# -- sizes: fixed by the names, never by the sizes drawn ---------------------------------
def test_a_column_broadcast_stays_one_when_the_sizes_meet():
    """``S`` and ``M`` are different names, so ``X - \\nu`` is a column broadcast; the
    tester tries ``S = M`` and ``S = 1`` too and must agree with the proof."""
    head = HEAD.replace("X: matrix S x M", "X: matrix S x M\n  V: matrix S x S")
    column, square = steps(r"(X - \nu)_{i,j} = X_{i,j} - \nu_i", r"V + \nu = V", head=head)
    assert column.verdict.value == "proved"
    assert square.verdict.value == "error" and "is ambiguous" in square.message


def test_a_one_entry_vector_is_a_scalar():
    """``x^T y`` is a scalar (1 x 1): adding it to a vector spreads it; ``\\mathbf{1}_S^T \\nu`` too."""
    step = one(r"(z + \mathbf{1}_S^T \nu)_i = z_i + \sum_k \nu_k")
    assert step.verdict.value == "proved" and "(broadcast)" in step.message


# -- the rule itself, against an independent reference -------------------------------------
_R, _C, _N = size("R"), size("C"), size("N")
_KINDS = {
    "scalar": (ONE, ONE), "column R": (_R, ONE), "column C": (_C, ONE), "row C": (ONE, _C),
    "row R": (ONE, _R), "R x C": (_R, _C), "C x R": (_C, _R), "N x N": (_N, _N), "column N": (_N, ONE),
    "row N": (ONE, _N),
}


def _array(name: str, shape) -> V.Value:
    rows, cols = shape
    base = IndexedBase(name)
    if (rows, cols) == (ONE, ONE):
        return V.scalar(Symbol(name), name)
    return V.matrix(rows, cols, lambda i, j: base[i, j], name)


def _expected(small_shape, large_shape) -> str:
    """How the reference reads ``small`` against ``large``: the axis each of its
    entries is taken from, ``none`` or ``ambiguous`` -- written from the shapes alone."""
    (sr, sc), (lr, lc) = small_shape, large_shape
    if small_shape == large_shape:
        return "same"
    if (sr, sc) == (ONE, ONE):
        if ONE in (lr, lc):
            return "scalar"
        return "ambiguous" if lr == lc else "scalar"
    if ONE in (lr, lc) or ONE not in (sr, sc):
        return "none"  # only a scalar or a vector goes to a matrix
    if sr == ONE:
        return "row" if sc == lc else "none"
    fits = [axis for axis, length in (("column", lr), ("row", lc)) if sr == length]
    return {0: "none", 1: fits[0] if fits else "none", 2: "ambiguous"}[len(fits)]


@pytest.mark.parametrize("left, right, sign", list(itertools.product(sorted(_KINDS), sorted(_KINDS), (1, -1))))
def test_every_pair_of_shapes_against_a_reference(left, right, sign):
    """All pairs of the shapes (few enough to try every one, rather than sample)."""
    a, b = _array("a", _KINDS[left]), _array("b", _KINDS[right])
    builder = Broadcasts()
    i, j = index("i"), index("j")
    small, large = (a, b) if _rank(a) < _rank(b) else (b, a)
    expect = _expected(small.shape, large.shape) if a.shape != b.shape else "same"
    if expect in ("none", "ambiguous"):
        with pytest.raises(ShapeError if expect == "none" else MeaningError) as caught:
            builder.summed(a, b, sign)
        assert ("is ambiguous" in caught.value.message) == (expect == "ambiguous")
        assert builder.broadcasts == ()
        return
    result = builder.summed(a, b, sign)
    assert result.shape == large.shape
    assert len(builder.broadcasts) == (0 if expect == "same" else 1)
    r, c = (i, j) if ONE not in large.shape else ((i, 0) if large.cols == ONE else (0, j))
    own = {"same": (r, c), "scalar": (0, 0), "column": (r, 0), "row": (0, c) if small.rows == ONE else (c, 0)}[expect]
    small_entry = small.entry(*own)
    want = (large.entry(r, c) + sign * small_entry) if large is a else (small_entry + sign * large.entry(r, c))
    assert (result.entry(r, c) - want).expand() == 0


def _rank(value: V.Value) -> int:
    return (value.rows != ONE) + (value.cols != ONE)


def test_an_operand_with_an_index_the_other_lacks_is_not_broadcast():
    k = index("k")
    entry = V.scalar(IndexedBase("B")[k, k], "B_{k,k}")
    with pytest.raises(ShapeError):
        Broadcasts().summed(_array("X", (_R, _C)), entry, 1)
    family = V.matrix(_R, ONE, lambda i, j: IndexedBase("z")[i, k], "z_k")
    grown = Broadcasts().summed(V.scalar(IndexedBase("m")[k], "m_k"), family, -1)
    i = index("i")
    assert (grown.entry(i, 0) - (IndexedBase("m")[k] - IndexedBase("z")[i, k])).expand() == 0
    assert free_indices(grown.entry(i, 0)) == {i, k}


def test_sizes_are_compared_by_name():
    """Two different size names are never the same length, whatever sizes are drawn."""
    for (x, y) in itertools.permutations([_R, _C], 2):
        builder = Broadcasts()
        value = builder.summed(_array("X", (x, y)), _array("v", (x, ONE)), 1)
        assert builder.broadcasts == (r"read X + v as X + v \mathbf{1}_%s^T (broadcast)" % y,)
        assert value.entry(index("i"), index("j")) == IndexedBase("X")[index("i"), index("j")] + IndexedBase("v")[index("i"), 0]


@pytest.mark.parametrize("display, verdict", [
    (r"(c - z + \mathbf{1})_i = c - z_i + 1", "proved"),  # \mathbf{1} sized by z, not by the scalar c
    (r"(\mathbf{1} + c - z)_i = c - z_i + 1", "proved"),
    (r"(c - z + \mathbf{1})_i = c - z_i", "refuted"),
    (r"(c + \mathbf{1})_i = c + 1", "error"),  # nothing says how long
    (r"(\mu + X + \mathbf{1})_{i,j} = \mu_j + X_{i,j} + 1", "error"),  # a matrix does not size a ones vector
])
def test_an_implicit_ones_vector_takes_the_shape_of_the_largest_term(display, verdict):
    assert one(display).verdict.value == verdict


GRU = """---
symbols:
  z_t: vector H
  n_t: vector H
  "h_{t-1}": vector H
  h_t: vector H
  g: vector H
definitions:
  - h_t = (1 - z_t) \\circ n_t + z_t \\circ h_{t-1}
---

"""


@pytest.mark.parametrize("display, verdict", [
    (r"\frac{\partial [h_t]_i}{\partial [z_t]_j} = \delta_{i,j} ([h_{t-1}]_i - [n_t]_i)", "proved"),
    (r"\frac{\partial}{\partial [n_t]_j} g^T h_t = g_j (1 - [z_t]_j)", "proved"),
    (r"\frac{\partial}{\partial [n_t]_j} g^T h_t = g_j [z_t]_j", "refuted"),
    (r"\frac{\partial}{\partial [z_t]_j} g^T h_t = g_j ([n_t]_j - [h_{t-1}]_j)", "refuted"),
])
def test_a_gru_update_gate_written_with_one_minus_z(display, verdict):
    assert one(display, head=GRU).verdict.value == verdict


def test_a_broadcast_in_a_definition_is_named_by_every_step_that_uses_it():
    # y = 1 - z was read as \mathbf{1}_H - z with nothing said: the step using y now says so
    head = HEAD.replace("---\n\n", "definitions:\n  - y = 1 - z\n  - u = 2 y\n---\n\n", 1)  # the closing line
    found = steps(r"y_i = 1 - z_i", r"u_i = 2 - 2 z_i", r"z_i = z_i", head=head)
    note = r"in the definition of y, read 1 - z as \mathbf{1}_H - z (broadcast)"
    assert [s.verdict.value for s in found] == ["proved", "proved", "proved"]
    assert note in found[0].message and note in found[1].message and "broadcast" not in found[2].message
    assert note in file_to_json(deriv.check_text(head + "$$ y_i = 1 - z_i $$\n"))["steps"][0]["message"]


def test_a_broadcast_in_a_recurrence_is_named_by_the_steps_that_use_its_members():
    head = ("---\nsymbols:\n  h: vector H, for t in 0..T\n  z: vector H, for t in 1..T\nindices:\n  t: T\n"
            "definitions:\n  - h_t = (1 - z_t) \\circ h_{t-1}\n---\n\n")
    (step,) = steps(r"[h_t]_i = (1 - [z_t]_i) [h_{t-1}]_i", head=head)
    assert step.verdict.value == "proved" and "in the definition of h's members, read 1 - z_{t} as" in step.message

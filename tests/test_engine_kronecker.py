"""Engine, the Kronecker product and vec (docs/format.md, docs/deciding.md).

``A \\otimes B`` reads its entry at row ``r`` through the digits ``r // P`` and
``r % P`` of the row (:mod:`deriv.meaning.digits`); ``\\operatorname{vec}(X)``
likewise.  The normal form splits a sum over a composite index into two
(:mod:`deriv.engine.digits`), so the Cookbook's identities are proved for every
size; what it can not reduce is only tested.  The wrong orders, a missing
transpose and row-stacking are refuted at sizes where they differ.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.engine.digits import split_sums, within_ranges
from deriv.ir import index, size
from deriv.meaning.digits import Quotient, Remainder

SYMBOLS = {
    "A": "matrix M x N", "B": "matrix P x Q", "X": "matrix N x P", "C": "matrix N x R", "D": "matrix Q x L",
    "S": "matrix N x N", "F": "matrix P x P", "U": "matrix N x N", "Y": "matrix M x P", "Z": "matrix M x P",
    "a": "vector M", "b": "vector P", "c": "vector M", "d": "vector P", "x": "vector K", "W": "matrix P x N",
    "V": "matrix P x P", "G": "matrix K x K",
}


def steps(*displays: str, indices: str = ""):
    symbols = "".join(f"  {name}: {kind}\n" for name, kind in SYMBOLS.items())
    front = f"---\nsymbols:\n{symbols}{indices}---\n\n"
    text = front + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return deriv.check_text(text, options=CheckOptions(isolate=False)).steps


def single(display: str, indices: str = ""):
    (step,) = steps(display, indices=indices)
    return str(step.verdict), step.message


ENTRY_INDICES = "indices:\n  i: M\n  j: N\n  k: P\n  l: Q\n"


# -- the Cookbook's identities, proved for every size ---------------------------------------

@pytest.mark.parametrize("display", [
    r"\operatorname{vec}(AXB) = (B^T \otimes A)\operatorname{vec}(X)",
    r"(A \otimes B)^T = A^T \otimes B^T",
    r"(A \otimes B)(C \otimes D) = AC \otimes BD",
    r"\operatorname{tr}(S \otimes F) = \operatorname{tr}(S) \operatorname{tr}(F)",
    r"(A \otimes B) \otimes C = A \otimes (B \otimes C)",
    r"\operatorname{vec}(a b^T) = b \otimes a",
    r"(a \otimes b)^T (c \otimes d) = a^T c \, b^T d",
    r"\operatorname{vec}(Y)^T \operatorname{vec}(Z) = \operatorname{tr}(Y^T Z)",
    r"2 \otimes A = 2 A",
    r"(S + U) \otimes F = S \otimes F + U \otimes F",
    r"(I_N \otimes I_P) \operatorname{vec}(W) = \operatorname{vec}(W)",
    r"(I_N \otimes F) \operatorname{vec}(W) = \operatorname{vec}(F W)",
    r"(F \otimes I_N) \operatorname{vec}(X) = \operatorname{vec}(X F^T)",
    r"\operatorname{vec}(X)^T (F \otimes S) \operatorname{vec}(X) = \operatorname{tr}(X^T S X F^T)",
    r"\mathrm{vec}(X) = \operatorname{vec} X",
    r"\text{vec}(X) = \operatorname{vec}(X)",
    r"\operatorname{vec}(a) = a",
    r"\operatorname{vec}(a^T) = a",
    r"A \otimes F b = A \otimes (F b)",                 # juxtaposition binds tighter, as with \circ
    r"\frac{\partial \operatorname{tr}(S \otimes F)}{\partial F} = \operatorname{tr}(S) I_P",
    r"\frac{\partial (a \otimes b)^T (a \otimes b)}{\partial a} = 2 b^T b a",
    r"\sum_{r=1}^{MP} [A \otimes B]_{r,1} = \sum_{i} A_{i,1} \sum_{k} B_{k,1}",
    r"[I_N \otimes I_P]_{r,s} = \delta_{r,s}",                   # same quotient and remainder: one index
    r"[I_N \otimes I_P]_{r,s} = [I_P \otimes I_N]_{r,s}",
    r"a^T \otimes b = b a^T",
    r"(S \otimes F) \circ (U \otimes V) = (S \circ U) \otimes (F \circ V)",
    r"A \otimes (B + B) = A \otimes B + A \otimes B",
    r"(a^T c) \otimes B = a^T c B",
    r"\operatorname{vec}(X)^T \operatorname{vec}(X) = \|X\|_F^2",
    r"\operatorname{vec}(X)_i = [\operatorname{vec}(X)]_i",
    r"[A \otimes B]_{1,1} = A_{1,1} B_{1,1}",
    r"\frac{\partial [\operatorname{vec}(AXB)]_r}{\partial X_{i,j}} = [B^T \otimes A]_{r,(j-1)N+i}",
])
def test_identities_are_proved(display):
    assert single(display) == ("proved", "")


@pytest.mark.parametrize("display", [
    r"[A \otimes B]_{(i-1)P + k, (j-1)Q + l} = A_{i,j} B_{k,l}",
    r"[\operatorname{vec}(A)]_{(j-1)M + i} = A_{i,j}",
    r"[A \otimes B]_{MP, NQ} = A_{M,N} B_{P,Q}",                      # the last entry
    r"[A \otimes B]_{P, 1} = A_{1,1} B_{P,1}",                        # the last row of the first block
])
def test_entries_at_composite_positions_are_proved(display):
    assert single(display, ENTRY_INDICES) == ("proved", "")


# -- wrong orders, a missing transpose, row-stacking: refuted ------------------------------

@pytest.mark.parametrize("display", [
    r"\operatorname{vec}(AXB) = (A \otimes B^T)\operatorname{vec}(X)",     # wrong order
    r"\operatorname{vec}(S X F) = (F \otimes S)\operatorname{vec}(X)",       # missing transpose (F is not symmetric)
    r"S \otimes F = F \otimes S",                                           # holds at sizes 1 only
    r"\operatorname{vec}(Y) = \operatorname{vec}(Y^T)",                     # row-stacking
    r"(S \otimes F)^T = F^T \otimes S^T",
    r"\operatorname{tr}(S \otimes F) = \operatorname{tr}(S) + \operatorname{tr}(F)",
    r"(I_N \otimes F) \operatorname{vec}(X) = \operatorname{vec}(X F^T)",    # the blocks are N long, not P
    r"[S \otimes I_P]_{r,s} = \delta_{r,s}",
    r"[I_N \otimes I_P]_{r,s} = [I_N \otimes F]_{r,s}",
])
def test_wrong_identities_are_refuted(display):
    verdict, message = single(display)
    assert verdict == "refuted", message


def test_the_commuted_product_is_refuted_at_sizes_of_two():
    (step,) = steps(r"S \otimes F = F \otimes S")
    sizes = dict(step.counterexample.sizes)
    assert sizes["N"] >= 2 and sizes["P"] >= 2, sizes


def test_the_missing_transpose_holds_for_a_symmetric_factor():
    symbols = "  S: matrix N x N\n  X: matrix N x P\n  F: symmetric matrix P x P\n"
    text = f"---\nsymbols:\n{symbols}---\n\n$$ \\operatorname{{vec}}(S X F) = (F \\otimes S)\\operatorname{{vec}}(X) $$\n"
    (step,) = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert str(step.verdict) == "proved", step.message


@pytest.mark.parametrize("display", [
    r"[A \otimes B]_{(k-1)M + i, (j-1)Q + l} = A_{i,j} B_{k,l}",   # the digits swapped
    r"[\operatorname{vec}(A)]_{(i-1)N + j} = A_{i,j}",              # row-stacking
    r"[A \otimes B]_{P, 1} = A_{2,1} B_{1,1}",                      # entry P + 1 is A_{2,1} B_{1,1}
])
def test_wrong_entries_are_refuted(display):
    verdict, message = single(display, ENTRY_INDICES)
    assert verdict == "refuted", message


# -- what the engine can not reduce is tested, never proved --------------------------------

@pytest.mark.parametrize("display, verdicts", [
    # two vecs of different row counts: the sum splits by one of them only
    (r"\operatorname{vec}(X)^T \operatorname{vec}(W) = \sum_{i} \sum_{j} X_{i,j} [\operatorname{vec}(W)]_{(j-1)N+i}",
     {"tested", "proved"}),
])
def test_what_the_normal_form_can_not_reduce_is_tested(display, verdicts):
    verdict, message = single(display)
    assert verdict in verdicts, message


def test_an_unreduced_false_step_is_refuted():
    verdict, message = single(r"\operatorname{vec}(X)^T \operatorname{vec}(W) = \sum_{i} \sum_{j} "
                              r"X_{i,j} [\operatorname{vec}(W)]_{(i-1)P+j}")
    assert verdict == "refuted", message


# -- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("display, words", [
    (r"(A \otimes B) x = 0", ["cannot multiply", "M*P x N*Q", "vector K"]),
    (r"(S \otimes F)\operatorname{vec}(Y) = 0", ["cannot multiply"]),
    (r"A \otimes B \circ A = A", ["\\otimes next to \\circ", "bracket"]),
    (r"[\operatorname{vec}(W)]_{(i-1)P+j} = 0", ["past"]),
    (r"[A \otimes B]_{(i-1)Q + k, j} = 0", ["past"]),
    (r"[A \otimes B]_{i k, j} = 0", []),
    (r"[A \otimes B]_{2,1} = A_{1,1} B_{2,1}", ["past"]),      # entry 2 needs M P >= 2
    (r"A \otimes I = A", ["size of the identity I"]),
    # the Jacobian of one vector expression by another is not a matrix deriv reads (write it by entries)
    (r"\frac{\partial \operatorname{vec}(AXB)}{\partial \operatorname{vec}(X)} = B^T \otimes A", ["derivatives"]),
    (r"\operatorname{vec} A B = 0", ["bracket"]),
])
def test_errors(display, words):
    verdict, message = single(display, ENTRY_INDICES.replace("  k: P\n", "  k: Q\n") if "Q + k" in display else ENTRY_INDICES)
    assert verdict == "error", message
    for word in words:
        assert word in message, message


def test_vec_is_an_accent_only_as_a_command():
    # \vec{u} names a vector of its own; \operatorname{vec} is the operator
    text = "---\nsymbols:\n  \\vec{u}: vector N\n  u: vector N\n---\n\n$$ \\operatorname{vec}(\\vec{u}) = u $$\n"
    (step,) = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert str(step.verdict) == "refuted", step.message


def test_the_step_echoes_vec_as_written_and_reads_both_as_the_operator():
    (step,) = steps(r"\mathrm{vec}(X) = \operatorname{vec}(X)")
    assert (step.lhs, step.rhs) == (r"\mathrm{vec}(X)", r"\operatorname{vec}(X)")  # the roman form as written
    assert str(step.verdict) == "proved", step.message


# -- the digits: every rule an identity on integers ----------------------------------------

I, K = index("i"), index("k")
SIZES = (size("P"), size("Q"))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3),
       st.integers(0, 20), st.integers(0, 20), st.integers(1, 5), st.integers(1, 5), st.booleans())
def test_digit_rules_agree_with_integer_division(c1, c2, c3, c4, c5, i, k, p, q, product):
    P, Q = SIZES
    divisor = P * Q if product else P
    x = c1 * P * I + c2 * K + c3 * P * Q * I + c4 * P + c5
    at = {I: i, K: k, P: p, Q: q}
    value, d = int(x.subs(at)), int(divisor.subs(at))
    assert int(Quotient(x, divisor).subs(at)) == value // d
    assert int(Remainder(x, divisor).subs(at)) == value % d
    assert int(Quotient(Quotient(x, P), Q).subs(at)) == (value // p) // q
    assert int(Remainder(Remainder(x, P * Q), P).subs(at)) == (value % (p * q)) % p
    assert int(Quotient(Remainder(x, P * Q), P).subs(at)) == (value % (p * q)) // p


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 5))
def test_a_split_sum_has_the_same_terms(n, p, offset):
    # sum over r < N P of f(r // P, r % P, r), written back as two sums, at concrete sizes
    N, P = size("N"), size("P")
    r = index("r")
    f = sympy.Function("f")
    body = f(Quotient(r, P), Remainder(r, P), r + offset)
    new_body, bound = split_sums(body, [(r, N * P)])
    ranges = dict(bound)
    new_body = within_ranges(new_body, ranges.get)
    at = {N: n, P: p}
    expected = sorted(str(body.subs(at).subs(r, v).doit()) for v in range(n * p))
    (high, high_extent), (low, low_extent) = bound
    got = sorted(str(new_body.subs(at).subs({high: a, low: b}).doit())
                 for a in range(int(high_extent.subs(at))) for b in range(int(low_extent.subs(at))))
    assert got == expected
    assert not new_body.has(Quotient, Remainder)


def test_a_position_in_sizes_only_is_settled_when_it_is_inside_at_every_size():
    P, Q = SIZES
    assert (Quotient(P - 1, P), Remainder(P - 1, P)) == (0, P - 1)
    assert (Quotient(P * Q - 1, P), Remainder(P * Q - 1, P)) == (Q - 1, P - 1)
    assert (Quotient(-1, P), Remainder(-1, P)) == (-1, P - 1)
    assert isinstance(Quotient(1, P), Quotient)         # 0 for P >= 2, but 1 at P = 1
    assert isinstance(Remainder(Q, P), Remainder)


def test_only_both_digits_by_one_divisor_join_into_one_delta():
    from deriv.engine.digits import joined_deltas
    from deriv.ir import delta
    P, Q = SIZES
    r, s = index("r"), index("s")
    both = {delta(Quotient(r, P), Quotient(s, P)): 1, delta(Remainder(r, P), Remainder(s, P)): 1}
    assert joined_deltas(both) == {delta(r, s): 1}
    mixed = {delta(Quotient(r, P), Quotient(s, P)): 1, delta(Remainder(r, Q), Remainder(s, Q)): 1}
    assert joined_deltas(mixed) == mixed
    alone = {delta(Quotient(r, P), Quotient(s, P)): 1}
    assert joined_deltas(alone) == alone


def test_a_digit_of_an_index_longer_than_its_divisor_stays():
    P = size("P")
    r = index("r")
    body = Quotient(r, P) + Remainder(r, P)
    assert within_ranges(body, {r: 2 * P}.get) == body
    assert within_ranges(body, {r: P}.get) == r
    assert within_ranges(body, {r: sympy.S.One}.get) == r

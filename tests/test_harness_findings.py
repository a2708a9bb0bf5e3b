r"""Findings of the differential and fuzz harnesses (issue 9), reduced to minimal documents.

Each test asserts the *correct* behaviour and is marked ``xfail(strict=True)``
with a one-line diagnosis while deriv gets it wrong, so it turns into a
failure ("XPASS(strict)") the moment the bug is fixed and the mark can go.
The harnesses exclude each finding class in their generators with a comment
naming the test here.
"""

from __future__ import annotations

import pytest

import deriv

HEAD = """\
---
symbols:
  C: matrix N x N
  u: vector N
  v: vector M
---

"""


def verdicts(*displays: str) -> list[tuple[int, str, str]]:
    """(line, verdict, message) of every step of HEAD + the displays."""
    text = HEAD + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    result = deriv.check_text(text, "finding.md")
    assert result.error is None, result.error
    return [(s.line, s.verdict.value, s.message) for s in result.steps]


def only(display: str) -> str:
    """The verdict of a document holding one one-step display."""
    steps = verdicts(display)
    assert len(steps) == 1, steps
    return steps[0][1]


# -- sum dummies: only one binding's uses must agree (issue 9, point 5) ----------------------

def test_dummy_reused_at_two_sizes_in_separate_sums() -> None:
    assert only(r"\sum_k u_k + \sum_k v_k = \sum_l u_l + \sum_p v_p") == "proved"


def test_dummies_of_the_two_members_are_separate() -> None:
    assert only(r"\sum_k u_k + \sum_l v_l = \sum_l u_l + \sum_k v_k") == "proved"


def test_dummy_named_like_a_free_index_at_another_size() -> None:
    assert only(r"u_i \left(\sum_i v_i\right) = u_i \sum_k v_k") == "proved"


# -- free indices are those written, not those left after cancellation --------------------

def test_free_indices_are_read_before_cancellation() -> None:
    assert only(r"[C - C]_{i,j} = C - C") == "proved"


def test_cancelled_free_indices_still_make_a_wrong_step_refuted() -> None:
    assert only(r"C_{m,n} - C_{m,n} = C_{m,n}") == "refuted"


# -- fuzz harness -----------------------------------------------------------------------

def test_elementwise_function_of_a_power_tower_is_no_internal_error() -> None:
    text = "---\nsymbols:\n  a: scalar\n  h: elementwise function\n---\n\n$$ h(((10^{64})^{64})^{64}) = a $$\n"
    steps = deriv.check_text(text, "finding.md").steps
    assert len(steps) == 1
    assert steps[0].verdict.value in ("refuted", "error"), steps[0]
    assert "internal error" not in steps[0].message, steps[0].message


def test_sum_over_an_index_named_like_a_scalar_definition_is_no_internal_error() -> None:
    text = "---\nsymbols:\n  u: vector N\ndefinitions:\n  - i = 2\n---\n\n$$ \\sum_i u_i = \\sum_k u_k $$\n"
    steps = deriv.check_text(text, "finding.md").steps
    assert len(steps) == 1
    # the dummy is bound (capture-free: proved), or the clash is named as an error
    assert steps[0].verdict.value in ("proved", "error"), steps[0]
    assert "internal error" not in steps[0].message, steps[0].message


# -- precedence of a transposed bracket in a product (differential harness) ------------------

PRODUCT = "---\nsymbols:\n  A: matrix N x M\n  B: matrix M x N\n  C: matrix N x N\n---\n\n$$ %s $$\n"


def product_verdict(display: str) -> str:
    steps = deriv.check_text(PRODUCT % display, "finding.md").steps
    assert len(steps) == 1, steps
    return steps[0].verdict.value


def test_transposed_bracket_after_a_factor_is_not_the_transposed_product() -> None:
    assert product_verdict(r"[C (A B)^T]_{i,j} = [(C A B)^T]_{i,j}") == "refuted"


def test_transposed_bracket_after_a_factor_transposes_the_bracket_only() -> None:
    assert product_verdict(r"[C (A B)^T]_{i,j} = [C B^T A^T]_{i,j}") == "proved"


def test_transposed_bracket_after_a_factor_of_other_shape() -> None:
    # B^T is N x M, so C (B)^T is N x M and equals C B^T; read as (C B)^T it does not fit
    assert product_verdict(r"[C (B)^T]_{i,j} = [C B^T]_{i,j}") == "proved"

r"""Check, harness findings (docs/testing.md): what the differential and fuzz harnesses found, as minimal documents.

Each test asserts the *correct* behaviour.  While deriv gets one wrong it is
marked ``xfail(strict=True)`` with a one-line diagnosis, and the harnesses
exclude its class in their generators with a comment naming the test; once
fixed, the mark and the exclusion go and the test stays as a regression test.
"""

from __future__ import annotations

import deriv

# The binding findings (a dummy reused at two sizes, dummies of the two members,
# a dummy named like a free index, free indices that cancel) are fixed and live in
# tests/test_meaning_binding.py with the same assertions.


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

"""Engine, nested sums remembered by their own indices (``engine/compiler.py``'s ``_reused``).

A sum inside a loop over an index it does not use is computed once per value of its own
indices: the determinant or inverse of a long product, tabulated entry by entry, read its
nested sums N^6 times at N = 17 and ran out of every step's budget.  What is remembered must
never be a stale value: the harness below decides random words in A, B, their inverses and
transposes under a determinant against the product rule (an independent reference: each
factor's own determinant), true and one-factor-wrong, and derivatives through such sums.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import deriv
from deriv.check.options import CheckOptions
from helpers import displays, verdict_values

HEAD = """---
symbols:
  A: matrix N x N
  B: matrix N x N
  x: vector N
---

"""
#: A factor's LaTeX and the power of det(A) and det(B) its determinant is.
FACTORS = {
    "A": (1, 0), "B": (0, 1), "A^{-1}": (-1, 0), "B^{-1}": (0, -1),
    "A^T": (1, 0), "B^T": (0, 1), "A^{-T}": (-1, 0), "B^{-T}": (0, -1),
}


def verdicts(*maths: str) -> list[str]:
    result = deriv.check_text(HEAD + displays(*maths), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return verdict_values(result.steps)


def powers(a: int, b: int) -> str:
    written = [rf"\det({name})^{{{e}}}" for name, e in (("A", a), ("B", b)) if e]
    return " ".join(written) or "1"


def product_rule(word: list[str], wrong: int | None = None) -> str:
    """``\\det(word) = \\det(A)^a \\det(B)^b``, with the exponent of A off by one when ``wrong``."""
    a = sum(FACTORS[f][0] for f in word) + (wrong or 0)
    b = sum(FACTORS[f][1] for f in word)
    return rf"\det({' '.join(word)}) = {powers(a, b)}"


@pytest.mark.parametrize(("display", "expected"), [
    (r"\det(A^{-1} B^{-1} A B A^{-1}) = \det(B)^{-1} \det(A)^{-1} \det(B)", "tested"),  # timed out
    (r"\det(A B^{-1} A^{-1} B A B^{-1}) = \det(A) / \det(B)", "tested"),  # timed out
    (r"\det(A B^{-1} A^{-1} B A B^{-1}) = \det(A) \det(B)", "refuted"),
    (r"\operatorname{tr}((A B A^{-1} B^{-1})^{-1}) = \operatorname{tr}(B A B^{-1} A^{-1})", "tested"),
    (r"\operatorname{tr}((A B A^{-1} B^{-1})^{-1}) = \operatorname{tr}(A B A^{-1} B^{-1})", "refuted"),
])
def test_a_long_product_under_a_determinant_or_inverse_is_decided(display: str, expected: str) -> None:
    assert verdicts(display) == [expected]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word=st.lists(st.sampled_from(sorted(FACTORS)), min_size=2, max_size=5), wrong=st.sampled_from([-1, 1]))
def test_determinants_of_words_follow_the_product_rule(word: list[str], wrong: int) -> None:
    right, off = verdicts(product_rule(word), product_rule(word, wrong))
    assert right in ("proved", "tested"), word
    assert off == "refuted", word


@pytest.mark.parametrize(("display", "expected"), [
    # Derivatives perturb one entry: what a remembered sum read of it is computed again.
    (r"\frac{\partial \operatorname{tr}(A B A)}{\partial A_{k,l}} = (B A + A B)_{l,k}", ("proved", "tested")),
    (r"\frac{\partial \operatorname{tr}(A B A)}{\partial A_{k,l}} = (B A + A B)_{k,l}", ("refuted",)),
    (r"\frac{\partial \det(A B)}{\partial A} = \det(A B) A^{-T}", ("proved", "tested")),
    (r"\frac{\partial \det(A B)}{\partial A} = \det(A B) A^{-1}", ("refuted",)),
    (r"\frac{\partial x^T (A B A^{-1}) x}{\partial x} = (A B A^{-1} + A^{-T} B^T A^T) x", ("proved", "tested")),
    (r"\frac{\partial x^T (A B A^{-1}) x}{\partial x} = 2 A B A^{-1} x", ("refuted",)),
])
def test_derivatives_through_remembered_sums(display: str, expected: tuple[str, ...]) -> None:
    [found] = verdicts(display)
    assert found in expected, (display, found)

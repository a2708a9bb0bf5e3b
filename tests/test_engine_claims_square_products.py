"""Claims about products of square matrices (engine/structured.py, engine/square_boundaries.py):
every square matrix made alike makes a product's inverse the square of one structure (``P^2``,
of nonzero trace at size 2), so each is also made so alone with the others the identity."""

from __future__ import annotations

import pytest

import deriv

HEAD = """---
symbols:
  A: matrix N x N
  B: matrix N x N
  C: matrix N x N
---

"""


def verdict_of(latex: str) -> deriv.StepResult:
    (step,) = deriv.check_text(HEAD + "$$\n" + latex + "\n$$\n").steps
    return step


@pytest.mark.parametrize("latex", [
    r"\operatorname{tr}((AB)^{-1}) \neq 0",
    r"\operatorname{tr}(B^{-1} A^{-1}) \neq 0",
    r"\operatorname{tr}((ABC)^{-1}) \neq 0",
    r"\operatorname{tr}((BA)^{-1}) \neq 0",
])
def test_the_trace_of_a_products_inverse_is_zero_somewhere(latex: str) -> None:
    step = verdict_of(latex)
    assert step.verdict == "refuted", (latex, step.verdict, step.message)


@pytest.mark.parametrize("latex", [
    r"\operatorname{tr}((AB)^{-1} A B) \neq 0",
    r"\det((AB)^{-1}) \neq 0",
    r"\operatorname{tr}((AB)^{-1} A B) > 0",
])
def test_a_true_claim_about_a_products_inverse_is_not_refuted(latex: str) -> None:
    step = verdict_of(latex)
    assert step.verdict in ("proved", "tested"), (latex, step.verdict, step.message)

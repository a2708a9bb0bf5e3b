"""Meaning: the derivative of a builtin written with a prime (``\\tanh'(u)``), as RNN notes write it."""

from __future__ import annotations

import pytest

import deriv

SYMBOLS = "---\nsymbols:\n  x: scalar\n  v: vector N\n  W: matrix N x N\n  A: matrix N x M\n---\n"


def verdict(math: str) -> str:
    [step] = deriv.check_text(SYMBOLS + f"$$ {math} $$\n").steps
    return step.verdict.value


@pytest.mark.parametrize(("math", "expected"), [
    (r"\tanh'(x) = 1 - \tanh(x)^2", "proved"),
    (r"\tanh^{\prime}(x) = 1 - \tanh^2(x)", "proved"),
    (r"\tanh'\left(x\right) = 1 - \tanh(x)^2", "proved"),
    (r"\exp'(x) = \exp(x)", "proved"),
    (r"\sin''(x) = -\sin(x)", "proved"),
    (r"\operatorname{erf}'(x) = \frac{2}{\sqrt{\pi}} e^{-x^2}", "proved"),
    (r"\frac{d}{dx} \tanh(2x) = 2 \tanh'(2x)", "proved"),
    (r"\tanh'(v) = \mathbf{1} - \tanh(v) \circ \tanh(v)", "proved"),  # entry by entry
    (r"\tanh'(A)_{i,j} = 1 - \tanh(A_{i,j})^2", "proved"),
    # Wrong derivatives are refuted, not read as something else.
    (r"\tanh'(x) = 1 + \tanh(x)^2", "refuted"),
    (r"\cos'(x) = \sin(x)", "refuted"),
    (r"\tanh'(x) = \tanh(x)", "refuted"),  # never the function itself
    (r"\exp''(x) = 2 \exp(x)", "refuted"),
    # A builtin with a domain: its derivative would lose it, so it is an error; a square matrix's
    # \exp' may be the matrix exponential's, as \exp is.
    (r"\log'(x) = 1/x", "error"),
    (r"\sqrt'(x) = 0", "error"),
    (r"\exp'(W) = \exp(W)", "error"),
])
def test_a_builtins_derivative(math: str, expected: str) -> None:
    assert verdict(math) == expected


@pytest.mark.parametrize(("math", "expected"), [
    # e^{v} of a vector or a non-square matrix is each entry's, as \exp(v) is (it was an error).
    (r"e^{v} = \exp(v)", "proved"),
    (r"e^{A} = \exp(A)", "proved"),
    (r"e^{-v} \circ e^{v} = \mathbf{1}", "proved"),
    (r"e^{v} = v", "refuted"),
    (r"e^{W} = \exp(W)", "error"),  # a square matrix's may be the matrix exponential
])
def test_e_to_an_array_is_entrywise(math: str, expected: str) -> None:
    assert verdict(math) == expected

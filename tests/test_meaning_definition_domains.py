"""Meaning, definitions' domains (docs/deciding.md, "sides defined on different sets are not
equal"): a definition's value is built like a member, so SymPy cancels it too (``y = \\frac{a b}{b}``
is ``a``); the conditions recorded before it did go with the definition, and a member that writes
the defined name -- alone, at an entry, inside a sum, under a derivative, or through another
definition -- carries them."""

from __future__ import annotations

import pytest

import deriv

FRONT = """---
symbols:
  a: scalar
  b: scalar
  c: scalar
  x: vector N
  v: vector N
definitions:
  - y = \\frac{a b}{b}
  - z = y + c
  - w_i = \\frac{x_i v_i}{v_i}
  - s = \\sum_i w_i
  - r_i = \\sqrt{x_i}^2
  - m = \\frac{1}{N} \\sum_i x_i
  - g = \\log(a^2 + 1)
---

"""


def verdict(latex: str) -> str:
    (step,) = deriv.check_text(FRONT + "$$ " + latex + " $$\n").steps
    return step.verdict.value


@pytest.mark.parametrize("latex", [
    r"y = a",                                   # the defined name alone
    r"z = a + c",                               # through another definition
    r"w_k = x_k",                               # at an entry
    r"\sum_i w_i = \sum_i x_i",                 # inside a sum
    r"s = \sum_i x_i",                          # a definition summing another
    r"\frac{\partial s}{\partial x_k} = 1",     # under a derivative
    r"r_k = x_k",                               # an even root's radicand
])
def test_a_cancelled_condition_of_a_definition_refutes_where_it_fails(latex: str) -> None:
    assert verdict(latex) == "refuted"


@pytest.mark.parametrize("latex", [
    r"y = \frac{a b}{b}",                       # both sides undefined at b = 0
    r"w_k = \frac{x_k v_k}{v_k}",
    r"\frac{\partial m}{\partial x_k} = \frac{1}{N}",   # 1/N: no condition on the document's names
    r"g = \log(1 + a^2)",                       # a logarithm's argument that is never <= 0
    r"z - c = y",
])
def test_a_definition_without_a_failing_condition_still_proves(latex: str) -> None:
    assert verdict(latex) == "proved"


def test_the_counterexample_is_where_the_definition_is_undefined() -> None:
    (step,) = deriv.check_text(FRONT + "$$ y = a $$\n").steps
    assert "b != 0 fails" in step.message

"""Adversarial plain equality steps (docs/deciding.md, Domains): steps true only on part of a
side's domain, for special functions, at special sizes, or through a rewrite SymPy applies
that does not hold everywhere.  Each case asserts the exact verdict deriv must give:
``proved`` only where the step holds at every size and every point of both sides' domains."""

from __future__ import annotations

import pytest

import deriv

HEAD = """---
symbols:
  x: scalar
  s: scalar
  t: scalar
  b: positive scalar
  v: vector N
---

"""


def verdict_of(latex: str, head: str = HEAD) -> deriv.StepResult:
    report = deriv.check_text(head + "$$\n" + latex + "\n$$\n")
    (step,) = report.steps
    return step


# -- powers (meaning/power_domains.py) ---------------------------------------------------------

POWERS = {
    # a power by a non-integer number is undefined at a negative base, as the tester evaluates it
    r"(x^{1/3})^3 = x": "refuted",  # was proved: SymPy builds the left side as x
    r"x^{1/3} x^{2/3} = x": "refuted",
    r"(x^{3/5})^{5} = x^3": "refuted",
    r"x^{2/3} = (x^{1/3})^2": "proved",  # the same domain, the same values
    r"(x^{\pi})^2 = x^{2\pi}": "proved",
    # a negative power by a size is undefined at 0
    r"x^{-N} x^{N} = 1": "refuted",  # was proved
    r"x^{N} x^{-N} = 1": "refuted",
    # a power by a scalar: defined at x < 0 only where the exponent is whole
    r"x^{s} x^{-s} = 1": "refuted",  # was proved
    r"x^{s} x^{s} = x^{2s}": "refuted",  # was proved; false at x = -1, s = 1/2
    r"(x^{s})^2 = x^{2s}": "refuted",  # was proved
    r"(x^{1/N})^N = x": "refuted",  # was proved: false at N = 2, x = -1 (the left side undefined)
    r"x^{N-2} x^{2} = x^{N}": "tested",  # was proved: false at N = 1, x = 0
    r"(x^N)^{1/N} = x": "refuted",
    # a positive base: every real power is defined and positive
    r"(b^{s})^2 = b^{2s}": "proved",
    r"b^{s} b^{-s} = 1": "proved",
    r"b^{s} b^{t} = b^{s+t}": "proved",
}


@pytest.mark.parametrize("latex", POWERS)
def test_powers_keep_their_domains(latex: str) -> None:
    step = verdict_of(latex)
    assert step.verdict == POWERS[latex], (latex, step.verdict, step.message)

"""Conditions SymPy cancels away while a member is built, kept (docs/deciding.md, Domains).

Each case was proved (or tested) although a side is undefined somewhere: an inverse cancelled
(``A^{-1} - A^{-1}`` is 0 once built) that is singular at every draw or under the assumptions, an
inverse trigonometric function of an argument past 1.  Each asserts its exact verdict; the
true steps beside them keep theirs.
"""

from __future__ import annotations

import pytest
import sympy

import deriv

MATRICES = """---
symbols:
  A: matrix N x N
  B: matrix N x N
  C: matrix N x M
  D: matrix M x N
  v: vector N
  x: vector N
definitions:
  - P = A^{-1}
  - Q = (v v^T)^{-1}
---
"""

SINGULAR = """---
symbols:
  A: matrix N x N
  v: vector N
assumptions:
  - A = 0
---
"""

SCALARS = """---
symbols:
  x: scalar
  y: scalar
---
"""


def verdict_of(head: str, latex: str) -> deriv.StepResult:
    (step,) = deriv.check_text(head + "$$\n" + latex + "\n$$\n").steps
    return step


# -- an inverse, presupposed, judged at every instance even once cancelled (meaning/domains.py INVERTIBLE) ---

INVERSES = {
    # singular at every draw past N = 1 (or past M < N): each was proved
    r"(v v^T)^{-1} - (v v^T)^{-1} = 0": "refuted",
    r"Q - Q = 0": "refuted",
    r"0 \cdot (C D)^{-1} = 0": "refuted",
    r"(D C)^{-1} - (D C)^{-1} = 0": "refuted",
    r"\operatorname{tr}((C D)^{-1}) - \operatorname{tr}((C D)^{-1}) = 0": "refuted",
    r"\frac{\partial}{\partial x} (x^T (v v^T)^{-1} x - x^T (v v^T)^{-1} x) = 0": "refuted",
    r"(v v^T)^{-1} v v^T = I_N": "refuted",  # as before
    # invertible at every random draw: writing A^{-1} presupposes it
    r"A^{-1} - A^{-1} = 0": "proved",
    r"P - P = 0": "proved",
    r"A^{-1} A = I_N": "proved",
    r"A A^{-1} x = x": "proved",
    r"(A^{-1})^T = (A^T)^{-1}": "proved",
    r"(A^{-1})^0 = I_N": "proved",
    r"\frac{\partial}{\partial x} x^T A^{-1} x = (A^{-1} + A^{-T}) x": "proved",
    r"(A B)^{-1} = B^{-1} A^{-1}": "tested",
}



@pytest.mark.parametrize("latex", [
    r"A^{-1} - A^{-1} = 0",  # was proved
    r"0 \cdot A^{-1} = 0",
    r"v^T A^{-1} v - v^T A^{-1} v = 0",
    r"\operatorname{tr}(A^{-1}) - \operatorname{tr}(A^{-1}) = 0",
    r"A^{-1} A = I_N",  # as before
])
def test_an_inverse_the_assumptions_make_singular_leaves_nothing_to_test(latex: str) -> None:
    step = verdict_of(SINGULAR, latex)
    assert step.verdict == "undecided" and "undefined at every point" in step.message, step.message


@pytest.mark.parametrize("latex", [
    # the search for a \prod over a division sets A = 0: a made instance, the inverse presupposed there
    r"\frac{\prod_i v_i}{1 + y^2} + 0 \cdot \operatorname{tr}(A^{-1}) = \frac{\prod_i v_i}{1 + y^2}",
    r"\frac{\prod_i v_i}{1 + y^2} + \operatorname{tr}(A^{-1}) - \operatorname{tr}(A^{-1}) = \frac{\prod_i v_i}{1 + y^2}",
])
def test_an_inverse_a_search_makes_singular_is_no_counterexample(latex: str) -> None:
    head = "---\nsymbols:\n  A: matrix N x N\n  v: vector N\n  y: scalar\n---\n"
    step = verdict_of(head, latex)
    assert step.verdict == "proved", step.message


def test_an_inverse_singular_on_the_degenerate_trials_only_is_still_proved() -> None:
    # A x = A c solved for A on the special trials makes it singular there: presupposed, skipped
    head = "---\nsymbols:\n  A: matrix N x N\n  x: vector N\n  c: vector N\nassumptions:\n  - A x = A c\n---\n"
    assert verdict_of(head, r"A^{-1} - A^{-1} = 0").verdict == "proved"


# -- the inverse trigonometric functions: 1 - u^2 >= 0 (> 0 for arctanh) -------------------------------

INVERSE_TRIGONOMETRY = {
    r"\arcsin(x) - \arcsin(x) = 0": "refuted",  # each was proved
    r"\arccos(x) - \arccos(x) = 0": "refuted",
    r"\operatorname{arctanh}(x) - \operatorname{arctanh}(x) = 0": "refuted",
    r"0 \cdot \arcsin(x y) = 0": "refuted",
    r"\arcsin(2) - \arcsin(2) = 0": "refuted",
    r"\arcsin(x) + \arccos(x) = \frac{\pi}{2}": "refuted",  # at x = 2 the left side is undefined
    r"\arcsin(1/2) - \arcsin(1/2) = 0": "proved",
    r"\arcsin(-x) = -\arcsin(x)": "proved",  # one domain
    r"\arccos(-x) = \pi - \arccos(x)": "proved",
    r"\frac{d}{dx} \arcsin(x) = \frac{1}{\sqrt{1 - x^2}}": "proved",
}



# -- 0^0 = 1 (docs/deciding.md: as polynomials, power series and SymPy take it) ---------------------------

POWERS_AT_ZERO = {
    r"x^0 = 1": "proved",
    r"x^{N-N} = 1": "proved",
    r"0^{N} = 0": "proved",  # N >= 1
    r"0^{N-1} = 0": "refuted",  # 0^0 = 1 at N = 1
    r"x^{N-1} x = x^{N}": "tested",
    r"x^{N-2} x^{2} = x^{N}": "refuted",  # x^{-1} at N = 1, x = 0
}



# -- a whole matrix's entries (a determinant's, an inverse's argument) and a trace's or a product's sums ----

ENTRYWISE = {
    # the argument's entries' conditions were at indices no sum bound (dropped): each was proved
    r"\det(A \oslash B) - \det(A \oslash B) = 0": "refuted",
    r"0 \cdot \det(A \oslash B) = 0": "refuted",
    r"\det(A^{\circ 1/2}) - \det(A^{\circ 1/2}) = 0": "refuted",
    r"(A \oslash B)^{-1} - (A \oslash B)^{-1} = 0": "refuted",
    r"0 \cdot \operatorname{tr}(A \oslash B) = 0": "refuted",  # the trace's sum was never recorded
    r"0 \cdot A (B \oslash A) = 0": "refuted",
    r"0 \cdot v^T (x \oslash v) = 0": "refuted",
    r"0 \cdot \det(A \oslash A) = 0": "refuted",  # the entries are 1 once built: read at every entry
    r"\det(A \oslash A) = 1": "refuted",
    r"\sum_{i=2}^{N} \frac{v_i}{v_i} = N - 1": "refuted",
    r"\frac{v_1}{v_1} + \sum_{i=2}^{N} \frac{v_i}{v_i} = N": "refuted",
    # one domain on both sides, its limits in either order
    r"\operatorname{tr}(A (B \oslash A)) = \operatorname{tr}((B \oslash A) A)": "proved",
    r"\det(A \oslash B) \det(B) = \det(B) \det(A \oslash B)": "proved",
    r"\operatorname{tr}(A \oslash B) = \sum_i \frac{A_{i,i}}{B_{i,i}}": "proved",
    r"\sum_i \sum_j \frac{1}{A_{i,j}} = \sum_j \sum_i \frac{1}{A_{i,j}}": "proved",
}

#: Definitions whose conditions a later member cancels.
DEFINED = """---
symbols:
  a: scalar
  x: scalar
  v: vector N
  A: matrix N x N
definitions:
  - w = \\frac{1}{a}
  - q = w - w
  - s = \\sum_i \\frac{1}{v_i}
  - u = A (v \\oslash v)
  - m = \\frac{x}{x} A
---
"""

DEFINITIONS = {
    r"q = 0": "refuted",  # through another definition that cancels
    r"0 \cdot s = 0": "refuted",
    r"u_j - u_j = 0": "refuted",
    r"0 \cdot u = 0": "refuted",
    r"\operatorname{tr}(m) - \operatorname{tr}(m) = 0": "refuted",
    r"0 \cdot m^{-1} = 0": "refuted",
    r"w a = 1": "refuted",
    r"u = u": "proved",
}

#: Powers whose exponent reads a size, of a negative number: a value only where it is whole.
POWERS_OF_SIZES = {
    r"(-1)^{N/2} (-1)^{N/2} = (-1)^N": "refuted",  # at N = 1 (was tested: (-1)^{N/2} is nonzero)
    r"((-1)^{1/N})^N = -1": "refuted",  # at N = 2 (was tested: no name to set)
    r"(-1)^{N} (-1)^{N} = 1": "proved",
    r"(x^{1/N})^N = x": "refuted",
    r"x^{N/2} x^{N/2} = x^N": "refuted",
}


# -- every table above, each case at its exact verdict, a refutation saying why ----------------------------

SIZED = "---\nsymbols:\n  x: scalar\n  v: vector N\n---\n"
TABLES = [(INVERSES, MATRICES, "inverse of a singular matrix"), (INVERSE_TRIGONOMETRY, SCALARS, "undefined"),
          (POWERS_AT_ZERO, SIZED, ""), (ENTRYWISE, MATRICES, "undefined"), (DEFINITIONS, DEFINED, "undefined"),
          (POWERS_OF_SIZES, SIZED, "undefined")]
CASES = [(head, latex, verdict, why) for table, head, why in TABLES for latex, verdict in table.items()]


@pytest.mark.parametrize(("head", "latex", "expected", "why"), CASES, ids=[c[1] for c in CASES])
def test_the_exact_verdict(head: str, latex: str, expected: str, why: str) -> None:
    step = verdict_of(head, latex)
    assert step.verdict == expected, (latex, step.verdict, step.message)
    assert step.verdict != "refuted" or why in step.message, step.message


# -- statements about every point: a whole matrix's entries' conditions are seen there too ------------------

@pytest.mark.parametrize(("latex", "expected"), [
    (r"(A \oslash B)^T (A \oslash B) \succeq 0", "undecided"),  # undefined where B has a zero entry (was tested)
    (r"S^{-1} \succ 0", "tested"),  # an inverse is presupposed: no condition to decide it under
    (r"A^T A \succeq 0", "proved"),
])
def test_a_statement_sees_its_matrix_entries_conditions(latex: str, expected: str) -> None:
    head = ("---\nsymbols:\n  S: symmetric matrix N x N\n  A: matrix N x N\n  B: matrix N x N\n"
            "assumptions:\n  - S \\succ 0\n---\n")
    step = verdict_of(head, latex)
    assert step.verdict == expected, (latex, step.verdict, step.message)


@pytest.mark.parametrize("function", ["asin", "acos", "atanh"])
def test_decide_keeps_sympys_inverse_trigonometric_domains(function: str) -> None:
    # asin(x) - asin(x), unevaluated, was proved: SymPy's own classes (deriv.decide's input) have a domain too
    x = sympy.Symbol("x")
    f = getattr(sympy, function)
    decision = deriv.decide(sympy.Add(f(x), -f(x), evaluate=False), 0, {"x": "scalar"})
    assert decision.verdict == "refuted" and "undefined" in decision.message, decision.message

"""Adversarial cases of the lecture-note notation (docs/format.md: scripted names, families,
index arithmetic, functions by name, broadcasting, zeros, the variance, several results,
declarations in the prose), each with the verdict a careful reader gives.

Each case here was written to attack one reading; those that found a wrong verdict say so
(the bug it was), the rest pin a verdict that was right.  Property tests compare deriv's
verdict with an independent reference: a convolution summed directly with Fractions, and a
broadcast against its explicit-ones rewrite.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from helpers import front_matter

PROVED, TESTED, REFUTED, ERROR, UNDECIDED = "proved", "tested", "refuted", "error", "undecided"


def verdicts_of(text: str) -> list[str]:
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return [str(step.verdict) for step in result.steps]


def steps_of(text: str):
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return result.steps


def doc(symbols: dict[str, str], *maths: str, definitions: tuple[str, ...] = ()) -> str:
    return front_matter(symbols, definitions, quoted=True) + "\n\n".join(f"$$ {m} $$" for m in maths) + "\n"


def verdict(symbols: dict[str, str], math: str, definitions: tuple[str, ...] = ()) -> str:
    (found,) = verdicts_of(doc(symbols, math, definitions=definitions))
    return found


# -- 9. declarations in the prose: a denied declaration declares nothing -----------------------
# Found: "We do not assume $\lambda > 0$" made \lambda positive, so \sqrt{\lambda^2} = \lambda was
# proved (a false accept); "We do not set $c = a + b$" defined c.

@pytest.mark.parametrize("prose", [
    "Let $\\lambda \\in \\mathbb{R}$. We do not assume $\\lambda > 0$.",
    "Let $\\lambda \\in \\mathbb{R}$, without assuming $\\lambda > 0$.",
    "Let $\\lambda \\in \\mathbb{R}$; it is not necessarily true that $\\lambda > 0$.",
    "Let $\\lambda \\in \\mathbb{R}$. We don't need $\\lambda \\in \\mathbb{R}_{>0}$ here.",
])
def test_a_denied_positivity_makes_nothing_positive(prose: str) -> None:
    assert verdicts_of(prose + "\n\n$$ \\sqrt{\\lambda^2} = \\lambda $$\n") == [REFUTED]


def test_a_stated_positivity_still_declares() -> None:
    doc_text = "Let $\\lambda \\in \\mathbb{R}$ and $\\lambda > 0$.\n\n$$ \\sqrt{\\lambda^2} = \\lambda $$\n"
    assert verdicts_of(doc_text) == [PROVED]


@pytest.mark.parametrize("prose", [
    "We do not set $c = a + b$ here.", "Never write $c = a + b$.", "It is wrong to write $c = a + b$.",
])
def test_a_denied_equation_defines_nothing(prose: str) -> None:
    steps = steps_of("Let $a, b \\in \\mathbb{R}$. " + prose + "\n\n$$ c - a = b $$\n")
    assert [str(s.verdict) for s in steps] == [ERROR]
    assert "unknown name c" in steps[0].message


def test_a_denied_declaration_leaves_the_name_undeclared() -> None:
    result = deriv.check_text("We do not assume $x \\in \\mathbb{R}^n$.\n\n$$ x^T x = \\sum_i x_i^2 $$\n")
    assert result.error is not None and "no declaration" in result.error


# -- 8. a justification that states a condition: never a refutation ---------------------------
# Found: \sqrt{a^2} = a \quad \text{for } a \geq 0 was refuted at a = -1, a point its own
# condition excludes (a false refutation); \frac{a b}{b} = a \quad \text{since } b \neq 0 at b = 0.

SCALARS = {"a": "scalar", "b": "scalar"}


@pytest.mark.parametrize("math", [
    "\\sqrt{a^2} = a \\quad \\text{for } a \\geq 0",
    "\\frac{a b}{b} = a \\quad \\text{since } b \\neq 0",
    "\\frac{a b}{b} = a \\qquad \\text{where } b \\neq 0",
    "\\sqrt{a^2} = a \\quad \\text{if } a > 0",
])
def test_a_step_refuted_without_its_worded_condition_is_undecided(math: str) -> None:
    (step,) = steps_of(doc(SCALARS, math))
    assert str(step.verdict) == UNDECIDED
    assert "does not impose" in step.message and step.counterexample is None


def test_a_worded_condition_through_a_definition_is_undecided() -> None:
    text = doc(SCALARS, "\\sqrt{y} = a \\quad \\text{where } a \\geq 0", definitions=("y = a^2",))
    assert verdicts_of(text) == [UNDECIDED]


def test_a_worded_relation_on_other_names_keeps_a_refutation() -> None:
    assert verdict({**SCALARS, "c": "scalar"}, "a + a = 3 a \\quad \\text{since } b = c") == REFUTED


def test_a_worded_condition_keeps_a_proof() -> None:
    assert verdict({"x": "vector N"}, "x_i + 0 = x_i \\quad \\text{where } i \\leq N") == PROVED


def test_a_worded_reason_without_a_relation_keeps_a_refutation() -> None:
    assert verdict(SCALARS, "\\sqrt{a^2} = a \\quad \\text{by the definition of the root}") == REFUTED


def test_a_condition_under_assumptions_is_imposed() -> None:
    text = front_matter({"a": "scalar"}, extra="assumptions:\n  - a \\geq 0\n") + "$$ \\sqrt{a^2} = a $$\n"
    assert verdicts_of(text) in ([PROVED], [TESTED])


# -- 4. relu's derivative at its kink ----------------------------------------------------------
# Found: relu'(x) + relu'(-x) = 1 was tested (true only if relu'(0) = 1/2, SymPy's convention;
# relu' is undefined at 0, and the tester refuses to evaluate it there), while relu'(N - 1) = 1
# was already refuted at N = 1.  relu' now keeps its domain (x != 0) as a denominator does.

@pytest.mark.parametrize("math, expected", [
    ("\\operatorname{relu}'(x) + \\operatorname{relu}'(-x) = 1", REFUTED),
    ("\\operatorname{relu}'(x^2) = 1", REFUTED),
    ("\\operatorname{relu}'(x - y) + \\operatorname{relu}'(y - x) = 1", REFUTED),
    ("\\operatorname{relu}'(x^2 + 1) = 1", TESTED),
    ("\\operatorname{relu}'(x) = \\operatorname{relu}'(x)^2", TESTED),
    # relu(x)^2 and x relu(x) are differentiable at 0: the kink is not imposed
    ("\\frac{d}{dx} \\operatorname{relu}(x)^2 = 2 \\operatorname{relu}(x)", TESTED),
    ("\\frac{d}{dx} (x \\operatorname{relu}(x)) = 2 \\operatorname{relu}(x)", TESTED),
    ("\\frac{d}{dx} \\operatorname{relu}(x) = \\operatorname{relu}'(x)", PROVED),
    ("\\frac{d}{dx} |x| = 2 \\operatorname{relu}'(x) - 1", TESTED),
])
def test_relu_derivative_is_undefined_at_its_kink(math: str, expected: str) -> None:
    assert verdict({"x": "scalar", "y": "scalar"}, math) == expected


@pytest.mark.parametrize("math, expected", [
    ("\\frac{\\partial}{\\partial x_k} \\sum_i \\operatorname{relu}(x_i) = \\operatorname{relu}'(x_k)", PROVED),
    ("\\frac{\\partial}{\\partial x_k} \\sum_i \\operatorname{relu}(x_i - x_k) "
     "= -\\sum_{i} \\operatorname{relu}'(x_i - x_k) (1 - \\delta_{i,k})", PROVED),
    ("\\frac{\\partial}{\\partial x_k} \\sum_{i} \\operatorname{relu}(x_i - x_1) = \\operatorname{relu}'(x_k - x_1)",
     REFUTED),
    ("\\frac{\\partial}{\\partial x_k} \\sum_{i,j} \\operatorname{relu}(x_i - x_j) = 0", REFUTED),
])
def test_relu_derivative_of_a_vector_at_its_kink(math: str, expected: str) -> None:
    assert verdict({"x": "vector N"}, math) == expected


# -- 3. index arithmetic against a direct sum with Fractions -----------------------------------

CONVOLUTION = {"x": "vector N+K-1", "w": "vector K"}
CONVOLVED = ("y_i = \\sum_{k=1}^{K} w_k x_{i+k-1}",)


def _shifted(p: int, q: int, r: int) -> str:
    """``\\sum_k w_k \\sum_{i=1+p}^{N+q} x_{i+k+r}``: the convolution's total, its bounds and offset moved."""
    def affine(base: str, n: int) -> str:
        return base if n == 0 else f"{base}{n:+d}"
    return (f"\\sum_{{k=1}}^{{K}} w_k \\sum_{{i={1 + p}}}^{{{affine('N', q)}}} x_{{{affine('i+k', r)}}}")


def _reference(p: int, q: int, r: int) -> str:
    """'error' if an entry read lies outside x at some small size, else whether the totals agree
    at every small size on random Fractions: 'true' or 'false'."""
    import random
    rng = random.Random(f"{p},{q},{r}")
    agree = True
    for n in range(1, 5):
        for k_size in range(1, 5):
            x = [Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(n + k_size - 1)]
            w = [Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(k_size)]
            left = sum(w[k - 1] * x[i + k - 2] for i in range(1, n + 1) for k in range(1, k_size + 1))
            right = Fraction(0)
            for k in range(1, k_size + 1):
                for i in range(1 + p, n + q + 1):
                    position = i + k + r
                    if not 1 <= position <= len(x):
                        return "error"
                    right += w[k - 1] * x[position - 1]
            agree = agree and left == right
    return "true" if agree else "false"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(-1, 1), st.integers(-1, 1), st.integers(-2, 0))
def test_a_convolution_total_agrees_with_a_direct_sum(p: int, q: int, r: int) -> None:
    expected = {"true": (PROVED, TESTED), "false": (REFUTED,), "error": (ERROR,)}[_reference(p, q, r)]
    math = f"\\sum_{{i=1}}^{{N}} y_i = {_shifted(p, q, r)}"
    assert verdict({**CONVOLUTION, "y": "vector N"}, math, CONVOLVED) in expected, math


@pytest.mark.parametrize("p, q, r", [(0, 0, -1), (-1, -1, 0), (1, 1, -2), (0, 0, 0), (0, -1, 0), (1, 0, -1)])
def test_a_convolution_total_at_the_edges(p: int, q: int, r: int) -> None:
    expected = {"true": (PROVED, TESTED), "false": (REFUTED,), "error": (ERROR,)}[_reference(p, q, r)]
    math = f"\\sum_{{i=1}}^{{N}} y_i = {_shifted(p, q, r)}"
    assert verdict({**CONVOLUTION, "y": "vector N"}, math, CONVOLVED) in expected, math

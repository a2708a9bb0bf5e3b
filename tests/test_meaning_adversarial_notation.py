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


FALSE_UNDER_THEIR_OWN_CONDITION = {
    # (step, the value its counterexample shows): each false also where its condition holds
    "a^2 = a \\quad \\text{since } a \\geq 0": "2",
    "\\sqrt{a^2} = -a \\quad \\text{for } a \\geq 0": "1",
    "a = a + 1 \\quad \\text{because } a > 0": "1",
}


@pytest.mark.parametrize("math", FALSE_UNDER_THEIR_OWN_CONDITION)
def test_a_step_false_under_its_own_worded_condition_is_refuted(math: str) -> None:
    """Decided again with the condition assumed for that step: a counterexample there satisfies it."""
    (step,) = steps_of(doc(SCALARS, math))
    assert str(step.verdict) == REFUTED and "the step's own condition" in step.message, step.message
    assert dict(step.counterexample.values)["a"] == ((FALSE_UNDER_THEIR_OWN_CONDITION[math],),)


@pytest.mark.parametrize("math", [
    "a b = a \\quad \\text{unless } b = 1",  # a denial: never assumed
    "a^2 = a \\quad \\text{for } a \\geq 0 \\text{ and } a \\leq 1",  # more words: not read as math
    "a^2 = a \\quad \\text{for all } a \\geq 0",
])
def test_only_a_plain_condition_is_assumed(math: str) -> None:
    (step,) = steps_of(doc(SCALARS, math))
    assert str(step.verdict) == UNDECIDED and "does not impose" in step.message, (math, step.message)


def test_a_condition_under_assumptions_is_imposed() -> None:
    text = front_matter({"a": "scalar"}, extra="assumptions:\n  - a \\geq 0\n") + "$$ \\sqrt{a^2} = a $$\n"
    assert verdicts_of(text) in ([PROVED], [TESTED])


# -- 4. relu's derivative at its kink ----------------------------------------------------------
# Found: relu'(x) + relu'(-x) = 1 was tested (true only if relu'(0) = 1/2, SymPy's convention),
# while relu'(N - 1) = 1 was already refuted at N = 1.  relu'(0) is now any value in [0, 1]
# (the subgradient, docs/deciding.md): a step must hold for each, so relu'(x) = relu'(x)^2
# is refuted at relu'(0) = 1/2 (it holds only for the conventions 0 and 1).

@pytest.mark.parametrize("math, expected", [
    ("\\operatorname{relu}'(x) + \\operatorname{relu}'(-x) = 1", REFUTED),
    ("\\operatorname{relu}'(x^2) = 1", REFUTED),
    ("\\operatorname{relu}'(x - y) + \\operatorname{relu}'(y - x) = 1", REFUTED),
    ("\\operatorname{relu}'(x^2 + 1) = 1", TESTED),
    ("\\operatorname{relu}'(x) = \\operatorname{relu}'(x)^2", REFUTED),
    # relu(x)^2 and x relu(x) are differentiable at 0: the kink is not imposed
    ("\\frac{d}{dx} \\operatorname{relu}(x)^2 = 2 \\operatorname{relu}(x)", TESTED),
    ("\\frac{d}{dx} (x \\operatorname{relu}(x)) = 2 \\operatorname{relu}(x)", TESTED),
    ("\\frac{d}{dx} \\operatorname{relu}(x) = \\operatorname{relu}'(x)", PROVED),
    # |x| has no derivative at 0 (slopes -1 and 1, certified from each side: engine/one_sided.py),
    # while the right side has a value there: refuted at x = 0, by the rule of every step
    ("\\frac{d}{dx} |x| = 2 \\operatorname{relu}'(x) - 1", REFUTED),
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


# -- 5. a broadcast against its explicit-ones rewrite ------------------------------------------

def _explicit(length: str) -> str:
    """``\\mu`` written out as the matrix the broadcast reads it as."""
    return "\\mathbf{1}_S \\mu^T" if length == "M" else "\\mu \\mathbf{1}_M^T"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["M", "S"]), st.sampled_from(["+", "-"]), st.sampled_from(["", "2", "\\lambda"]),
       st.sampled_from(["+", "-"]), st.sampled_from(["", "2"]), st.sampled_from(["i", "j"]))
def test_a_broadcast_reads_as_its_explicit_rewrite(length, op, scale, op2, scale2, index) -> None:
    symbols = {"X": "matrix S x M", "mu": f"vector {length}", "lambda": "scalar"}
    right = f"X_{{i,j}} {op2} {scale2} \\mu_{index}"
    broadcast = verdict(symbols, f"(X {op} {scale} \\mu)_{{i,j}} = {right}")
    written = verdict(symbols, f"(X {op} {scale} {_explicit(length)})_{{i,j}} = {right}")
    assert broadcast == written


@pytest.mark.parametrize("math, expected", [
    ("(A + b)_{i,j} = A_{i,j} + b_j", ERROR),          # a square matrix plus a vector: which way?
    ("(A + c)_{i,j} = A_{i,j} + c", ERROR),            # a scalar plus a square matrix: c I or c 1 1^T?
    ("(A + b^T)_{i,j} = A_{i,j} + b_j", PROVED),       # a row vector: added to each row
    ("(A - b^T)_{i,j} = A_{i,j} - b_i", REFUTED),
    ("(b - c)_i = b_i - c", PROVED),
    ("\\sum_i (b - c)_i = \\sum_i b_i - c", REFUTED),  # N c, not c
    ("(x x^T - 1)_{i,j} = x_i x_j - 1", ERROR),
])
def test_broadcasts_that_fit_one_way_or_none(math: str, expected: str) -> None:
    symbols = {"A": "matrix N x N", "b": "vector N", "x": "vector N", "c": "scalar"}
    assert verdict(symbols, math) == expected


# -- 9. an equation in the prose about a declared name -----------------------------------------

def test_a_prose_value_of_a_declared_name_never_refutes_a_step_it_makes_true() -> None:
    found = verdicts_of("Let $x, y \\in \\mathbb{R}$. Define $y = 2x$.\n\n$$ y - x = x $$\n")
    assert found in ([PROVED], [UNDECIDED])


# -- 8. a piece that may be the condition of another is no result of its own -------------------
# Found: \frac{a - b}{a - b} = 1 ,\quad a - b \neq 0 was split into two results, both refuted (the
# first without its condition, the condition as a claim); so were x^T x > 0, b^2 > 0, and
# \sqrt{a^2} = a ,\quad a > 0, b > 0 refuted its first piece.

@pytest.mark.parametrize("math", [
    "\\frac{a - b}{a - b} = 1 ,\\quad a - b \\neq 0",
    "\\sqrt{a^2} = a ,\\quad a > 0, b > 0",
    "\\frac{a b}{b} = a \\qquad b^2 > 0",
    "\\frac{x^T x}{x^T x} = 1 ,\\quad x^T x > 0",
    "\\det(A^{-1}) \\det(A) = 1 ,\\quad \\det A \\neq 0",
    "\\sqrt{a^2} = a ,\\quad 2a \\geq 0",
    "a - a = 0 ,\\quad a^2 \\geq 0",
])
def test_a_comparison_with_a_number_beside_a_result_is_an_error(math: str) -> None:
    steps = steps_of(doc({**SCALARS, "x": "vector N", "A": "matrix N x N"}, math))
    assert [str(s.verdict) for s in steps] == [ERROR] and "two claims" in steps[0].message


@pytest.mark.parametrize("math, expected", [
    ("a + b = b + a ,\\quad a b = a", [PROVED, REFUTED]),
    ("a^2 + b^2 \\geq 2 a b \\qquad a^2 > a", [TESTED, REFUTED]),
    ("\\langle x, y \\rangle = \\langle y, x \\rangle ,\\quad \\langle x, x \\rangle = x^T y", [PROVED, REFUTED]),
    ("a + b = b + a ,\\quad a b = b a ,\\quad a - b = a", [PROVED, PROVED, REFUTED]),
    ("a + b = b + a ; \\quad a b = a", [PROVED, REFUTED]),
    ("a^2 \\geq 0 ,\\quad a + b = b + a", [PROVED, PROVED]),  # a comparison first is a result
])
def test_results_side_by_side_are_each_checked(math: str, expected: list[str]) -> None:
    assert verdicts_of(doc({**SCALARS, "x": "vector N", "y": "vector N"}, math)) == expected


# -- 9. a positivity that is a case ------------------------------------------------------------
# Found: "If $\lambda > 0$, then ... In general $$\sqrt{\lambda^2} = \lambda$$" was proved: the
# case declared \lambda positive for the whole document (a false accept).

@pytest.mark.parametrize("case_words", ["If", "When", "Whenever", "In the case"])
def test_a_positivity_that_is_a_case_declares_nothing_and_says_so(case_words: str) -> None:
    text = (f"Let $\\lambda \\in \\mathbb{{R}}$. {case_words} $\\lambda > 0$, then\n\n$$ |\\lambda| = \\lambda $$\n\n"
            "In general\n\n$$ \\sqrt{\\lambda^2} = \\lambda $$\n")
    steps = steps_of(text)
    assert [str(s.verdict) for s in steps] == [ERROR, REFUTED, REFUTED]
    assert "is a case" in steps[0].message and steps[0].line == 1


@pytest.mark.parametrize("prose", [
    "Is $\\lambda > 0$? Let $\\lambda \\in \\mathbb{R}$.",
    "Let $\\lambda \\in \\mathbb{R}$. We show that $\\lambda > 0$ implies",
    "Let $\\lambda \\in \\mathbb{R}$. We want to prove $\\lambda > 0$.",
    "Let $\\lambda \\in \\mathbb{R}$. Either $\\lambda > 0$ or $\\lambda < 0$.",
    "Let $\\lambda \\in \\mathbb{R}$. Here $\\lambda > 0$ would be wrong.",
    "Let $\\lambda \\in \\mathbb{R}$; in general $\\lambda > 0$ does not hold.",
])
def test_a_positivity_that_is_a_claim_question_or_denial_declares_nothing(prose: str) -> None:
    # Found: each of these made \lambda positive, so \sqrt{\lambda^2} = \lambda was proved.
    steps = steps_of(prose + "\n\n$$ \\sqrt{\\lambda^2} = \\lambda $$\n")
    verdicts = [str(s.verdict) for s in steps]
    assert verdicts[-1] == REFUTED and set(verdicts[:-1]) == {ERROR}, verdicts  # `or $\\lambda < 0$`: not read
    assert "not a declaration" in steps[0].message


def test_an_equation_said_to_be_false_defines_nothing() -> None:
    steps = steps_of("Let $a, b \\in \\mathbb{R}$. Note that $c = a + b$ is false.\n\n$$ c - a = b $$\n")
    assert [str(s.verdict) for s in steps] == [ERROR] and "unknown name c" in steps[0].message


@pytest.mark.parametrize("prose", [
    "Let $\\lambda > 0$ be a number that is not an integer, $\\lambda \\in \\mathbb{R}$.",
    "Let $\\lambda \\in \\mathbb{R}$ with $\\lambda > 0$.",
    "Let $\\lambda \\in \\mathbb{R}$, where $\\lambda > 0$ is the step size.",
])
def test_a_positivity_declared_as_papers_do_still_declares(prose: str) -> None:
    assert verdicts_of(prose + "\n\n$$ \\sqrt{\\lambda^2} = \\lambda $$\n") == [PROVED]


def test_a_positivity_stated_as_an_assumption_still_declares() -> None:
    text = "Let $\\lambda \\in \\mathbb{R}$. Assume $\\lambda > 0$.\n\n$$ \\sqrt{\\lambda^2} = \\lambda $$\n"
    assert verdicts_of(text) == [PROVED]


# -- 4. \sigma given another meaning in the prose ----------------------------------------------
# Found: "Let $\sigma = 2$." and "The standard deviation is $\sigma$." left \sigma(z) the logistic
# function, so \sigma(z) = \frac{1}{1 + e^{-z}} was proved.

@pytest.mark.parametrize("prose", [
    "Let $z \\in \\mathbb{R}$ and $\\sigma = 2$.",
    "Let $z \\in \\mathbb{R}$. The standard deviation is $\\sigma$.",
    "Let $z \\in \\mathbb{R}$ and let $\\sigma$ be the noise scale.",
    "Let $z \\in \\mathbb{R}$ and $\\sigma \\neq 0$.",
])
def test_sigma_given_another_meaning_in_the_prose_is_no_logistic_function(prose: str) -> None:
    steps = steps_of(prose + "\n\n$$ \\sigma(z) = \\frac{1}{1 + e^{-z}} $$\n")
    assert [str(s.verdict) for s in steps] == [ERROR] and "unknown name sigma" in steps[0].message


@pytest.mark.parametrize("prose", [
    "Let $z \\in \\mathbb{R}$; $\\sigma$ is the logistic function.",
    "Let $z \\in \\mathbb{R}$ and $\\sigma(z) = \\frac{1}{1 + e^{-z}}$ the sigmoid.",
])
def test_sigma_the_prose_calls_logistic_stays_logistic(prose: str) -> None:
    assert verdicts_of(prose + "\n\n$$ \\sigma(-z) = 1 - \\sigma(z) $$\n") == [PROVED]


def test_a_definition_followed_by_a_comma_and_or_still_defines() -> None:
    text = ("Let $X \\in \\mathbb{R}^{S \\times M}$, $W \\in \\mathbb{R}^{N \\times M}$ and $Y = X W^T$, "
            "or in entries the same.\n\n$$ Y_{i,j} = \\sum_k X_{i,k} W_{j,k} $$\n")
    assert verdicts_of(text) == [PROVED]


# -- 2. sums over a family's members against a direct sum ---------------------------------------

def _family_reference(a: int, b: int, r: int, a2: int, b2: int) -> str:
    """'error' if a member read lies outside h_0..h_T at some T >= 1, else whether
    sum_{t=a}^{T+b} h_{t+r} equals sum_{t=a2}^{T+b2} h_t at every T on random Fractions."""
    import random
    rng = random.Random(f"{a},{b},{r},{a2},{b2}")
    agree = True
    for horizon in range(1, 6):
        h = [Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(horizon + 1)]
        left_range, right_range = range(a, horizon + b + 1), range(a2, horizon + b2 + 1)
        reads = [t + r for t in left_range] + list(right_range)
        if any(not 0 <= k <= horizon for k in reads):
            return "error"
        agree = agree and sum((h[t + r] for t in left_range), Fraction(0)) == sum((h[t] for t in right_range), Fraction(0))
    return "true" if agree else "false"


def _bound(base: str, n: int) -> str:
    return base if n == 0 else f"{base}{n:+d}"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2), st.integers(-1, 0), st.integers(-1, 1), st.integers(0, 2), st.integers(-1, 0))
def test_a_sum_over_family_members_agrees_with_a_direct_sum(a, b, r, a2, b2) -> None:
    expected = {"true": (PROVED, TESTED), "false": (REFUTED,), "error": (ERROR,)}[_family_reference(a, b, r, a2, b2)]
    math = (f"\\sum_{{t={a}}}^{{{_bound('T', b)}}} h_{{{_bound('t', r)}}} "
            f"= \\sum_{{t={a2}}}^{{{_bound('T', b2)}}} h_t")
    assert verdict({"h": "vector H, for t in 0..T"}, math) in expected, math


# -- 9. a bound in the prose that is not read ----------------------------------------------------
# Found: "$\\lambda \\geq 0$", "$\\lambda \\neq 0$", "$\\lambda < 0$" about a declared \\lambda were
# silently unread: \\sqrt{\\lambda^2} = \\lambda was refuted with no word that the prose's bound was
# ignored (\\mathbb{R}_{\\geq 0} was already an error).

@pytest.mark.parametrize("bound", ["\\lambda \\geq 0", "0 \\leq \\lambda", "\\lambda \\neq 0", "\\lambda < 0", "\\lambda > 1"])
def test_a_bound_in_the_prose_is_an_error_saying_it_is_not_read(bound: str) -> None:
    steps = steps_of(f"Let $\\lambda \\in \\mathbb{{R}}$ and ${bound}$.\n\n$$ \\sqrt{{\\lambda^2}} = \\lambda $$\n")
    assert [str(s.verdict) for s in steps] == [ERROR, REFUTED]
    assert "is not read" in steps[0].message and "assume" in steps[0].message


def test_a_bound_on_an_index_or_a_size_every_size_meets_is_no_error() -> None:
    text = "Let $x \\in \\mathbb{R}^n$ with $n \\geq 1$; for $k \\geq 1$ it holds.\n\n$$ x^T x = \\sum_i x_i^2 $$\n"
    assert verdicts_of(text) == [PROVED]


def test_a_bound_on_a_size_that_excludes_some_is_an_error_saying_it_is_not_read() -> None:
    # It was dropped in silence: a step true only for n >= 2 (n - 1 > 0) was refuted with no word of why.
    text = "Let $x \\in \\mathbb{R}^n$ with $n \\geq 2$; for $k \\geq 1$ it holds.\n\n$$ x^T x = \\sum_i x_i^2 $$\n"
    assert verdicts_of(text) == [ERROR, PROVED]

r"""Engine, claims: matrices on separate coordinates (engine/supports.py), exact verdicts end to end.

Two nonzero positive semi-definite matrices with orthogonal ranges, two matrices sharing a kernel
vector: random draws never land there, and each counterexample is verified again here in exact
``Fraction`` arithmetic (the assumptions hold, the claim fails), independently of deriv.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from helpers import displays, front_matter
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions

SYMMETRIC = {"A": "symmetric matrix N x N", "B": "symmetric matrix N x N"}
NONZERO_PSD = (r"A \succeq 0", r"B \succeq 0", r"A \neq 0", r"B \neq 0")


def check(symbols: dict[str, str], claim: str, assumptions: tuple[str, ...]):
    extra = "assumptions:\n" + "".join(f"  - {a}\n" for a in assumptions)
    result = deriv.check_text(front_matter(symbols, extra=extra) + displays(claim), options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    (step,) = result.steps
    return step


def matrices(step) -> dict[str, list[list[Fraction]]]:
    return {name: [[Fraction(v) for v in row] for row in rows] for name, rows in step.counterexample.values}


def semidefinite(m: list[list[Fraction]]) -> bool:
    """Exact: ``m`` symmetric and every pivot of its elimination >= 0 (a zero pivot's row must be 0)."""
    if any(m[i][j] != m[j][i] for i in range(len(m)) for j in range(len(m))):
        return False
    m = [row[:] for row in m]
    n = len(m)
    for k in range(n):
        if m[k][k] < 0:
            return False
        if m[k][k] == 0:
            if any(m[k][j] != 0 for j in range(k, n)):
                return False
            continue
        for i in range(k + 1, n):
            factor = m[i][k] / m[k][k]
            for j in range(k, n):
                m[i][j] -= factor * m[k][j]
    return True


def product(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


# Found: tested (random semi-definite draws never have orthogonal ranges).
def test_two_semidefinite_matrices_with_orthogonal_ranges_refute_a_strict_trace() -> None:
    step = check(SYMMETRIC, r"\operatorname{tr}(A B) > 0", NONZERO_PSD)
    assert step.verdict.value == "refuted", step.message
    a, b = matrices(step)["A"], matrices(step)["B"]
    assert semidefinite(a) and semidefinite(b) and any(any(r) for r in a) and any(any(r) for r in b)
    assert sum(product(a, b)[i][i] for i in range(len(a))) <= 0


def test_the_trace_of_two_semidefinite_matrices_is_not_refuted() -> None:
    assert check(SYMMETRIC, r"\operatorname{tr}(A B) \geq 0", NONZERO_PSD).verdict.value == "tested"


@pytest.mark.parametrize(("claim", "verdict"), [
    (r"x^T A^T A x + x^T B^T B x > 0", "refuted"),  # A, B = e_1 e_1^T, x = e_2
    (r"x^T A^T A x + x^T B^T B x \geq 0", "tested"),
    (r"x^T (A^T A + I) x > 0", "tested"),
])
def test_a_kernel_two_matrices_share(claim: str, verdict: str) -> None:
    step = check({"A": "matrix N x N", "B": "matrix N x N", "x": "vector N"}, claim,
                 (r"A \neq 0", r"B \neq 0", r"x \neq 0"))
    assert step.verdict.value == verdict, step.message
    if verdict == "refuted":
        values = matrices(step)
        a, b, x = values["A"], values["B"], [row[0] for row in values["x"]]
        assert any(x) and any(any(r) for r in a) and any(any(r) for r in b)
        ax = [sum(a[i][j] * x[j] for j in range(len(x))) for i in range(len(a))]
        bx = [sum(b[i][j] * x[j] for j in range(len(x))) for i in range(len(b))]
        assert sum(v * v for v in ax) + sum(v * v for v in bx) == 0


@settings(max_examples=6, deadline=None)
@given(st.sampled_from([r"\succeq 0", r"\succ 0"]), st.sampled_from([r"\succeq 0", r"\succ 0"]),
       st.sampled_from([">", r"\geq"]))
def test_the_trace_of_a_product_property(first: str, second: str, relation: str) -> None:
    """Reference: tr(AB) >= 0 for semi-definite A, B; > 0 when one is definite and the other nonzero
    (tr(AB) = tr(A^{1/2} B A^{1/2})), and fails (orthogonal ranges) when both are only semi-definite."""
    step = check(SYMMETRIC, rf"\operatorname{{tr}}(A B) {relation} 0",
                 (rf"A {first}", rf"B {second}", r"A \neq 0", r"B \neq 0"))
    true = relation == r"\geq" or r"\succ 0" in (first, second)
    assert step.verdict.value in (("tested", "proved") if true else ("refuted",)), step.message


# Found: tested (the statements' rank-1 edits draw each matrix's range at random: never one range for both).
@pytest.mark.parametrize(("statement", "verdict"), [
    (r"A + B \succ 0", "refuted"),  # A, B kept to their entry (1, 1): singular at N >= 2
    (r"x^T (A + B) x > 0 \quad \forall x \neq 0", "refuted"),
    (r"A + B \succeq 0", "proved"),
    (r"A + B + I \succ 0", "proved"),
])
def test_the_sum_of_two_nonzero_semidefinite_matrices_is_not_definite(statement: str, verdict: str) -> None:
    step = check({**SYMMETRIC, "x": "vector N"}, statement, NONZERO_PSD)
    assert step.verdict.value == verdict, step.message


# Found: tested (a nonzero semi-definite matrix is never drawn with a zero diagonal entry, and a meeting
# point that zeroes one is redrawn by the definiteness construction).
@pytest.mark.parametrize(("claim", "verdict"), [
    (r"H_{2,2} > 0", "refuted"),  # H = h e_1 e_1^T
    (r"H_{1,1} > 0", "refuted"),  # H = h e_2 e_2^T
    (r"\operatorname{tr}(H) > H_{1,1}", "refuted"),
    (r"H_{2,2} \geq 0", "tested"),
    (r"\operatorname{tr}(H) > 0", "tested"),
])
def test_one_nonzero_semidefinite_matrix_on_one_coordinate(claim: str, verdict: str) -> None:
    step = check({"H": "symmetric matrix N x N"}, claim, (r"H \succeq 0", r"H \neq 0"))
    assert step.verdict.value == verdict, step.message
    if verdict == "refuted" and claim.startswith("H_"):  # independently: H is a witness
        h = matrices(step)["H"]
        k = 1 if "2,2" in claim else 0
        assert semidefinite(h) and any(any(r) for r in h) and h[k][k] == 0

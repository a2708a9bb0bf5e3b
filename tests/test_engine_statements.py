"""Engine, statements beside chains (docs/format.md): \\succ / \\succeq, \\forall,
eigenvalue claims, second-order conditions."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from helpers import verdict_values

import deriv
from deriv.check.options import CheckOptions

HEAD = """---
symbols:
  H: symmetric matrix N x N
  A: matrix N x N
  x: vector N
  lambda: scalar
assumptions:
  - H \\succ 0
---

"""


def check(head: str, *displays: str, prefix: str = ""):
    text = head + prefix + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return deriv.check_text(text, options=CheckOptions(isolate=False)).steps


def test_succ_is_proved_from_an_assumption_and_gives_succeq():
    steps = check(HEAD, r"H \succ 0", r"H \succeq 0", r"\mathbf{H} \succeq 0")
    assert verdict_values(steps) == ["proved"] * 3, [s.message for s in steps]
    assert "H \\succ 0" in steps[1].message


@pytest.mark.parametrize(("display", "relation"), [(r"A \succ 0", "definite"), (r"A \succeq 0", "semi-definite"),
                                                    (r"A + A^T \succeq 0", "semi-definite")])
def test_an_arbitrary_matrix_is_not_definite_with_a_certified_witness(display, relation):
    (step,) = check(HEAD, display)
    assert step.verdict.value == "refuted", step.message
    assert relation in step.message
    # the vector and the matrix are named afresh: x is the document's
    found = re.match(r"u\^T M u = (\S+) at u = \[(.*)\]", step.counterexample.lhs_value)
    assert found is not None, step.counterexample.lhs_value
    assert Fraction(found.group(1)) <= 0


def test_a_quantified_claim_is_proved_from_definiteness():
    (step,) = check(HEAD, r"x^T H x > 0 \quad \forall x \neq 0")
    assert step.verdict.value == "proved", step.message
    assert "H \\succ 0" in step.message


def test_a_fact_about_the_documents_x_does_not_prove_a_claim_for_every_x():
    head = HEAD.replace("  - H \\succ 0\n", "  - x^T A x > 0\n")
    (step,) = check(head, r"x^T A x > 0 \quad \forall x \neq 0")
    assert step.verdict.value == "refuted", step.message


def test_a_quantified_semi_definite_claim_of_a_gram_form_is_tested():
    head = HEAD.replace("  - H \\succ 0\n", "")
    (step,) = check(head, r"x^T A^T A x \geq 0 \quad \forall x \neq 0")
    assert step.verdict.value in ("tested", "proved"), step.message


def test_proved_definiteness_is_a_fact_for_a_later_claim():
    head = HEAD.replace("  - H \\succ 0\n", "  - x \\neq 0\n")
    steps = check(head, r"H \succ 0", r"x^T H x > 0", prefix="<!-- deriv: assume H \\succ 0 -->\n")
    assert verdict_values(steps) == ["proved", "proved"], [s.message for s in steps]


def test_every_eigenvalue_of_a_symmetric_positive_definite_matrix_is_positive():
    (step,) = check(HEAD, r"H \succ 0 \implies \lambda(H) > 0")
    assert step.verdict.value == "proved", step.message
    for needed in ("2x2", "3x3", "10000 random matrices of sizes 1 to 30", "Hilbert", "nearly singular",
                   "smallest eigenvalue >="):
        assert needed in step.message


def test_dropping_symmetry_breaks_the_eigenvalue_claim():
    (step,) = check(HEAD, r"A \succ 0 \implies \lambda_i(A) > 0")
    assert step.verdict.value == "refuted"
    assert "[1, -5; 5, 1]" in step.message and "not real" in step.message


def test_semi_definite_does_not_give_positive_eigenvalues():
    (step,) = check(HEAD, r"H \succeq 0 \implies \lambda(H) > 0")
    assert step.verdict.value == "refuted"
    assert "H = [0]" in step.message


def test_the_false_premise_is_refuted_by_x_to_the_fourth():
    (step,) = check(HEAD, r"\text{local minimum} \implies \nabla^2 f \succ 0")
    assert step.verdict.value == "refuted"
    assert "f(x) = x^4 at x = 0" in step.message and "x^4 > 0 for every x != 0" in step.message
    assert "the Hessian [0] is not positive definite" in step.message


@pytest.mark.parametrize("display", [r"\text{local minimum} \implies \nabla^2 f \succeq 0",
                                     r"\nabla f = 0, \nabla^2 f(x^*) \succ 0 \implies \text{strict local minimum}",
                                     r"\text{local minimum} \implies \nabla f = 0"])
def test_the_corrected_premises_are_only_tested(display):
    (step,) = check(HEAD, display)
    assert step.verdict.value == "tested", step.message
    assert "which deriv can only test" in step.message


def test_semi_definite_at_a_critical_point_is_not_sufficient():
    (step,) = check(HEAD, r"\nabla f = 0, \nabla^2 f \succeq 0 \implies \text{local minimum}")
    assert step.verdict.value == "refuted"
    assert "-x^4" in step.message


def test_an_expected_failure_statement_is_not_a_fact():
    head = HEAD.replace("  - H \\succ 0\n", "  - x \\neq 0\n")
    text = head + "<!-- deriv: expect-fail -->\n$$ A \\succ 0 $$\n\n$$ x^T A x > 0 $$\n"
    steps = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert verdict_values(steps) == ["expected-fail", "refuted"]


def test_an_equality_with_a_forall_justification_stays_a_chain():
    # Read as a chain as before (whose justification \forall is not understood), not as a statement.
    (step,) = check(HEAD, r"x^T x = \|x\|^2 \quad \forall x \neq 0")
    assert step.relation == "="


def test_statements_are_recognised_only_in_their_forms():
    from deriv.meaning.statements import Condition, Eigenvalues, Quantified, SecondOrder, recognise

    assert recognise(r"\mathbf{H} \succeq 0 \Rightarrow \lambda_i(\mathbf{H}) \geq 0") == Eigenvalues("H", False, False)
    assert recognise(r"H \succ 0 \implies \lambda(G) > 0") is None  # two different matrices
    assert isinstance(recognise(r"q > 0 \quad \forall x \neq 0"), Quantified)
    assert recognise(r"a \implies b") is None and recognise(r"x = y") is None
    assert recognise(r"\text{local minimum} \implies \nabla^2 f(x^*) \succeq 0") == SecondOrder(
        (Condition("minimum"),), Condition("psd", "f", "x^*"))

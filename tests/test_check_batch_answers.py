"""A generated text's boxed final answer is checked against the derivation it ends, and its
inline math alone on a line is read as the display it looks like.

Before, ``$\\boxed{2Ax}$`` after a chain ending in ``(A + A^T) x`` was prose (or, in a
display, a display with no relation: no step), so a text whose answer contradicts
its own derivation earned reward 1.0.  In documents (not generated text) nothing changes.
"""

from __future__ import annotations

import pytest

import deriv

SYMBOLS = {"A": "matrix N x N", "x": "vector N"}
CHAIN = r"$$ \frac{\partial}{\partial x} x^T A x = (A + A^T) x $$"


def steps(text: str) -> list[tuple[str, str, str]]:
    [item] = deriv.check_many([{"id": 0, "text": text}], symbols=SYMBOLS)
    assert item.error is None
    return [(s.lhs, s.rhs, s.verdict.value) for s in item.steps]


@pytest.mark.parametrize("answer", [
    r"The answer is $\boxed{2Ax}$.",
    r"The answer is $$\boxed{2 A x}$$",
    r"The answer is \(\boxed{2Ax}\)",
    r"**Final answer.** $\boxed{2Ax}.$",
])
def test_a_wrong_final_answer_is_refuted_against_the_chain_it_ends(answer: str) -> None:
    found = steps(f"{CHAIN}\n\n{answer}\n")
    assert [verdict for _, _, verdict in found] == ["proved", "refuted"]
    assert found[1][0] == "(A + A^T) x"
    assert deriv.reward(f"{CHAIN}\n\n{answer}\n", symbols=SYMBOLS) == 0.0


@pytest.mark.parametrize("answer", [r"$\boxed{(A^T + A) x}$", r"$\boxed{A x + A^T x}$."])
def test_a_right_final_answer_is_proved(answer: str) -> None:
    text = f"{CHAIN}\nSo the gradient is {answer}\n"
    assert [verdict for _, _, verdict in steps(text)] == ["proved", "proved"]
    assert deriv.reward(text, symbols=SYMBOLS) == 1.0


def test_a_boxed_answer_with_a_relation_is_a_chain_of_its_own() -> None:
    text = f"{CHAIN}\nHence $\\boxed{{\\frac{{\\partial}}{{\\partial x}} x^T A x = 2 A x}}$.\n"
    found = steps(text)
    assert [verdict for _, _, verdict in found] == ["proved", "refuted"]
    assert found[1][0].startswith(r"\frac{\partial}")


def test_an_answer_with_nothing_before_it_is_no_step() -> None:
    """Nothing to check it against: no step, so no reward either way (None)."""
    assert steps(r"The answer is $\boxed{2Ax}$.") == []
    assert deriv.reward(r"The answer is $\boxed{2Ax}$.", symbols=SYMBOLS) is None


def test_an_unreadable_answer_is_an_error() -> None:
    found = steps(f"{CHAIN}\nThe answer is $\\boxed{{\\text{{yes}}}}$.\n")
    assert [verdict for _, _, verdict in found] == ["proved", "error"]


def test_inline_math_without_a_box_stays_prose() -> None:
    assert [v for _, _, v in steps(f"{CHAIN}\nwhere $A x = x$ is not claimed.\n")] == ["proved"]


def test_documents_do_not_read_boxed_inline_math() -> None:
    """Outside generated text inline math is prose, and a relation-free display is no step (SPEC 2.2)."""
    text = f"---\nsymbols:\n  A: matrix N x N\n  x: vector N\n---\n{CHAIN}\n\nSo $\\boxed{{2Ax}}$.\n\n$$\\boxed{{2Ax}}$$\n"
    result = deriv.check_text(text)
    assert [s.verdict.value for s in result.steps] == ["proved"]


@pytest.mark.parametrize("line", ["$A x = x$", "$A x = x$.", "1. $A x = x$", "- $A x = x$;", "> $A x = x$"])
def test_inline_math_alone_on_its_line_is_a_display_in_generated_text(line: str) -> None:
    """It reads as an equation line: a wrong one after a right chain is no longer unseen (reward 1.0)."""
    text = f"{CHAIN}\n\n{line}\n"
    assert [v for _, _, v in steps(text)] == ["proved", "refuted"]
    assert deriv.reward(text, symbols=SYMBOLS) == 0.0


@pytest.mark.parametrize("line", ["suppose $A x = x$", "$A x = x$ is not claimed", "Let $z = A x$ be given."])
def test_inline_math_inside_a_sentence_stays_prose(line: str) -> None:
    assert [v for _, _, v in steps(f"{CHAIN}\n\n{line}\n")] == ["proved"]

"""A generated text's display that starts by giving a new name its value (``$$ L = \\frac12
\\|Xw - y\\|^2 $$``, as models begin a derivation) defines the name, as ``Let $L = ...$``
does in prose; before, every such text was an error at its first step (reward 0.0)."""

from __future__ import annotations

import pytest

import deriv

SYMBOLS = {"X": "matrix M x N", "w": "vector N", "y": "vector M", "b": "vector M", "W": "matrix M x N",
           "x": "vector N"}


def steps(text: str) -> list[tuple[str, str, str]]:
    [item] = deriv.check_many([{"id": 0, "text": text}], symbols=SYMBOLS)
    assert item.error is None, item.error
    return [(s.lhs, s.rhs, s.verdict.value) for s in item.steps]


def test_a_loss_defined_in_a_display_is_differentiated() -> None:
    text = "$$ L = \\frac12 \\|Xw - y\\|^2 $$\n$$ \\frac{\\partial L}{\\partial w} = X^T (Xw - y) $$\n"
    assert [v for *_, v in steps(text)] == ["proved"]
    assert deriv.reward(text, symbols=SYMBOLS) == 1.0


def test_the_definition_is_no_step_but_the_chain_after_it_is_checked() -> None:
    text = "\\begin{align} L &= \\|Xw - y\\|^2 \\\\ &= (Xw - y)^T (Xw - y) \\\\ &= w^T X^T X w + y^T y \\end{align}\n"
    found = steps(text)
    assert [v for *_, v in found] == ["proved", "refuted"]
    assert found[0][1] == "(Xw - y)^T (Xw - y)" and found[1][1] == "w^T X^T X w + y^T y"


def test_a_text_of_definitions_only_earns_nothing() -> None:
    """A definition claims nothing: no step, so no reward (None), never 1.0."""
    assert steps("$$ L = \\|Xw - y\\|^2 $$\n") == []
    assert deriv.reward("$$ L = \\|Xw - y\\|^2 $$\n", symbols=SYMBOLS) is None


def test_a_later_display_of_the_same_name_is_a_step_against_the_definition() -> None:
    text = "$$ L = \\|Xw - y\\|^2 $$\n\n$$ L = \\|y - Xw\\|^2 $$\n\n$$ L = \\|Xw\\|^2 $$\n"
    assert [v for *_, v in steps(text)] == ["proved", "refuted"]


def test_a_given_name_is_never_defined_by_a_display() -> None:
    assert [v for *_, v in steps("$$ y = Xw $$\n")] == ["refuted"]


def test_two_values_for_one_name_is_an_error_not_a_choice() -> None:
    found = steps("$$ L = \\|Xw - y\\|^2 $$ and we set $L = \\|Xw\\|^2$.\n")
    assert [v for *_, v in found] == ["error"]
    # Said as the display's consequence (`and so`), it is a claim about the value: a step.
    assert [v for *_, v in steps("$$ L = \\|Xw - y\\|^2 $$ and so $L = \\|Xw\\|^2$.\n")] == ["refuted"]


def test_documents_still_ask_for_a_declaration() -> None:
    text = ("---\nsymbols:\n  X: matrix M x N\n  w: vector N\n  y: vector M\n---\n"
            "$$ L = \\|Xw - y\\|^2 $$\n")
    assert [s.verdict.value for s in deriv.check_text(text).steps] == ["error"]


@pytest.mark.parametrize(("display", "verdict"), [
    ("$$ x^2 = x x $$", "proved"),  # a power of a given name, not a new name x^2
    ("$$ w_1 = w_2 $$", "refuted"),  # entries of a given vector
    ("$$ N = 2 $$", "refuted"),  # a given size
    ("$$ X^T = X $$", "error"),
])
def test_a_left_side_that_mentions_a_given_name_is_a_step(display: str, verdict: str) -> None:
    [item] = deriv.check_many([{"id": 0, "text": display + "\n"}], symbols={**SYMBOLS, "x": "scalar"})
    assert item.error is None
    assert [s.verdict.value for s in item.steps] == [verdict]


@pytest.mark.parametrize("text", [
    "Let $x \\in \\mathbb{R}$. $$ x^2 = x x + 1 $$",
    "$$ x^2 = x x + 1 $$ where $x \\in \\mathbb{R}$.",
    "Let $v \\in \\mathbb{R}^n$. $$ v_1 = 2 v_1 $$",
])
def test_a_name_the_text_declares_in_prose_is_not_defined_by_a_display(text: str) -> None:
    [item] = deriv.check_many([{"id": 0, "text": text}])
    assert item.error is None
    assert [s.verdict.value for s in item.steps] == ["refuted"]

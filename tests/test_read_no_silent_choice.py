r"""Reading never makes a silent choice that changes the meaning (docs/format.md).

* Text between two relations never hides an equation: a justification may
  state relations only as reasons or conditions (after ``since``, ``where``,
  ..., or before ``iff``); any other words before a relation (``i.e.``,
  ``that is``, ``giving``, ``so``, words we never listed) are an ``error``.
* A bare operator followed by another factor (``\operatorname{tr} A B``,
  ``\log x y``, ``\tanh 2x``) is an ``error`` asking for brackets.
* A sum from 0 is an ``error``: entries are numbered from 1.

Each case asserts the exact verdicts of its whole document.
"""

from __future__ import annotations

import itertools

import pytest
from helpers import front_matter, verdicts_with_messages

from deriv.results import Verdict

PROVED, REFUTED, ERROR = Verdict.PROVED, Verdict.REFUTED, Verdict.ERROR

SYMBOLS = {"x": "scalar", "y": "scalar", "B": "scalar", "b": "scalar", "A": "matrix N x N", "C": "matrix N x N",
           "v": "vector N"}


def verdicts(body: str) -> list[tuple[Verdict, str | None]]:
    return verdicts_with_messages(front_matter(SYMBOLS) + body + "\n")


# -- a second relation after words is a reason, or an error ----------------------
CONSEQUENCES = ["i.e.", "i.e.,", "that is,", "that is", "giving", "which gives", "so", "hence", "thus", "therefore",
                "we get", "or equivalently", "and so", "and hence", "(1)", "namely", "meaning", "whence", "and", "then", "QED:", "yielding"]
#: How the words may be written around the hidden equation ``y = 3x``.
FORMS = [
    r"\quad\text{{{w}}}\quad y = 3x",
    r"\quad \text{{{w} }} y = 3x",
    r"\qquad \left(\text{{{w} }} y = 3x\right)",
    r"\quad (\text{{{w} }} y = 3x)",
    r"\quad \textrm{{{w}}}\; y = 3x",
    r"\quad \text{{by (1), {w} }} y = 3x",
    r"\quad \text{{{w} y = 3x}}",
    r"\quad \text{{since }} B = b \text{{, {w} }} y = 3x",
    r"\quad \text{{since }} B = b \text{{ and {w} }} y = 3x",
    r"\quad \text{{due to (3), {w}}} y = 3x",
]


@pytest.mark.parametrize(("words", "form"), list(itertools.product(CONSEQUENCES, FORMS)))
def test_words_before_a_relation_never_hide_a_claim(words: str, form: str) -> None:
    seen = verdicts("$$ y = x + x " + form.format(w=words) + " $$")
    if words == "and" and form in FORMS[:2] + FORMS[4:5]:
        # \text{and} between two results separates them: y = 3x is checked on its own line
        assert [v for v, _ in seen] == [REFUTED, REFUTED], seen
    else:
        assert [v for v, _ in seen] == [ERROR], seen


REASONS = [
    (r"$$ x + x = 2x \qquad \delta_{k,n} = 1 \text{ iff } k = n $$", [PROVED]),
    (r"$$ x + x = 2x \quad \text{due to } B = b $$", [PROVED]),
    (r"$$ x + x = 2x \quad \text{Since } B = b \text{ and } y = x $$", [PROVED]),
    (r"$$ x + x = 2x \quad \text{because } B = b $$", [PROVED]),
    (r"$$ x + x = 2x \quad \text{where } y = x^2 $$", [PROVED]),
    (r"$$ x + x = 2x \quad \text{by the chain rule} $$", [PROVED]),
    (r"$$ x + x = 3x \quad \text{since } B = b $$", [REFUTED]),  # the step is the one the reader sees
]


@pytest.mark.parametrize(("body", "expected"), REASONS)
def test_reasons_and_conditions_stay_justifications(body: str, expected: list[Verdict]) -> None:
    assert [v for v, _ in verdicts(body)] == expected


def test_a_relation_first_in_a_justification_needs_a_condition_after_it() -> None:
    seen = verdicts(r"$$ x + x = 2x \quad y = 3x \text{ since } B = b $$")
    assert [v for v, _ in seen] == [ERROR] and "second claim" in seen[0][1]


# -- bare operators ------------------------------------------------------------
@pytest.mark.parametrize("body", [
    r"$$ \operatorname{tr} A C = \operatorname{tr} C A $$",
    r"$$ \log x y = \log x + \log y $$",
    r"$$ \log x y = y \log x $$",
    r"$$ \tanh 2x = \tanh(2x) $$",
    r"$$ \exp x y = \exp(x y) $$",
    r"$$ \sqrt x y = \sqrt{x} y $$",
    r"$$ \tanh^2 x y = y \tanh^2(x) $$",
    r"$$ \exp x \sum_i v_i = \exp(x) \sum_i v_i $$",
    r"$$ 2 \mathrm{tr} A^T C = 2 \operatorname{tr}(C A^T) $$",
])
def test_a_bare_operator_before_another_factor_is_an_error(body: str) -> None:
    seen = verdicts(body)
    assert [v for v, _ in seen] == [ERROR], seen
    assert "without brackets" in seen[0][1]


@pytest.mark.parametrize(("body", "expected"), [
    (r"$$ \operatorname{tr}(A C) = \operatorname{tr}(C A) $$", [PROVED]),
    (r"$$ \log x + \log y = \log(x y) $$", [REFUTED]),  # x, y of either sign
    (r"$$ y \log x = \log(x) y $$", [PROVED]),
    (r"$$ \log x \log y = \log y \log x $$", [PROVED]),
    (r"$$ \exp x \cdot y = y \exp(x) $$", [PROVED]),
    (r"$$ \tanh(2x) = \tanh(x + x) $$", [PROVED]),
])
def test_bracketed_and_unambiguous_operators_are_read(body: str, expected: list[Verdict]) -> None:
    assert [v for v, _ in verdicts(body)] == expected


# -- sums from 0 ----------------------------------------------------------------
@pytest.mark.parametrize("body", [
    r"$$ \sum_{i=0}^{N-1} A_{i,i} = \operatorname{tr}(A) $$",
    r"$$ \sum_{i=0}^{N} v_i = \sum_i v_i $$",
    r"$$ \sum_{k=0}^{N-1} v_k^2 = v^T v $$",
])
def test_a_sum_from_zero_is_an_error(body: str) -> None:
    seen = verdicts(body)
    assert [v for v, _ in seen] == [ERROR], seen
    assert "numbered from 1" in seen[0][1]


def test_a_sum_over_the_whole_range_is_read() -> None:
    assert [v for v, _ in verdicts(r"$$ \sum_{i=1}^{N} A_{i,i} = \operatorname{tr}(A) $$")] == [PROVED]

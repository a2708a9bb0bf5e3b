r"""Differential: with an item's ``quantity``, the reward of a text whose steps are true is the
verdict of ``quantity = answer`` checked as a document's step (``deriv.Derivation``, an
independent reading: a front matter and one display, no generated-text rules), whatever
format the answer takes and whichever true chain comes before it -- above all one that derives
another quantity whose value is the answer (docs/library.md, "Generated derivations in bulk")."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.quantity import EXTRA

SYMBOLS = {"A": "matrix N x N", "B": "matrix N x N", "H": "symmetric matrix N x N", "x": "vector N",
           "a": "scalar", "b": "scalar"}
QUANTITIES = [r"\frac{\partial}{\partial x} x^T A x", r"\frac{\partial}{\partial x} x^T H x", r"\nabla_x (x^T x)",
              r"\frac{\partial}{\partial x} (a x^T B x)", r"\frac{d}{d a} a^3 b", r"\frac{\partial}{\partial b} (a b)^2",
              r"\operatorname{tr}(A B)", r"(A B)^T", r"\frac{\partial}{\partial A} \operatorname{tr}(A B)"]
ANSWERS = ["(A + A^T) x", "A x + A^T x", "2 A x", "2 A^T x", "2 H x", "(H + H^T) x", "2 x", "x + x", "x",
           "a (B + B^T) x", "2 a B x", "3 a^2 b", "3 a a b", "a^2", "2 a^2 b", "2 b a^2", r"\operatorname{tr}(B A)",
           r"\operatorname{tr}(A) \operatorname{tr}(B)", "B^T A^T", "A^T B^T", "B^T", "B", "A + A^T", "0", "a"]
#: Right answers, several forms of some, so that true pairs are drawn often.
RIGHT = [(QUANTITIES[0], "(A + A^T) x"), (QUANTITIES[0], "A x + A^T x"), (QUANTITIES[1], "2 H x"),
         (QUANTITIES[1], "(H + H^T) x"), (QUANTITIES[2], "2 x"), (QUANTITIES[2], "x + x"), (QUANTITIES[3], "a (B + B^T) x"),
         (QUANTITIES[4], "3 a^2 b"), (QUANTITIES[4], "3 a a b"), (QUANTITIES[5], "2 b a^2"),
         (QUANTITIES[6], r"\operatorname{tr}(B A)"), (QUANTITIES[7], "B^T A^T"), (QUANTITIES[8], "B^T")]
#: Ways a model gives its answer ({e} is the answer).
FORMATS = [r"The answer is $\boxed{{{e}}}$.", "#### {e}", "<answer>{e}</answer>", "<answer>${e}$</answer>",
           "**Answer:** ${e}$", r"$$ g = \boxed{{{e}}} $$", r"Final answer: $$\boxed{{{e}}}$$", "### Final Answer\n\n${e}$"]


def reference(quantity: str, answer: str) -> float | None:
    """The reward the verdict of ``quantity = answer`` as a document's step gives."""
    derivation = deriv.Derivation(SYMBOLS)
    derivation.chain(quantity, answer)
    result = derivation.check(timeout=20)
    if result.error is not None:
        return 0.0
    verdict = result.steps[0].verdict
    if verdict in (deriv.Verdict.PROVED, deriv.Verdict.TESTED):
        return 1.0
    return 0.0 if verdict in (deriv.Verdict.REFUTED, deriv.Verdict.ERROR) else None


def before(answer: str, kind: int) -> str:
    """A true derivation before the answer: none, one of another quantity ending in the answer
    (``d/dc (c E) = E`` for a scalar ``c`` the answer does not hold), or an identity of it."""
    if kind == 1:
        return f"$$ \\frac{{\\partial}}{{\\partial b}} (b ({answer})) = {answer} $$\n\n" if "b" not in answer else ""
    if kind == 2:
        return f"$$ 2 ({answer}) - ({answer}) = {answer} $$\n\n"
    return ""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.tuples(st.sampled_from(QUANTITIES), st.sampled_from(ANSWERS)), st.sampled_from(RIGHT)),
       st.sampled_from(FORMATS), st.integers(0, 2))
def test_the_reward_is_the_verdict_of_quantity_equals_answer(pair: tuple[str, str], layout: str, kind: int) -> None:
    quantity, answer = pair
    text = before(answer, kind) + layout.format(e=answer)
    expected = reference(quantity, answer)
    [item] = deriv.check_many([{"id": 0, "text": text, "quantity": quantity}], symbols=SYMBOLS, timeout=20)
    assert item.error is None, item.error
    own = [s for s in item.steps if not s.message.startswith(EXTRA)]
    added = [s for s in item.steps if s.message.startswith(EXTRA)]
    assert len(added) == 1, item.steps
    assert all(s.verdict in (deriv.Verdict.PROVED, deriv.Verdict.TESTED) for s in own), own  # true by construction
    assert deriv.reward(text, symbols=SYMBOLS, quantity=quantity, timeout=20) == expected, (text, added[0])


def combination(terms: list[str], coefficients: list[int]) -> str:
    """``2 A x - A^T x`` from the terms and their coefficients (a zero sum is ``0``)."""
    parts = [(c, t) for c, t in zip(coefficients, terms) if c]
    if not parts:
        return "0"
    written = ""
    for c, t in parts:
        size = "" if abs(c) == 1 else f"{abs(c)} "
        written += (" - " if c < 0 else " + " if written else "") + f"{size}{t}"
    return written.strip().removeprefix("+ ") if not written.startswith(" - ") else "-" + written[3:]


#: A quantity, the terms of answers to it, and the coefficients of its right answer.
COMBINED = [(QUANTITIES[0], ["A x", "A^T x", "x"], [1, 1, 0]), (QUANTITIES[3], ["a B x", "a B^T x", "B x"], [1, 1, 0]),
            (QUANTITIES[4], ["a^2 b", "a b", "a^2"], [3, 0, 0]), (QUANTITIES[5], ["a^2 b", "a b^2", "b"], [2, 0, 0])]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(COMBINED), st.lists(st.integers(-2, 3), min_size=3, max_size=3), st.booleans(),
       st.sampled_from(FORMATS[:5]))
def test_the_reward_of_a_combination_is_its_verdict(case: tuple[str, list[str], list[int]], drawn: list[int],
                                                    right: bool, layout: str) -> None:
    quantity, terms, answer_coefficients = case
    answer = combination(terms, answer_coefficients if right else drawn)
    text = before(answer, 1) + layout.format(e=answer)
    expected = reference(quantity, answer)
    assert expected == (1.0 if right or drawn == answer_coefficients else 0.0)  # the reference agrees with algebra
    assert deriv.reward(text, symbols=SYMBOLS, quantity=quantity, timeout=20) == expected, text

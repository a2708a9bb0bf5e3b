"""What a reader of generated text sees as a claim, deriv reads as one (docs/library.md,
"Generated derivations in bulk"): a reward of 1.0 never goes to a text with a false step
or a final answer that contradicts its own derivation, whatever the layout.

Each fixed case below earned 1.0 before (a silent misreading); the property tests wrap
true and false steps, and right and wrong final answers, in random layouts a model
writes and compare the reward with the truth they were built from."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv

SYMBOLS = {"A": "matrix N x N", "B": "matrix N x N", "x": "vector N", "a": "scalar", "b": "scalar"}
CHAIN = r"$$ \frac{\partial}{\partial x} x^T A x = (A + A^T) x $$"


def verdicts(text: str) -> tuple[list[str], int | None, str | None]:
    [item] = deriv.check_many([{"id": 0, "text": text}], symbols=SYMBOLS)
    return [s.verdict.value for s in item.steps], item.first_wrong, item.error


@pytest.mark.parametrize(("answer", "expected"), [
    # Any box a renderer draws marks the answer (\fbox is not read yet: an error, never a pass).
    (r"The answer is $\fbox{2Ax}$.", ["proved", "error"]),
    (r"The answer is $\bbox[red]{2Ax}$.", ["proved", "error"]),
    (r"The answer is $\colorbox{yellow}{$2Ax$}$.", ["proved", "error"]),
    # A box written outside math is still the answer a reader (and an answer extractor) sees.
    (r"\boxed{2Ax}", ["proved", "refuted"]),
    (r"So the answer is \boxed{2 A x}.", ["proved", "refuted"]),
    (r"So the answer is \boxed{(A + A^T) x}.", ["proved", "proved"]),
    # The word "answer" before the math names it the answer.
    (r"**Answer:** $2Ax$", ["proved", "refuted"]),
    (r"Final Answer: $2Ax$", ["proved", "refuted"]),
    (r"The final answer is $2Ax$, as claimed.", ["proved", "refuted"]),
    (r"**Answer:** $(A+A^T)x$.", ["proved", "proved"]),
    ("__Answer:__ $2Ax$", ["proved", "refuted"]),
    ("The final answer is therefore $2Ax$.", ["proved", "refuted"]),
    ("Answer (gradient): $2Ax$", ["proved", "refuted"]),
    ("Final result: $2Ax$", ["proved", "refuted"]),
    ("<b>Answer:</b> $2Ax$", ["proved", "refuted"]),
    ("| Answer | $2Ax$ |", ["proved", "refuted"]),
    ("\\textbf{Answer:} $2Ax$", ["proved", "refuted"]),
    # An answer shown as a code block is an error: a reader sees it, deriv reads no code.
    ("Answer:\n\n```\n2Ax\n```", ["proved", "error"]),
    ("Answer:\n\n    2Ax", ["proved", "error"]),
    # ... and so does it a code span: the answer a reader sees, in backticks.
    ("**Answer:** `2Ax`", ["proved", "refuted"]),
    ("The answer is ``2Ax``.", ["proved", "refuted"]),
    ("**Answer:** `(A + A^T) x`", ["proved", "proved"]),
    # ... or on the line before math that opens its line: a heading, a bold line, a colon.
    ("### Final Answer\n\n$2Ax$", ["proved", "refuted"]),
    ("### Final Answer\n\n$$2Ax$$", ["proved", "refuted"]),
    ("**Final Answer**\n\n$2Ax$", ["proved", "refuted"]),
    ("Final answer:\n$$ 2Ax $$", ["proved", "refuted"]),
    ("> **Answer:** $2Ax$", ["proved", "refuted"]),
    ("**Final Answer**\n\n$$ (A + A^T) x $$", ["proved", "proved"]),
    # A boxed answer that names a new value is still checked against the chain it ends.
    (r"$$ g = \boxed{2Ax} $$", ["proved", "refuted"]),
    (r"$$ g = 2Ax = \boxed{2Ax} $$", ["proved", "refuted", "proved"]),
    (r"$$\boxed{g = 2Ax}$$", ["proved", "refuted"]),
    (r"$$ g = \boxed{(A + A^T) x} $$", ["proved", "proved"]),
    (r"$$\boxed{g = A x + A^T x}$$", ["proved", "proved"]),
])
def test_a_final_answer_is_checked_however_it_is_marked(answer: str, expected: list[str]) -> None:
    text = f"{CHAIN}\n\n{answer}\n"
    found, first_wrong, error = verdicts(text)
    assert error is None and found == expected
    assert deriv.reward(text, symbols=SYMBOLS) == (1.0 if set(expected) == {"proved"} else 0.0)
    assert first_wrong == next((n for n, v in enumerate(expected) if v in ("refuted", "error")), None)


@pytest.mark.parametrize("text", [
    "`\\boxed{3a}`",  # code: shown as code, no answer
    "<!-- \\boxed{3a} -->",  # a comment: unseen
    "```\n\\boxed{3a}\n```",
    "\\\\boxed{3a}",  # an escaped backslash: the text `\boxed{3a}`, written about
])
def test_a_box_a_reader_does_not_see_as_math_is_not_an_answer(text: str) -> None:
    assert verdicts(f"$$ a + a = 2a $$\n\n{text}\n")[0] == ["proved"]


@pytest.mark.parametrize(("text", "expected"), [
    # Math that opens with a relation can only continue a chain, in a sentence too.
    ("$$ a + a = 2a $$\n\nwhich is $= 3a$.", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\nwhich is $= 2a$.", ["proved", "proved"]),
    ("$$ a^2 + 1 $$\n\nand this is $\\le 2a^2 + 1$.", ["proved"]),
    # A prose line opening with '=' is a chain continued outside math: not read, so an error.
    ("$$ a + a = 2a $$\n\n= 3a", ["proved", "error"]),
    ("$$ a + a = 2a $$\n\n  = 2a  (by the above)", ["proved", "error"]),
    # A heading's underline is no continuation.
    ("Title\n=\n\n$$ a + a = 2a $$", ["proved"]),
    ("Title\n===\n\n$$ a + a = 2a $$", ["proved"]),
    # Math alone on its line after nested list markers, an enumerator, a short label, an arrow or a check.
    ("$$ a + a = 2a $$\n\n- - $a = 3a$", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\n(ii) $a = 3a$", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\n**Step 2:** $a = 3a$", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\nResult: $a = 3a$", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\n\u21d2 $a = 3a$", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\n$a = 3a$ \u2713", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\nWe conclude that $a = 3a$.", ["proved", "refuted"]),
    # ... not after a label that makes it a hypothesis, nor as a question or a denial.
    ("$$ a + a = 2a $$\n\nAssume: $a = 3a$", ["proved"]),
    ("$$ a + a = 2a $$\n\nDoes $a = 3a$ hold?", ["proved"]),
    ("$$ a + a = 2a $$\n\n$a = 3a$?", ["proved"]),
    ("$$ a + a = 2a $$\n\nIt is not true that $a = 3a$.", ["proved"]),
    ("$$ a + a = 2a $$\n\n~~$a = 3a$~~", ["proved"]),  # struck out: withdrawn
    # `$` as renderers read it: spaces inside (pandoc reads that as text), a digit after.
    ("$$ a + a = 2a $$\n\n$ a = 3a $", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\nThe answer is $ 3a $.", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\nThe answer is $3a$2.", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\nSuppose $ a = 3a $ here.", ["proved"]),  # in a sentence: prose
    # Words right after a display that make the math its value or its consequence.
    ("$$ a + a = 2a $$ which equals $3a$.", ["proved", "refuted"]),
    ("$$ a + a = 2a $$ which equals $2a$.", ["proved", "proved"]),
    ("$$ a + a = 2a $$\n\nwhich is $3a$.", ["proved", "refuted"]),
    ("$$ a + a = 2a $$, and this is equal to $3a$.", ["proved", "refuted"]),
    ("$$ a + a = 2a $$ so $a = 3a$.", ["proved", "refuted"]),
    ("$$ a + a = 2a $$ hence $a > 0$.", ["proved", "refuted"]),
    ("$$ a + a = 2a $$ so $c = 3a$.", ["proved"]),  # a new name's value: a definition
    ("$$ a + a = 2a $$ where $a$ is a scalar.", ["proved"]),
    # ... not when a condition follows (a claim under it: not read), nor after other words.
    ("$$ a + a = 2a $$ which is $3a$ for $a = 0$.", ["proved"]),
    ("$$ a + a = 2a $$, i.e. $a = 3a$ if $a = 0$.", ["proved"]),
    ("$$ a + a = 2a $$ and by symmetry we see that $a = 3a$ holds.", ["proved"]),
    ("$$ a + a = 2a $$ so $b = 0$ is a root.", ["proved"]),  # words qualify it: not a claim of the relation
    ("$$ a + a = 2a $$ so $a = 3a$, and we are done.", ["proved", "refuted"]),
    # HTML tags around math alone on its line show nothing of their own.
    ("$$ a + a = 2a $$\n\n<b>$a = 3a$</b>", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\n$a = 3a$<br>", ["proved", "refuted"]),
    # Math alone on its line in a heading or in emphasis reads as an equation line.
    ("$$ a + a = 2a $$\n\n## $a = 3a$", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\n**$a = 3a$**", ["proved", "refuted"]),
    ("$$ a + a = 2a $$\n\n*$a = 3a$*.", ["proved", "refuted"]),
    # Math alone in a table cell reads as an equation line.
    ("$$ a + a = 2a $$\n\n| step | claim |\n|---|---|\n| 2 | $a = 3a$ |", ["proved", "refuted"]),
    ("| step | claim |\n|---|---|\n| 1 | $a + a = 2a$ |", ["proved"]),
    # Math on a line of math only (after a display, between commas) is alone on it too.
    ("$$ a + a = 2a $$ $a = 3a$", ["proved", "refuted"]),
    ("$a + a = 2a$, $a = 3a$", ["proved", "refuted"]),
    ("- $a + a = 2a$; $a = 3a$.", ["proved", "refuted"]),
    ("$a + a = 2a$ and $a = 3a$", []),  # a sentence: prose (the documented trade-off)
    # A brace's label that opens with a relation is a claim about what the brace holds.
    ("$$ \\underbrace{a + a}_{=3a} = 2a $$", ["proved", "refuted"]),
    ("$$ \\overbrace{a + a}^{= 3a} = 2a $$", ["proved", "refuted"]),
    ("$$ \\underbrace{a + a}_{=2a} = 2a $$", ["proved", "proved"]),
    ("$$ \\underbrace{a + a}_{\\text{twice}} = 2a $$", ["proved"]),
    ("$$ \\underbrace{(A B)^T}_{= A^T B^T} = B^T A^T $$", ["proved", "refuted"]),
    # The claim is a chain of its own: the display's chain goes on from its own last member.
    ("$$ b + \\underbrace{a + a}_{= 2a} = b + 2a $$\n\n$$ = 3a + b $$", ["proved", "proved", "refuted"]),
    ("$$ \\underbrace{\\underbrace{a + a}_{=3a} + a}_{=3a} = 3a $$", ["proved", "proved", "refuted"]),
])
def test_math_a_reader_takes_for_a_step_is_one(text: str, expected: list[str]) -> None:
    found, _, error = verdicts(text)
    assert error is None and found == expected


# --- property: right and wrong final answers in random layouts (steps: test_batch_generated_properties.py) ---

#: What lies between the steps: prose, and math a reader does not see as a claim (code, comments).
FILLERS = ["", "So we get:", "Hence, by the definition,", "<!-- a + a = 3a -->", "<!-- $$ a + a = 3a $$ -->",
           "```\na + a = 3a\n```", "    a + a = 3a", "Here $x$ is a vector and $a$ a scalar.", "`a + a = 3a`",
           "```python\nx = 3 * a\n```", "Next:"]


RIGHT_ANSWERS = ["(A + A^T) x", "A x + A^T x", "A^T x + A x", "(A^T + A) x"]
WRONG_ANSWERS = ["2 A x", "2 A^T x", "A x", "(A - A^T) x", "A^T A x"]
#: Ways a model gives its final answer after a derivation.
ANSWER_LAYOUTS = [
    "The answer is $\\boxed{{{e}}}$.", "$$\\boxed{{{e}}}$$", "\\boxed{{{e}}}", "So the answer is \\boxed{{{e}}}.",
    "**Answer:** ${e}$", "Final answer: ${e}$.", "$$ g = \\boxed{{{e}}} $$", "$$\\boxed{{g = {e}}}$$",
    "\\[ \\boxed{{{e}}} \\]", "The answer is $\\displaystyle\\boxed{{{e}}}$.", "$= {e}$", "which is $= {e}$.",
    "- $\\boxed{{{e}}}$", "### Final Answer\n\n${e}$", "**Final Answer**\n\n$$ {e} $$", "Final answer:\n$$ {e} $$",
    "**$\\boxed{{{e}}}$**",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), st.data())
def test_a_final_answer_earns_a_reward_exactly_when_it_is_what_was_derived(right: bool, data) -> None:
    answer = data.draw(st.sampled_from(RIGHT_ANSWERS if right else WRONG_ANSWERS))
    layout = data.draw(st.sampled_from(ANSWER_LAYOUTS))
    filler = data.draw(st.sampled_from(FILLERS))
    text = f"{CHAIN}\n\n{filler}\n\n{layout.format(e=answer)}\n"
    assert deriv.reward(text, symbols=SYMBOLS) == (1.0 if right else 0.0), text


@pytest.mark.parametrize(("text", "expected"), [
    # A relation given as a step's reason is a claim a reader sees: checked as a chain of its own.
    ("$$ a + a = 2a \\quad \\text{since } a = 3a $$", ["proved", "refuted"]),
    ("$$ a + a = 2a \\quad \\text{since $a = 3a$} $$", ["proved", "refuted"]),
    ("$$ a + a = 2a \\quad \\text{(because } a = 3a\\text{)} $$", ["proved", "refuted"]),
    ("$$ a + a = 2a \\quad \\text{using } (A B)^T = A^T B^T $$", ["proved", "refuted"]),
    ("$$ a + a = 2a \\quad \\text{using } (A B)^T = B^T A^T $$", ["proved", "proved"]),
    ("$$ (A + A^T) x = 2 A x \\quad \\text{since } A = A^T $$", ["undecided", "refuted"]),
    ("$$ a + a = 2a \\quad \\text{since } a = a \\text{ and } b = 2b $$", ["proved", "proved", "refuted"]),
    # ... and so is one given as a remark (it was unread: 1.0 beside a false remark).
    ("$$ a + a = 2a \\quad \\text{(note } a = 3a) $$", ["proved", "refuted"]),
    ("$$ a + a = 2a \\quad \\text{(note that } b + b = 2b) $$", ["proved", "proved"]),
    ("$$ a + a = 2a \\quad \\text{recall } (A B)^T = A^T B^T $$", ["proved", "refuted"]),
    ("$$ a + a = 2a \\quad \\text{note the symmetry} $$", ["proved"]),
    # A condition is a hypothesis, not a claim; words are prose: neither is checked.
    ("$$ a + a = 2a \\quad \\text{for } a = 3a $$", ["proved"]),
    ("$$ a + a = 2a \\quad \\text{if } a = 3a $$", ["proved"]),
    ("$$ a + a = 2a \\quad \\text{by the chain rule} $$", ["proved"]),
    ("$$ a + a = 2a \\quad \\text{by (2)} $$", ["proved"]),
])
def test_a_reason_a_step_gives_is_checked(text: str, expected: list[str]) -> None:
    found, _, error = verdicts(text)
    assert error is None and found == expected


@pytest.mark.parametrize(("text", "expected"), [
    # An align's \\intertext stating a consequence in inline math is a claim, as prose after a display is.
    ("\\begin{align} a + a &= 2a \\\\ \\intertext{hence $a = 3a$} &= 2a \\end{align}", ["proved", "proved", "refuted"]),
    ("\\begin{align} a + a &= 2a \\\\ \\intertext{where $a = 3a$} &= 2a \\end{align}", ["proved", "proved"]),
    # A box in a justification is an answer a reader sees: it continues the display's chain.
    ("$$ a + a = 2a \\quad \\text{and } \\boxed{3a} $$", ["proved", "refuted"]),
    ("$$ a + a = 2a \\quad \\text{so } \\boxed{2a} $$", ["proved", "proved"]),
])
def test_claims_beside_a_displays_rows_are_checked(text: str, expected: list[str]) -> None:
    found, _, error = verdicts(text)
    assert error is None and found == expected


def test_a_reason_the_given_assumptions_make_true_is_not_refuted() -> None:
    text = "$$ (A + A^T) x = 2 A x \\quad \\text{since } A = A^T $$"
    [item] = deriv.check_many([{"id": 0, "text": text, "assumptions": ["A = A^T"]}], symbols=SYMBOLS)
    assert item.error is None and [s.verdict.value for s in item.steps] == ["tested", "tested"]


@pytest.mark.parametrize("code", [
    "```\n$a = 3a$\n```", "\t- $a = 3a$",
    "```\n$$ a = 3a $$\n```", "    $$ a = 3a $$", "\t\\[ a = 3a \\]",
    "`$$ a = 3a $$`", "- item\n\n      $$ a = 3a $$",
])
def test_a_step_shown_as_code_is_an_error(code: str) -> None:
    """A reader sees the step (as code); deriv does not read code: an error, where it earned 1.0."""
    text = f"$$ a + a = 2a $$\n\n{code}\n"
    found, first_wrong, error = verdicts(text)
    assert error is None and found == ["proved", "error"] and first_wrong == 1
    assert deriv.reward(text, symbols=SYMBOLS) == 0.0


@pytest.mark.parametrize(("fence", "expected"), [
    # A ```latex fence is the LaTeX a reader reads as mathematics: read (it was an error, 0.0 for a true step).
    ("```latex\na = 3a\n```", ["proved", "refuted"]), ("~~~tex\na = 3a\n~~~", ["proved", "refuted"]),
    ("```latex\na + a = 2a\n```", ["proved", "proved"]),
    ("```latex\n\\begin{align*}\na + a &= 2a \\\\\n&= 3a\n\\end{align*}\n```", ["proved", "proved", "refuted"]),
    ("```latex\n$$ a + a = 2a $$\n```", ["proved", "proved"]), ("- item\n\n  ```latex\n  a = 3a\n  ```", ["proved", "refuted"]),
])
def test_a_latex_fence_is_read_as_math(fence: str, expected: list[str]) -> None:
    found, _, error = verdicts(f"$$ a + a = 2a $$\n\n{fence}\n")
    assert error is None and found == expected


@pytest.mark.parametrize("code", ["```python\nx = 3 * a\n```", "```\nx = 3\n```", "    x = y", "`a = 3a`",
                                  "```latex\n\\newcommand{\\x}{y}\n```", "Use `3a` here."])
def test_code_that_shows_no_step_is_code(code: str) -> None:
    assert verdicts(f"$$ a + a = 2a $$\n\n{code}\n")[0] == ["proved"]


@pytest.mark.parametrize("text", ["Answer: 2Ax", "The gradient is $2Ax$.", "Gradient: $2Ax$"])
def test_an_answer_in_plain_words_is_prose(text: str) -> None:
    """The documented trade-off (docs/library.md): only the word "answer" before math names it the answer,
    and text outside math is not read; a wrong result said so still earns the derivation's reward."""
    assert verdicts(f"{CHAIN}\n\n{text}\n")[0] == ["proved"]


@pytest.mark.parametrize(("restated", "expected"), [
    # A chain of the model's own from a closed form, ending in its wrong answer, concludes nothing:
    # the answer is checked against the last chain that found a quantity (docs/library.md); as it
    # agrees with the closed-form chain (a text may assemble its result so), undecided: no reward.
    ("$$ 2 A x = A x + A x $$", ["proved", "proved", "undecided"]),
    ("$$ A x + A x = 2 A x $$", ["proved", "proved", "undecided"]),
    ("$$ 2 A x = 2 A x $$", ["proved", "proved", "undecided"]),
    # ... and contradicting both, refuted.
    ("$$ 3 A x = A x + 2 A x $$", ["proved", "proved", "refuted"]),
    # ... and a rewriting of the result that the answer restates is checked all the same.
    ("$$ (A + A^T) x = A x + A^T x $$", ["proved", "proved", "proved"]),
])
def test_a_restated_answer_chain_does_not_hide_a_wrong_answer(restated: str, expected: list[str]) -> None:
    answer = "2Ax" if "2 A x" in restated else "A x + A^T x"
    text = f"{CHAIN}\n\n{restated}\n\nThe answer is $\\boxed{{{answer}}}$.\n"
    found, _, error = verdicts(text)
    assert error is None and found == expected
    assert deriv.reward(text, symbols=SYMBOLS) == (0.0 if "refuted" in expected else None if "undecided" in expected
                                                   else 1.0)


def test_an_answer_concludes_the_last_chain_that_finds_a_quantity() -> None:
    """Several quantities found one after another: the answer concludes the last (a defined name counts)."""
    text = ("$$ \\frac{\\partial}{\\partial x} b^T x = b $$\n\n"
            "$$ \\nabla_x (x^T A x + b^T x) = (A + A^T) x + b $$\n\n**Answer:** $(A + A^T) x + b$\n")
    [item] = deriv.check_many([{"id": 0, "text": text}], symbols={**SYMBOLS, "b": "vector N"})
    assert [s.verdict.value for s in item.steps] == ["proved", "proved", "proved"]
    # Pure algebra (no quantity to find): the last chain, as before -- the documented limit.
    algebra = "$$ (a + b)^2 = a^2 + 2 a b + b^2 $$\n\n$$ a^2 + b^2 = b^2 + a^2 $$\n\n**Answer:** $a^2 + b^2$\n"
    assert verdicts(algebra)[0] == ["proved", "proved", "proved"]
    early = f"The answer is $\\boxed{{2Ax}}$.\n\n{CHAIN}\n\n$$ 2 A x = A x + A x $$\n"
    assert verdicts(early)[0] == ["undecided", "proved", "proved"]
    early = f"The answer is $\\boxed{{A x}}$.\n\n{CHAIN}\n\n$$ 2 A x = A x + A x $$\n"
    assert verdicts(early)[0] == ["refuted", "proved", "proved"]


@pytest.mark.parametrize(("text", "expected"), [
    # An answer given before its derivation is checked against the chain the text ends with.
    (f"The answer is $\\boxed{{2Ax}}$.\n\n{CHAIN}", ["refuted", "proved"]),
    (f"**Answer:** $2Ax$\n\nDerivation:\n\n{CHAIN}", ["refuted", "proved"]),
    (f"The answer is $\\boxed{{(A+A^T)x}}$.\n\n{CHAIN}", ["proved", "proved"]),
    ("The answer is $\\boxed{2Ax}$.", []),  # nothing to check it against: no step
])
def test_an_answer_before_its_derivation_is_checked_against_it(text: str, expected: list[str]) -> None:
    found, _, error = verdicts(text)
    assert error is None and found == expected


@pytest.mark.parametrize(("answer", "expected"), [("2Ax", ["refuted", "proved"]), ("(A + A^T) x", ["proved", "proved"])])
def test_an_early_answer_that_defines_is_checked_too(answer: str, expected: list[str]) -> None:
    found, _, error = verdicts(f"$$ g = \\boxed{{{answer}}} $$\n\n{CHAIN}\n")
    assert error is None and found == expected


def test_the_command_line_batch_reads_generated_text_the_same_way(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from deriv.cli import main

    texts = [f"{CHAIN}\n\n**Answer:** $2Ax$\n", "$$ a + a = 2a $$ so $a = 3a$.\n",
             "$$ a + a = 2a $$\n\n```\n$$ a = 3a $$\n```\n", f"{CHAIN}\n\nSo the answer is \\boxed{{(A + A^T) x}}.\n"]
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps({"id": n, "text": t}) + "\n" for n, t in enumerate(texts)))
    symbols = tmp_path / "s.yaml"
    symbols.write_text("symbols:\n" + "".join(f"  {k}: {v}\n" for k, v in SYMBOLS.items()))
    result = CliRunner().invoke(main, ["check", "--batch", str(path), "--symbols", str(symbols)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [(o["id"], o["first_wrong"], [s["verdict"] for s in o["steps"]]) for o in out] == [
        (0, 1, ["proved", "refuted"]), (1, 1, ["proved", "refuted"]), (2, 1, ["proved", "error"]),
        (3, None, ["proved", "proved"])]


def test_reward_takes_the_problems_assumptions_as_check_many_does() -> None:
    """A reason or step the given assumptions make true: the reward had no way to be given them."""
    text = "$$ (A + A^T) x = 2 A x $$"
    assert deriv.reward(text, symbols=SYMBOLS) == 0.0
    assert deriv.reward(text, symbols=SYMBOLS, assumptions=["A = A^T"], tested=0.5) == 0.5  # tested under it


PIECES = ("$$\n\\begin{aligned}\n\\frac{\\partial}{\\partial x} (b^T x) &= b \\\\\n"
          "\\frac{\\partial}{\\partial x} (x^T A x) &= (A + A^T) x\n\\end{aligned}\n$$\n\n")


@pytest.mark.parametrize(("answer", "expected"), [
    # Two quantities of one shape found, the answer combining them in prose: which it concludes is not
    # known -- undecided (it was refuted against the last piece: a true derivation earned 0.0).
    ("#### $(A + A^T) x + b$", ["proved", "proved", "undecided"]),
    ("#### $2 A x + b$", ["proved", "proved", "undecided"]),
    ("#### $(A + A^T) x$", ["proved", "proved", "proved"]),
])
def test_an_answer_after_several_quantities_of_its_shape_is_undecided_when_it_differs(answer, expected) -> None:
    text = f"{PIECES}{answer}\n"
    [item] = deriv.check_many([{"id": 0, "text": text}], symbols={**SYMBOLS, "b": "vector N"})
    assert item.error is None and [s.verdict.value for s in item.steps] == expected


def test_entries_then_the_vector_form_is_one_quantity_of_the_answers_shape() -> None:
    """A derivation by entries (scalars) then in vector form: a wrong answer stays refuted."""
    text = ("$$ f = \\sum_{i} \\sum_{j} x_i A_{i,j} x_j $$\n\n"
            "$$ \\frac{\\partial f}{\\partial x_k} = \\sum_{j} A_{k,j} x_j + \\sum_{i} x_i A_{i,k} $$\n\n"
            "$$ \\nabla_x f = A x + A^T x = (A + A^T) x $$\n\n### Final Answer\n\n$$ \\boxed{2 A x} $$\n")
    [item] = deriv.check_many([{"id": 0, "text": text, "definitions": ["f = x^T A x"]}], symbols=SYMBOLS)
    assert item.error is None and [s.verdict.value for s in item.steps][-1] == "refuted"


def test_an_early_answer_is_reported_with_the_last_display_once() -> None:
    """The worker streams each display's results under its index, and the caller keeps a report only
    when its index is past the last one kept: an early answer's results, sent in a second report under
    the last display's index, were dropped when the first had been flushed already (timing: a refuted
    answer then earned 1.0 now and then)."""
    from deriv.check.local import check_source
    from deriv.check.options import CheckOptions
    from deriv.read.given import given_front

    reports: list[tuple[int, list[str]]] = []
    text = f"The answer is $\\boxed{{2Ax}}$.\n\n{CHAIN}\n\n$$ a + a = 2a $$\n"
    check_source(text, False, "<item>", CheckOptions(generated=True),
                 on_display=lambda index, results: reports.append((index, [r.verdict.value for r in results])),
                 given=given_front({"symbols": SYMBOLS}, "test"))
    indices = [index for index, _ in reports]
    assert indices == sorted(set(indices))
    assert [v for _, found in reports for v in found] == ["proved", "proved", "refuted"]


@pytest.mark.parametrize(("text", "expected"), [
    # A value the text only gave a name, restated as the answer: nothing derived it -- undecided, never 1.0.
    ("$$ g = 2Ax $$\n\nThe answer is $\\boxed{2Ax}$.", ["undecided"]),
    ("The answer is $\\boxed{2Ax}$.\n\n$$ g = 2 A x $$", ["undecided"]),
    ("$$ g = \\boxed{2Ax} $$", ["undecided"]),
    ("$$ g = 2Ax $$\n\nThe answer is $\\boxed{3Ax}$.", ["refuted"]),  # contradicting it, still refuted
    # ... a derivation from the name's value is checked as any chain.
    (f"$$ g = \\boxed{{(A + A^T) x}} $$\n\n{CHAIN}", ["proved", "proved"]),
])
def test_an_answer_that_restates_a_definition_derives_nothing(text: str, expected: list[str]) -> None:
    found, _, error = verdicts(text)
    assert error is None and found == expected
    assert deriv.reward(text, symbols=SYMBOLS) == {"undecided": None, "refuted": 0.0, "proved": 1.0}[found[0]]

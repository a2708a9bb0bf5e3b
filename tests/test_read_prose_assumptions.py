r"""A prose bound stated as an assumption is one (docs/format.md): ``We assume $\lambda \geq 0$``.

Only right after ``assume``, ``let``, ``suppose`` or ``where``, of one
declared scalar, with nothing in its paragraph before it or its sentence
after it that makes it a case, a claim, an example or a supposition for the
moment.  Everything else stays the error saying how to state it, and the
step is checked without the bound (refuted here): a misread bound is a false
accept, so the reading is narrow.
"""

from __future__ import annotations

import json

import pytest

import deriv
from deriv.results import Verdict

FRONT = "---\nsymbols:\n  lambda: scalar\n  mu: scalar\n  x: vector N\n---\n"
STEP = r"$$ \sqrt{\lambda}^2 = \lambda $$"
NOT_READ = r"$\lambda \geq 0$ is not read"


def verdicts(text: str) -> list[tuple[Verdict, str]]:
    return [(s.verdict, s.message) for s in deriv.check_text(text).steps]


@pytest.mark.parametrize("prose", [
    r"We assume $\lambda \geq 0$.",
    r"We assume that $\lambda \geq 0$.",
    r"Assume $\lambda \geq 0$ throughout.",
    r"Let $\lambda \geq 0$ be fixed.",
    r"Suppose that $\lambda \geq 0$.",
    r"The step holds where $\lambda \geq 0$.",
    r"Let $0 \leq \lambda$.",
])
def test_a_bound_stated_as_an_assumption_is_imposed(prose: str) -> None:
    assert verdicts(FRONT + prose + "\n\n" + STEP + "\n") == [(Verdict.PROVED, "")]


def test_a_bound_after_the_display_is_a_standing_assumption_too() -> None:
    assert verdicts(FRONT + STEP + "\n\nwhere $\\lambda \\geq 0$.\n") == [(Verdict.PROVED, "")]


@pytest.mark.parametrize("prose", [
    r"If we assume that $\lambda \geq 0$, the step holds.",
    r"Suppose for contradiction $\lambda \geq 0$.",
    r"Suppose, for the sake of contradiction, that the claim fails. Let $\lambda \geq 0$.",
    r"Let us check whether $\lambda \geq 0$.",
    r"We assume $\lambda \geq 0$ or $\mu \geq 0$.",
    r"We assume $\lambda \geq 0$ only in this section.",
    r"Suppose $\lambda \geq 0$; then the root is real.",
    r"For example, let $\lambda \geq 0$.",
    r"Now assume $\lambda \geq 0$.",
    r"Do we assume $\lambda \geq 0$?",
    r"We show that $\lambda \geq 0$.",
    r"Note that $\lambda \geq 0$.",
    r"$\lambda \geq 0$.",
])
def test_any_other_bound_is_not_imposed(prose: str) -> None:
    found = verdicts(FRONT + prose + "\n\n" + STEP + "\n")
    assert found[-1][0] is Verdict.REFUTED
    assert all(v is Verdict.ERROR for v, _ in found[:-1])


def test_a_denied_bound_says_nothing_and_is_not_imposed() -> None:
    assert [v for v, _ in verdicts(FRONT + r"We do not assume $\lambda \geq 0$." + "\n\n" + STEP + "\n")] == [
        Verdict.REFUTED]


@pytest.mark.parametrize(("prose", "said"), [
    (r"We assume $x \geq 0$.", r"$x \geq 0$ is not read"),  # a vector: entry by entry is not read
    (r"We assume $\lambda, \mu \geq 0$.", r"$\lambda, \mu \geq 0$ is not read"),
])
def test_a_bound_of_a_vector_or_of_two_names_stays_an_error(prose: str, said: str) -> None:
    found = verdicts(FRONT + prose + "\n\n" + STEP + "\n")
    assert [v for v, _ in found] == [Verdict.ERROR, Verdict.REFUTED]
    assert found[0][1].startswith(said)


def test_the_unread_bound_error_is_unchanged() -> None:
    found = verdicts(FRONT + r"Note that $\lambda \geq 0$ here." + "\n\n" + STEP + "\n")
    assert found[0][0] is Verdict.ERROR and found[0][1].startswith(NOT_READ)


# Each of these was read as a standing assumption (the step proved) when any sentence ending in
# `assume`, `let`, `suppose` or `where` was: the reading is now an allowlist of forms.
@pytest.mark.parametrize("prose", [
    r"We assume $\lambda \geq 0$ in Section 2 below.",
    r"We assume $\lambda \geq 0$ for Lemma 3.",
    r"In Section 2 we assume $\lambda \geq 0$.",
    r"In the next section we assume $\lambda \geq 0$.",
    r"For this step we assume $\lambda \geq 0$.",
    r"We will later assume $\lambda \geq 0$.",
    r"It is tempting to assume $\lambda \geq 0$, but this is incorrect.",
    r"A naive reader may assume $\lambda \geq 0$. This is incorrect.",
    r"> We assume $\lambda \geq 0$.",
    "Footnote.[^1]\n\n[^1]: We assume $\\lambda \\geq 0$.",
    r"Unlike the paper, where $\lambda \geq 0$, we allow any sign.",
    r"Earlier work let $\lambda \geq 0$; we drop this.",
    r"Previous authors assume $\lambda \geq 0$, which we avoid.",
    r"Suppose $\lambda \geq 0$ were true.",
    r"Suppose $\lambda \geq 0$. Then the root is real.",
    r"Assume $\lambda \geq 0$. The case $\lambda < 0$ is symmetric.",
    r"Hypothetically, assume $\lambda \geq 0$.",
    r"Assume $\lambda \geq 0$ in part (a).",
    r"Assume $\lambda \geq 0$. Later we drop this assumption.",
    r"We assume $\lambda \geq 0$, a restriction we lift in Section 3.",
    r"Don’t assume $\lambda \geq 0$.",
    r"We won’t assume $\lambda \geq 0$.",
    r"Nowhere do we assume $\lambda \geq 0$.",
    r"It is a mistake to assume $\lambda \geq 0$.",
    r"The identity breaks down except where $\lambda \geq 0$.",
    r"Consider the region where $\lambda \geq 0$.",
    r"We ignore the region where $\lambda \geq 0$.",
])
def test_a_bound_in_any_other_sentence_is_not_imposed(prose: str) -> None:
    test_any_other_bound_is_not_imposed(prose)


@pytest.mark.parametrize("text", [
    "Throughout, we assume $\\lambda \\geq 0$.\n\n" + STEP,
    "We further assume that $\\lambda \\geq 0$.\n\n" + STEP,
    "We assume $\\lambda \\geq 0$ and $\\mu > 0$.\n\n" + STEP,
    "## Setup\nWe assume $\\lambda \\geq 0$.\n\n" + STEP,
    STEP + "\nwhere $\\lambda \\geq 0$.\n",
    STEP + ",\nwhere $\\lambda \\geq 0$.\n",
])
def test_the_forms_of_a_standing_assumption_are_read(text: str) -> None:
    assert verdicts(FRONT + text + "\n") == [(Verdict.PROVED, "")]


@pytest.mark.parametrize("bound", [r"x_1 \geq 0", r"\lambda_1 \geq 0", r"\lambda^2 \geq 0"])
def test_a_bound_of_an_entry_or_a_power_is_not_read_and_does_not_crash(bound: str) -> None:
    # The merger looked the scripted name up as a declaration: KeyError, the document crashed.
    found = verdicts(FRONT + f"We assume ${bound}$.\n\n" + STEP + "\n")
    assert [v for v, _ in found] == [Verdict.ERROR, Verdict.REFUTED]
    assert found[0][1].startswith(f"${bound}$ is not read")


@pytest.mark.parametrize(("prose", "expected"), [
    (r"We assume $\lambda \geq 0$.", [Verdict.PROVED]),
    (r"Previous authors assume $\lambda \geq 0$, which we avoid.", [Verdict.ERROR, Verdict.REFUTED]),
])
def test_a_bound_in_a_notebook_markdown_cell_is_read_as_in_a_document(tmp_path, prose: str,
                                                                      expected: list[Verdict]) -> None:
    # Cells are joined by a line '<!-- -->', which the reading takes as a paragraph break.
    cells = ["---\nsymbols:\n  lambda: scalar\n---\n", prose, STEP]
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": c} for c in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(notebook))
    assert [s.verdict for s in deriv.check_file(str(path)).steps] == expected


POSITIVE_STEP = "Let $a \\in \\mathbb{R}$.\n\nPROSE\n\n$$ \\sqrt{a^2} = a $$\n"


@pytest.mark.parametrize("prose", [r"Don’t assume $a > 0$.", r"We won’t assume $a > 0$."])
def test_a_positivity_denied_with_a_typographic_apostrophe_declares_nothing(prose: str) -> None:
    # n’t (U+2019) was not read as a denial: a declared positive, the step proved.
    assert [s.verdict for s in deriv.check_text(POSITIVE_STEP.replace("PROSE", prose)).steps] == [Verdict.REFUTED]


def _absolute_value_steps(prose: str) -> tuple:
    return deriv.check_text(POSITIVE_STEP.replace("PROSE", prose).replace(r"\sqrt{a^2} = a $$", "|a| = a $$")).steps


# Found: each of these made a positive (prose.py read any '$a > 0$' not hedged right around it), so
# |a| = a was proved; a claim, a consequence or a case is no declaration (read/prose_positivity.py).
@pytest.mark.parametrize("prose", [
    r"Previous authors let $a > 0$, which we avoid.",
    r"Assume $a > 0$. Later we drop this assumption.",
    r"It follows that $a > 0$.",
    r"Hence $a > 0$.",
    r"Note that $a > 0$.",
    r"For $a > 0$ we have $\sqrt{a^2} = a$. In general:",
    r"Then $a^2 \geq 0$, so $a > 0$.",
    r"Suppose for contradiction that $a > 0$.",
    r"The case $a > 0$ is easy.",
    r"Take $a > 0$ for now.",
    r"Assuming $a > 0$, we get $\sqrt{a^2} = a$. Without it:",
    r"We want $a > 0$.",
    r"Clearly $0 < a$.",
    r"Let $a > 0$ be such that the identity fails.",
])
def test_a_positivity_that_is_not_the_documents_own_declares_nothing(prose: str) -> None:
    steps = _absolute_value_steps(prose)
    assert steps[-1].verdict is Verdict.REFUTED, [(s.verdict, s.message) for s in steps]
    assert any(s.verdict is Verdict.ERROR for s in steps[:-1])


@pytest.mark.parametrize("prose", [
    r"Let $a > 0$.",
    r"Assume that $a > 0$.",
    r"We further assume $a > 0$ throughout.",
    r"Let $b \in \mathbb{R}$ and $a > 0$.",
    r"Let $b \in \mathbb{R}$, $c \in \mathbb{R}$ and $a > 0$ be fixed.",
    r"Let $b \in \mathbb{R}$ with $a > 0$.",
    r"Suppose $a > 0$ is the step size.",
    r"Let $a > 0$ and $b > 0$.",
])
def test_a_positivity_stated_as_a_declaration_declares(prose: str) -> None:
    steps = _absolute_value_steps(prose)
    assert [s.verdict for s in steps] == [Verdict.PROVED], [(s.verdict, s.message) for s in steps]


@pytest.mark.parametrize("prose", [r"Hence $a \in \mathbb{R}_{>0}$.", r"We show that $a \in \mathbb{R}_{++}$."])
def test_a_positive_membership_that_is_a_claim_declares_the_name_but_not_positive(prose: str) -> None:
    steps = deriv.check_text(f"{prose}\n\n$$ |a| = a $$\n").steps
    assert [s.verdict for s in steps] == [Verdict.ERROR, Verdict.REFUTED], [(s.verdict, s.message) for s in steps]
    assert "the positivity of a is not stated" in steps[0].message


def test_an_undeclared_name_a_claim_makes_positive_is_not_declared() -> None:
    steps = deriv.check_text("Hence $a > 0$.\n\n$$ |a| = a $$\n").steps
    assert [s.verdict for s in steps] == [Verdict.ERROR, Verdict.ERROR], [(s.verdict, s.message) for s in steps]


#: Words before '$a > 0$' that make it a consequence, a claim, a case or a supposition for the moment.
NOT_DECLARING = ["Hence", "Thus", "Therefore", "So", "It follows that", "Note that", "Clearly", "We get", "We obtain",
                 "One finds", "This gives", "Since", "As", "Because", "For", "Given", "When", "We want", "We need",
                 "Recall that", "By (3),", "Observe that", "In this case", "Then", "Obviously", "Consequently",
                 "We conclude", "Finally,", "Assume for now that", "Let us check that", "If we let", "Setting",
                 "Taking", "Let us suppose, for contradiction,"]
DECLARING = ["Let", "Assume", "Assume that", "We assume", "We assume that", "Suppose", "Suppose that", "Take", "Fix",
             "We further assume", "Throughout, we assume"]


@pytest.mark.parametrize(("words", "declares"), [(w, False) for w in NOT_DECLARING] + [(w, True) for w in DECLARING]
                         + [("The update is $w - a g$, where", True), ("The identity fails, where", False),
                            ("It holds only if $b = 1$, where", False)])
def test_only_a_declaring_sentence_makes_a_positive(words: str, declares: bool) -> None:
    doc = f"Let $a \\in \\mathbb{{R}}$.\n\n{words} $a > 0$.\n\n$$ |a| = a $$\n"
    verdicts = [s.verdict for s in deriv.check_text(doc).steps]
    assert verdicts == ([Verdict.PROVED] if declares else [Verdict.ERROR, Verdict.REFUTED]), verdicts


def test_a_positivity_in_a_latex_source_after_a_display_declares(tmp_path) -> None:
    # A LaTeX source has no blank line between a display and the next sentence: the display ends it.
    source = ("\\documentclass{article}\n\\begin{document}\nLet $a \\in \\mathbb{R}$. Hence $a > 0$.\n"
              "\\begin{equation} |a| = a \\end{equation}\nLet $b > 0$.\n\\begin{equation} |b| = b \\end{equation}\n"
              "\\end{document}\n")
    path = tmp_path / "p.tex"
    path.write_text(source)
    steps = deriv.check_file(str(path)).steps
    assert [(s.line, s.verdict) for s in steps] == [(3, Verdict.ERROR), (4, Verdict.REFUTED), (6, Verdict.PROVED)]


# Found: definiteness said in words was silently not read, so x^T H x >= 0 was refuted with no word of the
# assumption the text makes (read/prose_definiteness.py): now an error on its line says how to state it.
DECLARED = "Let $H \\in \\mathbb{R}^{n \\times n}$ and $x \\in \\mathbb{R}^n$. "


@pytest.mark.parametrize(("prose", "flagged"), [
    ("Let $H \\in \\mathbb{R}^{n \\times n}$ be symmetric positive definite and $x \\in \\mathbb{R}^n$.", True),
    (DECLARED + "Suppose $H$ is positive definite.", True),
    (DECLARED + "Assume $H$ is positive semi-definite.", True),
    (DECLARED + "Let $H$ be SPD.", True),
    (DECLARED + "Then $H$ is positive definite.", False),  # a claim about it
    (DECLARED + "Their matrix $H + H$ is positive definite.", False),  # a claim a display may check
])
def test_definiteness_in_words_is_an_error_not_a_silent_omission(prose: str, flagged: bool) -> None:
    steps = deriv.check_text(prose + "\n\n$$ x^T H x \\geq 0 $$\n").steps
    assert [s.verdict for s in steps] == ([Verdict.ERROR] if flagged else []) + [Verdict.REFUTED], steps
    if flagged:
        assert "is not read: deriv reads definiteness only as an assumption" in steps[0].message


# -- a comparison of names, or of an expression, is never dropped in silence --------------------
NAMES = "---\nsymbols:\n  lambda: scalar\n  mu: scalar\n  lambda_1: scalar\n  x: vector N\n---\n"


@pytest.mark.parametrize(("prose", "step", "expected"), [
    # stated as an assumption about declared scalars alone: imposed
    (r"We assume $\lambda < \mu$.", r"$$ |\mu - \lambda| = \mu - \lambda $$", [Verdict.TESTED]),
    (r"Assume $\mu - \lambda > 0$.", r"$$ |\mu - \lambda| = \mu - \lambda $$", [Verdict.TESTED]),
    (r"Assume $\lambda_1 \geq 0$.", r"$$ |\lambda_1| = \lambda_1 $$", [Verdict.TESTED]),  # was dropped: a scripted name
    # anything else: the error saying it is not read, and the step checked without it
    (r"Let $\lambda > \mu$ for now.", r"$$ |\mu - \lambda| = \lambda - \mu $$", [Verdict.ERROR, Verdict.REFUTED]),
    (r"Here $\lambda > \mu$, with $\lambda, \mu \in \mathbb{R}$.", r"$$ \lambda - \mu > 0 $$",
     [Verdict.ERROR, Verdict.REFUTED]),
    (r"We assume $x^T x < 1$.", r"$$ 1 - x^T x > 0 $$", [Verdict.ERROR, Verdict.REFUTED]),  # a vector's
    (r"We assume $\lambda < \mu < 1$.", r"$$ \lambda < 1 $$", [Verdict.ERROR, Verdict.REFUTED]),  # a chain
])
def test_a_comparison_of_names_is_imposed_or_said_to_be_unread(prose: str, step: str, expected: list) -> None:
    found = verdicts(NAMES + prose + "\n\n" + step + "\n")
    assert [v for v, _ in found] == expected, found
    if expected[0] is Verdict.ERROR:
        assert "is not read" in found[0][1], found


def test_a_comparison_the_front_matter_assumes_already_is_no_error() -> None:
    front = "---\nsymbols:\n  lambda: scalar\n  mu: scalar\nassumptions:\n  - \\lambda < \\mu\n---\n"
    found = verdicts(front + r"The step needs $\lambda < \mu$." + "\n\n" + r"$$ |\mu - \lambda| = \mu - \lambda $$" + "\n")
    assert [v for v, _ in found] == [Verdict.TESTED], found


@pytest.mark.parametrize(("prose", "expected"), [
    (r"Let $x \in \mathbb{R}^N$. We assume $N \geq 2$.", [Verdict.PROVED]),  # a size's bound, stated as one
    (r"Let $x \in \mathbb{R}^N$ with $N \geq 2$.", [Verdict.ERROR, Verdict.REFUTED]),  # was dropped in silence
    (r"Let $x \in \mathbb{R}^N$ where $N > 1$.", [Verdict.ERROR, Verdict.REFUTED]),
])
def test_a_bound_on_a_size_is_imposed_or_said_to_be_unread(prose: str, expected: list) -> None:
    found = verdicts(prose + "\n\n" + r"$$ N - 1 > 0 $$" + "\n")
    assert [v for v, _ in found] == expected, found


# -- a definiteness or a set in the prose is never dropped in silence ----------------------------------
MATRICES = "---\nsymbols:\n  S: symmetric matrix N x N\n  T: symmetric matrix N x N\n  z: vector N\n  a: scalar\n---\n"


@pytest.mark.parametrize(("prose", "expected"), [
    (r"Let $S \succ 0$.", [Verdict.PROVED]),  # one declared matrix's definiteness, stated as assumed
    (r"We assume $S \succeq 0$.", [Verdict.PROVED]),
    (r"Suppose $S \succeq 0$ for now.", [Verdict.ERROR, Verdict.REFUTED]),  # each was dropped in silence
    # A Loewner order and a negative definiteness are assumptions now (engine/order_draws.py): imposed,
    # the step is refuted on an instance that satisfies them (an indefinite T; S negative definite).
    (r"We assume $S - T \succ 0$.", [Verdict.REFUTED]),
    (r"We assume $S \prec 0$.", [Verdict.REFUTED]),
    (r"We assume $S \succ T$.", [Verdict.REFUTED]),
    (r"We assume $S \succeq T$. We assume $T \succeq 0$.", [Verdict.TESTED]),  # both met on every draw
    (r"Let $S \in \mathbb{S}^N_{++}$.", [Verdict.ERROR, Verdict.REFUTED]),
    (r"Let $S \in \mathcal{S}_+^N$.", [Verdict.ERROR, Verdict.REFUTED]),
])
def test_a_definiteness_in_the_prose_is_imposed_or_said_to_be_unread(prose: str, expected: list) -> None:
    found = verdicts(MATRICES + prose + "\n\n" + r"$$ z^T S z \geq 0 $$" + "\n")
    assert [v for v, _ in found] == expected, found


@pytest.mark.parametrize("prose", [r"Let $a \in (0, 1)$.", r"Let $a \in [0, \infty)$.", r"We assume $a \in (0, 1)$."])
def test_a_scalar_in_an_interval_is_said_to_be_unread(prose: str) -> None:
    found = verdicts(MATRICES + prose + "\n\n" + r"$$ a^2 < a $$" + "\n")
    assert [v for v, _ in found] == [Verdict.ERROR, Verdict.REFUTED], found
    assert "of a set, deriv reads" in found[0][1]


@pytest.mark.parametrize("prose", [r"Since $\lambda < \mu$, we get the result.", r"Note that $\mu - \lambda > 0$.",
                                   r"Thus $\lambda \leq \mu$.", r"If $\lambda < \mu$ then it holds."])
def test_a_comparison_of_names_in_a_claim_or_a_case_is_no_error(prose: str) -> None:
    # Not a declaring sentence: a claim or a reason, which restricts no step (the displays are what is checked).
    found = verdicts(NAMES + prose + "\n\n" + r"$$ |\mu - \lambda| = \mu - \lambda $$" + "\n")
    assert [v for v, _ in found] == [Verdict.REFUTED], found

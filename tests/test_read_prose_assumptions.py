r"""A prose bound stated as an assumption is one (docs/format.md): ``We assume $\lambda \geq 0$``.

Only right after ``assume``, ``let``, ``suppose`` or ``where``, of one
declared scalar, with nothing in its paragraph before it or its sentence
after it that makes it a case, a claim, an example or a supposition for the
moment.  Everything else stays the error saying how to state it, and the
step is checked without the bound (refuted here): a misread bound is a false
accept, so the reading is narrow.
"""

from __future__ import annotations

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

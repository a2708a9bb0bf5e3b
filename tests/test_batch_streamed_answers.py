"""A checking worker streams each display's steps under the display's index, and the caller keeps
only what comes under a later index than it has (deriv/check/isolate.py).  A generated text's
answer given before its derivation is checked at the text's end: it was streamed under the last
display's index, so whenever that display's steps had already gone (more than 50 ms after the
last send: a loaded machine) the answer's verdict was dropped -- a wrong answer lost, reward 1.0."""

from __future__ import annotations

import pytest

import deriv
import deriv.check.isolate as isolate
from deriv.check.local import check_source
from deriv.check.options import CheckOptions
from deriv.read.given import given_front

SYMBOLS = {"A": "matrix N x N", "x": "vector N"}
CHAIN = r"$$ \frac{\partial}{\partial x} x^T A x = (A + A^T) x $$"
EARLY = [f"$$ g = \\boxed{{2Ax}} $$\n\n{CHAIN}\n", f"The answer is $\\boxed{{2Ax}}$.\n\n{CHAIN}\n"]


@pytest.mark.parametrize("text", EARLY)
def test_every_display_report_comes_under_a_later_index(text: str) -> None:
    reports: list[tuple[int, list[str]]] = []
    check_source(text, False, "<item>", CheckOptions(generated=True, isolate=False),
                 on_display=lambda index, steps: reports.append((index, [s.verdict.value for s in steps])),
                 given=given_front({"symbols": SYMBOLS}))
    indices = [index for index, _ in reports]
    assert indices == sorted(set(indices))
    assert [verdict for _, steps in reports for verdict in steps] == ["proved", "refuted"]


@pytest.mark.parametrize("text", EARLY)
def test_a_wrong_early_answer_is_kept_when_every_display_is_sent_at_once(text: str, monkeypatch) -> None:
    """FLUSH = 0: each display's steps sent as soon as they are made, as on a loaded machine."""
    monkeypatch.setattr(isolate, "FLUSH", 0.0)
    for worker in list(isolate._idle):  # workers made before the patch flush every 50 ms
        worker.kill()
    isolate._idle.clear()
    [item] = deriv.check_many([{"id": 0, "text": text}], symbols=SYMBOLS)
    assert [s.verdict.value for s in item.steps] == ["refuted", "proved"] and item.first_wrong == 0
    assert deriv.reward(text, symbols=SYMBOLS) == 0.0

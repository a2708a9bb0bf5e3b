r"""``<!-- deriv: expect-tested -->`` (docs/format.md): a step deriv can only test passes ``--strict``.

The verdict stays ``tested`` in every report; only ``--strict`` treats the
marked step as passing.  A marked step that is refuted, an error or
undecided fails exactly as an unmarked one; a proved one passes; an
unmarked tested step still fails ``--strict``; a generated text (a batch
item) may not mark its own steps.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import deriv
from deriv.cli import main
from deriv.render.json import render_json, step_from_json
from deriv.results import RunResult, Verdict

FRONT = "---\nsymbols:\n  f: function\n  x: scalar\n---\n"
THEOREM = r"$$ \text{local minimum} \implies \nabla f = 0 $$"
FALSE = r"$$ \text{local minimum} \implies \nabla^2 f \succ 0 $$"
MARK = "<!-- deriv: expect-tested -->\n"


def checked(body: str) -> deriv.FileResult:
    return deriv.check_text(FRONT + body)


def test_a_marked_theorem_is_tested_and_passes_strict() -> None:
    result = checked(MARK + THEOREM + "\n")
    (step,) = result.steps
    assert (step.verdict, step.expect_tested) == (Verdict.TESTED, True)
    assert RunResult((result,)).exit_status(strict=True) == 0
    assert step.passes(strict=True) and step.passes(strict=False)


def test_an_unmarked_theorem_still_fails_strict() -> None:
    result = checked(THEOREM + "\n")
    (step,) = result.steps
    assert (step.verdict, step.expect_tested) == (Verdict.TESTED, False)
    assert RunResult((result,)).exit_status(strict=True) == 1
    assert RunResult((result,)).exit_status(strict=False) == 0


def test_a_marked_false_step_is_refuted_and_fails() -> None:
    result = checked(MARK + FALSE + "\n")
    (step,) = result.steps
    assert (step.verdict, step.expect_tested) == (Verdict.REFUTED, True)
    assert RunResult((result,)).exit_status(strict=True) == RunResult((result,)).exit_status() == 1


def test_a_marked_error_still_breaks_the_run() -> None:
    result = checked(MARK + "$$ y = x $$\n")
    (step,) = result.steps
    assert step.verdict is Verdict.ERROR and not step.passes(strict=True)
    assert RunResult((result,)).exit_status(strict=True) == 2


def test_a_marked_proved_step_passes() -> None:
    (step,) = checked(MARK + "$$ x + x = 2 x $$\n").steps
    assert step.verdict is Verdict.PROVED and step.passes(strict=True)


def test_the_mark_covers_only_the_display_after_it() -> None:
    steps = checked(MARK + THEOREM + "\n\n" + THEOREM + "\n").steps
    assert [(s.verdict, s.expect_tested) for s in steps] == [(Verdict.TESTED, True), (Verdict.TESTED, False)]


def test_the_mark_is_in_the_json_and_read_back() -> None:
    run = RunResult((checked(MARK + THEOREM + "\n\n" + THEOREM + "\n"),))
    data = json.loads(render_json(run))
    marked, plain = data["files"][0]["steps"]
    assert marked["expect_tested"] is True and "expect_tested" not in plain
    assert step_from_json(marked).expect_tested and not step_from_json(plain).expect_tested


def test_the_cli_strict_exit_follows_the_mark(tmp_path: Path) -> None:
    (tmp_path / "marked.md").write_text(FRONT + MARK + THEOREM + "\n", encoding="utf-8")
    (tmp_path / "plain.md").write_text(FRONT + THEOREM + "\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["check", "--strict", str(tmp_path / "marked.md")]).exit_code == 0
    assert runner.invoke(main, ["check", "--strict", str(tmp_path / "plain.md")]).exit_code == 1
    github = runner.invoke(main, ["check", "--strict", "--format", "github", str(tmp_path / "marked.md")]).output
    assert "::error" not in github


def test_a_batch_item_can_not_mark_its_own_steps() -> None:
    (item,) = deriv.check_many([{"id": "a", "text": MARK + THEOREM}], symbols={"f": "function"})
    assert item.error is not None and "expect-tested" in item.error


def test_pytest_strict_passes_a_marked_step(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nderiv_strict = true\n")
    pytester.makefile(".md", marked=FRONT + MARK + THEOREM + "\n", plain=FRONT + THEOREM + "\n")
    result = pytester.runpytest("-q", "-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1)


def test_the_bundled_example_passes_strict() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "second_order_conditions.md"
    result = deriv.check_file(example)
    marked = [s for s in result.steps if s.expect_tested]
    assert [s.verdict for s in marked] == [Verdict.TESTED] * 3
    assert RunResult((result,)).exit_status(strict=True) == 0
    assert textwrap.dedent(MARK) in example.read_text(encoding="utf-8")

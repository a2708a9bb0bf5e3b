"""``deriv check --format github``: workflow-command annotations GitHub reads, most important first."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from deriv.cli import main
from deriv.render.github import command, escape_data, escape_property, render_github
from deriv.results import Counterexample, FileResult, RunResult, StepResult, Unchecked, Verdict

ROOT = Path(__file__).resolve().parent.parent
#: One workflow command as the runner parses it: ::level props::message, no raw CR or LF.
COMMAND = re.compile(r"::(error|warning|notice)(?: ([^:]*))?::([^\r\n]*)")


def step(verdict: Verdict, line: int, message: str = "", **more: object) -> StepResult:
    return StepResult(line=line, label=None, relation="=", lhs="a", rhs="b", verdict=verdict, message=message,
                      **more)  # type: ignore[arg-type]


def parsed(text: str) -> list[tuple[str, dict[str, str], str]]:
    """The annotations, properties and message unescaped as the runner does."""
    out = []
    for line in text.splitlines():
        m = COMMAND.fullmatch(line)
        if m is None:
            continue
        props = {}
        for item in (m.group(2) or "").split(","):
            key, _, value = item.partition("=")
            props[key] = _unescape(value)
        out.append((m.group(1), props, _unescape(m.group(3))))
    return out


def _unescape(text: str) -> str:
    for coded, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(coded, plain)
    return text


def test_escaping_round_trips_through_the_runner_rules() -> None:
    nasty = "50% of a:b, c\r\nnext %0A line"
    line = command("error", nasty, file="dir,x/a:b.md", line=3, title=nasty)
    assert "\n" not in line and "\r" not in line
    [(level, props, message)] = parsed(line)
    assert (level, message, props["file"], props["title"], props["line"]) == ("error", nasty, "dir,x/a:b.md", nasty, "3")
    assert escape_data("a:b,c") == "a:b,c" and escape_property("a:b,c") == "a%3Ab%2Cc"


def test_refuted_first_errors_next_undecided_as_warnings() -> None:
    cx = Counterexample(sizes=(("n", 1),), indices=(), lhs_value="1", rhs_value="2", seed=0)
    steps = [step(Verdict.UNDECIDED, 1, "could not decide")] * 12 + [step(Verdict.ERROR, 2, "unknown command")] * 12
    steps += [step(Verdict.PROVED, 3), step(Verdict.TESTED, 4), step(Verdict.EXPECTED_FAIL, 5)]
    steps += [step(Verdict.REFUTED, 40, "the two sides differ", counterexample=cx), step(Verdict.TIMEOUT, 41)]
    run = RunResult((FileResult("a.md", None, steps=tuple(steps)), FileResult("b.md", None, error="bad", error_line=2)),
                    (Unchecked("notes.md", "display math but no deriv front matter", True),))
    got = parsed(render_github(run))
    assert got[0][0] == "error" and got[0][1]["line"] == "40" and "left side = 1" in got[0][2]
    levels = [level for level, _, _ in got]
    assert levels == ["error"] * (1 + 12 + 1 + 1) + ["warning"] * (12 + 1)
    assert not any(props.get("line") in ("3", "4", "5") for _, props, _ in got)  # passing steps are not annotated
    assert ("error", {"file": "b.md", "line": "2", "title": "deriv: document not checked"}, "bad") in got
    strict = parsed(render_github(run, strict=True))
    assert any(props.get("line") == "4" and level == "error" for level, props, _ in strict)
    assert render_github(run).splitlines()[-1].startswith("deriv: ")


def test_cli_annotates_the_latex_example_in_its_input_file(tmp_path: Path) -> None:
    inner = tmp_path / "doc"
    (inner / "parts").mkdir(parents=True)
    (inner / "parts" / "steps.tex").write_text("\\[ (a+b)^2 = a^2 + b^2 \\]\n")
    (inner / "main.tex").write_text("% deriv:\n%   symbols:\n%     a: scalar\n%     b: scalar\n\\input{parts/steps}\n")
    result = CliRunner().invoke(main, ["check", "--format", "github", str(inner / "main.tex")])
    assert result.exit_code == 1, result.output
    [(level, props, message)] = parsed(result.output)
    assert level == "error" and props["file"].endswith("parts/steps.tex") and props["line"] == "1"
    assert props["title"].startswith("deriv: refuted") and "counterexample" in message


def test_cli_on_the_bundled_derivations_has_only_its_summary() -> None:
    result = CliRunner().invoke(main, ["check", "--format", "github", str(ROOT / "derivations" / "chain_rule.md")])
    assert result.exit_code == 0
    assert result.output.strip() == "deriv: 2 proved"

"""``deriv check`` through click's CliRunner, with the checker replaced by canned results."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import deriv.check.checker
import deriv.cli
from deriv.check.options import CheckOptions
from deriv.cli import main, want_color
from deriv.errors import FrontMatterError
from deriv.render.json import run_to_json
from deriv.results import FileResult, RunResult

REPO = Path(__file__).resolve().parents[1]

Calls = list[tuple[list[str], CheckOptions]]


@pytest.fixture
def fake_checker(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], Calls]:
    """Make ``check_paths`` return a given RunResult (or raise a given exception).

    Returns the list of calls it receives, as ``(paths, options)``.
    """

    def install(outcome: RunResult | BaseException) -> Calls:
        calls: Calls = []

        def check_paths(paths, options=None, on_result=None, check=None):
            calls.append((list(paths), options))
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome

        monkeypatch.setattr(deriv.check.checker, "check_paths", check_paths)
        return calls

    return install


def deriv_check(*args: str, env: dict[str, str] | None = None) -> Result:
    """``deriv check ARGS`` in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(main, ["check", *args], env=env)


def step_lines(output: str) -> list[str]:
    """The one-line-per-step lines of a text report."""
    return [line for line in output.splitlines() if line.startswith("  ") and not line.startswith("    ")]


# --- exit status (docs/cli.md) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("verdicts", "strict", "status"),
    [
        (("proved",), False, 0),
        (("proved", "tested", "skipped", "expected-fail"), False, 0),
        (("refuted",), False, 1),
        (("proved", "unexpected-pass"), False, 1),
        (("proved", "tested"), True, 1),
        (("error",), False, 2),
        (("timeout",), False, 2),
        (("proved", "undecided"), False, 2),
        (("refuted", "error"), False, 2),  # both 1 and 2 apply: 2 wins
        (("unexpected-pass", "timeout"), False, 2),
        (("tested", "undecided"), True, 2),
    ],
)
def test_exit_status(fake_checker, make_run, verdicts, strict, status):
    fake_checker(make_run(*verdicts))
    result = deriv_check(*(["--strict"] if strict else []))
    assert result.exit_code == status, result.output
    assert len(step_lines(result.stdout)) == len(verdicts)


def test_file_error_exits_2_and_is_reported(fake_checker, make_run):
    good = make_run("proved").files[0]
    missing = FileResult("nope.md", None, error="no such file or directory")
    fake_checker(RunResult((good, missing)))
    result = deriv_check("derivations/notes.md", "nope.md")
    assert result.exit_code == 2
    assert "nope.md: error: no such file or directory" in result.stdout.splitlines()
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_file_error_and_refuted_exit_2(fake_checker, make_run):
    refuted = make_run("refuted").files[0]
    fake_checker(RunResult((refuted, FileResult("bad.md", None, error="not UTF-8"))))
    assert deriv_check().exit_code == 2


def test_no_documents_found_is_not_a_pass(fake_checker):
    fake_checker(RunResult(()))
    result = deriv_check("empty-folder")
    assert result.exit_code == 2
    assert "no derivation documents found in empty-folder" in result.stderr


# --- failures of the run itself -----------------------------------------------------


def test_deriv_error_is_a_message_not_a_traceback(fake_checker):
    fake_checker(FrontMatterError("symbols: must be a mapping", path="a.md", line=2))
    result = deriv_check("a.md")
    assert result.exit_code == 2
    assert result.stderr == "deriv: error: a.md:2: symbols: must be a mapping\n"
    assert "Traceback" not in result.output


def test_unexpected_exception_is_one_line_internal_error(fake_checker, monkeypatch):
    monkeypatch.delenv("DERIV_DEBUG", raising=False)
    fake_checker(RuntimeError("boom"))
    result = deriv_check()
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("deriv: internal error: RuntimeError: boom")
    assert "DERIV_DEBUG=1" in lines[0]
    assert "Traceback" not in result.output


def test_deriv_debug_shows_the_traceback(fake_checker):
    fake_checker(ZeroDivisionError("division by zero"))
    result = deriv_check(env={"DERIV_DEBUG": "1"})
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.rstrip().endswith("deriv: internal error: ZeroDivisionError: division by zero")


def test_interrupt_exits_130(fake_checker):
    fake_checker(KeyboardInterrupt())
    result = deriv_check()
    assert result.exit_code == 130
    assert result.stderr == "deriv: interrupted\n"


# --- bad usage: click's status 2, checker never called ------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--timeout", "0"],
        ["--timeout", "-1"],
        ["--timeout", "nan"],
        ["--timeout", "inf"],
        ["--timeout", "soon"],
        ["--jobs", "0"],
        ["--seed", "-1"],
        ["--seed", "1.5"],
        ["--format", "xml"],
        ["--no-such-option"],
    ],
)
def test_bad_usage_exits_2(fake_checker, make_run, args):
    calls = fake_checker(make_run("proved"))
    result = deriv_check(*args)
    assert result.exit_code == 2
    assert "Usage: " in result.stderr
    assert calls == []


def test_unknown_command_exits_2():
    result = CliRunner().invoke(main, ["chekc"])
    assert result.exit_code == 2
    assert "No such command" in result.stderr


# --- options reach the checker ------------------------------------------------------


def test_default_path_and_options(fake_checker, make_run):
    calls = fake_checker(make_run("proved"))
    assert deriv_check().exit_code == 0
    assert calls == [(["derivations"], CheckOptions(seed=0, timeout=10.0, jobs=1))]


def test_options_pass_through(fake_checker, make_run):
    calls = fake_checker(make_run("proved"))
    result = deriv_check("a.md", "notes/", "--seed", "7", "--timeout", "2.5", "--jobs", "4")
    assert result.exit_code == 0
    assert calls == [(["a.md", "notes/"], CheckOptions(seed=7, timeout=2.5, jobs=4))]


# --- what is printed ------------------------------------------------------------------


def test_text_report(fake_checker, mixed_run):
    fake_checker(mixed_run)
    result = deriv_check()
    out = result.stdout.splitlines()
    assert out[0] == "derivations/linear_layer_weights.md -- Linear layer, gradient with respect to W"
    assert step_lines(result.stdout)[0].split() == ["proved", "(1)", "line", "14"]
    assert any("counterexample: with M=2, N=3, S=4 at m=1, n=2" in line for line in out)
    assert "reproduce: deriv check derivations/linear_layer_weights.md --seed 5" in [
        line.strip() for line in out
    ]
    assert out[-2].startswith("3 proved, 1 tested, 1 refuted")
    assert out[-1] == "note: 1 step was only tested on random instances, which is weaker than proved"
    assert result.stderr == ""


def test_quiet_hides_passing_steps(fake_checker, make_run):
    fake_checker(make_run("proved", "proved", "refuted", "skipped"))
    loud = deriv_check()
    quiet = deriv_check("--quiet")
    assert [line.split()[0] for line in step_lines(loud.stdout)] == [
        "proved", "proved", "refuted", "skipped",
    ]  # fmt: skip
    assert [line.split()[0] for line in step_lines(quiet.stdout)] == ["refuted"]
    assert quiet.stdout.splitlines()[-1].startswith("2 proved, 1 refuted, 1 skipped")
    assert quiet.exit_code == loud.exit_code == 1


def test_json_output(fake_checker, mixed_run):
    fake_checker(mixed_run)
    result = deriv_check("--format", "json", "--quiet")  # --quiet does not thin JSON
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc == run_to_json(mixed_run)
    assert set(doc["summary"]) == {
        "proved", "tested", "refuted", "error", "expected-fail", "unexpected-pass",
        "undecided", "skipped", "timeout",
    }  # fmt: skip
    for file in doc["files"]:
        for step in file["steps"]:
            assert set(step) == {
                "line", "column", "label", "relation", "lhs", "rhs", "verdict", "method",
                "message", "justification", "suggestion", "counterexample", "seconds",
            }  # fmt: skip


def test_json_strict_exit(fake_checker, make_run):
    fake_checker(make_run("tested"))
    assert deriv_check("--format", "json").exit_code == 0
    assert deriv_check("--format", "json", "--strict").exit_code == 1


# --- colour ---------------------------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_want_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert want_color(False, FakeTTY()) is True
    assert want_color(True, FakeTTY()) is False
    assert want_color(False, io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert want_color(False, FakeTTY()) is False
    monkeypatch.setenv("NO_COLOR", "")  # empty means unset (no-color.org)
    assert want_color(False, FakeTTY()) is True


def test_no_color_when_not_a_terminal(fake_checker, make_run):
    fake_checker(make_run("proved", "refuted"))
    assert "\x1b[" not in deriv_check().output


def test_color_flag_reaches_the_renderer(fake_checker, make_run, monkeypatch):
    # Pretend stdout is a terminal; --no-color must still win.
    monkeypatch.setattr(deriv.cli, "want_color", lambda no_color, stream=None: not no_color)
    fake_checker(make_run("proved", "refuted"))
    assert "\x1b[31m" in deriv_check().stdout
    assert "\x1b[" not in deriv_check("--no-color").stdout


# --- cheap import, entry points --------------------------------------------------------


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter, so sys.modules shows what importing really loads."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_importing_cli_does_not_load_sympy():
    proc = run_python("-c", "import deriv.cli, sys; assert 'sympy' not in sys.modules")
    assert proc.returncode == 0, proc.stderr


def test_help_does_not_load_sympy_or_lark():
    code = (
        "import sys\n"
        "from deriv.cli import main\n"
        "for args in (['--help'], ['check', '--help']):\n"
        "    try:\n"
        "        main(args, prog_name='deriv')\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code == 0, exit.code\n"
        "heavy = sorted(m for m in ('sympy', 'lark') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    proc = run_python("-c", code)
    assert proc.returncode == 0, proc.stderr
    assert "deriv check [OPTIONS] [PATH]..." in proc.stdout
    for option in ("--format", "--strict", "--seed", "--timeout", "--jobs", "--quiet", "--no-color"):
        assert option in proc.stdout


def test_python_dash_m_deriv():
    proc = run_python("-m", "deriv", "check", "--timeout", "0")
    assert proc.returncode == 2
    assert "Usage: deriv check" in proc.stderr
    version = run_python("-m", "deriv", "--version")
    assert version.returncode == 0 and "deriv" in version.stdout


def test_missing_path_with_the_real_checker(tmp_path):
    """End to end: a path that does not exist is exit 2 and a message, never a crash."""
    try:
        deriv.check.checker.find_documents([str(tmp_path)])
    except NotImplementedError:
        pytest.skip("the checker is not implemented yet")
    missing = str(tmp_path / "missing.md")
    result = deriv_check(missing)
    assert result.exit_code == 2
    assert "missing.md" in result.output
    assert "Traceback" not in result.output


def test_the_program_exits_at_once_with_its_output_and_status(tmp_path):
    """``python -m deriv`` skips the interpreter's teardown (:func:`deriv.cli.run`): the
    whole report is still written, the status is the check's, and no worker outlives it."""
    wrong = tmp_path / "wrong.md"
    wrong.write_text("---\nsymbols:\n  A: matrix N x N\n---\n$$ \\sum_k \\delta_{i,k} A_{j,k} = A_{i,j} $$\n")
    proc = run_python("-m", "deriv", "check", "--format", "json", str(wrong), str(REPO / "derivations"))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)  # complete: it parses
    assert len(report["files"]) == 1 + len(deriv.check.checker.find_documents([REPO / "derivations"]))
    assert proc.stdout.endswith("\n")
    # A worker left alive would hold the output pipe open, and ``subprocess.run``
    # (reading to the end) would not have returned before its timeout.
    usage = run_python("-m", "deriv", "check", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_the_program_maps_exit_statuses_as_sys_exit_does():
    for code, status in (("raise SystemExit(None)", 0), ("raise SystemExit(3)", 3), ("raise SystemExit('why')", 1)):
        program = f"import deriv.cli\nderiv.cli.main = lambda **k: exec({code!r})\nderiv.cli.run()\n"
        proc = run_python("-c", program)
        assert proc.returncode == status, (code, proc.stderr)
    assert "why" in proc.stderr

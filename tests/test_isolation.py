"""Budgets that can not be ignored (issue 9, robustness): the worker process,
the document's budget, identical steps decided once, deep nesting, large input."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time

import deriv
from deriv.check.options import CheckOptions
from deriv.results import Verdict

HEAD = "---\ntitle: t\nsymbols:\n  x: scalar\n---\n\n"


def test_a_step_that_ignores_its_budget_is_killed_and_reported_on_its_line() -> None:
    # In a fresh single-threaded interpreter the worker is forked, so it inherits a
    # decide_equal that blocks SIGALRM and sleeps: the in-process budget can not fire.
    script = textwrap.dedent('''
        import signal, time
        import deriv, deriv.check.chains as chains
        from deriv.check.options import CheckOptions
        real = chains.decide_equal
        def stuck(lhs, rhs, *args, **kwargs):
            if "2" in str(rhs):
                signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
                time.sleep(60)
            return real(lhs, rhs, *args, **kwargs)
        chains.decide_equal = stuck
        text = "---\\ntitle: t\\nsymbols:\\n  x: scalar\\n---\\n\\n$$ x = x $$\\n\\n$$ 2 x = x + x $$\\n\\n$$ x = 1 x $$\\n"
        started = time.monotonic()
        result = deriv.check_text(text, "t.md", CheckOptions(timeout=0.5))
        print(round(time.monotonic() - started), [(s.line, s.verdict.value) for s in result.steps])
    ''')
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    seconds, steps = done.stdout.split(" ", 1)
    assert int(seconds) < 10, done.stdout
    assert steps.strip() == "[(7, 'proved'), (9, 'timeout'), (11, 'proved')]", done.stdout + done.stderr


def test_budgets_hold_off_the_main_thread_and_leave_no_signal_handler() -> None:
    slow = HEAD + "$$ " + " + ".join(["x"] * 4000) + " = x $$\n\n$$ x = x $$\n"
    handler = signal.getsignal(signal.SIGALRM)
    found: list = []
    started = time.monotonic()
    thread = threading.Thread(target=lambda: found.append(deriv.check_text(slow, "t.md", CheckOptions(timeout=0.3))))
    thread.start()
    thread.join(30)
    assert time.monotonic() - started < 15
    steps = found[0].steps
    assert [s.line for s in steps] == [7, 9] and "ran out of time" in steps[0].message
    assert steps[1].verdict is Verdict.PROVED
    assert signal.getsignal(signal.SIGALRM) is handler and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_in_process_checking_leaves_no_signal_handler() -> None:
    handler = signal.getsignal(signal.SIGALRM)
    result = deriv.check_text(HEAD + "$$ x = x $$\n", "t.md", CheckOptions(isolate=False))
    assert result.steps[0].verdict is Verdict.PROVED
    assert signal.getsignal(signal.SIGALRM) is handler and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_large_document_is_reported_completely_and_identical_steps_are_decided_once() -> None:
    count = 20_000
    started = time.monotonic()
    result = deriv.check_text(HEAD + "$$ x = x $$\n\n" * count, "large.md")
    assert time.monotonic() - started < 60
    assert len(result.steps) == count
    assert all(s.verdict is Verdict.PROVED for s in result.steps)
    assert [s.line for s in result.steps[:3]] == [7, 9, 11]


def test_steps_past_the_document_budget_are_reported_timeout_never_left_out() -> None:
    count = 3_000
    text = HEAD + "".join(f"$$ x + {i} = {i} + x $$\n\n" for i in range(count))
    result = deriv.check_text(text, "large.md", CheckOptions(document_timeout=0.5))
    assert len(result.steps) == count
    late = [s for s in result.steps if s.verdict is Verdict.TIMEOUT]
    assert late and "document's budget of 0.5 s" in late[-1].message
    assert {s.verdict for s in result.steps} <= {Verdict.PROVED, Verdict.TIMEOUT}


def test_deep_nesting_is_an_error_on_its_line_not_a_crash() -> None:
    depth = 9_000  # 10,000 would already be over the display's length limit
    for math in ("{" * depth + "x" + "}" * depth, "(" * depth + "x" + ")" * depth,
                 "\\frac{" * depth + "x" + "}{1}" * depth, "\\left(" * depth + "x" + "\\right)" * depth):
        result = deriv.check_text(HEAD + f"$$ {math} = x $$\n", "deep.md")
        assert result.error is None
        assert [(s.line, s.verdict) for s in result.steps] == [(7, Verdict.ERROR)], math[:20]


def test_a_relative_path_is_read_from_the_callers_working_directory(tmp_path, monkeypatch) -> None:
    deriv.check_text(HEAD + "$$ x = x $$\n", "warm.md")  # a worker now waits, started in the old directory
    (tmp_path / "here.md").write_text(HEAD + "$$ x + 1 = 1 + x $$\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = deriv.check_file("here.md")
    assert result.error is None and result.path == "here.md"
    assert [s.verdict for s in result.steps] == [Verdict.PROVED]

"""Check, isolation (docs/safety.md): budgets that can not be ignored -- the worker process,
the document's budget, identical steps decided once, deep nesting, large input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

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
        real = chains.decide_equality
        def stuck(lhs, rhs, *args, **kwargs):
            if "2" in str(rhs):
                signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
                time.sleep(60)
            return real(lhs, rhs, *args, **kwargs)
        chains.decide_equality = stuck
        text = "---\\ntitle: t\\nsymbols:\\n  x: scalar\\n---\\n\\n$$ x = x $$\\n\\n$$ 2 x = x + x $$\\n\\n$$ x = 1 x $$\\n"
        started = time.monotonic()
        result = deriv.check_text(text, "t.md", CheckOptions(timeout=0.5))
        print(round(time.monotonic() - started), [(s.line, s.verdict.value) for s in result.steps])
    ''')
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    seconds, steps = done.stdout.split(" ", 1)
    assert int(seconds) < 40, done.stdout  # the stuck step sleeps 60 s: killed well before
    assert steps.strip() == "[(7, 'proved'), (9, 'timeout'), (11, 'proved')]", done.stdout + done.stderr


def test_budgets_hold_off_the_main_thread_and_leave_no_signal_handler() -> None:
    slow = HEAD + "$$ " + " + ".join(["x"] * 4000) + " = x $$\n\n$$ x = x $$\n"
    handler = signal.getsignal(signal.SIGALRM)
    found: list = []
    started = time.monotonic()
    thread = threading.Thread(target=lambda: found.append(deriv.check_text(slow, "t.md", CheckOptions(timeout=0.3))))
    thread.start()
    thread.join(30)
    assert time.monotonic() - started < 60  # the 4000-term step ran out of its 0.3 s budget
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
    assert time.monotonic() - started < 300  # a hang guard for 20,000 steps
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


# -- A worker never outlives its run (docs/safety.md) ----------------------------------------------

#: Put first on the path of every interpreter of the run (the CLI, a fork server): the worker's check spins.
SPIN = """
import os
import deriv.check.isolate as isolate

def spin(*args, **kwargs):
    with open(os.environ["DERIV_TEST_WORKER"], "w") as marker:  # the test waits for this
        marker.write(str(os.getpid()))
    while True:
        pass

isolate.check_source = spin
"""
GIL_SPIN = SPIN.replace("    while True:\n        pass", "    sum(range(10 ** 15))  # one C call: the GIL is never let go")


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process, from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat", encoding="utf-8").read()
            except OSError:
                continue
            state, parent = stat.rpartition(")")[2].split()[:2]
            table[int(entry)] = (int(parent), state)
    return table


def _descendants(pid: int) -> set[int]:
    table, found, frontier = _processes(), set(), {pid}
    while frontier:
        frontier = {child for child, (parent, _) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pids: set[int]) -> set[int]:
    table = _processes()
    return {p for p in pids if p in table and table[p][1] not in ("Z", "X")}  # a zombie runs nothing


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads the process table from /proc")
@pytest.mark.parametrize(("spin", "threaded"), [(SPIN, False), (SPIN, True), (GIL_SPIN, False)],
                         ids=["forked", "fork-server", "holding-the-GIL"])
def test_a_killed_run_leaves_no_process_behind(spin: str, threaded: bool, tmp_path: Path) -> None:
    """SIGKILL the CLI mid-document: its workers (and a fork server) go with it, whoever held the GIL."""
    (tmp_path / "sitecustomize.py").write_text(spin, encoding="utf-8")
    (tmp_path / "d.md").write_text(HEAD + "$$ x = x $$\n", encoding="utf-8")
    # A second thread makes the caller use a fork server (forking a threaded process is unsafe).
    start = "import threading, time; threading.Thread(target=time.sleep, args=(600,), daemon=True).start(); " \
        if threaded else ""
    command = [sys.executable, "-c", start + "import sys; from deriv.cli import main; main(sys.argv[1:])",
               "check", str(tmp_path / "d.md"), "--document-timeout", "600", "--timeout", "600"]
    marker = tmp_path / "worker"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
           "DERIV_TEST_WORKER": str(marker)}
    cli = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (marker.exists() and marker.read_text()):
            assert cli.poll() is None, cli.stderr.read() if cli.stderr else ""
            time.sleep(0.1)
        time.sleep(0.5)  # the watchdog is up, the worker deep in its check
        run = _descendants(cli.pid)
        assert int(marker.read_text()) in _running(run), "no worker in its check"
    finally:
        cli.kill()
        cli.wait()
    deadline = time.monotonic() + 10
    while _running(run) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _running(run)
    for pid in left:  # do not leave them spinning for the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes of the killed run still running: {left}"


def test_a_worker_carries_its_own_cpu_backstop(tmp_path: Path) -> None:
    """Past its document's budget (in CPU time) the kernel stops a worker, with no parent to do it."""
    script = textwrap.dedent("""
        import deriv.check.isolate as isolate
        isolate.BACKSTOP_MARGIN = 0
        isolate._cpu_backstop(0.5)
        while True:
            pass
    """)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, cwd=tmp_path)
    assert done.returncode in (-signal.SIGXCPU, -signal.SIGKILL), done
    assert time.monotonic() - started < 60  # a hang guard
    assert not list(tmp_path.iterdir())  # and no core file

"""The pytest plugin, through pytester: collection, outcomes, reports, xdist.

Documents are real where the engine is cheap; the mapping of every verdict
to a pytest outcome uses a stand-in checker (one made-up step per verdict),
so it needs no document that times out.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap

from pathlib import Path

import pytest

import deriv.check.chains  # loaded here, so in-process runs need not reload SymPy
import deriv.check.checker
from deriv.check.options import CheckOptions
from deriv.results import FileResult, StepResult, Verdict

WRONG = textwrap.dedent(r"""
    ---
    symbols:
      A: matrix N x N
    ---
    $$ \sum_k \delta_{i,k} A_{j,k} = A_{i,j} $$
""").lstrip()

GOOD = textwrap.dedent(r"""
    ---
    title: Products
    symbols:
      X: matrix S x M
      W: matrix N x M
    ---
    # Entries

    $$\left[X W^T\right]_{i,j} = \sum_k X_{i,k} W_{j,k} \tag{1}$$

    <!-- deriv: expect-fail -->
    $$= \sum_k X_{k,i} W_{j,k} \tag{1}$$

    <!-- deriv: skip notation only -->
    $$= \sum_k W_{j,k} X_{i,k}$$

    $$= \sum_k W_{j,k} X_{i,k}$$
""").lstrip()

BROKEN_YAML = "---\nsymbols: [\n---\n$$ a = a $$\n"


def outcomes(result: pytest.RunResult) -> dict[str, int]:
    found = result.parseoutcomes()
    return {k: found.get(k, 0) for k in ("passed", "failed", "skipped", "xfailed", "errors")}


# --- collection ------------------------------------------------------------------------


def test_only_markdown_with_deriv_front_matter_is_collected(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", good=GOOD, README="# A project\n\nNo derivation here.\n",
                      notes="---\ntitle: Not deriv\n---\ntext\n")
    result = pytester.runpytest("--co", "-q")
    lines = [l for l in result.outlines if "::" in l]
    assert lines == ["good.md::1", "good.md::1@line-12", "good.md::line-15", "good.md::line-17"]


def test_node_ids_are_unique_and_report_the_real_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", good=GOOD)
    result = pytester.runpytest("-v", "-rxs")
    result.stdout.fnmatch_lines([
        "good.md::1 PASSED*", "good.md::1@line-12 XFAIL*", "good.md::line-15 SKIPPED*",
        "good.md::line-17 PASSED*",
    ])
    result.stdout.fnmatch_lines(["SKIPPED [[]1[]] good.md:15: notation only"])
    assert outcomes(result) == {"passed": 2, "failed": 0, "skipped": 1, "xfailed": 1, "errors": 0}


def test_the_bundled_derivations_give_one_item_per_step(pytester: pytest.Pytester) -> None:
    folder = Path(__file__).resolve().parent.parent / "derivations"
    items = [l for l in pytester.runpytest("--co", "-q", str(folder)).outlines if "::" in l]
    steps = deriv.check.checker.check_paths([folder], CheckOptions(decide=False)).steps
    assert len(items) == len(steps) == 92 and len(set(items)) == 92


def test_deriv_paths_are_collected_when_no_path_is_given(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nderiv_paths = docs\n")
    pytester.mkdir("docs")
    (pytester.path / "docs" / "good.md").write_text(GOOD, encoding="utf-8")
    result = pytester.runpytest("--co", "-q")
    assert "docs/good.md::1" in result.outlines
    assert outcomes(pytester.runpytest("-q", str(pytester.path / "docs" / "good.md")))["passed"] == 2


def test_a_malformed_document_is_one_collection_error_with_its_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", bad=BROKEN_YAML, good=GOOD)
    result = pytester.runpytest()
    assert outcomes(result)["errors"] == 1
    result.stdout.fnmatch_lines(["bad.md:2: error: front matter is not valid YAML*"])
    assert "Traceback" not in result.stdout.str()


# --- outcomes --------------------------------------------------------------------------


def _every_verdict(path, options=None) -> FileResult:
    steps = tuple(StepResult(line=3 + i, label=None, relation="=", lhs="a", rhs="b", verdict=v,
                             message=f"it is {v.value}") for i, v in enumerate(Verdict))
    return FileResult(str(path), "Every verdict", steps=steps)


def test_every_verdict_maps_to_its_outcome(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deriv.check.checker, "check_file", _every_verdict)
    pytester.makefile(".md", doc=GOOD)
    result = pytester.runpytest("-v")
    expected = {"proved": "PASSED", "tested": "PASSED", "refuted": "FAILED", "error": "FAILED",
                "expected-fail": "XFAIL", "unexpected-pass": "FAILED", "undecided": "FAILED",
                "skipped": "SKIPPED", "timeout": "FAILED"}
    result.stdout.fnmatch_lines([f"doc.md::line-{3 + i} {expected[v.value]}*" for i, v in enumerate(Verdict)])
    strict = pytester.runpytest("--deriv-strict", "doc.md::line-4")
    assert outcomes(strict)["failed"] == 1
    strict.stdout.fnmatch_lines(["tested  -  line 4  it is tested", "*--deriv-strict*"])


def test_a_failing_step_prints_the_cli_report_and_no_traceback(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", wrong=WRONG)
    result = pytester.runpytest()
    assert outcomes(result)["failed"] == 1
    result.stdout.fnmatch_lines([
        "refuted  -  line 5  the two sides differ",
        r"      step: \sum_k \delta_{i,k} A_{j,k}  =  A_{i,j}",
        "      counterexample: with N=2 at i=1, j=2: left side = 0, right side = 1 (seed 0, trial 0, shrunk)",
        "        A = [ 0  1 ]",
        "            [ 0  0 ]",
        "      suggestion: swap i and j (proved): A_{j,i}",
        "      reproduce: deriv check wrong.md --seed 0",
        "FAILED wrong.md::line-5 - refuted*",
    ])
    assert "Traceback" not in result.stdout.str() and "deriv/" not in result.stdout.str()


def test_the_seed_option_reaches_the_checker(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", wrong=WRONG)
    result = pytester.runpytest("--deriv-seed", "7", "--deriv-timeout", "20")
    result.stdout.fnmatch_lines(["*(seed 7, trial 0, shrunk)", "*", "*", "*", "      reproduce: deriv check wrong.md --seed 7"])
    assert pytester.runpytest("--deriv-seed", "-1").ret == pytest.ExitCode.USAGE_ERROR


def test_no_alarm_handler_is_left_behind(pytester: pytest.Pytester) -> None:
    before = signal.getsignal(signal.SIGALRM)
    pytester.makefile(".md", good=GOOD, wrong=WRONG)
    pytester.runpytest()
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# --- the run's report, and xdist -------------------------------------------------------------


def test_the_report_holds_every_step_and_file_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", good=GOOD, wrong=WRONG, bad=BROKEN_YAML)
    pytester.runpytest("--continue-on-collection-errors", "--deriv-report", "out/run.json")
    report = json.loads((pytester.path / "out" / "run.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in report["files"]] == ["bad.md", "good.md", "wrong.md"]
    assert report["files"][0]["error"].startswith("line 2: front matter is not valid YAML")
    assert report["summary"]["proved"] == 2 and report["summary"]["refuted"] == 1
    assert report["summary"]["expected-fail"] == 1 and report["summary"]["skipped"] == 1
    assert pytester.runpytest("--deriv-report", "run.pdf").ret == pytest.ExitCode.USAGE_ERROR


def test_under_xdist_outcomes_and_report_are_those_of_a_serial_run(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", good=GOOD, wrong=WRONG, other=GOOD.replace("Products", "Again"))
    serial = pytester.runpytest("-p", "no:cacheprovider", "--deriv-report", "serial.json")
    parallel = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "--deriv-report", "parallel.json")
    assert outcomes(parallel) == outcomes(serial) == {
        "passed": 4, "failed": 1, "skipped": 2, "xfailed": 2, "errors": 0}
    parallel.stdout.fnmatch_lines(["      reproduce: deriv check wrong.md --seed 0"])
    reports = [json.loads((pytester.path / n).read_text(encoding="utf-8")) for n in ("serial.json", "parallel.json")]
    # Verdicts, not messages: one message names whichever clashing index it meets first.
    steps = [[(f["path"], s["line"], s["label"], s["verdict"]) for f in r["files"] for s in f["steps"]]
             for r in reports]
    assert steps[0] == steps[1] and len(steps[1]) == 9
    assert reports[0]["summary"] == reports[1]["summary"]


def test_under_xdist_a_documents_steps_all_run_on_one_worker(pytester: pytest.Pytester) -> None:
    """Each document checked once: xdist's chunks never cut through a document (shuffled items too:
    see the next test)."""
    steps = "".join(f"$$ x + {i} = {i} + x $$\n\n" for i in range(7))
    for name in ("a", "b", "c", "d", "e"):
        pytester.makefile(".md", **{name: "---\nsymbols:\n  x: scalar\n---\n" + steps})
    run = pytester.runpytest_subprocess("-n", "2", "-v", "-p", "no:cacheprovider")
    assert outcomes(run)["passed"] == 35, run.stdout.str()
    workers: dict[str, set[str]] = {}
    for line in run.stdout.lines:
        if line.startswith("[gw") and "::" in line:
            workers.setdefault(line.split()[-1].split("::")[0], set()).add(line.split()[0])
    assert sorted(workers) == ["a.md", "b.md", "c.md", "d.md", "e.md"]
    assert all(len(ran) == 1 for ran in workers.values()), workers


def test_under_xdist_one_step_documents_and_other_tests_all_run(pytester: pytest.Pytester) -> None:
    """Documents are dealt one at a time and xdist's workers keep their last item back: a worker
    must never be left holding a single item (it would wait with it until the end, or hang)."""
    for number in range(6):
        pytester.makefile(".md", **{f"d{number}": f"---\nsymbols:\n  x: scalar\n---\n$$ x + {number} = {number} + x $$\n"})
    pytester.makepyfile(test_plain="def test_one():\n    pass\n\ndef test_two():\n    pass\n")
    run = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", timeout=300)
    assert outcomes(run)["passed"] == 8, run.stdout.str()


def test_an_item_is_a_step_of_a_document_when_its_file_is_one() -> None:
    from deriv.pytest_xdist import document_of

    collection = ["a.md::1", "test_x.py::t", "b.qmd::1", "c.ipynb::line-3", "notes.md", "d.MD::2"]
    assert [document_of(n) for n in collection] == ["a.md", None, "b.qmd", "c.ipynb", None, "d.MD"]


# --- cheap when unused -----------------------------------------------------------------


def loaded_by(modules: str, heavy: tuple[str, ...]) -> str:
    """Which of ``heavy`` a fresh interpreter has loaded after importing ``modules``."""
    code = f"import sys, {modules}; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    assert loaded_by("deriv.pytest_plugin", ("sympy", "lark", "yaml", "click", "flint")) == "[]"


def test_the_xdist_controller_loads_nothing_of_the_checker() -> None:
    """The controller of ``pytest -n`` loads the scheduling only: its start and end are the run's serial part."""
    heavy = ("sympy", "lark", "yaml", "flint", "deriv.cache", "deriv.check.isolate")
    assert loaded_by("deriv.pytest_plugin, deriv.pytest_xdist", heavy) == "[]"


FREEZE_PROBE = """
import gc

def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"frozen: {gc.get_freeze_count() > 0}")
"""


def test_a_process_that_collected_documents_freezes_what_it_holds(pytester: pytest.Pytester) -> None:
    """pytest's full collections at the end of the session then skip SymPy's objects (docs/pytest.md)."""
    pytester.makeconftest(FREEZE_PROBE)
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    pytester.makefile(".md", good=GOOD)
    plain = pytester.runpytest_subprocess("-p", "no:cacheprovider", "test_plain.py")
    plain.stdout.fnmatch_lines(["frozen: False"])
    both = pytester.runpytest_subprocess("-p", "no:cacheprovider", "test_plain.py", "good.md")
    both.stdout.fnmatch_lines(["frozen: True"])
    assert outcomes(both) == {**outcomes(plain), "passed": outcomes(plain)["passed"] + 2, "skipped": 1,
                              "xfailed": 1}


# --- plans shared by xdist's workers ---------------------------------------------------------


def _plan_of(path: str) -> FileResult:
    return FileResult(path=path, title=Path(path).name,
                      steps=(StepResult(7, "1", "=", "a", "b", Verdict.SKIPPED, message="not decided"),))


def test_two_workers_make_each_plan_once_and_both_collect_every_plan(tmp_path: Path) -> None:
    """Two workers (threads here) collect the same documents: each plan is made by one of them,
    the one that waits makes a later plan meanwhile, and both get every plan."""
    import threading
    import time

    from deriv.pytest_xdist import SharedPlans

    documents = [str(tmp_path / f"d{n}.md") for n in range(8)]
    made: list[str] = []
    makers: set[int] = set()

    def make(path: str) -> FileResult:
        made.append(path)
        makers.add(threading.get_ident())
        time.sleep(0.05)
        return _plan_of(path)

    got: dict[int, list[FileResult]] = {}

    def worker(number: int) -> None:
        plans = SharedPlans(str(tmp_path))
        for path in documents:
            plans.expect(path)
        got[number] = [plans.plan(path, make) for path in documents]

    threads = [threading.Thread(target=worker, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(made) == sorted(documents)  # each once
    assert len(makers) == 2  # neither only waited
    expected = [_plan_of(path) for path in documents]
    for plans in got.values():
        assert [(p.title, p.steps) for p in plans] == [(p.title, p.steps) for p in expected]


def test_a_plan_claimed_by_a_worker_that_died_is_made_by_another(tmp_path: Path) -> None:
    from deriv.pytest_xdist import SharedPlans, _key

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    document = str(tmp_path / "d.md")
    (tmp_path / f"{_key(document)}.claim").write_text(dead.stdout.strip())
    plan = SharedPlans(str(tmp_path)).plan(document, _plan_of)
    assert plan.title == "d.md"


def test_a_plan_that_could_not_be_made_is_left_to_the_next_worker(tmp_path: Path) -> None:
    from deriv.pytest_xdist import SharedPlans

    document = str(tmp_path / "d.md")

    def broken(path: str) -> FileResult:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        SharedPlans(str(tmp_path)).plan(document, broken)
    assert SharedPlans(str(tmp_path)).plan(document, _plan_of).title == "d.md"  # not waiting for a claim

"""Shared fixtures: hand-built results, so CLI and renderer tests need no engine."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from deriv.results import Counterexample, FileResult, RunResult, StepResult, Suggestion, Verdict

@pytest.fixture(autouse=True)
def own_result_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps documents' results (deriv.cache) in a folder of its own: one test's
    results (a monkeypatched checker's above all) never answer another's."""
    monkeypatch.setenv("DERIV_CACHE_DIR", str(tmp_path_factory.mktemp("deriv-cache")))


StepFactory = Callable[..., StepResult]
RunFactory = Callable[..., RunResult]


def _step(verdict: Verdict | str = Verdict.PROVED, **fields: Any) -> StepResult:
    """A StepResult with plausible defaults; any field can be overridden."""
    verdict = Verdict(verdict)
    defaults: dict[str, Any] = {
        "line": 14,
        "label": "2",
        "relation": "=",
        "lhs": r"\frac{\partial L}{\partial W_{m,n}}",
        "rhs": r"\sum_{i} G_{i,n} X_{i,m}",
        "verdict": verdict,
        "method": "symbolic" if verdict is Verdict.PROVED else "random",
        "message": "",
        "seconds": 0.004,
    }
    defaults.update(fields)
    return StepResult(**defaults)


def _run(*verdicts: Verdict | str, path: str = "derivations/notes.md") -> RunResult:
    """One file holding one step per verdict, on consecutive lines."""
    steps = tuple(_step(v, line=10 + 2 * i, label=str(i + 1)) for i, v in enumerate(verdicts))
    return RunResult((FileResult(path, "Notes", steps=steps),))


@pytest.fixture
def make_step() -> StepFactory:
    """Factory: ``make_step("refuted", line=20, message="...")``."""
    return _step


@pytest.fixture
def make_run() -> RunFactory:
    """Factory: ``make_run("proved", "tested")`` is one file with those steps."""
    return _run


def _counterexample() -> Counterexample:
    """A counterexample as the engine reports one for a transposed gradient."""
    return Counterexample(
        sizes=(("M", 2), ("N", 3), ("S", 4)),
        indices=(("m", 1), ("n", 2)),
        lhs_value="7/12",
        rhs_value="-1/3",
        seed=5,
        trial=2,
    )


def _mixed_run(counterexample: Counterexample) -> RunResult:
    """Every verdict once, in two files, plus a file that could not be read."""
    s = _step
    weights = FileResult(
        "derivations/linear_layer_weights.md",
        "Linear layer, gradient with respect to W",
        steps=(
            s("proved", line=14, label="1", justification="definition of L"),
            s("proved", line=16, label="2", justification="chain rule"),
            s(
                "refuted",
                line=20,
                label="3",
                message="the two members differ on a random instance",
                rhs=r"\sum_{i} X_{i,n} G_{i,m}",
                counterexample=counterexample,
                suggestion=(Suggestion("swap-indices", r"\sum_{i} X_{i,m} G_{i,n}", Verdict.PROVED, "swap m and n"),),
            ),
            s("tested", line=24, label=None, message="held on 24 random instances"),
            s(
                "expected-fail",
                line=30,
                label="5",
                message="refuted, as marked",
                counterexample=counterexample,
            ),
            s("skipped", line=33, label=None, message="aside: notation only"),
        ),
    )
    hessian = FileResult(
        "derivations/hessian.md",
        "Positive-definite Hessian",
        steps=(
            s("proved", line=9, label="1"),
            s(
                "error",
                line=12,
                label="2",
                message=r"unknown name \mathcal{P} (not declared in the front matter)",
                rhs=r"\mathcal{P}_{i,j}",
            ),
            s("undecided", line=15, label="3", relation=">", lhs=r"x^\top H x", rhs="0",
              message="cannot decide the inequality"),
            s("unexpected-pass", line=18, label="4", message="marked expect-fail, but it holds"),
            s("timeout", line=21, label="10", message="ran out of its 10 s budget"),
        ),
    )
    broken = FileResult(
        "derivations/broken.md", None, error="front matter is not valid YAML", error_line=3
    )
    return RunResult((weights, hessian, broken))


@pytest.fixture
def counterexample() -> Counterexample:
    """A counterexample as the engine reports one for a transposed gradient."""
    return _counterexample()


@pytest.fixture
def mixed_run(counterexample: Counterexample) -> RunResult:
    """Every verdict once, in two files, plus a file that could not be read."""
    return _mixed_run(counterexample)


#: The hostile-input corpus: one payload a line (tests/hostile/README.md).
HOSTILE = Path(__file__).resolve().parent / "hostile"
_CORPORA = {"report_payload": "report.txt", "library_payload": "library.txt", "splice_payload": "splice.txt"}


def hostile_corpus(name: str) -> list[str]:
    """The payloads of ``tests/hostile/<name>``: ``#`` comments and blank lines left out."""
    lines = (HOSTILE / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking ``report_payload`` (``library_payload``, ``splice_payload``) runs once per payload."""
    for argument, name in _CORPORA.items():
        if argument in metafunc.fixturenames:
            metafunc.parametrize(argument, hostile_corpus(name))


def _hostile_document(payload: str) -> str:
    """``payload`` in every place a document's text reaches the report, beside a refuted step.

    The refuted step's justification holds no payload: a payload with ``<``,
    ``>`` or ``=`` in a justification reads as a hidden second claim (an
    error), and this step must stay refuted; the display after it carries the
    payload in its justification instead."""
    quoted = "'" + payload.replace("'", "''") + "'"
    return textwrap.dedent(f"""\
        ---
        title: {quoted}
        symbols:
          A: matrix N x N
        ---
        # {payload}

        Prose: {payload} and inline ${payload}$ and `{payload}`.

        - {payload}

        > {payload}

        $$ \\sum_k \\delta_{{i,k}} A_{{j,k}} = A_{{i,j}} \\quad \\text{{since }} A \\text{{ is square}} \\tag{{{payload}}} $$

        $$ {payload} = A_{{i,j}} $$

        $$ A_{{i,j}} = A_{{i,j}} \\quad \\text{{{payload}}} $$

        ```
        {payload}
        ```
        """)


@pytest.fixture
def hostile_document() -> Callable[[str], str]:
    """``hostile_document(payload)``: a document with ``payload`` everywhere and one refuted step."""
    return _hostile_document


@pytest.fixture
def report_payloads() -> list[str]:
    """Every line of tests/hostile/report.txt."""
    return hostile_corpus("report.txt")

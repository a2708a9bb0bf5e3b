"""Check, robustness (docs/safety.md): bad input never crashes, hangs or passes, and always names file and line.

Every document here also holds a correct step (``GOOD``), and where the
problem belongs to one step the test asserts that the correct step is still
``proved``: one bad line must not hide the rest of the derivation.

Cases that reveal a bug assert the *correct* behaviour and are marked
``xfail(strict=True)`` with a diagnosis, so they turn into failures (and
must be unmarked) once the bug is fixed.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from deriv.check.checker import check_file, check_text
from deriv.check.options import CheckOptions
from deriv.cli import main
from deriv.results import PASSING, FileResult, StepResult, Verdict

#: Front matter shared by most documents (lines 1-8; the body starts on line 10).
HEAD = """\
---
title: robustness
symbols:
  X: matrix S x M
  W: matrix N x M
  x: scalar
  y: scalar
---

"""
#: A correct step: it must stay ``proved`` whatever else the document holds.
GOOD = r"$$ \left[X W^T\right]_{i,j} = \sum_k X_{i,k} W_{j,k} $$"
#: A wrong (but well-formed) step: the sign is flipped.
WRONG = r"$$ \left[X W^T\right]_{i,j} = -\sum_k X_{i,k} W_{j,k} $$"

#: Anything pathological must be dealt with in well under this (seconds).
#: A guard against hangs, not a speed test (speed is measured in benchmarks/, e.g.
#: bench_reading.py): generous, so a loaded machine never fails it.
FAST = 60.0

SPEC_STEP_KEYS = {
    "line", "label", "relation", "lhs", "rhs", "verdict", "method", "message",
    "justification", "suggestion", "counterexample", "seconds",
}
SPEC_FILE_KEYS = {"path", "title", "error", "steps"}
SPEC_SUMMARY_KEYS = {v.value for v in Verdict}


# -- helpers ------------------------------------------------------------------------

def document(*parts: str, good: bool = True) -> str:
    """HEAD, the parts separated by blank lines, then GOOD (unless good=False)."""
    body = list(parts) + ([GOOD] if good else [])
    return HEAD + "\n\n".join(body) + "\n"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line on which the ``occurrence``-th ``needle`` starts."""
    pos = -1
    for _ in range(occurrence):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


def check(text: str, *, budget: float = FAST, **options: float) -> FileResult:
    """check_text, asserting that it returns (no exception) and does so in time."""
    started = time.perf_counter()
    result = check_text(text, "doc.md", CheckOptions(**options) if options else None)
    elapsed = time.perf_counter() - started
    assert elapsed < budget, f"took {elapsed:.2f} s"
    return result


def at(result: FileResult, line: int) -> list[StepResult]:
    return [s for s in result.steps if s.line == line]


def assert_good_proved(result: FileResult, text: str) -> None:
    """The document's last GOOD display is still checked, and proved."""
    assert result.error is None, result.error
    line = line_of(text, GOOD, text.count(GOOD))
    steps = at(result, line)
    assert [s.verdict for s in steps] == [Verdict.PROVED], steps


def assert_error_at(result: FileResult, line: int, *words: str) -> list[StepResult]:
    """At least one step at ``line``, all of them errors (none passing), naming ``words``."""
    steps = at(result, line)
    assert steps, f"nothing reported at line {line}: {result.steps}"
    assert all(s.verdict is Verdict.ERROR for s in steps), steps
    for word in words:
        assert any(word in s.message for s in steps), (word, [s.message for s in steps])
    return steps


def deriv_check(*args: str) -> Result:
    """``deriv check ARGS`` in-process; asserts nothing escaped as a traceback."""
    result = CliRunner().invoke(main, ["check", "--no-color", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in output
    assert "internal error" not in output, output
    return result


def everything(result: Result) -> str:
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- per-step errors: the rest of the document is still checked ----------------------

def test_the_baseline_document_is_proved() -> None:
    text = document()
    result = check(text)
    assert [s.verdict for s in result.steps] == [Verdict.PROVED]


@pytest.mark.parametrize(
    "display",
    [
        r"$$ X_{i,j} = \mathcal{P}_{i,j} $$",  # the seed's case, as a later member
        r"$$ \mathcal{P}_{i,j} = X_{i,j} $$",  # as the chain's first member
    ],
)
def test_unknown_symbol_is_named_at_its_line(display: str) -> None:
    text = document(display)
    result = check(text)
    steps = assert_error_at(result, line_of(text, display), "P")
    assert any("unknown" in s.message for s in steps)
    assert_good_proved(result, text)


@pytest.mark.parametrize(
    ("display", "words"),
    [
        (r"$$ X_{i,j} = {X_{i,j} $$", ["unclosed", "{"]),
        (r"$$ X_{i,j} = X_{i,j}} $$", ["}"]),
        (r"$$ \left( x = x $$", []),
        (r"$$ X_{i,j} = \foo{X_{i,j}} $$", [r"\foo"]),
        (r"$$ x = x^ $$", []),
        (r"$$ x = = y $$", []),
        (r"$$ = $$", []),
        (r"$$ X_{i,j} = $$", []),
        (r"$$ x = x + $$", []),
        (r"$$ \frac{}{} = 1 $$", []),
        ("$$ x = \u00e9 $$", []),
        ("$$ x = x \x1b[31m $$", []),  # a terminal escape in the math
    ],
    ids=["unclosed-brace", "extra-brace", "left-without-right", "unknown-command", "dangling-superscript",
         "double-relation", "bare-relation", "missing-rhs", "trailing-plus", "empty-frac", "non-ascii",
         "control-char"],
)
def test_unparsable_display_is_an_error_at_its_line(display: str, words: list[str]) -> None:
    text = document(display)
    result = check(text)
    assert_error_at(result, line_of(text, display), *words)
    assert_good_proved(result, text)


def test_empty_display_does_not_pass_or_hide_the_rest() -> None:
    text = document("$$ $$")
    result = check(text)
    assert not any(s.verdict in PASSING for s in at(result, line_of(text, "$$ $$")))
    assert_good_proved(result, text)


def test_empty_display_is_reported_as_an_error() -> None:
    text = document("$$ $$")
    result = check(text)
    assert_error_at(result, line_of(text, "$$ $$"), "empty")
    assert_good_proved(result, text)


def test_index_used_at_two_sizes_names_both_uses() -> None:
    display = r"$$ \sum_k X_{i,k} W_{k,j} = \sum_k X_{i,k} W_{k,j} $$"
    text = document(display)
    result = check(text)
    steps = assert_error_at(result, line_of(text, display), "k")
    message = steps[-1].message
    for use in ("M", "N", "X_{i,k}", "W_{k,j}"):
        assert use in message, message
    assert_good_proved(result, text)


def test_an_index_at_two_positions_of_one_entry() -> None:
    display = r"$$ X_{i,i} = X_{i,i} $$"  # i would range over both S and M
    text = document(display)
    result = check(text)
    steps = assert_error_at(result, line_of(text, display), "i")
    assert "S" in steps[-1].message and "M" in steps[-1].message
    assert_good_proved(result, text)


def test_free_indices_that_differ_between_members() -> None:
    display = r"$$ X_{i,j} = X_{i,k} $$"
    text = document(display)
    result = check(text)
    assert_error_at(result, line_of(text, display), "k")
    assert_good_proved(result, text)


def test_free_indices_differ_in_a_continued_chain() -> None:
    first = r"$$ X_{i,j} = X_{i,j} $$"
    later = r"$$ = W_{j,i} $$"
    text = document(first, later)
    result = check(text)
    assert at(result, line_of(text, first))[0].verdict is Verdict.PROVED
    assert_error_at(result, line_of(text, later))
    assert_good_proved(result, text)


@pytest.mark.parametrize(
    "display",
    [r"$$ X W = X W $$", r"$$ \left[X W\right]_{i,j} = \left[X W\right]_{i,j} $$"],
)
def test_shape_mismatch_in_a_product(display: str) -> None:
    text = document(display)
    result = check(text)
    steps = assert_error_at(result, line_of(text, display), "X", "W")
    assert any("S x M" in s.message and "N x M" in s.message for s in steps), steps
    assert_good_proved(result, text)


@pytest.mark.parametrize(
    "display",
    [
        r"$$ x_{i,j} = x $$",  # entries of a scalar
        r"$$ X_{i} = X_{i,j} $$",  # too few indices
        r"$$ X_{i,j,k} = X_{i,j} $$",  # too many
        r"$$ X_{0,2} = X_{0,2} $$",  # entry 0 (X_{1,2} is read for sizes >= 2: tests/test_meaning_least_sizes.py)
        r"$$ \operatorname{tr}(X) = x $$",  # trace of a non-square matrix
        r"$$ X^2 = X X $$",  # power of a matrix
        r"$$ \frac{\partial x}{\partial 3} = 1 $$",
        r"$$ \sum_{k=1}^{5} X_{i,k} = \sum_k X_{i,k} $$",  # bounds not the whole range
    ],
)
def test_ill_formed_members_are_errors(display: str) -> None:
    text = document(display)
    result = check(text)
    assert_error_at(result, line_of(text, display))
    assert_good_proved(result, text)


def test_a_bad_line_inside_a_chain_does_not_break_the_chain() -> None:
    """docs/format.md: the next step is checked against the last well-formed member."""
    parts = [r"$$ x + x = 2 x $$", r"$$ = \foo $$", r"$$ = x \cdot 2 $$"]
    text = document(*parts)
    result = check(text)
    assert_error_at(result, line_of(text, parts[1]))
    assert [s.verdict for s in at(result, line_of(text, parts[2]))] == [Verdict.PROVED]
    assert_good_proved(result, text)


@pytest.mark.parametrize(
    "display",
    [
        pytest.param(
            r"$$ \delta_{i,j} = \delta_{j,i} $$",
            id="delta-only",
        ),
        pytest.param(r"$$ x = \delta_{i,j} $$", id="delta-later-member"),
    ],
)
def test_indices_with_no_inferable_range(display: str) -> None:
    text = document(display)
    result = check(text)
    assert not any(s.verdict in PASSING for s in at(result, line_of(text, display)))
    assert_good_proved(result, text)


# -- front matter: a file-level error with its line ---------------------------------

FRONT_MATTER_CASES = [
    pytest.param(
        "---\ntitle: t\nsymbols:\n  X: matrix S x M\n   W: matrix N x M\n---\n",
        5, ["YAML"], id="bad-yaml-indentation",
    ),
    pytest.param(
        "---\ntitle: t\nsymbols:\n  X: matrix S x M\n  W: [matrix N x M\n---\n",
        5, ["YAML"], id="bad-yaml-unclosed-flow",
    ),
    pytest.param(
        "---\nsymbols:\n\tX: matrix S x M\n---\n",
        3, ["YAML"], id="bad-yaml-tab",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: tensor N x M\n---\n",
        4, ["W", "tensor"], id="unknown-kind",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\n  X: vector S\n---\n",
        5, ["X", "twice"], id="duplicate-name",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\ndefinitions:\n  - Y = X W^T\n  - Y = X W^T\n---\n",
        7, ["Y"], id="duplicate-definition",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\n  Y: matrix S x N\ndefinitions:\n  - Y = Y + X W^T\n---\n",
        7, ["Y"], id="self-referential-definition",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\ndefinitions:\n  - Y = X Q\n---\n",
        6, ["Q"], id="definition-with-unknown-name",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\ndefinitions:\n  - Y = {X\n---\n",
        6, ["{"], id="definition-unbalanced",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix 0 x M\n  W: matrix N x M\n---\n",
        3, ["X"], id="zero-size",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n",
        5, ["title"], id="python-tag",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\ntitle: " + "[" * 3000 + "]" * 3000 + "\n---\n",
        5, ["nested"], id="deeply-nested-yaml",
    ),
    pytest.param(
        "---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\n\n",
        1, ["never closed"], id="unclosed-front-matter",
    ),
]


@pytest.mark.parametrize(("front", "line", "words"), FRONT_MATTER_CASES)
def test_malformed_front_matter_is_a_file_error_with_its_line(front: str, line: int, words: list[str]) -> None:
    text = front + "\n" + GOOD + "\n"
    result = check(text)
    assert result.error, result
    assert result.error_line == line, (result.error, result.error_line)
    assert result.steps == ()
    for word in words:
        assert word in result.error, result.error


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("---\ntitle: t\nsymbols:\n  X: matrix S x M\n   W: matrix N x M\n---\n", 5),
        ("---\nsymbols:\n  X: matrix S x M\n  W: tensor N x M\n---\n", 4),
        ("---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\n  X: vector S\n---\n", 5),
    ],
    ids=["bad-yaml", "unknown-kind", "duplicate-name"],
)
def test_cli_shows_path_and_line_of_a_front_matter_error(tmp_path: Path, front: str, line: int) -> None:
    path = write(tmp_path, "notes.md", front + "\n" + GOOD + "\n")
    result = deriv_check(str(path))
    assert result.exit_code == 2
    assert f"{path}:{line}" in everything(result)


def test_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = write(tmp_path, "a_bad.md", "---\nsymbols:\n  X: matrix S x M\n  W: tensor N x M\n---\n\n" + GOOD + "\n")
    good = write(tmp_path, "b_good.md", document())
    result = deriv_check(str(bad), str(good))
    assert result.exit_code == 2
    out = everything(result)
    assert f"{bad}:4" in out
    assert str(good) in out and "proved" in out


@pytest.mark.parametrize("assumption", ["'Q = 1'", "'x < '"], ids=["unknown-name", "unparsable"])
def test_a_bad_assumption_is_reported_at_its_line(assumption: str) -> None:
    text = HEAD.replace("---\n\n", f"assumptions:\n  - {assumption}\n---\n\n", 1) + GOOD + "\n"
    result = check(text)
    reported = [(result.error, result.error_line)] + [(s.message, s.line) for s in result.steps
                                                      if s.verdict is Verdict.ERROR]
    assert any(line == 9 for message, line in reported if message), reported


# -- unreadable input ---------------------------------------------------------------

def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.md"
    result = deriv_check(str(path))
    assert result.exit_code == 2
    assert str(path) in everything(result)
    assert check_file(path).error


def test_folder_with_no_documents(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "not markdown")
    result = deriv_check(str(tmp_path))
    assert result.exit_code == 2
    assert str(tmp_path) in everything(result)


def test_a_directory_given_to_check_file(tmp_path: Path) -> None:
    result = check_file(tmp_path)
    assert result.error and result.steps == ()


@pytest.mark.parametrize(
    ("content", "line"),
    [
        pytest.param(b"\x00\x01\xff\xfe garbage \x00\n\x89PNG\r\n\x1a\n", 1, id="nul-at-start"),
        pytest.param(b"---\nsymbols:\n  x: scalar\n---\n\n" + bytes(range(256)) * 8, 6, id="nul-later"),
        pytest.param(HEAD.encode("utf-16"), 1, id="utf-16-with-bom"),
        pytest.param(HEAD.encode("utf-16-le"), 1, id="utf-16-le-no-bom"),
        pytest.param(HEAD.encode() + "caf\u00e9\n".encode("latin-1"), 10, id="latin-1"),
    ],
)
def test_binary_or_non_utf8_file_is_a_clean_error(tmp_path: Path, content: bytes, line: int) -> None:
    path = write(tmp_path, "junk.md", content)
    result = check_file(path)
    assert result.error and result.error_line == line, (result.error, result.error_line)
    assert result.steps == ()
    cli = deriv_check(str(path))
    assert cli.exit_code == 2
    assert f"{path}:{line}" in everything(cli)


def test_random_bytes_file(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    path = write(tmp_path, "junk.md", bytes(rng.randrange(256) for _ in range(4000)) + b"\0")
    cli = deriv_check(str(path))
    assert cli.exit_code == 2
    assert str(path) in everything(cli)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    result = check_file(fifo)  # reading it would block forever
    assert result.error


def test_a_too_large_file(tmp_path: Path) -> None:
    path = write(tmp_path, "big.md", document() + ("x" * 1000 + "\n") * 5300)
    result = check_file(path)
    assert result.error and "large" in result.error


# -- pathological mathematics: error or undecided, fast, never a crash ---------------

PATHOLOGICAL = {
    "huge-exponent": r"$$ x^{100000} = x^{100000} + 1 $$",
    "huge-negative-exponent": r"$$ x^{-100000} = x $$",
    "tower-exponent": r"$$ 2^{2^{2^{64}}} = x $$",
    "300-digit-number": "$$ x = " + "9" * 300 + " $$",
    "5000-nested-parentheses": "$$ x = " + "(" * 5000 + "x" + ")" * 5000 + " $$",
    "5000-nested-braces": "$$ x = " + "{" * 5000 + "x" + "}" * 5000 + " $$",
    "20000-character-display": "$$ x = " + " + ".join(["x"] * 5000) + " $$",
    "300-nested-exp": "$$ x = " + r"\exp(" * 300 + "x" + ")" * 300 + " $$",
    "300-nested-exp-braces": "$$ x = " + r"\exp{" * 300 + "x" + "}" * 300 + " $$",
    "300-nested-frac": "$$ x = " + r"\frac{1}{" * 300 + "x" + "}" * 300 + " $$",
    # SymPy's assumptions evaluate the tower with mpmath, which overflows (fuzz seed 12).
    "exp-tower": r"$$ \exp(\exp(\exp(\exp(100)))) x = x \exp(\exp(\exp(\exp(100)))) $$",
}


@pytest.mark.parametrize("display", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_display_is_error_or_undecided(display: str) -> None:
    text = document(display)
    result = check(text)
    steps = at(result, line_of(text, display))
    assert steps, result.steps
    assert all(s.verdict in (Verdict.ERROR, Verdict.UNDECIDED) for s in steps), steps
    assert not any("internal error" in s.message for s in steps), steps
    assert_good_proved(result, text)


def test_an_overflow_in_the_symbolic_engine_falls_back_to_testing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where SymPy's numeric assumptions overflow (mpmath on exp(exp(exp(exp(100)))),
    # depending on its backend) the proof is abandoned, never the step.
    import deriv.engine.decide as decide

    def overflowing(*args: object, **kwargs: object) -> None:
        raise OverflowError("too many digits in integer")

    monkeypatch.setattr(decide, "symbolic_difference", overflowing)
    result = check(document(r"$$ 2 x = x + x $$"), isolate=False)
    step = result.steps[0]
    assert step.verdict is Verdict.TESTED, step
    assert "a number too large for the symbolic engine" in step.message


@pytest.mark.parametrize(
    "display",
    [r"$$ \frac{1}{0} = x $$", r"$$ \log(x - x) = x $$", r"$$ \sqrt{-1} = x $$"],
    ids=["division-by-zero", "log-of-zero", "sqrt-of-negative"],
)
def test_undefined_values_do_not_pass(display: str) -> None:
    text = document(display)
    result = check(text)
    steps = at(result, line_of(text, display))
    assert steps and not any(s.verdict in PASSING for s in steps), steps
    assert_good_proved(result, text)


CRASH_REASON = (
    "{error} escapes check_text (and aborts the whole CLI run with 'internal error', "
    "no file or line): {where}; deriv/engine/decide.py test_equal only catches "
    "DomainError/UnsupportedError/RecursionError and deriv/checker.py _check_document only "
    "RecursionError, so numeric blow-ups are not turned into an error/undecided step"
)


@pytest.mark.parametrize(
    "display",
    [
        pytest.param(
            r"$$ ((10^{39})^{64})^{64} = x $$",
            id="compounded-powers",
        ),
        pytest.param(
            r"$$ \exp(\exp(\exp(\exp(x)))) = \exp(\exp(\exp(\exp(x)))) + 1 $$",
            id="four-nested-exp",
        ),
        pytest.param(
            r"$$ x^{x^{x^{x}}} = x $$",
            id="power-tower",
        ),
    ],
)
def test_numbers_that_blow_up_do_not_crash(display: str) -> None:
    text = document(display)
    result = check(text)
    steps = at(result, line_of(text, display))
    assert steps and not any(s.verdict in PASSING for s in steps), steps
    assert_good_proved(result, text)


def test_a_numeric_blow_up_in_one_file_does_not_abort_the_run(tmp_path: Path) -> None:
    bad = write(tmp_path, "a.md", document(r"$$ ((10^{39})^{64})^{64} = x $$", good=False))
    good = write(tmp_path, "b.md", document())
    result = deriv_check(str(tmp_path))
    # The huge left side is computed exactly and shown rounded: refuted (1),
    # or an error (2) -- but never a crash that loses the other file.
    assert result.exit_code in (1, 2)
    out = everything(result)
    assert "internal error" not in out
    assert str(bad) in out and "line 10" in out
    assert str(good) in out and "proved" in out


#: Sizes nothing bounds, each read without a worker: an instance this large is never drawn
#: (its table is one C call no budget stops: 10^{29} overflowed, 10^6 filled memory).
TOO_LARGE = {
    "fixed-entry-past-ssize_t": ("vector N", "x_{100000000000000000000000000000} = 1"),
    "fixed-entry-a-million": ("vector N", "x_{1000000} = 1"),
    "fixed-entries-of-a-matrix": ("matrix N x M", "x_{1000,1000} = 1"),
    "numeric-sizes": ("matrix 9999 x 9999", "x_{1,1} = 1"),
    "huge-written-length": ("vector N+100000000000000000000", "x_1 = 1"),
}


@pytest.mark.parametrize(("kind", "step"), TOO_LARGE.values(), ids=TOO_LARGE.keys())
def test_sizes_too_large_to_draw_are_undecided(kind: str, step: str) -> None:
    text = f"---\nsymbols:\n  x: {kind}\n---\n$$ {step} $$\n"
    result = check(text, isolate=False, timeout=5.0)
    assert result.error is None, result.error
    [found] = result.steps
    assert found.verdict is Verdict.UNDECIDED, found
    assert found.message.endswith("entries: too large to test"), found.message


def test_a_step_proved_at_sizes_too_large_to_test_is_not_passed() -> None:
    # Proofs are confirmed on instances: without one the step says why, never passes untested.
    text = "---\nsymbols:\n  x: vector N\n---\n$$ x_{100000000000} = x_{100000000000} $$\n$$ x_{1025} = x_{1025} $$\n"
    result = check(text, isolate=False)
    assert [s.verdict for s in result.steps] == [Verdict.UNDECIDED, Verdict.PROVED], result.steps
    assert "too large to test" in result.steps[0].message


#: One array too large to draw beside small ones: a step decides on the arrays it reaches
#: (through definitions and assumptions too); one that reaches the large array stays undecided.
BESIDE_A_LARGE_ARRAY = {
    "scalars-only": ("", r"a + b = b + a", Verdict.PROVED),
    "scalars-refuted": ("", r"a b = a + b", Verdict.REFUTED),
    "a-vector-of-784": ("", r"(a x)^T (a x) = a^2 x^T x", Verdict.PROVED),
    "a-vector-refuted": ("", r"x^T x = x_1^2", Verdict.REFUTED),
    "the-large-array": ("", r"(W x)^T = x^T W^T", Verdict.UNDECIDED),
    "a-claim-on-the-large-array": ("", r"W_{1,1}^2 \geq 0", Verdict.UNDECIDED),  # was an internal error
    "a-claim-on-small-ones": ("", r"a^2 + x^T x \geq 0", Verdict.PROVED),
    "through-a-definition": ("definitions:\n  - y = W x\n", r"y^T y = x^T W^T W x", Verdict.UNDECIDED),
    "a-definition-of-small-ones": ("definitions:\n  - y = a x\n", r"y^T y = a^2 x^T x", Verdict.PROVED),
}


@pytest.mark.parametrize(("before", "step", "expected"), BESIDE_A_LARGE_ARRAY.values(), ids=BESIDE_A_LARGE_ARRAY.keys())
def test_a_step_beside_an_array_too_large_to_draw_decides_on_its_own_arrays(before: str, step: str, expected) -> None:
    text = (f"---\nsymbols:\n  W: matrix 784 x 784\n  x: vector 784\n  a: scalar\n  b: scalar\n{before}---\n"
            f"$$ {step} $$\n")
    result = check(text, isolate=False, timeout=20.0)
    assert result.error is None, result.error
    assert result.steps[-1].verdict is expected, result.steps[-1]
    if expected is Verdict.UNDECIDED:
        assert result.steps[-1].message.endswith("entries: too large to test"), result.steps[-1].message


def test_an_assumption_on_an_array_too_large_to_draw_keeps_it_in_every_step() -> None:
    # A step that writes only a still depends on W through the assumption: never decided without it.
    text = ("---\nsymbols:\n  W: matrix 784 x 784\n  a: scalar\nassumptions:\n  - W_{1,1} = a\n---\n"
            "$$ a + a = 2 a $$\n$$ a = 1 $$\n")
    result = check(text, isolate=False, timeout=20.0)
    assert [s.verdict for s in result.steps] == [Verdict.UNDECIDED, Verdict.UNDECIDED], result.steps


def test_the_entries_of_an_instance_are_counted_before_any_is_drawn() -> None:
    import sympy

    from deriv.engine.instance_cells import MAX_CELLS, TooLargeError, check_cells

    n = sympy.Symbol("N")
    check_cells([(n, n)], lambda e: int(e.subs(n, 512)), "N = 512")  # exactly the bound
    with pytest.raises(TooLargeError, match=r"^an instance at N = 513 has more than \d+ entries"):
        check_cells([(n, n)], lambda e: int(e.subs(n, 513)), "N = 513")
    with pytest.raises(ValueError, match="of the declared sizes"):  # a search gives up on it as on a value
        check_cells([(sympy.Integer(MAX_CELLS), sympy.Integer(1))] * 2, int, "")


def test_a_long_but_legal_display_is_checked() -> None:
    display = "$$ " + " + ".join(["x"] * 1500) + " = 1500 x $$"
    text = document(display)
    result = check(text)
    assert [s.verdict for s in at(result, line_of(text, display))] == [Verdict.PROVED]
    assert_good_proved(result, text)


def test_a_false_step_with_huge_magnitudes_does_not_pass() -> None:
    display = r"$$ \exp(200) + 1 = \exp(200) $$"
    text = document(display)
    result = check(text)
    steps = at(result, line_of(text, display))
    assert steps and not any(s.verdict in PASSING for s in steps), steps
    assert_good_proved(result, text)


# -- time budget ----------------------------------------------------------------------

SLOW = r"$$ (x+y+1)^{64} (x-y+2)^{64} = (y+x+1)^{64} (2+x-y)^{64} $$"  # >10 s unbudgeted


def test_a_slow_step_times_out_and_the_next_step_is_checked() -> None:
    text = document(SLOW)
    result = check(text, budget=30.0, timeout=0.2)
    steps = at(result, line_of(text, SLOW))
    assert [s.verdict for s in steps] == [Verdict.TIMEOUT], steps
    assert steps[0].seconds < 10.0  # the 0.2 s budget stopped it (unbudgeted it takes minutes)
    assert_good_proved(result, text)


def test_cli_timeout_option(tmp_path: Path) -> None:
    text = document(SLOW.replace("+1)", "+3)"))
    path = write(tmp_path, "slow.md", text)
    started = time.perf_counter()
    result = deriv_check("--timeout", "0.2", str(path))
    assert time.perf_counter() - started < 30.0  # a hang guard
    assert result.exit_code == 2
    out = everything(result)
    assert str(path) in out
    assert "timeout" in out and "line 10" in out
    assert "proved" in out and "line 12" in out


# -- directives -----------------------------------------------------------------------

def test_expect_fail_on_a_correct_step_is_an_unexpected_pass(tmp_path: Path) -> None:
    text = document("<!-- deriv: expect-fail -->\n" + GOOD)
    result = check(text)
    assert [s.verdict for s in at(result, line_of(text, GOOD))] == [Verdict.UNEXPECTED_PASS]
    assert_good_proved(result, text)
    cli = deriv_check(str(write(tmp_path, "d.md", text)))
    assert cli.exit_code == 1
    assert "unexpected-pass" in cli.output


def test_expect_fail_on_a_wrong_step_is_an_expected_fail(tmp_path: Path) -> None:
    text = document("<!-- deriv: expect-fail -->\n" + WRONG)
    result = check(text)
    assert [s.verdict for s in at(result, line_of(text, WRONG))] == [Verdict.EXPECTED_FAIL]
    assert_good_proved(result, text)
    cli = deriv_check(str(write(tmp_path, "d.md", text)))
    assert cli.exit_code == 0
    assert "expected-fail" in cli.output


def test_expect_fail_does_not_turn_an_undecided_claim_into_a_pass() -> None:
    display = r"$$ \log(x) \geq \log(x) - 1 $$"  # both sides undefined at a random point: undecided
    text = document("<!-- deriv: expect-fail -->\n" + display)
    result = check(text)
    steps = at(result, line_of(text, display))
    assert steps and not any(s.verdict in PASSING for s in steps), steps
    assert_good_proved(result, text)


def test_skip_reports_its_reason() -> None:
    display = r"$$ X_{i,j} = X_{j,i} $$"
    text = document("<!-- deriv: skip notation only -->\n" + display)
    result = check(text)
    steps = at(result, line_of(text, display))
    assert [s.verdict for s in steps] == [Verdict.SKIPPED]
    assert "notation only" in steps[0].message
    assert_good_proved(result, text)


def test_continue_with_no_such_label_is_an_error(tmp_path: Path) -> None:
    display = r"$$ = X_{i,j} $$"
    text = document("<!-- deriv: continue 3 -->\n" + display)
    result = check(text)
    assert_error_at(result, line_of(text, display), "3")
    assert_good_proved(result, text)
    cli = deriv_check(str(write(tmp_path, "d.md", text)))
    assert cli.exit_code == 2


def test_continue_to_a_label_defined_later_is_an_error() -> None:
    display = r"$$ = x $$"
    text = document("<!-- deriv: continue 3 -->\n" + display, r"$$ x = x \tag{3} $$")
    result = check(text)
    assert_error_at(result, line_of(text, display), "3")
    assert_good_proved(result, text)


@pytest.mark.parametrize(
    ("directive", "words"),
    [
        ("<!-- deriv: frobnicate -->", ["frobnicate"]),
        ("<!-- deriv: continue -->", ["continue"]),
        ("<!-- deriv: continue 1 2 -->", ["continue"]),
    ],
    ids=["unknown", "continue-without-label", "continue-two-labels"],
)
def test_bad_directive_is_an_error_at_its_line(tmp_path: Path, directive: str, words: list[str]) -> None:
    text = document(directive + "\n" + r"$$ x + x = 2 x $$")
    line = line_of(text, directive)
    result = check(text)
    assert_error_at(result, line, *words)
    assert_good_proved(result, text)
    cli = deriv_check(str(write(tmp_path, "d.md", text)))
    assert cli.exit_code == 2
    assert f"line {line}" in cli.output


def test_directive_with_no_display_after_it(tmp_path: Path) -> None:
    text = document() + "\n<!-- deriv: expect-fail -->\n"
    result = check(text)
    assert_error_at(result, line_of(text, "<!-- deriv"))
    assert_good_proved(result, text)


def test_two_directives_before_one_display() -> None:
    display = r"$$ x = 2 x $$"
    text = document("<!-- deriv: skip a -->\n<!-- deriv: expect-fail -->\n" + display)
    result = check(text)
    assert_error_at(result, line_of(text, "<!-- deriv: expect-fail"))
    assert_good_proved(result, text)


def test_unclosed_display_and_comment() -> None:
    text = document(r"$$ x = x", "<!-- never closed", good=False)
    text = text.replace("<!-- never closed", GOOD + "\n\n<!-- never closed")
    result = check(text)
    assert_error_at(result, line_of(text, "$$ x = x"), "unclosed")
    assert_error_at(result, line_of(text, "<!--"), "never closed")
    assert_good_proved(result, text)


# -- folders, claims, JSON ----------------------------------------------------------------

def test_a_readme_without_front_matter_is_not_collected(tmp_path: Path) -> None:
    write(tmp_path, "notes/README.md", "# Notes\n\nWrong on purpose: $$ x = y $$\n")
    derivation = write(tmp_path, "notes/derivation.md", document())
    result = deriv_check(str(tmp_path / "notes"))
    assert result.exit_code == 0, result.output
    assert str(derivation) in result.output
    # not checked, but named: it has display math, so it may be a derivation nobody checked
    assert "README" not in result.output.split("not checked:")[0]
    assert "README.md (display math but no deriv front matter)" in result.output


@pytest.mark.parametrize(
    ("display", "verdict"),
    [(r"$$ x^2 < -1 $$", Verdict.REFUTED), (r"$$ x^2 + 1 > 0 $$", Verdict.PROVED), (r"$$ x \leq x $$", Verdict.PROVED),
     (r"$$ x^2 \geq 0 $$", Verdict.PROVED), (r"$$ x \neq x $$", Verdict.REFUTED), (r"$$ x + x = 2 x < 2 x $$", Verdict.REFUTED),
     (r"$$ \exp(x) > x $$", Verdict.TESTED), (r"$$ x^2 > 0 $$", Verdict.REFUTED)],
)
def test_claims_are_proved_by_signs_tested_or_refuted(tmp_path: Path, display: str, verdict: Verdict) -> None:
    text = document(display)
    result = check(text)
    claims = [s for s in at(result, line_of(text, display)) if s.relation != "="]
    assert claims and all(s.verdict is verdict for s in claims), result.steps
    assert_good_proved(result, text)
    cli = deriv_check(str(write(tmp_path, "d.md", text)))
    assert cli.exit_code == (1 if verdict is Verdict.REFUTED else 0)


def test_json_for_a_step_error(tmp_path: Path) -> None:
    display = r"$$ X_{i,j} = \foo{X_{i,j}} $$"
    text = document(display)
    path = write(tmp_path, "d.md", text)
    result = deriv_check("--format", "json", str(path))
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert set(data["summary"]) == SPEC_SUMMARY_KEYS
    (file,) = data["files"]
    assert SPEC_FILE_KEYS <= set(file) and file["path"] == str(path) and file["error"] is None
    assert all(set(step) >= SPEC_STEP_KEYS for step in file["steps"])
    errors = [s for s in file["steps"] if s["verdict"] == "error"]
    assert errors and errors[0]["line"] == line_of(text, display) and r"\foo" in errors[0]["message"]
    assert [s["verdict"] for s in file["steps"] if s["line"] == line_of(text, GOOD)] == ["proved"]
    assert data["summary"]["error"] == len(errors) and data["summary"]["proved"] == 1


def test_json_for_a_file_error(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.md", "---\nsymbols:\n  X: matrix S x M\n  W: tensor N x M\n---\n\n" + GOOD + "\n")
    junk = write(tmp_path, "junk.md", b"\x00\x01binary")
    result = deriv_check("--format", "json", str(bad), str(junk))
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert set(data["summary"]) == SPEC_SUMMARY_KEYS
    assert [f["path"] for f in data["files"]] == [str(bad), str(junk)]
    for file in data["files"]:
        assert SPEC_FILE_KEYS <= set(file)
        assert file["error"] and file["steps"] == []


def test_json_file_error_carries_its_line(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.md", "---\nsymbols:\n  X: matrix S x M\n  W: tensor N x M\n---\n\n" + GOOD + "\n")
    data = json.loads(deriv_check("--format", "json", str(bad)).stdout)
    (file,) = data["files"]
    assert file.get("error_line") == 4 or "line 4" in file["error"]


# -- reading is linear in the text (docs/safety.md) ----------------------------------
#: Constructs where a regular expression once backtracked quadratically on a long run
#: (a 16 KB ``$$\tag{`` + spaces + ``{$$`` took the whole 60 s budget).  At 10^5
#: characters a quadratic reader would take minutes; ``benchmarks/bench_reading.py``
#: measures the time per kilobyte on a wider grid of constructs and fillers.
LONG_RUNS = [
    "$$\\tag{{{f}{{$$\n",
    "$$ x {f} y \\succ 0 $$\n",
    "$$ x \\succ 0 {f} x $$\n",
    "$$ \\nabla f = 0 {f} \\implies \\text{{local minimum}} $$\n",
    "$$ H \\succ 0 \\implies \\lambda{f}(H) > 0 $$\n",
    "$$ H{f}\\succ 0 \\implies \\lambda(H) > 0 $$\n",
    "$$ x^2 > 0 \\quad \\forall x{f} y $$\n",
    "# a{f}b\n\n$$ x = x $$\n",
    "<!-- deriv: assume x > 0 \\quad \\forall {f} y -->\n$$ x = x $$\n",
]


@pytest.mark.parametrize("fill", [" ", "\t", "{"])
@pytest.mark.parametrize("shape", LONG_RUNS)
def test_long_runs_are_read_in_linear_time(shape: str, fill: str) -> None:
    text = HEAD + shape.format(f=fill * 100_000)
    result = check_text(text, "long.md", CheckOptions(isolate=False, decide=False))
    assert result.error is not None or result.steps  # read to the end: a result, not a hang


def test_a_long_front_matter_key_is_read_in_linear_time(tmp_path: Path) -> None:
    from deriv.read.selection import select

    path = tmp_path / "key.md"
    path.write_text("---\nsymbols:\n  x: scalar\na" + " " * 100_000 + "b: 1\n---\n$$ x = x $$\n")
    assert select(path) is None
    assert check_text(path.read_text(), "key.md", CheckOptions(isolate=False, decide=False)).error


@pytest.mark.parametrize("display", [r"$$ x = x \qquad \text{since $$", r"$$ x = x \text{ $$", r"$$ x = x \begin{ $$"])
def test_an_unclosed_brace_after_a_result_is_an_error_at_its_line(display: str) -> None:
    # The search for several results read the raw display before its braces were checked: an
    # 'internal error' on line 0, and every display after it left unchecked (benchmarks/fuzz.py).
    text = document(display)
    result = check(text, isolate=False)
    assert_error_at(result, line_of(text, display), "unclosed '{' (unbalanced braces)")
    assert_good_proved(result, text)


def test_a_bug_on_one_display_leaves_the_displays_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import deriv.check.chains as chains

    real = chains.results_of

    def broken(display, parse):  # type: ignore[no-untyped-def]
        if "y" in display.text:
            raise KeyError("a bug")
        return real(display, parse)

    monkeypatch.setattr(chains, "results_of", broken)
    bad = r"$$ y = y $$"
    text = document(bad)
    result = check(text, isolate=False)
    assert_error_at(result, line_of(text, bad), "internal error: KeyError: 'a bug'")
    assert_good_proved(result, text)

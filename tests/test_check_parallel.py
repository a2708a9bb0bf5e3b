"""Check, several documents at once (``--jobs N``, ``pytest -n N``): largest first, results in the
order found, identical to one job, one document's hang or crash costing only its own budget."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

import deriv.check.chains  # noqa: F401 - loaded here, so forked workers inherit it
from deriv.check.checker import check_paths
from deriv.check.options import CheckOptions
from deriv.check.parallel import largest_first
from deriv.results import RunResult, Verdict
from helpers import misbehaving_decider

HEAD = "---\ntitle: t\nsymbols:\n  x: scalar\n---\n\n"


def _write(folder: Path, texts: dict[str, str]) -> None:
    for name, body in texts.items():
        (folder / name).write_text(HEAD + body, encoding="utf-8")


def _timeless(run: RunResult) -> RunResult:
    """The run with each step's time left out (the only part that may differ)."""
    return replace(run, files=tuple(replace(f, steps=tuple(replace(s, seconds=0.0) for s in f.steps)) for f in run.files))


def test_largest_first_orders_by_size_and_keeps_ties_and_missing_files_in_order(tmp_path: Path) -> None:
    sizes = {"a.md": 10, "b.md": 300, "c.md": 10, "d.md": 300, "e.md": 50}
    for name, size in sizes.items():
        (tmp_path / name).write_text("x" * size, encoding="utf-8")
    documents = [str(tmp_path / name) for name in [*sizes, "gone.md"]]
    assert largest_first(documents) == [1, 3, 4, 0, 2, 5]


def test_several_jobs_give_the_results_of_one_job_in_the_order_found(tmp_path: Path) -> None:
    # Sizes out of order, so the largest-first hand-out differs from the order found.
    _write(tmp_path, {
        "a.md": "$$ x = x $$\n",
        "b.md": "".join(f"$$ x + {i} = {i} + x $$\n\n" for i in range(6)),
        "c.md": "$$ 2 x = x + 1 $$\n",
        "d.md": "$$ x^2 - 1 = (x - 1)(x + 1) $$\n\n$$ x = x x $$\n",
        "e.md": "$$ x + $$\n",
    })
    (tmp_path / "f.md").write_text("---\nsymbols: [\n---\n$$ x = x $$\n", encoding="utf-8")
    told: list[tuple[int, int, str]] = []
    one = check_paths([tmp_path], CheckOptions(jobs=1))
    two = check_paths([tmp_path], CheckOptions(jobs=2), on_result=lambda done, total, r: told.append((done, total, r.path)))
    assert [f.path for f in one.files] == [str(tmp_path / n) for n in ("a.md", "b.md", "c.md", "d.md", "e.md", "f.md")]
    assert _timeless(two) == _timeless(one)
    assert sorted(path for _, _, path in told) == [f.path for f in one.files]
    assert [(done, total) for done, total, _ in told] == [(n, 6) for n in range(1, 7)]
    assert [s.verdict for s in one.files[3].steps] == [Verdict.PROVED, Verdict.REFUTED]
    assert one.files[5].error is not None


#: A run of four documents with two jobs where one document's step never returns (it blocks the
#: in-process budget's signal) and another's kills its worker: each costs its own document only.
_HANG_AND_CRASH = misbehaving_decider(hang="7", crash="5") + textwrap.dedent('''
    import os, sys, time
    from deriv.check.checker import check_paths
    from deriv.check.options import CheckOptions
    started = time.monotonic()
    run = check_paths([sys.argv[1]], CheckOptions(jobs=int(sys.argv[2]), timeout=0.5))
    print(round(time.monotonic() - started))
    for file in run.files:
        print(os.path.basename(file.path), [(s.line, s.verdict.value) for s in file.steps])
''')


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_and_a_crashing_document_stall_no_other(jobs: int, tmp_path: Path) -> None:
    _write(tmp_path, {
        "a.md": "$$ x = x $$\n\n$$ x + 1 = 1 + x $$\n",
        "b.md": "$$ x = x $$\n\n$$ 7 x = x + 6 x $$\n\n$$ 2 x = x + x $$\n",
        "c.md": "$$ 5 x = 4 x + x $$\n\n$$ x = 1 x $$\n",
        "d.md": "$$ 3 x = x + 2 x $$\n",
    })
    # A fresh single-threaded interpreter: its workers are forked and inherit the misbehaving decider.
    done = subprocess.run([sys.executable, "-c", _HANG_AND_CRASH, str(tmp_path), str(jobs)],
                          capture_output=True, text=True, timeout=120)
    seconds, *files = done.stdout.splitlines()
    assert int(seconds) < 40, done.stdout  # the hanging step sleeps 60 s: killed well before
    assert files == [
        "a.md [(7, 'proved'), (9, 'proved')]",
        "b.md [(7, 'proved'), (9, 'timeout'), (11, 'proved')]",
        "c.md [(7, 'error'), (9, 'proved')]",
        "d.md [(7, 'proved')]",
    ], done.stdout + done.stderr

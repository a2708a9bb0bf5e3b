"""Documents' results kept between runs (deriv.cache): hits, misses on any change
that could change a verdict, results that depend on the clock never kept, concurrent
writers, corrupt entries ignored, the CLI's and the pytest plugin's use of it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import deriv.cache as cache_module
from deriv.cache import ResultCache
from deriv.check.options import CheckOptions
from deriv.cli import main
from deriv.results import Verdict

DOCUMENT = """---
symbols:
  A: matrix N x N
  B: matrix N x N
---

$$ (A B)^T = B^T A^T $$

$$ A B = B A $$
"""


class Counting(ResultCache):
    """A cache that counts how often it had to check."""

    checked = 0

    def check_file(self, path, options):
        before = self.get(self.key(path, options) or "")
        if before is None:
            type(self).checked += 1
        return super().check_file(path, options)


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "d.md"
    path.write_text(DOCUMENT)
    return path


def test_a_second_check_of_an_unchanged_document_is_a_hit_with_the_same_result(document, tmp_path) -> None:
    cache = ResultCache(tmp_path / "c")
    first = cache.check_file(str(document), CheckOptions())
    key = cache.key(str(document), CheckOptions())
    assert key is not None and cache.get(key) is not None
    again = cache.check_file(str(document), CheckOptions())
    assert again == first and [s.verdict for s in again.steps] == [Verdict.PROVED, Verdict.REFUTED]
    assert again.steps[1].counterexample == first.steps[1].counterexample  # every field survives


def test_an_unsharded_cache_keeps_its_entries_in_one_folder_with_the_same_results(document, tmp_path) -> None:
    """The layout of the run's shared plans under xdist (one folder, removed quickly after the run)."""
    sharded, flat = ResultCache(tmp_path / "s"), ResultCache(tmp_path / "f", shards=False)
    first = sharded.check_file(str(document), CheckOptions())
    key = flat.key(str(document), CheckOptions())
    assert key is not None and flat.get(key) is None
    flat.put(key, first)
    assert flat.get(key) == sharded.get(key) == replace(first, path="")
    assert flat.check_file(str(document), CheckOptions()) == first  # a hit
    assert [p.name for p in flat.folder.iterdir()] == [f"{key}.json"]
    assert [p.name for p in sharded.folder.iterdir()] == [key[:2]]


@pytest.mark.parametrize("change", ["text", "seed", "timeout", "plan", "suggest", "version", "path"])
def test_any_change_that_could_change_a_verdict_is_a_miss(change, document, tmp_path, monkeypatch) -> None:
    cache = ResultCache(tmp_path / "c")
    options = CheckOptions()
    key = cache.key(str(document), options)
    path = str(document)
    if change == "text":
        document.write_text(DOCUMENT.replace("B^T A^T", "A^T B^T"))
    elif change == "path":
        (tmp_path / "e.md").write_text(DOCUMENT)
        path = str(tmp_path / "e.md")
    elif change == "version":
        cache_module._fingerprint.cache_clear()
        monkeypatch.setattr(cache_module, "_fingerprint", lambda: "another deriv")
    else:
        options = {"seed": CheckOptions(seed=1), "timeout": CheckOptions(timeout=3.0),
                   "plan": CheckOptions(decide=False), "suggest": CheckOptions(suggest=False)}[change]
    assert cache.key(path, options) != key


def test_where_a_document_is_checked_does_not_change_its_key(document, tmp_path) -> None:
    cache = ResultCache(tmp_path / "c")
    assert cache.key(str(document), CheckOptions()) == cache.key(str(document), CheckOptions(jobs=4, isolate=False))


def test_a_corrupt_or_foreign_entry_is_a_miss(document, tmp_path) -> None:
    cache = ResultCache(tmp_path / "c")
    key = cache.key(str(document), CheckOptions())
    assert key is not None
    entry = cache.folder / key[:2] / f"{key}.json"
    entry.parent.mkdir(parents=True)
    for junk in ["{not json", "[]", '{"title": null}', json.dumps({"title": None, "error": None, "error_line": None,
                                                                  "steps": [{"verdict": "proved"}]})]:
        entry.write_text(junk)
        assert cache.get(key) is None
    result = cache.check_file(str(document), CheckOptions())
    assert [s.verdict for s in result.steps] == [Verdict.PROVED, Verdict.REFUTED]
    assert cache.get(key) == result.__class__(**{**result.__dict__, "path": ""})


def test_results_that_depend_on_the_clock_are_never_kept(tmp_path) -> None:
    path = tmp_path / "slow.md"
    path.write_text("---\nsymbols:\n  x: scalar\n---\n\n$$ " + " + ".join(["x"] * 3000) + " = 3000 x $$\n")
    cache = ResultCache(tmp_path / "c")
    options = CheckOptions(timeout=0.05)
    result = cache.check_file(str(path), options)
    assert "ran out of time" in result.steps[0].message or result.steps[0].verdict is Verdict.TIMEOUT
    assert cache.get(cache.key(str(path), options) or "") is None


def test_an_unreadable_document_is_never_kept(tmp_path) -> None:
    cache = ResultCache(tmp_path / "c")
    result = cache.check_file(str(tmp_path / "missing.md"), CheckOptions())
    assert result.error and not (tmp_path / "c").exists()


def test_concurrent_writers_leave_whole_entries(document, tmp_path) -> None:
    cache = ResultCache(tmp_path / "c")
    result = cache.check_file(str(document), CheckOptions())
    key = cache.key(str(document), CheckOptions()) or ""
    threads = [threading.Thread(target=lambda: [cache.put(key, result) for _ in range(50)]) for _ in range(4)]
    readers = [threading.Thread(target=lambda: [cache.get(key) for _ in range(50)]) for _ in range(2)]
    for thread in threads + readers:
        thread.start()
    for thread in threads + readers:
        thread.join()
    assert cache.get(key) is not None
    assert [p.name for p in (cache.folder / key[:2]).iterdir()] == [f"{key}.json"]  # no temporary left


def test_the_cli_keeps_results_and_no_cache_checks_again(document, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DERIV_CACHE_DIR", str(tmp_path / "c"))
    Counting.checked = 0
    monkeypatch.setattr(cache_module, "ResultCache", Counting)
    runner = CliRunner()
    outputs = [runner.invoke(main, ["check", str(document), *extra]) for extra in ([], [], ["--no-cache"])]
    assert [o.exit_code for o in outputs] == [1, 1, 1]
    assert outputs[0].output.split(" in ")[0] == outputs[1].output.split(" in ")[0]
    assert Counting.checked == 1  # the second run was a hit; --no-cache never asked the cache


def test_a_hit_imports_neither_sympy_nor_the_checker(document, tmp_path) -> None:
    env = {"DERIV_CACHE_DIR": str(tmp_path / "c"), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "deriv", "check", "-q", str(document)]
    cold = subprocess.run(command, capture_output=True, text=True, env=env)
    warm = subprocess.run(command, capture_output=True, text=True, env=env)
    assert cold.returncode == warm.returncode == 1
    assert warm.stdout.split(" in ")[0] == cold.stdout.split(" in ")[0]
    probe = ("import sys; from deriv.cache import ResultCache; from deriv.check.options import CheckOptions\n"
             f"ResultCache().check_file({str(document)!r}, CheckOptions()); print('sympy' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert found.stdout.strip() == "False", found.stderr


def test_the_pytest_plugin_keeps_results_between_runs(pytester: pytest.Pytester, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DERIV_CACHE_DIR", str(tmp_path / "c"))
    pytester.makefile(".md", d=DOCUMENT)
    first = pytester.runpytest_subprocess("d.md")
    entries = list((tmp_path / "c").rglob("*.json"))
    second = pytester.runpytest_subprocess("d.md")
    first.assert_outcomes(passed=1, failed=1)
    second.assert_outcomes(passed=1, failed=1)
    assert len(entries) == 2  # the plan and the full check
    assert sorted(map(str, (tmp_path / "c").rglob("*.json"))) == sorted(map(str, entries))
    pytester.runpytest_subprocess("--deriv-no-cache", "d.md").assert_outcomes(
        passed=1, failed=1)


def test_a_latex_sources_input_files_are_part_of_its_key(tmp_path) -> None:
    main = tmp_path / "paper.tex"
    main.write_text("% deriv:\n%   symbols:\n%     x: scalar\n\\input{part}\n")
    part = tmp_path / "part.tex"
    part.write_text("\\[ x + x = 2 x \\]\n")
    cache = ResultCache(tmp_path / "c")
    first = cache.check_file(str(main), CheckOptions())
    assert [s.verdict for s in first.steps] == [Verdict.PROVED]
    part.write_text("\\[ x + x = 3 x \\]\n")
    again = cache.check_file(str(main), CheckOptions())
    assert [s.verdict for s in again.steps] == [Verdict.REFUTED]


def test_a_notebooks_cells_survive_the_cache(tmp_path) -> None:
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["---\n", "symbols:\n", "  x: scalar\n",
                                                                                "---\n"]},
                          {"cell_type": "markdown", "metadata": {}, "source": ["$$ x + x = 2 x $$\n"]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(notebook))
    cache = ResultCache(tmp_path / "c")
    first = cache.check_file(str(path), CheckOptions())
    again = cache.check_file(str(path), CheckOptions())
    assert first.steps[0].cell is not None and again == first

"""Documents' results kept between runs (deriv.cache): hits, misses on any change
that could change a verdict, results that depend on the clock never kept, concurrent
writers, corrupt entries ignored, the CLI's and the pytest plugin's use of it."""

from __future__ import annotations

import json
import os
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


@pytest.mark.parametrize("change", ["text", "seed", "timeout", "plan", "suggest", "generated", "version", "path"])
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
                   "plan": CheckOptions(decide=False), "suggest": CheckOptions(suggest=False),
                   "generated": CheckOptions(generated=True)}[change]
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


LATEX_MAIN = "% deriv:\n%   symbols:\n%     x: scalar\n\\input{NAME}\n"


@pytest.mark.parametrize("name, file", [("defs.txt", "defs.txt"), ("defs", "defs"), ("sub/steps", "sub/steps.tex")])
def test_any_file_an_input_reads_is_part_of_the_key(name, file, tmp_path) -> None:
    """``\\input{defs.txt}`` reads a file that is no ``.tex``: a change in it must miss, never
    replay the verdict of the text before (a stale 'proved' is a false accept)."""
    main = tmp_path / "paper.tex"
    main.write_text(LATEX_MAIN.replace("NAME", name))
    part = tmp_path / file
    part.parent.mkdir(exist_ok=True)
    part.write_text("\\[ x \\cdot 1 = x \\]\n")
    cache = ResultCache(tmp_path / "c")
    assert [s.verdict for s in cache.check_file(str(main), CheckOptions()).steps] == [Verdict.PROVED]
    part.write_text("\\[ x \\cdot 1 = 2 x \\]\n")
    assert [s.verdict for s in cache.check_file(str(main), CheckOptions()).steps] == [Verdict.REFUTED]


def test_an_input_file_that_appears_later_is_a_miss(tmp_path) -> None:
    main = tmp_path / "paper.tex"
    main.write_text(LATEX_MAIN.replace("NAME", "later"))
    cache = ResultCache(tmp_path / "c")
    assert "no file later.tex" in str(cache.check_file(str(main), CheckOptions()))
    (tmp_path / "later").write_text("\\[ x + x = 3 x \\]\n")  # \input{later} reads 'later' when there is no later.tex
    assert [s.verdict for s in cache.check_file(str(main), CheckOptions()).steps] == [Verdict.REFUTED]


def _entry_of(cache: ResultCache, key: str) -> Path:
    return cache.folder / key[:2] / f"{key}.json"


def test_an_entry_nested_too_deep_or_of_the_wrong_types_is_a_miss(document, tmp_path) -> None:
    cache = ResultCache(tmp_path / "c")
    result = cache.check_file(str(document), CheckOptions())
    key = cache.key(str(document), CheckOptions()) or ""
    entry = _entry_of(cache, key)
    good = json.loads(entry.read_text())
    for junk in ["[" * 100_000 + "]" * 100_000, json.dumps({**good, "error_line": "2"}),
                 json.dumps({**good, "steps": [{**good["steps"][0], "line": "7"}]}),
                 json.dumps({**good, "steps": [{**good["steps"][0], "lhs": ["A"]}]}),
                 json.dumps({**good, "steps": [{**good["steps"][0], "line": True}]}),
                 json.dumps({**good, "steps": [{**good["steps"][1], "counterexample": {
                     **good["steps"][1]["counterexample"], "sizes": [["N", "2"]]}}]})]:
        entry.write_text(junk)
        assert cache.get(key) is None
    entry.write_text(json.dumps(good))
    assert cache.get(key) == result.__class__(**{**result.__dict__, "path": ""})


def test_an_entry_moved_from_another_key_is_a_miss(tmp_path) -> None:
    """Entries say which key they answer: one renamed over another document's key (by anyone who
    may write the folder) does not pass that document."""
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(DOCUMENT.split("$$ A B")[0])
    bad.write_text(DOCUMENT)
    cache = ResultCache(tmp_path / "c")
    assert [s.verdict for s in cache.check_file(str(good), CheckOptions()).steps] == [Verdict.PROVED]
    good_key, bad_key = cache.key(str(good), CheckOptions()) or "", cache.key(str(bad), CheckOptions()) or ""
    _entry_of(cache, bad_key).parent.mkdir(mode=0o700, exist_ok=True)
    _entry_of(cache, good_key).rename(_entry_of(cache, bad_key))
    assert cache.get(bad_key) is None
    assert [s.verdict for s in cache.check_file(str(bad), CheckOptions()).steps] == [Verdict.PROVED, Verdict.REFUTED]


def test_an_entry_others_may_write_or_a_link_is_a_miss(document, tmp_path) -> None:
    cache = ResultCache(tmp_path / "c")
    cache.check_file(str(document), CheckOptions())
    key = cache.key(str(document), CheckOptions()) or ""
    entry = _entry_of(cache, key)
    assert entry.stat().st_mode & 0o777 == 0o600 and cache.folder.stat().st_mode & 0o077 == 0
    assert entry.parent.stat().st_mode & 0o077 == 0
    for mode in (0o664, 0o644, 0o640):  # 0644: as git checks out an entry a repository carries
        entry.chmod(mode)
        assert cache.get(key) is None
    entry.chmod(0o600)
    elsewhere = tmp_path / "planted.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert cache.get(key) is None
    entry.unlink()
    elsewhere.rename(entry)
    assert cache.get(key) is not None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_an_entry_another_user_owns_is_a_miss(document, tmp_path) -> None:
    cache = ResultCache(tmp_path / "c")
    cache.check_file(str(document), CheckOptions())
    key = cache.key(str(document), CheckOptions()) or ""
    os.chown(_entry_of(cache, key), 54321, 54321)
    assert cache.get(key) is None


@pytest.mark.parametrize("library", ["deriv", "markdown-it-py", "mdit-py-plugins", "PyYAML", "gmpy2", "sympy"])
def test_a_new_version_of_a_library_that_reads_or_decides_is_a_miss(library, monkeypatch) -> None:
    """A Markdown reader that finds other displays changes verdicts as much as a new SymPy."""
    import importlib.metadata

    before = cache_module._fingerprint()
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99" if name == library else real(name))
    cache_module._fingerprint.cache_clear()
    try:
        assert cache_module._fingerprint() != before
    finally:
        cache_module._fingerprint.cache_clear()


def test_sympys_ground_types_are_part_of_the_key(monkeypatch) -> None:
    before = cache_module._fingerprint()
    monkeypatch.setenv("SYMPY_GROUND_TYPES", os.environ.get("SYMPY_GROUND_TYPES", "") + "flint")
    cache_module._fingerprint.cache_clear()
    try:
        assert cache_module._fingerprint() != before
    finally:
        cache_module._fingerprint.cache_clear()


@pytest.mark.parametrize("kind", ["fifo", "device", "large"])
def test_a_document_that_is_no_regular_file_or_too_large_is_refused_not_read(kind, tmp_path) -> None:
    """The key read the document whole: a FIFO blocked forever, a link to /dev/zero read without end."""
    path = tmp_path / "d.md"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    cache = ResultCache(tmp_path / "c")
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(cache.check_file(str(path), CheckOptions())), daemon=True)
    worker.start()
    worker.join(30)
    assert done, "the cache blocked on the document"
    assert "regular file" in (done[0].error or "") or "too large" in (done[0].error or "")


def test_the_same_text_in_another_format_is_another_key(document, tmp_path) -> None:
    """Quarto hides divs, a notebook is JSON, LaTeX has comments: one text, four readings (held)."""
    cache = ResultCache(tmp_path / "c")
    keys = set()
    for suffix in (".md", ".qmd", ".ipynb", ".tex", ".MD"):
        path = tmp_path / f"same{suffix}"
        path.write_text(DOCUMENT)
        keys.add(cache.key(str(path), CheckOptions()))
    assert len(keys) == 5 and None not in keys

"""The result cache never changes a verdict: a document checked with a warm cache gets what a
cold check gets, whatever else than the step's text changed (definitions, prose values,
assumptions, declarations, directives, the seed), and an entry that is cut short, garbage or
no folder to keep it in is a miss or a check without the cache, never a trusted result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv
import deriv.engine.decide as decide_module
import deriv.engine.meeting_points as meeting_points
from deriv.cache import ResultCache
from deriv.check.checker import check_file
from deriv.check.clock_notes import NOTE
from deriv.check.options import CheckOptions
from deriv.results import Verdict

#: Documents whose steps are written the same and whose verdicts differ by something else.
SAME_STEP = {
    "definition 2x": "---\nsymbols:\n  x: scalar\ndefinitions:\n  - y = 2 x\n---\n\n$$ y = 2 x $$\n",
    "definition 3x": "---\nsymbols:\n  x: scalar\ndefinitions:\n  - y = 3 x\n---\n\n$$ y = 2 x $$\n",
    "prose 2x": "---\nsymbols:\n  x: scalar\n  y: scalar\n---\n\nLet $y = 2x$.\n\n$$ y = 2 x $$\n",
    "prose 3x": "---\nsymbols:\n  x: scalar\n  y: scalar\n---\n\nLet $y = 3x$.\n\n$$ y = 2 x $$\n",
    "assumed positive": "---\nsymbols:\n  x: scalar\n  y: scalar\nassumptions:\n  - x > 0\n---\n\n$$ \\sqrt{x^2} = x $$\n",
    "no assumption": "---\nsymbols:\n  x: scalar\n  y: scalar\n---\n\n$$ \\sqrt{x^2} = x $$\n",
    "declared positive": "---\nsymbols:\n  x: positive scalar\n  y: scalar\n---\n\n$$ \\sqrt{x^2} = x $$\n",
    "prose positive": "---\nsymbols:\n  x: scalar\n  y: scalar\n---\n\nLet $x > 0$.\n\n$$ \\sqrt{x^2} = x $$\n",
    "expect-fail": "---\nsymbols:\n  x: scalar\n  y: scalar\n---\n\n<!-- deriv: expect-fail -->\n$$ \\sqrt{x^2} = x $$\n",
    "shapes N x M": "---\nsymbols:\n  A: matrix N x M\n  B: matrix M x N\n---\n\n$$ (A B)^T = B^T A^T $$\n",
    "shapes M x N": "---\nsymbols:\n  A: matrix N x M\n  B: matrix N x M\n---\n\n$$ (A B)^T = B^T A^T $$\n",
    "symmetric": "---\nsymbols:\n  A: symmetric N x N\n  B: matrix N x M\n---\n\n$$ A^T B = A B $$\n",
    "not symmetric": "---\nsymbols:\n  A: matrix N x N\n  B: matrix N x M\n---\n\n$$ A^T B = A B $$\n",
}
OPTIONS = {"seed 0": CheckOptions(isolate=False, suggest=False),
           "seed 7": CheckOptions(seed=7, isolate=False, suggest=False)}
_COLD: dict[tuple[str, str], tuple] = {}


def verdicts(result) -> tuple:
    return result.error, tuple((s.line, s.verdict, s.message) for s in result.steps)


def cold(name: str, option: str, path: Path) -> tuple:
    """The verdicts of a check without the cache (remembered: a test asks for each one often)."""
    if (name, option) not in _COLD:
        path.write_text(SAME_STEP[name])
        _COLD[name, option] = verdicts(check_file(str(path), OPTIONS[option]))
    return _COLD[name, option]


def test_the_pairs_verdicts_differ() -> None:
    """The harness below would show nothing if the documents' verdicts were all the same."""
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"deriv-cache-trust-{os.getpid()}.md"
    try:
        found = {name: cold(name, "seed 0", path)[1][0][1] for name in SAME_STEP}
    finally:
        path.unlink(missing_ok=True)
    assert found["definition 2x"] is Verdict.PROVED and found["definition 3x"] is Verdict.REFUTED
    assert found["prose 2x"] is found["prose 3x"] is Verdict.UNDECIDED  # each message names its own value
    assert found["no assumption"] is Verdict.REFUTED and found["expect-fail"] is Verdict.EXPECTED_FAIL
    assert found["declared positive"] is found["prose positive"] is Verdict.PROVED
    assert found["assumed positive"] in (Verdict.PROVED, Verdict.TESTED)
    assert found["shapes N x M"] is Verdict.PROVED and found["shapes M x N"] is not Verdict.PROVED
    assert found["symmetric"] is Verdict.PROVED and found["not symmetric"] is Verdict.REFUTED


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.sampled_from(sorted(SAME_STEP)), second=st.sampled_from(sorted(SAME_STEP)),
       options=st.sampled_from([("seed 0", "seed 0"), ("seed 0", "seed 7"), ("seed 7", "seed 0")]))
def test_a_warm_cache_gives_what_a_cold_check_gives(first, second, options, tmp_path) -> None:
    """The same path checked with one document and then another (or the same with another seed):
    the second check, from the cache the first filled, is the cold check of the second."""
    path = tmp_path / f"{first}-{second}.md".replace(" ", "_")
    cache = ResultCache(tmp_path / f"cache-{first}-{second}-{options}")
    path.write_text(SAME_STEP[first])
    assert verdicts(cache.check_file(str(path), OPTIONS[options[0]])) == cold(first, options[0], path)
    path.write_text(SAME_STEP[second])
    assert verdicts(cache.check_file(str(path), OPTIONS[options[1]])) == cold(second, options[1], path)
    path.write_text(SAME_STEP[first])  # back again: the first's entry, not the second's
    assert verdicts(cache.check_file(str(path), OPTIONS[options[0]])) == cold(first, options[0], path)


FALSE_STEP = "---\nsymbols:\n  A: matrix N x N\n  B: matrix N x N\n---\n\n$$ A B = B A $$\n"


@pytest.fixture
def false_step(tmp_path: Path) -> Path:
    path = tmp_path / "false.md"
    path.write_text(FALSE_STEP)
    return path


def refuted(result) -> bool:
    return result.error is None and [s.verdict for s in result.steps] == [Verdict.REFUTED]


def test_an_entry_cut_short_anywhere_is_a_miss(false_step, tmp_path) -> None:
    cache, options = ResultCache(tmp_path / "c"), CheckOptions(isolate=False, suggest=False)
    assert refuted(cache.check_file(str(false_step), options))
    key = cache.key(str(false_step), options)
    assert key is not None
    entry = cache.folder / key[:2] / f"{key}.json"
    whole = entry.read_bytes()
    for end in range(0, len(whole), 7):
        entry.write_bytes(whole[:end])
        assert cache.get(key) is None
    for garbage in [b"\xff\xfe\x00", b"\x00" * 100, b"[" * 100_000, b"{}" , b"null", b'"proved"',
                    whole.replace(b'"refuted"', b'"proven"'), whole.replace(b'"steps": [', b'"steps": [1, ')]:
        entry.write_bytes(garbage)
        assert cache.get(key) is None, garbage[:40]
        assert refuted(cache.check_file(str(false_step), options))  # checked again, and kept again
        assert cache.get(key) is not None


def test_an_entry_made_to_say_proved_is_trusted_only_when_this_user_wrote_it_privately(false_step, tmp_path) -> None:
    """An entry is this user's own record: one that others may read or write (a folder a repository
    carries, checked out 0644) is a miss; one this user wrote 0600 is trusted, as the user's own
    installation of deriv is (docs/cli.md, The result cache)."""
    cache, options = ResultCache(tmp_path / "c"), CheckOptions(isolate=False, suggest=False)
    assert refuted(cache.check_file(str(false_step), options))
    key = cache.key(str(false_step), options)
    assert key is not None
    entry = cache.folder / key[:2] / f"{key}.json"
    data = json.loads(entry.read_text())
    data["steps"][0].update(verdict="proved", counterexample=None, message="")
    for mode in (0o644, 0o640, 0o606, 0o660):
        entry.write_text(json.dumps(data))
        entry.chmod(mode)
        assert cache.get(key) is None
        assert refuted(cache.check_file(str(false_step), options))


def test_a_cache_folder_that_is_a_file_or_can_not_be_written_checks_without_it(false_step, tmp_path) -> None:
    options = CheckOptions(isolate=False, suggest=False)
    plain = tmp_path / "a-file"
    plain.write_text("not a folder")
    for cache in (ResultCache(plain), ResultCache(plain, shards=False)):
        assert refuted(cache.check_file(str(false_step), options))
        assert refuted(cache.check_file(str(false_step), options))
    assert plain.read_text() == "not a folder"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return  # root writes into any folder
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        cache = ResultCache(locked)
        assert refuted(cache.check_file(str(false_step), options))
        assert refuted(cache.check_file(str(false_step), options))
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_read_only_file_system_checks_without_the_cache(false_step, tmp_path, monkeypatch) -> None:
    """As a read-only folder does for a user who is not root (root writes anywhere)."""
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    cache, options = ResultCache(tmp_path / "c"), CheckOptions(isolate=False, suggest=False)
    assert refuted(cache.check_file(str(false_step), options))
    assert cache.get(cache.key(str(false_step), options) or "") is None
    assert refuted(cache.check_file(str(false_step), options))


def test_a_step_whose_proof_ran_out_of_its_part_budget_is_not_kept(tmp_path, monkeypatch) -> None:
    """A step tested because the symbolic engine ran out of its own few seconds (a loaded machine)
    would stay tested in every later run that the cache answers, where a check proves it."""
    monkeypatch.setattr(decide_module, "SYMBOLIC_SECONDS", 1e-6)
    path = tmp_path / "d.md"
    path.write_text("---\nsymbols:\n  A: matrix N x N\n  B: matrix N x N\n---\n\n$$ (A B)^T = B^T A^T $$\n")
    cache, options = ResultCache(tmp_path / "c"), CheckOptions(isolate=False, suggest=False)
    result = cache.check_file(str(path), options)
    assert [s.verdict for s in result.steps] == [Verdict.TESTED]
    assert "ran out of its" in result.steps[0].message
    assert cache.get(cache.key(str(path), options) or "") is None


def test_a_step_tested_while_the_meeting_points_search_ran_out_says_so_and_is_not_kept(tmp_path, monkeypatch) -> None:
    """The search for the points where two sides meet stops silently after its few seconds; on a
    loaded machine a step it would refute is tested -- the message says so, and the cache keeps
    no such result (deriv/check/clock_notes.py)."""
    path = tmp_path / "d.md"
    path.write_text(SAME_STEP["assumed positive"])
    cache, options = ResultCache(tmp_path / "c"), CheckOptions(isolate=False, suggest=False)
    unhurried = cache.check_file(str(path), options)
    assert [s.verdict for s in unhurried.steps] == [Verdict.TESTED]
    assert "ran out" not in unhurried.steps[0].message
    assert cache.get(cache.key(str(path), options) or "") is not None
    monkeypatch.setattr(meeting_points, "MEETING_SECONDS", 1e-7)
    hurried_options = CheckOptions(seed=1, isolate=False, suggest=False)
    hurried = cache.check_file(str(path), hurried_options)
    assert [s.verdict for s in hurried.steps] == [Verdict.TESTED]
    assert hurried.steps[0].message.endswith(f"({NOTE})")
    assert cache.get(cache.key(str(path), hurried_options) or "") is None


WRITER = """
import sys
from deriv.cache import ResultCache
from deriv.check.options import CheckOptions
cache, options = ResultCache(), CheckOptions(isolate=False, suggest=False)
key = cache.key(sys.argv[1], options)
result = cache.check_file(sys.argv[1], options)
for _ in range(200):
    cache.put(key, result)
    found = cache.get(key)
    assert found is not None and [s.verdict.value for s in found.steps] == ["refuted"], found
print("ok")
"""


def test_processes_writing_one_key_at_once_leave_a_whole_entry(false_step, tmp_path) -> None:
    """Several processes (xdist workers, runs side by side) put and get the same entry at once:
    every read is the whole entry, and the entry left is one a check reads."""
    env = {**os.environ, "DERIV_CACHE_DIR": str(tmp_path / "shared")}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(false_step)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [writer.communicate(timeout=300) for writer in writers]
    assert [out for out, _ in outputs] == ["ok\n"] * 3, [err[-500:] for _, err in outputs]
    cache, options = ResultCache(tmp_path / "shared"), CheckOptions(isolate=False, suggest=False)
    key = cache.key(str(false_step), options)
    assert key is not None and cache.get(key) is not None
    assert [p.name for p in (cache.folder / key[:2]).iterdir()] == [f"{key}.json"]  # no temporary file left
    assert refuted(cache.check_file(str(false_step), options))


def test_items_that_share_a_text_get_what_each_gets_alone() -> None:
    """check_many: one worker checks items one after another; an item's own declarations, not the
    one before's, decide it (its verdict is the verdict it gets alone)."""
    root = r"$$ \sqrt{x^2} = x $$"
    items = [{"id": 0, "text": root, "symbols": {"x": "positive scalar"}},
             {"id": 1, "text": root, "symbols": {"x": "scalar"}},
             {"id": 2, "text": "$$ y = 2 x $$", "symbols": {"x": "scalar"}, "definitions": ["y = 2 x"]},
             {"id": 3, "text": "$$ y = 2 x $$", "symbols": {"x": "scalar"}, "definitions": ["y = 3 x"]},
             {"id": 4, "text": root}]
    together = [(r.error, [s.verdict for s in r.steps]) for r in deriv.check_many(items, jobs=1, symbols={"x": "scalar"})]
    assert together == [(None, [Verdict.PROVED]), (None, [Verdict.REFUTED]), (None, [Verdict.PROVED]),
                        (None, [Verdict.REFUTED]), (None, [Verdict.REFUTED])]
    for item, found in zip(items, together):
        [alone] = deriv.check_many([item], jobs=1, symbols={"x": "scalar"})
        assert (alone.error, [s.verdict for s in alone.steps]) == found

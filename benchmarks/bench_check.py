"""Measure what ``deriv check`` costs next to a bare ``import sympy``.

The acceptance criterion this serves: checking the W derivation
(``derivations/linear_layer_weights.md``) costs at most 2x a bare
``python -c "import sympy"`` on the (2-core) development machine, measured
side by side.  This is a measurement, not a test: it exits 0 whatever it
finds unless ``--enforce`` is given.

Method
------
* Every measured run is a fresh subprocess started with this interpreter
  (``sys.executable``), from the repository root, with stdout and stderr
  captured; its wall time is taken with ``time.perf_counter`` around
  ``subprocess.run``, so interpreter start-up, imports, the check itself and
  exit are all counted, exactly as a user would pay for them.
* The baseline is ``python -c "import sympy"``.  Each candidate is
  ``python -m deriv check <path>``: one per ``--doc`` (gated by
  ``--max-ratio``) and one per ``--extra-candidates`` path (reported for
  context, not gated).  A candidate exiting non-zero aborts the benchmark:
  timing a broken check would be meaningless.
* Each command runs once first, uncounted, so the OS file cache, the
  ``__pycache__`` byte code are warm for every counted run (the parse
  table ships in the package; nothing is cached at run time).
* Every subprocess runs with ``PYTHONDONTWRITEBYTECODE`` removed from its
  environment: a user's machine caches byte code, so deriv's own modules
  are compiled once (in the warm-up), not on every run.  A development
  environment that sets the variable would otherwise charge the candidate
  for recompiling deriv each time (SymPy's byte code is usually installed
  precompiled, so the baseline would not pay the same).
* The counted runs are interleaved round by round (baseline, candidate(s),
  baseline, candidate(s), ...), so slow drifts in machine load hit both
  sides alike rather than biasing one of them.
* The report gives median, min and max per command, then for each candidate
  the ratios median/median (the figure judged against ``--max-ratio``) and
  min/min (the least noisy figure: the best each side can do).
* For context, one extra run under ``python -X importtime`` shows where the
  candidate's time goes: the top cumulative import times (at any depth, and
  among top-level imports), the total import time, and the check time the
  CLI prints in its summary ("in 0.53 s": timed around
  ``checker.check_paths``, so it excludes interpreter start-up and the CLI's
  own imports but includes SymPy/Lark imports made lazily during the check).
  ``-X importtime`` itself adds some overhead: these numbers are indicative.

Run it from anywhere with the project's interpreter::

    .venv/bin/python benchmarks/bench_check.py [--repeat 7] [--enforce]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOC = "derivations/linear_layer_weights.md"
SUMMARY_TIME = re.compile(r"\bin ([0-9]+(?:\.[0-9]+)?) s\s*$", re.MULTILINE)
IMPORTTIME_LINE = re.compile(r"^import time:\s+(\d+)\s*\|\s*(\d+)\s*\|(\s*)(\S+)\s*$")


@dataclass
class Command:
    """One command to time, with the wall times of its counted runs."""

    label: str
    argv: list[str]
    gated: bool = False  # judged against --max-ratio
    is_candidate: bool = True
    times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def worst(self) -> float:
        return max(self.times)


@dataclass
class ImportRecord:
    """One line of ``-X importtime`` output (times in seconds)."""

    module: str
    self_s: float
    cumulative_s: float
    depth: int


class CandidateFailed(RuntimeError):
    """A candidate command exited with a non-zero status."""


def user_environment() -> dict[str, str]:
    """This environment without ``PYTHONDONTWRITEBYTECODE``: byte code cached, as on a user's machine."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def run_once(command: Command) -> float:
    """Run ``command`` once in a fresh subprocess; return its wall time in seconds."""
    started = time.perf_counter()
    proc = subprocess.run(command.argv, cwd=REPO_ROOT, capture_output=True, text=True, env=user_environment())
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise CandidateFailed(
            f"{command.label!r} exited with status {proc.returncode}\n"
            f"--- command: {' '.join(command.argv)}\n"
            f"--- stdout:\n{proc.stdout}\n--- stderr:\n{proc.stderr}"
        )
    return elapsed


def resolve(path: str) -> str:
    """A path as given if it exists from the current directory, else from the repo root."""
    given = Path(path)
    if given.is_absolute() or given.exists():
        return str(given.resolve())
    return str((REPO_ROOT / given).resolve())


def display(path: str) -> str:
    """``path`` relative to the repository root when it lies inside it."""
    try:
        return str(Path(path).relative_to(REPO_ROOT))
    except ValueError:
        return path


def build_commands(docs: list[str], extras: list[str]) -> tuple[Command, list[Command]]:
    baseline = Command(
        label='python -c "import sympy"',
        argv=[sys.executable, "-c", "import sympy"],
        is_candidate=False,
    )
    candidates: list[Command] = []
    for path, gated in [(d, True) for d in docs] + [(e, False) for e in extras]:
        full = resolve(path)
        if not Path(full).exists():
            raise SystemExit(f"bench_check: no such file or folder: {path}")
        candidates.append(
            Command(
                label=f"deriv check {display(full)}" + ("" if gated else "  (context)"),
                argv=[sys.executable, "-m", "deriv", "check", "--no-cache", full],
                gated=gated,
            )
        )
    return baseline, candidates


def measure(baseline: Command, candidates: list[Command], repeat: int) -> None:
    """Warm up each command once, then run ``repeat`` interleaved rounds."""
    everything = [baseline, *candidates]
    print(f"warm-up: running each of {len(everything)} command(s) once, not counted "
          f"(OS file cache, __pycache__)")
    for command in everything:
        run_once(command)
    print(f"measuring: {repeat} interleaved round(s) of "
          + ", ".join(["baseline"] + [f"candidate {i + 1}" for i in range(len(candidates))]))
    for round_no in range(repeat):
        for command in everything:
            command.times.append(run_once(command))
        print(f"  round {round_no + 1}/{repeat}: "
              + "  ".join(f"{c.times[-1]:.3f}" for c in everything), flush=True)
    print()


def print_table(baseline: Command, candidates: list[Command]) -> None:
    rows = [baseline, *candidates]
    width = max(len("command"), *(len(c.label) for c in rows))
    print(f"{'command':<{width}}  {'median':>8}  {'min':>8}  {'max':>8}   (seconds)")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 8}  {'-' * 8}")
    for c in rows:
        print(f"{c.label:<{width}}  {c.median:8.3f}  {c.best:8.3f}  {c.worst:8.3f}")
    print()


def judge(baseline: Command, candidates: list[Command], max_ratio: float) -> bool:
    """Print the ratios and a PASS/FAIL line per gated candidate; True when all pass."""
    all_pass = True
    for c in candidates:
        median_ratio = c.median / baseline.median
        min_ratio = c.best / baseline.best
        print(f"{c.label}")
        print(f"  ratio median/median = {median_ratio:.2f}x   min/min = {min_ratio:.2f}x")
        if c.gated:
            ok = median_ratio <= max_ratio
            all_pass = all_pass and ok
            verdict = "PASS" if ok else "FAIL"
            print(f"  {verdict}: median ratio {median_ratio:.2f}x "
                  f"{'<=' if ok else '>'} {max_ratio:.2f}x")
        else:
            print("  (context only, not judged)")
    print()
    return all_pass


def parse_importtime(stderr: str) -> list[ImportRecord]:
    records: list[ImportRecord] = []
    for line in stderr.splitlines():
        match = IMPORTTIME_LINE.match(line)
        if match:
            self_us, cumulative_us, indent, module = match.groups()
            records.append(ImportRecord(
                module=module,
                self_s=int(self_us) / 1e6,
                cumulative_s=int(cumulative_us) / 1e6,
                depth=len(indent) // 2,
            ))
    return records


def print_imports(records: list[ImportRecord]) -> None:
    print(f"    {'cumulative':>10}  {'self':>8}  module")
    for r in records:
        print(f"    {r.cumulative_s:9.3f}s  {r.self_s:7.3f}s  {'  ' * r.depth}{r.module}")


def profile(doc: str, top: int = 8) -> None:
    """One ``-X importtime`` run of ``deriv check doc``; print where the time goes."""
    full = resolve(doc)
    argv = [sys.executable, "-X", "importtime", "-m", "deriv", "check", "--no-cache", full]
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, env=user_environment())
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise CandidateFailed(
            f"-X importtime run of {display(full)} exited with status {proc.returncode}\n"
            f"--- stdout:\n{proc.stdout}\n--- stderr:\n{proc.stderr}"
        )
    records = parse_importtime(proc.stderr)
    total_imports = sum(r.cumulative_s for r in records if r.depth == 0)
    summary = SUMMARY_TIME.findall(proc.stdout)
    print(f"where the time goes: one run of python -X importtime -m deriv check {display(full)}")
    print("(importtime adds its own overhead; nested imports are indented and "
          "included in their parents' cumulative time)")
    by_cumulative = sorted(records, key=lambda r: r.cumulative_s, reverse=True)
    print(f"  top {top} cumulative import times, any depth:")
    print_imports(by_cumulative[:top])
    print(f"  top {top} top-level imports (these add up to all imports):")
    print_imports([r for r in by_cumulative if r.depth == 0][:top])
    print(f"  wall time of this run:                     {wall:6.3f} s")
    print(f"  all imports (sum of top-level):            {total_imports:6.3f} s")
    if summary:
        print(f"  check time the CLI reports ('in ... s'):  {float(summary[-1]):6.3f} s")
        print("    (timed inside the CLI around checker.check_paths: it excludes start-up and the")
        print("    CLI's own imports, but includes the imports made lazily during the check)")
    else:
        print("  check time the CLI reports: not found in its output")
    print()


#: Where the per-step figure is taken: every bundled derivation.
STEPS_FOLDER = "derivations"
#: The per-step median the tester must stay under (issue 8), in seconds.
MAX_STEP_MEDIAN = 0.005


def per_step_median(repeat: int) -> tuple[float, list[float]]:
    """Median of the JSON ``seconds`` of every step of ``derivations/``, pooled over
    ``repeat`` runs, and each run's own median (how much the host moved them).

    The CLI times each step around its decision (building, normal form,
    random tests), so this is the cost of one step, without start-up.
    """
    seconds: list[float] = []
    per_run: list[float] = []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, "-m", "deriv", "check", "--no-cache", "--format", "json", STEPS_FOLDER],
            cwd=REPO_ROOT, capture_output=True, text=True, env=user_environment(),
        )
        report = json.loads(proc.stdout)
        run = [step["seconds"] for f in report["files"] for step in f["steps"] if step["seconds"] is not None]
        seconds += run
        per_run.append(statistics.median(run))
    return statistics.median(seconds), per_run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `deriv check` against a bare `python -c 'import sympy'`, side by side.",
    )
    parser.add_argument("--repeat", type=int, default=7,
                        help="counted interleaved rounds (default: 7)")
    parser.add_argument("--doc", action="append", default=None, metavar="PATH",
                        help=f"document checked by a gated candidate; repeat for several "
                             f"(default: {DEFAULT_DOC})")
    parser.add_argument("--extra-candidates", nargs="*", default=[], metavar="PATH",
                        help="further files or folders (e.g. derivations) timed for context, "
                             "not judged")
    parser.add_argument("--max-ratio", type=float, default=2.0,
                        help="largest acceptable median(candidate)/median(baseline) (default: 2.0)")
    parser.add_argument("--enforce", action="store_true",
                        help="exit 1 when a gated candidate FAILs (default: always exit 0)")
    parser.add_argument("--no-profile", action="store_true",
                        help="skip the -X importtime breakdown")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    docs: list[str] = args.doc or [DEFAULT_DOC]

    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"machine: {platform.machine()}, {os.cpu_count()} logical core(s), {platform.system()}")
    print(f"repository: {REPO_ROOT}")
    print()

    baseline, candidates = build_commands(docs, args.extra_candidates)
    try:
        measure(baseline, candidates, args.repeat)
    except CandidateFailed as error:
        print(f"bench_check: FAILED: {error}", file=sys.stderr)
        return 2
    print_table(baseline, candidates)
    all_pass = judge(baseline, candidates, args.max_ratio)
    if not args.no_profile:
        try:
            profile(docs[0])
        except CandidateFailed as error:
            print(f"bench_check: FAILED: {error}", file=sys.stderr)
            return 2
    step_median, per_run = per_step_median(max(3, args.repeat // 2))
    step_ok = step_median <= MAX_STEP_MEDIAN
    print(f"per-step median over {STEPS_FOLDER}/: {step_median * 1000:.1f} ms "
          f"({'PASS' if step_ok else 'FAIL'}: target {MAX_STEP_MEDIAN * 1000:.0f} ms; "
          f"{len(per_run)} runs pooled, each run's median "
          f"{', '.join(f'{m * 1000:.1f}' for m in per_run)} ms)")
    all_pass = all_pass and step_ok
    print(f"overall: {'PASS' if all_pass else 'FAIL'} "
          f"(max ratio {args.max_ratio:.2f}x, median/median"
          f"{', enforced' if args.enforce else ', not enforced: exit 0'})")
    return 1 if (args.enforce and not all_pass) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure ``deriv check --jobs 2`` against ``--jobs 1`` on a corpus of many documents.

The acceptance criterion this serves: on a corpus of at least 40 documents,
``--jobs 2`` prints exactly what ``--jobs 1`` prints, in the same order, and
is faster.  This is a measurement, not a test: it exits 0 whatever the
times are unless ``--enforce`` is given; differing output always fails.

Method
------
* The corpus is generated in a temporary folder: ``--copies`` copies of
  each bundled derivation (``derivations/*.md``; 8 copies of the 5 give 40
  documents), under distinct names, so every document is a real one with
  its prose, expected failures and corrected lines.
* Every measured run is a fresh ``python -m deriv check CORPUS --jobs N``
  subprocess, output captured, wall time by ``time.perf_counter`` around
  it: start-up, imports, checking and exit, as a user pays for them.
* One uncounted warm-up run per setting, then ``--rounds`` rounds that run
  ``--jobs 1`` and ``--jobs 2`` alternately (which goes first alternates
  too), so drifts in machine load hit both.
* The report gives each setting's median, min and max, and the speed-up
  median/median.  The outputs are compared with the closing line's
  ``in X s`` removed (the only part that may differ).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_corpus(folder: Path, copies: int) -> int:
    sources = sorted((REPO / "derivations").glob("*.md"))
    for copy in range(copies):
        for source in sources:
            shutil.copyfile(source, folder / f"{copy:02d}_{source.name}")
    return copies * len(sources)


def run(corpus: Path, jobs: int) -> tuple[float, str]:
    command = [sys.executable, "-m", "deriv", "check", str(corpus), "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False,
                          env={**os.environ, "NO_COLOR": "1"})
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"deriv check --jobs {jobs} exited {done.returncode}:\n{done.stderr}")
    return elapsed, re.sub(r" in \d+\.\d+ s$", "", done.stdout.rstrip(), flags=re.MULTILINE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=8, help="copies of each bundled derivation (default 8: 40 documents)")
    parser.add_argument("--rounds", type=int, default=3, help="counted runs per setting (default 3)")
    parser.add_argument("--enforce", action="store_true", help="exit 1 unless --jobs 2 is faster (median)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="deriv-jobs-") as folder:
        corpus = Path(folder)
        documents = make_corpus(corpus, args.copies)
        outputs = {jobs: run(corpus, jobs)[1] for jobs in (1, 2)}  # warm-up, uncounted
        times: dict[int, list[float]] = {1: [], 2: []}
        for round_number in range(args.rounds):
            for jobs in ((1, 2) if round_number % 2 == 0 else (2, 1)):
                elapsed, output = run(corpus, jobs)
                times[jobs].append(elapsed)
                if output != outputs[1]:
                    sys.exit(f"--jobs {jobs} printed something else than --jobs 1 (round {round_number})")

    print(f"corpus: {documents} documents ({args.copies} copies of each bundled derivation), "
          f"{os.cpu_count()} CPUs, {args.rounds} rounds")
    print("output: --jobs 2 identical to --jobs 1 (closing time removed)")
    for jobs, values in times.items():
        print(f"--jobs {jobs}: median {statistics.median(values):6.2f} s  "
              f"(min {min(values):.2f}, max {max(values):.2f})")
    speedup = statistics.median(times[1]) / statistics.median(times[2])
    print(f"speed-up of --jobs 2: {speedup:.2f}x")
    return 1 if args.enforce and speedup <= 1.0 else 0


if __name__ == "__main__":
    sys.exit(main())

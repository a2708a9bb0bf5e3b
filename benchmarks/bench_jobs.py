"""Measure ``deriv check --jobs 2`` against ``--jobs 1`` on a corpus of many documents.

The acceptance criterion this serves: on a corpus of at least 40 documents,
``--jobs 2`` prints exactly what ``--jobs 1`` prints, in the same order, and
is faster.  This is a measurement, not a test: it exits 0 whatever the
times are unless ``--enforce`` is given; differing output always fails.

Method
------
* The corpus is generated in a temporary folder: ``--documents`` documents
  (default 40) of 15 steps each in the style of the bundled ones (an
  entry of a product, a derivative through a definition, the chain rule
  for an opaque ``g(Y)``, an elementwise derivative), each step with a
  constant of its own, so no two steps are alike.  (Copies of one document would
  not do: a worker decides identical steps once, so one worker would reuse
  what two workers each have to decide.)
* Every measured run is a fresh ``python -m deriv check CORPUS --jobs N``
  subprocess, output captured, wall time by ``time.perf_counter`` around
  it: start-up, imports, checking and exit, as a user pays for them.
* One uncounted warm-up run per setting, then ``--rounds`` rounds that run
  ``--jobs 1`` and ``--jobs 2`` alternately (which goes first alternates
  too), so drifts in machine load hit both.
* The report gives each setting's median, min and max, and the speed-up
  median/median and min/min (on a machine shared with other work the
  medians are mostly noise: two workers only help when a second core is free).  The outputs are compared with the closing line's
  ``in X s`` removed (the only part that may differ).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


HEAD = """---
title: Generated document {number}
symbols:
  X: matrix S x M
  W: matrix N x M
  g: function
  h: elementwise function
definitions:
  - Y = X W^T
  - L = g(Y)
---
Every step carries a constant of its own, so no two steps of the corpus are alike.
"""

#: Five steps about the constant ``c``: the kinds of step the bundled derivations take.
BLOCK = r"""
$$ \left[X W^T\right]_{{i,j}} + {c} = \sum_k X_{{i,k}} W_{{j,k}} + {c} $$

$$ \frac{{\partial ({c} Y_{{i,j}})}}{{\partial W_{{m,n}}}} = {c} X_{{i,n}} \delta_{{j,m}} $$

$$ {c} \frac{{\partial L}}{{\partial W_{{m,n}}}} = {c} \sum_{{i,j}} \frac{{\partial g(Y)}}{{\partial Y_{{i,j}}}} \frac{{\partial Y_{{i,j}}}}{{\partial W_{{m,n}}}} $$

$$ = {c} \sum_{{i}} \frac{{\partial g(Y)}}{{\partial Y_{{i,m}}}} X_{{i,n}} $$

$$ \frac{{\partial h({c} X_{{i,j}})}}{{\partial X_{{k,l}}}} = {c} h'({c} X_{{i,j}}) \delta_{{i,k}} \delta_{{j,l}} $$
"""

#: Blocks per document: 15 steps, about the length of a bundled derivation.
BLOCKS = 3


def make_corpus(folder: Path, documents: int) -> int:
    for number in range(documents):
        constants = [1000 * block + number + 2 for block in range(BLOCKS)]
        text = HEAD.format(number=number) + "".join(BLOCK.format(c=c) for c in constants)
        (folder / f"doc{number:03d}.md").write_text(text, encoding="utf-8")
    return documents


def run(corpus: Path, jobs: int) -> tuple[float, str]:
    command = [sys.executable, "-m", "deriv", "check", "--no-cache", str(corpus), "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False,
                          env={**os.environ, "NO_COLOR": "1"})
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"deriv check --jobs {jobs} exited {done.returncode}:\n{done.stderr}")
    return elapsed, re.sub(r" in \d+\.\d+ s$", "", done.stdout.rstrip(), flags=re.MULTILINE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=40, help="documents in the corpus (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="counted runs per setting (default 3)")
    parser.add_argument("--enforce", action="store_true", help="exit 1 unless --jobs 2 is faster (median)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="deriv-jobs-") as folder:
        corpus = Path(folder)
        documents = make_corpus(corpus, args.documents)
        outputs = {jobs: run(corpus, jobs)[1] for jobs in (1, 2)}  # warm-up, uncounted
        times: dict[int, list[float]] = {1: [], 2: []}
        for round_number in range(args.rounds):
            for jobs in ((1, 2) if round_number % 2 == 0 else (2, 1)):
                elapsed, output = run(corpus, jobs)
                times[jobs].append(elapsed)
                if output != outputs[1]:
                    sys.exit(f"--jobs {jobs} printed something else than --jobs 1 (round {round_number})")

    print(f"corpus: {documents} generated documents of {5 * BLOCKS} steps, {os.cpu_count()} CPUs, {args.rounds} rounds")
    print("output: --jobs 2 identical to --jobs 1 (closing time removed)")
    for jobs, values in times.items():
        print(f"--jobs {jobs}: median {statistics.median(values):6.2f} s  "
              f"(min {min(values):.2f}, max {max(values):.2f})")
    speedup = statistics.median(times[1]) / statistics.median(times[2])
    print(f"speed-up of --jobs 2: {speedup:.2f}x median/median, "
          f"{min(times[1]) / min(times[2]):.2f}x min/min (the least noisy: the best each side can do)")
    return 1 if args.enforce and speedup <= 1.0 else 0


if __name__ == "__main__":
    sys.exit(main())

"""Time the eigenvalue claim on 10,000 random positive-definite matrices (issue 10).

Each matrix (sizes 1 to 30; well-conditioned, low rank + I, nearly singular,
Hilbert) is certified exactly: positive definite by the pivots of a
fraction-free LU, every eigenvalue positive by Descartes' rule on the exact
characteristic polynomial (deriv/engine/spectrum_random.py).  Prints the
wall and CPU time of each round, the median, and what was checked.

    .venv/bin/python benchmarks/bench_spectrum.py                 # 5 rounds, 2 processes
    .venv/bin/python benchmarks/bench_spectrum.py --processes 1 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from deriv.engine.spectrum_random import COUNT, check_random


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--target", type=float, default=2.0, help="seconds (median wall time)")
    args = parser.parse_args()
    walls = []
    for _ in range(args.rounds):
        wall, cpu = time.perf_counter(), _cpu()
        result = check_random(args.count, processes=args.processes)
        walls.append(time.perf_counter() - wall)
        print(f"wall {walls[-1]:.2f} s  CPU {_cpu() - cpu:.2f} s (this process and its workers)")
        if result.failure:
            print("FAILED:", result.failure)
            return 1
    load = os.getloadavg()[0]
    median = statistics.median(walls)
    print(result.describe())
    print(f"median wall {median:.2f} s over {args.rounds} rounds, {args.processes} process(es), "
          f"load average {load:.1f} on {os.cpu_count()} cores: {'PASS' if median <= args.target else 'OVER'} "
          f"(target {args.target:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure re-checking unchanged documents (the result cache) against ``import sympy``.

The acceptance criterion this serves (issue 22, item 4): re-checking the
unchanged ``derivations/`` costs at most 1.2 times a bare
``python -c "import sympy"``.  A measurement, not a test: it exits 0
whatever the times are unless ``--enforce`` is given.

Method: a fresh cache folder (``DERIV_CACHE_DIR``), one uncounted cold run
that fills it, then ``--rounds`` rounds that run ``python -c "import sympy"``
and ``python -m deriv check FOLDER`` alternately (which goes first
alternates too), each a fresh subprocess timed around it by
``time.perf_counter``.  The warm runs' output must equal the cold run's
(the closing line's ``in X s`` removed).  The report gives each side's
median and min and the ratios median/median and min/min.
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

REPO = Path(__file__).resolve().parent.parent


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    return time.perf_counter() - started, re.sub(r" in [0-9.]+ s$", "", done.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(REPO / "derivations"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--enforce", action="store_true", help="exit 1 when the ratio is above 1.2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DERIV_CACHE_DIR": folder}
        check = [sys.executable, "-m", "deriv", "check", args.folder]
        bare = [sys.executable, "-c", "import sympy"]
        cold_seconds, cold = timed(check, env)
        times: dict[str, list[float]] = {"import sympy": [], "deriv check (warm)": []}
        for n in range(args.rounds):
            order = [("import sympy", bare), ("deriv check (warm)", check)]
            for name, command in order if n % 2 == 0 else order[::-1]:
                seconds, output = timed(command, env)
                if name.startswith("deriv") and output != cold:
                    print("the warm run's output differs from the cold run's", file=sys.stderr)
                    return 1
                times[name].append(seconds)
    print(f"cold run (fills the cache): {cold_seconds:.2f} s")
    for name, values in times.items():
        print(f"{name:22s} median {statistics.median(values):.3f} s  min {min(values):.3f} s")
    warm, base = times["deriv check (warm)"], times["import sympy"]
    ratio = statistics.median(warm) / statistics.median(base)
    print(f"ratio median/median {ratio:.2f}x, min/min {min(warm) / min(base):.2f}x (target <= 1.2x)")
    return 1 if args.enforce and ratio > 1.2 else 0


if __name__ == "__main__":
    sys.exit(main())

"""A 5 MB document of trivial displays (issue 9, robustness): time to a complete JSON report.

    .venv/bin/python benchmarks/bench_large.py [--displays 400000]

Builds ``$$ x = x $$`` repeated, runs ``python -m deriv check --format json``
on it in a fresh subprocess and prints the wall time, the number of steps
reported and how many of them were checked (not ``timeout``).  The target:
400,000 displays, a complete report (one step per display) within a minute.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HEAD = "---\ntitle: large\nsymbols:\n  x: scalar\n---\n\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--displays", type=int, default=400_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.md"
        path.write_text(HEAD + "$$ x = x $$\n\n" * args.displays, encoding="utf-8")
        size = path.stat().st_size
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "deriv", "check", "--no-cache", "--format", "json", str(path)],
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    report = json.loads(done.stdout)
    steps = [s for f in report["files"] for s in f["steps"]]
    verdicts = Counter(s["verdict"] for s in steps)
    complete = len(steps) == args.displays
    print(f"{args.displays} displays ({size / 1e6:.1f} MB): {elapsed:.1f} s, {len(steps)} steps reported "
          f"({'complete' if complete else 'INCOMPLETE'}), {dict(verdicts)}")
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure ``deriv check --jobs 2`` against ``--jobs 1``, and ``pytest -n 2`` against ``-n 0``, on a corpus of many documents.

The acceptance criterion this serves: on a corpus of at least 40 documents,
two jobs print exactly what one prints and are faster (docs/cli.md,
docs/pytest.md).  This is a measurement, not a test: it exits 0 whatever the
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
* Every measured run is a fresh subprocess -- ``python -m deriv check
  --no-cache CORPUS --jobs N``, or ``python -m pytest -p no:cacheprovider
  --deriv-no-cache -rA CORPUS -n N`` run inside the corpus folder (no
  project settings; a ``--basetemp`` of its own, as xdist makes one and
  pytest's numbered ones in the temporary folder are shared with every other
  pytest run on the machine, the oldest deleted by each new one) -- output
  captured, wall time by ``time.perf_counter`` around it: start-up, imports,
  checking and exit, as a user pays for them; CPU time (user + system) of it
  and every process it waited for (its workers) from ``RUSAGE_CHILDREN``.
  ``PYTHONDONTWRITEBYTECODE`` is dropped from the runs' environment (unless
  ``--no-bytecode``), as it is from a user's: with it every process
  compiles deriv's modules again (and pytest rewrites them), which adds
  about 0.2 s to each import of deriv and 0.5 s to each pytest process --
  a serial cost no second core shares.
* One uncounted warm-up run per setting, then ``--rounds`` rounds that run
  the two settings of a pair alternately (which goes first alternates
  too), so drifts in machine load hit both.
* The report gives each setting's median, min and max wall time and median
  CPU time, the speed-up median/median and min/min, and a model of the
  speed-up on an idle 2-core machine, for when the machine is shared (then
  the wall times are mostly noise, while CPU times hold up much better): one
  job runs in its CPU time (one process works at a time), two jobs in the
  serial part S plus half the rest, where S is the one-job setting's CPU
  time on a one-step document (start-up, imports, a worker's first document).
* ``--accounting`` (Linux) samples ``/proc`` during each run for the command
  and every process under it (:mod:`process_tree`): the CPU time of the
  command's own process (the ``deriv`` program, pytest's controller) and of each
  *lane* (a checking worker; an xdist worker with the checking worker it
  forked), and a second model that load distorts less than wall time: an idle
  2-core machine runs two jobs in the root's CPU plus the busiest lane's
  (``T1 / (root + max lane)``, T1 the one-job run's CPU), or in half of all the
  CPU if that is longer.  Lane imbalance shows how well the documents were
  split.
* The outputs are compared: ``deriv check``'s whole report with the closing
  line's ``in X s`` removed (the only part that may differ); pytest's outcome
  of every item (``-rA``), in any order.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import process_tree

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


#: The closing time of ``deriv check``: the only part of its output that may differ.
_TIME = re.compile(r" in \d+\.\d+ s$", flags=re.MULTILINE)


@dataclass(frozen=True)
class Setting:
    """One way of checking the corpus: a command and how to reduce its output to what must not differ."""

    name: str
    command: list[str]
    #: Folder the command runs in (pytest runs in the corpus: the repository's own pytest settings stay out).
    inside_corpus: bool = False


def settings(corpus: Path) -> dict[str, tuple[Setting, Setting]]:
    """The pairs compared: ``deriv check --jobs 1`` and ``--jobs 2``, ``pytest -n 0`` and ``-n 2``."""
    check = [sys.executable, "-m", "deriv", "check", "--no-cache", str(corpus), "--jobs"]
    # -rA lists every item with its outcome: the outcomes are compared item by item.  A basetemp of
    # the benchmark's own: xdist makes one for its workers, and pytest's numbered ones in the user's
    # temporary folder are shared with every other pytest run, whose oldest one each new one deletes.
    basetemp = f"--basetemp={corpus.parent / 'basetemp'}"
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--deriv-no-cache", basetemp, "-q", "-rA",
              str(corpus), "-n"]
    return {
        "cli": (Setting("--jobs 1", [*check, "1"]), Setting("--jobs 2", [*check, "2"])),
        "pytest": (Setting("pytest -n 0", [*pytest, "0"], True), Setting("pytest -n 2", [*pytest, "2"], True)),
    }


def comparable(setting: Setting, output: str) -> str:
    """What must be identical between the two settings of a pair: deriv's whole report, closing
    time aside; pytest's outcome of each item, in any order (workers finish in any order)."""
    if not setting.name.startswith("pytest"):
        return _TIME.sub("", output.rstrip())
    return "\n".join(sorted(line.strip() for line in output.splitlines()
                            if line.startswith(("PASSED", "FAILED", "ERROR", "SKIPPED", "XFAIL", "XPASS"))))


#: The environment of the measured runs (:func:`main` may drop PYTHONDONTWRITEBYTECODE from it).
ENVIRONMENT = {**os.environ, "NO_COLOR": "1"}


#: Per-process accounting of each run (``--accounting``): (root CPU, each lane's CPU) by setting.
ACCOUNTS: dict[str, list[tuple[float, list[float]]]] = {}


def run(corpus: Path, setting: Setting, *, account: bool = False) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the process and every process it waited for: its workers) and output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cwd = corpus if setting.inside_corpus else REPO
    if account:
        done, processes, elapsed = process_tree.trace(setting.command, cwd=cwd, env=ENVIRONMENT)
        root = done.args and min(processes, key=lambda pid: processes[pid].first)
        lanes = [process_tree.lane_cpu(lane) for lane in process_tree.lanes(processes, root).values()]
        ACCOUNTS.setdefault(setting.name, []).append((processes[root].cpu, lanes))
    else:
        started = time.perf_counter()
        done = subprocess.run(setting.command, capture_output=True, text=True, check=False, cwd=cwd, env=ENVIRONMENT)
        elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{setting.name} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, comparable(setting, done.stdout)


def measure(corpus: Path, pair: tuple[Setting, Setting], rounds: int, account: bool = False
            ) -> dict[str, list[tuple[float, float]]]:
    """Each setting's (wall, CPU) per round, the two alternating (which goes first alternates too);
    exits when the two print different things."""
    outputs = {setting.name: run(corpus, setting)[2] for setting in pair}  # warm-up, uncounted
    if outputs[pair[0].name] != outputs[pair[1].name]:
        sys.exit(f"{pair[1].name} printed something else than {pair[0].name} (warm-up)")
    times: dict[str, list[tuple[float, float]]] = {setting.name: [] for setting in pair}
    for round_number in range(rounds):
        for setting in (pair if round_number % 2 == 0 else pair[::-1]):
            elapsed, cpu, output = run(corpus, setting, account=account)
            times[setting.name].append((elapsed, cpu))
            if output != outputs[pair[0].name]:
                sys.exit(f"{setting.name} printed something else than {pair[0].name} (round {round_number})")
    return times


def serial_part(folder: Path, corpus: Path, pair: tuple[Setting, Setting]) -> float:
    """CPU seconds of the one-job setting on a one-step document (the least of three runs): start-up,
    imports, a worker -- what a second core can not share, the model's serial part."""
    tiny = folder / "tiny"
    tiny.mkdir(exist_ok=True)
    (tiny / "tiny.md").write_text("---\nsymbols:\n  x: scalar\n---\n$$ x = x $$\n", encoding="utf-8")
    one = pair[0]
    command = [str(tiny) if part == str(corpus) else part for part in one.command]
    return min(run(tiny, Setting(one.name, command, one.inside_corpus))[1] for _ in range(3))


def report(pair: tuple[Setting, Setting], times: dict[str, list[tuple[float, float]]], serial: float) -> float:
    """Print the pair's figures; the median/median speed-up."""
    for setting in pair:
        walls, cpus = [t[0] for t in times[setting.name]], [t[1] for t in times[setting.name]]
        print(f"{setting.name:>12}: wall median {statistics.median(walls):6.2f} s (min {min(walls):.2f}, "
              f"max {max(walls):.2f}); CPU median {statistics.median(cpus):6.2f} s")
    one, two = (times[setting.name] for setting in pair)
    speedup = statistics.median(t[0] for t in one) / statistics.median(t[0] for t in two)
    print(f"{'':>12}  speed-up {speedup:.2f}x median/median, {min(t[0] for t in one) / min(t[0] for t in two):.2f}x "
          "min/min (on a shared machine the least noisy: the best each side can do)")
    # An idle two-core machine runs the one-job setting in its CPU time (one process works at a
    # time) and the two-job one in its serial part plus half the rest.
    cpu_one, cpu_two = (statistics.median(t[1] for t in side) for side in (one, two))
    estimate = cpu_one / (serial + (cpu_two - serial) / 2)
    print(f"{'':>12}  CPU: {cpu_two / cpu_one:.2f}x of one job's with two; serial part {serial:.2f} s; "
          f"estimated speed-up on an idle 2-core machine {estimate:.2f}x")
    if pair[1].name in ACCOUNTS:
        report_accounts(pair, cpu_one)
    return speedup


def report_accounts(pair: tuple[Setting, Setting], cpu_one: float) -> None:
    """The per-process model: two jobs take the root's CPU plus the busiest lane's (or half of all)."""
    rounds = ACCOUNTS[pair[1].name]
    roots = [root for root, _ in rounds]
    busiest = [max(lanes, default=0.0) for _, lanes in rounds]
    idlest = [min(lanes, default=0.0) for _, lanes in rounds]
    models = [cpu_one / max(root + max(lanes, default=0.0), (root + sum(lanes)) / 2) for root, lanes in rounds]
    one_root = statistics.median(root for root, _ in ACCOUNTS[pair[0].name])
    print(f"{'':>12}  per process (medians): {pair[0].name} root {one_root:.2f} s; {pair[1].name} root "
          f"{statistics.median(roots):.2f} s, lanes {len(rounds[0][1])}, busiest {statistics.median(busiest):.2f} s, "
          f"idlest {statistics.median(idlest):.2f} s; model T1 / (root + busiest lane) "
          f"{statistics.median(models):.2f}x (rounds {', '.join(f'{m:.2f}' for m in models)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=40, help="documents in the corpus (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="counted runs per setting (default 3)")
    parser.add_argument("--only", choices=["cli", "pytest"], help="measure one pair only")
    parser.add_argument("--enforce", action="store_true", help="exit 1 unless two jobs are faster (median)")
    parser.add_argument("--accounting", action="store_true",
                        help="sample /proc for each process's CPU (Linux): the per-process model")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE if set (every process then compiles deriv again)")
    args = parser.parse_args()
    if not args.no_bytecode:
        ENVIRONMENT.pop("PYTHONDONTWRITEBYTECODE", None)

    speedups = []
    with tempfile.TemporaryDirectory(prefix="deriv-jobs-") as folder:
        corpus = Path(folder) / "corpus"
        corpus.mkdir()
        documents = make_corpus(corpus, args.documents)
        pairs = settings(corpus)
        print(f"corpus: {documents} generated documents of {5 * BLOCKS} steps, {os.cpu_count()} CPUs, "
              f"{args.rounds} rounds, load average {os.getloadavg()[0]:.1f} at the start, bytecode cache "
              f"{'off' if 'PYTHONDONTWRITEBYTECODE' in ENVIRONMENT else 'on'}")
        for name, pair in pairs.items():
            if args.only in (None, name):
                times = measure(corpus, pair, args.rounds, args.accounting)
                print(f"output: {pair[1].name} identical to {pair[0].name} "
                      f"({'closing time removed' if name == 'cli' else 'every item outcome'})")
                speedups.append(report(pair, times, serial_part(Path(folder), corpus, pair)))
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 1 if args.enforce and min(speedups) <= 1.0 else 0


if __name__ == "__main__":
    sys.exit(main())

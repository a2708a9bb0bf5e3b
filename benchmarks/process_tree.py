"""Per-process CPU accounting of a command and every process under it (Linux): who spent what, when.

Wall times on a shared machine say little; CPU time per process says where the
work went and holds up under load.  :func:`trace` runs a command and samples
``/proc`` every few milliseconds for the command's process and all its
descendants (xdist workers, the checking workers they fork, fork servers):
each process's start and last sighting (wall seconds from the start) and the
CPU time it had spent by then (user + system, in the kernel's clock ticks).
A process that lives less than a sampling interval may be missed, and a
process's last few milliseconds of CPU before it ends may be; the totals are
checked against ``RUSAGE_CHILDREN`` by the caller.

:func:`lanes` groups the processes into the command's own (the root: the
``deriv`` program, or pytest's controller) and one *lane* per process forked
or started by it (a checking worker; an xdist worker with everything under
it), which is what one core works through on an idle machine.  The model of
an idle 2-core machine is then the root's CPU plus the busiest lane's
(:func:`critical_path`): the root's work does not overlap the lanes' much (it
starts them, waits, reports), while the lanes run side by side.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Process:
    """One process seen under the command."""

    pid: int
    parent: int
    command: str
    first: float  # wall seconds from the command's start when first seen
    last: float = 0.0  # ... when last seen
    cpu: float = 0.0  # user + system seconds when last seen
    #: (wall, cpu) when its CPU first moved past 0.05 s beyond its first sighting: the start of its own work.
    samples: list[tuple[float, float]] = field(default_factory=list)


def _stat(pid: int) -> tuple[int, float] | None:
    """The parent's pid and user + system CPU seconds of ``pid``, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for task in tasks:
        try:
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def trace(command: list[str], *, cwd: Path, env: dict[str, str], interval: float = 0.005
          ) -> tuple[subprocess.CompletedProcess[str], dict[int, Process], float]:
    """Run ``command``; its result, every process seen under it, and the wall seconds it took."""
    seen: dict[int, Process] = {}
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            now = time.perf_counter() - started
            stack = [child.pid]
            while stack:
                pid = stack.pop()
                stat = _stat(pid)
                if stat is None:
                    continue
                if pid not in seen:
                    seen[pid] = Process(pid, stat[0], _command(pid), now)
                record = seen[pid]
                if stat[1] != record.cpu or not record.samples:
                    record.samples.append((now, stat[1]))
                record.last, record.cpu = now, stat[1]
                stack += _children(pid)
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = child.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return subprocess.CompletedProcess(command, child.returncode, stdout, stderr), seen, elapsed


def lanes(processes: dict[int, Process], root: int) -> dict[int, list[Process]]:
    """Each direct child of ``root`` with all its descendants: the lanes that run side by side."""
    def top(pid: int) -> int | None:
        while pid in processes and processes[pid].parent != root:
            pid = processes[pid].parent
        return pid if pid in processes else None

    grouped: dict[int, list[Process]] = {}
    for process in processes.values():
        if process.pid != root:
            lane = top(process.pid)
            if lane is not None:
                grouped.setdefault(lane, []).append(process)
    return grouped


def lane_cpu(lane: list[Process]) -> float:
    return sum(p.cpu for p in lane)


def critical_path(processes: dict[int, Process], root: int) -> float:
    """The model of an idle 2-core machine: the root's CPU plus the busiest lane's."""
    grouped = lanes(processes, root)
    return processes[root].cpu + max((lane_cpu(lane) for lane in grouped.values()), default=0.0)


def describe(processes: dict[int, Process], root: int) -> list[str]:
    """One line per process, by lane: its command (short), CPU, and its life in wall seconds."""
    def line(p: Process, indent: str) -> str:
        short = p.command.replace(os.path.dirname(p.command.split()[0]) + "/", "")[:60] if p.command else "?"
        return f"{indent}{p.pid:>7} cpu {p.cpu:5.2f} s  alive {p.first:6.2f}-{p.last:6.2f}  {short}"

    out = [line(processes[root], "")]
    for number, lane in enumerate(lanes(processes, root).values()):
        out.append(f"  lane {number}: cpu {lane_cpu(lane):.2f} s")
        out += [line(p, "    ") for p in sorted(lane, key=lambda p: p.first)]
    return out

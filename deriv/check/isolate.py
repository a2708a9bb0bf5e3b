"""Budgets that can not be ignored: check in a worker process, kill it when late.

The parent sends a document to a worker and waits.  The worker checks it
with the in-process budgets (:mod:`deriv.budget`, in its own main thread,
so they work whatever thread the caller is in) and streams the results of
each display back; before every phase that may take long it writes its
position into shared memory (:class:`~deriv.check.progress.Progress`).
When a phase outlives its budget (SymPy in a long C-level operation, a
scanner that never checks the clock) or the worker dies, the parent kills
it, starts another and sends the document again: the new worker rebuilds
the chains before the killed display without deciding them, reports the
killed phase ``timeout`` (or ``error`` for a crash) on its line and goes
on.  Past the document's budget whatever is left is reported ``timeout``.

Workers are forked from the caller when it is single-threaded (cheapest:
SymPy is already imported) and from a fork server otherwise (forking a
multi-threaded process is unsafe).  Idle workers are kept for the next
document; no signal handler is installed in the caller.

A worker never outlives its run, however the caller ends (SIGKILL by a CI
timeout or the out-of-memory killer, a notebook kernel restarted): on Linux
the kernel kills it when its parent dies (``PR_SET_PDEATHSIG``), and
everywhere a watchdog thread kills it when its parent changes or the caller
is gone (:func:`_die_with`).  And it carries its own backstop: a CPU-time
limit per document (``RLIMIT_CPU``, :func:`_cpu_backstop`) past which the
kernel stops it, so no budget depends on the parent alone.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import replace

from deriv.check.local import check_source, file_error
from deriv.check.options import CheckOptions, collect_rarely
from deriv.check.progress import CONTEXT, READ, Progress, Stop
from deriv.errors import DerivError
from deriv.results import FileResult, StepResult, Verdict

#: Restarts one document may cost before the rest of it is reported ``timeout``.
MAX_RESTARTS = 20
#: Seconds between sends of results (the parent keeps what it was sent).
FLUSH = 0.05
#: Seconds between a worker's looks at whether its parent and caller are still there.
WATCH = 0.25
#: CPU seconds a worker may spend on a document beyond twice its budget: the parent's wall-clock
#: kill comes first (CPU time never runs ahead of wall time in one thread); this is for when it can not.
BACKSTOP_MARGIN = 30
_PR_SET_PDEATHSIG = 1

_idle: list["_Worker"] = []
_lock = threading.Lock()


def check_isolated(source: str, is_path: bool, path: str, options: CheckOptions, given=None) -> FileResult:
    """Check a document in a worker; never raises for bad input, never outlives its budgets."""
    if not is_path:
        return _Run(source, is_path, path, options, given).result()
    # A worker kept from earlier keeps its working directory, not ours: give it the absolute
    # path, and report the path as the caller wrote it.
    # An empty path stays empty ('no such file'): abspath would make it the working directory.
    return replace(_Run(os.path.abspath(source) if source else source, is_path, path, options).result(), path=path)


class _Worker:
    def __init__(self) -> None:
        context = _context()
        self.shared = context.RawArray("q", 4)
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, self.shared, os.getpid()), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _context():
    if threading.active_count() == 1 and threading.current_thread() is threading.main_thread():
        import deriv.check.chains  # noqa: F401 - imported once here, inherited by every fork

        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["deriv.check.chains", "deriv.check.isolate"])
    return context


def _checkout() -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.process.is_alive():
                return worker
    return _Worker()


def warm(count: int) -> None:
    """Have ``count`` idle workers, started now: from a caller about to start threads, they are
    forked while it has one thread (cheap, SymPy inherited), not made by a fork server later."""
    workers = [_checkout() for _ in range(count)]
    for worker in workers:
        _checkin(worker)


def _checkin(worker: _Worker) -> None:
    with _lock:
        _idle.append(worker)


def stop_workers() -> None:
    """Kill and reap the idle workers (a program about to exit without teardown
    calls this: a forked worker holds a copy of its own pipe's other end, so it
    would never see the end of its input and would outlive the program)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()


class _Run:
    """One document: workers started, killed and restarted until it is all reported."""

    def __init__(self, source: str, is_path: bool, path: str, options: CheckOptions, given=None) -> None:
        self.job = (source, is_path, path, options, given)
        self.path, self.options = path, options
        self.started = time.monotonic()
        self.deadline = self.started + options.document_timeout if options.document_timeout else None
        self.step_limit = options.timeout + max(1.0, 0.25 * options.timeout) if options.timeout else None
        self.steps: list[StepResult] = []  # of displays 0..done
        self.done = -1
        self.lines: list[int] | None = None  # each display's line, once read
        self.title: str | None = None
        self.stops: dict[int, Stop] = {}

    def result(self) -> FileResult:
        for _ in range(MAX_RESTARTS + 1):
            worker = _checkout()
            worker.conn.send((*self.job, self.deadline, self.done + 1, self.stops))
            outcome = self._follow(worker)
            if isinstance(outcome, FileResult):
                _checkin(worker)
                return outcome
            worker.kill()
            display, kind, member, why = outcome
            if self.lines is None or kind in (READ, CONTEXT):
                what = "reading the document" if kind == READ else "building the definitions"
                return file_error(self.path, self.title, DerivError(f"{what} {why}", line=1))
            if self._late():
                break
            verdict = Verdict.TIMEOUT if "budget" in why else Verdict.ERROR
            self.stops[display] = Stop(kind, member, verdict, f"the checker was stopped here: it {why}")
        return self._finish(None)

    def _late(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _follow(self, worker: _Worker):
        """Until the worker answers the document (a FileResult) or has to be killed."""
        shared, conn = worker.shared, worker.conn
        tick, since = shared[3], time.monotonic()
        while True:
            try:
                if conn.poll(FLUSH):
                    message = conn.recv()
                    if message[0] == "read":
                        self.title, self.lines = message[1], message[2]
                    elif message[0] == "steps":
                        if message[1] > self.done:
                            self.steps.extend(message[2])
                            self.done = message[1]
                    else:
                        return self._finish(message[1])
                    continue
            except (EOFError, OSError):
                pass
            now = time.monotonic()
            if shared[3] != tick:
                tick, since = shared[3], now
            position = (shared[0], shared[1], shared[2])
            if not worker.process.is_alive():
                return (*position, f"crashed (exit code {worker.process.exitcode})")
            limit = self.deadline + 1.0 if self.deadline is not None else None
            if self.step_limit is not None and position[1] != READ:
                limit = since + self.step_limit if limit is None else min(limit, since + self.step_limit)
            if limit is not None and now > limit:
                return (*position, f"ran out of its budget ({now - since:.1f} s without returning)")

    def _finish(self, final: FileResult | None) -> FileResult:
        """The steps received, the rest ``timeout`` (never left out), and the file's own results."""
        if final is not None and final.error is not None:
            return final
        steps = list(self.steps)
        if final is None:
            budget = self.options.document_timeout or 0
            message = f"not checked: the document's budget of {budget:g} s ran out"
            steps += [StepResult(line=line, label=None, relation="=", lhs="", rhs="", verdict=Verdict.TIMEOUT,
                                 message=message) for line in (self.lines or [])[self.done + 1:]]
            return FileResult(path=self.path, title=self.title, steps=tuple(sorted(steps, key=lambda s: s.line)))
        steps += list(final.steps)
        return replace(final, steps=tuple(sorted(steps, key=lambda s: s.line)))


def _serve(conn, shared, caller: int) -> None:
    """The worker: check each document sent, streaming the results of its displays."""
    _die_with(caller)
    # What the worker inherits (SymPy's modules, deriv's tables) lives as long
    # as it does: frozen, it is never walked again by the cycle collector (one
    # full collection over SymPy's objects costs some 50 ms, and would copy
    # every page shared with the parent).
    gc.freeze()
    collect_rarely()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        source, is_path, path, options, given, deadline, resume, stops = job
        _cpu_backstop(options.document_timeout)
        progress = Progress(shared, stops, resume, deadline, options.document_timeout)
        buffer: list[StepResult] = []
        streamed: set[int] = set()
        sent = [time.monotonic(), -1]

        def on_read(document) -> None:
            conn.send(("read", document.title, [d.line for d in document.displays]))

        def flush() -> None:
            conn.send(("steps", sent[1], list(buffer)))
            buffer.clear()
            sent[0] = time.monotonic()

        def on_display(index: int, results: list[StepResult]) -> None:
            buffer.extend(results)
            streamed.update(map(id, results))
            sent[1] = index
            if time.monotonic() - sent[0] >= FLUSH or len(buffer) >= 5000:
                flush()

        result = check_source(source, is_path, path, options, progress, on_display, on_read, given)
        if sent[1] >= 0:
            flush()
        # The displays' steps were streamed; what is left is the file's own (problems, errors).
        conn.send(("done", replace(result, steps=tuple(s for s in result.steps if id(s) not in streamed))))


def _die_with(caller: int) -> None:
    """This process dies with its parent (the caller, or the fork server the caller owns) and with
    the caller: the kernel's parent-death signal where there is one, and a watchdog thread."""
    parent = os.getppid()
    _parent_death_signal()
    if not alive(caller):
        os._exit(1)  # the caller went before the signal was armed
    threading.Thread(target=_watch, args=(parent, caller), name="deriv-watchdog", daemon=True).start()


def _parent_death_signal() -> None:
    """Linux: SIGKILL to this process when the thread that made it ends (a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to call: the watchdog is left
        pass


def _watch(parent: int, caller: int) -> None:
    while os.getppid() == parent and alive(caller):
        time.sleep(WATCH)
    os.kill(os.getpid(), signal.SIGKILL)


def alive(pid: int) -> bool:
    """Whether process ``pid`` is still there (a number now held by someone else's process: gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process now holds the number: ours is gone
        return False
    return True


def _cpu_backstop(budget: float | None) -> None:
    """Past twice the document's budget (and a margin) in CPU time the kernel stops this worker."""
    try:
        import resource
    except ImportError:  # not POSIX: the parent's kill is the budget
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    limit = resource.RLIM_INFINITY if not budget else int(usage.ru_utime + usage.ru_stime + 2 * budget
                                                          + BACKSTOP_MARGIN)
    if hard != resource.RLIM_INFINITY:
        limit = hard if limit == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
    # SIGXCPU's default action dumps core: no core file of a worker lands in the user's folder.
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))

"""Documents checked by several workers at once (``--jobs N``): largest first, reported in the order found.

Each document goes whole to one worker, which reads, builds, checks it and sends
its result back (:mod:`deriv.check.isolate`); the caller only hands out documents
and orders what comes back.  The workers take documents as they come free, never
a split made in advance, so a slow document holds up one worker and the others
take the rest.  The largest documents (in bytes, the cheapest guess at cost) are
handed out first: the last ones to finish are then small, and the workers finish
close together instead of one waiting for a large document begun last.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait

from deriv.check.options import CheckOptions
from deriv.results import FileResult

#: Checks one document (:func:`deriv.check.checker.check_file`, or a cache in front of it).
Check = Callable[[str, CheckOptions], FileResult]


def largest_first(documents: Sequence[str]) -> list[int]:
    """The documents' positions, largest file first (ties, and files that can not be sized, in
    the order found: their error is reported when checked)."""
    def size(position: int) -> int:
        try:
            return os.path.getsize(documents[position])
        except OSError:
            return 0

    return sorted(range(len(documents)), key=lambda position: -size(position))


def checked_in_parallel(documents: Sequence[str], options: CheckOptions, check: Check) -> Iterator[tuple[int, FileResult]]:
    """Each document's position and result, as each is done (``options.jobs`` at a time)."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    # Threads suffice when each checks in its own worker process.
    executor = ThreadPoolExecutor if options.isolate else ProcessPoolExecutor
    if options.isolate:
        from deriv.check.isolate import warm

        warm(min(options.jobs, len(documents)))  # before any thread: forked, not from a fork server
    with executor(max_workers=options.jobs) as pool:
        pending: dict[Future[FileResult], int] = {
            pool.submit(check, documents[position], options): position for position in largest_first(documents)}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        finally:  # interrupted (Ctrl-C, the caller stopped reading): documents not begun are not begun
            for future in pending:
                future.cancel()

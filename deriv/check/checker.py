"""Check documents: read, declare, walk the chains, collect results.

Nothing here raises for bad input: every problem becomes an ``error``
step or a file-level error on the :class:`~deriv.results.FileResult`.
Heavy modules (SymPy, lark) are imported only when a document is checked,
so the CLI's ``--help`` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from deriv.check.options import CheckOptions
from deriv.results import FileResult, RunResult, Unchecked

__all__ = ["CheckOptions", "check_file", "check_paths", "check_text", "find_documents"]


def check_text(text: str, path: str = "<text>", options: CheckOptions | None = None) -> FileResult:
    """Check a Markdown derivation document given as a string."""
    return _check(text, False, path, options or CheckOptions())


def check_file(path: str | os.PathLike[str], options: CheckOptions | None = None) -> FileResult:
    """Check one Markdown derivation document; never raises for bad input."""
    return _check(os.fspath(path), True, str(path), options or CheckOptions())


def _check(source: str, is_path: bool, path: str, options: CheckOptions) -> FileResult:
    """In a killable worker (budgets hold in any thread), or in this process."""
    if options.isolate:
        from deriv.check.isolate import check_isolated

        result = check_isolated(source, is_path, path, options)
    else:
        from deriv.check.local import check_source

        result = check_source(source, is_path, path, options)
    if is_path and source.lower().endswith(".tex"):
        # Lines of a LaTeX source with its \input files in place, back to the author's files.
        from deriv.read.latex_source import relocated

        return relocated(result, path)
    return result


def find_documents(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Files as named, plus the ``*.md`` files under folders that are derivations."""
    return select_documents(paths)[0]


def select_documents(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[Unchecked]]:
    """Files as named, plus ``*.md`` files with deriv front matter under folders;
    and the Markdown files under folders left out, each with its reason.

    A folder's plain Markdown (a README without ``symbols:``) is not a
    derivation; one with display math is listed as looking like one; a
    file named explicitly is always checked.
    """
    from deriv.read.selection import select

    found: list[str] = []
    left_out: list[Unchecked] = []
    for path in paths:
        folder = Path(path)
        if not folder.is_dir():
            found.append(str(path))
            continue
        for markdown in sorted(folder.rglob("*.md")):
            skipped = select(markdown)
            if skipped is None:
                found.append(str(markdown))
            else:
                left_out.append(skipped)
    return found, left_out


#: Told of each document checked: (documents done, documents in all, its result).
OnResult = Callable[[int, int, FileResult], None]


def check_paths(paths: Sequence[str | os.PathLike[str]], options: CheckOptions | None = None,
                on_result: OnResult | None = None) -> RunResult:
    """Check every document found under ``paths``; results in the order found, whatever ``jobs`` is."""
    options = options or CheckOptions()
    documents, left_out = select_documents(paths)
    results: list[FileResult] = []
    for result in _checked(documents, options):
        results.append(result)
        if on_result is not None:
            on_result(len(results), len(documents), result)
    return RunResult(tuple(results), tuple(left_out))


def _checked(documents: list[str], options: CheckOptions) -> Iterator[FileResult]:
    if options.jobs > 1 and len(documents) > 1:
        # Threads suffice: each checks in its own worker process.
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

        executor = ThreadPoolExecutor if options.isolate else ProcessPoolExecutor
        if options.isolate:
            from deriv.check.isolate import warm

            warm(min(options.jobs, len(documents)))  # before any thread: forked, not from a fork server
        with executor(max_workers=options.jobs) as pool:
            yield from pool.map(check_file, documents, [options] * len(documents))  # in order
        return
    yield from (check_file(p, options) for p in documents)

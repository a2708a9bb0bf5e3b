"""Past one machine: documents and batch items checked on a Dask cluster.

Dask distributed (the optional extra ``deriv[distributed]``) over Ray: it
is pure Python, its scheduler is one command (``dask scheduler`` and
``dask worker ADDRESS`` on each machine), its client hands out a standard
:class:`concurrent.futures.Executor`, and a local cluster of two worker
processes starts in a second or two, so CI runs the real thing.

The work sent is text, never a path: a document is read here and its text
checked there (workers need not share a file system) -- but a LaTeX source,
whose reader is not Markdown's and which reads its ``\\input`` files where it
is, is checked here; each task is one
document or one item, checked in a killable worker process on the remote
machine exactly as at home (:mod:`deriv.check.isolate`), so a remote run
gives what a local one gives, in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from deriv.check.options import CheckOptions
from deriv.results import FileResult, RunResult


def executor_for(target: Any) -> Executor:
    """An executor from a scheduler address (``tcp://host:8786``), a Dask ``Client``, or an
    executor as it is."""
    if isinstance(target, Executor):
        return target
    if hasattr(target, "get_executor"):  # a dask.distributed.Client
        return target.get_executor()
    if isinstance(target, str):
        try:
            from dask.distributed import Client
        except ImportError:
            raise RuntimeError("a scheduler needs Dask: pip install 'deriv[distributed]'") from None
        return Client(target).get_executor()
    raise TypeError(f"an executor is a concurrent.futures.Executor, a Dask Client or a scheduler address, "
                    f"not {type(target).__name__}")


@contextmanager
def connected(address: str) -> Iterator[Executor]:
    """An executor on the Dask scheduler at ``address``, its client closed after use."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise RuntimeError("a scheduler needs Dask: pip install 'deriv[distributed]'") from None
    with Client(address) as client:
        yield client.get_executor()


def check_paths_on(executor: Executor, paths: Sequence[str], options: CheckOptions) -> RunResult:
    """:func:`deriv.check.checker.check_paths` with each document checked by ``executor``."""
    from deriv.check.checker import localised, select_documents

    documents, left_out = select_documents(paths)
    read = [_text_or_result(path, options) for path in documents]
    jobs = [(text, path) for (text, _), path in zip(read, documents) if text is not None]
    checked = iter(executor.map(_check_text, [t for t, _ in jobs], [p for _, p in jobs], [options] * len(jobs)))
    results = [done if done is not None else localised(next(checked), path) for (_, done), path in zip(read, documents)]
    return RunResult(tuple(results), tuple(left_out))


def _text_or_result(path: str, options: CheckOptions) -> tuple[str | None, FileResult | None]:
    """The Markdown to send for ``path``, or its result made here: the error that it can not be
    read, or a LaTeX source checked -- it is no Markdown (its ``% deriv:`` block, its ``\\input``
    files read where it is): read as Markdown there, it lost its declarations."""
    from deriv.check.checker import check_file
    from deriv.check.local import file_error
    from deriv.errors import DerivError
    from deriv.read.readers import READERS
    from deriv.read.sources import read_source

    if Path(path).suffix.lower() in READERS:
        return None, check_file(path, options)
    try:
        return read_source(path).markdown, None  # every other format as the Markdown it is read as
    except DerivError as error:
        return None, file_error(path, None, error)


def _check_text(text: str, path: str, options: CheckOptions) -> FileResult:
    from deriv.check.checker import check_text

    require_children()
    return check_text(text, path, options)


def require_children() -> None:
    """Every check runs in a killable process of its own, which a daemonic process (a Dask
    worker by default) may not start: say how to start workers that may."""
    import multiprocessing

    if multiprocessing.current_process().daemon:
        raise RuntimeError("deriv checks in worker processes of its own, which a daemonic Dask worker may "
                           "not start: start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")


def map_in_order(executor: Executor, function: Any, arguments: Iterable[tuple]) -> Iterable:
    """``function(*each)`` for each of ``arguments``, on ``executor``, results in order."""
    columns = list(zip(*arguments))
    return executor.map(function, *columns) if columns else iter(())

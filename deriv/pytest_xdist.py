"""The pytest plugin under pytest-xdist (``pytest -n N``): a document's steps go to one worker together.

A worker that runs a document's first step checks the whole document and keeps
the result for the document's other steps (:mod:`deriv.pytest_plugin`).  xdist's
default ``--dist load`` hands out items in chunks of consecutive items, and a
chunk's end cuts through a document wherever it falls: the two workers then
each check that document in full, and on a corpus of many documents ``-n 2``
spent more time than one process.  This is xdist's ``load`` scheduling with one
change: a chunk sent to a worker takes along every other pending step of the
documents it reaches into (wherever they are: pytest-randomly shuffles them).
Other tests are scheduled as ``load`` schedules them.

Collecting, every worker needs every document's *plan* (its steps, nothing
decided) and each used to make all of them.  Workers on this machine share
them instead (:class:`SharedPlans`, in a folder the controller makes for the
run): a worker makes the plans no other has begun, takes the others' from the
folder, and while waiting for one it makes a later one.  The workers then
collect in about the time one takes for half the documents.

Loaded only when xdist is (:func:`deriv.pytest_plugin.pytest_configure`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from xdist.scheduler import LoadScheduling

if TYPE_CHECKING:  # pragma: no cover - the controller never loads them: only workers share plans
    from deriv.results import FileResult

#: The key of :attr:`WorkerController.workerinput` naming the folder of the run's shared plans.
PLANS = "deriv_plans"
#: Seconds between looks for a plan another worker is making.
LOOK = 0.005


@functools.cache
def _suffixes() -> tuple[str, ...]:
    from deriv.read.sources import DOCUMENT_SUFFIXES  # the reader loads YAML: not on the controller's start

    return DOCUMENT_SUFFIXES


def document_of(nodeid: str) -> str | None:
    """The document a test item is a step of (its file's path), or None for any other test."""
    path = nodeid.split("::", 1)[0]
    return path if "::" in nodeid and path.lower().endswith(_suffixes()) else None


def with_their_documents(collection: Sequence[str], chosen: Sequence[int], rest: Sequence[int]) -> list[int]:
    """The items ``chosen`` and, of the items in ``rest``, the other steps of their documents."""
    documents = {document_of(collection[index]) for index in chosen} - {None}
    if not documents:
        return list(chosen)
    return [*chosen, *(index for index in rest if document_of(collection[index]) in documents)]


class DocumentScheduling(LoadScheduling):
    """``--dist load`` that never splits a document's steps between workers (except to re-run
    the items of a worker that crashed)."""

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        # Made while the workers start and collect: the suffixes' import is then not paid on
        # the controller between the workers' collections and the first tests sent.
        _suffixes()

    def _send_tests(self, node: Any, num: int) -> None:
        chosen = with_their_documents(self.collection or [], self.pending[:num], self.pending[num:])
        if not chosen:
            return
        taken = set(chosen)
        self.pending[:] = [index for index in self.pending if index not in taken]
        self.node2pending[node].extend(chosen)
        node.send_runtest_some(chosen)


class Scheduler:
    """The controller's plugin object: ``--dist load`` (the default of ``-n``) made a
    :class:`DocumentScheduling`, and a folder for the plans the workers share."""

    def __init__(self) -> None:
        self.folder: str | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> LoadScheduling | None:
        return DocumentScheduling(config, log) if config.getvalue("dist") == "load" else None

    def pytest_configure_node(self, node: Any) -> None:
        if node.gateway.spec.popen and not node.gateway.spec.chdir:  # a worker on this machine, in this folder
            self.folder = self.folder or tempfile.mkdtemp(prefix="deriv-plans-")
            node.workerinput[PLANS] = self.folder

    def pytest_unconfigure(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


class SharedPlans:
    """One worker's side of the plans the run's workers share: each made once, by whichever
    worker claims it first (an empty claim file, made or found atomically)."""

    def __init__(self, folder: str) -> None:
        from deriv.cache import ResultCache

        self.store = ResultCache(Path(folder), shards=False)  # one folder: removed quickly after the run
        self.folder = Path(folder)
        #: The documents this worker is about to collect, in order: the ones it may make while it waits.
        self.ahead: list[str] = []

    def expect(self, path: str) -> None:
        """``path`` will be collected (pytest made its collector)."""
        self.ahead.append(os.path.abspath(path))

    def plan(self, path: str, make: Callable[[str], FileResult]) -> FileResult:
        """The plan of ``path``: found, made here, or waited for (making later ones meanwhile)."""
        path = os.path.abspath(path)
        started = time.monotonic()
        while True:
            found = self.store.get(_key(path))
            if found is not None:
                return found
            if self._claim(path) or self._abandoned(path, started):
                return self._made(path, make)
            if not self._make_one_ahead(path, make):
                time.sleep(LOOK)

    def _claim(self, path: str) -> bool:
        try:
            handle = os.open(self.folder / f"{_key(path)}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        os.write(handle, str(os.getpid()).encode())
        os.close(handle)
        return True

    def _abandoned(self, path: str, started: float) -> bool:
        """The worker that claimed ``path`` is gone (or has been at it for ten minutes)."""
        try:
            claimer = int((self.folder / f"{_key(path)}.claim").read_text() or "0")  # "": being written
        except (OSError, ValueError):
            return False
        from deriv.check.isolate import alive

        return (claimer and not alive(claimer)) or time.monotonic() - started > 600

    def _made(self, path: str, make: Callable[[str], FileResult]) -> FileResult:
        try:
            result = make(path)
        except BaseException:  # (interrupted, or deriv's bug) the claim goes, so no other worker waits for it
            (self.folder / f"{_key(path)}.claim").unlink(missing_ok=True)
            raise
        self.store.put(_key(path), result)
        return result

    def _make_one_ahead(self, waiting: str, make: Callable[[str], FileResult]) -> bool:
        """Make the plan of one later document no worker has claimed; False when there is none."""
        later = self.ahead[self.ahead.index(waiting) + 1:] if waiting in self.ahead else []
        for path in later:
            if self._claim(path):
                self._made(path, make)
                return True
        return False


def _key(path: str) -> str:
    return hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()

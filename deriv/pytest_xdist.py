"""The pytest plugin under pytest-xdist (``pytest -n N``): a document's steps go to one worker together.

A worker that runs a document's first step checks the whole document and keeps
the result for the document's other steps (:mod:`deriv.pytest_plugin`).  xdist's
default ``--dist load`` hands out items in chunks of consecutive items, and a
chunk's end cuts through a document wherever it falls: the two workers then
each check that document in full, and on a corpus of many documents ``-n 2``
spent more time than one process.  This is xdist's ``load`` scheduling with
documents dealt whole (wherever their steps are: pytest-randomly shuffles them),
one at a time to a worker that is checking none, largest first
(:class:`DocumentScheduling`).  Other tests are scheduled as ``load`` schedules them.

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
import itertools
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


class DocumentScheduling(LoadScheduling):
    """``--dist load`` that never splits a document's steps between workers (except to re-run
    the items of a worker that crashed), and deals documents one at a time, largest first.

    A document's whole check is paid by the first of its items a worker runs (the others read
    the result), so a worker is *checking* a document from when it is sent until one of its
    items is reported.  A worker checking none gets the largest pending document at once --
    never a batch of them: the workers then end within one small document of each other
    (xdist's chunks gave one worker a run of documents while the other, done, waited).  A
    worker is never left holding a single item (xdist's workers keep the last one back until
    more come or they are shut down; a one-step document goes out with a second item, and the
    next one waits for a report's round trip).  Other tests are scheduled as ``load`` schedules
    them.
    """

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        # Made while the workers start and collect: the suffixes' import is then not paid on
        # the controller between the workers' collections and the first tests sent.
        _suffixes()
        #: Per worker, the documents sent to it none of whose items has been reported yet.
        self.checking: dict[Any, set[str]] = {}
        #: Each collected item's document (None for other tests), once the collection is known.
        self.documents: list[str | None] = []
        #: The documents whose items are pending (not sent to a worker), each with its size.
        self.unsent: dict[str, int] = {}

    def schedule(self) -> None:
        if self.collection is None and self.collection_is_completed:
            self.documents = [document_of(nodeid) for nodeid in next(iter(self.node2collection.values()))]
            self.unsent = {document: self._size(document) for document in set(self.documents) - {None} if document}
        super().schedule()

    def check_schedule(self, node: Any, duration: float = 0) -> None:
        if not node.shutting_down and self.pending and not self.checking.get(node) and self.unsent:
            self._send_document(node)
        super().check_schedule(node, duration)

    def mark_test_complete(self, node: Any, item_index: int, duration: float = 0) -> None:
        self.checking.get(node, set()).discard(self.documents[item_index] or "")
        super().mark_test_complete(node, item_index, duration)

    def remove_node(self, node: Any) -> str | None:
        """A worker gone (crashed): its items go back to the pending ones, its documents with them."""
        self.checking.pop(node, None)
        self._unsend(self.node2pending.get(node, []))
        return super().remove_node(node)

    def mark_test_pending(self, item: str) -> None:
        self._unsend([(self.collection or []).index(item)])
        super().mark_test_pending(item)

    def _send_tests(self, node: Any, num: int) -> None:
        """xdist's chunk of ``num`` items: a worker checking no document gets a document instead;
        a chunk of other tests never takes a document's steps."""
        if not self.checking.get(node) and self.unsent:
            self._send_document(node)
            return
        self._send(node, list(itertools.islice((i for i in self.pending if self.documents[i] is None), num)))
        self._top_up(node)

    def _send_document(self, node: Any) -> None:
        """The largest pending document to ``node`` (its size in bytes is the cheapest guess at its cost)."""
        while self.unsent:
            document = max(sorted(self.unsent), key=self.unsent.__getitem__)
            del self.unsent[document]
            chosen = [index for index in self.pending if self.documents[index] == document]
            if chosen:
                self._send(node, chosen)
                self.checking.setdefault(node, set()).add(document)
                break
        self._top_up(node)

    def _top_up(self, node: Any) -> None:
        """xdist's worker keeps its last item back until more come: never leave it a single one."""
        if len(self.node2pending[node]) >= 2 or not self.pending:
            return
        others = [i for i in itertools.islice(self.pending, 64) if self.documents[i] is None][:1]
        if others:
            self._send(node, others)
        elif self.unsent:
            self._send_document(node)

    def _send(self, node: Any, chosen: list[int]) -> None:
        if not chosen:
            return
        taken = set(chosen)
        self.pending[:] = [index for index in self.pending if index not in taken]
        self.node2pending[node].extend(chosen)
        node.send_runtest_some(chosen)

    def _unsend(self, indices: Sequence[int]) -> None:
        for index in indices:
            document = self.documents[index] if index < len(self.documents) else None
            if document is not None:
                self.unsent[document] = self._size(document)

    def _size(self, document: str) -> int:
        try:
            return (self.config.rootpath / document).stat().st_size
        except OSError:
            return 0


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

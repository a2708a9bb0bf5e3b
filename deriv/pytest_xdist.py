"""The pytest plugin under pytest-xdist (``pytest -n N``): a document's steps go to one worker together.

A worker that runs a document's first step checks the whole document and keeps
the result for the document's other steps (:mod:`deriv.pytest_plugin`).  xdist's
default ``--dist load`` hands out items in chunks of consecutive items, and a
chunk's end cuts through a document wherever it falls: the two workers then
each check that document in full, and on a corpus of many documents ``-n 2``
spent more time than one process.  This is xdist's ``load`` scheduling with one
change: a chunk sent to a worker takes along every other pending step of the
documents it reaches into (wherever they are: pytest-randomly shuffles them).
Other tests are scheduled as ``load`` schedules them.  Loaded only when xdist
is (:func:`deriv.pytest_plugin.pytest_configure`), on the controller.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from xdist.scheduler import LoadScheduling

from deriv.read.sources import DOCUMENT_SUFFIXES


def document_of(nodeid: str) -> str | None:
    """The document a test item is a step of (its file's path), or None for any other test."""
    path = nodeid.split("::", 1)[0]
    return path if "::" in nodeid and path.lower().endswith(DOCUMENT_SUFFIXES) else None


def with_their_documents(collection: Sequence[str], chosen: Sequence[int], rest: Sequence[int]) -> list[int]:
    """The items ``chosen`` and, of the items in ``rest``, the other steps of their documents."""
    documents = {document_of(collection[index]) for index in chosen} - {None}
    if not documents:
        return list(chosen)
    return [*chosen, *(index for index in rest if document_of(collection[index]) in documents)]


class DocumentScheduling(LoadScheduling):
    """``--dist load`` that never splits a document's steps between workers (except to re-run
    the items of a worker that crashed)."""

    def _send_tests(self, node: Any, num: int) -> None:
        chosen = with_their_documents(self.collection or [], self.pending[:num], self.pending[num:])
        if not chosen:
            return
        taken = set(chosen)
        self.pending[:] = [index for index in self.pending if index not in taken]
        self.node2pending[node].extend(chosen)
        node.send_runtest_some(chosen)


class Scheduler:
    """The plugin object that makes ``--dist load`` (the default of ``-n``) a :class:`DocumentScheduling`."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> LoadScheduling | None:
        return DocumentScheduling(config, log) if config.getvalue("dist") == "load" else None

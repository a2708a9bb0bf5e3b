"""Which reader reads a file, and whether a file is a derivation: by its suffix
(Markdown when no other claims it).

In: a path.  Out: the :class:`~deriv.read.document.Document` its format's reader
makes; or None (a derivation) / the :class:`~deriv.results.Unchecked` saying why not.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from deriv.read.document import Document, read_document
from deriv.read.latex_source import read_latex, select_latex
from deriv.read.selection import select
from deriv.results import Unchecked

#: Suffix (lower case) -> reader; any other file is read as Markdown.
READERS: dict[str, Callable[[str], Document]] = {".tex": read_latex}
#: Suffix (lower case) -> whether a file is a derivation (:func:`deriv.read.selection.select`'s rule).
SELECTORS: dict[str, Callable[[str], Unchecked | None]] = {".tex": select_latex}


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def read_path(path: str | os.PathLike[str]) -> Document:
    """The document at ``path``, read by the reader of its format."""
    name = os.fspath(path)
    return READERS.get(_suffix(name), read_document)(name)


def select_source(path: str | os.PathLike[str]) -> Unchecked | None:
    """None when the file at ``path`` is a derivation; else why it is not checked."""
    name = os.fspath(path)
    return SELECTORS.get(_suffix(name), select)(name)

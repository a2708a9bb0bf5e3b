"""Which reader reads a file: by its suffix (Markdown when no other claims it).

In: a path.  Out: the :class:`~deriv.read.document.Document` its format's reader makes.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from deriv.read.document import Document, read_document
from deriv.read.latex_source import read_latex

#: Suffix (lower case) -> reader; any other file is read as Markdown.
READERS: dict[str, Callable[[str], Document]] = {".tex": read_latex}


def read_source(path: str | os.PathLike[str]) -> Document:
    """The document at ``path``, read by the reader of its format."""
    name = os.fspath(path)
    return READERS.get(os.path.splitext(name)[1].lower(), read_document)(name)

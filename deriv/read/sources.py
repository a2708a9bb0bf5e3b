"""Which reader a file's suffix calls: every format deriv reads, as Markdown text.

In: a path.  Out: a :class:`Source` -- the Markdown the display scanner
walks and, for a notebook, where each cell starts in it.  One table,
:data:`READERS`, is what the CLI's folder search and the pytest plugin's
collection look at; a new format is one line in it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deriv.read.files import read_text_file
from deriv.read.notebook import CellStarts, notebook_markdown
from deriv.errors import DerivError
from deriv.read.includes import myst_include, quarto_include, unfollowed
from deriv.read.quarto import code_lines, shown_quarto


@dataclass(frozen=True)
class Source:
    """A document as Markdown; ``cells`` maps its lines to a notebook's cells (none elsewhere)."""

    markdown: str
    cells: CellStarts = ()


def markdown_source(text: str, path: str | None = None) -> Source:
    """Markdown and MyST are read as they are (a MyST include is an error: :mod:`deriv.read.includes`)."""
    if "{include}" in text and (found := myst_include(text)) is not None:
        raise DerivError(unfollowed("the MyST include of", found), path=path, line=found[0])
    return Source(text)


def quarto_source(text: str, path: str | None = None) -> Source:
    """Quarto as Markdown, without the divs it never shows (:mod:`deriv.read.quarto`); an
    include is an error (:mod:`deriv.read.includes`)."""
    shown = shown_quarto(text)
    if "include" in shown and (found := quarto_include(shown, code_lines(shown))) is not None:
        raise DerivError(unfollowed("the Quarto include of", found), path=path, line=found[0])
    return Source(shown)


def notebook_source(text: str, path: str | None = None) -> Source:
    return Source(*notebook_markdown(text, path))


#: Suffix (lower case) -> reader of the file's text.
READERS: dict[str, Callable[[str, str | None], Source]] = {
    ".md": markdown_source,
    ".qmd": quarto_source,
    ".ipynb": notebook_source,
}
SUFFIXES = tuple(READERS)
#: Every suffix a folder run and the pytest plugin look for: these, and LaTeX sources,
#: which are read by :mod:`deriv.read.latex_source` (:mod:`deriv.read.readers` dispatches).
DOCUMENT_SUFFIXES = (*SUFFIXES, ".tex")


def reader_for(path: str | os.PathLike[str]) -> Callable[[str, str | None], Source]:
    """The reader of ``path``'s format; a file named with another suffix is read as Markdown."""
    return READERS.get(Path(path).suffix.lower(), markdown_source)


def read_source(path: str | os.PathLike[str]) -> Source:
    """The file at ``path`` as Markdown (InputError when it can not be read)."""
    return reader_for(path)(read_text_file(path), os.fspath(path))


def source_markdown(text: str, path: str | os.PathLike[str]) -> str:
    """The Markdown of a file's ``text`` already read (the report draws it)."""
    return reader_for(path)(text, os.fspath(path)).markdown

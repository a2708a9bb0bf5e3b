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
from typing import TYPE_CHECKING

from deriv.check.options import CheckOptions
from deriv.results import FileResult, RunResult, Unchecked

if TYPE_CHECKING:  # pragma: no cover - the reader is heavy to import for --help
    from deriv.read.frontmatter import FrontMatter

__all__ = ["CheckOptions", "check_file", "check_paths", "check_text", "find_documents"]


def check_text(text: str, path: str = "<text>", options: CheckOptions | None = None,
               given: FrontMatter | None = None) -> FileResult:
    """Check a Markdown derivation document given as a string; ``given`` declarations
    (:func:`deriv.read.given.given_front`) are added to its front matter."""
    if not isinstance(text, str):  # bytes, say: a caller's mistake, not a document's
        raise TypeError(f"check_text() takes the document as a string, not {type(text).__name__}")
    return _check(text, False, path, options or CheckOptions(), given)


def check_file(path: str | os.PathLike[str], options: CheckOptions | None = None) -> FileResult:
    """Check one Markdown derivation document; never raises for bad input."""
    return localised(_check(os.fspath(path), True, str(path), options or CheckOptions()), path)


def localised(result: FileResult, path: str | os.PathLike[str]) -> FileResult:
    """A result read from ``path``'s Markdown, located in the file itself (a notebook's cells)."""
    return in_cells(result, path) if Path(path).suffix.lower() == ".ipynb" else result


def _check(source: str, is_path: bool, path: str, options: CheckOptions, given: FrontMatter | None = None) -> FileResult:
    """In a killable worker (budgets hold in any thread), or in this process."""
    if options.isolate:
        from deriv.check.isolate import check_isolated

        result = check_isolated(source, is_path, path, options, given)
    else:
        from deriv.check.local import check_source

        result = check_source(source, is_path, path, options, given=given)
    if is_path and source.lower().endswith(".tex"):
        # Lines of a LaTeX source with its \input files in place, back to the author's files.
        from deriv.read.latex_source import relocated

        return relocated(result, path)
    return result


def find_documents(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Files as named, plus the documents under folders (every suffix deriv reads) that are derivations."""
    return select_documents(paths)[0]


#: Jupyter's autosaved copies of the notebooks beside them: never a document of their own.
CHECKPOINTS = ".ipynb_checkpoints"


def select_documents(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[Unchecked]]:
    """Files as named, plus documents with deriv declarations under folders (``.md``,
    ``.qmd``, ``.ipynb``, ``.tex``: :data:`~deriv.read.sources.DOCUMENT_SUFFIXES`); and the ones
    left out, each with its reason.

    A folder's plain Markdown (a README without ``symbols:``) is not a
    derivation; one with display math is listed as looking like one; a
    file named explicitly is always checked.
    """
    from deriv.read.readers import select_source
    from deriv.read.sources import DOCUMENT_SUFFIXES

    found: list[str] = []
    left_out: list[Unchecked] = []
    for path in paths:
        folder = Path(path)
        if not os.fspath(path) or not folder.is_dir():  # '' is no folder (Path('') is the current one)
            found.append(str(path))
            continue
        # Not only regular files: a FIFO or a device named .md is listed as unread, never skipped silently.
        root = os.path.realpath(folder)
        for document in sorted(p for p in folder.rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES
                               and not p.is_dir() and CHECKPOINTS not in p.relative_to(folder).parts):
            skipped = _outside(document, root) or select_source(document)
            if skipped is None:
                found.append(str(document))
            else:
                left_out.append(skipped)
    return found, left_out


def _outside(document: Path, root: str) -> Unchecked | None:
    """A link in the folder to a file outside it is not followed (as ``\\input`` is not): a
    repository's ``notes.md -> ~/.ssh/id_rsa`` is never read by checking the repository."""
    from deriv.read.files import inside

    if inside(os.path.realpath(document), root):
        return None
    return Unchecked(str(document), "a link to a file outside the folder: not followed")


def in_cells(result: FileResult, path: str | os.PathLike[str]) -> FileResult:
    """A notebook's steps located in its cells (their lines are the joined Markdown's); a file
    error's line becomes its cell and line (or the metadata's) in the message."""
    from dataclasses import replace

    from deriv.read.notebook import cell_line, notebook_place
    from deriv.read.sources import read_source

    try:
        cells = read_source(path).cells
    except Exception:  # noqa: BLE001 - it was not read either: the file's error says why (DerivError or a bug)
        return result
    if result.error and result.error_line:
        result = replace(result, error=f"{notebook_place(cells, result.error_line)}: {result.error}", error_line=None)
    return replace(result, steps=tuple(replace(s, cell=cell_line(cells, s.line)) for s in result.steps))


#: Told of each document checked: (documents done, documents in all, its result).
OnResult = Callable[[int, int, FileResult], None]


#: Checks one document: :func:`check_file`, or a cache in front of it (:mod:`deriv.cache`).
CheckFile = Callable[[str, CheckOptions], FileResult]


def check_paths(paths: Sequence[str | os.PathLike[str]], options: CheckOptions | None = None,
                on_result: OnResult | None = None, check: CheckFile | None = None) -> RunResult:
    """Check every document found under ``paths``; results in the order found, whatever ``jobs`` is
    (``on_result`` is told of each as it is done: with several jobs, not in that order)."""
    options = options or CheckOptions()
    documents, left_out = select_documents(paths)
    results: dict[int, FileResult] = {}
    for position, result in _checked(documents, options, check or check_file):
        results[position] = result
        if on_result is not None:
            on_result(len(results), len(documents), result)
    return RunResult(tuple(results[position] for position in range(len(documents))), tuple(left_out))


def _checked(documents: list[str], options: CheckOptions, check: CheckFile) -> Iterator[tuple[int, FileResult]]:
    if options.jobs > 1 and len(documents) > 1:
        from deriv.check.parallel import checked_in_parallel

        yield from checked_in_parallel(documents, options, check)
        return
    yield from ((position, check(path, options)) for position, path in enumerate(documents))

"""Check documents: read, declare, walk the chains, collect results.

Nothing here raises for bad input: every problem becomes an ``error``
step or a file-level error on the :class:`~deriv.results.FileResult`.
Heavy modules (SymPy, lark) are imported only when a document is checked,
so the CLI's ``--help`` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from deriv.check.options import CheckOptions
from deriv.errors import DerivError
from deriv.results import FileResult, RunResult, StepResult, Verdict

__all__ = ["CheckOptions", "check_file", "check_paths", "check_text", "find_documents"]


def check_text(text: str, path: str = "<text>", options: CheckOptions | None = None) -> FileResult:
    """Check a Markdown derivation document given as a string."""
    from deriv.read.document import parse_document

    try:
        document = parse_document(text, path)
    except DerivError as error:
        return _file_error(path, None, error)
    return _check_document(document, options or CheckOptions())


def check_file(path: str | os.PathLike[str], options: CheckOptions | None = None) -> FileResult:
    """Check one Markdown derivation document; never raises for bad input."""
    from deriv.read.document import read_document

    try:
        document = read_document(path)
    except DerivError as error:
        return _file_error(str(path), None, error)
    return _check_document(document, options or CheckOptions())


def find_documents(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Files as named, plus ``*.md`` files with deriv front matter under folders.

    A folder's plain Markdown (a README without ``symbols:``) is not a
    derivation and is left out; a file named explicitly is always checked.
    """
    from deriv.read.document import has_deriv_front_matter

    found: list[str] = []
    for path in paths:
        folder = Path(path)
        if folder.is_dir():
            found.extend(str(p) for p in sorted(folder.rglob("*.md")) if has_deriv_front_matter(p))
        else:
            found.append(str(path))
    return found


def check_paths(paths: Sequence[str | os.PathLike[str]], options: CheckOptions | None = None) -> RunResult:
    """Check every document found under ``paths``."""
    options = options or CheckOptions()
    documents = find_documents(paths)
    if options.jobs > 1 and len(documents) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=options.jobs) as pool:
            return RunResult(tuple(pool.map(check_file, documents, [options] * len(documents))))
    return RunResult(tuple(check_file(p, options) for p in documents))


def _file_error(path: str, title: str | None, error: DerivError) -> FileResult:
    return FileResult(path=path, title=title, error=error.message, error_line=error.line)


def _check_document(document, options: CheckOptions) -> FileResult:
    from deriv.check.chains import ChainChecker
    from deriv.meaning.declarations import build_context

    if document.front is None:
        error = DerivError("no front matter: a derivation starts with --- and declares its symbols:", line=1)
        return _file_error(document.path, document.title, error)
    try:
        context = build_context(document.front, document.path, _definition_budget(options))
    except DerivError as error:
        return _file_error(document.path, document.title, error)
    checker = ChainChecker(document, context, options, has_assumptions=bool(document.front.assumptions))
    try:
        steps = checker.run()
    except RecursionError:
        steps = checker.results + [_internal("expression nested too deeply")]
    except Exception as error:  # noqa: BLE001 - one document must never abort the run
        steps = checker.results + [_internal(f"internal error: {type(error).__name__}: {error}")]
    problems = [
        StepResult(line=p.line or 0, label=None, relation="", lhs="", rhs="", verdict=Verdict.ERROR, message=p.message)
        for p in document.problems
    ]
    ordered = sorted(list(steps) + problems, key=lambda s: s.line)
    return FileResult(path=document.path, title=document.title, steps=tuple(ordered))


def _definition_budget(options: CheckOptions):
    """Each definition gets a step's time budget; running out is an error on its line."""
    from contextlib import contextmanager

    from deriv.budget import StepTimeout, time_budget

    @contextmanager
    def budget():
        try:
            with time_budget(options.timeout):
                yield
        except StepTimeout:
            raise DerivError(f"building it ran out of the {options.timeout:g} s budget") from None

    return budget


def _internal(message: str) -> StepResult:
    return StepResult(line=0, label=None, relation="", lhs="", rhs="", verdict=Verdict.ERROR, message=message)

"""What a check run is given beyond files and folders: standard input (``-``), and
named files that may not be derivations (a pre-commit hook names every staged file).

In: the paths of the command line, the options, a byte stream for ``-``.  Out: one
:class:`~deriv.results.RunResult`, standard input's document first.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import BinaryIO

from deriv.check import checker
from deriv.check.checker import CheckFile, OnResult, check_text
from deriv.check.local import file_error
from deriv.check.options import CheckOptions
from deriv.errors import DerivError
from deriv.read.files import MAX_BYTES, decode_text
from deriv.results import FileResult, RunResult, Unchecked

#: The path that means standard input, and the name its document is reported under.
STDIN, STDIN_NAME = "-", "<stdin>"


def check_stdin(stream: BinaryIO, options: CheckOptions) -> FileResult:
    """The Markdown document on ``stream``, checked (a file error when it is no UTF-8 text or too large)."""
    data = stream.read(MAX_BYTES + 1)
    try:
        if len(data) > MAX_BYTES:
            raise DerivError("standard input is too large (the limit is 5 MB)", line=None)
        text = decode_text(data, STDIN_NAME)
    except DerivError as error:
        return file_error(STDIN_NAME, None, error)
    return check_text(text, STDIN_NAME, options)


def named_derivations(paths: Sequence[str]) -> tuple[list[str], list[Unchecked]]:
    """Of the files named, the derivations (folders kept: they select their own), and the rest with
    the reason each is left out -- the rule a folder run applies to what it finds."""
    from deriv.read.readers import select_source

    kept: list[str] = []
    left_out: list[Unchecked] = []
    for path in paths:
        why = None if path == STDIN or os.path.isdir(path) else select_source(path)
        if why is None:
            kept.append(path)
        else:
            left_out.append(why)
    return kept, left_out


def check_given(paths: Sequence[str], options: CheckOptions, stdin: BinaryIO | None = None,
                on_result: OnResult | None = None, *, only_derivations: bool = False,
                check: CheckFile | None = None) -> RunResult:
    """Check ``paths`` (``-`` is ``stdin``); with ``only_derivations``, named files that are
    not derivations are listed as unchecked instead of failing as unreadable ones."""
    left_out: list[Unchecked] = []
    if only_derivations:
        paths, left_out = named_derivations(paths)
    files = [p for p in paths if p != STDIN]
    first = (check_stdin(stdin, options),) if STDIN in paths and stdin is not None else ()
    progress = {"on_result": on_result} if on_result is not None else {}
    run = checker.check_paths(files, options, **progress, check=check) if files else RunResult(())
    return RunResult(first + run.files, run.unchecked + tuple(left_out))
